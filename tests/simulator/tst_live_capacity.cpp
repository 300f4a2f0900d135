// Live admission for `capsim serve` (reference A3, A4) on a real Engine and real Dispatcher calls,
// with time passed in: burst then the provisioned rate, a hot key at the partition's hard limit,
// on-demand ceilings, UpdateTable's delay, reads and writes apart, GSI back-pressure, per-second
// metrics, a re-created table, unreadable requests, and a differential run against the
// simulator's CapacityModel driven directly over a seeded random request stream.

#include "engine/key_codec.h"
#include "simulator/live_capacity.h"
#include "tests/support/wire.h"
#include "workloads/random.h"

#include <QtTest>

#include <boost/json.hpp>

using namespace capsim;
using capsim::test::J;
using capsim::test::parse;

namespace json = boost::json;

namespace {

// The wall clock of the tests: 2027-01-15T08:00:00Z, on a minute boundary.
constexpr EngineTime kT0 = 1800000000LL * kMicrosPerSecond;

EngineTime at(double seconds)
{
    return kT0 + static_cast<EngineTime>(std::llround(seconds * 1e6));
}

std::string tableJson(const std::string& name, const std::string& capacity, const std::string& extra = "")
{
    return J("{'TableName':'" + name + "'," + capacity
        + ",'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}"
        + (extra.empty() ? "" : ",{'AttributeName':'g','AttributeType':'S'}")
        + "],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]" + extra + "}");
}

std::string provisioned(int read, int write)
{
    return "'ProvisionedThroughput':{'ReadCapacityUnits':" + std::to_string(read)
        + ",'WriteCapacityUnits':" + std::to_string(write) + "}";
}

// A PutItem of key `key` whose payload makes it `payloadBytes` long (1 KB or less: 1 WCU).
json::value putRequest(
    const std::string& table, const std::string& key, std::size_t payloadBytes = 10, const std::string& g = "")
{
    json::object item;
    item["pk"] = json::object { { "S", key } };
    item["p"] = json::object { { "S", std::string(payloadBytes, 'x') } };
    if (!g.empty())
        item["g"] = json::object { { "S", g } };
    return json::object { { "TableName", table }, { "Item", item } };
}

json::value getRequest(const std::string& table, const std::string& key, bool strong)
{
    return json::object { { "TableName", table }, { "Key", json::object { { "pk", json::object { { "S", key } } } } },
        { "ConsistentRead", strong } };
}

json::value queryRequest(const std::string& table, const std::string& key, bool strong)
{
    return json::object { { "TableName", table }, { "KeyConditionExpression", "pk = :k" },
        { "ExpressionAttributeValues", json::object { { ":k", json::object { { "S", key } } } } },
        { "ConsistentRead", strong } };
}

// An engine, its dispatcher and the live admission in front of them, as the server holds them.
struct Server {
    std::unique_ptr<Engine> engine;
    std::unique_ptr<Dispatcher> dispatcher;
    LiveCapacity live;

    explicit Server(const ModelSpec& model = {})
        : live(model)
    {
        engine = std::move(Engine::open(":memory:")).value();
        dispatcher = std::make_unique<Dispatcher>(*engine);
    }

    // admit, then (when admitted) dispatch and charge: the status the client sees.
    Status send(const std::string& operation, const json::value& request, EngineTime now,
        std::vector<ConsumedCapacity>* consumed = nullptr)
    {
        if (Status s = live.admit(*engine, operation, request, now); !s)
            return s;
        WireResponse response = dispatcher->dispatch(operation, request, now);
        if (Status s = live.charge(*engine, operation, request, response, now); !s)
            return s;
        if (consumed)
            *consumed = response.consumed;
        if (response.isError())
            return Status(response.errorType, test::message(response).toStdString());
        return Status::ok();
    }

    void create(const std::string& json)
    {
        const WireResponse r = dispatcher->dispatch("CreateTable", parse(json), kT0 - kMicrosPerSecond);
        if (r.isError())
            qFatal("CreateTable failed: %s", qPrintable(test::text(r)));
    }

    std::size_t partitionOf(const std::string& table, const std::string& key) const
    {
        return engine->table(table)->partitionIndex(partitionHash(encodeKeyValue(AttributeValue::string(key))));
    }

