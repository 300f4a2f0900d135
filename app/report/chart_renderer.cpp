#include "app/report/chart_renderer.h"

#include "app/report/chart_axes.h"
#include "app/report/chart_palette.h"
#include "simulator/results_view.h"

#include <QDir>
#include <QFont>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

namespace capsim::report {
namespace {

using palette::kAxis;
using palette::kGrid;
using palette::kSeriesColours;
using palette::kText;

constexpr QRgb kProvisionedLine = 0xff1b2a49;
constexpr QRgb kConsumedLine = 0xff2f75b5;
constexpr QRgb kMutedText = 0xff707070;
constexpr QRgb kThrottleAxisText = 0xffa01818;


// Fonts sized relative to the default image size, so a smaller image keeps proportions but
// never drops below a legible pixel size.
struct Fonts {
    QFont title;
    QFont label;
    QFont small;
    QFont bold;
    double scale = 1;

    explicit Fonts(QSize size)
    {
        scale = std::clamp(std::min(size.width() / 1400.0, size.height() / 800.0), 0.6, 3.0);
        const auto px = [this](double base, int minimum) {
            QFont f(QStringLiteral("DejaVu Sans"));
            f.setPixelSize(std::max(minimum, static_cast<int>(std::lround(base * scale))));
            return f;
        };
        title = px(20, 12);
        title.setBold(true);
        label = px(13, 10);
        small = px(11, 9);
        bold = label;
        bold.setBold(true);
    }
    double px(double base) const { return base * scale; }
    // Where a vertical axis title is centred, measured from the image's edge: titles hug the
    // edges so tick labels between them and the plot never collide, whatever the size.
    double edgeTitleOffset() const { return QFontMetricsF(label).height() / 2 + px(6); }
    // Room beside a plot for tick labels up to "00,000" and the axis title.
    double axisMargin() const
    {
        return std::max(px(96),
            QFontMetricsF(small).horizontalAdvance(QStringLiteral("00,000")) + QFontMetricsF(label).height() + px(24));
    }
};

// Maps data coordinates (x in minutes, y in the panel's unit) onto one plot rectangle.
struct Frame {
    QRectF rect;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    double px(double x) const { return rect.left() + (x - x0) / (x1 - x0) * rect.width(); }
    double py(double y) const { return rect.bottom() - (y - y0) / (y1 - y0) * rect.height(); }
};

// A polyline of samples (sorted by x, data coordinates) in pixels, through the shared decimator
// with one bucket per pixel column: a 30-day run has 43,200 minutes for ~1,200 columns, and
// keeping each column's min and max keeps every peak and every step visible.
QPolygonF decimate(const std::vector<QPointF>& samples, const Frame& f)
{
    QPolygonF out;
    const auto kept = decimatedIndices(samples, 0, samples.size(), [&f](double x) { return std::floor(f.px(x)); });
    for (const std::size_t k : kept) {
        const QPointF p(f.px(samples[k].x()), f.py(samples[k].y()));
        if (out.isEmpty() || out.back() != p)
            out.push_back(p);
    }
    return out;
}

void drawText(QPainter& p, const QFont& font, QRgb colour, const QRectF& rect, int flags, const QString& text)
{
    p.setFont(font);
    p.setPen(QColor::fromRgb(colour));
    p.drawText(rect, flags, text);
}

// Text turned 90° anticlockwise, centred on centre (axis titles).
void drawVerticalText(QPainter& p, const QFont& font, QRgb colour, QPointF centre, const QString& text)
{
    p.save();
    p.translate(centre);
    p.rotate(-90);
    drawText(p, font, colour, QRectF(-400, -20, 800, 40), Qt::AlignCenter, text);
    p.restore();
}

void drawTitle(QPainter& p, const Fonts& fonts, QSize size, const QString& text)
{
    drawText(p, fonts.title, kText, QRectF(fonts.px(16), fonts.px(8), size.width() - fonts.px(32), fonts.px(30)),
        Qt::AlignLeft | Qt::AlignVCenter, text);
}

struct TimeAxis {
    std::int64_t first = 0; // first minute shown
    std::int64_t end = 1; // one past the last minute shown
    std::int64_t step = 1;
};

TimeAxis timeAxisFor(std::int64_t first, std::int64_t end, double plotWidth, const Fonts& fonts)
{
    TimeAxis axis { first, std::max(end, first + 1), 1 };
    const std::int64_t span = axis.end - axis.first;
    const auto maxTicks = [&](const QString& widest) {
        const double labelWidth = QFontMetricsF(fonts.small).horizontalAdvance(widest) + fonts.px(36);
        return std::max(2, static_cast<int>(plotWidth / labelWidth));
    };
    axis.step = timeStepMinutes(span, maxTicks(span <= 1440 ? QStringLiteral("00:00") : QStringLiteral("00d 00:00")));
    // Whole-day ticks are labelled "12d" alone, so more of them fit.
    if (axis.step >= 1440)
        axis.step = std::max<std::int64_t>(1440, timeStepMinutes(span, maxTicks(QStringLiteral("00d"))));
    return axis;
}

// Vertical grid lines and, when withLabels, the tick labels below the plot.
void drawTimeGrid(QPainter& p, const Frame& f, const TimeAxis& axis, const Fonts& fonts, bool withLabels)
{
    const std::int64_t span = axis.end - axis.first;
    const std::int64_t start = ((axis.first + axis.step - 1) / axis.step) * axis.step;
    for (std::int64_t m = start; m <= axis.end; m += axis.step) {
        const double x = std::round(f.px(static_cast<double>(m))) + 0.5;
        p.setPen(QPen(QColor::fromRgb(kGrid), 1));
        p.drawLine(QPointF(x, f.rect.top()), QPointF(x, f.rect.bottom()));
        if (!withLabels)
            continue;
        p.setPen(QPen(QColor::fromRgb(kAxis), 1));
        p.drawLine(QPointF(x, f.rect.bottom()), QPointF(x, f.rect.bottom() + fonts.px(4)));
        drawText(p, fonts.small, kText, QRectF(x - 60, f.rect.bottom() + fonts.px(5), 120, fonts.px(16)),
            Qt::AlignHCenter | Qt::AlignTop, timeLabel(m, span, axis.step));
    }
}

enum class Side { Left, Right };

// Horizontal grid lines (left axis only) and tick labels at the given side of the plot.
void drawValueAxis(QPainter& p, const Frame& f, const AxisScale& scale, const Fonts& fonts, Side side, QRgb textColour,
    const QString& prefix = QString(), int minDecimals = 0)
{
    const double labelWidth = fonts.px(80);
    for (const double v : scale.ticks()) {
        const double y = std::round(f.py(v)) + 0.5;
        if (side == Side::Left) {
            p.setPen(QPen(QColor::fromRgb(kGrid), 1));
            p.drawLine(QPointF(f.rect.left(), y), QPointF(f.rect.right(), y));
        }
        const QString text = prefix + tickLabel(v, scale.step, minDecimals);
        p.setPen(QPen(QColor::fromRgb(kAxis), 1));
        if (side == Side::Left) {
            p.drawLine(QPointF(f.rect.left() - fonts.px(4), y), QPointF(f.rect.left(), y));
            drawText(p, fonts.small, textColour,
                QRectF(f.rect.left() - labelWidth - fonts.px(7), y - 10, labelWidth, 20),
                Qt::AlignRight | Qt::AlignVCenter, text);
        } else {
            p.drawLine(QPointF(f.rect.right(), y), QPointF(f.rect.right() + fonts.px(4), y));
            drawText(p, fonts.small, textColour, QRectF(f.rect.right() + fonts.px(7), y - 10, labelWidth, 20),
                Qt::AlignLeft | Qt::AlignVCenter, text);
        }
    }
}

void drawFrameBorder(QPainter& p, const Frame& f)
{
    p.setPen(QPen(QColor::fromRgb(kAxis), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(f.rect.adjusted(0.5, 0.5, -0.5, -0.5));
}

void drawNoData(QPainter& p, const Fonts& fonts, const QRectF& area, const QString& text)
{
    drawText(p, fonts.label, kMutedText, area, Qt::AlignCenter, text);
}

// ---- legend -------------------------------------------------------------------------------

struct LegendItem {
    enum class Swatch { Line, DashedLine, Area, Bar, Outline, Marker, Triangle };
    Swatch swatch;
    QRgb colour;
    QString text;
};

void drawSwatch(QPainter& p, const LegendItem& item, const QRectF& r)
{
    const QColor c = QColor::fromRgb(item.colour);
    p.save();
    switch (item.swatch) {
    case LegendItem::Swatch::Line:
    case LegendItem::Swatch::DashedLine: {
        QPen pen(c, 2.5);
        if (item.swatch == LegendItem::Swatch::DashedLine)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()));
        break;
    }
    case LegendItem::Swatch::Area:
        p.fillRect(r, c);
        p.setPen(QPen(QColor::fromRgb(kConsumedLine), 2));
        p.drawLine(r.topLeft(), r.topRight());
        break;
    case LegendItem::Swatch::Bar:
        p.setRenderHint(QPainter::Antialiasing, false);
        p.fillRect(r.toAlignedRect(), c);
        break;
    case LegendItem::Swatch::Outline:
        p.setPen(QPen(c, 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
        break;
    case LegendItem::Swatch::Marker: {
        QPen pen(c, 2.5);
        pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(r.center().x(), r.top() - 2), QPointF(r.center().x(), r.bottom() + 2));
        break;
    }
    case LegendItem::Swatch::Triangle: {
        const QPolygonF tri({ QPointF(r.center().x() - 5, r.center().y() - 6),
            QPointF(r.center().x() + 6, r.center().y()), QPointF(r.center().x() - 5, r.center().y() + 6) });
        p.setPen(QPen(Qt::white, 1));
        p.setBrush(c);
        p.drawPolygon(tri);
        break;
    }
    }
    p.restore();
}

// Lays the items out left to right from area's top-left, wrapping within its width. Returns the
// height used.
double drawLegend(QPainter& p, const Fonts& fonts, const std::vector<LegendItem>& items, const QRectF& area)
{
    const QFontMetricsF metrics(fonts.label);
    const double rowHeight = metrics.height() + fonts.px(6);
    const double swatchWidth = fonts.px(22);
    const double gap = fonts.px(22);
    double x = area.left();
    double y = area.top();
    for (const auto& item : items) {
        const double width = swatchWidth + fonts.px(6) + metrics.horizontalAdvance(item.text);
        if (x > area.left() && x + width > area.right()) {
            x = area.left();
            y += rowHeight;
        }
        drawSwatch(p, item, QRectF(x, y + rowHeight / 2 - fonts.px(6), swatchWidth, fonts.px(12)));
        drawText(p, fonts.label, kText, QRectF(x + swatchWidth + fonts.px(6), y, width, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, item.text);
        x += width + gap;
    }
    return y + rowHeight - area.top();
}

// ---- capacity -----------------------------------------------------------------------------

struct EventStyle {
    EventKind kind;
    QRgb colour;
    const char* label;
    const char* legend;
};

constexpr std::array<EventStyle, 5> kEventStyles = { {
    { EventKind::ScaleOut, 0xff2ca02c, "scale out", "scale-out decision" },
    { EventKind::ScaleIn, 0xffff7f0e, "scale in", "scale-in decision" },
    { EventKind::CapacityChanged, 0xff9467bd, "in force", "capacity change in force" },
    { EventKind::PartitionSplit, 0xff8c564b, "split", "partition split" },
    { EventKind::EventApplied, 0xff7f7f7f, "event", "scenario event" },
} };

const EventStyle* styleOf(EventKind kind)
{
    for (const auto& s : kEventStyles) {
        if (kind == s.kind)
            return &s;
    }
    return nullptr;
}

// What the marker's label shows after the arrow: the capacity or partition count the event sets;
// empty when there is none.
QString targetOf(const RunEvent& event)
{
    const auto target = eventTarget(event);
    return target ? QString::number(*target) : QString();
}

struct Marker {
    double minute;
    const EventStyle* style;
    QString label;
};

struct Panel {
    Dimension dimension;
    std::vector<QPointF> provisioned; // steps: (m, v), (m + 1, v)
    std::vector<QPointF> consumed; // (m + 0.5, v)
    std::vector<std::pair<std::int64_t, std::int64_t>> throttled; // (minute, requests), non-zero only
    double provisionedMax = 0;
    double consumedMax = 0;
    std::int64_t throttledMax = 0;
    std::int64_t throttledTotal = 0;
    std::vector<Marker> markers;
    QString caption; // above the panel: "Reads", "GSI byStatus: writes"
};

Panel panelFor(Dimension d, const std::vector<const MinuteRow*>& rows)
{
    Panel panel { d, {}, {}, {}, 0, 0, 0, 0, {}, d == Dimension::Read ? QStringLiteral("Reads") : QStringLiteral("Writes") };
    panel.provisioned.reserve(rows.size() * 2);
    panel.consumed.reserve(rows.size());
    for (const MinuteRow* r : rows) {
        const double m = static_cast<double>(r->minute);
        const double prov = provisionedOf(*r, d);
        const double used = consumedOf(*r, d);
        const std::int64_t thr = throttledOf(*r, d);
        panel.provisioned.emplace_back(m, prov);
        panel.provisioned.emplace_back(m + 1, prov);
        panel.consumed.emplace_back(m + 0.5, used);
        if (thr > 0)
            panel.throttled.emplace_back(r->minute, thr);
        panel.provisionedMax = std::max(panel.provisionedMax, prov);
        panel.consumedMax = std::max(panel.consumedMax, used);
        panel.throttledMax = std::max(panel.throttledMax, thr);
        panel.throttledTotal += thr;
    }
    return panel;
}

// Markers for the events of `eventTable` (and those of no table, which concern every table) on
// its reads and writes panels; scaling and capacity events concern one dimension, the others
// (splits, scenario events) both.
void addMarkers(Panel& reads, Panel& writes, const std::string& eventTable, const std::vector<RunEvent>& events,
    std::vector<const EventStyle*>& kindsShown)
{
    for (const auto& e : events) {
        if (!e.table.empty() && e.table != eventTable)
            continue;
        const EventStyle* style = styleOf(e.kind);
        if (!style)
            continue;
        const auto dimension = eventDimension(e);
        const QString target = targetOf(e);
        const QString label = target.isEmpty() ? QString::fromLatin1(style->label)
                                               : QStringLiteral("%1 → %2").arg(QLatin1String(style->label), target);
        const Marker marker { e.timeSeconds / 60.0, style, label };
        if (dimension != Dimension::Write)
            reads.markers.push_back(marker);
        if (dimension != Dimension::Read)
            writes.markers.push_back(marker);
        if (std::find(kindsShown.begin(), kindsShown.end(), style) == kindsShown.end())
            kindsShown.push_back(style);
    }
}

// Labels sit in a few lanes at the top of the plot; a label that fits no lane is left out (its
// line is still drawn) rather than drawn over another.
void drawMarkers(QPainter& p, const Frame& f, const Fonts& fonts, const std::vector<Marker>& markers)
{
    constexpr int kLanes = 3;
    std::array<double, kLanes> laneEnd;
    laneEnd.fill(-std::numeric_limits<double>::infinity());
    const QFontMetricsF metrics(fonts.small);
    const double laneHeight = metrics.height() + fonts.px(3);
    p.save();
    p.setClipRect(f.rect);
    for (const auto& m : markers) {
        const double x = std::round(f.px(m.minute)) + 0.5;
        QPen pen(QColor::fromRgb(m.style->colour), 1.3);
        pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(x, f.rect.top()), QPointF(x, f.rect.bottom()));
    }
    for (const auto& m : markers) {
        const double x = std::round(f.px(m.minute)) + 0.5;
        const double width = metrics.horizontalAdvance(m.label) + fonts.px(6);
        double left = x + fonts.px(2);
        if (left + width > f.rect.right() - 2)
            left = x - fonts.px(2) - width;
        for (int lane = 0; lane < kLanes; ++lane) {
            if (laneEnd[lane] + fonts.px(4) > left)
                continue;
            laneEnd[lane] = left + width;
            const QRectF box(left, f.rect.top() + fonts.px(3) + lane * laneHeight, width, laneHeight - fonts.px(2));
            p.fillRect(box, QColor(255, 255, 255, 225));
            drawText(p, fonts.small, m.style->colour, box, Qt::AlignCenter, m.label);
            break;
        }
    }
    p.restore();
}

void drawCapacityPanel(QPainter& p, const Fonts& fonts, const Panel& panel, const QRectF& rect, const TimeAxis& time,
    bool onDemand, bool mixedModes)
{
    const bool read = panel.dimension == Dimension::Read;
    const QFontMetricsF metrics(fonts.small);
    const int intervals = std::max(2, static_cast<int>(rect.height() / (metrics.height() * 2.6)));

    // An on-demand ceiling is twice the previous peak and can sit orders of magnitude above the
    // traffic; scaling to it would flatten the consumed curve, so it is allowed off the top.
    double top = std::max(panel.provisionedMax, panel.consumedMax);
    const bool ceilingOffScale = onDemand && panel.consumedMax > 0 && panel.provisionedMax > 4 * panel.consumedMax;
    if (ceilingOffScale)
        top = panel.consumedMax * 1.6;
    const AxisScale values = niceScale(0, top * 1.08, intervals);
    const Frame f { rect, static_cast<double>(time.first), static_cast<double>(time.end), values.min, values.max };

    p.fillRect(rect, Qt::white);
    drawTimeGrid(p, f, time, fonts, true);
    drawValueAxis(p, f, values, fonts, Side::Left, kText);

    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing, true);

    // Consumed: an opaque area under its line (opaque so its colour is exactly kConsumedFill).
    const QPolygonF consumedLine = decimate(panel.consumed, f);
    if (!consumedLine.isEmpty()) {
        QPolygonF area = consumedLine;
        area.push_front(QPointF(consumedLine.front().x(), f.py(0)));
        area.push_back(QPointF(consumedLine.back().x(), f.py(0)));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor::fromRgb(kConsumedFill));
        p.drawPolygon(area);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor::fromRgb(kConsumedLine), 1.5));
        p.drawPolyline(consumedLine);
    }

    // Throttled requests: bars, one per minute, or the column's peak minute when minutes are
    // narrower than a pixel. Not antialiased, so their red stays exact.
    AxisScale throttleScale
        = niceScale(0, static_cast<double>(std::max<std::int64_t>(panel.throttledMax, 1)) * 1.08, intervals, true);
    if (!panel.throttled.empty()) {
        const Frame tf { rect, f.x0, f.x1, throttleScale.min, throttleScale.max };
        const double minuteWidth = rect.width() / (f.x1 - f.x0);
        const double barWidth = minuteWidth >= 3 ? std::max(2.0, minuteWidth * 0.7) : std::max(1.0, minuteWidth);
        std::unordered_map<long, std::int64_t> columnPeak;
        for (const auto& [minute, count] : panel.throttled) {
            const long column = std::lround(std::floor(tf.px(static_cast<double>(minute) + 0.5)));
            auto& peak = columnPeak[column];
            peak = std::max(peak, count);
        }
        p.setRenderHint(QPainter::Antialiasing, false);
        for (const auto& [column, count] : columnPeak) {
            const double x = static_cast<double>(column) + 0.5 - barWidth / 2;
            const double y = tf.py(static_cast<double>(count));
            const QRect bar(QPoint(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y))),
                QPoint(
                    static_cast<int>(std::floor(x + barWidth)) - 1, static_cast<int>(std::floor(rect.bottom())) - 1));
            p.fillRect(bar, QColor::fromRgb(kThrottleRed));
        }
        p.setRenderHint(QPainter::Antialiasing, true);
    }

    // Provisioned (or the on-demand ceiling): a step line above everything else.
    const QPolygonF provisionedLine = decimate(panel.provisioned, f);
    QPen provisionedPen(QColor::fromRgb(kProvisionedLine), 2.2);
    provisionedPen.setJoinStyle(Qt::MiterJoin);
    if (onDemand && !mixedModes)
        provisionedPen.setStyle(Qt::DashLine);
    p.setPen(provisionedPen);
    p.drawPolyline(provisionedLine);
    p.restore();

    drawMarkers(p, f, fonts, panel.markers);
    drawFrameBorder(p, f);

    if (!panel.throttled.empty()) {
        drawValueAxis(p, Frame { rect, f.x0, f.x1, throttleScale.min, throttleScale.max }, throttleScale, fonts,
            Side::Right, kThrottleAxisText);
    }
    drawVerticalText(p, fonts.label, panel.throttled.empty() ? kMutedText : kThrottleAxisText,
        QPointF(p.device()->width() - fonts.edgeTitleOffset(), rect.center().y()),
        panel.throttled.empty() ? QStringLiteral("no throttled requests") : QStringLiteral("throttled requests/min"));
    drawVerticalText(p, fonts.label, kText, QPointF(fonts.edgeTitleOffset(), rect.center().y()),
        read ? QStringLiteral("read units/s") : QStringLiteral("write units/s"));

    // The panel's caption, above its top-left corner, with a note when the ceiling is off scale.
    drawText(p, fonts.bold, kText, QRectF(rect.left(), rect.top() - fonts.px(22), rect.width(), fonts.px(20)),
        Qt::AlignLeft | Qt::AlignVCenter, panel.caption);
    QStringList notes;
    if (ceilingOffScale) {
        notes << QStringLiteral("on-demand ceiling above the chart (up to %1 units/s)")
                     .arg(QLocale(QLocale::English).toString(panel.provisionedMax, 'f', 0));
    }
    if (panel.throttledTotal > 0) {
        notes << QStringLiteral("%1 throttled requests")
                     .arg(QLocale(QLocale::English).toString(static_cast<qlonglong>(panel.throttledTotal)));
    }
    if (!notes.isEmpty()) {
        drawText(p, fonts.small, kMutedText, QRectF(rect.left(), rect.top() - fonts.px(22), rect.width(), fonts.px(20)),
            Qt::AlignRight | Qt::AlignVCenter, notes.join(QStringLiteral("  ·  ")));
    }
}

