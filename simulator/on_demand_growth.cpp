#include "simulator/on_demand_growth.h"

#include "simulator/simulator_impl.h"

#include <algorithm>

namespace capsim {

bool OnDemandGrowth::observeMinute(double consumedPerSecond, double demandPerSecond, SimTime now)
{
    bool changed = false;
    // A consumed level held for a minute becomes the new previous peak (reference A3).
    if (consumedPerSecond > peak) {
        peak = consumedPerSecond;
        changed = true;
    }
    if (demandPerSecond > ceiling && demandPerSecond > growthTarget) {
        // Beyond 2x the previous peak the ceiling grows to cover demand over onDemandWindow.
        growthFrom = ceiling;
        growthTarget = demandPerSecond;
        growthStart = now;
        changed = true;
    }
    return changed || growthStart >= 0;
}

void OnDemandGrowth::updateCeiling(SimTime now, SimTime window, std::optional<std::int64_t> maxUnits)
{
    double next = 2.0 * peak;
    if (growthStart >= 0) {
        const double progress = std::min(1.0, secondsOf(now - growthStart) / secondsOf(window));
        next = std::max(next, growthFrom + (growthTarget - growthFrom) * progress);
        if (progress >= 1.0)
            growthStart = -1;
    }
    if (maxUnits)
        next = std::min(next, static_cast<double>(*maxUnits));
    ceiling = std::min<double>(next, kTableQuotaUnits);
}

void Simulator::Impl::onDemandGrowth(TableRuntime& t)
{
    bool changed = false;
    for (Dimension d : kDimensions)
        changed = t.onDemandGrowth[d].observeMinute(t.datapoints[d].back(), t.minuteDemand[d] / 60.0, now) || changed;
    if (!changed)
        return;
    const PerDimension<double> before { { t.onDemandGrowth[Dimension::Read].ceiling, t.onDemandGrowth[Dimension::Write].ceiling } };
    applyRates(t);
    const double readCeiling = t.onDemandGrowth[Dimension::Read].ceiling;
    const double writeCeiling = t.onDemandGrowth[Dimension::Write].ceiling;
    if (!t.isIndex() && (before[Dimension::Read] != readCeiling || before[Dimension::Write] != writeCeiling)) {
        // Partitions follow the ceiling (reference A3).
        const auto peakRead = static_cast<std::int64_t>(std::ceil(readCeiling / 2));
        const auto peakWrite = static_cast<std::int64_t>(std::ceil(writeCeiling / 2));
        if (engine->setOnDemandPeak(t.spec->name, peakRead, peakWrite))
            syncPartitions(t, true);
    }
}

} // namespace capsim
