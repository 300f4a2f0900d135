// The results-view layer shared by the command line, the report charts and the studio: the one
// clock formatter in each of its formats, the one decimator, the run's total cost by minute.

#include "simulator/results_view.h"

#include <QtTest>

using namespace capsim;

namespace {

struct Point {
    double px = 0, py = 0;
    double x() const { return px; }
    double y() const { return py; }
};

ClockFormat format(ClockFormat::Rounding rounding, ClockFormat::Seconds seconds, ClockFormat::Days days,
    bool wholeDaysAlone = false)
{
    ClockFormat f;
    f.rounding = rounding;
    f.seconds = seconds;
    f.days = days;
    f.wholeDaysAlone = wholeDaysAlone;
    return f;
}

} // namespace

Q_DECLARE_METATYPE(capsim::ClockFormat)

class TestResultsView : public QObject {
    Q_OBJECT
private slots:
    void clock_data()
    {
        using R = ClockFormat::Rounding;
        using S = ClockFormat::Seconds;
        using D = ClockFormat::Days;
        QTest::addColumn<double>("seconds");
        QTest::addColumn<ClockFormat>("format");
        QTest::addColumn<QString>("expected");
        // The explanation's format (the default).
        QTest::addRow("explain minute") << 420.0 << ClockFormat {} << "00:07";
        QTest::addRow("explain seconds") << 3725.0 << ClockFormat {} << "01:02:05";
        QTest::addRow("explain rounds") << 3724.6 << ClockFormat {} << "01:02:05";
        QTest::addRow("explain end of day") << 86400.0 << ClockFormat {} << "24:00";
        QTest::addRow("explain day two") << 86400.0 + 3 * 3600 + 600 << ClockFormat {} << "1d 03:10";
        // The simulator's event details: whole seconds, hours count on.
        QTest::addRow("events") << 90061.9 << format(R::Down, S::Always, D::Never) << "25:01:01";
        // The studio's tables: the run's span decides.
        QTest::addRow("short run") << 86400.0 << clockFormatForSpan(86400) << "24:00:00";
        QTest::addRow("long run") << 7 * 3600 + 900.5 << clockFormatForSpan(3 * 86400) << "0d 07:15:00";
        QTest::addRow("long run, no seconds") << 2 * 86400 + 7 * 3600 + 900.0
                                              << clockFormatForSpan(3 * 86400, S::Never) << "2d 07:15";
        // Axis ticks on whole days.
        QTest::addRow("whole day tick") << 14 * 86400.0 << format(R::Down, S::Never, D::Always, true) << "14d";
        QTest::addRow("tick off the day") << 86400.0 + 3600 << format(R::Down, S::Never, D::Always, true)
                                          << "1d 01:00";
        QTest::addRow("negative") << -5.0 << ClockFormat {} << "00:00";
    }
    void clock()
    {
        QFETCH(double, seconds);
        QFETCH(ClockFormat, format);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(formatClock(seconds, format)), expected);
    }

    void decimatorKeepsPeaksAndSteps()
    {
        std::vector<Point> points;
        for (int i = 0; i < 10000; ++i)
            points.push_back({ double(i), i == 4321 ? 500.0 : (i == 7000 ? -20.0 : double(i % 5)) });
        const auto kept = decimatedIndices(points, 0, points.size(), [](double x) { return std::floor(x / 100); });
        QVERIFY(kept.size() <= 400);
        QVERIFY(std::is_sorted(kept.begin(), kept.end()));
        QVERIFY(std::adjacent_find(kept.begin(), kept.end()) == kept.end());
        QVERIFY(std::find(kept.begin(), kept.end(), 4321) != kept.end());
        QVERIFY(std::find(kept.begin(), kept.end(), 7000) != kept.end());
        QCOMPARE(kept.front(), std::size_t(0));
        QCOMPARE(kept.back(), std::size_t(9999));
        // One point per bucket: everything is kept.
        const auto all = decimatedIndices(points, 10, 20, [](double x) { return x; });
        QCOMPARE(all.size(), std::size_t(10));
    }

    void totalCostForwardFills()
    {
        RunResult run;
        TableResult a, b;
        for (int m = 0; m < 3; ++m) {
            MinuteRow r;
            r.minute = m;
            r.costToDate = 1.0 + m;
            a.minutes.push_back(r);
        }
        MinuteRow late;
        late.minute = 1;
        late.costToDate = 10;
        b.minutes.push_back(late);
        run.tables = { a, b };
        const auto total = totalCostByMinute(run);
        QCOMPARE(total.size(), std::size_t(3));
        QCOMPARE(total[0].costToDate, 1.0);
        QCOMPARE(total[1].costToDate, 12.0);
        QCOMPARE(total[2].costToDate, 13.0); // b's figure carries on
        QCOMPARE(total[2].minute, std::int64_t(2));
    }

    // The heat map's legend says what it divides by (issue 8: it said "partition limit" while
    // dividing by min(hard limit, even share)).
    void heatMeasures()
    {
        PartitionMinuteRow row;
        row.consumedRead = 300;
        row.consumedWrite = 100;
        row.limitUtilisation = 1.0; // its even share of a 200-WCU table on two partitions
        RunResult run;
        run.partitionLimits[Dimension::Write] = 500;
        const HeatColouring own = heatColouring(run, HeatMeasure::OwnLimit);
        const HeatColouring hard = heatColouring(run, HeatMeasure::HardLimit);
        QCOMPARE(heatValue(row, own), 1.0);
        QCOMPARE(heatValue(row, hard), 0.2); // max(300 / 3,000, 100 / 500)
        QCOMPARE(QString::fromStdString(heatLegend(own)),
            QStringLiteral("consumed ÷ min(hard limit, even share of table capacity), higher of read, write"));
        QCOMPARE(QString::fromStdString(heatLegend(hard)),
            QStringLiteral("consumed ÷ partition hard limit (3,000 RCU, 500 WCU), higher of read, write"));
    }

    void accessorsByDimension()
    {
        MinuteRow r;
        r.consumedRead = 1;
        r.consumedWrite = 2;
        r.throttledRead = 3;
        r.throttledWrite = 4;
        QCOMPARE(consumedOf(r, Dimension::Read), 1.0);
        QCOMPARE(consumedOf(r, Dimension::Write), 2.0);
        QCOMPARE(throttledOf(r, Dimension::Read), std::int64_t(3));
        QCOMPARE(throttledOf(r, Dimension::Write), std::int64_t(4));
    }

    // The panels a capacity chart (command line, report, studio) shows for a secondary index.
    void indexChartDimensions_data()
    {
        QTest::addColumn<int>("kind"); // 0 GSI, 1 LSI
        QTest::addColumn<bool>("minutes");
        QTest::addColumn<int>("requestsRead");
        QTest::addColumn<int>("throttledRead");
        QTest::addColumn<QString>("expected");
        QTest::addRow("GSI maintained by writes") << 0 << true << 0 << 0 << "W";
        QTest::addRow("GSI read too") << 0 << true << 10 << 0 << "RW";
        QTest::addRow("GSI only throttled reads") << 0 << true << 0 << 3 << "RW";
        QTest::addRow("GSI without minutes") << 0 << false << 10 << 0 << "";
        QTest::addRow("LSI shares its table's capacity") << 1 << true << 10 << 0 << "";
    }
    void indexChartDimensions()
    {
        QFETCH(int, kind);
        QFETCH(bool, minutes);
        QFETCH(int, requestsRead);
        QFETCH(int, throttledRead);
        QFETCH(QString, expected);
        TableResult index;
        index.indexKind = kind == 0 ? IndexKind::Global : IndexKind::Local;
        if (minutes)
            index.minutes.push_back(MinuteRow {});
        index.requestsRead = requestsRead;
        index.throttledRead = throttledRead;
        QString shown;
        for (const Dimension d : capsim::indexChartDimensions(index))
            shown += d == Dimension::Read ? QLatin1Char('R') : QLatin1Char('W');
        QCOMPARE(shown, expected);
        // A table (no indexKind) is not an index.
        index.indexKind.reset();
        QVERIFY(capsim::indexChartDimensions(index).empty());
    }
};

QTEST_GUILESS_MAIN(TestResultsView)
#include "tst_results_view.moc"
