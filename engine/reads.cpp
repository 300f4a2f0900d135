// The read path: GetItem, Query, Scan and BatchGetItem.

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/index_entries.h"
#include "engine/item_codec.h"
#include "engine/metering.h"
#include "engine/key_codec.h"

#include <algorithm>
#include <set>

namespace capsim {

using namespace engine_internal;

namespace {

constexpr std::int64_t kPageBytes = 1024 * 1024; // Query/Scan read at most 1 MB per call (reference A2)
constexpr std::int64_t kBatchGetResponseBytes = 16 * 1024 * 1024;
constexpr std::size_t kBatchGetMaxKeys = 100;

} // namespace

GetItemResponse Engine::getItem(const GetItemRequest& request)
{
    GetItemResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    if (!t) {
        response.status = tableNotFound(request.tableName);
        return response;
    }
    if (request.expressionAttributes.values) {
        // GetItem takes no ExpressionAttributeValues: any given are unused.
        auto attributes = makeAttributes(request.expressionAttributes);
        response.status = attributes ? attributes->checkAllUsed() : attributes.status();
        return response;
    }
    auto parsedProjection = parseReadProjection(request.expressionAttributes.names, request.projectionExpression);
    if (!parsedProjection) {
        response.status = parsedProjection.status();
        return response;
    }
    std::optional<expr::Projection> projection = std::move(parsedProjection).value();
    if (Status s = validateKey(t->key, request.key, true); !s) {
        response.status = s;
        return response;
    }
    const StoredKey key = storedKeyOf(t->key, request.key);
    std::int64_t size = 0;
    Status decodeStatus;
    Status status = m_store->getInPlace(t->id, key, [&](std::int64_t sizeBytes, std::string_view blob) {
        size = sizeBytes;
        auto item = decodeItem(blob);
        if (!item)
            decodeStatus = item.status();
        else
            response.item = projection ? projection->apply(*item) : std::move(item).value();
    });
    if (!status || !decodeStatus) {
        response.status = !status ? status : decodeStatus;
        response.item.reset();
        return response;
    }
    // A missing item costs as a 1-byte item; projection does not reduce the cost (reference A2).
    response.consumed.charge(t->partitions[t->partitionIndex(key.hash)].id,
        readUnits(response.item ? size : 0, consistencyOf(request.consistentRead)), 0.0);
    return response;
}

namespace {

struct PageSetup {
    std::optional<expr::Condition> filter;
    std::optional<expr::Projection> projection;
    Select select = Select::AllAttributes;
};

Status validateSelect(const std::optional<Select>& select, const std::optional<std::string>& projection,
    const std::optional<std::string>& indexName, Select& out)
{
    // Without Select, an index read returns the projected attributes (DynamoDB's default).
    out = select.value_or(projection ? Select::SpecificAttributes
            : indexName              ? Select::AllProjectedAttributes
                                     : Select::AllAttributes);
    if (out == Select::SpecificAttributes && !projection)
        return Status::validation("Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet");
    if (projection && out != Select::SpecificAttributes)
        return Status::validation(
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES "
            "or COUNT");
    if (out == Select::AllProjectedAttributes && !indexName)
        return Status::validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    return Status::ok();
}

Status validateLimit(const std::optional<std::int64_t>& limit)
{
    if (limit && *limit < 1)
        return Status::validation("1 validation error detected: Value '" + std::to_string(*limit)
            + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    return Status::ok();
}

// What reading an index needs beyond its entries: an LSI fetches the base item when the request
// needs attributes the index does not project; a GSI cannot (reference C 2.2).
Status planIndexRead(const TableState& table, const IndexState& index, const std::optional<Select>& select,
    const PageSetup& setup, bool& fetchBase)
{
    fetchBase = false;
    if (index.projection == ProjectionType::All)
        return Status::ok();
    std::vector<std::string> missing;
    if (setup.projection)
        for (const auto& path : setup.projection->paths)
            if (!isProjected(table.key, index, path.elements.front().name))
                missing.push_back(path.elements.front().name);
    if (setup.filter)
        for (const auto& name : setup.filter->topLevelNames())
            if (!isProjected(table.key, index, name))
                missing.push_back(name);
    const bool allAttributes = select == Select::AllAttributes;
    if (!allAttributes && missing.empty())
        return Status::ok();
    if (index.isGlobal()) {
        if (allAttributes)
            return invalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index "
                + index.name + " because its projection type is not ALL");
        return invalidParameter("Global secondary index " + index.name + " does not project the attribute "
            + missing.front() + "; a query or scan on it can only read projected attributes");
    }
    fetchBase = true;
    return Status::ok();
}

// Resolves IndexName for Query and Scan.
Result<const IndexState*> readableIndex(const TableState& table, const std::string& indexName, bool consistentRead)
{
    const IndexState* index = table.findIndex(indexName);
    if (!index)
        return Status::validation("The table does not have the specified index: " + indexName);
    if (index->isGlobal() && consistentRead)
        return Status::validation("Consistent reads are not supported on global secondary indexes");
    if (index->status == IndexStatus::Creating)
        return Status::validation("Cannot read from backfilling global secondary index: " + indexName);
    return index;
}

// Accepts an evaluated item into a page: filter, count, project.
// `entry`, when given, is the index entry an LSI read fetched `item` for: the filter sees the
// whole item, but ALL_PROJECTED_ATTRIBUTES returns only what the index projects.
void acceptItem(ReadPageResponse& response, const PageSetup& setup, Item item, std::optional<Item> entry = std::nullopt)
{
    ++response.scannedCount;
    if (setup.filter && !setup.filter->evaluate(item))
        return;
    ++response.count;
    if (setup.select == Select::Count)
        return;
    if (entry && setup.select == Select::AllProjectedAttributes) {
        response.items.push_back(std::move(*entry));
        return;
    }
    response.items.push_back(setup.projection ? setup.projection->apply(item) : std::move(item));
}

// Finds what a Query or Scan reads (the table, and the index for IndexName) and checks Select
// and Limit.
template <typename Request>
Status resolvePage(TableState* table, const Request& request, const IndexState*& index, PageSetup& setup)
{
    if (!table)
        return tableNotFound(request.tableName);
    index = nullptr;
    if (request.indexName) {
        auto resolved = readableIndex(*table, *request.indexName, request.consistentRead);
        if (!resolved)
            return resolved.status();
        index = *resolved;
    }
    CAPSIM_RETURN_IF_ERROR(validateSelect(request.select, request.projectionExpression, request.indexName, setup.select));
    return validateLimit(request.limit);
}

// Parses FilterExpression and ProjectionExpression; a Query's filter may not name the key it
// queries (`queryKey`).
template <typename Request>
Status parsePageExpressions(const Request& request, expr::ExpressionAttributes& attributes, const KeySchema* queryKey,
    PageSetup& setup)
{
    if (request.filterExpression) {
        auto parsed = expr::parseCondition(*request.filterExpression, attributes, "FilterExpression");
        if (!parsed)
            return parsed.status();
        if (queryKey) {
            for (const auto& name : parsed->topLevelNames()) {
                if (name == queryKey->partition.name || (queryKey->sort && name == queryKey->sort->name))
                    return Status::validation(
                        "Filter Expression can only contain non-primary key attributes: Primary key attribute: " + name);
            }
        }
        setup.filter = std::move(parsed).value();
    }
    if (request.projectionExpression) {
        auto parsed = expr::parseProjection(*request.projectionExpression, attributes);
        if (!parsed)
            return parsed.status();
        setup.projection = std::move(parsed).value();
    }
    return Status::ok();
}

} // namespace


ReadPageResponse Engine::query(const QueryRequest& request)
{
    ReadPageResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return response;
    };
    const IndexState* index = nullptr;
    PageSetup setup;
    if (Status s = resolvePage(t, request, index, setup); !s)
        return fail(s);
    const KeySchema& key = index ? index->key : t->key;
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    auto keyCondition = expr::parseKeyCondition(request.keyConditionExpression, *attributes, key.partition.name,
        key.partition.type, key.sort ? std::optional<std::string>(key.sort->name) : std::nullopt,
        key.sort ? key.sort->type : AttrType::S);
    if (!keyCondition)
        return fail(keyCondition.status());
    if (Status s = parsePageExpressions(request, *attributes, &key, setup); !s)
        return fail(s);
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    if (Status s = validateKeyAttribute(key.partition, keyCondition->partitionValue, true); !s)
        return fail(s);
    bool fetchBase = false;
    if (index) {
        if (Status s = planIndexRead(*t, *index, request.select, setup, fetchBase); !s)
            return fail(s);
    }

