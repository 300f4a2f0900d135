#include "engine/index_entries.h"

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/item_codec.h"
#include "engine/key_codec.h"

#include <algorithm>

namespace capsim {

namespace engine_internal {

bool hasKeyOfType(const Item& item, const KeyElement& element)
{
    auto it = item.find(element.name);
    return it != item.end() && it->second.type() == element.type;
}

StoredKey indexStoredKey(const KeySchema& tableKey, const IndexState& index, const Item& item)
{
    StoredKey key;
    key.partitionKey = encodeKeyValue(item.at(index.key.partition.name));
    key.hash = partitionHash(key.partitionKey);
    if (index.key.sort)
        appendKeyComponent(key.sortKey, encodeKeyValue(item.at(index.key.sort->name)));
    appendKeyComponent(key.sortKey, encodeKeyValue(item.at(tableKey.partition.name)));
    if (tableKey.sort)
        appendKeyComponent(key.sortKey, encodeKeyValue(item.at(tableKey.sort->name)));
    return key;
}

bool sameStoredKey(const StoredKey& a, const StoredKey& b)
{
    return a.hash == b.hash && a.partitionKey == b.partitionKey && a.sortKey == b.sortKey;
}

std::vector<KeyElement> entryKeyElements(const KeySchema& tableKey, const IndexState& index)
{
    std::vector<KeyElement> out { tableKey.partition };
    if (tableKey.sort)
        out.push_back(*tableKey.sort);
    for (const KeyElement* e : { &index.key.partition, index.key.sort ? &*index.key.sort : nullptr }) {
        if (e && std::none_of(out.begin(), out.end(), [&](const KeyElement& k) { return k.name == e->name; }))
            out.push_back(*e);
    }
    return out;
}

bool isProjected(const KeySchema& tableKey, const IndexState& index, const std::string& name)
{
    if (index.projection == ProjectionType::All)
        return true;
    if (name == tableKey.partition.name || (tableKey.sort && name == tableKey.sort->name)
        || name == index.key.partition.name || (index.key.sort && name == index.key.sort->name))
        return true;
    return index.projection == ProjectionType::Include
        && std::find(index.nonKeyAttributes.begin(), index.nonKeyAttributes.end(), name) != index.nonKeyAttributes.end();
}

std::optional<IndexEntry> indexEntryOf(const KeySchema& tableKey, const IndexState& index, const Item& item)
{
    if (!hasKeyOfType(item, index.key.partition) || (index.key.sort && !hasKeyOfType(item, *index.key.sort)))
        return std::nullopt;
    // A key value the index cannot hold (an empty string or binary, a partition key over 2,048
    // bytes, a sort key over 1,024) leaves the item out of the index: writes refuse such values,
    // but items written before a GSI was created are skipped by its backfill, as in DynamoDB.
    if (!validateKeyAttribute(index.key.partition, item.at(index.key.partition.name), true)
        || (index.key.sort && !validateKeyAttribute(*index.key.sort, item.at(index.key.sort->name), false)))
        return std::nullopt;
    IndexEntry entry;
    entry.key = indexStoredKey(tableKey, index, item);
    if (index.projection == ProjectionType::All) {
        entry.item = item;
    } else {
        for (const auto& [name, value] : item)
            if (isProjected(tableKey, index, name))
                entry.item.emplace(name, value);
    }
    entry.sizeBytes = itemSizeBytes(entry.item);
    return entry;
}

Status validateIndexKeys(const TableState& table, const Item& item)
{
    for (const auto& index : table.indexes) {
        for (int i = 0; i < 2; ++i) {
            const KeyElement* element = i == 0 ? &index.key.partition : (index.key.sort ? &*index.key.sort : nullptr);
            if (!element)
                continue;
            auto it = item.find(element->name);
            if (it == item.end())
                continue;
            const AttributeValue& value = it->second;
            if (value.type() != element->type)
                return invalidParameter("Type mismatch for Index Key " + element->name + " Expected: "
                    + attrTypeName(element->type) + " Actual: " + attrTypeName(value.type()) + " IndexName: " + index.name);
            if ((value.is(AttrType::S) || value.is(AttrType::B)) && value.bytes().empty())
                return Status::validation("One or more parameter values are not valid. A value specified for a secondary "
                                          "index key is not supported. The AttributeValue for a key attribute cannot "
                                          "contain an empty "
                    + std::string(value.is(AttrType::S) ? "string" : "binary") + " value. IndexName: " + index.name
                    + ", IndexKey: " + element->name);
            CAPSIM_RETURN_IF_ERROR(validateKeyAttribute(*element, value, i == 0));
        }
    }
    return Status::ok();
}

Item indexPageKey(const KeySchema& tableKey, const IndexState& index, const Item& entry)
{
    Item key;
    for (const auto& element : entryKeyElements(tableKey, index))
        key.emplace(element.name, entry.at(element.name));
    return key;
}

Status validateIndexStartKey(const KeySchema& tableKey, const IndexState& index, const Item& startKey)
{
    const auto elements = entryKeyElements(tableKey, index);
    bool ok = startKey.size() == elements.size();
    for (const auto& element : elements)
        ok = ok && hasKeyOfType(startKey, element);
    if (!ok)
        return Status::validation("The provided starting key is invalid: The provided key element does not match the schema");
    return Status::ok();
}

} // namespace engine_internal

using namespace engine_internal;

Status Engine::maintainIndexes(TableState& table, const Item* oldItem, const Item* newItem,
    std::int64_t tablePartitionId, ConsumedCapacity* consumed)
{
    for (auto& index : table.indexes) {
        const auto before = oldItem ? indexEntryOf(table.key, index, *oldItem) : std::nullopt;
        const auto after = newItem ? indexEntryOf(table.key, index, *newItem) : std::nullopt;
        if (!before && !after)
            continue;
        // GSI units are the GSI's own; LSI units count against the table (reference A2).
        auto charge = [&](const StoredKey& key, std::int64_t units) {
            if (!consumed)
                return;
            if (index.isGlobal())
                consumed->chargeGlobalIndex(
                    index.name, index.partitions[index.partitionIndex(key.hash)].id, 0.0, static_cast<double>(units));
            else
                consumed->chargeLocalIndex(index.name, tablePartitionId, 0.0, static_cast<double>(units));
        };
        auto partitionOf = [&](const StoredKey& key) -> Partition& {
            return index.partitions[index.partitionIndex(key.hash)];
        };
        // Per index: a new entry is 1 write, a removed one 1, a changed key 2 (delete + put), a
        // changed projection 1; each sized by its entry, rounded to 1 KB (reference A2, C 2.5).
        if (before && after && sameStoredKey(before->key, after->key)) {
            if (before->item == after->item)
                continue;
            CAPSIM_RETURN_IF_ERROR(m_store->put(index.id, after->key, after->sizeBytes, encodeItem(after->item)));
            partitionOf(after->key).itemBytes += after->sizeBytes - before->sizeBytes;
            charge(after->key, writeUnits(std::max(before->sizeBytes, after->sizeBytes)));
            continue;
        }
        if (before) {
            CAPSIM_RETURN_IF_ERROR(m_store->erase(index.id, before->key));
            Partition& p = partitionOf(before->key);
            p.itemCount -= 1;
            p.itemBytes -= before->sizeBytes;
            charge(before->key, writeUnits(before->sizeBytes));
        }
        if (after) {
            CAPSIM_RETURN_IF_ERROR(m_store->put(index.id, after->key, after->sizeBytes, encodeItem(after->item)));
            Partition& p = partitionOf(after->key);
            p.itemCount += 1;
            p.itemBytes += after->sizeBytes;
            charge(after->key, writeUnits(after->sizeBytes));
            // A GSI partition over the split size splits like a table's (reference A3).
            const std::size_t i = index.partitionIndex(after->key.hash);
            if (index.isGlobal()
                && static_cast<double>(index.partitions[i].billableBytes()) * m_storageWeight
                    > static_cast<double>(m_partitionSplitBytes)) {
                const std::size_t upper = splitPartitionIn(index.partitions, index.nextPartitionId, i);
                for (std::size_t j : { i, upper }) {
                    auto& q = index.partitions[j];
                    CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(index.id, q.hashLow, q.hashHigh, q.itemCount, q.itemBytes));
                }
                CAPSIM_RETURN_IF_ERROR(saveTable(table));
            }
        }
    }
    return Status::ok();
}


