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
#include <QSplitter>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

namespace {

// One dimension's chart: provisioned (or the on-demand ceiling) as a step line, consumed as an
// area, throttled requests per minute as a red area on the right axis.
struct Panel {
    bool reads = true;
    QChart* chart = nullptr;
    ZoomChartView* view = nullptr;
    charts::TimeAxis* time = nullptr;
    QValueAxis* units = nullptr;
    QValueAxis* throttles = nullptr;
    QAreaSeries* consumedArea = nullptr;
    QAreaSeries* throttledArea = nullptr;
    std::vector<DecimatedSeries> series; // provisioned, consumed, throttled
};

QLineSeries* namedLine(const char* objectName)
{
    auto* series = new QLineSeries;
    series->setObjectName(QString::fromLatin1(objectName));
    return series;
}

} // namespace

struct CapacityPage::Private {
    capsim::appcore::RunSnapshot run;
    TableSelector* tables = nullptr;
    QLabel* hoverLabel = nullptr;
    std::array<Panel, 2> panels;
    bool syncing = false;

    const TableResult* table() const { return tables->table(); }
};

CapacityPage::CapacityPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
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

    auto* splitter = new QSplitter(Qt::Vertical);
    for (std::size_t i = 0; i < d->panels.size(); ++i) {
        Panel& panel = d->panels[i];
        panel.reads = i == 0;
        panel.chart = new QChart;
        panel.chart->setTitle(panel.reads ? tr("Reads") : tr("Writes"));
        panel.chart->legend()->setAlignment(Qt::AlignTop);
        panel.chart->setMargins(QMargins(4, 4, 4, 4));
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
        panel.units->setTitleText(panel.reads ? tr("read units/s") : tr("write units/s"));
        panel.units->setLabelFormat(QStringLiteral("%.0f"));
        panel.throttles = new QValueAxis;
        panel.throttles->setTitleText(tr("throttled/min"));
        panel.throttles->setLabelFormat(QStringLiteral("%.0f"));
        panel.throttles->setLabelsColor(QColor(0xa0, 0x18, 0x18));
        panel.throttles->setTitleBrush(QColor(0xa0, 0x18, 0x18));
        panel.throttles->setGridLineVisible(false);
        panel.chart->addAxis(panel.time, Qt::AlignBottom);
        panel.chart->addAxis(panel.units, Qt::AlignLeft);
        panel.chart->addAxis(panel.throttles, Qt::AlignRight);
        for (QAbstractSeries* s : { static_cast<QAbstractSeries*>(panel.consumedArea),
                 static_cast<QAbstractSeries*>(provisioned) }) {
            s->attachAxis(panel.time);
            s->attachAxis(panel.units);
        }
        panel.throttledArea->attachAxis(panel.time);
        panel.throttledArea->attachAxis(panel.throttles);
        panel.series = { DecimatedSeries(provisioned), DecimatedSeries(consumed), DecimatedSeries(throttled) };

        panel.view = new ZoomChartView(panel.chart);
        panel.view->setObjectName(panel.reads ? QStringLiteral("readsChart") : QStringLiteral("writesChart"));
        splitter->addWidget(panel.view);
    }
    layout->addWidget(splitter, 1);

    for (std::size_t i = 0; i < d->panels.size(); ++i) {
        Panel& panel = d->panels[i];
        Panel& other = d->panels[1 - i];
        connect(panel.view, &ZoomChartView::xRangeChanged, this, [this, &panel, &other](double lo, double hi) {
            for (const auto& s : panel.series)
                s.show(lo, hi);
            if (d->syncing)
                return;
            d->syncing = true;
            other.view->setXRange(lo, hi, panel.view->isZoomed());
            d->syncing = false;
        });
        connect(panel.view, &ZoomChartView::hovered, this, [this, &other](double x) {
            other.view->setHoverX(x);
            const TableResult* table = d->table();
            if (!table || table->minutes.empty())
                return;
            const auto minute = static_cast<std::int64_t>(std::floor(x));
            const auto it = std::lower_bound(table->minutes.begin(), table->minutes.end(), minute,
                [](const MinuteRow& r, std::int64_t m) { return r.minute < m; });
            if (it == table->minutes.end() || it->minute != minute)
                return;
            const bool onDemand = table->billingMode == BillingMode::PayPerRequest;
            const auto part = [&](const QString& name, double provisioned, double consumed, std::int64_t requests,
                                  std::int64_t throttled) {
                return tr("<b>%1</b>: %2 %3 · consumed %4 units/s · %5 requests · <span style='color:#b01c1c'>%6 "
                          "throttled</span>")
                    .arg(name, onDemand ? tr("ceiling") : tr("provisioned"), formatNumber(provisioned, 1),
                        formatNumber(consumed, 2), formatNumber(static_cast<double>(requests), 0),
                        formatNumber(static_cast<double>(throttled), 0));
            };
            d->hoverLabel->setText(
                tr("<b>%1</b> &nbsp; %2 &nbsp;|&nbsp; %3")
                    .arg(formatClock(static_cast<double>(minute) * 60, d->run->simulatedSeconds, false),
                        part(tr("Reads"), it->provisionedRead, it->consumedRead, it->requestsRead, it->throttledRead),
                        part(tr("Writes"), it->provisionedWrite, it->consumedWrite, it->requestsWrite,
                            it->throttledWrite)));
        });
        connect(panel.view, &ZoomChartView::left, this, [&other] { other.view->setHoverX(std::nullopt); });
        connect(panel.view, &ZoomChartView::clicked, this, [this](double x) { emit timeSelected(x * 60); });
    }
    connect(reset, &QPushButton::clicked, this, [this] { d->panels[0].view->resetZoom(); });
    connect(d->tables, &TableSelector::tableChosen, this, [this] {
        d->panels[0].view->resetZoom();
        setRun(d->run, true);
    });
}

