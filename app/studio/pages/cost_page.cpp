#include "app/studio/pages/cost_page.h"

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/models/cost_breakdown_model.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/global_tables.h"
#include "simulator/results_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

namespace {

// One hue per table line (Tableau 10 without its red, which belongs to throttling).
constexpr std::array<QRgb, 9> kTableColours
    = { 0xff1f77b4, 0xffff7f0e, 0xff2ca02c, 0xff9467bd, 0xff8c564b, 0xffe377c2, 0xff7f7f7f, 0xffbcbd22, 0xff17becf };

QChart* plainChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignTop);
    // Room on the right for the last time label, which is centred on the plot's edge.
    chart->setMargins(QMargins(2, 2, 24, 2));
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

// An axis range from 0 (or `lo`) to a bit above `top`, readable however small the amounts.
double moneyAxisTop(double top, double headroom)
{
    return top > 0 ? top * headroom : 0.01;
}

} // namespace

struct CostPage::Private {
    capsim::appcore::RunSnapshot run;
    QLabel* summary = nullptr;
    QChart* cumulative = nullptr;
    ZoomChartView* cumulativeView = nullptr;
    charts::TimeAxis* time = nullptr;
    QValueAxis* money = nullptr;
    std::vector<DecimatedSeries> series;
    CostBreakdownModel* model = nullptr;
    QTableView* table = nullptr;
    QChart* breakdown = nullptr;
    QChartView* breakdownView = nullptr;
    QChart* modes = nullptr;
    QChartView* modesView = nullptr;

    void rebuildBarCharts();
    void rebuildSummary();
};

CostPage::CostPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    auto* layout = new QVBoxLayout(this);
    d->summary = new QLabel;
    d->summary->setObjectName(QStringLiteral("costSummary"));
    d->summary->setTextFormat(Qt::RichText);
    d->summary->setWordWrap(true);
    layout->addWidget(d->summary);

    d->cumulative = plainChart(tr("Cumulative cost"));
    d->time = new charts::TimeAxis;
    d->money = new QValueAxis;
    d->money->setTitleText(tr("cost to date"));
    d->cumulative->addAxis(d->time, Qt::AlignBottom);
    d->cumulative->addAxis(d->money, Qt::AlignLeft);
    d->cumulativeView = new ZoomChartView(d->cumulative);
    d->cumulativeView->setObjectName(QStringLiteral("cumulativeChart"));
    layout->addWidget(d->cumulativeView, 3);

    d->model = new CostBreakdownModel(this);
    d->model->setObjectName(QStringLiteral("costBreakdownModel"));
    d->table = new QTableView;
    d->table->setObjectName(QStringLiteral("costTable"));
    d->table->setModel(d->model);
    d->table->verticalHeader()->hide();
    d->table->verticalHeader()->setDefaultSectionSize(d->table->fontMetrics().height() + 8);
    d->table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    d->table->horizontalHeader()->setStretchLastSection(false);
    d->table->setAlternatingRowColors(true);
    layout->addWidget(d->table);

    auto* bars = new QSplitter(Qt::Horizontal);
    d->breakdown = plainChart(tr("Cost by line item"));
    d->breakdownView = new QChartView(d->breakdown);
    d->breakdownView->setObjectName(QStringLiteral("breakdownChart"));
    d->breakdownView->setRenderHint(QPainter::Antialiasing);
    bars->addWidget(d->breakdownView);
    d->modes = plainChart(tr("The same traffic in the other capacity mode"));
    d->modesView = new QChartView(d->modes);
    d->modesView->setObjectName(QStringLiteral("otherModeChart"));
    d->modesView->setRenderHint(QPainter::Antialiasing);
    bars->addWidget(d->modesView);
    bars->setMinimumHeight(260);
    layout->addWidget(bars, 2);

    connect(d->cumulativeView, &ZoomChartView::xRangeChanged, this, [this](double lo, double hi) {
        for (const auto& s : d->series)
            s.show(lo, hi);
    });
    connect(d->cumulativeView, &ZoomChartView::clicked, this, [this](double x) { emit timeSelected(x * 60); });
}

CostPage::~CostPage() = default;

void CostPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->model->setRun(d->run);
    for (QAbstractSeries* s : d->cumulative->series()) {
        d->cumulative->removeSeries(s);
        delete s;
    }
    d->series.clear();
    const QString currency = d->run ? QString::fromStdString(d->run->currency) : QStringLiteral("USD");
    d->money->setLabelFormat(moneyAxisFormat(currency));
    double first = 0;
    double end = d->run ? std::max(1.0, std::ceil(d->run->simulatedSeconds / 60.0)) : 1.0;
    double top = 0;
    if (d->run) {
        const auto addLine = [&](const QString& name, std::vector<QPointF> points, QColor colour, bool dashed) {
            auto* line = new QLineSeries;
            line->setName(name);
            line->setObjectName(dashed ? QStringLiteral("total") : QStringLiteral("table"));
            QPen pen(colour);
            pen.setWidthF(dashed ? 2.5 : 2);
            if (dashed)
                pen.setStyle(Qt::DashLine);
            line->setPen(pen);
            d->cumulative->addSeries(line);
            line->attachAxis(d->time);
            line->attachAxis(d->money);
            top = std::max(top, charts::maxYIn(points, -1e18, 1e18));
            DecimatedSeries series(line);
            series.setPoints(std::move(points));
            d->series.push_back(std::move(series));
        };
        std::size_t colour = 0;
        for (const TableResult& t : d->run->tables) {
            std::vector<QPointF> points;
            points.reserve(t.minutes.size());
            for (const MinuteRow& r : t.minutes) {
                points.emplace_back(static_cast<double>(r.minute + 1), r.costToDate);
                end = std::max(end, static_cast<double>(r.minute + 1));
            }
            addLine(tr("%1 (%2)").arg(QString::fromStdString(t.name), CostBreakdownModel::modeName(t.billingMode)),
                std::move(points), QColor::fromRgb(kTableColours[colour++ % kTableColours.size()]), false);
        }
        if (d->run->tables.size() > 1) {
            std::vector<QPointF> points;
            for (const MinuteCost& c : totalCostByMinute(*d->run))
                points.emplace_back(static_cast<double>(c.minute + 1), c.costToDate);
            addLine(tr("all tables"), std::move(points), QColor(0x22, 0x22, 0x22), true);
        }
    }
    d->money->setRange(0, moneyAxisTop(top, 1.08));
    d->money->applyNiceNumbers();
    d->money->setLabelFormat(moneyAxisFormat(currency, d->money->max() - d->money->min()));
    d->time->setRunSpanMinutes(static_cast<std::int64_t>(end - first));
    d->cumulativeView->setDataRange(first, end);
    for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ReplicationColumn; ++c)
        d->table->setColumnHidden(c, !d->model->isColumnUsed(c));
    d->table->resizeColumnsToContents();
    const int rows = d->model->rowCount();
    d->table->setMaximumHeight(d->table->horizontalHeader()->height() + std::max(rows, 1) * d->table->verticalHeader()->defaultSectionSize()
        + 2 * d->table->frameWidth() + 2);
    d->rebuildBarCharts();
    d->rebuildSummary();
}

