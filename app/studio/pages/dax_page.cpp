#include "app/studio/pages/dax_page.h"

#include "app/studio/charts/time_panel.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/global_tables.h"

#include <QBarCategoryAxis>
#include <QStackedBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

using charts::TimePanel;

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QTableWidget* makeFigures(const QString& objectName, const QStringList& headers)
{
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()));
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < headers.size(); ++c)
        table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    return table;
}

void setRows(QTableWidget* table, const QList<QStringList>& rows)
{
    table->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < rows[r].size(); ++c) {
            auto* item = new QTableWidgetItem(rows[r][c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(r, c, item);
        }
    table->setFixedHeight(table->horizontalHeader()->sizeHint().height()
        + static_cast<int>(rows.size()) * table->verticalHeader()->defaultSectionSize() + 2 * table->frameWidth() + 2);
}

} // namespace

struct DaxPage::Private {
    DaxPage* page = nullptr;
    capsim::appcore::RunSnapshot run;
    std::vector<int> tableIndexes; // the run's tables with a DAX cluster, in combo order
    QComboBox* tables = nullptr;
    QLabel* headline = nullptr;
    QLabel* hover = nullptr;
    std::unique_ptr<TimePanel> hits, reads, nodes;
    charts::TimePanelGroup* group = nullptr;
    QTableWidget* totals = nullptr;
    QTableWidget* costs = nullptr;
    QChartView* costView = nullptr;

    const TableResult* table() const
    {
        const int i = tables->currentIndex();
        if (!run || i < 0 || i >= static_cast<int>(tableIndexes.size()))
            return nullptr;
        return &run->tables[static_cast<std::size_t>(tableIndexes[static_cast<std::size_t>(i)])];
    }
    void rebuild();
    void rebuildCosts(const TableResult& t);
    void showHover(double minute);
};

DaxPage::DaxPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->page = this;
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Table:")));
    d->tables = new QComboBox;
    d->tables->setObjectName(QStringLiteral("daxTable"));
    d->tables->setMinimumWidth(160);
    bar->addWidget(d->tables);
    bar->addSpacing(12);
    d->headline = new QLabel;
    d->headline->setObjectName(QStringLiteral("daxHeadline"));
    d->headline->setTextFormat(Qt::RichText);
    d->headline->setWordWrap(true);
    bar->addWidget(d->headline, 1);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Horizontal);
    auto* chartsBox = new QWidget;
    auto* chartsLayout = new QVBoxLayout(chartsBox);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    d->hits = std::make_unique<TimePanel>(QStringLiteral("daxHitsChart"), tr("Cache hit ratio and stale reads"),
        tr("hit ratio (%)"), tr("stale reads / min"));
    d->reads = std::make_unique<TimePanel>(QStringLiteral("daxReadsChart"),
        tr("Read units: consumed on the table and absorbed by the cache"), tr("read units / s"));
    d->nodes = std::make_unique<TimePanel>(QStringLiteral("daxNodesChart"), tr("Cluster: busiest node and cache size"),
        tr("busiest node (%)"), tr("cache"));
    d->group = new charts::TimePanelGroup(this);
    for (TimePanel* p : { d->hits.get(), d->reads.get(), d->nodes.get() }) {
        chartsLayout->addWidget(p->view(), 1);
        d->group->add(p);
    }
    d->hover = new QLabel;
    d->hover->setObjectName(QStringLiteral("daxHover"));
    d->hover->setTextFormat(Qt::RichText);
    chartsLayout->addWidget(d->hover);
    splitter->addWidget(chartsBox);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 0, 0, 0);
    auto* totalsCaption = new QLabel(tr("<b>Totals over the run</b>"));
    sideLayout->addWidget(totalsCaption);
    d->totals = makeFigures(QStringLiteral("daxTotals"), { tr("Figure"), tr("Value") });
    sideLayout->addWidget(d->totals);
    auto* costCaption = new QLabel(tr("<b>Cost: the cluster beside the table's capacity</b>"));
    sideLayout->addWidget(costCaption);
    d->costs = makeFigures(QStringLiteral("daxCosts"), { tr("Line"), tr("Cost") });
    sideLayout->addWidget(d->costs);
    auto* costChart = new QChart;
    costChart->setAnimationOptions(QChart::NoAnimation);
    costChart->legend()->setVisible(false);
    costChart->setMargins(QMargins(2, 2, 2, 2));
    d->costView = new QChartView(costChart);
    d->costView->setObjectName(QStringLiteral("daxCostChart"));
    d->costView->setRenderHint(QPainter::Antialiasing);
    d->costView->setMinimumHeight(200);
    sideLayout->addWidget(d->costView, 1);
    side->setMinimumWidth(340);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 1000, 420 });
    layout->addWidget(splitter, 1);

    connect(d->tables, &QComboBox::currentIndexChanged, this, [this] { d->rebuild(); });
    connect(d->group, &charts::TimePanelGroup::clicked, this, &ResultPage::timeSelected);
    connect(d->group, &charts::TimePanelGroup::hovered, this, [this](double x) { d->showHover(x); });
    d->rebuild();
}

