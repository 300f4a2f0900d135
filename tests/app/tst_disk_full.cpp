// Disk full and read-only files (issue 13): a `capsim call` or `capsim run` that cannot write says so
// clearly, exits 1 (contracts/cli.md: the run failed, I/O), and leaves the database and the previous
// outputs exactly as they were. "Disk full" is a file size limit (RLIMIT_FSIZE, `ulimit -f`, with
// SIGXFSZ ignored so that writes fail with EFBIG as on a full disk) — no privileges needed; read-only
// is a file the command's user may not write (as root, the command runs as `nobody` through setpriv).

#include "tests/support/cli_process.h"

#include <QtTest>

#include <unistd.h>

using capsim::test::CliRun;
using capsim::test::capsimBinary;
using capsim::test::readFile;
using capsim::test::runCapsim;
using capsim::test::runProgram;
using capsim::test::writeFile;

namespace {

// capsim with a file size limit of `kilobytes` KB, as `ulimit -f` sets it.
CliRun runLimited(int kilobytes, const QStringList& args, const QByteArray& input = {})
{
    capsim::test::CliOptions options;
    options.input = input;
    return runProgram("bash",
        QStringList { "-c", QString("trap '' XFSZ; ulimit -f %1; exec \"$0\" \"$@\"").arg(kilobytes), capsimBinary() } + args,
        options);
}

QByteArray table()
{
    return R"({"TableName":"Keep","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
           R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})";
}

QByteArray item(const QString& key, int payloadBytes)
{
    return QString(R"({"TableName":"Keep","Item":{"pk":{"S":"%1"},"p":{"S":"%2"}}})")
        .arg(key, QString(payloadBytes, 'x'))
        .toUtf8();
}

// Every item of table Keep, as `capsim call Scan` prints them (the database's content).
QString scan(const QString& db)
{
    const CliRun r = runCapsim({ "call", "--db", db, "Scan", "-" }, QByteArray(R"({"TableName":"Keep","ConsistentRead":true})"));
    return r.exitCode == 0 ? r.out : "scan failed: " + r.out + r.err;
}

QMap<QString, QByteArray> snapshot(const QString& dir)
{
    return capsim::test::folderSnapshot(dir);
}

QByteArray tinyScenario(const QString& table, int rate)
{
    return QString(R"({"format":"capsim-scenario/1","name":"tiny","duration":"2m","tables":[{"name":"%1",)"
                   R"("partitionKey":{"name":"pk","type":"S"},"billingMode":"PAY_PER_REQUEST"}],"workloads":[{"table":"%1",)"
                   R"("rate":{"type":"constant","rate":%2},"operations":{"GetItem":0.5,"PutItem":0.5},)"
                   R"("keys":{"type":"uniform","cardinality":100},"itemSize":{"type":"fixed","size":"1KB"}}]})")
        .arg(table)
        .arg(rate)
        .toUtf8();
}

} // namespace

class TestDiskFull : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    // A database with table Keep and 20 items.
    QString makeDatabase(const QString& name)
    {
        const QString db = m_tmp.path() + "/" + name;
        if (runCapsim({ "call", "--db", db, "CreateTable", "-" }, table()).exitCode != 0)
            return {};
        for (int i = 0; i < 20; ++i)
            if (runCapsim({ "call", "--db", db, "PutItem", "-" }, item("k" + QString::number(i), 500)).exitCode != 0)
                return {};
        return db;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    // A write that needs more room than the limit leaves: exit 1, a storage error naming the
    // failure, nothing stored changed, and the database keeps working afterwards.
    void callThatCannotGrowTheDatabase()
    {
        const QString db = makeDatabase("full.db");
        QVERIFY(!db.isEmpty());
        const QString before = scan(db);
        QVERIFY(before.contains("\"Count\": 20"));

        const CliRun r = runLimited(64, { "call", "--db", db, "PutItem", "-" }, item("big", 300'000));
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("InternalServerError") && r.out.contains("storage error while writing an item")
                && (r.out.contains("disk I/O error") || r.out.contains("full")),
            qPrintable(r.out + r.err));

        QCOMPARE(scan(db), before);
        // And a small write still fits and lands.
        QCOMPARE(runCapsim({ "call", "--db", db, "PutItem", "-" }, item("small", 10)).exitCode, 0);
        QVERIFY(scan(db).contains("\"Count\": 21"));
    }

    // A database that cannot even be created: exit 1, the message says the file cannot be
    // written and why, and no half-made file is left behind.
    void databaseThatCannotBeCreated()
    {
        const QString db = m_tmp.path() + "/never.db";
        const CliRun r = runLimited(0, { "call", "--db", db, "ListTables", "-" }, "{}");
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot write the database") && r.err.contains("never.db") && r.err.contains("File too large"),
            qPrintable(r.err));
        for (const char* suffix : { "", "-journal", "-wal", "-shm" })
            QVERIFY2(!QFileInfo::exists(db + suffix), suffix);
    }

    // A run whose outputs do not fit: exit 1 naming the file, and the previous run's outputs and
    // the user's own files are exactly as they were, with no staging folder left.
    void runThatCannotWriteItsOutputs()
    {
        const QString dir = m_tmp.path() + "/out";
        const QString first = m_tmp.path() + "/first.json";
        const QString second = m_tmp.path() + "/second.json";
        writeFile(first, tinyScenario("Alpha", 5));
        writeFile(second, tinyScenario("Beta", 9));
        QCOMPARE(runCapsim({ "run", first, "--out", dir, "--quiet" }).exitCode, 0);
        writeFile(dir + "/notes.txt", "mine\n");
        const auto before = snapshot(dir);
        QVERIFY(before.contains("run.sqlite") && before.contains("summary.json"));

        const CliRun r = runLimited(100, { "run", second, "--out", dir, "--quiet" });
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("capsim run:") && (r.err.contains("disk I/O error") || r.err.contains("File too large")
                                                      || r.err.contains("full")),
            qPrintable(r.err));
        QCOMPARE(snapshot(dir), before);
        QVERIFY(QDir(dir).entryList({ ".capsim-staging-*" }, QDir::AllEntries | QDir::Hidden).isEmpty());
    }

    // A database file its user may not write: reads work, a write fails with exit 1 saying the
    // database is read-only, and the file is unchanged.
    void readOnlyDatabase()
    {
        const QString db = makeDatabase("readonly.db");
        QVERIFY(!db.isEmpty());
        const QString before = scan(db);
        QStringList prefix;
        if (geteuid() == 0) {
            // root writes any file: run as nobody, who may read but not write the folder and file.
            if (QStandardPaths::findExecutable("setpriv").isEmpty())
                QSKIP("setpriv (util-linux) is not installed");
            QFile::setPermissions(m_tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther
                    | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
            prefix = { "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups" };
        } else {
            QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        }
        const QByteArray bytes = readFile(db);
        capsim::test::CliOptions options;
        options.input = item("new", 10);
        const QStringList args { "call", "--db", db, "PutItem", "-" };
        const CliRun r = prefix.isEmpty() ? runCapsim(args, options)
                                          : runProgram(prefix.takeFirst(), prefix + QStringList { capsimBinary() } + args, options);
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2((r.out + r.err).contains("readonly") || (r.out + r.err).contains("read-only")
                || (r.out + r.err).contains("Permission denied") || (r.out + r.err).contains("unable to open"),
            qPrintable(r.out + r.err));
        QCOMPARE(readFile(db), bytes);
        QCOMPARE(scan(db), before);
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
