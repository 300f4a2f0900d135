// `capsim run --out DIR` never destroys what is in DIR (issue 8 §2, contracts/cli.md): capsim owns
// only the files it writes, replaces them all at once when a run succeeds, and a run killed at any
// stage leaves the user's files untouched and either the old complete set of outputs or the new one.
// Before the fix, each of these tests lost the user's files (DIR was renamed away and deleted).

#include "tests/support/cli_process.h"

#include <QtTest>

#include <csignal>

using capsim::test::readFile;
using capsim::test::writeFile;
using Run = capsim::test::CliRun;

namespace {

// capsim in workingDir, aborting at the named stage of writing its outputs (CAPSIM_TEST_KILL_AT).
Run runCapsim(const QStringList& args, const QString& workingDir = {}, const QString& killAt = {})
{
    capsim::test::CliOptions options;
    options.workingDirectory = workingDir;
    options.environment.remove("CAPSIM_TEST_KILL_AT");
    if (!killAt.isEmpty())
        options.environment.insert("CAPSIM_TEST_KILL_AT", killAt);
    return capsim::test::runCapsim(args, options);
}



// Two tiny scenarios with different tables, so their outputs (chart names included) differ.
QByteArray tinyScenario(const QString& name, const QString& table, int rate)
{
    return QStringLiteral(R"({"format":"capsim-scenario/1","name":"%1","duration":"2m","tables":[{"name":"%2",)"
                          R"("partitionKey":{"name":"pk","type":"S"},"billingMode":"PAY_PER_REQUEST"}],"workloads":[{"table":"%2",)"
                          R"("rate":{"type":"constant","rate":%3},"operations":{"GetItem":0.5,"PutItem":0.5},)"
                          R"("keys":{"type":"uniform","cardinality":100},"itemSize":{"type":"fixed","size":"1KB"}}]})")
        .arg(name, table)
        .arg(rate)
        .toUtf8();
}



// Every file under dir (relative path -> bytes), hidden ones included.
QMap<QString, QByteArray> snapshot(const QString& dir)
{
    return capsim::test::folderSnapshot(dir);
}

// The user's files: everything except what capsim owns.
QMap<QString, QByteArray> userFiles(const QString& dir)
{
    static const QStringList owned { "summary.json", "timeseries.csv", "partitions.csv", "events.csv", "run.sqlite",
        ".capsim-outputs" };
    QMap<QString, QByteArray> files = snapshot(dir);
    for (auto it = files.begin(); it != files.end();) {
        const bool capsims = owned.contains(it.key()) || (it.key().startsWith("charts/") && !it.key().startsWith("charts/mine"))
            || it.key().startsWith(".capsim-staging-");
        it = capsims ? files.erase(it) : std::next(it);
    }
    return files;
}

QMap<QString, QByteArray> ownedFiles(const QString& dir)
{
    QMap<QString, QByteArray> all = snapshot(dir);
    const QMap<QString, QByteArray> user = userFiles(dir);
    for (auto it = all.begin(); it != all.end();)
        it = (user.contains(it.key()) || it.key().startsWith(".capsim-staging-")) ? all.erase(it) : std::next(it);
    return all;
}

QStringList stagingFolders(const QString& dir)
{
    return QDir(dir).entryList({ ".capsim-staging-*" }, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestOutSafety : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_scenarioA;
    QString m_scenarioB;
    QMap<QString, QByteArray> m_setA; // the complete outputs of each scenario, from clean folders
    QMap<QString, QByteArray> m_setB;

    // A project folder as a user has one: the scenario, notes, a sub-folder, a hidden file, and a
    // file of their own in charts/.
    QString makeProject(const QString& name)
    {
        const QString dir = m_tmp.path() + "/" + name;
        writeFile(dir + "/s.json", readFile(m_scenarioA));
        writeFile(dir + "/notes.txt", "my notes\n");
        writeFile(dir + "/.hidden", "secret\n");
        writeFile(dir + "/data/keys.csv", "k1\nk2\n");
        writeFile(dir + "/data/deeper/more.txt", "more\n");
        writeFile(dir + "/charts/mine.png", "not a capsim chart");
        return dir;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_scenarioA = m_tmp.path() + "/a.json";
        m_scenarioB = m_tmp.path() + "/b.json";
        writeFile(m_scenarioA, tinyScenario("tiny-a", "Alpha", 5));
        writeFile(m_scenarioB, tinyScenario("tiny-b", "Beta", 7));
        QCOMPARE(runCapsim({ "run", m_scenarioA, "--out", m_tmp.path() + "/refA", "--quiet" }).exitCode, 0);
        QCOMPARE(runCapsim({ "run", m_scenarioB, "--out", m_tmp.path() + "/refB", "--quiet" }).exitCode, 0);
        m_setA = snapshot(m_tmp.path() + "/refA");
        m_setB = snapshot(m_tmp.path() + "/refB");
        for (const char* f : { "summary.json", "timeseries.csv", "partitions.csv", "events.csv", "run.sqlite",
                 "charts/capacity.png", "charts/capacity-Alpha.png", "charts/cost.png", ".capsim-outputs" })
            QVERIFY2(m_setA.contains(f), f);
        QVERIFY(m_setB.contains("charts/capacity-Beta.png"));
        QVERIFY(m_setA["summary.json"] != m_setB["summary.json"]);
    }

    // capsim run proj/s.json --out proj: the scenario and every other file of the user stay.
    void scenarioAndUserFilesInsideOut()
    {
        const QString dir = makeProject("proj");
        const auto before = snapshot(dir);
        auto r = runCapsim({ "run", dir + "/s.json", "--out", dir, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(userFiles(dir), before);
        QCOMPARE(ownedFiles(dir), m_setA);
        QVERIFY(stagingFolders(dir).isEmpty());
        // Nothing beside DIR either (the old code left DIR.partial-* / DIR.old-* behind on failure).
        QCOMPARE(QDir(m_tmp.path()).entryList({ "proj.*" }, QDir::AllEntries).size(), 0);

        // A second run of another scenario replaces capsim's set whole: the old table's charts go
        // (capsim wrote them), the user's files and charts/mine.png stay.
        r = runCapsim({ "run", m_scenarioB, "--out", dir, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(userFiles(dir), before);
        QCOMPARE(ownedFiles(dir), m_setB);
    }

    void outIsDotOrTrailingSlash_data()
    {
        QTest::addColumn<QString>("out");
        QTest::addRow("dot") << ".";
        QTest::addRow("dot-slash") << "./";
        QTest::addRow("absolute-trailing-slash") << "ABS/";
    }

    // --out . (a working directory, a home folder) is as safe as any other folder.
    void outIsDotOrTrailingSlash()
    {
        QFETCH(QString, out);
        const QString dir = makeProject(QStringLiteral("cwd-%1").arg(QTest::currentDataTag()));
        out.replace("ABS", dir);
        const auto before = snapshot(dir);
        auto r = runCapsim({ "run", "s.json", "--out", out, "--quiet" }, dir);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(userFiles(dir), before);
        QCOMPARE(ownedFiles(dir), m_setA);
        QVERIFY(stagingFolders(dir).isEmpty());
    }

    // --out FILE: exit 2, the message names the file, and the file is left as it was.
    void outIsAFile()
    {
        const QString file = m_tmp.path() + "/results.txt";
        writeFile(file, "keep me\n");
        auto r = runCapsim({ "run", m_scenarioA, "--out", file, "--quiet" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(file) && r.err.contains("file"), qPrintable(r.err));
        QCOMPARE(readFile(file), QByteArray("keep me\n"));
        QVERIFY(QFileInfo(file).isFile());
    }

    void ownedNameTakenByAnotherKind_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("file");
        QTest::addRow("summary.json is a folder") << "summary.json" << QString();
        QTest::addRow("run.sqlite is a folder") << "run.sqlite" << QString();
        QTest::addRow("charts is a file") << QString() << "charts";
    }

    // A user's folder named like one of capsim's files (or a file named charts) is refused before
    // the run, exit 2, and nothing in DIR changes.
    void ownedNameTakenByAnotherKind()
    {
        QFETCH(QString, folder);
        QFETCH(QString, file);
        const QString dir = m_tmp.path() + "/taken-" + folder + file;
        QDir().mkpath(dir);
        if (!folder.isEmpty())
            writeFile(dir + "/" + folder + "/inside.txt", "mine\n");
        else
            writeFile(dir + "/" + file, "mine\n");
        const auto before = snapshot(dir);
        auto r = runCapsim({ "run", m_scenarioA, "--out", dir, "--quiet" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(folder.isEmpty() ? file : folder), qPrintable(r.err));
        QCOMPARE(snapshot(dir), before);
        QVERIFY(stagingFolders(dir).isEmpty());
    }

    // A run that fails before writing (bad scenario) creates nothing; a DIR it had to create is
    // removed again when the run does not finish.
    void unfinishedRunLeavesNoFolder()
    {
        writeFile(m_tmp.path() + "/bad.json", "{\"format\":\"capsim-scenario/1\"}");
        auto bad = runCapsim({ "run", m_tmp.path() + "/bad.json", "--out", m_tmp.path() + "/never/made", "--quiet" });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(!QFileInfo::exists(m_tmp.path() + "/never"));
    }

    void interruptedAtEachStage_data()
    {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<bool>("committed"); // the COMMIT list was written: the new set wins
        // The stages of simulator/output_folder.h, in order.
        QTest::addRow("staging") << "staging" << false;
        QTest::addRow("writing") << "writing" << false;
        QTest::addRow("written") << "written" << false;
        QTest::addRow("marked") << "marked" << true;
        QTest::addRow("moving") << "moving" << true;
        QTest::addRow("moved") << "moved" << true;
        QTest::addRow("committed") << "committed" << true;
    }

    // A run killed (SIGKILL, no cleanup) at each stage of writing and swapping its outputs into a
    // folder that already holds a previous run's outputs and the user's files.
    void interruptedAtEachStage()
    {
        QFETCH(QString, stage);
        QFETCH(bool, committed);
        const QString dir = makeProject("killed-" + stage);
        QCOMPARE(runCapsim({ "run", m_scenarioA, "--out", dir, "--quiet" }).exitCode, 0);
        const auto user = userFiles(dir);
        QCOMPARE(ownedFiles(dir), m_setA);

        auto killed = runCapsim({ "run", m_scenarioB, "--out", dir, "--quiet" }, {}, stage);
        QVERIFY2(killed.crashed, qPrintable(stage + ": the kill point was not reached: " + killed.err));
        QCOMPARE(userFiles(dir), user);
        // Right after the crash, every output file is whole (the old one or the new one), and a
        // summary.json present means a complete set.
        const auto now = ownedFiles(dir);
        for (auto it = now.begin(); it != now.end(); ++it)
            QVERIFY2(it.value() == m_setA.value(it.key()) || it.value() == m_setB.value(it.key()), qPrintable(it.key()));
        if (now.contains("summary.json"))
            QVERIFY(now == m_setA || now == m_setB);
        if (!committed)
            QCOMPARE(now, m_setA);

        // The next run into DIR recovers first (here it is killed right after that): a committed
        // set is rolled forward, an uncommitted staging folder removed.
        auto next = runCapsim({ "run", m_scenarioA, "--out", dir, "--quiet" }, {}, "recovered");
        QVERIFY(next.crashed);
        QCOMPARE(userFiles(dir), user);
        QCOMPARE(ownedFiles(dir), committed ? m_setB : m_setA);
        QVERIFY2(stagingFolders(dir).isEmpty(), qPrintable(stagingFolders(dir).join(',')));

        // And a normal run afterwards works as ever.
        QCOMPARE(runCapsim({ "run", m_scenarioB, "--out", dir, "--quiet" }).exitCode, 0);
        QCOMPARE(userFiles(dir), user);
        QCOMPARE(ownedFiles(dir), m_setB);
    }

    // A run stopped by SIGTERM (as Ctrl-C) removes its staging folder, leaves the previous outputs
    // and the user's files as they were, and removes a DIR it created itself.
    void terminatedRunLeavesEverythingAsItWas()
    {
        const QString longScenario = m_tmp.path() + "/long.json";
        writeFile(longScenario, tinyScenario("long", "Gamma", 300).replace("\"2m\"", "\"2h\""));
        for (const bool existing : { true, false }) {
            const QString dir = existing ? makeProject("terminated") : m_tmp.path() + "/terminated-new/out";
            if (existing)
                QCOMPARE(runCapsim({ "run", m_scenarioA, "--out", dir, "--quiet" }).exitCode, 0);
            const auto before = snapshot(dir);
            QProcess p;
            p.start(QStringLiteral(CAPSIM_BINARY_DIR "/capsim"), { "run", longScenario, "--out", dir, "--quiet" });
            QVERIFY(p.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(!stagingFolders(dir).isEmpty(), 20000);
            p.terminate();
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 1);
            QVERIFY(stagingFolders(dir).isEmpty());
            if (existing)
                QCOMPARE(snapshot(dir), before);
            else
                QVERIFY(!QFileInfo::exists(m_tmp.path() + "/terminated-new"));
        }
    }

    // Two runs into one DIR at once do not interleave: one complete set wins, nothing is left over.
    void concurrentRunsIntoOneFolder()
    {
        const QString dir = makeProject("concurrent");
        const auto user = userFiles(dir);
        QProcess a;
        QProcess b;
        a.start(QStringLiteral(CAPSIM_BINARY_DIR "/capsim"), { "run", m_scenarioA, "--out", dir, "--quiet" });
        b.start(QStringLiteral(CAPSIM_BINARY_DIR "/capsim"), { "run", m_scenarioB, "--out", dir, "--quiet" });
        QVERIFY(a.waitForFinished(120000));
        QVERIFY(b.waitForFinished(120000));
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        QCOMPARE(userFiles(dir), user);
        const auto owned = ownedFiles(dir);
        QVERIFY(owned == m_setA || owned == m_setB);
        QVERIFY(stagingFolders(dir).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOutSafety)
#include "tst_out_safety.moc"