    const std::string partitionKey = encodeKeyValue(keyCondition->partitionValue);
    const std::uint64_t hash = partitionHash(partitionKey);
    std::optional<std::string> startAfter;
    if (request.exclusiveStartKey) {
        const Item& start = *request.exclusiveStartKey;
        if (index) {
            if (Status s = validateIndexStartKey(t->key, *index, start); !s)
                return fail(s);
        } else if (Status s = validateKey(t->key, start, true); !s) {
            return fail(Status::validation("The provided starting key is invalid: " + s.message()));
        }
        if (!(start.at(key.partition.name) == keyCondition->partitionValue))
            return fail(Status::validation("The provided starting key is outside query range"));
        if (index)
            startAfter = indexStoredKey(t->key, *index, start).sortKey;
        else if (t->key.sort)
            startAfter = encodeKeyValue(start.at(t->key.sort->name));
    }
    const SortKeyRange range = sortKeyRange(*keyCondition, index != nullptr);
    const std::int64_t storageId = index ? index->id : t->id;
    const Consistency consistency = consistencyOf(request.consistentRead);
    std::int64_t evaluatedBytes = 0;
    double fetchUnits = 0.0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status rowStatus;
    // Without a sort key an item collection is one item: a page after it holds nothing.
    const bool exhausted = request.exclusiveStartKey && !index && !t->key.sort;
    Status status = exhausted ? Status::ok() : m_store->queryCollection(storageId, hash, partitionKey, range, request.scanIndexForward,
        startAfter ? &*startAfter : nullptr, [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                rowStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            lastItem = index ? indexPageKey(t->key, *index, *item) : keyOf(t->key, *item);
            if (fetchBase) {
                // Each fetched base item is rounded to 4 KB on its own (reference C 2.2).
                bool found = false;
                std::int64_t size = 0;
                std::string blob;
                rowStatus = m_store->get(t->id, storedKeyOf(t->key, *item), found, size, &blob);
                if (!rowStatus || !found)
                    return rowStatus.isOk();
                fetchUnits += readUnits(size, consistency);
                auto fetched = decodeItem(blob);
                if (!fetched) {
                    rowStatus = fetched.status();
                    return false;
                }
                acceptItem(response, setup, std::move(fetched).value(), std::move(item).value());
            } else {
                acceptItem(response, setup, std::move(item).value());
            }
            // A page ends at Limit items evaluated or 1 MB read, before the filter (reference A2).
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
                return false;
            }
            return true;
        });
    if (!status)
        return fail(status);
    if (!rowStatus)
        return fail(rowStatus);
    if (stoppedEarly)
        response.lastEvaluatedKey = std::move(lastItem);
    // Query sums the sizes of all entries evaluated and rounds once (reference A2); a GSI's
    // units are its own, an LSI's count against the table (reference C 2.2).
    const double units = pageReadUnits(evaluatedBytes, consistency);
    const std::int64_t tablePartitionId = t->partitions[t->partitionIndex(hash)].id;
    if (!index) {
        response.consumed.charge(tablePartitionId, units, 0.0);
    } else if (index->isGlobal()) {
        response.consumed.chargeGlobalIndex(index->name, index->partitions[index->partitionIndex(hash)].id, units, 0.0);
    } else {
        response.consumed.chargeLocalIndex(index->name, tablePartitionId, units, 0.0);
        if (fetchBase)
            response.consumed.charge(tablePartitionId, fetchUnits, 0.0);
    }
    return response;
}

