// DynamoDB Streams in the engine and on the wire (reference A7, part C 8): StreamSpecification
// rules and errors, labels and ARNs, the four view types with SizeBytes against part B's
// vectors, sequence numbers, shard ids and eventIDs against hand-computed values, shards that
// follow partition splits and roll over, retention and iterator expiry on the engine's clock,
// GetRecords' limits, transactions, persistence across reopen, and a seeded randomized replay:
// every record replayed over the table's starting state rebuilds its final state.

#include "engine/dispatcher.h"
#include "engine/json_codec.h"
#include "tests/support/wire.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <random>
#include <set>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;

namespace {

// 2023-11-14T22:13:20.123456Z
constexpr EngineTime kT0 = 1'700'000'000'123'456;
constexpr EngineTime kSecond = kMicrosPerSecond;
const std::string kLabel = "2023-11-14T22:13:20.123";
const std::string kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/" + kLabel;

std::string createTable(const std::string& name, const std::string& viewType, const std::string& billing = "PAY_PER_REQUEST")
{
    std::string request = "{'TableName':'" + name
        + "','AttributeDefinitions':[{'AttributeName':'Id','AttributeType':'N'}],"
          "'KeySchema':[{'AttributeName':'Id','KeyType':'HASH'}],";
    if (billing == "PAY_PER_REQUEST")
        request += "'BillingMode':'PAY_PER_REQUEST'";
    else
        request += "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1}";
    if (!viewType.empty())
        request += ",'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'" + viewType + "'}";
    return J(request + "}");
}

std::string valueText(const Item& item, const std::string& name)
{
    return boost::json::serialize(attributeValueToJson(item.at(name)));
}

} // namespace

