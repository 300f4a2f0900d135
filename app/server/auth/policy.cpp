#include "app/server/auth/policy.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace capsim::server {

namespace json = boost::json;

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

char fold(char c, bool ignoreCase)
{
    return ignoreCase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// A string or a non-empty array of strings (Action, Resource, condition values). Condition
// values may also be booleans or numbers, which IAM reads as their text.
bool readStrings(const json::value& v, const std::string& path, bool scalarsAllowed, std::vector<std::string>& out,
    std::vector<std::string>& errors)
{
    auto one = [&](const json::value& item, const std::string& where) {
        if (item.is_string()) {
            out.emplace_back(item.get_string());
            return true;
        }
        if (scalarsAllowed && item.is_bool()) {
            out.emplace_back(item.get_bool() ? "true" : "false");
            return true;
        }
        if (scalarsAllowed && item.is_number()) {
            out.push_back(json::serialize(item));
            return true;
        }
        errors.push_back(where + ": must be a string");
        return false;
    };
    if (!v.is_array())
        return one(v, path);
    const auto& array = v.get_array();
    if (array.empty()) {
        errors.push_back(path + ": must not be an empty list");
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < array.size(); ++i)
        ok = one(array[i], path + "[" + std::to_string(i) + "]") && ok;
    return ok;
}

std::optional<PolicyCondition::Operator> baseOperator(std::string_view name)
{
    using Op = PolicyCondition::Operator;
    if (name == "StringEquals")
        return Op::StringEquals;
    if (name == "StringNotEquals")
        return Op::StringNotEquals;
    if (name == "StringLike")
        return Op::StringLike;
    if (name == "StringNotLike")
        return Op::StringNotLike;
    if (name == "Null")
        return Op::Null;
    return std::nullopt;
}

// "ForAllValues:StringLikeIfExists" -> qualifier, operator, IfExists.
bool readOperator(std::string_view name, PolicyCondition& c)
{
    if (name.starts_with("ForAllValues:")) {
        c.qualifier = PolicyCondition::SetQualifier::ForAllValues;
        name.remove_prefix(13);
    } else if (name.starts_with("ForAnyValue:")) {
        c.qualifier = PolicyCondition::SetQualifier::ForAnyValue;
        name.remove_prefix(12);
    }
    if (name.ends_with("IfExists")) {
        c.ifExists = true;
        name.remove_suffix(8);
    }
    const auto op = baseOperator(name);
    if (!op)
        return false;
    c.op = *op;
    // Null tests presence itself: IfExists and the set qualifiers make no sense with it.
    return c.op != PolicyCondition::Operator::Null
        || (!c.ifExists && c.qualifier == PolicyCondition::SetQualifier::None);
}

std::optional<PolicyStatement> readStatement(
    const json::value& v, const std::string& path, std::vector<std::string>& errors)
{
    if (!v.is_object()) {
        errors.push_back(path + ": must be an object");
        return std::nullopt;
    }
    const std::size_t before = errors.size();
    PolicyStatement s;
    const json::object& o = v.get_object();
    for (const auto& [key, value] : o) {
        const std::string where = path + "." + std::string(key);
        if (key == "Sid") {
            if (!value.is_string())
                errors.push_back(where + ": must be a string");
        } else if (key == "Effect") {
            if (value == "Allow")
                s.allow = true;
            else if (value == "Deny")
                s.allow = false;
            else
                errors.push_back(where + ": must be \"Allow\" or \"Deny\"");
        } else if (key == "Action" || key == "NotAction") {
            s.notAction = key == "NotAction";
            readStrings(value, where, false, s.actions, errors);
        } else if (key == "Resource" || key == "NotResource") {
            s.notResource = key == "NotResource";
            readStrings(value, where, false, s.resources, errors);
        } else if (key == "Principal" || key == "NotPrincipal") {
            errors.push_back(where
                + ": an identity-based policy names no principal (the policy applies to its "
                  "principal)");
        } else if (key == "Condition") {
            if (!value.is_object()) {
                errors.push_back(where + ": must be an object of condition operators");
                continue;
            }
            for (const auto& [opName, block] : value.get_object()) {
                const std::string opPath = where + "." + std::string(opName);
                PolicyCondition base;
                if (!readOperator(opName, base)) {
                    errors.push_back(opPath
                        + ": unsupported condition operator (capsim knows StringEquals, "
                          "StringNotEquals, StringLike, StringNotLike with IfExists, "
                          "ForAllValues: and ForAnyValue:, and Null)");
                    continue;
                }
                if (!block.is_object()) {
                    errors.push_back(opPath + ": must be an object of condition keys");
                    continue;
                }
                for (const auto& [keyName, values] : block.get_object()) {
                    PolicyCondition c = base;
                    c.key = lower(keyName);
                    if (readStrings(values, opPath + "." + std::string(keyName), true, c.values, errors))
                        s.conditions.push_back(std::move(c));
                }
            }
        } else {
            errors.push_back(where
                + ": unknown field (a statement has Sid, Effect, Action or NotAction, Resource or "
                  "NotResource, Condition)");
        }
    }
    if (!o.contains("Effect"))
        errors.push_back(path + ".Effect: missing");
    if (o.contains("Action") == o.contains("NotAction"))
        errors.push_back(path + ": needs exactly one of Action and NotAction");
    if (o.contains("Resource") == o.contains("NotResource"))
        errors.push_back(path + ": needs exactly one of Resource and NotResource");
    if (errors.size() != before)
        return std::nullopt;
    return s;
}

// The value with ${aws:username} expanded; empty optional when it uses any other variable
// (such a value matches nothing, reference A12).
std::optional<std::string> expand(const std::string& value, bool variables, const std::string& userName)
{
    if (!variables)
        return value;
    std::string out;
    std::size_t at = 0;
    for (;;) {
        const std::size_t open = value.find("${", at);
        if (open == std::string::npos)
            return out + value.substr(at);
        const std::size_t close = value.find('}', open);
        if (close == std::string::npos)
            return out + value.substr(at);
        if (lower(std::string_view(value).substr(open + 2, close - open - 2)) != "aws:username")
            return std::nullopt;
        out += value.substr(at, open - at) + userName;
        at = close + 1;
    }
}

bool anyMatch(const std::vector<std::string>& patterns, const std::string& text, bool ignoreCase, bool variables,
    const std::string& userName)
{
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        const auto expanded = expand(p, variables, userName);
        return expanded && wildcardMatch(*expanded, text, ignoreCase);
    });
}

