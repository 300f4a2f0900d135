#include "engine/engine.h"

#include "engine/engine_internal.h"
#include "engine/sqlite/ttl_schedule.h"
#include "engine/sqlite/pitr_store.h"
#include "engine/sqlite/stream_store.h"
#include "engine/sqlite/exchange_store.h"
#include "engine/sqlite/replication_store.h"

#include <boost/json.hpp>

#include <algorithm>

namespace capsim {

namespace json = boost::json;

using namespace engine_internal;

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
    auto ttlSchedule = TtlSchedule::open(*engine->m_store);
    if (!ttlSchedule)
        return ttlSchedule.status();
    engine->m_ttlSchedule = std::move(ttlSchedule).value();
    auto pitrStore = PitrStore::open(*engine->m_store);
    if (!pitrStore)
        return pitrStore.status();
    engine->m_pitrStore = std::move(pitrStore).value();
    auto streamStore = StreamStore::open(*engine->m_store);
    if (!streamStore)
        return streamStore.status();
    engine->m_streamStore = std::move(streamStore).value();
    auto exchangeStore = ExchangeStore::open(*engine->m_store);
    if (!exchangeStore)
        return exchangeStore.status();
    engine->m_exchangeStore = std::move(exchangeStore).value();
    auto replicationStore = ReplicationStore::open(*engine->m_store);
    if (!replicationStore)
        return replicationStore.status();
    engine->m_replicationStore = std::move(replicationStore).value();
    std::vector<std::string> down;
    CAPSIM_RETURN_IF_ERROR(engine->m_replicationStore->downRegions(down));
    engine->m_downRegions.insert(down.begin(), down.end());
    CAPSIM_RETURN_IF_ERROR(engine->loadClock());
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
        for (auto& index : table->indexes) {
            CAPSIM_RETURN_IF_ERROR(engine->recountIndexPartitions(index));
            engine->m_nextTableId = std::max(engine->m_nextTableId, index.id + 1);
        }
        // The catalog key is "<region>/<name>"; a row stored before regions existed holds the bare
        // name and its description's region (TableState::fromJson); the next save re-keys it.
        const std::string key = tableKey(table->region, table->name);
        engine->m_tables.emplace(key, std::move(table).value());
    }
    return engine;
}

// A table being created by an import (reference A9) or a restore (A8) answers only
// DescribeTable until it is ACTIVE: lookups do not see it.
TableState* Engine::findTable(const std::string& tableName)
{
    auto it = m_tables.find(tableKey(tableName));
    return it == m_tables.end() || it->second.restore || it->second.isCreating() ? nullptr : &it->second;
}

const TableState* Engine::table(const std::string& tableName) const
{
    auto it = m_tables.find(tableKey(tableName));
    return it == m_tables.end() || it->second.restore || it->second.isCreating() ? nullptr : &it->second;
}

std::vector<const TableState*> Engine::allTables() const
{
    // m_tables is keyed "<region>/<name>", so its order is region, then name.
    std::vector<const TableState*> tables;
    tables.reserve(m_tables.size());
    for (const auto& entry : m_tables)
        tables.push_back(&entry.second);
    return tables;
}

TableState* Engine::findTableIn(const std::string& region, const std::string& tableName)
{
    auto it = m_tables.find(tableKey(region, tableName));
    return it == m_tables.end() ? nullptr : &it->second;
}

const TableState* Engine::findTableIn(const std::string& region, const std::string& tableName) const
{
    auto it = m_tables.find(tableKey(region, tableName));
    return it == m_tables.end() ? nullptr : &it->second;
}

Status Engine::saveTable(const TableState& table)
{
    CAPSIM_RETURN_IF_ERROR(recordPitrSettings(table));
    CAPSIM_RETURN_IF_ERROR(
        m_store->saveTable({ table.id, tableKey(table.region, table.name), json::serialize(table.toJson()) }));
    // Every change of the partition map is saved here: the stream's shards follow it.
    return syncStreamShards(table);
}

Status Engine::recountPartitions(TableState& table)
{
    for (auto& partition : table.partitions)
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(
            table.id, partition.hashLow, partition.hashHigh, partition.itemCount, partition.itemBytes));
    return Status::ok();
}

Status Engine::recountIndexPartitions(IndexState& index)
{
    for (auto& partition : index.partitions)
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(
            index.id, partition.hashLow, partition.hashHigh, partition.itemCount, partition.itemBytes));
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
    // A peak above the table quota cannot have happened: the ceiling never passes the quota.
    if (peakRead > kTableQuotaUnits || peakWrite > kTableQuotaUnits)
        return Status(error::kLimitExceeded,
            "Subscriber limit exceeded: On-demand previous peak for table " + tableName + " (" + std::to_string(peakRead)
                + " reads, " + std::to_string(peakWrite) + " writes per second) exceeds the per-table limit of "
                + std::to_string(kTableQuotaUnits) + " units");
    table->peakRead = peakRead;
    table->peakWrite = peakWrite;
    // Exactly the partitions the ceiling needs, over even hash ranges (reference A3).
    if (table->growEvenlyTo(onDemandPartitions(peakRead, peakWrite)))
        CAPSIM_RETURN_IF_ERROR(recountPartitions(*table));
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

void Engine::failNextStorageWrite(int afterWrites)
{
    m_store->failWriteAfter(afterWrites);
}

void Engine::failNextGroupCommit()
{
    m_store->failNextGroupCommit();
}

Status Engine::beginGroup()
{
    return m_store->beginGroup();
}

Status Engine::commitGroup()
{
    return m_store->commitGroup();
}

void Engine::rollbackGroup()
{
    m_store->rollbackGroup();
}

Status Engine::checkpointInBackground()
{
    return m_store->checkpointInBackground();
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

void ConsumedCapacity::chargeGlobalIndex(
    const std::string& indexName, std::int64_t indexPartitionId, double read, double write)
{
    auto& units = globalSecondaryIndexes[indexName];
    units.read += read;
    units.write += write;
    for (auto& p : indexPartitions) {
        if (p.indexName == indexName && p.partitionId == indexPartitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    indexPartitions.push_back({ indexName, indexPartitionId, read, write });
}

void ConsumedCapacity::chargeLocalIndex(
    const std::string& indexName, std::int64_t tablePartitionId, double read, double write)
{
    auto& units = localSecondaryIndexes[indexName];
    units.read += read;
    units.write += write;
    for (auto& p : partitions) {
        if (p.partitionId == tablePartitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    partitions.push_back({ tablePartitionId, read, write });
}

} // namespace capsim
