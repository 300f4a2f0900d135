#pragma once
// Time markers for a table's events on the studio's charts: scaling actions, capacity changes,
// splits, applied and refused scenario events, mode switches (throttle episodes are left out:
// the charts show throttling itself). Pure functions; any thread.

#include "app/studio/charts/zoom_chart_view.h"
#include "simulator/results.h"

#include <vector>

namespace capsim::studio::charts {

// Which capacity dimension an event concerns.
enum class EventDimension { Read, Write, Both };

// The dimension an event concerns (scaling, capacity and throttle events), else Both.
EventDimension eventDimension(const RunEvent& event);

// Markers (x in minutes) for `table`'s events (and those with no table, which apply to every
// table) that concern `dimension` (Both: every dimension).
std::vector<ZoomChartView::Marker> eventMarkers(
    const std::vector<RunEvent>& events, const std::string& table, EventDimension dimension);

} // namespace capsim::studio::charts