    // `count` keys of `table` on its partition `partition`, none of them in `avoid`.
    std::vector<std::string> keysOn(
        const std::string& table, std::size_t partition, std::size_t count, const std::string& prefix)
    {
        std::vector<std::string> keys;
        for (int i = 0; keys.size() < count; ++i) {
            const std::string key = prefix + std::to_string(i);
            if (partitionOf(table, key) == partition)
                keys.push_back(key);
        }
        return keys;
    }
};

// Uniform arrivals at `rate` per second in [from, from + seconds) (t = from + k / rate); counts
// the admitted requests per whole second since `from`, and every refusal's status.
struct Offered {
    std::vector<std::int64_t> admittedPerSecond;
    std::int64_t admitted = 0;
    std::int64_t throttled = 0;
    Status firstThrottle;
    std::int64_t admittedBetween(int fromSecond, int toSecond) const
    {
        std::int64_t n = 0;
        for (int s = fromSecond; s < toSecond && s < static_cast<int>(admittedPerSecond.size()); ++s)
            n += admittedPerSecond[static_cast<std::size_t>(s)];
        return n;
    }
};

template <typename MakeRequest>
Offered offer(Server& server, const std::string& operation, double rate, double from, double seconds, MakeRequest make)
{
    Offered out;
    out.admittedPerSecond.assign(static_cast<std::size_t>(std::ceil(seconds)), 0);
    const auto n = static_cast<std::int64_t>(std::llround(rate * seconds));
    for (std::int64_t k = 0; k < n; ++k) {
        const double t = static_cast<double>(k) / rate;
        const Status s = server.send(operation, make(k), at(from + t));
        if (s) {
            ++out.admitted;
            ++out.admittedPerSecond[static_cast<std::size_t>(t)];
        } else if (s.is(error::kProvisionedThroughputExceeded) || s.is(error::kThrottling)) {
            if (out.throttled++ == 0)
                out.firstThrottle = s;
        } else {
            qFatal("%s failed: %s", operation.c_str(), s.toString().c_str());
        }
    }
    return out;
}

ModelSpec withoutBurst()
{
    ModelSpec model;
    model.burstAtStartFull = false;
    return model;
}

} // namespace

class TestLiveCapacity : public QObject {
    Q_OBJECT
private slots:
    void provisionedTableBurstsThenHoldsItsRate()
    {
        // 10 WCU with its burst full (300 s x 10 = 3,000 units) and its allocated second (10):
        // 100 writes/s of 1 WCU pass for ~33 s, then 10 a second.
        Server server;
        server.create(tableJson("Prov", provisioned(10, 10)));
        const Offered o = offer(
            server, "PutItem", 100, 0, 60, [](std::int64_t k) { return putRequest("Prov", "k" + std::to_string(k)); });
        QCOMPARE(o.admittedBetween(0, 30), std::int64_t(3000));
        QVERIFY2(std::abs(o.admitted - (3000 + 10 + 10 * 60)) <= 2, qPrintable(QString::number(o.admitted)));
        const std::int64_t lastTen = o.admittedBetween(50, 60);
        QVERIFY2(std::abs(lastTen - 100) <= 1, qPrintable(QString::number(lastTen)));
        QCOMPARE(QString::fromStdString(o.firstThrottle.type()), QString("ProvisionedThroughputExceededException"));
        QCOMPARE(QString::fromStdString(o.firstThrottle.message()),
            QString(
                "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
                "provisioning level with the UpdateTable API."));
        // The table holds exactly the admitted writes: a refused request never ran.
        const WireResponse scan
            = server.dispatcher->dispatch("Scan", parse(J("{'TableName':'Prov','Select':'COUNT'}")), at(61));
        QCOMPARE(scan.body.as_object().at("Count").as_int64(), o.admitted);
    }

    void hotKeyThrottlesAtThePartitionLimit()
    {
        // 3,000 WCU over 4 partitions (750 allocated each, burst full): one key written at
        // 2,000 WCU/s (5-WCU items) gets its partition's hard limit, 1,000 units/s after the
        // hard bucket's first full second; a key on another partition at 100 WCU/s is untouched.
        Server server;
        server.create(tableJson("Hot", provisioned(1, 3000)));
        QCOMPARE(server.engine->table("Hot")->partitions.size(), std::size_t(4));
        const std::string hot = server.keysOn("Hot", 0, 1, "hot")[0];
        const std::string cold = server.keysOn("Hot", 2, 1, "cold")[0];
        std::int64_t hotUnits = 0, hotThrottled = 0, coldAdmitted = 0, lastSecondHot = 0;
        // 400 hot writes and 20 cold ones per second, for 3 s, interleaved in time.
        for (int k = 0; k < 3 * 400; ++k) {
            const double t = k / 400.0;
            std::vector<ConsumedCapacity> consumed;
            const Status s = server.send("PutItem", putRequest("Hot", hot, 5000), at(t), &consumed);
            if (s) {
                QCOMPARE(consumed.at(0).table.write, 5.0);
                hotUnits += 5;
                lastSecondHot += t >= 2 ? 5 : 0;
            } else {
                QVERIFY2(s.is(error::kProvisionedThroughputExceeded), s.toString().c_str());
                ++hotThrottled;
            }
            if (k % 20 == 0)
                coldAdmitted += server.send("PutItem", putRequest("Hot", cold, 5000), at(t + 0.0001)).isOk() ? 1 : 0;
        }
        QVERIFY2(std::abs(hotUnits - (1000 + 3 * 1000)) <= 10, qPrintable(QString::number(hotUnits)));
        QVERIFY2(std::abs(lastSecondHot - 1000) <= 10, qPrintable(QString::number(lastSecondHot)));
        QVERIFY(hotThrottled > 300);
        QCOMPARE(coldAdmitted, std::int64_t(60));
    }

