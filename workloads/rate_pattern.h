#pragma once
// Rate patterns (contracts/scenario-format.md, "Rate patterns"): the request rate of a workload
// as a function of simulated time. Pure functions over a RatePatternSpec; rates are requests per
// second, never negative (negative parameters count as 0, a diurnal amplitude is clamped to [0, 1]).

#include "workloads/spec.h"

namespace capsim {

// Rate (requests/s) at time t.
double rateAt(const RatePatternSpec& pattern, SimTime t);

// An upper bound of the rate over [0, horizon]: exact for the piecewise patterns (constant, step,
// ramp, spike, trace), mean x (1 + amplitude) for diurnal, the sum of the parts' bounds for sums.
double maxRate(const RatePatternSpec& pattern, SimTime horizon);

// The same functions on fractional microseconds, for the arrival processes.
double rateAtMicros(const RatePatternSpec& pattern, double timeMicros);
// Upper bound of the rate over [fromMicros, toMicros) (toMicros > fromMicros), as maxRate().
double maxRateBetween(const RatePatternSpec& pattern, double fromMicros, double toMicros);
// Expected number of requests in [fromMicros, toMicros]: the integral of the rate.
double rateIntegral(const RatePatternSpec& pattern, double fromMicros, double toMicros);
// The first time after timeMicros at which the pattern changes its piece (a step, the ends of a
// ramp or spike, a trace interval boundary), or +infinity when there is none.
double nextRateBreakpoint(const RatePatternSpec& pattern, double timeMicros);
// True when the rate is constant between consecutive breakpoints.
bool isPiecewiseConstant(const RatePatternSpec& pattern);

} // namespace capsim