bool conditionHolds(const PolicyCondition& c, const std::map<std::string, std::vector<std::string>>& keys,
    bool variables, const std::string& userName)
{
    using Op = PolicyCondition::Operator;
    using Set = PolicyCondition::SetQualifier;
    const auto found = keys.find(c.key);
    const bool present = found != keys.end() && !found->second.empty();
    if (c.op == Op::Null)
        return std::any_of(c.values.begin(), c.values.end(),
            [&](const std::string& v) { return (lower(v) == "true" && !present) || (lower(v) == "false" && present); });
    const bool negated = c.op == Op::StringNotEquals || c.op == Op::StringNotLike;
    if (!present) {
        if (c.ifExists || c.qualifier == Set::ForAllValues)
            return true;
        if (c.qualifier == Set::ForAnyValue)
            return false;
        return negated;
    }
    std::vector<std::string> policyValues;
    for (const auto& v : c.values)
        if (auto e = expand(v, variables, userName))
            policyValues.push_back(std::move(*e));
    const bool like = c.op == Op::StringLike || c.op == Op::StringNotLike;
    auto matches = [&](const std::string& requestValue) {
        return std::any_of(policyValues.begin(), policyValues.end(),
            [&](const std::string& p) { return like ? wildcardMatch(p, requestValue, false) : p == requestValue; });
    };
    const auto& values = found->second;
    switch (c.qualifier) {
    case Set::ForAllValues:
        return std::all_of(values.begin(), values.end(), [&](const std::string& v) { return matches(v) != negated; });
    case Set::ForAnyValue:
        return std::any_of(values.begin(), values.end(), [&](const std::string& v) { return matches(v) != negated; });
    case Set::None: break;
    }
    return std::any_of(values.begin(), values.end(), matches) != negated;
}

