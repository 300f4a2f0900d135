// The simulator as a whole: determinism, fidelity, refused events, cancellation, output shapes.

#include "simulator/explain.h"
#include "simulator/results_store.h"
#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"
#include "tests/support/wire.h"

#include "engine/engine.h"
#include "engine/json_codec.h"
#include "engine/key_codec.h"
#include "workloads/request_generator.h"

#include <QtTest>

using namespace capsim;
using capsim::test::J;

namespace {

Scenario load(const std::string& text)
{
    auto loaded = loadScenarioText(text, ".");
    if (!loaded.scenario)
        qFatal("scenario does not load:\n%s", formatErrors(loaded.errors).c_str());
    return *loaded.scenario;
}

std::shared_ptr<const RunResult> run(const Scenario& scenario, const std::atomic<bool>* stop = nullptr)
{
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    options.stop = stop;
    Simulator simulator(scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

std::string mixed(const std::string& fidelity)
{
    return J("{'format':'capsim-scenario/1','name':'mixed','duration':'10m','seed':7,'fidelity':") + fidelity
        + J(",'tables':[{'name':'Items','partitionKey':{'name':'pk','type':'S'},'sortKey':{'name':'sk','type':'N'},"
            "'billingMode':'PAY_PER_REQUEST','initialData':{'items':20000,'sortKeysPerKey':4,'itemSize':{'type':'uniform','min':500,'max':6000}}}],"
            "'workloads':[{'table':'Items','rate':{'type':'constant','rate':200},"
            "'operations':{'GetItem':0.6,'PutItem':0.3,'DeleteItem':0.1},'consistency':{'strong':0.5},"
            "'keys':{'type':'uniform','cardinality':5000,'sortKeysPerKey':4},'itemSize':{'type':'uniform','min':500,'max':6000}}]}");
}

// A run whose engine is a file, to read the tables' final state afterwards.
std::shared_ptr<const RunResult> runOnFile(const Scenario& scenario, const std::string& enginePath)
{
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    options.enginePath = enginePath;
    Simulator simulator(scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

// A table's items by encoded partition key (the tables below have no sort key).
std::map<std::string, Item> tableItems(Engine& engine, const std::string& table, const std::string& pk)
{
    std::map<std::string, Item> items;
    ScanRequest scan;
    scan.tableName = table;
    scan.consistentRead = true;
    for (;;) {
        auto page = engine.scan(scan);
        if (!page.status)
            qFatal("scan failed: %s", page.status.toString().c_str());
        for (auto& item : page.items)
            items[encodeKeyValue(item.at(pk))] = item;
        if (!page.lastEvaluatedKey)
            break;
        scan.exclusiveStartKey = page.lastEvaluatedKey;
    }
    return items;
}

// The JSON lines of a sink folder's one file.
std::vector<boost::json::value> sinkLines(const QString& folder)
{
    const auto files = QDir(folder).entryList(QDir::Files);
    if (files.size() != 1)
        qFatal("sink %s holds %d files", qPrintable(folder), static_cast<int>(files.size()));
    QFile f(folder + "/" + files.at(0));
    f.open(QIODevice::ReadOnly);
    std::vector<boost::json::value> lines;
    for (const auto& line : f.readAll().split('\n'))
        if (!line.isEmpty())
            lines.push_back(boost::json::parse(line.toStdString()));
    return lines;
}

int sinkLinesOf(const QString& file)
{
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    return static_cast<int>(f.readAll().count('\n'));
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class TestSimulator : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void sameSeedSameBytes()
    {
        QFile file(CAPSIM_SOURCE_DIR "/resources/scenarios/04-autoscaling-lag.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string text = file.readAll().toStdString();
        const Scenario scenario = load(text);
        auto a = run(scenario);
        auto b = run(scenario);
        QCOMPARE(summaryJson(*a), summaryJson(*b));
        QCOMPARE(timeseriesCsv(*a), timeseriesCsv(*b));
        QCOMPARE(partitionsCsv(*a), partitionsCsv(*b));
        QCOMPARE(eventsCsv(*a), eventsCsv(*b));
        const QString pa = m_dir.path() + "/a.sqlite";
        const QString pb = m_dir.path() + "/b.sqlite";
        QVERIFY(writeResultsDatabase(pa.toStdString(), *a, text, summaryJson(*a)).isOk());
        QVERIFY(writeResultsDatabase(pb.toStdString(), *b, text, summaryJson(*b)).isOk());
        QCOMPARE(fileBytes(pa), fileBytes(pb));
        // And the results database reads back what was written.
        auto back = readResultsDatabase(pa.toStdString());
        QVERIFY(back.isOk());
        QCOMPARE(timeseriesCsv(*back), timeseriesCsv(*a));
        QCOMPARE(eventsCsv(*back), eventsCsv(*a));
        // A different seed changes the run.
        Scenario other = scenario;
        other.seed = 2;
        other.workloads[0].rate.uniformArrivals = false;
        QVERIFY(summaryJson(*run(other)) != summaryJson(*a));
    }

    void transactionsDoubleAndThrottleWhole()
    {
        // 20 TransactWriteItems/s of 2 items of 1,000 bytes, 20 TransactGetItems/s of 2 items, 2 minutes,
        // on demand, over initialData of 1,000 items of 1,000 bytes (cardinality 1,000: every Get finds an item).
        // Writes: 2,400 x 2 items x 1 WCU x 2 = 9,600 WCU; reads: 2,400 x 2 x 1 RCU x 2 = 9,600 RCU.
        const auto text = [](const std::string& fidelity, const std::string& billing) {
            return J("{'format':'capsim-scenario/1','name':'tx','duration':'2m','seed':3,'fidelity':" + fidelity
                + ",'client':{'maxAttempts':1},'tables':[{'name':'Txn','partitionKey':{'name':'id','type':'S'}," + billing
                + ",'initialData':{'items':1000,'itemSize':{'type':'fixed','size':1000}}}],"
                  "'workloads':[{'table':'Txn','rate':{'type':'constant','rate':20,'arrivals':'uniform'},"
                  "'operations':{'TransactWriteItems':1},'keys':{'type':'uniform','cardinality':1000},"
                  "'itemSize':{'type':'fixed','size':1000}},"
                  "{'table':'Txn','rate':{'type':'constant','rate':20,'arrivals':'uniform'},"
                  "'operations':{'TransactGetItems':1},'keys':{'type':'uniform','cardinality':1000}}]}");
        };
        auto full = run(load(text("{'mode':'full'}", "'billingMode':'PAY_PER_REQUEST'")));
        const auto& f = full->tables.at(0);
        QCOMPARE(f.requestsWrite, std::int64_t(2400));
        QCOMPARE(f.requestsRead, std::int64_t(2400));
        QCOMPARE(f.throttledWrite, std::int64_t(0));
        QCOMPARE(f.consumedWrite, 9600.0);
        QCOMPARE(f.consumedRead, 9600.0);
        // Sampled fidelity meters the unsampled items at 2x the single-item units: same figures.
        auto sampled = run(load(text("{'mode':'sampled','rate':0.3}", "'billingMode':'PAY_PER_REQUEST'")));
        const auto& s = sampled->tables.at(0);
        QCOMPARE(s.requestsWrite, std::int64_t(2400));
        QVERIFY2(std::abs(s.consumedWrite - 9600.0) <= 0.03 * 9600.0, qPrintable(QString::number(s.consumedWrite)));
        QVERIFY2(std::abs(s.consumedRead - 9600.0) <= 0.03 * 9600.0, qPrintable(QString::number(s.consumedRead)));
        // Provisioned at 5 WCU without burst: most transactions are throttled, each one request.
        auto tight = run(load(text("{'mode':'full'}", "'billingMode':'PROVISIONED','provisioned':{'read':1000,'write':5}")));
        const auto& t = tight->tables.at(0);
        QCOMPARE(t.requestsWrite, std::int64_t(2400));
        QVERIFY(t.throttledWrite > 1000);
        QCOMPARE(t.failedWrite, t.throttledWrite);
        QCOMPARE(full->latency.count("TransactWriteItems"), std::size_t(1));
        QCOMPARE(full->latency.count("TransactGetItems"), std::size_t(1));
    }

    void sampledEstimatesMatchFull()
    {
        auto full = run(load(mixed(J("{'mode':'full'}"))));
        auto sampled = run(load(mixed(J("{'mode':'sampled','rate':0.2}"))));
        QCOMPARE(full->fidelityMode, FidelitySpec::Mode::Full);
        QCOMPARE(sampled->fidelityMode, FidelitySpec::Mode::Sampled);
        const auto& f = full->tables.at(0);
        const auto& s = sampled->tables.at(0);
        // Request counts stay exact: every request is generated and admitted one by one.
        QCOMPARE(s.requestsRead + s.requestsWrite, f.requestsRead + f.requestsWrite);
        // Stated tolerance: consumed capacity within 3 %, storage within 3 %.
        const auto close = [](double a, double b) { return std::abs(a - b) <= 0.03 * std::abs(b); };
        QVERIFY2(close(s.consumedRead, f.consumedRead), qPrintable(QString("%1 vs %2").arg(s.consumedRead).arg(f.consumedRead)));
        QVERIFY2(close(s.consumedWrite, f.consumedWrite), qPrintable(QString("%1 vs %2").arg(s.consumedWrite).arg(f.consumedWrite)));
        QVERIFY2(close(static_cast<double>(s.storageBytes), static_cast<double>(f.storageBytes)),
            qPrintable(QString("%1 vs %2").arg(s.storageBytes).arg(f.storageBytes)));
    }

    void autoFidelity()
    {
        Scenario small = load(mixed(J("{'mode':'auto'}")));
        QCOMPARE(Simulator::resolveFidelity(small).mode, FidelitySpec::Mode::Full);
        Scenario big = small;
        big.workloads[0].rate.rate = 20000; // 12,000,000 requests in 10 minutes
        const FidelitySpec resolved = Simulator::resolveFidelity(big);
        QCOMPARE(resolved.mode, FidelitySpec::Mode::Sampled);
        QVERIFY(std::abs(resolved.rate - 2000000.0 / 12000000.0) < 1e-3);
    }

    void refusedEventsAreReported()
    {
        // Five decreases in one hour: the fifth is refused by the decrease budget (reference A4).
        std::string events;
        for (int i = 0; i < 5; ++i)
            events += (i ? "," : "") + J("{'at':'") + std::to_string(i + 1) + J("m','action':'updateTable','table':'Tbl','provisioned':{'read':")
                + std::to_string(90 - i) + J(",'write':10}}");
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'budget','duration':'10m',"
                                 "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':100,'write':10}}],"
                                 "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':1},'operations':{'GetItem':1}}],'events':[")
            + events + "]}"));
        int applied = 0;
        int refused = 0;
        for (const auto& e : result->events) {
            applied += e.kind == EventKind::EventApplied;
            if (e.kind == EventKind::EventRefused) {
                ++refused;
                QVERIFY(QString::fromStdString(eventText(e)).contains("LimitExceededException"));
                QCOMPARE(e.timeSeconds, 300.0);
            }
        }
        QCOMPARE(applied, 4);
        QCOMPARE(refused, 1);
        // Decreases take effect after updateTableDelay (2 min): the last applied one, 87, at 6:00.
        QCOMPARE(result->tables.at(0).minutes.at(6).provisionedRead, 87.0);
        QCOMPARE(result->tables.at(0).minutes.at(4).provisionedRead, 89.0);
    }

    // createBackup, restoreTable (from the backup) and exportTable through the engine on the
    // virtual clock (reference A5, A8, A9, A13), each cost computed by hand. The table holds
    // 1,000 items of 1,000 bytes: 1,000 x (1,000 + 100) = 1,100,000 billable bytes, read only.
    // Sampled at 0.5, 500 items are stored and weighted by 2: the same figures.
    void backupRestoreExportApplied()
    {
        const auto scenario = [](const char* fidelity) {
            return load(J("{'format':'capsim-scenario/1','name':'lifecycle','duration':'1h','fidelity':") + J(fidelity)
                + J(",'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                    "'provisioned':{'read':10,'write':10},'pitr':true,'initialData':{'items':1000,'itemSize':{'type':'fixed','size':1000}}}],"
                    "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':1},'operations':{'GetItem':1},"
                    "'keys':{'type':'uniform','cardinality':1000}},"
                    "{'name':'copyReads','table':'Tbl-copy','rate':{'type':'constant','rate':1,'arrivals':'uniform'},'operations':{'GetItem':1},"
                    "'keys':{'type':'uniform','cardinality':1000}}],'events':["
                    "{'at':'10m','action':'createBackup','table':'Tbl','name':'nightly'},"
                    "{'at':'20m','action':'restoreTable','backup':'nightly','target':'Tbl-copy'},"
                    "{'at':'30m','action':'exportTable','table':'Tbl'}]}"));
        };
        const double bytes = 1100000.0;
        const double gib = 1073741824.0;
        const double month = 730.0 * 3600.0;
        for (const char* fidelity : { "{'mode':'full'}", "{'mode':'sampled','rate':0.5}" }) {
            auto result = run(scenario(fidelity));
            QCOMPARE(result->tables.size(), std::size_t(2));
            const TableResult& t = result->tables.at(0);
            // The backup: BackupSizeBytes 1,100,000, kept from 10:00 to 60:00 (3,000 s):
            // 1,100,000 / 2^30 GB x $0.10 x 3,000 / (730 x 3,600) = $8.5033e-8.
            QCOMPARE(t.backups.size(), std::size_t(1));
            QCOMPARE(t.backups[0].sizeBytes, std::int64_t(1100000));
            QCOMPARE(t.backups[0].itemCount, std::int64_t(1000));
            QCOMPARE(t.backups[0].status, std::string("AVAILABLE"));
            const double backup = bytes / gib * 0.10 * 3000.0 / month;
            QVERIFY2(std::abs(t.cost.backups - backup) < 1e-16, qPrintable(QString::number(t.cost.backups, 'g', 17)));
            QVERIFY(std::abs(t.backups[0].cost - backup) < 1e-16);
            // The restore: 1,100,000 / 2^30 x $0.15 = $1.5367e-4, once, on the restored table's source.
            const double restore = bytes / gib * 0.15;
            QVERIFY(std::abs(t.cost.restore - restore) < 1e-15);
            QCOMPARE(t.restores.size(), std::size_t(1));
            QCOMPARE(t.restores[0].name, std::string("Tbl-copy"));
            QCOMPARE(t.restores[0].sizeBytes, std::int64_t(1100000));
            // The full export: BilledSizeBytes 1,100,000: 1,100,000 / 2^30 x $0.10 = $1.0245e-4.
            const double exported = bytes / gib * 0.10;
            QVERIFY(std::abs(t.cost.dataExport - exported) < 1e-15);
            QCOMPARE(t.exports.size(), std::size_t(1));
            QCOMPARE(t.exports[0].sizeBytes, std::int64_t(1100000));
            QCOMPARE(t.exports[0].status, std::string("COMPLETED")); // IN_PROGRESS 150 s, then written
            QCOMPARE(t.exports[0].itemCount, std::int64_t(1000));
            QVERIFY(t.uses.backups && t.uses.restore && t.uses.dataExport);
            // The restored table: a table of the run, CREATING for max(180 s, 1,100,000 / 32 MiB/s)
            // = 180 s from 20:00; its requests until 23:00 fail (ResourceNotFoundException, not
            // retried), after it they read. Its storage accrues from 20:00: 1,100,000 / 2^30 x
            // $0.25 x 2,400 / (730 x 3,600) = $2.4356e-7; capacity as restored (10/10).
            const TableResult& copy = result->tables.at(1);
            QCOMPARE(copy.name, std::string("Tbl-copy"));
            QCOMPARE(copy.storageBytes, std::int64_t(1100000));
            QVERIFY(std::abs(copy.cost.storage - bytes / gib * 0.25 * 2400.0 / month) < 1e-15);
            QCOMPARE(copy.failedRead, std::int64_t(23 * 60)); // uniform arrivals at 0 s, 1 s, ... before 1,380 s
            QCOMPARE(copy.requestsRead, std::int64_t(3600));
            QCOMPARE(copy.consumedRead, 0.5 * (3600 - 1380)); // eventual reads of 1,000-byte items
            QCOMPARE(copy.minutes.size(), std::size_t(60));
            QCOMPARE(copy.minutes.at(19).storageBytes, std::int64_t(0));
            QCOMPARE(copy.minutes.at(20).storageBytes, std::int64_t(1100000));
            QVERIFY(std::abs(copy.cost.read - 10 * 0.00013 * 40.0 / 60.0) < 1e-12);
            // Applied events with their payloads, surviving the results database.
            QStringList applied;
            for (const auto& e : result->events)
                if (e.kind == EventKind::EventApplied) {
                    applied << QString::fromStdString(e.table + " " + std::to_string(std::llround(e.timeSeconds)) + " "
                        + std::get<DataMoved>(e.payload).request + " " + std::get<DataMoved>(e.payload).status);
                    auto back = parseEventPayload(e.kind, eventPayloadJson(e.payload));
                    QVERIFY(back);
                    QCOMPARE(QString::fromStdString(eventPayloadJson(*back)), QString::fromStdString(eventPayloadJson(e.payload)));
                }
            QCOMPARE(applied,
                QStringList({ "Tbl 600 createBackup AVAILABLE", "Tbl 1200 restoreTable CREATING",
                    "Tbl-copy 1380 restoreTable ACTIVE", "Tbl 1800 exportTable IN_PROGRESS" }));
            // summary.json lists them with sizes and the cost lines; the results database keeps them.
            const auto summary = capsim::test::parse(summaryJson(*result));
            const auto& st = summary.at("tables").at(0);
            QCOMPARE(st.at("backups").at(0).at("sizeBytes").as_int64(), std::int64_t(1100000));
            QCOMPARE(st.at("exports").at(0).at("status").as_string(), "COMPLETED");
            QCOMPARE(st.at("restores").at(0).at("name").as_string(), "Tbl-copy");
            for (const char* line : { "pitr", "backups", "restore", "export" })
                QVERIFY2(st.at("cost").as_object().contains(line), line);
            const QString db = m_dir.path() + "/lifecycle.sqlite";
            QFile::remove(db);
            QVERIFY(writeResultsDatabase(db.toStdString(), *result, "{}", summaryJson(*result)).isOk());
            auto back = readResultsDatabase(db.toStdString());
            QVERIFY(back);
            QCOMPARE(back->tables.at(0).backups.size(), std::size_t(1));
            QCOMPARE(back->tables.at(0).backups[0].sizeBytes, std::int64_t(1100000));
            QCOMPARE(back->tables.at(0).exports[0].name, t.exports[0].name);
            QCOMPARE(back->tables.at(0).restores[0].detail, t.restores[0].detail);
            QCOMPARE(summaryJson(*back), summaryJson(*result));
            QVERIFY(QString::fromStdString(summaryText(*result)).contains("Tbl backup nightly at 600 s: AVAILABLE"));
        }
    }

    // An INCREMENTAL_EXPORT bills the image bytes of its window's changes, at least 10 MiB
    // (reference A9, A5): 1,200 new 1,000-byte items in the 20 minutes are about 1.2 MB of
    // images, so it bills 10 MiB: 10 / 1,024 GB x $0.10 = $0.0009765625.
    void incrementalExportBillsTheMinimum()
    {
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'incremental','duration':'40m',"
                                 "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST','pitr':true}],"
                                 "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':1,'arrivals':'uniform'},'operations':{'PutItem':1},"
                                 "'keys':{'type':'sequential','cardinality':1000000},'itemSize':{'type':'fixed','size':1000}}],'events':["
                                 "{'at':'30m','action':'exportTable','table':'Tbl','type':'INCREMENTAL_EXPORT','format':'ION','pointInTime':'10m'}]}")));
        const TableResult& t = result->tables.at(0);
        QCOMPARE(t.exports.size(), std::size_t(1));
        QCOMPARE(t.exports[0].sizeBytes, std::int64_t(10 * 1048576));
        QVERIFY(std::abs(t.cost.dataExport - 0.0009765625) < 1e-15);
        QCOMPARE(t.exports[0].status, std::string("COMPLETED"));
        QCOMPARE(t.exports[0].itemCount, std::int64_t(1200)); // the lines: items written in (600 s, 1,800 s]
        QVERIFY2(QString::fromStdString(t.exports[0].detail).startsWith("INCREMENTAL_EXPORT from 600 s to 1800 s, ION"),
            t.exports[0].detail.c_str());
    }

    // A restore to a point in time gives the table as it was then (reference A8): writes until
    // 5:00, none until 15:00, writes again after; restored at 40:00 to 10:00, the target holds
    // the 1,000 initial items and the writes of minutes 0-4, no more.
    void restoreToPointInTimeEqualsPast()
    {
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'pitr-restore','duration':'50m','seed':11,"
                                 "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                                 "'pitr':true,'initialData':{'items':1000,'itemSize':{'type':'fixed','size':1000}}}],"
                                 "'workloads':[{'name':'puts','table':'Src','rate':{'type':'sum','of':[{'type':'step','from':2,'to':0,'at':'5m'},"
                                 "{'type':'step','from':0,'to':2,'at':'15m'}]},"
                                 "'operations':{'PutItem':1},'keys':{'type':'uniform','cardinality':1000000000},"
                                 "'itemSize':{'type':'fixed','size':500}}],'events':["
                                 "{'at':'40m','action':'restoreTable','table':'Src','pointInTime':'10m','target':'Src-at-10m'}]}")));
        const TableResult& src = result->tables.at(0);
        std::int64_t early = 0;
        for (int m = 0; m < 5; ++m)
            early += src.minutes.at(m).requestsWrite;
        QVERIFY2(early > 500 && src.requestsWrite > early + 2000,
            qPrintable(QString("early %1, all %2").arg(early).arg(src.requestsWrite)));
        const TableResult& restored = result->tables.at(1);
        QCOMPARE(restored.name, std::string("Src-at-10m"));
        // 1,000 x 1,100 + early x (500 + 100) bytes; the source at 10:00 had the same.
        QCOMPARE(restored.storageBytes, 1000 * 1100 + early * 600);
        QCOMPARE(src.minutes.at(9).storageBytes, restored.storageBytes);
        QCOMPARE(src.restores.at(0).itemCount, 1000 + early);
        // Restore: those bytes / 2^30 x $0.15, billed once.
        QVERIFY(std::abs(src.cost.restore - static_cast<double>(restored.storageBytes) / 1073741824.0 * 0.15) < 1e-15);
        QVERIFY(restored.billingMode == BillingMode::PayPerRequest);
    }

    // DynamoDB's errors are reported as refused events, and nothing is applied: a restore outside
    // the recovery window (at 3:00 the latest restorable time is max(tEnable 0, 3:00 - 300 s) = 0),
    // a restore of a backup that does not exist, an export of a table without PITR. The loader
    // refuses the last two; the scenario is changed after loading to reach the engine's checks.
    void refusedLifecycleEventsChangeNothing()
    {
        Scenario scenario = load(J("{'format':'capsim-scenario/1','name':'refused','duration':'30m',"
                                   "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                   "'provisioned':{'read':10,'write':10},'pitr':true,'initialData':{'items':100,'itemSize':{'type':'fixed','size':100}}},"
                                   "{'name':'NoPitr','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                   "'provisioned':{'read':10,'write':10},'pitr':true}],"
                                   "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':1},'operations':{'GetItem':1}}],'events':["
                                   "{'at':'1m','action':'createBackup','table':'Tbl','name':'real'},"
                                   "{'at':'3m','action':'restoreTable','table':'Tbl','pointInTime':'1m','target':'TooEarly'},"
                                   "{'at':'4m','action':'restoreTable','backup':'real','target':'Ghost'},"
                                   "{'at':'20m','action':'exportTable','table':'NoPitr'}]}"));
        scenario.tables.at(1).pitr.reset();
        scenario.events.at(2).backupName = "never-made";
        auto result = run(scenario);
        QStringList refused;
        for (const auto& e : result->events)
            if (e.kind == EventKind::EventRefused) {
                const auto& r = std::get<ChangeRefused>(e.payload);
                refused << QString::fromStdString(e.table + " " + r.subject + " " + r.errorType);
            }
        QCOMPARE(refused,
            QStringList({ "Tbl TooEarly InvalidRestoreTimeException", "Ghost Ghost BackupNotFoundException",
                "NoPitr NoPitr PointInTimeRecoveryUnavailableException" }));
        // Nothing made, nothing billed: only the two tables, no restore or export cost or entries.
        QCOMPARE(result->tables.size(), std::size_t(2));
        for (const auto& t : result->tables) {
            QCOMPARE(t.cost.restore, 0.0);
            QCOMPARE(t.cost.dataExport, 0.0);
            QVERIFY(t.restores.empty() && t.exports.empty());
        }
        QCOMPARE(result->tables.at(0).backups.size(), std::size_t(1));
    }

    // importTable reads the scenario's source folder as S3 (never writing there) in CSV and
    // DynamoDB JSON, skipping and counting invalid items (reference A9); billed per GB of the
    // source's uncompressed bytes (A5). The imported table is a table of the run, CREATING for
    // max(100 s, bytes / 32 MiB/s) = 100 s: a workload on it fails until then, then reads.
    void importTableFromFolders()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("csv-source") && QDir(dir.path()).mkpath("json-source"));
        // CSV: a header, three rows, one with a column too many (an item error).
        const QByteArray csv = "id,name\nk0,alpha\nk1,beta\nk2,gamma,extra\nk3,delta\n";
        // DynamoDB JSON: two items, one without the key (an item error).
        const QByteArray json = "{\"Item\":{\"id\":{\"S\":\"k0\"},\"n\":{\"N\":\"1\"}}}\n"
                                "{\"Item\":{\"other\":{\"S\":\"x\"}}}\n"
                                "{\"Item\":{\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"2\"}}}\n";
        for (const auto& [path, bytes] : { std::pair { QString("csv-source/part-1.csv"), csv }, { QString("json-source/a.json"), json } }) {
            QFile f(dir.path() + "/" + path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        auto loaded = loadScenarioText(
            J("{'format':'capsim-scenario/1','name':'imports','duration':'10m',"
              "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}],"
              "'workloads':[{'table':'FromCsv','rate':{'type':'constant','rate':1,'arrivals':'uniform'},'operations':{'GetItem':1},"
              "'keys':{'type':'uniform','cardinality':4}}],'events':["
              "{'at':'2m','action':'importTable','source':'csv-source','format':'CSV','target':{'name':'FromCsv',"
              "'partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}},"
              "{'at':'3m','action':'importTable','source':'json-source/','format':'DYNAMODB_JSON','target':{'name':'FromJson',"
              "'partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':5,'write':5}}}]}"),
            dir.path().toStdString());
        QVERIFY2(loaded.scenario, formatErrors(loaded.errors).c_str());
        auto result = run(*loaded.scenario);
        QCOMPARE(result->tables.size(), std::size_t(3));
        const TableResult& fromCsv = result->tables.at(1);
        const TableResult& fromJson = result->tables.at(2);
        QCOMPARE(fromCsv.name, std::string("FromCsv"));
        QCOMPARE(fromCsv.imports.size(), std::size_t(1));
        // ProcessedSizeBytes = the source's bytes (49 and 135); 3 + 2 items imported, 1 error each.
        QCOMPARE(fromCsv.imports[0].sizeBytes, std::int64_t(csv.size()));
        QCOMPARE(fromCsv.imports[0].itemCount, std::int64_t(3));
        QCOMPARE(fromCsv.imports[0].status, std::string("FAILED")); // ItemValidationError, valid items kept
        QVERIFY2(QString::fromStdString(fromCsv.imports[0].detail).contains("1 item errors"), fromCsv.imports[0].detail.c_str());
        QCOMPARE(fromJson.imports[0].sizeBytes, std::int64_t(json.size()));
        QCOMPARE(fromJson.imports[0].itemCount, std::int64_t(2));
        // Import cost: bytes / 2^30 x $0.15 (49 bytes: $6.845e-9).
        QVERIFY(std::abs(fromCsv.cost.dataImport - csv.size() / 1073741824.0 * 0.15) < 1e-20);
        QVERIFY(std::abs(fromJson.cost.dataImport - json.size() / 1073741824.0 * 0.15) < 1e-20);
        QVERIFY(fromCsv.uses.dataImport);
        // The tables hold the valid items: k0 (id 2 + name 5 + alpha 5 = 12 bytes) ... each + 100.
        QCOMPARE(fromCsv.storageBytes, std::int64_t(338));
        QVERIFY(fromJson.billingMode == BillingMode::Provisioned);
        // The workload on FromCsv: uniform arrivals at 0 s, 1 s, ...; the table is ACTIVE at 220 s:
        // the 220 before fail with ResourceNotFoundException, the rest read.
        QCOMPARE(fromCsv.requestsRead, std::int64_t(600));
        QCOMPARE(fromCsv.failedRead, std::int64_t(220));
        QVERIFY(fromCsv.consumedRead > 0);
        bool notFound = false;
        for (const auto& e : result->events)
            if (e.kind == EventKind::RequestFailed && e.table == "FromCsv")
                notFound = std::get<RequestFailure>(e.payload).errorType == "ResourceNotFoundException";
        QVERIFY(notFound);
        // The source folders are as they were: nothing written there.
        QCOMPARE(QDir(dir.path() + "/csv-source").entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            QStringList({ "part-1.csv" }));
        QCOMPARE(QDir(dir.path() + "/json-source").entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            QStringList({ "a.json" }));
        const auto summary = capsim::test::parse(summaryJson(*result));
        QCOMPARE(summary.at("tables").at(1).at("imports").at(0).at("itemCount").as_int64(), std::int64_t(3));
        QVERIFY(summary.at("tables").at(1).at("cost").as_object().contains("import"));
        // Sampled fidelity (reference A13): the source is read whole, not sampled, so the import's
        // size, cost and the imported table's storage are not weighted.
        Scenario sampled = *loaded.scenario;
        sampled.fidelity = FidelitySpec { FidelitySpec::Mode::Sampled, 0.25 };
        auto sampledResult = run(sampled);
        const TableResult& sampledCsv = sampledResult->tables.at(1);
        QCOMPARE(sampledCsv.imports.at(0).sizeBytes, fromCsv.imports[0].sizeBytes);
        QCOMPARE(sampledCsv.cost.dataImport, fromCsv.cost.dataImport);
        QCOMPARE(sampledCsv.storageBytes, std::int64_t(338));
    }

    // The data features' price rules (reference A5, A8, A9), each figure computed by hand:
    // GB = 2^30 bytes, a month = 730 hours.
    void dataPriceRules_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("computed");
        QTest::addColumn<double>("expected");
        const PricingTable p = *builtInPricing("us-east-1");
        const double gib = 1073741824.0;
        // 10 GiB under PITR for a whole month: 10 x $0.20 = $2.00; for one hour: $2.00 / 730.
        QTest::addRow("pitr month") << "pitr" << pitrCost(p, 10 * gib, 730 * 3600.0) << 2.0;
        QTest::addRow("pitr hour") << "pitr" << pitrCost(p, 10 * gib, 3600.0) << 2.0 / 730;
        // A 5 GiB backup kept 73 hours (a tenth of a month): 5 x $0.10 x 0.1 = $0.05.
        QTest::addRow("backup storage") << "backups" << backupStorageCost(p, 5 * gib, 73 * 3600.0) << 0.05;
        // Restoring 3 GiB: 3 x $0.15 = $0.45.
        QTest::addRow("restore") << "restore" << restoreCost(p, 3 * gib) << 0.45;
        // A full export of 2 GiB: 2 x $0.10 = $0.20.
        QTest::addRow("export full") << "export" << exportCost(p, 2 * gib, false) << 0.20;
        // An incremental export of 1 MiB of images bills the 10 MiB minimum: 10 / 1024 x $0.10.
        QTest::addRow("export incremental minimum") << "export" << exportCost(p, 1048576, true) << 0.0009765625;
        QTest::addRow("export incremental 1 GiB") << "export" << exportCost(p, gib, true) << 0.10;
        // A full export below 10 MiB has no minimum: 1 MiB = 1 / 1024 GiB x $0.10.
        QTest::addRow("export full small") << "export" << exportCost(p, 1048576, false) << 0.09765625 / 1000;
        // Importing 4 GiB of uncompressed source: 4 x $0.15 = $0.60.
        QTest::addRow("import") << "import" << importCost(p, 4 * gib) << 0.60;
        // 250,000 stream read request units: 2.5 x $0.02 = $0.05.
        QTest::addRow("stream reads") << "streams" << streamReadCost(p, 250000) << 0.05;
        QTest::addRow("free stream reads") << "streams" << p.freeStreamReadRequests << 2500000.0;
    }
    void dataPriceRules()
    {
        QFETCH(double, computed);
        QFETCH(double, expected);
        QVERIFY2(std::abs(computed - expected) <= 1e-12 * std::max(1.0, expected),
            qPrintable(QString::number(computed, 'g', 17) + " != " + QString::number(expected, 'g', 17)));
    }

    // PITR accrues per second on the table's billable bytes (items + 100 bytes each), in
    // summary.json's cost.pitr and in costToDate; sampled fidelity weights the bytes like storage.
    void pitrCostAccrues()
    {
        auto scenario = [](const char* fidelity) {
            return load(J("{'format':'capsim-scenario/1','name':'pitr','duration':'1h','fidelity':") + J(fidelity)
                + J(",'tables':[{'name':'Kept','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                    "'provisioned':{'read':10,'write':10},'pitr':true,'initialData':{'items':1000,'itemSize':{'type':'fixed','size':1000}}},"
                    "{'name':'Plain','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':10,'write':10}}],"
                    "'workloads':[{'table':'Kept','rate':{'type':'constant','rate':1},'operations':{'GetItem':1},"
                    "'keys':{'type':'uniform','cardinality':1000}}]}"));
        };
        // 1,000 items x (1,000 + 100) bytes = 1,100,000 bytes = 0.00102445483207702637 GiB;
        // x $0.20 per GB-month x 1 h / 730 h = $2.806725567334319e-7.
        const double expected = 1100000.0 / 1073741824.0 * 0.20 / 730.0;
        for (const char* fidelity : { "{'mode':'full'}", "{'mode':'sampled','rate':0.5}" }) {
            auto result = run(scenario(fidelity));
            const auto& kept = result->tables.at(0);
            QVERIFY2(std::abs(kept.cost.pitr - expected) < 1e-15, qPrintable(QString::number(kept.cost.pitr, 'g', 17)));
            QVERIFY(kept.uses.pitr);
            QVERIFY(std::abs(kept.minutes.back().costToDate - kept.cost.total()) < 1e-12);
            QCOMPARE(result->tables.at(1).cost.pitr, 0.0);
            const auto summary = capsim::test::parse(summaryJson(*result));
            QVERIFY(summary.at("tables").at(0).at("cost").as_object().contains("pitr"));
            QVERIFY(!summary.at("tables").at(1).at("cost").as_object().contains("pitr"));
        }
    }

    // A request DynamoDB refuses (here every TransactWriteItems: 25 Puts of 200,000 bytes are
    // 5 MB, over the 4 MB transaction limit) is not retried by the SDK: it fails, visibly (failed
    // counts, a requestFailed event with DynamoDB's error, explain), and charges nothing. Before
    // Status was [[nodiscard]] the simulator dropped the engine's answer and counted it a success.
    void refusedRequestsFail()
    {
        const auto text = [](const std::string& fidelity) {
            return J("{'format':'capsim-scenario/1','name':'big-tx','duration':'2m','seed':5,'fidelity':" + fidelity
                + ",'tables':[{'name':'Txn','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}],"
                  "'workloads':[{'name':'big','table':'Txn','rate':{'type':'constant','rate':0.5,'arrivals':'uniform'},"
                  "'operations':{'TransactWriteItems':1},'batchSize':25,'keys':{'type':'uniform','cardinality':100000},"
                  "'itemSize':{'type':'fixed','size':200000}},"
                  "{'name':'reads','table':'Txn','rate':{'type':'constant','rate':5,'arrivals':'uniform'},"
                  "'operations':{'GetItem':1},'keys':{'type':'uniform','cardinality':1000}}]}");
        };
        auto result = run(load(text("{'mode':'full'}")));
        const TableResult& t = result->tables.at(0);
        QCOMPARE(t.requestsWrite, std::int64_t(60));
        QCOMPARE(t.throttledWrite, std::int64_t(0));
        QCOMPARE(t.failedWrite, std::int64_t(60));
        QCOMPARE(t.consumedWrite, 0.0);
        QCOMPARE(t.storageBytes, std::int64_t(0));
        QCOMPARE(t.failedRead, std::int64_t(0));
        QCOMPARE(t.requestsRead, std::int64_t(600));
        QCOMPARE(t.minutes.at(0).failedWrite + t.minutes.at(1).failedWrite, std::int64_t(60));
        QCOMPARE(result->latency.count("TransactWriteItems"), std::size_t(0));
        int failures = 0;
        for (const auto& e : result->events)
            if (e.kind == EventKind::RequestFailed) {
                ++failures;
                QCOMPARE(e.table, std::string("Txn"));
                const auto& f = std::get<RequestFailure>(e.payload);
                QCOMPARE(f.operation, std::string("TransactWriteItems"));
                QCOMPARE(f.errorType, std::string("ValidationException"));
                QVERIFY2(QString::fromStdString(f.message).contains("cannot exceed 4 MB"), f.message.c_str());
            }
        QCOMPARE(failures, 1); // the first of each error type per table
        QVERIFY(QString::fromStdString(eventsCsv(*result)).contains("requestFailed"));
        QString explained;
        for (const auto& paragraph : explainRun(*result))
            explained += QString::fromStdString(paragraph) + "\n";
        QVERIFY2(explained.contains("DynamoDB refused requests to Txn"), qPrintable(explained));
    }

    // TTL in virtual time (reference A6): items written with ttlSeconds expire and are deleted
    // after model.ttlDelay, free of write capacity, minute ends included when there is no
    // traffic; storage falls to zero; the deletions are counted per minute and in the summary.
    void ttlDeletesInVirtualTime()
    {
        // 10 minutes of PutItem (1 WCU each), expiry 60 s after the write, delay exactly 10 min
        // (lognormal with sigma 0): an item written at w (seconds) has v = floor(w + 60) and is
        // deleted at v + 600, so the first fall at 11:00 (the end of minute 10, counted there) and
        // the last by 21:00.
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'ttl','duration':'30m','seed':3,"
                                 "'model':{'ttlDelay':'lognormal(10m,0)'},"
                                 "'tables':[{'name':'Sessions','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                 "'provisioned':{'read':10,'write':100},'ttl':{'attribute':'ExpTime'}},"
                                 "{'name':'Later','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                 "'provisioned':{'read':10,'write':10}}],"
                                 "'workloads':[{'table':'Sessions','rate':{'type':'step','from':10,'to':0,'at':'10m'},"
                                 "'operations':{'PutItem':1},'keys':{'type':'uniform','cardinality':100000000},"
                                 "'ttlSeconds':{'type':'fixed','duration':'60s'}}],"
                                 "'events':[{'at':'1m','action':'updateTimeToLive','table':'Later','enabled':true,'attribute':'ExpTime'},"
                                 "{'at':'2m','action':'updateTimeToLive','table':'Later','enabled':false,'attribute':'ExpTime'}]}")));
        const auto& t = result->tables.at(0);
        QVERIFY(t.ttl);
        QVERIFY(t.requestsWrite > 5000);
        QCOMPARE(t.ttl->expired, t.requestsWrite);
        QCOMPARE(t.ttl->deleted, t.requestsWrite);
        QCOMPARE(t.ttl->meanDelaySeconds, 600.0);
        QCOMPARE(t.storageBytes, std::int64_t(0));
        // Only the PutItems consumed write units: 1 WCU each, none for the deletions.
        QCOMPARE(t.consumedWrite, static_cast<double>(t.requestsWrite));
        std::int64_t deletions = 0;
        for (const auto& m : t.minutes) {
            deletions += m.ttlDeletions;
            if (m.minute < 10 || m.minute > 20)
                QCOMPARE(m.ttlDeletions, std::int64_t(0));
        }
        QCOMPARE(deletions, t.ttl->deleted);
        // Storage fell: the minute-9 partition sizes hold the items, the last minute's none.
        std::int64_t bytesAt10 = 0, bytesAtEnd = 0;
        for (const auto& p : t.partitionMinutes) {
            bytesAt10 += p.minute == 9 ? p.sizeBytes : 0;
            bytesAtEnd += p.minute == 29 ? p.sizeBytes : 0;
        }
        QCOMPARE(bytesAt10, t.requestsWrite * 1100); // all written by 10:00, none deleted before 11:00
        QCOMPARE(bytesAtEnd, std::int64_t(0));
        const auto summary = capsim::test::parse(summaryJson(*result));
        const auto& ttl = summary.at("tables").at(0).at("ttl");
        QCOMPARE(ttl.at("deleted").as_int64(), t.requestsWrite);
        QVERIFY(!summary.at("tables").at(1).at("ttl").at("deleted").as_int64());
        // updateTimeToLive through the engine: the enable applies, a change within the hour is refused.
        QStringList texts;
        for (const auto& e : result->events)
            if (e.table == "Later")
                texts << QString::fromStdString(std::string(eventKindName(e.kind)) + ": " + eventText(e));
        QCOMPARE(texts,
            QStringList({ "eventApplied: updateTimeToLive: TTL enabled on ExpTime",
                "eventRefused: updateTimeToLive ExpTime at 00:02:00: ValidationException: Time to live has been "
                "modified multiple times within a fixed interval" }));
    }

    // A billing-mode switch while another UpdateTable is in flight is refused with
    // ResourceInUseException, as DynamoDB refuses an update of an UPDATING table, and so is any
    // update while a switch is in flight; events.csv reports the mode in force (issue 8, 3).
    void billingModeSwitchWhileUpdating()
    {
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'inflight','duration':'10m',"
                                 "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':100,'write':10}}],"
                                 "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':1},'operations':{'GetItem':1}}],'events':["
                                 "{'at':'1m','action':'updateTable','table':'Tbl','provisioned':{'read':200,'write':10}},"
                                 "{'at':'2m','action':'updateTable','table':'Tbl','billingMode':'PAY_PER_REQUEST'},"
                                 "{'at':'4m','action':'updateTable','table':'Tbl','billingMode':'PAY_PER_REQUEST'},"
                                 "{'at':'5m','action':'updateTable','table':'Tbl','provisioned':{'read':300,'write':10}}]}")));
        std::vector<std::string> refused;
        std::vector<double> switched;
        for (const auto& e : result->events) {
            if (e.kind == EventKind::EventRefused)
                refused.push_back(std::to_string(std::llround(e.timeSeconds)) + " " + eventText(e));
            if (e.kind == EventKind::ModeSwitch)
                switched.push_back(e.timeSeconds);
        }
        QCOMPARE(refused.size(), std::size_t(2));
        QCOMPARE(refused[0],
            std::string("120 updateTable at 00:02:00: ResourceInUseException: Attempt to change a resource which is "
                        "still in use: Table is being updated: Tbl"));
        QVERIFY2(refused[1].rfind("300 updateTable at 00:05:00: ResourceInUseException", 0) == 0, refused[1].c_str());
        // Capacity 200 in force at 3:00, the switch accepted at 4:00 in force at 6:00.
        QCOMPARE(switched, std::vector<double>({ 360.0 }));
        const auto& t = result->tables.at(0);
        QCOMPARE(t.minutes.at(3).provisionedRead, 200.0);
        QVERIFY(t.billingMode == BillingMode::PayPerRequest);
        const QString csv = QString::fromStdString(eventsCsv(*result));
        QVERIFY2(csv.contains("\n120,Tbl,eventRefused,updateTable at 00:02:00: ResourceInUseException"), qPrintable(csv));
        QVERIFY2(csv.contains("\n360,Tbl,modeSwitch,billing mode PAY_PER_REQUEST in force"), qPrintable(csv));
    }

    // model.autoScaling sets the alarm datapoints: 20 writes/s against 10 WCU (target 70 %) scale
    // out after 2 minutes by default, after 3 with scaleOutDatapoints 3.
    void autoScalingDatapointsFromTheModel()
    {
        // The first scale-out: its time and decision.
        auto firstScaleOut = [&](const std::string& model) -> std::pair<double, ScalingDecision> {
            auto result = run(load(J("{'format':'capsim-scenario/1','name':'alarm','duration':'6m'," + model
                + "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':10,'write':10},"
                  "'autoScaling':{'write':{'min':1,'max':100,'target':70}}}],"
                  "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':20,'arrivals':'uniform'},'operations':{'PutItem':1},"
                  "'itemSize':{'type':'fixed','size':100}}]}")));
            for (const auto& e : result->events)
                if (e.kind == EventKind::ScaleOut)
                    return { e.timeSeconds, std::get<ScalingDecision>(e.payload) };
            return { -1.0, ScalingDecision {} };
        };
        const auto byDefault = firstScaleOut("");
        QCOMPARE(byDefault.first, 120.0);
        QCOMPARE(byDefault.second.datapoints, std::int64_t(2));
        const auto slower = firstScaleOut("'model':{'autoScaling':{'scaleOutDatapoints':3}},");
        QCOMPARE(slower.first, 180.0);
        QCOMPARE(slower.second.datapoints, std::int64_t(3));
    }

    void unitHoursAndCost()
    {
        // 100 RCU + 50 WCU for exactly 2 hours: 200 RCU-hours and 100 WCU-hours,
        // cost 200 x $0.00013 + 100 x $0.00065 = $0.091 (reference A5).
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'hours','duration':'2h',"
                                 "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':100,'write':50}}],"
                                 "'workloads':[{'table':'Tbl','rate':{'type':'constant','rate':0.1},'operations':{'GetItem':1}}]}")));
        const auto& t = result->tables.at(0);
        QCOMPARE(t.provisionedUnitHoursRead, 200.0);
        QCOMPARE(t.provisionedUnitHoursWrite, 100.0);
        QVERIFY(std::abs(t.cost.read + t.cost.write - 0.091) < 1e-9);
        QCOMPARE(t.minutes.size(), std::size_t(120));
        QVERIFY(std::abs(t.minutes.back().costToDate - t.cost.total()) < 1e-9);
    }

    void splitForHeat()
    {
        // A partition held above 80 % of its hard limit for 5 minutes splits 10 minutes later
        // (model.splitForHeat); with the hard limit lowered to 100 WCU, 90 writes/s over many
        // keys cross it from the start: sustained by 5:00, split at 15:00.
        auto heated = run(load(J("{'format':'capsim-scenario/1','name':'heat','duration':'20m',"
                                 "'model':{'partitionWrite':100},"
                                 "'tables':[{'name':'Hot','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':10,'write':200}}],"
                                 "'workloads':[{'table':'Hot','rate':{'type':'constant','rate':90,'arrivals':'uniform'},'operations':{'PutItem':1},"
                                 "'keys':{'type':'uniform','cardinality':10000},'itemSize':{'type':'fixed','size':100}}]}")));
        const auto& t = heated->tables.at(0);
        QCOMPARE(t.partitionsInitial, std::int64_t(1));
        QCOMPARE(t.partitionsFinal, std::int64_t(2));
        QCOMPARE(t.splits, std::int64_t(1));
        const RunEvent* split = nullptr;
        for (const auto& e : heated->events)
            if (e.kind == EventKind::PartitionSplit)
                split = &e;
        QVERIFY(split);
        QCOMPARE(split->timeSeconds, 900.0);
        QVERIFY(QString::fromStdString(eventText(*split)).contains("split for heat"));
        // One hot key carrying the heat never splits (reference A3).
        auto single = run(load(J("{'format':'capsim-scenario/1','name':'heat1','duration':'20m',"
                                 "'model':{'partitionWrite':100},"
                                 "'tables':[{'name':'Hot','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':10,'write':200}}],"
                                 "'workloads':[{'table':'Hot','rate':{'type':'constant','rate':90,'arrivals':'uniform'},'operations':{'PutItem':1},"
                                 "'keys':{'type':'uniform','cardinality':1},'itemSize':{'type':'fixed','size':100}}]}")));
        QCOMPARE(single->tables.at(0).splits, std::int64_t(0));
    }

    void stopTokenCancels()
    {
        std::atomic<bool> stop { true };
        auto result = run(load(mixed(J("{'mode':'full'}"))), &stop);
        QVERIFY(result->cancelled);
        QVERIFY(summaryJson(*result).find("\"cancelled\": true") != std::string::npos);
    }

    void outputsFollowTheContract()
    {
        auto result = run(load(mixed(J("{'mode':'full'}"))));
        const std::string ts = timeseriesCsv(*result);
        QVERIFY(ts.rfind("minute,table,provisionedRead,provisionedWrite,consumedRead,consumedWrite,throttledRead,"
                         "throttledWrite,failedRead,failedWrite,partitions,costToDate\n", 0) == 0);
        QVERIFY(partitionsCsv(*result).rfind("minute,table,partition,consumedRead,consumedWrite,throttledRead,throttledWrite,sizeBytes\n", 0) == 0);
        QVERIFY(eventsCsv(*result).rfind("time,table,kind,detail\n", 0) == 0);
        const std::string summary = summaryJson(*result);
        for (const char* field : { "\"format\": \"capsim-summary/1\"", "\"scenario\": \"mixed\"", "\"simulatedSeconds\": 600",
                 "\"fidelity\"", "\"requests\"", "\"throttled\"", "\"failed\"", "\"consumed\"", "\"provisionedUnitHours\"",
                 "\"partitions\"", "\"storageBytes\"", "\"autoScaling\"", "\"currency\": \"USD\"", "\"pricing\": \"us-east-1 2024-11-01\"" })
            QVERIFY2(summary.find(field) != std::string::npos, field);
        // An on-demand table: 4 partitions, its ceiling in provisioned columns, no unit-hours.
        QCOMPARE(result->tables.at(0).partitionsInitial, std::int64_t(4));
        QCOMPARE(result->tables.at(0).minutes.at(0).provisionedRead, 12000.0);
        QCOMPARE(result->tables.at(0).provisionedUnitHoursRead, 0.0);
    }

    // Streams (reference A7, A5): one record per item change and none for a no-op write; a
    // lambda's GetRecords calls are free, a client's billed exactly; the lag of a consumer that
    // keeps up lies between its processingTime and pollInterval + processingTime; a sink holds
    // one JSON line per record.
    void streamRecordsReadsAndLag()
    {
        const QString sink = m_dir.path() + "/stream-sink";
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'streams','duration':'10m','seed':2,"
                                 "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                 "'provisioned':{'read':10,'write':100},'streams':{'viewType':'NEW_AND_OLD_IMAGES','consumers':["
                                 "{'name':'fn','kind':'lambda','pollInterval':'1s','processingTime':{'type':'fixed','duration':'200ms'},"
                                 "'sink':'")
            + sink.toStdString()
            + J("'},{'name':'poller','kind':'client','pollInterval':'1s'}]}}],"
                "'workloads':[{'name':'puts','table':'Src','rate':{'type':'step','from':1,'to':0,'at':'9m','arrivals':'uniform'},"
                "'operations':{'PutItem':1},'keys':{'type':'sequential','cardinality':300},'itemSize':{'type':'fixed','size':500}},"
                "{'name':'misses','table':'Src','rate':{'type':'constant','rate':1,'arrivals':'uniform'},"
                "'operations':{'DeleteItem':1},'keys':{'type':'uniform','cardinality':1000000000,'sortKeysPerKey':1},"
                "'itemSize':{'type':'fixed','size':500}}]}")));
        const TableResult& t = result->tables.at(0);
        QVERIFY(t.streams);
        QVERIFY(t.uses.streams);
        // 540 PutItems over 300 sequential keys: 300 INSERTs, then 240 identical puts (no change,
        // no record); every DeleteItem misses (no record).
        QVERIFY(t.requestsWrite >= 540 + 590);
        QCOMPARE(t.streams->records, std::int64_t(300));
        std::int64_t records = 0, reads = 0;
        double lag = 0;
        for (const auto& m : t.minutes) {
            records += m.streamRecords;
            reads += m.streamReadRequests;
            lag = std::max(lag, m.consumerLagSeconds);
        }
        QCOMPARE(records, std::int64_t(300));
        // Each consumer polls its one shard at 0, 1, ..., 599 s: 600 calls each, the lambda's
        // batches ending 0.2 s after their poll, before the next.
        const auto& fn = t.streams->consumers.at(0);
        const auto& poller = t.streams->consumers.at(1);
        QCOMPARE(fn.reads, std::int64_t(600));
        QCOMPARE(poller.reads, std::int64_t(600));
        QCOMPARE(reads, std::int64_t(1200));
        QCOMPARE(fn.records, std::int64_t(300));
        QCOMPARE(poller.records, std::int64_t(300));
        // Billable: the client's 600 calls; 600 x $0.02 / 100,000 = $0.00012 (A5).
        QCOMPARE(t.streams->readRequestUnits, std::int64_t(600));
        QVERIFY2(std::abs(t.cost.streams - 600 * 0.02 / 100000) < 1e-15, qPrintable(QString::number(t.cost.streams, 'g', 17)));
        // Lag: the lambda's >= 0.2 s (processingTime) and <= 1.2 s (pollInterval + processingTime).
        QVERIFY2(fn.maxLagSeconds >= 0.2 && fn.maxLagSeconds <= 1.2, qPrintable(QString::number(fn.maxLagSeconds)));
        QVERIFY(poller.maxLagSeconds <= 1.0);
        QVERIFY(lag <= 1.2);
        // The sink: one line per record, as GetRecords returns it.
        const auto lines = sinkLines(sink);
        QCOMPARE(lines.size(), std::size_t(300));
        for (const auto& line : lines) {
            QCOMPARE(line.at("eventName").as_string(), "INSERT");
            QCOMPARE(line.at("dynamodb").at("StreamViewType").as_string(), "NEW_AND_OLD_IMAGES");
            QVERIFY(line.at("dynamodb").as_object().contains("NewImage"));
        }
        // A second run never overwrites the first's file: it writes a new one beside it.
        (void)run(load(J("{'format':'capsim-scenario/1','name':'streams','duration':'1m',"
                         "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                         "'streams':{'viewType':'KEYS_ONLY','consumers':[{'name':'fn','kind':'lambda','sink':'")
            + sink.toStdString()
            + J("'}]}}],'workloads':[{'table':'Src','rate':{'type':'constant','rate':1},'operations':{'PutItem':1}}]}")));
        QCOMPARE(QDir(sink).entryList(QDir::Files), QStringList({ "Src-fn-2.jsonl", "Src-fn.jsonl" }));
        QCOMPARE(sinkLinesOf(sink + "/Src-fn.jsonl"), 300);
        // summary.json: the streams block and the cost line (cli.md).
        const auto summary = capsim::test::parse(summaryJson(*result));
        const auto& streams = summary.at("tables").at(0).at("streams");
        QCOMPARE(streams.at("records").as_int64(), std::int64_t(300));
        QCOMPARE(streams.at("readRequestUnits").as_int64(), std::int64_t(600));
        QCOMPARE(streams.at("consumers").at(0).at("name").as_string(), "fn");
        QVERIFY(streams.at("consumers").at(0).as_object().contains("batches"));
        QVERIFY(streams.at("consumers").at(0).as_object().contains("maxLagSeconds"));
        QVERIFY(summary.at("tables").at(0).at("cost").as_object().contains("streams"));
        QVERIFY(std::abs(t.minutes.back().costToDate - t.cost.total()) < 1e-12);
    }

    // The free tier's 2.5 M stream reads a month cover a client's calls (reference A5): the
    // freeTier line gives back exactly cost.streams on an on-demand table without storage.
    void streamReadsFreeTier()
    {
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'free','duration':'5m','freeTier':true,"
                                 "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                                 "'streams':{'viewType':'KEYS_ONLY','consumers':[{'name':'a','kind':'client','pollInterval':'500ms'},"
                                 "{'name':'b','kind':'client','pollInterval':'1s'}]}},"
                                 "{'name':'Other','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}],"
                                 "'workloads':[{'table':'Other','rate':{'type':'constant','rate':1},'operations':{'GetItem':1}}]}")));
        const TableResult& t = result->tables.at(0);
        // A new on-demand table has 4 partitions, so 4 shards (A7), each polled 600 + 300 times in
        // 300 s: 3,600 calls x $0.02 / 100,000 = $0.00072, all free.
        QCOMPARE(t.partitionsFinal, std::int64_t(4));
        QCOMPARE(t.streams->readRequestUnits, std::int64_t(3600));
        QVERIFY(std::abs(t.cost.streams - 3600 * 0.02 / 100000) < 1e-15);
        QVERIFY2(std::abs(t.cost.freeTier + t.cost.streams) < 1e-15, qPrintable(QString::number(t.cost.freeTier, 'g', 17)));
    }

    // A writesTo pipeline into an under-provisioned table throttles there (counted on the
    // target like a workload's writes, retried by the client model) and the lag grows.
    void writesToThrottlesOnTheTarget()
    {
        auto result = run(load(J("{'format':'capsim-scenario/1','name':'pipeline','duration':'4m','seed':4,"
                                 "'model':{'burstSeconds':0},"
                                 "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                                 "'streams':{'viewType':'NEW_IMAGE','consumers':[{'name':'copier','kind':'lambda','pollInterval':'1s',"
                                 "'processingTime':{'type':'fixed','duration':'100ms'},'writesTo':'Dst'}]}},"
                                 "{'name':'Dst','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                                 "'provisioned':{'read':5,'write':10}}],"
                                 "'workloads':[{'table':'Src','rate':{'type':'constant','rate':50},'operations':{'PutItem':1},"
                                 "'keys':{'type':'uniform','cardinality':1000000000},'itemSize':{'type':'fixed','size':800}}]}")));
        const TableResult& src = result->tables.at(0);
        const TableResult& dst = result->tables.at(1);
        const auto& copier = src.streams->consumers.at(0);
        QVERIFY(dst.throttledWrite > 0);
        QCOMPARE(copier.throttledWrites, dst.throttledWrite);
        // Every attempt reached Dst: the writes that succeeded, the throttled ones.
        QCOMPARE(dst.requestsWrite, copier.writes + dst.throttledWrite);
        QVERIFY(copier.writes < src.streams->records);
        QCOMPARE(src.cost.streams, 0.0); // lambda
        // 50 records/s into 10 WCU: the backlog and the lag grow minute by minute, far past
        // pollInterval + processingTime.
        QVERIFY(src.minutes.at(3).consumerLagSeconds > src.minutes.at(1).consumerLagSeconds);
        QVERIFY(copier.maxLagSeconds > 60);
        QVERIFY(!result->tables.at(1).streams);
    }

    // Kinesis Data Streams (reference A7, C 6.3): items of 1,500 bytes are 2 CDC units a change
    // (1 per started KB of the larger image); duplicated and reordered deliveries are ordered
    // and de-duplicated before writesTo, so the copy ends equal to the source.
    void kinesisCdcUnitsAndDuplicates()
    {
        const std::string path = (m_dir.path() + "/kinesis.db").toStdString();
        auto result = runOnFile(load(J("{'format':'capsim-scenario/1','name':'kds','duration':'5m','seed':9,"
                                       "'model':{'kdsDuplicateRate':0.3,'kdsReorderRate':0.3},"
                                       "'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                                       "'streams':{'viewType':'NEW_AND_OLD_IMAGES','consumers':[{'name':'kds','kind':'kinesis',"
                                       "'pollInterval':'1s','writesTo':'Copy'}]}},"
                                       "{'name':'Copy','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}],"
                                       "'workloads':[{'table':'Src','rate':{'type':'step','from':2,'to':0,'at':'4m','arrivals':'uniform'},"
                                       "'operations':{'PutItem':1},'keys':{'type':'sequential','cardinality':100000},"
                                       "'itemSize':{'type':'fixed','size':1500}}]}")),
            path);
        const TableResult& src = result->tables.at(0);
        const auto& kds = src.streams->consumers.at(0);
        // 2/s for 240 s (481 arrivals with the one at 0), every key new: a record each.
        const std::int64_t n = src.requestsWrite;
        QCOMPARE(n, std::int64_t(481));
        QCOMPARE(src.streams->records, n);
        // n changes x ceil(1,500 / 1,024) = 2 units = 962 units; x $0.10 / 1e6 = $0.0000962.
        QCOMPARE(src.streams->changeDataCaptureUnits, std::int64_t(962));
        QVERIFY2(std::abs(src.cost.streams - 962 * 0.10 / 1e6) < 1e-15, qPrintable(QString::number(src.cost.streams, 'g', 17)));
        QCOMPARE(src.streams->readRequestUnits, std::int64_t(0)); // Kinesis, not stream read request units
        QVERIFY2(kds.records > n, qPrintable(QString::number(kds.records))); // duplicates delivered
        QCOMPARE(kds.writes, n); // each change written once
        auto engine = Engine::open(path);
        QVERIFY(engine);
        QCOMPARE(tableItems(**engine, "Copy", "id"), tableItems(**engine, "Src", "id"));
    }

    // The results database keeps the stream figures (per table and per consumer, per minute),
    // and sampled fidelity weights records by 1/r (reference A13) while calls stay as made.
    void streamFiguresStoredAndSampled()
    {
        const auto text = [](const std::string& fidelity) {
            return J("{'format':'capsim-scenario/1','name':'stored','duration':'5m','seed':6,'fidelity':" + fidelity
                + ",'tables':[{'name':'Src','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                  "'provisioned':{'read':10,'write':100},'streams':{'viewType':'NEW_IMAGE','consumers':["
                  "{'name':'fn','kind':'lambda','writesTo':'Dst'},{'name':'poll','kind':'client','pollInterval':'2s'}]}},"
                  "{'name':'Dst','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':10,'write':100}}],"
                  "'workloads':[{'table':'Src','rate':{'type':'constant','rate':40},'operations':{'PutItem':1},"
                  "'keys':{'type':'uniform','cardinality':1000000000},'itemSize':{'type':'fixed','size':700}}]}");
        };
        auto full = run(load(text("{'mode':'full'}")));
        const QString path = m_dir.path() + "/streams.sqlite";
        QVERIFY(writeResultsDatabase(path.toStdString(), *full, text("{'mode':'full'}"), summaryJson(*full)).isOk());
        auto back = readResultsDatabase(path.toStdString());
        QVERIFY(back);
        const auto& a = *full->tables.at(0).streams;
        QVERIFY(back->tables.at(0).streams);
        const auto& b = *back->tables.at(0).streams;
        QCOMPARE(b.records, a.records);
        QCOMPARE(b.readRequestUnits, a.readRequestUnits);
        QCOMPARE(b.consumers.size(), std::size_t(2));
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(b.consumers[i].name, a.consumers[i].name);
            QCOMPARE(b.consumers[i].kind, a.consumers[i].kind);
            QCOMPARE(b.consumers[i].batches, a.consumers[i].batches);
            QCOMPARE(b.consumers[i].reads, a.consumers[i].reads);
            QCOMPARE(b.consumers[i].writes, a.consumers[i].writes);
            QCOMPARE(b.consumers[i].maxLagSeconds, a.consumers[i].maxLagSeconds);
        }
        QVERIFY(!back->tables.at(1).streams);
        QCOMPARE(back->tables.at(0).minutes.at(2).streamRecords, full->tables.at(0).minutes.at(2).streamRecords);
        QCOMPARE(back->tables.at(0).minutes.at(2).consumerLagSeconds, full->tables.at(0).minutes.at(2).consumerLagSeconds);
        // Sampled at 1/2: about half the keys execute, their records stand for twice as many.
        auto sampled = run(load(text("{'mode':'sampled','rate':0.5}")));
        const auto& s = *sampled->tables.at(0).streams;
        QVERIFY2(std::abs(static_cast<double>(s.records - a.records)) < 0.05 * static_cast<double>(a.records),
            qPrintable(QString("%1 vs %2").arg(s.records).arg(a.records)));
        QCOMPARE(s.readRequestUnits, a.readRequestUnits); // polls do not depend on the sample
    }

    // Randomized: replaying a sink's records (NewImage for INSERT/MODIFY, removal for REMOVE)
    // over the starting state rebuilds the table's final state, and the writesTo copy (with the
    // same initialData) ends equal to it, for puts, updates and deletes on a small key space.
    void sinkReplayRebuildsTheTable()
    {
        for (int seed : { 1, 2, 3 }) {
            const QString sink = m_dir.path() + "/replay-" + QString::number(seed);
            const std::string path = (m_dir.path() + "/replay-" + QString::number(seed) + ".db").toStdString();
            const std::string table = "{'partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                                      "'initialData':{'items':40,'itemSize':{'type':'fixed','size':300}}";
            auto result = runOnFile(load(J("{'format':'capsim-scenario/1','name':'replay','duration':'10m','seed':" + std::to_string(seed)
                                               + ",'tables':[{'name':'Src'," + table.substr(1)
                                               + ",'streams':{'viewType':'NEW_AND_OLD_IMAGES','consumers':[{'name':'fn','kind':'lambda',"
                                                 "'batchSize':7,'pollInterval':'2s','processingTime':{'type':'uniform','min':'10ms','max':'900ms'},"
                                                 "'writesTo':'Dst','sink':'")
                                        + sink.toStdString()
                                        + J("'}]}},{'name':'Dst'," + table.substr(1)
                                            + "}],'workloads':[{'table':'Src','rate':{'type':'step','from':5,'to':0,'at':'9m'},"
                                              "'operations':{'PutItem':0.4,'UpdateItem':0.3,'DeleteItem':0.3},"
                                              "'keys':{'type':'uniform','cardinality':60},'itemSize':{'type':'uniform','min':100,'max':2000}}]}")),
                path);
            std::map<std::string, Item> state;
            KeyElement pk { "id", AttrType::S };
            for (std::int64_t k = 0; k < 40; ++k) {
                Item item = initialItem(pk, std::nullopt, k, 0, 300);
                state[encodeKeyValue(item.at("id"))] = item;
            }
            const auto lines = sinkLines(sink);
            QCOMPARE(static_cast<std::int64_t>(lines.size()), result->tables.at(0).streams->records);
            QVERIFY(lines.size() > 500);
            for (const auto& line : lines) {
                const auto& db = line.at("dynamodb");
                auto keys = itemFromJson(db.at("Keys"), "Keys");
                QVERIFY(keys);
                const std::string key = encodeKeyValue(keys->at("id"));
                if (line.at("eventName").as_string() == "REMOVE") {
                    QVERIFY(state.erase(key) == 1);
                } else {
                    auto image = itemFromJson(db.at("NewImage"), "NewImage");
                    QVERIFY(image);
                    QCOMPARE(state.count(key), std::size_t(line.at("eventName").as_string() == "MODIFY" ? 1 : 0));
                    state[key] = *image;
                }
            }
            auto engine = Engine::open(path);
            QVERIFY(engine);
            const auto src = tableItems(**engine, "Src", "id");
            QCOMPARE(src.size(), state.size());
            QVERIFY(src == state);
            QVERIFY(tableItems(**engine, "Dst", "id") == src);
        }
    }
};

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
