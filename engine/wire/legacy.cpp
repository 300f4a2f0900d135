#include "engine/wire/legacy.h"

#include "engine/expression/ast.h"
#include "engine/json_codec.h"

#include <algorithm>
#include <array>
#include <set>

namespace capsim::wire {

namespace {

constexpr const char* kInvalid = "One or more parameter values were invalid: ";

Status invalidAt(const std::string& message, const std::string& path)
{
    return Status::validation(message + " (at " + path + ")");
}

bool present(Fields& f, const char* name)
{
    return f.find(name) != nullptr;
}

std::string joinList(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

// The types each ComparisonOperator accepts in AttributeValueList, and how many values it takes
// (the developer guide's "Legacy conditional parameters", Condition: ComparisonOperator).
struct OperatorRule {
    std::string_view name;
    std::size_t minValues;
    std::size_t maxValues;
    std::initializer_list<AttrType> types; // empty: any type
    bool indexable; // allowed in KeyConditions
};

constexpr AttrType kS = AttrType::S, kN = AttrType::N, kB = AttrType::B;

const std::array<OperatorRule, 13> kOperators { {
    { "EQ", 1, 1, {}, true },
    { "NE", 1, 1, {}, false },
    { "LE", 1, 1, { kS, kN, kB }, true },
    { "LT", 1, 1, { kS, kN, kB }, true },
    { "GE", 1, 1, { kS, kN, kB }, true },
    { "GT", 1, 1, { kS, kN, kB }, true },
    { "NOT_NULL", 0, 0, {}, false },
    { "NULL", 0, 0, {}, false },
    { "CONTAINS", 1, 1, { kS, kN, kB }, false },
    { "NOT_CONTAINS", 1, 1, { kS, kN, kB }, false },
    { "BEGINS_WITH", 1, 1, { kS, kB }, true },
    { "IN", 1, SIZE_MAX, { kS, kN, kB }, false },
    { "BETWEEN", 2, 2, { kS, kN, kB }, true },
} };

const OperatorRule* operatorRule(std::string_view name)
{
    for (const auto& rule : kOperators)
        if (rule.name == name)
            return &rule;
    return nullptr;
}

std::string operatorNames()
{
    std::string out;
    for (const auto& rule : kOperators)
        out += (out.empty() ? "" : ", ") + std::string(rule.name);
    return out;
}

// `Value` or the elements of `AttributeValueList` of a legacy condition object.
Result<std::vector<AttributeValue>> valueList(const json::object& o, const std::string& path)
{
    std::vector<AttributeValue> out;
    const auto* list = o.if_contains("AttributeValueList");
    if (!list || list->is_null())
        return out;
    if (!list->is_array())
        return Fields::typeError(*list, "List", path + ".AttributeValueList");
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        auto v = attributeValueFromJson(list->get_array()[i], path + ".AttributeValueList[" + std::to_string(i) + "]");
        if (!v)
            return v.status();
        out.push_back(std::move(v).value());
    }
    return out;
}

} // namespace

Status LegacyTranslator::checkMixing(
    Fields& f, std::initializer_list<const char*> legacy, std::initializer_list<const char*> expressions)
{
    std::vector<std::string> legacyGiven, expressionGiven;
    for (const char* name : expressions)
        if (present(f, name))
            expressionGiven.emplace_back(name);
    for (const char* name : legacy) {
        // KeyConditions may go with FilterExpression or ProjectionExpression as long as
        // KeyConditionExpression is absent (DynamoDB accepts that combination).
        if (std::string_view(name) == "KeyConditions" && !present(f, "KeyConditionExpression"))
            continue;
        if (present(f, name))
            legacyGiven.emplace_back(name);
    }
    if (!legacyGiven.empty() && !expressionGiven.empty())
        return Status::validation("Can not use both expression and non-expression parameters in the same request: "
                                  "Non-expression parameters: {"
            + joinList(legacyGiven) + "} Expression parameters: {" + joinList(expressionGiven) + "}");
    bool anyLegacy = false;
    for (const char* name : legacy)
        anyLegacy = anyLegacy || present(f, name);
    if (anyLegacy && expressionGiven.empty()) {
        if (present(f, "ExpressionAttributeNames"))
            return Status::validation("ExpressionAttributeNames can only be specified when using expressions");
        if (present(f, "ExpressionAttributeValues"))
            return Status::validation("ExpressionAttributeValues can only be specified when using expressions");
    }
    return Status::ok();
}

std::string LegacyTranslator::name(const std::string& attribute)
{
    for (;;) {
        std::string placeholder = "#legacy" + std::to_string(m_next++);
        if (!m_input.names)
            m_input.names.emplace();
        if (m_input.names->count(placeholder))
            continue;
        m_input.names->emplace(placeholder, attribute);
        return placeholder;
    }
}

std::string LegacyTranslator::value(const AttributeValue& v)
{
    for (;;) {
        std::string placeholder = ":legacy" + std::to_string(m_next++);
        if (!m_input.values)
            m_input.values.emplace();
        if (m_input.values->count(placeholder))
            continue;
        m_input.values->emplace(placeholder, v);
        return placeholder;
    }
}

std::optional<std::string> LegacyTranslator::projection(Fields& f, const char* field)
{
    return projectionAt(f, field);
}

std::optional<std::string> LegacyTranslator::projectionAt(Fields& f, const std::string& path)
{
    const auto* list = f.find("AttributesToGet");
    if (!list)
        return std::nullopt;
    if (!list->is_array()) {
        f.fail(Fields::typeError(*list, "List", path));
        return std::nullopt;
    }
    if (list->get_array().empty()) {
        f.fail(Status::validation("1 validation error detected: Value '[]' at '" + lowerFirst(path)
            + "' failed to satisfy constraint: Member must have length greater than or equal to 1"));
        return std::nullopt;
    }
    std::set<std::string> seen;
    std::string out;
    for (const auto& entry : list->get_array()) {
        if (!entry.is_string()) {
            f.fail(Fields::typeError(entry, "String", path));
            return std::nullopt;
        }
        std::string attribute(entry.get_string());
        if (!seen.insert(attribute).second) {
            f.fail(invalidAt(std::string(kInvalid) + "Duplicate value in attribute name: " + attribute, path));
            return std::nullopt;
        }
        out += (out.empty() ? "" : ", ") + name(attribute);
    }
    return out;
}

Result<std::string> LegacyTranslator::comparison(const std::string& attribute, const std::string& op,
    const std::vector<AttributeValue>& args, const std::string& path, bool keyCondition)
{
    const OperatorRule* rule = operatorRule(op);
    if (!rule)
        return Status::validation("1 validation error detected: Value '" + op + "' at '" + lowerFirst(path)
            + ".comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: ["
            + operatorNames() + "]");
    if (keyCondition && !rule->indexable)
        return invalidAt("Attempted conditional constraint is not an indexable operation", path);
    if (args.size() < rule->minValues || args.size() > rule->maxValues)
        return invalidAt(
            std::string(kInvalid) + "Invalid number of argument(s) for the " + op + " ComparisonOperator", path);
    for (const auto& arg : args) {
        if (arg.type() != args.front().type())
            return invalidAt(
                std::string(kInvalid) + "AttributeValues inside AttributeValueList must be of same type", path);
        if (rule->types.size() != 0
            && std::find(rule->types.begin(), rule->types.end(), arg.type()) == rule->types.end())
            return invalidAt(std::string(kInvalid) + "ComparisonOperator " + op + " is not valid for "
                    + attrTypeName(arg.type()) + " AttributeValue type",
                path);
    }
    if (op == "BETWEEN" && expr::compareScalars(args[0], args[1]).value_or(0) > 0)
        return invalidAt("The BETWEEN condition was provided a range where the lower bound is greater than the "
                         "upper bound",
            path);

    const std::string a = name(attribute);
    auto v = [&](std::size_t i) { return value(args[i]); };
    if (op == "EQ")
        return a + " = " + v(0);
    if (op == "NE")
        return a + " <> " + v(0);
    if (op == "LE")
        return a + " <= " + v(0);
    if (op == "LT")
        return a + " < " + v(0);
    if (op == "GE")
        return a + " >= " + v(0);
    if (op == "GT")
        return a + " > " + v(0);
    if (op == "NOT_NULL")
        return "attribute_exists(" + a + ")";
    if (op == "NULL")
        return "attribute_not_exists(" + a + ")";
    if (op == "CONTAINS")
        return "contains(" + a + ", " + v(0) + ")";
    // NOT_CONTAINS is false for a missing attribute, where NOT contains(...) would be true.
    // joined() puts each condition in parentheses (DynamoDB refuses redundant ones).
    if (op == "NOT_CONTAINS")
        return "attribute_exists(" + a + ") AND NOT contains(" + a + ", " + v(0) + ")";
    if (op == "BEGINS_WITH")
        return "begins_with(" + a + ", " + v(0) + ")";
    if (op == "BETWEEN") {
        std::string lower = v(0);
        return a + " BETWEEN " + lower + " AND " + v(1);
    }
    std::string list;
    for (std::size_t i = 0; i < args.size(); ++i)
        list += (i ? ", " : "") + v(i);
    return a + " IN (" + list + ")";
}

Result<std::vector<std::string>> LegacyTranslator::conditions(
    const json::value& map, const char* field, bool keyCondition)
{
    if (!map.is_object())
        return Fields::typeError(map, "Map", field);
    std::vector<std::string> parts;
    for (const auto& [key, entry] : map.get_object()) {
        const std::string attribute(key);
        const std::string path = std::string(field) + "." + attribute;
        if (!entry.is_object())
            return Fields::typeError(entry, "Condition", path);
        const auto& o = entry.get_object();
        const auto* op = o.if_contains("ComparisonOperator");
        if (!op || op->is_null())
            return Status::validation("1 validation error detected: Value null at '" + lowerFirst(path)
                + ".comparisonOperator' failed to satisfy constraint: Member must not be null");
        if (!op->is_string())
            return Fields::typeError(*op, "String", path + ".ComparisonOperator");
        auto args = valueList(o, path);
        if (!args)
            return args.status();
        auto part = comparison(attribute, std::string(op->get_string()), *args, path, keyCondition);
        if (!part)
            return part.status();
        parts.push_back(std::move(part).value());
    }
    return parts;
}

std::optional<std::string> LegacyTranslator::joined(Fields& f, std::vector<std::string> parts, bool given)
{
    const auto op = f.enumeration<bool>("ConditionalOperator", { { "AND", false }, { "OR", true } });
    if (!f.ok())
        return std::nullopt;
    if (op && !given) {
        f.fail(Status::validation("ConditionalOperator cannot be used without Filter or Expected"));
        return std::nullopt;
    }
    if (!given)
        return std::nullopt;
    if (op && parts.size() == 1) {
        f.fail(Status::validation(
            "ConditionalOperator can only be used when Filter or Expected has two or more elements"));
        return std::nullopt;
    }
    // An empty map is no condition at all.
    if (parts.empty())
        return std::nullopt;
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : (op.value_or(false) ? " OR " : " AND ")) + ("(" + part + ")");
    return out;
}