// ---- heat map -----------------------------------------------------------------------------

struct Stop {
    double at;
    int r, g, b;
};

// Sequential orange-red ramp (ColorBrewer OrRd) up to the partition limit, then towards a dark
// plum for demand beyond it; lightness falls monotonically along it.
constexpr std::array<Stop, 7> kRamp = { {
    { 0.00, 255, 247, 236 },
    { 0.25, 253, 212, 158 },
    { 0.50, 252, 141, 89 },
    { 0.75, 215, 48, 31 },
    { 1.00, 127, 0, 0 },
    { 1.25, 84, 0, 40 },
    { 1.50, 45, 0, 45 },
} };

constexpr double kRampMax = 1.5;

} // namespace

QRgb utilisationColour(double limitUtilisation)
{
    const double u = std::isfinite(limitUtilisation) ? std::clamp(limitUtilisation, 0.0, kRampMax) : kRampMax;
    for (std::size_t i = 1; i < kRamp.size(); ++i) {
        if (u <= kRamp[i].at) {
            const Stop& a = kRamp[i - 1];
            const Stop& b = kRamp[i];
            const double t = (u - a.at) / (b.at - a.at);
            const auto mix = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
            return qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
        }
    }
    return qRgb(kRamp.back().r, kRamp.back().g, kRamp.back().b);
}

