// DynamoDB's legacy request parameters through the Dispatcher: every legacy form (AttributesToGet,
// AttributeUpdates, Expected + ConditionalOperator, KeyConditions, QueryFilter, ScanFilter) gives
// the same answer and the same ConsumedCapacity as its expression form, checked by a seeded
// randomized differential between two engines holding the same items (one driven with the legacy
// form, one with the expression form written here); a few rules DynamoDB documents for the legacy
// forms (NE and NOT_CONTAINS on a missing attribute, ADD on numbers, sets and lists, DELETE from a
// set); mixing a legacy and an expression parameter is refused, and so is a wrong AttributeValueList.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <QTemporaryDir>

#include <random>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;
namespace json = boost::json;

namespace {

const std::string kTable
    = J("{'TableName':'Leg','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
        "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],"
        "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}");

// Ordered pools, so BETWEEN bounds can be drawn in order.
const std::vector<std::string> kNumbers { "-3", "-1", "0", "1", "2", "3" };
const std::vector<std::string> kStrings { "a", "ab", "b", "ba", "c" };
const std::vector<std::string> kBinaries { "YQ==", "YWI=", "Yg==" }; // "a" < "ab" < "b"
const std::vector<std::string> kAttributes { "a", "b", "c", "d", "e" }; // "e" is never stored

// The names and values of the expression form, built beside it.
struct ExpressionForm {
    json::object names;
    json::object values;
    std::string name(const std::string& attribute)
    {
        std::string p = "#n" + std::to_string(names.size());
        names[p] = attribute;
        return p;
    }
    std::string value(const json::value& v)
    {
        std::string p = ":v" + std::to_string(values.size());
        values[p] = v;
        return p;
    }
    void addTo(json::object& request) const
    {
        if (!names.empty())
            request["ExpressionAttributeNames"] = names;
        if (!values.empty())
            request["ExpressionAttributeValues"] = values;
    }
};

class Random {
public:
    explicit Random(unsigned seed)
        : m_gen(seed)
    {
    }
    int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_gen); }
    bool chance(int percent) { return below(100) < percent; }
    template <typename T>
    const T& pick(const std::vector<T>& v)
    {
        return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))];
    }

    json::value scalar(const char* type)
    {
        const std::string t = type;
        if (t == "N")
            return json::object { { "N", pick(kNumbers) } };
        if (t == "S")
            return json::object { { "S", pick(kStrings) } };
        return json::object { { "B", pick(kBinaries) } };
    }
    json::value set(const char* type)
    {
        const auto& pool = std::string(type) == "NS" ? kNumbers : kStrings;
        json::array members;
        for (const auto& m : pool)
            if (chance(40))
                members.push_back(json::value(m));
        if (members.empty())
            members.push_back(json::value(pool[1]));
        return json::object { { type, members } };
    }
    json::value anyValue()
    {
        switch (below(7)) {
        case 0: return scalar("N");
        case 1: return scalar("S");
        case 2: return scalar("B");
        case 3: return set("SS");
        case 4: return set("NS");
        case 5: return json::object { { "L", json::array { scalar("N"), scalar("S") } } };
        default: return json::object { { "BOOL", chance(50) } };
        }
    }

private:
    std::mt19937 m_gen;
};

struct Condition {
    std::string attribute;
    std::string op;
    json::array args;
};

// A valid legacy condition: an operator and AttributeValueList of types it accepts.
Condition randomCondition(Random& rnd)
{
    static const std::vector<std::string> kOps { "EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS",
        "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN" };
    Condition c { rnd.pick(kAttributes), rnd.pick(kOps), {} };
    const char* type = rnd.pick(std::vector<const char*> { "N", "S", "B" });
    if (c.op == "BEGINS_WITH" && std::string(type) == "N")
        type = "S";
    if (c.op == "EQ" || c.op == "NE") {
        const int k = rnd.below(5);
        c.args.push_back(k == 3 ? rnd.set("SS") : k == 4 ? rnd.set("NS") : rnd.scalar(type));
    } else if (c.op == "IN") {
        for (int i = 0, n = 1 + rnd.below(3); i < n; ++i)
            c.args.push_back(rnd.scalar(type));
    } else if (c.op == "BETWEEN") {
        const std::string t = type;
        const auto& pool = t == "N" ? kNumbers : t == "S" ? kStrings : kBinaries;
        int lo = rnd.below(static_cast<int>(pool.size())), hi = rnd.below(static_cast<int>(pool.size()));
        if (lo > hi)
            std::swap(lo, hi);
        c.args.push_back(json::object { { t, pool[static_cast<std::size_t>(lo)] } });
        c.args.push_back(json::object { { t, pool[static_cast<std::size_t>(hi)] } });
    } else if (c.op != "NULL" && c.op != "NOT_NULL") {
        c.args.push_back(rnd.scalar(type));
    }
    return c;
}

