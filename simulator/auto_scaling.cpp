#include "simulator/auto_scaling.h"

#include "simulator/simulator_impl.h"

#include <algorithm>
#include <cmath>

namespace capsim {

namespace {

std::optional<ScalingProposal> propose(const ScalingDimensionSpec& policy, const std::deque<double>& points,
    double provisioned, std::size_t count, bool out)
{
    const double target = policy.targetPercent / 100.0;
    double sum = 0;
    for (std::size_t i = points.size() - count; i < points.size(); ++i)
        sum += points[i];
    const double mean = sum / static_cast<double>(count);
    auto desired = static_cast<std::int64_t>(std::ceil(mean / target - 1e-9));
    desired = std::clamp(desired, policy.min, policy.max);
    if (out ? static_cast<double>(desired) <= provisioned : static_cast<double>(desired) >= provisioned)
        return std::nullopt;
    return ScalingProposal { out, desired, count, mean };
}

} // namespace

std::optional<ScalingProposal> proposeScaling(const AutoScalingModelSpec& model, const ScalingDimensionSpec& policy,
    const std::deque<double>& points, double provisioned)
{
    const double target = policy.targetPercent / 100.0;
    const auto outCount = static_cast<std::size_t>(model.scaleOutDatapoints);
    const auto inCount = static_cast<std::size_t>(model.scaleInDatapoints);
    // Scale out after N datapoints above target (reference A4); a scale-out alarm that fires
    // without raising the capacity does not let the scale-in alarm act in the same minute.
    if (points.size() >= outCount
        && std::all_of(points.end() - static_cast<std::ptrdiff_t>(outCount), points.end(),
            [&](double p) { return p > target * provisioned; }))
        return propose(policy, points, provisioned, outCount, true);
    const double low = std::max(0.0, policy.targetPercent - model.scaleInMarginPoints) / 100.0 * provisioned;
    if (points.size() >= inCount
        && std::all_of(points.end() - static_cast<std::ptrdiff_t>(inCount), points.end(), [&](double p) { return p < low; }))
        return propose(policy, points, provisioned, inCount, false);
    return std::nullopt;
}

std::size_t scalingDatapointsKept(const AutoScalingModelSpec& model)
{
    return static_cast<std::size_t>(std::max(model.scaleOutDatapoints, model.scaleInDatapoints));
}

void Simulator::Impl::autoScale(TableRuntime& t, std::size_t ti, Dimension d)
{
    if (!t.autoScaling)
        return;
    const auto& policy = d == Dimension::Read ? t.autoScaling->read : t.autoScaling->write;
    if (!policy || t.pending[d])
        return;
    const double provisioned = t.provisioned[d];
    const auto proposal = proposeScaling(scenario.model.autoScaling, *policy, t.datapoints[d], provisioned);
    if (!proposal)
        return;
    const std::int64_t desired = proposal->desiredUnits;
    const std::optional<std::int64_t> read = d == Dimension::Read ? std::optional<std::int64_t>(desired) : std::nullopt;
    const std::optional<std::int64_t> write = d == Dimension::Write ? std::optional<std::int64_t>(desired) : std::nullopt;
    Status s = requestCapacity(t, read, write);
    const ScalingDecision decision { d, std::llround(provisioned), desired,
        static_cast<std::int64_t>(proposal->datapoints), proposal->meanUnitsPerSecond, policy->targetPercent };
    if (!s) {
        ChangeRefused refused;
        refused.request = ChangeRefused::Request::AutoScaling;
        refused.scaling = decision;
        refused.errorType = s.type();
        refused.message = s.message();
        event(t.name, EventKind::EventRefused, std::move(refused));
        return;
    }
    event(t.name, proposal->scaleOut ? EventKind::ScaleOut : EventKind::ScaleIn, decision);
    if (proposal->scaleOut)
        ++t.result.scaleOuts;
    else
        ++t.result.scaleIns;
    t.pending[d] = true;
    t.updatingUntil = now + scenario.model.updateTableDelay;
    // The new capacity takes effect after UpdateTable completes (reference A4).
    queue.schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::CapacityEffective, ti, d,
        static_cast<double>(desired));
}

} // namespace capsim
