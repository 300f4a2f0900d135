#include "app/studio/pages/latency_page.h"

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/latency_model.h"
#include "app/studio/table_selector.h"

#include <QAreaSeries>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

struct LatencyPage::Private {
    capsim::appcore::RunSnapshot run;
    TableSelector* tables = nullptr;
    QLabel* hoverLabel = nullptr;
    QChart* chart = nullptr;
    ZoomChartView* view = nullptr;
    charts::TimeAxis* time = nullptr;
    QLogValueAxis* ms = nullptr;
    std::vector<DecimatedSeries> series; // band p99 edge, band p50 edge, p50 line, p99 line
    LatencyModel* model = nullptr;
    QTableView* tableView = nullptr;

    const TableResult* table() const { return tables->table(); }
};

LatencyPage::LatencyPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    d->tables = new TableSelector;
    bar->addWidget(d->tables);
    d->hoverLabel = new QLabel(tr("Point at the chart to read a minute's percentiles."));
    d->hoverLabel->setObjectName(QStringLiteral("hoverLabel"));
    d->hoverLabel->setTextFormat(Qt::RichText);
    bar->addWidget(d->hoverLabel, 1);
    layout->addLayout(bar);

    d->chart = new QChart;
    d->chart->setTitle(tr("Latency per minute"));
    d->chart->legend()->setAlignment(Qt::AlignTop);
    // Room on the right for the last time label, which is centred on the plot's edge.
    d->chart->setMargins(QMargins(4, 4, 24, 4));
    auto* bandUpper = new QLineSeries;
    auto* bandLower = new QLineSeries;
    auto* band = new QAreaSeries(bandUpper, bandLower);
    band->setObjectName(QStringLiteral("band"));
    band->setName(tr("p50 – p99"));
    band->setColor(QColor(0x2f, 0x75, 0xb5, 60));
    band->setBorderColor(QColor(0x2f, 0x75, 0xb5, 0));
    auto* p50 = new QLineSeries;
    p50->setObjectName(QStringLiteral("p50"));
    p50->setName(tr("p50"));
    QPen p50Pen(QColor(0x1b, 0x2a, 0x49));
    p50Pen.setWidthF(2);
    p50->setPen(p50Pen);
    auto* p99 = new QLineSeries;
    p99->setObjectName(QStringLiteral("p99"));
    p99->setName(tr("p99"));
    p99->setPen(QPen(QColor(0x2f, 0x75, 0xb5), 1));
    d->chart->addSeries(band);
    d->chart->addSeries(p99);
    d->chart->addSeries(p50);
    d->time = new charts::TimeAxis;
    // Log scale: retries under throttling reach seconds while normal requests take milliseconds,
    // and both must stay readable.
    d->ms = new QLogValueAxis;
    d->ms->setBase(10);
    d->ms->setMinorTickCount(8);
    d->ms->setTitleText(tr("latency (ms, log scale)"));
    d->ms->setLabelFormat(QStringLiteral("%g"));
    d->chart->addAxis(d->time, Qt::AlignBottom);
    d->chart->addAxis(d->ms, Qt::AlignLeft);
    for (QAbstractSeries* s : { static_cast<QAbstractSeries*>(band), static_cast<QAbstractSeries*>(p50),
             static_cast<QAbstractSeries*>(p99) }) {
        s->attachAxis(d->time);
        s->attachAxis(d->ms);
    }
    d->series = { DecimatedSeries(bandUpper), DecimatedSeries(bandLower), DecimatedSeries(p50), DecimatedSeries(p99) };
    d->view = new ZoomChartView(d->chart);
    d->view->setObjectName(QStringLiteral("latencyChart"));

    d->model = new LatencyModel(this);
    d->model->setObjectName(QStringLiteral("latencyModel"));
    d->tableView = new QTableView;
    d->tableView->setObjectName(QStringLiteral("latencyTable"));
    d->tableView->setModel(d->model);
    d->tableView->verticalHeader()->hide();
    d->tableView->verticalHeader()->setDefaultSectionSize(d->tableView->fontMetrics().height() + 8);
    d->tableView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    d->tableView->setAlternatingRowColors(true);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(d->view);
    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto* caption = new QLabel(tr("Percentiles over the whole run (all tables), per class and operation"));
    caption->setStyleSheet(QStringLiteral("font-weight: bold"));
    lowerLayout->addWidget(caption);
    lowerLayout->addWidget(d->tableView);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    layout->addWidget(splitter, 1);

    connect(d->view, &ZoomChartView::xRangeChanged, this, [this](double lo, double hi) {
        for (const auto& s : d->series)
            s.show(lo, hi);
    });
    connect(d->view, &ZoomChartView::clicked, this, [this](double x) { emit timeSelected(x * 60); });
    connect(d->view, &ZoomChartView::hovered, this, [this](double x) {
        const TableResult* table = d->table();
        if (!table)
            return;
        const auto minute = static_cast<std::int64_t>(std::floor(x));
        const auto it = std::lower_bound(table->minutes.begin(), table->minutes.end(), minute,
            [](const MinuteRow& r, std::int64_t m) { return r.minute < m; });
        if (it == table->minutes.end() || it->minute != minute)
            return;
        d->hoverLabel->setText(tr("<b>%1</b> &nbsp; p50 <b>%2 ms</b> · p99 <b>%3 ms</b> · %4 requests")
                                   .arg(formatClock(static_cast<double>(minute) * 60, d->run->simulatedSeconds, false),
                                       formatNumber(it->latencyP50Ms, 2), formatNumber(it->latencyP99Ms, 2),
                                       formatNumber(static_cast<double>(it->requestsRead + it->requestsWrite), 0)));
    });
    connect(d->tables, &TableSelector::tableChosen, this, [this] {
        setRun(d->run, true);
    });
}

