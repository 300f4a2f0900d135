// The report charts `capsim run` writes (cli.md "charts/*.png"): sizes, content a reader relies on
// (consumed area, throttle bars only when throttled, hotter partitions darker), files written, and
// a 30-day × 100-partition run. Set CAPSIM_CHARTS_DIR to keep the realistic run's PNGs for review.

#include "app/report/chart_axes.h"
#include "app/report/chart_renderer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QtTest>

#include <QGuiApplication>

#include <cmath>
#include <set>

using namespace capsim;
using namespace capsim::report;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::shared_ptr<const RunResult> runLibrary(const char* file)
{
    auto loaded = loadScenarioFile(std::string(CAPSIM_SOURCE_DIR "/resources/scenarios/") + file);
    if (!loaded.scenario)
        qFatal("%s does not load", file);
    SimulatorOptions options;
    options.pricing = *builtInPricing(loaded.scenario->region);
    auto result = Simulator(*loaded.scenario, options).run();
    if (!result)
        qFatal("%s failed", file);
    return *result;
}

int countColour(const QImage& image, QRgb colour)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            n += (line[x] | 0xff000000) == colour ? 1 : 0;
    }
    return n;
}

int distinctColours(const QImage& image)
{
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        colours.insert(line, line + image.width());
    }
    return static_cast<int>(colours.size());
}

RunEvent event(double minute, const std::string& table, EventKind kind, EventPayload payload)
{
    return { minute * 60, table, kind, std::move(payload) };
}

// One day of an "Orders" table: diurnal reads peaking mid-afternoon, auto scaling stepping read
// capacity 400 -> 700 -> 1000 after a morning burst that throttles, 4 partitions splitting into 8,
// plus a small on-demand "Sessions" table.
RunResult realisticRun()
{
    RunResult run;
    run.scenario = "diurnal-review";
    run.pricingLabel = "us-east-1 2024-11-01";
    TableResult orders;
    orders.name = "Orders";
    double cost = 0;
    for (std::int64_t m = 0; m < 1440; ++m) {
        MinuteRow r;
        r.minute = m;
        const double day = std::max(0.0, std::sin((static_cast<double>(m) - 360) / 1440 * 2 * kPi));
        r.provisionedRead = m < 545 ? 400 : (m < 665 ? 700 : 1000);
        r.provisionedWrite = 150;
        double demand = 120 + 650 * day + 25 * std::sin(static_cast<double>(m) / 7);
        if (m >= 510 && m < 530)
            demand += 350; // morning burst
        r.consumedRead = std::min(demand, r.provisionedRead);
        r.throttledRead = demand > r.provisionedRead ? static_cast<std::int64_t>((demand - r.provisionedRead) * 3) : 0;
        r.consumedWrite = 30 + 80 * day;
        r.partitions = m < 600 ? 4 : 8;
        cost += (r.provisionedRead * 0.00013 + r.provisionedWrite * 0.00065) / 60;
        r.costToDate = cost;
        orders.minutes.push_back(r);
        const double share[4] = { 0.2, 0.45, 0.2, 0.15 };
        for (int i = 0; i < (m < 600 ? 4 : 8); ++i) {
            PartitionMinuteRow pm;
            pm.minute = m;
            pm.partition = m < 600 ? i : 4 + i;
            const double s = m < 600 ? share[i] : share[i / 2] / 2;
            pm.consumedRead = demand * s;
            pm.limitUtilisation = demand * s / 300;
            orders.partitionMinutes.push_back(pm);
        }
    }
    orders.cost = { 0.0812, 0.1404, 0.0021, -0.0150 };
    TableResult sessions;
    sessions.name = "Sessions";
    sessions.billingMode = BillingMode::PayPerRequest;
    cost = 0;
    for (std::int64_t m = 0; m < 1440; ++m) {
        MinuteRow r;
        r.minute = m;
        r.consumedRead = 40 + 30 * std::sin(static_cast<double>(m) / 200);
        r.consumedWrite = 10 + 5 * std::sin(static_cast<double>(m) / 90);
        r.provisionedRead = 12000;
        r.provisionedWrite = 4000;
        cost += (r.consumedRead * 0.25 + r.consumedWrite * 1.25) * 60 / 1e6;
        r.costToDate = cost;
        r.partitions = 1;
        sessions.minutes.push_back(r);
        sessions.partitionMinutes.push_back(
            { m, 0, r.consumedRead, r.consumedWrite, 0, 0, 1000, r.consumedRead / 3000 });
    }
    sessions.cost = { 0.0211, 0.0174, 0.0003, 0 };
    // Cost to date follows the traffic's shape and ends at the breakdown's total.
    for (TableResult* t : { &orders, &sessions }) {
        const double scale = t->cost.total() / t->minutes.back().costToDate;
        for (auto& r : t->minutes)
            r.costToDate *= scale;
    }
    run.tables = { orders, sessions };
    run.events = {
        event(0, "", EventKind::EventApplied, WorkloadRateChanged { "shop" }),
        event(530, "Orders", EventKind::ScaleOut, ScalingDecision { Dimension::Read, 400, 700, 2, 520, 70 }),
        event(545, "Orders", EventKind::CapacityChanged, CapacityInForce { Dimension::Read, 400, 700 }),
        event(600, "Orders", EventKind::PartitionSplit, PartitionCountChange { 4, 8, false }),
        event(650, "Orders", EventKind::ScaleOut, ScalingDecision { Dimension::Read, 700, 1000, 2, 690, 70 }),
        event(665, "Orders", EventKind::CapacityChanged, CapacityInForce { Dimension::Read, 700, 1000 }),
        event(700, "Orders", EventKind::EventRefused, UnparsedDetail { "not shown" }),
        // Another table: not on Orders' chart.
        event(900, "Sessions", EventKind::ScaleOut, ScalingDecision { Dimension::Read, 1, 2, 2, 1, 70 }),
    };
    return run;
}

