#include "engine/expression/expression.h"
#include "engine/expression/reserved_words.h"
#include "engine/json_codec.h"

#include <boost/json.hpp>

#include <QtTest>

using namespace capsim;
using namespace capsim::expr;

namespace {

Item itemOf(const QString& json)
{
    if (json.isEmpty())
        return {};
    auto item = itemFromJson(boost::json::parse(json.toStdString()), "Item");
    if (!item.isOk())
        qFatal("bad test item %s: %s", qPrintable(json), item.status().message().c_str());
    return *item;
}

AttributeValue valueOf(const QString& json)
{
    auto value = attributeValueFromJson(boost::json::parse(json.toStdString()), "Value");
    if (!value.isOk())
        qFatal("bad test value %s: %s", qPrintable(json), value.status().message().c_str());
    return *value;
}

std::map<std::string, std::string> namesOf(const QString& json)
{
    std::map<std::string, std::string> names;
    const boost::json::value parsed = boost::json::parse(json.toStdString());
    for (const auto& [key, value] : parsed.as_object())
        names[std::string(key)] = std::string(value.as_string());
    return names;
}

QString render(const Item& item)
{
    return QString::fromStdString(boost::json::serialize(itemToJson(item)));
}

// One set of ExpressionAttributeNames/Values shared by the evaluation tables, so each row only
// states its expression.
const char* const kNames = R"({"#m": "m", "#k": "k", "#st": "status", "#p": "pk", "#s": "sk"})";
const char* const kValues = R"({
    ":hello": {"S": "hello"}, ":he": {"S": "he"}, ":ell": {"S": "ell"}, ":x": {"S": "x"}, ":a": {"S": "a"},
    ":z": {"S": "z"}, ":on": {"S": "on"}, ":s10": {"S": "10"}, ":abc": {"S": "abc"}, ":pre": {"S": "ab"},
    ":p": {"S": "p1"},
    ":n0": {"N": "0"}, ":n1": {"N": "1"}, ":n2": {"N": "2"}, ":n3": {"N": "3"}, ":n5": {"N": "5"},
    ":n7": {"N": "7"}, ":n9": {"N": "9"}, ":n10": {"N": "10"}, ":n20": {"N": "20"}, ":n30": {"N": "30"},
    ":big": {"N": "9E+125"},
    ":b01": {"B": "AQ=="}, ":bff": {"B": "/w=="},
    ":t": {"BOOL": true}, ":null": {"NULL": true},
    ":typeN": {"S": "N"}, ":typeS": {"S": "S"}, ":typeNULL": {"S": "NULL"}, ":typeSS": {"S": "SS"},
    ":typeBogus": {"S": "STRING"},
    ":ss": {"SS": ["a"]}, ":ssA": {"SS": ["a"]}, ":ssAB": {"SS": ["b", "a"]}, ":ssXY": {"SS": ["y", "x"]},
    ":ns3": {"NS": ["3"]},
    ":listX": {"L": [{"S": "x"}]}, ":list7": {"L": [{"N": "7"}]},
    ":deep": {"M": {"x": {"N": "1"}}}
})";

ExpressionAttributes sharedAttributes()
{
    return ExpressionAttributes(namesOf(kNames), itemOf(kValues));
}

const char* const kConditionItem = R"({
    "s": {"S": "hello"}, "n": {"N": "10"}, "b": {"B": "AQID"}, "t": {"BOOL": true}, "z": {"NULL": true},
    "l": {"L": [{"S": "x"}, {"N": "2"}, {"L": [{"N": "7"}]}]},
    "m": {"M": {"k": {"S": "v"}, "deep": {"M": {"x": {"N": "1"}}}}},
    "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ=="]},
    "u": {"S": "é"}, "status": {"S": "on"}
})";

// Checks a failed parse: a ValidationException whose message contains `part`.
void verifyError(const Status& status, const QString& part)
{
    QVERIFY2(!status.isOk(), "expected an error");
    QCOMPARE(QString::fromStdString(status.type()), QString(error::kValidation));
    const QString message = QString::fromStdString(status.message());
    QVERIFY2(message.contains(part), qPrintable("message: " + message + "\nwanted: " + part));
}

QString repeated(const QString& operand, int count)
{
    QStringList parts;
    for (int i = 0; i < count; ++i)
        parts << operand;
    return parts.join(", ");
}

} // namespace

