#pragma once
// Split for heat (reference A3, model.splitForHeat): a partition held above threshold x its hard
// limit for `sustain` splits `delay` later, unless one key carries its traffic or the table's
// keys are sequential. Per-partition state is a plain value owned by the simulator.

#include "simulator/scenario.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace capsim {

struct HeatState {
    SimTime hotSince = -1;
    SimTime splitAt = -1;
    std::unordered_map<std::string, std::int64_t> keyCounts; // requests per key this minute
};

// At a minute's end: updates `heat` with the partition's utilisation of its hard limit (the
// higher dimension) and clears the minute's key counts. Returns whether the partition is due
// to split now.
bool heatSplitDue(HeatState& heat, const SplitForHeatSpec& spec, double utilisation, bool sequentialKeys, SimTime now);

} // namespace capsim
