#include "app/studio/charts/time_panel.h"

#include <cmath>

namespace capsim::studio::charts {

TimePanel::TimePanel(const QString& objectName, const QString& title, const QString& leftTitle, const QString& rightTitle)
{
    m_chart = new QChart;
    m_chart->setTitle(title);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->setMargins(QMargins(2, 2, 24, 2));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_time = new TimeAxis;
    m_left = new QValueAxis;
    m_left->setTitleText(leftTitle);
    m_left->setLabelFormat(QStringLiteral("%g"));
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_left, Qt::AlignLeft);
    if (!rightTitle.isEmpty()) {
        m_right = new QValueAxis;
        m_right->setTitleText(rightTitle);
        m_right->setLabelFormat(QStringLiteral("%g"));
        m_chart->addAxis(m_right, Qt::AlignRight);
    }
    m_view = new ZoomChartView(m_chart);
    m_view->setObjectName(objectName);
    m_view->setMinimumHeight(180);
    QObject::connect(m_view, &ZoomChartView::xRangeChanged, m_view, [this](double lo, double hi) {
        for (const auto& s : m_series)
            s.show(lo, hi);
    });
}

void TimePanel::clear()
{
    for (QAbstractSeries* s : m_chart->series()) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_series.clear();
}

QLineSeries* TimePanel::addSeries(const QString& objectName, const QString& name, QColor colour, bool onRight,
    std::vector<QPointF> points, double width, Qt::PenStyle style)
{
    auto* line = new QLineSeries;
    line->setObjectName(objectName);
    line->setName(name);
    QPen pen(colour);
    pen.setWidthF(width);
    pen.setStyle(style);
    line->setPen(pen);
    m_chart->addSeries(line);
    line->attachAxis(m_time);
    line->attachAxis(onRight && m_right ? m_right : m_left);
    DecimatedSeries series(line);
    series.setPoints(std::move(points));
    m_series.push_back(std::move(series));
    return line;
}

void TimePanel::setDataRange(double first, double end)
{
    m_time->setRunSpanMinutes(static_cast<std::int64_t>(end - first));
    m_view->setDataRange(first, end);
    showVisible();
}

void TimePanel::showVisible() const
{
    for (const auto& s : m_series)
        s.show(m_view->visibleMin(), m_view->visibleMax());
}

void setAxisTop(QValueAxis* axis, double top)
{
    axis->setRange(0, top > 0 ? top * 1.1 : 1.0);
    axis->applyNiceNumbers();
}

TimePanelGroup::TimePanelGroup(QObject* parent)
    : QObject(parent)
{
}

void TimePanelGroup::add(TimePanel* panel)
{
    m_panels.push_back(panel);
    ZoomChartView* view = panel->view();
    connect(view, &ZoomChartView::xRangeChanged, this, [this, view](double lo, double hi) {
        if (m_syncing)
            return;
        m_syncing = true;
        for (TimePanel* other : m_panels)
            if (other->view() != view)
                other->view()->setXRange(lo, hi, view->isZoomed());
        m_syncing = false;
    });
    connect(view, &ZoomChartView::clicked, this, [this](double x) { emit clicked(x * 60); });
    connect(panel->chart(), &QChart::plotAreaChanged, this, [this] {
        if (m_alignPending)
            return;
        m_alignPending = true;
        QMetaObject::invokeMethod(this, [this] { alignPlotAreas(); }, Qt::QueuedConnection);
    });
    connect(view, &ZoomChartView::hovered, this, [this, view](double x) {
        for (TimePanel* other : m_panels)
            if (other->view() != view)
                other->view()->setHoverX(x);
        emit hovered(x);
    });
    connect(view, &ZoomChartView::left, this, [this, view] {
        for (TimePanel* other : m_panels)
            if (other->view() != view)
                other->view()->setHoverX(std::nullopt);
    });
}

void TimePanelGroup::alignPlotAreas()
{
    m_alignPending = false;
    static const QMargins kMargins(2, 2, 24, 2);
    double left = 0, right = 0;
    const auto natural = [](const TimePanel& p) {
        const QRectF plot = p.chart()->plotArea();
        return std::pair(plot.left() - p.extra.left(), p.chart()->size().width() - plot.right() - p.extra.right());
    };
    std::vector<TimePanel*> shown;
    for (TimePanel* p : m_panels)
        if (!p->view()->isHidden())
            shown.push_back(p);
    for (TimePanel* p : shown) {
        if (p->chart()->plotArea().width() <= 0)
            return; // not laid out yet; its plotAreaChanged comes later
        const auto [l, r] = natural(*p);
        left = std::max(left, l);
        right = std::max(right, r);
    }
    for (TimePanel* p : shown) {
        const auto [l, r] = natural(*p);
        const QMarginsF extra(std::round(left - l), 0, std::round(right - r), 0);
        if (extra == p->extra)
            continue;
        p->extra = extra;
        p->chart()->setMargins(kMargins + extra.toMargins());
    }
}

void TimePanelGroup::setSelectedX(std::optional<double> x)
{
    for (TimePanel* p : m_panels)
        p->view()->setSelectedX(x);
}

} // namespace capsim::studio::charts
