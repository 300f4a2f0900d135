#pragma once
// DynamoDB's legacy request parameters (AttributesToGet, AttributeUpdates, Expected,
// KeyConditions, QueryFilter, ScanFilter, ConditionalOperator), translated into the expression
// forms the engine runs, so that results, errors and metering are those of the expression form
// by construction. Internal to capsim_engine; used by the handlers of engine/wire/.

#include "engine/wire/fields.h"

#include <initializer_list>
#include <optional>
#include <string>

namespace capsim::wire {

// Builds the text of expressions from legacy parameters, with placeholders of its own for every
// attribute name and value (so reserved words and dots in names need no care). Placeholders
// avoid those already in `existing` (a request may keep ExpressionAttributeNames/Values beside
// KeyConditions). One per request.
class LegacyTranslator {
public:
    explicit LegacyTranslator(const ExpressionInput& existing)
        : m_input(existing)
    {
    }

    // Returns ValidationException when the request mixes a legacy parameter present in `legacy`
    // with an expression parameter present in `expressions` (DynamoDB's message, listing both).
    static Status checkMixing(
        Fields& f, std::initializer_list<const char*> legacy, std::initializer_list<const char*> expressions);

    // AttributesToGet -> ProjectionExpression. Empty when the field is absent.
    std::optional<std::string> projection(Fields& f, const char* field = "AttributesToGet");
    // AttributesToGet of a BatchGetItem entry (`f` reads the entry, `path` names it in errors).
    std::optional<std::string> projectionAt(Fields& f, const std::string& path);
    // Expected + ConditionalOperator -> ConditionExpression. Empty when Expected is absent.
    std::optional<std::string> condition(Fields& f);
    // QueryFilter or ScanFilter (`field`) + ConditionalOperator -> FilterExpression.
    std::optional<std::string> filter(Fields& f, const char* field);
    // KeyConditions -> KeyConditionExpression.
    std::optional<std::string> keyCondition(Fields& f);
    // AttributeUpdates -> UpdateExpression (empty for an empty map: the item is only created).
    std::optional<std::string> update(Fields& f);

    // The names and values the expressions use (with those of `existing`).
    const ExpressionInput& input() const { return m_input; }

private:
    std::string name(const std::string& attribute);
    std::string value(const AttributeValue& v);
    // One ComparisonOperator condition on `attribute`; `path` names it in errors.
    Result<std::string> comparison(const std::string& attribute, const std::string& op,
        const std::vector<AttributeValue>& args, const std::string& path, bool keyCondition = false);
    // The conditions of a map of Condition objects (QueryFilter, ScanFilter, KeyConditions).
    Result<std::vector<std::string>> conditions(const json::value& map, const char* field, bool keyCondition);
    // Joins conditions with ConditionalOperator (AND unless OR), checking its use.
    std::optional<std::string> joined(Fields& f, std::vector<std::string> parts, bool given);

    ExpressionInput m_input;
    int m_next = 0;
};

} // namespace capsim::wire
