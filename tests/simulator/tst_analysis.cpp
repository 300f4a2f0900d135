// The analysis behind the Explain and Compare views: explainRun's sentences quote the run's own
// figures, and the break-even curves cross where the pricing says (hand-computed beside each row).

#include "simulator/break_even.h"
#include "simulator/explain.h"
#include "simulator/results_store.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace capsim;

namespace {

std::shared_ptr<const RunResult> runLibrary(const char* file)
{
    const std::string path = std::string(CAPSIM_SOURCE_DIR "/resources/scenarios/") + file;
    auto loaded = loadScenarioFile(path);
    if (!loaded.scenario)
        qFatal("%s does not load:\n%s", file, formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing(loaded.scenario->region);
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("%s failed: %s", file, result.status().toString().c_str());
    return *result;
}

// The first paragraph containing every one of `needles`, or "".
QString paragraphWith(const std::vector<std::string>& paragraphs, const QStringList& needles)
{
    for (const auto& p : paragraphs) {
        const QString text = QString::fromStdString(p);
        bool all = true;
        for (const auto& n : needles)
            all = all && text.contains(n);
        if (all)
            return text;
    }
    return {};
}

QString dump(const std::vector<std::string>& paragraphs)
{
    QString text;
    for (const auto& p : paragraphs)
        text += QString::fromStdString(p) + "\n";
    return text;
}

// A provisioned table with steady demand: `rate` write units/s every minute for `minutes`
// minutes, `capacity` WCU provisioned throughout, no reads.
TableResult steadyTable(double rate, double capacity, int minutes, BillingMode mode = BillingMode::Provisioned)
{
    TableResult t;
    t.name = "Steady";
    t.billingMode = mode;
    for (int m = 0; m < minutes; ++m) {
        MinuteRow row;
        row.minute = m;
        row.consumedWrite = rate;
        row.provisionedWrite = capacity;
        t.minutes.push_back(row);
    }
    t.consumedWrite = rate * 60.0 * minutes;
    t.provisionedUnitHoursWrite = mode == BillingMode::Provisioned ? capacity * minutes / 60.0 : 0.0;
    return t;
}

// x where f(x) = a(x) - b(x) changes sign, by linear interpolation between curve points.
template <typename Point, typename X, typename A, typename B>
double crossing(const std::vector<Point>& curve, X x, A a, B b)
{
    for (std::size_t i = 1; i < curve.size(); ++i) {
        const double f0 = a(curve[i - 1]) - b(curve[i - 1]);
        const double f1 = a(curve[i]) - b(curve[i]);
        if ((f0 <= 0) != (f1 <= 0))
            return x(curve[i - 1]) + (x(curve[i]) - x(curve[i - 1])) * f0 / (f0 - f1);
    }
    return -1;
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT
private slots:
    void formatting_data()
    {
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("expected");
        QTest::addRow("count") << QString::fromStdString(formatCount(12410)) << "12,410";
        QTest::addRow("count millions") << QString::fromStdString(formatCount(-1234567)) << "-1,234,567";
        QTest::addRow("count small") << QString::fromStdString(formatCount(999)) << "999";
        QTest::addRow("number") << QString::fromStdString(formatGrouped(1234.56, 1)) << "1,234.6";
        QTest::addRow("clock minute") << QString::fromStdString(formatClock(420)) << "00:07";
        QTest::addRow("clock hours") << QString::fromStdString(formatClock(9 * 3600 + 2 * 60)) << "09:02";
        QTest::addRow("clock seconds") << QString::fromStdString(formatClock(3725)) << "01:02:05";
        QTest::addRow("clock a day") << QString::fromStdString(formatClock(86400)) << "24:00";
        QTest::addRow("clock day two") << QString::fromStdString(formatClock(86400 + 3 * 3600 + 600)) << "1d 03:10";
        QTest::addRow("usd large") << QString::fromStdString(formatUsd(1234.5)) << "$1,234.50";
        QTest::addRow("usd small") << QString::fromStdString(formatUsd(0.003738225)) << "$0.003738";
        QTest::addRow("percent") << QString::fromStdString(formatPercent(0.0234)) << "2.3 %";
        QTest::addRow("percent tiny") << QString::fromStdString(formatPercent(0.00001)) << "< 0.1 %";
    }
    void formatting()
    {
        QFETCH(QString, actual);
        QFETCH(QString, expected);
        QCOMPARE(actual, expected);
    }

    void explainsAutoScalingLag()
    {
        auto run = runLibrary("04-autoscaling-lag.json");
        const auto& t = run->tables.at(0);
        const auto paragraphs = explainRun(*run);
        // Writes step from 5/s to 20/s at 00:05 on 10 WCU; throttling lasts until capacity 22 is in
        // force (00:13) and the minute after; the throttled count is whatever the result says.
        const QString throttled = QString::fromStdString(formatCount(t.throttledWrite));
        QVERIFY(t.throttledWrite > 3000);
        const QString episode = paragraphWith(paragraphs, { "Writes to Jobs were throttled from 00:05", throttled });
        QVERIFY2(!episode.isEmpty(), qPrintable(dump(paragraphs)));
        QVERIFY2(episode.contains("auto scaling lagged", Qt::CaseInsensitive), qPrintable(episode));
        QVERIFY2(episode.contains("10 WCU were in force"), qPrintable(episode));
        // Scale-out decided at 7 min (two datapoints above 7 units/s), in force 2 minutes later:
        // 00:07 and 00:09 in the hh:mm of simulated time.
        const QString action = paragraphWith(paragraphs,
            { "At 00:07 auto scaling decided to raise Jobs's write capacity from 10 to 15 WCU", "in force at 00:09",
                "2 minutes later" });
        QVERIFY2(!action.isEmpty(), qPrintable(dump(paragraphs)));
        // Every throttled write failed (maxAttempts 1): the data was not stored.
        const QString failed = paragraphWith(paragraphs, { throttled + " writes to Jobs failed", "not stored" });
        QVERIFY2(!failed.isEmpty(), qPrintable(dump(paragraphs)));
        // Provisioned; the biggest cost line is write capacity, and the other mode is quoted.
        const QString cost = paragraphWith(paragraphs,
            { "Jobs cost " + QString::fromStdString(formatUsd(t.cost.total())), "biggest line was write capacity",
                "On demand", QString::fromStdString(formatUsd(t.alternativeModeCost)) });
        QVERIFY2(!cost.isEmpty(), qPrintable(dump(paragraphs)));
    }

    void explainsHotKey()
    {
        auto run = runLibrary("03-hot-key.json");
        const auto& t = run->tables.at(0);
        const auto paragraphs = explainRun(*run);
        // 1,200 writes/s on one key + 400/s spread: the key's partition alone takes every throttle.
        std::map<std::int64_t, std::int64_t> throttles;
        for (const auto& row : t.partitionMinutes)
            throttles[row.partition] += row.throttledWrite;
        const auto hottest = std::max_element(
            throttles.begin(), throttles.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        const QString episode = paragraphWith(paragraphs,
            { "hot partition", QString("Partition %1 took").arg(hottest->first),
                QString::fromStdString(formatCount(t.throttledWrite)) });
        QVERIFY2(!episode.isEmpty(), qPrintable(dump(paragraphs)));
        QCOMPARE(QString::fromStdString(t.hottestKeys.at(0).key), QString("k0"));
        QVERIFY2(
            episode.contains("One key, k0, received " + QString::fromStdString(formatCount(t.hottestKeys[0].requests))),
            qPrintable(episode));
        QVERIFY2(episode.contains("capacity to spare"), qPrintable(episode));
    }

    // The hot-partition explanation quotes the scenario's partition limit (model.partitionWrite),
    // not DynamoDB's default 1,000, also for a run reopened from run.sqlite (issue 8, 3).
    void explainsWithTheModelsPartitionLimits()
    {
        RunResult run;
        run.scenario = "limits";
        run.simulatedSeconds = 600;
        run.partitionLimits[Dimension::Write] = 400;
        TableResult t = steadyTable(410, 2000, 10);
        t.requestsWrite = 6000;
        t.throttledWrite = 300;
        for (int m = 0; m < 10; ++m) {
            t.minutes[std::size_t(m)].requestsWrite = 600;
            if (m >= 3 && m < 6)
                t.minutes[std::size_t(m)].throttledWrite = 100;
            PartitionMinuteRow hot;
            hot.minute = m;
            hot.partition = 1;
            hot.consumedWrite = 400;
            hot.limitUtilisation = 1.0;
            hot.throttledWrite = t.minutes[std::size_t(m)].throttledWrite;
            PartitionMinuteRow cold;
            cold.minute = m;
            cold.partition = 2;
            cold.consumedWrite = 10;
            cold.limitUtilisation = 0.025;
            t.partitionMinutes.push_back(hot);
            t.partitionMinutes.push_back(cold);
        }
        run.tables.push_back(t);
        const QStringList needles { "Likely cause: a hot partition", "the lower of the 400 a partition can ever serve" };
        const auto paragraphs = explainRun(run);
        QVERIFY2(!paragraphWith(paragraphs, needles).isEmpty(), qPrintable(dump(paragraphs)));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("run.sqlite").toStdString();
        QVERIFY(writeResultsDatabase(path, run, "{}", "{}"));
        const auto reopened = readResultsDatabase(path);
        QVERIFY(reopened);
        QCOMPARE(reopened->partitionLimits[Dimension::Write], 400.0);
        QCOMPARE(reopened->partitionLimits[Dimension::Read], 3000.0);
        const auto again = explainRun(*reopened);
        QVERIFY2(!paragraphWith(again, needles).isEmpty(), qPrintable(dump(again)));
    }

    void explainsGsiBackPressure()
    {
        const auto run = runLibrary("11-gsi-backpressure.json");
        QCOMPARE(run->tables.size(), std::size_t(1));
        const TableResult& orders = run->tables.front();
        QCOMPARE(orders.indexes.size(), std::size_t(1));
        const TableResult& gsi = orders.indexes.front();
        QCOMPARE(gsi.name, std::string("byStatus"));
        QVERIFY(gsi.indexKind == IndexKind::Global);
        QVERIFY(orders.throttledWrite > 0);
        QVERIFY(gsi.throttledWrite > 0);
        const auto paragraphs = explainRun(*run);
        // The episode names the index and its capacity, with its exact throttle count (the
        // episode covers the whole run, so its count is the index's total).
        const QString sentence = paragraphWith(paragraphs,
            { QStringLiteral("writes to Orders were throttled because GSI byStatus had only 5 WCU"),
                QString::fromStdString("byStatus throttled " + formatCount(gsi.throttledWrite) + " writes"),
                QString::fromStdString(formatCount(orders.throttledWrite) + " of the") });
        QVERIFY2(!sentence.isEmpty(), qPrintable(dump(paragraphs)));
        QVERIFY2(sentence.contains(QStringLiteral("back-pressure")), qPrintable(sentence));
        if (qEnvironmentVariableIsSet("CAPSIM_DUMP_EXPLAIN"))
            qInfo().noquote() << dump(paragraphs);
        // The index overview quotes the index's own figures.
        QVERIFY2(!paragraphWith(paragraphs,
                     { QStringLiteral("Orders has 1 secondary index: GSI byStatus (5 RCU / 5 WCU"),
                         QString::fromStdString(formatCount(gsi.throttledWrite) + " throttled writes") })
                      .isEmpty(),
            qPrintable(dump(paragraphs)));
    }

    void explainsIndexBackfill()
    {
        RunResult run;
        run.scenario = "backfill";
        run.simulatedSeconds = 3600;
        run.tables.push_back(steadyTable(10, 100, 60));
        run.events.push_back({ 600, "Steady/byStatus", EventKind::IndexCreating, IndexChange { "byStatus", 5000 } });
        run.events.push_back({ 750, "Steady/byStatus", EventKind::IndexActive, IndexChange { "byStatus", 5000 } });
        const auto paragraphs = explainRun(run);
        const QString text = paragraphWith(paragraphs,
            { QStringLiteral("GSI byStatus of Steady was created at 00:10"), QStringLiteral("ACTIVE at 00:12:30"),
                QStringLiteral("2 minutes 30 seconds later") });
        QVERIFY2(!text.isEmpty(), qPrintable(dump(paragraphs)));
    }

    void explainsQuietRun()
    {
        auto run = runLibrary("01-burst-capacity.json");
        const auto paragraphs = explainRun(*run);
        // No throttle: the overview says so and no episode paragraph appears.
        QVERIFY(!paragraphWith(paragraphs, { "No request was throttled." }).isEmpty());
        QVERIFY(paragraphWith(paragraphs, { "were throttled from" }).isEmpty());
    }

    void capacityBreakEven_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("capacity");
        QTest::addColumn<double>("expectedCrossing");
        // Standard writes: provisioned $0.00065 per WCU-hour, on-demand $0.625 per million:
        // u* = 0.00065 / (3600 x 0.625e-6) = 0.28889, whatever the demand level (reference C 6.1).
        QTest::addRow("half used") << 100.0 << 200.0 << 0.28889;
        QTest::addRow("tenth used") << 10.0 << 100.0 << 0.28889;
        QTest::addRow("fully used") << 500.0 << 500.0 << 0.28889;
    }
    void capacityBreakEven()
    {
        QFETCH(double, rate);
        QFETCH(double, capacity);
        QFETCH(double, expectedCrossing);
        const PricingTable pricing = *builtInPricing("us-east-1");
        const TableResult t = steadyTable(rate, capacity, 60);
        const auto curve = capacityModeCurves(t, pricing, TableClass::Standard);
        QCOMPARE(curve.size(), std::size_t(20));
        QCOMPARE(curve.front().utilisation, 0.05);
        QCOMPARE(curve.back().utilisation, 1.0);
        const double u = crossing(
            curve, [](const CostCurvePoint& p) { return p.utilisation; },
            [](const CostCurvePoint& p) { return p.onDemandUsd; },
            [](const CostCurvePoint& p) { return p.provisionedUsd; });
        QVERIFY2(std::abs(u - expectedCrossing) < 1e-4, qPrintable(QString::number(u)));
        // Provisioned is flat: capacity x 1 hour x $0.00065.
        QVERIFY(qFuzzyCompare(curve[3].provisionedUsd, capacity * 0.00065));
        // The run's point is at its own utilisation; on-demand there is its own demand:
        // rate x 3600 s x $0.625 per million.
        const auto current = currentCapacityPoint(t, pricing, TableClass::Standard);
        QVERIFY(qFuzzyCompare(current.utilisation, rate / capacity));
        QVERIFY(qFuzzyCompare(current.onDemandUsd, rate * 3600 * 0.625e-6));
        QVERIFY(qFuzzyCompare(current.provisionedUsd, capacity * 0.00065));
    }

    void autoScaledCurve()
    {
        const PricingTable pricing = *builtInPricing("us-east-1");
        // 100 WCU steady on 200 WCU: at u = 0.5 the demand is the run's own (k = 1); auto scaling
        // at 70 % holds 100 / 0.7 = 142.857 WCU for 1 hour: 142.857 x 0.00065 = $0.092857.
        const auto curve = capacityModeCurves(steadyTable(100, 200, 60), pricing, TableClass::Standard);
        const auto& half = curve.at(9);
        QVERIFY(qFuzzyCompare(half.utilisation, 0.5));
        QVERIFY(std::abs(half.autoScaledUsd - 100.0 / 0.7 * 0.00065) < 1e-9);
        // On-demand at k = 1: 100 x 3600 = 360,000 WRU x $0.625 per million = $0.225.
        QVERIFY(std::abs(half.onDemandUsd - 0.225) < 1e-9);
        // Auto-scaled equals fixed provisioned where the fixed capacity is used at the target:
        // at u = 0.7 both hold 140 WCU-hours... i.e. the curves cross at 0.7 for steady demand.
        const double u = crossing(
            curve, [](const CostCurvePoint& p) { return p.utilisation; },
            [](const CostCurvePoint& p) { return p.autoScaledUsd; },
            [](const CostCurvePoint& p) { return p.provisionedUsd; });
        QVERIFY2(std::abs(u - 0.7) < 1e-6, qPrintable(QString::number(u)));
    }

    void onDemandRunUsesItsPeak()
    {
        const PricingTable pricing = *builtInPricing("us-east-1");
        // An on-demand run: C = its peak minute (100 units/s), so u_run = 1 for steady demand.
        const TableResult t = steadyTable(100, 0, 60, BillingMode::PayPerRequest);
        QVERIFY(qFuzzyCompare(currentCapacityPoint(t, pricing, TableClass::Standard).utilisation, 1.0));
        QVERIFY(qFuzzyCompare(peakCoveringUtilisation(t, pricing), 1.0));
    }

    void tableClassBreakEven_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<double>("expectedShare");
        // Provisioned: T_ia / T_std = 0.00081 / 0.00065 = 1.24615 (writes only). Storage 0.25 vs 0.10:
        // x* = 0.24615 x 0.25 / (0.24615 x 0.25 + 0.15) = 0.061538 / 0.211538 = 0.29091.
        QTest::addRow("provisioned") << int(BillingMode::Provisioned) << 0.29091;
        // On-demand: 0.78 / 0.625 = 1.248: x* = 0.248 x 0.25 / (0.062 + 0.15) = 0.062 / 0.212 = 0.29245.
        QTest::addRow("on-demand") << int(BillingMode::PayPerRequest) << 0.29245;
    }
    void tableClassBreakEven()
    {
        QFETCH(int, mode);
        QFETCH(double, expectedShare);
        const PricingTable pricing = *builtInPricing("us-east-1");
        const TableResult t = steadyTable(100, 200, 60, static_cast<BillingMode>(mode));
        QVERIFY2(std::abs(classBreakEvenShare(t, pricing) - expectedShare) < 1e-4,
            qPrintable(QString::number(classBreakEvenShare(t, pricing), 'f', 6)));
        const auto curve = tableClassCurves(t, pricing);
        QVERIFY(curve.size() > 10);
        QCOMPARE(curve.front().storageShare, 0.0);
        QVERIFY(curve.front().standardUsd < curve.front().infrequentAccessUsd);
        QVERIFY(curve.back().standardUsd > curve.back().infrequentAccessUsd);
        const double x = crossing(
            curve, [](const ClassCurvePoint& p) { return p.storageShare; },
            [](const ClassCurvePoint& p) { return p.infrequentAccessUsd; },
            [](const ClassCurvePoint& p) { return p.standardUsd; });
        // Costs are linear in GB, the share is not: interpolation lands within 0.005.
        QVERIFY2(std::abs(x - expectedShare) < 0.005, qPrintable(QString::number(x)));
        // Standard-IA is cheaper above x*, Standard below.
        for (const auto& p : curve) {
            if (p.storageShare > expectedShare + 0.01)
                QVERIFY(p.infrequentAccessUsd < p.standardUsd);
            if (p.storageShare < expectedShare - 0.01)
                QVERIFY(p.infrequentAccessUsd > p.standardUsd);
        }
    }

    void curvesOfLibraryRun()
    {
        auto run = runLibrary("04-autoscaling-lag.json");
        const auto& t = run->tables.at(0);
        const PricingTable pricing = *builtInPricing("us-east-1");
        const auto current = currentCapacityPoint(t, pricing, t.tableClass);
        // A provisioned run's own point costs its capacity lines: 1.6667 RCU-h x 0.00013 +
        // 5.4167 WCU-h x 0.00065 = $0.0037375.
        QVERIFY(std::abs(current.provisionedUsd - (t.cost.read + t.cost.write)) < 1e-9);
        QVERIFY(current.utilisation > 0.5 && current.utilisation < 1.0);
        QVERIFY(capacityModeCurves(t, pricing, t.tableClass).size() == 20);
        QVERIFY(capacityModeCurves(TableResult {}, pricing, TableClass::Standard).empty());
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
