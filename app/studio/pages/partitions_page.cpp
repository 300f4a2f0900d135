#include "app/studio/pages/partitions_page.h"

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/heat_map_widget.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/hot_keys_model.h"
#include "app/studio/models/partition_detail_model.h"
#include "app/studio/table_selector.h"

#include <QAreaSeries>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

struct PartitionsPage::Private {
    capsim::appcore::RunSnapshot run;
    TableSelector* tables = nullptr;
    QComboBox* colourBy = nullptr;
    QLabel* hoverLabel = nullptr;
    QLabel* selectionLabel = nullptr;
    charts::HeatMapWidget* heatMap = nullptr;
    PartitionDetailModel* detailModel = nullptr;
    HotKeysModel* hotKeysModel = nullptr;
    QTableView* detailView = nullptr;
    // The selected partition's traffic: consumed read and write units/s, throttled requests/min.
    QChart* chart = nullptr;
    ZoomChartView* chartView = nullptr;
    charts::TimeAxis* time = nullptr;
    QValueAxis* units = nullptr;
    QValueAxis* throttles = nullptr;
    std::vector<DecimatedSeries> series;
    std::int64_t selectedPartition = -1;

    const TableResult* table() const { return tables->table(); }
    HeatMeasure measure() const { return static_cast<HeatMeasure>(colourBy->currentData().toInt()); }
    HeatColouring colouring() const
    {
        return run ? heatColouring(*run, measure()) : HeatColouring { measure(), HeatColouring().partitionLimits };
    }
    // Names the measures with the run's limits and colours the map by the chosen one.
    void applyColouring()
    {
        HeatColouring hard = colouring();
        hard.measure = HeatMeasure::HardLimit;
        colourBy->setItemText(0, PartitionsPage::tr("own limit: min(hard limit, even share of table)"));
        colourBy->setItemText(1,
            PartitionsPage::tr("hard limit (%1 RCU, %2 WCU)")
                .arg(formatNumber(hard.partitionLimits[Dimension::Read], 0),
                    formatNumber(hard.partitionLimits[Dimension::Write], 0)));
        heatMap->setColouring(colouring());
    }
    QString cellText(int row, std::int64_t minute) const
    {
        const PartitionMinuteRow* c = heatMap->cell(row, minute);
        const QString when = formatClock(static_cast<double>(minute) * 60, run ? run->simulatedSeconds : 0, false);
        if (!c)
            return PartitionsPage::tr("<b>partition %1</b> at %2: did not exist").arg(heatMap->partitionAt(row)).arg(when);
        const double ofHardLimit = run ? heatValue(*c, heatColouring(*run, HeatMeasure::HardLimit)) : 0.0;
        return PartitionsPage::tr("<b>partition %1</b> at <b>%2</b>: <b>%3 %</b> of its own limit, <b>%9 %</b> of the "
                                  "hard limit · reads %4 units/s · writes %5 units/s · throttled %6 reads, %7 writes · %8 MB")
            .arg(c->partition)
            .arg(when, formatNumber(c->limitUtilisation * 100, 1), formatNumber(c->consumedRead, 2),
                formatNumber(c->consumedWrite, 2), formatNumber(static_cast<double>(c->throttledRead), 0),
                formatNumber(static_cast<double>(c->throttledWrite), 0),
                formatNumber(static_cast<double>(c->sizeBytes) / 1e6, 1), formatNumber(ofHardLimit * 100, 1));
    }
};