CapacityPage::~CapacityPage() = default;

void CapacityPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->tables->setRun(d->run);
    const TableResult* table = d->table();
    const std::vector<MinuteRow> none;
    const std::vector<MinuteRow>& minutes = table ? table->minutes : none;
    const bool onDemand = table && table->billingMode == BillingMode::PayPerRequest;
    const double runMinutes = d->run ? std::max(1.0, std::ceil(d->run->simulatedSeconds / 60.0)) : 1.0;
    const double first = minutes.empty() ? 0.0 : static_cast<double>(minutes.front().minute);
    const double end = minutes.empty() ? runMinutes : std::max(static_cast<double>(minutes.back().minute + 1), runMinutes);
    const auto minuteOf = [](const MinuteRow& r) { return static_cast<double>(r.minute); };

    for (Panel& panel : d->panels) {
        const bool reads = panel.reads;
        const Dimension dim = reads ? Dimension::Read : Dimension::Write;
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
        panel.view->setMarkers(d->run && table ? charts::eventMarkers(d->run->events, d->tables->eventTable(),
                                                     reads ? charts::EventDimension::Read : charts::EventDimension::Write)
                                               : std::vector<ZoomChartView::Marker>());
        panel.chart->setTitle(table ? tr("%1: %2").arg(d->tables->label(), reads ? tr("reads") : tr("writes"))
                                    : (reads ? tr("Reads") : tr("Writes")));
    }
    // setDataRange announces the range, which shows the series in both panels.
    d->syncing = true;
    d->panels[1].view->setDataRange(first, end);
    d->syncing = false;
    d->panels[0].view->setDataRange(first, end);
}

void CapacityPage::showTime(double seconds)
{
    const double minute = seconds / 60.0;
    ZoomChartView* view = d->panels[0].view;
    const double full = view->dataMax() - view->dataMin();
    const double width
        = view->isZoomed() ? view->visibleMax() - view->visibleMin() : std::min(full, std::max(30.0, full / 6));
    view->setXRange(minute - width / 2, minute + width / 2, width < full);
    for (Panel& panel : d->panels)
        panel.view->setSelectedX(minute);
}

} // namespace capsim::studio
