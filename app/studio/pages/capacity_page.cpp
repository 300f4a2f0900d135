#include "app/studio/pages/capacity_page.h"

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/event_markers.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/models/display_format.h"
#include "app/studio/table_selector.h"
#include "simulator/results_view.h"

#include <QAreaSeries>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

namespace {

// One dimension's chart: provisioned (or the on-demand ceiling) as a step line, consumed as an
// area, throttled requests per minute as a red area on the right axis. The chosen entry gets a
// reads and a writes panel; when the entry is a table, each of its GSIs follows with the panels
// indexChartDimensions gives it (its own capacity: a GSI short of write capacity throttles the
// table's writes, and its panel shows those throttles).
struct Panel {
    Dimension dimension = Dimension::Read;
    int index = -1; // the GSI's position in the chosen table's `indexes`; -1: the chosen entry itself
    std::string indexName; // the GSI's name, empty for the entry's own panels
    QChart* chart = nullptr;
    ZoomChartView* view = nullptr;
    charts::TimeAxis* time = nullptr;
    QValueAxis* units = nullptr;
    QValueAxis* throttles = nullptr;
    QAreaSeries* consumedArea = nullptr;
    QAreaSeries* throttledArea = nullptr;
    std::vector<DecimatedSeries> series; // provisioned, consumed, throttled
    QBrush titleBrush; // the theme's, for a panel without throttles
    QMarginsF extra; // added to the chart's margins to line its plot area up with the others'
};

QLineSeries* namedLine(const char* objectName)
{
    auto* series = new QLineSeries;
    series->setObjectName(QString::fromLatin1(objectName));
    return series;
}

const QColor kThrottleText(0xa0, 0x18, 0x18);

// Panels keep a usable height; more than fit the page scroll.
constexpr int kMinPanelHeight = 240;
const QMargins kChartMargins(4, 4, 4, 4);

} // namespace

struct CapacityPage::Private {
    CapacityPage* page = nullptr;
    capsim::appcore::RunSnapshot run;
    TableSelector* tables = nullptr;
    QLabel* hoverLabel = nullptr;
    QSplitter* splitter = nullptr;
    // The chosen entry's reads and writes, then its GSIs' panels.
    std::vector<std::unique_ptr<Panel>> panels;
    bool syncing = false;
    bool alignPending = false;

    const TableResult* table() const { return tables->table(); }
    // The figures a panel shows: the chosen entry's, or one of its GSIs'.
    const TableResult* sourceOf(const Panel& panel) const
    {
        const TableResult* entry = table();
        if (!entry || panel.index < 0)
            return entry;
        if (panel.index >= static_cast<int>(entry->indexes.size()))
            return nullptr;
        return &entry->indexes[static_cast<std::size_t>(panel.index)];
    }

    Panel& addPanel(Dimension dimension, int index, const std::string& indexName);
    void syncIndexPanels();
    void fill(Panel& panel, double first, double end);
    void hover(const Panel& panel, double x);
    void alignPlotAreas();
};

