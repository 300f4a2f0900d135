#pragma once
// Engine: DynamoDB's data plane and table control plane over an ItemStore. Executes real
// operations on real items, meters each to the byte (reference A1-A2) and attributes the units
// to partitions. It never throttles (the simulator and server admit requests before calling it)
// and never reads a clock: control-plane calls take "now". Not thread-safe; one owner.

#include "engine/operations.h"
#include "engine/sqlite/item_store.h"
#include "engine/table.h"

#include <map>
#include <memory>
#include <string>

namespace capsim {

class Engine {
public:
    // Opens the engine database at `path` (a file, created if missing, or ":memory:"),
    // reloading every table and recounting its partitions from the stored items.
    static Result<std::unique_ptr<Engine>> open(const std::string& path);

    Result<TableState> createTable(const CreateTableRequest& request, EngineTime now);
    // ResourceNotFoundException for an unknown table.
    Result<TableState> describeTable(const std::string& tableName) const;
    Result<TableState> updateTable(const UpdateTableRequest& request, EngineTime now);
    Result<TableState> deleteTable(const std::string& tableName);
    Result<ListTablesResult> listTables(const std::optional<std::string>& exclusiveStartTableName,
        std::optional<std::int64_t> limit) const;

    GetItemResponse getItem(const GetItemRequest& request);
    WriteResponse putItem(const PutItemRequest& request);
    WriteResponse updateItem(const UpdateItemRequest& request);
    WriteResponse deleteItem(const DeleteItemRequest& request);
    ReadPageResponse query(const QueryRequest& request);
    ReadPageResponse scan(const ScanRequest& request);
    BatchGetItemResponse batchGetItem(const BatchGetItemRequest& request);
    BatchWriteItemResponse batchWriteItem(const BatchWriteItemRequest& request);

    // The table's partition map (ranges, item counts, bytes), or nullptr for an unknown table.
    const TableState* table(const std::string& tableName) const;

    // Sets the on-demand previous peak of a table (the simulator tracks consumption) and adds
    // partitions if the new ceiling needs them. NotFound for an unknown table.
    Status setOnDemandPeak(const std::string& tableName, std::int64_t peakRead, std::int64_t peakWrite);

    // Model parameters the simulator may change: the size above which a partition splits
    // (default 10 GB), and a weight applied to stored bytes when checking it (1 / sampling rate
    // when only a sample of the items is stored).
    void setPartitionSplitBytes(std::int64_t bytes) { m_partitionSplitBytes = bytes; }
    void setStorageWeight(double weight) { m_storageWeight = weight; }

    // Stores items directly, in one transaction, consuming no capacity and checking no
    // conditions: the simulator's initialData load. Each item is validated like a PutItem.
    Status bulkPut(const std::string& tableName, const std::vector<Item>& items);

    // Splits one partition at the middle of its hash range (split for heat). NotFound for an
    // unknown table or partition.
    Status splitPartition(const std::string& tableName, std::int64_t partitionId);

    ~Engine();

private:
    explicit Engine(std::unique_ptr<ItemStore> store);

    TableState* findTable(const std::string& tableName);
    Status saveTable(const TableState& table);
    Status recountPartitions(TableState& table);
    Status splitOversizedPartition(TableState& table, std::size_t partitionIndex);
    Status applyWrite(TableState& table, const Item& key, const Item* newItem, std::int64_t oldSize, bool existed,
        std::int64_t newSize, std::size_t partitionIndex);

    std::unique_ptr<ItemStore> m_store;
    std::map<std::string, TableState> m_tables;
    std::int64_t m_nextTableId = 1;
    std::int64_t m_partitionSplitBytes = kPartitionMaxBytes;
    double m_storageWeight = 1.0;
};

} // namespace capsim
