// The write path: PutItem, UpdateItem, DeleteItem, BatchWriteItem and the initial-data load,
// and the one function that applies an item change with its index upkeep (Engine::applyWrite).

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/index_entries.h"
#include "engine/item_codec.h"
#include "engine/metering.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace capsim {

using namespace engine_internal;

namespace {

constexpr std::size_t kBatchWriteMaxRequests = 25;

} // namespace

const char* writeCauseName(WriteCause cause)
{
    switch (cause) {
    case WriteCause::UserWrite: return "UserWrite";
    case WriteCause::Batch: return "Batch";
    case WriteCause::Transaction: return "Transaction";
    case WriteCause::TtlDeletion: return "TtlDeletion";
    case WriteCause::Restore: return "Restore";
    case WriteCause::Replication: return "Replication";
    case WriteCause::Import: return "Import";
    }
    return "";
}

Status Engine::applyWrite(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex, ConsumedCapacity* consumed,
    const WriteOrigin& origin)
{
    const StoredKey stored = storedKeyOf(table.key, key);
    Partition& partition = table.partitions[partitionIndex];
    const std::int64_t partitionId = partition.id;
    if (newItem) {
        CAPSIM_RETURN_IF_ERROR(m_store->put(table.id, stored, newSize, encodeItem(*newItem)));
        partition.itemCount += existed ? 0 : 1;
        partition.itemBytes += newSize - (existed ? oldSize : 0);
    } else if (existed) {
        CAPSIM_RETURN_IF_ERROR(m_store->erase(table.id, stored));
        partition.itemCount -= 1;
        partition.itemBytes -= oldSize;
    } else {
        return Status::ok(); // deleting a missing item changes nothing
    }
    if (!table.indexes.empty())
        CAPSIM_RETURN_IF_ERROR(maintainIndexes(table, existed ? oldItem : nullptr, newItem, partitionId, consumed));
    if (newItem)
        CAPSIM_RETURN_IF_ERROR(splitOversizedPartition(table, partitionIndex));
    const bool recorded = recordsChanges(table);
    if (m_listeners.empty() && !recorded)
        return Status::ok();
    WriteChange change;
    change.tableName = table.name;
    change.region = table.region;
    change.key = keyOf(table.key, key);
    if (existed && oldItem) {
        change.oldImage = *oldItem;
        change.oldSizeBytes = oldSize;
    }
    if (newItem) {
        change.newImage = *newItem;
        change.newSizeBytes = newSize;
    }
    // Put and Update: the larger of old and new; Delete: the deleted item (reference A2).
    const std::int64_t units = newItem ? itemWriteUnits(existed ? oldSize : 0, newSize) : itemWriteUnits(oldSize, 0);
    change.writeUnits = origin.unitFactor * static_cast<double>(units);
    change.cause = origin.cause;
    change.time = m_now;
    change.transactionId = origin.transactionId;
    if (origin.cause == WriteCause::Replication) {
        change.originRegion = origin.originRegion;
        change.originTime = origin.originTime;
        if (consumed)
            for (const auto& [indexName, units] : consumed->globalSecondaryIndexes)
                change.indexWriteUnits[indexName] = units.write;
    }
    if (recorded)
        CAPSIM_RETURN_IF_ERROR(recordChange(table, change));
    if (!m_listeners.empty())
        m_pendingChanges.push_back(std::move(change));
    return Status::ok();
}

Status Engine::applyWriteAtomically(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex, ConsumedCapacity& consumed,
    const WriteOrigin& origin)
{
    // One storage transaction when the item's change has companions (index entries, durable
    // records); a lone item write is atomic by itself.
    if (table.indexes.empty() && !recordsChanges(table)) {
        Status s = applyWrite(table, key, oldItem, newItem, oldSize, existed, newSize, partitionIndex, &consumed, origin);
        if (s)
            publishChanges();
        else
            discardChanges();
        return s;
    }
    const TableState saved = table;
    const ConsumedCapacity savedConsumed = consumed;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = applyWrite(table, key, oldItem, newItem, oldSize, existed, newSize, partitionIndex, &consumed, origin);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        discardChanges();
        table = saved;
        consumed = savedConsumed;
        return s;
    }
    publishChanges();
    return s;
}

SubscriptionId Engine::subscribe(WriteChangeListener listener)
{
    const SubscriptionId id = m_nextSubscriptionId++;
    m_listeners.emplace_back(id, std::move(listener));
    return id;
}

