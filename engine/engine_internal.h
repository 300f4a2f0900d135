#pragma once
// Helpers the engine's source files share (control plane, write path, reads, transactions):
// DynamoDB's common error messages, expression attributes, key validation and storage keys.
// Internal to capsim_engine; pure functions.

#include "engine/expression/expression.h"
#include "engine/item_size.h"
#include "engine/operations.h"
#include "engine/sqlite/item_store.h"
#include "engine/table.h"

#include <map>
#include <optional>
#include <string>

namespace capsim::engine_internal {

// Table names: 3-255 characters of [a-zA-Z0-9_.-]; the ValidationException for another.
bool validTableName(const std::string& name);
Status invalidTableName(const std::string& name);
// ResourceNotFoundException for an unknown table (ValidationException for an invalid name).
Status tableNotFound(const std::string& name);
// ValidationException "One or more parameter values were invalid: <what>".
Status invalidParameter(const std::string& what);
Status conditionFailed();

// The ExpressionAttributeNames and ExpressionAttributeValues of a request; empty maps are refused.
Result<expr::ExpressionAttributes> makeAttributes(const ExpressionInput& input);

// The projection of a GetItem, a BatchGetItem table entry or a TransactGetItems action: parses
// it with its ExpressionAttributeNames and checks that every name was used.
Result<std::optional<expr::Projection>> parseReadProjection(
    const std::optional<std::map<std::string, std::string>>& names, const std::optional<std::string>& projection);

Status validateKeyAttribute(const KeyElement& element, const AttributeValue& value, bool isPartitionKey);
// Checks that `item` holds the table's key attributes with the right types. With `exact`, the
// item must be a key and nothing else (the Key parameter of Get/Update/Delete).
Status validateKey(const KeySchema& schema, const Item& item, bool exact);

// The storage key of an item (which holds the schema's key attributes).
StoredKey storedKeyOf(const KeySchema& schema, const Item& item);
// The key attributes of an item.
Item keyOf(const KeySchema& schema, const Item& item);
// The key attributes of a stored row, decoded from its storage key.
Item keyFromRow(const KeySchema& schema, const StoredRow& row);

// The item stored under a key, as a write finds it: whether it exists, its size, and, when the
// caller needs the old image (indexes to maintain, WriteChange subscribers), the item itself.
struct StoredItem {
    bool existed = false;
    std::int64_t sizeBytes = 0;
    std::optional<Item> image;
    const Item* imageOrNull() const { return image ? &*image : nullptr; }
};
Status readStoredItem(ItemStore& store, std::int64_t tableId, const StoredKey& key, bool wantImage, StoredItem& out);

Consistency consistencyOf(bool consistentRead);

} // namespace capsim::engine_internal
