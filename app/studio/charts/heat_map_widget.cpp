#include "app/studio/charts/heat_map_widget.h"

#include "app/report/chart_axes.h"
#include "app/report/chart_renderer.h"

#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace capsim::studio::charts {
namespace {

constexpr int kLegendWidth = 120;
constexpr double kLegendMax = 1.5;

} // namespace

HeatMapWidget::HeatMapWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void HeatMapWidget::setTable(const TableResult* table)
{
    m_table = table;
    m_rows.clear();
    m_cells.clear();
    m_span = 0;
    if (m_selected && (!table || table->partitionMinutes.empty()))
        m_selected.reset();
    m_hovered.reset();
    if (table && !table->partitionMinutes.empty()) {
        std::unordered_map<std::int64_t, std::size_t> indexOf;
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t last = std::numeric_limits<std::int64_t>::min();
        for (const auto& pm : table->partitionMinutes) {
            auto [it, inserted] = indexOf.try_emplace(pm.partition, m_rows.size());
            if (inserted)
                m_rows.push_back({ pm.partition, pm.minute });
            else
                m_rows[it->second].firstMinute = std::min(m_rows[it->second].firstMinute, pm.minute);
            first = std::min(first, pm.minute);
            last = std::max(last, pm.minute);
        }
        // Same order as the report's heat map: by first minute, then by first appearance.
        std::stable_sort(m_rows.begin(), m_rows.end(),
            [](const Row& a, const Row& b) { return a.firstMinute < b.firstMinute; });
        std::unordered_map<std::int64_t, std::size_t> rowOf;
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            rowOf[m_rows[i].id] = i;
        m_firstMinute = first;
        m_span = last - first + 1;
        m_cells.assign(static_cast<std::size_t>(m_span) * m_rows.size(), -1);
        for (std::size_t i = 0; i < table->partitionMinutes.size(); ++i) {
            const auto& pm = table->partitionMinutes[i];
            const std::size_t row = rowOf[pm.partition];
            m_cells[row * static_cast<std::size_t>(m_span) + static_cast<std::size_t>(pm.minute - first)]
                = static_cast<std::int32_t>(i);
        }
    }
    if (m_selected && (m_selected->first >= rowCount() || m_selected->second >= endMinute()))
        m_selected.reset();
    rebuildImage();
    update();
}

const PartitionMinuteRow* HeatMapWidget::cell(int row, std::int64_t minute) const
{
    if (!m_table || row < 0 || row >= rowCount() || minute < m_firstMinute || minute >= endMinute())
        return nullptr;
    const std::int32_t index = m_cells[static_cast<std::size_t>(row) * static_cast<std::size_t>(m_span)
        + static_cast<std::size_t>(minute - m_firstMinute)];
    return index < 0 ? nullptr : &m_table->partitionMinutes[static_cast<std::size_t>(index)];
}

void HeatMapWidget::setColouring(const HeatColouring& colouring)
{
    m_colouring = colouring;
    rebuildImage();
    update();
}

std::optional<double> HeatMapWidget::cellValue(int row, std::int64_t minute) const
{
    const PartitionMinuteRow* c = cell(row, minute);
    if (!c)
        return std::nullopt;
    return heatValue(*c, m_colouring);
}

void HeatMapWidget::selectCell(int row, std::int64_t minute)
{
    if (row < 0 || row >= rowCount())
        return;
    m_selected = std::make_pair(row, std::clamp(minute, m_firstMinute, endMinute() - 1));
    update();
    emit cellSelected(m_selected->first, m_selected->second);
}

void HeatMapWidget::setMarkedMinute(std::optional<double> minute)
{
    m_markedMinute = minute;
    update();
}

QRect HeatMapWidget::plotRect() const
{
    const QFontMetrics fm(font());
    const int left = fm.horizontalAdvance(QStringLiteral("partition 0000")) + 12;
    const int bottom = 2 * fm.height() + 14;
    return QRect(QPoint(left, 8), QPoint(width() - kLegendWidth, height() - bottom));
}