LatencyPage::~LatencyPage() = default;

void LatencyPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->model->setRun(d->run);
    d->tables->setRun(d->run);
    std::vector<QPointF> p50, p99;
    double first = 0;
    double end = d->run ? std::max(1.0, std::ceil(d->run->simulatedSeconds / 60.0)) : 1.0;
    if (const TableResult* table = d->table()) {
        for (const MinuteRow& r : table->minutes) {
            // A minute in which no request completed has no latency to show (its zeros are not
            // fast requests), so the band skips it.
            if (r.latencyP50Ms <= 0 && r.latencyP99Ms <= 0)
                continue;
            const double x = static_cast<double>(r.minute) + 0.5;
            p50.emplace_back(x, r.latencyP50Ms);
            p99.emplace_back(x, r.latencyP99Ms);
        }
        if (!table->minutes.empty()) {
            first = static_cast<double>(table->minutes.front().minute);
            end = std::max(end, static_cast<double>(table->minutes.back().minute + 1));
        }
        d->chart->setTitle(tr("%1: latency per minute").arg(d->tables->label()));
    }
    const double top = charts::maxYIn(p99, -1e18, 1e18);
    double bottom = top;
    for (const QPointF& p : p50)
        bottom = std::min(bottom, p.y());
    const double decadeLo = std::pow(10.0, std::floor(std::log10(std::max(bottom, 0.01))));
    const double decadeHi = std::pow(10.0, std::ceil(std::log10(std::max(top, decadeLo * 10))));
    d->ms->setRange(decadeLo, decadeHi);
    d->series[0].setPoints(p99);
    d->series[1].setPoints(p50);
    d->series[2].setPoints(std::move(p50));
    d->series[3].setPoints(std::move(p99));
    d->time->setRunSpanMinutes(static_cast<std::int64_t>(end - first));
    d->view->setDataRange(first, end);
    d->tableView->setMaximumHeight(d->tableView->horizontalHeader()->sizeHint().height()
        + std::max(1, d->model->rowCount()) * d->tableView->verticalHeader()->defaultSectionSize()
        + 2 * d->tableView->frameWidth() + 2);
}

void LatencyPage::showTime(double seconds)
{
    d->view->setSelectedX(seconds / 60.0);
}

} // namespace capsim::studio