Panel& CapacityPage::Private::addPanel(Dimension dimension, int index, const std::string& indexName)
{
    panels.push_back(std::make_unique<Panel>());
    Panel& panel = *panels.back();
    panel.dimension = dimension;
    panel.index = index;
    panel.indexName = indexName;
    const bool reads = dimension == Dimension::Read;
    panel.chart = new QChart;
    panel.chart->legend()->setAlignment(Qt::AlignTop);
    panel.chart->setMargins(kChartMargins);
    panel.titleBrush = panel.chart->titleBrush();
    auto* consumed = namedLine("consumed");
    panel.consumedArea = new QAreaSeries(consumed);
    panel.consumedArea->setObjectName(QStringLiteral("consumedArea"));
    panel.consumedArea->setName(tr("consumed (units/s)"));
    panel.consumedArea->setColor(QColor::fromRgb(0xa9cdee));
    panel.consumedArea->setBorderColor(QColor(0x2f, 0x75, 0xb5));
    auto* throttled = namedLine("throttled");
    panel.throttledArea = new QAreaSeries(throttled);
    panel.throttledArea->setObjectName(QStringLiteral("throttledArea"));
    panel.throttledArea->setName(tr("throttled (requests/min, right axis)"));
    panel.throttledArea->setColor(QColor(0xd6, 0x27, 0x28, 90));
    panel.throttledArea->setBorderColor(QColor(0xd6, 0x27, 0x28));
    auto* provisioned = namedLine("provisioned");
    QPen pen(QColor(0x1b, 0x2a, 0x49));
    pen.setWidthF(2);
    provisioned->setPen(pen);
    // Throttles go underneath, so consumed capacity and the provisioned line stay visible
    // where a table throttles heavily.
    panel.chart->addSeries(panel.throttledArea);
    panel.chart->addSeries(panel.consumedArea);
    panel.chart->addSeries(provisioned);

    panel.time = new charts::TimeAxis;
    panel.units = new QValueAxis;
    panel.units->setTitleText(reads ? tr("read units/s") : tr("write units/s"));
    panel.units->setLabelFormat(QStringLiteral("%.0f"));
    panel.throttles = new QValueAxis;
    panel.throttles->setTitleText(tr("throttled/min"));
    panel.throttles->setLabelFormat(QStringLiteral("%.0f"));
    panel.throttles->setLabelsColor(kThrottleText);
    panel.throttles->setTitleBrush(kThrottleText);
    panel.throttles->setGridLineVisible(false);
    panel.chart->addAxis(panel.time, Qt::AlignBottom);
    panel.chart->addAxis(panel.units, Qt::AlignLeft);
    panel.chart->addAxis(panel.throttles, Qt::AlignRight);
    for (QAbstractSeries* s :
        { static_cast<QAbstractSeries*>(panel.consumedArea), static_cast<QAbstractSeries*>(provisioned) }) {
        s->attachAxis(panel.time);
        s->attachAxis(panel.units);
    }
    panel.throttledArea->attachAxis(panel.time);
    panel.throttledArea->attachAxis(panel.throttles);
    panel.series = { DecimatedSeries(provisioned), DecimatedSeries(consumed), DecimatedSeries(throttled) };

    panel.view = new ZoomChartView(panel.chart);
    const QString dimensionName = reads ? QStringLiteral("reads") : QStringLiteral("writes");
    panel.view->setObjectName(index < 0
            ? dimensionName + QStringLiteral("Chart")
            : QStringLiteral("gsiChart/%1/%2").arg(QString::fromStdString(indexName), dimensionName));
    panel.view->setMinimumHeight(kMinPanelHeight);
    splitter->addWidget(panel.view);

    Panel* self = &panel;
    connect(panel.chart, &QChart::plotAreaChanged, page, [this] {
        if (alignPending)
            return;
        alignPending = true;
        QMetaObject::invokeMethod(page, [this] { alignPlotAreas(); }, Qt::QueuedConnection);
    });
    connect(panel.view, &ZoomChartView::xRangeChanged, page, [this, self](double lo, double hi) {
        for (const auto& s : self->series)
            s.show(lo, hi);
        if (syncing)
            return;
        syncing = true;
        for (const auto& other : panels) {
            if (other.get() != self)
                other->view->setXRange(lo, hi, self->view->isZoomed());
        }
        syncing = false;
    });
    connect(panel.view, &ZoomChartView::hovered, page, [this, self](double x) { hover(*self, x); });
    connect(panel.view, &ZoomChartView::left, page, [this, self] {
        for (const auto& other : panels) {
            if (other.get() != self)
                other->view->setHoverX(std::nullopt);
        }
    });
    connect(panel.view, &ZoomChartView::clicked, page, [this](double x) { emit page->timeSelected(x * 60); });
    return panel;
}

// The GSI panels the chosen entry needs: none for an index or a table without GSIs. Panels are
// rebuilt only when that list changes, so progressive snapshots only update their series.
void CapacityPage::Private::syncIndexPanels()
{
    struct Wanted {
        int index;
        std::string name;
        Dimension dimension;
    };
    std::vector<Wanted> wanted;
    const TableResult* entry = table();
    if (entry && tables->indexIndex() < 0) {
        for (std::size_t i = 0; i < entry->indexes.size(); ++i) {
            for (const Dimension dim : indexChartDimensions(entry->indexes[i]))
                wanted.push_back({ static_cast<int>(i), entry->indexes[i].name, dim });
        }
    }
    bool same = panels.size() == 2 + wanted.size();
    for (std::size_t i = 0; same && i < wanted.size(); ++i) {
        const Panel& panel = *panels[2 + i];
        same = panel.index == wanted[i].index && panel.indexName == wanted[i].name
            && panel.dimension == wanted[i].dimension;
    }
    if (same)
        return;
    while (panels.size() > 2) {
        delete panels.back()->view; // its chart, series and axes with it
        panels.pop_back();
    }
    for (const Wanted& w : wanted)
        addPanel(w.dimension, w.index, w.name);
}