std::size_t gsiPanelCount(const TableResult& table)
{
    std::size_t count = 0;
    for (const TableResult& index : table.indexes)
        count += indexChartDimensions(index).size();
    return count;
}

QSize capacityChartSize(const TableResult& table)
{
    return QSize(1400, 800 + 340 * static_cast<int>(gsiPanelCount(table)));
}

QImage capacityChart(const TableResult& table, const std::vector<RunEvent>& events, QSize size)
{
    if (!size.isValid())
        size = capacityChartSize(table);
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const Fonts fonts(size);
    const QString name = QString::fromStdString(table.name);
    drawTitle(p, fonts, size, QStringLiteral("%1: capacity").arg(name));

    const auto rows = minutesInOrder(table.minutes);
    const bool onDemand = table.billingMode == BillingMode::PayPerRequest;
    bool mixedModes = false;
    for (const auto& e : events) {
        if (e.kind == EventKind::ModeSwitch && (e.table == table.name || e.table.empty()))
            mixedModes = true;
    }

    std::vector<Panel> panels = { panelFor(Dimension::Read, rows), panelFor(Dimension::Write, rows) };
    std::vector<const EventStyle*> kindsShown;
    addMarkers(panels[0], panels[1], table.name, events, kindsShown);
    // Each GSI's own capacity below the table's: an index that throttles its table shows here.
    for (const TableResult& index : table.indexes) {
        const std::vector<Dimension> shown = indexChartDimensions(index);
        if (shown.empty())
            continue;
        const auto indexRows = minutesInOrder(index.minutes);
        const QString indexName = QString::fromStdString(index.name);
        Panel reads = panelFor(Dimension::Read, indexRows);
        Panel writes = panelFor(Dimension::Write, indexRows);
        reads.caption = QStringLiteral("GSI %1: reads").arg(indexName);
        writes.caption = QStringLiteral("GSI %1: writes (the table's writes that maintain it)").arg(indexName);
        addMarkers(reads, writes, table.name + "/" + index.name, events, kindsShown);
        if (std::find(shown.begin(), shown.end(), Dimension::Read) != shown.end())
            panels.push_back(std::move(reads));
        panels.push_back(std::move(writes));
    }
    for (auto& panel : panels) {
        std::stable_sort(panel.markers.begin(), panel.markers.end(),
            [](const Marker& a, const Marker& b) { return a.minute < b.minute; });
    }

    const QString ceilingName = mixedModes ? QStringLiteral("provisioned / on-demand ceiling")
        : onDemand                         ? QStringLiteral("on-demand ceiling (2 × previous peak)")
                                           : QStringLiteral("provisioned capacity");
    std::vector<LegendItem> legend = {
        { mixedModes || !onDemand ? LegendItem::Swatch::Line : LegendItem::Swatch::DashedLine, kProvisionedLine,
            ceilingName },
        { LegendItem::Swatch::Area, kConsumedFill, QStringLiteral("consumed (units/s, mean per minute)") },
    };
    const bool anyThrottles
        = std::any_of(panels.begin(), panels.end(), [](const Panel& panel) { return panel.throttledTotal > 0; });
    if (anyThrottles)
        legend.push_back(
            { LegendItem::Swatch::Bar, kThrottleRed, QStringLiteral("throttled requests/min (right axis)") });
    else
        legend.push_back({ LegendItem::Swatch::Outline, kMutedText, QStringLiteral("no throttled requests") });
    std::sort(kindsShown.begin(), kindsShown.end());
    for (const auto& s : kEventStyles) {
        if (std::find(kindsShown.begin(), kindsShown.end(), &s) != kindsShown.end())
            legend.push_back({ LegendItem::Swatch::Marker, s.colour, QString::fromLatin1(s.legend) });
    }

    const double left = fonts.axisMargin();
    const double right = size.width() - fonts.axisMargin();
    const double legendHeight = drawLegend(p, fonts, legend, QRectF(left, fonts.px(44), right - left, size.height()));
    const double top = fonts.px(44) + legendHeight + fonts.px(34);
    const double bottom = size.height() - fonts.px(46);
    const double gap = fonts.px(58); // tick labels of the upper panel + the lower panel's caption
    const double panelCount = static_cast<double>(panels.size());
    const double panelHeight = (bottom - top - gap * (panelCount - 1)) / panelCount;
    if (rows.empty() || panelHeight < 20) {
        drawNoData(p, fonts, QRectF(0, top, size.width(), bottom - top),
            QStringLiteral("no minutes recorded for %1").arg(name));
        return image;
    }

    const TimeAxis time = timeAxisFor(rows.front()->minute, rows.back()->minute + 1, right - left, fonts);
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const double panelTop = top + static_cast<double>(i) * (panelHeight + gap);
        drawCapacityPanel(
            p, fonts, panels[i], QRectF(left, panelTop, right - left, panelHeight), time, onDemand, mixedModes);
    }
    drawText(p, fonts.label, kText, QRectF(left, size.height() - fonts.px(24), right - left, fonts.px(20)),
        Qt::AlignCenter, timeAxisTitle(time.end - time.first));
    return image;
}

