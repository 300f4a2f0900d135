#include "engine/engine.h"

#include "engine/expression/expression.h"
#include "engine/item_codec.h"
#include "engine/key_codec.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr std::int64_t kPageBytes = 1024 * 1024; // Query/Scan read at most 1 MB per call (reference A2)
constexpr std::int64_t kBatchGetResponseBytes = 16 * 1024 * 1024;
constexpr std::size_t kBatchGetMaxKeys = 100;
constexpr std::size_t kBatchWriteMaxRequests = 25;
constexpr std::int64_t kAccountQuotaUnits = 80000;

Status tableNotFound(const std::string& name)
{
    return Status::notFound("Requested resource not found: Table: " + name + " not found");
}

Status invalidParameter(const std::string& what)
{
    return Status::validation("One or more parameter values were invalid: " + what);
}

Status conditionFailed()
{
    return Status(error::kConditionalCheckFailed, "The conditional request failed");
}

Result<expr::ExpressionAttributes> makeAttributes(const ExpressionInput& input)
{
    expr::ExpressionAttributes attributes;
    if (input.names) {
        if (input.names->empty())
            return Status::validation("ExpressionAttributeNames must not be empty");
        attributes.setNames(*input.names);
    }
    if (input.values) {
        if (input.values->empty())
            return Status::validation("ExpressionAttributeValues must not be empty");
        attributes.setValues(*input.values);
    }
    return attributes;
}

Status validateKeyAttribute(const KeyElement& element, const AttributeValue& value, bool isPartitionKey)
{
    if (value.type() != element.type)
        return invalidParameter("Type mismatch for key " + element.name + " expected: " + attrTypeName(element.type)
            + " actual: " + attrTypeName(value.type()));
    const std::int64_t size = valueSizeBytes(value);
    if ((value.is(AttrType::S) || value.is(AttrType::B)) && size == 0)
        return Status::validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                                  "cannot contain an empty "
            + std::string(value.is(AttrType::S) ? "string" : "binary") + " value. Key: " + element.name);
    if (isPartitionKey && size > kMaxPartitionKeyBytes)
        return invalidParameter("Size of hashkey has exceeded the maximum size limit of 2048 bytes");
    if (!isPartitionKey && size > kMaxSortKeyBytes)
        return invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    return Status::ok();
}

// Checks that `item` holds the table's key attributes with the right types. With `exact`, the
// item must be a key and nothing else (the Key parameter of Get/Update/Delete).
Status validateKey(const KeySchema& schema, const Item& item, bool exact)
{
    const std::size_t keyCount = schema.sort ? 2 : 1;
    if (exact && item.size() != keyCount)
        return Status::validation("The provided key element does not match the schema");
    for (int i = 0; i < 2; ++i) {
        const KeyElement* element = i == 0 ? &schema.partition : (schema.sort ? &*schema.sort : nullptr);
        if (!element)
            continue;
        auto it = item.find(element->name);
        if (it == item.end()) {
            if (exact)
                return Status::validation("The provided key element does not match the schema");
            return invalidParameter("Missing the key " + element->name + " in the item");
        }
        if (exact && it->second.type() != element->type)
            return Status::validation("The provided key element does not match the schema");
        CAPSIM_RETURN_IF_ERROR(validateKeyAttribute(*element, it->second, i == 0));
    }
    return Status::ok();
}

StoredKey storedKeyOf(const KeySchema& schema, const Item& item)
{
    StoredKey key;
    key.partitionKey = encodeKeyValue(item.at(schema.partition.name));
    key.hash = partitionHash(key.partitionKey);
    if (schema.sort)
        key.sortKey = encodeKeyValue(item.at(schema.sort->name));
    return key;
}

Item keyOf(const KeySchema& schema, const Item& item)
{
    Item key;
    key.emplace(schema.partition.name, item.at(schema.partition.name));
    if (schema.sort)
        key.emplace(schema.sort->name, item.at(schema.sort->name));
    return key;
}

Item keyFromRow(const KeySchema& schema, const StoredRow& row)
{
    Item key;
    key.emplace(schema.partition.name, decodeKeyValue(schema.partition.type, row.partitionKey));
    if (schema.sort)
        key.emplace(schema.sort->name, decodeKeyValue(schema.sort->type, row.sortKey));
    return key;
}

