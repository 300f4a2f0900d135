#include "simulator/run_estimate.h"

#include "simulator/simulator.h"
#include "workloads/rate_pattern.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace capsim {

namespace {

// Costs measured with `capsim run --quiet` under /usr/bin/time on the development machine
// (2 cores shared with other jobs, so CPU time, user + sys, stands for the time on an idle
// machine), 50/50 GetItem/PutItem of 1 KB items on 100,000 uniform keys, on-demand table:
//   1 simulated minute at 1 request/s:                       0.26 s, 36 MB (start, outputs, charts)
//   200,000 requests in full fidelity:                        4.22 s, 141 MB -> 19.8 us per request
//   2,000,000 requests sampled at 0.001 (2,000 in the engine): 16.2 s, 169 MB -> 7.9 us per request
//   4,000,000 requests sampled at 0.001:                      21.9 s, 170 MB (memory does not grow
//                                                             with requests)
//   the same 2,000,000 on 1,000 keys:                          7.7 s, 136 MB -> 340 bytes per key used
//   7 days at 0.01 requests/s (10,080 minutes x 5 rows):      1.63 s, 61 MB  -> 27 us, 500 bytes per row
//   200,000 initialData items of 1 KB:                         6.04 s, 344 MB -> 29 us, 1,540 bytes per item
// Fluid fidelity: per step of a table (its workloads' flows, admission) and per step of each of
// its partitions. Measured: `capsim bench long` (one table, one partition, 2,592,000 one-second
// steps) 5.0-6.4 s; lesson 20 (two tables, 1 + 4 partitions) 15 s with its outputs.
constexpr double kSecondsPerFluidTableStep = 1.8e-6;
constexpr double kSecondsPerFluidPartitionStep = 0.3e-6;
// Fluid: the key profile of a workload (hash and share of up to 2^20 keys).
constexpr double kBytesPerProfiledKey = 16;
constexpr double kFixedSeconds = 0.26;
constexpr double kSecondsPerEngineRequest = 19.8e-6;
constexpr double kSecondsPerMeteredRequest = 7.9e-6;
constexpr double kSecondsPerStoredItem = 29e-6;
constexpr double kSecondsPerResultRow = 27e-6;
// What a run with traffic holds whatever its size (the engine's page cache among it).
constexpr double kFixedBytes = 136.0 * 1024 * 1024;
constexpr double kBytesPerKeyUsed = 340;
constexpr double kBytesPerResultRow = 500;
// A stored item costs its size and a quarter more (SQLite pages, the index on the key) plus a
// fixed part: 1,024 x 1.25 + 260 = 1,540 bytes for the measured 1 KB items.
constexpr double kStoredBytesFactor = 1.25;
constexpr double kBytesPerStoredItem = 260;

double meanSize(const SizeDistributionSpec& size)
{
    switch (size.type) {
    case SizeDistributionSpec::Type::Fixed:
        return size.value;
    case SizeDistributionSpec::Type::Uniform:
        return (size.min + size.max) / 2;
    case SizeDistributionSpec::Type::LogNormal:
        return size.median * std::exp(size.sigma * size.sigma / 2);
    }
    return size.value;
}

// Requests a workload generates over [0, duration]: its pattern, then each pattern an event
// sets from the event's time on (patterns are functions of the run's clock).
double workloadRequests(const Scenario& scenario, const WorkloadSpec& workload)
{
    struct Change {
        SimTime at;
        const RatePatternSpec* pattern;
    };
    std::vector<Change> changes { { 0, &workload.rate } };
    for (const auto& e : scenario.events)
        if (e.action == EventSpec::Action::SetWorkloadRate && e.workload == workload.name && e.rate && e.at < scenario.duration)
            changes.push_back({ std::max<SimTime>(e.at, 0), &*e.rate });
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.at < b.at; });
    double total = 0;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const SimTime end = i + 1 < changes.size() ? changes[i + 1].at : scenario.duration;
        if (end > changes[i].at)
            total += rateIntegral(*changes[i].pattern, static_cast<double>(changes[i].at), static_cast<double>(end));
    }
    return total;
}

// Items one request of the mix writes.
double itemsWrittenPerRequest(const WorkloadSpec& workload)
{
    double items = 0;
    for (const auto& [operation, share] : workload.operations) {
        if (isReadOperation(operation) || operation == OperationType::DeleteItem)
            continue;
        const double perRequest = operation == OperationType::BatchWriteItem ? static_cast<double>(workload.batchSize.value_or(25))
            : operation == OperationType::TransactWriteItems                 ? static_cast<double>(workload.batchSize.value_or(4))
                                                                             : 1.0;
        items += share * perRequest;
    }
    return items;
}

// Partitions a table starts with (a run's splits come on top): its capacity over the model's
// per-partition limits, at least the on-demand minimum of 4, and its initial data over 10 GB.
double partitionsOf(const Scenario& scenario, const TableSpec& table)
{
    const ModelSpec& m = scenario.model;
    double partitions = 1;
    if (table.billingMode == BillingMode::Provisioned)
        partitions = std::ceil(static_cast<double>(table.provisionedRead) / m.partitionRead
            + static_cast<double>(table.provisionedWrite) / m.partitionWrite);
    else
        partitions = std::max({ 4.0, std::ceil(static_cast<double>(table.onDemand.previousPeakRead) / m.partitionRead),
            std::ceil(static_cast<double>(table.onDemand.previousPeakWrite) / m.partitionWrite) });
    if (table.initialData)
        partitions = std::max(partitions,
            std::ceil(meanSize(table.initialData->itemSize) * static_cast<double>(table.initialData->items)
                / static_cast<double>(m.partitionSizeBytes)));
    return std::max(1.0, partitions);
}

