#pragma once
// Series preparation for Qt Charts: step shapes for per-minute values and min/max decimation, so
// a 30-day run at minute resolution draws about as many points as the view has pixels while every
// peak and trough survives. Pure functions; any thread.

#include <QList>
#include <QPointF>

#include <functional>
#include <vector>

namespace capsim::studio::charts {

// The view draws at most this many points per series (up to four per bucket: first, min, max, last).
inline constexpr int kMaxPointsPerView = 2000;

// Step points for values that hold over a whole minute: (minute, v) and (minute + 1, v) for each
// row, in order. `minuteOf` and `valueOf` read a row.
template <typename Row>
std::vector<QPointF> stepPoints(const std::vector<Row>& rows, const std::function<double(const Row&)>& minuteOf,
    const std::function<double(const Row&)>& valueOf)
{
    std::vector<QPointF> points;
    points.reserve(rows.size() * 2);
    for (const Row& row : rows) {
        const double m = minuteOf(row);
        const double v = valueOf(row);
        points.emplace_back(m, v);
        points.emplace_back(m + 1, v);
    }
    return points;
}

// The points of `points` (sorted by x) that fall in [xMin, xMax], plus the nearest one outside on
// each side so lines reach the edges. When more than maxPoints fall inside, the range is cut into
// maxPoints / 4 buckets and each keeps its first, lowest, highest and last point, in x order
// (capsim::decimatedIndices, the decimator the report charts use too).
QList<QPointF> decimateMinMax(const std::vector<QPointF>& points, double xMin, double xMax,
    int maxPoints = kMaxPointsPerView);

// The largest y among `points` with x in [xMin, xMax] (0 when none).
double maxYIn(const std::vector<QPointF>& points, double xMin, double xMax);

} // namespace capsim::studio::charts