void CapacityPage::Private::fill(Panel& panel, double first, double end)
{
    const TableResult* source = sourceOf(panel);
    const std::vector<MinuteRow> none;
    const std::vector<MinuteRow>& minutes = source ? source->minutes : none;
    const bool onDemand = source && source->billingMode == BillingMode::PayPerRequest;
    const bool reads = panel.dimension == Dimension::Read;
    const Dimension dim = panel.dimension;
    const auto minuteOf = [](const MinuteRow& r) { return static_cast<double>(r.minute); };
    panel.series[0].series()->setName(onDemand ? tr("on-demand ceiling (units/s)") : tr("provisioned (units/s)"));
    panel.series[0].setPoints(charts::stepPoints<MinuteRow>(
        minutes, minuteOf, [dim](const MinuteRow& r) { return provisionedOf(r, dim); }));
    panel.series[1].setPoints(charts::stepPoints<MinuteRow>(
        minutes, minuteOf, [dim](const MinuteRow& r) { return consumedOf(r, dim); }));
    panel.series[2].setPoints(charts::stepPoints<MinuteRow>(
        minutes, minuteOf, [dim](const MinuteRow& r) { return static_cast<double>(throttledOf(r, dim)); }));
    double unitsMax = 1;
    double throttledMax = 0;
    for (const MinuteRow& r : minutes) {
        unitsMax = std::max({ unitsMax, provisionedOf(r, dim), consumedOf(r, dim) });
        throttledMax = std::max(throttledMax, static_cast<double>(throttledOf(r, dim)));
    }
    panel.units->setRange(0, unitsMax * 1.08);
    panel.units->applyNiceNumbers();
    panel.throttles->setRange(0, std::max(10.0, throttledMax * 1.08));
    panel.throttles->applyNiceNumbers();
    panel.time->setRunSpanMinutes(static_cast<std::int64_t>(end - first));
    std::string eventTable = tables->eventTable();
    if (panel.index >= 0)
        eventTable += "/" + panel.indexName;
    panel.view->setMarkers(run && source ? charts::eventMarkers(run->events, eventTable,
                                               reads ? charts::EventDimension::Read : charts::EventDimension::Write)
                                         : std::vector<ZoomChartView::Marker>());

    // The title names what the panel shows and, in red, how many requests it throttled: a GSI
    // that throttles its table stands out without reading the axes.
    QString title;
    if (!source)
        title = reads ? tr("Reads") : tr("Writes");
    else if (panel.index < 0)
        title = tr("%1: %2").arg(tables->label(), reads ? tr("reads") : tr("writes"));
    else if (reads)
        title = tr("GSI %1: reads").arg(QString::fromStdString(panel.indexName));
    else
        title = tr("GSI %1: writes (the table's writes that maintain it)").arg(QString::fromStdString(panel.indexName));
    const std::int64_t throttled = source ? throttledOf(*source, dim) : 0;
    if (throttled > 0)
        title += tr(" · %1 throttled requests").arg(formatNumber(static_cast<double>(throttled), 0));
    panel.chart->setTitle(title);
    panel.chart->setTitleBrush(throttled > 0 ? QBrush(kThrottleText) : panel.titleBrush);
}

void CapacityPage::Private::hover(const Panel& panel, double x)
{
    for (const auto& other : panels) {
        if (other.get() != &panel)
            other->view->setHoverX(x);
    }
    const TableResult* source = sourceOf(panel);
    if (!source || source->minutes.empty())
        return;
    const auto minute = static_cast<std::int64_t>(std::floor(x));
    const auto it = std::lower_bound(source->minutes.begin(), source->minutes.end(), minute,
        [](const MinuteRow& r, std::int64_t m) { return r.minute < m; });
    if (it == source->minutes.end() || it->minute != minute)
        return;
    const bool onDemand = source->billingMode == BillingMode::PayPerRequest;
    const auto part = [&](const QString& name, Dimension dim) {
        return tr("<b>%1</b>: %2 %3 · consumed %4 units/s · %5 requests · <span style='color:#b01c1c'>%6 "
                  "throttled</span>")
            .arg(name, onDemand ? tr("ceiling") : tr("provisioned"), formatNumber(provisionedOf(*it, dim), 1),
                formatNumber(consumedOf(*it, dim), 2), formatNumber(static_cast<double>(requestsOf(*it, dim)), 0),
                formatNumber(static_cast<double>(throttledOf(*it, dim)), 0));
    };
    const QString clock = formatClock(static_cast<double>(minute) * 60, run->simulatedSeconds, false);
    const QString figures = tr("%1 &nbsp;|&nbsp; %2").arg(part(tr("Reads"), Dimension::Read), part(tr("Writes"), Dimension::Write));
    hoverLabel->setText(panel.index < 0
            ? tr("<b>%1</b> &nbsp; %2").arg(clock, figures)
            : tr("<b>%1</b> &nbsp; GSI <b>%2</b> &nbsp; %3").arg(clock, QString::fromStdString(panel.indexName).toHtmlEscaped(), figures));
}