void CostPage::Private::rebuildBarCharts()
{
    breakdown->removeAllSeries();
    modes->removeAllSeries();
    for (QChart* chart : { breakdown, modes }) {
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
    }
    if (!run || run->tables.empty())
        return;
    const QString currency = QString::fromStdString(run->currency);
    const QString prefix = currency == QLatin1String("USD") ? QStringLiteral("$") : QString();
    QStringList names;
    for (const TableResult& t : run->tables)
        names << QString::fromStdString(t.name);

    auto* stack = new QStackedBarSeries;
    stack->setObjectName(QStringLiteral("breakdown"));
    // The capacity lines, then the data features the run uses (CostBreakdownModel's columns).
    struct Item {
        QString name;
        QColor colour;
        std::function<double(const TableResult&)> value;
    };
    std::vector<Item> items = {
        { CostPage::tr("read"), QColor(0x1f, 0x77, 0xb4), [](const TableResult& t) { return t.cost.read; } },
        { CostPage::tr("write"), QColor(0xff, 0x7f, 0x0e), [](const TableResult& t) { return t.cost.write; } },
        { CostPage::tr("storage"), QColor(0x2c, 0xa0, 0x2c), [](const TableResult& t) { return t.cost.storage; } },
        { CostPage::tr("free tier"), QColor(0x9d, 0x9d, 0x9d), [](const TableResult& t) { return t.cost.freeTier; } },
        { CostPage::tr("indexes"), QColor(0x94, 0x67, 0xbd), [](const TableResult& t) { return t.cost.indexes; } },
    };
    const std::array<QRgb, 8> featureColours
        = { 0xff17becf, 0xff8c564b, 0xffbcbd22, 0xffe377c2, 0xff393b79, 0xff637939, 0xffd62728, 0xff7b4173 };
    for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ReplicationColumn; ++c) {
        if (!model->isColumnUsed(c))
            continue;
        items.push_back({ model->headerData(c, Qt::Horizontal).toString().toLower().replace(QStringLiteral("pitr"), QStringLiteral("PITR")),
            QColor::fromRgb(featureColours[static_cast<std::size_t>(c - CostBreakdownModel::StreamsColumn)]),
            [c](const TableResult& t) { return CostBreakdownModel::dataFeatureCost(t, c); } });
    }
    double lo = 0;
    double hi = 0;
    for (const Item& item : items) {
        auto* set = new QBarSet(item.name);
        set->setColor(item.colour);
        set->setBorderColor(item.colour.darker(120));
        for (const TableResult& t : run->tables)
            set->append(item.value(t));
        stack->append(set);
    }
    for (const TableResult& t : run->tables) {
        double positive = 0;
        double negative = 0;
        for (const Item& item : items) {
            const double v = item.value(t);
            (v >= 0 ? positive : negative) += v;
        }
        hi = std::max(hi, positive);
        lo = std::min(lo, negative);
    }
    breakdown->addSeries(stack);
    auto* categories = new QBarCategoryAxis;
    categories->append(names);
    auto* values = new QValueAxis;
    values->setLabelFormat(moneyAxisFormat(currency));
    values->setRange(lo * 1.1, moneyAxisTop(hi, 1.1));
    values->applyNiceNumbers();
    values->setLabelFormat(moneyAxisFormat(currency, values->max() - values->min()));
    breakdown->addAxis(categories, Qt::AlignBottom);
    breakdown->addAxis(values, Qt::AlignLeft);
    stack->attachAxis(categories);
    stack->attachAxis(values);

    auto* pair = new QBarSeries;
    pair->setObjectName(QStringLiteral("otherMode"));
    auto* actual = new QBarSet(CostPage::tr("actual cost"));
    actual->setColor(QColor(0x1f, 0x77, 0xb4));
    auto* other = new QBarSet(CostPage::tr("same traffic, other mode"));
    other->setColor(QColor(0xbc, 0xbd, 0x22));
    double top = 0;
    QStringList modeNames;
    QStringList switches;
    for (const TableResult& t : run->tables) {
        actual->append(t.cost.total());
        other->append(t.alternativeModeCost);
        top = std::max({ top, t.cost.total(), t.alternativeModeCost });
        const QString change = CostPage::tr("%1 → %2").arg(
            CostBreakdownModel::modeName(t.billingMode), CostBreakdownModel::otherModeName(t.billingMode));
        if (!switches.contains(change))
            switches << change;
        modeNames << QString::fromStdString(t.name);
    }
    modes->setTitle(CostPage::tr("The same traffic in the other capacity mode (%1)").arg(switches.join(QStringLiteral(", "))));
    pair->append(actual);
    pair->append(other);
    pair->setLabelsVisible(true);
    pair->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    pair->setLabelsFormat(prefix + QStringLiteral("@value"));
    pair->setLabelsPrecision(4);
    actual->setLabelColor(QColor(0x22, 0x22, 0x22));
    other->setLabelColor(QColor(0x22, 0x22, 0x22));
    modes->addSeries(pair);
    auto* modeAxis = new QBarCategoryAxis;
    modeAxis->append(modeNames);
    auto* modeValues = new QValueAxis;
    modeValues->setLabelFormat(moneyAxisFormat(currency));
    modeValues->setRange(0, moneyAxisTop(top, 1.18));
    modeValues->applyNiceNumbers();
    modeValues->setLabelFormat(moneyAxisFormat(currency, modeValues->max() - modeValues->min()));
    modes->addAxis(modeAxis, Qt::AlignBottom);
    modes->addAxis(modeValues, Qt::AlignLeft);
    pair->attachAxis(modeAxis);
    pair->attachAxis(modeValues);
}

