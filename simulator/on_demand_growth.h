#pragma once
// OnDemandGrowth: an on-demand table's (or GSI's) throughput ceiling in one dimension: twice the
// previous peak, growing towards demand beyond it over model.onDemandWindow (reference A3).
// A plain value owned by the simulator's table state; single-threaded.

#include "engine/table.h"
#include "workloads/spec.h"

#include <cstdint>
#include <optional>

namespace capsim {

struct OnDemandGrowth {
    double peak = 0; // previous peak, units/s
    double ceiling = 0; // in force, units/s
    double growthFrom = 0;
    double growthTarget = 0;
    SimTime growthStart = -1; // -1: not growing

    // A minute's end with its consumed and demanded units/s: raises the previous peak, starts
    // growing when demand is above the ceiling. Returns whether the ceiling must be recomputed.
    bool observeMinute(double consumedPerSecond, double demandPerSecond, SimTime now);

    // Recomputes `ceiling` at `now`: 2 x peak, or the growth so far, capped by the table's
    // maximum (maxUnits) and the table quota.
    void updateCeiling(SimTime now, SimTime window, std::optional<std::int64_t> maxUnits);
};

} // namespace capsim