ReadPageResponse Engine::scan(const ScanRequest& request)
{
    ReadPageResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return response;
    };
    const IndexState* index = nullptr;
    PageSetup setup;
    if (Status s = resolvePage(t, request, index, setup); !s)
        return fail(s);
    if (request.segment.has_value() != request.totalSegments.has_value())
        return fail(Status::validation(request.segment
                ? "The TotalSegments parameter is required but was not present in the request when Segment "
                  "parameter is present"
                : "The Segment parameter is required but was not present in the request when parameter "
                  "TotalSegments is present"));
    std::uint64_t hashLow = 0;
    std::uint64_t hashHigh = UINT64_MAX;
    if (request.totalSegments) {
        const std::int64_t total = *request.totalSegments;
        const std::int64_t segment = *request.segment;
        if (total < 1 || total > 1000000)
            return fail(Status::validation("1 validation error detected: Value '" + std::to_string(total)
                + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to "
                  "1000000 and greater than or equal to 1"));
        if (segment < 0 || segment >= total)
            return fail(Status::validation("The Segment parameter is zero-based and must be less than parameter "
                                           "TotalSegments: Segment: "
                + std::to_string(segment) + " is out of bounds for TotalSegments: " + std::to_string(total)));
        // Segments are even ranges of the hash space.
        const auto first = static_cast<std::uint64_t>(segment);
        const auto segments = static_cast<std::uint64_t>(total);
        hashLow = evenHashBoundary(first, segments);
        hashHigh = segment + 1 == total ? UINT64_MAX : evenHashBoundary(first + 1, segments) - 1;
    }
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    if (Status s = parsePageExpressions(request, *attributes, nullptr, setup); !s)
        return fail(s);
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    bool fetchBase = false;
    if (index) {
        if (Status s = planIndexRead(*t, *index, request.select, setup, fetchBase); !s)
            return fail(s);
    }
    std::optional<StoredKey> startAfter;
    if (request.exclusiveStartKey) {
        if (index) {
            if (Status s = validateIndexStartKey(t->key, *index, *request.exclusiveStartKey); !s)
                return fail(s);
            startAfter = indexStoredKey(t->key, *index, *request.exclusiveStartKey);
        } else {
            if (Status s = validateKey(t->key, *request.exclusiveStartKey, true); !s)
                return fail(Status::validation("The provided starting key is invalid: " + s.message()));
            startAfter = storedKeyOf(t->key, *request.exclusiveStartKey);
        }
        if (startAfter->hash < hashLow || startAfter->hash > hashHigh)
            return fail(Status::validation("The provided Exclusive start key does not map to the provided segment"));
    }
    // A GSI's entries spread over its own partitions; an LSI's live in the table's.
    const std::vector<Partition>& partitions = index && index->isGlobal() ? index->partitions : t->partitions;
    const std::int64_t storageId = index ? index->id : t->id;
    const Consistency consistency = consistencyOf(request.consistentRead);
    const std::size_t firstPartition = partitionIndexIn(partitions, startAfter ? startAfter->hash : hashLow);
    std::size_t lastPartition = partitionIndexIn(partitions, hashHigh);
    std::map<std::size_t, std::int64_t> bytesByPartition;
    std::map<std::size_t, double> fetchUnitsByPartition;
    std::int64_t evaluatedBytes = 0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status decodeStatus;
    Status status = m_store->scanRange(storageId, hashLow, hashHigh, startAfter ? &*startAfter : nullptr,
        [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            bytesByPartition[partitionIndexIn(partitions, row.hash)] += row.sizeBytes;
            lastItem = index ? indexPageKey(t->key, *index, *item) : keyFromRow(t->key, row);
            if (fetchBase) {
                // Each fetched base item is rounded to 4 KB on its own (reference C 2.2).
                bool found = false;
                std::int64_t size = 0;
                std::string blob;
                decodeStatus = m_store->get(t->id, storedKeyOf(t->key, *item), found, size, &blob);
                if (!decodeStatus || !found)
                    return decodeStatus.isOk();
                fetchUnitsByPartition[partitionIndexIn(partitions, row.hash)] += readUnits(size, consistency);
                auto fetched = decodeItem(blob);
                if (!fetched) {
                    decodeStatus = fetched.status();
                    return false;
                }
                acceptItem(response, setup, std::move(fetched).value(), std::move(item).value());
            } else {
                acceptItem(response, setup, std::move(item).value());
            }
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
                lastPartition = partitionIndexIn(partitions, row.hash);
                return false;
            }
            return true;
        });
    if (!status)
        return fail(status);
    if (!decodeStatus)
        return fail(decodeStatus);
    if (stoppedEarly)
        response.lastEvaluatedKey = std::move(lastItem);
    // Sizes are summed and rounded once, with a minimum of one unit (strong) for every
    // partition the page touched, empty ones included (reference A2).
    const std::int64_t touched = static_cast<std::int64_t>(lastPartition - firstPartition + 1);
    const double units = pageReadUnits(
        evaluatedBytes, request.consistentRead ? Consistency::Strong : Consistency::Eventual, touched);
    std::int64_t weightSum = 0;
    std::vector<std::int64_t> weights;
    for (std::size_t i = firstPartition; i <= lastPartition; ++i) {
        auto it = bytesByPartition.find(i);
        weights.push_back(strongReadUnits(it == bytesByPartition.end() ? 0 : it->second));
        weightSum += weights.back();
    }
    for (std::size_t i = firstPartition; i <= lastPartition; ++i) {
        const double share = units * static_cast<double>(weights[i - firstPartition]) / static_cast<double>(weightSum);
        if (!index)
            response.consumed.charge(partitions[i].id, share, 0.0);
        else if (index->isGlobal())
            response.consumed.chargeGlobalIndex(index->name, partitions[i].id, share, 0.0);
        else
            response.consumed.chargeLocalIndex(index->name, partitions[i].id, share, 0.0);
    }
    for (const auto& [i, fetched] : fetchUnitsByPartition)
        response.consumed.charge(partitions[i].id, fetched, 0.0);
    return response;
}