void Engine::unsubscribe(SubscriptionId id)
{
    std::erase_if(m_listeners, [&](const auto& entry) { return entry.first == id; });
}

void Engine::publishChanges()
{
    std::vector<WriteChange> changes;
    changes.swap(m_pendingChanges);
    for (const auto& change : changes)
        for (const auto& [id, listener] : m_listeners)
            listener(change);
}

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
            charge(after->key, indexEntryUpdateUnits(before->sizeBytes, after->sizeBytes));
            continue;
        }
        if (before) {
            CAPSIM_RETURN_IF_ERROR(m_store->erase(index.id, before->key));
            Partition& p = partitionOf(before->key);
            p.itemCount -= 1;
            p.itemBytes -= before->sizeBytes;
            charge(before->key, indexEntryWriteUnits(before->sizeBytes));
        }
        if (after) {
            CAPSIM_RETURN_IF_ERROR(m_store->put(index.id, after->key, after->sizeBytes, encodeItem(after->item)));
            Partition& p = partitionOf(after->key);
            p.itemCount += 1;
            p.itemBytes += after->sizeBytes;
            charge(after->key, indexEntryWriteUnits(after->sizeBytes));
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
        consumed.chargeGlobalIndex(index->name, p.id, 0.0, static_cast<double>(indexEntryWriteUnits(entry->sizeBytes)));
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

Status Engine::checkItemCollection(const TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, std::int64_t newSize, std::int64_t& collectionBytes)
{
    // Storage size of an item with its LSI entries, each + 100 bytes (reference A1).
    auto footprint = [&](const Item* item, std::int64_t size, std::int64_t& lsiBytes) -> std::int64_t {
        lsiBytes = 0;
        if (!item)
            return 0;
        std::int64_t total = size + kStorageOverheadBytes;
        for (const auto& index : table.indexes) {
            if (index.isGlobal())
                continue;
            if (auto entry = indexEntryOf(table.key, index, *item)) {
                lsiBytes += entry->sizeBytes;
                total += entry->sizeBytes + kStorageOverheadBytes;
            }
        }
        return total;
    };
    std::int64_t newLsiBytes = 0;
    std::int64_t oldLsiBytes = 0;
    const std::int64_t after = footprint(newItem, newSize, newLsiBytes);
    const std::int64_t before = footprint(oldItem, oldSize, oldLsiBytes);
    // The 400 KB item limit includes the item's LSI entries (reference C 1).
    if (newItem && newSize + newLsiBytes > kMaxItemBytes)
        return Status::validation("Item size has exceeded the maximum allowed size");
    const StoredKey stored = storedKeyOf(table.key, key);
    std::int64_t current = 0;
    for (std::int64_t id : [&] {
             std::vector<std::int64_t> ids { table.id };
             for (const auto& index : table.indexes)
                 if (!index.isGlobal())
                     ids.push_back(index.id);
             return ids;
         }()) {
        std::int64_t count = 0;
        std::int64_t bytes = 0;
        CAPSIM_RETURN_IF_ERROR(m_store->collectionStats(id, stored.hash, stored.partitionKey, count, bytes));
        current += bytes + count * kStorageOverheadBytes;
    }
    collectionBytes = current + after - before;
    // Writes that shrink a collection stay allowed past the limit (reference C 1).
    if (after > before && collectionBytes > m_itemCollectionLimitBytes)
        return Status(error::kItemCollectionSizeLimitExceeded, "Item collection size limit exceeded");
    return Status::ok();
}

Status Engine::bulkPut(const std::string& tableName, const std::vector<Item>& items)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    for (const auto& item : items) {
        CAPSIM_RETURN_IF_ERROR(validateKey(t->key, item, false));
        CAPSIM_RETURN_IF_ERROR(validateItemLimits(item));
        CAPSIM_RETURN_IF_ERROR(validateIndexKeys(*t, item));
    }
    const TableState saved = *t;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    for (const auto& item : items) {
        const StoredKey key = storedKeyOf(t->key, item);
        StoredItem old;
        Status s = readStoredItem(*m_store, t->id, key, needsOldImage(*t), old);
        if (s)
            s = applyWrite(*t, item, old.imageOrNull(), &item, old.sizeBytes, old.existed, itemSizeBytes(item),
                t->partitionIndex(key.hash), nullptr, WriteOrigin { WriteCause::Import, {}, 1.0 });
        if (!s) {
            m_store->rollback();
            discardChanges();
            *t = saved;
            return s;
        }
    }
    Status committed = m_store->commit();
    if (committed)
        publishChanges();
    else
        discardChanges();
    return committed;
}

