// IAM policy evaluation as `capsim serve` applies it (reference A12, Part C 15): one row per
// rule (Action/NotAction, Resource/NotResource, wildcards, case, ${aws:username}, every
// condition operator with IfExists and the set qualifiers, explicit deny over allow, default
// deny), and a randomized differential test against a deliberately simple evaluator written
// here from the reference's words (quantifiers over the request's values; std::regex for wildcards).

#include "app/server/auth/policy.h"

#include <boost/json.hpp>

#include "tests/support/wire.h"

#include <QtTest>

#include <random>
#include <regex>

using namespace capsim::server;
using capsim::test::J;

namespace {

std::vector<Policy> policies(const std::string& text)
{
    const auto v = boost::json::parse(J(text));
    std::vector<Policy> out;
    std::vector<std::string> errors;
    const auto list = v.is_array() ? v.as_array() : boost::json::array { v };
    for (const auto& p : list) {
        auto policy = Policy::fromJson(p, "policy", errors);
        if (!policy)
            qFatal("test policy does not parse: %s", errors.front().c_str());
        out.push_back(*policy);
    }
    return out;
}

const char* decisionName(Decision d)
{
    switch (d) {
    case Decision::Allow: return "Allow";
    case Decision::ImplicitDeny: return "ImplicitDeny";
    case Decision::ExplicitDeny: return "ExplicitDeny";
    }
    return "?";
}

const std::string kArn = "arn:aws:dynamodb:us-east-1:123456789012:table/";

} // namespace