// A short table with constant traffic; throttles only when asked.
TableResult flatTable(bool throttled)
{
    TableResult t;
    t.name = "Flat";
    for (std::int64_t m = 0; m < 120; ++m) {
        MinuteRow r;
        r.minute = m;
        r.provisionedRead = 100;
        r.provisionedWrite = 50;
        r.consumedRead = 60 + (m % 10);
        r.consumedWrite = 30;
        r.throttledRead = throttled && m >= 40 && m < 60 ? 250 : 0;
        r.costToDate = 0.001 * static_cast<double>(m);
        t.minutes.push_back(r);
    }
    return t;
}

QString chartsDirectory(QTemporaryDir& temporary)
{
    const QString kept = qEnvironmentVariable("CAPSIM_CHARTS_DIR");
    return kept.isEmpty() ? temporary.path() : kept;
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT

private slots:
    void niceScaleSteps_data()
    {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<int>("maxIntervals");
        QTest::addColumn<bool>("integerSteps");
        QTest::addColumn<double>("max");
        QTest::addColumn<double>("step");
        QTest::addRow("units/s") << 0.0 << 1080.0 << 8 << false << 1200.0 << 200.0;
        QTest::addRow("exact multiple") << 0.0 << 3000.0 << 6 << false << 3000.0 << 500.0;
        QTest::addRow("small dollars") << 0.0 << 0.0043 << 5 << false << 0.005 << 0.001;
        QTest::addRow("empty range") << 0.0 << 0.0 << 5 << false << 1.0 << 0.2;
        QTest::addRow("requests") << 0.0 << 3.0 << 10 << true << 3.0 << 1.0;
        QTest::addRow("five step") << 0.0 << 42.0 << 10 << false << 45.0 << 5.0;
    }
    void niceScaleSteps()
    {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(int, maxIntervals);
        QFETCH(bool, integerSteps);
        QFETCH(double, max);
        QFETCH(double, step);
        const AxisScale s = niceScale(lo, hi, maxIntervals, integerSteps);
        QCOMPARE(s.min, 0.0);
        QCOMPARE(s.max, max);
        QCOMPARE(s.step, step);
        QVERIFY(static_cast<int>(s.ticks().size()) <= maxIntervals + 1);
    }

    void timeLabels_data()
    {
        QTest::addColumn<qint64>("minute");
        QTest::addColumn<qint64>("span");
        QTest::addColumn<QString>("expected");
        QTest::addRow("within a day") << qint64(75) << qint64(600) << QStringLiteral("01:15");
        QTest::addRow("end of a one-day run") << qint64(1440) << qint64(1440) << QStringLiteral("24:00");
        QTest::addRow("two days") << qint64(1500) << qint64(2880) << QStringLiteral("1d 01:00");
        QTest::addRow("thirty days") << qint64(14 * 1440) << qint64(43200) << QStringLiteral("14d");
    }
    void timeLabels()
    {
        QFETCH(qint64, minute);
        QFETCH(qint64, span);
        QFETCH(QString, expected);
        const std::int64_t step = timeStepMinutes(span, 12);
        QVERIFY(span / step + 1 <= 12);
        QCOMPARE(timeLabel(minute, span, step), expected);
    }

    void chartsHaveRequestedSize_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addRow("default capacity") << QSize(1400, 800);
        QTest::addRow("small") << QSize(640, 400);
        QTest::addRow("large") << QSize(2400, 1300);
    }
    void chartsHaveRequestedSize()
    {
        QFETCH(QSize, size);
        const RunResult run = realisticRun();
        const QImage capacity = capacityChart(run.tables[0], run.events, size);
        const QImage heat = heatMap(run.tables[0], size);
        const QImage cost = costChart(run, size);
        QCOMPARE(capacity.size(), size);
        QCOMPARE(heat.size(), size);
        QCOMPARE(cost.size(), size);
        if (const QString kept = qEnvironmentVariable("CAPSIM_CHARTS_DIR"); !kept.isEmpty()) {
            const QString suffix = QStringLiteral("-%1x%2.png").arg(size.width()).arg(size.height());
            capacity.save(QDir(kept).filePath("capacity" + suffix));
            heat.save(QDir(kept).filePath("heatmap" + suffix));
            cost.save(QDir(kept).filePath("cost" + suffix));
        }
        QCOMPARE(capacityChart(run.tables[0], run.events).size(), QSize(1400, 800));
        QCOMPARE(heatMap(run.tables[0]).size(), QSize(1400, 700));
        QCOMPARE(costChart(run).size(), QSize(1400, 700));
    }

    void capacityChartShowsConsumedAndThrottles()
    {
        const RunResult run = realisticRun();
        const QImage image = capacityChart(run.tables[0], run.events);
        QVERIFY(distinctColours(image) > 50);
        QVERIFY2(countColour(image, kConsumedFill) > 20000, "the consumed area is missing");
        QVERIFY2(countColour(image, kThrottleRed) > 200, "the morning burst's throttle bars are missing");
    }

    void throttleRedOnlyWhenThrottled_data()
    {
        QTest::addColumn<bool>("throttled");
        QTest::addRow("throttled") << true;
        QTest::addRow("not throttled") << false;
    }
    void throttleRedOnlyWhenThrottled()
    {
        QFETCH(bool, throttled);
        const QImage image = capacityChart(flatTable(throttled), {});
        QVERIFY(countColour(image, kConsumedFill) > 20000);
        if (throttled)
            QVERIFY(countColour(image, kThrottleRed) > 1000);
        else
            QCOMPARE(countColour(image, kThrottleRed), 0);
    }

    void utilisationColourDarkensWithHeat()
    {
        double previous = 256;
        for (int i = 0; i <= 30; ++i) {
            const double lightness = QColor::fromRgb(utilisationColour(i * 0.05)).lightnessF() * 255;
            QVERIFY2(lightness < previous, qPrintable(QStringLiteral("utilisation %1").arg(i * 0.05)));
            previous = lightness;
        }
        QCOMPARE(utilisationColour(5.0), utilisationColour(1.5));
        QVERIFY(utilisationColour(0) != kNoPartitionGrey);
    }

    void heatMapDarkerWhereHotter()
    {
        TableResult t;
        t.name = "Heat";
        for (std::int64_t m = 0; m < 60; ++m) {
            t.partitionMinutes.push_back({ m, 7, 0, 0, 0, 0, 0, 0.2 });
            t.partitionMinutes.push_back({ m, 3, 0, 0, 0, 0, 0, 0.9 });
            if (m >= 40)
                t.partitionMinutes.push_back({ m, 11, 0, 0, 0, 0, 0, 0.5 });
        }
        const QImage image = heatMap(t);
        // Down the middle column: the cool partition (first seen) above the hot one.
        const int x = image.width() / 2;
        int coolAt = -1, hotAt = -1;
        for (int y = 0; y < image.height(); ++y) {
            const QRgb c = image.pixel(x, y);
            if (coolAt < 0 && c == utilisationColour(0.2))
                coolAt = y;
            if (hotAt < 0 && c == utilisationColour(0.9))
                hotAt = y;
        }
        QVERIFY(coolAt >= 0);
        QVERIFY(hotAt > coolAt);
        QVERIFY(
            QColor::fromRgb(image.pixel(x, hotAt)).lightness() < QColor::fromRgb(image.pixel(x, coolAt)).lightness());
        // The partition that appears at minute 40 is grey before it, coloured after it.
        QVERIFY(countColour(image, kNoPartitionGrey) > 1000);
        QVERIFY(countColour(image, utilisationColour(0.5)) > 1000);
    }

    // Issue 8: an index that throttles its table must be visible without opening JSON: each GSI
    // gets its own panel in the table's capacity chart.
    void gsiPanels_data()
    {
        QTest::addColumn<int>("table");
        QTest::addColumn<int>("panels");
        QTest::addRow("no index") << 0 << 0;
        QTest::addRow("one GSI") << 1 << 1;
        QTest::addRow("three GSIs") << 2 << 3;
        QTest::addRow("KEYS_ONLY GSI") << 3 << 1;
    }
    void gsiPanels()
    {
        QFETCH(int, table);
        QFETCH(int, panels);
        static const auto run = runLibrary("10-gsi-write-amplification.json");
        const TableResult& t = run->tables.at(static_cast<std::size_t>(table));
        QCOMPARE(gsiPanelCount(t), std::size_t(panels));
        const QImage image = capacityChart(t, run->events);
        QCOMPARE(image.size(), QSize(1400, 800 + 340 * panels));
        // Every panel draws its consumed area (the indexes consume write units too).
        const QImage lastPanel = image.copy(0, image.height() - 330, image.width(), 300);
        QVERIFY(countColour(lastPanel, kConsumedFill) > 2000);
    }

    void throttlingIndexIsVisible()
    {
        const auto run = runLibrary("11-gsi-backpressure.json");
        const TableResult& t = run->tables.at(0);
        QCOMPARE(gsiPanelCount(t), std::size_t(1));
        QVERIFY(t.indexes.at(0).throttledWrite > 1000);
        const QImage image = capacityChart(t, run->events);
        QCOMPARE(image.size(), QSize(1400, 1140));
        // The GSI's panel is the last: its throttle bars are there.
        const QImage gsiPanel = image.copy(0, image.height() - 330, image.width(), 300);
        QVERIFY2(countColour(gsiPanel, kThrottleRed) > 1000, "the throttling index's panel shows no throttles");
        TableResult withoutIndexes = t;
        withoutIndexes.indexes.clear();
        QCOMPARE(capacityChart(withoutIndexes, run->events).size(), QSize(1400, 800));
    }

    void writeChartsWritesExpectedFiles()
    {
        QTemporaryDir temporary;
        RunResult run = realisticRun();
        run.tables[1].name = "sessions/eu west";
        const QString dir = chartsDirectory(temporary);
        QString error;
        QVERIFY2(writeCharts(run, dir, &error), qPrintable(error));
        const QStringList expected = { "capacity.png", "heatmap.png", "cost.png", "capacity-Orders.png",
            "heatmap-Orders.png", "capacity-sessions_eu_west.png", "heatmap-sessions_eu_west.png" };
        for (const QString& name : expected) {
            QImage image;
            QVERIFY2(image.load(QDir(dir).filePath(name), "PNG"), qPrintable(name));
            QCOMPARE(image.size(), name.startsWith("capacity") ? QSize(1400, 800) : QSize(1400, 700));
        }
        QImage first, perTable;
        QVERIFY(first.load(QDir(dir).filePath("capacity.png")));
        QVERIFY(perTable.load(QDir(dir).filePath("capacity-Orders.png")));
        QCOMPARE(first, perTable);
    }

    void writeChartsReportsUnwritableDirectory()
    {
        QTemporaryDir temporary;
        const QString file = temporary.filePath("not-a-directory");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString error;
        QVERIFY(!writeCharts(realisticRun(), file + "/charts", &error));
        QVERIFY2(error.contains(file), qPrintable(error));
    }

    void chartFileStems_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("stem");
        QTest::addRow("plain") << "Orders"
                               << "Orders";
        QTest::addRow("dynamodb characters") << "my-table_v1.2"
                                             << "my-table_v1.2";
        QTest::addRow("path and spaces") << "../a b/c"
                                         << ".._a_b_c";
        QTest::addRow("dots only") << ".."
                                   << "table__";
        QTest::addRow("empty") << ""
                               << "table";
    }
    void chartFileStems()
    {
        QFETCH(QString, name);
        QFETCH(QString, stem);
        QCOMPARE(chartFileStem(name.toStdString()), stem);
    }

    void thirtyDaysOfHundredPartitionsRender()
    {
        constexpr std::int64_t kMinutes = 30 * 1440;
        constexpr int kPartitions = 100;
        TableResult t;
        t.name = "Big";
        t.minutes.reserve(kMinutes);
        t.partitionMinutes.reserve(static_cast<std::size_t>(kMinutes) * kPartitions);
        for (std::int64_t m = 0; m < kMinutes; ++m) {
            MinuteRow r;
            r.minute = m;
            r.provisionedRead = 5000 + 1000 * static_cast<double>(m / 4000);
            r.provisionedWrite = 2000;
            r.consumedRead = 2500 + 2000 * std::sin(static_cast<double>(m) / 1440 * 2 * kPi);
            r.consumedWrite = 900;
            r.throttledRead = m == kMinutes / 2 + 7 ? 900 : 0; // one minute: must survive decimation
            r.costToDate = 0.0001 * static_cast<double>(m);
            t.minutes.push_back(r);
            for (int i = 0; i < kPartitions; ++i) {
                const double hot = (m == 20000 && i == 42) ? 1.4 : 0.1 + 0.005 * i;
                t.partitionMinutes.push_back({ m, i, 0, 0, 0, 0, 0, hot });
            }
        }
        const QImage capacity = capacityChart(t, {});
        QVERIFY(distinctColours(capacity) > 50);
        QVERIFY(countColour(capacity, kConsumedFill) > 20000);
        QVERIFY2(countColour(capacity, kThrottleRed) > 0, "a one-minute throttle burst was decimated away");
        const QImage heat = heatMap(t);
        QVERIFY(distinctColours(heat) > 50);
        QVERIFY2(countColour(heat, utilisationColour(1.4)) > 0, "a one-minute hot partition was decimated away");
        RunResult run;
        run.tables.push_back(std::move(t));
        const QImage cost = costChart(run);
        QVERIFY(distinctColours(cost) > 20);
        if (const QString kept = qEnvironmentVariable("CAPSIM_CHARTS_DIR"); !kept.isEmpty()) {
            capacity.save(QDir(kept).filePath("30d-capacity.png"));
            heat.save(QDir(kept).filePath("30d-heatmap.png"));
            cost.save(QDir(kept).filePath("30d-cost.png"));
        }
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
