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
        QTest::addRow("DAX") << "17-dax-offload.json" << false;
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

    // Format 5: the DAX and global-table fields, filled by hand, read back as written (the
    // replica fields are filled by the global-tables simulation; here only their storage).
    void daxAndReplicasRoundTrip()
    {
        RunResult run;
        run.scenario = "hand";
        run.simulatedSeconds = 120;
        TableResult t;
        t.name = "orders";
        t.region = "us-east-1";
        t.cost.read = 0.5;
        t.cost.dax = 1.53;
        t.cost.replication = 0.25;
        t.uses.dax = true;
        t.uses.replication = true;
        DaxSummary dax;
        dax.nodeType = "dax.r5.large";
        dax.nodes = 3;
        dax.hits = 900;
        dax.misses = 100;
        dax.passThrough = 7;
        dax.staleReads = 11;
        dax.throttled = 13;
        dax.offloadedReadUnits = 450.5;
        dax.nodeHours = 6;
        t.dax = dax;
        MinuteRow m;
        m.minute = 0;
        m.daxHits = 400;
        m.daxMisses = 60;
        m.daxStaleReads = 5;
        m.daxCacheBytes = 123456;
        m.daxNodeUtilisation = 0.375;
        m.replicatedWrites = 17;
        m.conflicts = 2;
        m.replicationBacklog = 9;
        m.replicationLagSeconds = 1.25;
        t.minutes = { m };
        t.replicaSummaries = { { "us-east-1", 0, 0, 0, 1000 }, { "eu-west-1", 17, 1.25, 2, 1100 } };
        TableResult replica;
        replica.name = "orders";
        replica.region = "eu-west-1";
        replica.requestsWrite = 17;
        replica.cost.replication = 0.25;
        replica.uses.replication = true;
        MinuteRow rm;
        rm.minute = 0;
        rm.replicatedWrites = 17;
        rm.replicationLagSeconds = 0.5;
        replica.minutes = { rm };
        PartitionMinuteRow pm;
        pm.partition = 4;
        pm.consumedWrite = 3;
        replica.partitionMinutes = { pm };
        TableResult replicaIndex;
        replicaIndex.name = "byCustomer";
        replicaIndex.indexKind = IndexKind::Global;
        replicaIndex.region = "eu-west-1";
        replicaIndex.minutes = { rm };
        replica.indexes = { replicaIndex };
        t.replicas = { replica };
        TableResult plain; // no cluster, no replicas
        plain.name = "plain";
        run.tables = { t, plain };

        const QString path = m_dir.filePath("dax-replicas.sqlite");
        QVERIFY(writeResultsDatabase(path.toStdString(), run, "{}", "{}").isOk());
        auto back = readResultsDatabase(path.toStdString());
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QCOMPARE(back->tables.size(), std::size_t(2));
        const TableResult& b = back->tables[0];
        QCOMPARE(b.region, std::string("us-east-1"));
        QCOMPARE(b.cost.dax, 1.53);
        QCOMPARE(b.cost.replication, 0.25);
        QVERIFY(b.uses.dax && b.uses.replication);
        QVERIFY(b.dax);
        QCOMPARE(b.dax->nodeType, dax.nodeType);
        QCOMPARE(b.dax->nodes, dax.nodes);
        QCOMPARE(b.dax->hits, dax.hits);
        QCOMPARE(b.dax->misses, dax.misses);
        QCOMPARE(b.dax->passThrough, dax.passThrough);
        QCOMPARE(b.dax->staleReads, dax.staleReads);
        QCOMPARE(b.dax->throttled, dax.throttled);
        QCOMPARE(b.dax->offloadedReadUnits, dax.offloadedReadUnits);
        QCOMPARE(b.dax->nodeHours, dax.nodeHours);
        QCOMPARE(b.minutes.size(), std::size_t(1));
        QCOMPARE(b.minutes[0].daxHits, m.daxHits);
        QCOMPARE(b.minutes[0].daxMisses, m.daxMisses);
        QCOMPARE(b.minutes[0].daxStaleReads, m.daxStaleReads);
        QCOMPARE(b.minutes[0].daxCacheBytes, m.daxCacheBytes);
        QCOMPARE(b.minutes[0].daxNodeUtilisation, m.daxNodeUtilisation);
        QCOMPARE(b.minutes[0].replicatedWrites, m.replicatedWrites);
        QCOMPARE(b.minutes[0].conflicts, m.conflicts);
        QCOMPARE(b.minutes[0].replicationBacklog, m.replicationBacklog);
        QCOMPARE(b.minutes[0].replicationLagSeconds, m.replicationLagSeconds);
        QCOMPARE(b.replicaSummaries.size(), std::size_t(2));
        QCOMPARE(b.replicaSummaries[1].region, std::string("eu-west-1"));
        QCOMPARE(b.replicaSummaries[1].replicatedWrites, std::int64_t(17));
        QCOMPARE(b.replicaSummaries[1].maxLagSeconds, 1.25);
        QCOMPARE(b.replicaSummaries[1].conflicts, std::int64_t(2));
        QCOMPARE(b.replicaSummaries[1].storageBytes, std::int64_t(1100));
        QCOMPARE(b.replicaSummaries[0].storageBytes, std::int64_t(1000));
        QCOMPARE(b.replicas.size(), std::size_t(1));
        const TableResult& r = b.replicas[0];
        QCOMPARE(r.region, std::string("eu-west-1"));
        QCOMPARE(r.requestsWrite, std::int64_t(17));
        QCOMPARE(r.cost.replication, 0.25);
        QVERIFY(!r.dax);
        QCOMPARE(r.minutes.size(), std::size_t(1));
        QCOMPARE(r.minutes[0].replicatedWrites, std::int64_t(17));
        QCOMPARE(r.minutes[0].replicationLagSeconds, 0.5);
        QCOMPARE(r.partitionMinutes.size(), std::size_t(1));
        QCOMPARE(r.partitionMinutes[0].partition, std::int64_t(4));
        QCOMPARE(r.indexes.size(), std::size_t(1));
        QCOMPARE(r.indexes[0].name, std::string("byCustomer"));
        QCOMPARE(r.indexes[0].minutes.size(), std::size_t(1));
        // The table's own series are not mixed with its replica's.
        QCOMPARE(b.partitionMinutes.size(), std::size_t(0));
        const TableResult& p = back->tables[1];
        QVERIFY(!p.dax);
        QVERIFY(p.replicas.empty() && p.replicaSummaries.empty());
        QCOMPARE(p.cost.dax, 0.0);
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
