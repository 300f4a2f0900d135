// The engine's operations through the wire dispatcher: results, metering (reference A2 and
// the calibration vectors of part B), partitions (A3), UpdateTable limits (A4), error cases.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <set>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::Q;
using capsim::test::message;
using capsim::test::text;
using capsim::test::units;

namespace {

const std::string kOrders = J("{'TableName':'Orders','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},\n  {'AttributeName':'sk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},\n  {'AttributeName':'sk','KeyType':'RANGE'}],'ProvisionedThroughput':{'ReadCapacityUnits':10,'WriteCapacityUnits':10}}");

const std::string kOnDemand = J("{'TableName':'Flat','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],\n  'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}");

std::string padded(const std::string& pk, int sk, int totalBytes, const std::string& extra = "")
{
    // pk(2) + value + sk(2) + N + "p"(1) + payload == totalBytes
    const Number n = Number::fromInt(sk);
    const int used = 2 + static_cast<int>(pk.size()) + 2 + static_cast<int>(n.sizeBytes()) + 1;
    return J("{'pk':{'S':'") + pk + J("'},'sk':{'N':'") + std::to_string(sk) + J("'},'p':{'S':'")
        + std::string(static_cast<std::size_t>(totalBytes - used), 'x') + "\"}" + extra + "}";
}

QString batchOf26()
{
    QString puts;
    for (int i = 0; i < 26; ++i)
        puts += QString::fromStdString(J("%1{'PutRequest':{'Item':{'pk':{'S':'a'},'sk':{'N':'%2'}}}}")).arg(i ? "," : "").arg(i);
    return QString::fromStdString(J("{'RequestItems':{'Orders':[%1]}}")).arg(puts);
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse put(const std::string& item, const std::string& extra = "")
    {
        return call(*m_d, "PutItem",
            J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','Item':") + item + extra + "}");
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!call(*m_d, "CreateTable", kOrders).isError());
    }

    void putWriteUnits_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<double>("wcu");
        QTest::addRow("1 KB exactly") << 1024 << 1.0;
        QTest::addRow("1 KB + 1") << 1025 << 2.0;
        QTest::addRow("small") << 40 << 1.0;
        QTest::addRow("2 KB + 1") << 2049 << 3.0;
        QTest::addRow("400 KB") << 409600 << 400.0;
    }
    void putWriteUnits()
    {
        QFETCH(int, bytes);
        QFETCH(double, wcu);
        auto r = put(padded("a", 1, bytes));
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(units(r), wcu);
    }

    void overwriteChargesLarger()
    {
        put(padded("a", 1, 3000));
        auto r = put(padded("a", 1, 100));
        QCOMPARE(units(r), 3.0); // the old 3 KB item is larger (reference A2)
        r = put(padded("a", 1, 5000));
        QCOMPARE(units(r), 5.0);
    }

    void itemTooLarge()
    {
        put(padded("a", 1, 100));
        auto r = put(padded("a", 1, 409601));
        QVERIFY(r.isError());
        QCOMPARE(QString::fromStdString(r.errorType), QString("ValidationException"));
        QVERIFY(message(r).contains("Item size has exceeded the maximum allowed size"));
        // Nothing stored changed.
        auto g = call(*m_d, "GetItem", J("{'TableName':'Orders','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"));
        QCOMPARE(g.body.at("Item").at("p").at("S").as_string().size(), std::size_t(100 - 2 - 1 - 2 - 2 - 1));
    }

