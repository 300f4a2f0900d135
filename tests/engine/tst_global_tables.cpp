// Global tables in the engine (reference A11, Part C 12): tables keyed by (region, name),
// UpdateTable ReplicaUpdates with its errors and texts, CREATING/ACTIVE/DELETING timing,
// replication latency and per-item order, last-writer-wins with tombstones and conflicts, region
// outages draining at the catch-up rate, TTL deletions replicated, the WriteChange records of
// replicated changes, and a seeded randomized convergence test over many seeds.

#include "engine/dispatcher.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "engine/sqlite/item_store.h"
#include "tests/support/wire.h"

#include <boost/json.hpp>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kStart = 1796378400 * kSecond; // 2026-12-04T10:00:00Z
const std::uint64_t kSeeds = qEnvironmentVariableIsSet("GT_SEEDS") ? qEnvironmentVariableIntValue("GT_SEEDS") : 50;

const std::string kTable = "{'TableName':'Glob','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                           "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'}],"
                           "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':"
                           "[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                           "'Projection':{'ProjectionType':'ALL'}}]}";
const std::string kProvisioned = "{'TableName':'Prov','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
                                 "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                                 "'ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}";

std::string put(const std::string& pk, const std::string& v, const std::string& table = "Glob")
{
    return "{'TableName':'" + table + "','Item':{'pk':{'S':'" + pk + "'},'v':{'S':'" + v + "'}}}";
}

std::string key(const std::string& pk, const std::string& table = "Glob")
{
    return "{'TableName':'" + table + "','Key':{'pk':{'S':'" + pk + "'}}}";
}

std::string replicaUpdate(const char* action, const std::string& region, const std::string& table = "Glob")
{
    return "{'TableName':'" + table + "','ReplicaUpdates':[{'" + action + "':{'RegionName':'" + region + "'}}]}";
}

} // namespace

class TestGlobalTables : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;
    std::vector<WriteChange> m_changes;

    static bool ok(const WireResponse& r)
    {
        if (r.isError())
            qWarning("%s", qPrintable(text(r)));
        return !r.isError();
    }

    WireResponse run(const std::string& region, const std::string& operation, const std::string& request, EngineTime now)
    {
        m_engine->setRegion(region);
        return call(*m_d, operation, J(request), now);
    }

    void fresh()
    {
        auto engine = Engine::open(":memory:");
        QVERIFY(engine);
        m_engine = std::move(engine).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        m_changes.clear();
        m_engine->subscribe([this](const WriteChange& c) { m_changes.push_back(c); });
    }

    // The items of the region's table, as sorted text (a Scan, strongly consistent).
    QString items(const std::string& region, const std::string& table = "Glob")
    {
        auto r = run(region, "Scan", "{'TableName':'" + table + "','ConsistentRead':true}", m_engine->now());
        if (r.isError())
            return "error: " + message(r);
        std::vector<std::string> rows;
        for (const auto& item : r.body.as_object().at("Items").as_array())
            rows.push_back(toJsonText(item));
        std::sort(rows.begin(), rows.end());
        std::string out;
        for (const auto& row : rows)
            out += row + "\n";
        return QString::fromStdString(out);
    }

    QString field(const WireResponse& r, const char* path1, const char* path2 = nullptr)
    {
        const auto& o = r.body.as_object().at(path1).as_object();
        if (!path2)
            return QString();
        const auto* v = o.if_contains(path2);
        return v ? QString::fromStdString(v->is_string() ? std::string(v->as_string()) : toJsonText(*v)) : QString("-");
    }

    Engine::ReplicationCounters counters(const std::string& region, const std::string& table = "Glob")
    {
        auto c = m_engine->replicationCounters(region, table);
        if (!c)
            qFatal("replicationCounters: %s", c.status().toString().c_str());
        return *c;
    }

