#include "simulator/split_for_heat.h"

#include "simulator/simulator_impl.h"

#include <algorithm>

namespace capsim {

bool heatSplitDue(HeatState& h, const SplitForHeatSpec& spec, double utilisation, bool sequentialKeys, SimTime now)
{
    std::int64_t total = 0;
    std::int64_t top = 0;
    for (const auto& [key, count] : h.keyCounts) {
        total += count;
        top = std::max(top, count);
    }
    h.keyCounts.clear();
    // No split when one key carries the heat or the keys are sequential (reference A3).
    const bool oneKey = total > 0 && static_cast<double>(top) >= 0.5 * static_cast<double>(total);
    const bool eligible = utilisation > spec.threshold && !oneKey && !sequentialKeys;
    if (!eligible) {
        h.hotSince = -1;
        return false;
    }
    if (h.hotSince < 0)
        h.hotSince = now - kSimMinute;
    if (h.splitAt < 0 && now - h.hotSince >= spec.sustain)
        h.splitAt = now + spec.delay;
    return h.splitAt >= 0 && now >= h.splitAt;
}

void Simulator::Impl::splitForHeat(TableRuntime& t)
{
    const SplitForHeatSpec& spec = scenario.model.splitForHeat;
    if (!spec.enabled)
        return;
    for (std::size_t i = 0; i < t.capacity->partitionCount(); ++i) {
        const std::int64_t id = t.capacity->partition(i).partitionId;
        const PartitionMinute& m = t.partitionMinute[id];
        const double utilisation = std::max(m.consumed[Dimension::Read] / 60.0 / scenario.model.partitionRead,
            m.consumed[Dimension::Write] / 60.0 / scenario.model.partitionWrite);
        if (!heatSplitDue(t.heat[id], spec, utilisation, t.sequentialKeys != 0, now))
            continue;
        if (engine->splitPartition(t.spec->name, id)) {
            t.heat.erase(id);
            syncPartitions(t, true);
            std::get<PartitionCountChange>(result.events.back().payload).forHeat = true;
            return; // indexes shifted; the rest are examined next minute
        }
    }
}

} // namespace capsim
