#pragma once
// Simulator::Impl: the state of one run and the steps that advance it, shared by the files that
// implement them (simulator.cpp: setup, minute ends, cost and results; request_path.cpp:
// admission, execution and charging; sampled_metering.cpp; table_updates.cpp: scenario events,
// UpdateTable and backfills; auto_scaling.cpp; on_demand_growth.cpp; split_for_heat.cpp).
// Private to the simulator; one instance per run, single-threaded.

#include "simulator/simulator.h"

#include "engine/engine.h"
#include "engine/item_size.h"
#include "engine/key_codec.h"
#include "simulator/capacity_model.h"
#include "simulator/dax.h"
#include "simulator/dimension.h"
#include "simulator/event_queue.h"
#include "simulator/on_demand_growth.h"
#include "simulator/split_for_heat.h"
#include "workloads/arrivals.h"
#include "workloads/distributions.h"
#include "workloads/random.h"
#include "workloads/rate_pattern.h"
#include "workloads/request_generator.h"

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/extended_p_square.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/stats.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <cmath>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace capsim {

namespace acc = boost::accumulators;

inline constexpr double kMaxFullRequests = 2000000.0;
inline constexpr double kMaxFullInitialBytes = 1024.0 * 1024 * 1024;
// Random streams, so that adding draws for one purpose never shifts another's.
inline constexpr std::uint64_t kStreamClient = 0x1000;
inline constexpr std::uint64_t kStreamLatency = 0x2000;
inline constexpr std::uint64_t kStreamSampling = 0x3000;
inline constexpr std::uint64_t kStreamInitialData = 0x4000;
inline constexpr std::uint64_t kStreamArrivals = 0x5000;
// Stream consumers (stream_consumers.cpp): consumer c draws from kStreamConsumers + 16 c + purpose.
inline constexpr std::uint64_t kStreamConsumers = 0x90000;
// DAX hit latency (request_path.cpp; reference A10).
inline constexpr std::uint64_t kStreamDax = 0x7000;
// Fluid fidelity's packets of throttled attempts (fluid_flows.cpp).
inline constexpr std::uint64_t kStreamFluid = 0x8000;

using LatencyAccumulator = acc::accumulator_set<double, acc::stats<acc::tag::extended_p_square, acc::tag::max>>;
inline const std::array<double, 4> kProbabilities { 0.5, 0.9, 0.99, 0.999 };

inline LatencyAccumulator makeLatencyAccumulator()
{
    return LatencyAccumulator(acc::extended_p_square_probabilities = kProbabilities);
}

inline double secondsOf(SimTime t)
{
    return static_cast<double>(t) / static_cast<double>(kSimSecond);
}

// Requests executed in the engine by a fluid run (its seeded sample), at most.
inline constexpr double kFluidEngineRequests = 200000.0;
inline constexpr double kMinFluidRequests = 100000000.0; // auto picks fluid beyond
// Up to this many requests a fluid run draws them as a full run does (arrivals, keys, sizes) and
// runs each when admitted; beyond, flows carry expected requests.
inline constexpr double kFluidExactRequests = 4000000.0;

// updateTimeToLive, createBackup, restoreTable, exportTable and importTable (data_lifecycle.cpp).
bool isDataLifecycleEvent(EventSpec::Action action);
// Which data features the scenario uses on a table (its cost lines in the summary).
DataFeatureUse dataFeatureUse(const Scenario& scenario, const TableSpec& table);
// The engine's TTL delay model from the scenario's model.ttlDelay (reference A6).
TtlDelayModel ttlDelayModel(const ModelSpec& model);

// Keys are drawn as indexes; "k<i>" names partition key i whatever its type. Built by
// appending: GCC 12 warns falsely (-Wrestrict) on "k" + std::to_string(i).
inline std::string keyLabelOf(std::int64_t index)
{
    std::string label = "k";
    label += std::to_string(index);
    return label;
}

inline Dimension dimensionOf(OperationType type)
{
    return isReadOperation(type) ? Dimension::Read : Dimension::Write;
}

// An index of the scenario as CreateTable / UpdateTable take it. An LSI has the table's
// partition key; GSI capacity only on a provisioned table.
IndexDefinition indexDefinition(const TableSpec& table, const IndexSpec& index, BillingMode mode);
// CreateTable's request for a scenario table: keys, billing mode, class, capacity and indexes
// (the run's tables at t = 0, importTable's TableCreationParameters; data_lifecycle.cpp).
CreateTableRequest createRequestOf(const TableSpec& spec);

// The partition key value of a single-key request or Query, for routing.
inline std::optional<AttributeValue> routingKey(const GeneratedRequest& g, AttrType type)
{
    if (g.type == OperationType::Scan || g.type == OperationType::BatchGetItem || g.type == OperationType::BatchWriteItem
        || g.type == OperationType::TransactGetItems || g.type == OperationType::TransactWriteItems)
        return std::nullopt;
    if (g.partitionKeyOverride)
        return g.partitionKeyOverride; // an index query on a value drawn from `attributes`
    return partitionKeyValue(type, g.partitionKeyIndex);
}

// Key index i back from its rendering ("k<i>", i, or 8 big-endian bytes); -1 when it is none.
inline std::int64_t keyIndexOf(const AttributeValue& v)
{
    std::int64_t index = -1;
    if (v.is(AttrType::S) && v.bytes().size() > 1)
        index = std::atoll(v.bytes().c_str() + 1);
    else if (v.is(AttrType::N))
        v.asNumber().toInt64(index);
    else if (v.is(AttrType::B) && v.bytes().size() == 8) {
        index = 0;
        for (char c : v.bytes())
            index = index * 256 + static_cast<unsigned char>(c);
    }
    return index;
}

struct PacketOutcome; // fluid_flows.cpp

struct Simulator::Impl {
    Scenario scenario;
    SimulatorOptions options;
    std::unique_ptr<Engine> engine;
    FidelitySpec fidelity;
    double weight = 1.0; // 1 / sampling rate

    EventQueue queue;

    // ---- tables ----
    struct PartitionMinute {
        PerDimension<double> consumed;
        PerDimension<std::int64_t> throttled;
    };
    // A table, or one of its secondary indexes (`indexSpec` set): a GSI has a capacity model of
    // its own; an LSI only collects its figures (its units count against the table).
    struct TableRuntime {
        const TableSpec* spec = nullptr; // the table (its own, or the index's base table)
        const IndexSpec* indexSpec = nullptr;
        std::string name; // "<table>" or "<table>/<index>", as the results name it
        std::size_t owner = 0; // an index's table
        const OnDemandSpec* onDemand = nullptr;
        bool creating = false; // a GSI being backfilled
        bool deleted = false;
        double backfillUnitsPerItem = 1.0;
        bool isIndex() const { return indexSpec != nullptr; }
        bool isGlobalIndex() const { return indexSpec && indexSpec->kind == IndexKind::Global; }
        bool isLocalIndex() const { return indexSpec && indexSpec->kind == IndexKind::Local; }
        std::unique_ptr<CapacityModel> capacity;
        BillingMode mode = BillingMode::Provisioned;
        TableClass tableClass = TableClass::Standard;
        PerDimension<double> provisioned; // in force
        PerDimension<bool> pending; // auto-scaling action in flight
        SimTime updatingUntil = 0; // an accepted UpdateTable is in flight (the table is UPDATING) until then
        SimTime modeSwitchUntil = 0; // ... and a billing-mode switch
        std::optional<AutoScalingSpec> autoScaling;
        PerDimension<std::deque<double>> datapoints; // consumed units/s of the last minutes
        PerDimension<OnDemandGrowth> onDemandGrowth;
        // the current minute
        PerDimension<double> minuteConsumed;
        PerDimension<double> minuteDemand;
        PerDimension<std::int64_t> minuteRequests;
        PerDimension<std::int64_t> minuteThrottled;
        PerDimension<std::int64_t> minuteFailed;
        std::set<std::string> failureTypes; // error types of failed requests already reported as events
        std::map<std::int64_t, PartitionMinute> partitionMinute;
        std::map<std::int64_t, HeatState> heat;
        PerDimension<bool> throttling;
        // cost accrual
        SimTime accruedTo = 0;
        std::int64_t sequentialKeys = 0;
        LatencyAccumulator minuteLatency = makeLatencyAccumulator();
        std::int64_t minuteLatencyCount = 0;
        std::unordered_map<std::string, HotKey> keys;
        std::vector<std::int32_t> initialSizes; // sampled fidelity: initialData sizes by ordinal
        std::int64_t ttlDeletedBefore = 0; // the engine's TTL deletions counted in earlier minutes
        // The data lifecycle (data_lifecycle.cpp). A restoreTable or importTable target is a table
        // of the run (after the scenario's own in `scenario.tables`): absent until its event makes
        // it (or for good when DynamoDB refused the event), then CREATING (requests answered
        // ResourceNotFoundException) until `activeAt`.
        bool later = false; // a restore or import target
        bool absent = false; // not in the engine (yet)
        bool activeReported = false; // its CREATING -> ACTIVE was reported
        SimTime activeAt = 0; // when it turns ACTIVE
        bool unsampled = false; // an imported table: it holds its whole source, unweighted (sampled fidelity)
        double backupBytes = 0; // weighted BackupSizeBytes of the table's USER backups, billed per GB-month
        // The table's stream (stream_consumers.cpp): records and CDC units as executed (weighted
        // by 1/r when reported), and the current minute's records, GetRecords calls and lag.
        std::int64_t streamRecords = 0, streamCdcUnits = 0;
        std::int64_t minuteStreamRecords = 0, minuteStreamReads = 0;
        double minuteConsumerLag = 0;
        // The table's DAX cluster (tables[].dax; reference A10), when it has one.
        std::unique_ptr<DaxCluster> dax;
        // Global tables (global_tables.cpp; reference A11). Every runtime has its region (the
        // scenario's for its own tables); a replica in another region is a table of the run with
        // its own capacity, minutes and cost, `replicaOf` naming the scenario table's runtime (a
        // replica's own indexes have it as `owner`). `global`: the table has replicas (storage
        // 148 B per item). The changes replication applied here (as executed; weighted by 1/r
        // when reported), their item bytes, and the current minute's count and largest lag.
        std::string region;
        std::size_t self = 0; // this runtime's place in `tables`
        std::optional<std::size_t> replicaOf;
        bool global = false;
        std::int64_t replicatedWrites = 0, minuteReplicatedWrites = 0;
        double maxReplicationLag = 0, minuteReplicationLag = 0;
        std::int64_t conflictsBefore = 0; // the engine's conflicts counted in earlier minutes
        bool isReplica() const { return replicaOf.has_value(); }
        TableResult result;
    };
    // Tables first (in scenario order), then their indexes as they are created; a deque, so
    // that adding an index keeps references to the others valid.
    std::deque<TableRuntime> tables;
    std::map<std::string, std::size_t> tableIndex;

    // ---- workloads and requests ----
    struct WorkloadRuntime {
        const WorkloadSpec* spec = nullptr;
        std::size_t table = 0;
        std::unique_ptr<RequestGenerator> generator;
        bool global = false; // targets a GSI
        std::unique_ptr<ArrivalProcess> arrivals;
        RatePatternSpec fluidRate; // fluid fidelity: the pattern in force (setWorkloadRate changes it)
    };
    std::vector<WorkloadRuntime> workloads;
    struct PendingRequest {
        std::size_t workload = 0;
        GeneratedRequest request;
        SimTime firstArrival = 0;
        int attempts = 0;
        bool active = false;
    };
    std::vector<PendingRequest> pending;
    std::vector<std::size_t> freeSlots;
    std::unordered_map<std::string, std::int64_t> lastWrittenSize; // sampled fidelity: key -> size

    // ---- stream consumers (stream_consumers.cpp; reference A7) ----
    // One per tables[].streams.consumers[]; a reader per shard it reads (one per shard per consumer).
    struct StreamConsumerRuntime {
        std::size_t table = 0;
        const StreamConsumerSpec* spec = nullptr;
        std::string streamArn;
        std::optional<std::size_t> target; // writesTo
        std::set<std::string> shardsStarted;
        Rng processingRng { 1, 0 };
        Rng kinesisRng { 1, 0 };
        Rng retryRng { 1, 0 };
        Rng latencyRng { 1, 0 };
        std::shared_ptr<std::FILE> sink; // the sink's JSON lines file, created by this run
        std::string sinkPath;
        StreamConsumerSummary summary; // records and writes as executed (weighted when reported)
    };
    struct StreamReaderRuntime {
        std::size_t consumer = 0;
        std::string shardId;
        std::int64_t afterSequence = 0; // where the next GetRecords continues
        std::vector<StreamRecord> batch; // the batch being processed
        std::size_t next = 0; // its next writesTo write
        int attempts = 0; // of that write
        SimTime pollAt = 0; // of the batch
        bool shardEnded = false; // the batch read the closed shard to its end
    };
    std::vector<StreamConsumerRuntime> streamConsumers;
    std::vector<StreamReaderRuntime> streamReaders;
    // The account's free stream read request units used, per 730-hour month of the run (A5).
    std::map<std::int64_t, double> freeStreamReadsUsed;
    SubscriptionId streamSubscription = 0;

    // ---- global tables (global_tables.cpp; reference A11) ----
    // Every table runtime (scenario tables, restore/import targets and replicas) by (region, name).
    std::map<std::pair<std::string, std::string>, std::size_t> regionTables;
    SubscriptionId replicationSubscription = 0;
    std::set<std::string> downRegions; // regionOutage in progress
    // Makes the engine address `region`'s tables (Engine::setRegion) until destroyed; the
    // engine stands in the scenario's region otherwise.
    class RegionScope {
    public:
        RegionScope(Engine& engine, const std::string& region)
            : m_engine(engine)
            , m_saved(engine.region())
        {
            if (!region.empty())
                m_engine.setRegion(region);
        }
        ~RegionScope() { m_engine.setRegion(m_saved); }
        RegionScope(const RegionScope&) = delete;
        RegionScope& operator=(const RegionScope&) = delete;

    private:
        Engine& m_engine;
        std::string m_saved;
    };
    // The region a workload's requests go to (workloads[].region, else the scenario's).
    const std::string& regionOf(const WorkloadSpec& w) const { return w.region.empty() ? scenario.region : w.region; }
    // At t = 0 after every table exists: each table with `replicas` gets them in the engine
    // (ACTIVE, with its items) and a runtime per replica (and its indexes); the subscription
    // that charges replicated changes to their destination.
    Status setUpReplicas();
    void replicatedChange(const WriteChange& change);
    void replicationMinute(TableRuntime& t, MinuteRow& row);
    // regionOutage: the region down at the event, up again `duration` later (QueuedKind::TimedEvent
    // with the event's index; the end is scheduled by the start).
    void regionOutageEvent(std::size_t eventIndex, bool down);
    // A replica's result (with its indexes) and its summary; the top-level table's cost lines
    // then include every replica's (results.h).
    void finishReplicas(TableRuntime& t, std::vector<std::vector<TableResult>>& indexResults);
    ReplicaSummary replicaSummaryOf(TableRuntime& t);

    Rng clientRng;
    Rng latencyRng;
    Rng samplingRng;
    std::map<std::string, LatencyAccumulator> latency;
    std::map<std::string, std::int64_t> latencyCount;
    RunResult result;
    SimTime now = 0;
    Status ttlFailure; // the engine failing its background work (a storage error) fails the run
    std::chrono::steady_clock::time_point lastSnapshot {};

    Impl(Scenario s, SimulatorOptions o)
        : scenario(std::move(s))
        , options(std::move(o))
        , clientRng(scenario.seed, kStreamClient)
        , latencyRng(scenario.seed, kStreamLatency)
        , samplingRng(scenario.seed, kStreamSampling)
    {
    }

    void event(const std::string& table, EventKind kind, EventPayload payload)
    {
        result.events.push_back({ secondsOf(now), table, kind, std::move(payload) });
    }

    Status setUp();
    Status loadInitialData(TableRuntime& t);
    void syncPartitions(TableRuntime& t, bool recordSplits);
    void applyRates(TableRuntime& t);
    void accrueCost(TableRuntime& t, SimTime until);
    void accrueDataCost(TableRuntime& t, double seconds);
    std::int64_t pitrBillableBytesOf(const TableRuntime& t) const;
    void handleArrival(std::size_t workload);
    void attempt(std::size_t slot);
    // execute and the meter* functions answer the request's outcome: DynamoDB's error when the
    // engine refused it (see requestFailed).
    Status execute(PendingRequest& request, TableRuntime& t);
    Status meterWithoutEngine(PendingRequest& request, TableRuntime& t);
    Status meterBatch(PendingRequest& request, TableRuntime& t);
    Status meterTransaction(PendingRequest& request, TableRuntime& t);
    // A request the engine refused: an error other than InternalServerError is DynamoDB's answer,
    // which the SDK does not retry (the request fails, an event names the first of each type per
    // table); InternalServerError is capsim's own failure (SQLite) and stops the run (`fatal`).
    void requestFailed(TableRuntime& t, const PendingRequest& request, const Status& status);
    // The engine failed with InternalServerError (SQLite): the run stops with this error.
    void engineFailed(const Status& status)
    {
        if (fatal.isOk())
            fatal = status;
    }
    Status fatal;
    std::int64_t knownSize(TableRuntime& t, std::int64_t keyIndex, std::int64_t sortIndex, const std::string& key) const;
    void chargeConsumed(TableRuntime& t, const ConsumedCapacity& consumed, Dimension dimension);
    void chargePartition(TableRuntime& t, std::int64_t partitionId, Dimension dimension, double units);
    // The bookkeeping of units a partition served (minute, run and on-demand cost figures),
    // without its buckets: chargePartition's second half, and what fluid flows record.
    void recordConsumed(TableRuntime& t, std::int64_t partitionId, Dimension dimension, double units);
    // Index runtimes
    std::size_t addIndexRuntime(std::size_t table, const IndexSpec& spec, bool creating);
    std::optional<std::size_t> findIndexRuntime(std::size_t table, const std::string& indexName) const;
    const std::vector<Partition>& partitionsOf(const TableRuntime& t) const;
    std::int64_t billableBytesOf(const TableRuntime& t) const;
    const KeyElement& partitionKeyOf(const TableRuntime& t) const
    {
        return t.isGlobalIndex() ? t.indexSpec->partitionKey : t.spec->partitionKey;
    }
    bool admitGlobalIndexes(std::size_t table, const GeneratedRequest& request, std::vector<std::size_t>& refused);
    void backfill(std::size_t index);
    TableResult finishRuntime(TableRuntime& t);
    void recordLatency(TableRuntime& t, const PendingRequest& request, SimTime completion);
    void minuteEnd(std::int64_t minute);
    void autoScale(TableRuntime& t, std::size_t tableIndex, Dimension d);
    void onDemandGrowth(TableRuntime& t);
    void splitForHeat(TableRuntime& t);
    void timedEvent(std::size_t index);
    void dataLifecycleEvent(const EventSpec& e);
    // ---- data lifecycle: backups, restores, exports, imports (data_lifecycle.cpp) ----
    std::size_t scenarioTableCount = 0; // tables[] of the scenario; restore/import targets follow
    std::map<std::string, std::string> backupArns; // createBackup name -> the latest backup's ARN
    // The folder standing for S3 for exportTable: beside a kept engine database `<enginePath>.s3`
    // (the studio's Data view browses it), else a private temporary folder removed after the run.
    std::string exportRoot;
    bool exportRootTemporary = false;
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> exportArns; // (table, position in exports, ExportArn)
    // Appends a TableSpec per restoreTable / importTable target to scenario.tables (before the
    // runtimes point into it).
    void addLaterTables();
    // A scenario table's PITR on from t = 0 (after initialData), for restores and exports.
    Status setUpDataLifecycle(TableRuntime& t);
    // A restore or import target's runtime before its event: absent.
    void prepareLaterTable(std::size_t ti);
    // The target made by an accepted restore or import: capacity model, indexes, costs from now.
    void laterTableCreated(std::size_t ti, const TableState& state);
    // Whether requests reach the table (false while absent or CREATING; reports it turning ACTIVE).
    bool tableServing(TableRuntime& t);
    double weightOf(const TableRuntime& t) const { return t.unsampled ? 1.0 : weight; }
    void createBackupEvent(const EventSpec& e);
    void restoreTableEvent(const EventSpec& e);
    void exportTableEvent(const EventSpec& e);
    void importTableEvent(const EventSpec& e);
    void refuseLifecycleEvent(const EventSpec& e, const std::string& table, const std::string& subject, const Status& status);
    // Per-item backup cost to the end of the run, the exports' outcome.
    void finishDataLifecycle(TableRuntime& t);
    void removeExportFolder(); // the run's private export folder (finish, and ~Impl)
    ~Impl() { removeExportFolder(); }
    Status setUpTimeToLive(TableRuntime& t);
    void ttlMinute(TableRuntime& t, MinuteRow& row);
    void finishTimeToLive(TableRuntime& t);
    // Streams (stream_consumers.cpp): the StreamSpecification of a table's CreateTable (none when
    // initialData is loaded first), the stream enabled after initialData, the consumers started
    // after every table exists, their events, and the figures per minute and at the end.
    std::optional<StreamSpecification> streamSpecificationAtCreate(const TableSpec& spec) const;
    Status setUpStream(TableRuntime& t);
    Status startStreamConsumers();
    void startStreamReader(std::size_t consumer, const StreamShard& shard, SimTime at);
    void scheduleStreamEvent(SimTime at, EventClass cls, QueuedKind kind, std::size_t reader);
    void streamPoll(std::size_t reader);
    void streamWrite(std::size_t reader);
    void streamBatchEnd(std::size_t reader);
    void streamShardEnded(std::size_t reader);
    void streamMinute(TableRuntime& t, MinuteRow& row);
    void finishStreams(TableRuntime& t);
    void capacityEffective(const QueuedEvent& e);
    void modeEffective(std::size_t table);
    Status requestCapacity(TableRuntime& t, std::optional<std::int64_t> read, std::optional<std::int64_t> write);
    std::string keyLabel(const GeneratedRequest& r) const;
    // Sampled fidelity stores and executes a fixed subset of partition keys (whole item
    // collections), so the engine's contents are a consistent sample: key k is in it when
    // floor((k + 1) r) > floor(k r), exactly round(N r) of any N consecutive keys.
    bool keySampled(std::int64_t keyIndex) const
    {
        if (fidelity.mode != FidelitySpec::Mode::Sampled && fidelity.mode != FidelitySpec::Mode::Fluid)
            return true;
        const auto k = static_cast<double>(keyIndex);
        return std::floor((k + 1) * fidelity.rate) > std::floor(k * fidelity.rate);
    }
    void finish();

    // ---- fluid fidelity (fluid_flows.cpp) ----
    struct FluidState;
    std::shared_ptr<FluidState> fluid; // shared_ptr: FluidState is complete only in fluid_flows.cpp
    bool fluidSample = false; // an engine-sample request is executing: its units are not charged
    double fluidSampleUnits = 0; // ... but added up here
    // setWorkloadRate on a fluid run's workload (its arrivals, when it draws them one by one).
    void fluidRateChanged(std::size_t workload);
    // Builds the flows' profiles (key shares, units per request) and schedules the first step.
    Status setUpFluid();
    void fluidStep(std::int64_t step);
    // Runs a request of an exact workload (its key sampled: in the engine, else metered) and
    // answers the units it consumed; nullopt when the engine failed (the run stops).
    std::optional<double> runFluidRequest(std::int64_t slot, SimTime at);
    SimTime engineTime = 0; // the engine's clock in a fluid run: never set back
    // The attempts of a step on partitions whose demand exceeds what they can serve, admitted
    // one by one (in packets) with CapacityModel::admit and charge; per partition, into `outcomes`.
    void admitAttempts(TableRuntime& t, Dimension d, const std::vector<std::size_t>& throttled,
        std::vector<PacketOutcome>& outcomes, SimTime t0, SimTime step);
    // Before a minute's end: the flows' fractional counts into the minute's figures.
    void fluidMinuteFlush();
    void fluidFlushPartitions(TableRuntime& t);
    void finishFluid();

    // ---- DAX (request_path.cpp; reference A10) ----
    Rng daxRng { 1, 0 }; // hit latency, seeded in setUpDax
    SubscriptionId daxSubscription = 0;
    DaxCapture* daxCapture = nullptr; // set while a DAX miss executes
    // The clusters of the scenario's tables and their versions, fed from the engine's changes.
    Status setUpDax();
    // DAX's part of an attempt before the table: true when DAX answered it (a hit) or refused it
    // (ThrottlingException, retried like a throttle); else `a` says what follows the table's answer.
    bool daxFront(std::size_t slot, TableRuntime& t, DaxAttempt& a);
    void daxThrottled(std::size_t slot, TableRuntime& t);
    // After the table answered a request sent through DAX: fills the caches, counts.
    // `missUnits`: the read units the table read consumed (the query cache's saving per hit).
    void daxComplete(PendingRequest& r, TableRuntime& base, const DaxCapture& answer, DaxAttempt& a, double missUnits);
    // Puts back a BatchGetItem narrowed to its missed keys.
    void daxRestore(PendingRequest& r, DaxAttempt& a);
    // Sampled fidelity: a write on a key outside the sample changes no engine item, so its
    // version is advanced here (any workload on a table with DAX).
    void daxNoteUnsampledWrites(TableRuntime& base, const GeneratedRequest& g);
    // An item's size as the table holds it now (nullopt: not found), for a cache entry.
    std::optional<std::int64_t> daxItemState(TableRuntime& base, const Item& key);
    SimTime daxLatency();
    void daxMinute(TableRuntime& t, MinuteRow& row);
    void priceOffloadedReads(TableRuntime& t);
    void finishDax(TableRuntime& t);
};

} // namespace capsim