DaxPage::~DaxPage() = default;

bool DaxPage::appliesTo(const RunResult& run) const
{
    return runHasDax(run);
}

void DaxPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    const QString before = d->tables->currentText();
    {
        const QSignalBlocker blocker(d->tables);
        d->tables->clear();
        d->tableIndexes.clear();
        if (d->run)
            for (std::size_t i = 0; i < d->run->tables.size(); ++i)
                if (d->run->tables[i].dax) {
                    d->tableIndexes.push_back(static_cast<int>(i));
                    d->tables->addItem(q(d->run->tables[i].name));
                }
        d->tables->setCurrentIndex(std::max(d->tables->findText(before), 0));
    }
    d->rebuild();
}

bool DaxPage::chooseTable(const QString& name)
{
    const int index = d->tables->findText(name);
    if (index < 0)
        return false;
    d->tables->setCurrentIndex(index);
    return true;
}

void DaxPage::showTime(double seconds)
{
    d->group->setSelectedX(seconds / 60.0);
}

void DaxPage::Private::showHover(double x)
{
    const TableResult* t = table();
    if (!t || !t->dax)
        return;
    const auto minute = static_cast<std::int64_t>(std::floor(x));
    const auto it = std::lower_bound(t->minutes.begin(), t->minutes.end(), minute,
        [](const MinuteRow& r, std::int64_t m) { return r.minute < m; });
    if (it == t->minutes.end() || it->minute != minute)
        return;
    const auto ratio = daxHitRatio(*it);
    hover->setText(DaxPage::tr("<b>%1</b> · %2 hits, %3 misses (hit ratio %4) · %5 stale · table %6 RCU/s, cache "
                               "absorbed ≈ %7 RCU/s · busiest node %8 % · cache %9")
                       .arg(formatClock(static_cast<double>(minute) * 60, run->simulatedSeconds, false),
                           formatNumber(static_cast<double>(it->daxHits), 0),
                           formatNumber(static_cast<double>(it->daxMisses), 0),
                           ratio ? formatNumber(*ratio * 100, 1) + QStringLiteral(" %") : QStringLiteral("–"),
                           formatNumber(static_cast<double>(it->daxStaleReads), 0), formatNumber(it->consumedRead, 1),
                           formatNumber(offloadedReadPerSecond(*it, *t->dax), 1),
                           formatNumber(it->daxNodeUtilisation * 100, 1),
                           formatByteCount(static_cast<double>(it->daxCacheBytes))));
}

