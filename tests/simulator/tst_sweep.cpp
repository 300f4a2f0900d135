// Sweeps (contracts/cli.md "Working with runs", issue 13): the grid of --vary values, the shard
// assignment (every point in exactly one shard, the same on any machine), the manifest checks
// `capsim merge` relies on, sweep.csv's text, and the advisor's constraint grammar and choice.

#include "simulator/sweep_advisor.h"
#include "simulator/sweep_grid.h"
#include "simulator/sweep_manifest.h"
#include "simulator/sweep_results.h"

#include <QtTest>

#include <set>

using namespace capsim;

namespace {

QStringList qt(const std::vector<std::string>& values)
{
    QStringList out;
    for (const auto& v : values)
        out << QString::fromStdString(v);
    return out;
}

SweepGrid grid(std::vector<SweepVary> varies)
{
    auto g = SweepGrid::create(std::move(varies));
    if (!g)
        qFatal("%s", g.status().message().c_str());
    return *g;
}

SweepMetrics metrics(double cost, std::int64_t requests, std::int64_t throttled, std::int64_t failed)
{
    SweepMetrics m;
    m.costUsd = cost;
    m.requests = requests;
    m.throttled = throttled;
    m.failed = failed;
    return m;
}

SweepManifest shardManifest(std::size_t index, std::size_t count, const SweepGrid& g)
{
    SweepManifest m;
    m.scenario = "s.json";
    m.scenarioSha256 = std::string(64, 'a');
    m.varies = g.varies();
    m.shard = { index, count };
    m.points = g.pointsOf(m.shard);
    m.complete = true;
    return m;
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT

private slots:
    void parseVary_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("values");
        QTest::addRow("numbers") << "tables[0].provisioned.write=100,200,400"
                                 << "tables[0].provisioned.write" << QStringList { "100", "200", "400" };
        QTest::addRow("one value") << "name=a"
                                   << "name" << QStringList { "a" };
        QTest::addRow("JSON objects keep their commas")
            << R"(tables[0].provisioned={"read":1,"write":2},{"read":3,"write":4})"
            << "tables[0].provisioned" << QStringList { R"({"read":1,"write":2})", R"({"read":3,"write":4})" };
        QTest::addRow("quoted string with a comma") << R"(name="a,b",c)"
                                                    << "name" << QStringList { R"("a,b")", "c" };
        QTest::addRow("arrays") << "x=[1,2],[3]"
                                << "x" << QStringList { "[1,2]", "[3]" };
    }
    void parseVary()
    {
        QFETCH(QString, text);
        QFETCH(QString, path);
        QFETCH(QStringList, values);
        auto vary = parseSweepVary(text.toStdString());
        QVERIFY2(vary, vary.status().message().c_str());
        QCOMPARE(QString::fromStdString(vary->path), path);
        QCOMPARE(qt(vary->values), values);
    }

