#include "app/studio/pages/compare_page.h"

#include "app/studio/charts/decimation.h"
#include "app/studio/models/totals_model.h"
#include "simulator/results_view.h"
#include "simulator/break_even.h"
#include "simulator/explain.h"
#include "simulator/pricing.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

namespace {

const QColor kRunColours[]
    = { QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x5f, 0x00), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
          QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf), QColor(0x7f, 0x7f, 0x7f) };

QColor runColour(std::size_t i)
{
    return kRunColours[i % std::size(kRunColours)];
}

constexpr int kMaxPoints = 1500;

// Per-minute figures of one run for the selected table ("" = all tables summed).
struct MinuteSeries {
    std::vector<double> minute, consumed, provisioned, throttled, cost;
};

MinuteSeries minuteSeries(const RunResult& run, const std::string& table, Dimension d)
{
    MinuteSeries s;
    for (const auto& t : run.tables) {
        if (!table.empty() && t.name != table)
            continue;
        for (std::size_t i = 0; i < t.minutes.size(); ++i) {
            const auto& row = t.minutes[i];
            if (s.minute.size() <= i) {
                s.minute.push_back(static_cast<double>(row.minute));
                s.consumed.push_back(0);
                s.provisioned.push_back(0);
                s.throttled.push_back(0);
                s.cost.push_back(0);
            }
            s.consumed[i] += consumedOf(row, d);
            s.provisioned[i] += provisionedOf(row, d);
            s.throttled[i] += static_cast<double>(throttledOf(row, d));
            if (!table.empty())
                s.cost[i] = row.costToDate;
        }
    }
    if (table.empty()) {
        const std::vector<MinuteCost> total = totalCostByMinute(run);
        std::size_t k = 0;
        for (std::size_t i = 0; i < s.minute.size(); ++i) {
            while (k < total.size() && static_cast<double>(total[k].minute) < s.minute[i])
                ++k;
            if (k < total.size() && static_cast<double>(total[k].minute) == s.minute[i])
                s.cost[i] = total[k].costToDate;
        }
    }
    return s;
}

// The value of minute m holds from m to m + 1: plotted at the minute's end, at most kMaxPoints
// points through the shared decimator (peaks and troughs survive).
QList<QPointF> decimated(const std::vector<double>& x, const std::vector<double>& y, double xScale)
{
    std::vector<QPointF> points;
    points.reserve(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        points.emplace_back((x[i] + 1) * xScale, y[i]);
    if (points.empty())
        return {};
    return charts::decimateMinMax(points, points.front().x(), points.back().x(), kMaxPoints);
}

QChartView* makeChartView(QWidget* parent)
{
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    chart->setTitleFont(titleFont);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

QValueAxis* valueAxis(const QString& title, double lo, double hi, const QString& format = QStringLiteral("%.0f"))
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setRange(lo, hi <= lo ? lo + 1 : hi);
    axis->setLabelFormat(format);
    axis->applyNiceNumbers();
    return axis;
}

void attach(QChart* chart, QAbstractSeries* series, QValueAxis* x, QValueAxis* y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

// Money axis labels need decimals for small runs.
QString moneyFormat(double maxUsd)
{
    if (maxUsd >= 100)
        return QStringLiteral("$%.0f");
    if (maxUsd >= 1)
        return QStringLiteral("$%.2f");
    const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(std::max(maxUsd, 1e-9)))), 2, 8);
    return QStringLiteral("$%.") + QString::number(decimals) + QStringLiteral("f");
}

PricingTable pricingFor(const RunResult& run)
{
    const std::string region = run.pricingLabel.substr(0, run.pricingLabel.find(' '));
    auto pricing = builtInPricing(region.empty() ? std::string("us-east-1") : region);
    if (pricing)
        return *pricing;
    return *builtInPricing("us-east-1");
}

} // namespace

struct ComparePage::Private {
    ComparePage* q = nullptr;
    std::vector<TotalsModel::LabelledRun> runs;
    capsim::appcore::RunSnapshot current;
    TotalsModel* totals = nullptr;
    QComboBox* tableCombo = nullptr;
    QComboBox* dimensionCombo = nullptr;
    QLabel* emptyHint = nullptr;
    QChartView* capacityView = nullptr;
    QChartView* throttleView = nullptr;
    QChartView* costView = nullptr;
    QTableView* totalsView = nullptr;
    QComboBox* breakEvenTable = nullptr;
    QChartView* modeView = nullptr;
    QChartView* classView = nullptr;
    QLabel* breakEvenText = nullptr;