Consistency consistencyOf(bool consistentRead)
{
    return consistentRead ? Consistency::Strong : Consistency::Eventual;
}

bool validTableName(const std::string& name)
{
    if (name.size() < 3 || name.size() > 255)
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; });
}

// Smallest byte string greater than every string starting with `prefix`, if any.
std::optional<std::string> prefixSuccessor(std::string prefix)
{
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last != 0xFF) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::nullopt;
}

__extension__ using Uint128 = unsigned __int128;

// floor(segment * 2^64 / totalSegments): where segment `segment` of the hash space begins.
std::uint64_t segmentBoundary(std::int64_t segment, std::int64_t totalSegments)
{
    const Uint128 space = static_cast<Uint128>(1) << 64;
    return static_cast<std::uint64_t>(space * static_cast<Uint128>(segment) / static_cast<Uint128>(totalSegments));
}

Status validateCapacity(const char* field, std::int64_t value)
{
    if (value < 1)
        return Status::validation("1 validation error detected: Value '" + std::to_string(value) + "' at '" + field
            + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
    return Status::ok();
}

Status checkReturnValues(ReturnValues value, bool updateItem)
{
    if (!updateItem && value != ReturnValues::None && value != ReturnValues::AllOld)
        return Status::validation("Return values set to invalid value");
    return Status::ok();
}

} // namespace

Engine::Engine(std::unique_ptr<ItemStore> store)
    : m_store(std::move(store))
{
}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& path)
{
    auto store = ItemStore::open(path);
    if (!store)
        return store.status();
    std::unique_ptr<Engine> engine(new Engine(std::move(store).value()));
    auto records = engine->m_store->loadTables();
    if (!records)
        return records.status();
    for (const auto& record : *records) {
        boost::system::error_code ec;
        auto parsed = json::parse(record.descriptionJson, ec);
        if (ec)
            return Status::internal("stored description of table " + record.name + " is not JSON");
        auto table = TableState::fromJson(parsed);
        if (!table)
            return table.status();
        // Counts are derived from the items themselves, so they survive a crash at any point.
        CAPSIM_RETURN_IF_ERROR(engine->recountPartitions(*table));
        engine->m_nextTableId = std::max(engine->m_nextTableId, table->id + 1);
        engine->m_tables.emplace(table->name, std::move(table).value());
    }
    return engine;
}

TableState* Engine::findTable(const std::string& tableName)
{
    auto it = m_tables.find(tableName);
    return it == m_tables.end() ? nullptr : &it->second;
}

const TableState* Engine::table(const std::string& tableName) const
{
    auto it = m_tables.find(tableName);
    return it == m_tables.end() ? nullptr : &it->second;
}

Status Engine::saveTable(const TableState& table)
{
    return m_store->saveTable({ table.id, table.name, json::serialize(table.toJson()) });
}

Status Engine::recountPartitions(TableState& table)
{
    for (auto& partition : table.partitions)
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(
            table.id, partition.hashLow, partition.hashHigh, partition.itemCount, partition.itemBytes));
    return Status::ok();
}

Status Engine::splitOversizedPartition(TableState& table, std::size_t partitionIndex)
{
    // A partition over 10 GB (model.partitionSize) splits in two at the middle of its hash
    // range (reference A3); bulk loads may need several rounds.
    if (static_cast<double>(table.partitions[partitionIndex].billableBytes()) * m_storageWeight
        <= static_cast<double>(m_partitionSplitBytes))
        return Status::ok();
    const std::size_t upper = table.splitPartition(partitionIndex);
    for (std::size_t i : { partitionIndex, upper }) {
        auto& p = table.partitions[i];
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(table.id, p.hashLow, p.hashHigh, p.itemCount, p.itemBytes));
    }
    return saveTable(table);
}

Status Engine::setOnDemandPeak(const std::string& tableName, std::int64_t peakRead, std::int64_t peakWrite)
{
    TableState* table = findTable(tableName);
    if (!table)
        return tableNotFound(tableName);
    table->peakRead = peakRead;
    table->peakWrite = peakWrite;
    const std::size_t needed = onDemandPartitions(peakRead, peakWrite);
    if (table->partitions.size() < needed) {
        table->splitToAtLeast(needed);
        CAPSIM_RETURN_IF_ERROR(recountPartitions(*table));
    }
    return saveTable(*table);
}

