// Input errors on the command line (issue 8 §2 and §3): every bad path is a clear message naming
// it and exit 2, never an uncaught exception (before the fix a folder given as a file aborted with
// std::ios_base::failure, exit 134); commands that write files never overwrite or corrupt a file
// that is not theirs; the demo's closing hint is a command that works.

#include "tests/support/cli_process.h"

#include <QtTest>

using capsim::test::readFile;
using capsim::test::runCapsim;
using capsim::test::runProgram;
using capsim::test::writeFile;
using Run = capsim::test::CliRun;

namespace {

Run runCapsimWith(const QStringList& args, const QProcessEnvironment& env)
{
    capsim::test::CliOptions options;
    options.environment = env;
    return runCapsim(args, options);
}




QJsonObject jsonObject(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// A scenario of one table and one constant-rate workload.
QByteArray scenario(const QString& name, const QString& rate, const QString& duration)
{
    return QStringLiteral(R"({"format":"capsim-scenario/1","name":"%1","duration":"%3","tables":[{"name":"Alpha","partitionKey":)"
                          R"({"name":"pk","type":"S"},"billingMode":"PAY_PER_REQUEST"}],"workloads":[{"table":"Alpha","rate":)"
                          R"({"type":"constant","rate":%2},"operations":{"GetItem":0.5,"PutItem":0.5},"keys":{"type":"uniform",)"
                          R"("cardinality":100},"itemSize":{"type":"fixed","size":"1KB"}}]})")
        .arg(name, rate, duration)
        .toUtf8();
}



const QByteArray kCreateMine = R"({"TableName":"Mine","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],)"
                               R"("KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})";

} // namespace

