#pragma once
// Axis arithmetic shared by the report charts: round tick steps (1-2-5 × 10^k), time ticks on
// simulated minutes and their labels. Pure functions; callable from any thread.

#include <QString>

#include <cstdint>
#include <vector>

namespace capsim::report {

// A value axis from min to max with a tick every step; min and max are multiples of step.
struct AxisScale {
    double min = 0;
    double max = 1;
    double step = 1;
    std::vector<double> ticks() const;
};

// The smallest 1-2-5 step giving at most maxIntervals intervals that cover [lo, hi]. An empty
// range (hi <= lo) is widened upwards so the axis is still drawable. With integerSteps the step is
// at least 1 (request counts).
AxisScale niceScale(double lo, double hi, int maxIntervals, bool integerSteps = false);

// A step in minutes between time ticks (1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6, 12 hours, 1, 2,
// 7... days) giving at most maxTicks ticks over spanMinutes.
std::int64_t timeStepMinutes(std::int64_t spanMinutes, int maxTicks);

// A tick label for a simulated minute: "hh:mm" when the axis spans a day or less, otherwise
// "<d>d hh:mm", or "<d>d" when ticks fall on whole days.
QString timeLabel(std::int64_t minute, std::int64_t spanMinutes, std::int64_t stepMinutes);

// The title of a time axis with those labels.
QString timeAxisTitle(std::int64_t spanMinutes);

// A tick value with as many decimals as the step needs (at least minDecimals), thousands grouped
// ("12,000", "0.25").
QString tickLabel(double value, double step, int minDecimals = 0);

} // namespace capsim::report
