// Working with runs on the command line (contracts/cli.md "Working with runs"), run by the built
// `capsim` binary as a user runs it: the printed summary, explain, report, compare, --set, run -,
// --version.

#include "simulator/explain.h"
#include "tests/support/wire.h"

#include <QtTest>

using capsim::test::J;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCapsim(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(CAPSIM_BINARY_DIR "/capsim"), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(120000);
    return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

QString libraryScenario(const char* name)
{
    return QStringLiteral(CAPSIM_SOURCE_DIR "/resources/scenarios/%1.json").arg(QLatin1String(name));
}

// 30 on-demand writes in a minute: a bill of a few hundred-thousandths of a dollar.
const char* kTinyScenario = "{'format':'capsim-scenario/1','name':'tiny','duration':'1m','seed':1,"
                            "'tables':[{'name':'Tiny','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}],"
                            "'workloads':[{'name':'w','table':'Tiny','rate':{'type':'constant','rate':0.5,'arrivals':'uniform'},"
                            "'operations':{'PutItem':1},'keys':{'type':'sequential','cardinality':1000000},"
                            "'itemSize':{'type':'fixed','size':100}}]}";

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The printed summary's line for a table or index row (its first column, trimmed).
QString summaryLine(const QString& summary, const QString& name)
{
    for (const QString& line : summary.split('\n')) {
        const QStringList words = line.simplified().split(' ');
        if (!words.isEmpty() && words[0] == name)
            return line;
    }
    return {};
}

} // namespace