QImage heatMap(const TableResult& table, QSize size, const HeatColouring& colouring)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const Fonts fonts(size);
    const QString name = QString::fromStdString(table.name);
    drawTitle(p, fonts, size, QStringLiteral("%1: partition heat map").arg(name));

    // Rows: partition ids in order of first appearance (by minute, then by order in the data).
    struct RowInfo {
        std::int64_t id;
        std::int64_t firstMinute;
        std::int64_t lastMinute;
        std::size_t seen;
    };
    std::unordered_map<std::int64_t, std::size_t> indexOf;
    std::vector<RowInfo> infos;
    std::int64_t firstMinute = std::numeric_limits<std::int64_t>::max();
    std::int64_t lastMinute = std::numeric_limits<std::int64_t>::min();
    for (const auto& pm : table.partitionMinutes) {
        auto [it, inserted] = indexOf.try_emplace(pm.partition, infos.size());
        if (inserted) {
            infos.push_back({ pm.partition, pm.minute, pm.minute, infos.size() });
        } else {
            RowInfo& info = infos[it->second];
            info.firstMinute = std::min(info.firstMinute, pm.minute);
            info.lastMinute = std::max(info.lastMinute, pm.minute);
        }
        firstMinute = std::min(firstMinute, pm.minute);
        lastMinute = std::max(lastMinute, pm.minute);
    }
    std::stable_sort(infos.begin(), infos.end(), [](const RowInfo& a, const RowInfo& b) {
        return a.firstMinute != b.firstMinute ? a.firstMinute < b.firstMinute : a.seen < b.seen;
    });
    std::unordered_map<std::int64_t, int> rowOf;
    for (std::size_t i = 0; i < infos.size(); ++i)
        rowOf[infos[i].id] = static_cast<int>(i);

    // The legend explains grey and the split marks only when the map has them.
    const bool hasSplits = std::any_of(
        infos.begin(), infos.end(), [firstMinute](const RowInfo& info) { return info.firstMinute > firstMinute; });
    const bool hasRetired = std::any_of(
        infos.begin(), infos.end(), [lastMinute](const RowInfo& info) { return info.lastMinute < lastMinute; });
    std::vector<LegendItem> legend;
    if (hasSplits || hasRetired) {
        legend.push_back({ LegendItem::Swatch::Bar, kNoPartitionGrey,
            QStringLiteral("partition does not exist (not yet created, or split)") });
    }
    if (hasSplits)
        legend.push_back({ LegendItem::Swatch::Triangle, 0xff000000, QStringLiteral("created by a split") });
    const double left = fonts.axisMargin();
    const double right = size.width()
        - std::max(fonts.px(150),
            fonts.px(52) + QFontMetricsF(fonts.bold).horizontalAdvance(QStringLiteral("150%"))
                + QFontMetricsF(fonts.label).height() + fonts.px(20));
    const double legendHeight = drawLegend(p, fonts, legend, QRectF(left, fonts.px(44), right - left, size.height()));
    const QRect plot(QPoint(static_cast<int>(left), static_cast<int>(fonts.px(44) + legendHeight + fonts.px(14))),
        QPoint(static_cast<int>(right), static_cast<int>(size.height() - fonts.px(50))));
    if (infos.empty() || plot.height() < 10 || plot.width() < 10) {
        drawNoData(p, fonts, QRectF(plot), QStringLiteral("no partition minutes recorded for %1").arg(name));
        return image;
    }

    const std::int64_t span = lastMinute - firstMinute + 1;
    const int rowCount = static_cast<int>(infos.size());
    // One pixel column per minute, or per group of minutes when they outnumber the plot's pixel
    // columns; a group shows its hottest minute so short bursts survive.
    const int columns = static_cast<int>(std::min<std::int64_t>(span, plot.width()));
    std::vector<float> cells(static_cast<std::size_t>(columns) * static_cast<std::size_t>(rowCount), -1.0F);
    std::int64_t lastId = std::numeric_limits<std::int64_t>::min();
    int lastRow = 0;
    for (const auto& pm : table.partitionMinutes) {
        if (pm.partition != lastId) {
            lastId = pm.partition;
            lastRow = rowOf[pm.partition];
        }
        const auto column = static_cast<std::size_t>((pm.minute - firstMinute) * columns / span);
        float& cell = cells[static_cast<std::size_t>(lastRow) * static_cast<std::size_t>(columns) + column];
        cell = std::max(cell, static_cast<float>(std::max(0.0, heatValue(pm, colouring))));
    }
    QImage cellsImage(columns, rowCount, QImage::Format_RGB32);
    for (int row = 0; row < rowCount; ++row) {
        auto* line = reinterpret_cast<QRgb*>(cellsImage.scanLine(row));
        const float* source = cells.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(columns);
        for (int c = 0; c < columns; ++c)
            line[c] = source[c] < 0 ? kNoPartitionGrey : utilisationColour(source[c]);
    }
    p.drawImage(plot.topLeft(), cellsImage.scaled(plot.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation));

    const Frame f { QRectF(plot), static_cast<double>(firstMinute), static_cast<double>(lastMinute + 1), 0,
        static_cast<double>(rowCount) };
    const double rowHeight = plot.height() / static_cast<double>(rowCount);
    const auto rowTop = [&](int row) { return plot.top() + row * rowHeight; };

    if (rowHeight >= 6) {
        p.setPen(QPen(QColor(255, 255, 255), 1));
        for (int row = 1; row < rowCount; ++row) {
            const double y = std::round(rowTop(row)) - 0.5;
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right() + 1, y));
        }
    }

    // Split marks: a dotted line at each minute partitions appeared, and a triangle at the start
    // of each new row.
    std::set<std::int64_t> splitMinutes;
    for (const auto& info : infos) {
        if (info.firstMinute > firstMinute)
            splitMinutes.insert(info.firstMinute);
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    if (splitMinutes.size() <= 60) {
        QPen pen(QColor(0, 0, 0, 110), 1);
        pen.setStyle(Qt::DotLine);
        p.setPen(pen);
        for (const std::int64_t m : splitMinutes) {
            const double x = std::round(f.px(static_cast<double>(m))) + 0.5;
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom() + 1));
        }
    }
    const double triangle = std::clamp(rowHeight * 0.35, 3.0, fonts.px(8));
    p.setPen(QPen(Qt::white, 1));
    p.setBrush(Qt::black);
    for (int row = 0; row < rowCount; ++row) {
        if (infos[static_cast<std::size_t>(row)].firstMinute <= firstMinute)
            continue;
        const double x = f.px(static_cast<double>(infos[static_cast<std::size_t>(row)].firstMinute));
        const double y = rowTop(row) + rowHeight / 2;
        p.drawPolygon(
            QPolygonF({ QPointF(x, y - triangle), QPointF(x + triangle * 1.4, y), QPointF(x, y + triangle) }));
    }
    p.setBrush(Qt::NoBrush);
    p.setRenderHint(QPainter::Antialiasing, false);

    // Axes: time below, partition ids left (every k-th row when rows are thinner than the text).
    const TimeAxis time = timeAxisFor(firstMinute, lastMinute + 1, plot.width(), fonts);
    {
        const std::int64_t start = ((time.first + time.step - 1) / time.step) * time.step;
        for (std::int64_t m = start; m <= time.end; m += time.step) {
            const double x = std::round(f.px(static_cast<double>(m))) + 0.5;
            p.setPen(QPen(QColor::fromRgb(kAxis), 1));
            p.drawLine(QPointF(x, plot.bottom() + 1), QPointF(x, plot.bottom() + 1 + fonts.px(4)));
            drawText(p, fonts.small, kText, QRectF(x - 60, plot.bottom() + fonts.px(6), 120, fonts.px(16)),
                Qt::AlignHCenter | Qt::AlignTop, timeLabel(m, span, time.step));
        }
    }
    drawText(p, fonts.label, kText, QRectF(left, size.height() - fonts.px(24), right - left, fonts.px(20)),
        Qt::AlignCenter, timeAxisTitle(span));
    const QFontMetricsF smallMetrics(fonts.small);
    const int every = std::max(1, static_cast<int>(std::ceil(smallMetrics.height() * 1.1 / rowHeight)));
    for (int row = 0; row < rowCount; row += every) {
        const double y = rowTop(row) + rowHeight / 2;
        drawText(p, fonts.small, kText, QRectF(plot.left() - fonts.px(60), y - 10, fonts.px(54), 20),
            Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("p%1").arg(infos[static_cast<std::size_t>(row)].id));
    }
    drawVerticalText(p, fonts.label, kText, QPointF(fonts.edgeTitleOffset(), plot.center().y()),
        QStringLiteral("partition (in order of creation)"));
    p.setPen(QPen(QColor::fromRgb(kAxis), 1));
    p.drawRect(plot.adjusted(0, 0, 1, 1).adjusted(-1, -1, 0, 0));

    // Colour scale: the ramp from 0 to 150 % of the partition limit, 100 % marked.
    const QRectF bar(plot.right() + fonts.px(24), plot.top(), fonts.px(18), plot.height());
    for (int y = 0; y < static_cast<int>(bar.height()); ++y) {
        const double u = kRampMax * (1.0 - (y + 0.5) / bar.height());
        p.fillRect(QRectF(bar.left(), bar.top() + y, bar.width(), 1), QColor::fromRgb(utilisationColour(u)));
    }
    p.setPen(QPen(QColor::fromRgb(kAxis), 1));
    p.drawRect(bar);
    for (int i = 0; i <= 6; ++i) {
        const double u = i * 0.25;
        const double y = std::round(bar.bottom() - u / kRampMax * bar.height()) + 0.5;
        p.setPen(QPen(QColor::fromRgb(kAxis), i == 4 ? 2 : 1));
        p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + fonts.px(i == 4 ? 8 : 4), y));
        drawText(p, i == 4 ? fonts.bold : fonts.small, kText,
            QRectF(bar.right() + fonts.px(10), y - 10, fonts.px(60), 20), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("%1%").arg(i * 25));
    }
    drawVerticalText(p, fonts.label, kText, QPointF(size.width() - fonts.edgeTitleOffset(), bar.center().y()),
        QString::fromStdString(heatLegend(colouring)));
    return image;
}

