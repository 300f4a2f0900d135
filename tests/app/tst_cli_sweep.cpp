// `capsim sweep` and `capsim merge` (contracts/cli.md "Working with runs", issue 13), run by the
// built binary as a user runs them: the grid as run folders and sweep.csv, the same sweep.csv
// whatever the worker count or sharding, merge's refusals, folders capsim does not own left alone,
// bad --vary input refused before anything is written, and the advisor.

#include "tests/support/cli_process.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <csignal>

using capsim::test::readFile;
using capsim::test::runCapsim;
using capsim::test::writeFile;
using Run = capsim::test::CliRun;

namespace {

// Writes at 6/s for 2 minutes with a one-minute burst to 30/s, on a provisioned table: small
// write capacities throttle and, past the retries, fail requests; large ones do neither.
const char* kScenario = R"({"format": "capsim-scenario/1", "name": "sweep-test", "duration": "2m", "seed": 3,
 "client": {"maxAttempts": 3, "baseDelay": "25ms", "maxDelay": "1s"},
 "tables": [{"name": "Events", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PROVISIONED",
             "provisioned": {"read": 5, "write": 5}}],
 "workloads": [{"name": "w", "table": "Events",
                "rate": {"type": "sum", "of": [{"type": "constant", "rate": 6},
                                                {"type": "spike", "base": 0, "peak": 30, "at": "30s", "duration": "60s"}]},
                "operations": {"PutItem": 0.7, "GetItem": 0.3},
                "keys": {"type": "uniform", "cardinality": 1000}, "itemSize": {"type": "fixed", "size": "1500B"}}]})";

const QStringList kVary { "--vary", "tables[0].provisioned.write=2,10,50", "--vary",
    "tables[0].provisioned.read=1,20" };

QStringList csvLines(const QString& path)
{
    return QString::fromUtf8(readFile(path)).split('\n', Qt::SkipEmptyParts);
}

QJsonObject readJson(const QString& path)
{
    return QJsonDocument::fromJson(readFile(path)).object();
}

// Pixels of the advisor's ring colour (app/report/sweep_chart.cpp's kChosen) in the chart.
int ringPixels(const QString& png)
{
    const QImage image(png);
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            count += image.pixel(x, y) == 0xffd62728 ? 1 : 0;
    return count;
}

bool exists(const QString& path)
{
    return QFileInfo::exists(path);
}

} // namespace