    void newOnDemandTableServesItsCeiling()
    {
        // A new on-demand table: 4 partitions and a write ceiling of 2 x 2,000 = 4,000 units/s.
        // 6,000 WRU/s spread evenly over the partitions: 4,000 a second pass (after the first
        // full second of the hard buckets), the rest get ThrottlingException.
        Server server;
        server.create(tableJson("OnDemand", "'BillingMode':'PAY_PER_REQUEST'"));
        QCOMPARE(server.engine->table("OnDemand")->partitions.size(), std::size_t(4));
        std::vector<std::string> keys;
        for (std::size_t p = 0; p < 4; ++p)
            keys.push_back(server.keysOn("OnDemand", p, 1, "od")[0]);
        const Offered o = offer(server, "PutItem", 1200, 0, 3,
            [&](std::int64_t k) { return putRequest("OnDemand", keys[static_cast<std::size_t>(k) % 4], 5000); });
        const std::int64_t lastSecondUnits = o.admittedBetween(2, 3) * 5;
        QVERIFY2(std::abs(lastSecondUnits - 4000) <= 40, qPrintable(QString::number(lastSecondUnits)));
        QCOMPARE(QString::fromStdString(o.firstThrottle.type()), QString("ThrottlingException"));
        QVERIFY(QString::fromStdString(o.firstThrottle.message())
                    .startsWith("Throughput exceeds the current capacity of your table"));
        const auto rates = server.live.ratesInForce("us-east-1", "OnDemand");
        QVERIFY(rates);
        QCOMPARE((*rates)[Dimension::Write], 4000.0);
        QCOMPARE((*rates)[Dimension::Read], 12000.0);
    }

    void onDemandCeilingBelowThePartitions()
    {
        // A previous peak of 100 writes/s: a ceiling of 200 WRU/s over 4 partitions (50 each),
        // no burst stored yet. 400 writes/s spread evenly: 200 a second pass.
        Server server(withoutBurst());
        server.create(tableJson("OnDemandLow", "'BillingMode':'PAY_PER_REQUEST'"));
        QVERIFY(server.engine->setOnDemandPeak("OnDemandLow", 6000, 100));
        std::vector<std::vector<std::string>> keys;
        for (std::size_t p = 0; p < 4; ++p)
            keys.push_back(server.keysOn("OnDemandLow", p, 25, "c"));
        const Offered o = offer(server, "PutItem", 400, 0, 20, [&](std::int64_t k) {
            const auto i = static_cast<std::size_t>(k);
            return putRequest("OnDemandLow", keys[i % 4][(i / 4) % 25]);
        });
        const std::int64_t lastTen = o.admittedBetween(10, 20);
        QVERIFY2(std::abs(lastTen - 2000) <= 20, qPrintable(QString::number(lastTen)));
        QCOMPARE(QString::fromStdString(o.firstThrottle.type()), QString("ThrottlingException"));
    }

    void onDemandPeakGrowsWithAMinuteHeld()
    {
        // 3,000 WRU/s held for a minute on a new on-demand table (ceiling 4,000) becomes its
        // previous peak: the ceiling is 6,000 from the next minute, and the engine's table
        // follows with 6 partitions (reference A3).
        Server server;
        server.create(tableJson("Growing", "'BillingMode':'PAY_PER_REQUEST'"));
        std::vector<std::vector<std::string>> keys;
        for (std::size_t p = 0; p < 4; ++p)
            keys.push_back(server.keysOn("Growing", p, 10, "g"));
        const Offered o = offer(server, "PutItem", 600, 0, 60, [&](std::int64_t k) {
            const auto i = static_cast<std::size_t>(k);
            return putRequest("Growing", keys[i % 4][(i / 4) % 10], 5000);
        });
        QCOMPARE(o.throttled, std::int64_t(0));
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Growing"))[Dimension::Write], 4000.0);
        QVERIFY(server.send("PutItem", putRequest("Growing", "next"), at(60.5)));
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Growing"))[Dimension::Write], 6000.0);
        QCOMPARE(server.engine->table("Growing")->peakWrite, std::int64_t(3000));
        QCOMPARE(server.engine->table("Growing")->partitions.size(), std::size_t(6));
    }

    void capacityRaisedTakesEffectAfterTheDelay()
    {
        // 10 WCU, no burst stored; UpdateTable to 100 WCU at t = 1 s comes into force at
        // t = 1 + 120 s (model.updateTableDelay): until then 50 writes/s get ~10 through.
        Server server(withoutBurst());
        server.create(tableJson("Upd", provisioned(10, 10)));
        const json::value update
            = parse(J("{'TableName':'Upd','ProvisionedThroughput':{'ReadCapacityUnits':10,'WriteCapacityUnits':100}}"));
        QVERIFY(server.send("UpdateTable", update, at(1)));
        QCOMPARE(server.engine->table("Upd")->writeCapacity, std::int64_t(100)); // the engine says so at once
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Upd"))[Dimension::Write], 10.0);
        const Offered o = offer(
            server, "PutItem", 50, 2, 198, [](std::int64_t k) { return putRequest("Upd", "u" + std::to_string(k)); });
        // Seconds 2..121 of the clock are offsets 0..119 of the offer.
        const std::int64_t before = o.admittedBetween(60, 110);
        QVERIFY2(std::abs(before - 500) <= 3, qPrintable(QString::number(before)));
        QCOMPARE(o.admittedBetween(120, 198), std::int64_t(78 * 50));
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Upd"))[Dimension::Write], 100.0);
    }