Status Engine::splitPartition(const std::string& tableName, std::int64_t partitionId)
{
    TableState* table = findTable(tableName);
    if (!table)
        return tableNotFound(tableName);
    for (std::size_t i = 0; i < table->partitions.size(); ++i) {
        if (table->partitions[i].id != partitionId)
            continue;
        const std::size_t upper = table->splitPartition(i);
        for (std::size_t j : { i, upper }) {
            auto& p = table->partitions[j];
            CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(table->id, p.hashLow, p.hashHigh, p.itemCount, p.itemBytes));
        }
        return saveTable(*table);
    }
    return Status::notFound("table " + tableName + " has no partition " + std::to_string(partitionId));
}

Status Engine::bulkPut(const std::string& tableName, const std::vector<Item>& items)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    for (const auto& item : items) {
        CAPSIM_RETURN_IF_ERROR(validateKey(t->key, item, false));
        CAPSIM_RETURN_IF_ERROR(validateItemLimits(item));
    }
    const std::vector<Partition> saved = t->partitions;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    for (const auto& item : items) {
        const StoredKey key = storedKeyOf(t->key, item);
        bool existed = false;
        std::int64_t oldSize = 0;
        Status s = m_store->get(t->id, key, existed, oldSize, nullptr);
        if (s)
            s = applyWrite(*t, item, &item, oldSize, existed, itemSizeBytes(item), t->partitionIndex(key.hash));
        if (!s) {
            m_store->rollback();
            t->partitions = saved;
            return s;
        }
    }
    return m_store->commit();
}

// ---- control plane ----

Result<TableState> Engine::createTable(const CreateTableRequest& request, EngineTime now)
{
    if (!validTableName(request.tableName))
        return Status::validation("1 validation error detected: Value '" + request.tableName
            + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
    if (m_tables.count(request.tableName))
        return Status(error::kResourceInUse, "Table already exists: " + request.tableName);
    TableState table;
    table.id = m_nextTableId;
    table.name = request.tableName;
    table.key = request.keySchema;
    table.billingMode = request.billingMode;
    table.tableClass = request.tableClass;
    table.createdAt = now;
    table.decreaseTokensAt = now;
    std::size_t partitionCount;
    if (request.billingMode == BillingMode::Provisioned) {
        if (!request.readCapacity || !request.writeCapacity)
            return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
                                    "is PROVISIONED");
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.readCapacityUnits", *request.readCapacity));
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.writeCapacityUnits", *request.writeCapacity));
        if (*request.readCapacity > kTableQuotaUnits || *request.writeCapacity > kTableQuotaUnits)
            return Status(error::kLimitExceeded,
                "Subscriber limit exceeded: Provisioned throughput for table " + request.tableName
                    + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
        std::int64_t accountRead = *request.readCapacity;
        std::int64_t accountWrite = *request.writeCapacity;
        for (const auto& [name, other] : m_tables) {
            accountRead += other.readCapacity;
            accountWrite += other.writeCapacity;
        }
        if (accountRead > kAccountQuotaUnits || accountWrite > kAccountQuotaUnits)
            return Status(error::kLimitExceeded, "Subscriber limit exceeded: Provisioned throughput for the account "
                                                 "would exceed the account limit of "
                    + std::to_string(kAccountQuotaUnits) + " units");
        table.readCapacity = *request.readCapacity;
        table.writeCapacity = *request.writeCapacity;
        partitionCount = throughputPartitions(table.readCapacity, table.writeCapacity);
    } else {
        if (request.readCapacity || request.writeCapacity)
            return invalidParameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        partitionCount = onDemandPartitions(table.peakRead, table.peakWrite);
    }
    // Initial partitions split the hash space evenly (reference A3).
    for (std::size_t i = 0; i < partitionCount; ++i) {
        Partition p;
        p.id = table.nextPartitionId++;
        p.hashLow = segmentBoundary(static_cast<std::int64_t>(i), static_cast<std::int64_t>(partitionCount));
        p.hashHigh = i + 1 == partitionCount
            ? UINT64_MAX
            : segmentBoundary(static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(partitionCount)) - 1;
        table.partitions.push_back(p);
    }
    CAPSIM_RETURN_IF_ERROR(saveTable(table));
    ++m_nextTableId;
    m_tables.emplace(table.name, table);
    return table;
}

Result<TableState> Engine::describeTable(const std::string& tableName) const
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFound(tableName);
    return *t;
}