class TestExpression : public QObject {
    Q_OBJECT
private slots:
    void condition_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("expected");
        // Comparators on matching and mismatching types.
        QTest::addRow("S =") << "s = :hello" << true;
        QTest::addRow("S = other") << "s = :he" << false;
        QTest::addRow("S <>") << "s <> :he" << true;
        QTest::addRow("S <> same") << "s <> :hello" << false;
        QTest::addRow("N =") << "n = :n10" << true;
        QTest::addRow("N = S is false") << "n = :s10" << false;
        QTest::addRow("N <> S is true") << "n <> :s10" << true;
        QTest::addRow("missing = is false") << "gone = :n10" << false;
        QTest::addRow("missing <> is true") << "gone <> :n10" << true;
        QTest::addRow("N <") << "n < :n20" << true;
        QTest::addRow("N <=") << "n <= :n10" << true;
        QTest::addRow("N >") << "n > :n5" << true;
        QTest::addRow("N >= false") << "n >= :n20" << false;
        QTest::addRow("N numeric not textual") << "n > :n9" << true;
        QTest::addRow("N < S is false") << "n < :s10" << false;
        QTest::addRow("N > S is false") << "n > :s10" << false;
        QTest::addRow("S bytes unsigned") << "u > :z" << true;
        QTest::addRow("S <") << "s < :x" << true;
        QTest::addRow("B bytes unsigned") << "b < :bff" << true;
        QTest::addRow("B > prefix") << "b > :b01" << true;
        QTest::addRow("BOOL =") << "t = :t" << true;
        QTest::addRow("NULL =") << "z = :null" << true;
        QTest::addRow("M =") << "m.deep = :deep" << true;
        QTest::addRow("L =") << "l[2] = :list7" << true;
        QTest::addRow("SS = ignores order") << "ss = :ssAB" << true;
        QTest::addRow("values both sides") << ":hello = :hello" << true;
        QTest::addRow("path both sides") << "s > u" << false;
        // BETWEEN and IN.
        QTest::addRow("BETWEEN inside") << "n BETWEEN :n5 AND :n20" << true;
        QTest::addRow("BETWEEN inclusive") << "n BETWEEN :n10 AND :n10" << true;
        QTest::addRow("BETWEEN outside") << "n BETWEEN :n20 AND :n30" << false;
        QTest::addRow("BETWEEN S") << "s BETWEEN :a AND :z" << true;
        QTest::addRow("BETWEEN type mismatch") << "n BETWEEN :a AND :z" << false;
        QTest::addRow("IN hit") << "n IN (:n5, :n10)" << true;
        QTest::addRow("IN miss") << "n IN (:n5, :n20)" << false;
        QTest::addRow("IN mixed types") << "s IN (:n10, :hello)" << true;
        QTest::addRow("IN 100 operands") << "n IN (" + repeated(":n5", 99) + ", :n10)" << true;
        QTest::addRow("IN missing attribute") << "gone IN (:n5)" << false;
        // Logic, precedence and parentheses.
        QTest::addRow("AND") << "s = :hello AND n = :n5" << false;
        QTest::addRow("OR") << "s = :hello OR n = :n5" << true;
        QTest::addRow("NOT") << "NOT s = :hello" << false;
        QTest::addRow("NOT NOT") << "NOT NOT s = :hello" << true;
        QTest::addRow("fifty NOTs") << QString("NOT ").repeated(50) + "s = :hello" << true;
        QTest::addRow("keywords any case") << "s = :hello and not n = :n5 Or n = :n5" << true;
        QTest::addRow("AND binds tighter than OR") << "s = :hello OR s = :he AND n = :n5" << true;
        QTest::addRow("AND binds tighter than OR, right") << "n = :n5 AND s = :he OR s = :hello" << true;
        QTest::addRow("parentheses override") << "(s = :hello OR s = :he) AND n = :n5" << false;
        QTest::addRow("NOT binds tighter than AND") << "NOT s = :he AND n = :n5" << false;
        QTest::addRow("NOT over parentheses") << "NOT (s = :he AND n = :n5)" << true;
        QTest::addRow("parenthesised operands") << "(n) BETWEEN (:n5) AND (:n20)" << true;
        QTest::addRow("no spaces") << "(n)=(:n10)AND(s)<>(:he)" << true;
        // Functions.
        QTest::addRow("attribute_exists") << "attribute_exists(s)" << true;
        QTest::addRow("attribute_exists missing") << "attribute_exists(gone)" << false;
        QTest::addRow("attribute_exists nested") << "attribute_exists(m.k)" << true;
        QTest::addRow("attribute_exists nested missing") << "attribute_exists(m.nope)" << false;
        QTest::addRow("attribute_exists index") << "attribute_exists(l[2][0])" << true;
        QTest::addRow("attribute_exists index past end") << "attribute_exists(l[3])" << false;
        QTest::addRow("attribute_exists through a scalar") << "attribute_exists(s.x)" << false;
        QTest::addRow("attribute_not_exists") << "attribute_not_exists(gone)" << true;
        QTest::addRow("attribute_not_exists present") << "attribute_not_exists(s)" << false;
        QTest::addRow("attribute_type N") << "attribute_type(n, :typeN)" << true;
        QTest::addRow("attribute_type wrong") << "attribute_type(n, :typeS)" << false;
        QTest::addRow("attribute_type NULL") << "attribute_type(z, :typeNULL)" << true;
        QTest::addRow("attribute_type SS") << "attribute_type(ss, :typeSS)" << true;
        QTest::addRow("attribute_type missing") << "attribute_type(gone, :typeS)" << false;
        // Issue 8: attribute_type's first operand may be a :value.
        QTest::addRow("attribute_type of a value") << "attribute_type(:n5, :typeN)" << true;
        QTest::addRow("attribute_type of a value, wrong") << "attribute_type(:n5, :typeS)" << false;
        // Issue 8: 32 levels are allowed.
        QTest::addRow("32-level path") << "a" + QString(".b").repeated(31) + " = :n5" << false;
        QTest::addRow("begins_with") << "begins_with(s, :he)" << true;
        QTest::addRow("begins_with whole") << "begins_with(s, :hello)" << true;
        QTest::addRow("begins_with no") << "begins_with(s, :x)" << false;
        QTest::addRow("begins_with on N") << "begins_with(n, :he)" << false;
        QTest::addRow("begins_with B") << "begins_with(b, :b01)" << true;
        QTest::addRow("begins_with B vs S") << "begins_with(b, :he)" << false;
        QTest::addRow("contains substring") << "contains(s, :ell)" << true;
        QTest::addRow("contains substring no") << "contains(s, :x)" << false;
        QTest::addRow("contains SS") << "contains(ss, :a)" << true;
        QTest::addRow("contains SS no") << "contains(ss, :x)" << false;
        QTest::addRow("contains NS") << "contains(ns, :n2)" << true;
        QTest::addRow("contains NS wrong type") << "contains(ns, :s10)" << false;
        QTest::addRow("contains BS") << "contains(bs, :b01)" << true;
        QTest::addRow("contains L S") << "contains(l, :x)" << true;
        QTest::addRow("contains L N") << "contains(l, :n2)" << true;
        QTest::addRow("contains L no") << "contains(l, :hello)" << false;
        QTest::addRow("contains on N") << "contains(n, :n10)" << false;
        QTest::addRow("size S") << "size(s) = :n5" << true;
        QTest::addRow("size S counts UTF-8 bytes") << "size(u) = :n2" << true;
        QTest::addRow("size B") << "size(b) = :n3" << true;
        QTest::addRow("size L") << "size(l) = :n3" << true;
        QTest::addRow("size M") << "size(m) = :n2" << true;
        QTest::addRow("size SS") << "size(ss) = :n2" << true;
        QTest::addRow("size N has none") << "size(n) = :n2" << false;
        QTest::addRow("size missing") << "size(gone) < :n10" << false;
        QTest::addRow("size vs size") << "size(s) > size(ss)" << true;
        QTest::addRow("size BETWEEN") << "size(l) BETWEEN :n2 AND :n3" << true;
        QTest::addRow("function names are case sensitive, attribute names are not functions")
            << "attribute_exists(contains)" << false;
        // Paths and placeholders.
        QTest::addRow("nested map") << "m.deep.x = :n1" << true;
        QTest::addRow("list index") << "l[1] = :n2" << true;
        QTest::addRow("nested index") << "l[2][0] = :n7" << true;
        QTest::addRow("index on a map") << "m[0] = :n1" << false;
        QTest::addRow("name placeholders in a path") << "#m.#k = :x OR #m.#k <> :x" << true;
        QTest::addRow("reserved word through a placeholder") << "#st = :on" << true;
    }
    void condition()
    {
        QFETCH(QString, expression);
        QFETCH(bool, expected);
        auto attributes = sharedAttributes();
        auto condition = parseCondition(expression.toStdString(), attributes);
        QVERIFY2(condition.isOk(), condition.status().message().c_str());
        QCOMPARE(condition->evaluate(itemOf(kConditionItem)), expected);
    }

    void conditionOnNoItem_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("expected");
        QTest::addRow("attribute_not_exists") << "attribute_not_exists(s)" << true;
        QTest::addRow("attribute_exists") << "attribute_exists(s)" << false;
        QTest::addRow("=") << "s = :hello" << false;
        QTest::addRow("<>") << "s <> :hello" << true;
        QTest::addRow("NOT =") << "NOT s = :hello" << true;
    }
    void conditionOnNoItem()
    {
        QFETCH(QString, expression);
        QFETCH(bool, expected);
        auto attributes = sharedAttributes();
        auto condition = parseCondition(expression.toStdString(), attributes);
        QVERIFY2(condition.isOk(), condition.status().message().c_str());
        QCOMPARE(condition->evaluate(Item {}), expected);
    }

    void conditionError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("messagePart");
        const QString c = "ConditionExpression";
        QTest::addRow("empty") << "" << c << "Invalid ConditionExpression: The expression can not be empty;";
        QTest::addRow("blank") << "   " << c << "Invalid ConditionExpression: The expression can not be empty;";
        QTest::addRow("empty filter") << ""
                                      << "FilterExpression"
                                      << "Invalid FilterExpression: The expression can not be empty;";
        QTest::addRow("double =") << "a = = b" << c
                                  << "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = b\"";
        QTest::addRow("dangling comparator") << "a >" << c << "Syntax error; token: \"<EOF>\", near: \">\"";
        QTest::addRow("number literal") << "a > 4" << c << "Syntax error; token: \"4\", near: \"> 4\"";
        QTest::addRow("dash in a name") << "book-price = :n5" << c
                                        << "Syntax error; token: \"-\", near: \"book-price\"";
        QTest::addRow("IN without parentheses") << "a IN :n5" << c << "Syntax error; token: \":n5\", near: \"IN :n5\"";
        QTest::addRow("BETWEEN without AND")
            << "a BETWEEN :n5 :n20" << c << "Syntax error; token: \":n20\", near: \":n5 :n20\"";
        QTest::addRow("unclosed parenthesis") << "(a = :n5" << c << "Syntax error; token: \"<EOF>\", near: \":n5\"";
        QTest::addRow("extra parenthesis") << "a = :n5)" << c << "Syntax error; token: \")\", near: \":n5)\"";
        QTest::addRow("dangling AND") << "a = :n5 AND" << c << "Syntax error; token: \"<EOF>\", near: \"AND\"";
        QTest::addRow("not ASCII") << "ü = :n5" << c << "Syntax error; token: \"ü\", near: \"ü =\"";
        QTest::addRow("index not a number")
            << "attribute_exists(a[x])" << c << "Syntax error; token: \"x\", near: \"[x]\"";
        QTest::addRow("bare path") << "s" << c << "Syntax error; token: \"<EOF>\", near: \"s\"";
        QTest::addRow("operand in AND") << "s AND n = :n5" << c << "Syntax error; token: \"AND\", near: \"s AND n\"";
        QTest::addRow("keyword as a path") << "a > between" << c << "Syntax error; token: \"between\"";
        QTest::addRow("syntax before reserved word") << "status = = :n5" << c << "Syntax error; token: \"=\"";
        QTest::addRow("reserved word") << "status = :on" << c
                                       << "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
                                          "keyword: status";
        QTest::addRow("reserved word nested") << "m.Size = :n5" << c << "reserved keyword: Size";
        QTest::addRow("reserved word before undefined value") << "status = :nope" << c << "reserved keyword: status";
        QTest::addRow("undefined name") << "#nope = :n5" << c
                                        << "Invalid ConditionExpression: An expression attribute name used in the "
                                           "document path is not defined; attribute name: #nope";
        QTest::addRow("undefined value") << "a = :nope" << c
                                         << "Invalid ConditionExpression: An expression attribute value used in "
                                            "expression is not defined; attribute value: :nope";
        QTest::addRow("< on BOOL") << "a < :t" << c
                                   << "Invalid ConditionExpression: Incorrect operand type for operator or function; "
                                      "operator or function: <, operand type: BOOL";
        QTest::addRow(">= on SS") << "a >= :ss" << c << "operator or function: >=, operand type: SS";
        QTest::addRow("> on NULL") << ":null > a" << c << "operator or function: >, operand type: NULL";
        QTest::addRow("BETWEEN on BOOL") << "a BETWEEN :t AND :n5" << c
                                         << "operator or function: BETWEEN, operand type: BOOL";
        QTest::addRow("BETWEEN reversed bounds")
            << "a BETWEEN :n20 AND :n5" << c
            << "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound "
               "operand: AttributeValue: {N:20}, upper bound operand: AttributeValue: {N:5}";
        QTest::addRow("BETWEEN mixed bounds")
            << "a BETWEEN :n5 AND :hello" << c
            << "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "
               "AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:hello}";
        QTest::addRow("begins_with N") << "begins_with(a, :n5)" << c
                                       << "operator or function: begins_with, operand type: N";
        QTest::addRow("begins_with size")
            << "begins_with(a, size(b))" << c << "operator or function: begins_with, operand type: N";
        QTest::addRow("attribute_type N")
            << "attribute_type(a, :n5)" << c << "operator or function: attribute_type, operand type: N";
        // Issue 8: the type must be a :value, `_` starts no name, paths nest at most 32 levels.
        QTest::addRow("attribute_type with a path type")
            << "attribute_type(a, b)" << c << "operator or function: attribute_type, operand type: PATH";
        QTest::addRow("underscore name") << "_abc = :n5" << c << "Syntax error; token: \"_\", near: \"_abc\"";
        QTest::addRow("underscore function") << "_f(a)" << c << "Syntax error; token: \"_\", near: \"_f\"";
        QTest::addRow("33-level path") << "a" + QString(".b").repeated(32) + " = :n5" << c
                                       << "Invalid ConditionExpression: The document path has too many nesting "
                                          "levels; nesting levels: 33";
        QTest::addRow("attribute_type bad name")
            << "attribute_type(a, :typeBogus)" << c
            << "Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}";
        QTest::addRow("attribute_exists of a value")
            << "attribute_exists(:n5)" << c
            << "Operator or function requires a document path; operator or function: attribute_exists";
        QTest::addRow("size as a condition")
            << "size(a)" << c << "The function is not allowed to be used this way in an expression; function: size";
        QTest::addRow("function as an operand")
            << "attribute_exists(a) = :t" << c
            << "The function is not allowed to be used this way in an expression; function: attribute_exists";
        QTest::addRow("function on the right")
            << "a = attribute_exists(b)" << c
            << "The function is not allowed to be used this way in an expression; function: attribute_exists";
        QTest::addRow("update function in a condition")
            << "a = if_not_exists(a, :n5)" << c
            << "The function is not allowed to be used this way in an expression; function: if_not_exists";
        QTest::addRow("size of BOOL") << "size(:t) > :n5" << c << "operator or function: size, operand type: BOOL";
        QTest::addRow("too many operands")
            << "attribute_exists(a, b)" << c
            << "Incorrect number of operands for operator or function; operator or function: attribute_exists, number "
               "of operands: 2";
        QTest::addRow("too few operands")
            << "begins_with(a)" << c << "operator or function: begins_with, number of operands: 1";
        QTest::addRow("function names are case sensitive")
            << "Attribute_Exists(a)" << c << "Invalid function name; function: Attribute_Exists";
        QTest::addRow("unknown function") << "whatever(a) = :n5" << c << "Invalid function name; function: whatever";
        QTest::addRow("same path twice")
            << "a = a" << c
            << "The first operand must be distinct from the remaining operands for this operator or function; "
               "operator: =, first operand: [a]";
        QTest::addRow("redundant parentheses")
            << "((a = :n5))" << c << "Invalid ConditionExpression: The expression has redundant parentheses;";
        QTest::addRow("redundant operand parentheses") << "a = ((:n5))" << c << "redundant parentheses;";
        QTest::addRow("over 4 KB") << "a = :n5" + QString(" ").repeated(4090) << c
                                   << "Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
                                      "size; expression size: 4097";
        QTest::addRow("nesting too deep") << QString("(").repeated(2000) + "a = :n5" + QString(")").repeated(2000) << c
                                          << "Syntax error; token: \"(\"";
        QTest::addRow("IN over 100 operands") << "a IN (" + repeated(":n5", 101)
                + ")" << c << "The IN operator is provided with too many operands; number of operands: 101";
    }
    void conditionError()
    {
        QFETCH(QString, expression);
        QFETCH(QString, parameter);
        QFETCH(QString, messagePart);
        auto attributes = sharedAttributes();
        auto condition = parseCondition(expression.toStdString(), attributes, parameter.toStdString());
        verifyError(condition.status(), messagePart);
    }

    void topLevelNames()
    {
        auto attributes = sharedAttributes();
        auto condition = parseCondition("#m.#k = :x AND (size(l[0]) > :n1 OR contains(ss, s))", attributes);
        QVERIFY2(condition.isOk(), condition.status().message().c_str());
        auto names = condition->topLevelNames();
        std::sort(names.begin(), names.end());
        QCOMPARE(names, (std::vector<std::string> { "l", "m", "s", "ss" }));
    }

    void update_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addRow("SET new") << "SET a = :n5"
                                 << ""
                                 << R"({"a": {"N": "5"}})";
        QTest::addRow("SET replaces") << "SET a = :hello"
                                      << R"({"a": {"N": "1"}})"
                                      << R"({"a": {"S": "hello"}})";
        QTest::addRow("SET +") << "SET n = n + :n5"
                               << R"({"n": {"N": "10"}})"
                               << R"({"n": {"N": "15"}})";
        QTest::addRow("SET -") << "SET n = n - :n20"
                               << R"({"n": {"N": "10"}})"
                               << R"({"n": {"N": "-10"}})";
        QTest::addRow("SET value + value") << "SET n = :n5 + :n20"
                                           << ""
                                           << R"({"n": {"N": "25"}})";
        QTest::addRow("SET path + path") << "SET c = a + b"
                                         << R"({"a": {"N": "1.5"}, "b": {"N": "2"}})"
                                         << R"({"a": {"N": "1.5"}, "b": {"N": "2"}, "c": {"N": "3.5"}})";
        QTest::addRow("if_not_exists missing") << "SET c = if_not_exists(c, :n5)"
                                               << ""
                                               << R"({"c": {"N": "5"}})";
        QTest::addRow("if_not_exists present") << "SET c = if_not_exists(c, :n5)"
                                               << R"({"c": {"N": "1"}})"
                                               << R"({"c": {"N": "1"}})";
        QTest::addRow("counter from nothing") << "SET c = if_not_exists(c, :n0) + :n1"
                                              << ""
                                              << R"({"c": {"N": "1"}})";
        QTest::addRow("counter existing") << "SET c = if_not_exists(c, :n0) + :n1"
                                          << R"({"c": {"N": "41"}})"
                                          << R"({"c": {"N": "42"}})";
        QTest::addRow("list_append end") << "SET l = list_append(l, :listX)"
                                         << R"({"l": {"L": [{"S": "a"}]}})"
                                         << R"({"l": {"L": [{"S": "a"}, {"S": "x"}]}})";
        QTest::addRow("list_append start") << "SET l = list_append(:listX, l)"
                                           << R"({"l": {"L": [{"S": "a"}]}})"
                                           << R"({"l": {"L": [{"S": "x"}, {"S": "a"}]}})";
        QTest::addRow("list_append if_not_exists") << "SET l = list_append(if_not_exists(l, :listX), :list7)"
                                                   << ""
                                                   << R"({"l": {"L": [{"S": "x"}, {"N": "7"}]}})";
        QTest::addRow("SET list element") << "SET l[1] = :x"
                                          << R"({"l": {"L": [{"S": "a"}, {"S": "b"}]}})"
                                          << R"({"l": {"L": [{"S": "a"}, {"S": "x"}]}})";
        QTest::addRow("SET past the end appends") << "SET l[10] = :x"
                                                  << R"({"l": {"L": [{"S": "a"}, {"S": "b"}]}})"
                                                  << R"({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "x"}]}})";
        QTest::addRow("SET map key") << "SET m.y = :n5"
                                     << R"({"m": {"M": {}}})"
                                     << R"({"m": {"M": {"y": {"N": "5"}}}})";
        QTest::addRow("SET nested list in map") << "SET #m.l[0] = :x"
                                                << R"({"m": {"M": {"l": {"L": [{"S": "a"}]}}}})"
                                                << R"({"m": {"M": {"l": {"L": [{"S": "x"}]}}}})";
        QTest::addRow("SET reads the old item") << "SET a = b, b = a"
                                                << R"({"a": {"N": "1"}, "b": {"N": "2"}})"
                                                << R"({"a": {"N": "2"}, "b": {"N": "1"}})";
        QTest::addRow("SET copies a nested value") << "SET c = m.k"
                                                   << R"({"m": {"M": {"k": {"S": "v"}}}})"
                                                   << R"({"c": {"S": "v"}, "m": {"M": {"k": {"S": "v"}}}})";
        QTest::addRow("SET reserved word through a placeholder") << "SET #st = :on"
                                                                 << ""
                                                                 << R"({"status": {"S": "on"}})";
        QTest::addRow("REMOVE") << "REMOVE a"
                                << R"({"a": {"N": "1"}, "b": {"N": "2"}})"
                                << R"({"b": {"N": "2"}})";
        QTest::addRow("REMOVE gone") << "REMOVE gone"
                                     << R"({"b": {"N": "2"}})"
                                     << R"({"b": {"N": "2"}})";
        QTest::addRow("REMOVE list element shifts")
            << "REMOVE l[1]"
            << R"({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]}})"
            << R"({"l": {"L": [{"S": "a"}, {"S": "c"}, {"S": "d"}]}})";
        QTest::addRow("REMOVE two elements by original index")
            << "REMOVE l[1], l[2]"
            << R"({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]}})"
            << R"({"l": {"L": [{"S": "a"}, {"S": "d"}]}})";
        QTest::addRow("REMOVE past the end") << "REMOVE l[10]"
                                             << R"({"l": {"L": [{"S": "a"}]}})"
                                             << R"({"l": {"L": [{"S": "a"}]}})";
        QTest::addRow("REMOVE map key") << "REMOVE m.x"
                                        << R"({"m": {"M": {"x": {"N": "1"}}}})"
                                        << R"({"m": {"M": {}}})";
        QTest::addRow("ADD number") << "ADD n :n5"
                                    << R"({"n": {"N": "10"}})"
                                    << R"({"n": {"N": "15"}})";
        QTest::addRow("ADD number to missing") << "ADD n :n5"
                                               << ""
                                               << R"({"n": {"N": "5"}})";
        QTest::addRow("ADD nested number") << "ADD m.x :n5"
                                           << R"({"m": {"M": {"x": {"N": "1"}}}})"
                                           << R"({"m": {"M": {"x": {"N": "6"}}}})";
        QTest::addRow("ADD set") << "ADD ss :ssXY"
                                 << R"({"ss": {"SS": ["a", "b"]}})"
                                 << R"({"ss": {"SS": ["a", "b", "x", "y"]}})";
        QTest::addRow("ADD set overlapping") << "ADD ss :ssAB"
                                             << R"({"ss": {"SS": ["a", "c"]}})"
                                             << R"({"ss": {"SS": ["a", "b", "c"]}})";
        QTest::addRow("ADD set to missing") << "ADD ss :ssXY"
                                            << ""
                                            << R"({"ss": {"SS": ["x", "y"]}})";
        QTest::addRow("ADD NS") << "ADD ns :ns3"
                                << R"({"ns": {"NS": ["1"]}})"
                                << R"({"ns": {"NS": ["1", "3"]}})";
        QTest::addRow("DELETE from set") << "DELETE ss :ssA"
                                         << R"({"ss": {"SS": ["a", "b"]}})"
                                         << R"({"ss": {"SS": ["b"]}})";
        QTest::addRow("DELETE empties the set") << "DELETE ss :ssAB"
                                                << R"({"ss": {"SS": ["a", "b"]}, "k": {"N": "1"}})"
                                                << R"({"k": {"N": "1"}})";
        QTest::addRow("DELETE absent elements") << "DELETE ss :ssXY"
                                                << R"({"ss": {"SS": ["a"]}})"
                                                << R"({"ss": {"SS": ["a"]}})";
        QTest::addRow("DELETE from missing") << "DELETE ss :ssA"
                                             << R"({"k": {"N": "1"}})"
                                             << R"({"k": {"N": "1"}})";
        QTest::addRow("all four clauses") << "SET a = :n5 REMOVE b ADD n :n1 DELETE ss :ssA"
                                          << R"({"b": {"N": "2"}, "n": {"N": "1"}, "ss": {"SS": ["a", "b"]}})"
                                          << R"({"a": {"N": "5"}, "n": {"N": "2"}, "ss": {"SS": ["b"]}})";
        QTest::addRow("clauses in any order and case") << "remove b set a = :n5, c = :n1"
                                                       << R"({"b": {"N": "2"}})"
                                                       << R"({"a": {"N": "5"}, "c": {"N": "1"}})";
        // Issue 8: elements set past the end of a list append in index order.
        QTest::addRow("SET past the end in index order")
            << "SET l[84] = :a, l[37] = :x, l[17] = :z, l[0] = :n1"
            << R"({"l": {"L": [{"S": "one"}, {"S": "two"}]}})"
            << R"({"l": {"L": [{"N": "1"}, {"S": "two"}, {"S": "z"}, {"S": "x"}, {"S": "a"}]}})";
        QTest::addRow("SET past the end of two lists")
            << "SET l[9] = :a, m.l[5] = :x, l[3] = :z, m.l[2] = :a"
            << R"({"l": {"L": []}, "m": {"M": {"l": {"L": []}}}})"
            << R"({"l": {"L": [{"S": "z"}, {"S": "a"}]}, "m": {"M": {"l": {"L": [{"S": "a"}, {"S": "x"}]}}}})";
    }
    void update()
    {
        QFETCH(QString, expression);
        QFETCH(QString, before);
        QFETCH(QString, after);
        auto attributes = sharedAttributes();
        auto update = parseUpdate(expression.toStdString(), attributes);
        QVERIFY2(update.isOk(), update.status().message().c_str());
        Item item = itemOf(before);
        auto status = update->apply(item);
        QVERIFY2(status.isOk(), status.message().c_str());
        QCOMPARE(render(item), render(itemOf(after)));
    }

    void updateParseError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("empty") << ""
                               << "Invalid UpdateExpression: The expression can not be empty;";
        QTest::addRow("SET twice")
            << "SET a = :n5 SET b = :n5"
            << "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
               "expression;";
        QTest::addRow("REMOVE twice") << "REMOVE a SET b = :n5 remove c"
                                      << "The \"REMOVE\" section can only be used once";
        QTest::addRow("no value") << "SET a"
                                  << "Syntax error; token: \"<EOF>\", near: \"a\"";
        QTest::addRow("no clause") << "whatever"
                                   << "Syntax error; token: \"whatever\", near: \"whatever\"";
        QTest::addRow("multiplication") << "SET a = b * c"
                                        << "Syntax error; token: \"*\", near: \"b * c\"";
        QTest::addRow("two additions") << "SET a = b + c + d"
                                       << "Syntax error; token: \"+\", near: \"c + d\"";
        QTest::addRow("ADD a path") << "ADD a b"
                                    << "Syntax error; token: \"b\", near: \"a b\"";
        QTest::addRow("REMOVE with a value") << "REMOVE a = b"
                                             << "Syntax error; token: \"=\"";
        QTest::addRow("SET a value") << "SET :n5 = a"
                                     << "Syntax error; token: \":n5\"";
        QTest::addRow("dash in a name") << "SET book-price = :n5"
                                        << "Syntax error; token: \"-\", near: \"book-price\"";
        QTest::addRow("reserved word") << "SET status = :on"
                                       << "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
                                          "keyword: status";
        QTest::addRow("undefined name") << "SET #nope = :n5"
                                        << "attribute name: #nope";
        QTest::addRow("undefined value") << "SET a = :nope"
                                         << "attribute value: :nope";
        QTest::addRow("same path twice") << "SET a = :n5, a = :n1"
                                         << "Two document paths overlap with each other; must remove or rewrite one of "
                                            "these paths; path one: [a], path two: [a]";
        QTest::addRow("parent and child")
            << "SET a.b = :n5 REMOVE a"
            << "Two document paths overlap with each other; must remove or rewrite one of "
               "these paths; path one: [a, b], path two: [a]";
        QTest::addRow("index and key") << "SET a[1] = :n5 REMOVE a.b"
                                       << "Two document paths conflict with each other; must remove or rewrite one of "
                                          "these paths; path one: [a, [1]], path two: [a, b]";
        QTest::addRow("+ on S") << "SET a = a + :hello"
                                << "Incorrect operand type for operator or function; operator or function: +, operand "
                                   "type: S";
        QTest::addRow("- on L") << "SET a = :listX - a"
                                << "operator or function: -, operand type: L";
        QTest::addRow("list_append N") << "SET a = list_append(a, :n5)"
                                       << "operator or function: list_append, operand type: N";
        QTest::addRow("ADD S")
            << "ADD a :hello"
            << "Incorrect operand type for operator or function; operator: ADD, operand type: STRING";
        QTest::addRow("ADD L") << "ADD a :listX"
                               << "operator: ADD, operand type: LIST";
        QTest::addRow("DELETE N") << "DELETE a :n5"
                                  << "operator: DELETE, operand type: NUMBER";
        QTest::addRow("if_not_exists of a value")
            << "SET a = if_not_exists(:n5, a)"
            << "Operator or function requires a document path; operator or function: if_not_exists";
        QTest::addRow("if_not_exists arity")
            << "SET a = if_not_exists(a)"
            << "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of "
               "operands: 1";
        QTest::addRow("condition function") << "SET a = size(b)"
                                            << "The function is not allowed in an update expression; function: size";
        QTest::addRow("unknown function") << "SET a = if_not_exist(a, :n5)"
                                          << "Invalid function name; function: if_not_exist";
        // Issue 8: DynamoDB's lexer starts no name with `_`; list_append does not nest.
        QTest::addRow("underscore name") << "SET _123 = :n5"
                                         << "Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\"";
        QTest::addRow("underscore function") << "SET a = _f(a, :n5)"
                                             << "Syntax error; token: \"_\", near: \"= _f\"";
        QTest::addRow("nested list_append")
            << "SET a = list_append(list_append(:listX, :listX), :listX)"
            << "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; "
               "function: list_append";
    }
    void updateParseError()
    {
        QFETCH(QString, expression);
        QFETCH(QString, messagePart);
        auto attributes = sharedAttributes();
        auto update = parseUpdate(expression.toStdString(), attributes);
        verifyError(update.status(), messagePart);
    }

    void updateApplyError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("messagePart");
        const QString missing = "The provided expression refers to an attribute that does not exist in the item";
        const QString badType = "An operand in the update expression has an incorrect data type";
        const QString badPath = "The document path provided in the update expression is invalid for update";
        QTest::addRow("missing operand") << "SET a = b"
                                         << "" << missing;
        QTest::addRow("missing operand in +") << "SET a = b + :n1"
                                              << "" << missing;
        QTest::addRow("missing list_append operand") << "SET a = list_append(b, :listX)"
                                                     << "" << missing;
        QTest::addRow("+ on S") << "SET a = s + :n5"
                                << R"({"s": {"S": "x"}})" << badType;
        QTest::addRow("list_append on S") << "SET a = list_append(s, :listX)"
                                          << R"({"s": {"S": "x"}})" << badType;
        QTest::addRow("nested under missing") << "SET m.a = :n5"
                                              << "" << badPath;
        QTest::addRow("nested under a scalar") << "SET s.a = :n5"
                                               << R"({"s": {"S": "x"}})" << badPath;
        QTest::addRow("key into a list") << "SET l.a = :n5"
                                         << R"({"l": {"L": []}})" << badPath;
        QTest::addRow("index into a map") << "SET m[0] = :n5"
                                          << R"({"m": {"M": {}}})" << badPath;
        QTest::addRow("REMOVE under missing") << "REMOVE m.a"
                                              << R"({"s": {"S": "x"}})" << badPath;
        QTest::addRow("ADD under missing") << "ADD m.a :n1"
                                           << "" << badPath;
        QTest::addRow("ADD N to S") << "ADD s :n5"
                                    << R"({"s": {"S": "x"}})" << badType;
        QTest::addRow("ADD NS to SS") << "ADD ss :ns3"
                                      << R"({"ss": {"SS": ["a"]}})" << badType;
        QTest::addRow("DELETE NS from SS") << "DELETE ss :ns3"
                                           << R"({"ss": {"SS": ["a"]}})" << badType;
        QTest::addRow("DELETE from a number") << "DELETE n :ns3"
                                              << R"({"n": {"N": "1"}})" << badType;
        QTest::addRow("overflow") << "SET n = n + :big"
                                  << R"({"n": {"N": "9E+125"}})"
                                  << "Number overflow";
    }
    void updateApplyError()
    {
        QFETCH(QString, expression);
        QFETCH(QString, before);
        QFETCH(QString, messagePart);
        auto attributes = sharedAttributes();
        auto update = parseUpdate(expression.toStdString(), attributes);
        QVERIFY2(update.isOk(), update.status().message().c_str());
        Item item = itemOf(before);
        verifyError(update->apply(item), messagePart);
    }

    // Issue 8: REMOVE on a missing item removes nothing and is no error, even under a missing
    // parent; an update of only REMOVEs says so, for the engine to create nothing.
    void updateOnMissingItem()
    {
        auto attributes = sharedAttributes();
        auto update = parseUpdate("REMOVE m.a, l[0], s", attributes);
        QVERIFY2(update.isOk(), update.status().message().c_str());
        QVERIFY(update->onlyRemoves());
        Item key = itemOf(R"({"pk": {"S": "k"}})");
        QVERIFY(update->apply(key, false).isOk());
        QCOMPARE(render(key), render(itemOf(R"({"pk": {"S": "k"}})")));
        auto attributes2 = sharedAttributes();
        auto mixed = parseUpdate("REMOVE s SET a = :n5", attributes2);
        QVERIFY(mixed.isOk());
        QVERIFY(!mixed->onlyRemoves());
    }

    void updateTargetPaths()
    {
        auto attributes = sharedAttributes();
        auto update = parseUpdate("SET a.b[2] = :n1, #st = :n5 REMOVE c ADD d :n1 DELETE e :ssA", attributes);
        QVERIFY2(update.isOk(), update.status().message().c_str());
        QStringList paths;
        for (const auto& path : update->targetPaths())
            paths << QString::fromStdString(path.toString());
        QCOMPARE(paths, (QStringList { "a.b[2]", "status", "c", "d", "e" }));
    }

    void projection_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");
        QTest::addRow("one") << "s"
                             << R"({"s": {"S": "hello"}})";
        QTest::addRow("two") << "s, n"
                             << R"({"s": {"S": "hello"}, "n": {"N": "10"}})";
        QTest::addRow("nested key") << "m.k"
                                    << R"({"m": {"M": {"k": {"S": "v"}}}})";
        QTest::addRow("two nested keys") << "m.deep.x, #m.#k"
                                         << R"({"m": {"M": {"k": {"S": "v"}, "deep": {"M": {"x": {"N": "1"}}}}}})";
        QTest::addRow("list elements in order") << "l[2], l[0]"
                                                << R"({"l": {"L": [{"S": "x"}, {"L": [{"N": "7"}]}]}})";
        QTest::addRow("nested list element") << "l[2][0]"
                                             << R"({"l": {"L": [{"L": [{"N": "7"}]}]}})";
        QTest::addRow("missing dropped") << "gone, s"
                                         << R"({"s": {"S": "hello"}})";
        QTest::addRow("missing nested key") << "m.nope"
                                            << "{}";
        QTest::addRow("through a scalar") << "s.x"
                                          << "{}";
        QTest::addRow("index past the end") << "l[5]"
                                            << "{}";
        QTest::addRow("reserved word through a placeholder") << "#st"
                                                             << R"({"status": {"S": "on"}})";
    }
    void projection()
    {
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        auto attributes = sharedAttributes();
        auto projection = parseProjection(expression.toStdString(), attributes);
        QVERIFY2(projection.isOk(), projection.status().message().c_str());
        QCOMPARE(render(projection->apply(itemOf(kConditionItem))), render(itemOf(expected)));
    }

    void projectionError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("empty") << ""
                               << "Invalid ProjectionExpression: The expression can not be empty;";
        QTest::addRow("overlap") << "a, a.b"
                                 << "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                                    "remove or rewrite one of these paths; path one: [a], path two: [a, b]";
        QTest::addRow("duplicate") << "a, b, a"
                                   << "path one: [a], path two: [a]";
        QTest::addRow("conflict") << "a.b, a[1]"
                                  << "Two document paths conflict with each other; must remove or rewrite one of these "
                                     "paths; path one: [a, b], path two: [a, [1]]";
        QTest::addRow("trailing comma") << "a,"
                                        << "Syntax error; token: \"<EOF>\", near: \",\"";
        QTest::addRow("missing comma") << "a b"
                                       << "Syntax error; token: \"b\", near: \"a b\"";
        QTest::addRow("reserved word") << "name"
                                       << "reserved keyword: name";
        QTest::addRow("33 levels") << "a" + QString(".b").repeated(32)
                                   << "Invalid ProjectionExpression: The document path has too many nesting levels; "
                                      "nesting levels: 33";
        QTest::addRow("undefined name") << "#nope"
                                        << "attribute name: #nope";
    }
    void projectionError()
    {
        QFETCH(QString, expression);
        QFETCH(QString, messagePart);
        auto attributes = sharedAttributes();
        auto projection = parseProjection(expression.toStdString(), attributes);
        verifyError(projection.status(), messagePart);
    }

    void keyCondition_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("sortKeyType");
        QTest::addColumn<QString>("sortKey");
        QTest::addColumn<bool>("matches");
        QTest::addRow("partition only") << "pk = :p"
                                        << "N"
                                        << R"({"N": "5"})" << true;
        QTest::addRow("= hit") << "pk = :p AND sk = :n5"
                               << "N"
                               << R"({"N": "5"})" << true;
        QTest::addRow("= miss") << "pk = :p AND sk = :n5"
                                << "N"
                                << R"({"N": "6"})" << false;
        QTest::addRow("either order") << "sk = :n5 AND pk = :p"
                                      << "N"
                                      << R"({"N": "5"})" << true;
        QTest::addRow("<") << "pk = :p AND sk < :n10"
                           << "N"
                           << R"({"N": "5"})" << true;
        QTest::addRow("< bound") << "pk = :p AND sk < :n10"
                                 << "N"
                                 << R"({"N": "10"})" << false;
        QTest::addRow("< numeric") << "pk = :p AND sk < :n10"
                                   << "N"
                                   << R"({"N": "9"})" << true;
        QTest::addRow("<=") << "pk = :p AND sk <= :n10"
                            << "N"
                            << R"({"N": "10"})" << true;
        QTest::addRow(">") << "pk = :p AND sk > :n10"
                           << "N"
                           << R"({"N": "20"})" << true;
        QTest::addRow("> bound") << "pk = :p AND sk > :n10"
                                 << "N"
                                 << R"({"N": "10"})" << false;
        QTest::addRow(">=") << "pk = :p AND sk >= :n10"
                            << "N"
                            << R"({"N": "10"})" << true;
        QTest::addRow("value on the left") << "pk = :p AND :n10 > sk"
                                           << "N"
                                           << R"({"N": "5"})" << true;
        QTest::addRow("BETWEEN") << "pk = :p AND sk BETWEEN :n5 AND :n10"
                                 << "N"
                                 << R"({"N": "10"})" << true;
        QTest::addRow("BETWEEN outside") << "pk = :p AND sk BETWEEN :n5 AND :n10"
                                         << "N"
                                         << R"({"N": "11"})" << false;
        QTest::addRow("begins_with") << "pk = :p AND begins_with(sk, :pre)"
                                     << "S"
                                     << R"({"S": "abc"})" << true;
        QTest::addRow("begins_with shorter") << "pk = :p AND begins_with(sk, :pre)"
                                             << "S"
                                             << R"({"S": "a"})" << false;
        QTest::addRow("begins_with other") << "pk = :p AND begins_with(sk, :pre)"
                                           << "S"
                                           << R"({"S": "b"})" << false;
        QTest::addRow("begins_with B") << "pk = :p AND begins_with(sk, :b01)"
                                       << "B"
                                       << R"({"B": "AQID"})" << true;
        QTest::addRow("S unsigned bytes") << "pk = :p AND sk > :abc"
                                          << "S"
                                          << R"({"S": "é"})" << true;
        QTest::addRow("B unsigned bytes") << "pk = :p AND sk < :bff"
                                          << "B"
                                          << R"({"B": "AQID"})" << true;
        QTest::addRow("placeholders") << "#p = :p AND #s = :n5"
                                      << "N"
                                      << R"({"N": "5"})" << true;
        QTest::addRow("lower case and") << "pk = :p and sk = :n5"
                                        << "N"
                                        << R"({"N": "5"})" << true;
    }
    void keyCondition()
    {
        QFETCH(QString, expression);
        QFETCH(QString, sortKeyType);
        QFETCH(QString, sortKey);
        QFETCH(bool, matches);
        AttrType skType;
        QVERIFY(parseAttrTypeName(sortKeyType.toStdString(), skType));
        auto attributes = sharedAttributes();
        auto condition = parseKeyCondition(expression.toStdString(), attributes, "pk", AttrType::S, "sk", skType);
        QVERIFY2(condition.isOk(), condition.status().message().c_str());
        QVERIFY(condition->partitionValue == AttributeValue::string("p1"));
        QCOMPARE(condition->matchesSortKey(valueOf(sortKey)), matches);
    }

    void keyConditionError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("empty") << ""
                               << "Invalid KeyConditionExpression: The expression can not be empty;";
        QTest::addRow("syntax") << "pk == :p"
                                << "Invalid KeyConditionExpression: Syntax error; token: \"=\"";
        QTest::addRow("no partition key") << "sk = :n5"
                                          << "Query condition missed key schema element: pk";
        QTest::addRow("OR") << "pk = :p OR sk = :n5"
                            << "Invalid operator used in KeyConditionExpression: OR";
        QTest::addRow("NOT") << "NOT pk = :p"
                             << "Invalid operator used in KeyConditionExpression: NOT";
        QTest::addRow("IN") << "pk IN (:p)"
                            << "Invalid operator used in KeyConditionExpression: IN";
        QTest::addRow("<>") << "pk <> :p"
                            << "Invalid operator used in KeyConditionExpression: <>";
        QTest::addRow("attribute_exists") << "pk = :p AND attribute_exists(sk)"
                                          << "Invalid operator used in KeyConditionExpression: attribute_exists";
        QTest::addRow("partition type") << "pk = :n5"
                                        << "One or more parameter values were invalid: Condition parameter type does "
                                           "not match schema type";
        QTest::addRow("sort type") << "pk = :p AND sk = :pre"
                                   << "Condition parameter type does not match schema type";
        QTest::addRow("BETWEEN reversed")
            << "pk = :p AND sk BETWEEN :n10 AND :n5"
            << "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal "
               "to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:5}";
        QTest::addRow("three conditions") << "pk = :p AND sk > :n5 AND sk < :n20"
                                          << "Conditions can be of length 1 or 2 only";
        QTest::addRow("two on one key") << "pk = :p AND pk = :p"
                                        << "KeyConditionExpressions must only contain one condition per key";
        QTest::addRow("partition range") << "pk > :p"
                                         << "Query key condition not supported";
        QTest::addRow("non-key attribute") << "pk = :p AND price = :n5"
                                           << "Query condition missed key schema element: sk";
        QTest::addRow("nested attribute") << "pk = :p AND sk.x = :n5"
                                          << "KeyConditionExpressions cannot have conditions on nested attributes";
        QTest::addRow("size") << "pk = :p AND size(sk) = :n5"
                              << "KeyConditionExpressions cannot contain nested operations";
        QTest::addRow("begins_with N") << "pk = :p AND begins_with(sk, :n5)"
                                       << "operator or function: begins_with, operand type: N";
        QTest::addRow("two attributes")
            << "pk = :p AND sk = price"
            << "Invalid condition in KeyConditionExpression: Multiple attribute names used in "
               "one condition";
        QTest::addRow("no attribute") << "pk = :p AND :n5 = :n10"
                                      << "Invalid condition in KeyConditionExpression: No key attribute specified";
        QTest::addRow("BETWEEN key not first")
            << "pk = :p AND :n5 BETWEEN sk AND :n10"
            << "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first "
               "operand";
        QTest::addRow("undefined value") << "pk = :nope"
                                         << "attribute value: :nope";
    }
    void keyConditionError()
    {
        QFETCH(QString, expression);
        QFETCH(QString, messagePart);
        auto attributes = sharedAttributes();
        auto condition = parseKeyCondition(expression.toStdString(), attributes, "pk", AttrType::S, "sk", AttrType::N);
        verifyError(condition.status(), messagePart);
    }

    void keyConditionWithoutSortKey()
    {
        auto attributes = sharedAttributes();
        auto ok = parseKeyCondition("pk = :p", attributes, "pk", AttrType::S, std::nullopt, AttrType::S);
        QVERIFY2(ok.isOk(), ok.status().message().c_str());
        QVERIFY(ok->sortOp == KeyCondition::SortOp::None);
        auto extra
            = parseKeyCondition("pk = :p AND sk = :n5", attributes, "pk", AttrType::S, std::nullopt, AttrType::S);
        verifyError(extra.status(), "Query key condition not supported");
    }

    void attributeUsage_data()
    {
        QTest::addColumn<QString>("names");
        QTest::addColumn<QString>("values");
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QString>("update");
        QTest::addColumn<QString>("messagePart");
        const QString none = "-";
        QTest::addRow("all used") << R"({"#a": "a"})"
                                  << R"({":v": {"N": "1"}})"
                                  << "#a = :v" << none << "";
        QTest::addRow("used across expressions") << R"({"#a": "a", "#b": "b"})"
                                                 << R"({":v": {"N": "1"}})"
                                                 << "#a = :v"
                                                 << "REMOVE #b"
                                                 << "";
        QTest::addRow("unused names") << R"({"#a": "a", "#b": "b", "#c": "c"})"
                                      << R"({":v": {"N": "1"}})"
                                      << "#b = :v" << none
                                      << "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, "
                                         "#c}";
        QTest::addRow("unused values")
            << none << R"({":v": {"N": "1"}, ":w": {"N": "2"}})"
            << "a = :v" << none << "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}";
        QTest::addRow("names without an expression") << R"({"#a": "a"})" << none << none << none
                                                     << "ExpressionAttributeNames can only be specified when using "
                                                        "expressions";
        QTest::addRow("values without an expression") << none << R"({":v": {"N": "1"}})" << none << none
                                                      << "ExpressionAttributeValues can only be specified when using "
                                                         "expressions";
        QTest::addRow("empty names") << "{}" << none << "a = b" << none << "ExpressionAttributeNames must not be empty";
        QTest::addRow("empty values") << none << "{}"
                                      << "a = b" << none << "ExpressionAttributeValues must not be empty";
        QTest::addRow("bad name key") << R"({"a": "a"})" << none << "a = b" << none
                                      << "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"";
        QTest::addRow("bad value key") << none << R"({"v": {"N": "1"}})"
                                       << "a = b" << none
                                       << "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"";
    }
    void attributeUsage()
    {
        QFETCH(QString, names);
        QFETCH(QString, values);
        QFETCH(QString, condition);
        QFETCH(QString, update);
        QFETCH(QString, messagePart);
        ExpressionAttributes attributes;
        if (names != "-")
            attributes.setNames(namesOf(names));
        if (values != "-")
            attributes.setValues(itemOf(values));
        if (condition != "-")
            QVERIFY(parseCondition(condition.toStdString(), attributes).isOk());
        if (update != "-")
            QVERIFY(parseUpdate(update.toStdString(), attributes).isOk());
        auto status = attributes.checkAllUsed();
        if (messagePart.isEmpty())
            QVERIFY2(status.isOk(), status.message().c_str());
        else
            verifyError(status, messagePart);
    }

    void reservedWords_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<bool>("reserved");
        QTest::addRow("status") << "status" << true;
        QTest::addRow("STATUS") << "STATUS" << true;
        QTest::addRow("Name") << "Name" << true;
        QTest::addRow("first") << "ABORT" << true;
        QTest::addRow("last") << "zone" << true;
        QTest::addRow("ttl") << "ttl" << true;
        QTest::addRow("not reserved") << "price" << false;
        QTest::addRow("REMOVE is not reserved") << "remove" << false;
        QTest::addRow("prefix of a word") << "statu" << false;
    }
    void reservedWords()
    {
        QFETCH(QString, word);
        QFETCH(bool, reserved);
        QCOMPARE(isReservedWord(word.toStdString()), reserved);
    }

    void pathToString()
    {
        auto attributes = sharedAttributes();
        auto projection = parseProjection("a.b[2].c, #m[0][1]", attributes);
        QVERIFY2(projection.isOk(), projection.status().message().c_str());
        QCOMPARE(QString::fromStdString(projection->paths[0].toString()), QString("a.b[2].c"));
        QCOMPARE(QString::fromStdString(projection->paths[1].toString()), QString("m[0][1]"));
    }
};

QTEST_GUILESS_MAIN(TestExpression)
#include "tst_expression.moc"
