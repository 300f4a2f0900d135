#pragma once
// The results of a sweep's points, as `sweep.csv` holds them (contracts/cli.md "Working with
// runs"): one row per point, the varied values, then the figures a planner compares, summed over
// the scenario's tables and read from each point's summary.json. Pure functions; any thread.

#include "engine/status.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

// A point's totals over all tables (requests, throttled and failed count requests, as in summary.json).
struct SweepMetrics {
    double costUsd = 0;
    std::int64_t requests = 0;
    std::int64_t throttled = 0;
    std::int64_t failed = 0;
    double consumedReadUnits = 0;
    double consumedWriteUnits = 0;
    double provisionedReadUnitHours = 0;
    double provisionedWriteUnitHours = 0;
};

// The metric columns of sweep.csv, in order: cost, requests, throttled, failed, consumedRead,
// consumedWrite, readUnitHours, writeUnitHours.
const std::vector<std::string>& sweepMetricNames();
// The named metric's value; nullopt for a name not in sweepMetricNames().
std::optional<double> sweepMetric(const SweepMetrics& metrics, std::string_view name);
// True for the metrics that count requests (a bound on them may be a percentage of requests).
bool isRequestCountMetric(std::string_view name);

// Reads the totals from a summary.json (`capsim-summary/1`). ValidationException when the text is
// not such a summary.
Result<SweepMetrics> sweepMetricsFromSummary(std::string_view summaryJson);

struct SweepRow {
    std::size_t point = 0; // 0-based grid index; sweep.csv shows it 1-based
    std::vector<std::string> values; // one per --vary, as written
    SweepMetrics metrics;
};

// sweep.csv: `point,<each varied path>,<the metric columns>`, rows in point order, numbers in a
// fixed decimal form so the same results give the same bytes on any machine.
std::string sweepCsv(const std::vector<std::string>& variedPaths, std::vector<SweepRow> rows);

} // namespace capsim