class TestCliSweep : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_scenario;
    QString m_whole; // the whole sweep, two workers
    Run m_wholeRun;
    QString m_shards[3]; // shard folders 1/3..3/3, one worker each

    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    Run sweep(const QStringList& extra) { return runCapsim(QStringList { "sweep", m_scenario } + kVary + extra); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_scenario = path("scenario.json");
        writeFile(m_scenario, kScenario);
        m_whole = path("whole");
        m_wholeRun = sweep({ "--out", m_whole, "--jobs", "2", "--progress" });
        QVERIFY2(m_wholeRun.exitCode == 0, qPrintable(m_wholeRun.err));
        for (int i = 0; i < 3; ++i) {
            m_shards[i] = path(QStringLiteral("shards/shard-%1").arg(i + 1));
            Run r = sweep(
                { "--shard", QStringLiteral("%1/3").arg(i + 1), "--out", m_shards[i], "--jobs", "1", "--quiet" });
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }

    // Every combination, first --vary slowest, each a run folder whose summary gives its row.
    void sweepRunsTheGrid()
    {
        const QStringList lines = csvLines(m_whole + "/sweep.csv");
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0],
            QStringLiteral("point,tables[0].provisioned.write,tables[0].provisioned.read,cost,requests,throttled,"
                           "failed,consumedRead,consumedWrite,readUnitHours,writeUnitHours"));
        const QStringList grid[]
            = { { "2", "1" }, { "2", "20" }, { "10", "1" }, { "10", "20" }, { "50", "1" }, { "50", "20" } };
        for (int p = 0; p < 6; ++p) {
            const QStringList cells = lines[p + 1].split(',');
            QCOMPARE(cells[0], QString::number(p + 1));
            QCOMPARE(cells.mid(1, 2), grid[p]);
            const QJsonObject summary = readJson(m_whole + QStringLiteral("/points/point-%1/summary.json").arg(p + 1));
            QCOMPARE(cells[3].toDouble(), summary["cost"].toObject()["total"].toDouble());
            const QJsonObject table = summary["tables"].toArray()[0].toObject();
            QCOMPARE(cells[5].toLongLong(),
                table["throttled"].toObject()["read"].toInteger() + table["throttled"].toObject()["write"].toInteger());
            for (const char* file :
                { "timeseries.csv", "partitions.csv", "events.csv", "run.sqlite", "charts/cost.png" })
                QVERIFY2(exists(m_whole + QStringLiteral("/points/point-%1/").arg(p + 1) + file), file);
        }
        // The grid is not flat: small write capacity throttles and fails requests, large does not.
        QVERIFY(lines[1].split(',')[5].toLongLong() > 0);
        QVERIFY(lines[1].split(',')[6].toLongLong() > 0);
        QCOMPARE(lines[5].split(',')[6], QStringLiteral("0"));
        QImage chart(m_whole + "/sweep.png");
        QVERIFY(!chart.isNull());
        QCOMPARE(chart.size(), QSize(1400, 1150));
        const QJsonObject manifest = readJson(m_whole + "/sweep.json");
        QCOMPARE(manifest["format"].toString(), QStringLiteral("capsim-sweep/1"));
        QCOMPARE(manifest["complete"].toBool(), true);
        QCOMPARE(manifest["points"].toArray().size(), 6);
        QCOMPARE(manifest["scenarioSha256"].toString().size(), 64);
    }

    // A point is the scenario with its values applied exactly as `capsim run --set` applies them.
    void pointEqualsRunWithSet()
    {
        const QString out = path("run-point-4");
        Run r = runCapsim({ "run", m_scenario, "--set", "tables[0].provisioned.write=10", "--set",
            "tables[0].provisioned.read=20", "--out", out, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readFile(out + "/summary.json"), readFile(m_whole + "/points/point-4/summary.json"));
    }

    void progressLine()
    {
        QVERIFY2(m_wholeRun.err.contains(QRegularExpression("sweep: 0/6 points done, about .+ left \\(estimated\\)")),
            qPrintable(m_wholeRun.err));
        QVERIFY2(m_wholeRun.err.contains(QRegularExpression("sweep: 3/6 points done, about .+ left")),
            qPrintable(m_wholeRun.err));
        QVERIFY2(m_wholeRun.err.contains("sweep: 6/6 points done, done in"), qPrintable(m_wholeRun.err));
        QVERIFY2(m_wholeRun.err.contains("with 2 workers"), qPrintable(m_wholeRun.err));
    }

    // Deterministic: one worker instead of two gives the same bytes.
    void sameResultsWhateverTheWorkers()
    {
        const QString out = path("one-worker");
        Run r = sweep({ "--out", out, "--jobs", "1", "--quiet" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readFile(out + "/sweep.csv"), readFile(m_whole + "/sweep.csv"));
    }

    // Every point in exactly one shard, round robin, recorded in the shard's manifest.
    void shardsCoverTheGrid()
    {
        QSet<int> seen;
        for (int i = 0; i < 3; ++i) {
            const QJsonObject manifest = readJson(m_shards[i] + "/sweep.json");
            QCOMPARE(manifest["shard"].toObject()["index"].toInt(), i + 1);
            QCOMPARE(manifest["shard"].toObject()["count"].toInt(), 3);
            QCOMPARE(manifest["complete"].toBool(), true);
            QCOMPARE(manifest["scenarioSha256"], readJson(m_whole + "/sweep.json")["scenarioSha256"]);
            QList<int> points;
            for (const auto& p : manifest["points"].toArray())
                points << p.toObject()["point"].toInt();
            QCOMPARE(points, (QList<int> { i + 1, i + 4 }));
            for (int p : points) {
                QVERIFY(!seen.contains(p));
                seen.insert(p);
                QVERIFY(exists(m_shards[i] + QStringLiteral("/points/point-%1/summary.json").arg(p)));
            }
            // A shard's own sweep.csv holds only its rows.
            QCOMPARE(csvLines(m_shards[i] + "/sweep.csv").size(), 3);
        }
        QCOMPARE(seen.size(), 6);
        Run listed = sweep({ "--shard", "2/3", "--list" });
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.out,
            QStringLiteral("point,shard,tables[0].provisioned.write,tables[0].provisioned.read\n2,2,2,20\n5,2,50,1\n"));
    }

    void mergeEqualsTheWholeSweep()
    {
        // Default output: the folder holding the shards; the order of the folders does not matter.
        Run r = runCapsim({ "merge", m_shards[2], m_shards[0], m_shards[1] });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString merged = path("shards");
        QCOMPARE(readFile(merged + "/sweep.csv"), readFile(m_whole + "/sweep.csv"));
        QVERIFY(!QImage(merged + "/sweep.png").isNull());
        QCOMPARE(readJson(merged + "/sweep.json")["mergedFrom"].toArray().size(), 3);
        // Merging again replaces capsim's own files.
        r = runCapsim({ "merge", m_shards[0], m_shards[1], m_shards[2], "--out", merged });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readFile(merged + "/sweep.csv"), readFile(m_whole + "/sweep.csv"));
    }

    void mergeRefuses_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("error");
        QTest::addRow("missing shard") << "missing"
                                       << "shard 3/3 missing";
        QTest::addRow("duplicated shard") << "duplicate"
                                          << "shard 2/3 is given twice";
        QTest::addRow("same folder twice") << "same folder"
                                           << "(the same folder twice)";
        QTest::addRow("different vary list") << "vary"
                                             << "mismatched shards";
        QTest::addRow("different scenario") << "scenario"
                                            << "mismatched shards";
        QTest::addRow("different N") << "count"
                                     << "(different N)";
        QTest::addRow("unfinished shard") << "unfinished"
                                          << "is incomplete: its sweep did not finish";
        QTest::addRow("point results lost") << "lost"
                                            << "is incomplete: point 5 has no results";
        QTest::addRow("not a sweep folder") << "not sweep"
                                            << "is not a sweep folder: it has no sweep.json";
        QTest::addRow("out is a shard") << "out is shard"
                                        << "is one of the shard folders";
    }
    void mergeRefuses()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, error);
        const QString work = path("refusal-" + QString(breakage).replace(' ', '-'));
        QVERIFY(QDir().mkpath(work));
        QStringList folders { m_shards[0], m_shards[1], m_shards[2] };
        const auto copyShard = [&](int index) {
            const QString copy = work + QStringLiteral("/copy-%1").arg(index + 1);
            QProcess cp;
            cp.start("cp", { "-r", m_shards[index], copy });
            cp.waitForFinished();
            return copy;
        };
        QString out = work + "/merged";
        if (breakage == "missing") {
            folders.removeLast();
        } else if (breakage == "duplicate") {
            folders << copyShard(1);
        } else if (breakage == "same folder") {
            folders << m_shards[0];
        } else if (breakage == "vary" || breakage == "scenario" || breakage == "count") {
            const QString other = work + "/other";
            QStringList args { "--out", other, "--quiet", "--jobs", "1" };
            Run r;
            if (breakage == "vary")
                r = runCapsim(QStringList { "sweep", m_scenario, "--vary", "tables[0].provisioned.write=2,10,50",
                                  "--vary", "tables[0].provisioned.read=1,21", "--shard", "2/3" }
                    + args);
            else if (breakage == "scenario") {
                writeFile(work + "/scenario.json", QByteArray(kScenario).replace("\"seed\": 3", "\"seed\": 4"));
                r = runCapsim(
                    QStringList { "sweep", work + "/scenario.json" } + kVary + QStringList { "--shard", "2/3" } + args);
            } else {
                r = sweep(QStringList { "--shard", "2/4" } + args);
            }
            QCOMPARE(r.exitCode, 0);
            folders[1] = other;
        } else if (breakage == "unfinished") {
            folders[1] = copyShard(1);
            QByteArray manifest = readFile(folders[1] + "/sweep.json");
            QVERIFY(manifest.contains("\"complete\": true"));
            writeFile(folders[1] + "/sweep.json", manifest.replace("\"complete\": true", "\"complete\": false"));
        } else if (breakage == "lost") {
            folders[1] = copyShard(1);
            QVERIFY(QFile::remove(folders[1] + "/points/point-5/summary.json"));
        } else if (breakage == "not sweep") {
            QVERIFY(QDir().mkpath(work + "/empty"));
            folders[1] = work + "/empty";
        } else if (breakage == "out is shard") {
            out = m_shards[0];
        }
        const QByteArray before = readFile(m_shards[0] + "/sweep.csv");
        Run r = runCapsim(QStringList { "merge" } + folders + QStringList { "--out", out });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
        QVERIFY2(r.err.startsWith("capsim merge: "), qPrintable(r.err));
        QCOMPARE(readFile(m_shards[0] + "/sweep.csv"), before);
        if (breakage != "out is shard")
            QVERIFY(!exists(out));
    }

    // Files capsim did not write are never overwritten: a folder with the user's own sweep.csv.
    void foreignFilesAreLeftAlone()
    {
        const QString mine = path("mine");
        writeFile(mine + "/sweep.csv", "my notes\n");
        Run r = sweep({ "--out", mine, "--quiet" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("was not written by capsim"), qPrintable(r.err));
        r = runCapsim({ "merge", m_shards[0], m_shards[1], m_shards[2], "--out", mine });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("sweep.csv' exists and was not written by capsim"), qPrintable(r.err));
        QCOMPARE(readFile(mine + "/sweep.csv"), QByteArray("my notes\n"));
        QCOMPARE(
            QDir(mine).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList { "sweep.csv" });

        const QString file = path("a-file");
        writeFile(file, "x");
        r = sweep({ "--out", file, "--quiet" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("is an existing file"), qPrintable(r.err));
        QCOMPARE(readFile(file), QByteArray("x"));

        // A user's file in a point's run folder survives a second sweep into the same DIR.
        writeFile(m_whole + "/points/point-1/notes.txt", "keep");
        writeFile(m_whole + "/notes.txt", "keep too");
        const QString again = path("again");
        QVERIFY(QDir().mkpath(again));
        r = sweep({ "--out", m_whole, "--quiet", "--jobs", "2" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readFile(m_whole + "/points/point-1/notes.txt"), QByteArray("keep"));
        QCOMPARE(readFile(m_whole + "/notes.txt"), QByteArray("keep too"));
    }

    void badInputIsRefusedBeforeWriting_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::addRow("path not in the scenario") << QStringList { "--vary",
            "tables[0].capacity.write=1,2" } << "--vary tables[0].capacity.write: tables[0] has no field 'capacity'";
        QTest::addRow("index out of range") << QStringList { "--vary", "tables[3].provisioned.write=1,2" }
                                            << "--vary tables[3].provisioned.write: tables has 1 element";
        QTest::addRow("value the scenario refuses")
            << QStringList { "--vary", "tables[0].provisioned.write=5,lots" }
            << "point 2 (--vary tables[0].provisioned.write=lots) is not a valid scenario";
        QTest::addRow("negative capacity")
            << QStringList { "--vary", "tables[0].provisioned.write=5,-1" } << "tables[0].provisioned.write";
        QTest::addRow("no =") << QStringList { "--vary", "tables[0].provisioned.write" } << "expected PATH=V1,V2";
        QTest::addRow("empty value") << QStringList { "--vary", "tables[0].provisioned.write=1,,2" }
                                     << "an empty value";
        QTest::addRow("path twice") << QStringList { "--vary", "name=a", "--vary", "name=b" }
                                    << "--vary name is given twice";
        QTest::addRow("no vary") << QStringList {} << "no --vary given";
        QTest::addRow("bad shard") << QStringList { "--vary", "name=a,b", "--shard", "3/2" }
                                   << "--shard 3/2: expected I/N";
        QTest::addRow("bad constraint") << QStringList { "--vary", "name=a,b", "--subject-to",
            "failed=0,throttled<<1%" } << "--subject-to: 'throttled<<1%': unknown comparison '<<'";
        QTest::addRow("bad objective") << QStringList { "--vary", "name=a,b", "--minimize", "price" }
                                       << "--minimize: unknown metric 'price'";
        QTest::addRow("advisor on a shard") << QStringList { "--vary", "name=a,b", "--shard", "1/2", "--minimize",
            "cost" } << "give them to 'capsim merge'";
        QTest::addRow("bad jobs") << QStringList { "--vary", "name=a,b", "--jobs", "0" } << "--jobs 0";
    }
    void badInputIsRefusedBeforeWriting()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const QString out = path("never-written");
        Run r = runCapsim(QStringList { "sweep", m_scenario } + args + QStringList { "--out", out });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
        QVERIFY2(!exists(out), qPrintable(out));
    }

    // The advisor's answer is the cheapest row of sweep.csv meeting the constraints.
    void advisorPicksTheCheapestMeetingTheConstraints()
    {
        const QString out = path("advised");
        Run r = sweep({ "--out", out, "--quiet", "--minimize", "cost", "--subject-to", "failed=0, throttled<=1%" });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        int expected = -1;
        double cheapest = 0;
        for (const QString& line : csvLines(out + "/sweep.csv").mid(1)) {
            const QStringList c = line.split(',');
            const bool meets = c[6].toLongLong() == 0 && c[5].toDouble() * 100 <= c[4].toDouble();
            if (meets && (expected < 0 || c[3].toDouble() < cheapest)) {
                expected = c[0].toInt();
                cheapest = c[3].toDouble();
            }
        }
        QVERIFY(expected > 0);
        QVERIFY2(
            r.out.startsWith(
                QStringLiteral("advisor: lowest cost meeting failed=0, throttled<=1%: point %1 of 6\n").arg(expected)),
            qPrintable(r.out));
        QVERIFY(ringPixels(out + "/sweep.png") > 50);
        QCOMPARE(ringPixels(m_whole + "/sweep.png"), 0);
        QVERIFY2(
            r.out.contains(
                QStringLiteral("run folder: %1/points/point-%2").arg(QFileInfo(out).absoluteFilePath()).arg(expected)),
            qPrintable(r.out));
        // The merge of the shards gives the same answer.
        Run merged = runCapsim({ "merge", m_shards[0], m_shards[1], m_shards[2], "--out", path("advised-merge"),
            "--subject-to", "failed=0,throttled<=1%" });
        QCOMPARE(merged.exitCode, 0);
        QVERIFY2(
            merged.out.startsWith(
                QStringLiteral("advisor: lowest cost meeting failed=0, throttled<=1%: point %1 of 6\n").arg(expected)),
            qPrintable(merged.out));
    }

    void advisorSaysWhenNothingMeetsTheConstraints()
    {
        Run r = runCapsim({ "merge", m_shards[0], m_shards[1], m_shards[2], "--out", path("advised-none"), "--minimize",
            "cost", "--subject-to", "cost<0,failed=0" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("advisor: no point of the 6 meets cost<0, failed=0\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("  cost<0: met by 0 points\n"), qPrintable(r.out));
    }

    // A point whose run dies (killed while writing its outputs) stops the sweep: exit 1 naming the
    // point, the folder stays incomplete with no sweep.csv, and merge refuses it.
    void aFailedPointLeavesTheShardIncomplete()
    {
        const QString out = path("failed-shard");
        capsim::test::CliOptions options;
        options.environment.insert("CAPSIM_TEST_KILL_AT", "writing");
        Run r = runCapsim(QStringList { "sweep", m_scenario } + kVary
                + QStringList { "--shard", "2/3", "--out", out, "--jobs", "1", "--quiet" },
            options);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("capsim sweep: point 2 (tables[0].provisioned.write=2 tables[0].provisioned.read=20) "
                                "was killed (signal 9)"),
            qPrintable(r.err));
        QCOMPARE(readJson(out + "/sweep.json")["complete"].toBool(true), false);
        QVERIFY(!exists(out + "/sweep.csv"));
        Run merged = runCapsim({ "merge", m_shards[0], out, m_shards[2], "--out", path("failed-merge") });
        QCOMPARE(merged.exitCode, 2);
        QVERIFY2(merged.err.contains("shard 2/3 ('" + out + "') is incomplete: its sweep did not finish"),
            qPrintable(merged.err));
    }

    // SIGTERM (a cluster scheduler cancelling the job) stops the running points and launches no
    // more: exit 1, the folder incomplete, and no point's process left behind.
    void terminatedSweepStopsItsPoints()
    {
        const QString out = path("terminated");
        QProcess p;
        p.start(capsim::test::capsimBinary(),
            { "sweep", QStringLiteral(CAPSIM_SOURCE_DIR "/resources/default-scenario.json"), "--vary",
                "tables[0].autoScaling.write.target=30,50,70,90", "--out", out, "--jobs", "2", "--progress" });
        QVERIFY(p.waitForStarted());
        QByteArray err;
        while (!err.contains("sweep: 0/4 points done") && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("sweep: 0/4 points done"), err.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(60000));
        err += p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains("capsim sweep: interrupted; '" + QFileInfo(out).absoluteFilePath().toUtf8()
                     + "' stays incomplete"),
            err.constData());
        QCOMPARE(readJson(out + "/sweep.json")["complete"].toBool(true), false);
        QVERIFY(!exists(out + "/sweep.csv"));
        QProcess pgrep;
        pgrep.start("pgrep", { "-f", out + "/points/" });
        pgrep.waitForFinished();
        QVERIFY2(pgrep.readAllStandardOutput().isEmpty(), "a point's capsim run outlived the sweep");
    }

    void helpDescribesTheCommands()
    {
        Run r = runCapsim({ "sweep", "--help" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--shard I/N"));
        r = runCapsim({ "merge", "--help" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("SHARD_DIR"));
    }
};

QTEST_GUILESS_MAIN(TestCliSweep)
#include "tst_cli_sweep.moc"