// What the single-item writes share: the table, the key, the current item, and the parsed
// expressions. `proceed` is false when the response already holds the outcome (a rejected
// request, or a failed condition with its charge).
struct WriteContext {
    TableState* table = nullptr;
    StoredKey key;
    std::size_t partitionIndex = 0;
    bool existed = false;
    std::int64_t oldSize = 0;
    std::optional<Item> oldItem;
    std::optional<expr::Update> update;
    std::vector<expr::Path> updatePaths;
    bool proceed = false;
};

namespace {

Status checkReturnValues(ReturnValues value, bool updateItem)
{
    if (!updateItem && value != ReturnValues::None && value != ReturnValues::AllOld)
        return Status::validation("Return values set to invalid value");
    return Status::ok();
}

Status parseWrite(const PutItemRequest&, expr::ExpressionAttributes&, WriteContext&)
{
    return Status::ok();
}

Status parseWrite(const DeleteItemRequest&, expr::ExpressionAttributes&, WriteContext&)
{
    return Status::ok();
}

Status parseWrite(const UpdateItemRequest& request, expr::ExpressionAttributes& attributes, WriteContext& context)
{
    if (!request.updateExpression)
        return Status::ok();
    auto parsed = expr::parseUpdate(*request.updateExpression, attributes);
    if (!parsed)
        return parsed.status();
    context.updatePaths = parsed->targetPaths();
    context.update = std::move(parsed).value();
    return Status::ok();
}

// Validates a single-item write, reads the current item and evaluates the condition. A failed
// condition consumes write units for the existing item's size, minimum 1 (reference A2).
template <typename Request>
WriteContext beginWrite(TableState* table, ItemStore& store, const Request& request, const Item& keyOrItem,
    bool exactKey, bool needOldItem, WriteResponse& response)
{
    WriteContext c;
    response.consumed.tableName = request.tableName;
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return c;
    };
    if (!table)
        return fail(tableNotFound(request.tableName));
    c.table = table;
    if (Status s = checkReturnValues(request.returnValues, std::is_same_v<Request, UpdateItemRequest>); !s)
        return fail(s);
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    if (Status s = parseWrite(request, *attributes, c); !s)
        return fail(s);
    std::optional<expr::Condition> condition;
    if (request.conditionExpression) {
        auto parsed = expr::parseCondition(*request.conditionExpression, *attributes, "ConditionExpression");
        if (!parsed)
            return fail(parsed.status());
        condition = std::move(parsed).value();
    }
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    if (Status s = validateKey(table->key, keyOrItem, exactKey); !s)
        return fail(s);
    for (const auto& path : c.updatePaths) {
        const std::string& top = path.elements.front().name;
        if (top == table->key.partition.name || (table->key.sort && top == table->key.sort->name))
            return fail(invalidParameter("Cannot update attribute " + top + ". This attribute is part of the key"));
    }
    c.key = storedKeyOf(table->key, keyOrItem);
    c.partitionIndex = table->partitionIndex(c.key.hash);
    std::string blob;
    // Index maintenance compares the old and new entries, so it needs the whole old item.
    const bool readWhole = needOldItem || request.returnOldOnConditionFailure || condition.has_value()
        || !table->indexes.empty();
    if (Status s = store.get(table->id, c.key, c.existed, c.oldSize, readWhole ? &blob : nullptr); !s)
        return fail(s);
    if (c.existed && readWhole) {
        auto decoded = decodeItem(blob);
        if (!decoded)
            return fail(decoded.status());
        c.oldItem = std::move(decoded).value();
    }
    if (condition && !condition->evaluate(c.oldItem.value_or(Item {}))) {
        response.consumed.charge(table->partitions[c.partitionIndex].id, 0.0,
            static_cast<double>(writeUnits(c.existed ? c.oldSize : 0)));
        if (request.returnOldOnConditionFailure && c.oldItem)
            response.conditionFailureItem = c.oldItem;
        return fail(conditionFailed());
    }
    c.proceed = true;
    return c;
}

} // namespace

