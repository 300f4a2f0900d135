#pragma once
// Renders a RunResult as the files of contracts/cli.md: summary.json, timeseries.csv,
// partitions.csv and events.csv. Pure functions returning text, so the same bytes come out
// for the same run (numbers are printed with fixed rules, never locale-dependent).

#include "simulator/results.h"

#include <optional>
#include <string>
#include <utility>

namespace capsim {

std::string summaryJson(const RunResult& run);
std::string timeseriesCsv(const RunResult& run);
std::string partitionsCsv(const RunResult& run);
std::string eventsCsv(const RunResult& run);
// A short human summary for the terminal.
std::string summaryText(const RunResult& run);

// The mean capacity in force over a run of `simulatedSeconds` (provisioned unit-hours / hours),
// read then write; nullopt where none is provisioned: an on-demand table, or an LSI (which shares
// its table's capacity).
std::optional<std::pair<double, double>> meanProvisionedCapacity(const TableResult& table, double simulatedSeconds);

// Fixed-point text of a number with up to `decimals` places, trailing zeros trimmed.
std::string formatNumber(double value, int decimals = 6);
// One CSV field: as is, or quoted (quotes doubled) when it holds a comma, a quote or a line break.
std::string csvField(const std::string& text);

} // namespace capsim