    void billingModeSwitchTakesEffectAfterTheDelay()
    {
        // 1 WCU switched to on-demand at t = 1: provisioned admission (and its error) until
        // t = 121, then the on-demand ceiling (the previous peak: max(2,000, 1 / 2)).
        Server server(withoutBurst());
        server.create(tableJson("Switch", provisioned(1, 1)));
        QVERIFY(server.send("PutItem", putRequest("Switch", "a"), at(0)));
        QVERIFY(server.send("UpdateTable", parse(J("{'TableName':'Switch','BillingMode':'PAY_PER_REQUEST'}")), at(1)));
        Status before;
        for (int k = 0; k < 5 && before; ++k)
            before = server.send("PutItem", putRequest("Switch", "b" + std::to_string(k)), at(1.5));
        QVERIFY2(before.is(error::kProvisionedThroughputExceeded), before.toString().c_str());
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Switch"))[Dimension::Write], 1.0);
        const Offered o = offer(server, "PutItem", 100, 121, 2,
            [](std::int64_t k) { return putRequest("Switch", "s" + std::to_string(k)); });
        QCOMPARE(o.throttled, std::int64_t(0));
        QCOMPARE((*server.live.ratesInForce("us-east-1", "Switch"))[Dimension::Write], 4000.0);
    }

    void partitionsFollowTheEnginesSplits()
    {
        // Without adaptive capacity a partition gets its even share of the table's rate: once
        // the engine splits the table for size (here at 64 KB), one key gets 100 / n WCU.
        ModelSpec model = withoutBurst();
        model.adaptiveCapacity = false;
        Server server(model);
        server.engine->setPartitionSplitBytes(64 * 1024);
        server.create(tableJson("Split", provisioned(1, 100)));
        QCOMPARE(server.engine->table("Split")->partitions.size(), std::size_t(1));
        const Offered fill = offer(server, "PutItem", 50, 0, 4,
            [](std::int64_t k) { return putRequest("Split", "f" + std::to_string(k), 1000); });
        QCOMPARE(fill.throttled, std::int64_t(0));
        const auto n = static_cast<std::int64_t>(server.engine->table("Split")->partitions.size());
        QVERIFY(n >= 2);
        const Offered hot
            = offer(server, "PutItem", 200, 10, 10, [](std::int64_t) { return putRequest("Split", "hot", 10); });
        const std::int64_t lastFive = hot.admittedBetween(5, 10);
        QVERIFY2(
            std::abs(lastFive - 5 * 100 / n) <= 2, qPrintable(QString("%1 over %2 partitions").arg(lastFive).arg(n)));
    }

    void readsAndWritesAreIndependent()
    {
        // 10 RCU / 10 WCU without burst: writes flooded at 100/s throttle, reads beside them
        // pass; eventually consistent reads cost half a unit, so 20 of them a second pass.
        Server server(withoutBurst());
        server.create(tableJson("ReadWrite", provisioned(10, 10)));
        std::int64_t writesThrottled = 0, strongReads = 0;
        for (int k = 0; k < 1000; ++k) {
            const double t = k / 100.0;
            writesThrottled
                += server.send("PutItem", putRequest("ReadWrite", "w" + std::to_string(k)), at(t)).isOk() ? 0 : 1;
            if (k % 20 == 0)
                strongReads
                    += server.send("GetItem", getRequest("ReadWrite", "w1", true), at(t + 0.001)).isOk() ? 1 : 0;
        }
        QVERIFY(writesThrottled > 800);
        QCOMPARE(strongReads, std::int64_t(50));
        // (The burst the idle reads left behind runs out within the first 20 s.)
        const Offered o = offer(server, "GetItem", 40, 20, 40,
            [](std::int64_t k) { return getRequest("ReadWrite", "w" + std::to_string(k), false); });
        const std::int64_t lastTen = o.admittedBetween(30, 40);
        QVERIFY2(std::abs(lastTen - 200) <= 2, qPrintable(QString::number(lastTen)));
    }