template <typename Request>
bool Engine::finishWrite(const Request& request, WriteContext& c, const Item* newItem, std::int64_t newSize,
    WriteResponse& response)
{
    TableState& table = *c.table;
    const Item& key = [&]() -> const Item& {
        if constexpr (std::is_same_v<Request, PutItemRequest>)
            return request.item;
        else
            return request.key;
    }();
    std::int64_t collectionBytes = 0;
    if (table.hasLocalIndexes()) {
        response.status = checkItemCollection(
            table, key, c.oldItem ? &*c.oldItem : nullptr, newItem, c.oldSize, newSize, collectionBytes);
        if (!response.status)
            return false;
    }
    const std::int64_t partitionId = table.partitions[c.partitionIndex].id;
    response.status = applyWriteAtomically(table, key, c.oldItem ? &*c.oldItem : nullptr, newItem, c.oldSize,
        c.existed, newSize, c.partitionIndex, response.consumed, WriteOrigin {});
    if (!response.status)
        return false;
    // Put: the larger of old and new; Update: the larger of before and after; Delete: the
    // deleted item's size, 1 if missing (reference A2).
    const std::int64_t units
        = newItem ? itemWriteUnits(c.oldSize, newSize) : itemWriteUnits(c.existed ? c.oldSize : 0, 0);
    response.consumed.charge(partitionId, 0.0, static_cast<double>(units));
    if (request.returnItemCollectionMetrics && table.hasLocalIndexes()) {
        // DynamoDB gives an estimate as a range in GB; capsim brackets the exact size.
        const double gb = static_cast<double>(collectionBytes) / (1024.0 * 1024.0 * 1024.0);
        ItemCollectionMetrics metrics;
        metrics.itemCollectionKey.emplace(table.key.partition.name, key.at(table.key.partition.name));
        metrics.sizeEstimateLowGb = std::floor(gb);
        metrics.sizeEstimateHighGb = std::floor(gb) + 1.0;
        response.itemCollectionMetrics = std::move(metrics);
    }
    return true;
}

WriteResponse Engine::putItem(const PutItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.item, false,
        request.returnValues == ReturnValues::AllOld || reportsChangesTo(request.tableName), response);
    if (!c.proceed)
        return response;
    if (Status s = validateItemLimits(request.item); s)
        response.status = validateIndexKeys(*c.table, request.item);
    else
        response.status = s;
    if (!response.status)
        return response;
    const std::int64_t newSize = itemSizeBytes(request.item);
    if (!finishWrite(request, c, &request.item, newSize, response))
        return response;
    if (request.returnValues == ReturnValues::AllOld && c.oldItem)
        response.attributes = std::move(c.oldItem);
    return response;
}

WriteResponse Engine::updateItem(const UpdateItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.key, true, true, response);
    if (!c.proceed)
        return response;
    // Only REMOVE actions on a missing item: nothing to remove, nothing created, no attributes
    // returned; it costs what a write of a missing item costs (reference A2).
    if (!c.oldItem && c.update && c.update->onlyRemoves()) {
        finishWrite(request, c, nullptr, 0, response);
        return response;
    }
    Item newItem = c.oldItem.value_or(request.key);
    if (c.update) {
        if (Status s = c.update->apply(newItem, c.oldItem.has_value()); !s) {
            response.status = s;
            return response;
        }
    }
    if (Status s = validateItemLimits(newItem); s)
        response.status = validateIndexKeys(*c.table, newItem);
    else
        response.status = s;
    if (!response.status)
        return response;
    const std::int64_t newSize = itemSizeBytes(newItem);
    if (!finishWrite(request, c, &newItem, newSize, response))
        return response;
    switch (request.returnValues) {
    case ReturnValues::None: break;
    case ReturnValues::AllOld:
        if (c.oldItem)
            response.attributes = std::move(c.oldItem);
        break;
    case ReturnValues::AllNew: response.attributes = std::move(newItem); break;
    case ReturnValues::UpdatedOld:
    case ReturnValues::UpdatedNew: {
        expr::Projection updated;
        updated.paths = c.updatePaths;
        Item projected
            = updated.apply(request.returnValues == ReturnValues::UpdatedOld ? c.oldItem.value_or(Item {}) : newItem);
        if (!projected.empty())
            response.attributes = std::move(projected);
        break;
    }
    }
    return response;
}