PartitionsPage::PartitionsPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    d->tables = new TableSelector;
    bar->addWidget(d->tables);
    bar->addWidget(new QLabel(tr("Colour by")));
    d->colourBy = new QComboBox;
    d->colourBy->setObjectName(QStringLiteral("colourBy"));
    d->colourBy->addItem(QString(), static_cast<int>(HeatMeasure::OwnLimit));
    d->colourBy->addItem(QString(), static_cast<int>(HeatMeasure::HardLimit));
    d->colourBy->setItemData(0,
        tr("Consumed units/s over the partition's own limit: its even share of the table's capacity, or the hard "
           "limit when lower. Above 100 % the partition lives on burst or adaptive capacity."),
        Qt::ToolTipRole);
    d->colourBy->setItemData(1, tr("Consumed units/s over the hard limit no partition can exceed"), Qt::ToolTipRole);
    d->colourBy->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(d->colourBy);
    d->hoverLabel = new QLabel(tr("Point at a cell to read it; click to see that partition's traffic below."));
    d->hoverLabel->setObjectName(QStringLiteral("hoverLabel"));
    d->hoverLabel->setTextFormat(Qt::RichText);
    bar->addWidget(d->hoverLabel, 1);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Vertical);
    d->heatMap = new charts::HeatMapWidget;
    d->heatMap->setObjectName(QStringLiteral("heatMap"));
    splitter->addWidget(d->heatMap);

    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    d->selectionLabel = new QLabel(tr("No partition selected."));
    d->selectionLabel->setObjectName(QStringLiteral("selectionLabel"));
    d->selectionLabel->setTextFormat(Qt::RichText);
    d->selectionLabel->setWordWrap(true);
    lowerLayout->addWidget(d->selectionLabel);
    auto* lowerSplit = new QSplitter(Qt::Horizontal);
    auto* tabs = new QTabWidget;

    d->chart = new QChart;
    d->chart->legend()->setAlignment(Qt::AlignTop);
    d->chart->setMargins(QMargins(2, 2, 2, 2));
    auto* throttledUpper = new QLineSeries;
    throttledUpper->setObjectName(QStringLiteral("throttled"));
    auto* throttled = new QAreaSeries(throttledUpper);
    throttled->setName(tr("throttled requests/min (right axis)"));
    throttled->setColor(QColor(0xd6, 0x27, 0x28, 140));
    throttled->setBorderColor(QColor(0xd6, 0x27, 0x28));
    auto* reads = new QLineSeries;
    reads->setObjectName(QStringLiteral("consumedRead"));
    reads->setName(tr("read units/s"));
    reads->setColor(QColor(0x1f, 0x77, 0xb4));
    auto* writes = new QLineSeries;
    writes->setObjectName(QStringLiteral("consumedWrite"));
    writes->setName(tr("write units/s"));
    writes->setColor(QColor(0xff, 0x7f, 0x0e));
    d->chart->addSeries(throttled);
    d->chart->addSeries(reads);
    d->chart->addSeries(writes);
    d->time = new charts::TimeAxis;
    d->units = new QValueAxis;
    d->units->setTitleText(tr("units/s"));
    d->units->setLabelFormat(QStringLiteral("%.1f"));
    d->throttles = new QValueAxis;
    d->throttles->setTitleText(tr("throttled/min"));
    d->throttles->setLabelFormat(QStringLiteral("%.0f"));
    d->throttles->setLabelsColor(QColor(0xa0, 0x18, 0x18));
    d->throttles->setGridLineVisible(false);
    d->chart->addAxis(d->time, Qt::AlignBottom);
    d->chart->addAxis(d->units, Qt::AlignLeft);
    d->chart->addAxis(d->throttles, Qt::AlignRight);
    for (QAbstractSeries* s : { static_cast<QAbstractSeries*>(reads), static_cast<QAbstractSeries*>(writes) }) {
        s->attachAxis(d->time);
        s->attachAxis(d->units);
    }
    throttled->attachAxis(d->time);
    throttled->attachAxis(d->throttles);
    d->series = { DecimatedSeries(reads), DecimatedSeries(writes), DecimatedSeries(throttledUpper) };
    d->chartView = new ZoomChartView(d->chart);
    d->chartView->setObjectName(QStringLiteral("partitionChart"));
    tabs->addTab(d->chartView, tr("Traffic"));

    d->detailModel = new PartitionDetailModel(this);
    d->detailModel->setObjectName(QStringLiteral("partitionDetailModel"));
    d->detailView = new QTableView;
    d->detailView->setObjectName(QStringLiteral("partitionMinutes"));
    d->detailView->setModel(d->detailModel);
    d->detailView->verticalHeader()->hide();
    d->detailView->verticalHeader()->setDefaultSectionSize(d->detailView->fontMetrics().height() + 8);
    d->detailView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    d->detailView->setSelectionBehavior(QAbstractItemView::SelectRows);
    tabs->addTab(d->detailView, tr("Minutes"));
    lowerSplit->addWidget(tabs);

    d->hotKeysModel = new HotKeysModel(this);
    d->hotKeysModel->setObjectName(QStringLiteral("hotKeysModel"));
    auto* hotKeys = new QTableView;
    hotKeys->setObjectName(QStringLiteral("hotKeys"));
    hotKeys->setModel(d->hotKeysModel);
    hotKeys->verticalHeader()->hide();
    hotKeys->verticalHeader()->setDefaultSectionSize(hotKeys->fontMetrics().height() + 8);
    hotKeys->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    hotKeys->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    hotKeys->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    hotKeys->setToolTip(tr("The table's most requested partition keys over the run"));
    lowerSplit->addWidget(hotKeys);
    lowerSplit->setStretchFactor(0, 3);
    lowerSplit->setStretchFactor(1, 1);
    lowerLayout->addWidget(lowerSplit, 1);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(d->heatMap, &charts::HeatMapWidget::cellHovered, this,
        [this](int row, qint64 minute) { d->hoverLabel->setText(d->cellText(row, minute)); });
    connect(d->heatMap, &charts::HeatMapWidget::cellSelected, this, [this](int row, qint64 minute) {
        const std::int64_t partition = d->heatMap->partitionAt(row);
        if (partition != d->selectedPartition || d->detailModel->rowCount() == 0) {
            d->selectedPartition = partition;
            d->detailModel->setPartition(d->run, d->table(), partition);
            std::vector<QPointF> read, write, throttledPoints;
            for (int i = 0; i < d->detailModel->rowCount(); ++i) {
                const PartitionMinuteRow& r = d->detailModel->minuteRow(i);
                const auto m = static_cast<double>(r.minute);
                read.emplace_back(m + 0.5, r.consumedRead);
                write.emplace_back(m + 0.5, r.consumedWrite);
                const auto t = static_cast<double>(r.throttledRead + r.throttledWrite);
                throttledPoints.emplace_back(m, t);
                throttledPoints.emplace_back(m + 1, t);
            }
            d->units->setRange(0, std::max({ 0.1, charts::maxYIn(read, -1e18, 1e18), charts::maxYIn(write, -1e18, 1e18) }) * 1.08);
            d->units->applyNiceNumbers();
            d->units->setLabelFormat(d->units->max() >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
            d->throttles->setRange(0, std::max(10.0, charts::maxYIn(throttledPoints, -1e18, 1e18) * 1.08));
            d->throttles->applyNiceNumbers();
            d->series[0].setPoints(std::move(read));
            d->series[1].setPoints(std::move(write));
            d->series[2].setPoints(std::move(throttledPoints));
            d->chart->setTitle(tr("partition %1").arg(partition));
            d->time->setRunSpanMinutes(d->heatMap->endMinute() - d->heatMap->firstMinute());
            d->chartView->setDataRange(static_cast<double>(d->heatMap->firstMinute()), static_cast<double>(d->heatMap->endMinute()));
            for (const auto& s : d->series)
                s.show(d->chartView->visibleMin(), d->chartView->visibleMax());
        }
        d->chartView->setSelectedX(static_cast<double>(minute) + 0.5);
        d->selectionLabel->setText(tr("Selected: %1").arg(d->cellText(row, minute)));
        const int detailRow = d->detailModel->rowOfMinute(minute);
        if (detailRow >= 0)
            d->detailView->scrollTo(d->detailModel->index(detailRow, 0), QAbstractItemView::PositionAtCenter);
    });
    connect(d->chartView, &ZoomChartView::xRangeChanged, this, [this](double lo, double hi) {
        for (const auto& s : d->series)
            s.show(lo, hi);
    });
    connect(d->chartView, &ZoomChartView::clicked, this, [this](double x) { emit timeSelected(x * 60); });
    connect(d->tables, &TableSelector::tableChosen, this, [this] {
        d->selectedPartition = -1;
        setRun(d->run, true);
    });
    connect(d->colourBy, &QComboBox::currentIndexChanged, this, [this] { d->applyColouring(); });
    d->applyColouring();
}