Result<TableState> Engine::updateTable(const UpdateTableRequest& request, EngineTime now)
{
    TableState* current = findTable(request.tableName);
    if (!current)
        return tableNotFound(request.tableName);
    if (!request.billingMode && !request.readCapacity && !request.writeCapacity && !request.tableClass)
        return Status::validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                  "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    TableState next = *current;
    const BillingMode targetMode = request.billingMode.value_or(current->billingMode);

    if (request.tableClass && *request.tableClass != current->tableClass) {
        // At most 2 table-class changes in a trailing 30 days (reference A4).
        const EngineTime window = 30LL * 24 * kMicrosPerHour;
        std::erase_if(next.tableClassChanges, [&](EngineTime t) { return now - t >= window; });
        if (static_cast<int>(next.tableClassChanges.size()) >= kTableClassChangesPer30Days)
            return Status(error::kLimitExceeded, "Subscriber limit exceeded: Table class can be updated at most "
                                                 "2 times in a trailing 30-day period for table "
                    + request.tableName);
        next.tableClassChanges.push_back(now);
        next.tableClass = *request.tableClass;
    }

    if (targetMode == BillingMode::PayPerRequest) {
        if (request.readCapacity || request.writeCapacity)
            return invalidParameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        if (current->billingMode == BillingMode::Provisioned) {
            const EngineTime window = 24 * kMicrosPerHour;
            std::erase_if(next.payPerRequestSwitches, [&](EngineTime t) { return now - t >= window; });
            if (static_cast<int>(next.payPerRequestSwitches.size()) >= kPayPerRequestSwitchesPerDay)
                return Status(error::kLimitExceeded, "Subscriber limit exceeded: Update to PayPerRequest mode is "
                                                     "limited to 4 times in a rolling 24-hour window for table "
                        + request.tableName);
            next.payPerRequestSwitches.push_back(now);
            // A switched table's previous peak is half its provisioned throughput, at least the
            // new-table default (reference C5), so it serves its old provisioned level at once.
            next.peakRead = std::max(next.peakRead, current->readCapacity / 2);
            next.peakWrite = std::max(next.peakWrite, current->writeCapacity / 2);
            next.readCapacity = 0;
            next.writeCapacity = 0;
            next.billingMode = BillingMode::PayPerRequest;
        }
        next.splitToAtLeast(onDemandPartitions(next.peakRead, next.peakWrite));
    } else {
        const bool switching = current->billingMode == BillingMode::PayPerRequest;
        if (switching && (!request.readCapacity || !request.writeCapacity))
            return invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        if (request.readCapacity.has_value() != request.writeCapacity.has_value())
            return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified");
        if (request.readCapacity) {
            const std::int64_t read = *request.readCapacity;
            const std::int64_t write = *request.writeCapacity;
            CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.readCapacityUnits", read));
            CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.writeCapacityUnits", write));
            if (!switching && read == current->readCapacity && write == current->writeCapacity && !request.tableClass)
                return Status::validation("The provisioned throughput for the table will not change. The requested "
                                          "value equals the current value. Current ReadCapacityUnits provisioned for "
                                          "the table: "
                    + std::to_string(read) + ". Requested ReadCapacityUnits: " + std::to_string(read)
                    + ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(write)
                    + ". Requested WriteCapacityUnits: " + std::to_string(write)
                    + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
                      "limits.");
            if (read > kTableQuotaUnits || write > kTableQuotaUnits)
                return Status(error::kLimitExceeded,
                    "Subscriber limit exceeded: Provisioned throughput for table " + request.tableName
                        + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
            const bool decrease = !switching && (read < current->readCapacity || write < current->writeCapacity);
            const bool increase = switching || read > current->readCapacity || write > current->writeCapacity;
            if (decrease) {
                // Decreases: a bucket of 4 refilled by 1 per hour (reference A4).
                const double refill = static_cast<double>(now - next.decreaseTokensAt) / static_cast<double>(kMicrosPerHour);
                next.decreaseTokens = std::min<double>(kDecreaseBudget, next.decreaseTokens + std::max(0.0, refill));
                next.decreaseTokensAt = now;
                if (next.decreaseTokens < 1.0)
                    return Status(error::kLimitExceeded,
                        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC "
                        "day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
                        "performed at most once every 3600 seconds. Number of decreases today: "
                            + std::to_string(current->decreasesToday) + ". Table: " + request.tableName);
                next.decreaseTokens -= 1.0;
                const EngineTime day = 24 * kMicrosPerHour;
                next.decreasesToday = (now / day == current->lastDecreaseAt / day && current->lastDecreaseAt > 0)
                    ? current->decreasesToday + 1
                    : 1;
                next.lastDecreaseAt = now;
            }
            if (increase)
                next.lastIncreaseAt = now;
            next.readCapacity = read;
            next.writeCapacity = write;
        }
        next.billingMode = BillingMode::Provisioned;
        // Raising throughput past what the partitions support doubles them (reference A3).
        const std::size_t needed = throughputPartitions(next.readCapacity, next.writeCapacity);
        if (next.partitions.size() < needed) {
            std::size_t count = next.partitions.size();
            while (count < needed)
                count *= 2;
            next.splitToAtLeast(count);
        }
    }
    if (next.partitions.size() != current->partitions.size())
        CAPSIM_RETURN_IF_ERROR(recountPartitions(next));
    CAPSIM_RETURN_IF_ERROR(saveTable(next));
    *current = std::move(next);
    return *current;
}

Result<TableState> Engine::deleteTable(const std::string& tableName)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    TableState removed = *t;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status status = m_store->deleteTable(removed.id);
    if (!status) {
        m_store->rollback();
        return status;
    }
    CAPSIM_RETURN_IF_ERROR(m_store->commit());
    m_tables.erase(tableName);
    return removed;
}

