#include "app/studio/charts/zoom_chart_view.h"

#include "app/studio/charts/time_axis.h"

#include <QFontMetricsF>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace capsim::studio::charts {
namespace {

// Markers beyond this many in view are drawn without labels; beyond kMaxLines not at all (they
// would only paint the plot solid).
constexpr int kMaxLines = 400;
constexpr double kMinLabelGapPx = 4; // plus the label's height, which is its width once rotated
constexpr double kMinSpanMinutes = 2;

} // namespace

ZoomChartView::ZoomChartView(QChart* chart, QWidget* parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing, true);
    setRubberBand(QChartView::HorizontalRubberBand);
    setMouseTracking(true);
    chart->setAnimationOptions(QChart::NoAnimation);
    connect(chart, &QChart::plotAreaChanged, this, [this] { layoutOverlay(); });
}

ZoomChartView::~ZoomChartView() = default;

QValueAxis* ZoomChartView::xAxis() const
{
    const auto axes = chart()->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.first());
}

void ZoomChartView::setDataRange(double xMin, double xMax)
{
    m_dataMin = xMin;
    m_dataMax = std::max(xMax, xMin + 1e-9);
    if (!m_zoomed) {
        setXRange(m_dataMin, m_dataMax, false);
    } else {
        setXRange(visibleMin(), visibleMax(), true);
    }
}

double ZoomChartView::visibleMin() const
{
    const QValueAxis* axis = xAxis();
    return axis ? axis->min() : m_dataMin;
}

double ZoomChartView::visibleMax() const
{
    const QValueAxis* axis = xAxis();
    return axis ? axis->max() : m_dataMax;
}

void ZoomChartView::setXRange(double xMin, double xMax, bool byUser)
{
    QValueAxis* axis = xAxis();
    if (!axis)
        return;
    const double full = m_dataMax - m_dataMin;
    double span = std::clamp(xMax - xMin, std::min(kMinSpanMinutes, full), full);
    double lo = std::clamp(xMin, m_dataMin, m_dataMax - span);
    if (!std::isfinite(lo))
        lo = m_dataMin;
    m_zoomed = byUser && (lo > m_dataMin + 1e-9 || lo + span < m_dataMax - 1e-9);
    m_applying = true;
    axis->setRange(lo, lo + span);
    m_applying = false;
    layoutOverlay();
    emit xRangeChanged(lo, lo + span);
}

void ZoomChartView::resetZoom()
{
    setXRange(m_dataMin, m_dataMax, false);
}

void ZoomChartView::setMarkers(std::vector<Marker> markers)
{
    m_markers = std::move(markers);
    std::sort(m_markers.begin(), m_markers.end(), [](const Marker& a, const Marker& b) { return a.x < b.x; });
    layoutOverlay();
}

void ZoomChartView::setBands(std::vector<Band> bands)
{
    m_bands = std::move(bands);
    layoutOverlay();
}

void ZoomChartView::setSelectedX(std::optional<double> x)
{
    m_selectedX = x;
    layoutOverlay();
}

void ZoomChartView::setHoverX(std::optional<double> x)
{
    m_hoverX = x;
    layoutOverlay();
}

double ZoomChartView::xAtPixel(double viewX) const
{
    const QRectF plot = chart()->plotArea();
    const QPointF scenePos = mapToScene(QPoint(static_cast<int>(viewX), 0));
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    const double t = plot.width() > 0 ? (chartPos.x() - plot.left()) / plot.width() : 0;
    return visibleMin() + t * (visibleMax() - visibleMin());
}

