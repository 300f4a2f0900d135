// The studio's result pages (capacity, partitions, cost, latency, events): each shows the figures
// of a real run (04-autoscaling-lag) exactly, every model passes QAbstractItemModelTester, charts
// decimate long series keeping peaks, and selecting an event announces its time.
// With CAPSIM_STUDIO_REVIEW_DIR set, also saves a 1400x900 PNG of each page showing the default
// scenario's run there, for review.

#include "app/studio/charts/decimation.h"
#include "app/studio/charts/heat_map_widget.h"
#include "app/studio/charts/zoom_chart_view.h"
#include "app/report/chart_renderer.h"
#include "app/studio/models/cost_breakdown_model.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/events_model.h"
#include "app/studio/models/hot_keys_model.h"
#include "app/studio/models/latency_model.h"
#include "app/studio/models/partition_detail_model.h"
#include "app/studio/pages/capacity_page.h"
#include "app/studio/pages/cost_page.h"
#include "app/studio/pages/events_page.h"
#include "app/studio/pages/latency_page.h"
#include "app/studio/pages/partitions_page.h"
#include "app/studio/table_selector.h"
#include "simulator/embedded_resources.h"
#include "simulator/results_view.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QAbstractItemModelTester>
#include <QAreaSeries>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

#include <set>

using namespace capsim;
using namespace capsim::studio;
using capsim::appcore::RunSnapshot;
using charts::ZoomChartView;