    std::string selectedTable() const
    {
        return tableCombo->currentIndex() <= 0 ? std::string() : tableCombo->currentText().toStdString();
    }
    bool reads() const { return dimensionCombo->currentIndex() == 1; }

    void rebuildTableCombo()
    {
        const QString before = tableCombo->currentText();
        QStringList names;
        for (const auto& r : runs)
            for (const auto& t : r.run->tables)
                if (!names.contains(QString::fromStdString(t.name)))
                    names.append(QString::fromStdString(t.name));
        const QSignalBlocker blocker(tableCombo);
        tableCombo->clear();
        tableCombo->addItem(ComparePage::tr("All tables"));
        tableCombo->addItems(names);
        const int index = tableCombo->findText(before);
        tableCombo->setCurrentIndex(index >= 0 ? index : 0);
    }

    void updateRuns()
    {
        totals->setRuns(runs);
        emptyHint->setVisible(runs.empty());
        const std::string table = selectedTable();
        const bool r = reads();
        double maxMinute = 1, maxUnits = 1, maxThrottled = 1, maxCost = 0;
        std::vector<MinuteSeries> all;
        for (const auto& run : runs) {
            all.push_back(minuteSeries(*run.run, table, r ? Dimension::Read : Dimension::Write));
            const auto& s = all.back();
            if (!s.minute.empty())
                maxMinute = std::max(maxMinute, s.minute.back() + 1);
            for (std::size_t i = 0; i < s.minute.size(); ++i) {
                maxUnits = std::max({ maxUnits, s.consumed[i], s.provisioned[i] });
                maxThrottled = std::max(maxThrottled, s.throttled[i]);
                maxCost = std::max(maxCost, s.cost[i]);
            }
        }
        // Hours on the time axis beyond two hours, minutes below.
        const bool hours = maxMinute > 120;
        const double xScale = hours ? 1.0 / 60.0 : 1.0;
        const QString timeTitle
            = hours ? ComparePage::tr("simulated time (hours)") : ComparePage::tr("simulated time (minutes)");
        const QString unit = r ? QStringLiteral("read") : QStringLiteral("write");

        auto reset = [&](QChartView* view, const QString& title) {
            QChart* chart = view->chart();
            chart->removeAllSeries();
            for (auto* axis : chart->axes())
                chart->removeAxis(axis);
            chart->setTitle(title);
            return chart;
        };

        QChart* capacity = reset(
            capacityView, ComparePage::tr("Capacity: %1 units/s consumed (solid) and provisioned (dashed)").arg(unit));
        auto* cx = valueAxis(timeTitle, 0, maxMinute * xScale);
        auto* cy = valueAxis(ComparePage::tr("units/s"), 0, maxUnits * 1.08);
        capacity->addAxis(cx, Qt::AlignBottom);
        capacity->addAxis(cy, Qt::AlignLeft);
        QChart* throttles = reset(throttleView, ComparePage::tr("Throttled %1 requests per minute").arg(unit));
        auto* tx = valueAxis(timeTitle, 0, maxMinute * xScale);
        auto* ty = valueAxis(ComparePage::tr("requests / minute"), 0, maxThrottled * 1.08);
        throttles->addAxis(tx, Qt::AlignBottom);
        throttles->addAxis(ty, Qt::AlignLeft);
        QChart* cost = reset(costView, ComparePage::tr("Cumulative cost"));
        auto* mx = valueAxis(timeTitle, 0, maxMinute * xScale);
        auto* my = valueAxis(QString(), 0, std::max(maxCost * 1.08, 1e-6), moneyFormat(maxCost));
        cost->addAxis(mx, Qt::AlignBottom);
        cost->addAxis(my, Qt::AlignLeft);

        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& s = all[i];
            const QColor colour = runColour(i);
            auto* consumed = new QLineSeries;
            consumed->setName(runs[i].label);
            consumed->setPen(QPen(colour, 2));
            consumed->replace(decimated(s.minute, s.consumed, xScale));
            attach(capacity, consumed, cx, cy);
            auto* provisioned = new QLineSeries;
            provisioned->setName(runs[i].label + ComparePage::tr(" provisioned"));
            provisioned->setPen(QPen(colour, 1.6, Qt::DashLine));
            provisioned->replace(decimated(s.minute, s.provisioned, xScale));
            attach(capacity, provisioned, cx, cy);
            capacity->legend()->markers(provisioned).value(0)->setVisible(false);

            auto* throttled = new QLineSeries;
            throttled->setName(runs[i].label);
            throttled->setPen(QPen(colour, 2));
            throttled->replace(decimated(s.minute, s.throttled, xScale));
            attach(throttles, throttled, tx, ty);

            auto* cumulative = new QLineSeries;
            cumulative->setName(runs[i].label + QStringLiteral(" (")
                + QString::fromStdString(formatUsd(s.cost.empty() ? 0 : s.cost.back())) + QStringLiteral(")"));
            cumulative->setPen(QPen(colour, 2));
            cumulative->replace(decimated(s.minute, s.cost, xScale));
            attach(cost, cumulative, mx, my);
        }
    }

    void updateBreakEven()
    {
        QChart* mode = modeView->chart();
        QChart* cls = classView->chart();
        for (QChart* chart : { mode, cls }) {
            chart->removeAllSeries();
            for (auto* axis : chart->axes())
                chart->removeAxis(axis);
        }
        mode->setTitle(ComparePage::tr("Capacity mode: cost of this run's demand against average utilisation"));
        cls->setTitle(ComparePage::tr("Table class: cost against the storage share of the Standard bill"));
        const TableResult* table = nullptr;
        if (current)
            for (const auto& t : current->tables)
                if (QString::fromStdString(t.name) == breakEvenTable->currentText())
                    table = &t;
        if (!table) {
            breakEvenText->setText(
                ComparePage::tr("Run a scenario: the break-even curves are computed from its per-minute demand."));
            return;
        }
        const PricingTable pricing = pricingFor(*current);
        const auto curve = capacityModeCurves(*table, pricing, table->tableClass);
        const auto point = currentCapacityPoint(*table, pricing, table->tableClass);
        const auto classes = tableClassCurves(*table, pricing);
        const auto classPoint = currentClassPoint(*table, pricing);
        const double classBreakEven = classBreakEvenShare(*table, pricing);
        if (curve.empty() || classes.empty()) {
            breakEvenText->setText(ComparePage::tr("%1 consumed no capacity in this run: there is nothing to compare.")
                                       .arg(QString::fromStdString(table->name)));
            return;
        }

        double maxUsd = 0;
        for (const auto& p : curve)
            maxUsd = std::max({ maxUsd, p.provisionedUsd, p.autoScaledUsd, p.onDemandUsd });
        auto* ux = valueAxis(ComparePage::tr("average utilisation of the provisioned capacity (%)"), 0, 100);
        ux->setTickCount(11);
        auto* uy = valueAxis(ComparePage::tr("cost of the run"), 0, maxUsd * 1.08, moneyFormat(maxUsd));
        mode->addAxis(ux, Qt::AlignBottom);
        mode->addAxis(uy, Qt::AlignLeft);
        struct Line {
            QString name;
            QColor colour;
            double CostCurvePoint::*field;
        };
        const Line lines[] = { { ComparePage::tr("fixed provisioned"), QColor(0x1f, 0x77, 0xb4),
                                   &CostCurvePoint::provisionedUsd },
            { ComparePage::tr("auto scaling, 70 % target"), QColor(0x2c, 0xa0, 0x2c), &CostCurvePoint::autoScaledUsd },
            { ComparePage::tr("on-demand"), QColor(0xd6, 0x5f, 0x00), &CostCurvePoint::onDemandUsd } };
        double crossing = -1;
        for (std::size_t i = 1; i < curve.size(); ++i) {
            const double f0 = curve[i - 1].onDemandUsd - curve[i - 1].provisionedUsd;
            const double f1 = curve[i].onDemandUsd - curve[i].provisionedUsd;
            if (crossing < 0 && (f0 <= 0) != (f1 <= 0))
                crossing
                    = curve[i - 1].utilisation + (curve[i].utilisation - curve[i - 1].utilisation) * f0 / (f0 - f1);
        }
        for (const auto& line : lines) {
            auto* series = new QLineSeries;
            series->setName(line.name);
            series->setPen(QPen(line.colour, 2.2));
            for (const auto& p : curve)
                series->append(p.utilisation * 100, p.*(line.field));
            attach(mode, series, ux, uy);
        }
        auto* marker = new QScatterSeries;
        const bool provisioned = table->billingMode == BillingMode::Provisioned;
        marker->setName(ComparePage::tr("this run (%1)")
                            .arg(provisioned ? ComparePage::tr("provisioned") : ComparePage::tr("on-demand")));
        marker->setMarkerSize(13);
        marker->setColor(QColor(0x20, 0x20, 0x20));
        marker->setBorderColor(Qt::white);
        marker->append(std::min(point.utilisation, 1.0) * 100, provisioned ? point.provisionedUsd : point.onDemandUsd);
        attach(mode, marker, ux, uy);

        double maxClass = 0;
        for (const auto& p : classes)
            maxClass = std::max({ maxClass, p.standardUsd, p.infrequentAccessUsd });
        const bool markerOnChart = classPoint.storageShare <= 0.8;
        if (markerOnChart)
            maxClass = std::max({ maxClass, classPoint.standardUsd, classPoint.infrequentAccessUsd });
        auto* sx = valueAxis(ComparePage::tr("storage share of the Standard bill (%)"), 0, 80);
        sx->setTickCount(9);
        auto* sy = valueAxis(ComparePage::tr("cost of the run"), 0, maxClass * 1.08, moneyFormat(maxClass));
        cls->addAxis(sx, Qt::AlignBottom);
        cls->addAxis(sy, Qt::AlignLeft);
        auto* standard = new QLineSeries;
        standard->setName(ComparePage::tr("Standard"));
        standard->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2.2));
        auto* ia = new QLineSeries;
        ia->setName(ComparePage::tr("Standard-IA"));
        ia->setPen(QPen(QColor(0x94, 0x67, 0xbd), 2.2));
        for (const auto& p : classes) {
            standard->append(p.storageShare * 100, p.standardUsd);
            ia->append(p.storageShare * 100, p.infrequentAccessUsd);
        }
        attach(cls, standard, sx, sy);
        attach(cls, ia, sx, sy);
        if (classBreakEven > 0 && classBreakEven < 1) {
            auto* breakEven = new QLineSeries;
            breakEven->setName(ComparePage::tr("break-even %1 %").arg(classBreakEven * 100, 0, 'f', 1));
            breakEven->setPen(QPen(QColor(0x60, 0x60, 0x60), 1.2, Qt::DashLine));
            breakEven->append(classBreakEven * 100, 0);
            breakEven->append(classBreakEven * 100, maxClass * 1.08);
            attach(cls, breakEven, sx, sy);
        }
        if (markerOnChart) {
            auto* here = new QScatterSeries;
            here->setName(ComparePage::tr("this run (%1)")
                              .arg(table->tableClass == TableClass::Standard ? ComparePage::tr("Standard")
                                                                             : ComparePage::tr("Standard-IA")));
            here->setMarkerSize(13);
            here->setColor(QColor(0x20, 0x20, 0x20));
            here->setBorderColor(Qt::white);
            here->append(classPoint.storageShare * 100,
                table->tableClass == TableClass::Standard ? classPoint.standardUsd : classPoint.infrequentAccessUsd);
            attach(cls, here, sx, sy);
        }

        const ClassPrices& prices = pricing.prices(table->tableClass);
        QString text = ComparePage::tr(
            "<b>Capacity mode.</b> Fixed provisioned capacity costs the same however little of it is used; on-demand costs in "
            "proportion to the requests. For this run's demand they cost the same at <b>%1 %</b> average utilisation "
            "(%2 per unit-hour against %3 per million request units): below it on-demand is cheaper, above it provisioned. "
            "This run used <b>%4 %</b> of its capacity on average")
                           .arg(crossing >= 0 ? QString::number(crossing * 100, 'f', 1) : QStringLiteral("-"))
                           .arg(QString::fromStdString(formatUsd(prices.provisionedWriteUnitHour)))
                           .arg(QString::fromStdString(formatUsd(prices.onDemandWritePerMillion)))
                           .arg(point.utilisation * 100, 0, 'f', 1);
        const double peakCovering = peakCoveringUtilisation(*table, pricing);
        if (peakCovering > 0 && peakCovering < 1)
            text += ComparePage::tr("; a fixed capacity used more than %1 % on average could not serve its peak minute")
                        .arg(peakCovering * 100, 0, 'f', 1);
        text += ComparePage::tr(
            ".<br><b>Table class.</b> Standard-IA stores for %1 instead of %2 per GB-month but charges more for throughput: it is "
            "cheaper once storage exceeds <b>%3 %</b> of the Standard bill. This run's %4 GB are %5 % of its Standard bill.")
                    .arg(QString::fromStdString(formatUsd(pricing.infrequentAccess.storageGBMonth)))
                    .arg(QString::fromStdString(formatUsd(pricing.standard.storageGBMonth)))
                    .arg(classBreakEven * 100, 0, 'f', 1)
                    .arg(classPoint.storedGB, 0, 'f', classPoint.storedGB < 1 ? 3 : 1)
                    .arg(classPoint.storageShare * 100, 0, 'f', 1);
        text += ComparePage::tr(
            "<br><span style='color:#666'>Curves priced with %1 from the run's per-minute demand, without the free "
            "tier; auto scaling follows each minute's demand at a 70 % target with no lag.</span>")
                    .arg(QString::fromStdString(pricing.label()));
        breakEvenText->setText(text);
    }
};