void ZoomChartView::layoutOverlay()
{
    for (QGraphicsItem* item : m_overlay)
        delete item;
    m_overlay.clear();
    const QRectF plot = chart()->plotArea();
    const double lo = visibleMin();
    const double hi = visibleMax();
    if (plot.width() <= 0 || hi <= lo)
        return;
    const auto pixelOf = [&](double x) { return plot.left() + (x - lo) / (hi - lo) * plot.width(); };
    const auto line = [&](double x, const QPen& pen, double z) {
        auto* item = new QGraphicsLineItem(QLineF(pixelOf(x), plot.top(), pixelOf(x), plot.bottom()), chart());
        item->setPen(pen);
        item->setZValue(z);
        m_overlay.push_back(item);
    };

    // Bands under the markers, clipped to the visible range.
    for (const Band& band : m_bands) {
        const double from = std::max(band.from, lo);
        const double to = std::min(band.to, hi);
        if (to <= from)
            continue;
        QColor fill = band.colour;
        fill.setAlpha(40);
        auto* rect = new QGraphicsRectItem(QRectF(pixelOf(from), plot.top(), pixelOf(to) - pixelOf(from), plot.height()), chart());
        rect->setBrush(fill);
        QColor edge = band.colour;
        edge.setAlpha(120);
        rect->setPen(QPen(edge, 1));
        rect->setToolTip(band.toolTip);
        rect->setZValue(15);
        m_overlay.push_back(rect);
        if (!band.label.isEmpty()) {
            QFont font = chart()->font();
            font.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.8));
            auto* text = new QGraphicsSimpleTextItem(band.label, chart());
            text->setFont(font);
            text->setBrush(band.colour.darker(140));
            text->setToolTip(band.toolTip);
            text->setPos(pixelOf(from) + 3, plot.top() + 2);
            text->setZValue(16);
            m_overlay.push_back(text);
        }
    }

    const auto first = std::lower_bound(
        m_markers.begin(), m_markers.end(), lo, [](const Marker& m, double x) { return m.x < x; });
    const auto last = std::upper_bound(
        m_markers.begin(), m_markers.end(), hi, [](double x, const Marker& m) { return x < m.x; });
    if (std::distance(first, last) <= kMaxLines) {
        QFont font = chart()->font();
        font.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.8));
        double lastLabelPx = -1e9;
        const double labelGap = QFontMetricsF(font).height() * 1.5 + kMinLabelGapPx;
        for (auto it = first; it != last; ++it) {
            QColor colour = it->colour;
            colour.setAlpha(170);
            QPen pen(colour, 1, Qt::DashLine);
            line(it->x, pen, 20);
            const double px = pixelOf(it->x);
            if (!it->label.isEmpty() && px - lastLabelPx >= labelGap) {
                auto* text = new QGraphicsSimpleTextItem(it->label, chart());
                text->setFont(font);
                text->setBrush(it->colour.darker(130));
                text->setToolTip(it->toolTip);
                text->setRotation(-90);
                // Rotated text runs upwards from its origin: start near the plot's top, right of the line.
                const double width = text->boundingRect().width();
                text->setPos(px + 1, plot.top() + std::min(width, plot.height()) + 4);
                text->setZValue(21);
                m_overlay.push_back(text);
                lastLabelPx = px;
            }
        }
    }
    if (m_selectedX && *m_selectedX >= lo && *m_selectedX <= hi)
        line(*m_selectedX, QPen(QColor(0xff, 0x8c, 0x00), 2, Qt::DashLine), 30);
    if (m_hoverX && *m_hoverX >= lo && *m_hoverX <= hi)
        line(*m_hoverX, QPen(QColor(80, 80, 80, 140), 1), 31);
}

void ZoomChartView::mousePressEvent(QMouseEvent* event)
{
    m_pressPos = event->pos();
    if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panStartMin = visibleMin();
        m_panStartMax = visibleMax();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ZoomChartView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_panning) {
        const double dx = event->pos().x() - m_pressPos.x();
        const double width = chart()->plotArea().width();
        if (width > 0) {
            const double shift = -dx / width * (m_panStartMax - m_panStartMin);
            setXRange(m_panStartMin + shift, m_panStartMax + shift);
        }
        event->accept();
        return;
    }
    const QPointF chartPos = chart()->mapFromScene(mapToScene(event->pos()));
    if (chart()->plotArea().contains(chartPos)) {
        const double x = xAtPixel(event->pos().x());
        setHoverX(x);
        emit hovered(x);
    } else if (m_hoverX) {
        setHoverX(std::nullopt);
        emit left();
    }
    QChartView::mouseMoveEvent(event);
}

void ZoomChartView::mouseReleaseEvent(QMouseEvent* event)
{
    const bool still = (event->pos() - m_pressPos).manhattanLength() < 4;
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        if (still && event->button() == Qt::RightButton)
            resetZoom();
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && still) {
        // A click, not a drag: the empty band zooms nothing (QChart ignores an empty rectangle).
        const QPointF chartPos = chart()->mapFromScene(mapToScene(event->pos()));
        if (chart()->plotArea().contains(chartPos))
            emit clicked(xAtPixel(event->pos().x()));
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const double beforeMin = visibleMin();
    const double beforeMax = visibleMax();
    QChartView::mouseReleaseEvent(event);
    // The rubber band zoomed the axis directly: clamp and announce the new range.
    if (visibleMin() != beforeMin || visibleMax() != beforeMax)
        setXRange(visibleMin(), visibleMax());
}

void ZoomChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetZoom();
    event->accept();
}

void ZoomChartView::wheelEvent(QWheelEvent* event)
{
    const double lo = visibleMin();
    const double hi = visibleMax();
    const double span = hi - lo;
    const double steps = event->angleDelta().y() / 120.0 + event->angleDelta().x() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        const double anchor = xAtPixel(event->position().x());
        const double factor = std::pow(0.8, steps);
        setXRange(anchor - (anchor - lo) * factor, anchor + (hi - anchor) * factor);
    } else {
        const double shift = -steps * span * 0.1;
        setXRange(lo + shift, hi + shift, true);
    }
    event->accept();
}

void ZoomChartView::leaveEvent(QEvent* event)
{
    if (m_hoverX) {
        setHoverX(std::nullopt);
        emit left();
    }
    QChartView::leaveEvent(event);
}

void ZoomChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    if (auto* time = qobject_cast<TimeAxis*>(xAxis()))
        time->setMaxTicks(std::max(3, width() / 100));
    layoutOverlay();
}

} // namespace capsim::studio::charts