bool statementMatches(const PolicyStatement& s, const AccessContext& context,
    const std::map<std::string, std::vector<std::string>>& keys, bool variables)
{
    // Actions are case-insensitive, ARNs are not (reference A12).
    if (anyMatch(s.actions, context.action, true, false, context.userName) == s.notAction)
        return false;
    if (anyMatch(s.resources, context.resourceArn, false, variables, context.userName) == s.notResource)
        return false;
    return std::all_of(s.conditions.begin(), s.conditions.end(),
        [&](const PolicyCondition& c) { return conditionHolds(c, keys, variables, context.userName); });
}

} // namespace

std::optional<Policy> Policy::fromJson(const json::value& v, const std::string& path, std::vector<std::string>& errors)
{
    if (!v.is_object()) {
        errors.push_back(
            path + ": a policy document must be an object {\"Version\":\"2012-10-17\",\"Statement\":[...]}");
        return std::nullopt;
    }
    const std::size_t before = errors.size();
    Policy policy;
    const json::object& o = v.get_object();
    for (const auto& [key, value] : o) {
        const std::string where = path + "." + std::string(key);
        if (key == "Version") {
            if (value == "2012-10-17")
                policy.variables = true;
            else if (value != "2008-10-17")
                errors.push_back(where + ": must be \"2012-10-17\" or \"2008-10-17\"");
        } else if (key == "Id") {
            if (!value.is_string())
                errors.push_back(where + ": must be a string");
        } else if (key == "Statement") {
            if (value.is_array()) {
                const auto& array = value.get_array();
                for (std::size_t i = 0; i < array.size(); ++i)
                    if (auto s = readStatement(array[i], where + "[" + std::to_string(i) + "]", errors))
                        policy.statements.push_back(std::move(*s));
            } else if (auto s = readStatement(value, where, errors)) {
                policy.statements.push_back(std::move(*s));
            }
        } else {
            errors.push_back(where + ": unknown field (a policy document has Version, Id, Statement)");
        }
    }
    if (!o.contains("Statement"))
        errors.push_back(path + ".Statement: missing");
    if (errors.size() != before)
        return std::nullopt;
    return policy;
}

bool wildcardMatch(std::string_view pattern, std::string_view text, bool ignoreCase)
{
    // Greedy match with backtracking to the last '*': linear in practice, no recursion.
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, starText = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            starText = t;
        } else if (p < pattern.size()
            && (pattern[p] == '?' || fold(pattern[p], ignoreCase) == fold(text[t], ignoreCase))) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

Decision evaluate(const std::vector<Policy>& policies, const AccessContext& context)
{
    std::map<std::string, std::vector<std::string>> keys;
    for (const auto& [name, values] : context.keys) {
        auto& into = keys[lower(name)];
        into.insert(into.end(), values.begin(), values.end());
    }
    if (!context.userName.empty() && keys["aws:username"].empty())
        keys["aws:username"] = { context.userName };
    bool allowed = false;
    for (const auto& policy : policies)
        for (const auto& statement : policy.statements)
            if (statementMatches(statement, context, keys, policy.variables)) {
                if (!statement.allow)
                    return Decision::ExplicitDeny;
                allowed = true;
            }
    return allowed ? Decision::Allow : Decision::ImplicitDeny;
}

} // namespace capsim::server