class TestIam : public QObject {
    Q_OBJECT

private slots:
    void wildcards_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ignoreCase");
        QTest::addColumn<bool>("matches");
        QTest::addRow("star spans / and :") << "arn:*/index/*"
                                            << "arn:aws:dynamodb:r:1:table/T/index/I" << false << true;
        QTest::addRow("question mark is one") << "table/?"
                                              << "table/ab" << false << false;
        QTest::addRow("question mark") << "table/?b"
                                       << "table/ab" << false << true;
        QTest::addRow("case-sensitive") << "table/Orders"
                                        << "table/orders" << false << false;
        QTest::addRow("case-insensitive") << "dynamodb:get*"
                                          << "dynamodb:GetItem" << true << true;
        QTest::addRow("empty star") << "a*b"
                                    << "ab" << false << true;
        QTest::addRow("backtracking") << "*a*b"
                                      << "xaxxab" << false << true;
        QTest::addRow("trailing text") << "a*"
                                       << "ba" << false << false;
        QTest::addRow("star only") << "*"
                                   << "" << false << true;
        QTest::addRow("literal star in text") << "a*"
                                              << "a*" << false << true;
    }

    void wildcards()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, ignoreCase);
        QFETCH(bool, matches);
        QCOMPARE(wildcardMatch(pattern.toStdString(), text.toStdString(), ignoreCase), matches);
    }

    void decisions_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("keys"); // JSON object of key -> [values]
        QTest::addColumn<QString>("decision");
        const QString allowAll = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'dynamodb:*',"
                                 "'Resource':'*'}]}";
        auto allow = [](const std::string& rest) {
            return QString::fromStdString("{'Version':'2012-10-17','Statement':[{'Effect':'Allow'," + rest + "}]}");
        };
        const QString orders = QString::fromStdString(kArn + "Orders");
        QTest::addRow("allow all") << allowAll << "dynamodb:GetItem" << orders << "{}"
                                   << "Allow";
        QTest::addRow("other service") << allowAll << "s3:GetObject" << orders << "{}"
                                       << "ImplicitDeny";
        QTest::addRow("no statement matches")
            << allow("'Action':'dynamodb:Query','Resource':'*'") << "dynamodb:Scan" << orders << "{}"
            << "ImplicitDeny";
        QTest::addRow("action case-insensitive")
            << allow("'Action':'DynamoDB:getitem','Resource':'*'") << "dynamodb:GetItem" << orders << "{}"
            << "Allow";
        QTest::addRow("action wildcard") << allow("'Action':['dynamodb:Get*','dynamodb:?uery'],'Resource':'*'")
                                         << "dynamodb:Query" << orders << "{}"
                                         << "Allow";
        QTest::addRow("action wildcard misses")
            << allow("'Action':'dynamodb:Get*','Resource':'*'") << "dynamodb:PutItem" << orders << "{}"
            << "ImplicitDeny";
        QTest::addRow("NotAction allows the rest")
            << allow("'NotAction':'dynamodb:Delete*','Resource':'*'") << "dynamodb:PutItem" << orders << "{}"
            << "Allow";
        QTest::addRow("NotAction excludes")
            << allow("'NotAction':'dynamodb:Delete*','Resource':'*'") << "dynamodb:DeleteItem" << orders << "{}"
            << "ImplicitDeny";
        QTest::addRow("resource case-sensitive")
            << allow("'Action':'*','Resource':'" + kArn + "orders'") << "dynamodb:GetItem" << orders << "{}"
            << "ImplicitDeny";
        QTest::addRow("resource wildcard over / and :")
            << allow("'Action':'*','Resource':'arn:aws:dynamodb:*:*:table/Orders*'") << "dynamodb:Query"
            << QString::fromStdString(kArn + "Orders/index/ByDate") << "{}"
            << "Allow";
        QTest::addRow("NotResource") << allow("'Action':'*','NotResource':'" + kArn + "Secret*'") << "dynamodb:GetItem"
                                     << QString::fromStdString(kArn + "Secrets") << "{}"
                                     << "ImplicitDeny";
        QTest::addRow("username variable") << allow("'Action':'*','Resource':'" + kArn + "${aws:username}_*'")
                                           << "dynamodb:GetItem" << QString::fromStdString(kArn + "alice_data") << "{}"
                                           << "Allow";
        QTest::addRow("username variable, other user")
            << allow("'Action':'*','Resource':'" + kArn + "${aws:username}_*'") << "dynamodb:GetItem"
            << QString::fromStdString(kArn + "bob_data") << "{}"
            << "ImplicitDeny";
        QTest::addRow("no variables in 2008-10-17")
            << "{'Version':'2008-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'"
                + QString::fromStdString(kArn) + "${aws:username}_*'}]}"
            << "dynamodb:GetItem" << QString::fromStdString(kArn + "alice_data") << "{}"
            << "ImplicitDeny";
        QTest::addRow("other variables never match")
            << allow("'Action':'*','Resource':'" + kArn + "${aws:PrincipalTag/team}*'") << "dynamodb:GetItem"
            << QString::fromStdString(kArn + "x") << "{}"
            << "ImplicitDeny";
        QTest::addRow("explicit deny wins") << "[" + allowAll
                + ",{'Version':'2012-10-17','Statement':[{'Effect':'Deny','Action':'dynamodb:DeleteItem','Resource':'*'}]}]"
                                            << "dynamodb:DeleteItem" << orders << "{}"
                                            << "ExplicitDeny";
        QTest::addRow("deny elsewhere does not touch") << "[" + allowAll
                + ",{'Version':'2012-10-17','Statement':[{'Effect':'Deny','Action':'dynamodb:DeleteItem','Resource':'*'}]}]"
                                                       << "dynamodb:PutItem" << orders << "{}"
                                                       << "Allow";
        QTest::addRow("no policy statement") << "{'Version':'2012-10-17','Statement':[]}"
                                             << "dynamodb:GetItem" << orders << "{}"
                                             << "ImplicitDeny";

        const std::string any = "'Action':'*','Resource':'*',";
        QTest::addRow("StringEquals holds")
            << allow(any + "'Condition':{'StringEquals':{'dynamodb:ReturnConsumedCapacity':['NONE','TOTAL']}}")
            << "dynamodb:GetItem" << orders << "{'dynamodb:ReturnConsumedCapacity':['TOTAL']}"
            << "Allow";
        QTest::addRow("key names case-insensitive")
            << allow(any + "'Condition':{'StringEquals':{'DynamoDB:returnconsumedcapacity':'NONE'}}")
            << "dynamodb:GetItem" << orders << "{'dynamodb:ReturnConsumedCapacity':['NONE']}"
            << "Allow";
        QTest::addRow("values case-sensitive")
            << allow(any + "'Condition':{'StringEquals':{'dynamodb:Select':'all_attributes'}}") << "dynamodb:GetItem"
            << orders << "{'dynamodb:Select':['ALL_ATTRIBUTES']}"
            << "ImplicitDeny";
        QTest::addRow("StringEquals, absent key") << allow(any + "'Condition':{'StringEquals':{'dynamodb:Select':'X'}}")
                                                  << "dynamodb:GetItem" << orders << "{}"
                                                  << "ImplicitDeny";
        QTest::addRow("StringEqualsIfExists, absent key")
            << allow(any + "'Condition':{'StringEqualsIfExists':{'dynamodb:Select':'SPECIFIC_ATTRIBUTES'}}")
            << "dynamodb:Scan" << orders << "{}"
            << "Allow";
        QTest::addRow("StringEqualsIfExists, other value")
            << allow(any + "'Condition':{'StringEqualsIfExists':{'dynamodb:Select':'SPECIFIC_ATTRIBUTES'}}")
            << "dynamodb:Scan" << orders << "{'dynamodb:Select':['ALL_ATTRIBUTES']}"
            << "ImplicitDeny";
        QTest::addRow("StringNotEquals, absent key")
            << allow(any + "'Condition':{'StringNotEquals':{'dynamodb:ReturnValues':'ALL_OLD'}}") << "dynamodb:GetItem"
            << orders << "{}"
            << "Allow";
        QTest::addRow("StringNotEquals, equal")
            << allow(any + "'Condition':{'StringNotEquals':{'dynamodb:ReturnValues':'ALL_OLD'}}") << "dynamodb:PutItem"
            << orders << "{'dynamodb:ReturnValues':['ALL_OLD']}"
            << "ImplicitDeny";
        QTest::addRow("StringLike") << allow(any + "'Condition':{'StringLike':{'dynamodb:LeadingKeys':'user-?-*'}}")
                                    << "dynamodb:GetItem" << orders << "{'dynamodb:LeadingKeys':['user-1-x']}"
                                    << "Allow";
        QTest::addRow("StringNotLike") << allow(any + "'Condition':{'StringNotLike':{'dynamodb:LeadingKeys':'admin*'}}")
                                       << "dynamodb:GetItem" << orders << "{'dynamodb:LeadingKeys':['admin7']}"
                                       << "ImplicitDeny";
        QTest::addRow("Null true, absent")
            << allow(any + "'Condition':{'Null':{'dynamodb:Attributes':'true'}}") << "dynamodb:Scan" << orders << "{}"
            << "Allow";
        QTest::addRow("Null true, present") << allow(any + "'Condition':{'Null':{'dynamodb:Attributes':'true'}}")
                                            << "dynamodb:Scan" << orders << "{'dynamodb:Attributes':['a']}"
                                            << "ImplicitDeny";
        QTest::addRow("Null false as a boolean") << allow(any + "'Condition':{'Null':{'dynamodb:Attributes':false}}")
                                                 << "dynamodb:Scan" << orders << "{'dynamodb:Attributes':['a']}"
                                                 << "Allow";
        QTest::addRow("ForAllValues, all match")
            << allow(any + "'Condition':{'ForAllValues:StringEquals':{'dynamodb:LeadingKeys':['${aws:username}']}}")
            << "dynamodb:BatchGetItem" << orders << "{'dynamodb:LeadingKeys':['alice']}"
            << "Allow";
        QTest::addRow("ForAllValues, one other")
            << allow(any + "'Condition':{'ForAllValues:StringEquals':{'dynamodb:LeadingKeys':['${aws:username}']}}")
            << "dynamodb:BatchGetItem" << orders << "{'dynamodb:LeadingKeys':['alice','bob']}"
            << "ImplicitDeny";
        QTest::addRow("ForAllValues, empty set")
            << allow(any + "'Condition':{'ForAllValues:StringEquals':{'dynamodb:LeadingKeys':['${aws:username}']}}")
            << "dynamodb:Scan" << orders << "{}"
            << "Allow";
        QTest::addRow("ForAnyValue, empty set")
            << allow(any + "'Condition':{'ForAnyValue:StringEquals':{'dynamodb:Attributes':['a']}}") << "dynamodb:Scan"
            << orders << "{}"
            << "ImplicitDeny";
        QTest::addRow("ForAnyValue, one matches")
            << allow(any + "'Condition':{'ForAnyValue:StringEquals':{'dynamodb:Attributes':['a']}}") << "dynamodb:Scan"
            << orders << "{'dynamodb:Attributes':['b','a']}"
            << "Allow";
        QTest::addRow("ForAnyValue:StringNotEquals")
            << allow(any + "'Condition':{'ForAnyValue:StringNotEquals':{'dynamodb:Attributes':['a','b']}}")
            << "dynamodb:Scan" << orders << "{'dynamodb:Attributes':['a','b']}"
            << "ImplicitDeny";
        QTest::addRow("ForAllValues:StringLike")
            << allow(any + "'Condition':{'ForAllValues:StringLike':{'dynamodb:Attributes':['pk','data*']}}")
            << "dynamodb:GetItem" << orders << "{'dynamodb:Attributes':['pk','data1','data2']}"
            << "Allow";
        QTest::addRow("ForAnyValue:StringEqualsIfExists, empty set")
            << allow(any + "'Condition':{'ForAnyValue:StringEqualsIfExists':{'dynamodb:Attributes':['a']}}")
            << "dynamodb:Scan" << orders << "{}"
            << "Allow";
        QTest::addRow("keys AND")
            << allow(any
                   + "'Condition':{'StringEquals':{'dynamodb:Select':'SPECIFIC_ATTRIBUTES',"
                     "'dynamodb:ReturnConsumedCapacity':'NONE'}}")
            << "dynamodb:Query" << orders
            << "{'dynamodb:Select':['SPECIFIC_ATTRIBUTES'],'dynamodb:ReturnConsumedCapacity':['TOTAL']}"
            << "ImplicitDeny";
        QTest::addRow("operators AND") << allow(any
            + "'Condition':{'StringEquals':{'dynamodb:Select':'SPECIFIC_ATTRIBUTES'},"
              "'Null':{'dynamodb:LeadingKeys':'false'}}")
                                       << "dynamodb:Query" << orders << "{'dynamodb:Select':['SPECIFIC_ATTRIBUTES']}"
                                       << "ImplicitDeny";
        QTest::addRow("aws:username key") << allow(any + "'Condition':{'StringEquals':{'aws:username':'alice'}}")
                                          << "dynamodb:Query" << orders << "{}"
                                          << "Allow";
        QTest::addRow("conditional deny")
            << "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},"
               "{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'ForAnyValue:StringEquals':"
               "{'dynamodb:Attributes':'salary'}}}]}"
            << "dynamodb:GetItem" << orders << "{'dynamodb:Attributes':['pk','salary']}"
            << "ExplicitDeny";
        QTest::addRow("conditional deny, not met")
            << "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},"
               "{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'ForAnyValue:StringEquals':"
               "{'dynamodb:Attributes':'salary'}}}]}"
            << "dynamodb:GetItem" << orders << "{'dynamodb:Attributes':['pk']}"
            << "Allow";
    }

    void decisions()
    {
        QFETCH(QString, policy);
        QFETCH(QString, action);
        QFETCH(QString, resource);
        QFETCH(QString, keys);
        QFETCH(QString, decision);
        AccessContext context { action.toStdString(), resource.toStdString(), "alice", {} };
        const auto keysJson = boost::json::parse(J(keys.toStdString()));
        for (const auto& [key, values] : keysJson.as_object())
            for (const auto& v : values.as_array())
                context.keys[std::string(key)].emplace_back(v.as_string());
        QCOMPARE(QString(decisionName(evaluate(policies(policy.toStdString()), context))), decision);
    }

    void differential();
};