private slots:
    void init() { fresh(); }

    // A11: tables are keyed by (region, name); ListTables, ARNs and stream ARNs follow region().
    void tablesAreKeyedByRegion()
    {
        const std::string withStream = "{'TableName':'Glob','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                                       "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':"
                                       "'pk','KeyType':'HASH'}],'StreamSpecification':{'StreamEnabled':true,"
                                       "'StreamViewType':'KEYS_ONLY'}}";
        QVERIFY(ok(run("us-east-1", "CreateTable", withStream, kStart)));
        QVERIFY(ok(run("eu-west-1", "CreateTable", withStream, kStart)));
        QVERIFY(ok(run("eu-west-1", "CreateTable", kProvisioned, kStart)));
        QVERIFY(ok(run("us-east-1", "PutItem", put("a", "east"), kStart)));
        QVERIFY(ok(run("eu-west-1", "PutItem", put("a", "west"), kStart)));
        QCOMPARE(items("us-east-1"), QString(R"({"pk":{"S":"a"},"v":{"S":"east"}})" "\n"));
        QCOMPARE(items("eu-west-1"), QString(R"({"pk":{"S":"a"},"v":{"S":"west"}})" "\n"));
        QCOMPARE(text(run("us-east-1", "ListTables", "{}", kStart)), QString(R"({"TableNames":["Glob"]})"));
        QCOMPARE(text(run("eu-west-1", "ListTables", "{}", kStart)), QString(R"({"TableNames":["Glob","Prov"]})"));
        QCOMPARE(text(run("eu-west-1", "ListTables", "{'ExclusiveStartTableName':'Glob'}", kStart)),
            QString(R"({"TableNames":["Prov"]})"));
        auto west = run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", kStart);
        QVERIFY(field(west, "Table", "TableArn").startsWith("arn:aws:dynamodb:eu-west-1:"));
        QVERIFY(field(west, "Table", "LatestStreamArn").startsWith("arn:aws:dynamodb:eu-west-1:"));
        auto east = run("us-east-1", "DescribeTable", "{'TableName':'Glob'}", kStart);
        QVERIFY(field(east, "Table", "TableArn").startsWith("arn:aws:dynamodb:us-east-1:"));
        // ListStreams lists region()'s streams only.
        auto streams = run("us-east-1", "ListStreams", "{}", kStart);
        QCOMPARE(streams.body.as_object().at("Streams").as_array().size(), std::size_t(1));
        // P exists only in eu-west-1.
        QCOMPARE(message(run("us-east-1", "DescribeTable", "{'TableName':'Prov'}", kStart)),
            QString("Requested resource not found: Table: Prov not found"));
        // Deleting one region's table leaves the other.
        QVERIFY(ok(run("eu-west-1", "DeleteTable", "{'TableName':'Glob'}", kStart)));
        QCOMPARE(items("us-east-1"), QString(R"({"pk":{"S":"a"},"v":{"S":"east"}})" "\n"));
    }

    // A database written before regions existed (bare names in the catalog, no region in the
    // description) opens unchanged: a table's region is its stream ARN's, else us-east-1.
    void legacyCatalogOpens()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/legacy.sqlite").toStdString();
        {
            auto engine = Engine::open(path);
            QVERIFY(engine);
            Dispatcher d(**engine);
            (*engine)->setRegion("ap-south-1");
            QVERIFY(!call(d, "CreateTable",
                J("{'TableName':'Str','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
                  "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'StreamSpecification':"
                  "{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}}"),
                kStart)
                         .isError());
            QVERIFY(!call(d, "CreateTable",
                J("{'TableName':'Nos','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
                  "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}"),
                kStart)
                         .isError());
            QVERIFY(!call(d, "PutItem", J(put("x", "1", "Nos")), kStart).isError());
        }
        {
            // Rewrite the catalog as an older capsim stored it.
            auto store = ItemStore::open(path);
            QVERIFY(store);
            auto records = (*store)->loadTables();
            QVERIFY(records);
            QCOMPARE(records->size(), std::size_t(2));
            for (auto record : *records) {
                auto json = boost::json::parse(record.descriptionJson).as_object();
                QCOMPARE(record.name, std::string("ap-south-1/") + std::string(json.at("name").as_string()));
                json.erase("region");
                record.name = std::string(json.at("name").as_string());
                record.descriptionJson = boost::json::serialize(json);
                QVERIFY((*store)->saveTable(record));
            }
        }
        auto engine = Engine::open(path);
        QVERIFY(engine);
        Dispatcher d(**engine);
        (*engine)->setRegion("ap-south-1"); // S: its stream ARN's region
        QCOMPARE(text(call(d, "ListTables", "{}", kStart)), QString(R"({"TableNames":["Str"]})"));
        (*engine)->setRegion("us-east-1"); // N: no stream, us-east-1
        QCOMPARE(text(call(d, "ListTables", "{}", kStart)), QString(R"({"TableNames":["Nos"]})"));
        QCOMPARE(text(call(d, "GetItem", J(key("x", "Nos")), kStart)), QString(R"({"Item":{"pk":{"S":"x"},"v":{"S":"1"}}})"));
    }

    // Part C 12's ValidationException texts and the in-flight ResourceInUseException; bad input
    // names its field; nothing stored changes.
    void replicaUpdatesErrors()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        QVERIFY(ok(run("us-east-1", "CreateTable", kProvisioned, kStart)));
        QVERIFY(ok(run("eu-west-1", "CreateTable", kProvisioned, kStart)));
        auto own = run("us-east-1", "UpdateTable", replicaUpdate("Create", "us-east-1"), kStart);
        QCOMPARE(own.body.as_object().at("__type").as_string().c_str(),
            "com.amazonaws.dynamodb.v20120810#ValidationException");
        QCOMPARE(message(own), QString("Cannot add or delete the local region through ReplicaUpdates"));
        QCOMPARE(message(run("us-east-1", "UpdateTable", replicaUpdate("Create", "us-west-2", "Prov"), kStart)),
            QString("Table write capacity should either be Pay-Per-Request or AutoScaled"));
        // Auto scaled (the simulator's say): allowed, but eu-west-1 already has a table P.
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->setWriteAutoScaled("Prov", true));
        QCOMPARE(message(run("us-east-1", "UpdateTable", replicaUpdate("Create", "eu-west-1", "Prov"), kStart)),
            QString("One or more replicas already existed as tables"));
        QCOMPARE(message(run("us-east-1", "UpdateTable", replicaUpdate("Create", "EU_WEST", "Glob"), kStart)),
            QString("1 validation error detected: Value 'EU_WEST' at 'replicaUpdates.1.member.create.regionName' "
                    "failed to satisfy constraint: Member must be a region name such as us-west-2"));
        QVERIFY(message(run("us-east-1", "UpdateTable",
                            "{'TableName':'Glob','ReplicaUpdates':[{'Create':{'RegionName':'eu-west-1'}},{'Create':"
                            "{'RegionName':'eu-west-2'}}]}",
                            kStart))
                    .contains("ReplicaUpdates must hold exactly one Create or Delete"));
        QVERIFY(message(run("us-east-1", "UpdateTable",
                            "{'TableName':'Glob','BillingMode':'PAY_PER_REQUEST','ReplicaUpdates':[{'Create':"
                            "{'RegionName':'eu-west-1'}}]}",
                            kStart))
                    .contains("ReplicaUpdates cannot be combined with BillingMode"));
        QVERIFY(message(run("us-east-1", "UpdateTable", "{'TableName':'Glob','ReplicaUpdates':[{'Create':{}}]}", kStart))
                    .contains("at 'regionName'"));
        QCOMPARE(message(run("us-east-1", "UpdateTable", replicaUpdate("Delete", "eu-west-1"), kStart)),
            QString("One or more parameter values were invalid: Replica eu-west-1 does not exist for table Glob"));
        // Nothing changed: G is not global, has no stream.
        auto g = run("us-east-1", "DescribeTable", "{'TableName':'Glob'}", kStart);
        QCOMPARE(field(g, "Table", "GlobalTableVersion"), QString("-"));
        QCOMPARE(field(g, "Table", "StreamSpecification"), QString("-"));
        QVERIFY(m_engine->replicaRegions("Glob").empty());
        // One action at a time: a second one while the first is CREATING.
        QVERIFY(ok(run("us-east-1", "UpdateTable", replicaUpdate("Create", "eu-west-2"), kStart)));
        auto second = run("us-east-1", "UpdateTable", replicaUpdate("Create", "ap-south-1"), kStart + kSecond);
        QCOMPARE(second.body.as_object().at("__type").as_string().c_str(),
            "com.amazonaws.dynamodb.v20120810#ResourceInUseException");
        QCOMPARE(message(run("us-east-1", "UpdateTable", replicaUpdate("Create", "eu-west-2"), kStart + 40 * kSecond)),
            QString("One or more replicas already existed as tables"));
        // The engine API's bad input.
        m_engine->setRegion("us-east-1");
        Status bad = m_engine->createReplicasNow("Glob", { "" });
        QVERIFY(bad.is(error::kValidation));
        QCOMPARE(QString::fromStdString(bad.message()), QString("createReplicasNow: regions: '' is not a region name"));
        QVERIFY(m_engine->setRegionDown("", true, kStart + 40 * kSecond).is(error::kValidation));
        QVERIFY(m_engine->createReplicasNow("Missing", { "eu-west-3" }).is(error::kResourceNotFound));
        QCOMPARE(m_engine->replicaRegions("Glob"), (std::vector<std::string> { "us-east-1", "eu-west-2" }));
    }

    // A11: Create enables NEW_AND_OLD_IMAGES, the replica is CREATING for max(30 s, bytes /
    // restoreRate) with the table's items, then ACTIVE with the changes made meanwhile; Delete
    // is DELETING 120 s, then the replica is gone.
    void replicaLifecycle()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        for (int i = 0; i < 10; ++i)
            QVERIFY(ok(run("us-east-1", "PutItem", put("k" + std::to_string(i), std::string(490, 'x')), kStart)));
        // Each item: "pk" 2 + "k<i>" 2 + "v" 1 + 490 = 495 bytes, + 100 overhead = 595 billable;
        // 10 items = 5950; the GSI has no entries (no g). At 100 B/s: 59.5 s > 30 s.
        m_engine->setRestoreBytesPerSecond(100);
        const EngineTime t0 = kStart + 10 * kSecond;
        auto created = run("us-east-1", "UpdateTable", replicaUpdate("Create", "eu-west-1"), t0);
        QVERIFY2(!created.isError(), qPrintable(text(created)));
        QCOMPARE(field(created, "TableDescription", "GlobalTableVersion"), QString("2019.11.21"));
        QCOMPARE(field(created, "TableDescription", "Replicas"),
            QString(R"([{"RegionName":"eu-west-1","ReplicaStatus":"CREATING"}])"));
        QCOMPARE(field(created, "TableDescription", "StreamSpecification"),
            QString(R"({"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"})"));
        // The replica: CREATING, seen only by DescribeTable; its own stream and region.
        auto replica = run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", t0);
        QCOMPARE(field(replica, "Table", "TableStatus"), QString("CREATING"));
        QCOMPARE(field(replica, "Table", "Replicas"), QString(R"([{"RegionName":"us-east-1","ReplicaStatus":"ACTIVE"}])"));
        QVERIFY(field(replica, "Table", "LatestStreamArn").startsWith("arn:aws:dynamodb:eu-west-1:"));
        QVERIFY(field(replica, "Table", "GlobalSecondaryIndexes").contains("ByG"));
        QVERIFY(field(replica, "Table", "BillingModeSummary").contains(R"("BillingMode":"PAY_PER_REQUEST")"));
        QVERIFY(run("eu-west-1", "GetItem", key("k1"), t0).isError());
        // A change during CREATING: delivered once ACTIVE.
        QVERIFY(ok(run("us-east-1", "PutItem", put("late", "1"), t0 + kSecond)));
        // ceil(5950 / 100) s = 59.5 s: CREATING at t0 + 59.499999 s, ACTIVE at t0 + 59.5 s.
        const EngineTime active = t0 + 59'500'000;
        QVERIFY(m_engine->advanceTime(active - 1));
        QCOMPARE(field(run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", active - 1), "Table", "TableStatus"),
            QString("CREATING"));
        QVERIFY(m_engine->advanceTime(active));
        QCOMPARE(field(run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", active), "Table", "TableStatus"),
            QString("ACTIVE"));
        QCOMPARE(field(run("us-east-1", "DescribeTable", "{'TableName':'Glob'}", active), "Table", "Replicas"),
            QString(R"([{"RegionName":"eu-west-1","ReplicaStatus":"ACTIVE"}])"));
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
        QCOMPARE(items("eu-west-1").count('\n'), 11);
        // Storage of a replica: 148 bytes per item (A1): 10 x 495 + "late" ("pk"+"late" 6, "v"+"1" 2)
        // 8 = 4958 bytes, + 11 x 148 = 1628: 6586 in each replica.
        for (const char* r : { "us-east-1", "eu-west-1" }) {
            auto d = run(r, "DescribeTable", "{'TableName':'Glob'}", active);
            QCOMPARE(d.body.as_object().at("Table").as_object().at("capsim").as_object().at("billableBytes").to_number<std::int64_t>(),
                std::int64_t(6586));
        }
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(1)); // "late"; the 10 were the seed
        // Delete: DELETING for 120 s, then gone; the table is an ordinary one again.
        const EngineTime t1 = active + kSecond;
        auto deleting = run("us-east-1", "UpdateTable", replicaUpdate("Delete", "eu-west-1"), t1);
        QCOMPARE(field(deleting, "TableDescription", "Replicas"),
            QString(R"([{"RegionName":"eu-west-1","ReplicaStatus":"DELETING"}])"));
        QVERIFY(m_engine->advanceTime(t1 + 120 * kSecond - 1));
        QCOMPARE(field(run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", t1 + 120 * kSecond - 1), "Table",
                     "TableStatus"),
            QString("DELETING"));
        QVERIFY(m_engine->advanceTime(t1 + 120 * kSecond));
        QVERIFY(run("eu-west-1", "DescribeTable", "{'TableName':'Glob'}", t1 + 120 * kSecond).isError());
        auto alone = run("us-east-1", "DescribeTable", "{'TableName':'Glob'}", t1 + 120 * kSecond);
        QCOMPARE(field(alone, "Table", "Replicas"), QString("-"));
        QVERIFY(m_engine->replicaRegions("Glob").empty());
        // The minimum when the table is small: 30 s (model.replicaCreateMinSeconds).
        const EngineTime t2 = t1 + 200 * kSecond;
        m_engine->setRestoreBytesPerSecond(1'000'000'000);
        QVERIFY(ok(run("us-east-1", "UpdateTable", replicaUpdate("Create", "eu-west-2"), t2)));
        QVERIFY(m_engine->advanceTime(t2 + 30 * kSecond - 1));
        QCOMPARE(field(run("eu-west-2", "DescribeTable", "{'TableName':'Glob'}", t2 + 30 * kSecond - 1), "Table",
                     "TableStatus"),
            QString("CREATING"));
        QVERIFY(m_engine->advanceTime(t2 + 30 * kSecond));
        QCOMPARE(items("eu-west-2"), items("us-east-1"));
    }

    // A11: L per (change, destination) from lognormal(1 s, 0.4), seeded; never before the
    // previous change of the item; replicated records carry origin, units x1 and GSI units.
    void latencyAndOrder()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->createReplicasNow("Glob", { "eu-west-1" }));
        QCOMPARE(m_engine->replicaRegions("Glob"), (std::vector<std::string> { "us-east-1", "eu-west-1" }));
        m_changes.clear();
        // 1,000 distinct items at 1 ms intervals.
        for (int i = 0; i < 1000; ++i)
            QVERIFY(ok(run("us-east-1", "PutItem", put("i" + std::to_string(i), "v"), kStart + i * 1000)));
        QVERIFY(m_engine->advanceTime(kStart + 60 * kSecond));
        std::vector<double> lags;
        for (const auto& c : m_changes)
            if (c.cause == WriteCause::Replication) {
                QCOMPARE(c.region, std::string("eu-west-1"));
                QCOMPARE(c.originRegion, std::string("us-east-1"));
                lags.push_back(static_cast<double>(c.time - c.originTime) / 1e6);
            }
        QCOMPARE(lags.size(), std::size_t(1000));
        std::sort(lags.begin(), lags.end());
        // lognormal(median 1 s, sigma 0.4): |z| < 5 gives L in [e^-2, e^2] = [0.135, 7.39] s; the
        // sample median of 1,000 lies within 1 +- 0.1 (its standard error is ~0.4 x 1.25 / 31.6 = 0.016).
        QVERIFY(lags.front() > 0.135 && lags.back() < 7.39);
        QVERIFY2(std::abs(lags[500] - 1.0) < 0.1, qPrintable(QString::number(lags[500])));
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(1000));
        QCOMPARE(counters("eu-west-1").conflicts, std::int64_t(0));
        QVERIFY(std::abs(counters("eu-west-1").maxLagSeconds - lags.back()) < 1e-6);
        // Same seed, same latencies: a second engine gives the same first lag.
        // Per-item order: 200 changes of one item 1 ms apart arrive in commit order, none dropped.
        m_changes.clear();
        const EngineTime t1 = kStart + 100 * kSecond;
        for (int i = 0; i < 200; ++i)
            QVERIFY(ok(run("us-east-1", "PutItem", put("same", std::to_string(i)), t1 + i * 1000)));
        QVERIFY(m_engine->advanceTime(t1 + 60 * kSecond));
        std::vector<EngineTime> arrivals;
        EngineTime lastOrigin = 0;
        for (const auto& c : m_changes)
            if (c.cause == WriteCause::Replication) {
                QVERIFY(c.originTime > lastOrigin);
                lastOrigin = c.originTime;
                arrivals.push_back(c.time);
            }
        QCOMPARE(arrivals.size(), std::size_t(200));
        QVERIFY(std::is_sorted(arrivals.begin(), arrivals.end()));
        QCOMPARE(counters("eu-west-1").conflicts, std::int64_t(0));
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
        // Units: a 1,500-byte item in a transaction costs 2 x 2 = 4 at the origin; replicated
        // it is ceil(1500 / 1024) = 2, x1; its GSI entry (same 1,500 bytes + key) is 2 units.
        m_changes.clear();
        // pk "pk"+"tx" = 4, g "g"+"a" = 2, v "v" + 1491 = 1492: total 1498 bytes.
        const std::string big(1491, 'x');
        QVERIFY(ok(run("us-east-1", "TransactWriteItems",
            "{'TransactItems':[{'Put':{'TableName':'Glob','Item':{'pk':{'S':'tx'},'g':{'S':'a'},'v':{'S':'" + big + "'}}}}]}",
            t1 + 100 * kSecond)));
        QVERIFY(m_engine->advanceTime(t1 + 200 * kSecond));
        int seen = 0;
        for (const auto& c : m_changes) {
            if (c.cause == WriteCause::Transaction)
                QCOMPARE(c.writeUnits, 4.0); // ceil(1498 / 1024) = 2, x2
            if (c.cause == WriteCause::Replication) {
                ++seen;
                QCOMPARE(c.writeUnits, 2.0);
                QCOMPARE(c.indexWriteUnits.size(), std::size_t(1));
                QCOMPARE(c.indexWriteUnits.at("ByG"), 2.0); // entry 1498 bytes -> 2 units
            }
        }
        QCOMPARE(seen, 1);
    }

    // A11: last writer wins by (commit µs, origin region); the loser is dropped and counted;
    // deletes leave tombstones that beat older puts.
    void lastWriterWinsAndTombstones()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->createReplicasNow("Glob", { "eu-west-1" }));
        // Same item in both regions, eu-west-1 500 µs later: (t+500, eu-west-1) > (t, us-east-1).
        QVERIFY(ok(run("us-east-1", "PutItem", put("k", "east"), kStart)));
        QVERIFY(ok(run("eu-west-1", "PutItem", put("k", "west"), kStart + 500)));
        QVERIFY(m_engine->advanceTime(kStart + 30 * kSecond));
        QCOMPARE(items("us-east-1"), QString(R"({"pk":{"S":"k"},"v":{"S":"west"}})" "\n"));
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
        // us-east-1 applied the west change; eu-west-1 dropped the older east one.
        QCOMPARE(counters("us-east-1").applied, std::int64_t(1));
        QCOMPARE(counters("us-east-1").conflicts, std::int64_t(0));
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(0));
        QCOMPARE(counters("eu-west-1").conflicts, std::int64_t(1));
        // Equal times: the greater region name wins, "us-east-1" > "eu-west-1".
        const EngineTime t1 = kStart + 40 * kSecond;
        QVERIFY(ok(run("us-east-1", "PutItem", put("tie", "east"), t1)));
        QVERIFY(ok(run("eu-west-1", "PutItem", put("tie", "west"), t1)));
        QVERIFY(m_engine->advanceTime(t1 + 30 * kSecond));
        QCOMPARE(text(run("eu-west-1", "GetItem", key("tie"), t1 + 30 * kSecond)),
            QString(R"({"Item":{"pk":{"S":"tie"},"v":{"S":"east"}}})"));
        QCOMPARE(counters("us-east-1").conflicts, std::int64_t(1));
        // Tombstone: a delete in us-east-1 100 µs after a put in eu-west-1 (both before either
        // arrives, L > 0.135 s): the delete's (t+100, us-east-1) beats the put's (t, eu-west-1).
        const EngineTime t2 = kStart + 100 * kSecond;
        QVERIFY(ok(run("us-east-1", "PutItem", put("d", "old"), t2 - 10 * kSecond)));
        QVERIFY(m_engine->advanceTime(t2 - kSecond));
        QVERIFY(ok(run("eu-west-1", "PutItem", put("d", "new"), t2)));
        QVERIFY(ok(run("us-east-1", "DeleteItem", key("d"), t2 + 100)));
        QVERIFY(m_engine->advanceTime(t2 + 30 * kSecond));
        QCOMPARE(text(run("us-east-1", "GetItem", key("d"), t2 + 30 * kSecond)), QString("{}"));
        QCOMPARE(text(run("eu-west-1", "GetItem", key("d"), t2 + 30 * kSecond)), QString("{}"));
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
        QCOMPARE(counters("us-east-1").conflicts, std::int64_t(2)); // the put of "new" arrived after the tombstone
    }

    // A11: during an outage changes to and from the region queue; back, they drain in order at
    // model.replicationCatchUpRate: 12,000 changes at 5,000/s take 12000 / 5000 = 2.4 s.
    void outageQueuesThenDrains()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->createReplicasNow("Glob", { "eu-west-1" }));
        QVERIFY(m_engine->setRegionDown("eu-west-1", true, kStart));
        QVERIFY(m_engine->regionDown("eu-west-1"));
        std::vector<Item> batch;
        for (int i = 0; i < 12000; ++i) {
            Item item;
            item.emplace("pk", AttributeValue::string("o" + std::to_string(i)));
            batch.push_back(std::move(item));
        }
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->bulkPut("Glob", batch));
        const EngineTime up = kStart + 100 * kSecond;
        QVERIFY(m_engine->advanceTime(up - 1));
        QCOMPARE(counters("eu-west-1").queued, std::int64_t(12000));
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(0));
        QVERIFY(m_engine->setRegionDown("eu-west-1", false, up));
        QVERIFY(!m_engine->regionDown("eu-west-1"));
        // The k-th at up + k / 5000 s = up + 200 µs x k.
        QVERIFY(m_engine->advanceTime(up + 1'200'000)); // k = 6000
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(6000));
        QVERIFY(m_engine->advanceTime(up + 2'400'000 - 1)); // k = 11999
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(11999));
        QCOMPARE(counters("eu-west-1").queued, std::int64_t(1));
        QVERIFY(m_engine->advanceTime(up + 2'400'000));
        QCOMPARE(counters("eu-west-1").applied, std::int64_t(12000));
        QCOMPARE(counters("eu-west-1").queued, std::int64_t(0));
        // Lag of the last: committed at kStart, applied at kStart + 102.4 s.
        QCOMPARE(counters("eu-west-1").maxLagSeconds, 102.4);
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
        // Changes from a region that is down wait too (eu-west-1 -> us-east-1).
        QVERIFY(m_engine->setRegionDown("eu-west-1", true, up + 10 * kSecond));
        QVERIFY(ok(run("eu-west-1", "PutItem", put("fromDown", "1"), up + 10 * kSecond)));
        QVERIFY(m_engine->advanceTime(up + 50 * kSecond));
        QCOMPARE(counters("us-east-1").queued, std::int64_t(1));
        QVERIFY(m_engine->setRegionDown("eu-west-1", false, up + 50 * kSecond));
        QVERIFY(m_engine->advanceTime(up + 50 * kSecond + 200)); // k = 1: 200 µs
        QCOMPARE(counters("us-east-1").queued, std::int64_t(0));
        QCOMPARE(items("eu-west-1"), items("us-east-1"));
    }

    // A11: TTL deletions replicate (in the first replica only; elsewhere a replicated delete,
    // with no TTL userIdentity, units = the deleted item's).
    void ttlDeletesReplicate()
    {
        QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
        QVERIFY(ok(run("us-east-1", "UpdateTimeToLive",
            "{'TableName':'Glob','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}", kStart)));
        m_engine->setRegion("us-east-1");
        QVERIFY(m_engine->createReplicasNow("Glob", { "eu-west-1" }));
        QVERIFY(ok(run("us-east-1", "PutItem", "{'TableName':'Glob','Item':{'pk':{'S':'e'},'exp':{'N':'1796378500'}}}", kStart)));
        QVERIFY(m_engine->advanceTime(kStart + 60 * kSecond));
        QCOMPARE(items("eu-west-1").count('\n'), 1);
        m_changes.clear();
        // Expired at 1796378500 s; deleted within model.ttlDelay's maximum, 48 h: hour by hour,
        // so that the replica's stream record is read within its 24 h retention.
        for (int hour = 1; hour <= 72 && !items("eu-west-1").isEmpty(); ++hour)
            QVERIFY(m_engine->advanceTime(kStart + hour * 3600 * kSecond));
        QCOMPARE(items("us-east-1"), QString(""));
        QCOMPARE(items("eu-west-1"), QString(""));
        int ttl = 0;
        int replicated = 0;
        for (const auto& c : m_changes) {
            if (c.cause == WriteCause::TtlDeletion) {
                ++ttl;
                QCOMPARE(c.region, std::string("us-east-1"));
                QCOMPARE(c.writeUnits, 0.0);
            }
            if (c.cause == WriteCause::Replication) {
                ++replicated;
                QCOMPARE(c.region, std::string("eu-west-1"));
                QVERIFY(!c.newImage);
                QCOMPARE(c.writeUnits, 1.0); // the deleted item: "pk"+"e" 3 + "exp"+N 3+6 = 12 bytes -> 1
            }
        }
        QCOMPARE(ttl, 1);
        QCOMPARE(replicated, 1);
        // The replica's stream record has no TTL userIdentity.
        auto streams = run("eu-west-1", "ListStreams", "{'TableName':'Glob'}", m_engine->now());
        const std::string arn(streams.body.as_object().at("Streams").as_array().at(0).as_object().at("StreamArn").as_string());
        auto described = run("eu-west-1", "DescribeStream", "{'StreamArn':'" + arn + "'}", m_engine->now());
        const auto& shards = described.body.as_object().at("StreamDescription").as_object().at("Shards").as_array();
        int removes = 0;
        for (const auto& shard : shards) {
            const std::string shardId(shard.as_object().at("ShardId").as_string());
            auto it = run("eu-west-1", "GetShardIterator",
                "{'StreamArn':'" + arn + "','ShardId':'" + shardId + "','ShardIteratorType':'TRIM_HORIZON'}",
                m_engine->now());
            const std::string iterator(it.body.as_object().at("ShardIterator").as_string());
            auto records = run("eu-west-1", "GetRecords", "{'ShardIterator':'" + iterator + "'}", m_engine->now());
            for (const auto& record : records.body.as_object().at("Records").as_array()) {
                if (record.as_object().at("eventName").as_string() == "REMOVE") {
                    ++removes;
                    QVERIFY(!record.as_object().if_contains("userIdentity"));
                }
            }
        }
        QCOMPARE(removes, 1);
    }

    // A11's convergence: seeded random puts, updates, deletes and transactions on a small key
    // space in three regions, random outages; once writes stop, outages end and time passes,
    // every replica holds the same items, and last-writer-wins dropped some arrivals.
    void replicasConverge()
    {
        const std::vector<std::string> regions { "us-east-1", "eu-west-1", "ap-south-1" };
        std::int64_t totalConflicts = 0;
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            fresh();
            m_engine->setReplicationSeed(seed);
            QVERIFY(ok(run("us-east-1", "CreateTable", kTable, kStart)));
            m_engine->setRegion("us-east-1");
            QVERIFY(m_engine->createReplicasNow("Glob", { "eu-west-1", "ap-south-1" }));
            std::mt19937_64 rng(seed);
            EngineTime now = kStart;
            for (int op = 0; op < 150; ++op) {
                now += static_cast<EngineTime>(rng() % 400'000); // up to 0.4 s apart
                const std::string& region = regions[rng() % regions.size()];
                const std::string k = "k" + std::to_string(rng() % 6);
                const std::string v = std::to_string(op);
                switch (rng() % 10) {
                case 0: {
                    const std::string& r = regions[rng() % regions.size()];
                    QVERIFY(m_engine->setRegionDown(r, !m_engine->regionDown(r), now));
                    break;
                }
                case 1:
                case 2:
                case 3:
                    QVERIFY(ok(run(region, "PutItem",
                        "{'TableName':'Glob','Item':{'pk':{'S':'" + k + "'},'v':{'S':'" + v + "'},'g':{'S':'"
                            + std::to_string(rng() % 3) + "'}}}",
                        now)));
                    break;
                case 4:
                case 5:
                    QVERIFY(ok(run(region, "UpdateItem",
                        "{'TableName':'Glob','Key':{'pk':{'S':'" + k + "'}},'UpdateExpression':'SET n = if_not_exists(n, "
                        ":z) + :one, v = :v','ExpressionAttributeValues':{':z':{'N':'0'},':one':{'N':'1'},':v':{'S':'"
                            + v + "'}}}",
                        now)));
                    break;
                case 6:
                case 7:
                    QVERIFY(ok(run(region, "DeleteItem", key(k), now)));
                    break;
                default: {
                    const std::string k2 = "k" + std::to_string(rng() % 6);
                    if (k2 == k)
                        break;
                    QVERIFY(ok(run(region, "TransactWriteItems",
                        "{'TransactItems':[{'Put':{'TableName':'Glob','Item':{'pk':{'S':'" + k + "'},'v':{'S':'tx" + v
                            + "'}}}},{'Delete':{'TableName':'Glob','Key':{'pk':{'S':'" + k2 + "'}}}}]}",
                        now)));
                    break;
                }
                }
            }
            for (const auto& r : regions)
                QVERIFY(m_engine->setRegionDown(r, false, now));
            QVERIFY(m_engine->advanceTime(now + 120 * kSecond));
            const QString reference = items("us-east-1");
            for (const auto& r : regions) {
                QCOMPARE(items(r), reference);
                QCOMPARE(counters(r).queued, std::int64_t(0));
                totalConflicts += counters(r).conflicts;
            }
            // The GSI agrees with its base table in every replica.
            for (const auto& r : regions) {
                auto q = run(r, "Scan", "{'TableName':'Glob','IndexName':'ByG'}", m_engine->now());
                std::int64_t withG = 0;
                const auto base = run(r, "Scan", "{'TableName':'Glob','ConsistentRead':true}", m_engine->now());
                for (const auto& item : base.body.as_object().at("Items").as_array())
                    withG += item.as_object().contains("g") ? 1 : 0;
                QCOMPARE(q.body.as_object().at("Count").to_number<std::int64_t>(), withG);
            }
        }
        QVERIFY(totalConflicts > 0);
    }
};

QTEST_GUILESS_MAIN(TestGlobalTables)
#include "tst_global_tables.moc"
