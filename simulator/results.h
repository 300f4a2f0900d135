#pragma once
// RunResult: everything one simulation run produced, as an immutable snapshot (the studio
// shares it across threads as std::shared_ptr<const RunResult>). Plain values.

#include "simulator/dimension.h"
#include "simulator/run_event.h"
#include "simulator/scenario.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

struct MinuteRow {
    std::int64_t minute = 0;
    double provisionedRead = 0, provisionedWrite = 0; // in force in the minute's last second
    double consumedRead = 0, consumedWrite = 0; // units in the minute / 60
    std::int64_t requestsRead = 0, requestsWrite = 0; // attempts that reached DynamoDB
    std::int64_t throttledRead = 0, throttledWrite = 0;
    std::int64_t failedRead = 0, failedWrite = 0;
    std::int64_t partitions = 0;
    double costToDate = 0;
    double latencyP50Ms = 0, latencyP99Ms = 0; // of requests completing in the minute
    std::int64_t ttlDeletions = 0; // items TTL deleted in the minute (results database only; not a CSV column)
    // The data lifecycle per minute (results database only; not CSV columns): the table's billable
    // bytes at the minute's end; stream records written, stream read request units (GetRecords
    // calls, all consumers) and the largest consumer lag of a batch ending in the minute (reference
    // A7); and the data-feature cost accrued to date (CostBreakdown::dataFeatures()).
    std::int64_t storageBytes = 0;
    std::int64_t streamRecords = 0, streamReadRequests = 0;
    double consumerLagSeconds = 0;
    double dataCostToDate = 0;
    // DAX (reference A10; results database only): requests the cluster served from its caches and
    // those it passed to the table (misses, strong reads, transactions), stale hits, cache bytes at
    // the minute's end, and the busiest node's share of its request budget in the minute.
    std::int64_t daxHits = 0, daxMisses = 0, daxStaleReads = 0;
    std::int64_t daxCacheBytes = 0;
    double daxNodeUtilisation = 0;
    // Global tables (reference A11; results database only), on a replica's row: changes replication
    // applied to it in the minute, conflicts (arrivals dropped by last-writer-wins), changes queued
    // for it at the minute's end, and the largest lag (apply - commit) of a change applied in it.
    std::int64_t replicatedWrites = 0, conflicts = 0, replicationBacklog = 0;
    double replicationLagSeconds = 0;
};

struct PartitionMinuteRow {
    std::int64_t minute = 0;
    std::int64_t partition = 0; // stable id
    double consumedRead = 0, consumedWrite = 0; // units / 60
    std::int64_t throttledRead = 0, throttledWrite = 0;
    std::int64_t sizeBytes = 0; // billable
    double limitUtilisation = 0; // max over dimensions of consumed / min(hard limit, even share of the table rate)
};

struct CostBreakdown {
    double read = 0, write = 0, storage = 0, freeTier = 0;
    double indexes = 0; // a table's secondary indexes: GSI capacity and all index storage
    // The data features (reference A5, A8, A9): PITR and backup storage accrue per second, a
    // restore, export or import is billed once; stream read request units (free tier in freeTier).
    double streams = 0, pitr = 0, backups = 0, restore = 0, dataExport = 0, dataImport = 0;
    // DAX node-hours (reference A10); replication: replicated write units of the other replicas and
    // cross-region transfer (reference A11).
    double dax = 0, replication = 0;
    double dataFeatures() const { return streams + pitr + backups + restore + dataExport + dataImport; }
    double total() const { return read + write + storage + freeTier + indexes + dataFeatures() + dax + replication; }
};

// The data features a table uses: summary.json lists their cost lines only then (cli.md).
struct DataFeatureUse {
    bool streams = false, pitr = false, backups = false, restore = false, dataExport = false, dataImport = false;
    bool dax = false, replication = false;
};

// A table's DAX cluster over the run (cli.md: {"hits","misses","hitRatio","staleReads","nodeHours"}).
struct DaxSummary {
    std::string nodeType;
    std::int64_t nodes = 0;
    std::int64_t hits = 0; // requests answered from the item or query cache
    std::int64_t misses = 0; // cacheable requests the table answered
    std::int64_t passThrough = 0; // strong reads and TransactGetItems (never cached)
    std::int64_t staleReads = 0; // hits differing from the table
    std::int64_t throttled = 0; // requests refused with ThrottlingException
    double offloadedReadUnits = 0; // read units the hits would have consumed on the table
    double offloadedReadCost = 0; // what they would have cost (pricing daxOffloadedReadCost)
    double nodeHours = 0; // billed: ceil(hours) x nodes
    double hitRatio() const { return hits + misses > 0 ? double(hits) / double(hits + misses) : 0.0; }
};

// One replica of a global table over the run (cli.md: {"region","replicatedWrites","maxLagSeconds",
// "conflicts","storageBytes"}).
struct ReplicaSummary {
    std::string region;
    std::int64_t replicatedWrites = 0; // changes applied here by replication
    double maxLagSeconds = 0;
    std::int64_t conflicts = 0;
    std::int64_t storageBytes = 0;
};

// TTL of a table over the run (reference A6, "Summary").
struct TtlSummary {
    std::int64_t expired = 0; // items that reached max(expiry, TTL enabled)
    std::int64_t deleted = 0; // items TTL deleted
    double meanDelaySeconds = 0; // mean of deletion time - max(expiry, TTL enabled)
};

