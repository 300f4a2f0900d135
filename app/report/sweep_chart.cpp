#include "app/report/sweep_chart.h"

#include "app/report/chart_axes.h"
#include "app/report/chart_palette.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace capsim::report {

namespace {

using palette::kAxis;
using palette::kGrid;
using palette::kSeriesColours;
using palette::kText;
constexpr QRgb kChosen = 0xffd62728;

QFont font(int pixels, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(pixels);
    f.setBold(bold);
    return f;
}

struct Series {
    QString label;
    std::vector<std::pair<std::size_t, const SweepRow*>> points; // (x category, row)
};

double throttledPercent(const SweepMetrics& m)
{
    return m.requests > 0 ? 100.0 * static_cast<double>(m.throttled) / static_cast<double>(m.requests) : 0.0;
}

// One panel: categories on x, `value` of each row on y, a line per series.
void drawPanel(QPainter& p, const QRectF& plot, const QString& yTitle, const std::vector<QString>& categories,
    const std::vector<Series>& series, double (*value)(const SweepRow&), int decimals,
    std::optional<std::size_t> chosen)
{
    double top = 0;
    for (const auto& s : series)
        for (const auto& [x, row] : s.points)
            top = std::max(top, value(*row));
    const AxisScale scale = niceScale(0, top > 0 ? top * 1.08 : 1.0, 6);
    const auto px = [&](std::size_t x) {
        return plot.left() + (static_cast<double>(x) + 0.5) / static_cast<double>(categories.size()) * plot.width();
    };
    const auto py = [&](double y) { return plot.bottom() - (y - scale.min) / (scale.max - scale.min) * plot.height(); };

    p.setFont(font(12));
    for (double t : scale.ticks()) {
        p.setPen(QPen(QColor::fromRgb(kGrid), 1));
        p.drawLine(QPointF(plot.left(), py(t)), QPointF(plot.right(), py(t)));
        p.setPen(QColor::fromRgb(kText));
        p.drawText(QRectF(plot.left() - 110, py(t) - 10, 102, 20), Qt::AlignRight | Qt::AlignVCenter,
            tickLabel(t, scale.step, decimals));
    }
    for (std::size_t x = 0; x < categories.size(); ++x)
        p.drawText(QRectF(px(x) - 80, plot.bottom() + 6, 160, 20), Qt::AlignHCenter | Qt::AlignTop, categories[x]);
    p.setPen(QPen(QColor::fromRgb(kAxis), 1));
    p.drawRect(plot);
    p.save();
    p.setFont(font(14));
    p.setPen(QColor::fromRgb(kText));
    p.translate(plot.left() - 125, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -12, plot.height(), 24), Qt::AlignCenter, yTitle);
    p.restore();

    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t s = 0; s < series.size(); ++s) {
        const QColor colour = QColor::fromRgb(kSeriesColours[s % kSeriesColours.size()]);
        QPainterPath line;
        for (std::size_t i = 0; i < series[s].points.size(); ++i) {
            const auto& [x, row] = series[s].points[i];
            const QPointF at(px(x), py(value(*row)));
            i == 0 ? line.moveTo(at) : line.lineTo(at);
        }
        p.setPen(QPen(colour, 2.2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(line);
        p.setBrush(colour);
        for (const auto& [x, row] : series[s].points) {
            const QPointF at(px(x), py(value(*row)));
            p.drawEllipse(at, 4.5, 4.5);
            if (chosen && row->point == *chosen) {
                p.setPen(QPen(QColor::fromRgb(kChosen), 3));
                p.setBrush(Qt::NoBrush);
                p.drawEllipse(at, 11, 11);
                p.setPen(QPen(colour, 2.2));
                p.setBrush(colour);
            }
        }
    }
    p.restore();
}

} // namespace