QImage costChart(const RunResult& run, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const Fonts fonts(size);
    const QLocale english(QLocale::English);
    const auto usd = [&english](double v) {
        const QString amount = QStringLiteral("$") + english.toString(std::abs(v), 'f', 4);
        return v < 0 && std::abs(v) >= 0.00005 ? QStringLiteral("−") + amount : amount;
    };
    drawTitle(p, fonts, size,
        QStringLiteral("%1: cost over time (cumulative, %2)")
            .arg(QString::fromStdString(run.scenario.empty() ? std::string("run") : run.scenario),
                QString::fromStdString(run.currency)));

    // Per table, cost to date at the end of each minute, and the run's total.
    std::vector<std::vector<const MinuteRow*>> rowsPerTable;
    for (const auto& t : run.tables)
        rowsPerTable.push_back(minutesInOrder(t.minutes));
    const std::vector<MinuteCost> totalCost = totalCostByMinute(run);
    const double left = fonts.axisMargin();
    const double right = size.width() - fonts.px(40);
    const QRectF plot(left, fonts.px(56), right - left, size.height() - fonts.px(56) - fonts.px(64));
    if (totalCost.empty()) {
        drawNoData(p, fonts, plot, QStringLiteral("no minutes recorded"));
        return image;
    }
    std::vector<QPointF> total;
    total.reserve(totalCost.size() + 1);
    total.emplace_back(static_cast<double>(totalCost.front().minute), 0);
    for (const MinuteCost& c : totalCost)
        total.emplace_back(static_cast<double>(c.minute + 1), c.costToDate);
    double top = 0;
    for (const auto& pt : total)
        top = std::max(top, pt.y());
    for (const auto& rows : rowsPerTable) {
        for (const auto* r : rows)
            top = std::max(top, r->costToDate);
    }

    const QFontMetricsF metrics(fonts.small);
    const AxisScale values = niceScale(
        0, top > 0 ? top * 1.05 : 0.0001, std::max(2, static_cast<int>(plot.height() / (metrics.height() * 2.6))));
    const TimeAxis time = timeAxisFor(totalCost.front().minute, totalCost.back().minute + 1, plot.width(), fonts);
    const Frame f { plot, static_cast<double>(time.first), static_cast<double>(time.end), values.min, values.max };
    drawTimeGrid(p, f, time, fonts, true);
    drawValueAxis(p, f, values, fonts, Side::Left, kText, QStringLiteral("$"), 2);
    drawText(p, fonts.label, kText, QRectF(left, size.height() - fonts.px(34), right - left, fonts.px(20)),
        Qt::AlignCenter, timeAxisTitle(time.end - time.first));
    drawVerticalText(p, fonts.label, kText, QPointF(fonts.edgeTitleOffset(), plot.center().y()),
        QStringLiteral("cost to date (%1)").arg(QString::fromStdString(run.currency)));

    p.save();
    p.setClipRect(plot.adjusted(-2, -2, 2, 2));
    p.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t t = 0; t < rowsPerTable.size(); ++t) {
        if (rowsPerTable[t].empty())
            continue;
        std::vector<QPointF> samples;
        samples.reserve(rowsPerTable[t].size() + 1);
        samples.emplace_back(static_cast<double>(rowsPerTable[t].front()->minute), 0);
        for (const auto* r : rowsPerTable[t])
            samples.emplace_back(static_cast<double>(r->minute + 1), r->costToDate);
        p.setPen(QPen(QColor::fromRgb(kSeriesColours[t % kSeriesColours.size()]), 2));
        p.drawPolyline(decimate(samples, f));
    }
    if (run.tables.size() > 1) {
        QPen pen(QColor::fromRgb(kText), 2.4);
        pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawPolyline(decimate(total, f));
    }
    p.restore();
    drawFrameBorder(p, f);

    // Breakdown box in the plot's top-left corner (cumulative cost starts at zero, so that
    // corner is normally empty); its swatches double as the lines' legend.
    // The data features (PITR, backups, restores, exports, imports, stream reads) get a column
    // only in runs that pay for them.
    const bool dataColumn = std::any_of(
        run.tables.begin(), run.tables.end(), [](const TableResult& t) { return t.cost.dataFeatures() != 0; });
    QStringList headers = { QStringLiteral("table"), QStringLiteral("read"), QStringLiteral("write"),
        QStringLiteral("storage"), QStringLiteral("free tier"), QStringLiteral("total") };
    if (dataColumn)
        headers.insert(5, QStringLiteral("backups & data"));
    std::vector<QStringList> cells;
    std::vector<QRgb> swatches;
    for (std::size_t t = 0; t < run.tables.size(); ++t) {
        const auto& table = run.tables[t];
        cells.push_back({ QString::fromStdString(table.name), usd(table.cost.read), usd(table.cost.write),
            usd(table.cost.storage), usd(table.cost.freeTier), usd(table.cost.total()) });
        if (dataColumn)
            cells.back().insert(5, usd(table.cost.dataFeatures()));
        swatches.push_back(kSeriesColours[t % kSeriesColours.size()]);
    }
    const double lineHeight = metrics.height() + fonts.px(5);
    const auto maxRows = static_cast<std::size_t>(std::max(1.0, (plot.height() * 0.6) / lineHeight - 3));
    std::size_t hidden = 0;
    if (cells.size() > maxRows) {
        hidden = cells.size() - maxRows;
        cells.resize(maxRows);
        swatches.resize(maxRows);
    }
    if (run.tables.size() > 1) {
        CostBreakdown sum;
        for (const auto& table : run.tables) {
            sum.read += table.cost.read;
            sum.write += table.cost.write;
            sum.storage += table.cost.storage;
            sum.freeTier += table.cost.freeTier;
            sum.pitr += table.cost.dataFeatures();
        }
        cells.push_back(
            { hidden > 0 ? QStringLiteral("all %1 tables").arg(run.tables.size()) : QStringLiteral("all tables"),
                usd(sum.read), usd(sum.write), usd(sum.storage), usd(sum.freeTier), usd(sum.total()) });
        if (dataColumn)
            cells.back().insert(5, usd(sum.dataFeatures()));
        swatches.push_back(0);
    }
    const double swatchWidth = fonts.px(24);
    std::vector<double> widths(headers.size(), 0);
    // Headers and the total row are bold, hence measured with the bold font.
    const QFontMetricsF boldMetrics(fonts.bold);
    for (qsizetype c = 0; c < headers.size(); ++c)
        widths[static_cast<std::size_t>(c)] = boldMetrics.horizontalAdvance(headers[c]);
    for (const auto& row : cells) {
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[static_cast<std::size_t>(c)]
                = std::max(widths[static_cast<std::size_t>(c)], boldMetrics.horizontalAdvance(row[c]));
    }
    widths[0] = std::min(widths[0], fonts.px(220));
    const double padding = fonts.px(10);
    const double columnGap = fonts.px(16);
    double boxWidth = 2 * padding + swatchWidth;
    for (const double w : widths)
        boxWidth += w;
    boxWidth += columnGap * static_cast<double>(widths.size() - 1);
    const double boxHeight = 2 * padding + lineHeight * static_cast<double>(cells.size() + 1 + (hidden > 0 ? 1 : 0));
    const QRectF box(plot.left() + fonts.px(14), plot.top() + fonts.px(14), boxWidth, boxHeight);
    p.fillRect(box, QColor(255, 255, 255, 235));
    p.setPen(QPen(QColor(190, 190, 190), 1));
    p.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5));
    const auto drawRow = [&](double y, const QStringList& row, bool header, QRgb swatch) {
        double x = box.left() + padding;
        if (swatch != 0) {
            LegendItem item { LegendItem::Swatch::Line, swatch, QString() };
            drawSwatch(p, item, QRectF(x, y + lineHeight / 2 - 5, swatchWidth - fonts.px(6), 10));
        } else if (!header && run.tables.size() > 1) {
            LegendItem item { LegendItem::Swatch::DashedLine, kText, QString() };
            drawSwatch(p, item, QRectF(x, y + lineHeight / 2 - 5, swatchWidth - fonts.px(6), 10));
        }
        x += swatchWidth;
        for (qsizetype c = 0; c < row.size(); ++c) {
            const double w = widths[static_cast<std::size_t>(c)];
            const QString text = c == 0 ? metrics.elidedText(row[c], Qt::ElideRight, w) : row[c];
            drawText(p, header || (swatch == 0 && run.tables.size() > 1) ? fonts.bold : fonts.small,
                header ? kMutedText : kText, QRectF(x, y, w, lineHeight),
                (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, text);
            x += w + columnGap;
        }
    };
    double y = box.top() + padding;
    drawRow(y, headers, true, 0);
    y += lineHeight;
    for (std::size_t r = 0; r < cells.size(); ++r) {
        drawRow(y, cells[r], false, swatches[r]);
        y += lineHeight;
        if (hidden > 0 && r + 1 == maxRows) {
            drawText(p, fonts.small, kMutedText, QRectF(box.left() + padding + swatchWidth, y, boxWidth, lineHeight),
                Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("… %1 more tables").arg(hidden));
            y += lineHeight;
        }
    }

    if (!run.pricingLabel.empty()) {
        drawText(p, fonts.small, kMutedText, QRectF(left, size.height() - fonts.px(20), right - left, fonts.px(18)),
            Qt::AlignRight | Qt::AlignVCenter,
            QStringLiteral("pricing: %1").arg(QString::fromStdString(run.pricingLabel)));
    }
    return image;
}