void DaxPage::Private::rebuild()
{
    for (TimePanel* p : { hits.get(), reads.get(), nodes.get() })
        p->clear();
    hover->clear();
    const TableResult* t = table();
    if (!t || !t->dax) {
        headline->setText(run ? DaxPage::tr("No table of this run has a DAX cluster (a table's <code>dax</code> field).")
                              : DaxPage::tr("No run yet."));
        for (TimePanel* p : { hits.get(), reads.get(), nodes.get() })
            p->view()->setVisible(false);
        totals->setRowCount(0);
        costs->setRowCount(0);
        costView->chart()->removeAllSeries();
        return;
    }
    for (TimePanel* p : { hits.get(), reads.get(), nodes.get() })
        p->view()->setVisible(true);
    const DaxSummary& dax = *t->dax;
    const auto minuteOf = [](const MinuteRow& r) { return static_cast<double>(r.minute); };
    double first = t->minutes.empty() ? 0.0 : static_cast<double>(t->minutes.front().minute);
    double end = std::max(1.0, std::ceil(run->simulatedSeconds / 60.0));
    if (!t->minutes.empty())
        end = std::max(end, static_cast<double>(t->minutes.back().minute + 1));

    // The planner's question (reference A10): does the cluster pay for itself at this hit ratio?
    const double breakEven = daxBreakEvenHitRatio(*t);
    const QString currency = q(run->currency);
    QString verdict;
    if (breakEven > 0)
        verdict = (dax.hitRatio() >= breakEven ? DaxPage::tr(" It <b>pays for itself</b>: break-even hit ratio %1 %.")
                                               : DaxPage::tr(" It <b>costs more than it saves</b>: break-even hit ratio %1 %."))
                      .arg(formatNumber(breakEven * 100, 1));
    headline->setText(DaxPage::tr("<b>%1</b> reads through a DAX cluster of <b>%2 × %3</b>: hit ratio <b>%4 %</b>, "
                                  "the cache absorbed <b>%5</b> read units (%6 of table reads) for %7 of nodes.%8")
                          .arg(q(t->name).toHtmlEscaped(), formatNumber(static_cast<double>(dax.nodes), 0),
                              q(dax.nodeType).toHtmlEscaped(), formatNumber(dax.hitRatio() * 100, 1),
                              formatNumber(dax.offloadedReadUnits, 1), formatMoney(dax.offloadedReadCost, currency),
                              formatMoney(t->cost.dax, currency), verdict));

    // Hit ratio per minute (minutes with cacheable requests) and stale reads.
    {
        std::vector<QPointF> ratio;
        for (const MinuteRow& r : t->minutes)
            if (const auto v = daxHitRatio(r)) {
                ratio.emplace_back(static_cast<double>(r.minute), *v * 100);
                ratio.emplace_back(static_cast<double>(r.minute + 1), *v * 100);
            }
        auto stale = charts::stepPoints<MinuteRow>(t->minutes, minuteOf,
            [](const MinuteRow& r) { return static_cast<double>(r.daxStaleReads); });
        hits->left()->setRange(0, 100);
        hits->left()->setTickCount(6);
        charts::setAxisTop(hits->right(), charts::maxYIn(stale, -1e18, 1e18));
        hits->addSeries(QStringLiteral("hitRatio"), DaxPage::tr("hit ratio (%)"), QColor(0x2c, 0xa0, 0x2c), false,
            std::move(ratio), 2);
        hits->addSeries(QStringLiteral("staleReads"), DaxPage::tr("stale reads / min"), QColor(0xa0, 0x18, 0x18), true,
            std::move(stale), 1.4);
    }
    // Read units per second: the table's consumed and provisioned, and what the cache absorbed.
    {
        auto consumed = charts::stepPoints<MinuteRow>(t->minutes, minuteOf, [](const MinuteRow& r) { return r.consumedRead; });
        auto offloaded = charts::stepPoints<MinuteRow>(
            t->minutes, minuteOf, [&dax](const MinuteRow& r) { return offloadedReadPerSecond(r, dax); });
        double top = std::max(charts::maxYIn(consumed, -1e18, 1e18), charts::maxYIn(offloaded, -1e18, 1e18));
        if (t->billingMode == BillingMode::Provisioned) {
            auto provisioned = charts::stepPoints<MinuteRow>(
                t->minutes, minuteOf, [](const MinuteRow& r) { return static_cast<double>(r.provisionedRead); });
            top = std::max(top, charts::maxYIn(provisioned, -1e18, 1e18));
            reads->addSeries(QStringLiteral("provisionedRead"), DaxPage::tr("provisioned RCU"), QColor(0x1b, 0x2a, 0x49),
                false, std::move(provisioned), 1.4, Qt::DashLine);
        }
        charts::setAxisTop(reads->left(), top);
        reads->addSeries(QStringLiteral("consumedRead"), DaxPage::tr("consumed on the table"), QColor(0x1f, 0x77, 0xb4),
            false, std::move(consumed), 2);
        reads->addSeries(QStringLiteral("offloadedRead"), DaxPage::tr("absorbed by the cache (hits × %1 units)")
                                                              .arg(formatNumber(offloadedUnitsPerHit(dax), 2)),
            QColor(0x2c, 0xa0, 0x2c), false, std::move(offloaded), 2);
    }
    // The busiest node against its budget (100 %), and the cache's bytes.
    {
        auto utilisation = charts::stepPoints<MinuteRow>(
            t->minutes, minuteOf, [](const MinuteRow& r) { return r.daxNodeUtilisation * 100; });
        std::int64_t maxBytes = 0;
        for (const MinuteRow& r : t->minutes)
            maxBytes = std::max(maxBytes, r.daxCacheBytes);
        const auto [divisor, unit] = byteAxisUnit(static_cast<double>(maxBytes));
        std::vector<QPointF> bytes;
        for (const MinuteRow& r : t->minutes)
            bytes.emplace_back(static_cast<double>(r.minute + 1), static_cast<double>(r.daxCacheBytes) / divisor);
        charts::setAxisTop(nodes->left(), std::max(100.0, charts::maxYIn(utilisation, -1e18, 1e18)));
        nodes->right()->setTitleText(DaxPage::tr("cache (%1)").arg(unit));
        charts::setAxisTop(nodes->right(), static_cast<double>(maxBytes) / divisor);
        nodes->addSeries(QStringLiteral("fullLine"), DaxPage::tr("100 % (throttling)"), QColor(0xa0, 0x18, 0x18), false,
            { QPointF(first, 100), QPointF(end, 100) }, 1.2, Qt::DashLine);
        nodes->addSeries(QStringLiteral("nodeUtilisation"), DaxPage::tr("busiest node (%)"), QColor(0xe0, 0x7b, 0x00),
            false, std::move(utilisation), 2);
        nodes->addSeries(QStringLiteral("cacheBytes"), DaxPage::tr("cache (%1)").arg(unit), QColor(0x94, 0x67, 0xbd), true,
            std::move(bytes), 1.6);
    }
    for (TimePanel* p : { hits.get(), reads.get(), nodes.get() })
        p->setDataRange(first, end);

    const std::int64_t requests = dax.hits + dax.misses + dax.passThrough;
    setRows(totals,
        { { DaxPage::tr("Cluster"), QStringLiteral("%1 × %2").arg(formatNumber(static_cast<double>(dax.nodes), 0), q(dax.nodeType)) },
            { DaxPage::tr("Cache hits"), formatNumber(static_cast<double>(dax.hits), 0) },
            { DaxPage::tr("Cache misses"), formatNumber(static_cast<double>(dax.misses), 0) },
            { DaxPage::tr("Hit ratio"), formatNumber(dax.hitRatio() * 100, 1) + QStringLiteral(" %") },
            { DaxPage::tr("Passed through (strong reads, transactions)"), formatNumber(static_cast<double>(dax.passThrough), 0) },
            { DaxPage::tr("Stale reads (hits differing from the table)"), formatNumber(static_cast<double>(dax.staleReads), 0) },
            { DaxPage::tr("Throttled by the cluster"), formatNumber(static_cast<double>(dax.throttled), 0) },
            { DaxPage::tr("Read units absorbed"), formatNumber(dax.offloadedReadUnits, 1) },
            { DaxPage::tr("Requests through the cluster"), formatNumber(static_cast<double>(requests), 0) },
            { DaxPage::tr("Node-hours billed"), formatNumber(dax.nodeHours, 2) } });
    rebuildCosts(*t);
}

