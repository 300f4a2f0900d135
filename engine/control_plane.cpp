// The control plane: CreateTable, UpdateTable, DeleteTable, DescribeTable and ListTables, with
// the quotas of engine/quotas.h.

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/quotas.h"
#include "engine/sqlite/ttl_schedule.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace capsim {

using namespace engine_internal;

namespace {

Status validateCapacity(const char* field, std::int64_t value)
{
    if (value < 1)
        return Status::validation("1 validation error detected: Value '" + std::to_string(value) + "' at '" + field
            + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
    return Status::ok();
}

// LimitExceededException when `read` or `write` exceeds the per-table quota; `kind` and `name`
// say what asked for it ("table" or "index", and its name).
Status checkTableQuota(const char* kind, const std::string& name, std::int64_t read, std::int64_t write)
{
    if (read > kTableQuotaUnits || write > kTableQuotaUnits)
        return Status(error::kLimitExceeded,
            std::string("Subscriber limit exceeded: Provisioned throughput for ") + kind + " " + name
                + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
    return Status::ok();
}

} // namespace

Result<TableState> Engine::createTable(const CreateTableRequest& request, EngineTime now)
{
    m_now = now;
    if (!validTableName(request.tableName))
        return invalidTableName(request.tableName);
    if (m_tables.count(tableKey(request.tableName)))
        return Status(error::kResourceInUse, "Table already exists: " + request.tableName);
    TableState table;
    table.id = m_nextTableId;
    table.name = request.tableName;
    table.region = m_region;
    table.key = request.keySchema;
    table.billingMode = request.billingMode;
    table.tableClass = request.tableClass;
    table.createdAt = now;
    table.decreaseTokensAt = now;
    if (request.billingMode == BillingMode::PayPerRequest)
        table.lastPayPerRequestAt = now;
    std::size_t partitionCount;
    if (request.billingMode == BillingMode::Provisioned) {
        if (!request.readCapacity || !request.writeCapacity)
            return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
                                    "is PROVISIONED");
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.readCapacityUnits", *request.readCapacity));
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.writeCapacityUnits", *request.writeCapacity));
        CAPSIM_RETURN_IF_ERROR(
            checkTableQuota("table", request.tableName, *request.readCapacity, *request.writeCapacity));
        std::int64_t accountRead = *request.readCapacity;
        std::int64_t accountWrite = *request.writeCapacity;
        for (const auto& [name, other] : m_tables) {
            if (other.region != m_region)
                continue; // account quotas are per region
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
    table.partitions = evenPartitions(partitionCount, table.nextPartitionId);

    if (request.globalSecondaryIndexes.size() > kMaxGlobalSecondaryIndexes)
        return Status(error::kLimitExceeded, "Subscriber limit exceeded: The number of global secondary indexes ("
                + std::to_string(request.globalSecondaryIndexes.size()) + ") exceeds the per-table limit of "
                + std::to_string(kMaxGlobalSecondaryIndexes));
    if (request.localSecondaryIndexes.size() > kMaxLocalSecondaryIndexes)
        return invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of "
            + std::to_string(kMaxLocalSecondaryIndexes));
    std::int64_t nextId = m_nextTableId + 1;
    std::size_t projected = 0;
    for (const auto* list : { &request.globalSecondaryIndexes, &request.localSecondaryIndexes }) {
        const bool global = list == &request.globalSecondaryIndexes;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const IndexDefinition& definition = (*list)[i];
            auto index = buildIndex(table, definition, global ? IndexKind::Global : IndexKind::Local,
                table.billingMode,
                std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.") + std::to_string(i + 1)
                    + ".member");
            if (!index)
                return index.status();
            if (table.findIndex(definition.name))
                return invalidParameter("Duplicate index name: " + definition.name);
            index->id = nextId++;
            projected += index->nonKeyAttributes.size();
            table.indexes.push_back(std::move(index).value());
        }
    }
    // NonKeyAttributes count across all indexes, an attribute in two indexes twice (reference C 2.5).
    if (projected > kMaxProjectedAttributes)
        return invalidParameter("The sum of NonKeyAttributes across all secondary indexes ("
            + std::to_string(projected) + ") exceeds the limit of " + std::to_string(kMaxProjectedAttributes));
    if (request.streamSpecification)
        CAPSIM_RETURN_IF_ERROR(planStreamChange(nullptr, table, *request.streamSpecification, now));
    if (table.stream.enabled) {
        // The stream and the table are created together (its shards open as the table is saved).
        CAPSIM_RETURN_IF_ERROR(m_store->begin());
        Status stored = applyStreamChange(nullptr, &table, now);
        if (stored)
            stored = saveTable(table);
        if (stored)
            stored = m_store->commit();
        if (!stored) {
            m_store->rollback();
            return stored;
        }
    } else {
        CAPSIM_RETURN_IF_ERROR(saveTable(table));
    }
    m_nextTableId = nextId;
    m_tables.emplace(tableKey(table.region, table.name), table);
    return table;
}

Result<IndexState> Engine::buildIndex(const TableState& table, const IndexDefinition& definition, IndexKind kind,
    BillingMode mode, const std::string& path) const
{
    if (!validTableName(definition.name))
        return Status::validation("1 validation error detected: Value '" + definition.name + "' at '" + path
            + ".indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
    IndexState index;
    index.name = definition.name;
    index.kind = kind;
    index.key = definition.key;
    index.projection = definition.projection;
    const char* projectionName = projectionTypeName(definition.projection);
    if (definition.projection == ProjectionType::Include) {
        if (!definition.nonKeyAttributes || definition.nonKeyAttributes->empty())
            return invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        index.nonKeyAttributes = *definition.nonKeyAttributes;
        std::set<std::string> unique(index.nonKeyAttributes.begin(), index.nonKeyAttributes.end());
        if (unique.size() != index.nonKeyAttributes.size())
            for (std::size_t i = 0; i < index.nonKeyAttributes.size(); ++i)
                if (std::count(index.nonKeyAttributes.begin(), index.nonKeyAttributes.begin()
                            + static_cast<std::ptrdiff_t>(i), index.nonKeyAttributes[i]) > 0)
                    return invalidParameter("Duplicate element in NonKeyAttributes: " + index.nonKeyAttributes[i]);
    } else if (definition.nonKeyAttributes) {
        return invalidParameter(std::string("ProjectionType is ") + projectionName
            + ", but NonKeyAttributes is specified");
    }
    if (kind == IndexKind::Local) {
        if (!table.key.sort)
            return invalidParameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        if (definition.key.partition.name != table.key.partition.name)
            return invalidParameter("Index KeySchema does not have the same leading hash key as table KeySchema for "
                                    "index: "
                + definition.name + ". index hash key: " + definition.key.partition.name
                + ", table hash key: " + table.key.partition.name);
        if (!definition.key.sort)
            return invalidParameter("Index KeySchema does not have a range key for index: " + definition.name);
        if (definition.readCapacity || definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                + ": local secondary indexes use the table's capacity");
        // Counting only: LSI entries live in the table's partitions.
        index.partitions = evenPartitions(1, index.nextPartitionId);
        return index;
    }
    std::size_t partitionCount = 0;
    if (mode == BillingMode::Provisioned) {
        if (!definition.readCapacity || !definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput must be specified for index: " + definition.name);
        CAPSIM_RETURN_IF_ERROR(validateCapacity(
            (path + ".provisionedThroughput.readCapacityUnits").c_str(), *definition.readCapacity));
        CAPSIM_RETURN_IF_ERROR(validateCapacity(
            (path + ".provisionedThroughput.writeCapacityUnits").c_str(), *definition.writeCapacity));
        CAPSIM_RETURN_IF_ERROR(
            checkTableQuota("index", definition.name, *definition.readCapacity, *definition.writeCapacity));
        index.readCapacity = *definition.readCapacity;
        index.writeCapacity = *definition.writeCapacity;
        partitionCount = throughputPartitions(index.readCapacity, index.writeCapacity);
    } else {
        if (definition.readCapacity || definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                + " when BillingMode is PAY_PER_REQUEST");
        // A new on-demand GSI starts like a new on-demand table (reference A3).
        partitionCount = onDemandPartitions(kOnDemandInitialPeakRead, kOnDemandInitialPeakWrite);
    }
    index.partitions = evenPartitions(partitionCount, index.nextPartitionId);
    return index;
}

Result<TableState> Engine::describeTable(const std::string& tableName) const
{
    // DescribeTable also sees a table an import (A9) or a restore (A8) is creating.
    auto it = m_tables.find(tableKey(tableName));
    if (it == m_tables.end())
        return tableNotFound(tableName);
    return it->second;
}

Result<TableState> Engine::updateTable(const UpdateTableRequest& request, EngineTime now)
{
    m_now = now;
    TableState* current = findTable(request.tableName);
    if (!current)
        return tableNotFound(request.tableName);
    if (!request.billingMode && !request.readCapacity && !request.writeCapacity && !request.tableClass
        && request.globalSecondaryIndexUpdates.empty() && !request.streamSpecification)
        return Status::validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                  "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    // A billing-mode change needs the table ACTIVE: not while another update is in flight.
    if (request.billingMode && *request.billingMode != current->billingMode && current->isUpdating(now))
        return Status(error::kResourceInUse,
            "Attempt to change a resource which is still in use: Table is being updated: " + request.tableName);
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
            next.lastPayPerRequestAt = now;
            // A switched table's previous peak is half its provisioned throughput, at least the
            // new-table default (reference C5), so it serves its old provisioned level at once.
            next.peakRead = std::max(next.peakRead, current->readCapacity / 2);
            next.peakWrite = std::max(next.peakWrite, current->writeCapacity / 2);
            next.readCapacity = 0;
            next.writeCapacity = 0;
            next.billingMode = BillingMode::PayPerRequest;
        }
        next.growEvenlyTo(onDemandPartitions(next.peakRead, next.peakWrite));
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
            CAPSIM_RETURN_IF_ERROR(checkTableQuota("table", request.tableName, read, write));
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

    // ---- global secondary indexes ----
    using Action = GlobalSecondaryIndexUpdate::Action;
    const auto& updates = request.globalSecondaryIndexUpdates;
    const auto onlineChanges = std::count_if(
        updates.begin(), updates.end(), [](const GlobalSecondaryIndexUpdate& u) { return u.action != Action::Update; });
    const bool backfilling = std::any_of(current->indexes.begin(), current->indexes.end(),
        [](const IndexState& i) { return i.status == IndexStatus::Creating; });
    if (onlineChanges > 1 || (onlineChanges == 1 && backfilling))
        return Status(error::kLimitExceeded,
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    std::vector<std::int64_t> removedIndexIds;
    std::set<std::string> updated;
    std::int64_t nextId = m_nextTableId;
    for (std::size_t u = 0; u < updates.size(); ++u) {
        const IndexDefinition& definition = updates[u].index;
        const std::string path = "globalSecondaryIndexUpdates." + std::to_string(u + 1) + ".member";
        IndexState* existing = next.findIndex(definition.name);
        switch (updates[u].action) {
        case Action::Create: {
            if (existing)
                return invalidParameter("Attempting to create an index which already exists: " + definition.name);
            const auto globals = std::count_if(
                next.indexes.begin(), next.indexes.end(), [](const IndexState& i) { return i.isGlobal(); });
            if (static_cast<std::size_t>(globals) >= kMaxGlobalSecondaryIndexes)
                return Status(error::kLimitExceeded, "Subscriber limit exceeded: The number of global secondary "
                                                     "indexes exceeds the per-table limit of "
                        + std::to_string(kMaxGlobalSecondaryIndexes));
            // AttributeDefinitions may not give an existing key attribute another type.
            std::vector<const KeyElement*> existingKeys { &next.key.partition };
            if (next.key.sort)
                existingKeys.push_back(&*next.key.sort);
            for (const auto& other : next.indexes) {
                existingKeys.push_back(&other.key.partition);
                if (other.key.sort)
                    existingKeys.push_back(&*other.key.sort);
            }
            for (const KeyElement* wanted : { &definition.key.partition,
                     definition.key.sort ? &*definition.key.sort : static_cast<const KeyElement*>(nullptr) }) {
                if (!wanted)
                    continue;
                for (const KeyElement* known : existingKeys)
                    if (known->name == wanted->name && known->type != wanted->type)
                        return invalidParameter("Cannot change the type of key attribute " + wanted->name + " from "
                            + attrTypeName(known->type) + " to " + attrTypeName(wanted->type)
                            + " in AttributeDefinitions");
            }
            auto index = buildIndex(next, definition, IndexKind::Global, next.billingMode, path + ".create");
            if (!index)
                return index.status();
            std::size_t projected = index->nonKeyAttributes.size();
            for (const auto& other : next.indexes)
                projected += other.nonKeyAttributes.size();
            if (projected > kMaxProjectedAttributes)
                return invalidParameter("The sum of NonKeyAttributes across all secondary indexes ("
                    + std::to_string(projected) + ") exceeds the limit of " + std::to_string(kMaxProjectedAttributes));
            // A new GSI is CREATING until backfillIndex has indexed every existing item.
            index->id = nextId++;
            index->status = IndexStatus::Creating;
            next.indexes.push_back(std::move(index).value());
            break;
        }
        case Action::Update: {
            if (!existing || !existing->isGlobal())
                return Status::notFound("Requested resource not found: Index: " + definition.name
                    + " not found in table " + request.tableName);
            if (next.billingMode != BillingMode::Provisioned)
                return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                    + " when BillingMode is PAY_PER_REQUEST");
            if (!definition.readCapacity || !definition.writeCapacity)
                return invalidParameter("ProvisionedThroughput must be specified for index: " + definition.name);
            CAPSIM_RETURN_IF_ERROR(validateCapacity(
                (path + ".update.provisionedThroughput.readCapacityUnits").c_str(), *definition.readCapacity));
            CAPSIM_RETURN_IF_ERROR(validateCapacity(
                (path + ".update.provisionedThroughput.writeCapacityUnits").c_str(), *definition.writeCapacity));
            CAPSIM_RETURN_IF_ERROR(
                checkTableQuota("index", definition.name, *definition.readCapacity, *definition.writeCapacity));
            existing->readCapacity = *definition.readCapacity;
            existing->writeCapacity = *definition.writeCapacity;
            // A GSI's partitions double like a table's when its throughput outgrows them (reference A3).
            const std::size_t needed = throughputPartitions(existing->readCapacity, existing->writeCapacity);
            std::size_t count = existing->partitions.size();
            while (count < needed)
                count *= 2;
            if (count != existing->partitions.size()) {
                while (existing->partitions.size() < count)
                    for (std::size_t i = existing->partitions.size(); i-- > 0;)
                        splitPartitionIn(existing->partitions, existing->nextPartitionId, i);
                CAPSIM_RETURN_IF_ERROR(recountIndexPartitions(*existing));
            }
            updated.insert(definition.name);
            break;
        }
        case Action::Delete:
            if (!existing)
                return Status::notFound("Requested resource not found: Index: " + definition.name
                    + " not found in table " + request.tableName);
            if (!existing->isGlobal())
                return invalidParameter("Local secondary indexes cannot be deleted: " + definition.name);
            removedIndexIds.push_back(existing->id);
            std::erase_if(next.indexes, [&](const IndexState& i) { return i.name == definition.name; });
            break;
        }
    }
    // GSIs follow the table's billing mode: on-demand drops their provisioned capacity and gives
    // them the on-demand partitions; switching to provisioned needs capacity for each of them.
    for (auto& index : next.indexes) {
        if (!index.isGlobal())
            continue;
        if (next.billingMode == BillingMode::PayPerRequest && current->billingMode == BillingMode::Provisioned) {
            index.readCapacity = 0;
            index.writeCapacity = 0;
            const std::size_t needed = onDemandPartitions(kOnDemandInitialPeakRead, kOnDemandInitialPeakWrite);
            if (index.partitions.size() < needed) {
                while (index.partitions.size() < needed)
                    for (std::size_t i = index.partitions.size(); i-- > 0;)
                        splitPartitionIn(index.partitions, index.nextPartitionId, i);
                CAPSIM_RETURN_IF_ERROR(recountIndexPartitions(index));
            }
        } else if (next.billingMode == BillingMode::Provisioned && current->billingMode == BillingMode::PayPerRequest
            && index.status == IndexStatus::Active && !updated.count(index.name)) {
            return invalidParameter("ProvisionedThroughput must be specified for index: " + index.name);
        }
    }
    // The update is in flight for the configured duration (0 by default: over at once).
    if (m_updateTableDuration > 0)
        next.updatingUntil = now + m_updateTableDuration;
    if (request.streamSpecification)
        CAPSIM_RETURN_IF_ERROR(planStreamChange(current, next, *request.streamSpecification, now));
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status stored;
    for (std::int64_t id : removedIndexIds)
        if (stored)
            stored = m_store->deleteTable(id);
    if (stored)
        stored = applyStreamChange(current, &next, now);
    if (stored)
        stored = saveTable(next);
    if (stored)
        stored = m_store->commit();
    if (!stored) {
        m_store->rollback();
        return stored;
    }
    m_nextTableId = nextId;
    *current = std::move(next);
    return *current;
}

Result<TableState> Engine::deleteTable(const std::string& tableName)
{
    if (auto creating = m_tables.find(tableKey(tableName)); creating != m_tables.end() && creating->second.isCreating())
        return Status(error::kResourceInUse,
            "Attempt to change a resource which is still in use: Table is being created: " + tableName);
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    // A global table's replicas go through UpdateTable's ReplicaUpdates (reference A11).
    if (t->isGlobal())
        return Status::validation("Table " + tableName + " is a replica of a global table: delete its replicas "
                                  "through UpdateTable ReplicaUpdates first");
    TableState removed = *t;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    // The system backup copies the items before they go.
    Status status = pitrOnDeleteTable(removed);
    if (status)
        status = m_store->deleteTable(removed.id);
    if (status)
        status = m_ttlSchedule->clearTable(removed.id);
    for (const auto& index : removed.indexes)
        if (status)
            status = m_store->deleteTable(index.id);
    // The table's stream is disabled with it and stays readable for its retention (C 8).
    if (status)
        status = applyStreamChange(&removed, nullptr, m_now);
    if (!status) {
        m_store->rollback();
        return status;
    }
    CAPSIM_RETURN_IF_ERROR(m_store->commit());
    m_tables.erase(tableKey(tableName));
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
    // Only region()'s tables, whose keys share the prefix "<region>/" (reference A11).
    const std::string prefix = tableKey("");
    auto it = m_tables.upper_bound(exclusiveStartTableName ? tableKey(*exclusiveStartTableName) : prefix);
    for (; it != m_tables.end() && it->first.rfind(prefix, 0) == 0; ++it) {
        if (static_cast<std::int64_t>(result.tableNames.size()) == pageSize) {
            result.lastEvaluatedTableName = result.tableNames.back();
            break;
        }
        result.tableNames.push_back(it->second.name);
    }
    return result;
}

namespace {

// Characters of a UTF-8 string, as DynamoDB measures tag keys and values.
std::size_t characterCount(const std::string& text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

Status Engine::saveTagged(const TableState& table)
{
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = saveTable(table);
    if (s)
        s = m_store->commit();
    if (!s)
        m_store->rollback();
    return s;
}

Status Engine::tagTable(const std::string& tableName, const std::vector<std::pair<std::string, std::string>>& tags)
{
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const auto& [key, value] = tags[i];
        const std::string at = "tags." + std::to_string(i + 1) + ".member.";
        if (characterCount(key) < 1 || characterCount(key) > kMaxTagKeyLength)
            return Status::validation("1 validation error detected: Value '" + key + "' at '" + at
                + "key' failed to satisfy constraint: Member must have length "
                + (key.empty() ? "greater than or equal to 1"
                               : "less than or equal to " + std::to_string(kMaxTagKeyLength)));
        if (characterCount(value) > kMaxTagValueLength)
            return Status::validation("1 validation error detected: Value '" + value + "' at '" + at
                + "value' failed to satisfy constraint: Member must have length less than or equal to "
                + std::to_string(kMaxTagValueLength));
        if (key.rfind("aws:", 0) == 0)
            return Status::validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are "
                                      "reserved for AWS use; key: "
                + key);
    }
    TableState* t = findTable(tableName);
    if (!t || t->isCreating())
        return tableNotFound(tableName);
    TableState next = *t;
    for (const auto& [key, value] : tags)
        next.tags[key] = value;
    if (next.tags.size() > kMaxTagsPerResource)
        return Status::validation("One or more parameter values were invalid: The table " + tableName + " would have "
            + std::to_string(next.tags.size()) + " tags; a resource can have at most "
            + std::to_string(kMaxTagsPerResource));
    CAPSIM_RETURN_IF_ERROR(saveTagged(next));
    *t = std::move(next);
    return Status::ok();
}

Status Engine::untagTable(const std::string& tableName, const std::vector<std::string>& keys)
{
    TableState* t = findTable(tableName);
    if (!t || t->isCreating())
        return tableNotFound(tableName);
    TableState next = *t;
    for (const auto& key : keys)
        next.tags.erase(key);
    CAPSIM_RETURN_IF_ERROR(saveTagged(next));
    *t = std::move(next);
    return Status::ok();
}

} // namespace capsim