class TestStreams : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse ok(const std::string& operation, const std::string& request, EngineTime now)
    {
        auto r = call(*m_d, operation, J(request), now);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    const boost::json::object& body(const WireResponse& r) { return r.body.as_object(); }

    // Every record of every shard of the stream, in sequence order.
    std::vector<StreamRecord> allRecords(const std::string& arn)
    {
        std::vector<StreamRecord> out;
        auto d = m_engine->describeStream(arn);
        if (!d)
            qFatal("describeStream: %s", d.status().toString().c_str());
        for (const auto& shard : d->shards) {
            std::int64_t after = 0;
            for (;;) {
                auto read = m_engine->readShard(arn, shard.shardId, after);
                if (!read)
                    qFatal("readShard: %s", read.status().toString().c_str());
                out.insert(out.end(), read->records.begin(), read->records.end());
                if (read->records.empty())
                    break;
                after = read->nextAfterSequence;
            }
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
        return out;
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
    }

    void specificationErrors_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expected");
        const std::string table = "'AttributeDefinitions':[{'AttributeName':'Id','AttributeType':'N'}],"
                                  "'KeySchema':[{'AttributeName':'Id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST',";
        QTest::addRow("create enabled without view type")
            << "CreateTable" << QString::fromStdString(J("{'TableName':'New'," + table + "'StreamSpecification':{'StreamEnabled':true}}"))
            << "ValidationException"
            << "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required";
        QTest::addRow("create disabled with view type")
            << "CreateTable"
            << QString::fromStdString(J("{'TableName':'New'," + table
                   + "'StreamSpecification':{'StreamEnabled':false,'StreamViewType':'KEYS_ONLY'}}"))
            << "ValidationException"
            << "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be "
               "specified";
        QTest::addRow("unknown view type")
            << "CreateTable"
            << QString::fromStdString(J("{'TableName':'New'," + table
                   + "'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'ALL'}}"))
            << "ValidationException"
            << "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy "
               "constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]";
        QTest::addRow("StreamEnabled missing")
            << "UpdateTable" << QString::fromStdString(J("{'TableName':'Tab','StreamSpecification':{'StreamViewType':'KEYS_ONLY'}}"))
            << "ValidationException"
            << "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy "
               "constraint: Member must not be null";
        QTest::addRow("StreamEnabled not a boolean")
            << "UpdateTable" << QString::fromStdString(J("{'TableName':'Tab','StreamSpecification':{'StreamEnabled':'yes'}}"))
            << "SerializationException" << "";
        QTest::addRow("enable twice")
            << "UpdateTable"
            << QString::fromStdString(J("{'TableName':'Sss','StreamSpecification':{'StreamEnabled':true,'StreamViewType':'NEW_IMAGE'}}"))
            << "ValidationException" << "Table already has an enabled stream: TableName: Sss";
        QTest::addRow("disable without stream")
            << "UpdateTable" << QString::fromStdString(J("{'TableName':'Tab','StreamSpecification':{'StreamEnabled':false}}"))
            << "ValidationException" << "Table has no stream to disable: TableName: Tab";
        QTest::addRow("update enabled without view type")
            << "UpdateTable" << QString::fromStdString(J("{'TableName':'Tab','StreamSpecification':{'StreamEnabled':true}}"))
            << "ValidationException"
            << "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required";
        QTest::addRow("toggle while UPDATING")
            << "UpdateTable" << QString::fromStdString(J("{'TableName':'Upd','StreamSpecification':{'StreamEnabled':false}}"))
            << "ResourceInUseException" << "Attempt to change a resource which is still in use: Table is being updated: Upd";
    }

    void specificationErrors()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, expected);
        QVERIFY(!ok("CreateTable", createTable("Tab", ""), kT0).isError());
        QVERIFY(!ok("CreateTable", createTable("Sss", "KEYS_ONLY"), kT0).isError());
        QVERIFY(!ok("CreateTable", createTable("Upd", ""), kT0).isError());
        // U toggles at kT0 + 1 s: UPDATING until kT0 + 6 s.
        QVERIFY(!ok("UpdateTable", "{'TableName':'Upd','StreamSpecification':{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}}",
            kT0 + kSecond)
                     .isError());
        auto r = call(*m_d, operation.toStdString(), request.toStdString(), kT0 + 2 * kSecond);
        QVERIFY(r.isError());
        QCOMPARE(QString::fromStdString(r.errorType), type);
        if (!expected.isEmpty())
            QCOMPARE(message(r), expected);
        // Nothing changed: T has no stream, S keeps its one.
        QVERIFY(!m_engine->table("Tab")->stream.enabled);
        QVERIFY(m_engine->table("Tab")->stream.latestArn.empty());
        QCOMPARE(m_engine->table("Sss")->stream.viewType, std::string("KEYS_ONLY"));
        auto list = m_engine->listStreams(std::nullopt, std::nullopt, std::nullopt);
        QVERIFY(list);
        QCOMPARE(list->streams.size(), std::size_t(2));
    }

    void enableDescribesTheStream()
    {
        auto created = ok("CreateTable", createTable("Tab", ""), kT0);
        QVERIFY(!body(created).at("TableDescription").as_object().contains("StreamSpecification"));
        auto updated = ok("UpdateTable", "{'TableName':'Tab','StreamSpecification':{'StreamEnabled':true,'StreamViewType':'NEW_AND_OLD_IMAGES'}}", kT0);
        const auto& t = body(updated).at("TableDescription").as_object();
        QCOMPARE(t.at("TableStatus").as_string(), "UPDATING");
        QCOMPARE(boost::json::serialize(t.at("StreamSpecification")),
            J("{'StreamEnabled':true,'StreamViewType':'NEW_AND_OLD_IMAGES'}"));
        QCOMPARE(std::string(t.at("LatestStreamLabel").as_string()), kLabel);
        QCOMPARE(std::string(t.at("LatestStreamArn").as_string()), kArn);
        // UPDATING and ENABLING for model.streamToggleDelay (5 s), then ACTIVE and ENABLED.
        auto during = ok("DescribeStream", "{'StreamArn':'" + kArn + "'}", kT0 + 4 * kSecond);
        QCOMPARE(body(during).at("StreamDescription").at("StreamStatus").as_string(), "ENABLING");
        QCOMPARE(body(ok("DescribeTable", "{'TableName':'Tab'}", kT0 + 4 * kSecond)).at("Table").at("TableStatus").as_string(),
            "UPDATING");
        auto after = ok("DescribeStream", "{'StreamArn':'" + kArn + "'}", kT0 + 5 * kSecond);
        const auto& d = body(after).at("StreamDescription").as_object();
        QCOMPARE(d.at("StreamStatus").as_string(), "ENABLED");
        QCOMPARE(body(ok("DescribeTable", "{'TableName':'Tab'}", kT0 + 5 * kSecond)).at("Table").at("TableStatus").as_string(),
            "ACTIVE");
        QCOMPARE(d.at("StreamViewType").as_string(), "NEW_AND_OLD_IMAGES");
        QCOMPARE(d.at("TableName").as_string(), "Tab");
        QCOMPARE(d.at("StreamLabel").as_string(), kLabel);
        QCOMPARE(d.at("CreationRequestDateTime").to_number<double>(), 1700000000.123456);
        QCOMPARE(boost::json::serialize(d.at("KeySchema")), J("[{'AttributeName':'Id','KeyType':'HASH'}]"));
        // A new on-demand table has 4 partitions: 4 shards opened together at the enable, in key order,
        // counter 1..4; ids = opening epoch ms (20 digits) and the 1-based ordinal (8 hex digits).
        const auto& shards = d.at("Shards").as_array();
        QCOMPARE(shards.size(), std::size_t(4));
        for (std::size_t i = 0; i < 4; ++i) {
            const auto& s = shards[i].as_object();
            QCOMPARE(std::string(s.at("ShardId").as_string()), "shardId-00000001700000000123-0000000" + std::to_string(i + 1));
            QCOMPARE(boost::json::serialize(s.at("SequenceNumberRange")),
                J("{'StartingSequenceNumber':'10000000000000000000" + std::to_string(i + 1) + "'}"));
            QVERIFY(!s.contains("ParentShardId"));
        }
        QVERIFY(!d.contains("LastEvaluatedShardId"));
        // Paging: Limit and ExclusiveStartShardId.
        auto page = ok("DescribeStream",
            "{'StreamArn':'" + kArn + "','Limit':3,'ExclusiveStartShardId':'shardId-00000001700000000123-00000001'}",
            kT0 + 6 * kSecond);
        const auto& p = body(page).at("StreamDescription").as_object();
        QCOMPARE(p.at("Shards").as_array().size(), std::size_t(3));
        QVERIFY(!p.contains("LastEvaluatedShardId"));
        auto first = ok("DescribeStream", "{'StreamArn':'" + kArn + "','Limit':2}", kT0 + 6 * kSecond);
        QCOMPARE(body(first).at("StreamDescription").at("LastEvaluatedShardId").as_string(),
            "shardId-00000001700000000123-00000002");
        // ListStreams: the stream, filtered by table.
        auto list = ok("ListStreams", "{'TableName':'Tab'}", kT0 + 6 * kSecond);
        QCOMPARE(boost::json::serialize(body(list)),
            J("{'Streams':[{'StreamArn':'" + kArn + "','TableName':'Tab','StreamLabel':'" + kLabel + "'}]}"));
        QCOMPARE(body(ok("ListStreams", "{'TableName':'Other'}", kT0 + 6 * kSecond)).at("Streams").as_array().size(),
            std::size_t(0));
    }

    void labelsAndDisable()
    {
        m_engine->setStreamToggleDelay(0);
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError());
        auto disabled = ok("UpdateTable", "{'TableName':'Tab','StreamSpecification':{'StreamEnabled':false}}", kT0);
        const auto& t = body(disabled).at("TableDescription").as_object();
        // LatestStreamArn/Label survive the disable (part C 8).
        QVERIFY(!t.contains("StreamSpecification"));
        QCOMPARE(std::string(t.at("LatestStreamArn").as_string()), kArn);
        // Closed shards: counter 1-4 openings, 5 the record, 6-9 the closings in key order.
        auto d = m_engine->describeStream(kArn);
        QVERIFY(d);
        QCOMPARE(d->status, StreamStatus::Disabled);
        for (std::size_t i = 0; i < 4; ++i)
            QCOMPARE(d->shards[i].endingSequence.value_or(-1), std::int64_t(6 + i));
        // Not recorded after the disable request.
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'2'}}}", kT0).isError());
        QCOMPARE(allRecords(kArn).size(), std::size_t(1));
        // Enabled again in the same millisecond: the label is 1 ms later (reference A7).
        auto again = ok("UpdateTable", "{'TableName':'Tab','StreamSpecification':{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}}", kT0);
        QCOMPARE(body(again).at("TableDescription").at("LatestStreamLabel").as_string(), "2023-11-14T22:13:20.124");
        auto list = m_engine->listStreams(std::string("Tab"), std::nullopt, std::nullopt);
        QVERIFY(list);
        QCOMPARE(list->streams.size(), std::size_t(2));
        // ListStreams paging in creation order.
        auto page = ok("ListStreams", "{'Limit':1}", kT0);
        QCOMPARE(std::string(body(page).at("LastEvaluatedStreamArn").as_string()), kArn);
        auto rest = ok("ListStreams", "{'Limit':1,'ExclusiveStartStreamArn':'" + kArn + "'}", kT0);
        QCOMPARE(body(rest).at("Streams").as_array().size(), std::size_t(1));
        QVERIFY(!body(rest).contains("LastEvaluatedStreamArn"));
        // The disabled stream stays 24 h after its disable, then leaves ListStreams and DescribeStream.
        QVERIFY(m_engine->advanceTime(kT0 + kStreamRetention - 1));
        QCOMPARE(m_engine->listStreams(std::nullopt, std::nullopt, std::nullopt)->streams.size(), std::size_t(2));
        auto gone = call(*m_d, "DescribeStream", J("{'StreamArn':'" + kArn + "'}"), kT0 + kStreamRetention);
        QCOMPARE(QString::fromStdString(gone.errorType), "ResourceNotFoundException");
        QCOMPARE(message(gone), QString::fromStdString("Requested resource not found: Stream: " + kArn + " not found"));
        QCOMPARE(m_engine->listStreams(std::nullopt, std::nullopt, std::nullopt)->streams.size(), std::size_t(1));
    }

    void viewTypes_data()
    {
        QTest::addColumn<QString>("viewType");
        QTest::addColumn<bool>("withNew");
        QTest::addColumn<bool>("withOld");
        QTest::addColumn<QList<int>>("sizes");
        // Part B: Lambda's sample event, Keys {Id: N 101} = 5, INSERT = 26, MODIFY = 59, REMOVE = 38
        // with both images; the new image of the MODIFY is 33 bytes, the old 21.
        QTest::addRow("KEYS_ONLY") << "KEYS_ONLY" << false << false << QList<int> { 5, 5, 5 };
        QTest::addRow("NEW_IMAGE") << "NEW_IMAGE" << true << false << QList<int> { 26, 38, 5 };
        QTest::addRow("OLD_IMAGE") << "OLD_IMAGE" << false << true << QList<int> { 5, 26, 38 };
        QTest::addRow("NEW_AND_OLD_IMAGES") << "NEW_AND_OLD_IMAGES" << true << true << QList<int> { 26, 59, 38 };
    }

    void viewTypes()
    {
        QFETCH(QString, viewType);
        QFETCH(bool, withNew);
        QFETCH(bool, withOld);
        QFETCH(QList<int>, sizes);
        QVERIFY(!ok("CreateTable", createTable("Tab", viewType.toStdString()), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Message':{'S':'New item!'},'Id':{'N':'101'}}}", kT0 + kSecond).isError());
        QVERIFY(!ok("UpdateItem",
            "{'TableName':'Tab','Key':{'Id':{'N':'101'}},'UpdateExpression':'SET Message = :m',"
            "'ExpressionAttributeValues':{':m':{'S':'This item has changed'}}}",
            kT0 + 2 * kSecond)
                     .isError());
        QVERIFY(!ok("DeleteItem", "{'TableName':'Tab','Key':{'Id':{'N':'101'}}}", kT0 + 3 * kSecond).isError());
        const std::string arn = std::string(m_engine->table("Tab")->stream.latestArn);
        auto d = m_engine->describeStream(arn);
        // Id 101's shard: read through the wire with TRIM_HORIZON.
        std::vector<boost::json::object> records;
        for (const auto& shard : d->shards) {
            auto it = ok("GetShardIterator", "{'StreamArn':'" + arn + "','ShardId':'" + shard.shardId + "','ShardIteratorType':'TRIM_HORIZON'}",
                kT0 + 4 * kSecond);
            auto got = ok("GetRecords", "{'ShardIterator':'" + std::string(body(it).at("ShardIterator").as_string()) + "'}", kT0 + 4 * kSecond);
            for (const auto& r : body(got).at("Records").as_array())
                records.push_back(r.as_object());
            QVERIFY(body(got).contains("NextShardIterator")); // open shards always give one
        }
        QCOMPARE(records.size(), std::size_t(3));
        const char* names[] = { "INSERT", "MODIFY", "REMOVE" };
        for (std::size_t i = 0; i < 3; ++i) {
            const auto& r = records[i];
            QCOMPARE(r.at("eventName").as_string(), names[i]);
            QCOMPARE(r.at("eventVersion").as_string(), "1.1");
            QCOMPARE(r.at("eventSource").as_string(), "aws:dynamodb");
            QCOMPARE(r.at("awsRegion").as_string(), "us-east-1");
            QVERIFY(!r.contains("userIdentity"));
            const auto& db = r.at("dynamodb").as_object();
            QCOMPARE(db.at("ApproximateCreationDateTime").to_number<std::int64_t>(), std::int64_t(1700000001 + i));
            QCOMPARE(boost::json::serialize(db.at("Keys")), J("{'Id':{'N':'101'}}"));
            QCOMPARE(db.at("SizeBytes").to_number<int>(), sizes[static_cast<int>(i)]);
            QCOMPARE(db.at("StreamViewType").as_string(), viewType.toStdString());
            QCOMPARE(db.contains("NewImage"), withNew && i < 2);
            QCOMPARE(db.contains("OldImage"), withOld && i > 0);
        }
        if (withNew)
            QCOMPARE(boost::json::serialize(records[1].at("dynamodb").at("NewImage")),
                J("{'Id':{'N':'101'},'Message':{'S':'This item has changed'}}"));
        if (withOld)
            QCOMPARE(boost::json::serialize(records[2].at("dynamodb").at("OldImage")),
                J("{'Id':{'N':'101'},'Message':{'S':'This item has changed'}}"));
    }

    void keysOnlySizeOfTheApiExample()
    {
        // The Streams API's GetRecords example: KEYS_ONLY, Keys {ForumName: "DynamoDB", Subject:
        // "DynamoDB Thread 3"} = 41 bytes (part B).
        QVERIFY(!ok("CreateTable",
            "{'TableName':'Thread','AttributeDefinitions':[{'AttributeName':'ForumName','AttributeType':'S'},"
            "{'AttributeName':'Subject','AttributeType':'S'}],'KeySchema':[{'AttributeName':'ForumName','KeyType':'HASH'},"
            "{'AttributeName':'Subject','KeyType':'RANGE'}],'BillingMode':'PAY_PER_REQUEST',"
            "'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}}",
            kT0)
                     .isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Thread','Item':{'ForumName':{'S':'DynamoDB'},'Subject':{'S':'DynamoDB Thread 3'},"
            "'Body':{'S':'not in a KEYS_ONLY record'}}}", kT0)
                     .isError());
        auto records = allRecords(m_engine->table("Thread")->stream.latestArn);
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].sizeBytes, std::int64_t(41));
        QCOMPARE(records[0].keys.size(), std::size_t(2));
    }

    void noRecordWithoutChange()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "NEW_AND_OLD_IMAGES"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'},'a':{'S':'x'}}}", kT0).isError());
        const std::string arn = m_engine->table("Tab")->stream.latestArn;
        QCOMPARE(allRecords(arn).size(), std::size_t(1));
        // An identical PutItem, a no-op UpdateItem, a DeleteItem of a missing item, a failed condition.
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'},'a':{'S':'x'}}}", kT0).isError());
        QVERIFY(!ok("UpdateItem", "{'TableName':'Tab','Key':{'Id':{'N':'1'}},'UpdateExpression':'SET a = :x',"
            "'ExpressionAttributeValues':{':x':{'S':'x'}}}", kT0)
                     .isError());
        QVERIFY(!ok("DeleteItem", "{'TableName':'Tab','Key':{'Id':{'N':'2'}}}", kT0).isError());
        QVERIFY(call(*m_d, "PutItem", J("{'TableName':'Tab','Item':{'Id':{'N':'1'},'a':{'S':'y'}},"
            "'ConditionExpression':'attribute_not_exists(Id)'}"), kT0)
                    .isError());
        QVERIFY(call(*m_d, "TransactWriteItems", J("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'Id':{'N':'5'}}}},"
            "{'ConditionCheck':{'TableName':'Tab','Key':{'Id':{'N':'1'}},'ConditionExpression':'a = :z',"
            "'ExpressionAttributeValues':{':z':{'S':'z'}}}}]}"), kT0)
                    .isError());
        QCOMPARE(allRecords(arn).size(), std::size_t(1));
    }

    void numberingByHand()
    {
        // One partition (1 RCU / 1 WCU): shard 1 opens at n = 1; records 2, 3, 4.
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        for (int id = 1; id <= 3; ++id)
            QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'" + std::to_string(id) + "'}}}", kT0 + id * kSecond).isError());
        auto records = allRecords(kArn);
        QCOMPARE(records.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(records[i].sequence, std::int64_t(2 + i));
            QCOMPARE(sequenceNumberText(records[i].sequence), "10000000000000000000" + std::to_string(2 + i));
            QCOMPARE(records[i].shardId, std::string("shardId-00000001700000000123-00000001"));
            // eventID: the first 16 bytes of SHA-256(StreamArn || SequenceNumber), in hex.
            const QByteArray digest = QCryptographicHash::hash(
                QByteArray::fromStdString(kArn + "10000000000000000000" + std::to_string(2 + i)), QCryptographicHash::Sha256);
            QCOMPARE(QString::fromStdString(records[i].eventId), QString::fromLatin1(digest.left(16).toHex()));
        }
        QCOMPARE(sequenceNumberText(1), std::string("100000000000000000001"));
        QCOMPARE(parseSequenceNumber("100000000000000000042").value_or(-1), std::int64_t(42));
        QVERIFY(!parseSequenceNumber("42"));
        QVERIFY(!parseSequenceNumber("20000000000000000004x"));
        QCOMPARE(shardIdText(kT0, 255), std::string("shardId-00000001700000000123-000000ff"));
        QCOMPARE(streamLabelText(0), std::string("1970-01-01T00:00:00.000"));
        QCOMPARE(streamLabelText(951782400'000'000 + 999'999), std::string("2000-02-29T00:00:00.999"));
    }

    void splitClosesTheShard()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "NEW_IMAGE", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError()); // n = 2
        // 1,500 WCU need 2 partitions: the parent closes (n = 3), its children open in key order (4, 5).
        QVERIFY(!ok("UpdateTable", "{'TableName':'Tab','ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1500}}",
            kT0 + kSecond)
                     .isError());
        QCOMPARE(m_engine->table("Tab")->partitions.size(), std::size_t(2));
        auto d = m_engine->describeStream(kArn);
        QVERIFY(d);
        QCOMPARE(d->shards.size(), std::size_t(3));
        QCOMPARE(d->shards[0].endingSequence.value_or(-1), std::int64_t(3));
        QCOMPARE(*d->shards[0].closedAt, kT0 + kSecond);
        for (std::size_t i = 1; i < 3; ++i) {
            const auto& child = d->shards[i];
            QCOMPARE(child.shardId, "shardId-00000001700000001123-0000000" + std::to_string(i + 1));
            QCOMPARE(child.parentShardId.value_or(""), std::string("shardId-00000001700000000123-00000001"));
            QCOMPARE(child.startingSequence, std::int64_t(3 + i));
            QVERIFY(child.isOpen());
            QCOMPARE(child.hashLow, m_engine->table("Tab")->partitions[i - 1].hashLow);
        }
        QCOMPARE(boost::json::serialize(body(ok("DescribeStream", "{'StreamArn':'" + kArn + "'}", kT0 + kSecond))
                                            .at("StreamDescription").at("Shards").as_array()[1].at("ParentShardId")),
            J("'shardId-00000001700000000123-00000001'"));
        // The parent read to its end: its record, then no NextShardIterator.
        auto it = ok("GetShardIterator", "{'StreamArn':'" + kArn + "','ShardId':'shardId-00000001700000000123-00000001',"
            "'ShardIteratorType':'TRIM_HORIZON'}", kT0 + 2 * kSecond);
        auto got = ok("GetRecords", "{'ShardIterator':'" + std::string(body(it).at("ShardIterator").as_string()) + "'}", kT0 + 2 * kSecond);
        QCOMPARE(body(got).at("Records").as_array().size(), std::size_t(1));
        QVERIFY(!body(got).contains("NextShardIterator"));
        // A later write lands on its child; a split for heat (Engine::splitPartition) closes that child.
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'},'v':{'N':'2'}}}", kT0 + 3 * kSecond).isError()); // n = 6
        auto records = allRecords(kArn);
        QCOMPARE(records.size(), std::size_t(2));
        QVERIFY(records[1].shardId != records[0].shardId);
        QCOMPARE(records[1].sequence, std::int64_t(6));
        const auto& partitions = m_engine->table("Tab")->partitions;
        QVERIFY(m_engine->splitPartition("Tab", partitions[0].id));
        d = m_engine->describeStream(kArn);
        QCOMPARE(d->shards.size(), std::size_t(5));
        QCOMPARE(d->shards[1].endingSequence.value_or(-1), std::int64_t(7));
        QCOMPARE(d->shards[3].parentShardId.value_or(""), d->shards[1].shardId);
        QCOMPARE(d->shards[4].parentShardId.value_or(""), d->shards[1].shardId);
        QCOMPARE(d->shards[3].startingSequence, std::int64_t(8));
        QCOMPARE(d->shards[4].startingSequence, std::int64_t(9));
    }

    void oversizedPartitionSplitsTheShard()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        m_engine->setPartitionSplitBytes(2000);
        for (int id = 0; id < 30; ++id)
            QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'" + std::to_string(id) + "'},'pad':{'S':'"
                    + std::string(100, 'p') + "'}}}", kT0)
                         .isError());
        const auto& table = *m_engine->table("Tab");
        QVERIFY(table.partitions.size() > 1);
        auto d = m_engine->describeStream(kArn);
        std::size_t open = 0;
        for (const auto& s : d->shards)
            open += s.isOpen() ? 1 : 0;
        QCOMPARE(open, table.partitions.size());
        // Every record is on the shard whose range holds its key when it was written, exactly once.
        QCOMPARE(allRecords(kArn).size(), std::size_t(30));
    }

    void rollover()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        QVERIFY(m_engine->advanceTime(kT0 + kStreamShardRollover - 1));
        QCOMPARE(m_engine->describeStream(kArn)->shards.size(), std::size_t(1));
        QVERIFY(m_engine->advanceTime(kT0 + kStreamShardRollover));
        auto d = m_engine->describeStream(kArn);
        QCOMPARE(d->shards.size(), std::size_t(2));
        QCOMPARE(d->shards[0].endingSequence.value_or(-1), std::int64_t(2));
        QCOMPARE(d->shards[1].shardId, std::string("shardId-00000001700014400123-00000002"));
        QCOMPARE(d->shards[1].parentShardId.value_or(""), d->shards[0].shardId);
        QCOMPARE(d->shards[1].startingSequence, std::int64_t(3));
        // A write after a missed rollover (no advanceTime in between) rolls first: 8 h later, two more.
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0 + 2 * kStreamShardRollover + kSecond).isError());
        d = m_engine->describeStream(kArn);
        QCOMPARE(d->shards.size(), std::size_t(3));
        auto records = allRecords(kArn);
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].shardId, d->shards[2].shardId);
        QCOMPARE(records[0].sequence, std::int64_t(6));
    }

    void retentionAndTrimming()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        m_engine->setStreamShardRollover(0); // one shard for the whole test
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError()); // n = 2
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'2'}}}", kT0 + 2 * kMicrosPerHour).isError()); // n = 3
        const std::string shard = "shardId-00000001700000000123-00000001";
        const std::string base = "{'StreamArn':'" + kArn + "','ShardId':'" + shard + "',";
        // An iterator issued just before the first record's trim, used just after it.
        const EngineTime beforeTrim = kT0 + kStreamRetention - 60 * kSecond;
        auto early = ok("GetShardIterator", base + "'ShardIteratorType':'TRIM_HORIZON'}", beforeTrim);
        const std::string earlyIterator(body(early).at("ShardIterator").as_string());
        const EngineTime afterTrim = kT0 + kStreamRetention + 60 * kSecond;
        auto trimmed = call(*m_d, "GetRecords", J("{'ShardIterator':'" + earlyIterator + "'}"), afterTrim);
        QCOMPARE(QString::fromStdString(trimmed.errorType), "TrimmedDataAccessException");
        // A trimmed sequence number: TrimmedDataAccessException; TRIM_HORIZON starts after the trim.
        auto at = call(*m_d, "GetShardIterator", J(base + "'ShardIteratorType':'AT_SEQUENCE_NUMBER','SequenceNumber':'100000000000000000002'}"),
            afterTrim);
        QCOMPARE(QString::fromStdString(at.errorType), "TrimmedDataAccessException");
        auto horizon = ok("GetShardIterator", base + "'ShardIteratorType':'TRIM_HORIZON'}", afterTrim);
        auto got = ok("GetRecords", "{'ShardIterator':'" + std::string(body(horizon).at("ShardIterator").as_string()) + "'}", afterTrim);
        QCOMPARE(body(got).at("Records").as_array().size(), std::size_t(1));
        QCOMPARE(body(got).at("Records").as_array()[0].at("dynamodb").at("SequenceNumber").as_string(), "100000000000000000003");
        // AFTER the trimmed record is the untrimmed one.
        auto after = ok("GetShardIterator", base + "'ShardIteratorType':'AFTER_SEQUENCE_NUMBER','SequenceNumber':'100000000000000000002'}",
            afterTrim);
        QVERIFY(!body(after).empty());
    }

    void fullyTrimmedShardsLeave()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError());
        // Shard 1 closes at kT0 + 4 h; fully trimmed 24 h later.
        QVERIFY(m_engine->advanceTime(kT0 + kStreamShardRollover + kStreamRetention));
        QCOMPARE(m_engine->describeStream(kArn)->shards.front().ordinal, std::int64_t(1));
        QVERIFY(m_engine->advanceTime(kT0 + kStreamShardRollover + kStreamRetention + 1));
        auto d = m_engine->describeStream(kArn);
        QCOMPARE(d->shards.front().ordinal, std::int64_t(2));
        QCOMPARE(d->shards.front().parentShardId.value_or(""), std::string("shardId-00000001700000000123-00000001"));
        auto it = call(*m_d, "GetShardIterator", J("{'StreamArn':'" + kArn + "','ShardId':'shardId-00000001700000000123-00000001',"
            "'ShardIteratorType':'TRIM_HORIZON'}"), kT0 + kStreamShardRollover + kStreamRetention + 1);
        QCOMPARE(QString::fromStdString(it.errorType), "ResourceNotFoundException");
    }

    void iteratorExpiry()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        const std::string shard = "shardId-00000001700000000123-00000001";
        auto it = ok("GetShardIterator", "{'StreamArn':'" + kArn + "','ShardId':'" + shard + "','ShardIteratorType':'LATEST'}", kT0);
        const std::string iterator(body(it).at("ShardIterator").as_string());
        // LATEST: only what comes after the iterator was issued.
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0 + kSecond).isError());
        auto fresh = ok("GetRecords", "{'ShardIterator':'" + iterator + "'}", kT0 + kShardIteratorLifetime);
        QCOMPARE(body(fresh).at("Records").as_array().size(), std::size_t(1));
        auto expired = call(*m_d, "GetRecords", J("{'ShardIterator':'" + iterator + "'}"), kT0 + kShardIteratorLifetime + 1);
        QCOMPARE(QString::fromStdString(expired.errorType), "ExpiredIteratorException");
        QVERIFY(message(expired).startsWith("Iterator expired."));
        // The next iterator is issued at the GetRecords call, valid 15 minutes from then.
        const std::string next(body(fresh).at("NextShardIterator").as_string());
        auto still = ok("GetRecords", "{'ShardIterator':'" + next + "'}", kT0 + 2 * kShardIteratorLifetime);
        QCOMPARE(body(still).at("Records").as_array().size(), std::size_t(0));
        QVERIFY(body(still).contains("NextShardIterator"));
    }

    void shardIteratorErrors_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        const std::string base = "{'StreamArn':'" + kArn + "','ShardId':'shardId-00000001700000000123-00000001',";
        QTest::addRow("AT without SequenceNumber") << QString::fromStdString(J(base + "'ShardIteratorType':'AT_SEQUENCE_NUMBER'}"))
                                                   << "ValidationException";
        QTest::addRow("SequenceNumber with LATEST")
            << QString::fromStdString(J(base + "'ShardIteratorType':'LATEST','SequenceNumber':'100000000000000000001'}"))
            << "ValidationException";
        QTest::addRow("sequence after the shard's last")
            << QString::fromStdString(J(base + "'ShardIteratorType':'AT_SEQUENCE_NUMBER','SequenceNumber':'100000000000000000099'}"))
            << "ValidationException";
        QTest::addRow("malformed sequence")
            << QString::fromStdString(J(base + "'ShardIteratorType':'AFTER_SEQUENCE_NUMBER','SequenceNumber':'12'}"))
            << "ValidationException";
        QTest::addRow("unknown type") << QString::fromStdString(J(base + "'ShardIteratorType':'OLDEST'}")) << "ValidationException";
        QTest::addRow("missing type") << QString::fromStdString(J(base + "'Limit':1}")) << "ValidationException";
        QTest::addRow("unknown stream")
            << QString::fromStdString(J("{'StreamArn':'" + kArn + "x','ShardId':'shardId-00000001700000000123-00000001',"
                                        "'ShardIteratorType':'LATEST'}"))
            << "ResourceNotFoundException";
        QTest::addRow("unknown shard") << QString::fromStdString(J("{'StreamArn':'" + kArn + "','ShardId':'shardId-1','ShardIteratorType':'LATEST'}"))
                                       << "ResourceNotFoundException";
    }

    void shardIteratorErrors()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError());
        auto r = call(*m_d, "GetShardIterator", request.toStdString(), kT0);
        QCOMPARE(QString::fromStdString(r.errorType), type);
    }

    void getRecordsErrorsAndLimits()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "NEW_IMAGE", "PROVISIONED"), kT0).isError());
        const std::string shard = "shardId-00000001700000000123-00000001";
        for (int id = 0; id < 5; ++id)
            QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'" + std::to_string(id) + "'},'pad':{'S':'"
                    + std::string(300'000, 'p') + "'}}}", kT0)
                         .isError());
        auto it = ok("GetShardIterator", "{'StreamArn':'" + kArn + "','ShardId':'" + shard + "','ShardIteratorType':'TRIM_HORIZON'}", kT0);
        const std::string iterator(body(it).at("ShardIterator").as_string());
        for (const char* limit : { "0", "1001", "-1" }) {
            auto r = call(*m_d, "GetRecords", J("{'ShardIterator':'" + iterator + "','Limit':" + limit + "}"), kT0);
            QCOMPARE(QString::fromStdString(r.errorType), "ValidationException");
        }
        auto bad = call(*m_d, "GetRecords", J("{'ShardIterator':'not-an-iterator'}"), kT0);
        QCOMPARE(QString::fromStdString(bad.errorType), "ValidationException");
        auto missing = call(*m_d, "GetRecords", J("{}"), kT0);
        QCOMPARE(QString::fromStdString(missing.errorType), "ValidationException");
        // Limit 2: two records and a next iterator.
        auto two = ok("GetRecords", "{'ShardIterator':'" + iterator + "','Limit':2}", kT0);
        QCOMPARE(body(two).at("Records").as_array().size(), std::size_t(2));
        // 1 MB: each record is ~300,010 bytes, so three fit (900 KB) and a fourth would pass 1 MB.
        auto page = ok("GetRecords", "{'ShardIterator':'" + iterator + "'}", kT0);
        const auto& records = body(page).at("Records").as_array();
        QCOMPARE(records.size(), std::size_t(3));
        std::int64_t bytes = 0;
        for (const auto& r : records)
            bytes += r.at("dynamodb").at("SizeBytes").to_number<std::int64_t>();
        QVERIFY(bytes <= kGetRecordsMaxBytes);
        QVERIFY(bytes + 300'000 > kGetRecordsMaxBytes);
        auto rest = ok("GetRecords", "{'ShardIterator':'" + std::string(body(page).at("NextShardIterator").as_string()) + "'}", kT0);
        QCOMPARE(body(rest).at("Records").as_array().size(), std::size_t(2));
        QCOMPARE(body(rest).at("Records").as_array()[1].at("dynamodb").at("SequenceNumber").as_string(), "100000000000000000006");
        // One record over 1 MB alone would still be returned: an 800 KB record pair fits the rule "at least one".
        auto limits = call(*m_d, "ListStreams", J("{'Limit':101}"), kT0);
        QCOMPARE(QString::fromStdString(limits.errorType), "ValidationException");
        auto describeLimit = call(*m_d, "DescribeStream", J("{'StreamArn':'" + kArn + "','Limit':0}"), kT0);
        QCOMPARE(QString::fromStdString(describeLimit.errorType), "ValidationException");
        auto noArn = call(*m_d, "DescribeStream", J("{}"), kT0);
        QCOMPARE(QString::fromStdString(noArn.errorType), "ValidationException");
    }

    void transactionsOneRecordPerItem()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "NEW_AND_OLD_IMAGES", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'3'},'v':{'N':'1'}}}", kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'4'}}}", kT0).isError());
        QVERIFY(!ok("TransactWriteItems",
            "{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'Id':{'N':'1'}}}},{'Put':{'TableName':'Tab','Item':{'Id':{'N':'2'}}}},"
            "{'Update':{'TableName':'Tab','Key':{'Id':{'N':'3'}},'UpdateExpression':'SET v = :v','ExpressionAttributeValues':{':v':{'N':'2'}}}},"
            "{'ConditionCheck':{'TableName':'Tab','Key':{'Id':{'N':'4'}},'ConditionExpression':'attribute_exists(Id)'}}]}",
            kT0 + kSecond)
                     .isError());
        auto records = allRecords(kArn);
        // Two puts before, then one record per changed item of the transaction (none for the check).
        QCOMPARE(records.size(), std::size_t(5));
        QCOMPARE(records[2].eventName, StreamEventName::Insert);
        QCOMPARE(records[3].eventName, StreamEventName::Insert);
        QCOMPARE(records[4].eventName, StreamEventName::Modify);
        QCOMPARE(valueText(*records[4].oldImage, "v"), J("{'N':'1'}"));
        QCOMPARE(valueText(*records[4].newImage, "v"), J("{'N':'2'}"));
        for (std::size_t i = 2; i < 5; ++i)
            QCOMPARE(records[i].time, kT0 + kSecond);
    }

    void ttlDeletionIsAServiceRemove()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "NEW_AND_OLD_IMAGES", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("UpdateTimeToLive", "{'TableName':'Tab','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}", kT0)
                     .isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'},'exp':{'N':'1700000000'}}}", kT0).isError());
        // The deletion comes within 48 h (reference A6); look each hour so the record is not yet trimmed.
        std::vector<StreamRecord> records;
        EngineTime now = kT0;
        while (records.size() < 2 && now < kT0 + 49 * kMicrosPerHour) {
            now += kMicrosPerHour;
            QVERIFY(m_engine->advanceTime(now));
            records = allRecords(m_engine->table("Tab")->stream.latestArn);
        }
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[1].eventName, StreamEventName::Remove);
        QVERIFY(records[1].byService);
        QVERIFY(!records[0].byService);
        QVERIFY(records[1].oldImage);
        // On the wire: userIdentity Service / dynamodb.amazonaws.com (reference A6, C 7).
        const std::string arn = m_engine->table("Tab")->stream.latestArn;
        auto it = ok("GetShardIterator", "{'StreamArn':'" + arn + "','ShardId':'" + records[1].shardId
                + "','ShardIteratorType':'AT_SEQUENCE_NUMBER','SequenceNumber':'" + sequenceNumberText(records[1].sequence) + "'}",
            now);
        auto got = ok("GetRecords", "{'ShardIterator':'" + std::string(body(it).at("ShardIterator").as_string()) + "'}", now);
        QCOMPARE(boost::json::serialize(body(got).at("Records").as_array()[0].at("userIdentity")),
            J("{'type':'Service','principalId':'dynamodb.amazonaws.com'}"));
    }

    void deleteTableDisablesTheStream()
    {
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0).isError());
        QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':{'Id':{'N':'1'}}}", kT0).isError());
        QVERIFY(!ok("DeleteTable", "{'TableName':'Tab'}", kT0 + kSecond).isError());
        auto d = m_engine->describeStream(kArn);
        QVERIFY(d);
        QCOMPARE(d->status, StreamStatus::Disabling);
        QVERIFY(!d->shards[0].isOpen());
        QCOMPARE(allRecords(kArn).size(), std::size_t(1));
        // A table of the same name created in the same millisecond gets its own stream.
        QVERIFY(!ok("CreateTable", createTable("Tab", "KEYS_ONLY", "PROVISIONED"), kT0 + kSecond).isError());
        QVERIFY(m_engine->table("Tab")->stream.latestArn != kArn);
        QCOMPARE(m_engine->listStreams(std::string("Tab"), std::nullopt, std::nullopt)->streams.size(), std::size_t(2));
    }

    void persistsAcrossReopen()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("streams.sqlite").toStdString();
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", createTable("Tab", "NEW_IMAGE", "PROVISIONED"), kT0).isError());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Tab','Item':{'Id':{'N':'1'}}}"), kT0).isError());
            QVERIFY(engine->saveClock());
        }
        auto engine = std::move(Engine::open(path)).value();
        Dispatcher d(*engine);
        QCOMPARE(engine->table("Tab")->stream.latestArn, kArn);
        QVERIFY(!call(d, "PutItem", J("{'TableName':'Tab','Item':{'Id':{'N':'2'}}}"), kT0 + kSecond).isError());
        m_engine = std::move(engine);
        auto records = allRecords(kArn);
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[0].sequence, std::int64_t(2));
        QCOMPARE(records[1].sequence, std::int64_t(3));
        QCOMPARE(valueText(*records[1].newImage, "Id"), J("{'N':'2'}"));
    }

    void randomizedReplayRebuildsTheTable()
    {
        // Seeded random puts, updates, deletes and transactions (with splits and rollovers on the
        // way), then every record replayed over the table's state at the enable must give its final
        // state, each record's OldImage the replayed state before it (exactly once, in item order).
        std::mt19937_64 random(20261205);
        QVERIFY(!ok("CreateTable", createTable("Tab", ""), kT0).isError());
        auto rnd = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
        auto item = [&](int id) {
            std::string attrs = "{'Id':{'N':'" + std::to_string(id) + "'}";
            if (rnd(2))
                attrs += ",'a':{'S':'" + std::string(static_cast<std::size_t>(rnd(40)), 'a') + "'}";
            if (rnd(2))
                attrs += ",'n':{'N':'" + std::to_string(rnd(5)) + "'}";
            if (rnd(4) == 0)
                attrs += ",'l':{'L':[{'N':'1'},{'S':'x'}]}";
            return attrs + "}";
        };
        EngineTime now = kT0;
        for (int i = 0; i < 200; ++i)
            QVERIFY(!ok("PutItem", "{'TableName':'Tab','Item':" + item(rnd(300)) + "}", now).isError());
        std::map<std::string, std::string> state; // key JSON -> item JSON, at the enable
        auto scan = [&] {
            std::map<std::string, std::string> out;
            ScanRequest request;
            request.tableName = "Tab";
            request.consistentRead = true;
            for (;;) {
                auto page = m_engine->scan(request);
                if (!page.status)
                    qFatal("scan: %s", page.status.toString().c_str());
                for (const auto& it : page.items) {
                    Item key { { "Id", it.at("Id") } };
                    out[boost::json::serialize(itemToJson(key))] = boost::json::serialize(itemToJson(it));
                }
                if (!page.lastEvaluatedKey)
                    break;
                request.exclusiveStartKey = page.lastEvaluatedKey;
            }
            return out;
        };
        state = scan();
        QVERIFY(!ok("UpdateTable", "{'TableName':'Tab','StreamSpecification':{'StreamEnabled':true,'StreamViewType':'NEW_AND_OLD_IMAGES'}}",
            now)
                     .isError());
        const std::string arn = m_engine->table("Tab")->stream.latestArn;
        int operations = 0;
        for (int i = 0; i < 4000; ++i) {
            now += rnd(20) * kSecond; // ~11 h in all: several rollovers, no trimming
            const int kind = rnd(100);
            const std::string id = std::to_string(rnd(300));
            std::string operation;
            std::string request;
            if (kind < 40) {
                operation = "PutItem";
                request = "{'TableName':'Tab','Item':" + item(std::stoi(id)) + "}";
            } else if (kind < 65) {
                operation = "UpdateItem";
                request = rnd(3) ? "{'TableName':'Tab','Key':{'Id':{'N':'" + id
                        + "'}},'UpdateExpression':'SET n = :n','ExpressionAttributeValues':{':n':{'N':'" + std::to_string(rnd(5))
                        + "'}}}"
                                 : "{'TableName':'Tab','Key':{'Id':{'N':'" + id + "'}},'UpdateExpression':'REMOVE a'}";
            } else if (kind < 85) {
                operation = "DeleteItem";
                request = "{'TableName':'Tab','Key':{'Id':{'N':'" + id + "'}}" + (rnd(4) == 0 ? ",'ConditionExpression':'attribute_exists(a)'" : "") + "}";
            } else if (kind < 97) {
                operation = "TransactWriteItems";
                std::set<int> ids;
                while (ids.size() < 3)
                    ids.insert(rnd(300));
                std::string actions;
                for (int t : ids)
                    actions += std::string(actions.empty() ? "" : ",")
                        + (rnd(3) ? "{'Put':{'TableName':'Tab','Item':" + item(t) + "}}"
                                  : "{'Delete':{'TableName':'Tab','Key':{'Id':{'N':'" + std::to_string(t) + "'}}}}");
                request = "{'TransactItems':[" + actions + "]}";
            } else {
                // A split for heat now and then.
                const auto& partitions = m_engine->table("Tab")->partitions;
                if (partitions.size() < 24)
                    QVERIFY(m_engine->splitPartition("Tab", partitions[static_cast<std::size_t>(rnd(static_cast<int>(partitions.size())))].id));
                continue;
            }
            auto r = call(*m_d, operation, J(request), now);
            if (r.isError() && r.errorType != "ConditionalCheckFailedException")
                QFAIL(qPrintable(QString::fromStdString(operation + " " + request + ": ") + text(r)));
            ++operations;
        }
        QVERIFY(operations > 3000);
        auto records = allRecords(arn);
        QVERIFY(records.size() > 2500);
        std::set<std::int64_t> sequences;
        for (const auto& record : records) {
            QVERIFY(sequences.insert(record.sequence).second);
            const std::string key = boost::json::serialize(itemToJson(record.keys));
            auto found = state.find(key);
            // OldImage is exactly the state before this record; INSERT only for a missing item.
            QCOMPARE(record.eventName == StreamEventName::Insert, found == state.end());
            if (record.oldImage)
                QCOMPARE(boost::json::serialize(itemToJson(*record.oldImage)), found->second);
            if (record.eventName == StreamEventName::Remove)
                state.erase(key);
            else
                state[key] = boost::json::serialize(itemToJson(*record.newImage));
        }
        const auto final = scan();
        QCOMPARE(state.size(), final.size());
        QVERIFY(state == final);
        QVERIFY(m_engine->describeStream(arn)->shards.size() > m_engine->table("Tab")->partitions.size());
    }
};

QTEST_GUILESS_MAIN(TestStreams)
#include "tst_streams.moc"
