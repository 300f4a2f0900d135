// Global tables in runs (reference A11, A13, C 12): replicas as tables of the run in their regions,
// replicated changes charged to the destination without refusal, priced per replica, weighted in
// sampled fidelity. Figures by hand from the reference, the arithmetic beside them.

#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include "tests/support/wire.h"

#include <QtTest>

using namespace capsim;
using capsim::test::J;

namespace {

std::shared_ptr<const RunResult> runText(const std::string& text)
{
    auto loaded = loadScenarioText(J(text), ".");
    if (!loaded.scenario)
        qFatal("scenario does not load:\n%s", formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing(loaded.scenario->region);
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

constexpr double kWru = 0.625 / 1e6; // on-demand WRU, Standard (A5); replicated WRU the same (C 12)
constexpr double kGib = 1073741824.0;

} // namespace

class TestGlobalTables : public QObject {
    Q_OBJECT
private slots:
    // A provisioned global table (write auto scaling pinned at 10 WCU): each replica takes its own
    // writes and the other's replicated ones; replication is never refused, so the replica's
    // buckets go below zero and its own writes throttle, while every change still arrives.
    void replicatedWritesAreNeverRefused()
    {
        auto run = runText("{'format':'capsim-scenario/1','name':'gt-provisioned','duration':'15m','seed':3,"
                           "'model':{'burstAtStart':'empty','adaptiveCapacity':false},"
                           "'tables':[{'name':'carts','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED',"
                           " 'provisioned':{'read':5,'write':10},'autoScaling':{'write':{'min':10,'max':10,'target':70}},"
                           " 'replicas':['eu-west-1']}],"
                           "'workloads':["
                           " {'name':'east','table':'carts','rate':{'type':'step','from':8,'to':0,'at':'14m','arrivals':'uniform'},"
                           "  'operations':{'PutItem':1},'keys':{'type':'sequential','cardinality':1000000},'itemSize':{'type':'fixed','size':1000}},"
                           " {'name':'west','table':'carts','region':'eu-west-1','rate':{'type':'step','from':8,'to':0,'at':'14m','arrivals':'uniform'},"
                           "  'operations':{'PutItem':1},'keys':{'type':'uniform','cardinality':1000000},'itemSize':{'type':'fixed','size':1000}}]}");
        const TableResult& east = run->tables.at(0);
        QCOMPARE(east.replicas.size(), std::size_t(1));
        const TableResult& west = east.replicas.at(0);
        QCOMPARE(west.region, std::string("eu-west-1"));
        QCOMPARE(west.billingMode, BillingMode::Provisioned);
        // Each region's users: 8 writes a second for 840 s (k / 8, k = 0 .. 6,720) of 1 WRU: 8 units/s
        // of their own + 8 replicated = 16 units/s against 10 WCU, burst empty at the start: the
        // replicated 8 always pass (no refusal), so the region's own writes throttle.
        QVERIFY(east.throttledWrite > 0);
        QVERIFY(west.throttledWrite > 0);
        const std::int64_t eastWrites = east.requestsWrite - east.throttledWrite;
        const std::int64_t westWrites = west.requestsWrite - west.throttledWrite;
        QCOMPARE(east.replicaSummaries.size(), std::size_t(2));
        // Every write that succeeded in one region (attempts less throttled ones; a request given
        // up on was throttled each time) arrives in the other (the last minute is quiet).
        QCOMPARE(east.replicaSummaries[0].replicatedWrites, westWrites);
        QCOMPARE(east.replicaSummaries[1].replicatedWrites, eastWrites);
        // A replica consumes its own writes and the replicated ones: 1 WRU each.
        QCOMPARE(west.consumedWrite, double(westWrites + east.replicaSummaries[1].replicatedWrites));
        // Over the run a replica cannot consume much more than its 10 WCU (buckets may go below
        // zero by at most what was charged without refusal): 10 x 900 s + the 8/s replicated.
        QVERIFY(west.consumedWrite <= 10 * 900 + 8 * 900);
        // Provisioned capacity bills per hour in each replica (10 WCU x 0.25 h x $0.00065), and
        // the top-level write line holds both replicas' (results.h).
        QVERIFY(std::abs(west.cost.write - 10 * 0.25 * 0.00065) < 1e-9);
        QVERIFY(std::abs(east.cost.write - 2 * 10 * 0.25 * 0.00065) < 1e-9);
        // Replicated provisioned writes have no per-unit price; the transfer is charged:
        // replicated items x 1,000 bytes / 2^30 x $0.02.
        QVERIFY(std::abs(west.cost.replication - double(east.replicaSummaries[1].replicatedWrites) * 1000 / kGib * 0.02) < 1e-12);
    }

    // Sampled fidelity (A13): a change of the executed sample stands for 1/r; replication figures
    // and costs are weighted like storage.
    void sampledRunsWeightReplication()
    {
        auto run = runText("{'format':'capsim-scenario/1','name':'gt-sampled','duration':'5m','seed':5,"
                           "'fidelity':{'mode':'sampled','rate':0.25},"
                           "'tables':[{'name':'events','partitionKey':{'name':'id','type':'N'},'billingMode':'PAY_PER_REQUEST',"
                           " 'replicas':['ap-southeast-2']}],"
                           "'workloads':[{'table':'events','rate':{'type':'step','from':40,'to':0,'at':'4m','arrivals':'uniform'},"
                           " 'operations':{'PutItem':1},'keys':{'type':'sequential','cardinality':100000000},"
                           " 'itemSize':{'type':'fixed','size':2000}}]}");
        const TableResult& t = run->tables.at(0);
        // 40 writes a second for 240 s: 9,601 writes of 2 WRU (2,000 bytes); a quarter execute
        // (sequential keys: exactly round(9,601 x 0.25) of them, give or take one) and stand for 4 each.
        QCOMPARE(t.requestsWrite, std::int64_t(9601));
        const double replicated = static_cast<double>(t.replicaSummaries.at(1).replicatedWrites);
        QVERIFY2(std::abs(replicated - 9601) <= 4, qPrintable(QString::number(replicated)));
        // Replication line: units x $0.625/M + bytes x $0.02/GB, over the weighted changes.
        const double expected = replicated * 2 * kWru + replicated * 2000 / kGib * 0.02;
        QVERIFY2(std::abs(t.cost.replication - expected) < 1e-9, qPrintable(QString::number(t.cost.replication, 'g', 12)));
        QCOMPARE(t.replicas.at(0).consumedWrite, replicated * 2);
        // Storage: 148 B per item per replica, weighted: ~9,601 x 2,148 in each region.
        QVERIFY(std::abs(static_cast<double>(t.replicaSummaries.at(1).storageBytes) - 9601.0 * 2148) <= 4 * 2148);
    }

    // An outage of the scenario's own region: its workloads' requests fail at once, uncounted as
    // requests; the replica elsewhere keeps serving its own.
    void outageOfTheOwnRegion()
    {
        auto run = runText("{'format':'capsim-scenario/1','name':'gt-outage','duration':'4m','seed':7,"
                           "'tables':[{'name':'kvs','partitionKey':{'name':'k','type':'S'},'billingMode':'PAY_PER_REQUEST',"
                           " 'replicas':['us-west-2']}],"
                           "'workloads':["
                           " {'name':'here','table':'kvs','rate':{'type':'constant','rate':5,'arrivals':'uniform'},'operations':{'GetItem':0.5,'PutItem':0.5}},"
                           " {'name':'there','table':'kvs','region':'us-west-2','rate':{'type':'constant','rate':5,'arrivals':'uniform'},'operations':{'PutItem':1}}],"
                           "'events':[{'at':'1m','action':'regionOutage','region':'us-east-1','duration':'2m'}]}");
        const TableResult& t = run->tables.at(0);
        // here: 5 a second for 240 s = 1,200 requests; those in [60 s, 180 s) fail: 600.
        QCOMPARE(t.failedRead + t.failedWrite, std::int64_t(600));
        QCOMPARE(t.requestsRead + t.requestsWrite, std::int64_t(600));
        QCOMPARE(t.consumedRead + t.consumedWrite > 0, true);
        const TableResult& west = t.replicas.at(0);
        QCOMPARE(west.requestsWrite, std::int64_t(1200));
        QCOMPARE(west.failedWrite, std::int64_t(0));
        // us-west-2's changes of the outage reach us-east-1 after it: lag about 120 s at most.
        QVERIFY2(t.replicaSummaries.at(0).maxLagSeconds > 115 && t.replicaSummaries.at(0).maxLagSeconds < 125,
            qPrintable(QString::number(t.replicaSummaries.at(0).maxLagSeconds)));
        // All 1,200 of us-west-2's writes but those still in flight at the end (~1 s of them).
        QVERIFY(t.replicaSummaries.at(0).replicatedWrites > 1180 && t.replicaSummaries.at(0).replicatedWrites <= 1200);
        // Outputs (cli.md): summary.json's replicas list, own region first, and cost.replication;
        // the CSVs name the replica "<table>@<region>"; events.csv the outage's start and end.
        const auto summary = capsim::test::parse(summaryJson(*run));
        const auto& table = summary.at("tables").at(0).as_object();
        QCOMPARE(table.at("replicas").as_array().size(), std::size_t(2));
        QCOMPARE(std::string(table.at("replicas").at(0).at("region").as_string()), std::string("us-east-1"));
        QCOMPARE(std::string(table.at("replicas").at(1).at("region").as_string()), std::string("us-west-2"));
        for (const char* key : { "replicatedWrites", "maxLagSeconds", "conflicts", "storageBytes" })
            QVERIFY2(table.at("replicas").at(1).as_object().contains(key), key);
        QVERIFY(table.at("cost").as_object().contains("replication"));
        QCOMPARE(table.at("replicas").at(1).at("storageBytes").as_int64(), t.replicaSummaries.at(1).storageBytes);
        QVERIFY(timeseriesCsv(*run).find("\n3,kvs@us-west-2,") != std::string::npos);
        QVERIFY(partitionsCsv(*run).find(",kvs@us-west-2,") != std::string::npos);
        const std::string events = eventsCsv(*run);
        QVERIFY2(events.find("60,,eventApplied,regionOutage us-east-1: unreachable for 120 s") != std::string::npos, events.c_str());
        QVERIFY2(events.find("180,,eventApplied,\"regionOutage us-east-1 ended") != std::string::npos, events.c_str());
    }
};

QTEST_GUILESS_MAIN(TestGlobalTables)
#include "tst_global_table_runs.moc"