// Lines the panels' plot areas up (a GSI's axis labels are often narrower than its table's), so
// one moment sits at the same x in every panel: each chart's margins grow by what its axes
// leave short of the widest panel's.
void CapacityPage::Private::alignPlotAreas()
{
    alignPending = false;
    double left = 0, right = 0;
    const auto natural = [](const Panel& panel) {
        const QRectF plot = panel.chart->plotArea();
        return std::pair(plot.left() - panel.extra.left(), panel.chart->size().width() - plot.right() - panel.extra.right());
    };
    for (const auto& panel : panels) {
        if (panel->chart->plotArea().width() <= 0)
            return; // not laid out yet; its plotAreaChanged comes later
        const auto [l, r] = natural(*panel);
        left = std::max(left, l);
        right = std::max(right, r);
    }
    for (const auto& panel : panels) {
        const auto [l, r] = natural(*panel);
        const QMarginsF extra(std::round(left - l), 0, std::round(right - r), 0);
        if (extra == panel->extra)
            continue;
        panel->extra = extra;
        panel->chart->setMargins(kChartMargins + extra.toMargins());
    }
}

CapacityPage::CapacityPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->page = this;
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    d->tables = new TableSelector;
    bar->addWidget(d->tables);
    auto* hint = new QLabel(tr("Drag to zoom · wheel or right-drag to pan · Ctrl+wheel zooms · double-click shows the whole run"));
    hint->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(hint, 1);
    auto* reset = new QPushButton(tr("Whole run"));
    bar->addWidget(reset);
    layout->addLayout(bar);
    d->hoverLabel = new QLabel;
    d->hoverLabel->setObjectName(QStringLiteral("hoverLabel"));
    d->hoverLabel->setTextFormat(Qt::RichText);
    d->hoverLabel->setMinimumHeight(d->hoverLabel->fontMetrics().height() + 6);
    d->hoverLabel->setText(tr("Point at a chart to read its values."));
    layout->addWidget(d->hoverLabel);

    d->splitter = new QSplitter(Qt::Vertical);
    d->splitter->setChildrenCollapsible(false);
    d->addPanel(Dimension::Read, -1, {});
    d->addPanel(Dimension::Write, -1, {});
    // A table with several GSIs has more panels than fit: they scroll, the table's first.
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("capacityScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(d->splitter);
    layout->addWidget(scroll, 1);

    connect(reset, &QPushButton::clicked, this, [this] { d->panels.front()->view->resetZoom(); });
    connect(d->tables, &TableSelector::tableChosen, this, [this] {
        d->panels.front()->view->resetZoom();
        setRun(d->run, true);
    });
}

CapacityPage::~CapacityPage() = default;

void CapacityPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->tables->setRun(d->run);
    d->syncIndexPanels();
    const TableResult* table = d->table();
    const std::vector<MinuteRow> none;
    const std::vector<MinuteRow>& minutes = table ? table->minutes : none;
    const double runMinutes = d->run ? std::max(1.0, std::ceil(d->run->simulatedSeconds / 60.0)) : 1.0;
    const double first = minutes.empty() ? 0.0 : static_cast<double>(minutes.front().minute);
    const double end = minutes.empty() ? runMinutes : std::max(static_cast<double>(minutes.back().minute + 1), runMinutes);
    for (auto& panel : d->panels)
        d->fill(*panel, first, end);
    // setDataRange announces the range, which shows the series in every panel.
    d->syncing = true;
    for (std::size_t i = 1; i < d->panels.size(); ++i)
        d->panels[i]->view->setDataRange(first, end);
    d->syncing = false;
    d->panels.front()->view->setDataRange(first, end);
}

void CapacityPage::showTime(double seconds)
{
    const double minute = seconds / 60.0;
    ZoomChartView* view = d->panels.front()->view;
    const double full = view->dataMax() - view->dataMin();
    const double width
        = view->isZoomed() ? view->visibleMax() - view->visibleMin() : std::min(full, std::max(30.0, full / 6));
    view->setXRange(minute - width / 2, minute + width / 2, width < full);
    for (auto& panel : d->panels)
        panel->view->setSelectedX(minute);
}

} // namespace capsim::studio