void DaxPage::Private::rebuildCosts(const TableResult& t)
{
    const QString currency = q(run->currency);
    const double capacity = t.cost.read + t.cost.write;
    setRows(costs,
        { { DaxPage::tr("Table read capacity"), formatMoney(t.cost.read, currency) },
            { DaxPage::tr("Table write capacity"), formatMoney(t.cost.write, currency) },
            { DaxPage::tr("DAX nodes (%1 node-hours)").arg(formatNumber(t.dax->nodeHours, 2)), formatMoney(t.cost.dax, currency) },
            { DaxPage::tr("Capacity + DAX"), formatMoney(capacity + t.cost.dax, currency) },
            { DaxPage::tr("Table total (all lines)"), formatMoney(t.cost.total(), currency) },
            { DaxPage::tr("Table reads the hits replaced"), formatMoney(t.dax->offloadedReadCost, currency) },
            { DaxPage::tr("Capacity without DAX"), formatMoney(capacity + t.dax->offloadedReadCost, currency) },
            { DaxPage::tr("Break-even hit ratio"), formatNumber(daxBreakEvenHitRatio(t) * 100, 1) + QStringLiteral(" %") } });
    QChart* chart = costView->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    // The same run with and without the cluster: its nodes against the table reads its hits replaced.
    const double withDax = capacity + t.cost.dax;
    const double withoutDax = capacity + t.dax->offloadedReadCost;
    chart->setTitle(DaxPage::tr("%1: with DAX %2, without %3")
                        .arg(q(t.name), formatMoney(withDax, currency), formatMoney(withoutDax, currency)));
    auto* series = new QStackedBarSeries;
    series->setObjectName(QStringLiteral("daxCost"));
    const auto addSet = [&](const QString& name, QColor color, double with, double without) {
        auto* set = new QBarSet(name);
        set->setColor(color);
        *set << with << without;
        series->append(set);
    };
    addSet(DaxPage::tr("table reads"), QColor(0x1f, 0x77, 0xb4), t.cost.read, t.cost.read);
    addSet(DaxPage::tr("table writes"), QColor(0xff, 0x7f, 0x0e), t.cost.write, t.cost.write);
    addSet(DaxPage::tr("reads replaced"), QColor(0x9e, 0xc6, 0xe6), 0, t.dax->offloadedReadCost);
    addSet(DaxPage::tr("DAX nodes"), QColor(0xd6, 0x27, 0x28), t.cost.dax, 0);
    chart->addSeries(series);
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* categories = new QBarCategoryAxis;
    categories->append({ DaxPage::tr("with DAX"), DaxPage::tr("without") });
    auto* values = new QValueAxis;
    const double top = std::max(withDax, withoutDax);
    values->setRange(0, top > 0 ? top * 1.1 : 0.01);
    values->applyNiceNumbers();
    values->setLabelFormat(moneyAxisFormat(currency, values->max() - values->min()));
    chart->addAxis(categories, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(values);
}

} // namespace capsim::studio