QImage sweepChart(const std::string& title, const std::vector<std::string>& variedPaths,
    const std::vector<SweepRow>& rows, std::optional<std::size_t> chosenPoint, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setPen(QColor::fromRgb(kText));
    p.setFont(font(20, true));
    p.drawText(QRectF(0, 10, size.width(), 32), Qt::AlignCenter, QString::fromStdString(title));
    if (rows.empty() || variedPaths.empty()) {
        p.setFont(font(14));
        p.drawText(QRectF(0, 0, size.width(), size.height()), Qt::AlignCenter, QStringLiteral("no points"));
        return image;
    }

    // x: the first --vary's values in the order first seen (grid order is --vary order).
    std::vector<QString> categories;
    std::map<std::string, std::size_t> categoryOf;
    std::map<std::vector<std::string>, std::size_t> seriesOf;
    std::vector<Series> series;
    std::vector<const SweepRow*> ordered;
    for (const auto& r : rows)
        ordered.push_back(&r);
    std::sort(ordered.begin(), ordered.end(), [](const SweepRow* a, const SweepRow* b) { return a->point < b->point; });
    for (const SweepRow* row : ordered) {
        const std::string& x = row->values.front();
        if (!categoryOf.count(x)) {
            categoryOf[x] = categories.size();
            categories.push_back(QString::fromStdString(x));
        }
        const std::vector<std::string> rest(row->values.begin() + 1, row->values.end());
        auto [it, added] = seriesOf.emplace(rest, series.size());
        if (added) {
            QString label;
            for (std::size_t d = 1; d < variedPaths.size(); ++d)
                label += (d > 1 ? QStringLiteral(", ") : QString()) + QString::fromStdString(variedPaths[d]) + "="
                    + QString::fromStdString(row->values[d]);
            series.push_back({ label.isEmpty() ? QStringLiteral("cost") : label, {} });
        }
        series[it->second].points.emplace_back(categoryOf[x], row);
    }

    const double left = 150;
    const double legendWidth = variedPaths.size() > 1 ? 330 : 40;
    const double right = size.width() - legendWidth;
    const double plotTop = 60;
    const double gap = 56;
    const double bottomMargin = 70;
    const double panelHeight = (size.height() - plotTop - 2 * gap - bottomMargin) / 3;
    const auto panel
        = [&](int i) { return QRectF(left, plotTop + i * (panelHeight + gap), right - left, panelHeight); };
    drawPanel(
        p, panel(0), QStringLiteral("cost (USD)"), categories, series,
        [](const SweepRow& r) { return r.metrics.costUsd; }, 2, chosenPoint);
    drawPanel(
        p, panel(1), QStringLiteral("throttled (% of requests)"), categories, series,
        [](const SweepRow& r) { return throttledPercent(r.metrics); }, 1, chosenPoint);
    drawPanel(
        p, panel(2), QStringLiteral("failed requests"), categories, series,
        [](const SweepRow& r) { return static_cast<double>(r.metrics.failed); }, 0, chosenPoint);
    p.setFont(font(14));
    p.setPen(QColor::fromRgb(kText));
    p.drawText(QRectF(left, size.height() - 36, right - left, 24), Qt::AlignCenter,
        QString::fromStdString(variedPaths.front()));

    // Legend: one swatch per series, and the advisor's ring.
    double y = plotTop;
    p.setFont(font(12));
    if (variedPaths.size() > 1) {
        for (std::size_t s = 0; s < series.size() && y < size.height() - 60; ++s, y += 22) {
            p.fillRect(QRectF(right + 20, y + 4, 22, 10), QColor::fromRgb(kSeriesColours[s % kSeriesColours.size()]));
            p.setPen(QColor::fromRgb(kText));
            p.drawText(
                QRectF(right + 50, y - 2, legendWidth - 55, 22), Qt::AlignLeft | Qt::AlignVCenter, series[s].label);
        }
    }
    if (chosenPoint) {
        p.setRenderHint(QPainter::Antialiasing, true);
        const double x = variedPaths.size() > 1 ? right + 31 : left + 20;
        const double ly = variedPaths.size() > 1 ? y + 20 : plotTop + 16;
        p.setPen(QPen(QColor::fromRgb(kChosen), 3));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(x, ly), 9, 9);
        p.setPen(QColor::fromRgb(kText));
        p.drawText(QRectF(x + 19, ly - 11, 280, 22), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("advisor's choice (point %1)").arg(*chosenPoint + 1));
    }
    return image;
}

} // namespace capsim::report