PartitionsPage::~PartitionsPage() = default;

void PartitionsPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->tables->setRun(d->run);
    d->applyColouring();
    const auto selected = d->heatMap->selectedCell();
    d->heatMap->setTable(d->table());
    d->hotKeysModel->setTable(d->run, d->table());
    // Keep showing the selected partition across progressive snapshots; else select the hottest
    // cell, so the page opens on the partition that matters.
    d->detailModel->setPartition(nullptr, -1, -1);
    if (d->heatMap->rowCount() == 0) {
        d->selectedPartition = -1;
        for (auto& s : d->series)
            s.setPoints({});
        d->chartView->setDataRange(0, 1);
        d->selectionLabel->setText(tr("No partition selected."));
        return;
    }
    int row = -1;
    std::int64_t minute = d->heatMap->firstMinute();
    if (d->selectedPartition >= 0 && selected) {
        for (int r = 0; r < d->heatMap->rowCount(); ++r) {
            if (d->heatMap->partitionAt(r) == d->selectedPartition)
                row = r;
        }
        minute = selected->second;
    }
    if (row < 0) {
        double hottest = -1;
        const HeatColouring colouring = d->colouring();
        for (const auto& pm : d->table()->partitionMinutes) {
            if (heatValue(pm, colouring) > hottest) {
                hottest = heatValue(pm, colouring);
                minute = pm.minute;
                for (int r = 0; r < d->heatMap->rowCount(); ++r) {
                    if (d->heatMap->partitionAt(r) == pm.partition)
                        row = r;
                }
            }
        }
    }
    d->selectedPartition = -1;
    d->heatMap->selectCell(std::max(0, row), minute);
}

void PartitionsPage::showTime(double seconds)
{
    d->heatMap->setMarkedMinute(seconds / 60.0);
    d->chartView->setSelectedX(seconds / 60.0);
}

} // namespace capsim::studio