BatchGetItemResponse Engine::batchGetItem(const BatchGetItemRequest& request)
{
    BatchGetItemResponse response;
    std::size_t totalKeys = 0;
    for (const auto& [tableName, entry] : request.requestItems)
        totalKeys += entry.keys.size();
    if (request.requestItems.empty()) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to "
                                             "satisfy constraint: Member must have length greater than or equal to 1");
        return response;
    }
    if (totalKeys > kBatchGetMaxKeys) {
        response.status = Status::validation("Too many items requested for the BatchGetItem call");
        return response;
    }
    // Validate everything before reading anything.
    std::vector<std::optional<expr::Projection>> projections;
    for (const auto& [tableName, entry] : request.requestItems) {
        const TableState* t = table(tableName);
        if (!t) {
            response.status = tableNotFound(tableName);
            return response;
        }
        if (entry.keys.empty()) {
            response.status = Status::validation("1 validation error detected: Value at 'requestItems." + tableName
                + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            return response;
        }
        auto parsedProjection = parseReadProjection(entry.expressionAttributeNames, entry.projectionExpression);
        if (!parsedProjection) {
            response.status = parsedProjection.status();
            return response;
        }
        std::optional<expr::Projection> projection = std::move(parsedProjection).value();
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& key : entry.keys) {
            if (Status s = validateKey(t->key, key, true); !s) {
                response.status = s;
                return response;
            }
            const StoredKey stored = storedKeyOf(t->key, key);
            if (!seen.emplace(stored.partitionKey, stored.sortKey).second) {
                response.status = Status::validation("Provided list of item keys contains duplicates");
                return response;
            }
        }
        projections.push_back(std::move(projection));
    }
    std::int64_t responseBytes = 0;
    std::size_t tableIndex = 0;
    for (const auto& [tableName, entry] : request.requestItems) {
        const TableState* t = table(tableName);
        ConsumedCapacity consumed;
        consumed.tableName = tableName;
        auto& items = response.responses[tableName];
        for (const auto& key : entry.keys) {
            if (responseBytes >= kBatchGetResponseBytes) {
                // Past 16 MB the rest is returned unprocessed, for the caller to retry.
                auto& unprocessed = response.unprocessedKeys[tableName];
                unprocessed.consistentRead = entry.consistentRead;
                unprocessed.projectionExpression = entry.projectionExpression;
                unprocessed.expressionAttributeNames = entry.expressionAttributeNames;
                unprocessed.keys.push_back(key);
                continue;
            }
            const StoredKey stored = storedKeyOf(t->key, key);
            bool found = false;
            std::int64_t size = 0;
            std::string blob;
            if (Status s = m_store->get(t->id, stored, found, size, &blob); !s) {
                response.status = s;
                return response;
            }
            // Each item is rounded separately, then summed (reference A2).
            consumed.charge(t->partitions[t->partitionIndex(stored.hash)].id,
                readUnits(found ? size : 0, consistencyOf(entry.consistentRead)), 0.0);
            if (!found)
                continue;
            auto item = decodeItem(blob);
            if (!item) {
                response.status = item.status();
                return response;
            }
            responseBytes += size;
            const auto& projection = projections[tableIndex];
            items.push_back(projection ? projection->apply(*item) : std::move(item).value());
        }
        response.consumed.push_back(std::move(consumed));
        ++tableIndex;
    }
    return response;
}

} // namespace capsim