std::optional<std::string> LegacyTranslator::condition(Fields& f)
{
    const auto* expected = f.find("Expected");
    std::vector<std::string> parts;
    if (expected && !expected->is_object()) {
        f.fail(Fields::typeError(*expected, "Map", "Expected"));
        return std::nullopt;
    }
    if (expected) {
        for (const auto& [key, entry] : expected->get_object()) {
            const std::string attribute(key);
            const std::string path = "Expected." + attribute;
            const std::string forAttribute = " for Attribute: " + attribute;
            if (!entry.is_object()) {
                f.fail(Fields::typeError(entry, "ExpectedAttributeValue", path));
                return std::nullopt;
            }
            const auto& o = entry.get_object();
            auto given = [&](const char* member) {
                const auto* v = o.if_contains(member);
                return v && !v->is_null() ? v : nullptr;
            };
            const auto* op = given("ComparisonOperator");
            const auto* exists = given("Exists");
            const auto* value = given("Value");
            const auto* list = given("AttributeValueList");
            if (op && !op->is_string()) {
                f.fail(Fields::typeError(*op, "String", path + ".ComparisonOperator"));
                return std::nullopt;
            }
            if (exists && !exists->is_bool()) {
                f.fail(Fields::typeError(*exists, "Boolean", path + ".Exists"));
                return std::nullopt;
            }
            // The checks and their order are DynamoDB's (ExpectedAttributeValue).
            Status problem;
            if (exists && op)
                problem = Status::validation(
                    kInvalid + std::string("Exists and ComparisonOperator cannot be used together") + forAttribute);
            else if (value && list)
                problem = Status::validation(
                    kInvalid + std::string("Value and AttributeValueList cannot be used together") + forAttribute);
            else if (!op && list)
                problem = Status::validation(kInvalid
                    + std::string("AttributeValueList can only be used with a ComparisonOperator") + forAttribute);
            else if (exists && !exists->get_bool() && value)
                problem = Status::validation(
                    kInvalid + std::string("Value cannot be used when Exists is false") + forAttribute);
            else if (!value && !list) {
                if (op && op->get_string() != "NULL" && op->get_string() != "NOT_NULL")
                    problem = Status::validation(kInvalid
                        + std::string("Value or AttributeValueList must be used with ComparisonOperator: ")
                        + std::string(op->get_string()) + forAttribute);
                else if (!op && !exists)
                    problem = Status::validation(
                        kInvalid + std::string("Value must be provided when Exists is null") + forAttribute);
                else if (!op && exists->get_bool())
                    problem = Status::validation(
                        kInvalid + std::string("Value must be provided when Exists is true") + forAttribute);
            }
            if (!problem) {
                f.fail(problem);
                return std::nullopt;
            }
            std::vector<AttributeValue> args;
            if (value) {
                auto v = attributeValueFromJson(*value, path + ".Value");
                if (!v) {
                    f.fail(v.status());
                    return std::nullopt;
                }
                args.push_back(std::move(v).value());
            } else {
                auto values = valueList(o, path);
                if (!values) {
                    f.fail(values.status());
                    return std::nullopt;
                }
                args = std::move(values).value();
            }
            const std::string comparisonOperator = op ? std::string(op->get_string())
                : (exists && !exists->get_bool())     ? "NULL"
                                                      : "EQ";
            auto part = comparison(attribute, comparisonOperator, args, path);
            if (!part) {
                f.fail(part.status());
                return std::nullopt;
            }
            parts.push_back(std::move(part).value());
        }
    }
    return joined(f, std::move(parts), expected != nullptr);
}

