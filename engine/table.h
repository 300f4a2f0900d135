#pragma once
// A table's description and its partition map: key schema, billing mode, capacity, table
// class, the control-plane history that DynamoDB's limits depend on, and partitions as
// contiguous ranges of the 64-bit partition hash with item counts and bytes. Value type.

#include "engine/attribute_value.h"
#include "engine/quotas.h"
#include "engine/status.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// Engine time: microseconds since the Unix epoch (server) or since the start of a run
// (simulator). The engine never reads a clock; callers pass it in.
using EngineTime = std::int64_t;
inline constexpr EngineTime kMicrosPerSecond = 1000000;
inline constexpr EngineTime kMicrosPerHour = 3600 * kMicrosPerSecond;

enum class BillingMode { Provisioned, PayPerRequest };
enum class TableClass { Standard, StandardInfrequentAccess };

const char* billingModeName(BillingMode mode);
const char* tableClassName(TableClass tableClass);
bool parseBillingMode(std::string_view text, BillingMode& out);
bool parseTableClass(std::string_view text, TableClass& out);

struct KeyElement {
    std::string name;
    AttrType type = AttrType::S;
};

struct KeySchema {
    KeyElement partition;
    std::optional<KeyElement> sort;
};

struct Partition {
    std::int64_t id = 0;
    std::uint64_t hashLow = 0;
    std::uint64_t hashHigh = 0; // inclusive
    std::int64_t itemCount = 0;
    std::int64_t itemBytes = 0; // DynamoDB item sizes, without the 100-byte overhead
    std::int64_t billableBytes() const;
};

// Partition limits of reference A3 (quotas are in engine/quotas.h).
inline constexpr std::int64_t kPartitionReadUnits = 3000;
inline constexpr std::int64_t kPartitionWriteUnits = 1000;
inline constexpr std::int64_t kPartitionMaxBytes = 10LL * 1024 * 1024 * 1024;
inline constexpr std::int64_t kOnDemandInitialPeakRead = 6000;
inline constexpr std::int64_t kOnDemandInitialPeakWrite = 2000;

// A table's point-in-time recovery settings (reference A8), kept with its description. Not
// restored with the table (reference C 9).
struct PointInTimeRecoveryState {
    bool enabled = false;
    EngineTime enabledAt = 0; // tEnable: the last enable (re-enabling resets it)
    int recoveryPeriodDays = 35;
};

// RestoreSummary of a table being restored (reference A8): the source and the point restored;
// the table is CREATING, hidden from every call but DescribeTable, until `completesAt`.
struct RestoreSummary {
    std::string sourceTableArn; // empty for a restore from a backup
    std::string sourceBackupArn; // empty for a point-in-time restore
    EngineTime restoreDateTime = 0;
    EngineTime completesAt = 0;
    std::int64_t restoredBytes = 0; // billable bytes of the restored table and indexes (priced per GB)
};

// Partition-map operations shared by tables and global secondary indexes.
std::size_t partitionIndexIn(const std::vector<Partition>& partitions, std::uint64_t hash);
// Splits one partition at the middle of its hash range; returns the index of the upper child.
std::size_t splitPartitionIn(std::vector<Partition>& partitions, std::int64_t& nextPartitionId, std::size_t index);
// `count` partitions splitting the whole hash space evenly.
std::vector<Partition> evenPartitions(std::size_t count, std::int64_t& nextPartitionId);
// floor(i * 2^64 / count): where the i-th of `count` even ranges of the hash space begins (even
// partitions, Scan segments).
std::uint64_t evenHashBoundary(std::uint64_t i, std::uint64_t count);

enum class IndexKind { Global, Local };
enum class ProjectionType { All, KeysOnly, Include };
enum class IndexStatus { Creating, Active };

const char* projectionTypeName(ProjectionType type);
bool parseProjectionType(std::string_view text, ProjectionType& out);
const char* indexStatusName(IndexStatus status);

