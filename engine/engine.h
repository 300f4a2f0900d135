#pragma once
// Engine: DynamoDB's data plane and table control plane over an ItemStore. Executes real
// operations on real items, meters each to the byte (reference A1-A2) and attributes the units
// to partitions. It never throttles (the simulator and server admit requests before calling it)
// and never reads a clock: control-plane calls take "now". Not thread-safe; one owner.

#include "engine/export_import.h"
#include "engine/kinesis.h"
#include "engine/operations.h"
#include "engine/pitr.h"
#include "engine/replication.h"
#include "engine/sqlite/item_store.h"
#include "engine/streams.h"
#include "engine/table.h"
#include "engine/ttl.h"
#include "engine/write_change.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace capsim {

struct WriteContext;
struct TtlScheduleEntry;
class TtlSchedule;
class PitrStore;
class StreamStore;
struct StreamRow;
class ExchangeStore;
class S3Folder;
class ReplicationStore;
struct ReplicationRow;

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
    // All-or-nothing writes in one storage transaction (reference C 2.4). ValidationException
    // for a malformed request (nothing consumed); TransactionCanceledException with one
    // CancellationReason per action when a condition fails or a write would be invalid. A
    // ClientRequestToken seen within 10 minutes (by `now`) replays the first result, or
    // answers IdempotentParameterMismatchException when the parameters differ.
    TransactWriteItemsResponse transactWriteItems(const TransactWriteItemsRequest& request, EngineTime now);
    // All-or-nothing strongly consistent reads, each costing twice a strong read (reference A2).
    TransactGetItemsResponse transactGetItems(const TransactGetItemsRequest& request);

    // The table's partition map (ranges, item counts, bytes), or nullptr for an unknown table.
    const TableState* table(const std::string& tableName) const;
    // Every region's tables (CREATING and restoring ones included), ordered by region, then
    // name: a read-only view for monitors (`capsim serve`'s /capsim/live). The pointers are
    // valid until the next call that creates or deletes a table.
    std::vector<const TableState*> allTables() const;

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

    // Backfills a CREATING global secondary index: indexes the next `maxItems` base items (in
    // storage order, after the previous call's), metering each entry written as write units of
    // the GSI in `consumed`, and flips the index to ACTIVE once every item is indexed. A no-op
    // for an ACTIVE index. NotFound for an unknown table or index.
    Status backfillIndex(const std::string& tableName, const std::string& indexName, std::int64_t maxItems,
        ConsumedCapacity& consumed);

    // Model parameter (and test knob): the item-collection limit of tables with LSIs, 10 GB by
    // default, compared with the collection's storage size (items and LSI entries, each + 100 bytes).
    void setItemCollectionLimitBytes(std::int64_t bytes) { m_itemCollectionLimitBytes = bytes; }

    // How long an UpdateTable stays in flight (the table UPDATING, by the engine's clock); a
    // billing-mode change meanwhile is ResourceInUseException. 0 (the default): over at once,
    // as the reference gives no duration (part C 14.7); the simulator sets model.updateTableDelay.
    void setUpdateTableDuration(EngineTime duration) { m_updateTableDuration = duration; }

    // Time to Live (reference A6; engine/ttl_engine.cpp). UpdateTimeToLive at `now`: enables or
    // disables TTL on `spec.attributeName` and echoes `spec`. ValidationException in A6's order:
    // another attribute while ENABLING/ENABLED, already enabled, already disabled, within
    // model.ttlCooldown of the last accepted change; ResourceNotFoundException for an unknown
    // table. Enabling schedules the deletion of every eligible item; disabling cancels them all.
    Result<TimeToLiveSpecification> updateTimeToLive(
        const std::string& tableName, const TimeToLiveSpecification& spec, EngineTime now);
    // DescribeTimeToLive at `now`; ResourceNotFoundException for an unknown table.
    Result<TimeToLiveDescription> describeTimeToLive(const std::string& tableName, EngineTime now) const;
    // TagResource on region()'s table: adds the tags or replaces their values. ValidationException
    // for a key of 1-128 or value of 0-256 characters broken, a key starting "aws:", or more than
    // kMaxTagsPerResource tags on the table afterwards; ResourceNotFoundException without the table.
    Status tagTable(const std::string& tableName, const std::vector<std::pair<std::string, std::string>>& tags);
    // UntagResource: removes the keys (missing keys are no error).
    Status untagTable(const std::string& tableName, const std::vector<std::string>& keys);
    // A scenario's `ttl`: ENABLED on `attributeName` from the engine's clock on, with no
    // cooldown pending (reference A6). ResourceNotFoundException for an unknown table.
    Status enableTimeToLive(const std::string& tableName, const std::string& attributeName);
    // The table's TTL figures for the summary (reference A6); NotFound for an unknown table.
    Result<TtlCounters> ttlCounters(const std::string& tableName) const;
    // Model parameters of TTL: the delay model's seed (the scenario's; kTtlCallSeed by default),
    // model.ttlDelay, model.ttlCooldown and model.ttlStatusDelay. Set them before enabling TTL:
    // deletions already scheduled keep their times.
    void setTtlSeed(std::uint64_t seed) { m_ttlSeed = seed; }
    void setTtlDelayModel(const TtlDelayModel& model) { m_ttlDelay = model; }
    void setTtlCooldown(EngineTime cooldown) { m_ttlCooldown = cooldown; }
    void setTtlStatusDelay(EngineTime delay) { m_ttlStatusDelay = delay; }
    // DynamoDB Streams (reference A7; engine/streams.cpp). A table's stream is enabled by the
    // StreamSpecification of CreateTable/UpdateTable; its ARN is the table description's
    // LatestStreamArn (TableState::stream.latestArn). ResourceNotFoundException for an unknown
    // stream ("Requested resource not found: Stream: <arn> not found") or shard.
    //
    // ListStreams: visible streams (a disabled one for model.streamRetention after its disable)
    // in creation order, of `tableName` if given; Limit 1-100 (default 100).
    Result<ListStreamsResult> listStreams(const std::optional<std::string>& tableName,
        const std::optional<std::string>& exclusiveStartStreamArn, std::optional<std::int64_t> limit);
    // DescribeStream without paging: every shard not yet fully trimmed, in opening order.
    Result<StreamDescription> describeStream(const std::string& streamArn);
    // GetShardIterator at `now`: an opaque iterator valid kShardIteratorLifetime. A sequence
    // number outside the shard is ValidationException; a trimmed one TrimmedDataAccessException.
    Result<std::string> getShardIterator(const std::string& streamArn, const std::string& shardId,
        ShardIteratorType type, const std::optional<std::string>& sequenceNumber, EngineTime now);
    // GetRecords at `now`: up to `limit` records (1-1000, default 1000) and 1 MB of SizeBytes
    // (at least one record when any); `nextIterator` is empty once a closed shard is read to its
    // end. ExpiredIteratorException after the iterator's 15 minutes; TrimmedDataAccessException
    // when its next record has been trimmed; ValidationException for a malformed iterator.
    struct GetRecordsResult {
        std::vector<StreamRecord> records;
        std::optional<std::string> nextIterator;
    };
    Result<GetRecordsResult> getRecords(const std::string& shardIterator, std::optional<std::int64_t> limit, EngineTime now);
    // Reads a shard without iterators (stream consumers of the simulator): the records after
    // `afterSequence` (0 = from the oldest untrimmed; pass ShardRead::nextAfterSequence to go
    // on), with GetRecords' limits. TrimmedDataAccessException when records after
    // `afterSequence` were trimmed.
    Result<ShardRead> readShard(const std::string& streamArn, const std::string& shardId, std::int64_t afterSequence,
        std::int64_t limit = kGetRecordsMaxLimit, std::int64_t maxBytes = kGetRecordsMaxBytes);
    // Model parameters of Streams: model.streamToggleDelay, model.streamShardRollover and
    // model.streamRetention (defaults in engine/streams.h).
    void setStreamToggleDelay(EngineTime delay) { m_streamToggleDelay = delay; }
    void setStreamShardRollover(EngineTime rollover) { m_streamShardRollover = rollover; }
    void setStreamRetention(EngineTime retention) { m_streamRetention = retention; }

    // Registers `listener` for every WriteChange, delivered after its storage transaction
    // commits (never for failed conditions, cancelled transactions or rollbacks), in the order
    // the changes were applied. Listeners must not call back into the engine.
    SubscriptionId subscribe(WriteChangeListener listener);
    // Removes a subscription; unknown ids are ignored.
    void unsubscribe(SubscriptionId id);
    // Moves the engine's clock to `now` (never backwards: an earlier time is ignored) and
    // brings its background work up to it (runDueWork, engine/background.cpp). The clock is
    // the time WriteChange records carry for calls that take no `now` (put, update, delete,
    // batch, bulk load); calls that take `now` advance it too.
    Status advanceTime(EngineTime now);
    // The engine's clock: the latest time it was given (0 for a new database).
    EngineTime now() const { return m_now; }
    // Stores the clock in the database, so that the next process (capsim call, serve after a
    // restart) starts from it. Engine::open restores it.
    Status saveClock();
    // The storage file's own consistency (SQLite's integrity check): ok or what is damaged.
    Status checkIntegrity() { return m_store->checkIntegrity(); }

    // Group commit (capsim serve): every operation from beginGroup() to commitGroup() is
    // written in one storage transaction, each operation still atomic by itself (its own
    // transaction becomes a savepoint), so a failed operation undoes only its own writes.
    // Nothing of the group is durable before commitGroup() succeeds. When commitGroup() fails
    // (InternalServerError), nothing of the group is in the database, but this engine's
    // in-memory state (partition counts, tables) still includes the group's writes: the caller
    // must stop using the engine (reopen the database to go on). rollbackGroup() abandons the
    // group under the same rule. A file or :memory: database alike; a group cannot nest.
    Status beginGroup();
    Status commitGroup();
    void rollbackGroup();
    // For a long-running writer (capsim serve): WAL checkpoints run on a thread of their own
    // instead of inside the commit that crosses the threshold (ItemStore::checkpointInBackground).
    Status checkpointInBackground();

    // Where the engine stands: its region (table ARNs, global tables) and the folder that
    // stands for Amazon S3 (exports, imports). Defaults: us-east-1 and none.
    void setRegion(std::string region) { m_region = std::move(region); }
    const std::string& region() const { return m_region; }
    void setS3Root(std::string folder) { m_s3Root = std::move(folder); }
    const std::string& s3Root() const { return m_s3Root; }
    // arn:aws:dynamodb:<region>:000000000000:table/<name>
    std::string tableArn(const std::string& tableName) const;
    // The next resource id of a backup, export or import made at `now` (engine/resource_ids.h):
    // epoch ms in 14 digits, '-', the database's counter in 8 hex digits. The counter is stored
    // in the database: call it inside the storage transaction that records the resource.
    Result<std::string> nextResourceId(EngineTime now);

    // ---- Point-in-time recovery (reference A8; engine/pitr.cpp) ----
    // UpdateContinuousBackups at `now`: enabling sets tEnable (re-enabling resets it and the
    // period to 35 days), a shorter period drops older history, disabling drops it all.
    // TableNotFoundException for an unknown table; ValidationException for a period outside
    // 1-35 or one sent with enabled = false.
    Result<ContinuousBackupsDescription> updateContinuousBackups(const std::string& tableName, bool enabled,
        std::optional<int> recoveryPeriodDays, EngineTime now);
    // DescribeContinuousBackups by the engine's clock. TableNotFoundException for an unknown table.
    Result<ContinuousBackupsDescription> describeContinuousBackups(const std::string& tableName) const;
    // RestoreTableToPointInTime at `now`, with A8's checks in order (ValidationException,
    // TableNotFoundException, PointInTimeRecoveryUnavailableException, InvalidRestoreTimeException,
    // TableAlreadyExistsException / TableInUseException); nothing is created when one fails.
    // Returns the target, CREATING (hidden from every call but DescribeTable) until its
    // RestoreSummary's completesAt. Its items are written through the write path (cause
    // Restore), consuming no capacity.
    Result<TableState> restoreTableToPointInTime(const PointInTimeRestoreRequest& request, EngineTime now);
    // The items of `tableName` whose partition hash lies in [hashLow, hashHigh] as they were at
    // `time` (changes committed at or before it), in storage order (hash, partition key, sort
    // key), so one call per partition gives a partition's items in key order. `time` must lie
    // in the recovery window (InvalidRestoreTimeException otherwise; the export helper checks
    // first). `visit` returns false to stop.
    using ItemAtVisitor = std::function<bool(const Item& item, std::int64_t sizeBytes)>;
    Status visitItemsAt(const std::string& tableName, EngineTime time, std::uint64_t hashLow, std::uint64_t hashHigh,
        const ItemAtVisitor& visit);
    // The keys changed in (from, to] with their images at `from` and at `to` (absent: no item),
    // in storage order; keys absent at both ends are skipped. For incremental exports.
    struct ItemChangeBetween {
        Item key;
        std::optional<Item> before;
        std::optional<Item> after;
    };
    Status visitChangesBetween(const std::string& tableName, EngineTime from, EngineTime to, std::uint64_t hashLow,
        std::uint64_t hashHigh, const std::function<bool(const ItemChangeBetween&)>& visit);
    // What PITR bills for `tableName` at this moment (A8): billable bytes of the table and its
    // LSIs while PITR is enabled, else 0 (0 for an unknown table).
    std::int64_t pitrBillableBytes(const std::string& tableName) const;
    // The change log PITR keeps for `tableName`: entries and stored bytes.
    struct PitrLogSize {
        std::int64_t entries = 0;
        std::int64_t bytes = 0;
    };
    Result<PitrLogSize> pitrLogSize(const std::string& tableName);

    // ---- On-demand backups (reference A8; engine/backups.cpp) ----
    // CreateBackup at `now`: a copy of the table's items; status CREATING in the answer.
    // TableNotFoundException for an unknown table.
    Result<BackupRecord> createBackup(const std::string& tableName, const std::string& backupName, EngineTime now);
    // BackupNotFoundException for an unknown ARN.
    Result<BackupRecord> describeBackup(const std::string& backupArn);
    Result<ListBackupsResult> listBackups(const ListBackupsRequest& request);
    // DeleteBackup: the deleted backup (status DELETED). BackupNotFoundException, BackupInUseException
    // while a restore reads it, ValidationException for a SYSTEM backup.
    Result<BackupRecord> deleteBackup(const std::string& backupArn);
    // RestoreTableFromBackup at `now`, like restoreTableToPointInTime with the backup's settings.
    Result<TableState> restoreTableFromBackup(const std::string& targetTableName, const std::string& backupArn,
        const RestoreOverrides& overrides, EngineTime now);
    // Model parameters of A8: model.pitrLag, model.restoreMinSeconds, model.restoreRate, model.backupDelay.
    void setPitrLag(EngineTime lag) { m_pitrLag = lag; }
    void setRestoreMinDuration(EngineTime duration) { m_restoreMinDuration = duration; }
    void setRestoreBytesPerSecond(std::int64_t rate) { m_restoreBytesPerSecond = rate; }
    void setBackupDelay(EngineTime delay) { m_backupDelay = delay; }
    // Every table, including those being restored (which table() hides), for DescribeTable.
    const TableState* tableIncludingRestoring(const std::string& tableName) const;
    // ---- Import from S3 (reference A9; engine/imports.cpp) ----
    // ImportTable at `now`: reads the objects of the request's bucket and prefix under the S3
    // root and writes their items into a new table (cause Import, no capacity consumed), all in
    // one storage transaction. The table is CREATING (seen only by DescribeTable) and the
    // import IN_PROGRESS until max(model.importMinSeconds, ProcessedSizeBytes / model.importRate)
    // later. Synchronous errors, with nothing created: ValidationException (bad parameters, as
    // CreateTable's), ResourceInUseException for an existing table, ImportConflictException for
    // a ClientToken reused with other parameters (with the same ones, the same import). A
    // missing bucket makes a FAILED import (S3NoSuchBucket) and no table; invalid items are
    // skipped and counted, and any makes the import FAILED (ItemValidationError).
    Result<ImportRecord> importTable(const ImportTableRequest& request, EngineTime now);
    // ImportNotFoundException for an unknown ARN.
    Result<ImportRecord> describeImport(const std::string& importArn);
    // ValidationException for a PageSize outside 1-25 or a NextToken that is not one.
    Result<ListImportsResult> listImports(const ListImportsRequest& request);
    // Model parameters of A9: model.importMinSeconds and model.importRate.
    void setImportTiming(EngineTime minimum, std::int64_t bytesPerSecond)
    {
        m_importMinDuration = minimum;
        m_importBytesPerSecond = bytesPerSecond;
    }

    // ---- Export to S3 (reference A9; engine/exports.cpp) ----
    // ExportTableToPointInTime at `now`, with A9's checks in order: ValidationException (shape:
    // ARN, bucket, prefix), TableNotFoundException, PointInTimeRecoveryUnavailableException,
    // InvalidExportTimeException (a time before EarliestRestorableDateTime or after now),
    // ValidationException (incremental window outside 15 min - 24 h), ExportConflictException (a
    // ClientToken reused with other parameters; with the same ones, the same export). Writes
    // `_started`; the rest is written when the export completes, max(model.exportMinSeconds,
    // BilledSizeBytes / model.exportRate) later on the engine's clock (runExportWork). A missing
    // bucket is accepted and the export ends FAILED (S3NoSuchBucket) with no files.
    Result<ExportRecord> exportTableToPointInTime(const ExportTableRequest& request, EngineTime now);
    // ExportNotFoundException for an unknown ARN.
    Result<ExportRecord> describeExport(const std::string& exportArn);
    // ValidationException for MaxResults outside 1-25.
    Result<ListExportsResult> listExports(const ListExportsRequest& request);
    // Model parameters of A9: model.exportMinSeconds and model.exportRate.
    void setExportTiming(EngineTime minimum, std::int64_t bytesPerSecond)
    {
        m_exportMinDuration = minimum;
        m_exportBytesPerSecond = bytesPerSecond;
    }

    // ---- Kinesis Data Streams destinations (engine/kinesis.cpp) ----
    // EnableKinesisStreamingDestination at `now`: ENABLING, ACTIVE kKinesisToggleDelay later.
    // ResourceNotFoundException for an unknown table, ValidationException for a StreamArn that
    // is not a Kinesis stream ARN or a precision other than MILLISECOND/MICROSECOND,
    // ResourceInUseException when the stream is already enabling or active for the table.
    Result<KinesisDestination> enableKinesisStreamingDestination(
        const std::string& tableName, const std::string& streamArn, const std::optional<std::string>& precision, EngineTime now);
    // DisableKinesisStreamingDestination at `now`: DISABLING, then DISABLED. ValidationException
    // when the stream is not enabling or active for the table.
    Result<KinesisDestination> disableKinesisStreamingDestination(
        const std::string& tableName, const std::string& streamArn, EngineTime now);
    // UpdateKinesisStreamingDestination: a new precision for an ACTIVE destination.
    Result<KinesisDestination> updateKinesisStreamingDestination(
        const std::string& tableName, const std::string& streamArn, const std::string& precision, EngineTime now);
    // The table's destinations, in the order they were first enabled.
    Result<std::vector<KinesisDestination>> describeKinesisStreamingDestination(const std::string& tableName);

    // ---- Global tables (reference A11; engine/replication.cpp) ----
    // Tables are keyed by (region, name): every call addresses region()'s tables. UpdateTable's
    // ReplicaUpdates (one Create or Delete {RegionName}, alone in the call) at `now`:
    // ValidationException for the own region, an existing replica or table there, provisioned
    // writes without auto scaling; ResourceInUseException while another replica action is in
    // flight. Create enables a NEW_AND_OLD_IMAGES stream if none and makes the replica CREATING
    // for max(createMinimum, bytes / model.restoreRate); Delete makes it DELETING for deleteDuration.
    enum class ReplicaAction { Create, Delete };
    Result<TableState> updateReplicas(
        const std::string& tableName, ReplicaAction action, const std::string& regionName, EngineTime now);
    void setReplicationLatency(EngineTime median, double sigma); // model.replicationLatency
    void setReplicationSeed(std::uint64_t seed);
    void setReplicationCatchUpRate(double changesPerSecond); // model.replicationCatchUpRate
    void setReplicaTiming(EngineTime createMinimum, EngineTime deleteDuration);
    Status setWriteAutoScaled(const std::string& tableName, bool autoScaled); // region() 's table
    // A scenario's replicas at t = 0: `tableName` in region() gets an ACTIVE replica in each of
    // `regions` at once, holding the table's current items (no CREATING); enables the
    // NEW_AND_OLD_IMAGES stream if none.
    Status createReplicasNow(const std::string& tableName, const std::vector<std::string>& regions);
    // regionOutage: from `now`, changes to and from `region` queue; false: they drain at the catch-up rate.
    Status setRegionDown(const std::string& region, bool down, EngineTime now);
    bool regionDown(const std::string& region) const;
    struct ReplicationCounters {
        std::int64_t applied = 0; // changes replication applied to this replica
        std::int64_t conflicts = 0; // arrivals dropped by last-writer-wins
        std::int64_t queued = 0; // changes waiting for this replica now
        double maxLagSeconds = 0; // max over applied changes of apply time - commit time
    };
    Result<ReplicationCounters> replicationCounters(const std::string& region, const std::string& tableName) const;
    // The regions of the global table `tableName` of region() (itself first), empty if not global.
    std::vector<std::string> replicaRegions(const std::string& tableName) const;

    // Test hook: the storage write (item put or delete, table save) after `afterWrites` more
    // successful ones fails with InternalServerError, once. Negative disarms it.
    void failNextStorageWrite(int afterWrites);
    // Test hook: the next commitGroup() fails, as a full disk would, and rolls the group back.
    void failNextGroupCommit();

    ~Engine();