// A stream consumer over the run (cli.md, "streams"; reference A7).
struct StreamConsumerSummary {
    std::string name;
    std::string kind; // "lambda" | "client" | "kinesis"
    std::int64_t batches = 0; // GetRecords calls that returned records
    std::int64_t reads = 0; // GetRecords calls
    std::int64_t records = 0; // records delivered (kinesis: duplicates included)
    std::int64_t writes = 0, throttledWrites = 0; // writesTo
    double maxLagSeconds = 0;
};

// A table's stream over the run (cli.md: {"records","readRequestUnits","consumers"}).
struct StreamSummary {
    std::int64_t records = 0;
    std::int64_t readRequestUnits = 0; // billable: client consumers' GetRecords calls
    std::int64_t changeDataCaptureUnits = 0; // kinesis consumers (reference C 6.3)
    std::vector<StreamConsumerSummary> consumers;
};

// One backup, export or import of a run (cli.md: "backups / exports / imports lists with sizes").
struct DataMovement {
    double timeSeconds = 0; // simulated time of the request
    std::string name; // backup name, export id or import target table
    std::string status; // "AVAILABLE", "COMPLETED", "FAILED", "DELETED"...
    std::int64_t sizeBytes = 0; // BackupSizeBytes, BilledSizeBytes, ProcessedSizeBytes
    std::int64_t itemCount = 0;
    std::string detail; // format, export type, restore target...
    double cost = 0;
};

struct LatencySummary {
    std::int64_t count = 0;
    double p50Ms = 0, p90Ms = 0, p99Ms = 0, p999Ms = 0, maxMs = 0;
};

struct HotKey {
    std::string key;
    std::int64_t requests = 0;
    std::int64_t throttled = 0;
};

// The figures of a table, or of one of its secondary indexes (then `indexKind` is set, `name`
// is the index's name, and requests / throttles / consumed units are the index's own: for a
// GSI its reads and the base writes that maintain it, for an LSI the units it adds to the table).
struct TableResult {
    std::string name;
    std::optional<IndexKind> indexKind;
    BillingMode billingMode = BillingMode::Provisioned; // at the end of the run
    TableClass tableClass = TableClass::Standard;
    std::int64_t requestsRead = 0, requestsWrite = 0;
    std::int64_t throttledRead = 0, throttledWrite = 0;
    std::int64_t failedRead = 0, failedWrite = 0;
    double consumedRead = 0, consumedWrite = 0;
    double provisionedUnitHoursRead = 0, provisionedUnitHoursWrite = 0;
    std::int64_t partitionsInitial = 0, partitionsFinal = 0, splits = 0;
    std::int64_t storageBytes = 0;
    std::int64_t scaleOuts = 0, scaleIns = 0;
    CostBreakdown cost;
    DataFeatureUse uses;
    std::optional<TtlSummary> ttl; // when the table uses TTL
    std::optional<StreamSummary> streams; // when the table has a stream
    std::optional<DaxSummary> dax; // when the table has a DAX cluster
    // Global tables (reference A11): the region of this table's figures (the scenario's region for
    // a top-level table), the summary of every replica (this one included, first), and the full
    // figures of the other replicas (minutes, partitions, cost), in `replicas` order. Each replica's
    // cost puts its local workloads' writes in `write` and the changes replication applied to it
    // (with their transfer) in `replication`; the top-level table's cost covers the whole global
    // table: each of its lines is its own plus the same line of every other replica.
    std::string region;
    std::vector<ReplicaSummary> replicaSummaries;
    std::vector<TableResult> replicas;
    std::vector<DataMovement> backups, exports, imports, restores;
    // What the same traffic would have cost in the other capacity mode (provisioned at the
    // capacity in force vs on-demand request units), for the comparison views.
    double alternativeModeCost = 0;
    std::vector<MinuteRow> minutes;
    std::vector<PartitionMinuteRow> partitionMinutes;
    std::vector<HotKey> hottestKeys;
    std::vector<TableResult> indexes; // a table's GSIs and LSIs, in creation order
};

// DAX's break-even hit ratio (reference A10): the cluster pays for itself when its hits save
// more read cost than its nodes cost. Hits and misses costing alike, the read cost without DAX is
// the table's read cost plus what the hits would have cost, and h* = node cost / that (lesson 17:
// $0.12 / $0.16875 = 71.1 %). 0 when the table has no cluster or no reads.
inline double daxBreakEvenHitRatio(const TableResult& t)
{
    if (!t.dax)
        return 0;
    const double readCostWithout = t.cost.read + t.dax->offloadedReadCost;
    return readCostWithout > 0 ? t.cost.dax / readCostWithout : 0;
}

struct RunResult {
    std::string scenario;
    std::string description;
    std::uint64_t seed = 1;
    double simulatedSeconds = 0;
    FidelitySpec::Mode fidelityMode = FidelitySpec::Mode::Full; // resolved: Full or Sampled
    double fidelityRate = 1.0;
    SimTime fidelityStep = kSimSecond; // fluid
    std::string pricingLabel; // "us-east-1 2024-11-01"
    std::string currency = "USD";
    // The scenario model's hard limit per partition (units/s), which the views compare a
    // partition's traffic with.
    PerDimension<double> partitionLimits { { 3000, 1000 } };
    std::vector<TableResult> tables;
    std::vector<RunEvent> events;
    std::map<std::string, LatencySummary> latency; // "read", "write", and per operation name
    bool cancelled = false;
    double costTotal() const
    {
        double sum = 0;
        for (const auto& t : tables)
            sum += t.cost.total();
        return sum;
    }
};

} // namespace capsim