WriteResponse Engine::deleteItem(const DeleteItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.key, true,
        request.returnValues == ReturnValues::AllOld || reportsChangesTo(request.tableName), response);
    if (!c.proceed)
        return response;
    if (!finishWrite(request, c, nullptr, 0, response))
        return response;
    if (request.returnValues == ReturnValues::AllOld && c.oldItem)
        response.attributes = std::move(c.oldItem);
    return response;
}


BatchWriteItemResponse Engine::batchWriteItem(const BatchWriteItemRequest& request)
{
    BatchWriteItemResponse response;
    std::size_t total = 0;
    for (const auto& [tableName, writes] : request.requestItems)
        total += writes.size();
    if (request.requestItems.empty() || total == 0) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to "
                                             "satisfy constraint: Member must have length greater than or equal to 1");
        return response;
    }
    if (total > kBatchWriteMaxRequests) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to satisfy "
                                             "constraint: Map value must satisfy constraint: [Member must have length "
                                             "less than or equal to 25, Member must have length greater than or "
                                             "equal to 1]");
        return response;
    }
    // Validate every request before writing any, so a rejected batch changes nothing.
    for (const auto& [tableName, writes] : request.requestItems) {
        const TableState* t = table(tableName);
        if (!t) {
            response.status = tableNotFound(tableName);
            return response;
        }
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& write : writes) {
            if (Status s = validateKey(t->key, write.item, !write.isPut); !s) {
                response.status = s;
                return response;
            }
            if (write.isPut) {
                Status s = validateItemLimits(write.item);
                if (s)
                    s = validateIndexKeys(*t, write.item);
                if (!s) {
                    response.status = s;
                    return response;
                }
            }
            const StoredKey stored = storedKeyOf(t->key, write.item);
            if (!seen.emplace(stored.partitionKey, stored.sortKey).second) {
                response.status = Status::validation("Provided list of item keys contains duplicates");
                return response;
            }
        }
    }
    // One storage transaction: a crash leaves the batch applied or not, never torn.
    std::map<std::string, TableState> savedTables;
    for (const auto& [tableName, writes] : request.requestItems)
        savedTables.emplace(tableName, *findTable(tableName));
    auto restore = [&]() {
        m_store->rollback();
        discardChanges();
        for (auto& [tableName, saved] : savedTables)
            *findTable(tableName) = saved;
    };
    if (Status s = m_store->begin(); !s) {
        response.status = s;
        return response;
    }
    for (const auto& [tableName, writes] : request.requestItems) {
        TableState* t = findTable(tableName);
        ConsumedCapacity consumed;
        consumed.tableName = tableName;
        for (const auto& write : writes) {
            const StoredKey stored = storedKeyOf(t->key, write.item);
            StoredItem old;
            Status s = readStoredItem(*m_store, t->id, stored, needsOldImage(*t), old);
            const bool existed = old.existed;
            const std::int64_t oldSize = old.sizeBytes;
            const Item* oldItem = old.imageOrNull();
            const std::size_t partitionIndex = t->partitionIndex(stored.hash);
            const std::int64_t partitionId = t->partitions[partitionIndex].id;
            const std::int64_t newSize = write.isPut ? itemSizeBytes(write.item) : 0;
            const Item* newItem = write.isPut ? &write.item : nullptr;
            if (s && t->hasLocalIndexes()) {
                std::int64_t collectionBytes = 0;
                s = checkItemCollection(
                    *t, write.item, oldItem, newItem, oldSize, newSize, collectionBytes);
            }
            if (s)
                s = applyWrite(*t, write.item, oldItem, newItem, oldSize, existed, newSize,
                    partitionIndex, &consumed, WriteOrigin { WriteCause::Batch, {}, 1.0 });
            if (!s) {
                restore();
                response.status = s;
                return response;
            }
            // Each request rounds separately (reference A2).
            const std::int64_t units
                = write.isPut ? itemWriteUnits(oldSize, newSize) : itemWriteUnits(existed ? oldSize : 0, 0);
            consumed.charge(partitionId, 0.0, static_cast<double>(units));
        }
        response.consumed.push_back(std::move(consumed));
    }
    if (Status s = m_store->commit(); !s) {
        restore();
        response.status = s;
        response.consumed.clear();
        return response;
    }
    publishChanges();
    return response;
}

} // namespace capsim
