#pragma once
// Plain-language account of a run (the studio's Explain view, the teaching view): paragraphs
// generated from the run's events and per-minute series, each sentence quoting figures that can be
// found in the RunResult. Pure functions of an immutable RunResult; callable from any thread.

#include "simulator/results.h"
#include "simulator/results_view.h"

#include <cstdint>
#include <string>
#include <vector>

namespace capsim {

// The run as paragraphs, in this order: an overview per table; each throttle episode (when, which
// dimension, how many throttled and their share, the capacity in force and the likely cause: demand
// above provisioned capacity with auto-scaling lag, a hot partition or key while the table had spare
// capacity, on-demand demand above twice the previous peak, burst capacity running out); each
// auto-scaling action with its lag from decision to capacity in force; splits; applied and refused
// timed events (quoting the error); failed requests (data not stored); the cost with its biggest line
// item and the other capacity mode's cost. Numbers use thousands separators, times are simulated
// "hh:mm" ("<d>d hh:mm" from the second day on, ":ss" added when not on a whole minute).
std::vector<std::string> explainRun(const RunResult& run);

// Formatting helpers used by the explanation (exposed for the views and tests).
// "12,410"; negative numbers keep their sign.
std::string formatCount(std::int64_t value);
// A number with `decimals` decimals and thousands separators: "1,234.5".
std::string formatGrouped(double value, int decimals);
// Simulated times are written by formatClock (simulator/results_view.h) in its default format.
// Money: "$1,234.56" from $1, else four significant digits ("$0.003738"); "$0" for zero.
std::string formatUsd(double usd);
// A share as a percentage with one decimal ("2.3 %"), or "< 0.1 %" for small non-zero shares.
std::string formatPercent(double fraction);

} // namespace capsim