ComparePage::ComparePage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->totals = new TotalsModel(this);
    auto* layout = new QVBoxLayout(this);
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("compareTabs"));
    layout->addWidget(tabs);

    auto* runsTab = new QWidget(tabs);
    auto* runsLayout = new QVBoxLayout(runsTab);
    auto* bar = new QHBoxLayout;
    d->tableCombo = new QComboBox(runsTab);
    d->dimensionCombo = new QComboBox(runsTab);
    d->dimensionCombo->addItems({ tr("Writes"), tr("Reads") });
    auto* clear = new QPushButton(tr("Clear runs"), runsTab);
    auto* addDax = new QPushButton(tr("Add DAX?"), runsTab);
    addDax->setObjectName(QStringLiteral("addDaxVariant"));
    addDax->setToolTip(tr("Run a variant of the scenario with a 3-node dax.r5.large cluster in front of the chosen table "
                          "(the first table when all are shown), next to the base run."));
    auto* addRegion = new QPushButton(tr("Add a region?"), runsTab);
    addRegion->setObjectName(QStringLiteral("addRegionVariant"));
    addRegion->setToolTip(tr("Run a variant of the scenario where the chosen table (the first when all are shown) is a "
                             "global table with one more replica region, next to the base run."));
    d->emptyHint = new QLabel(
        tr("Runs join the comparison when they finish; run a scenario, change one thing and run it again."), runsTab);
    d->emptyHint->setStyleSheet(QStringLiteral("color: #666"));
    bar->addWidget(new QLabel(tr("Table:"), runsTab));
    bar->addWidget(d->tableCombo);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Dimension:"), runsTab));
    bar->addWidget(d->dimensionCombo);
    bar->addSpacing(12);
    bar->addWidget(d->emptyHint);
    bar->addStretch(1);
    bar->addWidget(addDax);
    bar->addWidget(addRegion);
    bar->addSpacing(12);
    bar->addWidget(clear);
    runsLayout->addLayout(bar);
    auto* grid = new QGridLayout;
    d->capacityView = makeChartView(runsTab);
    d->throttleView = makeChartView(runsTab);
    d->costView = makeChartView(runsTab);
    d->totalsView = new QTableView(runsTab);
    d->totalsView->setObjectName(QStringLiteral("totalsView"));
    d->totalsView->setModel(d->totals);
    d->totalsView->setAlternatingRowColors(true);
    d->totalsView->verticalHeader()->setDefaultSectionSize(22);
    d->totalsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    d->totalsView->horizontalHeader()->setMinimumSectionSize(110);
    grid->addWidget(d->capacityView, 0, 0);
    grid->addWidget(d->throttleView, 0, 1);
    grid->addWidget(d->costView, 1, 0);
    grid->addWidget(d->totalsView, 1, 1);
    runsLayout->addLayout(grid, 1);
    tabs->addTab(runsTab, tr("Runs side by side"));

    auto* breakEvenTab = new QWidget(tabs);
    auto* beLayout = new QVBoxLayout(breakEvenTab);
    auto* beBar = new QHBoxLayout;
    d->breakEvenTable = new QComboBox(breakEvenTab);
    beBar->addWidget(new QLabel(tr("Table of the current run:"), breakEvenTab));
    beBar->addWidget(d->breakEvenTable);
    beBar->addStretch(1);
    beLayout->addLayout(beBar);
    auto* charts = new QHBoxLayout;
    d->modeView = makeChartView(breakEvenTab);
    d->classView = makeChartView(breakEvenTab);
    charts->addWidget(d->modeView);
    charts->addWidget(d->classView);
    beLayout->addLayout(charts, 1);
    d->breakEvenText = new QLabel(breakEvenTab);
    d->breakEvenText->setObjectName(QStringLiteral("breakEvenText"));
    d->breakEvenText->setWordWrap(true);
    d->breakEvenText->setTextFormat(Qt::RichText);
    d->breakEvenText->setStyleSheet(QStringLiteral("QLabel { padding: 8px; font-size: 11pt; }"));
    beLayout->addWidget(d->breakEvenText);
    tabs->addTab(breakEvenTab, tr("Break-even"));

    connect(d->tableCombo, &QComboBox::currentIndexChanged, this, [this] { d->updateRuns(); });
    connect(d->dimensionCombo, &QComboBox::currentIndexChanged, this, [this] { d->updateRuns(); });
    connect(d->breakEvenTable, &QComboBox::currentIndexChanged, this, [this] { d->updateBreakEven(); });
    connect(clear, &QPushButton::clicked, this, &ComparePage::clearRuns);
    connect(addDax, &QPushButton::clicked, this, [this] { emit addDaxRequested(variantTable()); });
    connect(addRegion, &QPushButton::clicked, this, [this] { emit addRegionRequested(variantTable()); });
    d->updateRuns();
    d->updateBreakEven();
}

