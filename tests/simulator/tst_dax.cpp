// DAX in the simulator (reference A10, Part C 11): the cluster's caches, TTLs, LRU, negative
// caching, write-through, pass-through, stale reads, node budgets and node-hour cost. Figures are
// computed by hand; arrivals are uniform (exactly rate x duration requests, the first at t = 0).

#include "simulator/dax.h"
#include "simulator/pricing.h"
#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace capsim;

namespace {

std::shared_ptr<const RunResult> runText(const std::string& json)
{
    auto loaded = loadScenarioText(json, ".");
    if (!loaded.scenario)
        qFatal("scenario does not load:\n%s", formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

// One table "cache-t" (on-demand, key "id" S) with `items` initial items of 1,000 bytes, a DAX
// cluster `dax` (JSON object text, or empty for none), and the given workloads and model.
std::string scenario(const std::string& dax, const std::string& workloads, const std::string& duration = "60s",
    const std::string& model = "{}", std::int64_t items = 10, const std::string& extra = "")
{
    std::string table = R"({"name":"cache-t","partitionKey":{"name":"id","type":"S"},"billingMode":"PAY_PER_REQUEST")";
    if (items > 0)
        table += R"(,"initialData":{"items":)" + std::to_string(items) + R"(,"itemSize":{"type":"fixed","size":1000}})";
    if (!dax.empty())
        table += R"(,"dax":)" + dax;
    table += "}";
    return R"({"format":"capsim-scenario/1","name":"dax-test","duration":")" + duration + R"(","seed":7,"model":)" + model
        + extra + R"(,"tables":[)" + table + R"(],"workloads":[)" + workloads + "]}";
}

// A workload of `rate` uniform arrivals per second over keys 0 .. cardinality - 1.
std::string workload(const std::string& name, const std::string& operations, double rate, std::int64_t cardinality,
    const std::string& more = "", const std::string& keys = "uniform")
{
    return R"({"name":")" + name + R"(","table":"cache-t","rate":{"type":"constant","rate":)" + std::to_string(rate)
        + R"(,"arrivals":"uniform"},"operations":)" + operations + R"(,"keys":{"type":")" + keys + R"(","cardinality":)"
        + std::to_string(cardinality) + "}" + more + "}";
}

const TableResult& table(const RunResult& run)
{
    return run.tables.at(0);
}

} // namespace

class TestDax : public QObject {
    Q_OBJECT
private slots:
    // ---- the cluster on its own ----

    void nodeTypesAndDefaults()
    {
        // Half the node's memory (GiB): t3.small 2 -> 1 GiB, r5.large 16 -> 8 GiB, r5.4xlarge 128 -> 64 GiB.
        const ModelSpec model;
        QCOMPARE(daxCacheCapacity(*daxNodeType("dax.t3.small"), model), std::int64_t(1) << 30);
        QCOMPARE(daxCacheCapacity(*daxNodeType("dax.r5.large"), model), std::int64_t(8) << 30);
        QCOMPARE(daxCacheCapacity(*daxNodeType("dax.r5.4xlarge"), model), std::int64_t(64) << 30);
        // Budgets: t3.small 10,000/s, t3.medium 20,000, t2 like t3, r5.large 50,000, x2 per r5 size.
        QCOMPARE(daxNodeOpsPerSec(*daxNodeType("dax.t3.small"), model), 10000.0);
        QCOMPARE(daxNodeOpsPerSec(*daxNodeType("dax.t2.medium"), model), 20000.0);
        QCOMPARE(daxNodeOpsPerSec(*daxNodeType("dax.r5.large"), model), 50000.0);
        QCOMPARE(daxNodeOpsPerSec(*daxNodeType("dax.r5.2xlarge"), model), 200000.0);
        QVERIFY(!daxNodeType("dax.m5.large"));
        ModelSpec tuned;
        tuned.daxCacheBytes = 4096;
        tuned.daxNodeOpsPerSec = 7;
        QCOMPARE(daxCacheCapacity(*daxNodeType("dax.r5.large"), tuned), std::int64_t(4096));
        QCOMPARE(daxNodeOpsPerSec(*daxNodeType("dax.r5.large"), tuned), 7.0);
    }

    void requestCost()
    {
        // weight x max(1, ceil(bytes / 1 KB)): hit 1, miss 10, write 25 (Part C 11).
        QCOMPARE(daxRequestCost(DaxWork::Hit, 0), 1.0);
        QCOMPARE(daxRequestCost(DaxWork::Hit, 1024), 1.0);
        QCOMPARE(daxRequestCost(DaxWork::Hit, 1025), 2.0);
        QCOMPARE(daxRequestCost(DaxWork::Miss, 40000), 400.0); // ceil(40,000 / 1,024) = 40
        QCOMPARE(daxRequestCost(DaxWork::Write, 3000), 75.0); // 25 x 3
    }

    void nodePrices()
    {
        const auto p = *builtInPricing("us-east-1");
        // The pricing file (C 6.4): t3.small 0.04, t3.medium 0.08, r5.large 0.255, r5.xlarge 0.509.
        QCOMPARE(*daxNodeHourPrice(p, "dax.t3.small"), 0.04);
        QCOMPARE(*daxNodeHourPrice(p, "dax.r5.large"), 0.255);
        // DERIVED: larger r5 = 0.509 x size / xlarge; t2 as t3 of the same size.
        QCOMPARE(*daxNodeHourPrice(p, "dax.r5.4xlarge"), 0.509 * 4);
        QCOMPARE(*daxNodeHourPrice(p, "dax.r5.24xlarge"), 0.509 * 24);
        QCOMPARE(*daxNodeHourPrice(p, "dax.t2.small"), 0.04);
        QCOMPARE(*daxNodeHourPrice(p, "dax.t2.medium"), 0.08);
        QVERIFY(!daxNodeHourPrice(p, "dax.m5.large"));
        // Partial hours billed as full hours, every node: 90 min x 3 nodes = 2 x 3 = 6.
        QCOMPARE(daxNodeHours(5400, 3), 6.0);
        QCOMPARE(daxNodeHours(3600, 3), 3.0);
        QCOMPARE(daxNodeHours(1, 11), 11.0);
    }

    void cacheTtlAndLru()
    {
        DaxSpec spec;
        spec.nodes = 1;
        spec.itemTtl = 10 * kSimSecond;
        spec.queryTtl = 0; // no query cache
        ModelSpec model;
        // Room for two entries of 1,000 item bytes + 1-byte key + 100 = 1,101 bytes each.
        model.daxCacheBytes = 2 * 1101;
        DaxCluster c(spec, *daxNodeType("dax.t3.small"), model);
        DaxCluster::Entry e;
        e.bytes = 1000;
        c.store("a", false, e, 0);
        c.store("b", false, e, 0);
        QCOMPARE(c.cacheBytes(), std::int64_t(2202));
        QVERIFY(c.lookup("a", false, kSimSecond)); // a is now the most recently used
        c.store("c", false, e, kSimSecond); // evicts b, the least recently used
        QVERIFY(c.lookup("a", false, 2 * kSimSecond));
        QVERIFY(!c.lookup("b", false, 2 * kSimSecond));
        QVERIFY(c.lookup("c", false, 2 * kSimSecond));
        QCOMPARE(c.evictions(), std::int64_t(1));
        // TTL: a stored at 0 expires at 10 s; c stored at 1 s lives until 11 s.
        QVERIFY(!c.lookup("a", false, 10 * kSimSecond));
        QVERIFY(c.lookup("c", false, 10 * kSimSecond));
        QCOMPARE(c.cacheBytes(), std::int64_t(1101));
        // queryTtl 0: nothing stored, nothing found.
        c.store("q", true, e, 0);
        QVERIFY(!c.lookup("q", true, 0));
        // An entry larger than the whole cache is not kept.
        DaxCluster::Entry huge;
        huge.bytes = 10000;
        c.store("h", false, huge, 0);
        QVERIFY(!c.lookup("h", false, 0));
    }

    void nodeBudget()
    {
        DaxSpec spec;
        spec.nodes = 2;
        ModelSpec model;
        model.daxNodeOpsPerSec = 10;
        DaxCluster c(spec, *daxNodeType("dax.t3.small"), model);
        // Each node starts with a full second (10). Reads alternate over the two nodes.
        QVERIFY(c.admitRead(10, 0)); // node 0 -> 0
        QVERIFY(c.admitRead(10, 0)); // node 1 -> 0
        QVERIFY(!c.admitRead(1, 0)); // node 0 empty: ThrottlingException
        // Half a second later node 1 has 5 again (refill 10/s).
        QVERIFY(c.admitRead(5, kSimSecond / 2)); // node 1
        // Writes go to the primary (node 0), which refilled to 5 as well.
        QVERIFY(!c.admitWrite(6, kSimSecond / 2));
        QVERIFY(c.admitWrite(5, kSimSecond / 2));
        // Busiest node's work in the minute / its budget (10 x 60): node 0 did 15.
        QCOMPARE(c.takeMinuteUtilisation(kSimMinute), 15.0 / 600.0);
    }

    // ---- in a run ----

    void hitsAndMisses()
    {
        // 10 GetItem/s for 60 s over 10 keys (each 1,000 bytes): 600 requests; each key misses
        // once (the first draw of it; all 10 are drawn: P(a key is never drawn) = 10 x 0.9^600
        // ~ 0), the other 590 are hits. Table reads: 10 eventual reads x 0.5 = 5 RRU; the hits
        // offload 590 x 0.5 = 295 RRU.
        auto run = runText(scenario(R"({"nodeType":"dax.r5.large","nodes":3})", workload("r", R"({"GetItem":1})", 10, 10)));
        const auto& t = table(*run);
        QVERIFY(t.dax);
        QCOMPARE(t.dax->misses, std::int64_t(10));
        QCOMPARE(t.dax->hits, std::int64_t(590));
        QCOMPARE(t.requestsRead, std::int64_t(10));
        QCOMPARE(t.consumedRead, 5.0);
        QCOMPARE(t.dax->offloadedReadUnits, 295.0);
        QCOMPARE(t.dax->staleReads, std::int64_t(0));
        QCOMPARE(t.dax->throttled, std::int64_t(0));
        QCOMPARE(t.dax->hitRatio(), 590.0 / 600.0);
        QCOMPARE(run->latency.at("read").count, std::int64_t(600));
        // A hit takes DAX's latency only (lognormal(0.3 ms, 0.5): p50 ~ 0.3 ms); misses add the table's 4 ms.
        QVERIFY(run->latency.at("read").p50Ms < 1.0);
        // Per minute: the one minute holds them all; 10 entries of 1,000 + key + 100 bytes.
        QCOMPARE(t.minutes.at(0).daxHits, std::int64_t(590));
        QCOMPARE(t.minutes.at(0).daxMisses, std::int64_t(10));
        QVERIFY(t.minutes.at(0).daxCacheBytes > 10 * 1100 && t.minutes.at(0).daxCacheBytes < 10 * 1120);
        QVERIFY(t.minutes.at(0).daxNodeUtilisation > 0);
    }

    void ttlExpiry()
    {
        // One key read once a second for 60 s (t = 0 .. 59): with itemTtl 20 s it misses at 0,
        // 20 and 40 (an entry stored at t expires at t + 20): 3 misses, 57 hits.
        auto run = runText(scenario(R"({"nodes":1,"itemTtl":"20s"})", workload("r", R"({"GetItem":1})", 1, 1)));
        QCOMPARE(table(*run).dax->misses, std::int64_t(3));
        QCOMPARE(table(*run).dax->hits, std::int64_t(57));
        // itemTtl 0: never expires: 1 miss.
        auto never = runText(scenario(R"({"nodes":1,"itemTtl":0})", workload("r", R"({"GetItem":1})", 1, 1)));
        QCOMPARE(table(*never).dax->misses, std::int64_t(1));
        QCOMPARE(table(*never).dax->hits, std::int64_t(59));
    }

    void lruEviction()
    {
        // Keys read in turn k0, k1, k0, k1 ... (sequential over 2 keys), 10/s for 60 s. An entry
        // takes 1,000 + key + 100 bytes (~1,104): a 1,500-byte cache holds one, so each read
        // evicts the other key and every read misses (600); a 3,000-byte cache holds both: 2
        // misses, 598 hits.
        const std::string reads = workload("r", R"({"GetItem":1})", 10, 2, "", "sequential");
        auto small = runText(scenario(R"({"nodes":1})", reads, "60s", R"({"daxCacheBytes":1500})"));
        QCOMPARE(table(*small).dax->hits, std::int64_t(0));
        QCOMPARE(table(*small).dax->misses, std::int64_t(600));
        QCOMPARE(table(*small).consumedRead, 300.0); // every read reaches the table: 600 x 0.5
        auto enough = runText(scenario(R"({"nodes":1})", reads, "60s", R"({"daxCacheBytes":3000})"));
        QCOMPARE(table(*enough).dax->misses, std::int64_t(2));
        QCOMPARE(table(*enough).dax->hits, std::int64_t(598));
    }

    void negativeCaching()
    {
        // No items: 5 keys read 10/s for 60 s. "Not found" is cached: 5 misses (each 0.5 RRU, a
        // missing item costs as a 1-byte item), 595 hits offloading 595 x 0.5.
        auto run = runText(scenario(R"({"nodes":1})", workload("r", R"({"GetItem":1})", 10, 5), "60s", "{}", 0));
        const auto& t = table(*run);
        QCOMPARE(t.dax->misses, std::int64_t(5));
        QCOMPARE(t.dax->hits, std::int64_t(595));
        QCOMPARE(t.consumedRead, 2.5);
        QCOMPARE(t.dax->offloadedReadUnits, 297.5);
        // Entries of 0 item bytes + key + 100.
        QVERIFY(t.minutes.at(0).daxCacheBytes > 5 * 100 && t.minutes.at(0).daxCacheBytes < 5 * 120);
        // Empty Query results are cached too: 2 keys, 2 misses.
        auto query = runText(scenario(R"({"nodes":1})", workload("q", R"({"Query":1})", 10, 2), "60s", "{}", 0));
        QCOMPARE(table(*query).dax->misses, std::int64_t(2));
        QCOMPARE(table(*query).dax->hits, std::int64_t(598));
    }

    void batchGetItemKeyByKey()
    {
        // BatchGetItem: each key from the item cache when it holds it, the others in one call to
        // the table. 60 batches of 5 distinct keys out of 10 = 300 keys: each key misses once (10,
        // 10 x 0.5 RRU at the table), the other 290 are hits offloading 290 x 0.5.
        auto run = runText(scenario(R"({"nodes":1})", workload("b", R"({"BatchGetItem":1})", 1, 10, R"(,"batchSize":5)")));
        const auto& t = table(*run);
        QCOMPARE(t.dax->misses, std::int64_t(10));
        QCOMPARE(t.dax->hits, std::int64_t(290));
        QCOMPARE(t.consumedRead, 5.0);
        QCOMPARE(t.dax->offloadedReadUnits, 145.0);
        // Only the batches with a missed key reached the table.
        QVERIFY(t.requestsRead >= 2 && t.requestsRead <= 10);
    }

    void scanPagesCachedAndAdvanced()
    {
        // Scan pages over 10 items of 200 KB (2,000 KB): a page stops at 1 MB, so the scan takes
        // 2 pages (and possibly an empty last one) before it wraps. The query cache is keyed by
        // the whole request (ExclusiveStartKey included) and a hit still moves the workload's
        // scan on, so once a second for 60 s each distinct page misses once (queryTtl 5 min):
        // 2 or 3 misses, the rest hits. (Were hits not moving it on, the first page would be the
        // only request: 1 miss.)
        std::string json = scenario(R"({"nodes":1})", workload("s", R"({"Scan":1})", 1, 10));
        const std::string small = R"("itemSize":{"type":"fixed","size":1000})";
        json.replace(json.find(small), small.size(), R"("itemSize":{"type":"fixed","size":204800})");
        auto run = runText(json);
        const auto& t = table(*run);
        QCOMPARE(t.dax->hits + t.dax->misses, std::int64_t(60));
        QVERIFY2(t.dax->misses >= 2 && t.dax->misses <= 3, qPrintable(QString::number(t.dax->misses)));
        QCOMPARE(t.requestsRead, t.dax->misses);
        // A hit saves what its page cost at the table: on average consumed / misses per hit.
        QVERIFY(t.dax->offloadedReadUnits > 0);
    }

    void writeThrough()
    {
        // One key: a writer puts 5,000-byte items through DAX once a second (t = 0 .. 59), a
        // reader gets it 10 times a second. The put at t = 0 runs before the get at t = 0
        // (workload order), so every read is a hit on the written item (no miss), never stale,
        // each saving the 5,000-byte item's eventual units: ceil(5,000 / 4,096) x 0.5 = 1.
        const std::string workloads = workload("w", R"({"PutItem":1})", 1, 1, R"(,"itemSize":{"type":"fixed","size":5000})")
            + "," + workload("r", R"({"GetItem":1})", 10, 1);
        auto run = runText(scenario(R"({"nodes":3})", workloads));
        const auto& t = table(*run);
        QCOMPARE(t.dax->hits + t.dax->misses, std::int64_t(600));
        QVERIFY(t.dax->misses <= 1);
        QCOMPARE(t.dax->staleReads, std::int64_t(0));
        QCOMPARE(t.dax->offloadedReadUnits, static_cast<double>(t.dax->hits) * 1.0);
        // The writes reached the table: 60 x ceil(5,000 / 1,024) = 60 x 5 WCU.
        QCOMPARE(t.consumedWrite, 300.0);
        QCOMPARE(t.requestsWrite, std::int64_t(60));
        // Deletes through DAX cache "not found": reads after each delete hit a missing item (0.5).
        const std::string deletes = workload("d", R"({"DeleteItem":1})", 1, 1) + "," + workload("r", R"({"GetItem":1})", 10, 1);
        auto deleted = runText(scenario(R"({"nodes":1})", deletes));
        QVERIFY(table(*deleted).dax->misses <= 1);
        QCOMPARE(table(*deleted).dax->staleReads, std::int64_t(0));
        QCOMPARE(table(*deleted).dax->offloadedReadUnits, static_cast<double>(table(*deleted).dax->hits) * 0.5);
    }

    void queryCacheNotUpdatedByWrites()
    {
        // The same writer through DAX with a Query reader: writes never touch query entries
        // (Part C 11), so the one cached page is served for the whole minute (queryTtl 5 min):
        // 1 miss, 599 hits. The page cached at t = 0 (after the write at t = 0: ties run in
        // workload order) matches the table until the write at t = 1 s: the hits at 0.1 .. 0.9 s
        // (9) are fresh, the 590 from 1.0 s on are stale.
        const std::string workloads = workload("w", R"({"PutItem":1})", 1, 1, R"(,"itemSize":{"type":"fixed","size":5000})")
            + "," + workload("q", R"({"Query":1})", 10, 1);
        auto run = runText(scenario(R"({"nodes":3})", workloads));
        const auto& t = table(*run);
        QCOMPARE(t.dax->misses, std::int64_t(1));
        QCOMPARE(t.dax->hits, std::int64_t(599));
        QCOMPARE(t.dax->staleReads, std::int64_t(590));
        // queryTtl 0: no query cache, every Query reaches the table.
        auto uncached = runText(scenario(R"({"nodes":3,"queryTtl":0})", workloads));
        QCOMPARE(table(*uncached).dax->hits, std::int64_t(0));
        QCOMPARE(table(*uncached).dax->misses, std::int64_t(600));
    }

    void strongReadsPassThrough()
    {
        // Strongly consistent reads pass through uncached: 600 reads of 1,000-byte items at 1 RCU.
        auto run = runText(scenario(R"({"nodes":1})", workload("r", R"({"GetItem":1})", 10, 10, R"(,"consistency":"strong")")));
        const auto& t = table(*run);
        QCOMPARE(t.dax->passThrough, std::int64_t(600));
        QCOMPARE(t.dax->hits, std::int64_t(0));
        QCOMPARE(t.dax->misses, std::int64_t(0));
        QCOMPARE(t.consumedRead, 600.0);
        QCOMPARE(t.minutes.at(0).daxMisses, std::int64_t(600)); // passed to the table
        // TransactGetItems as well: 300 transactions of 2 items x 2 RCU.
        auto tx = runText(scenario(R"({"nodes":1})", workload("r", R"({"TransactGetItems":1})", 5, 10)));
        QCOMPARE(table(*tx).dax->passThrough, std::int64_t(300));
        QCOMPARE(table(*tx).consumedRead, 300 * 2 * 2.0);
    }

    void staleReadsFromDirectWrites()
    {
        // The writer goes straight to DynamoDB ("dax": false): the reader's entry, cached at its
        // first read (t = 0, after the write at t = 0), stays as it was for the 5-minute TTL while
        // the writer changes the item every second: the hits at 0.1 .. 0.9 s (9) match the
        // table, every later one (590) is stale.
        const std::string workloads = workload("w", R"({"PutItem":1})", 1, 1, R"(,"dax":false)") + ","
            + workload("r", R"({"GetItem":1})", 10, 1);
        auto run = runText(scenario(R"({"nodes":1})", workloads));
        const auto& t = table(*run);
        QCOMPARE(t.dax->misses, std::int64_t(1));
        QCOMPARE(t.dax->hits, std::int64_t(599));
        QCOMPARE(t.dax->staleReads, std::int64_t(590));
        // The per-minute column says the same.
        QCOMPARE(t.minutes.at(0).daxStaleReads, std::int64_t(590));
    }

    void nodeThrottling()
    {
        // One node with a budget of 100 requests/s; one 1,000-byte key read 500 times a second for
        // 10 s, no retries (maxAttempts 1). A hit costs 1 (1 KB), the first read a miss (10).
        // Admitted: the full bucket 100 + 100/s x 10 s = 1,100 units: 1 miss + ~1,090 hits;
        // the other ~3,900 of the 5,000 are throttled (ThrottlingException), and fail.
        auto run = runText(scenario(R"({"nodes":1})", workload("r", R"({"GetItem":1})", 500, 1), "10s",
            R"({"daxNodeOpsPerSec":100})", 10, R"(,"client":{"maxAttempts":1})"));
        const auto& t = table(*run);
        const double served = static_cast<double>(t.dax->hits + t.dax->misses);
        QVERIFY2(std::abs(served - 1091) <= 1091 * 0.01, qPrintable(QString::number(served)));
        QCOMPARE(t.dax->hits + t.dax->misses + t.dax->throttled, std::int64_t(5000));
        QCOMPARE(t.throttledRead, t.dax->throttled);
        QCOMPARE(t.failedRead, t.dax->throttled);
        // The busiest (only) node used its whole budget: utilisation ~1 in the minute.
        QVERIFY(t.minutes.at(0).daxNodeUtilisation > 0.95);
    }

    void transactWriteReadsBack()
    {
        // TransactWriteItems through DAX: DAX reads each item back transactionally, 2 RCU per
        // item up to 4 KB (Part C 11): 60 transactions of 2 items of 1,000 bytes = 240 RCU.
        // Going straight to DynamoDB costs no read.
        auto through = runText(scenario(R"({"nodes":1})", workload("w", R"({"TransactWriteItems":1})", 1, 10)));
        QCOMPARE(table(*through).consumedRead, 240.0);
        auto direct = runText(scenario(R"({"nodes":1})", workload("w", R"({"TransactWriteItems":1})", 1, 10, R"(,"dax":false)")));
        QCOMPARE(table(*direct).consumedRead, 0.0);
        // The writes themselves: 2 items x 2 x 1 WCU each = 4 per transaction, the same both ways.
        QCOMPARE(table(*through).consumedWrite, 240.0);
        QCOMPARE(table(*direct).consumedWrite, 240.0);
    }

    void costByHand()
    {
        // 3 x dax.r5.large for 90 minutes: ceil(1.5 h) = 2 hours x 3 nodes = 6 node-hours x
        // $0.255 = $1.53; with dax.r5.2xlarge (DERIVED 0.509 x 2 = $1.018/h): 6 x 1.018 = $6.108.
        auto run = runText(scenario(R"({"nodeType":"dax.r5.large","nodes":3})", workload("r", R"({"GetItem":1})", 1, 10), "90m"));
        const auto& t = table(*run);
        QCOMPARE(t.dax->nodeHours, 6.0);
        QVERIFY(std::abs(t.cost.dax - 1.53) < 1e-9);
        QVERIFY(t.uses.dax);
        QVERIFY(std::abs(t.cost.total() - (t.cost.read + t.cost.write + t.cost.storage + t.cost.dax)) < 1e-9);
        // Cost to date by the started hour: minute 0 ends at 60 s: 1 hour x 3 x 0.255 = $0.765;
        // minute 60 ends at 61 min: 2 hours: $1.53.
        QVERIFY(std::abs(t.minutes.at(0).costToDate - 0.765) < 0.001);
        QVERIFY(std::abs(t.minutes.at(60).costToDate - 1.53) < 0.001);
        auto big = runText(scenario(R"({"nodeType":"dax.r5.2xlarge","nodes":3})", workload("r", R"({"GetItem":1})", 1, 10), "90m"));
        QVERIFY(std::abs(table(*big).cost.dax - 6.108) < 1e-9);
        // A table without a cluster has no DAX figures or cost.
        auto none = runText(scenario("", workload("r", R"({"GetItem":1})", 1, 10)));
        QVERIFY(!table(*none).dax);
        QCOMPARE(table(*none).cost.dax, 0.0);
        QVERIFY(!table(*none).uses.dax);
    }

    void summaryOutputs()
    {
        // summary.json: the table's dax block (cli.md: hits, misses, hitRatio, staleReads,
        // nodeHours, and more) and cost.dax; the printed summary's DAX line.
        auto run = runText(scenario(R"({"nodeType":"dax.t3.small","nodes":2})", workload("r", R"({"GetItem":1})", 10, 10)));
        const QJsonObject summary = QJsonDocument::fromJson(QByteArray::fromStdString(summaryJson(*run))).object();
        const QJsonObject t = summary["tables"].toArray().at(0).toObject();
        const QJsonObject dax = t["dax"].toObject();
        QCOMPARE(dax["hits"].toInt(), 590);
        QCOMPARE(dax["misses"].toInt(), 10);
        QCOMPARE(dax["hitRatio"].toDouble(), 0.983333);
        QCOMPARE(dax["staleReads"].toInt(), 0);
        QCOMPARE(dax["nodeHours"].toDouble(), 2.0);
        QCOMPARE(dax["offloadedReadUnits"].toDouble(), 295.0);
        QCOMPARE(dax["nodeType"].toString(), QStringLiteral("dax.t3.small"));
        QCOMPARE(dax["nodes"].toInt(), 2);
        // 2 node-hours x $0.04.
        QCOMPARE(t["cost"].toObject()["dax"].toDouble(), 0.08);
        const std::string text = summaryText(*run);
        QVERIFY2(text.find("dax cache-t: 2 x dax.t3.small, 590 hits, 10 misses (hit ratio 98.3 %)") != std::string::npos, text.c_str());
        // No cluster: neither the block nor the cost line.
        auto none = runText(scenario("", workload("r", R"({"GetItem":1})", 1, 10)));
        const QJsonObject plain
            = QJsonDocument::fromJson(QByteArray::fromStdString(summaryJson(*none))).object()["tables"].toArray().at(0).toObject();
        QVERIFY(!plain.contains("dax"));
        QVERIFY(!plain["cost"].toObject().contains("dax"));
    }

    void pricingWithoutDaxPricesFailsClearly()
    {
        // A pricing file without other.daxNodeHour cannot price a cluster: the run stops naming
        // the scenario field and the pricing field, rather than billing DAX at $0.
        auto loaded = loadScenarioText(scenario(R"({"nodes":1})", workload("r", R"({"GetItem":1})", 1, 1)), ".");
        QVERIFY(loaded.scenario);
        SimulatorOptions options;
        options.pricing = *builtInPricing("us-east-1");
        options.pricing.daxNodeHour.clear();
        Simulator simulator(*loaded.scenario, options);
        auto result = simulator.run();
        QVERIFY(!result);
        const std::string message = result.status().message();
        QVERIFY2(message.find("tables[0].dax.nodeType") != std::string::npos, message.c_str());
        QVERIFY2(message.find("other.daxNodeHour") != std::string::npos, message.c_str());
        // A pricing file's daxNodeHour entries are read as it states them.
        auto parsed = parsePricing(R"({"format":"capsim-pricing/1","region":"x","currency":"USD","effectiveDate":"d",
            "tableClasses":{"STANDARD":{"provisionedReadUnitHour":0,"provisionedWriteUnitHour":0,"onDemandReadPerMillion":0,
            "onDemandWritePerMillion":0,"storageGBMonth":0},"STANDARD_INFREQUENT_ACCESS":{"provisionedReadUnitHour":0,
            "provisionedWriteUnitHour":0,"onDemandReadPerMillion":0,"onDemandWritePerMillion":0,"storageGBMonth":0}},
            "other":{"pitrGBMonth":0,"backupGBMonth":0,"restorePerGB":0,"exportPerGB":0,"importPerGB":0,"streamReadPer100k":0,
            "daxNodeHour":{"dax.r5.xlarge":1.0,"dax.t3.small":-1}}})");
        QVERIFY(!parsed);
        QCOMPARE(parsed.status().message(), std::string("other.daxNodeHour.dax.t3.small: must be a number >= 0"));
    }

    void sampledFidelityDecidesEveryRequest()
    {
        // Sampled at 10 %: DAX still sees every generated request (A13): 600 reads, 10 keys, 10
        // misses and 590 hits as in full fidelity.
        auto run = runText(scenario(R"({"nodes":3})", workload("r", R"({"GetItem":1})", 10, 10), "60s", "{}", 10,
            R"(,"fidelity":{"mode":"sampled","rate":0.1})"));
        QCOMPARE(run->fidelityMode, FidelitySpec::Mode::Sampled);
        QCOMPARE(table(*run).dax->misses, std::int64_t(10));
        QCOMPARE(table(*run).dax->hits, std::int64_t(590));
        QCOMPARE(table(*run).dax->offloadedReadUnits, 295.0);
    }
};

QTEST_GUILESS_MAIN(TestDax)
#include "tst_dax.moc"