namespace {

RunSnapshot runScenario(const LoadResult& loaded)
{
    if (!loaded.scenario)
        qFatal("scenario does not load:\n%s", formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

QXYSeries* lineNamed(QChart* chart, const QString& objectName)
{
    for (QAbstractSeries* s : chart->series()) {
        if (s->objectName() == objectName)
            return qobject_cast<QXYSeries*>(s);
        if (auto* area = qobject_cast<QAreaSeries*>(s); area && area->upperSeries()->objectName() == objectName)
            return area->upperSeries();
    }
    return nullptr;
}

} // namespace

class TestStudioViews : public QObject {
    Q_OBJECT
    RunSnapshot m_run;

    const TableResult& table() const { return m_run->tables.front(); }

private slots:
    void initTestCase()
    {
        m_run = runScenario(loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/04-autoscaling-lag.json"));
        QCOMPARE(m_run->tables.size(), std::size_t(1));
        QVERIFY(!table().minutes.empty());
        QVERIFY(table().throttledWrite > 0);
        QVERIFY(table().scaleOuts > 0);
    }

    void decimationKeepsPeaks_data()
    {
        QTest::addColumn<int>("minutes");
        QTest::addColumn<int>("spikeAt");
        QTest::addRow("20 minutes, no decimation") << 20 << 7;
        QTest::addRow("1 day") << 1440 << 1000;
        QTest::addRow("30 days") << 43200 << 31234;
    }
    void decimationKeepsPeaks()
    {
        QFETCH(int, minutes);
        QFETCH(int, spikeAt);
        std::vector<QPointF> points;
        for (int m = 0; m < minutes; ++m)
            points.emplace_back(m, m == spikeAt ? 1000.0 : (m == spikeAt + 3 ? -50.0 : 10.0 + (m % 7)));
        const QList<QPointF> shown = charts::decimateMinMax(points, 0, minutes);
        QVERIFY(shown.size() <= charts::kMaxPointsPerView + 2);
        if (static_cast<int>(points.size()) <= charts::kMaxPointsPerView)
            QCOMPARE(shown.size(), qsizetype(points.size()));
        QVERIFY(shown.contains(QPointF(spikeAt, 1000.0)));
        QVERIFY(shown.contains(QPointF(spikeAt + 3, -50.0)));
        for (qsizetype i = 1; i < shown.size(); ++i)
            QVERIFY(shown[i - 1].x() <= shown[i].x());
        // A zoomed view shows only its range (and one point beyond each edge).
        const QList<QPointF> zoomed = charts::decimateMinMax(points, spikeAt - 5, spikeAt + 5);
        QCOMPARE(zoomed.size(), qsizetype(std::min(spikeAt + 6, minutes - 1) - std::max(spikeAt - 6, 0) + 1));
    }

    void capacitySeriesEqualMinutes()
    {
        CapacityPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        const auto& minutes = table().minutes;
        for (const bool reads : { true, false }) {
            auto* view = page.findChild<ZoomChartView*>(reads ? "readsChart" : "writesChart");
            QVERIFY(view);
            QXYSeries* provisioned = lineNamed(view->chart(), "provisioned");
            QXYSeries* consumed = lineNamed(view->chart(), "consumed");
            QXYSeries* throttled = lineNamed(view->chart(), "throttled");
            QVERIFY(provisioned && consumed && throttled);
            QCOMPARE(provisioned->count(), qsizetype(2 * minutes.size()));
            QCOMPARE(consumed->count(), qsizetype(2 * minutes.size()));
            QCOMPARE(throttled->count(), qsizetype(2 * minutes.size()));
            for (std::size_t i = 0; i < minutes.size(); ++i) {
                const MinuteRow& r = minutes[i];
                for (const qsizetype k : { qsizetype(2 * i), qsizetype(2 * i + 1) }) {
                    QCOMPARE(provisioned->at(k).x(), double(r.minute + (k % 2)));
                    QCOMPARE(provisioned->at(k).y(), reads ? r.provisionedRead : r.provisionedWrite);
                    QCOMPARE(consumed->at(k).y(), reads ? r.consumedRead : r.consumedWrite);
                    QCOMPARE(throttled->at(k).y(), double(reads ? r.throttledRead : r.throttledWrite));
                }
            }
        }
        // Every scale-out of writes is marked on the writes chart at its time.
        auto* writes = page.findChild<ZoomChartView*>("writesChart");
        int scaleOuts = 0;
        for (const RunEvent& e : m_run->events) {
            if (e.kind != EventKind::ScaleOut)
                continue;
            ++scaleOuts;
            const auto& markers = writes->markers();
            QVERIFY2(std::any_of(markers.begin(), markers.end(),
                         [&](const ZoomChartView::Marker& m) { return m.x == e.timeSeconds / 60 && m.label.contains("scale out"); }),
                eventText(e).c_str());
        }
        QCOMPARE(scaleOuts, int(table().scaleOuts));
    }

    void capacityHoverAndShowTime()
    {
        CapacityPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        auto* writes = page.findChild<ZoomChartView*>("writesChart");
        auto* label = page.findChild<QLabel*>("hoverLabel");
        const MinuteRow& r = table().minutes.at(8);
        emit writes->hovered(double(r.minute) + 0.4);
        QVERIFY2(label->text().contains(formatClock(double(r.minute) * 60, m_run->simulatedSeconds, false)),
            qPrintable(label->text()));
        QVERIFY2(label->text().contains(QStringLiteral("provisioned %1").arg(formatNumber(r.provisionedWrite, 1))),
            qPrintable(label->text()));
        QVERIFY(label->text().contains(QStringLiteral("%1 throttled").arg(r.throttledWrite)));

        page.showTime(600);
        auto* reads = page.findChild<ZoomChartView*>("readsChart");
        for (ZoomChartView* view : { reads, writes }) {
            QCOMPARE(view->selectedX().value_or(-1), 10.0);
            QVERIFY(view->visibleMin() <= 10 && view->visibleMax() >= 10);
        }
        // Zooming one chart zooms the other to the same range.
        writes->setXRange(4, 9);
        QCOMPARE(reads->visibleMin(), 4.0);
        QCOMPARE(reads->visibleMax(), 9.0);
        QVERIFY(reads->isZoomed());
        reads->resetZoom();
        QCOMPARE(writes->visibleMin(), writes->dataMin());
        QCOMPARE(writes->visibleMax(), writes->dataMax());
    }

    // Issue 8: the heat map said "consumed / partition limit" while dividing by min(hard limit,
    // even share). "Colour by" switches between the partition's own limit and the hard limit,
    // and the map, its values and its legend follow.
    void partitionsColourBy()
    {
        const RunSnapshot run = runScenario(loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/09-split-dilution.json"));
        PartitionsPage page;
        page.resize(1400, 900);
        page.setRun(run, true);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* heat = page.findChild<charts::HeatMapWidget*>("heatMap");
        auto* colourBy = page.findChild<QComboBox*>("colourBy");
        QVERIFY(heat && colourBy);
        QCOMPARE(colourBy->count(), 2);
        QVERIFY(colourBy->itemText(0).contains("even share"));
        QCOMPARE(colourBy->itemText(1), QStringLiteral("hard limit (3,000 RCU, 1,000 WCU)"));
        QCOMPARE(heat->colouring().measure, HeatMeasure::OwnLimit);

        // The hot item's partition after the split: ~100 WCU/s on its 100-unit share of the
        // table's 200, a tenth of the 1,000-unit hard limit.
        const auto selected = heat->selectedCell();
        QVERIFY(selected);
        const PartitionMinuteRow* hot = heat->cell(selected->first, selected->second);
        QVERIFY(hot);
        QCOMPARE(*heat->cellValue(selected->first, selected->second), hot->limitUtilisation);
        QVERIFY(hot->limitUtilisation > 0.95);
        const auto darkRed = [&] {
            const QImage image = heat->grab().toImage();
            const QRgb atLimit = report::utilisationColour(hot->limitUtilisation);
            int count = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    count += image.pixel(x, y) == atLimit ? 1 : 0;
            return count;
        };
        QVERIFY(darkRed() > 1000);

        colourBy->setCurrentIndex(1);
        QCOMPARE(heat->colouring().measure, HeatMeasure::HardLimit);
        const double expected = std::max(hot->consumedRead / 3000, hot->consumedWrite / 1000);
        QCOMPARE(*heat->cellValue(selected->first, selected->second), expected);
        QVERIFY(expected < 0.15);
        QVERIFY2(darkRed() < 50, "the map is still coloured by the partition's own limit");

        colourBy->setCurrentIndex(0);
        QCOMPARE(*heat->cellValue(selected->first, selected->second), hot->limitUtilisation);
    }

    void partitionsHeatMapAndSelection()
    {
        PartitionsPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        auto* heat = page.findChild<charts::HeatMapWidget*>("heatMap");
        QVERIFY(heat);
        std::set<std::int64_t> ids;
        for (const auto& pm : table().partitionMinutes)
            ids.insert(pm.partition);
        QCOMPARE(heat->rowCount(), int(ids.size()));
        std::map<std::int64_t, int> rowOf;
        for (int row = 0; row < heat->rowCount(); ++row)
            rowOf[heat->partitionAt(row)] = row;
        for (const auto& pm : table().partitionMinutes) {
            const PartitionMinuteRow* cell = heat->cell(rowOf.at(pm.partition), pm.minute);
            QVERIFY(cell);
            QCOMPARE(cell->limitUtilisation, pm.limitUtilisation);
        }

        auto* detail = page.findChild<PartitionDetailModel*>("partitionDetailModel");
        auto* hotKeys = page.findChild<HotKeysModel*>("hotKeysModel");
        QVERIFY(detail && hotKeys);
        QCOMPARE(hotKeys->rowCount(), int(table().hottestKeys.size()));
        for (int i = 0; i < hotKeys->rowCount(); ++i) {
            QCOMPARE(hotKeys->index(i, HotKeysModel::KeyColumn).data().toString().toStdString(), table().hottestKeys[i].key);
            QCOMPARE(hotKeys->index(i, HotKeysModel::RequestsColumn).data(HotKeysModel::ValueRole).toLongLong(),
                qlonglong(table().hottestKeys[i].requests));
        }
        const int lastRow = heat->rowCount() - 1;
        const std::int64_t partition = heat->partitionAt(lastRow);
        QSignalSpy selected(heat, &charts::HeatMapWidget::cellSelected);
        heat->selectCell(lastRow, 12);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(detail->partition(), partition);
        int expected = 0;
        double throttled = 0;
        for (const auto& pm : table().partitionMinutes) {
            if (pm.partition != partition)
                continue;
            const int row = detail->rowOfMinute(pm.minute);
            QVERIFY(row >= 0);
            QCOMPARE(detail->index(row, PartitionDetailModel::ConsumedWriteColumn).data(PartitionDetailModel::ValueRole).toDouble(),
                pm.consumedWrite);
            throttled += double(pm.throttledWrite);
            ++expected;
        }
        QCOMPARE(detail->rowCount(), expected);
        // The traffic chart shows the partition's throttled requests (two step points a minute).
        auto* chartView = page.findChild<ZoomChartView*>("partitionChart");
        QXYSeries* throttledSeries = lineNamed(chartView->chart(), "throttled");
        QVERIFY(throttledSeries);
        double shown = 0;
        for (qsizetype i = 0; i < throttledSeries->count(); i += 2)
            shown += throttledSeries->at(i).y();
        QCOMPARE(shown, throttled);
        QVERIFY(page.findChild<QLabel*>("selectionLabel")->text().contains(QStringLiteral("partition %1").arg(partition)));
    }

    void costFiguresEqualRun()
    {
        CostPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        auto* model = page.findChild<CostBreakdownModel*>("costBreakdownModel");
        QVERIFY(model);
        QCOMPARE(model->rowCount(), 1);
        const auto value = [&](int column) { return model->index(0, column).data(CostBreakdownModel::ValueRole).toDouble(); };
        QCOMPARE(value(CostBreakdownModel::TotalColumn), table().cost.total());
        QCOMPARE(value(CostBreakdownModel::ReadColumn), table().cost.read);
        QCOMPARE(value(CostBreakdownModel::WriteColumn), table().cost.write);
        QCOMPARE(value(CostBreakdownModel::StorageColumn), table().cost.storage);
        QCOMPARE(value(CostBreakdownModel::FreeTierColumn), table().cost.freeTier);
        QCOMPARE(value(CostBreakdownModel::OtherModeCostColumn), table().alternativeModeCost);
        QCOMPARE(model->index(0, CostBreakdownModel::OtherModeColumn).data().toString(), QStringLiteral("on-demand"));

        auto* view = page.findChild<ZoomChartView*>("cumulativeChart");
        QXYSeries* line = lineNamed(view->chart(), "table");
        QVERIFY(line);
        QCOMPARE(line->count(), qsizetype(table().minutes.size()));
        for (qsizetype i = 0; i < line->count(); ++i)
            QCOMPARE(line->at(i).y(), table().minutes[std::size_t(i)].costToDate);
        QVERIFY(!lineNamed(view->chart(), "total")); // one table: its line is the total
        const QString summary = page.findChild<QLabel*>("costSummary")->text();
        QVERIFY2(summary.contains(formatMoney(m_run->costTotal(), "USD")), qPrintable(summary));
        QVERIFY2(summary.contains(formatMoney(table().alternativeModeCost, "USD")), qPrintable(summary));
    }

    void costTotalRowWithSeveralTables()
    {
        auto two = std::make_shared<RunResult>(*m_run);
        TableResult second = two->tables.front();
        second.name = "Second";
        second.cost.read = 1.25;
        second.alternativeModeCost = 7.5;
        two->tables.push_back(second);
        CostBreakdownModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(two);
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.isTotalRow(2));
        QCOMPARE(model.index(2, CostBreakdownModel::TotalColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            two->costTotal());
        QCOMPARE(model.index(2, CostBreakdownModel::OtherModeCostColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            table().alternativeModeCost + 7.5);

        CostPage page;
        page.setRun(two, true);
        QVERIFY(lineNamed(page.findChild<ZoomChartView*>("cumulativeChart")->chart(), "total"));
    }

    void latencyFiguresEqualRun()
    {
        LatencyPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        auto* model = page.findChild<LatencyModel*>("latencyModel");
        QVERIFY(model);
        QCOMPARE(model->rowCount(), int(m_run->latency.size()));
        QVERIFY(m_run->latency.count("write"));
        for (int row = 0; row < model->rowCount(); ++row) {
            const LatencySummary& s = m_run->latency.at(model->keyAt(row));
            const auto value = [&](int column) { return model->index(row, column).data(LatencyModel::ValueRole).toDouble(); };
            QCOMPARE(value(LatencyModel::CountColumn), double(s.count));
            QCOMPARE(value(LatencyModel::P50Column), s.p50Ms);
            QCOMPARE(value(LatencyModel::P90Column), s.p90Ms);
            QCOMPARE(value(LatencyModel::P99Column), s.p99Ms);
            QCOMPARE(value(LatencyModel::P999Column), s.p999Ms);
            QCOMPARE(value(LatencyModel::MaxColumn), s.maxMs);
        }
        QCOMPARE(model->keyAt(0), std::string("write")); // classes first ("read" absent: no reads)
        auto* view = page.findChild<ZoomChartView*>("latencyChart");
        QXYSeries* p50 = lineNamed(view->chart(), "p50");
        QXYSeries* p99 = lineNamed(view->chart(), "p99");
        QVERIFY(p50 && p99);
        qsizetype i = 0;
        for (const MinuteRow& r : table().minutes) {
            if (r.latencyP50Ms <= 0 && r.latencyP99Ms <= 0)
                continue;
            QCOMPARE(p50->at(i).y(), r.latencyP50Ms);
            QCOMPARE(p99->at(i).y(), r.latencyP99Ms);
            ++i;
        }
        QCOMPARE(p50->count(), i);
        QVERIFY(i > 0);
    }

    void eventsModelAndSelection()
    {
        EventsPage page;
        page.resize(1400, 900);
        page.setRun(m_run, true);
        auto* model = page.findChild<EventsModel*>("eventsModel");
        auto* view = page.findChild<QTableView*>("eventsTable");
        QVERIFY(model && view);
        QCOMPARE(model->rowCount(), int(m_run->events.size()));
        for (int row = 0; row < model->rowCount(); ++row) {
            const RunEvent& e = m_run->events[std::size_t(row)];
            QCOMPARE(model->index(row, EventsModel::TimeColumn).data().toString(), formatClock(e.timeSeconds, m_run->simulatedSeconds));
            QCOMPARE(model->index(row, EventsModel::TableColumn).data().toString(),
                e.table.empty() ? EventsModel::allTablesText() : QString::fromStdString(e.table));
            QCOMPARE(model->index(row, EventsModel::KindColumn).data().toString().toStdString(), std::string(eventKindName(e.kind)));
            QCOMPARE(model->index(row, EventsModel::DetailColumn).data().toString().toStdString(), eventText(e));
        }
        QCOMPARE(formatClock(425, 1200), QStringLiteral("00:07:05"));
        QCOMPARE(formatClock(2 * 86400 + 3661, 30 * 86400), QStringLiteral("2d 01:01:01"));

        // Selecting a row announces the event's time.
        QSignalSpy spy(&page, &ResultPage::timeSelected);
        const int pick = model->rowCount() / 2;
        view->selectionModel()->setCurrentIndex(view->model()->index(pick, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toDouble(), m_run->events[std::size_t(pick)].timeSeconds);

        // showTime selects the event without announcing it again.
        page.showTime(m_run->events.front().timeSeconds);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(view->currentIndex().row(), 0);

        // Filtering by kind shows only that kind.
        auto* kinds = page.findChild<QComboBox*>("kindFilter");
        const int scaleOut = kinds->findData(QStringLiteral("scaleOut"));
        QVERIFY(scaleOut > 0);
        kinds->setCurrentIndex(scaleOut);
        QCOMPARE(view->model()->rowCount(), int(table().scaleOuts));
        for (int row = 0; row < view->model()->rowCount(); ++row)
            QCOMPARE(view->model()->index(row, EventsModel::KindColumn).data().toString(), QStringLiteral("scaleOut"));
        kinds->setCurrentIndex(0);
        QCOMPARE(view->model()->rowCount(), model->rowCount());
    }

    void modelsPassModelTester()
    {
        EventsModel events;
        CostBreakdownModel cost;
        LatencyModel latency;
        PartitionDetailModel detail;
        HotKeysModel hotKeys;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (QAbstractItemModel* model : std::initializer_list<QAbstractItemModel*> { &events, &cost, &latency, &detail, &hotKeys })
            testers.push_back(std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        for (const RunSnapshot& run : { m_run, RunSnapshot(), m_run }) {
            events.setRun(run);
            cost.setRun(run);
            latency.setRun(run);
            detail.setPartition(run, 0, run ? run->tables.front().partitionMinutes.front().partition : -1);
            hotKeys.setTable(run, 0);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(events.rowCount() > 0 && cost.rowCount() > 0 && latency.rowCount() > 0 && detail.rowCount() > 0);
    }

    void pagesClearAndTakeProgressiveSnapshots()
    {
        // A progressive snapshot (the first minutes only), then the whole run, then nothing.
        auto partial = std::make_shared<RunResult>(*m_run);
        partial->tables.front().minutes.resize(3);
        partial->tables.front().partitionMinutes.resize(std::min<std::size_t>(3, partial->tables.front().partitionMinutes.size()));
        partial->events.clear();
        CapacityPage capacity;
        PartitionsPage partitions;
        CostPage cost;
        LatencyPage latency;
        EventsPage events;
        for (ResultPage* page : std::initializer_list<ResultPage*> { &capacity, &partitions, &cost, &latency, &events }) {
            page->resize(1000, 700);
            page->setRun(partial, false);
            page->setRun(m_run, true);
            page->setRun(nullptr, true);
            page->showTime(120);
            QVERIFY(!page->title().isEmpty());
        }
        QCOMPARE(events.findChild<EventsModel*>("eventsModel")->rowCount(), 0);
    }

    // Scenario 11: the GSI byStatus throttles Orders. Its entry in the table selector shows the
    // index's own figures on every page; the cost views list index costs.
    void indexEntriesShowIndexFigures()
    {
        const RunSnapshot run
            = runScenario(loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/11-gsi-backpressure.json"));
        QCOMPARE(run->tables.size(), std::size_t(1));
        const TableResult& orders = run->tables.front();
        QCOMPARE(orders.indexes.size(), std::size_t(1));
        const TableResult& gsi = orders.indexes.front();
        QVERIFY(gsi.throttledWrite > 0);
        QVERIFY(!gsi.minutes.empty());

        CapacityPage capacity;
        capacity.resize(1400, 900);
        capacity.setRun(run, true);
        auto* selector = capacity.findChild<TableSelector*>("tableSelector");
        QVERIFY(selector);
        QCOMPARE(selector->count(), 2);
        QCOMPARE(selector->itemText(0), QStringLiteral("Orders"));
        QCOMPARE(selector->itemText(1), QStringLiteral("Orders / byStatus"));
        QVERIFY(!selector->isHidden()); // one table, but an index to choose
        QCOMPARE(selector->table(), &orders);
        selector->setCurrentIndex(1);
        QCOMPARE(selector->table(), &gsi);
        QCOMPARE(selector->tableIndex(), 0);
        QCOMPARE(selector->indexIndex(), 0);
        auto* writes = capacity.findChild<ZoomChartView*>("writesChart");
        QVERIFY(writes->chart()->title().contains(QStringLiteral("Orders / byStatus")));
        QXYSeries* provisioned = lineNamed(writes->chart(), "provisioned");
        QXYSeries* throttled = lineNamed(writes->chart(), "throttled");
        QVERIFY(provisioned && throttled);
        QCOMPARE(throttled->count(), qsizetype(2 * gsi.minutes.size()));
        double shownThrottles = 0;
        for (std::size_t i = 0; i < gsi.minutes.size(); ++i) {
            QCOMPARE(provisioned->at(qsizetype(2 * i)).y(), gsi.minutes[i].provisionedWrite);
            QCOMPARE(throttled->at(qsizetype(2 * i)).y(), double(gsi.minutes[i].throttledWrite));
            shownThrottles += throttled->at(qsizetype(2 * i)).y();
        }
        QCOMPARE(shownThrottles, double(gsi.throttledWrite));
        QCOMPARE(provisioned->at(0).y(), 5.0); // the GSI's 5 WCU, not the table's 100
        // A new snapshot of the same run keeps the index chosen.
        capacity.setRun(run, true);
        QCOMPARE(selector->currentText(), QStringLiteral("Orders / byStatus"));
        QCOMPARE(selector->table(), &gsi);

        PartitionsPage partitions;
        partitions.resize(1400, 900);
        partitions.setRun(run, true);
        auto* partitionSelector = partitions.findChild<TableSelector*>("tableSelector");
        QVERIFY(partitionSelector->choose(QStringLiteral("Orders / byStatus")));
        auto* heat = partitions.findChild<charts::HeatMapWidget*>("heatMap");
        std::set<std::int64_t> ids;
        for (const auto& pm : gsi.partitionMinutes)
            ids.insert(pm.partition);
        QCOMPARE(heat->rowCount(), int(ids.size()));
        for (const auto& pm : gsi.partitionMinutes) {
            int row = -1;
            for (int r = 0; r < heat->rowCount(); ++r)
                if (heat->partitionAt(r) == pm.partition)
                    row = r;
            const PartitionMinuteRow* cell = heat->cell(row, pm.minute);
            QVERIFY(cell);
            QCOMPARE(cell->throttledWrite, pm.throttledWrite);
        }

        LatencyPage latency;
        latency.resize(1400, 900);
        latency.setRun(run, true);
        auto* latencySelector = latency.findChild<TableSelector*>("tableSelector");
        QCOMPARE(latencySelector->count(), 2);
        QVERIFY(latencySelector->choose(QStringLiteral("Orders / byStatus")));
        QCOMPARE(latencySelector->table(), &gsi);

        CostPage cost;
        cost.resize(1400, 900);
        cost.setRun(run, true);
        auto* model = cost.findChild<CostBreakdownModel*>("costBreakdownModel");
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 2); // Orders, then its index
        QVERIFY(!model->isIndexRow(0));
        QVERIFY(model->isIndexRow(1));
        QCOMPARE(model->index(0, CostBreakdownModel::IndexesColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            orders.cost.indexes);
        QCOMPARE(model->index(0, CostBreakdownModel::TotalColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            orders.cost.total());
        QVERIFY(model->index(1, CostBreakdownModel::TableColumn).data().toString().contains(QStringLiteral("Orders / byStatus")));
        QCOMPARE(model->index(1, CostBreakdownModel::TotalColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            gsi.cost.total());
        QCOMPARE(model->index(1, CostBreakdownModel::WriteColumn).data(CostBreakdownModel::ValueRole).toDouble(),
            gsi.cost.write);
        const QString summary = cost.findChild<QLabel*>("costSummary")->text();
        QVERIFY2(summary.contains(formatMoney(orders.cost.indexes, "USD")), qPrintable(summary));

        const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            for (ResultPage* page : std::initializer_list<ResultPage*> { &capacity, &cost, &partitions }) {
                page->show();
                QVERIFY(QTest::qWaitForWindowExposed(page));
                QTest::qWait(100);
                QVERIFY(page->grab().save(dir + "/gsi-" + page->fileStem() + ".png"));
            }
            selector->setCurrentIndex(0);
            QTest::qWait(50);
            QVERIFY(capacity.grab().save(dir + "/gsi-" + capacity.fileStem() + "-table.png"));
        }
    }

    // Issue 8: an index that throttles its table must be visible without opening JSON. With a
    // table chosen, the Capacity page shows each GSI's own capacity below the table's panels
    // (indexChartDimensions, as the command line's chart), and a throttling GSI's title says so in red.
    void capacityShowsGsiPanels()
    {
        const RunSnapshot run
            = runScenario(loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/11-gsi-backpressure.json"));
        const TableResult& orders = run->tables.front();
        const TableResult& gsi = orders.indexes.at(0);
        QVERIFY(gsi.throttledWrite > 1000);
        QCOMPARE(indexChartDimensions(gsi), std::vector<Dimension> { Dimension::Write });

        CapacityPage page;
        page.resize(1400, 900);
        page.setRun(run, true);
        auto* view = page.findChild<ZoomChartView*>("gsiChart/byStatus/writes");
        QVERIFY2(view, "no panel for the GSI byStatus");
        QVERIFY(!page.findChild<ZoomChartView*>("gsiChart/byStatus/reads"));
        QXYSeries* provisioned = lineNamed(view->chart(), "provisioned");
        QXYSeries* consumed = lineNamed(view->chart(), "consumed");
        QXYSeries* throttled = lineNamed(view->chart(), "throttled");
        QVERIFY(provisioned && consumed && throttled);
        QCOMPARE(throttled->count(), qsizetype(2 * gsi.minutes.size()));
        double shownThrottles = 0;
        for (std::size_t i = 0; i < gsi.minutes.size(); ++i) {
            const MinuteRow& r = gsi.minutes[i];
            QCOMPARE(provisioned->at(qsizetype(2 * i)).y(), r.provisionedWrite);
            QCOMPARE(consumed->at(qsizetype(2 * i)).y(), r.consumedWrite);
            QCOMPARE(throttled->at(qsizetype(2 * i)).y(), double(r.throttledWrite));
            shownThrottles += throttled->at(qsizetype(2 * i)).y();
        }
        QCOMPARE(shownThrottles, double(gsi.throttledWrite));
        QCOMPARE(provisioned->at(0).y(), 5.0); // the GSI's 5 WCU, not the table's 100
        // Marked: the title counts the throttled requests, in red, and the throttles are a red area.
        const QString title = view->chart()->title();
        QVERIFY2(title.contains(QStringLiteral("GSI byStatus: writes")), qPrintable(title));
        QVERIFY2(title.contains(QStringLiteral("%1 throttled").arg(formatNumber(double(gsi.throttledWrite), 0))),
            qPrintable(title));
        QCOMPARE(view->chart()->titleBrush().color(), QColor(0xa0, 0x18, 0x18));
        QAreaSeries* throttledArea = nullptr;
        for (QAbstractSeries* s : view->chart()->series())
            if (s->objectName() == QStringLiteral("throttledArea"))
                throttledArea = qobject_cast<QAreaSeries*>(s);
        QVERIFY(throttledArea);
        QCOMPARE(throttledArea->borderColor(), QColor(0xd6, 0x27, 0x28));

        // Hovering the GSI's panel reads the GSI's figures; a chosen moment is marked there too.
        auto* label = page.findChild<QLabel*>("hoverLabel");
        const MinuteRow& r = gsi.minutes.back();
        emit view->hovered(double(r.minute) + 0.5);
        QVERIFY2(label->text().contains(QStringLiteral("byStatus")), qPrintable(label->text()));
        QVERIFY2(label->text().contains(QStringLiteral("provisioned %1").arg(formatNumber(r.provisionedWrite, 1))),
            qPrintable(label->text()));
        page.showTime(60);
        QCOMPARE(view->selectedX().value_or(-1), 1.0);
        // The plot areas line up although the GSI's units (5) label narrower than the table's (150).
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* tableWrites = page.findChild<ZoomChartView*>("writesChart");
        // (within a pixel: chart margins are whole pixels)
        const auto aligned = [&] {
            const QRectF a = view->chart()->plotArea(), b = tableWrites->chart()->plotArea();
            return a.width() > 0 && std::abs(a.left() - b.left()) < 1 && std::abs(a.right() - b.right()) < 1;
        };
        QTRY_VERIFY(aligned());
        QTest::qWait(50);
        QVERIFY(aligned());
        page.hide();

        // The index's own entry shows its figures in the two main panels, without GSI panels.
        auto* selector = page.findChild<TableSelector*>("tableSelector");
        QVERIFY(selector->choose(QStringLiteral("Orders / byStatus")));
        QVERIFY(!page.findChild<ZoomChartView*>("gsiChart/byStatus/writes"));
        QVERIFY(selector->choose(QStringLiteral("Orders")));
        QVERIFY(page.findChild<ZoomChartView*>("gsiChart/byStatus/writes"));

        // Zooming the table's panels zooms the GSI's to the same range, and back (the same run
        // stretched to an hour, as the 2-minute run cannot zoom).
        auto longer = std::make_shared<RunResult>(*run);
        longer->simulatedSeconds = 3600;
        for (std::vector<MinuteRow>* rows : { &longer->tables[0].minutes, &longer->tables[0].indexes[0].minutes }) {
            while (rows->size() < 60) {
                rows->push_back(rows->back());
                ++rows->back().minute;
            }
        }
        page.setRun(longer, true);
        auto* writes = page.findChild<ZoomChartView*>("writesChart");
        view = page.findChild<ZoomChartView*>("gsiChart/byStatus/writes");
        QCOMPARE(view->dataMax(), 60.0);
        writes->setXRange(5, 25);
        QCOMPARE(view->visibleMin(), 5.0);
        QCOMPARE(view->visibleMax(), 25.0);
        QVERIFY(view->isZoomed());
        view->resetZoom();
        QCOMPARE(writes->visibleMax(), 60.0);
        QVERIFY(!writes->isZoomed());

        page.setRun(nullptr, true);
        QVERIFY(!page.findChild<ZoomChartView*>("gsiChart/byStatus/writes"));
    }

    // Scenario 10: a panel per GSI dimension, none for a table without indexes; an index that
    // throttles nothing keeps the plain title.
    void capacityGsiPanelsPerTable()
    {
        const RunSnapshot run = runScenario(
            loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/10-gsi-write-amplification.json"));
        CapacityPage page;
        page.resize(1400, 900);
        page.setRun(run, true);
        auto* selector = page.findChild<TableSelector*>("tableSelector");
        std::size_t tablesWithPanels = 0;
        for (const TableResult& table : run->tables) {
            QVERIFY(selector->choose(QString::fromStdString(table.name)));
            std::set<QString> expected;
            for (const TableResult& index : table.indexes)
                for (const Dimension dim : indexChartDimensions(index))
                    expected.insert(QStringLiteral("gsiChart/%1/%2")
                                        .arg(QString::fromStdString(index.name),
                                            dim == Dimension::Read ? QStringLiteral("reads") : QStringLiteral("writes")));
            std::set<QString> shown;
            for (ZoomChartView* view : page.findChildren<ZoomChartView*>()) {
                if (!view->objectName().startsWith(QStringLiteral("gsiChart/")))
                    continue;
                shown.insert(view->objectName());
                QVERIFY(!view->chart()->title().contains(QStringLiteral("throttled")));
                QVERIFY(lineNamed(view->chart(), "consumed")->count() > 0);
            }
            QCOMPARE(shown, expected);
            tablesWithPanels += expected.empty() ? 0 : 1;
            if (const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !dir.isEmpty()) {
                QDir().mkpath(dir);
                page.show();
                QVERIFY(QTest::qWaitForWindowExposed(&page));
                QTest::qWait(100);
                QVERIFY(page.grab().save(dir + "/gsi-capacity-" + QString::fromStdString(table.name) + ".png"));
            }
        }
        QCOMPARE(tablesWithPanels, run->tables.size() - 1);
    }

    void screenshotsForReview()
    {
        const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR");
        if (dir.isEmpty())
            QSKIP("set CAPSIM_STUDIO_REVIEW_DIR to save screenshots of each page");
        const std::string* text = embeddedResource("default-scenario.json");
        QVERIFY(text);
        const RunSnapshot run = runScenario(loadScenarioText(*text, "."));
        QDir().mkpath(dir);
        std::vector<std::unique_ptr<ResultPage>> pages;
        pages.push_back(std::make_unique<CapacityPage>());
        pages.push_back(std::make_unique<PartitionsPage>());
        pages.push_back(std::make_unique<CostPage>());
        pages.push_back(std::make_unique<LatencyPage>());
        pages.push_back(std::make_unique<EventsPage>());
        for (auto& page : pages) {
            page->resize(1400, 900);
            page->setRun(run, true);
            page->show();
            QVERIFY(QTest::qWaitForWindowExposed(page.get()));
            QTest::qWait(100);
            QVERIFY(page->grab().save(dir + "/" + page->fileStem() + ".png"));
            const double flashSale = 19 * 3600 + 300;
            page->showTime(flashSale);
            QTest::qWait(50);
            QVERIFY(page->grab().save(dir + "/" + page->fileStem() + "-at-19h05.png"));
        }
    }
};

QTEST_MAIN(TestStudioViews)
#include "tst_studio_views.moc"
