#include "app/studio/charts/decimation.h"

#include "simulator/results_view.h"

#include <algorithm>
#include <cmath>

namespace capsim::studio::charts {

QList<QPointF> decimateMinMax(const std::vector<QPointF>& points, double xMin, double xMax, int maxPoints)
{
    QList<QPointF> out;
    if (points.empty())
        return out;
    const auto byX = [](const QPointF& p, double x) { return p.x() < x; };
    auto first = std::lower_bound(points.begin(), points.end(), xMin, byX);
    auto last = std::upper_bound(points.begin(), points.end(), xMax, [](double x, const QPointF& p) { return x < p.x(); });
    if (first != points.begin())
        --first;
    if (last != points.end())
        ++last;
    const auto count = std::distance(first, last);
    if (count <= maxPoints || maxPoints < 4 || xMax <= xMin) {
        out.reserve(count);
        for (auto it = first; it != last; ++it)
            out.append(*it);
        return out;
    }
    // The shared decimator keeps up to four points per bucket.
    const int buckets = maxPoints / 4;
    const double width = (xMax - xMin) / buckets;
    const auto kept = decimatedIndices(points, static_cast<std::size_t>(first - points.begin()),
        static_cast<std::size_t>(last - points.begin()),
        [&](double x) { return static_cast<long>(std::floor((std::clamp(x, xMin, xMax) - xMin) / width)); });
    out.reserve(static_cast<qsizetype>(kept.size()));
    for (const std::size_t k : kept)
        out.append(points[k]);
    return out;
}

double maxYIn(const std::vector<QPointF>& points, double xMin, double xMax)
{
    double best = 0;
    for (const QPointF& p : points) {
        if (p.x() >= xMin && p.x() <= xMax)
            best = std::max(best, p.y());
    }
    return best;
}

} // namespace capsim::studio::charts