    void gsiWriteBackPressureThrottlesTheTableWrite()
    {
        // A GSI of 5 WCU (keys only) under a 1,000 WCU table, no burst stored: writes that
        // change its entries throttle at ~5/s with the index's message; writes without the
        // index key (a sparse index) and updates that leave the entry alone all pass.
        Server server(withoutBurst());
        server.create(tableJson("Gsi", provisioned(100, 1000),
            ",'GlobalSecondaryIndexes':[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
            "'Projection':{'ProjectionType':'KEYS_ONLY'},"
            "'ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}]"));
        const Offered indexed = offer(server, "PutItem", 20, 0, 10,
            [](std::int64_t k) { return putRequest("Gsi", "i" + std::to_string(k), 10, "g" + std::to_string(k % 3)); });
        const std::int64_t lastFive = indexed.admittedBetween(5, 10);
        QVERIFY2(std::abs(lastFive - 25) <= 2, qPrintable(QString::number(lastFive)));
        QCOMPARE(
            QString::fromStdString(indexed.firstThrottle.type()), QString("ProvisionedThroughputExceededException"));
        QVERIFY(QString::fromStdString(indexed.firstThrottle.message()).contains("global secondary indexes"));
        const Offered sparse = offer(
            server, "PutItem", 20, 10, 5, [](std::int64_t k) { return putRequest("Gsi", "s" + std::to_string(k)); });
        QCOMPARE(sparse.throttled, std::int64_t(0));
        // i0 has an entry; updating its payload leaves a KEYS_ONLY entry as it is.
        const Offered untouched = offer(server, "UpdateItem", 20, 15, 5, [](std::int64_t) {
            return parse(J("{'TableName':'Gsi','Key':{'pk':{'S':'i0'}},'UpdateExpression':'SET p = :v',"
                           "'ExpressionAttributeValues':{':v':{'S':'new'}}}"));
        });
        QCOMPARE(untouched.throttled, std::int64_t(0));
        // Changing the index key does touch the index (2 units: the entry removed and put): 40
        // such moves at once get through while the index's allocated second (5), the burst its
        // ~9 idle seconds stored (~45) and the 5 it lends last, then throttle.
        std::int64_t moves = 0, movesRefused = 0;
        for (int k = 0; k < 40; ++k) {
            const Status s = server.send("UpdateItem",
                parse(J("{'TableName':'Gsi','Key':{'pk':{'S':'i" + std::to_string(k % 10)
                    + "'}},'UpdateExpression':'SET g = :v','ExpressionAttributeValues':{':v':{'S':'z"
                    + std::to_string(k) + "'}}}")),
                at(20));
            if (s)
                ++moves;
            else if (s.is(error::kProvisionedThroughputExceeded))
                ++movesRefused;
        }
        QVERIFY2(moves >= 20 && moves <= 32, qPrintable(QString::number(moves)));
        QCOMPARE(movesRefused, 40 - moves);
        // Throttle events on the index and on the table (reference A3).
        std::int64_t indexThrottles = 0, tableThrottles = 0;
        for (const auto& s : server.live.recentSeconds(0)) {
            if (s.table == "Gsi/ByG")
                indexThrottles += s.writeThrottles;
            if (s.table == "Gsi")
                tableThrottles += s.writeThrottles;
        }
        QCOMPARE(indexThrottles, indexed.throttled + movesRefused);
        QCOMPARE(tableThrottles, indexed.throttled + movesRefused);
    }

