// The results database (run.sqlite) reads back everything summary.json and the CSV files hold:
// each table's figures, its secondary indexes' figures and series, and cost.indexes (issue 8:
// index figures were lost on reopening).

#include "engine/sqlite/sql_database.h"
#include "simulator/results_store.h"
#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace capsim;

namespace {

std::shared_ptr<const RunResult> runLibrary(const QString& file)
{
    auto loaded = loadScenarioFile((CAPSIM_SOURCE_DIR "/resources/scenarios/" + file).toStdString());
    if (!loaded.scenario)
        qFatal("%s does not load", qPrintable(file));
    SimulatorOptions options;
    options.pricing = *builtInPricing(loaded.scenario->region);
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("%s failed", qPrintable(file));
    return *result;
}

// Every leaf of `expected` equals the same leaf of `actual`, and neither has a field the other
// lacks; a difference names its path.
void compareJson(const QJsonValue& expected, const QJsonValue& actual, const QString& path, QStringList& differences)
{
    if (expected.type() != actual.type()) {
        differences << path + ": " + (actual.isUndefined() ? QStringLiteral("missing") : QStringLiteral("wrong type"));
        return;
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject();
        const QJsonObject a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it)
            compareJson(it.value(), a.value(it.key()), path + "." + it.key(), differences);
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!e.contains(it.key()))
                differences << path + "." + it.key() + ": not in summary.json";
    } else if (expected.isArray()) {
        const QJsonArray e = expected.toArray();
        const QJsonArray a = actual.toArray();
        if (e.size() != a.size())
            differences << path + QStringLiteral(": %1 entries instead of %2").arg(a.size()).arg(e.size());
        for (qsizetype i = 0; i < std::min(e.size(), a.size()); ++i)
            compareJson(e[i], a[i], path + QStringLiteral("[%1]").arg(i), differences);
    } else if (expected != actual) {
        differences << path + ": " + actual.toVariant().toString() + " instead of " + expected.toVariant().toString();
    }
}

} // namespace

class TestResultsStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("hasIndexes");
        QTest::addRow("GSI write amplification") << "10-gsi-write-amplification.json" << true;
        QTest::addRow("GSI back-pressure") << "11-gsi-backpressure.json" << true;
        QTest::addRow("no indexes") << "04-autoscaling-lag.json" << false;
    }
    void roundTrip()
    {
        QFETCH(QString, scenario);
        QFETCH(bool, hasIndexes);
        const auto run = runLibrary(scenario);
        const std::string summary = summaryJson(*run);
        const QString path = m_dir.filePath(scenario + ".sqlite");
        QVERIFY(writeResultsDatabase(path.toStdString(), *run, "{}", summary).isOk());
        auto back = readResultsDatabase(path.toStdString());
        QVERIFY2(back.isOk(), back.status().toString().c_str());

        const QJsonObject expected = QJsonDocument::fromJson(QByteArray::fromStdString(summary)).object();
        const QJsonObject actual = QJsonDocument::fromJson(QByteArray::fromStdString(summaryJson(*back))).object();
        QVERIFY(!expected.isEmpty());
        // The test means something: the run has index figures (or none at all).
        bool indexed = false;
        for (const QJsonValue& table : expected["tables"].toArray()) {
            if (table.toObject().contains("indexes")) {
                indexed = true;
                QVERIFY(table["cost"].toObject()["indexes"].toDouble() > 0);
            }
        }
        QCOMPARE(indexed, hasIndexes);
        QStringList differences;
        compareJson(expected, actual, QStringLiteral("summary"), differences);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));

        for (const Dimension d : kDimensions)
            QCOMPARE(back->partitionLimits[d], run->partitionLimits[d]);
        QCOMPARE(timeseriesCsv(*back), timeseriesCsv(*run));
        QCOMPARE(partitionsCsv(*back), partitionsCsv(*run));
        QCOMPARE(eventsCsv(*back), eventsCsv(*run));
        for (std::size_t t = 0; t < run->tables.size(); ++t) {
            const auto& indexes = run->tables[t].indexes;
            QCOMPARE(back->tables[t].indexes.size(), indexes.size());
            for (std::size_t i = 0; i < indexes.size(); ++i) {
                const auto& a = back->tables[t].indexes[i];
                QVERIFY(a.indexKind == indexes[i].indexKind);
                QCOMPARE(a.minutes.size(), indexes[i].minutes.size());
                QCOMPARE(a.partitionMinutes.size(), indexes[i].partitionMinutes.size());
                QCOMPARE(a.alternativeModeCost, indexes[i].alternativeModeCost);
            }
        }
    }

    void olderFormatIsRefusedClearly()
    {
        const QString path = m_dir.filePath("old.sqlite");
        {
            auto run = runLibrary("01-burst-capacity.json");
            QVERIFY(writeResultsDatabase(path.toStdString(), *run, "{}", "{}").isOk());
        }
        // Rewrite the format marker as an older capsim wrote it.
        {
            auto db = SqlDatabase::open(path.toStdString());
            QVERIFY(db.isOk());
            QVERIFY((*db)->exec("UPDATE capsim_results SET value='capsim-results/1' WHERE key='format'").isOk());
        }
        auto back = readResultsDatabase(path.toStdString());
        QVERIFY(!back.isOk());
        QVERIFY2(back.status().message().find("capsim-results/1") != std::string::npos, back.status().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestResultsStore)
#include "tst_results_store.moc"
