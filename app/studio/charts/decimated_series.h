#pragma once
// DecimatedSeries: keeps a series' full points and shows the chart only what the visible range
// needs (decimateMinMax), replacing the series' points in one call. Does not own the series (its
// chart does). GUI thread only.

#include "app/studio/charts/decimation.h"

#include <QXYSeries>

#include <vector>

namespace capsim::studio::charts {

class DecimatedSeries {
public:
    explicit DecimatedSeries(QXYSeries* series)
        : m_series(series)
    {
    }

    void setPoints(std::vector<QPointF> points) { m_points = std::move(points); }
    const std::vector<QPointF>& points() const { return m_points; }
    QXYSeries* series() const { return m_series; }
    // Replaces the series' points with those needed to draw [xMin, xMax].
    void show(double xMin, double xMax) const { m_series->replace(decimateMinMax(m_points, xMin, xMax)); }

private:
    QXYSeries* m_series;
    std::vector<QPointF> m_points;
};

} // namespace capsim::studio::charts