Status Engine::backfillIndex(const std::string& tableName, const std::string& indexName, std::int64_t maxItems,
    ConsumedCapacity& consumed)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    IndexState* index = t->findIndex(indexName);
    if (!index)
        return Status::notFound("Requested resource not found: Index: " + indexName + " not found in table " + tableName);
    consumed.tableName = tableName;
    if (index->status == IndexStatus::Active)
        return Status::ok();
    if (maxItems < 1)
        return Status::validation("backfillIndex: maxItems must be at least 1");
    // Collect first, write after: index rows live in the B-tree being scanned.
    std::vector<std::pair<StoredKey, Item>> batch;
    StoredKey after { index->backfillHash, index->backfillPartitionKey, index->backfillSortKey };
    Status decodeStatus;
    CAPSIM_RETURN_IF_ERROR(m_store->scanRange(t->id, 0, UINT64_MAX, index->backfillStarted ? &after : nullptr,
        [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            batch.emplace_back(StoredKey { row.hash, std::string(row.partitionKey), std::string(row.sortKey) },
                std::move(item).value());
            return static_cast<std::int64_t>(batch.size()) < maxItems;
        }));
    CAPSIM_RETURN_IF_ERROR(decodeStatus);
    const TableState saved = *t;
    const ConsumedCapacity savedConsumed = consumed;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s;
    for (const auto& [baseKey, item] : batch) {
        auto entry = indexEntryOf(t->key, *index, item);
        if (!entry)
            continue;
        bool found = false;
        std::int64_t oldSize = 0;
        s = m_store->get(index->id, entry->key, found, oldSize, nullptr);
        if (s)
            s = m_store->put(index->id, entry->key, entry->sizeBytes, encodeItem(entry->item));
        if (!s)
            break;
        Partition& p = index->partitions[index->partitionIndex(entry->key.hash)];
        p.itemCount += found ? 0 : 1;
        p.itemBytes += entry->sizeBytes - (found ? oldSize : 0);
        consumed.chargeGlobalIndex(index->name, p.id, 0.0, static_cast<double>(writeUnits(entry->sizeBytes)));
    }
    if (s) {
        if (!batch.empty()) {
            index->backfillStarted = true;
            index->backfillHash = batch.back().first.hash;
            index->backfillPartitionKey = batch.back().first.partitionKey;
            index->backfillSortKey = batch.back().first.sortKey;
            index->backfilledItems += static_cast<std::int64_t>(batch.size());
        }
        if (static_cast<std::int64_t>(batch.size()) < maxItems)
            index->status = IndexStatus::Active;
        s = saveTable(*t);
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        *t = saved;
        consumed = savedConsumed;
    }
    return s;
}

} // namespace capsim