QString chartFileStem(const std::string& tableName)
{
    QString stem = QString::fromStdString(tableName);
    for (auto& c : stem) {
        const bool safe = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || c == QLatin1Char('.') || c == QLatin1Char('-') || c == QLatin1Char('_');
        if (!safe)
            c = QLatin1Char('_');
    }
    // A stem of dots alone would name the directory itself or its parent.
    if (stem.isEmpty() || stem.count(QLatin1Char('.')) == stem.size())
        stem = QStringLiteral("table") + stem.replace(QLatin1Char('.'), QLatin1Char('_'));
    return stem;
}

bool writeCharts(const RunResult& run, const QString& directory, QString* error)
{
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral(".")))
        return fail(QStringLiteral("cannot create the chart directory %1").arg(directory));
    const auto save = [&](const QImage& image, const QString& fileName) {
        const QString path = dir.filePath(fileName);
        return image.save(path, "PNG") || fail(QStringLiteral("cannot write the chart %1").arg(path));
    };
    std::set<QString> used;
    for (std::size_t i = 0; i < run.tables.size(); ++i) {
        const auto& table = run.tables[i];
        QString stem = chartFileStem(table.name);
        // Two names may sanitise alike ("a b", "a_b"); the later table gets its position appended.
        if (!used.insert(stem.toLower()).second) {
            stem += QStringLiteral("-%1").arg(i + 1);
            used.insert(stem.toLower());
        }
        const QImage capacity = capacityChart(table, run.events);
        const QImage heat = heatMap(table, QSize(1400, 700), heatColouring(run, HeatMeasure::OwnLimit));
        if (!save(capacity, QStringLiteral("capacity-%1.png").arg(stem))
            || !save(heat, QStringLiteral("heatmap-%1.png").arg(stem)))
            return false;
        if (i == 0 && !(save(capacity, QStringLiteral("capacity.png")) && save(heat, QStringLiteral("heatmap.png"))))
            return false;
    }
    return save(costChart(run), QStringLiteral("cost.png"));
}

} // namespace capsim::report