void CostPage::Private::rebuildSummary()
{
    if (!run) {
        summary->setText(CostPage::tr("No run yet."));
        return;
    }
    const QString currency = QString::fromStdString(run->currency);
    QStringList lines;
    lines << CostPage::tr("<b>%1</b> for the run (%2 simulated, prices %3).")
                 .arg(formatMoney(run->costTotal(), currency),
                     formatDuration(run->simulatedSeconds),
                     QString::fromStdString(run->pricingLabel).toHtmlEscaped());
    for (const TableResult& t : run->tables) {
        const double actual = t.cost.total();
        const double other = t.alternativeModeCost;
        QString comparison;
        if (actual > 0) {
            const double change = (other - actual) / actual * 100;
            comparison = change >= 0 ? CostPage::tr("%1 % more").arg(formatNumber(change, 0))
                                     : CostPage::tr("%1 % less").arg(formatNumber(-change, 0));
        }
        lines << CostPage::tr("%1 (%2): %3. The same traffic %4 would have cost <b>%5</b>%6.")
                     .arg(QString::fromStdString(t.name).toHtmlEscaped(), CostBreakdownModel::modeName(t.billingMode),
                         formatMoney(actual, currency),
                         t.billingMode == BillingMode::Provisioned ? CostPage::tr("on demand")
                                                                   : CostPage::tr("provisioned at the capacity it used"),
                         formatMoney(other, currency), comparison.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(comparison));
        if (t.cost.dataFeatures() != 0 || t.uses.streams || t.uses.pitr || t.uses.backups || t.uses.restore
            || t.uses.dataExport || t.uses.dataImport) {
            QStringList parts;
            for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ImportColumn; ++c)
                if (CostBreakdownModel::usesDataFeature(t, c) || CostBreakdownModel::dataFeatureCost(t, c) != 0)
                    parts << CostPage::tr("%1 %2").arg(model->headerData(c, Qt::Horizontal).toString(),
                        formatMoney(CostBreakdownModel::dataFeatureCost(t, c), currency));
            lines << CostPage::tr("&nbsp;&nbsp;of which data features: <b>%1</b> (%2).")
                         .arg(formatMoney(t.cost.dataFeatures(), currency), parts.join(QStringLiteral(", ")));
        }
        if (t.dax || t.uses.dax || t.cost.dax != 0) {
            QString cluster;
            if (t.dax)
                cluster = CostPage::tr(", %1 × %2, %3 node-hours")
                              .arg(formatNumber(static_cast<double>(t.dax->nodes), 0),
                                  QString::fromStdString(t.dax->nodeType).toHtmlEscaped(), formatNumber(t.dax->nodeHours, 2));
            lines << CostPage::tr("&nbsp;&nbsp;DAX cluster: <b>%1</b>%2, beside %3 of table read and write capacity.")
                         .arg(formatMoney(t.cost.dax, currency), cluster, formatMoney(t.cost.read + t.cost.write, currency));
        }
        if (t.uses.replication || t.cost.replication != 0 || !t.replicas.empty()) {
            QStringList parts;
            const std::string home = run->pricingLabel.substr(0, run->pricingLabel.find(' '));
            for (const RegionView& v : regionViews(t, home.empty() ? std::string("us-east-1") : home))
                parts << CostPage::tr("%1 %2").arg(QString::fromStdString(v.region).toHtmlEscaped(), formatMoney(v.cost.total(), currency));
            lines << CostPage::tr("&nbsp;&nbsp;global table: replication <b>%1</b>; by region: %2.")
                         .arg(formatMoney(t.cost.replication, currency), parts.join(QStringLiteral(", ")));
        }
        if (!t.indexes.empty()) {
            QStringList parts;
            for (const TableResult& index : t.indexes)
                parts << CostPage::tr("%1 %2").arg(QString::fromStdString(index.name).toHtmlEscaped(),
                    formatMoney(index.cost.total(), currency));
            lines << CostPage::tr("&nbsp;&nbsp;of which secondary indexes: <b>%1</b> (%2, %3 % of the table).")
                         .arg(formatMoney(t.cost.indexes, currency), parts.join(QStringLiteral(", ")),
                             formatNumber(actual > 0 ? t.cost.indexes / actual * 100 : 0, 0));
        }
    }
    summary->setText(lines.join(QStringLiteral("<br>")));
}

void CostPage::showTime(double seconds)
{
    d->cumulativeView->setSelectedX(seconds / 60.0);
}

} // namespace capsim::studio