Result<ListTablesResult> Engine::listTables(
    const std::optional<std::string>& exclusiveStartTableName, std::optional<std::int64_t> limit) const
{
    const std::int64_t pageSize = limit.value_or(100);
    if (pageSize < 1 || pageSize > 100)
        return Status::validation("1 validation error detected: Value '" + std::to_string(pageSize)
            + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100 and "
              "greater than or equal to 1");
    ListTablesResult result;
    auto it = exclusiveStartTableName ? m_tables.upper_bound(*exclusiveStartTableName) : m_tables.begin();
    for (; it != m_tables.end(); ++it) {
        if (static_cast<std::int64_t>(result.tableNames.size()) == pageSize) {
            result.lastEvaluatedTableName = result.tableNames.back();
            break;
        }
        result.tableNames.push_back(it->first);
    }
    return result;
}

// ---- data plane ----

Status Engine::applyWrite(TableState& table, const Item& key, const Item* newItem, std::int64_t oldSize, bool existed,
    std::int64_t newSize, std::size_t partitionIndex)
{
    const StoredKey stored = storedKeyOf(table.key, key);
    Partition& partition = table.partitions[partitionIndex];
    if (newItem) {
        CAPSIM_RETURN_IF_ERROR(m_store->put(table.id, stored, newSize, encodeItem(*newItem)));
        partition.itemCount += existed ? 0 : 1;
        partition.itemBytes += newSize - (existed ? oldSize : 0);
        return splitOversizedPartition(table, partitionIndex);
    }
    if (existed) {
        CAPSIM_RETURN_IF_ERROR(m_store->erase(table.id, stored));
        partition.itemCount -= 1;
        partition.itemBytes -= oldSize;
    }
    return Status::ok();
}

GetItemResponse Engine::getItem(const GetItemRequest& request)
{
    GetItemResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    if (!t) {
        response.status = tableNotFound(request.tableName);
        return response;
    }
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes) {
        response.status = attributes.status();
        return response;
    }
    std::optional<expr::Projection> projection;
    if (request.projectionExpression) {
        auto parsed = expr::parseProjection(*request.projectionExpression, *attributes);
        if (!parsed) {
            response.status = parsed.status();
            return response;
        }
        projection = std::move(parsed).value();
    }
    if (Status s = attributes->checkAllUsed(); !s) {
        response.status = s;
        return response;
    }
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
    const bool readWhole = needOldItem || request.returnOldOnConditionFailure || condition.has_value();
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