    void gsiReadsUseTheIndexCapacity()
    {
        // A Query on a GSI of 1 RCU is admitted by the index's buckets, and charged there (two
        // eventually consistent small pages empty them); the table's own reads are untouched.
        Server server(withoutBurst());
        server.create(tableJson("Gidx", provisioned(100, 100),
            ",'GlobalSecondaryIndexes':[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
            "'Projection':{'ProjectionType':'ALL'},"
            "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':100}}]"));
        QVERIFY(server.send("PutItem", putRequest("Gidx", "a", 10, "x"), at(0)));
        const json::value query = parse(J("{'TableName':'Gidx','IndexName':'ByG','KeyConditionExpression':'g = :g',"
                                          "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        std::vector<ConsumedCapacity> consumed;
        QVERIFY(server.send("Query", query, at(0), &consumed));
        QCOMPARE(consumed.at(0).globalSecondaryIndexes.at("ByG").read, 0.5);
        QVERIFY(server.send("Query", query, at(0)));
        const Status refused = server.send("Query", query, at(0));
        QVERIFY2(refused.is(error::kProvisionedThroughputExceeded), refused.toString().c_str());
        QVERIFY(QString::fromStdString(refused.message()).contains("global secondary indexes"));
        QVERIFY(server.send("GetItem", getRequest("Gidx", "a", true), at(0)));
        QVERIFY(server.send("Query", query, at(1)));
    }

    void metricsPerSecond()
    {
        // Each whole second's consumed units and throttles, per table, as the client saw them.
        Server server(withoutBurst());
        server.create(tableJson("Metrics", provisioned(4, 4)));
        std::map<std::int64_t, LiveCapacity::Second> expected;
        for (int k = 0; k < 60; ++k) {
            const double t = k / 20.0;
            const bool write = k % 2 == 0;
            std::vector<ConsumedCapacity> consumed;
            const Status s = write
                ? server.send("PutItem", putRequest("Metrics", "m" + std::to_string(k), 1500), at(t), &consumed)
                : server.send("GetItem", getRequest("Metrics", "m0", k % 4 == 1), at(t), &consumed);
            auto& row = expected[kT0 / kMicrosPerSecond + static_cast<std::int64_t>(t)];
            row.region = "us-east-1";
            row.table = "Metrics";
            row.second = kT0 / kMicrosPerSecond + static_cast<std::int64_t>(t);
            if (s) {
                row.readUnits += consumed.at(0).table.read;
                row.writeUnits += consumed.at(0).table.write;
            } else {
                (write ? row.writeThrottles : row.readThrottles) += 1;
            }
        }
        const auto rows = server.live.recentSeconds(kT0 / kMicrosPerSecond);
        QCOMPARE(rows.size(), std::size_t(3));
        std::int64_t throttles = 0;
        for (const auto& row : rows) {
            const auto& want = expected.at(row.second);
            QCOMPARE(row.table, want.table);
            QCOMPARE(row.readUnits, want.readUnits);
            QCOMPARE(row.writeUnits, want.writeUnits);
            QCOMPARE(row.readThrottles, want.readThrottles);
            QCOMPARE(row.writeThrottles, want.writeThrottles);
            throttles += row.writeThrottles + row.readThrottles;
        }
        QVERIFY(throttles > 0);
        QVERIFY(rows.front().writeUnits >= 4.0); // 2-WCU items
        QCOMPARE(server.live.recentSeconds(kT0 / kMicrosPerSecond + 2).size(), std::size_t(1));
    }

    void recreatedTableStartsFresh()
    {
        Server server(withoutBurst());
        server.create(tableJson("Dropped", provisioned(1, 1)));
        const Offered o = offer(
            server, "PutItem", 10, 0, 2, [](std::int64_t k) { return putRequest("Dropped", "d" + std::to_string(k)); });
        QVERIFY(o.throttled > 0);
        QVERIFY(server.send("DeleteTable", parse(J("{'TableName':'Dropped'}")), at(2.1)));
        QCOMPARE(server.live.ratesInForce("us-east-1", "Dropped").has_value(), false);
        server.create(tableJson("Dropped", provisioned(1, 50)));
        const Offered again = offer(server, "PutItem", 10, 2.2, 2,
            [](std::int64_t k) { return putRequest("Dropped", "e" + std::to_string(k)); });
        QCOMPARE(again.throttled, std::int64_t(0)); // 50 WCU at once: no delay for a new table
    }

    void tablesAreKeyedByRegion()
    {
        // A same-name table in another region has buckets of its own (reference A11).
        Server server(withoutBurst());
        server.create(tableJson("Same", provisioned(1, 1)));
        server.engine->setRegion("eu-west-1");
        server.create(tableJson("Same", provisioned(1, 1)));
        server.engine->setRegion("us-east-1");
        QVERIFY(server.send("PutItem", putRequest("Same", "a"), at(0)));
        QVERIFY(!server.send("PutItem", putRequest("Same", "b"), at(0)));
        server.engine->setRegion("eu-west-1");
        QVERIFY(server.send("PutItem", putRequest("Same", "a"), at(0.02)));
        QCOMPARE(server.live.recentSeconds(0).size(), std::size_t(2));
    }

    void unreadableRequestsAreLeftToTheEngine_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addRow("not an object") << "PutItem"
                                       << "[1,2]";
        QTest::addRow("no table") << "GetItem"
                                  << "{'Key':{'pk':{'S':'a'}}}";
        QTest::addRow("unknown table") << "GetItem"
                                       << "{'TableName':'Nope','Key':{'pk':{'S':'a'}}}";
        QTest::addRow("key not a map") << "GetItem"
                                       << "{'TableName':'Bad','Key':7}";
        QTest::addRow("key of the wrong type") << "DeleteItem"
                                               << "{'TableName':'Bad','Key':{'pk':{'N':'1'}}}";
        QTest::addRow("bad attribute value") << "PutItem"
                                             << "{'TableName':'Bad','Item':{'pk':{'Q':'1'}}}";
        QTest::addRow("query without a condition") << "Query"
                                                   << "{'TableName':'Bad'}";
        QTest::addRow("query, bad condition") << "Query"
                                              << "{'TableName':'Bad','KeyConditionExpression':'pk = = :x'}";
        QTest::addRow("query, unknown index")
            << "Query"
            << "{'TableName':'Bad','IndexName':'X','KeyConditionExpression':'pk = :x',"
               "'ExpressionAttributeValues':{':x':{'S':'a'}}}";
        QTest::addRow("scan, segment out of range") << "Scan"
                                                    << "{'TableName':'Bad','Segment':5,'TotalSegments':2}";
        QTest::addRow("scan, bad start key") << "Scan"
                                             << "{'TableName':'Bad','ExclusiveStartKey':[]}";
        QTest::addRow("batch get, items a list") << "BatchGetItem"
                                                 << "{'RequestItems':[1]}";
        QTest::addRow("batch write, odd entries") << "BatchWriteItem"
                                                  << "{'RequestItems':{'Bad':[{'Nothing':{}},7]}}";
        QTest::addRow("transaction, not a list") << "TransactWriteItems"
                                                 << "{'TransactItems':{'Put':{}}}";
        QTest::addRow("update, bad expression")
            << "UpdateItem"
            << "{'TableName':'Bad','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET'}";
        QTest::addRow("update table, no name") << "UpdateTable"
                                               << "{'TableName':5}";
    }

    void unreadableRequestsAreLeftToTheEngine()
    {
        // Admission never refuses or fails what it cannot read: the engine answers its error.
        QFETCH(QString, operation);
        QFETCH(QString, request);
        Server server;
        server.create(tableJson("Bad", provisioned(5, 5)));
        const json::value body = parse(J(request.toStdString()));
        QVERIFY(server.live.admit(*server.engine, operation.toStdString(), body, at(0)));
        const WireResponse response = server.dispatcher->dispatch(operation.toStdString(), body, at(0));
        QVERIFY(response.isError());
        QVERIFY(server.live.charge(*server.engine, operation.toStdString(), body, response, at(0)));
    }

    void batchesAndTransactionsAdmitPerItem()
    {
        // 1 WCU / 1 RCU without burst: a transaction or batch touching an exhausted partition
        // is refused whole; its units are charged per item's partition.
        Server server(withoutBurst());
        server.create(tableJson("Tab", provisioned(1, 1)));
        const json::value batch = parse(J("{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                          "{'PutRequest':{'Item':{'pk':{'S':'b'}}}}]}}"));
        std::vector<ConsumedCapacity> consumed;
        QVERIFY(server.send("BatchWriteItem", batch, at(0), &consumed));
        QCOMPARE(consumed.at(0).table.write, 2.0);
        const json::value transaction
            = parse(J("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'c'}}}}]}"));
        const Status refused = server.send("TransactWriteItems", transaction, at(0));
        QVERIFY2(refused.is(error::kProvisionedThroughputExceeded), refused.toString().c_str());
        const json::value get = parse(J("{'TransactItems':[{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}]}"));
        QVERIFY(server.send("TransactGetItems", get, at(0), &consumed));
        QCOMPARE(consumed.at(0).table.read, 2.0); // transactional: twice a strong read
        const json::value batchGet = parse(J("{'RequestItems':{'Tab':{'Keys':[{'pk':{'S':'a'}}]}}}"));
        const Status batchRefused = server.send("BatchGetItem", batchGet, at(0));
        QVERIFY2(batchRefused.is(error::kProvisionedThroughputExceeded), batchRefused.toString().c_str());
        QVERIFY(server.send("BatchGetItem", batchGet, at(3)));
    }

