#pragma once
// Application Auto Scaling's target tracking for one capacity dimension (reference A4): scale out
// after model.autoScaling.scaleOutDatapoints minutes above target, in after scaleInDatapoints
// minutes below target - scaleInMarginPoints, to ceil(mean consumed / target) within the policy's
// bounds. Pure functions of their arguments; any thread.

#include "simulator/scenario.h"

#include <cstdint>
#include <deque>
#include <optional>

namespace capsim {

struct ScalingProposal {
    bool scaleOut = true;
    std::int64_t desiredUnits = 0;
    std::size_t datapoints = 0; // minutes averaged
    double meanUnitsPerSecond = 0;
};

// The action auto scaling takes at a minute's end, given the consumed units/s of the last minutes
// (oldest first) and the capacity in force; nullopt when there is none.
std::optional<ScalingProposal> proposeScaling(const AutoScalingModelSpec& model, const ScalingDimensionSpec& policy,
    const std::deque<double>& datapoints, double provisionedUnits);

// How many datapoints auto scaling needs to keep.
std::size_t scalingDatapointsKept(const AutoScalingModelSpec& model);

} // namespace capsim