std::string formatFigure(double value, const char* unit)
{
    char text[64];
    if (value >= 1e6)
        std::snprintf(text, sizeof text, "%.2g %s", value, unit);
    else if (value >= 100)
        std::snprintf(text, sizeof text, "%.0f %s", value, unit);
    else
        std::snprintf(text, sizeof text, "%.2g %s", value, unit);
    return text;
}

} // namespace

std::string formatDuration(double seconds)
{
    if (seconds < 60)
        return formatFigure(seconds, "s");
    if (seconds < 3600)
        return formatFigure(seconds / 60, "min");
    return formatFigure(seconds / 3600, "h");
}

std::string formatBytes(double bytes)
{
    const double mib = bytes / (1024.0 * 1024.0);
    return mib < 1024 ? formatFigure(mib, "MiB") : formatFigure(mib / 1024, "GiB");
}

RunLimits runLimits()
{
    RunLimits limits;
    if (const char* seconds = std::getenv("CAPSIM_TEST_RUN_LIMIT_SECONDS"); seconds && *seconds)
        limits.maxSeconds = std::atof(seconds);
    return limits;
}

RunEstimate estimateRun(const Scenario& scenario)
{
    RunEstimate e;
    e.simulatedSeconds = static_cast<double>(scenario.duration) / static_cast<double>(kSimSecond);
    e.fidelity = Simulator::resolveFidelity(scenario);
    const bool fluid = e.fidelity.mode == FidelitySpec::Mode::Fluid;
    if (fluid)
        e.fidelity.rate = Simulator::fluidEngineShare(scenario);
    const double sampleRate = e.fidelity.mode == FidelitySpec::Mode::Sampled || fluid ? e.fidelity.rate : 1.0;

    double storedBytes = 0;
    double keysUsed = 0;
    double initialItems = 0; // loaded before the run; written items are in the per-request cost
    for (const auto& table : scenario.tables) {
        if (!table.initialData)
            continue;
        const double items = static_cast<double>(table.initialData->items) * sampleRate;
        initialItems += items;
        e.storedItems += items;
        storedBytes += items * meanSize(table.initialData->itemSize);
    }
    for (const auto& workload : scenario.workloads) {
        const double requests = workloadRequests(scenario, workload);
        e.requests += requests;
        // Written keys stay in the engine; at most the key space.
        const double keySpace = static_cast<double>(workload.keys.cardinality) * static_cast<double>(std::max<std::int64_t>(1, workload.keys.sortKeysPerKey));
        keysUsed += std::min(keySpace, requests);
        // Distinct keys among W writes on K keys: K (1 - e^(-W/K)).
        const double writes = requests * itemsWrittenPerRequest(workload);
        const double items = (keySpace > 0 ? keySpace * -std::expm1(-writes / keySpace) : 0) * sampleRate;
        e.storedItems += items;
        storedBytes += items * meanSize(workload.itemSize);
    }
    // Fluid: the engine sample is capped in requests, not in keys (fluid_flows.cpp).
    e.engineRequests = fluid ? std::min(e.requests * sampleRate, 200000.0) : e.requests * sampleRate;

    const double minutes = std::ceil(e.simulatedSeconds / 60);
    double rowsPerMinute = 0;
    for (const auto& table : scenario.tables)
        rowsPerMinute += 1 + partitionsOf(scenario, table) + 2 * static_cast<double>(table.globalSecondaryIndexes.size());
    e.resultRows = minutes * rowsPerMinute;

    double partitionSteps = 0; // fluid: the cost grows with simulated time and partitions, not requests
    if (fluid) {
        const double steps = e.simulatedSeconds / (static_cast<double>(e.fidelity.step) / static_cast<double>(kSimSecond));
        for (const auto& table : scenario.tables)
            partitionSteps += steps * (kSecondsPerFluidTableStep / kSecondsPerFluidPartitionStep + partitionsOf(scenario, table));
    }
    e.seconds = kFixedSeconds + e.engineRequests * kSecondsPerEngineRequest
        + (fluid ? partitionSteps * kSecondsPerFluidPartitionStep : (e.requests - e.engineRequests) * kSecondsPerMeteredRequest)
        + initialItems * kSecondsPerStoredItem + e.resultRows * kSecondsPerResultRow;
    if (fluid) {
        // Only the engine sample's keys are tracked one by one; the flows profile the key space.
        double profiled = 0;
        for (const auto& workload : scenario.workloads)
            profiled += std::min(static_cast<double>(workload.keys.cardinality), 1048576.0);
        keysUsed = keysUsed * sampleRate + profiled * kBytesPerProfiledKey / kBytesPerKeyUsed;
    }
    e.memoryBytes = kFixedBytes + keysUsed * kBytesPerKeyUsed + storedBytes * kStoredBytesFactor
        + e.storedItems * kBytesPerStoredItem + e.resultRows * kBytesPerResultRow;
    return e;
}

std::string exceedsLimits(const RunEstimate& estimate, const RunLimits& limits)
{
    std::string reasons;
    if (estimate.seconds > limits.maxSeconds) {
        char requests[32];
        std::snprintf(requests, sizeof requests, "%.3g", estimate.requests);
        reasons += "about " + formatDuration(estimate.seconds) + " of running time (" + requests
            + " requests; limit " + formatDuration(limits.maxSeconds) + ")";
    }
    if (estimate.memoryBytes > limits.maxMemoryBytes)
        reasons += (reasons.empty() ? "about " : " and about ") + formatBytes(estimate.memoryBytes) + " of memory (limit "
            + formatBytes(limits.maxMemoryBytes) + ")";
    return reasons.empty() ? reasons : "it would take " + reasons;
}

} // namespace capsim