ComparePage::~ComparePage() = default;

void ComparePage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    d->current = run;
    {
        const QString before = d->breakEvenTable->currentText();
        const QSignalBlocker blocker(d->breakEvenTable);
        d->breakEvenTable->clear();
        if (run)
            for (const auto& t : run->tables)
                d->breakEvenTable->addItem(QString::fromStdString(t.name));
        const int index = d->breakEvenTable->findText(before);
        d->breakEvenTable->setCurrentIndex(index >= 0 ? index : 0);
    }
    d->updateBreakEven();
    if (run && final) {
        for (const auto& r : d->runs)
            if (r.run == run)
                return;
        const QString base = QString::fromStdString(run->scenario);
        QString label = base;
        for (int n = 2;; ++n) {
            const bool taken
                = std::any_of(d->runs.begin(), d->runs.end(), [&](const auto& r) { return r.label == label; });
            if (!taken)
                break;
            label = QStringLiteral("%1 (%2)").arg(base).arg(n);
        }
        addRun(label, run);
    }
}

void ComparePage::addRun(const QString& label, capsim::appcore::RunSnapshot run)
{
    if (!run)
        return;
    d->runs.push_back({ label, std::move(run) });
    d->rebuildTableCombo();
    d->updateRuns();
}

void ComparePage::clearRuns()
{
    d->runs.clear();
    d->rebuildTableCombo();
    d->updateRuns();
}

QString ComparePage::variantTable() const
{
    if (d->tableCombo->currentIndex() > 0)
        return d->tableCombo->currentText();
    if (d->current && !d->current->tables.empty())
        return QString::fromStdString(d->current->tables.front().name);
    return QString();
}

int ComparePage::runCount() const
{
    return static_cast<int>(d->runs.size());
}

} // namespace capsim::studio
