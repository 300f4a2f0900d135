#pragma once
// Secondary index entries: which entry an item has in an index (sparse indexes, projections),
// its storage key and size, and the checks on index keys in written items and start keys.
// Internal to capsim_engine; pure functions. The upkeep itself (Engine::maintainIndexes,
// Engine::backfillIndex) is in write_path.cpp, the one place that writes to the item store.

#include "engine/attribute_value.h"
#include "engine/sqlite/item_store.h"
#include "engine/status.h"
#include "engine/table.h"

#include <optional>
#include <string>
#include <vector>

namespace capsim::engine_internal {

bool hasKeyOfType(const Item& item, const KeyElement& element);
// Storage key of the index entry of `item` (which holds the index key and the table key).
StoredKey indexStoredKey(const KeySchema& tableKey, const IndexState& index, const Item& item);
bool sameStoredKey(const StoredKey& a, const StoredKey& b);
// The key attributes of an index entry: the table's, then the index's not already among them.
std::vector<KeyElement> entryKeyElements(const KeySchema& tableKey, const IndexState& index);
// True when the index holds attribute `name` (keys of table and index always).
bool isProjected(const KeySchema& tableKey, const IndexState& index, const std::string& name);

struct IndexEntry {
    StoredKey key;
    Item item; // the projected item: keys of table and index always included
    std::int64_t sizeBytes = 0;
};

// The index entry an item has, if any: items lacking an index key attribute have none (sparse
// index). An entry's size counts each of its attributes once: the table key, the index key and
// the projected attributes (reference A1; storage adds 100 bytes like an item).
std::optional<IndexEntry> indexEntryOf(const KeySchema& tableKey, const IndexState& index, const Item& item);

// Index key attributes present in a written item must have the index's types and valid values;
// DynamoDB rejects the write otherwise rather than leaving the item out of the index.
Status validateIndexKeys(const TableState& table, const Item& item);

// The key of an index page position: the index key and the table key of the last entry.
Item indexPageKey(const KeySchema& tableKey, const IndexState& index, const Item& entry);
// ValidationException unless `startKey` is exactly an index entry's key attributes.
Status validateIndexStartKey(const KeySchema& tableKey, const IndexState& index, const Item& startKey);

} // namespace capsim::engine_internal
