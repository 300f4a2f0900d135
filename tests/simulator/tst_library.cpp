// Every library scenario shows its lesson: each test asserts a figure computed by hand from
// the reference (within 2 %), with the arithmetic beside it.

#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QtTest>

using namespace capsim;

namespace {

std::shared_ptr<const RunResult> runLibrary(const char* file)
{
    const std::string path = std::string(CAPSIM_SOURCE_DIR "/resources/scenarios/") + file;
    auto loaded = loadScenarioFile(path);
    if (!loaded.scenario)
        qFatal("%s does not load:\n%s", file, formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing(loaded.scenario->region);
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("%s failed: %s", file, result.status().toString().c_str());
    return *result;
}

bool within(double actual, double expected, double tolerance = 0.02)
{
    return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

#define QVERIFY_WITHIN(actual, expected)                                                                              \
    QVERIFY2(within(static_cast<double>(actual), static_cast<double>(expected)),                                     \
        qPrintable(QString("%1 = %2, expected %3 within 2 %").arg(#actual).arg(static_cast<double>(actual)).arg(static_cast<double>(expected))))

const RunEvent* findEvent(const RunResult& run, EventKind kind, int occurrence = 0)
{
    for (const auto& e : run.events)
        if (e.kind == kind && occurrence-- == 0)
            return &e;
    return nullptr;
}

} // namespace

class TestLibrary : public QObject {
    Q_OBJECT
private slots:
    void everyScenarioLoads()
    {
        const QDir dir(CAPSIM_SOURCE_DIR "/resources/scenarios");
        const auto files = dir.entryList({ "*.json" });
        QVERIFY(files.size() >= 8);
        for (const auto& f : files) {
            auto loaded = loadScenarioFile(dir.filePath(f).toStdString());
            QVERIFY2(loaded.scenario.has_value(), qPrintable(f + ": " + QString::fromStdString(formatErrors(loaded.errors))));
            QVERIFY2(loaded.scenario->description.size() > 100, qPrintable(f + " needs a lesson description"));
        }
    }

    void burstAbsorbsShortSpike()
    {
        auto run = runLibrary("01-burst-capacity.json");
        const auto& t = run->tables.at(0);
        // 50 writes/s for 14 min + 300 writes/s for 1 min, 1 KB each = 1 WCU:
        // 50 x 840 + 300 x 60 = 60,000 units, all admitted: the spike needs 200 x 60 = 12,000
        // units beyond provisioned and the burst bucket holds 100 x 300 = 30,000.
        QCOMPARE(t.throttledWrite, std::int64_t(0));
        QCOMPARE(t.consumedWrite, 60000.0);
    }

    void burstRunsOut()
    {
        auto run = runLibrary("02-burst-exhausted.json");
        const auto& t = run->tables.at(0);
        // Stored: burst 30,000 + a full allocated second 100 = 30,100 units. The spike draws
        // 200 units/s beyond provisioned: 30,100 / 200 = 150.5 s. For the remaining 89.5 s of the
        // 240 s spike, 200 writes/s are throttled: 17,900.
        QVERIFY_WITHIN(t.throttledWrite, 17900);
        QCOMPARE(t.failedWrite, t.throttledWrite); // maxAttempts 1
    }

    void hotKeyThrottlesWithSpareCapacity()
    {
        auto run = runLibrary("03-hot-key.json");
        const auto& t = run->tables.at(0);
        // 5 partitions. The hot key's partition gets 1,200 + 400 / 5 = 1,280 writes/s of 1 WCU and
        // serves 1,000/s (hard limit) plus its hard bucket's first full second (1,000):
        // 280 x 60 - 1,000 = 15,800 throttled, while the table consumes 1,600 of 4,000 units/s.
        QCOMPARE(t.partitionsFinal, std::int64_t(5));
        QVERIFY_WITHIN(t.throttledWrite, 15800);
        QVERIFY(t.consumedWrite / 60.0 < 0.5 * 4000);
        QCOMPARE(t.splits, std::int64_t(0)); // one hot item: no split for heat
        QCOMPARE(t.hottestKeys.at(0).key, std::string("k0"));
    }

    void autoScalingLags()
    {
        auto run = runLibrary("04-autoscaling-lag.json");
        const auto& t = run->tables.at(0);
        // Above 70 % of 10 from minute 5; two datapoints (minutes 5 and 6) -> decision at 7:00;
        // consumed is capped at 10, so new capacity = ceil(10 / 0.7) = 15, in force at 9:00.
        const RunEvent* first = findEvent(*run, EventKind::ScaleOut, 0);
        QVERIFY(first);
        QCOMPARE(first->timeSeconds, 420.0);
        QVERIFY(QString::fromStdString(eventText(*first)).contains("10 -> 15"));
        const RunEvent* effective = findEvent(*run, EventKind::CapacityChanged, 0);
        QCOMPARE(effective->timeSeconds, 540.0);
        // Minutes 9 and 10 at 15 > 10.5 -> decision at 11:00: ceil(15 / 0.7) = 22 at 13:00.
        const RunEvent* second = findEvent(*run, EventKind::ScaleOut, 1);
        QCOMPARE(second->timeSeconds, 660.0);
        QVERIFY(QString::fromStdString(eventText(*second)).contains("15 -> 22"));
        // Throttled: (20 - 10) x 240 s + (20 - 15) x 240 s = 3,600, less the first full second.
        QVERIFY_WITHIN(t.throttledWrite, 3600);
    }

    void retryStorm()
    {
        auto run = runLibrary("05-retry-storm.json");
        const auto& t = run->tables.at(0);
        // The table admits exactly its capacity: 10 units/s x 120 s + the first full second = 1,210.
        QVERIFY_WITHIN(t.consumedWrite, 1210);
        // The application sent 30 x 120 = 3,600 writes; retries make the attempts several times that.
        QVERIFY(t.requestsWrite > 5 * 3600);
        // Everything not admitted within 10 attempts failed: at least 3,600 - 1,210 - (in flight).
        QVERIFY(t.failedWrite > 2000);
    }

    void onDemandDoublesPreviousPeak()
    {
        auto run = runLibrary("06-on-demand-surge.json");
        const auto& t = run->tables.at(0);
        // Minutes 0-4 at 15 writes/s under a 20 ceiling: nothing throttled; peak becomes 15.
        for (int m = 0; m < 5; ++m)
            QCOMPARE(t.minutes.at(static_cast<std::size_t>(m)).throttledWrite, std::int64_t(0));
        // Minute 5: ceiling 30, demand 100: 70 x 60 = 4,200 throttled; peak 30 -> ceiling 60.
        // Minute 6: 40 x 60 = 2,400; peak 60 -> ceiling 120; then nothing. Total 6,600.
        QVERIFY_WITHIN(t.throttledWrite, 6600);
        // From minute 7 the ceiling (120) is above demand: at most a stray request while the
        // buckets settle.
        QVERIFY(t.minutes.at(7).throttledWrite < 60);
        QCOMPARE(t.minutes.at(8).throttledWrite, std::int64_t(0));
        // The ceiling after minute 5 is 2 x its consumed mean: 30 units/s plus the second of
        // capacity the buckets had stored (4 partitions x 7.5 + the table's 30 lent):
        // 2 x (30 x 60 + 60) / 60 = 62.
        QVERIFY_WITHIN(t.minutes.at(5).provisionedWrite, 62.0);
    }

    void monthOfAutoScaling()
    {
        auto run = runLibrary("20-month-of-auto-scaling.json");
        QCOMPARE(run->fidelityMode, FidelitySpec::Mode::Fluid); // 2.6 billion requests: auto picks fluid
        const auto& provisioned = run->tables.at(0);
        const auto& onDemand = run->tables.at(1);
        // Diurnal 500/s for 30 days = 1,296,000,000 requests per table: 60 % reads of 0.5 RCU =
        // 388,800,000 RRU, 40 % writes of 1 WCU = 518,400,000 WRU.
        QVERIFY_WITHIN(provisioned.requestsRead + provisioned.requestsWrite, 1296000000.0);
        QVERIFY_WITHIN(onDemand.consumedRead, 388800000.0);
        QVERIFY_WITHIN(onDemand.consumedWrite, 518400000.0);
        // On demand: 388.8 x $0.125 + 518.4 x $0.625 = $372.60 (+ storage).
        QVERIFY_WITHIN(onDemand.cost.read + onDemand.cost.write, 372.60);
        // Auto scaling keeps the daily cycle served: nothing throttled once it has caught up,
        // provisioned about consumed / 0.7 (150 RCU, 200 WCU consumed on average), a little above
        // since scale-ins trail the evening decline.
        QCOMPARE(provisioned.throttledRead + provisioned.throttledWrite, std::int64_t(0));
        const double hours = 720;
        QVERIFY(provisioned.provisionedUnitHoursRead / hours > 150 / 0.75 && provisioned.provisionedUnitHoursRead / hours < 150 / 0.6);
        QVERIFY(provisioned.provisionedUnitHoursWrite / hours > 200 / 0.75 && provisioned.provisionedUnitHoursWrite / hours < 200 / 0.6);
        // The lesson: provisioned with auto scaling costs under half of on-demand for this cycle.
        QVERIFY(provisioned.cost.total() < 0.5 * onDemand.cost.total());
        QVERIFY(findEvent(*run, EventKind::ScaleIn));
        QVERIFY(findEvent(*run, EventKind::ScaleOut));
    }

    void transactionsCostDouble()
    {
        auto run = runLibrary("12-transactions.json");
        // 10 minutes of 100 items/s of 1,000 bytes (1 WCU each), uniform arrivals: 60,000 items per table.
        // SingleWrites: 60,000 PutItem x 1 WCU = 60,000 WCU; on demand 60,000 x $0.625/M = $0.0375.
        // TransactionalWrites: 30,000 TransactWriteItems x 2 Puts x 1 WCU x 2 (transactional) =
        // 120,000 WCU = $0.075, for the same 60,000 items.
        const auto& single = run->tables.at(0);
        const auto& transactional = run->tables.at(1);
        QCOMPARE(single.throttledWrite, std::int64_t(0));
        QCOMPARE(transactional.throttledWrite, std::int64_t(0));
        QVERIFY_WITHIN(single.requestsWrite, 60000);
        QVERIFY_WITHIN(transactional.requestsWrite, 30000);
        QVERIFY_WITHIN(single.consumedWrite, 60000);
        QVERIFY_WITHIN(transactional.consumedWrite, 120000);
        QVERIFY_WITHIN(single.cost.write, 0.0375);
        QVERIFY_WITHIN(transactional.cost.write, 0.075);
    }

    void breakEven()
    {
        auto run = runLibrary("07-break-even.json");
        // One hour. Steady 20 writes/s = 72,000 writes: on demand 72,000 x $0.625/M = $0.045;
        // provisioned 29 WCU x $0.00065 + 1 RCU x $0.00013 = $0.01898.
        // Spiky 2 writes/s x 3,300 s + 200 x 300 s = 66,600 writes: on demand $0.041625;
        // provisioned for the peak 200 WCU x $0.00065 + $0.00013 = $0.13013.
        const double storageSlack = 0.0001;
        QVERIFY_WITHIN(run->tables.at(0).cost.total() - run->tables.at(0).cost.storage, 0.01898);
        QVERIFY_WITHIN(run->tables.at(1).cost.write, 0.045);
        QVERIFY_WITHIN(run->tables.at(2).cost.total() - run->tables.at(2).cost.storage, 0.13013);
        QVERIFY_WITHIN(run->tables.at(3).cost.write, 0.041625);
        QVERIFY(run->tables.at(0).cost.storage < storageSlack);
        // Steady: provisioned wins; spiky: on-demand wins.
        QVERIFY(run->tables.at(0).cost.total() < run->tables.at(1).cost.total());
        QVERIFY(run->tables.at(3).cost.total() < run->tables.at(2).cost.total());
    }

    void standardVersusInfrequentAccess()
    {
        auto run = runLibrary("08-standard-vs-ia.json");
        const auto& standard = run->tables.at(0);
        const auto& ia = run->tables.at(1);
        // 52,429 items x (409,600 + 100) bytes = 21,480,... bytes = 20.005 GiB, for 720 h of a
        // 730-hour month: Standard 20.005 x $0.25 x 720 / 730 = $4.933; IA x $0.10 = $1.973.
        const double gib = 52429.0 * (409600 + 100) / 1073741824.0;
        QVERIFY_WITHIN(standard.storageBytes, 52429.0 * (409600 + 100));
        QVERIFY_WITHIN(standard.cost.storage, gib * 0.25 * 720 / 730);
        QVERIFY_WITHIN(ia.cost.storage, gib * 0.10 * 720 / 730);
        // Throughput, 10 RCU + 10 WCU for 720 h: Standard $5.616, IA $6.984.
        QVERIFY_WITHIN(standard.cost.read + standard.cost.write, 720 * 10 * (0.00013 + 0.00065));
        QVERIFY_WITHIN(ia.cost.read + ia.cost.write, 720 * 10 * (0.00016 + 0.00081));
        QVERIFY(ia.cost.total() < standard.cost.total());
        QCOMPARE(run->fidelityMode, FidelitySpec::Mode::Sampled);
    }

    void gsiWriteAmplification()
    {
        auto run = runLibrary("10-gsi-write-amplification.json");
        QCOMPARE(run->tables.size(), std::size_t(4));
        // 10 new items/s (sequential keys) for 120 s = 1,200 PutItems of 2,000 bytes:
        // ceil(2000 / 1024) = 2 WCU each on every table = 2,400.
        for (const auto& t : run->tables) {
            QCOMPARE(t.throttledWrite, std::int64_t(0));
            QVERIFY_WITHIN(t.consumedWrite, 2400);
        }
        QCOMPARE(run->tables[0].indexes.size(), std::size_t(0));
        // An ALL-projected entry is the whole 2,000-byte item: 2 more WCU per write on each GSI
        // (reference A2): 1 GSI = 2,400, 3 GSIs = 3 x 2,400 = 7,200 beside the table's 2,400.
        const auto& one = run->tables[1];
        QCOMPARE(one.indexes.size(), std::size_t(1));
        QVERIFY_WITHIN(one.indexes[0].consumedWrite, 2400);
        double three = 0;
        for (const auto& index : run->tables[2].indexes)
            three += index.consumedWrite;
        QCOMPARE(run->tables[2].indexes.size(), std::size_t(3));
        QVERIFY_WITHIN(three, 7200);
        // KEYS_ONLY: the entry holds the table key and the index key (under 1 KB): 1 WCU per
        // write = 1,200.
        QVERIFY_WITHIN(run->tables[3].indexes[0].consumedWrite, 1200);
        // Index storage: ALL entries are 2,000 + 100 bytes overhead: 1,200 x 2,100 = 2,520,000.
        QVERIFY_WITHIN(one.indexes[0].storageBytes, 2520000);
        // Each GSI's provisioned 5 RCU / 100 WCU for 2 minutes: (5 x 0.00013 + 100 x 0.00065) / 30
        // = 0.0021883 USD, which cost.indexes adds to the table's bill.
        QVERIFY_WITHIN(one.cost.indexes, 0.0021883);
        QVERIFY_WITHIN(run->tables[2].cost.indexes, 3 * 0.0021883);
        QVERIFY_WITHIN(one.cost.total(), 2 * run->tables[0].cost.total());
    }

    void gsiBackPressure()
    {
        auto run = runLibrary("11-gsi-backpressure.json");
        const auto& t = run->tables.at(0);
        QCOMPARE(t.indexes.size(), std::size_t(1));
        const auto& gsi = t.indexes[0];
        // 20 writes/s for 120 s = 2,400, 1 WCU each on the table and 1 on the ALL GSI. The GSI
        // has 5 WCU and no burst: it admits 5/s plus its first full second, 5 x 120 + 5 = 605;
        // every other write is throttled on the base table (maxAttempts 1): 2,400 - 605 = 1,795.
        QCOMPARE(t.requestsWrite, std::int64_t(2400));
        QVERIFY_WITHIN(t.throttledWrite, 1795);
        QVERIFY_WITHIN(t.consumedWrite, 605);
        QVERIFY_WITHIN(gsi.consumedWrite, 605);
        QVERIFY_WITHIN(gsi.throttledWrite, 1795);
        // ... while the table uses 605 / 120 = 5 units/s of its 100.
        QVERIFY(t.consumedWrite / 120.0 < 0.1 * 100);
        QVERIFY(findEvent(*run, EventKind::ThrottleStart));
        QCOMPARE(gsi.minutes.at(0).throttledWrite + gsi.minutes.at(1).throttledWrite, gsi.throttledWrite);
    }

    void splitDilutesThroughput()
    {
        auto run = runLibrary("09-split-dilution.json");
        const auto& t = run->tables.at(0);
        const RunEvent* split = findEvent(*run, EventKind::PartitionSplit);
        QVERIFY(split);
        // 510 x 102,500 = 52,275,000 billable bytes; 50 MB = 52,428,800. New products add 1,124
        // bytes each at 5/s, and the hot item shrinks 102,400 -> 500 bytes first:
        // (153,800 + 101,900) / 1,124 = 227.5 puts -> 45.5 s.
        QVERIFY_WITHIN(split->timeSeconds, 45.5);
        // After it each child has 100 WCU; the hot item's child gets 135 + 2.5 writes/s:
        // 37.5 x (300 - 45.5) = 9,544 throttled, with the table using ~140 of 200 units/s.
        QVERIFY_WITHIN(t.throttledWrite, 9544);
        QVERIFY(t.consumedWrite / 300.0 < 200);
    }

    // Issue 8: a lesson's text quotes figures its own run must show. Each row is a phrase the
    // description must contain and the run's figure it quotes, checked to the phrase's precision.
    // 14: the same expiry by a cleanup job's DeleteItems and by TTL (reference A6, A2, A5).
    void ttlDeletesCostNothing()
    {
        auto run = runLibrary("14-ttl-deletes-cost-nothing.json");
        const TableResult& cleanup = run->tables.at(0);
        const TableResult& ttl = run->tables.at(1);
        // Puts: 10/s uniform for 3,600 s = 36,000 on each table, 1 WRU each (1,000 bytes <= 1 KB).
        // Cleanup deletes: 10/s from 60 s = 35,400, 1 WRU each (the deleted item's 1,000 bytes).
        QCOMPARE(cleanup.consumedWrite, 36000.0 + 35400.0);
        QCOMPARE(ttl.consumedWrite, 36000.0);
        QCOMPARE(ttl.requestsWrite, std::int64_t(36000));
        // TTL: items expire 60 s after their write and go 600 s later: those written before
        // 3,600 - 660 = 2,940 s are deleted by the end: 29,400 (+ the writes of its last tenth of
        // a second), free of capacity.
        QVERIFY(ttl.ttl);
        QVERIFY_WITHIN(ttl.ttl->deleted, 29400);
        QCOMPARE(ttl.ttl->meanDelaySeconds, 600.0);
        // The cleanup job's deletes cost 35,400 x $0.625 / 1e6 = $0.022125 more in writes.
        QVERIFY(std::abs((cleanup.cost.write - ttl.cost.write) - 35400 * 0.625 / 1e6) < 1e-12);
    }

    // 15: PITR on a growing table against weekly backups (reference A5, A8; A13 sampled weights).
    void pitrCostGrows()
    {
        auto run = runLibrary("15-pitr-cost-grows.json");
        const TableResult& t = run->tables.at(0);
        const double item = 409600 + 100; // billable bytes of a 400 KB document
        const double rate = 0.1; // documents a second
        const double T = 30 * 86400.0;
        const double gbMonth = 1073741824.0 * 730 * 3600; // byte-seconds in a GB-month
        // Size at t: rate x t x item; PITR = $0.20 x integral / GB-month = 0.20 x rate x item x T^2 / 2
        // / GB-month = $9.75 (48.8 GB-months); storage at $0.25: $12.19.
        const double area = rate * item * T * T / 2;
        QVERIFY_WITHIN(t.cost.pitr, 0.20 * area / gbMonth);
        QVERIFY_WITHIN(t.cost.storage, 0.25 * area / gbMonth);
        QVERIFY_WITHIN(t.storageBytes, rate * T * item); // 106,194,240,000 bytes = 98.9 GB
        // Four weekly backups at d = 7, 14, 21, 28 days, each rate x d x item bytes kept (30 - d)
        // days: $0.10 x sum(size x (30 - d) days) / GB-month = $6.83.
        QCOMPARE(t.backups.size(), std::size_t(4));
        double backups = 0;
        for (int w = 1; w <= 4; ++w) {
            const double at = 7.0 * w * 86400;
            const double size = rate * at * item;
            QVERIFY_WITHIN(t.backups[w - 1].sizeBytes, size);
            backups += 0.10 * size * (T - at) / gbMonth;
        }
        QVERIFY_WITHIN(t.cost.backups, backups);
        QVERIFY(t.cost.pitr > t.cost.backups);
    }

    // 18: every replica pays for every write (reference A11, A1, A5, C 12).
    void replicaWriteCost()
    {
        auto run = runLibrary("18-replica-write-cost.json");
        QCOMPARE(run->tables.size(), std::size_t(3));
        // 10 PutItems a second, uniform arrivals at t = k / 10 for k = 0 .. 5,400 (the step to 0
        // is at 540 s): 5,401 writes of 1,000 bytes, 1 WRU each, on every table.
        const double writes = 5401;
        const double wru = 0.625 / 1e6; // on-demand WRU, Standard (A5); replicated WRU the same (C 12)
        const double transfer = writes * 1000 / 1073741824.0 * 0.02; // crossRegionPerGB x item GB = $0.0001006
        for (std::size_t regions = 1; regions <= 3; ++regions) {
            const TableResult& t = run->tables.at(regions - 1);
            QCOMPARE(t.requestsWrite, std::int64_t(5401));
            QCOMPARE(t.consumedWrite, writes); // the origin's own units
            // The origin pays its writes in its write line, as any table: 5,401 x $0.625 / 1e6 = $0.003375625.
            QVERIFY(std::abs(t.cost.write - writes * wru) < 1e-12);
            // Each other replica: the same 5,401 units as replicated WRU plus the items' transfer:
            // $0.003375625 + $0.000100601 = $0.003476226 per extra region.
            QVERIFY2(std::abs(t.cost.replication - double(regions - 1) * (writes * wru + transfer)) < 1e-12,
                qPrintable(QString::number(t.cost.replication, 'g', 12)));
            // Write-related bill: regions x $0.003375625 + (regions - 1) x $0.000100601:
            // $0.0033756, $0.0068518, $0.0103280.
            QVERIFY(std::abs(t.cost.write + t.cost.replication - (double(regions) * writes * wru + double(regions - 1) * transfer)) < 1e-12);
            QCOMPARE(t.replicas.size(), regions - 1);
            if (regions == 1) {
                QVERIFY(t.replicaSummaries.empty());
                QVERIFY(!t.uses.replication);
                QCOMPARE(t.storageBytes, std::int64_t(5401 * (1000 + 100))); // 100 B per item (A1)
                continue;
            }
            QCOMPARE(t.replicaSummaries.size(), regions);
            QCOMPARE(t.replicaSummaries[0].region, std::string("us-east-1")); // own region first
            QCOMPARE(t.replicaSummaries[0].replicatedWrites, std::int64_t(0));
            // Storage: 148 B per item in a global table, in every replica (A1, A11): 5,401 x 1,148.
            QCOMPARE(t.storageBytes, std::int64_t(5401 * (1000 + 148)));
            for (std::size_t i = 1; i < regions; ++i) {
                const ReplicaSummary& r = t.replicaSummaries[i];
                QCOMPARE(r.region, std::string(i == 1 ? "us-west-2" : "eu-west-1"));
                QCOMPARE(r.replicatedWrites, std::int64_t(5401)); // all arrive before the quiet minute ends
                QCOMPARE(r.conflicts, std::int64_t(0)); // one writer
                QCOMPARE(r.storageBytes, std::int64_t(5401 * (1000 + 148)));
                // Lag: model.replicationLatency lognormal(1 s, 0.4): median 1 s; its largest of
                // 5,401 draws is near exp(0.4 x 3.7) = 4.4 s.
                QVERIFY2(r.maxLagSeconds > 2.5 && r.maxLagSeconds < 7, qPrintable(QString::number(r.maxLagSeconds)));
                const TableResult& replica = t.replicas[i - 1];
                QCOMPARE(replica.region, r.region);
                QCOMPARE(replica.consumedWrite, writes); // the replicated units, charged to its buckets
                QCOMPARE(replica.requestsWrite, std::int64_t(0));
                QCOMPARE(replica.cost.write, 0.0);
                QVERIFY(std::abs(replica.cost.replication - (writes * wru + transfer)) < 1e-12);
            }
        }
        // The run's total is the tables' (each global table's lines hold every replica's).
        double total = 0;
        for (const auto& t : run->tables)
            total += t.cost.total();
        QCOMPARE(run->costTotal(), total);
    }

    // 19: a region outage: failed requests, a backlog that drains at the catch-up rate, lag about
    // the outage's length, conflicts after recovery (reference A11).
    void regionOutage()
    {
        auto run = runLibrary("19-region-outage.json");
        const TableResult& t = run->tables.at(0);
        QCOMPARE(t.replicaSummaries.size(), std::size_t(3));
        const TableResult& west = t.replicas.at(0);
        QCOMPARE(west.region, std::string("us-west-2"));
        // us-east-1's users: 10 UpdateItems a second for 1,500 s, all served.
        QCOMPARE(t.requestsWrite, std::int64_t(15000));
        QCOMPARE(t.failedWrite, std::int64_t(0));
        // us-west-2's users during the outage [600 s, 1,200 s): 10/s x 600 s = 6,000 requests fail
        // at once (no retries, no units, not counted as requests that reached a table).
        QCOMPARE(west.failedWrite, std::int64_t(6000));
        std::int64_t failedInOutage = 0;
        for (const auto& m : west.minutes)
            failedInOutage += (m.minute >= 10 && m.minute < 20) ? m.failedWrite : 0;
        QCOMPARE(failedInOutage, std::int64_t(6000));
        // Backlog for us-west-2 at the end of minute m of the outage (10..19): us-east-1's changes
        // since 600 s, 10/s x 60 s x (m - 9) = 600 (m - 9), plus the few in flight at its start.
        for (std::int64_t m = 10; m < 20; ++m) {
            const MinuteRow& row = west.minutes.at(static_cast<std::size_t>(m));
            const double expected = 600.0 * static_cast<double>(m - 9);
            QVERIFY2(std::abs(static_cast<double>(row.replicationBacklog) - expected) <= 30,
                qPrintable(QString("minute %1 backlog %2, expected %3").arg(m).arg(row.replicationBacklog).arg(expected)));
        }
        // Recovery at 1,200 s: ~6,000 changes drain at 5,000 a second (model.replicationCatchUpRate)
        // in ~1.2 s, so minute 20 ends with only the changes in flight, as before the outage:
        // 10 a second x ~1 s of replication latency.
        QVERIFY2(west.minutes.at(20).replicationBacklog < 30, qPrintable(QString::number(west.minutes.at(20).replicationBacklog)));
        QVERIFY2(west.minutes.at(9).replicationBacklog < 30, qPrintable(QString::number(west.minutes.at(9).replicationBacklog)));
        QVERIFY(west.minutes.at(20).replicatedWrites >= 6000);
        // Lag: the oldest queued change was committed just before 600 s and applied just after
        // 1,200 s: ~600 s, the outage's length (A11: lag = apply - commit).
        const double lag = west.minutes.at(20).replicationLagSeconds;
        QVERIFY2(lag > 598 && lag < 606, qPrintable(QString::number(lag)));
        QCOMPARE(t.replicaSummaries[1].maxLagSeconds, lag);
        // Without the outage the lag is the latency model's: under 10 s in every other minute.
        for (const auto& m : west.minutes)
            if (m.minute != 20)
                QVERIFY2(m.replicationLagSeconds < 10, qPrintable(QString("minute %1 lag %2").arg(m.minute).arg(m.replicationLagSeconds)));
        // Conflicts: us-west-2's users write again from 1,200 s while the queue drains; a queued
        // (older) us-east-1 change of a profile updated since then loses (last writer wins).
        // Normally a conflict needs both regions to update one of 500 profiles within ~1 s: about
        // 600 arrivals x 10/500 x 1 s = 12 a minute; minute 20 has more.
        double before = 0;
        for (std::int64_t m = 0; m < 10; ++m)
            before += static_cast<double>(west.minutes.at(static_cast<std::size_t>(m)).conflicts);
        QVERIFY2(before / 10 > 3 && before / 10 < 30, qPrintable(QString::number(before / 10)));
        QVERIFY2(static_cast<double>(west.minutes.at(20).conflicts) > 2 * before / 10,
            qPrintable(QString("minute 20 conflicts %1, normal %2").arg(west.minutes.at(20).conflicts).arg(before / 10)));
        QString figures;
        for (const auto& m : west.minutes)
            figures += QString(" %1:%2/%3/%4").arg(m.minute).arg(m.replicationBacklog).arg(m.conflicts).arg(m.replicationLagSeconds, 0, 'f', 1);
        qInfo("us-west-2 minute:backlog/conflicts/lag%s", qPrintable(figures));
        // The outage's start and end are events of the run.
        int outages = 0;
        for (const auto& e : run->events)
            if (const auto* o = std::get_if<RegionOutageChange>(&e.payload)) {
                QCOMPARE(o->region, std::string("us-west-2"));
                QCOMPARE(e.timeSeconds, o->down ? 600.0 : 1200.0);
                ++outages;
            }
        QCOMPARE(outages, 2);
    }

    // 16: export and import bill bytes, PutItem bills items rounded up to 1 KB (reference A5, A9, A2).
    void exportImportPerGb()
    {
        auto run = runLibrary("16-export-import-per-gb.json");
        QCOMPARE(run->tables.size(), std::size_t(6));
        const double gib = 1073741824.0;
        // Exports: 200 x (99,900 + 100) = 20,000 x (900 + 100) = 20,000,000 bytes: $0.10 x 20e6 / 2^30 each.
        for (int i : { 0, 1 }) {
            const TableResult& t = run->tables.at(i);
            QCOMPARE(t.exports.size(), std::size_t(1));
            QCOMPARE(t.exports[0].sizeBytes, std::int64_t(20000000));
            QCOMPARE(t.exports[0].status, std::string("COMPLETED"));
            QVERIFY(std::abs(t.cost.dataExport - 0.10 * 20e6 / gib) < 1e-12);
        }
        // Scan pages stop at the item reaching 1 MB (1,048,576 bytes): 11 x 99,900 = 1,098,900 bytes,
        // ceil(/ 4,096) = 269 units / 2 = 134.5 RRU; 1,166 x 900 = 1,049,400, 257 / 2 = 128.5. 15 Scans each.
        QCOMPARE(run->tables.at(0).consumedRead, 15 * 134.5);
        QCOMPARE(run->tables.at(1).consumedRead, 15 * 128.5);
        QCOMPARE(run->tables.at(0).exports[0].itemCount, std::int64_t(200));
        QCOMPARE(run->tables.at(1).exports[0].itemCount, std::int64_t(20000));
        // Imports: 101,011 source bytes each: $0.15 x 101,011 / 2^30 = $0.0000141; 10 and 1,000 items.
        for (int i : { 4, 5 }) {
            const TableResult& t = run->tables.at(i);
            QCOMPARE(t.imports.size(), std::size_t(1));
            QCOMPARE(t.imports[0].sizeBytes, std::int64_t(101011));
            QVERIFY(std::abs(t.cost.dataImport - 0.15 * 101011 / gib) < 1e-15);
        }
        QCOMPARE(run->tables.at(4).imports[0].itemCount, std::int64_t(10));
        QCOMPARE(run->tables.at(5).imports[0].itemCount, std::int64_t(1000));
        // PutItem of the same rows: 10 x ceil(10,107 / 1,024) = 100 WRU; 1,000 x 1 WRU (108 bytes).
        QCOMPARE(run->tables.at(2).consumedWrite, 100.0);
        QCOMPARE(run->tables.at(3).consumedWrite, 1000.0);
        // 1,000 WRU x $0.625 / 1e6 = $0.000625, 44 times the import's $0.0000141.
        QVERIFY(std::abs(run->tables.at(3).cost.write - 0.000625) < 1e-12);
        QVERIFY_WITHIN(run->tables.at(3).cost.write / run->tables.at(5).cost.dataImport, 0.000625 / (0.15 * 101011 / gib));
    }

    void streamFanOutCosts()
    {
        auto run = runLibrary("13-stream-fan-out.json");
        const auto& orders = run->tables.at(0);
        const auto& history = run->tables.at(1);
        QVERIFY(orders.streams);
        const auto& copier = orders.streams->consumers.at(0);
        const auto& audit = orders.streams->consumers.at(1);
        const auto& search = orders.streams->consumers.at(2);
        // Orders has 1 partition, so its stream 1 shard (reference A7), polled at 0, 1, ..., 3,599 s
        // by each reader: 3,600 GetRecords calls each (each batch ends well within the second).
        QCOMPARE(copier.reads, std::int64_t(3600));
        QCOMPARE(audit.reads, std::int64_t(3600));
        QCOMPARE(search.reads, std::int64_t(3600));
        // Billable: the clients' 2 x 3,600 = 7,200 calls; Lambda's are free (A5).
        // 7,200 x $0.02 / 100,000 = $0.00144.
        QCOMPARE(orders.streams->readRequestUnits, std::int64_t(7200));
        QVERIFY2(std::abs(orders.cost.streams - 0.00144) < 1e-12, qPrintable(QString::number(orders.cost.streams, 'g', 17)));
        QCOMPARE(history.cost.streams, 0.0);
        // 5 orders/s for 3,600 s = 18,000 new items: 18,000 records; the copier writes each it
        // read into OrderHistory (the last ones of the hour still in flight at the end).
        QVERIFY_WITHIN(orders.streams->records, 18000);
        QCOMPARE(copier.writes, copier.records);
        QCOMPARE(history.requestsWrite, copier.writes);
        QCOMPARE(history.throttledWrite, std::int64_t(0));
        QCOMPARE(audit.records, search.records);
        QVERIFY(orders.streams->records - copier.records <= 10);
        // Lag: at least the 100 ms processing, at most the 1 s poll + 100 ms + the batch's writes.
        QVERIFY(copier.maxLagSeconds >= 0.1 && copier.maxLagSeconds < 1.5);
    }

    void daxOffloadAndBreakEven()
    {
        auto offload = runLibrary("17-dax-offload.json");
        auto tooSmall = runLibrary("17-dax-cache-too-small.json");
        const auto& with = offload->tables.at(0);
        const auto& without = offload->tables.at(1);
        const auto& small = tooSmall->tables.at(0);
        // Without DAX: 15 reads/s x 3,600 s = 54,000 eventual reads of 204,800-byte items, each
        // ceil(204,800 / 4,096) x 0.5 = 25 RRU: 1,350,000 RRU x $0.125 / M = $0.16875.
        const double readsPerRun = 15.0 * 3600;
        const double unitsPerRead = 25;
        const double readCostWithout = readsPerRun * unitsPerRead * 0.125 / 1e6;
        QCOMPARE(without.requestsRead, std::int64_t(54000));
        QCOMPARE(without.consumedRead, readsPerRun * unitsPerRead);
        QVERIFY_WITHIN(without.cost.read, 0.16875);
        // Node-hours: 3 dax.t3.small x ceil(1 h) = 3 x $0.04 = $0.12, whatever the traffic.
        const double nodeCost = 3 * 1 * 0.04;
        for (const auto* t : { &with, &small }) {
            QVERIFY(t->dax);
            QCOMPARE(t->dax->nodeHours, 3.0);
            QVERIFY(std::abs(t->cost.dax - nodeCost) < 1e-12);
            QCOMPARE(t->dax->throttled, std::int64_t(0));
            QCOMPARE(t->dax->hits + t->dax->misses, std::int64_t(54000));
            // Every miss is one eventual table read of 25 RRU; every hit saves the same 25.
            QCOMPARE(t->consumedRead, static_cast<double>(t->dax->misses) * unitsPerRead);
            QCOMPARE(t->dax->offloadedReadUnits, static_cast<double>(t->dax->hits) * unitsPerRead);
        }
        // Break-even hit ratio h* = node cost / read cost without DAX = 0.12 / 0.16875 = 0.7111.
        const double breakEven = nodeCost / readCostWithout;
        QVERIFY(std::abs(breakEven - 0.7111) < 0.0001);
        // The run reports it: the hits' reads priced at $0.125 / M RRU, and h* from them.
        for (const auto* t : { &with, &small }) {
            QVERIFY_WITHIN(t->dax->offloadedReadCost, t->dax->offloadedReadUnits * 0.125 / 1e6);
            QVERIFY(std::abs(daxBreakEvenHitRatio(*t) - breakEven) < 1e-9);
        }
        QCOMPARE(daxBreakEvenHitRatio(without), 0.0);
        // The read cost with DAX is (1 - h) x the read cost without, so DAX's net saving is
        // (h - h*) x $0.16875.
        for (const auto* t : { &with, &small }) {
            const double h = t->dax->hitRatio();
            QVERIFY_WITHIN(t->cost.read, (1 - h) * readCostWithout);
            const double saving = without.cost.read - (t->cost.read + t->cost.dax);
            QVERIFY(std::abs(saving - (h - breakEven) * readCostWithout) < 0.0005);
        }
        // The cache holds every item: key k (zipf rank k, p_k = k^-0.8 / sum_j j^-0.8, read at
        // lambda_k = 15 p_k per s) misses on its first read, then once per TTL + wait for the next
        // read, a renewal cycle c_k = 300 s + 1 / lambda_k; over T = 3,600 s that is
        // (T + TTL) / c_k - 1/2 misses on average. The sum over the 200 keys is ~2,298 (hit
        // ratio 95.7 %, the run 95.75 %); a Monte Carlo of the same draws gives 2,294 +- 5, so 2 % is ~9 standard
        // deviations plus the approximation's 0.2 %.
        double harmonic = 0;
        for (int k = 1; k <= 200; ++k)
            harmonic += std::pow(k, -0.8);
        double expectedMisses = 0;
        for (int k = 1; k <= 200; ++k) {
            const double lambda = 15 * std::pow(k, -0.8) / harmonic;
            expectedMisses += (3600.0 + 300) / (300 + 1 / lambda) - 0.5;
        }
        QVERIFY(std::abs(expectedMisses - 2298) < 1);
        QVERIFY_WITHIN(with.dax->misses, expectedMisses);
        QVERIFY(with.dax->hitRatio() > breakEven);
        QVERIFY(with.cost.total() < without.cost.total()); // $0.127 against $0.169
        // A 2 MB cache holds 10 entries of 204,800 + key + 100 bytes. LRU under independent zipf
        // draws, by Che's approximation: the characteristic time t_C solves
        // sum_k (1 - exp(-p_k t_C)) = 10 (t_C ~ 11.1 requests) and the hit ratio is
        // sum_k p_k (1 - exp(-p_k t_C)) = 0.182. Che's approximation is within a few tenths of a
        // point for LRU with independent requests; 1 point covers it and the sampling noise.
        double lo = 0, hi = 1e6;
        for (int i = 0; i < 200; ++i) {
            const double tc = (lo + hi) / 2;
            double filled = 0;
            for (int k = 1; k <= 200; ++k)
                filled += 1 - std::exp(-std::pow(k, -0.8) / harmonic * tc);
            (filled < 10 ? lo : hi) = tc;
        }
        double cheHitRatio = 0;
        for (int k = 1; k <= 200; ++k) {
            const double p = std::pow(k, -0.8) / harmonic;
            cheHitRatio += p * (1 - std::exp(-p * lo));
        }
        QVERIFY(std::abs(cheHitRatio - 0.182) < 0.001);
        QVERIFY2(std::abs(small.dax->hitRatio() - cheHitRatio) < 0.01, qPrintable(QString::number(small.dax->hitRatio())));
        QVERIFY(small.minutes.back().daxCacheBytes <= 2 * 1024 * 1024);
        QVERIFY(small.minutes.back().daxCacheBytes > 10 * 204800);
        QVERIFY(small.dax->hitRatio() < breakEven);
        QVERIFY(small.cost.total() > without.cost.total()); // $0.257 against $0.169
        // The lessons quote their runs.
        const std::string offloadText = loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/17-dax-offload.json").scenario->description;
        const std::string smallText = loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/17-dax-cache-too-small.json").scenario->description;
        QVERIFY(offloadText.find("break-even hit ratio of 71 %") != std::string::npos);
        QVERIFY(offloadText.find("a hit ratio of 95.75 %") != std::string::npos);
        QVERIFY(std::abs(100 * with.dax->hitRatio() - 95.75) < 0.005);
        QVERIFY(offloadText.find("saving $0.042") != std::string::npos);
        QVERIFY(std::abs(without.cost.total() - with.cost.total() - 0.042) < 0.0005);
        QVERIFY(offloadText.find("with-dax costs $0.127 against $0.169") != std::string::npos);
        QVERIFY(std::abs(with.cost.total() - 0.127) < 0.0005);
        QVERIFY(smallText.find("falls to about 18 %") != std::string::npos);
        QVERIFY(std::abs(100 * small.dax->hitRatio() - 18) < 1);
        QVERIFY(smallText.find("costs $0.257, $0.089 more") != std::string::npos);
        QVERIFY(std::abs(small.cost.total() - 0.257) < 0.0005);
        QVERIFY(std::abs(small.cost.total() - without.cost.total() - 0.089) < 0.0005);
        QVERIFY(smallText.find("($0.137 of read units)") != std::string::npos);
        QVERIFY(std::abs(small.cost.read - 0.137) < 0.0005);
    }

    void textsQuoteTheirRuns_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<double>("actual");
        QTest::addColumn<double>("quoted");
        QTest::addColumn<double>("tolerance");

        auto ia = runLibrary("08-standard-vs-ia.json");
        const auto& standard = ia->tables.at(0);
        const auto& infrequent = ia->tables.at(1);
        const QString f08 = "08-standard-vs-ia.json";
        QTest::addRow("08 storage share") << f08 << "storage is 47 % of the Standard bill"
                                          << 100 * standard.cost.storage / standard.cost.total() << 47.0 << 0.5;
        QTest::addRow("08 Standard bill") << f08 << "$4.93 of $10.55" << standard.cost.total() << 10.55 << 0.005;
        QTest::addRow("08 Standard storage") << f08 << "$4.93 of" << standard.cost.storage << 4.93 << 0.005;
        QTest::addRow("08 IA storage") << f08 << "$1.97 on IA" << infrequent.cost.storage << 1.97 << 0.005;
        QTest::addRow("08 Standard throughput") << f08 << "$5.62 on Standard"
                                                << standard.cost.read + standard.cost.write << 5.62 << 0.005;
        QTest::addRow("08 IA throughput") << f08 << "$6.98 on IA" << infrequent.cost.read + infrequent.cost.write
                                          << 6.98 << 0.005;
        QTest::addRow("08 storage saving") << f08 << "storage saving ($2.96)"
                                           << standard.cost.storage - infrequent.cost.storage << 2.96 << 0.005;
        QTest::addRow("08 throughput surcharge")
            << f08 << "throughput surcharge ($1.37)"
            << (infrequent.cost.read + infrequent.cost.write) - (standard.cost.read + standard.cost.write) << 1.37 << 0.005;
        QTest::addRow("08 saving") << f08 << "IA saves about $1.59 a month"
                                   << standard.cost.total() - infrequent.cost.total() << 1.59 << 0.005;

        auto split = runLibrary("09-split-dilution.json");
        const auto& catalog = split->tables.at(0);
        const QString f09 = "09-split-dilution.json";
        // After the split (minute 1 on): consumed write units per second, the mean of the minutes.
        double after = 0;
        for (std::size_t m = 1; m < catalog.minutes.size(); ++m)
            after += catalog.minutes[m].consumedWrite;
        after /= static_cast<double>(catalog.minutes.size() - 1);
        QTest::addRow("09 demand") << f09 << "about 140 writes/s are asked of the table"
                                   << static_cast<double>(catalog.requestsWrite) / split->simulatedSeconds << 140.0 << 1.0;
        QTest::addRow("09 consumed") << f09 << "consumes only about 102 of its 200 units a second" << after << 102.0 << 1.0;
        QTest::addRow("09 capacity") << f09 << "of its 200 units" << catalog.minutes.back().provisionedWrite << 200.0 << 0.0;
        QTest::addRow("09 throttled") << f09 << "about 37 writes/s are throttled"
                                      << static_cast<double>(catalog.minutes.back().throttledWrite) / 60 << 37.0 << 1.0;

        auto gsi = runLibrary("10-gsi-write-amplification.json");
        const QString f10 = "10-gsi-write-amplification.json";
        for (const auto& t : gsi->tables)
            QTest::addRow("10 %s consumed", t.name.c_str()) << f10 << "the four tables consume the same 2,400 WCU"
                                                            << t.consumedWrite << 2400.0 << 0.0;
        for (std::size_t t = 1; t <= 2; ++t)
            for (const auto& index : gsi->tables.at(t).indexes)
                QTest::addRow("10 %s/%s", gsi->tables[t].name.c_str(), index.name.c_str())
                    << f10 << "2,400 WCU for each ALL-projected GSI" << index.consumedWrite << 2400.0 << 0.0;
        QTest::addRow("10 KEYS_ONLY GSI") << f10 << "1,200 for the KEYS_ONLY one"
                                          << gsi->tables.at(3).indexes.at(0).consumedWrite << 1200.0 << 0.0;
        QTest::addRow("10 one GSI") << f10 << "Orders1 costs twice as much as Orders0"
                                    << gsi->tables.at(1).cost.total() / gsi->tables.at(0).cost.total() << 2.0 << 0.01;
        QTest::addRow("10 three GSIs") << f10 << "Orders3 four times as much"
                                       << gsi->tables.at(2).cost.total() / gsi->tables.at(0).cost.total() << 4.0 << 0.01;

        auto fanOut = runLibrary("13-stream-fan-out.json");
        const QString f13 = "13-stream-fan-out.json";
        const auto& orders = fanOut->tables.at(0);
        QTest::addRow("13 cost.streams") << f13 << "cost.streams of $0.00144 for the hour" << orders.cost.streams << 0.00144 << 1e-9;
        QTest::addRow("13 client calls") << f13 << "7,200 GetRecords calls of the two clients"
                                         << static_cast<double>(orders.streams->readRequestUnits) << 7200.0 << 0.0;
        QTest::addRow("13 copier calls") << f13 << "the copier's 3,600 calls cost nothing"
                                         << static_cast<double>(orders.streams->consumers.at(0).reads) << 3600.0 << 0.0;
    }
    void textsQuoteTheirRuns()
    {
        QFETCH(QString, file);
        QFETCH(QString, phrase);
        QFETCH(double, actual);
        QFETCH(double, quoted);
        QFETCH(double, tolerance);
        auto loaded = loadScenarioFile(CAPSIM_SOURCE_DIR "/resources/scenarios/" + file.toStdString());
        QVERIFY(loaded.scenario);
        QVERIFY2(QString::fromStdString(loaded.scenario->description).contains(phrase),
            qPrintable(file + " no longer says: " + phrase));
        QVERIFY2(std::abs(actual - quoted) <= tolerance + 1e-9,
            qPrintable(QString("%1 quotes %2, the run shows %3").arg(phrase).arg(quoted).arg(actual)));
    }
};

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_library.moc"