// A secondary index of a table. Its entries live in the same items B-tree as the base items,
// under their own storage id. A GSI has its own capacity and partition map over the hash of
// its partition key; an LSI shares the table's partitions and capacity, and its `partitions`
// holds one range covering the hash space, only to count entries and bytes.
struct IndexState {
    std::int64_t id = 0; // storage id, allocated from the engine's table ids
    std::string name;
    IndexKind kind = IndexKind::Global;
    KeySchema key;
    ProjectionType projection = ProjectionType::All;
    std::vector<std::string> nonKeyAttributes; // INCLUDE only
    std::int64_t readCapacity = 0; // GSI, provisioned tables only
    std::int64_t writeCapacity = 0;
    IndexStatus status = IndexStatus::Active;
    // Backfill progress of a CREATING GSI: the base table's storage key of the last item
    // indexed (none before the first batch), and how many base items were visited.
    bool backfillStarted = false;
    std::uint64_t backfillHash = 0;
    std::string backfillPartitionKey;
    std::string backfillSortKey;
    std::int64_t backfilledItems = 0;
    std::int64_t nextPartitionId = 0;
    std::vector<Partition> partitions; // sorted by hashLow, covering the whole hash space

    bool isGlobal() const { return kind == IndexKind::Global; }
    std::int64_t itemCount() const;
    std::int64_t itemBytes() const; // entry sizes, without the 100-byte overhead
    std::int64_t billableBytes() const;
    std::size_t partitionIndex(std::uint64_t hash) const { return partitionIndexIn(partitions, hash); }
};

// A table's Time to Live settings and figures (reference A6), kept with its description.
struct TimeToLiveState {
    bool enabled = false; // ENABLING or ENABLED
    std::string attributeName; // the last one set (still shown while DISABLING)
    // When ENABLING or DISABLING ends (the accepted change + model.ttlStatusDelay); while
    // enabled, tEnabled of reference A6.
    EngineTime statusAt = 0;
    // The last accepted UpdateTimeToLive, for model.ttlCooldown; none for a scenario's `ttl`.
    std::optional<EngineTime> lastChangeAt;
    // The summary's figures (reference A6), kept across disabling.
    std::int64_t expiredItems = 0;
    std::int64_t deletedItems = 0;
    EngineTime deletionDelaySum = 0; // sum of d - max(v, tEnabled) over the deleted items

    bool isDefault() const { return !enabled && attributeName.empty() && !lastChangeAt && expiredItems == 0; }
};

// A table's DynamoDB Streams settings (reference A7), kept with its description: the current
// stream while enabled, and the latest one (LatestStreamArn/Label survive a disable). The
// streams themselves, their shards and records live in engine/sqlite/stream_store.*.
struct TableStreamSettings {
    bool enabled = false; // ENABLING or ENABLED
    std::string viewType; // StreamViewType name of the latest stream
    std::string latestArn; // empty until a stream is first enabled
    std::string latestLabel;
    EngineTime toggledAt = 0; // the last enable or disable request

    bool isDefault() const { return latestArn.empty(); }
};

// A replica of a global table (reference A11): its region and status, CREATING or DELETING
// until `until` (engine time), then ACTIVE or gone.
enum class ReplicaStatus { Creating, Active, Deleting };
const char* replicaStatusName(ReplicaStatus status);
struct ReplicaState {
    std::string region;
    ReplicaStatus status = ReplicaStatus::Active;
    EngineTime until = 0;
};

