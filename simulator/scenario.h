#pragma once
// Scenario: a parsed and validated scenario file (contracts/scenario-format.md, version 1).
// Plain values; loading and validation live in scenario_loader.h. Times are SimTime.

#include "engine/table.h"
#include "workloads/spec.h"

#include <optional>
#include <string>
#include <vector>

namespace capsim {

struct ClientSpec {
    int maxAttempts = 10;
    SimTime baseDelay = 25 * 1000; // 25 ms
    SimTime maxDelay = 20 * kSimSecond;
};

struct LatencySpec {
    // lognormal(median, sigma) of service-side latency
    SimTime readMedian = 4000;
    double readSigma = 0.5;
    SimTime writeMedian = 6000;
    double writeSigma = 0.5;
};

struct SplitForHeatSpec {
    bool enabled = true;
    double threshold = 0.8;
    SimTime sustain = 5 * kSimMinute;
    SimTime delay = 10 * kSimMinute;
};

enum class PartitionLimitRule { Independent, Linear };

// Application Auto Scaling's target-tracking alarms (reference A4): scale out after
// scaleOutDatapoints minutes above target, in after scaleInDatapoints minutes below
// target - scaleInMarginPoints.
struct AutoScalingModelSpec {
    std::int64_t scaleOutDatapoints = 2;
    std::int64_t scaleInDatapoints = 15;
    double scaleInMarginPoints = 20;
};

// DynamoDB behaviours that are not published exactly (reference A3-A4 defaults).
struct ModelSpec {
    double partitionRead = 3000;
    double partitionWrite = 1000;
    std::int64_t partitionSizeBytes = 10LL * 1024 * 1024 * 1024;
    PartitionLimitRule partitionLimitRule = PartitionLimitRule::Independent;
    double burstSeconds = 300;
    bool burstAtStartFull = true;
    bool adaptiveCapacity = true;
    SplitForHeatSpec splitForHeat;
    SimTime updateTableDelay = 2 * kSimMinute;
    SimTime onDemandWindow = 30 * kSimMinute;
    AutoScalingModelSpec autoScaling;
    LatencySpec latency;
    // model.ttlDelay: lognormal(median, sigma) of a TTL deletion's delay, capped at 48 h (reference A6).
    SimTime ttlDelayMedian = 2 * kSimHour;
    double ttlDelaySigma = 1.0;
    // Kinesis Data Streams consumers: a record delivered twice / swapped with the next (reference A7).
    double kdsDuplicateRate = 0.0001;
    double kdsReorderRate = 0.0001;
    // DAX (reference A10): the cluster's cache bytes (0: half the node type's memory), each node's
    // request budget per second (0: by node type) and the latency of a hit, lognormal(median, sigma).
    std::int64_t daxCacheBytes = 0;
    double daxNodeOpsPerSec = 0;
    SimTime daxLatencyMedian = 300; // 0.3 ms
    double daxLatencySigma = 0.5;
    // Global tables (reference A11): model.replicationLatency lognormal(median, sigma), the catch-up
    // rate after an outage (changes per second per destination), a replica's creation minimum and
    // deletion time.
    SimTime replicationLatencyMedian = kSimSecond;
    double replicationLatencySigma = 0.4;
    double replicationCatchUpRate = 5000;
    SimTime replicaCreateMinSeconds = 30 * kSimSecond;
    SimTime replicaDeleteSeconds = 120 * kSimSecond;
};

struct ScalingDimensionSpec {
    std::int64_t min = 1;
    std::int64_t max = 40000;
    double targetPercent = 70;
};

struct AutoScalingSpec {
    std::optional<ScalingDimensionSpec> read;
    std::optional<ScalingDimensionSpec> write;
};

struct OnDemandSpec {
    std::optional<std::int64_t> maxRead;
    std::optional<std::int64_t> maxWrite;
    std::int64_t previousPeakRead = 6000;
    std::int64_t previousPeakWrite = 2000;
};

struct InitialDataSpec {
    std::int64_t items = 0;
    SizeDistributionSpec itemSize;
    std::int64_t sortKeysPerKey = 1;
};

// A secondary index of a table (tables[].globalSecondaryIndexes / localSecondaryIndexes, or a
// createIndex event). An LSI has the table's partition key and no capacity of its own.
struct IndexSpec {
    std::string name;
    IndexKind kind = IndexKind::Global;
    KeyElement partitionKey; // GSI only
    std::optional<KeyElement> sortKey;
    ProjectionType projection = ProjectionType::All;
    std::vector<std::string> nonKeyAttributes; // INCLUDE
    std::int64_t provisionedRead = 0; // GSI of a PROVISIONED table
    std::int64_t provisionedWrite = 0;
    std::optional<AutoScalingSpec> autoScaling;
    OnDemandSpec onDemand;
};

// Time to Live of a table (tables[].ttl): ENABLED from t = 0 on a top-level Number attribute
// holding epoch seconds (reference A6).
struct TtlSpec {
    std::string attribute;
};

// A reader of a table's stream (tables[].streams.consumers[], reference A7).
struct StreamConsumerSpec {
    enum class Kind { Lambda, Client, Kinesis };
    std::string name;
    Kind kind = Kind::Lambda;
    std::int64_t batchSize = 100; // GetRecords Limit
    SimTime pollInterval = kSimSecond;
    DurationDistributionSpec processingTime; // per batch
    std::optional<std::string> writesTo; // a table with the source's key schema
    std::optional<std::string> sink; // folder for JSON lines, resolved against the scenario's folder
};

// The table's stream (tables[].streams).
struct StreamSpec {
    std::string viewType; // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES, as the API spells it
    std::vector<StreamConsumerSpec> consumers;
};

// Point-in-time recovery (tables[].pitr), enabled from t = 0 (reference A8).
struct PitrSpec {
    std::int64_t recoveryPeriodDays = 35;
};

// A DAX cluster in front of a table (tables[].dax; reference A10).
struct DaxSpec {
    std::string nodeType = "dax.r5.large";
    std::int64_t nodes = 3; // 1-11
    SimTime itemTtl = 5 * kSimMinute; // 0: item entries never expire
    SimTime queryTtl = 5 * kSimMinute; // 0: no query cache
};

struct TableSpec {
    std::string name;
    KeyElement partitionKey;
    std::optional<KeyElement> sortKey;
    BillingMode billingMode = BillingMode::Provisioned;
    TableClass tableClass = TableClass::Standard;
    std::int64_t provisionedRead = 0;
    std::int64_t provisionedWrite = 0;
    std::optional<AutoScalingSpec> autoScaling;
    OnDemandSpec onDemand;
    std::optional<InitialDataSpec> initialData;
    std::vector<IndexSpec> globalSecondaryIndexes;
    std::vector<IndexSpec> localSecondaryIndexes;
    std::optional<TtlSpec> ttl;
    std::optional<StreamSpec> streams;
    std::optional<PitrSpec> pitr;
    std::optional<DaxSpec> dax;
    // Global table (reference A11): the other regions holding a replica, besides the scenario's region.
    std::vector<std::string> replicas;
};

struct EventSpec {
    enum class Action {
        UpdateTable,
        SetAutoScaling,
        SetWorkloadRate,
        CreateIndex,
        DeleteIndex,
        UpdateTimeToLive,
        CreateBackup,
        RestoreTable,
        ExportTable,
        ImportTable,
        RegionOutage
    };
    SimTime at = 0;
    Action action = Action::UpdateTable;
    std::string table; // updateTable, setAutoScaling
    std::optional<std::int64_t> provisionedRead; // updateTable
    std::optional<std::int64_t> provisionedWrite;
    std::optional<BillingMode> billingMode;
    std::optional<TableClass> tableClass;
    std::optional<AutoScalingSpec> autoScaling; // setAutoScaling (nullopt inside = remove)
    std::string workload; // setWorkloadRate
    std::optional<RatePatternSpec> rate;
    std::optional<IndexSpec> index; // createIndex
    std::string indexName; // deleteIndex
    // updateTimeToLive: TimeToLiveSpecification {Enabled, AttributeName}
    bool ttlEnabled = false;
    std::string ttlAttribute;
    std::string backupName; // createBackup: the backup's name; restoreTable: the backup restored
    // restoreTable: a new table restored from `backupName`, or from `table` at `pointInTime`
    std::string target;
    // restoreTable from the table's PITR window; exportTable: FULL_EXPORT's ExportTime, or
    // INCREMENTAL_EXPORT's ExportFromTime (its ExportToTime is `at`)
    std::optional<SimTime> pointInTime;
    std::string exportFormat = "DYNAMODB_JSON"; // exportTable: DYNAMODB_JSON or ION; importTable: CSV too
    bool incrementalExport = false; // exportTable type INCREMENTAL_EXPORT
    std::string importSource; // importTable: the folder read, resolved against the scenario's folder
    std::string importCompression = "NONE"; // NONE, GZIP or ZSTD
    std::optional<TableSpec> importTarget; // importTable: the table it creates
    std::string region; // regionOutage: the region unreachable
    SimTime duration = 0; // regionOutage: how long
};

struct FidelitySpec {
    enum class Mode { Auto, Full, Sampled, Fluid };
    Mode mode = Mode::Auto;
    // sampled: the share of requests (of keys) executed in the engine; fluid: the share of the
    // engine sample, resolved by the simulator
    double rate = 1.0;
    SimTime step = kSimSecond; // fluid: the admission step
    double engineShare = 0; // fluid: the share of keys whose requests run in the engine; 0 = automatic
};

// "full", "sampled", "fluid" or "auto".
const char* fidelityModeName(FidelitySpec::Mode mode);
// The step of a fluid run as the summary writes it: "1s", "250ms".
std::string fidelityStepText(SimTime step);

struct Scenario {
    std::string name;
    std::string description;
    std::string region = "us-east-1";
    std::optional<std::string> pricingFile;
    bool freeTier = false;
    SimTime duration = 0;
    std::uint64_t seed = 1;
    FidelitySpec fidelity;
    ClientSpec client;
    ModelSpec model;
    std::vector<TableSpec> tables;
    std::vector<WorkloadSpec> workloads;
    std::vector<EventSpec> events;
};

} // namespace capsim