    void getReadUnits_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<bool>("strong");
        QTest::addColumn<double>("rcu");
        QTest::addRow("4 KB strong") << 4096 << true << 1.0;
        QTest::addRow("4 KB + 1 strong") << 4097 << true << 2.0;
        QTest::addRow("4 KB + 1 eventual") << 4097 << false << 1.0;
        QTest::addRow("small eventual") << 10 << false << 0.5;
        QTest::addRow("10 KB strong") << 10240 << true << 3.0;
    }
    void getReadUnits()
    {
        QFETCH(int, bytes);
        QFETCH(bool, strong);
        QFETCH(double, rcu);
        put(padded("a", 1, bytes));
        auto r = call(*m_d, "GetItem",
            std::string(J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ConsistentRead':"))
                + (strong ? "true" : "false") + J(",'Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"));
        QVERIFY(r.body.as_object().contains("Item"));
        QCOMPARE(units(r), rcu);
        // Projection does not reduce the cost (reference A2).
        auto projected = call(*m_d, "GetItem",
            std::string(J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ProjectionExpression':'pk','ConsistentRead':"))
                + (strong ? "true" : "false") + J(",'Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"));
        QCOMPARE(units(projected), rcu);
        QCOMPARE(projected.body.at("Item").as_object().size(), std::size_t(1));
    }

    void missingItemCosts()
    {
        auto g = call(*m_d, "GetItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','Key':{'pk':{'S':'zz'},'sk':{'N':'1'}}}"));
        QVERIFY(!g.body.as_object().contains("Item"));
        QCOMPARE(units(g), 0.5);
        g = call(*m_d, "GetItem", J("{'TableName':'Orders','ConsistentRead':true,'ReturnConsumedCapacity':'TOTAL','Key':{'pk':{'S':'zz'},'sk':{'N':'1'}}}"));
        QCOMPARE(units(g), 1.0);
        auto d = call(*m_d, "DeleteItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','Key':{'pk':{'S':'zz'},'sk':{'N':'1'}}}"));
        QCOMPARE(units(d), 1.0);
    }

    void deleteChargesDeletedSize()
    {
        put(padded("a", 1, 2049));
        auto d = call(*m_d, "DeleteItem",
            J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ReturnValues':'ALL_OLD','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"));
        QCOMPARE(units(d), 3.0);
        QVERIFY(d.body.as_object().contains("Attributes"));
    }

    void updateChargesLargerOfBeforeAndAfter()
    {
        put(padded("a", 1, 3000));
        auto u = call(*m_d, "UpdateItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ReturnValues':'UPDATED_NEW',\n            'Key':{'pk':{'S':'a'},'sk':{'N':'1'}},'UpdateExpression':'SET n = :one','ExpressionAttributeValues':{':one':{'N':'1'}}}"));
        QVERIFY2(!u.isError(), qPrintable(text(u)));
        QCOMPARE(units(u), 3.0);
        QCOMPARE(text(u).contains(QString::fromStdString(J("'Attributes':{'n':{'N':'1'}}"))), true);
        // Upsert of a missing item: a small new item costs 1.
        u = call(*m_d, "UpdateItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL',\n            'Key':{'pk':{'S':'new'},'sk':{'N':'1'}},'UpdateExpression':'ADD c :one','ExpressionAttributeValues':{':one':{'N':'1'}}}"));
        QCOMPARE(units(u), 1.0);
        auto g = call(*m_d, "GetItem", J("{'TableName':'Orders','Key':{'pk':{'S':'new'},'sk':{'N':'1'}}}"));
        QCOMPARE(text(g), QString::fromStdString(J("{'Item':{'c':{'N':'1'},'pk':{'S':'new'},'sk':{'N':'1'}}}")));
    }

    void updateKeyAttributeRejected()
    {
        put(padded("a", 1, 100));
        auto u = call(*m_d, "UpdateItem", J("{'TableName':'Orders','Key':{'pk':{'S':'a'},'sk':{'N':'1'}},\n            'UpdateExpression':'SET pk = :v','ExpressionAttributeValues':{':v':{'S':'b'}}}"));
        QVERIFY(u.isError());
        QVERIFY(message(u).contains("Cannot update attribute pk. This attribute is part of the key"));
    }

    void failedConditionChargesExistingItem()
    {
        put(padded("a", 1, 3000));
        auto r = put(padded("a", 1, 100), "");
        r = call(*m_d, "PutItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','Item':") + padded("a", 1, 100)
                + J(",'ConditionExpression':'attribute_not_exists(pk)'}"));
        QVERIFY(r.isError());
        QCOMPARE(QString::fromStdString(r.errorType), QString("ConditionalCheckFailedException"));
        QCOMPARE(message(r), QString("The conditional request failed"));
        // DynamoDB's error carries no capacity, but it was consumed: the existing 100-byte item -> 1.
        QCOMPARE(r.consumed.at(0).table.write, 1.0);
        // A failed condition on a missing item costs 1 whatever the new item's size.
        r = call(*m_d, "PutItem", J("{'TableName':'Orders','Item':") + padded("b", 1, 5000)
                + J(",'ConditionExpression':'attribute_exists(pk)'}"));
        QVERIFY(r.isError());
        QCOMPARE(r.consumed.at(0).table.write, 1.0);
        r = call(*m_d, "PutItem", J("{'TableName':'Orders','Item':") + padded("c", 1, 100)
                + J(",'ConditionExpression':'attribute_exists(pk)','ReturnValuesOnConditionCheckFailure':'ALL_OLD'}"));
        QVERIFY(!r.body.as_object().contains("Item"));
    }

    void queryRoundsOnce()
    {
        // 10 items totalling 40.8 KB (41,779 bytes) cost 44 KB -> 11 RCU strong (reference B).
        for (int i = 0; i < 10; ++i)
            put(padded("q", i, i < 9 ? 4178 : 41779 - 9 * 4178));
        auto q = call(*m_d, "Query", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ConsistentRead':true,\n            'KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'q'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), 10);
        QCOMPARE(units(q), 11.0);
    }

    void query1500SmallItems()
    {
        // 1,500 items x 64 bytes = 96 KB -> 24 RCU strong (reference B).
        for (int i = 0; i < 1500; ++i)
            put(padded("s", i, 64));
        auto q = call(*m_d, "Query", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','ConsistentRead':true,'Select':'COUNT',\n            'KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'s'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), 1500);
        QVERIFY(!q.body.as_object().contains("Items"));
        QCOMPARE(units(q), 24.0);
        auto e = call(*m_d, "Query", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL',\n            'KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'s'}}}"));
        QCOMPARE(units(e), 12.0);
    }

    void queryOrderLimitAndPaging()
    {
        for (int sk : { 5, -3, 10, 0, 2 })
            put(padded("o", sk, 50));
        auto q = call(*m_d, "Query", J("{'TableName':'Orders','ScanIndexForward':false,'Limit':2,'ProjectionExpression':'sk',\n            'KeyConditionExpression':'pk = :p AND sk BETWEEN :a AND :b','ExpressionAttributeValues':{':p':{'S':'o'},':a':{'N':'-3'},':b':{'N':'5'}}}"));
        QCOMPARE(text(q), QString::fromStdString(J("{'Items':[{'sk':{'N':'5'}},{'sk':{'N':'2'}}],'Count':2,'ScannedCount':2,'LastEvaluatedKey':{'pk':{'S':'o'},'sk':{'N':'2'}}}")));
        auto next = call(*m_d, "Query", J("{'TableName':'Orders','ScanIndexForward':false,'ProjectionExpression':'sk',\n            'ExclusiveStartKey':{'pk':{'S':'o'},'sk':{'N':'2'}},\n            'KeyConditionExpression':'pk = :p AND sk BETWEEN :a AND :b','ExpressionAttributeValues':{':p':{'S':'o'},':a':{'N':'-3'},':b':{'N':'5'}}}"));
        QCOMPARE(text(next), QString::fromStdString(J("{'Items':[{'sk':{'N':'0'}},{'sk':{'N':'-3'}}],'Count':2,'ScannedCount':2}")));
    }

    void queryFilterCountsScanned()
    {
        for (int i = 0; i < 6; ++i)
            put(padded("f", i, 60, i % 2 ? J(",'odd':{'BOOL':true}") : ""));
        auto q = call(*m_d, "Query", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','KeyConditionExpression':'pk = :p',\n            'FilterExpression':'attribute_exists(odd)','ExpressionAttributeValues':{':p':{'S':'f'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), 3);
        QCOMPARE(q.body.at("ScannedCount").as_int64(), 6);
        QCOMPARE(units(q), 0.5);
    }

    void queryPageStopsAtOneMegabyte()
    {
        // 300 items of 4 KB: a page stops once 1 MB has been read (256 items).
        for (int i = 0; i < 300; ++i)
            put(padded("big", i, 4096));
        auto q = call(*m_d, "Query", J("{'TableName':'Orders','ReturnConsumedCapacity':'TOTAL','Select':'COUNT',\n            'KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'big'}}}"));
        QCOMPARE(q.body.at("ScannedCount").as_int64(), 256);
        QVERIFY(q.body.as_object().contains("LastEvaluatedKey"));
        QCOMPARE(units(q), 128.0); // a full 1 MB page, eventually consistent (reference C 2.2)
    }

    void scanMinimumPerPartition()
    {
        // A Scan of a one-item on-demand table (4 partitions) costs 4 strong / 2 eventual (reference B).
        QVERIFY(!call(*m_d, "CreateTable", kOnDemand).isError());
        QVERIFY(!call(*m_d, "PutItem", J("{'TableName':'Flat','Item':{'id':{'S':'x'}}}")).isError());
        auto strong = call(*m_d, "Scan", J("{'TableName':'Flat','ConsistentRead':true,'ReturnConsumedCapacity':'TOTAL'}"));
        QCOMPARE(strong.body.at("Count").as_int64(), 1);
        QCOMPARE(units(strong), 4.0);
        auto eventual = call(*m_d, "Scan", J("{'TableName':'Flat','ReturnConsumedCapacity':'TOTAL'}"));
        QCOMPARE(units(eventual), 2.0);
        QCOMPARE(eventual.consumed.at(0).partitions.size(), std::size_t(4));
    }

    void scanSegmentsCoverTable()
    {
        QVERIFY(!call(*m_d, "CreateTable", kOnDemand).isError());
        for (int i = 0; i < 200; ++i)
            call(*m_d, "PutItem", J("{'TableName':'Flat','Item':{'id':{'S':'k") + std::to_string(i) + J("'}}}"));
        std::set<std::string> seen;
        for (int segment = 0; segment < 3; ++segment) {
            std::optional<boost::json::value> start;
            do {
                std::string request = J("{'TableName':'Flat','Limit':7,'Segment':") + std::to_string(segment) + J(",'TotalSegments':3");
                if (start)
                    request += J(",'ExclusiveStartKey':") + toJsonText(*start);
                auto page = call(*m_d, "Scan", request + "}");
                QVERIFY2(!page.isError(), qPrintable(text(page)));
                for (const auto& item : page.body.at("Items").as_array())
                    QVERIFY(seen.insert(std::string(item.at("id").at("S").as_string())).second);
                const auto* lek = page.body.as_object().if_contains("LastEvaluatedKey");
                start = lek ? std::optional<boost::json::value>(*lek) : std::nullopt;
            } while (start);
        }
        QCOMPARE(seen.size(), std::size_t(200));
        auto bad = call(*m_d, "Scan", J("{'TableName':'Flat','Segment':3,'TotalSegments':3}"));
        QVERIFY(message(bad).contains("Segment: 3 is out of bounds for TotalSegments: 3"));
    }

    void batchGetRoundsEachItem()
    {
        // 68 KB + 20 KB items cost 17 + 5 = 22 RCU strong (reference B).
        put(padded("b", 1, 68 * 1024));
        put(padded("b", 2, 20 * 1024));
        auto r = call(*m_d, "BatchGetItem", J("{'ReturnConsumedCapacity':'TOTAL','RequestItems':{'Orders':{'ConsistentRead':true,\n            'Keys':[{'pk':{'S':'b'},'sk':{'N':'1'}},{'pk':{'S':'b'},'sk':{'N':'2'}},{'pk':{'S':'b'},'sk':{'N':'3'}}]}}}"));
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(r.body.at("Responses").at("Orders").as_array().size(), std::size_t(2));
        QCOMPARE(r.body.at("ConsumedCapacity").as_array().at(0).at("CapacityUnits").to_number<double>(), 23.0); // + missing = 1
        auto dup = call(*m_d, "BatchGetItem", J("{'RequestItems':{'Orders':{'Keys':[{'pk':{'S':'b'},'sk':{'N':'1'}},{'pk':{'S':'b'},'sk':{'N':'1'}}]}}}"));
        QVERIFY(message(dup).contains("duplicates"));
    }

    void batchWriteRoundsEachItemAndRejectsWhole()
    {
        auto r = call(*m_d, "BatchWriteItem", J("{'ReturnConsumedCapacity':'TOTAL','RequestItems':{'Orders':[\n            {'PutRequest':{'Item':") + padded("w", 1, 500) + J("}},{'PutRequest':{'Item':") + padded("w", 2, 3584) + J("}}]}}"));
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(r.body.at("ConsumedCapacity").as_array().at(0).at("CapacityUnits").to_number<double>(), 5.0); // 1 + 4
        // One bad request rejects the whole batch: nothing is written.
        auto bad = call(*m_d, "BatchWriteItem", J("{'RequestItems':{'Orders':[\n            {'PutRequest':{'Item':") + padded("w", 3, 100) + J("}},{'DeleteRequest':{'Key':{'pk':{'S':'w'}}}}]}}"));
        QVERIFY(bad.isError());
        auto g = call(*m_d, "GetItem", J("{'TableName':'Orders','Key':{'pk':{'S':'w'},'sk':{'N':'3'}}}"));
        QVERIFY(!g.body.as_object().contains("Item"));
    }

    void returnConsumedCapacityShapes()
    {
        auto none = put(padded("r", 1, 10));
        auto indexes = call(*m_d, "PutItem", J("{'TableName':'Orders','ReturnConsumedCapacity':'INDEXES','Item':") + padded("r", 2, 10) + "}");
        QCOMPARE(text(indexes), QString::fromStdString(J("{'ConsumedCapacity':{'TableName':'Orders','CapacityUnits':1.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0,'Table':{'CapacityUnits':1.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0}}}")));
        auto plain = call(*m_d, "PutItem", J("{'TableName':'Orders','Item':") + padded("r", 3, 10) + "}");
        QCOMPARE(text(plain), QString("{}"));
    }

    // Issue 8: on-demand partitions are max(4, ceil(read ceiling / 3000), ceil(write ceiling /
    // 1000)) with the ceiling 2 x the previous peak capped at the table quota, laid out evenly.
    void onDemandPartitionCount_data()
    {
        QTest::addColumn<qint64>("peakRead");
        QTest::addColumn<qint64>("peakWrite");
        QTest::addColumn<int>("partitions");
        QTest::addRow("new table") << qint64(6000) << qint64(2000) << 4;
        QTest::addRow("2,500 writes") << qint64(6000) << qint64(2500) << 5;
        QTest::addRow("20,000 writes") << qint64(6000) << qint64(20000) << 40;
        QTest::addRow("30,000 writes, capped at the quota") << qint64(6000) << qint64(30000) << 40;
        QTest::addRow("30,000 reads") << qint64(30000) << qint64(2000) << 14;
    }
    void onDemandPartitionCount()
    {
        QFETCH(qint64, peakRead);
        QFETCH(qint64, peakWrite);
        QFETCH(int, partitions);
        QCOMPARE(onDemandPartitions(peakRead, peakWrite), std::size_t(partitions));
        TableState table;
        table.partitions = evenPartitions(4, table.nextPartitionId);
        QCOMPARE(table.growEvenlyTo(onDemandPartitions(peakRead, peakWrite)), partitions > 4);
        QCOMPARE(table.partitions.size(), std::size_t(partitions));
        // Even ranges: sizes differ by at most one hash value.
        const auto width = [](const Partition& p) { return p.hashHigh - p.hashLow; };
        for (const auto& p : table.partitions) {
            const std::uint64_t a = width(p);
            const std::uint64_t b = width(table.partitions.front());
            QVERIFY(std::max(a, b) - std::min(a, b) <= 1);
        }
        QCOMPARE(table.partitions.front().hashLow, std::uint64_t(0));
        QCOMPARE(table.partitions.back().hashHigh, UINT64_MAX);
    }

    // Issue 8: the engine lays out exactly max(4, ...) even partitions for an on-demand peak
    // (not a doubling) and refuses a peak above the table quota.
    void onDemandPeakPartitions()
    {
        QVERIFY(!call(*m_d, "CreateTable", kOnDemand).isError());
        QVERIFY(m_engine->setOnDemandPeak("Flat", 6000, 2500).isOk());
        QCOMPARE(m_engine->table("Flat")->partitions.size(), std::size_t(5));
        QVERIFY(m_engine->setOnDemandPeak("Flat", 6000, 20000).isOk());
        QCOMPARE(m_engine->table("Flat")->partitions.size(), std::size_t(40));
        const Status tooHigh = m_engine->setOnDemandPeak("Flat", 6000, 40001);
        QCOMPARE(QString::fromStdString(tooHigh.type()), QString("LimitExceededException"));
        QCOMPARE(m_engine->table("Flat")->partitions.size(), std::size_t(40));
        QCOMPARE(m_engine->table("Flat")->peakWrite, std::int64_t(20000));
    }

    // Issue 8: a billing-mode change while another UpdateTable is in flight is refused.
    void billingModeChangeWhileUpdating()
    {
        m_engine->setUpdateTableDuration(60 * kMicrosPerSecond);
        auto raise = call(*m_d, "UpdateTable",
            J("{'TableName':'Orders','ProvisionedThroughput':{'ReadCapacityUnits':20,'WriteCapacityUnits':20}}"), 0);
        QVERIFY2(!raise.isError(), qPrintable(text(raise)));
        QCOMPARE(std::string(raise.body.at("TableDescription").at("TableStatus").as_string()), std::string("UPDATING"));
        auto describe = call(*m_d, "DescribeTable", J("{'TableName':'Orders'}"), 30 * kMicrosPerSecond);
        QCOMPARE(std::string(describe.body.at("Table").at("TableStatus").as_string()), std::string("UPDATING"));
        auto inFlight = call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"),
            30 * kMicrosPerSecond);
        QCOMPARE(inFlight.errorType, std::string("ResourceInUseException"));
        QVERIFY2(message(inFlight).contains("Orders"), qPrintable(message(inFlight)));
        QCOMPARE(m_engine->table("Orders")->billingMode, BillingMode::Provisioned);
        auto later = call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"),
            61 * kMicrosPerSecond);
        QVERIFY2(!later.isError(), qPrintable(text(later)));
        describe = call(*m_d, "DescribeTable", J("{'TableName':'Orders'}"), 200 * kMicrosPerSecond);
        QCOMPARE(std::string(describe.body.at("Table").at("TableStatus").as_string()), std::string("ACTIVE"));
        // Without a duration (the default) an update is over at once.
        m_engine->setUpdateTableDuration(0);
        QVERIFY(!call(*m_d, "UpdateTable",
            J("{'TableName':'Orders','BillingMode':'PROVISIONED','ProvisionedThroughput':{'ReadCapacityUnits':5,"
              "'WriteCapacityUnits':5}}"),
            300 * kMicrosPerSecond)
                     .isError());
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"),
            300 * kMicrosPerSecond)
                     .isError());
    }

    // Issue 8: an update of only REMOVEs on a missing item creates nothing; REMOVE a.b there is
    // no error.
    void removeOnlyUpdateOfMissingItem()
    {
        for (const char* expression : { "REMOVE a", "REMOVE a.b", "REMOVE a[0], b" }) {
            auto r = call(*m_d, "UpdateItem",
                J("{'TableName':'Orders','Key':{'pk':{'S':'none'},'sk':{'N':'1'}},'UpdateExpression':'")
                    + expression + J("','ReturnValues':'ALL_NEW'}"));
            QVERIFY2(!r.isError(), qPrintable(text(r)));
            QVERIFY2(!r.body.as_object().contains("Attributes"), qPrintable(text(r)));
            auto g = call(*m_d, "GetItem", J("{'TableName':'Orders','Key':{'pk':{'S':'none'},'sk':{'N':'1'}}}"));
            QVERIFY2(!g.body.as_object().contains("Item"), qPrintable(text(g)));
        }
        // SET on a missing item still creates it.
        auto set = call(*m_d, "UpdateItem",
            J("{'TableName':'Orders','Key':{'pk':{'S':'none'},'sk':{'N':'1'}},'UpdateExpression':'SET a = :v REMOVE b',"
              "'ExpressionAttributeValues':{':v':{'N':'1'}},'ReturnValues':'ALL_NEW'}"));
        QCOMPARE(text(set), Q("{'Attributes':{'a':{'N':'1'},'pk':{'S':'none'},'sk':{'N':'1'}}}"));
    }

    // Issue 8: TableId is a UUID, stable per table; LastUpdateToPayPerRequestDateTime stays
    // after a switch; DeleteTable describes only what DynamoDB's DeleteTable returns.
    void tableDescriptionFields()
    {
        QVERIFY(!call(*m_d, "CreateTable", kOnDemand).isError());
        const QRegularExpression uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        auto idOf = [&](const std::string& name) {
            auto d = call(*m_d, "DescribeTable", J("{'TableName':'") + name + J("'}"));
            return QString::fromStdString(std::string(d.body.at("Table").at("TableId").as_string()));
        };
        const QString orders = idOf("Orders");
        QVERIFY2(uuid.match(orders).hasMatch(), qPrintable(orders));
        QCOMPARE(idOf("Orders"), orders);
        QVERIFY(idOf("Flat") != orders);
        QVERIFY(uuid.match(idOf("Flat")).hasMatch());

        const EngineTime day = 24 * 3600 * kMicrosPerSecond;
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"), day).isError());
        auto described = call(*m_d, "DescribeTable", J("{'TableName':'Orders'}"), 3 * day);
        const auto& billing = described.body.at("Table").at("BillingModeSummary").as_object();
        QCOMPARE(std::string(billing.at("BillingMode").as_string()), std::string("PAY_PER_REQUEST"));
        QVERIFY2(billing.contains("LastUpdateToPayPerRequestDateTime"), qPrintable(text(described)));
        QCOMPARE(billing.at("LastUpdateToPayPerRequestDateTime").to_number<double>(), 86400.0);

        auto deleted = call(*m_d, "DeleteTable", J("{'TableName':'Flat'}"), 3 * day);
        const auto& d = deleted.body.at("TableDescription").as_object();
        QCOMPARE(std::string(d.at("TableStatus").as_string()), std::string("DELETING"));
        for (const char* kept : { "TableName", "TableArn", "TableId", "ItemCount", "TableSizeBytes", "ProvisionedThroughput" })
            QVERIFY2(d.contains(kept), kept);
        for (const char* omitted : { "AttributeDefinitions", "KeySchema", "CreationDateTime", "capsim" })
            QVERIFY2(!d.contains(omitted), omitted);
    }

    void validationErrors_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("unknown table") << "GetItem" << Q("{'TableName':'Nope','Key':{'pk':{'S':'a'}}}")
                                       << "ResourceNotFoundException" << "Requested resource not found";
        QTest::addRow("missing key attr") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'}}}")
                                          << "ValidationException" << "Missing the key sk in the item";
        QTest::addRow("key type mismatch") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'S':'1'}}}")
                                           << "ValidationException" << "Type mismatch for key sk expected: N actual: S";
        QTest::addRow("empty key string") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':''},'sk':{'N':'1'}}}")
                                          << "ValidationException" << "cannot contain an empty string value";
        QTest::addRow("key too long") << "PutItem"
                                      << QString::fromStdString(J("{'TableName':'Orders','Item':{'pk':{'S':'%1'},'sk':{'N':'1'}}}")).arg(QString(2049, 'k'))
                                      << "ValidationException" << "Size of hashkey has exceeded the maximum size limit of 2048 bytes";
        QTest::addRow("sort key too long") << "PutItem"
                                           << QString::fromStdString(J("{'TableName':'Orders2','Item':{'pk':{'S':'a'},'sk':{'S':'%1'}}}")).arg(QString(1025, 'k'))
                                           << "ValidationException" << "Aggregated size of all range keys";
        QTest::addRow("key schema mismatch") << "GetItem" << Q("{'TableName':'Orders','Key':{'pk':{'S':'a'}}}")
                                             << "ValidationException" << "The provided key element does not match the schema";
        QTest::addRow("empty set") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'s':{'SS':[]}}}")
                                   << "ValidationException" << "may not be empty";
        QTest::addRow("empty attribute name (issue 8)")
            << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'':{'S':'x'}}}")
            << "ValidationException" << "An attribute name may not be empty";
        QTest::addRow("invalid table name on an item operation (issue 8)")
            << "GetItem" << Q("{'TableName':'non!existent!table','Key':{'pk':{'S':'a'}}}") << "ValidationException"
            << "Value 'non!existent!table' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
               "expression pattern: [a-zA-Z0-9_.-]+";
        QTest::addRow("bad number") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1x'}}}")
                                    << "ValidationException" << "cannot be converted to a numeric value";
        QTest::addRow("syntax error names token") << "Query"
                                                  << Q("{'TableName':'Orders','KeyConditionExpression':'pk = = :p','ExpressionAttributeValues':{':p':{'S':'a'}}}")
                                                  << "ValidationException" << "Syntax error; token: \"=\"";
        QTest::addRow("unused value") << "PutItem"
                                      << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ConditionExpression':'attribute_exists(pk)','ExpressionAttributeValues':{':x':{'S':'a'}}}")
                                      << "ValidationException" << "unused in expressions: keys: {:x}";
        QTest::addRow("undefined value") << "PutItem"
                                         << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ConditionExpression':'n = :x'}")
                                         << "ValidationException" << ":x";
        QTest::addRow("missing table name") << "GetItem" << Q("{'Key':{'pk':{'S':'a'}}}")
                                            << "ValidationException" << "Value null at 'tableName'";
        QTest::addRow("wrong json type") << "GetItem" << Q("{'TableName':5,'Key':{}}") << "SerializationException"
                                         << "cannot be converted to String";
        QTest::addRow("bad enum") << "PutItem" << Q("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'}},'ReturnValues':'ALL_NEW'}")
                                  << "ValidationException" << "Return values set to invalid value";
        QTest::addRow("unknown operation") << "Frobnicate" << "{}" << "UnknownOperationException" << "Frobnicate";
        QTest::addRow("limit zero") << "Scan" << Q("{'TableName':'Orders','Limit':0}") << "ValidationException"
                                    << "greater than or equal to 1";
        QTest::addRow("batch over 25") << "BatchWriteItem" << batchOf26() << "ValidationException" << "less than or equal to 25";
        QTest::addRow("filter on key") << "Query"
                                       << Q("{'TableName':'Orders','KeyConditionExpression':'pk = :p','FilterExpression':'sk > :s','ExpressionAttributeValues':{':p':{'S':'a'},':s':{'N':'1'}}}")
                                       << "ValidationException" << "Filter Expression can only contain non-primary key attributes";
    }
    void validationErrors()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, messagePart);
        QVERIFY(!call(*m_d, "CreateTable", J("{'TableName':'Orders2','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},\n            {'AttributeName':'sk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},\n            {'AttributeName':'sk','KeyType':'RANGE'}],'BillingMode':'PAY_PER_REQUEST'}")).isError());
        put(padded("keep", 1, 77));
        auto r = call(*m_d, operation.toStdString(), request.toStdString());
        QVERIFY2(r.isError(), qPrintable(text(r)));
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QVERIFY2(message(r).contains(messagePart), qPrintable(message(r)));
        QVERIFY(text(r).startsWith(QString::fromStdString(J("{'__type':'com.amazonaws.dynamodb.v20120810#")) + type));
        // A rejected request changes nothing stored.
        QCOMPARE(m_engine->table("Orders")->itemCount(), std::int64_t(1));
        QCOMPARE(m_engine->table("Orders")->itemBytes(), std::int64_t(77));
    }

    void initialPartitions_data()
    {
        QTest::addColumn<int>("rcu");
        QTest::addColumn<int>("wcu");
        QTest::addColumn<int>("partitions");
        // Reference C 3.2 examples of ceil(RCU/3000 + WCU/1000).
        QTest::addRow("1000/500") << 1000 << 500 << 1;
        QTest::addRow("1000/1000") << 1000 << 1000 << 2;
        QTest::addRow("5000/2000") << 5000 << 2000 << 4;
        QTest::addRow("3000/0+1") << 3000 << 1 << 2;
        QTest::addRow("1/1") << 1 << 1 << 1;
        QTest::addRow("0 WCU edge") << 2999 << 1 << 2;
    }
    void initialPartitions()
    {
        QFETCH(int, rcu);
        QFETCH(int, wcu);
        QFETCH(int, partitions);
        auto r = call(*m_d, "CreateTable", QString::fromStdString(J("{'TableName':'Par','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'N'}],\n            'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'ProvisionedThroughput':{'ReadCapacityUnits':%1,'WriteCapacityUnits':%2}}"))
                                                .arg(rcu).arg(wcu).toStdString());
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(int(m_engine->table("Par")->partitions.size()), partitions);
    }

    void throughputIncreaseDoublesPartitions()
    {
        // 5,000 -> 8,000 RCU: 4 partitions become 8 (reference C 3.2).
        call(*m_d, "CreateTable", J("{'TableName':'Par','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],\n            'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'ProvisionedThroughput':{'ReadCapacityUnits':5000,'WriteCapacityUnits':2000}}"));
        QCOMPARE(m_engine->table("Par")->partitions.size(), std::size_t(4));
        for (int i = 0; i < 100; ++i)
            call(*m_d, "PutItem", J("{'TableName':'Par','Item':{'id':{'S':'k") + std::to_string(i) + J("'}}}"));
        auto r = call(*m_d, "UpdateTable", J("{'TableName':'Par','ProvisionedThroughput':{'ReadCapacityUnits':8000,'WriteCapacityUnits':2000}}"), 1);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        const auto* t = m_engine->table("Par");
        QCOMPARE(t->partitions.size(), std::size_t(8));
        QCOMPARE(t->itemCount(), std::int64_t(100));
        // Lowering never merges.
        r = call(*m_d, "UpdateTable", J("{'TableName':'Par','ProvisionedThroughput':{'ReadCapacityUnits':10,'WriteCapacityUnits':10}}"), 2);
        QVERIFY(!r.isError());
        QCOMPARE(m_engine->table("Par")->partitions.size(), std::size_t(8));
        QCOMPARE(r.body.at("TableDescription").at("capsim").at("partitionCount").as_int64(), 8);
    }

    void decreaseBudget()
    {
        const EngineTime hour = kMicrosPerHour;
        auto set = [&](int units, EngineTime at) {
            return call(*m_d, "UpdateTable", QString::fromStdString(J("{'TableName':'Orders','ProvisionedThroughput':{'ReadCapacityUnits':%1,'WriteCapacityUnits':%1}}"))
                                                 .arg(units).toStdString(), at);
        };
        QVERIFY(!set(100, 1).isError()); // increase: no budget used
        for (int i = 0; i < 4; ++i)
            QVERIFY(!set(90 - i, 2 + i).isError());
        auto refused = set(50, 10);
        QCOMPARE(QString::fromStdString(refused.errorType), QString("LimitExceededException"));
        QCOMPARE(m_engine->table("Orders")->readCapacity, std::int64_t(87)); // unchanged
        QVERIFY(!set(49, hour + 10).isError()); // one decrease back after an hour
        QVERIFY(set(48, hour + 20).isError());
        auto same = set(49, 2 * hour + 20);
        QVERIFY(message(same).contains("will not change"));
    }

    void billingModeSwitchLimit()
    {
        const EngineTime hour = kMicrosPerHour;
        for (int i = 0; i < 4; ++i) {
            QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"), i * hour).isError());
            QCOMPARE(m_engine->table("Orders")->billingMode, BillingMode::PayPerRequest);
            QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PROVISIONED','ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}"),
                         i * hour + 1).isError());
        }
        auto fifth = call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"), 5 * hour);
        QCOMPARE(QString::fromStdString(fifth.errorType), QString("LimitExceededException"));
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','BillingMode':'PAY_PER_REQUEST'}"), 25 * hour).isError());
        // On-demand tables get at least 4 partitions (reference A3).
        QVERIFY(m_engine->table("Orders")->partitions.size() >= 4);
    }

    void tableClassLimit()
    {
        const EngineTime day = 24 * kMicrosPerHour;
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','TableClass':'STANDARD_INFREQUENT_ACCESS'}"), day).isError());
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','TableClass':'STANDARD'}"), 2 * day).isError());
        QVERIFY(call(*m_d, "UpdateTable", J("{'TableName':'Orders','TableClass':'STANDARD_INFREQUENT_ACCESS'}"), 3 * day).isError());
        QVERIFY(!call(*m_d, "UpdateTable", J("{'TableName':'Orders','TableClass':'STANDARD_INFREQUENT_ACCESS'}"), 31 * day + 1).isError());
    }

    void listTablesPaginates()
    {
        for (const char* name : { "Alpha", "Beta", "Gamma" })
            call(*m_d, "CreateTable", std::string(J("{'TableName':'")) + name + J("','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],\n            'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}"));
        auto first = call(*m_d, "ListTables", J("{'Limit':2}"));
        QCOMPARE(text(first), QString::fromStdString(J("{'TableNames':['Alpha','Beta'],'LastEvaluatedTableName':'Beta'}")));
        auto rest = call(*m_d, "ListTables", J("{'ExclusiveStartTableName':'Beta'}"));
        QCOMPARE(text(rest), QString::fromStdString(J("{'TableNames':['Gamma','Orders']}")));
        QVERIFY(!call(*m_d, "DeleteTable", J("{'TableName':'Beta'}")).isError());
        QCOMPARE(text(call(*m_d, "ListTables", "{}")), QString::fromStdString(J("{'TableNames':['Alpha','Gamma','Orders']}")));
        auto again = call(*m_d, "CreateTable", kOrders);
        QCOMPARE(QString::fromStdString(again.errorType), QString("ResourceInUseException"));
    }

    void describeTableShowsPartitionMap()
    {
        for (int i = 0; i < 20; ++i)
            put(padded("d" + std::to_string(i), 1, 200));
        auto d = call(*m_d, "DescribeTable", J("{'TableName':'Orders'}"));
        const auto& t = d.body.at("Table");
        QCOMPARE(t.at("ItemCount").as_int64(), 20);
        QCOMPARE(t.at("TableSizeBytes").as_int64(), 4000);
        QCOMPARE(t.at("capsim").at("billableBytes").as_int64(), 4000 + 20 * 100);
        std::int64_t items = 0;
        for (const auto& p : t.at("capsim").at("partitions").as_array())
            items += p.at("itemCount").as_int64();
        QCOMPARE(items, std::int64_t(20));
        QCOMPARE(t.at("KeySchema").at(1).at("KeyType").as_string(), "RANGE");
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