private:
    explicit Engine(std::unique_ptr<ItemStore> store);

    // The key of a table in m_tables and in the stored catalog (tables.name): "<region>/<name>"
    // ('/' never occurs in a table name). Rows stored before regions existed hold the bare name
    // and are read into the region of their description (TableState::fromJson), then re-keyed
    // by the next save.
    static std::string tableKey(const std::string& region, const std::string& name) { return region + "/" + name; }
    std::string tableKey(const std::string& name) const { return tableKey(m_region, name); }
    // Makes `region` the engine's region until destroyed (background work on another region's
    // tables: ARNs, streams and lookups follow the table's region).
    class RegionScope {
    public:
        RegionScope(Engine& engine, const std::string& region)
            : m_engine(engine)
            , m_saved(engine.m_region)
        {
            engine.m_region = region;
        }
        ~RegionScope() { m_engine.m_region = m_saved; }
        RegionScope(const RegionScope&) = delete;
        RegionScope& operator=(const RegionScope&) = delete;

    private:
        Engine& m_engine;
        std::string m_saved;
    };
    TableState* findTableIn(const std::string& region, const std::string& tableName);
    const TableState* findTableIn(const std::string& region, const std::string& tableName) const;

    TableState* findTable(const std::string& tableName);
    Status saveTable(const TableState& table);
    // saveTable in a transaction of its own (TagResource, UntagResource).
    Status saveTagged(const TableState& table);
    Status recountPartitions(TableState& table);
    Status splitOversizedPartition(TableState& table, std::size_t partitionIndex);
    // Why and how a write is applied: its cause, the transaction it belongs to, and the factor
    // on its table write units (2 for transactions).
    struct WriteOrigin {
        WriteCause cause = WriteCause::UserWrite;
        std::string transactionId;
        double unitFactor = 1.0;
        // Cause Replication: where and when the change was committed (A11).
        std::string originRegion;
        EngineTime originTime = 0;
    };
    // The one write path: writes (newItem) or deletes (nullptr) one base item and its index
    // entries, and queues its WriteChange for delivery when the storage transaction commits
    // (publishChanges) or drops it on rollback (discardChanges). `oldItem` is the current item
    // when the table has indexes or there are subscribers. Index write units go to `consumed`
    // if given. Every item change goes through here; nothing else writes items.
    Status applyWrite(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
        std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex,
        ConsumedCapacity* consumed, const WriteOrigin& origin);
    // applyWrite in its own storage transaction when the table has indexes, so the base item
    // and its index entries change together; publishes its change on success.
    Status applyWriteAtomically(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
        std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex,
        ConsumedCapacity& consumed, const WriteOrigin& origin);
    // Whether writes must read the whole old item (index upkeep or a reported change's old image).
    bool needsOldImage(const TableState& table) const { return !table.indexes.empty() || reportsChanges(table); }
    // Whether a change to `table` is reported in full (a WriteChange with both images): to
    // subscribers, or to a data feature that records it durably (recordsChanges).
    bool reportsChanges(const TableState& table) const { return !m_listeners.empty() || recordsChanges(table); }
    // Whether a data feature of `table` (stream records, the PITR change log, the TTL schedule)
    // records its changes in the storage transaction of the change itself, so that a crash never
    // separates an item from its record (engine/change_recorders.cpp).
    bool recordsChanges(const TableState& table) const;
    bool reportsChangesTo(const std::string& tableName) const
    {
        const TableState* t = table(tableName);
        return t && reportsChanges(*t);
    }
    // Records `change` for each data feature of `table` that keeps one, inside the storage
    // transaction that applies it. A failure fails the write.
    Status recordChange(TableState& table, const WriteChange& change);
    // TTL (engine/ttl_engine.cpp): the schedule row of an item of a TTL-enabled table written
    // at `writtenAt`, none if it never expires; its upkeep for one change; the schedule of a
    // table rebuilt from its items (enabling) or cleared; the deletions due by `now`.
    std::optional<TtlScheduleEntry> ttlEntryFor(const TableState& table, const Item& item, EngineTime writtenAt) const;
    Status recordTtl(const TableState& table, const WriteChange& change);
    Status rebuildTtlSchedule(const TableState& table, EngineTime now);
    Status runTtlDeletions(EngineTime now);
    void publishChanges();
    // Streams (engine/streams.cpp): the StreamSpecification of a CreateTable (current empty) or
    // UpdateTable checked against the table and applied to `next` (label, ARN, UPDATING);
    // then, inside the storage transaction that saves `next`, the stream created or closed.
    Status planStreamChange(const TableState* current, TableState& next, const StreamSpecification& spec, EngineTime now);
    Status applyStreamChange(const TableState* current, const TableState* next, EngineTime now);
    // Shards follow the table's partitions (a split closes the parent and opens children):
    // called by saveTable, so every change of the partition map reaches the stream.
    Status syncStreamShards(const TableState& table);
    bool streamRecordsChanges(const TableState& table) const { return table.stream.enabled; }
    Status recordStreamChange(const TableState& table, const WriteChange& change);
    Status runStreamWork(EngineTime now);
    Status rollStreamShards(StreamRow& stream, EngineTime upTo);
    void noteStreamWorkDue(EngineTime at);
    // Background work due by `now`, in a fixed order; each data feature adds its step here.
    Status runDueWork(EngineTime now);
    Status loadClock();
    // Imported tables whose CREATING time is over become ACTIVE (engine/imports.cpp).
    Status runImportWork(EngineTime now);
    // Reads the import's objects into `t` inside the caller's storage transaction, counting
    // into `record`. Fails only for storage or S3 folder errors.
    Status importObjects(TableState& t, const ImportTableRequest& request, const S3Folder& s3, ImportRecord& record);
    // Exports due by `now` are written (engine/exports.cpp), each as at its completion time.
    Status runExportWork(EngineTime now);
    // Writes the export's files (or decides its failure) into `record`.
    Status writeExport(ExportRecord& record);
    void discardChanges() { m_pendingChanges.clear(); }
    // Global tables (engine/replication.cpp): the version of a local change and its queue rows
    // to the other replicas, inside the change's storage transaction; the due changes applied
    // (last writer wins) and the replica status changes, at advanceTime.
    Status recordReplication(const TableState& table, const WriteChange& change);
    Status runReplicationWork(EngineTime now);
    Status applyReplicated(const ReplicationRow& row, EngineTime applyAt, std::vector<TableState>& saved);
    Status runReplicaStatusWork(EngineTime now);
    // A replica of `source` in `regionName`, holding its items; CREATING until `creatingUntil` (0: ACTIVE).
    // Replicas in `regions` (checked), in one storage transaction; CREATING until `until` (0: ACTIVE).
    Status addReplicas(const std::string& tableName, const std::vector<std::string>& regions, EngineTime until);
    Status addReplica(TableState& source, const std::string& regionName, EngineTime now, EngineTime creatingUntil);
    EngineTime replicationLatencySample(const std::string& tableName, const StoredKey& key, const std::string& destination,
        std::int64_t sequence) const;
    // Writes every replica's copy of `table`'s replica list (and the table itself).
    Status saveReplicaLists(const std::string& tableName, const std::vector<ReplicaState>& replicas);
    // Point-in-time recovery and backups (engine/pitr.cpp, engine/backups.cpp).
    bool pitrRecordsChanges(const TableState& table) const { return table.pointInTimeRecovery.enabled; }
    Status recordPitrChange(const TableState& table, const WriteChange& change);
    // Records the table's settings for later restores when they changed (called by saveTable).
    Status recordPitrSettings(const TableState& table);
    // Purges logs before each window, completes restores, expires system backups.
    Status runPitrWork(EngineTime now);
    // DeleteTable's part: the system backup of a PITR table, and its history dropped.
    Status pitrOnDeleteTable(const TableState& table);
    // The target of a restore, from the source's settings with the overrides; checks its name.
    Result<CreateTableRequest> restoredTableRequest(const TableState& source, const std::string& targetTableName,
        const RestoreOverrides& overrides) const;
    // Creates the target and writes `items` into it (cause Restore) in one storage transaction.
    Result<TableState> createRestoredTable(const CreateTableRequest& request, RestoreSummary summary,
        const std::function<Status(const std::function<Status(const Item&, std::int64_t)>&)>& forEachItem,
        EngineTime now);
    Status checkRestoreTarget(const std::string& targetTableName) const;
    Status maintainIndexes(TableState& table, const Item* oldItem, const Item* newItem, std::int64_t tablePartitionId,
        ConsumedCapacity* consumed);
    // Item-collection limit and the 400 KB limit including LSI entries, for tables with LSIs.
    // `collectionBytes` receives the collection's storage size after the write.
    Status checkItemCollection(const TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
        std::int64_t oldSize, std::int64_t newSize, std::int64_t& collectionBytes);
    Result<IndexState> buildIndex(const TableState& table, const IndexDefinition& definition, IndexKind kind,
        BillingMode mode, const std::string& path) const;
    Status recountIndexPartitions(IndexState& index);
    // The common end of PutItem, UpdateItem and DeleteItem: limits, the write, its metering.
    template <typename Request>
    bool finishWrite(const Request& request, WriteContext& context, const Item* newItem, std::int64_t newSize,
        WriteResponse& response);

    std::unique_ptr<ItemStore> m_store;
    std::unique_ptr<TtlSchedule> m_ttlSchedule;
    std::map<std::string, TableState> m_tables;
    std::int64_t m_nextTableId = 1;
    std::int64_t m_partitionSplitBytes = kPartitionMaxBytes;
    double m_storageWeight = 1.0;
    std::int64_t m_itemCollectionLimitBytes = kItemCollectionMaxBytes;
    EngineTime m_updateTableDuration = 0;
    std::unique_ptr<PitrStore> m_pitrStore;
    EngineTime m_pitrLag = kPitrLag;
    EngineTime m_restoreMinDuration = kRestoreMinDuration;
    std::int64_t m_restoreBytesPerSecond = kRestoreBytesPerSecond;
    EngineTime m_backupDelay = kBackupDelay;
    EngineTime m_pitrWorkDueAt = 0; // purges and expiries run at most once per engine minute
    std::unique_ptr<ExchangeStore> m_exchangeStore;
    EngineTime m_importMinDuration = kImportMinDuration;
    std::int64_t m_importBytesPerSecond = kImportBytesPerSecond;
    EngineTime m_exportMinDuration = kExportMinDuration;
    std::int64_t m_exportBytesPerSecond = kExportBytesPerSecond;

    std::vector<std::pair<SubscriptionId, WriteChangeListener>> m_listeners;
    SubscriptionId m_nextSubscriptionId = 1;
    std::vector<WriteChange> m_pendingChanges; // applied, awaiting their commit
    EngineTime m_now = 0;
    std::string m_region = "us-east-1";
    std::string m_s3Root;
    std::int64_t m_nextTransactionId = 1;
    std::uint64_t m_ttlSeed = kTtlCallSeed;
    TtlDelayModel m_ttlDelay;
    EngineTime m_ttlCooldown = kTtlCooldown;
    EngineTime m_ttlStatusDelay = kTtlStatusDelay;
    std::unique_ptr<StreamStore> m_streamStore;
    EngineTime m_streamToggleDelay = kStreamToggleDelay;
    EngineTime m_streamShardRollover = kStreamShardRollover;
    EngineTime m_streamRetention = kStreamRetention;
    // The earliest time stream work (rollover, trimming, expiry) may be due; empty: unknown.
    std::optional<EngineTime> m_streamWorkDueAt;
    // Global tables (reference A11).
    std::unique_ptr<ReplicationStore> m_replicationStore;
    EngineTime m_replicationMedian = kReplicationLatencyMedian;
    double m_replicationSigma = kReplicationLatencySigma;
    std::uint64_t m_replicationSeed = kReplicationSeed;
    double m_replicationCatchUpRate = kReplicationCatchUpRate;
    EngineTime m_replicaCreateMinimum = kReplicaCreateMinimum;
    EngineTime m_replicaDeleteDuration = kReplicaDeleteDuration;
    // The earliest time replication work may be due (queue rows, replica status); empty: unknown.
    std::optional<EngineTime> m_replicationDueAt;
    std::set<std::string> m_downRegions; // stored in the ReplicationStore too
};

} // namespace capsim
