#pragma once
// IAM policy documents as capsim evaluates them (reference A12): statements with
// Action/NotAction, Resource/NotResource and Conditions, explicit deny over allow, default
// deny. Parsed policies are immutable values, safe to share across threads.

#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::server {

// One test of a Condition block: an operator applied to one context key.
struct PolicyCondition {
    enum class Operator { StringEquals, StringNotEquals, StringLike, StringNotLike, Null };
    enum class SetQualifier { None, ForAllValues, ForAnyValue };
    Operator op = Operator::StringEquals;
    SetQualifier qualifier = SetQualifier::None;
    bool ifExists = false;
    std::string key; // lower-case ("dynamodb:leadingkeys"): key names are case-insensitive
    std::vector<std::string> values; // as written (variables unexpanded)
};

struct PolicyStatement {
    bool allow = true; // Effect
    bool notAction = false; // the patterns are NotAction's
    std::vector<std::string> actions;
    bool notResource = false;
    std::vector<std::string> resources;
    std::vector<PolicyCondition> conditions; // all must hold
};

struct Policy {
    // Version 2012-10-17 expands ${aws:username}; 2008-10-17 (the default) reads "${" literally.
    bool variables = false;
    std::vector<PolicyStatement> statements;

    // Reads a policy document; each problem is appended to `errors` with its path under `path`
    // ("principals[0].policies[1].Statement[0].Effect: ..."). Empty optional when any was found.
    static std::optional<Policy> fromJson(
        const boost::json::value& json, const std::string& path, std::vector<std::string>& errors);
};

// What one (action, resource) pair of a request is decided on.
struct AccessContext {
    std::string action; // "dynamodb:GetItem"
    std::string resourceArn; // "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" or "*"
    std::string userName; // aws:username, and ${aws:username} in policies
    // Condition-key values (names compared case-insensitively); a key with no values is absent.
    std::map<std::string, std::vector<std::string>> keys;
};

enum class Decision { Allow, ImplicitDeny, ExplicitDeny };

// A matching Deny statement denies (explicitly); else a matching Allow allows; else the
// request is implicitly denied.
Decision evaluate(const std::vector<Policy>& policies, const AccessContext& context);

// IAM's wildcard match: '*' any run of characters ('/' and ':' included), '?' one character.
bool wildcardMatch(std::string_view pattern, std::string_view text, bool ignoreCase);

} // namespace capsim::server
