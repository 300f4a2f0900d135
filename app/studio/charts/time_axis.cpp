#include "app/studio/charts/time_axis.h"

#include "app/report/chart_axes.h"

#include <algorithm>
#include <cmath>

namespace capsim::studio::charts {

TimeAxis::TimeAxis(QObject* parent)
    : QCategoryAxis(parent)
{
    setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    setTitleText(report::timeAxisTitle(m_runSpanMinutes));
    connect(this, &QValueAxis::rangeChanged, this, [this] { relabel(); });
}

void TimeAxis::setRunSpanMinutes(std::int64_t spanMinutes)
{
    m_runSpanMinutes = std::max<std::int64_t>(1, spanMinutes);
    setTitleText(report::timeAxisTitle(m_runSpanMinutes));
    relabel();
}

void TimeAxis::setMaxTicks(int maxTicks)
{
    m_maxTicks = std::max(2, maxTicks);
    relabel();
}

void TimeAxis::relabel()
{
    if (m_relabelling)
        return;
    m_relabelling = true;
    for (const QString& label : categoriesLabels())
        remove(label);
    const double lo = min();
    const double hi = max();
    const auto span = static_cast<std::int64_t>(std::ceil(hi - lo));
    // Category boundaries are the ticks: the first category starts at the axis minimum.
    setStartValue(lo - 1e-6);
    if (span > 0) {
        const std::int64_t step = std::max<std::int64_t>(1, report::timeStepMinutes(span, m_maxTicks));
        auto tick = static_cast<std::int64_t>(std::ceil(lo / static_cast<double>(step))) * step;
        for (; static_cast<double>(tick) <= hi; tick += step) {
            append(report::timeLabel(tick, m_runSpanMinutes, step), static_cast<double>(tick));
        }
    }
    m_relabelling = false;
}

} // namespace capsim::studio::charts