WriteResponse Engine::putItem(const PutItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.item, false,
        request.returnValues == ReturnValues::AllOld, response);
    if (!c.proceed)
        return response;
    if (Status s = validateItemLimits(request.item); !s) {
        response.status = s;
        return response;
    }
    const std::int64_t newSize = itemSizeBytes(request.item);
    const std::int64_t partitionId = c.table->partitions[c.partitionIndex].id;
    if (Status s = applyWrite(*c.table, request.item, &request.item, c.oldSize, c.existed, newSize, c.partitionIndex); !s) {
        response.status = s;
        return response;
    }
    // Over an existing item, the larger of old and new counts (reference A2).
    response.consumed.charge(partitionId, 0.0, static_cast<double>(writeUnits(std::max(c.oldSize, newSize))));
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
    Item newItem = c.oldItem.value_or(request.key);
    if (c.update) {
        if (Status s = c.update->apply(newItem); !s) {
            response.status = s;
            return response;
        }
    }
    if (Status s = validateItemLimits(newItem); !s) {
        response.status = s;
        return response;
    }
    const std::int64_t newSize = itemSizeBytes(newItem);
    const std::int64_t partitionId = c.table->partitions[c.partitionIndex].id;
    if (Status s = applyWrite(*c.table, request.key, &newItem, c.oldSize, c.existed, newSize, c.partitionIndex); !s) {
        response.status = s;
        return response;
    }
    // UpdateItem costs the larger of the item before and after (reference A2).
    response.consumed.charge(partitionId, 0.0, static_cast<double>(writeUnits(std::max(c.oldSize, newSize))));
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
        request.returnValues == ReturnValues::AllOld, response);
    if (!c.proceed)
        return response;
    const std::int64_t partitionId = c.table->partitions[c.partitionIndex].id;
    if (Status s = applyWrite(*c.table, request.key, nullptr, c.oldSize, c.existed, 0, c.partitionIndex); !s) {
        response.status = s;
        return response;
    }
    // The deleted item's size; deleting a missing item costs 1 (reference A2).
    response.consumed.charge(partitionId, 0.0, static_cast<double>(writeUnits(c.existed ? c.oldSize : 0)));
    if (request.returnValues == ReturnValues::AllOld && c.oldItem)
        response.attributes = std::move(c.oldItem);
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
    out = select.value_or(projection ? Select::SpecificAttributes : Select::AllAttributes);
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

