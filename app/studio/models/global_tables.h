#pragma once
// What the studio's DAX and Regions views read from a run (reference A10, A11): which tables have
// a DAX cluster or replicas, each region's figures of a global table, the per-minute DAX figures
// derived from the minute rows, and the scenario's regionOutage events as time bands. Pure
// functions; any thread.

#include "app/studio/charts/zoom_chart_view.h"
#include "simulator/results.h"

#include <QJsonValue>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace capsim::studio {

// A regionOutage event of the scenario (contracts/scenario-format.md): `region` unreachable from
// `startSeconds` to `endSeconds` (simulated seconds).
struct RegionOutage {
    std::string region;
    double startSeconds = 0;
    double endSeconds = 0;
};

// A scenario duration ("15m", "90s", "250ms", "2h", "1d" or a number of seconds) in seconds;
// nullopt when it is not one.
std::optional<double> durationSeconds(const QJsonValue& value);

// The regionOutage events of a scenario's JSON text, in time order; events without a region or a
// valid `at` / `duration` are left out (the editor reports them). Empty for text that is not a
// scenario.
std::vector<RegionOutage> regionOutages(const QString& scenarioJson);

// The scenario's `region` ("us-east-1" when absent or not a scenario).
std::string scenarioRegion(const QString& scenarioJson);

// Bands (x in minutes) for the outages; the outage of `ownRegion` is drawn in red, the others in
// orange, each labelled "<region> outage".
std::vector<charts::ZoomChartView::Band> outageBands(const std::vector<RegionOutage>& outages, const std::string& ownRegion);

// Whether the table is a global table (it has replicas besides its own region).
bool hasReplicas(const TableResult& table);
bool runHasReplicas(const RunResult& run);
// Whether a table of the run has a DAX cluster.
bool runHasDax(const RunResult& run);

// One region of a global table: the top-level table (its own region) first, then each replica
// in `replicas` order.
struct RegionView {
    std::string region;
    const TableResult* table = nullptr; // the region's figures (minutes, cost)
    const ReplicaSummary* summary = nullptr; // replicaSummaries entry of the region, if any
    // The region's own cost: the top-level table's cost covers the whole global table (each line
    // its own plus every other replica's), so its own share is its lines minus the replicas'.
    CostBreakdown cost;
};
// The regions of `table`; `fallbackRegion` names the top-level table's region when the result
// does not (results written before global tables).
std::vector<RegionView> regionViews(const TableResult& table, const std::string& fallbackRegion);

// The DAX hit ratio of a minute (hits / (hits + misses)), nullopt without cacheable requests.
std::optional<double> daxHitRatio(const MinuteRow& row);
// Read units a cache hit spared the table on average over the run (offloadedReadUnits / hits), 0
// without hits.
double offloadedUnitsPerHit(const DaxSummary& dax);
// The read units per second the cluster absorbed in a minute: its hits × the run's mean units per
// hit / 60 (comparable with consumedRead, a mean per second).
double offloadedReadPerSecond(const MinuteRow& row, const DaxSummary& dax);

// A byte count in the largest decimal unit that keeps it >= 1 ("1.5 MB").
QString formatByteCount(double bytes);

} // namespace capsim::studio