    void scanIsAdmittedWhereItsPageStarts()
    {
        // 4 RCU over 4 partitions (1 each), no burst: strong reads on one key empty its partition
        // and the table's lending; a Scan page starting there (segment 2 of 4, or after a key
        // there) is refused, one starting on another partition is admitted.
        Server server(withoutBurst());
        server.create(tableJson("Scanned", provisioned(4, 3000)));
        QCOMPARE(server.engine->table("Scanned")->partitions.size(), std::size_t(4));
        const std::string busy = server.keysOn("Scanned", 2, 1, "b")[0];
        std::int64_t reads = 0;
        for (int k = 0; k < 5; ++k)
            reads += server.send("GetItem", getRequest("Scanned", busy, true), at(0)).isOk() ? 1 : 0;
        QCOMPARE(reads, std::int64_t(4)); // 1 allocated, 3 lent by the table
        auto scan = [](const std::string& extra) { return parse(J("{'TableName':'Scanned','Limit':1" + extra + "}")); };
        QVERIFY(server.send("Scan", scan(",'Segment':2,'TotalSegments':4"), at(0))
                    .is(error::kProvisionedThroughputExceeded));
        QVERIFY(server.send("Scan", scan(",'ExclusiveStartKey':{'pk':{'S':'" + busy + "'}}"), at(0))
                    .is(error::kProvisionedThroughputExceeded));
        QVERIFY(server.send("Scan", scan(",'Segment':0,'TotalSegments':4"), at(0)));
    }