// ---- The simple evaluator and the random cases ----

namespace {

struct SimpleCondition {
    std::string op; // "StringEquals", ..., "Null"
    std::string qualifier; // "", "ForAllValues", "ForAnyValue"
    bool ifExists = false;
    std::string key; // as written
    std::vector<std::string> values;
};

struct SimpleStatement {
    bool allow = true;
    bool notAction = false;
    std::vector<std::string> actions;
    bool notResource = false;
    std::vector<std::string> resources;
    std::vector<SimpleCondition> conditions;
};

using SimplePolicy = std::vector<SimpleStatement>; // Version 2012-10-17

std::string lowered(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// ${aws:username} replaced; a value still naming a variable matches nothing.
std::optional<std::string> substitute(std::string value, const std::string& user)
{
    for (std::size_t at; (at = value.find("${aws:username}")) != std::string::npos;)
        value.replace(at, 15, user);
    if (value.find("${") != std::string::npos)
        return std::nullopt;
    return value;
}

bool regexMatch(const std::string& pattern, const std::string& text, bool ignoreCase)
{
    std::string re;
    for (char c : pattern) {
        if (c == '*')
            re += ".*";
        else if (c == '?')
            re += ".";
        else if (std::isalnum(static_cast<unsigned char>(c)))
            re += c;
        else
            re += std::string("\\") + c;
    }
    auto flags = std::regex::ECMAScript;
    if (ignoreCase)
        flags |= std::regex::icase;
    return std::regex_match(text, std::regex(re, flags));
}

bool simpleConditionHolds(
    const SimpleCondition& c, const std::map<std::string, std::vector<std::string>>& keys, const std::string& user)
{
    std::vector<std::string> request;
    for (const auto& [name, values] : keys)
        if (lowered(name) == lowered(c.key))
            request = values;
    if (c.op == "Null") {
        bool holds = false;
        for (const auto& v : c.values)
            holds = holds || (v == "true" ? request.empty() : !request.empty());
        return holds;
    }
    if (c.ifExists && request.empty())
        return true;
    const bool negated = c.op.find("Not") != std::string::npos;
    const bool like = c.op.find("Like") != std::string::npos;
    auto matched = [&](const std::string& r) {
        for (const auto& v : c.values)
            if (auto p = substitute(v, user); p && (like ? regexMatch(*p, r, false) : *p == r))
                return true;
        return false;
    };
    // The qualifier is a quantifier over the request's values (none when the key is absent).
    auto forAll = [&](auto test) { return std::all_of(request.begin(), request.end(), test); };
    auto exists = [&](auto test) { return std::any_of(request.begin(), request.end(), test); };
    auto test = [&](const std::string& r) { return matched(r) != negated; };
    if (c.qualifier == "ForAllValues")
        return forAll(test);
    if (c.qualifier == "ForAnyValue")
        return exists(test);
    return negated ? forAll(test) : exists(test);
}

Decision simpleEvaluate(const std::vector<SimplePolicy>& policies, const std::string& action, const std::string& arn,
    const std::string& user, std::map<std::string, std::vector<std::string>> keys)
{
    keys["aws:username"] = { user };
    std::vector<bool> matchingEffects;
    for (const auto& policy : policies)
        for (const auto& s : policy) {
            bool actionHit = false, resourceHit = false, conditions = true;
            for (const auto& a : s.actions)
                actionHit = actionHit || regexMatch(a, action, true);
            for (const auto& r : s.resources)
                if (auto p = substitute(r, user))
                    resourceHit = resourceHit || regexMatch(*p, arn, false);
            for (const auto& c : s.conditions)
                conditions = conditions && simpleConditionHolds(c, keys, user);
            if (actionHit != s.notAction && resourceHit != s.notResource && conditions)
                matchingEffects.push_back(s.allow);
        }
    if (std::find(matchingEffects.begin(), matchingEffects.end(), false) != matchingEffects.end())
        return Decision::ExplicitDeny;
    return matchingEffects.empty() ? Decision::ImplicitDeny : Decision::Allow;
}

boost::json::value toJson(const SimplePolicy& policy)
{
    boost::json::array statements;
    for (const auto& s : policy) {
        boost::json::object o;
        o["Effect"] = s.allow ? "Allow" : "Deny";
        boost::json::array actions(s.actions.begin(), s.actions.end());
        o[s.notAction ? "NotAction" : "Action"] = actions;
        boost::json::array resources(s.resources.begin(), s.resources.end());
        o[s.notResource ? "NotResource" : "Resource"] = resources;
        if (!s.conditions.empty()) {
            boost::json::object conditions;
            for (const auto& c : s.conditions) {
                const std::string op
                    = (c.qualifier.empty() ? "" : c.qualifier + ":") + c.op + (c.ifExists ? "IfExists" : "");
                auto& block = conditions[op];
                if (!block.is_object())
                    block = boost::json::object();
                block.as_object()[c.key] = boost::json::array(c.values.begin(), c.values.end());
            }
            o["Condition"] = conditions;
        }
        statements.push_back(o);
    }
    return boost::json::object { { "Version", "2012-10-17" }, { "Statement", statements } };
}

template <typename T>
const T& pick(std::mt19937& random, const std::vector<T>& from)
{
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
}

template <typename T>
std::vector<T> some(std::mt19937& random, const std::vector<T>& from, int most)
{
    std::vector<T> out;
    const int n = std::uniform_int_distribution<int>(1, most)(random);
    for (int i = 0; i < n; ++i)
        out.push_back(pick(random, from));
    return out;
}

} // namespace

void TestIam::differential()
{
    const std::vector<std::string> actions { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
        "dynamodb:DeleteItem", "dynamodb:BatchGetItem" };
    const std::vector<std::string> actionPatterns { "*", "dynamodb:*", "dynamodb:Get*", "DYNAMODB:getitem",
        "dynamodb:?utItem", "dynamodb:Query", "s3:*", "dynamodb:*Item", "dynamodb:Batch*" };
    const std::vector<std::string> users { "alice", "bob" };
    const std::vector<std::string> tables { "alice", "bob", "Orders", "orders", "Orders/index/ByDate",
        "alice/index/G" };
    const std::vector<std::string> resourcePatterns { "*", kArn + "Orders", kArn + "${aws:username}",
        kArn + "${aws:username}/*", kArn + "O*", kArn + "?rders", kArn + "${aws:other}",
        "arn:aws:dynamodb:*:*:table/*/index/*", "arn:aws:dynamodb:us-east-1:123456789012:table/*", "arn:aws:s3:::*" };
    const std::vector<std::string> ops { "StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "Null" };
    const std::vector<std::string> qualifiers { "", "", "ForAllValues", "ForAnyValue" };
    const std::vector<std::string> keys { "dynamodb:LeadingKeys", "dynamodb:Attributes", "DynamoDB:Select",
        "aws:username", "dynamodb:ReturnValues" };
    const std::vector<std::string> values { "alice", "bob", "${aws:username}", "a*", "?ob", "pk", "data", "ALL_OLD",
        "NONE", "SPECIFIC_ATTRIBUTES", "${aws:userid}", "*" };
    const std::vector<std::string> requestValues { "alice", "bob", "pk", "data", "ALL_OLD", "NONE",
        "SPECIFIC_ATTRIBUTES", "a1", "*" };

    std::mt19937 random(20261206);
    std::map<Decision, int> seen;
    constexpr int kCases = 5000;
    for (int n = 0; n < kCases; ++n) {
        std::vector<SimplePolicy> simple(std::uniform_int_distribution<std::size_t>(1, 2)(random));
        for (auto& policy : simple) {
            policy.resize(std::uniform_int_distribution<std::size_t>(1, 3)(random));
            for (auto& s : policy) {
                s.allow = std::bernoulli_distribution(0.75)(random);
                s.notAction = std::bernoulli_distribution(0.15)(random);
                s.actions = some(random, actionPatterns, 2);
                s.notResource = std::bernoulli_distribution(0.15)(random);
                s.resources = some(random, resourcePatterns, 2);
                const int conditions = std::uniform_int_distribution<int>(0, 2)(random);
                for (int c = 0; c < conditions; ++c) {
                    SimpleCondition condition;
                    condition.op = pick(random, ops);
                    condition.key = pick(random, keys);
                    if (condition.op == "Null") {
                        condition.values = { std::bernoulli_distribution(0.5)(random) ? "true" : "false" };
                    } else {
                        condition.qualifier = pick(random, qualifiers);
                        condition.ifExists = std::bernoulli_distribution(0.25)(random);
                        condition.values = some(random, values, 3);
                    }
                    // One operator block holds a key once: skip a repeated (operator, key).
                    const bool repeated = std::any_of(s.conditions.begin(), s.conditions.end(), [&](const auto& o) {
                        return o.op == condition.op && o.qualifier == condition.qualifier
                            && o.ifExists == condition.ifExists && o.key == condition.key;
                    });
                    if (!repeated)
                        s.conditions.push_back(condition);
                }
            }
        }
        const std::string action = pick(random, actions);
        const std::string arn = kArn + pick(random, tables);
        const std::string user = pick(random, users);
        std::map<std::string, std::vector<std::string>> context;
        for (const auto& key :
            { "dynamodb:LeadingKeys", "dynamodb:Attributes", "dynamodb:Select", "dynamodb:ReturnValues" })
            if (std::bernoulli_distribution(0.6)(random))
                context[key] = some(random, requestValues, 3);

        std::vector<Policy> parsed;
        boost::json::array rendered;
        for (const auto& policy : simple) {
            rendered.push_back(toJson(policy));
            std::vector<std::string> errors;
            auto p = Policy::fromJson(rendered.back(), "policy", errors);
            QVERIFY2(p, errors.empty() ? "" : errors.front().c_str());
            parsed.push_back(*p);
        }
        const Decision expected = simpleEvaluate(simple, action, arn, user, context);
        const Decision actual = evaluate(parsed, { action, arn, user, context });
        ++seen[expected];
        if (expected != actual) {
            boost::json::object keysJson;
            for (const auto& [k, v] : context)
                keysJson[k] = boost::json::array(v.begin(), v.end());
            QFAIL(qPrintable(
                QString("case %1: %2 on %3 by %4 with %5 under %6: simple %7, evaluate %8")
                    .arg(n)
                    .arg(QString::fromStdString(action), QString::fromStdString(arn), QString::fromStdString(user),
                        QString::fromStdString(boost::json::serialize(keysJson)),
                        QString::fromStdString(boost::json::serialize(rendered)), decisionName(expected),
                        decisionName(actual))));
        }
    }
    // The cases reach every outcome often enough to mean something.
    for (Decision d : { Decision::Allow, Decision::ImplicitDeny, Decision::ExplicitDeny })
        QVERIFY2(seen[d] > kCases / 10, decisionName(d));
}

QTEST_GUILESS_MAIN(TestIam)
#include "tst_iam.moc"