std::optional<std::string> LegacyTranslator::filter(Fields& f, const char* field)
{
    const auto* map = f.find(field);
    std::vector<std::string> parts;
    if (map) {
        auto built = conditions(*map, field, false);
        if (!built) {
            f.fail(built.status());
            return std::nullopt;
        }
        parts = std::move(built).value();
    }
    return joined(f, std::move(parts), map != nullptr);
}

std::optional<std::string> LegacyTranslator::keyCondition(Fields& f)
{
    const auto* map = f.find("KeyConditions");
    if (!map)
        return std::nullopt;
    auto built = conditions(*map, "KeyConditions", true);
    if (!built) {
        f.fail(built.status());
        return std::nullopt;
    }
    std::string out;
    for (const auto& part : *built)
        out += (out.empty() ? "" : " AND ") + part;
    return out;
}

std::optional<std::string> LegacyTranslator::update(Fields& f)
{
    const auto* map = f.find("AttributeUpdates");
    if (!map)
        return std::nullopt;
    if (!map->is_object()) {
        f.fail(Fields::typeError(*map, "Map", "AttributeUpdates"));
        return std::nullopt;
    }
    std::vector<std::string> sets, removes, adds, deletes;
    for (const auto& [key, entry] : map->get_object()) {
        const std::string attribute(key);
        const std::string path = "AttributeUpdates." + attribute;
        if (!entry.is_object()) {
            f.fail(Fields::typeError(entry, "AttributeValueUpdate", path));
            return std::nullopt;
        }
        const auto& o = entry.get_object();
        std::string action = "PUT";
        if (const auto* a = o.if_contains("Action"); a && !a->is_null()) {
            if (!a->is_string()) {
                f.fail(Fields::typeError(*a, "String", path + ".Action"));
                return std::nullopt;
            }
            action = std::string(a->get_string());
            if (action != "PUT" && action != "ADD" && action != "DELETE") {
                f.fail(Status::validation("1 validation error detected: Value '" + action + "' at '" + lowerFirst(path)
                    + ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"));
                return std::nullopt;
            }
        }
        std::optional<AttributeValue> v;
        if (const auto* given = o.if_contains("Value"); given && !given->is_null()) {
            auto decoded = attributeValueFromJson(*given, path + ".Value");
            if (!decoded) {
                f.fail(decoded.status());
                return std::nullopt;
            }
            v = std::move(decoded).value();
        }
        // The rules of AttributeValueUpdate (developer guide, "AttributeUpdates (legacy)").
        if (!v && action != "DELETE") {
            f.fail(invalidAt(
                std::string(kInvalid) + "Only DELETE action is allowed when no attribute value is specified", path));
            return std::nullopt;
        }
        if (action == "DELETE" && v && !v->isSet()) {
            f.fail(invalidAt(std::string(kInvalid) + "DELETE action with value is not supported for the type "
                    + attrTypeName(v->type()),
                path));
            return std::nullopt;
        }
        if (action == "ADD" && !(v->isSet() || v->is(AttrType::N) || v->is(AttrType::L))) {
            f.fail(invalidAt(
                std::string(kInvalid) + "ADD action is not supported for the type " + attrTypeName(v->type()), path));
            return std::nullopt;
        }
        const std::string a = name(attribute);
        if (action == "PUT")
            sets.push_back(a + " = " + value(*v));
        else if (action == "DELETE" && !v)
            removes.push_back(a);
        else if (action == "DELETE")
            deletes.push_back(a + " " + value(*v));
        else if (v->is(AttrType::L)) {
            // Legacy ADD appends to a list (or starts one); the expression form is list_append.
            const std::string empty = value(AttributeValue::list({}));
            sets.push_back(a + " = list_append(if_not_exists(" + a + ", " + empty + "), " + value(*v) + ")");
        } else
            adds.push_back(a + " " + value(*v));
    }
    std::string out;
    auto clause = [&](const char* keyword, const std::vector<std::string>& parts) {
        if (parts.empty())
            return;
        out += (out.empty() ? "" : " ") + std::string(keyword) + " " + joinList(parts);
    };
    clause("SET", sets);
    clause("REMOVE", removes);
    clause("ADD", adds);
    clause("DELETE", deletes);
    if (out.empty())
        return std::nullopt;
    return out;
}

} // namespace capsim::wire