// Accepts an evaluated item into a page: filter, count, project.
void acceptItem(ReadPageResponse& response, const PageSetup& setup, Item item)
{
    ++response.scannedCount;
    if (setup.filter && !setup.filter->evaluate(item))
        return;
    ++response.count;
    if (setup.select == Select::Count)
        return;
    response.items.push_back(setup.projection ? setup.projection->apply(item) : std::move(item));
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
    if (!t)
        return fail(tableNotFound(request.tableName));
    if (request.indexName)
        return fail(Status::validation("The table does not have the specified index: " + *request.indexName));
    PageSetup setup;
    if (Status s = validateSelect(request.select, request.projectionExpression, request.indexName, setup.select); !s)
        return fail(s);
    if (Status s = validateLimit(request.limit); !s)
        return fail(s);
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    auto keyCondition = expr::parseKeyCondition(request.keyConditionExpression, *attributes, t->key.partition.name,
        t->key.partition.type, t->key.sort ? std::optional<std::string>(t->key.sort->name) : std::nullopt,
        t->key.sort ? t->key.sort->type : AttrType::S);
    if (!keyCondition)
        return fail(keyCondition.status());
    if (request.filterExpression) {
        auto parsed = expr::parseCondition(*request.filterExpression, *attributes, "FilterExpression");
        if (!parsed)
            return fail(parsed.status());
        for (const auto& name : parsed->topLevelNames()) {
            if (name == t->key.partition.name || (t->key.sort && name == t->key.sort->name))
                return fail(Status::validation("Filter Expression can only contain non-primary key attributes: "
                                               "Primary key attribute: "
                    + name));
        }
        setup.filter = std::move(parsed).value();
    }
    if (request.projectionExpression) {
        auto parsed = expr::parseProjection(*request.projectionExpression, *attributes);
        if (!parsed)
            return fail(parsed.status());
        setup.projection = std::move(parsed).value();
    }
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    if (Status s = validateKeyAttribute(t->key.partition, keyCondition->partitionValue, true); !s)
        return fail(s);

    const std::string partitionKey = encodeKeyValue(keyCondition->partitionValue);
    const std::uint64_t hash = partitionHash(partitionKey);
    std::optional<std::string> startAfter;
    if (request.exclusiveStartKey) {
        if (Status s = validateKey(t->key, *request.exclusiveStartKey, true); !s)
            return fail(Status::validation("The provided starting key is invalid: " + s.message()));
        if (!(request.exclusiveStartKey->at(t->key.partition.name) == keyCondition->partitionValue))
            return fail(Status::validation("The provided starting key is outside query range"));
        if (t->key.sort)
            startAfter = encodeKeyValue(request.exclusiveStartKey->at(t->key.sort->name));
    }
    SortKeyRange range;
    using Op = expr::KeyCondition::SortOp;
    const auto& kc = *keyCondition;
    switch (kc.sortOp) {
    case Op::None: break;
    case Op::Eq: range.lower = range.upper = encodeKeyValue(kc.sortValue1); break;
    case Op::Lt: range.upper = encodeKeyValue(kc.sortValue1), range.upperInclusive = false; break;
    case Op::Le: range.upper = encodeKeyValue(kc.sortValue1); break;
    case Op::Gt: range.lower = encodeKeyValue(kc.sortValue1), range.lowerInclusive = false; break;
    case Op::Ge: range.lower = encodeKeyValue(kc.sortValue1); break;
    case Op::Between:
        range.lower = encodeKeyValue(kc.sortValue1);
        range.upper = encodeKeyValue(kc.sortValue2);
        break;
    case Op::BeginsWith:
        range.lower = encodeKeyValue(kc.sortValue1);
        range.upper = prefixSuccessor(*range.lower);
        range.upperInclusive = false;
        break;
    }
    std::int64_t evaluatedBytes = 0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status decodeStatus;
    // Without a sort key an item collection is one item: a page after it holds nothing.
    const bool exhausted = request.exclusiveStartKey && !t->key.sort;
    Status status = exhausted ? Status::ok() : m_store->queryCollection(t->id, hash, partitionKey, range, request.scanIndexForward,
        startAfter ? &*startAfter : nullptr, [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            lastItem = keyOf(t->key, *item);
            acceptItem(response, setup, std::move(item).value());
            // A page ends at Limit items evaluated or 1 MB read, before the filter (reference A2).
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
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
    // Query sums the sizes of all items evaluated and rounds once (reference A2).
    response.consumed.charge(t->partitions[t->partitionIndex(hash)].id,
        readUnits(evaluatedBytes, consistencyOf(request.consistentRead)), 0.0);
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
    if (!t)
        return fail(tableNotFound(request.tableName));
    if (request.indexName)
        return fail(Status::validation("The table does not have the specified index: " + *request.indexName));
    PageSetup setup;
    if (Status s = validateSelect(request.select, request.projectionExpression, request.indexName, setup.select); !s)
        return fail(s);
    if (Status s = validateLimit(request.limit); !s)
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
        hashLow = segmentBoundary(segment, total);
        hashHigh = segment + 1 == total ? UINT64_MAX : segmentBoundary(segment + 1, total) - 1;
    }
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    if (request.filterExpression) {
        auto parsed = expr::parseCondition(*request.filterExpression, *attributes, "FilterExpression");
        if (!parsed)
            return fail(parsed.status());
        setup.filter = std::move(parsed).value();
    }
    if (request.projectionExpression) {
        auto parsed = expr::parseProjection(*request.projectionExpression, *attributes);
        if (!parsed)
            return fail(parsed.status());
        setup.projection = std::move(parsed).value();
    }
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    std::optional<StoredKey> startAfter;
    if (request.exclusiveStartKey) {
        if (Status s = validateKey(t->key, *request.exclusiveStartKey, true); !s)
            return fail(Status::validation("The provided starting key is invalid: " + s.message()));
        startAfter = storedKeyOf(t->key, *request.exclusiveStartKey);
        if (startAfter->hash < hashLow || startAfter->hash > hashHigh)
            return fail(Status::validation("The provided Exclusive start key does not map to the provided segment"));
    }
    const std::size_t firstPartition = t->partitionIndex(startAfter ? startAfter->hash : hashLow);
    std::size_t lastPartition = t->partitionIndex(hashHigh);
    std::map<std::size_t, std::int64_t> bytesByPartition;
    std::int64_t evaluatedBytes = 0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status decodeStatus;
    Status status = m_store->scanRange(t->id, hashLow, hashHigh, startAfter ? &*startAfter : nullptr,
        [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            bytesByPartition[t->partitionIndex(row.hash)] += row.sizeBytes;
            lastItem = keyFromRow(t->key, row);
            acceptItem(response, setup, std::move(item).value());
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
                lastPartition = t->partitionIndex(row.hash);
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
    const double multiplier = request.consistentRead ? 1.0 : 0.5;
    const std::int64_t strongUnits = std::max(strongReadUnits(evaluatedBytes), touched);
    const double units = multiplier * static_cast<double>(strongUnits);
    std::int64_t weightSum = 0;
    std::vector<std::int64_t> weights;
    for (std::size_t i = firstPartition; i <= lastPartition; ++i) {
        auto it = bytesByPartition.find(i);
        weights.push_back(strongReadUnits(it == bytesByPartition.end() ? 0 : it->second));
        weightSum += weights.back();
    }
    for (std::size_t i = firstPartition; i <= lastPartition; ++i)
        response.consumed.charge(t->partitions[i].id,
            units * static_cast<double>(weights[i - firstPartition]) / static_cast<double>(weightSum), 0.0);
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
        ExpressionInput input;
        input.names = entry.expressionAttributeNames;
        auto attributes = makeAttributes(input);
        if (!attributes) {
            response.status = attributes.status();
            return response;
        }
        std::optional<expr::Projection> projection;
        if (entry.projectionExpression) {
            auto parsed = expr::parseProjection(*entry.projectionExpression, *attributes);
            if (!parsed) {
                response.status = parsed.status();
                return response;
            }
            projection = std::move(parsed).value();
        }
        if (Status s = attributes->checkAllUsed(); !s) {
            response.status = s;
            return response;
        }
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
                if (Status s = validateItemLimits(write.item); !s) {
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
    std::map<std::string, std::vector<Partition>> savedPartitions;
    for (const auto& [tableName, writes] : request.requestItems)
        savedPartitions[tableName] = findTable(tableName)->partitions;
    auto restore = [&]() {
        m_store->rollback();
        for (auto& [tableName, partitions] : savedPartitions)
            findTable(tableName)->partitions = partitions;
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
            bool existed = false;
            std::int64_t oldSize = 0;
            Status s = m_store->get(t->id, stored, existed, oldSize, nullptr);
            const std::size_t partitionIndex = t->partitionIndex(stored.hash);
            const std::int64_t partitionId = t->partitions[partitionIndex].id;
            const std::int64_t newSize = write.isPut ? itemSizeBytes(write.item) : 0;
            if (s)
                s = applyWrite(*t, write.item, write.isPut ? &write.item : nullptr, oldSize, existed, newSize,
                    partitionIndex);
            if (!s) {
                restore();
                response.status = s;
                return response;
            }
            // Each request rounds separately (reference A2).
            consumed.charge(partitionId, 0.0,
                static_cast<double>(writeUnits(write.isPut ? std::max(oldSize, newSize) : (existed ? oldSize : 0))));
        }
        response.consumed.push_back(std::move(consumed));
    }
    if (Status s = m_store->commit(); !s) {
        restore();
        response.status = s;
        response.consumed.clear();
    }
    return response;
}

CapacityUnits ConsumedCapacity::total() const
{
    CapacityUnits sum = table;
    for (const auto& [name, units] : globalSecondaryIndexes) {
        sum.read += units.read;
        sum.write += units.write;
    }
    for (const auto& [name, units] : localSecondaryIndexes) {
        sum.read += units.read;
        sum.write += units.write;
    }
    return sum;
}

void ConsumedCapacity::charge(std::int64_t partitionId, double read, double write)
{
    table.read += read;
    table.write += write;
    for (auto& p : partitions) {
        if (p.partitionId == partitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    partitions.push_back({ partitionId, read, write });
}

} // namespace capsim
