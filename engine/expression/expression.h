#pragma once
// The DynamoDB expression language: key conditions, condition and filter expressions,
// projections and update expressions, with ExpressionAttributeNames/Values and DynamoDB's
// checks (undefined or unused names and values, reserved words, syntax errors naming the
// offending token). Parsed expressions are immutable values, safe to share across threads.

#include "engine/attribute_value.h"
#include "engine/status.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::expr {

// One step of a document path: a.b[2].c
struct PathElement {
    bool isIndex = false;
    std::string name; // when !isIndex (already resolved from #names)
    std::size_t index = 0; // when isIndex
    bool operator==(const PathElement&) const = default;
};

struct Path {
    std::vector<PathElement> elements;
    // "a.b[2].c" (names as resolved, not as #placeholders).
    std::string toString() const;
    bool operator==(const Path&) const = default;
};

// Follows a path into an item. Returns nullptr when any step is missing or of the wrong type.
const AttributeValue* resolvePath(const Item& item, const Path& path);

// ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by all of
// its expressions, remembering which entries the expressions used.
class ExpressionAttributes {
public:
    ExpressionAttributes() = default;
    ExpressionAttributes(std::map<std::string, std::string> names, Item values);

    bool hasNames() const { return m_hasNames; }
    bool hasValues() const { return m_hasValues; }
    void setNames(std::map<std::string, std::string> names);
    void setValues(Item values);

    // Resolves "#n"; error "An expression attribute name used in the document path is not
    // defined; attribute name: #n".
    Result<std::string> name(const std::string& placeholder);
    // Resolves ":v"; error "An expression attribute value used in expression is not defined;
    // attribute value: :v".
    Result<AttributeValue> value(const std::string& placeholder);

    // After all of a request's expressions are parsed: ValidationException when a name or value
    // was supplied but not used ("Value provided in ExpressionAttributeNames unused in
    // expressions: keys: {#a, #b}"), or when names/values were supplied with no expression at all.
    Status checkAllUsed() const;

    // Called by the parse functions for each expression of the request (empty ones included),
    // so checkAllUsed can tell "unused" from "no expression at all".
    void noteExpression() { ++m_expressionCount; }

private:
    bool m_hasNames = false;
    bool m_hasValues = false;
    std::map<std::string, std::string> m_names;
    Item m_values;
    std::map<std::string, bool> m_usedNames;
    std::map<std::string, bool> m_usedValues;
    int m_expressionCount = 0;
};

struct ConditionNode;

// A parsed ConditionExpression or FilterExpression.
class Condition {
public:
    // Evaluates against an item; an empty item stands for "no item". Type mismatches make a
    // comparison false, never an error (DynamoDB's semantics).
    bool evaluate(const Item& item) const;
    // Top-level attribute names the condition refers to (for index/key checks).
    std::vector<std::string> topLevelNames() const;

    std::shared_ptr<const ConditionNode> root;
};

// `parameter` is the request parameter name used in messages, e.g. "ConditionExpression" or
// "FilterExpression": "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"a = = b\"".
Result<Condition> parseCondition(std::string_view text, ExpressionAttributes& attributes,
    std::string_view parameter = "ConditionExpression");

// A parsed ProjectionExpression.
class Projection {
public:
    // The item reduced to the projected paths (nested paths keep their containers; list
    // indexes keep the selected elements in order). A path that does not resolve is omitted.
    Item apply(const Item& item) const;
    std::vector<Path> paths;
};

Result<Projection> parseProjection(std::string_view text, ExpressionAttributes& attributes);

struct UpdateNode;

// A parsed UpdateExpression (SET, REMOVE, ADD, DELETE clauses).
class Update {
public:
    // Applies the update to `item` in place (an empty item is a new item). Errors are
    // ValidationExceptions as DynamoDB words them ("The provided expression refers to an
    // attribute that does not exist in the item", "An operand in the update expression has an
    // incorrect data type", "The document path provided in the update expression is invalid
    // for update"). On error `item` may be partially modified: apply to a copy. `itemExists`
    // false: `item` holds only the key of a missing item (REMOVE then removes nothing).
    Status apply(Item& item, bool itemExists = true) const;
    // Every path the update writes or removes (for "Cannot update attribute X. This attribute
    // is part of the key").
    std::vector<Path> targetPaths() const;
    // True when every action is a REMOVE: on a missing item such an update creates nothing.
    bool onlyRemoves() const;

    std::shared_ptr<const UpdateNode> root;
};

Result<Update> parseUpdate(std::string_view text, ExpressionAttributes& attributes);

// A parsed KeyConditionExpression for a table or index key schema.
struct KeyCondition {
    enum class SortOp { None, Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
    AttributeValue partitionValue;
    SortOp sortOp = SortOp::None;
    AttributeValue sortValue1;
    AttributeValue sortValue2; // Between's upper bound

    // True when `sortKey` satisfies the sort-key condition (always true for SortOp::None).
    bool matchesSortKey(const AttributeValue& sortKey) const;
};

// Parses "pk = :v [AND sk op :w]" against the key schema; checks that the partition key has an
// equality condition, that only key attributes appear, and the value types (ValidationException
// "Query condition missed key schema element: pk", "Query key condition not supported", ...).
Result<KeyCondition> parseKeyCondition(std::string_view text, ExpressionAttributes& attributes,
    const std::string& partitionKeyName, AttrType partitionKeyType, const std::optional<std::string>& sortKeyName,
    AttrType sortKeyType);

} // namespace capsim::expr