    void parseVaryRefuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("named");
        QTest::addRow("no =") << "tables[0].provisioned.write"
                              << "expected PATH=V1,V2";
        QTest::addRow("no path") << "=1,2"
                                 << "expected PATH=V1,V2";
        QTest::addRow("empty value") << "a=1,,2"
                                     << "an empty value";
        QTest::addRow("trailing comma") << "a=1,2,"
                                        << "an empty value";
        QTest::addRow("nothing after =") << "a="
                                         << "an empty value";
        QTest::addRow("a value twice") << "a=1,2,1"
                                       << "the value 1 is given twice";
    }
    void parseVaryRefuses()
    {
        QFETCH(QString, text);
        QFETCH(QString, named);
        auto vary = parseSweepVary(text.toStdString());
        QVERIFY(!vary);
        const QString message = QString::fromStdString(vary.status().message());
        QVERIFY2(message.startsWith("--vary " + text + ":"), qPrintable(message));
        QVERIFY2(message.contains(named), qPrintable(message));
    }

    // Every combination, the first --vary slowest, like nested loops.
    void gridExpansion()
    {
        const SweepGrid g = grid({ { "a", { "1", "2" } }, { "b", { "x", "y", "z" } } });
        QCOMPARE(g.size(), std::size_t { 6 });
        const QStringList expected[]
            = { { "1", "x" }, { "1", "y" }, { "1", "z" }, { "2", "x" }, { "2", "y" }, { "2", "z" } };
        for (std::size_t p = 0; p < 6; ++p)
            QCOMPARE(qt(g.values(p)), expected[p]);
        QCOMPARE(QString::fromStdString(g.describe(4)), QStringLiteral("a=2 b=y"));
        const auto overrides = g.overrides(5);
        QCOMPARE(overrides.size(), std::size_t { 2 });
        QCOMPARE(QString::fromStdString(overrides[1].path + "=" + overrides[1].value), QStringLiteral("b=z"));
        QCOMPARE(QString::fromStdString(g.folderName(0)), QStringLiteral("point-1"));
        const SweepGrid wide = grid({ { "a", { "1", "2", "3", "4" } }, { "b", { "1", "2", "3" } } });
        QCOMPARE(QString::fromStdString(wide.folderName(0)), QStringLiteral("point-01"));
        QCOMPARE(QString::fromStdString(wide.folderName(11)), QStringLiteral("point-12"));
    }

    void gridRefuses()
    {
        QVERIFY(!SweepGrid::create({}));
        auto twice = SweepGrid::create({ { "a", { "1" } }, { "a", { "2" } } });
        QVERIFY(!twice);
        QVERIFY(QString::fromStdString(twice.status().message()).contains("--vary a is given twice"));
        std::vector<std::string> hundred;
        for (int i = 0; i < 100; ++i)
            hundred.push_back(std::to_string(i));
        QVERIFY(SweepGrid::create(
            { { "a", hundred }, { "b", hundred }, { "c", { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" } } }));
        auto huge = SweepGrid::create({ { "a", hundred }, { "b", hundred }, { "c", hundred } });
        QVERIFY(!huge);
        QVERIFY(QString::fromStdString(huge.status().message()).contains("more than 100000 points"));
    }

    void parseShard_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index"); // 0: refused
        QTest::addColumn<int>("count");
        QTest::addRow("1/1") << "1/1" << 1 << 1;
        QTest::addRow("3/4") << "3/4" << 3 << 4;
        QTest::addRow("0/4") << "0/4" << 0 << 0;
        QTest::addRow("5/4") << "5/4" << 0 << 0;
        QTest::addRow("1/0") << "1/0" << 0 << 0;
        QTest::addRow("no slash") << "4" << 0 << 0;
        QTest::addRow("letters") << "a/4" << 0 << 0;
        QTest::addRow("negative") << "-1/4" << 0 << 0;
        QTest::addRow("extra") << "1/4/2" << 0 << 0;
    }
    void parseShard()
    {
        QFETCH(QString, text);
        QFETCH(int, index);
        QFETCH(int, count);
        auto shard = parseSweepShard(text.toStdString());
        if (index == 0) {
            QVERIFY(!shard);
            QVERIFY(QString::fromStdString(shard.status().message()).startsWith("--shard " + text + ":"));
            return;
        }
        QVERIFY(shard);
        QCOMPARE(shard->index, std::size_t(index));
        QCOMPARE(shard->count, std::size_t(count));
    }

    // Every point in exactly one shard, shards differing by at most one point, and the assignment
    // a function of the point number and N alone (what the cluster's jobs rely on).
    void shardCoverage_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("shards");
        for (int points : { 1, 6, 7, 24 })
            for (int shards : { 1, 2, 3, 5, 8, 30 })
                QTest::addRow("%d points in %d shards", points, shards) << points << shards;
    }
    void shardCoverage()
    {
        QFETCH(int, points);
        QFETCH(int, shards);
        std::vector<std::string> values;
        for (int i = 0; i < points; ++i)
            values.push_back(std::to_string(i * 10));
        const SweepGrid g = grid({ { "x", values } });
        std::multiset<std::size_t> seen;
        std::size_t smallest = g.size(), largest = 0;
        for (int i = 1; i <= shards; ++i) {
            const auto mine = g.pointsOf({ std::size_t(i), std::size_t(shards) });
            QVERIFY(std::is_sorted(mine.begin(), mine.end()));
            for (std::size_t p : mine) {
                QCOMPARE(SweepGrid::shardOf(p, std::size_t(shards)), std::size_t(i));
                seen.insert(p);
            }
            smallest = std::min(smallest, mine.size());
            largest = std::max(largest, mine.size());
        }
        QCOMPARE(seen.size(), g.size());
        for (std::size_t p = 0; p < g.size(); ++p)
            QCOMPARE(seen.count(p), std::size_t { 1 });
        QVERIFY(largest - smallest <= 1);
    }

    void shardAssignmentIsFixed()
    {
        // Round robin: this table is the contract shard folders made by older builds rely on.
        const SweepGrid g = grid({ { "a", { "1", "2", "3" } }, { "b", { "1", "2", "3" } } });
        QCOMPARE(g.pointsOf({ 1, 4 }), (std::vector<std::size_t> { 0, 4, 8 }));
        QCOMPARE(g.pointsOf({ 2, 4 }), (std::vector<std::size_t> { 1, 5 }));
        QCOMPARE(g.pointsOf({ 4, 4 }), (std::vector<std::size_t> { 3, 7 }));
    }

    void csvText()
    {
        SweepRow second { 1, { "200", "a,b" }, metrics(0.5, 1000, 3, 0) };
        second.metrics.consumedWriteUnits = 12.25;
        second.metrics.provisionedWriteUnitHours = 1.0 / 3.0;
        const SweepRow first { 0, { "100", "c" }, metrics(1.25, 10, 0, 2) };
        const std::string csv = sweepCsv({ "tables[0].provisioned.write", "name" }, { second, first });
        QCOMPARE(QString::fromStdString(csv),
            QStringLiteral(
                "point,tables[0].provisioned.write,name,cost,requests,throttled,failed,consumedRead,consumedWrite,"
                "readUnitHours,writeUnitHours\n"
                "1,100,c,1.25,10,0,2,0,0,0,0\n"
                "2,200,\"a,b\",0.5,1000,3,0,0,12.25,0,0.333333333\n"));
    }

    void metricsFromSummary()
    {
        const char* summary = R"({"format":"capsim-summary/1","tables":[
            {"name":"A","requests":{"read":10,"write":5},"throttled":{"read":1,"write":2},"failed":{"read":0,"write":1},
             "consumed":{"read":2.5,"write":7.0},"provisionedUnitHours":{"read":1.5,"write":3.0}},
            {"name":"B","requests":{"read":1,"write":1},"throttled":{"read":0,"write":0},"failed":{"read":0,"write":0},
             "consumed":{"read":0.5,"write":1.0},"provisionedUnitHours":{"read":0,"write":0}}],
            "cost":{"total":0.125,"currency":"USD"}})";
        auto m = sweepMetricsFromSummary(summary);
        QVERIFY(m);
        QCOMPARE(m->requests, std::int64_t { 17 });
        QCOMPARE(m->throttled, std::int64_t { 3 });
        QCOMPARE(m->failed, std::int64_t { 1 });
        QCOMPARE(m->consumedReadUnits, 3.0);
        QCOMPARE(m->consumedWriteUnits, 8.0);
        QCOMPARE(m->provisionedWriteUnitHours, 3.0);
        QCOMPARE(m->costUsd, 0.125);
        QVERIFY(!sweepMetricsFromSummary(R"({"format":"other"})"));
        QVERIFY(!sweepMetricsFromSummary("not json"));
    }

    void constraints_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("terms");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::addRow("the planner's question") << "failed=0,throttled<=0.1%" << 2 << "";
        QTest::addRow("spaces") << " failed == 0 , cost < 12.5 " << 2 << "";
        QTest::addRow("every comparison") << "cost<1,cost<=1,cost>0,cost>=0,failed=0,requests==10" << 6 << "";
        QTest::addRow("exponent") << "requests>=1e3" << 1 << "";
        QTest::addRow("bad comparison") << "failed=0,throttled<<0.1%" << 0
                                        << "'throttled<<0.1%': unknown comparison '<<'";
        QTest::addRow("unknown metric") << "latency<10" << 0 << "'latency<10': unknown metric 'latency'";
        QTest::addRow("not a number") << "cost<=cheap" << 0 << "'cost<=cheap': 'cheap' is not a number";
        QTest::addRow("no comparison") << "failed" << 0 << "'failed': no comparison";
        QTest::addRow("percent of cost") << "cost<=5%" << 0 << "'cost<=5%': a percentage bound is a share of requests";
        QTest::addRow("no number") << "failed=" << 0 << "'failed=': the number is missing";
        QTest::addRow("no metric") << "<=3" << 0 << "'<=3': the metric is missing";
        QTest::addRow("empty term") << "failed=0,,cost<1" << 0 << "an empty term";
        QTest::addRow("nothing") << "" << 0 << "no constraint given";
        QTest::addRow("not-equal") << "failed!=0" << 0 << "'failed!=0': unknown comparison '!='";
    }
    void constraints()
    {
        QFETCH(QString, text);
        QFETCH(int, terms);
        QFETCH(QString, error);
        auto parsed = parseSweepConstraints(text.toStdString());
        if (error.isEmpty()) {
            QVERIFY2(parsed, parsed.status().message().c_str());
            QCOMPARE(int(parsed->size()), terms);
            return;
        }
        QVERIFY(!parsed);
        const QString message = QString::fromStdString(parsed.status().message());
        QVERIFY2(message.startsWith("--subject-to: "), qPrintable(message));
        QVERIFY2(message.contains(error), qPrintable(message));
    }

    void percentOfRequests()
    {
        auto c = parseSweepConstraints("throttled<=0.1%");
        QVERIFY(c);
        QVERIFY(meetsConstraints(metrics(1, 1000, 1, 0), *c)); // exactly 0.1 %
        QVERIFY(!meetsConstraints(metrics(1, 1000, 2, 0), *c));
        QVERIFY(meetsConstraints(metrics(1, 0, 0, 0), *c));
        auto strict = parseSweepConstraints("failed<1%");
        QVERIFY(strict);
        QVERIFY(!meetsConstraints(metrics(1, 100, 0, 1), *strict));
        QVERIFY(meetsConstraints(metrics(1, 101, 0, 1), *strict));
    }

    void bestPoint()
    {
        const std::vector<SweepRow> rows { { 0, { "a" }, metrics(1.0, 1000, 50, 0) },
            { 1, { "b" }, metrics(2.0, 1000, 1, 0) }, { 2, { "c" }, metrics(3.0, 1000, 0, 0) },
            { 3, { "d" }, metrics(2.0, 1000, 0, 0) }, { 4, { "e" }, metrics(0.5, 1000, 0, 3) } };
        const auto choose = [&](const char* constraintText) -> int {
            auto c = parseSweepConstraints(constraintText);
            if (!c)
                return -2;
            const auto best = bestSweepPoint(rows, "cost", *c);
            return best ? int(rows[*best].point) : -1;
        };
        QCOMPARE(choose("failed=0,throttled<=0.1%"), 1); // b and d cost 2.0: the lower point number wins
        QCOMPARE(choose("failed=0,throttled=0"), 3);
        QCOMPARE(choose("failed=0"), 0);
        QCOMPARE(choose("cost<0.1"), -1);
        QCOMPARE(int(*bestSweepPoint(rows, "cost", {})), 4);
        QCOMPARE(int(*bestSweepPoint(rows, "throttled", {})), 2);
        QVERIFY(checkSweepObjective("cost"));
        QVERIFY(!checkSweepObjective("money"));
    }

    void manifestRoundTrip()
    {
        const SweepGrid g = grid({ { "a", { "1", "2" } }, { "b", { "x", "\"y,z\"" } } });
        SweepManifest m = shardManifest(2, 3, g);
        m.complete = false;
        const std::string text = sweepManifestJson(m, g);
        QVERIFY(QString::fromStdString(text).contains("\"folder\": \"point-2\""));
        auto back = parseSweepManifest(text);
        QVERIFY2(back, back.status().message().c_str());
        QCOMPARE(back->scenarioSha256, m.scenarioSha256);
        QVERIFY(back->varies == m.varies);
        QVERIFY(back->shard == m.shard);
        QCOMPARE(back->points, m.points);
        QCOMPARE(back->complete, false);
        QVERIFY(!parseSweepManifest("{}"));
        QVERIFY(!parseSweepManifest(R"({"format":"capsim-sweep/1"})"));
    }

    void shardSet_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::addRow("whole set") << ""
                                   << "";
        QTest::addRow("missing") << "drop 2"
                                 << "shard 2/3 missing";
        QTest::addRow("two missing") << "drop 1 3"
                                     << "shards 1/3, 3/3 missing";
        QTest::addRow("duplicated") << "duplicate 3"
                                    << "shard 3/3 is given twice: 'shard-3' and 'shard-3-again'";
        QTest::addRow("same folder twice") << "same folder"
                                           << "the same folder twice";
        QTest::addRow("other scenario") << "scenario"
                                        << "mismatched shards: 'shard-2' ran scenario";
        QTest::addRow("other vary") << "vary"
                                    << "mismatched shards: 'shard-2' varies --vary a=1,2,3 --vary b=x,z";
        QTest::addRow("other N")
            << "count"
            << "mismatched shards: 'shard-2' is shard 2/4 but 'shard-1' is shard 1/3 (different N)";
        QTest::addRow("unfinished") << "incomplete"
                                    << "shard 2/3 ('shard-2') is incomplete: its sweep did not finish";
        QTest::addRow("points lost") << "points"
                                     << "shard 2/3 ('shard-2') is incomplete: it holds 1 points, its shard has 2";
        QTest::addRow("merged output") << "merged"
                                       << "'shard-2' holds a merged sweep, not a shard";
    }
    void shardSet()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, error);
        const SweepGrid g = grid({ { "a", { "1", "2", "3" } }, { "b", { "x", "y" } } });
        std::vector<SweepShardFolder> shards;
        for (std::size_t i = 1; i <= 3; ++i)
            shards.push_back({ "shard-" + std::to_string(i), shardManifest(i, 3, g) });
        if (breakage == "drop 2")
            shards.erase(shards.begin() + 1);
        else if (breakage == "drop 1 3")
            shards = { shards[1] };
        else if (breakage == "duplicate 3")
            shards.push_back({ "shard-3-again", shards[2].manifest });
        else if (breakage == "same folder")
            shards.push_back(shards[0]);
        else if (breakage == "scenario")
            shards[1].manifest.scenarioSha256 = std::string(64, 'b');
        else if (breakage == "vary")
            shards[1].manifest.varies[1].values = { "x", "z" };
        else if (breakage == "count")
            shards[1].manifest.shard.count = 4;
        else if (breakage == "incomplete")
            shards[1].manifest.complete = false;
        else if (breakage == "points")
            shards[1].manifest.points.pop_back();
        else if (breakage == "merged")
            shards[1].manifest.mergedFrom = { "x" };
        const Status s = checkSweepShardSet(shards);
        if (error.isEmpty()) {
            QVERIFY2(s, s.message().c_str());
            return;
        }
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message()).contains(error), s.message().c_str());
    }
};

QTEST_APPLESS_MAIN(TestSweep)
#include "tst_sweep.moc"