json::object legacyCondition(const Condition& c)
{
    json::object o { { "ComparisonOperator", c.op } };
    if (!c.args.empty())
        o["AttributeValueList"] = c.args;
    return o;
}

// The expression DynamoDB's documentation gives for each ComparisonOperator (its "Writing
// conditions with legacy parameters"): NOT_CONTAINS is false for a missing attribute.
std::string expressionOf(const Condition& c, ExpressionForm& e)
{
    const std::string a = e.name(c.attribute);
    auto v = [&](std::size_t i) { return e.value(c.args[i]); };
    static const std::map<std::string, std::string> kCompare { { "EQ", "=" }, { "NE", "<>" }, { "LE", "<=" },
        { "LT", "<" }, { "GE", ">=" }, { "GT", ">" } };
    if (auto it = kCompare.find(c.op); it != kCompare.end())
        return a + " " + it->second + " " + v(0);
    if (c.op == "NOT_NULL")
        return "attribute_exists(" + a + ")";
    if (c.op == "NULL")
        return "attribute_not_exists(" + a + ")";
    if (c.op == "CONTAINS")
        return "contains(" + a + ", " + v(0) + ")";
    if (c.op == "NOT_CONTAINS")
        return "attribute_exists(" + a + ") AND NOT contains(" + a + ", " + v(0) + ")";
    if (c.op == "BEGINS_WITH")
        return "begins_with(" + a + ", " + v(0) + ")";
    if (c.op == "BETWEEN") {
        const std::string lo = v(0);
        return a + " BETWEEN " + lo + " AND " + v(1);
    }
    std::string list;
    for (std::size_t i = 0; i < c.args.size(); ++i)
        list += (i ? ", " : "") + v(i);
    return a + " IN (" + list + ")";
}

std::string joinExpression(const std::vector<std::string>& parts, bool useOr)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : useOr ? " OR " : " AND ") + ("(" + p + ")");
    return out;
}

json::object randomItem(Random& rnd, int sk)
{
    json::object item { { "pk", json::object { { "S", "p" + std::to_string(rnd.below(3)) } } },
        { "sk", json::object { { "N", std::to_string(sk) } } } };
    for (const auto& attribute : kAttributes) {
        if (attribute != "e" && rnd.chance(70))
            item[attribute] = rnd.anyValue();
    }
    return item;
}

json::object keyOf(Random& rnd)
{
    return json::object { { "pk", json::object { { "S", "p" + std::to_string(rnd.below(3)) } } },
        { "sk", json::object { { "N", std::to_string(rnd.below(12)) } } } };
}

} // namespace

class TestLegacyParameters : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_legacyEngine;
    std::unique_ptr<Engine> m_expressionEngine;
    std::unique_ptr<Dispatcher> m_legacy;
    std::unique_ptr<Dispatcher> m_expression;
    int m_compared = 0;
    std::map<std::string, int> m_outcomes; // "" for success, else the error type

    WireResponse run(Dispatcher& d, const std::string& operation, const json::object& request)
    {
        return d.dispatch(operation, request, 0);
    }

    // Both forms answer alike: the same body (errors: the same error type), the same units.
    void same(const std::string& operation, const json::object& legacy, const json::object& expression)
    {
        auto l = run(*m_legacy, operation, legacy);
        auto e = run(*m_expression, operation, expression);
        const QString context = QString::fromStdString(operation + "\nlegacy:     " + json::serialize(legacy)
                                    + "\nexpression: " + json::serialize(expression) + "\nlegacy answer:     ")
            + text(l) + "\nexpression answer: " + text(e);
        QVERIFY2(l.errorType == e.errorType, qPrintable(context));
        if (l.errorType.empty() || l.errorType == "ConditionalCheckFailedException")
            QVERIFY2(text(l) == text(e), qPrintable(context));
        QVERIFY2(l.consumed.size() == e.consumed.size(), qPrintable(context));
        for (std::size_t i = 0; i < l.consumed.size(); ++i) {
            QVERIFY2(l.consumed[i].table.read == e.consumed[i].table.read, qPrintable(context));
            QVERIFY2(l.consumed[i].table.write == e.consumed[i].table.write, qPrintable(context));
            QVERIFY2(l.consumed[i].partitions.size() == e.consumed[i].partitions.size(), qPrintable(context));
        }
        ++m_compared;
        ++m_outcomes[l.errorType];
    }

    WireResponse legacyCall(const std::string& operation, const std::string& request)
    {
        return call(*m_legacy, operation, J(request));
    }