class TestCliInputs : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    QString path(const QString& name) const { return m_tmp.path() + "/" + name; }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void folderOrMissingFileAsInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named"); // the path the message must name
        const QString dir = QDir::tempPath();
        const QString missing = QDir::tempPath() + "/capsim-no-such-file.json";
        const QString db = QDir::tempPath() + "/capsim-inputs-never-created.sqlite";
        QTest::addRow("run folder") << QStringList { "run", dir, "--quiet" } << dir;
        QTest::addRow("size folder") << QStringList { "size", dir } << dir;
        QTest::addRow("call request folder") << QStringList { "call", "--db", db, "ListTables", dir } << dir;
        QTest::addRow("demo --steps folder") << QStringList { "demo", "--steps", dir, "--db", db } << dir;
        QTest::addRow("run missing") << QStringList { "run", missing, "--quiet" } << missing;
        QTest::addRow("size missing") << QStringList { "size", missing } << missing;
        QTest::addRow("call request missing") << QStringList { "call", "--db", db, "ListTables", missing } << missing;
        QTest::addRow("demo --steps missing") << QStringList { "demo", "--steps", missing, "--db", db } << missing;
    }

    // A folder or a missing file where a file is expected: exit 2, a message naming it, no abort.
    void folderOrMissingFileAsInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        auto r = runCapsim(args);
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("'" + named + "'"), qPrintable(r.err));
        QVERIFY2(!r.err.contains("terminate"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(QDir::tempPath() + "/capsim-inputs-never-created.sqlite"));
    }

    void demoScriptOfTheWrongShape_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QString>("problem");
        QTest::addRow("not json") << QByteArray("{steps") << "not JSON";
        QTest::addRow("no steps") << QByteArray(R"({"description":"x"})") << "no steps array";
        QTest::addRow("step not object") << QByteArray(R"({"steps":[1]})") << "steps[0] is not an object";
        QTest::addRow("operation not string") << QByteArray(R"({"steps":[{"title":"t","operation":5,"request":{}}]})")
                                              << "steps[0].operation";
        QTest::addRow("request missing") << QByteArray(R"({"steps":[{"title":"t","operation":"ListTables"}]})")
                                         << "steps[0].request";
    }

    // Before the fix these died of a boost::json exception.
    void demoScriptOfTheWrongShape()
    {
        QFETCH(QByteArray, script);
        QFETCH(QString, problem);
        writeFile(path("script.json"), script);
        auto r = runCapsim({ "demo", "--steps", path("script.json"), "--db", path("script-demo.sqlite") });
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(problem) && r.err.contains(path("script.json")), qPrintable(r.err));
    }

    // call --db: a folder or a file that is not an engine database is refused (exit 2) and left
    // byte for byte as it was; a missing folder stays a failed call (exit 1).
    void callDbThatIsNotAnEngineDatabase()
    {
        auto folder = runCapsim({ "call", "--db", m_tmp.path(), "ListTables" });
        QCOMPARE(folder.exitCode, 2);
        QVERIFY2(folder.err.contains(m_tmp.path()) && folder.err.contains("folder"), qPrintable(folder.err));

        writeFile(path("notes.txt"), "my notes, not a database\n");
        auto text = runCapsim({ "call", "--db", path("notes.txt"), "ListTables" });
        QCOMPARE(text.exitCode, 2);
        QVERIFY2(text.err.contains("not a SQLite database"), qPrintable(text.err));
        QCOMPARE(readFile(path("notes.txt")), QByteArray("my notes, not a database\n"));

        // Another program's SQLite database (here a run's results): before the fix, capsim added its
        // tables to it and switched it to WAL.
        writeFile(path("tiny.json"), scenario("tiny", "5", "1m"));
        QCOMPARE(runCapsim({ "run", path("tiny.json"), "--out", path("results"), "--quiet" }).exitCode, 0);
        const QByteArray results = readFile(path("results/run.sqlite"));
        auto foreign = runCapsim({ "call", "--db", path("results/run.sqlite"), "ListTables" });
        QCOMPARE(foreign.exitCode, 2);
        QVERIFY2(foreign.err.contains("not a capsim engine database"), qPrintable(foreign.err));
        QCOMPARE(readFile(path("results/run.sqlite")), results);
        QVERIFY(!QFileInfo::exists(path("results/run.sqlite-wal")));

        auto noFolder = runCapsim({ "call", "--db", path("no/such/dir/x.sqlite"), "ListTables" });
        QCOMPARE(noFolder.exitCode, 1);
        // An empty file is an empty database: it becomes an engine database.
        writeFile(path("empty.sqlite"), {});
        QCOMPARE(runCapsim({ "call", "--db", path("empty.sqlite"), "ListTables" }).exitCode, 0);
    }

    // demo --db: it starts from a fresh database, but replaces only its own earlier database.
    void demoDbIsReplacedOnlyWhenItIsTheDemos()
    {
        auto folder = runCapsim({ "demo", "--db", m_tmp.path() });
        QCOMPARE(folder.exitCode, 2);
        QVERIFY(QFileInfo(m_tmp.path()).isDir());

        writeFile(path("keep.txt"), "keep me\n");
        auto text = runCapsim({ "demo", "--db", path("keep.txt") });
        QCOMPARE(text.exitCode, 2);
        QCOMPARE(readFile(path("keep.txt")), QByteArray("keep me\n"));

        // A user's engine database with a table of their own.
        QCOMPARE(runCapsim({ "call", "--db", path("mine.sqlite"), "CreateTable", "-" }, kCreateMine).exitCode, 0);
        auto mine = runCapsim({ "demo", "--db", path("mine.sqlite") });
        QCOMPARE(mine.exitCode, 2);
        QVERIFY2(mine.err.contains("Mine"), qPrintable(mine.err));
        const auto listed = runCapsim({ "call", "--db", path("mine.sqlite"), "--compact", "ListTables" });
        QCOMPARE(listed.out.trimmed(), QString(R"({"TableNames":["Mine"]})"));

        // The demo's own database, run twice: replaced, same result.
        auto first = runCapsim({ "demo", "--db", path("demo.sqlite") });
        QCOMPARE(first.exitCode, 0);
        auto second = runCapsim({ "demo", "--db", path("demo.sqlite") });
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.out, first.out);
    }

    // The closing hint is a command that works as printed (it lacked a TableName before).
    void demoHintWorks()
    {
        auto demo = runCapsim({ "demo", "--db", path("hint dir/demo.sqlite") });
        QCOMPARE(demo.exitCode, 0);
        const QString marker = "reopen it with: ";
        const qsizetype at = demo.out.lastIndexOf(marker);
        QVERIFY2(at >= 0, qPrintable(demo.out));
        QString hint = demo.out.mid(at + marker.size()).trimmed();
        QVERIFY(hint.endsWith(')'));
        hint.chop(1);
        // The hint names this capsim by the path it has unless `capsim` on PATH is this program.
        auto r = runProgram("/bin/sh", { "-c", hint });
        QVERIFY2(r.exitCode == 0, qPrintable(hint + "\n" + r.out + r.err));
        QVERIFY2(r.out.contains(R"("TableName": "Orders")") && r.out.contains(R"("ItemCount")"), qPrintable(r.out));
    }

    // bench --dir DIR works in a folder of its own inside DIR and removes only that: before the
    // fix it deleted DIR recursively (a home folder, with --dir ~).
    void benchDirKeepsItsContents()
    {
        const QString dir = path("bench");
        QDir().mkpath(dir + "/sub");
        writeFile(dir + "/engine.sqlite", "mine\n");
        writeFile(dir + "/sub/notes.txt", "notes\n");
        auto r = runCapsim({ "bench", "engine", "--items", "50", "--dir", dir, "--json" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readFile(dir + "/engine.sqlite"), QByteArray("mine\n"));
        QCOMPARE(readFile(dir + "/sub/notes.txt"), QByteArray("notes\n"));
        QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 2);

        auto file = runCapsim({ "bench", "engine", "--items", "50", "--dir", dir + "/engine.sqlite" });
        QCOMPARE(file.exitCode, 2);
        QCOMPARE(readFile(dir + "/engine.sqlite"), QByteArray("mine\n"));
    }

    // capsim check: validates and estimates without running (contracts/cli.md, "Working with runs").
    void checkEstimates()
    {
        writeFile(path("check-small.json"), scenario("small", "5", "2m"));
        auto r = runCapsim({ "check", path("check-small.json"), "--json" });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o["format"].toString(), QString("capsim-check/1"));
        QCOMPARE(o["valid"].toBool(), true);
        QCOMPARE(o["scenario"].toString(), QString("small"));
        QCOMPARE(o["simulatedSeconds"].toDouble(), 120.0);
        QCOMPARE(o["requests"].toInteger(), 600);
        QCOMPARE(o["fidelity"].toObject()["mode"].toString(), QString("full"));
        QCOMPARE(o["engineRequests"].toInteger(), 600);
        QVERIFY(o["estimate"].toObject()["seconds"].toDouble() > 0);
        QVERIFY(o["estimate"].toObject()["memoryBytes"].toDouble() > 0);
        QCOMPARE(o["limits"].toObject()["seconds"].toDouble(), 3600.0);
        QCOMPARE(o["limits"].toObject()["memoryBytes"].toDouble(), 8.0 * 1024 * 1024 * 1024);
        QCOMPARE(o["withinLimits"].toBool(), true);

        auto text = runCapsim({ "check", path("check-small.json") });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("requests:        600") && text.out.contains("fidelity:        full"), qPrintable(text.out));

        // 1e12 requests/s for an hour: every request counted, fluid fidelity (flows per partition
        // and step: an hour of steps), within the limits.
        writeFile(path("check-hour.json"), scenario("hour", "1e12", "1h"));
        auto hour = runCapsim({ "check", path("check-hour.json"), "--json" });
        QCOMPARE(hour.exitCode, 0);
        const QJsonObject o2 = jsonObject(hour.out);
        QCOMPARE(o2["requests"].toDouble(), 3.6e15);
        QCOMPARE(o2["fidelity"].toObject()["mode"].toString(), QString("fluid"));
        QCOMPARE(o2["fidelity"].toObject()["step"].toString(), QString("1s"));
        QCOMPARE(o2["withinLimits"].toBool(), true);
        // ... and for 10,000 days: too many steps even as flows, over the limits.
        writeFile(path("check-huge.json"), scenario("huge", "1e12", "10000d"));
        auto huge = runCapsim({ "check", path("check-huge.json"), "--json" });
        QCOMPARE(huge.exitCode, 0);
        const QJsonObject h = jsonObject(huge.out);
        QCOMPARE(h["fidelity"].toObject()["mode"].toString(), QString("fluid"));
        QCOMPARE(h["withinLimits"].toBool(), false);
        QVERIFY2(h["refusal"].toString().contains("limit 1 h"), qPrintable(huge.out));

        auto help = runCapsim({ "check", "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Usage: capsim check"));
        QCOMPARE(runCapsim({ "check", "--bogus" }).exitCode, 2);

        writeFile(path("check-bad.json"), R"({"format":"capsim-scenario/1","name":"bad"})");
        auto bad = runCapsim({ "check", path("check-bad.json"), "--json" });
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(jsonObject(bad.out)["valid"].toBool(), false);
        QVERIFY2(bad.err.contains("duration"), qPrintable(bad.err));
    }

    // Every library scenario stays within the limits, so `capsim run` never refuses one.
    void libraryWithinLimits()
    {
        const auto files = QDir(CAPSIM_SOURCE_DIR "/resources/scenarios").entryInfoList({ "*.json" });
        QVERIFY(files.size() >= 10);
        for (const auto& file : files) {
            auto r = runCapsim({ "check", file.filePath(), "--json" });
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(jsonObject(r.out)["withinLimits"].toBool(), qPrintable(file.fileName() + r.out));
        }
    }

    // A run it cannot finish is refused at once (before the fix it ran until killed): exit 2, the
    // estimate and the limit in the message, no output folder.
    void runRefusesWhatItCannotFinish()
    {
        writeFile(path("huge.json"), scenario("huge", "1e12", "10000d"));
        QProcess p;
        p.start(QStringLiteral(CAPSIM_BINARY_DIR "/capsim"), { "run", path("huge.json"), "--out", path("huge-out"), "--quiet" });
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished();
            QFAIL("capsim run of 1e12 requests/s did not stop by itself");
        }
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("refused") && err.contains("8.64e+20 requests") && err.contains("limit 1 h") && err.contains("--force"),
            qPrintable(err));
        QVERIFY(!QFileInfo::exists(path("huge-out")));
    }

    // --force runs what the limits refuse (a tiny run, refused under a lowered limit).
    void forceBypassesTheLimits()
    {
        writeFile(path("force.json"), scenario("force", "2", "1m"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CAPSIM_TEST_RUN_LIMIT_SECONDS", "0.01");
        auto refused = runCapsimWith({ "run", path("force.json"), "--out", path("force-out"), "--quiet" }, env);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("refused"), qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(path("force-out")));
        auto forced = runCapsimWith({ "run", path("force.json"), "--out", path("force-out"), "--quiet", "--force" }, env);
        QCOMPARE(forced.exitCode, 0);
        QVERIFY(QFileInfo(path("force-out/summary.json")).size() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCliInputs)
#include "tst_cli_inputs.moc"
