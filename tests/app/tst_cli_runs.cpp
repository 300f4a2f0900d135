// Working with runs on the command line (contracts/cli.md "Working with runs"), run by the built
// `capsim` binary as a user runs it: the printed summary, explain, report, compare, --set, run -,
// --version.

#include "simulator/explain.h"
#include "simulator/results_store.h"
#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QImage>
#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

namespace {



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

    // explain prints the studio's Explain paragraphs (simulator/explain) of the run read back from
    // its results database, the same from DIR and from DIR/run.sqlite.
    void explainPrintsTheExplanation()
    {
        auto run = capsim::readResultsDatabase((m_backpressureOut + "/run.sqlite").toStdString());
        QVERIFY(run.isOk());
        QString expected;
        for (const auto& paragraph : capsim::explainRun(*run))
            expected += (expected.isEmpty() ? "" : "\n") + QString::fromStdString(paragraph) + "\n";
        auto r = runCapsim({ "explain", m_backpressureOut });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, expected);
        QVERIFY(r.out.contains("1,795"));
        QCOMPARE(runCapsim({ "explain", m_backpressureOut + "/run.sqlite" }).out, expected);

        auto html = runCapsim({ "explain", m_backpressureOut, "--html" });
        QCOMPARE(html.exitCode, 0);
        QVERIFY(html.out.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.out.trimmed().endsWith("</html>"));
        for (const auto& paragraph : capsim::explainRun(*run))
            QVERIFY(html.out.contains("<p>" + QString::fromStdString(paragraph).toHtmlEscaped() + "</p>"));
    }

    void commandsRefuseWhatIsNotARun_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString missing = m_dir.path() + "/no-such-run";
        QTest::addRow("explain: missing") << QStringList { "explain", missing } << "does not exist";
        QTest::addRow("explain: folder without run.sqlite") << QStringList { "explain", m_dir.path() } << "holds no run.sqlite";
        QTest::addRow("explain: not a results database") << QStringList { "explain", m_tinyScenario } << "is not a capsim results database";
        QTest::addRow("explain: no run") << QStringList { "explain" } << "which run?";
        QTest::addRow("explain: unknown option") << QStringList { "explain", m_backpressureOut, "--pdf" } << "unknown option '--pdf'";
        QTest::addRow("report: missing") << QStringList { "report", missing } << "does not exist";
        QTest::addRow("report: out is a folder") << QStringList { "report", m_backpressureOut, "--out", m_dir.path() } << "is a folder";
        QTest::addRow("report: out in a missing folder")
            << QStringList { "report", m_backpressureOut, "--out", missing + "/r.html" } << "does not exist";
        QTest::addRow("compare: one run") << QStringList { "compare", m_backpressureOut } << "give two runs";
        QTest::addRow("compare: B missing") << QStringList { "compare", m_backpressureOut, missing } << "B: '";
    }
    void commandsRefuseWhatIsNotARun()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QStringList before = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        auto r = runCapsim(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.out, QString());
        // Nothing was created (opening a missing database must not create one).
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    }

    // One HTML file that needs nothing beside it: no external src or href, every image a data: URI
    // of a PNG; the run's tables, cost and explanation in it.
    void reportIsSelfContained()
    {
        const QString path = m_dir.path() + "/reports/backpressure.html";
        QVERIFY(QDir().mkpath(m_dir.path() + "/reports"));
        auto r = runCapsim({ "report", m_backpressureOut, "--out", path });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), "report: " + path);
        // Written through a temporary file renamed over it: nothing else is left in the folder.
        QCOMPARE(QDir(m_dir.path() + "/reports").entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList { "backpressure.html" });
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(file.readAll());
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(!html.contains("href=", Qt::CaseInsensitive));
        QVERIFY(!html.contains("url(", Qt::CaseInsensitive));
        const QRegularExpression source("src=\"([^\"]*)\"");
        int images = 0;
        for (auto it = source.globalMatch(html); it.hasNext();) {
            const QString uri = it.next().captured(1);
            QVERIFY2(uri.startsWith("data:image/png;base64,"), qPrintable(uri.left(80)));
            QImage image;
            QVERIFY(image.loadFromData(QByteArray::fromBase64(uri.mid(22).toLatin1()), "PNG"));
            QVERIFY(image.width() > 100);
            ++images;
        }
        QCOMPARE(html.count("src=", Qt::CaseInsensitive), images);
        QVERIFY(images >= 3); // capacity and heat map of Orders, cost
        QVERIFY(html.contains("<td>Orders</td>"));
        QVERIFY(html.contains(QString::fromStdString(capsim::formatUsd(readJson(m_backpressureOut + "/summary.json")["cost"].toObject()["total"].toDouble()))));
        auto run = capsim::readResultsDatabase((m_backpressureOut + "/run.sqlite").toStdString());
        QVERIFY(run.isOk());
        for (const auto& paragraph : capsim::explainRun(*run))
            QVERIFY(html.contains("<p>" + QString::fromStdString(paragraph).toHtmlEscaped() + "</p>"));
        // The GSI that throttles its table has its own row, and a panel in its table's capacity
        // chart: 800 px for the table's read and write panels, 340 px more for the index's writes.
        QVERIFY(html.contains("<td>byStatus</td><td>GSI</td>"));
        const QString chartTag = "<img alt=\"Orders capacity\" src=\"data:image/png;base64,";
        const auto chartAt = html.indexOf(chartTag);
        QVERIFY(chartAt >= 0);
        const auto dataAt = chartAt + chartTag.size();
        const QImage chart = QImage::fromData(QByteArray::fromBase64(html.mid(dataAt, html.indexOf('"', dataAt) - dataAt).toLatin1()), "PNG");
        QCOMPARE(chart.height(), 800 + 340);
    }

    // Without --out the report is report.html beside the run.sqlite; nothing else in DIR changes,
    // and a second report replaces the first.
    void reportDefaultPath()
    {
        const QString dir = m_dir.path() + "/default-report";
        QVERIFY(runCapsim({ "run", m_tinyScenario, "--out", dir, "--quiet" }).exitCode == 0);
        QFile mine(dir + "/notes.txt");
        QVERIFY(mine.open(QIODevice::WriteOnly));
        mine.write("mine");
        mine.close();
        const auto listing = [&] {
            QStringList out;
            QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                QFile f(file);
                f.open(QIODevice::ReadOnly);
                out << file + " " + QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
            }
            out.sort();
            return out;
        };
        const QStringList before = listing();
        auto r = runCapsim({ "report", dir });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), "report: " + dir + "/report.html");
        QStringList after = listing();
        QCOMPARE(after.size(), before.size() + 1);
        after.removeIf([&](const QString& line) { return line.startsWith(dir + "/report.html "); });
        QCOMPARE(after, before);
        QFile::resize(dir + "/report.html", 3);
        QCOMPARE(runCapsim({ "report", dir + "/run.sqlite" }).exitCode, 0);
        QVERIFY(QFileInfo(dir + "/report.html").size() > 1000);
        auto toStdout = runCapsim({ "report", dir, "--out", "-" });
        QCOMPARE(toStdout.exitCode, 0);
        QVERIFY(toStdout.out.startsWith("<!DOCTYPE html>"));
    }

    // compare: each table's figures in A and B and B - A, tables matched by name, the missing shown.
    void compareRuns()
    {
        const QString fixed = m_dir.path() + "/backpressure-fixed";
        QCOMPARE(runCapsim({ "run", libraryScenario("11-gsi-backpressure"), "--set",
                     "tables[0].globalSecondaryIndexes[0].provisioned.write=20", "--out", fixed, "--quiet" })
                     .exitCode,
            0);
        auto r = runCapsim({ "compare", m_backpressureOut, fixed + "/run.sqlite" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("A: " + m_backpressureOut + "  (gsi-backpressure, seed 1, 120 s simulated)\n"));
        const auto row = [&](const QString& text, const QString& figure) {
            for (const QString& line : text.split('\n'))
                if (line.startsWith("  " + figure + "  "))
                    return line.simplified();
            return QString();
        };
        QCOMPARE(row(r.out, "requests"), QString("requests 2,400 2,400 0"));
        QCOMPARE(row(r.out, "throttled"), QString("throttled 1,795 0 -1,795"));
        QCOMPARE(row(r.out, "failed"), QString("failed 1,795 0 -1,795"));
        QCOMPARE(row(r.out, "consumed WCU"), QString("consumed WCU 605 2,400 +1,795"));
        QVERIFY(row(r.out, "cost").startsWith("cost $"));
        QVERIFY2(r.out.contains("\nOrders / byStatus (GSI)\n"), qPrintable(r.out));

        auto json = runCapsim({ "compare", m_backpressureOut, fixed, "--json" });
        QCOMPARE(json.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(root["format"].toString(), QString("capsim-compare/1"));
        QCOMPARE(root["a"].toObject()["path"].toString(), m_backpressureOut);
        const QJsonObject orders = root["tables"].toArray()[0].toObject();
        QCOMPARE(orders["name"].toString(), QString("Orders"));
        QCOMPARE(orders["in"].toString(), QString("both"));
        QCOMPARE(orders["a"].toObject()["throttled"].toObject()["write"].toInt(), 1795);
        QCOMPARE(orders["b"].toObject()["throttled"].toObject()["write"].toInt(), 0);
        QCOMPARE(orders["difference"].toObject()["throttled"].toObject()["write"].toInt(), -1795);
        QCOMPARE(orders["difference"].toObject()["consumed"].toObject()["write"].toDouble(), 1795.0);
        const double costA = root["cost"].toObject()["a"].toDouble();
        const double costB = root["cost"].toObject()["b"].toDouble();
        QVERIFY(qAbs(root["cost"].toObject()["difference"].toDouble() - (costB - costA)) < 1e-8);
        const QJsonArray indexes = orders["indexes"].toArray();
        const QJsonObject gsi = indexes.isEmpty() ? QJsonObject() : indexes.first().toObject();
        QCOMPARE(gsi["difference"].toObject()["throttled"].toObject()["write"].toInt(), -1795);

        // Tables present in one run only are shown, with "-" on the other side.
        auto apart = runCapsim({ "compare", m_backpressureOut, m_dir.path() + "/tiny-out" });
        QCOMPARE(apart.exitCode, 0);
        QVERIFY(apart.out.contains("\nOrders  (only in A)\n"));
        QVERIFY(apart.out.contains("\nTiny  (only in B)\n"));
        QCOMPARE(row(apart.out.mid(apart.out.indexOf("\nTiny")), "requests"), QString("requests - 30"));
        const QJsonArray tables = QJsonDocument::fromJson(runCapsim({ "compare", m_backpressureOut, m_dir.path() + "/tiny-out", "--json" })
                                                              .out.toUtf8())
                                      .object()["tables"]
                                      .toArray();
        QCOMPARE(tables.size(), 2);
        QCOMPARE(tables[0].toObject()["in"].toString(), QString("a"));
        QVERIFY(tables[0].toObject()["b"].isNull());
        QCOMPARE(tables[1].toObject()["in"].toString(), QString("b"));
        QVERIFY(tables[1].toObject()["difference"].isNull());
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"