    void differentialAgainstCapacityModel_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addRow("seed 1") << quint64(1);
        QTest::addRow("seed 7") << quint64(7);
    }

    void differentialAgainstCapacityModel()
    {
        // A seeded random stream of PutItem, BatchWriteItem, GetItem and Query (strong and
        // eventual) and Scan segments over 40 keys (one hot) on 3 partitions holding 15 RCU / 20
        // WCU, raised to 40 / 40 at 150 s (in force at 270 s). LiveCapacity's decisions must equal a CapacityModel fed
        // the same partitions, rates and consumed units directly, request by request.
        QFETCH(quint64, seed);
        ModelSpec model;
        model.burstSeconds = 30; // 300 units stored per partition: throttles come early
        Server server(model);
        server.create(tableJson("Diff", provisioned(3000, 2000)));
        const json::value lower
            = parse(J("{'TableName':'Diff','ProvisionedThroughput':{'ReadCapacityUnits':15,'WriteCapacityUnits':20}}"));
        QVERIFY(!server.dispatcher->dispatch("UpdateTable", lower, kT0 - 1).isError());
        QCOMPARE(server.engine->table("Diff")->partitions.size(), std::size_t(3));

        Rng rng(seed, 0);
        double t = 0;
        std::optional<CapacityModel> reference;
        std::optional<EngineTime> raisedFrom; // when the raise comes into force
        bool raisedInReference = false;
        std::int64_t admitted = 0;
        std::map<std::string, std::int64_t> admittedBy;
        PerDimension<std::int64_t> throttled;
        for (int i = 0; i < 24000; ++i) {
            t += rng.exponential(60.0);
            const EngineTime now = at(t);
            if (!reference) {
                // Made as LiveCapacity makes its model: when the table is first addressed.
                reference.emplace(model, now);
                std::vector<CapacityModel::PartitionRange> ranges;
                for (const auto& p : server.engine->table("Diff")->partitions)
                    ranges.push_back({ p.id, p.hashLow, p.hashHigh });
                reference->setPartitions(ranges, now);
                reference->setTableRates(15, 20, now);
            }
            if (!raisedFrom && t >= 150) {
                const json::value raise = parse(
                    J("{'TableName':'Diff','ProvisionedThroughput':{'ReadCapacityUnits':40,'WriteCapacityUnits':40}}"));
                QVERIFY(server.send("UpdateTable", raise, now));
                raisedFrom = now + model.updateTableDelay;
                continue;
            }
            if (raisedFrom && !raisedInReference && now >= *raisedFrom) {
                reference->setTableRates(40, 40, *raisedFrom);
                raisedInReference = true;
            }
            const std::string key = rng.uniform01() < 0.3 ? "k0" : "k" + std::to_string(rng.uniformInt(40));
            const double draw = rng.uniform01();
            std::string operation;
            json::value request;
            // The hashes the request touches, as the reference routes them: a key's, both keys'
            // of a batch, a Scan segment's start.
            std::vector<std::uint64_t> hashes { partitionHash(encodeKeyValue(AttributeValue::string(key))) };
            Dimension d = Dimension::Read;
            if (draw < 0.40) {
                operation = "PutItem";
                request = putRequest("Diff", key, 100 + rng.uniformInt(2900));
                d = Dimension::Write;
            } else if (draw < 0.50) {
                operation = "BatchWriteItem";
                const std::string other = key == "k1" ? "k2" : "k1";
                json::array writes;
                for (const auto& k : { key, other })
                    writes.push_back(json::object { { "PutRequest",
                        json::object { { "Item", putRequest("Diff", k, 100 + rng.uniformInt(2900)).at("Item") } } } });
                request = json::object { { "RequestItems", json::object { { "Diff", writes } } } };
                hashes.push_back(partitionHash(encodeKeyValue(AttributeValue::string(other))));
                d = Dimension::Write;
            } else if (draw < 0.80) {
                operation = "GetItem";
                request = getRequest("Diff", key, rng.uniform01() < 0.5);
            } else if (draw < 0.95) {
                operation = "Query";
                request = queryRequest("Diff", key, rng.uniform01() < 0.5);
            } else {
                operation = "Scan";
                const auto segment = static_cast<std::int64_t>(rng.uniformInt(4));
                request = json::object { { "TableName", "Diff" }, { "Limit", 3 }, { "Segment", segment },
                    { "TotalSegments", 4 } };
                hashes = { static_cast<std::uint64_t>(segment) << 62 };
            }
            std::vector<std::size_t> partitions;
            for (std::uint64_t hash : hashes)
                partitions.push_back(reference->partitionIndexForHash(hash));
            std::sort(partitions.begin(), partitions.end());
            partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
            bool expected = true;
            for (std::size_t p : partitions)
                expected = expected && reference->admit(p, d, now);
            const bool live = server.live.admit(*server.engine, operation, request, now).isOk();
            QVERIFY2(live == expected,
                qPrintable(QString("request %1 at %2 s (%3 of %4): live %5, CapacityModel %6")
                               .arg(i)
                               .arg(t)
                               .arg(QString::fromStdString(operation), QString::fromStdString(key))
                               .arg(live)
                               .arg(expected)));
            if (!live) {
                ++throttled[d];
                continue;
            }
            ++admitted;
            ++admittedBy[operation];
            const WireResponse response = server.dispatcher->dispatch(operation, request, now);
            QVERIFY2(!response.isError(), qPrintable(test::text(response)));
            QVERIFY(server.live.charge(*server.engine, operation, request, response, now));
            for (const auto& c : response.consumed)
                for (const auto& p : c.partitions)
                    reference->charge(
                        reference->partitionIndexForId(p.partitionId), d, d == Dimension::Read ? p.read : p.write, now);
        }
        QVERIFY(raisedInReference);
        QVERIFY2(throttled[Dimension::Read] > 100 && throttled[Dimension::Write] > 100,
            qPrintable(QString("%1 %2").arg(throttled[Dimension::Read]).arg(throttled[Dimension::Write])));
        QVERIFY(admitted > 5000);
        for (const char* operation : { "PutItem", "BatchWriteItem", "GetItem", "Query", "Scan" })
            QVERIFY2(admittedBy[operation] > 100, operation);
    }
};

QTEST_GUILESS_MAIN(TestLiveCapacity)
#include "tst_live_capacity.moc"