void HeatMapWidget::rebuildImage()
{
    const QRect plot = plotRect();
    if (m_rows.empty() || plot.width() < 4) {
        m_image = QImage();
        return;
    }
    // One pixel column per minute, or per group of minutes when there are more minutes than
    // pixels; a group shows its hottest minute so short bursts stay visible.
    const int columns = static_cast<int>(std::min<std::int64_t>(m_span, plot.width()));
    const int rows = rowCount();
    m_image = QImage(columns, rows, QImage::Format_RGB32);
    for (int row = 0; row < rows; ++row) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(row));
        const std::int32_t* source = m_cells.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(m_span);
        for (int c = 0; c < columns; ++c) {
            const std::int64_t from = c * m_span / columns;
            const std::int64_t to = std::max(from + 1, (c + 1) * m_span / columns);
            double hottest = -1;
            for (std::int64_t m = from; m < to; ++m) {
                if (source[m] >= 0)
                    hottest = std::max(hottest,
                        std::max(0.0, heatValue(m_table->partitionMinutes[static_cast<std::size_t>(source[m])], m_colouring)));
            }
            line[c] = hottest < 0 ? report::kNoPartitionGrey : report::utilisationColour(hottest);
        }
    }
}

std::optional<std::pair<int, std::int64_t>> HeatMapWidget::cellAt(QPoint pos) const
{
    const QRect plot = plotRect();
    if (m_rows.empty() || !plot.contains(pos))
        return std::nullopt;
    const int row = std::clamp(static_cast<int>((pos.y() - plot.top()) * rowCount() / std::max(1, plot.height())), 0,
        rowCount() - 1);
    const std::int64_t minute = m_firstMinute
        + std::clamp<std::int64_t>((pos.x() - plot.left()) * m_span / std::max(1, plot.width()), 0, m_span - 1);
    return std::make_pair(row, minute);
}

void HeatMapWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect plot = plotRect();
    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::Text);
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No partition minutes recorded yet"));
        return;
    }
    p.drawImage(plot, m_image);
    const double rowHeight = plot.height() / static_cast<double>(rowCount());
    const auto xOf = [&](double minute) {
        return plot.left() + (minute - static_cast<double>(m_firstMinute)) / static_cast<double>(m_span) * plot.width();
    };
    if (rowHeight >= 6) {
        p.setPen(QPen(Qt::white, 1));
        for (int row = 1; row < rowCount(); ++row) {
            const int y = plot.top() + static_cast<int>(std::lround(row * rowHeight));
            p.drawLine(plot.left(), y, plot.right(), y);
        }
    }
    p.setPen(QPen(QColor(96, 96, 96), 1));
    p.drawRect(plot.adjusted(0, 0, -1, -1));

    // Partition labels, every k-th row when rows are thinner than the text.
    const int every = std::max(1, static_cast<int>(std::ceil(fm.height() / std::max(0.1, rowHeight))));
    p.setPen(text);
    for (int row = 0; row < rowCount(); row += every) {
        const QRectF box(0, plot.top() + row * rowHeight, plot.left() - 6, std::max(rowHeight, double(fm.height())));
        p.drawText(box, Qt::AlignRight | (rowHeight >= fm.height() ? Qt::AlignVCenter : Qt::AlignTop),
            tr("partition %1").arg(partitionAt(row)));
    }

    // Time ticks.
    const int maxTicks = std::max(2, plot.width() / 90);
    const std::int64_t step = std::max<std::int64_t>(1, report::timeStepMinutes(m_span, maxTicks));
    for (std::int64_t m = ((m_firstMinute + step - 1) / step) * step; m <= endMinute(); m += step) {
        const int x = static_cast<int>(std::lround(xOf(static_cast<double>(m))));
        p.setPen(QColor(96, 96, 96));
        p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 5);
        p.setPen(text);
        p.drawText(QRect(x - 50, plot.bottom() + 6, 100, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
            report::timeLabel(m, m_span, step));
    }
    p.drawText(QRect(plot.left(), plot.bottom() + 8 + fm.height(), plot.width(), fm.height()), Qt::AlignHCenter,
        report::timeAxisTitle(m_span));

    // Splits: a triangle where each later partition begins.
    p.setRenderHint(QPainter::Antialiasing, true);
    const double triangle = std::clamp(rowHeight * 0.35, 3.0, 8.0);
    p.setPen(QPen(Qt::white, 1));
    p.setBrush(Qt::black);
    for (int row = 0; row < rowCount(); ++row) {
        const Row& r = m_rows[static_cast<std::size_t>(row)];
        if (r.firstMinute <= m_firstMinute)
            continue;
        const double x = xOf(static_cast<double>(r.firstMinute));
        const double y = plot.top() + (row + 0.5) * rowHeight;
        p.drawPolygon(QPolygonF({ QPointF(x, y - triangle), QPointF(x + triangle * 1.4, y), QPointF(x, y + triangle) }));
    }
    p.setBrush(Qt::NoBrush);

    const auto outline = [&](const std::pair<int, std::int64_t>& c, const QPen& pen) {
        const double x0 = xOf(static_cast<double>(c.second));
        const double x1 = std::max(x0 + 3, xOf(static_cast<double>(c.second + 1)));
        p.setPen(pen);
        p.drawRect(QRectF(x0 - 1, plot.top() + c.first * rowHeight - 1, x1 - x0 + 2, std::max(3.0, rowHeight) + 2));
    };
    if (m_hovered)
        outline(*m_hovered, QPen(QColor(40, 40, 40, 160), 1));
    if (m_selected)
        outline(*m_selected, QPen(QColor(0, 90, 200), 2));
    if (m_markedMinute && *m_markedMinute >= m_firstMinute && *m_markedMinute <= endMinute()) {
        p.setPen(QPen(QColor(0xff, 0x8c, 0x00), 2, Qt::DashLine));
        const double x = xOf(*m_markedMinute);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    // Legend: the colour ramp from 0 to 150 % of the limit coloured by, grey, and the split mark.
    const int lx = plot.right() + 24;
    const int barWidth = 16;
    const int barTop = plot.top() + fm.height() + 6;
    const int barHeight = std::max(40, std::min(plot.height() - 3 * fm.height() - 24, 260));
    p.setPen(text);
    p.drawText(QRect(plot.right() + 8, plot.top(), kLegendWidth - 8, fm.height()), Qt::AlignLeft,
        m_colouring.measure == HeatMeasure::OwnLimit ? tr("% of own limit") : tr("% of hard limit"));
    for (int y = 0; y < barHeight; ++y) {
        const double u = kLegendMax * (1.0 - y / static_cast<double>(barHeight - 1));
        p.setPen(QColor::fromRgb(report::utilisationColour(u)));
        p.drawLine(lx, barTop + y, lx + barWidth, barTop + y);
    }
    p.setPen(QColor(96, 96, 96));
    p.drawRect(lx, barTop, barWidth, barHeight);
    for (const double u : { 0.0, 0.5, 1.0, 1.5 }) {
        const int y = barTop + static_cast<int>(std::lround((1.0 - u / kLegendMax) * (barHeight - 1)));
        p.setPen(QColor(96, 96, 96));
        p.drawLine(lx + barWidth, y, lx + barWidth + 4, y);
        p.setPen(text);
        p.drawText(QRect(lx + barWidth + 7, y - fm.height() / 2, 60, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
            u >= kLegendMax ? tr("≥150 %") : tr("%1 %").arg(static_cast<int>(u * 100)));
    }
    int ly = barTop + barHeight + 12;
    p.fillRect(QRect(lx, ly, barWidth, fm.height() - 2), QColor::fromRgb(report::kNoPartitionGrey));
    p.setPen(text);
    p.drawText(QRect(lx + barWidth + 7, ly - 1, 80, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, tr("none"));
    ly += fm.height() + 6;
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    const double cy = ly + fm.height() / 2.0;
    p.drawPolygon(QPolygonF({ QPointF(lx + 3, cy - 5), QPointF(lx + 12, cy), QPointF(lx + 3, cy + 5) }));
    p.setPen(text);
    p.drawText(QRect(lx + barWidth + 7, ly - 1, 80, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, tr("split"));
}

void HeatMapWidget::mouseMoveEvent(QMouseEvent* event)
{
    const auto c = cellAt(event->pos());
    if (c != m_hovered) {
        m_hovered = c;
        update();
        if (c)
            emit cellHovered(c->first, c->second);
        else
            emit hoverLeft();
    }
}

void HeatMapWidget::mousePressEvent(QMouseEvent* event)
{
    if (const auto c = cellAt(event->pos()); c && event->button() == Qt::LeftButton)
        selectCell(c->first, c->second);
}

void HeatMapWidget::leaveEvent(QEvent*)
{
    if (m_hovered) {
        m_hovered.reset();
        update();
        emit hoverLeft();
    }
}

void HeatMapWidget::resizeEvent(QResizeEvent*)
{
    rebuildImage();
}

} // namespace capsim::studio::charts
