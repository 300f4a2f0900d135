#pragma once
// The sweep advisor (`capsim sweep ... --minimize cost --subject-to "failed=0,throttled<=0.1%"`):
// the constraint grammar (README, "Sweeps") and the choice of the best point meeting it. Pure
// functions; any thread.
//
//   constraints := term { "," term }
//   term        := metric op number [ "%" ]
//   op          := "=" | "==" | "<" | "<=" | ">" | ">="
//   metric      := a sweep.csv metric column (sweepMetricNames())
// A "%" bound (only on throttled and failed) is a share of the point's requests.

#include "engine/status.h"
#include "simulator/sweep_results.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

enum class SweepComparison { Equal, Less, LessOrEqual, Greater, GreaterOrEqual };

struct SweepConstraint {
    std::string metric;
    SweepComparison comparison = SweepComparison::Equal;
    double bound = 0;
    bool percentOfRequests = false;
    std::string text; // the term as written, trimmed
};

// ValidationException naming the bad term ("--subject-to: 'throttled<<1': ...") and what is wrong.
Result<std::vector<SweepConstraint>> parseSweepConstraints(std::string_view text);
// ValidationException unless name is a metric column.
Status checkSweepObjective(std::string_view name);

bool meetsConstraint(const SweepMetrics& metrics, const SweepConstraint& constraint);
bool meetsConstraints(const SweepMetrics& metrics, const std::vector<SweepConstraint>& constraints);

// The index into rows of the point with the lowest `minimize` among those meeting every
// constraint (ties: the lowest point number); nullopt when none meets them.
std::optional<std::size_t> bestSweepPoint(
    const std::vector<SweepRow>& rows, std::string_view minimize, const std::vector<SweepConstraint>& constraints);

} // namespace capsim