class TestCliRuns : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_tinyScenario;
    QString m_backpressureOut; // scenario 11, its GSI short of write capacity
    QString m_backpressureSummary; // its printed summary

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tinyScenario = m_dir.path() + "/tiny.json";
        QFile tiny(m_tinyScenario);
        QVERIFY(tiny.open(QIODevice::WriteOnly));
        tiny.write(QByteArray::fromStdString(J(kTinyScenario)));
        tiny.close();
        m_backpressureOut = m_dir.path() + "/backpressure";
        auto r = runCapsim({ "run", libraryScenario("11-gsi-backpressure"), "--out", m_backpressureOut, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        m_backpressureSummary = r.out;
    }

    // Money has one format everywhere: four significant digits below $1, cents from $1.
    void formatUsd_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << 0.0 << "$0";
        QTest::addRow("0.0000475") << 0.0000475 << "$0.00004750";
        QTest::addRow("0.019") << 0.019 << "$0.01900";
        QTest::addRow("0.2357") << 0.23568 << "$0.2357";
        QTest::addRow("12.5") << 12.5 << "$12.50";
        QTest::addRow("1234.5678") << 1234.5678 << "$1,234.57";
        QTest::addRow("1234567.891") << 1234567.891 << "$1,234,567.89";
        QTest::addRow("negative") << -0.0000475 << "-$0.00004750";
    }
    void formatUsd()
    {
        QFETCH(double, usd);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(capsim::formatUsd(usd)), text);
    }

    // A run costing $0.00001875 printed its cost as "0" before one money format was used.
    void summaryPrintsSmallCosts()
    {
        const QString out = m_dir.path() + "/tiny-out";
        auto r = runCapsim({ "run", m_tinyScenario, "--out", out, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject summary = readJson(out + "/summary.json");
        const double tableCost = summary["tables"].toArray()[0].toObject()["cost"].toObject()["total"].toDouble();
        QVERIFY(tableCost > 0 && tableCost < 0.00005);
        const QString usd = QString::fromStdString(capsim::formatUsd(tableCost));
        QVERIFY2(summaryLine(r.out, "Tiny").trimmed().endsWith(" " + usd), qPrintable(r.out));
        QVERIFY2(r.out.contains("total cost: " + QString::fromStdString(capsim::formatUsd(summary["cost"].toObject()["total"].toDouble()))),
            qPrintable(r.out));
    }

    // Scenario 11: the GSI's throttles (1,795 writes, 5 WCU) are printed under its table; before,
    // only the table's row was printed and the index's share was in summary.json alone.
    void summaryShowsIndexes()
    {
        const QString table = summaryLine(m_backpressureSummary, "Orders");
        const QString index = summaryLine(m_backpressureSummary, "byStatus");
        QVERIFY2(!index.isEmpty(), qPrintable(m_backpressureSummary));
        QVERIFY(index.startsWith("  byStatus"));
        QVERIFY(m_backpressureSummary.indexOf(index) > m_backpressureSummary.indexOf(table));
        // kind, requests, throttled, failed, prov RCU, prov WCU, consumed RCU, consumed WCU, parts, cost
        const QStringList fields = index.simplified().split(' ');
        QCOMPARE(fields.size(), 11);
        QCOMPARE(fields[1], QString("GSI"));
        QCOMPARE(fields[2], QString("2400"));
        QCOMPARE(fields[3], QString("1795"));
        QCOMPARE(fields[6], QString("5"));
        QCOMPARE(fields[8], QString("605"));
        const QJsonObject summary = readJson(m_backpressureOut + "/summary.json");
        const QJsonObject gsi = summary["tables"].toArray()[0].toObject()["indexes"].toArray()[0].toObject();
        QCOMPARE(fields[10], QString::fromStdString(capsim::formatUsd(gsi["cost"].toObject()["total"].toDouble())));
        // Scenario 10: the table rows all consume 2,400 WCU; the index rows show the amplification.
        auto amplification = runCapsim({ "run", libraryScenario("10-gsi-write-amplification"), "--out",
            m_dir.path() + "/amplification", "--quiet" });
        QCOMPARE(amplification.exitCode, 0);
        QCOMPARE(amplification.out.count(QRegularExpression("\n  by\\w+ +GSI ")), 5);
    }

    // --set overrides a field by its JSON path: giving scenario 11's GSI its table's 20 WCU ends the
    // throttling, and the stored scenario is the one that ran.
    void setOverridesAField()
    {
        const QString out = m_dir.path() + "/set-out";
        auto r = runCapsim({ "run", libraryScenario("11-gsi-backpressure"), "--set",
            "tables[0].globalSecondaryIndexes[0].provisioned.write=20", "--set=name=backpressure-fixed", "--out", out, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject summary = readJson(out + "/summary.json");
        QCOMPARE(summary["scenario"].toString(), QString("backpressure-fixed"));
        const QJsonObject table = summary["tables"].toArray()[0].toObject();
        QCOMPARE(table["throttled"].toObject()["write"].toInt(), 0);
        const QJsonObject gsi = table["indexes"].toArray()[0].toObject();
        QVERIFY(qAbs(gsi["provisionedUnitHours"].toObject()["write"].toDouble() - 20.0 * 120 / 3600) < 1e-6);
        QCOMPARE(summaryLine(r.out, "byStatus").simplified().split(' ').value(6), QString("20"));
    }

    void setRefusesBadPaths_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("message");
        QTest::addRow("index out of range") << "tables[3].provisioned.write=5" << "--set tables[3].provisioned.write: tables has 1 element";
        QTest::addRow("missing field") << "tables[0].provisoned.write=5" << "--set tables[0].provisoned.write: tables[0] has no field 'provisoned'";
        QTest::addRow("field of an array") << "tables.name=x" << "--set tables.name: tables is an array";
        QTest::addRow("field of a number") << "seed.x=1" << "--set seed.x: seed is a number, not an object";
        QTest::addRow("unclosed index") << "tables[0=1" << "--set tables[0: an array index is written [N]";
        QTest::addRow("no value") << "tables[0].name" << "--set tables[0].name: expected PATH=VALUE";
        QTest::addRow("empty path") << "=5" << "--set =5: expected PATH=VALUE";
        QTest::addRow("bad value") << "tables[0].provisioned.write=abc" << "tables[0].provisioned.write: must be an integer";
        QTest::addRow("unknown last field") << "tables[0].provisioned.wrte=5" << "tables[0].provisioned.wrte: unknown field";
    }
    void setRefusesBadPaths()
    {
        QFETCH(QString, assignment);
        QFETCH(QString, message);
        const QString out = m_dir.path() + "/set-bad";
        auto r = runCapsim({ "run", libraryScenario("11-gsi-backpressure"), "--set", assignment, "--out", out, "--quiet" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void runReadsStdin()
    {
        const QString out = m_dir.path() + "/stdin-out";
        auto r = runCapsim({ "run", "-", "--out", out, "--quiet", "--set", "name=from-stdin" }, QByteArray::fromStdString(J(kTinyScenario)));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("capsim run: from-stdin "));
        QVERIFY(QFileInfo(out + "/run.sqlite").size() > 0);
        auto bad = runCapsim({ "run", "-", "--out", out + "-bad", "--quiet" }, "{\"format\":\"capsim-scenario/1\"}");
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("the scenario from standard input is not a valid scenario"), qPrintable(bad.err));
    }

    // The version is CMake's project version.
    void version()
    {
        QFile cmake(CAPSIM_SOURCE_DIR "/CMakeLists.txt");
        QVERIFY(cmake.open(QIODevice::ReadOnly));
        const auto match = QRegularExpression("project\\(capsim VERSION ([0-9.]+)").match(QString::fromUtf8(cmake.readAll()));
        QVERIFY(match.hasMatch());
        for (const char* argument : { "--version", "version" }) {
            auto r = runCapsim({ argument });
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out, "capsim " + match.captured(1) + "\n");
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"