private slots:
    void init()
    {
        m_legacyEngine = std::move(Engine::open(":memory:")).value();
        m_expressionEngine = std::move(Engine::open(":memory:")).value();
        m_legacy = std::make_unique<Dispatcher>(*m_legacyEngine);
        m_expression = std::make_unique<Dispatcher>(*m_expressionEngine);
        QVERIFY(!call(*m_legacy, "CreateTable", kTable).isError());
        QVERIFY(!call(*m_expression, "CreateTable", kTable).isError());
    }

    // The seeded differential: random items, then random reads and conditional writes in both
    // forms; at the end both tables hold the same items.
    void legacyMatchesExpressionForm()
    {
        Random rnd(20261206);
        for (int sk = 0; sk < 12; ++sk) {
            json::object put { { "TableName", "Leg" }, { "Item", randomItem(rnd, sk) } };
            same("PutItem", put, put);
        }
        const json::string capacity = "INDEXES";
        for (int round = 0; round < 500; ++round) {
            const int kind = round % 7;
            json::object legacy { { "TableName", "Leg" }, { "ReturnConsumedCapacity", capacity } };
            json::object expression = legacy;
            ExpressionForm e;
            // Random conditions (1-3) for Expected, QueryFilter and ScanFilter.
            std::vector<std::string> parts;
            json::object conditions;
            const int count = 1 + rnd.below(3);
            for (int i = 0; i < count; ++i) {
                Condition c = randomCondition(rnd);
                if (conditions.contains(c.attribute))
                    continue;
                conditions[c.attribute] = legacyCondition(c);
                parts.push_back(expressionOf(c, e));
            }
            const bool useOr = parts.size() > 1 && rnd.chance(50);
            if (useOr)
                legacy["ConditionalOperator"] = "OR";
            else if (parts.size() > 1 && rnd.chance(30))
                legacy["ConditionalOperator"] = "AND";
            // AttributesToGet for reads, sometimes.
            json::array toGet;
            if (rnd.chance(50)) {
                for (const auto& a : { "a", "sk", "c", "e" })
                    if (rnd.chance(60))
                        toGet.push_back(json::value(a));
            }
            auto addProjection = [&] {
                if (toGet.empty())
                    return;
                std::string projection;
                for (const auto& a : toGet)
                    projection += (projection.empty() ? "" : ", ") + e.name(std::string(a.as_string()));
                legacy["AttributesToGet"] = toGet;
                expression["ProjectionExpression"] = projection;
            };
            std::string operation;
            switch (kind) {
            case 0: { // Scan + ScanFilter
                operation = "Scan";
                legacy["ScanFilter"] = conditions;
                expression["FilterExpression"] = joinExpression(parts, useOr);
                addProjection();
                break;
            }
            case 1: { // Query + KeyConditions + QueryFilter
                operation = "Query";
                const json::object pk { { "S", "p" + std::to_string(rnd.below(3)) } };
                json::object keys { { "pk",
                    json::object { { "ComparisonOperator", "EQ" }, { "AttributeValueList", json::array { pk } } } } };
                std::string key = e.name("pk") + " = " + e.value(pk);
                if (rnd.chance(70)) {
                    static const std::vector<std::string> kSortOps { "EQ", "LE", "LT", "GE", "GT", "BETWEEN" };
                    Condition s { "sk", rnd.pick(kSortOps), {} };
                    int lo = rnd.below(12), hi = rnd.below(12);
                    if (lo > hi)
                        std::swap(lo, hi);
                    s.args.push_back(json::object { { "N", std::to_string(lo) } });
                    if (s.op == "BETWEEN")
                        s.args.push_back(json::object { { "N", std::to_string(hi) } });
                    keys["sk"] = legacyCondition(s);
                    key += " AND " + expressionOf(s, e);
                }
                legacy["KeyConditions"] = keys;
                expression["KeyConditionExpression"] = key;
                legacy["QueryFilter"] = conditions;
                expression["FilterExpression"] = joinExpression(parts, useOr);
                legacy["ScanIndexForward"] = expression["ScanIndexForward"] = rnd.chance(50);
                addProjection();
                break;
            }
            case 2: { // GetItem + AttributesToGet
                operation = "GetItem";
                legacy.erase("ConditionalOperator");
                e.values.clear();
                legacy["Key"] = expression["Key"] = keyOf(rnd);
                legacy["ConsistentRead"] = expression["ConsistentRead"] = rnd.chance(50);
                if (!toGet.empty())
                    legacy["AttributesToGet"] = toGet;
                // GetItem takes names only: the conditions drawn above are not used.
                json::object names;
                std::string p;
                for (const auto& a : toGet) {
                    std::string placeholder = "#g" + std::to_string(names.size());
                    names[placeholder] = a;
                    p += (p.empty() ? "" : ", ") + placeholder;
                }
                if (!toGet.empty()) {
                    expression["ProjectionExpression"] = p;
                    expression["ExpressionAttributeNames"] = names;
                }
                e.names.clear();
                break;
            }
            case 3: { // PutItem + Expected (the ComparisonOperator form)
                operation = "PutItem";
                json::object item = randomItem(rnd, rnd.below(12));
                legacy["Item"] = expression["Item"] = item;
                legacy["Expected"] = conditions;
                legacy["ReturnValues"] = expression["ReturnValues"] = "ALL_OLD";
                expression["ConditionExpression"] = joinExpression(parts, useOr);
                break;
            }
            case 4: { // DeleteItem + Expected (the Value / Exists form)
                operation = "DeleteItem";
                legacy.erase("ConditionalOperator");
                e.names.clear();
                e.values.clear();
                legacy["Key"] = expression["Key"] = keyOf(rnd);
                json::object expected;
                std::vector<std::string> valueParts;
                for (const auto& a : { "a", "b", "d" }) {
                    if (!rnd.chance(50))
                        continue;
                    if (rnd.chance(40)) {
                        expected[a] = json::object { { "Exists", false } };
                        valueParts.push_back("attribute_not_exists(" + e.name(a) + ")");
                    } else {
                        json::value v = rnd.anyValue();
                        expected[a] = rnd.chance(50) ? json::object { { "Value", v } }
                                                     : json::object { { "Value", v }, { "Exists", true } };
                        const std::string n = e.name(a);
                        valueParts.push_back(n + " = " + e.value(v));
                    }
                }
                if (!expected.empty()) {
                    legacy["Expected"] = expected;
                    expression["ConditionExpression"] = joinExpression(valueParts, false);
                }
                legacy["ReturnValues"] = expression["ReturnValues"] = "ALL_OLD";
                break;
            }
            case 5: { // UpdateItem + AttributeUpdates (+ Expected)
                operation = "UpdateItem";
                legacy["Key"] = expression["Key"] = keyOf(rnd);
                if (rnd.chance(50)) {
                    legacy.erase("ConditionalOperator");
                    e.names.clear();
                    e.values.clear();
                } else {
                    legacy["Expected"] = conditions;
                    expression["ConditionExpression"] = joinExpression(parts, useOr);
                }
                json::object updates;
                std::vector<std::string> sets, removes, adds, deletes;
                for (const auto& a : { "a", "b", "c", "d" }) {
                    const int action = rnd.below(6);
                    if (action == 0)
                        continue;
                    const std::string n = e.name(a);
                    if (action == 1) {
                        json::value v = rnd.anyValue();
                        updates[a] = rnd.chance(50) ? json::object { { "Value", v } }
                                                    : json::object { { "Action", "PUT" }, { "Value", v } };
                        sets.push_back(n + " = " + e.value(v));
                    } else if (action == 2) {
                        json::value v = rnd.chance(50) ? rnd.scalar("N") : rnd.set(rnd.chance(50) ? "SS" : "NS");
                        updates[a] = json::object { { "Action", "ADD" }, { "Value", v } };
                        adds.push_back(n + " " + e.value(v));
                    } else if (action == 3) {
                        json::value v = json::object { { "L", json::array { rnd.scalar("S") } } };
                        updates[a] = json::object { { "Action", "ADD" }, { "Value", v } };
                        const std::string empty = e.value(json::object { { "L", json::array {} } });
                        sets.push_back(
                            n + " = list_append(if_not_exists(" + n + ", " + empty + "), " + e.value(v) + ")");
                    } else if (action == 4) {
                        updates[a] = json::object { { "Action", "DELETE" } };
                        removes.push_back(n);
                    } else {
                        json::value v = rnd.set(rnd.chance(50) ? "SS" : "NS");
                        updates[a] = json::object { { "Action", "DELETE" }, { "Value", v } };
                        deletes.push_back(n + " " + e.value(v));
                    }
                }
                legacy["AttributeUpdates"] = updates;
                std::string update;
                auto clause = [&](const char* keyword, const std::vector<std::string>& list) {
                    std::string joined;
                    for (const auto& x : list)
                        joined += (joined.empty() ? "" : ", ") + x;
                    if (!list.empty())
                        update += (update.empty() ? "" : " ") + std::string(keyword) + " " + joined;
                };
                clause("SET", sets);
                clause("REMOVE", removes);
                clause("ADD", adds);
                clause("DELETE", deletes);
                if (!update.empty())
                    expression["UpdateExpression"] = update;
                legacy["ReturnValues"] = expression["ReturnValues"] = "ALL_NEW";
                break;
            }
            default: { // BatchGetItem + AttributesToGet
                operation = "BatchGetItem";
                json::array keys;
                std::set<std::string> seen;
                for (int i = 0; i < 3; ++i) {
                    json::object k = keyOf(rnd);
                    if (seen.insert(json::serialize(k)).second)
                        keys.push_back(k);
                }
                json::object l { { "Keys", keys } }, x { { "Keys", keys } };
                json::object names;
                std::string p;
                for (const auto& a : toGet) {
                    std::string placeholder = "#b" + std::to_string(names.size());
                    names[placeholder] = a;
                    p += (p.empty() ? "" : ", ") + placeholder;
                }
                if (!toGet.empty()) {
                    l["AttributesToGet"] = toGet;
                    x["ProjectionExpression"] = p;
                    x["ExpressionAttributeNames"] = names;
                }
                legacy = { { "RequestItems", json::object { { "Leg", l } } }, { "ReturnConsumedCapacity", capacity } };
                expression
                    = { { "RequestItems", json::object { { "Leg", x } } }, { "ReturnConsumedCapacity", capacity } };
                same(operation, legacy, expression);
                continue;
            }
            }
            e.addTo(expression);
            same(operation, legacy, expression);
            if (QTest::currentTestFailed())
                return;
        }
        // The writes left both tables alike.
        json::object scan { { "TableName", "Leg" }, { "ConsistentRead", true } };
        same("Scan", scan, scan);
        QVERIFY(m_compared > 500);
        // Most cases ran to an answer; conditional writes both passed and failed.
        for (const auto& [type, n] : m_outcomes)
            qInfo("%s: %d", type.empty() ? "answered" : type.c_str(), n);
        QVERIFY(m_outcomes[""] > 300);
        QVERIFY(m_outcomes["ConditionalCheckFailedException"] > 20);
    }

    // What DynamoDB documents for the legacy forms themselves.
    void documentedSemantics()
    {
        QVERIFY(!legacyCall("PutItem",
            "{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'},'n':{'N':'5'},"
            "'s':{'SS':['x','y']},'l':{'L':[{'S':'q'}]}}}")
                     .isError());
        auto count = [&](const std::string& filter) {
            auto r = legacyCall("Scan", "{'TableName':'Leg','ScanFilter':" + filter + "}");
            return r.isError() ? -1 : static_cast<int>(r.body.as_object().at("Count").as_int64());
        };
        // NE is true for a missing attribute; NOT_CONTAINS is false for one.
        QCOMPARE(count("{'missing':{'ComparisonOperator':'NE','AttributeValueList':[{'S':'x'}]}}"), 1);
        QCOMPARE(count("{'missing':{'ComparisonOperator':'NOT_CONTAINS','AttributeValueList':[{'S':'x'}]}}"), 0);
        QCOMPARE(count("{'s':{'ComparisonOperator':'NOT_CONTAINS','AttributeValueList':[{'S':'z'}]}}"), 1);
        QCOMPARE(count("{'s':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'S':'x'}]}}"), 1);
        QCOMPARE(count("{'n':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'4'},{'N':'5'}]}}"), 1);
        QCOMPARE(count("{'n':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'5'}]}}"), 0);
        QCOMPARE(count("{'n':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'9'}]},"
                       "'s':{'ComparisonOperator':'NOT_NULL'}}"),
            0);

        // ADD adds to a number (0 when missing), to a set and to a list; DELETE takes from a set.
        auto r = legacyCall("UpdateItem",
            "{'TableName':'Leg','Key':{'pk':{'S':'k'},'sk':{'N':'1'}},'ReturnValues':'ALL_NEW','AttributeUpdates':{"
            "'n':{'Action':'ADD','Value':{'N':'-2'}},'fresh':{'Action':'ADD','Value':{'N':'7'}},"
            "'s':{'Action':'DELETE','Value':{'SS':['x','w']}},'t':{'Action':'ADD','Value':{'NS':['1']}},"
            "'l':{'Action':'ADD','Value':{'L':[{'S':'r'}]}},'gone':{'Action':'DELETE'},'p':{'Value':{'S':'v'}}},"
            "'Expected':{'n':{'Value':{'N':'5'}},'nothere':{'Exists':false}}}");
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(text(r),
            QString::fromStdString(
                J("{'Attributes':{'fresh':{'N':'7'},'l':{'L':[{'S':'q'},{'S':'r'}]},'n':{'N':'3'},"
                  "'p':{'S':'v'},'pk':{'S':'k'},'s':{'SS':['y']},'sk':{'N':'1'},'t':{'NS':['1']}}}")));
        // A failed Expected is DynamoDB's ConditionalCheckFailedException, and consumes a write unit.
        r = legacyCall("DeleteItem",
            "{'TableName':'Leg','Key':{'pk':{'S':'k'},'sk':{'N':'1'}},"
            "'Expected':{'n':{'ComparisonOperator':'LT','AttributeValueList':[{'N':'3'}]},"
            "'p':{'Exists':true,'Value':{'S':'v'}}},'ConditionalOperator':'AND'}");
        QCOMPARE(QString::fromStdString(r.errorType), QStringLiteral("ConditionalCheckFailedException"));
        QCOMPARE(r.consumed.at(0).table.write, 1.0);
        r = legacyCall("DeleteItem",
            "{'TableName':'Leg','Key':{'pk':{'S':'k'},'sk':{'N':'1'}},"
            "'Expected':{'n':{'ComparisonOperator':'LT','AttributeValueList':[{'N':'3'}]},"
            "'p':{'Exists':true,'Value':{'S':'v'}}},'ConditionalOperator':'OR'}");
        QVERIFY2(!r.isError(), qPrintable(text(r)));
    }

    // TagResource, UntagResource and ListTagsOfResource on the table's ARN; the tags live with the
    // table in the engine database and survive a reopen; DynamoDB's limits are enforced.
    void tags()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("engine.db").toStdString();
        const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Leg";
        auto tagsOf
            = [&](Dispatcher& d) { return text(call(d, "ListTagsOfResource", J("{'ResourceArn':'" + arn + "'}"))); };
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
            QCOMPARE(tagsOf(d), QStringLiteral("{\"Tags\":[]}"));
            auto r = call(d, "TagResource",
                J("{'ResourceArn':'" + arn
                    + "','Tags':[{'Key':'team','Value':'orders'},{'Key':'env','Value':'prod'},"
                      "{'Key':'empty','Value':''}]}"));
            QVERIFY2(!r.isError(), qPrintable(text(r)));
            QCOMPARE(text(r), QStringLiteral("{}"));
            // A second TagResource replaces a value; UntagResource removes keys (unknown keys are fine).
            QVERIFY(!call(d, "TagResource", J("{'ResourceArn':'" + arn + "','Tags':[{'Key':'env','Value':'dev'}]}"))
                         .isError());
            QVERIFY(
                !call(d, "UntagResource", J("{'ResourceArn':'" + arn + "','TagKeys':['empty','nothere']}")).isError());
            QCOMPARE(tagsOf(d),
                QString::fromStdString(J("{'Tags':[{'Key':'env','Value':'dev'},{'Key':'team','Value':'orders'}]}")));
        }
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QCOMPARE(tagsOf(d),
                QString::fromStdString(J("{'Tags':[{'Key':'env','Value':'dev'},{'Key':'team','Value':'orders'}]}")));

            auto refused = [&](const std::string& tags) {
                auto r = call(d, "TagResource", J("{'ResourceArn':'" + arn + "','Tags':" + tags + "}"));
                return r.errorType + ": " + std::string(message(r).toStdString());
            };
            const std::string longKey(129, 'k');
            QCOMPARE(QString::fromStdString(refused("[{'Key':'" + longKey + "','Value':'v'}]")),
                QString::fromStdString("ValidationException: 1 validation error detected: Value '" + longKey
                    + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or "
                      "equal to 128"));
            QVERIFY(
                refused("[{'Key':'" + std::string(128, 'k') + "','Value':'" + std::string(256, 'v') + "'}]") == ": ");
            QVERIFY(QString::fromStdString(refused("[{'Key':'a','Value':'" + std::string(257, 'v') + "'}]"))
                        .contains("at 'tags.1.member.value' failed to satisfy constraint: Member must have length less "
                                  "than or equal to 256"));
            QVERIFY(QString::fromStdString(refused("[{'Key':'aws:owner','Value':'x'}]")).contains("reserved"));
            // 50 tags at most: the table has 3, 47 more fit, one more does not.
            std::string many = "[";
            for (int i = 0; i < 47; ++i)
                many += std::string(i ? "," : "") + "{'Key':'k" + std::to_string(i) + "','Value':'v'}";
            QCOMPARE(QString::fromStdString(refused(many + "]")), QStringLiteral(": "));
            QVERIFY(QString::fromStdString(refused("[{'Key':'one-more','Value':'v'}]"))
                        .startsWith("ValidationException: One or more parameter values were invalid"));
            auto list = call(d, "ListTagsOfResource", J("{'ResourceArn':'" + arn + "'}"));
            QCOMPARE(list.body.as_object().at("Tags").as_array().size(), std::size_t(50));

            auto missing = call(
                d, "ListTagsOfResource", J("{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Nope'}"));
            QCOMPARE(QString::fromStdString(missing.errorType), QStringLiteral("ResourceNotFoundException"));
            auto bad = call(d, "TagResource", J("{'ResourceArn':'Leg','Tags':[]}"));
            QCOMPARE(QString::fromStdString(bad.errorType), QStringLiteral("ValidationException"));
        }
    }

    void limitsAndEndpoints()
    {
        QCOMPARE(text(call(*m_legacy, "DescribeLimits", "{}")),
            QString::fromStdString(J("{'AccountMaxReadCapacityUnits':80000,'AccountMaxWriteCapacityUnits':80000,"
                                     "'TableMaxReadCapacityUnits':40000,'TableMaxWriteCapacityUnits':40000}")));
        QCOMPARE(text(call(*m_legacy, "DescribeEndpoints", "{}")),
            QString::fromStdString(
                J("{'Endpoints':[{'Address':'dynamodb.us-east-1.amazonaws.com','CachePeriodInMinutes':1440}]}")));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("expected");
        const std::string key = "'Key':{'pk':{'S':'k'},'sk':{'N':'1'}}";
        auto row = [](const char* name, const char* operation, const std::string& request, const char* expected) {
            QTest::addRow("%s", name) << operation << QString::fromStdString(J(request)) << expected;
        };
        row("mix AttributesToGet + ProjectionExpression", "GetItem",
            "{'TableName':'Leg'," + key + ",'AttributesToGet':['a'],'ProjectionExpression':'a'}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
        row("mix Expected + ConditionExpression", "PutItem",
            "{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'}},'Expected':{'a':{'Exists':false}},"
            "'ConditionExpression':'attribute_not_exists(a)'}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {Expected} Expression parameters: {ConditionExpression}");
        row("mix AttributeUpdates + UpdateExpression", "UpdateItem",
            "{'TableName':'Leg'," + key
                + ",'AttributeUpdates':{'a':{'Action':'DELETE'}},'UpdateExpression':'REMOVE a'}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
        row("mix QueryFilter + KeyConditionExpression", "Query",
            "{'TableName':'Leg','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'k'}},"
            "'QueryFilter':{'a':{'ComparisonOperator':'NULL'}}}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}");
        row("mix ScanFilter + ConditionalOperator + FilterExpression", "Scan",
            "{'TableName':'Leg','FilterExpression':'attribute_exists(a)','ConditionalOperator':'OR',"
            "'ScanFilter':{'a':{'ComparisonOperator':'NULL'},'b':{'ComparisonOperator':'NULL'}}}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {ScanFilter, ConditionalOperator} Expression parameters: {FilterExpression}");
        row("mix in a BatchGetItem entry", "BatchGetItem",
            "{'RequestItems':{'Leg':{'Keys':[{'pk':{'S':'k'},'sk':{'N':'1'}}],'AttributesToGet':['a'],"
            "'ProjectionExpression':'a'}}}",
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
        row("names without an expression", "Scan",
            "{'TableName':'Leg','ScanFilter':{'a':{'ComparisonOperator':'NULL'}},'ExpressionAttributeNames':{'#a':'a'}}",
            "ExpressionAttributeNames can only be specified when using expressions");
        row("EQ with two values", "Scan",
            "{'TableName':'Leg','ScanFilter':{'age':{'ComparisonOperator':'EQ','AttributeValueList':[{'N':'1'},{'N':'2'}]}}}",
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator "
            "(at ScanFilter.age)");
        row("BETWEEN with one value", "Query",
            "{'TableName':'Leg','KeyConditions':{'pk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'k'}]},"
            "'sk':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'1'}]}}}",
            "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN "
            "ComparisonOperator (at KeyConditions.sk)");
        row("NULL with a value", "DeleteItem",
            "{'TableName':'Leg'," + key
                + ",'Expected':{'a':{'ComparisonOperator':'NULL','AttributeValueList':[{'N':'1'}]}}}",
            "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator "
            "(at Expected.a)");
        row("BEGINS_WITH on a number", "Scan",
            "{'TableName':'Leg','ScanFilter':{'a':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'N':'1'}]}}}",
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N "
            "AttributeValue type (at ScanFilter.a)");
        row("IN with mixed types", "Query",
            "{'TableName':'Leg','KeyConditions':{'pk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'k'}]}},"
            "'QueryFilter':{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'1'},{'S':'x'}]}}}",
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same "
            "type (at QueryFilter.a)");
        row("BETWEEN bounds reversed", "Scan",
            "{'TableName':'Leg','ScanFilter':{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'5'},{'N':'1'}]}}}",
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound "
            "(at ScanFilter.a)");
        row("NE in KeyConditions", "Query",
            "{'TableName':'Leg','KeyConditions':{'pk':{'ComparisonOperator':'NE','AttributeValueList':[{'S':'k'}]}}}",
            "Attempted conditional constraint is not an indexable operation (at KeyConditions.pk)");
        row("Exists true without Value", "PutItem",
            "{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'}},'Expected':{'a':{'Exists':true}}}",
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a");
        row("Value with Exists false", "PutItem",
            "{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'}},'Expected':{'a':{'Exists':false,'Value':{'N':'1'}}}}",
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a");
        row("Exists with ComparisonOperator", "DeleteItem",
            "{'TableName':'Leg'," + key + ",'Expected':{'a':{'Exists':true,'ComparisonOperator':'NULL'}}}",
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for "
            "Attribute: a");
        row("ConditionalOperator with one condition", "Scan",
            "{'TableName':'Leg','ConditionalOperator':'OR','ScanFilter':{'a':{'ComparisonOperator':'NULL'}}}",
            "ConditionalOperator can only be used when Filter or Expected has two or more elements");
        row("ConditionalOperator alone", "PutItem",
            "{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'}},'ConditionalOperator':'AND'}",
            "ConditionalOperator cannot be used without Filter or Expected");
        row("ADD a string", "UpdateItem",
            "{'TableName':'Leg'," + key + ",'AttributeUpdates':{'a':{'Action':'ADD','Value':{'S':'x'}}}}",
            "One or more parameter values were invalid: ADD action is not supported for the type S (at AttributeUpdates.a)");
        row("DELETE a number", "UpdateItem",
            "{'TableName':'Leg'," + key + ",'AttributeUpdates':{'a':{'Action':'DELETE','Value':{'N':'1'}}}}",
            "One or more parameter values were invalid: DELETE action with value is not supported for the type N "
            "(at AttributeUpdates.a)");
        row("PUT without a value", "UpdateItem",
            "{'TableName':'Leg'," + key + ",'AttributeUpdates':{'a':{'Action':'PUT'}}}",
            "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is "
            "specified (at AttributeUpdates.a)");
        row("empty AttributesToGet", "GetItem", "{'TableName':'Leg'," + key + ",'AttributesToGet':[]}",
            "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must "
            "have length greater than or equal to 1");
    }

    void refusals()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, expected);
        QVERIFY(
            !call(*m_legacy, "PutItem", J("{'TableName':'Leg','Item':{'pk':{'S':'k'},'sk':{'N':'1'},'a':{'N':'1'}}}"))
                 .isError());
        auto r = call(*m_legacy, operation.toStdString(), request.toStdString());
        QCOMPARE(QString::fromStdString(r.errorType), QStringLiteral("ValidationException"));
        QCOMPARE(message(r), expected);
        // Nothing was written.
        auto get = call(*m_legacy, "GetItem", J("{'TableName':'Leg','Key':{'pk':{'S':'k'},'sk':{'N':'1'}}}"));
        QCOMPARE(text(get), QString::fromStdString(J("{'Item':{'a':{'N':'1'},'pk':{'S':'k'},'sk':{'N':'1'}}}")));
    }
};

QTEST_GUILESS_MAIN(TestLegacyParameters)
#include "tst_legacy_parameters.moc"
