#pragma once
// ArrivalProcess: the request arrival times of one workload, following its rate pattern.
// Poisson arrivals (non-homogeneous, by thinning) unless the pattern sets uniformArrivals, in
// which case the k-th arrival falls where the integral of the rate reaches k (reference A3:
// at a constant rate r, t = k / r). Owns its pattern and random stream; one caller, no sharing.

#include "workloads/random.h"
#include "workloads/spec.h"

#include <cstdint>
#include <limits>

namespace capsim {

class ArrivalProcess {
public:
    static constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

    // Arrivals in [start, horizon); `rng` should be the workload's Arrivals stream.
    ArrivalProcess(RatePatternSpec pattern, Rng rng, SimTime start, SimTime horizon);

    // The next arrival time (integer microseconds, never earlier than the previous one), or
    // kNever when no arrival remains before the horizon. Uniform arrivals are rounded to the
    // nearest microsecond, Poisson arrivals truncated.
    SimTime next();

    // Switches to `pattern` from `now` on (the setWorkloadRate event). Precondition: the caller
    // has taken every arrival at or before `now` and at most one after it; that one (if any) is
    // void, and the following next() returns the first arrival at or after `now` under the new
    // pattern. Uniform arrivals keep their phase: the part of an inter-arrival gap elapsed at
    // `now` counts towards the next arrival.
    void setPattern(RatePatternSpec pattern, SimTime now);

    const RatePatternSpec& pattern() const { return m_pattern; }

private:
    SimTime nextPoisson();
    SimTime nextUniform();
    SimTime deliver(double timeMicros, bool toNearest);

    RatePatternSpec m_pattern;
    Rng m_rng;
    double m_horizon;
    bool m_piecewiseConstant;
    std::int64_t m_deliveredCount = 0; // arrivals returned and not voided
    SimTime m_lastReturned = std::numeric_limits<SimTime>::min();
    // Poisson: the time of the last candidate.
    double m_cursor;
    // Uniform: the segment (between rate breakpoints) being searched, the expected count at its
    // start, and the index of the next arrival.
    double m_segmentStart;
    double m_countAtSegmentStart = 0.0;
    std::int64_t m_nextIndex = 0;
};

} // namespace capsim
