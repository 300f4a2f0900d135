#include "app/studio/charts/decimation.h"

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
    const int buckets = maxPoints / 2;
    const double width = (xMax - xMin) / buckets;
    out.reserve(maxPoints + 4);
    auto bucketOf = [&](const QPointF& p) {
        return static_cast<long>(std::floor((std::clamp(p.x(), xMin, xMax) - xMin) / width));
    };
    auto it = first;
    while (it != last) {
        const long bucket = bucketOf(*it);
        auto lo = it;
        auto hi = it;
        for (; it != last && bucketOf(*it) == bucket; ++it) {
            if (it->y() < lo->y())
                lo = it;
            if (it->y() > hi->y())
                hi = it;
        }
        if (lo == hi) {
            out.append(*lo);
        } else if (lo < hi) {
            out.append(*lo);
            out.append(*hi);
        } else {
            out.append(*hi);
            out.append(*lo);
        }
    }
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