struct TableState {
    std::int64_t id = 0;
    std::string name;
    // The table's region (reference A11): tables are keyed by (region, name).
    std::string region = "us-east-1";
    // A global table (2019.11.21): every replica, this one included, in the order they were
    // added; the same list on each replica. Empty for a table without replicas.
    std::vector<ReplicaState> replicas;
    // Whether auto scaling manages the table's write capacity (the simulator's; reference A11
    // lets provisioned tables get replicas only then).
    bool writeAutoScaled = false;
    KeySchema key;
    BillingMode billingMode = BillingMode::Provisioned;
    TableClass tableClass = TableClass::Standard;
    std::int64_t readCapacity = 0; // provisioned RCU (0 for on-demand)
    std::int64_t writeCapacity = 0;
    std::int64_t peakRead = kOnDemandInitialPeakRead; // on-demand previous peak
    std::int64_t peakWrite = kOnDemandInitialPeakWrite;
    EngineTime createdAt = 0;
    EngineTime lastIncreaseAt = 0;
    EngineTime lastDecreaseAt = 0;
    double decreaseTokens = kDecreaseBudget; // token bucket: capacity 4, refill 1 per hour
    EngineTime decreaseTokensAt = 0;
    int decreasesToday = 0;
    std::vector<EngineTime> payPerRequestSwitches; // times of switches to on-demand (last 24 h)
    // When the table last became on-demand (created so, or switched): DescribeTable's
    // BillingModeSummary.LastUpdateToPayPerRequestDateTime; kept after the 24 h window.
    std::optional<EngineTime> lastPayPerRequestAt;
    // An UpdateTable in flight: the table is UPDATING until then (engine time; 0 = never).
    EngineTime updatingUntil = 0;
    PointInTimeRecoveryState pointInTimeRecovery;
    // Set while the table is being restored (CREATING); cleared when the restore completes.
    std::optional<RestoreSummary> restore;
    // A table made by ImportTable is CREATING until then, hidden from every call but
    // DescribeTable, ListTables and CreateTable's name check (0 = not creating; reference A9).
    EngineTime creatingUntil = 0;
    std::vector<EngineTime> tableClassChanges;
    std::int64_t nextPartitionId = 0;
    std::vector<Partition> partitions; // sorted by hashLow, covering the whole hash space
    std::vector<IndexState> indexes; // GSIs and LSIs, in creation order
    TimeToLiveState ttl;
    TableStreamSettings stream;
    // TagResource's tags, key -> value (at most kMaxTagsPerResource).
    std::map<std::string, std::string> tags;

    bool isUpdating(EngineTime now) const { return now < updatingUntil; }
    bool isGlobal() const { return !replicas.empty(); }
    const ReplicaState* findReplica(const std::string& regionName) const;
    bool isCreating() const { return creatingUntil != 0; }
    // TableId: a version-4-shaped UUID derived from the table's id, name and creation time, so
    // stable for the table's life and different for a table re-created under the same name.
    std::string tableUuid() const;

    const IndexState* findIndex(const std::string& indexName) const;
    IndexState* findIndex(const std::string& indexName);
    bool hasLocalIndexes() const;

    std::int64_t itemCount() const;
    std::int64_t itemBytes() const;
    std::int64_t billableBytes() const;

    // Index of the partition owning `hash`.
    std::size_t partitionIndex(std::uint64_t hash) const;
    // Splits every partition in two as many times as needed to hold `count` partitions
    // (children halve the parent's hash range). Item counts must be recounted afterwards.
    void splitToAtLeast(std::size_t count);
    // Splits one partition at the middle of its hash range; returns the index of the upper child.
    std::size_t splitPartition(std::size_t index);
    // An on-demand table's partitions following its ceiling: exactly `count` partitions over
    // even hash ranges (not a doubling), when it has fewer; returns whether it changed. Item
    // counts must be recounted afterwards.
    bool growEvenlyTo(std::size_t count);

    boost::json::value toJson() const;
    static Result<TableState> fromJson(const boost::json::value& json);
};

// Partitions a table needs for its throughput (reference A3): ceil(RCU/3000 + WCU/1000) for
// provisioned capacity; on-demand, max(4, ceil(read ceiling / 3000), ceil(write ceiling / 1000))
// with the ceiling 2 x the previous peak, capped at the table quota (40,000 units).
std::size_t throughputPartitions(std::int64_t readUnits, std::int64_t writeUnits);
std::size_t onDemandPartitions(std::int64_t peakRead, std::int64_t peakWrite,
    double partitionReadUnits = kPartitionReadUnits, double partitionWriteUnits = kPartitionWriteUnits);

} // namespace capsim
