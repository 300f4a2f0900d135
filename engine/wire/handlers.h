#pragma once
// The wire handlers, one per DynamoDB operation, grouped one file per group of operations
// (engine/wire/{tables,items,queries,batch,transactions,ttl}.cpp). A handler reads the request's
// fields, calls the engine and renders DynamoDB's response. The dispatcher's kOperations table
// maps operation names to them and authorizes the request before any of them runs.
// Internal to capsim_engine.

#include "engine/dispatcher.h"
#include "engine/wire/fields.h"

namespace capsim::wire {

// `now` is the caller's clock (see EngineTime).
using Handler = WireResponse (*)(Engine& engine, Fields& fields, EngineTime now);

// CreateTable, DescribeTable, DeleteTable, ListTables and UpdateTable (engine/wire/tables.cpp)
WireResponse createTable(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeTable(Engine& engine, Fields& fields, EngineTime now);
WireResponse deleteTable(Engine& engine, Fields& fields, EngineTime now);
WireResponse listTables(Engine& engine, Fields& fields, EngineTime now);
WireResponse updateTable(Engine& engine, Fields& fields, EngineTime now);

// GetItem, PutItem, UpdateItem and DeleteItem (engine/wire/items.cpp)
WireResponse getItem(Engine& engine, Fields& fields, EngineTime now);
WireResponse putItem(Engine& engine, Fields& fields, EngineTime now);
WireResponse updateItem(Engine& engine, Fields& fields, EngineTime now);
WireResponse deleteItem(Engine& engine, Fields& fields, EngineTime now);

// Query and Scan (engine/wire/queries.cpp)
WireResponse query(Engine& engine, Fields& fields, EngineTime now);
WireResponse scan(Engine& engine, Fields& fields, EngineTime now);

// BatchGetItem and BatchWriteItem (engine/wire/batch.cpp)
WireResponse batchGetItem(Engine& engine, Fields& fields, EngineTime now);
WireResponse batchWriteItem(Engine& engine, Fields& fields, EngineTime now);

// TransactWriteItems and TransactGetItems (engine/wire/transactions.cpp)
WireResponse transactWriteItems(Engine& engine, Fields& fields, EngineTime now);
WireResponse transactGetItems(Engine& engine, Fields& fields, EngineTime now);

// UpdateTimeToLive and DescribeTimeToLive (engine/wire/ttl.cpp)
WireResponse updateTimeToLive(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeTimeToLive(Engine& engine, Fields& fields, EngineTime now);
// UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime, CreateBackup,
// DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup (engine/wire/backups.cpp)
WireResponse updateContinuousBackups(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeContinuousBackups(Engine& engine, Fields& fields, EngineTime now);
WireResponse restoreTableToPointInTime(Engine& engine, Fields& fields, EngineTime now);
WireResponse createBackup(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeBackup(Engine& engine, Fields& fields, EngineTime now);
WireResponse listBackups(Engine& engine, Fields& fields, EngineTime now);
WireResponse deleteBackup(Engine& engine, Fields& fields, EngineTime now);
WireResponse restoreTableFromBackup(Engine& engine, Fields& fields, EngineTime now);
// A table description's RestoreSummary, while the table is being restored.
json::object restoreSummaryJson(const RestoreSummary& summary);
// ListStreams, DescribeStream, GetShardIterator and GetRecords (engine/wire/streams.cpp), and
// the StreamSpecification field of CreateTable and UpdateTable (left empty when absent).
WireResponse listStreams(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeStream(Engine& engine, Fields& fields, EngineTime now);
WireResponse getShardIterator(Engine& engine, Fields& fields, EngineTime now);
WireResponse getRecords(Engine& engine, Fields& fields, EngineTime now);
Status streamSpecificationOf(Fields& fields, std::optional<StreamSpecification>& out);

// ImportTable, DescribeImport and ListImports (engine/wire/imports.cpp)
WireResponse importTable(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeImport(Engine& engine, Fields& fields, EngineTime now);
WireResponse listImports(Engine& engine, Fields& fields, EngineTime now);

// ExportTableToPointInTime, DescribeExport and ListExports (engine/wire/exports.cpp)
WireResponse exportTableToPointInTime(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeExport(Engine& engine, Fields& fields, EngineTime now);
WireResponse listExports(Engine& engine, Fields& fields, EngineTime now);

// Enable/Disable/Update/DescribeKinesisStreamingDestination (engine/wire/kinesis.cpp)
WireResponse enableKinesisStreamingDestination(Engine& engine, Fields& fields, EngineTime now);
WireResponse disableKinesisStreamingDestination(Engine& engine, Fields& fields, EngineTime now);
WireResponse updateKinesisStreamingDestination(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeKinesisStreamingDestination(Engine& engine, Fields& fields, EngineTime now);

// TagResource, UntagResource, ListTagsOfResource, DescribeLimits and DescribeEndpoints
// (engine/wire/tags.cpp)
WireResponse tagResource(Engine& engine, Fields& fields, EngineTime now);
WireResponse untagResource(Engine& engine, Fields& fields, EngineTime now);
WireResponse listTagsOfResource(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeLimits(Engine& engine, Fields& fields, EngineTime now);
WireResponse describeEndpoints(Engine& engine, Fields& fields, EngineTime now);

} // namespace capsim::wire
