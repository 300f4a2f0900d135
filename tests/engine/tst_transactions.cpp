// TransactWriteItems and TransactGetItems through the wire dispatcher: transactional metering
// (reference A2, calibration vector of part B, C 2.4), index upkeep at 1x, cancellation with
// per-action reasons, request limits, ClientRequestToken idempotency, and atomicity when a
// storage write fails part-way.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::Q;
using capsim::test::text;

namespace {

const std::string kTable
    = J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
        "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}");

const std::string kIndexed = J("{'TableName':'Gix','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                               "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'}],"
                               "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':"
                               "[{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                               "'Projection':{'ProjectionType':'ALL'}}]}");

constexpr EngineTime kMinute = 60 * kMicrosPerSecond;

// An item of table T of exactly `totalBytes`: pk + padding p (reference A1).
std::string padded(const std::string& pk, int totalBytes)
{
    const int used = 2 + static_cast<int>(pk.size()) + 1;
    return J("{'pk':{'S':'") + pk + J("'},'p':{'S':'") + std::string(static_cast<std::size_t>(totalBytes - used), 'x')
        + "\"}}";
}

std::string key(const std::string& pk)
{
    return J("{'pk':{'S':'") + pk + J("'}}");
}

std::string putAction(const std::string& table, const std::string& item)
{
    return J("{'Put':{'TableName':'") + table + J("','Item':") + item + "}}";
}

std::string transaction(const std::vector<std::string>& actions, const std::string& extra = "")
{
    std::string list;
    for (const auto& a : actions)
        list += (list.empty() ? "" : ",") + a;
    return J("{'ReturnConsumedCapacity':'INDEXES','TransactItems':[") + list + "]" + extra + "}";
}

// The summed CapacityUnits of a ConsumedCapacity list.
double listUnits(const WireResponse& r)
{
    double sum = 0.0;
    for (const auto& c : r.body.as_object().at("ConsumedCapacity").as_array())
        sum += c.as_object().at("CapacityUnits").to_number<double>();
    return sum;
}

} // namespace

class TestTransactions : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse ok(const std::string& operation, const std::string& request, EngineTime now = 0)
    {
        auto r = call(*m_d, operation, request, now);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    QString getItem(const std::string& table, const std::string& pk)
    {
        return text(ok("GetItem", J("{'TableName':'") + table + J("','ConsistentRead':true,'Key':") + key(pk) + "}"));
    }

    // What a user can observe of table T: every item (a consistent scan) and the table's
    // description with its partition map, counts and sizes.
    QString snapshot(const std::string& table)
    {
        auto scan = ok("Scan", J("{'TableName':'") + table + J("','ConsistentRead':true}"));
        auto describe = ok("DescribeTable", J("{'TableName':'") + table + J("'}"));
        QString out = text(scan) + "\n" + text(describe);
        if (table == "Gix")
            out += "\n" + text(ok("Scan", J("{'TableName':'Gix','IndexName':'Gsi'}")));
        return out;
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!ok("CreateTable", kTable).isError());
    }

    void metering_data()
    {
        QTest::addColumn<QString>("stored"); // item of table T stored first, or empty
        QTest::addColumn<QStringList>("actions");
        QTest::addColumn<double>("wcu");
        const QString small1 = Q(putAction("Tab", padded("a", 20)));
        const QString small2 = Q(putAction("Tab", padded("b", 20)));
        QTest::addRow("two small Puts cost 4 WCU (reference B)") << "" << QStringList { small1, small2 } << 4.0;
        QTest::addRow("one 2 KB Put: 2 x 2") << "" << QStringList { Q(putAction("Tab", padded("a", 2048))) } << 4.0;
        QTest::addRow("one 2 KB + 1 Put: 2 x 3") << "" << QStringList { Q(putAction("Tab", padded("a", 2049))) } << 6.0;
        QTest::addRow("small Put over a 3 KB item: 2 x max(old, new)")
            << Q(padded("a", 3000)) << QStringList { small1 } << 6.0;
        QTest::addRow("Update growing a small item to 2.5 KB: 2 x 3")
            << Q(padded("a", 20))
            << QStringList { Q(J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET q = :q',"
                                 "'ExpressionAttributeValues':{':q':{'S':'")
                   + std::string(2500, 'q') + J("'}}}}")) }
            << 6.0;
        QTest::addRow("Delete of a 2 KB + 1 item: 2 x 3")
            << Q(padded("a", 2049)) << QStringList { Q(J("{'Delete':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}")) }
            << 6.0;
        QTest::addRow("Delete of a missing item: 2 x 1")
            << "" << QStringList { Q(J("{'Delete':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}")) } << 2.0;
        QTest::addRow("ConditionCheck of a 1.5 KB item: 2 x 2")
            << Q(padded("a", 1500))
            << QStringList { Q(J("{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},"
                                 "'ConditionExpression':'attribute_exists(pk)'}}")) }
            << 4.0;
        QTest::addRow("ConditionCheck of a missing item: 2 x 1")
            << ""
            << QStringList { Q(J("{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},"
                                 "'ConditionExpression':'attribute_not_exists(pk)'}}")) }
            << 2.0;
    }
    void metering()
    {
        QFETCH(QString, stored);
        QFETCH(QStringList, actions);
        QFETCH(double, wcu);
        if (!stored.isEmpty())
            QVERIFY(!ok("PutItem", J("{'TableName':'Tab','Item':") + stored.toStdString() + "}").isError());
        std::vector<std::string> list;
        for (const auto& a : actions)
            list.push_back(a.toStdString());
        auto r = ok("TransactWriteItems", transaction(list));
        QVERIFY(!r.isError());
        QCOMPARE(listUnits(r), wcu);
        // One entry for the one table, with the whole charge on the table and no read units.
        const auto& c = r.body.at("ConsumedCapacity").as_array();
        QCOMPARE(c.size(), std::size_t(1));
        QCOMPARE(text(r),
            Q("{'ConsumedCapacity':[{'TableName':'Tab','CapacityUnits':%1,'ReadCapacityUnits':0.0,"
              "'WriteCapacityUnits':%1,'Table':{'CapacityUnits':%1,'ReadCapacityUnits':0.0,"
              "'WriteCapacityUnits':%1}}]}")
                .arg(QString::fromStdString(toJsonText(boost::json::value(wcu)))));
    }

    void indexUpkeepAtSingleCost()
    {
        QVERIFY(!ok("CreateTable", kIndexed).isError());
        // 1,500 bytes with g: the table write is 2 x 2 WCU, the ALL-projection GSI entry 1 x 2.
        auto item = [](const std::string& pk) {
            return J("{'pk':{'S':'") + pk + J("'},'g':{'S':'x'},'p':{'S':'") + std::string(1500 - 3 - 2 - 1, 'x')
                + "\"}}";
        };
        auto r
            = ok("TransactWriteItems", transaction({ putAction("Gix", item("a")), putAction("Tab", padded("t", 20)) }));
        QVERIFY(!r.isError());
        QCOMPARE(text(r),
            Q("{'ConsumedCapacity':["
              "{'TableName':'Gix','CapacityUnits':6.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':6.0,"
              "'Table':{'CapacityUnits':4.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':4.0},"
              "'GlobalSecondaryIndexes':{'Gsi':{'CapacityUnits':2.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':2.0}}},"
              "{'TableName':'Tab','CapacityUnits':2.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':2.0,"
              "'Table':{'CapacityUnits':2.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':2.0}}]}"));
        // The GSI's units land on the GSI's partitions.
        QCOMPARE(r.consumed.front().indexPartitions.size(), std::size_t(1));
        QCOMPARE(r.consumed.front().indexPartitions.front().write, 2.0);
        // TOTAL gives the same list without the breakdown.
        auto total = ok("TransactWriteItems",
            J("{'ReturnConsumedCapacity':'TOTAL','TransactItems':[") + putAction("Gix", item("b")) + "]}");
        QCOMPARE(text(total),
            Q("{'ConsumedCapacity':[{'TableName':'Gix','CapacityUnits':6.0,'ReadCapacityUnits':0.0,"
              "'WriteCapacityUnits':6.0}]}"));
        // The index holds the entry.
        auto q = ok("Query",
            J("{'TableName':'Gix','IndexName':'Gsi','KeyConditionExpression':'g = :g',"
              "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), std::int64_t(2));
    }

    void cancellation()
    {
        ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'v':{'N':'1'}}}"));
        ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'b'},'v':{'N':'1'},'s':{'S':'text'}}}"));
        const QString before = snapshot("Tab");
        const std::string update
            = J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET v = :two',"
                "'ExpressionAttributeValues':{':two':{'N':'2'}}}}");
        const std::string check
            = J("{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'b'}},'ConditionExpression':'v = :two',"
                "'ExpressionAttributeValues':{':two':{'N':'2'}},'ReturnValuesOnConditionCheckFailure':'ALL_OLD'}}");
        auto r = call(*m_d, "TransactWriteItems", transaction({ update, putAction("Tab", padded("c", 20)), check }));
        QVERIFY(r.isError());
        QCOMPARE(r.errorType, std::string("TransactionCanceledException"));
        QCOMPARE(text(r),
            Q("{'__type':'com.amazonaws.dynamodb.v20120810#TransactionCanceledException','message':'Transaction "
              "cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]',"
              "'CancellationReasons':[{'Code':'None'},{'Code':'None'},{'Code':'ConditionalCheckFailed','Message':'The "
              "conditional request failed','Item':{'pk':{'S':'b'},'s':{'S':'text'},'v':{'N':'1'}}}]}"));
        // Nothing written: every item, the item count and the sizes are as before.
        QCOMPARE(snapshot("Tab"), before);
        QVERIFY(!getItem("Tab", "c").contains("Item"));
        // The cancelled transaction consumed its prepare step: 1 WCU per small or missing item.
        QCOMPARE(r.consumed.size(), std::size_t(1));
        QCOMPARE(r.consumed.front().table.write, 3.0);

        // A write that would be invalid cancels with ValidationError on its action.
        const std::string badAdd
            = J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'b'}},'UpdateExpression':'ADD s :one',"
                "'ExpressionAttributeValues':{':one':{'N':'1'}}}}");
        r = call(*m_d, "TransactWriteItems", transaction({ update, badAdd }));
        QCOMPARE(r.errorType, std::string("TransactionCanceledException"));
        QCOMPARE(message(r),
            QString("Transaction cancelled, please refer cancellation reasons for specific reasons "
                    "[None, ValidationError]"));
        const auto& reasons = r.body.at("CancellationReasons").as_array();
        QCOMPARE(reasons.size(), std::size_t(2));
        QCOMPARE(std::string(reasons[1].at("Code").as_string()), std::string("ValidationError"));
        QVERIFY(reasons[1].as_object().contains("Message"));
        QCOMPARE(snapshot("Tab"), before);
    }

    // Issue 8: an action whose key has the wrong type cancels the transaction with a reason per
    // action (ValidationError for it, None for the others), not a ValidationException.
    void wronglyTypedKeyCancels()
    {
        const QString before = snapshot("Tab");
        const std::string badKey
            = J("{'Update':{'TableName':'Tab','Key':{'pk':{'N':'1'}},'UpdateExpression':'SET v = :v',"
                "'ExpressionAttributeValues':{':v':{'N':'1'}}}}");
        auto r = call(*m_d, "TransactWriteItems", transaction({ putAction("Tab", padded("a", 20)), badKey }));
        QCOMPARE(r.errorType, std::string("TransactionCanceledException"));
        QCOMPARE(message(r),
            QString("Transaction cancelled, please refer cancellation reasons for specific reasons "
                    "[None, ValidationError]"));
        const auto& reasons = r.body.at("CancellationReasons").as_array();
        QCOMPARE(reasons.size(), std::size_t(2));
        QCOMPARE(std::string(reasons[0].at("Code").as_string()), std::string("None"));
        QCOMPARE(std::string(reasons[1].at("Code").as_string()), std::string("ValidationError"));
        QCOMPARE(std::string(reasons[1].at("Message").as_string()),
            std::string("The provided key element does not match the schema"));
        QCOMPARE(snapshot("Tab"), before);
        // A Put whose item has a wrongly typed key, in first position.
        auto put = call(*m_d, "TransactWriteItems",
            transaction({ putAction("Tab", J("{'pk':{'N':'1'}}")), putAction("Tab", padded("b", 20)) }));
        QCOMPARE(put.errorType, std::string("TransactionCanceledException"));
        QCOMPARE(message(put),
            QString("Transaction cancelled, please refer cancellation reasons for specific reasons "
                    "[ValidationError, None]"));
        QCOMPARE(snapshot("Tab"), before);
    }

    // Issue 8: tokens are kept in the database: another engine over the same file (another
    // `capsim call`, a restarted server) replays the first result.
    void idempotencyAcrossEngines()
    {
        QTemporaryDir dir;
        const std::string db = (dir.path() + "/tokens.sqlite").toStdString();
        const std::string add = J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'ADD n :one',"
                                  "'ExpressionAttributeValues':{':one':{'N':'1'}}}}");
        const std::string token = J(",'ClientRequestToken':'tok-x'");
        QString first;
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
            auto r = call(d, "TransactWriteItems", transaction({ add }, token), 0);
            QVERIFY2(!r.isError(), qPrintable(text(r)));
            first = text(r);
        }
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            auto replay = call(d, "TransactWriteItems", transaction({ add }, token), 5 * kMinute);
            QVERIFY2(!replay.isError(), qPrintable(text(replay)));
            QCOMPARE(replay.consumed.front().table.write, 0.0); // a replay reads, it does not write
            auto got = call(d, "GetItem", J("{'TableName':'Tab','ConsistentRead':true,'Key':") + key("a") + "}");
            QVERIFY(text(got).contains(Q("'n':{'N':'1'}")));
            auto mismatch = call(d, "TransactWriteItems",
                transaction({ putAction("Tab", padded("z", 20)) }, token), 6 * kMinute);
            QCOMPARE(mismatch.errorType, std::string("IdempotentParameterMismatchException"));
        }
        {
            // Ten minutes on, the token is forgotten.
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "TransactWriteItems", transaction({ add }, token), 10 * kMinute).isError());
            auto got = call(d, "GetItem", J("{'TableName':'Tab','ConsistentRead':true,'Key':") + key("a") + "}");
            QVERIFY(text(got).contains(Q("'n':{'N':'2'}")));
        }
    }

    void requestErrors_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("messagePart");
        const std::string put = putAction("Tab", padded("a", 20));
        std::vector<std::string> many;
        for (int i = 0; i < 101; ++i)
            many.push_back(putAction("Tab", padded("k" + std::to_string(i), 20)));
        std::vector<std::string> large;
        for (int i = 0; i < 11; ++i) // 11 x 390,000 bytes > 4 MB, each item under 400 KB
            large.push_back(putAction("Tab", padded("k" + std::to_string(i), 390000)));
        QTest::addRow("two actions on one item")
            << Q(transaction({ put, J("{'Delete':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}") }))
            << "ValidationException"
            << "Transaction request cannot include multiple operations on one item";
        QTest::addRow("101 actions") << Q(transaction(many)) << "ValidationException"
                                     << "Member must have length less than or equal to 100";
        QTest::addRow("more than 4 MB") << Q(transaction(large)) << "ValidationException"
                                        << "size cannot exceed 4 MB"; // DynamoDB's wording (issue 8)
        QTest::addRow("no actions") << Q(transaction({})) << "ValidationException"
                                    << "Member must have length greater than or equal to 1";
        QTest::addRow("ConditionCheck without a condition")
            << Q(transaction({ put, J("{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'b'}}}}") }))
            << "ValidationException"
            << "transactItems.2.member.conditionCheck.conditionExpression";
        QTest::addRow("bad update expression") << Q(
            transaction({ put, J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'b'}},'UpdateExpression':'SET'}}") }))
                                               << "ValidationException"
                                               << "(at transactItems.2)";
        QTest::addRow("unknown table") << Q(transaction({ put, putAction("Nope", padded("a", 20)) }))
                                       << "ResourceNotFoundException"
                                       << "Nope";
    }
    void requestErrors()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, messagePart);
        const QString before = snapshot("Tab");
        auto r = call(*m_d, "TransactWriteItems", request.toStdString());
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QVERIFY2(message(r).contains(messagePart), qPrintable(message(r)));
        QVERIFY(r.consumed.empty()); // rejected before any item is read
        QCOMPARE(snapshot("Tab"), before);
    }

    void idempotency()
    {
        const std::string add = J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'ADD n :one',"
                                  "'ExpressionAttributeValues':{':one':{'N':'1'}}}}");
        const std::string token = J(",'ClientRequestToken':'tok-1'");
        auto first = ok("TransactWriteItems", transaction({ add }, token), 0);
        QVERIFY(!first.isError());
        QCOMPARE(listUnits(first), 2.0);
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'1'}")));

        // The same request within 10 minutes: the first result, nothing written again, and
        // read units instead of write units (reference C 2.4).
        auto replay = ok("TransactWriteItems", transaction({ add }, token), 5 * kMinute);
        QVERIFY(!replay.isError());
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'1'}")));
        QCOMPARE(replay.consumed.size(), std::size_t(1));
        QCOMPARE(replay.consumed.front().table.read, 1.0);
        QCOMPARE(replay.consumed.front().table.write, 0.0);

        // Different parameters with the same token.
        const std::string other
            = J("{'Update':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'ADD n :one',"
                "'ExpressionAttributeValues':{':one':{'N':'5'}}}}");
        auto mismatch = call(*m_d, "TransactWriteItems", transaction({ other }, token), 6 * kMinute);
        QCOMPARE(mismatch.errorType, std::string("IdempotentParameterMismatchException"));
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'1'}")));

        // Another token is another transaction.
        QVERIFY(
            !ok("TransactWriteItems", transaction({ add }, J(",'ClientRequestToken':'tok-2'")), 7 * kMinute).isError());
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'2'}")));

        // After 10 minutes the token is forgotten: the request writes again.
        auto later = ok("TransactWriteItems", transaction({ add }, token), 10 * kMinute);
        QVERIFY(!later.isError());
        QCOMPARE(listUnits(later), 2.0);
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'3'}")));

        // A cancelled transaction does not claim its token.
        const std::string failing = J("{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},"
                                      "'ConditionExpression':'attribute_not_exists(pk)'}}");
        const std::string token3 = J(",'ClientRequestToken':'tok-3'");
        QCOMPARE(call(*m_d, "TransactWriteItems", transaction({ failing }, token3), 11 * kMinute).errorType,
            std::string("TransactionCanceledException"));
        QVERIFY(!ok("TransactWriteItems", transaction({ add }, token3), 11 * kMinute).isError());
        QVERIFY(getItem("Tab", "a").contains(Q("'n':{'N':'4'}")));
    }

    void transactGet()
    {
        ok("PutItem", J("{'TableName':'Tab','Item':") + padded("a", 5000) + "}");
        ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'c'},'x':{'N':'1'},'y':{'N':'2'}}}"));
        auto r = ok("TransactGetItems",
            J("{'ReturnConsumedCapacity':'TOTAL','TransactItems':["
              "{'Get':{'TableName':'Tab','Key':{'pk':{'S':'c'}},'ProjectionExpression':'#y','ExpressionAttributeNames':{'#y':'y'}}},"
              "{'Get':{'TableName':'Tab','Key':{'pk':{'S':'missing'}}}},"
              "{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'ProjectionExpression':'pk'}}]}"));
        QVERIFY(!r.isError());
        // In request order, {} for the missing item; each item 2 x a strong read: the projected
        // small item 2, the missing item 2, the 5 KB item 2 x 2 (reference A2).
        QCOMPARE(text(r),
            Q("{'Responses':[{'Item':{'y':{'N':'2'}}},{},{'Item':{'pk':{'S':'a'}}}],"
              "'ConsumedCapacity':[{'TableName':'Tab','CapacityUnits':8.0,'ReadCapacityUnits':8.0,"
              "'WriteCapacityUnits':0.0}]}"));

        auto duplicate = call(*m_d, "TransactGetItems",
            J("{'TransactItems':[{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}},{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}]}"));
        QCOMPARE(duplicate.errorType, std::string("ValidationException"));
        QCOMPARE(message(duplicate), QString("Transaction request cannot include multiple operations on one item"));

        std::string gets;
        for (int i = 0; i < 101; ++i)
            gets
                += (i ? "," : "") + J("{'Get':{'TableName':'Tab','Key':{'pk':{'S':'k") + std::to_string(i) + J("'}}}}");
        auto tooMany = call(*m_d, "TransactGetItems", J("{'TransactItems':[") + gets + "]}");
        QCOMPARE(tooMany.errorType, std::string("ValidationException"));
        QVERIFY(tooMany.consumed.empty());
    }

    void atomicityUnderStorageFailure_data()
    {
        QTest::addColumn<int>("afterWrites");
        // The transaction makes 7 storage writes: Put x (item, GSI entry), Update a with a new
        // GSI key (item, entry delete, entry put), Delete b (item, entry delete).
        for (int i = 0; i < 7; ++i)
            QTest::addRow("write %d fails", i + 1) << i;
    }
    void atomicityUnderStorageFailure()
    {
        QFETCH(int, afterWrites);
        QTemporaryDir dir;
        const std::string path = dir.filePath("engine.db").toStdString();
        m_d.reset();
        m_engine = std::move(Engine::open(path)).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!ok("CreateTable", kIndexed).isError());
        ok("PutItem", J("{'TableName':'Gix','Item':{'pk':{'S':'a'},'g':{'S':'old'}}}"));
        ok("PutItem", J("{'TableName':'Gix','Item':{'pk':{'S':'b'},'g':{'S':'old'}}}"));
        const QString before = snapshot("Gix");
        const std::string request = transaction({ putAction("Gix", J("{'pk':{'S':'x'},'g':{'S':'new'}}")),
            J("{'Update':{'TableName':'Gix','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET g = :g',"
              "'ExpressionAttributeValues':{':g':{'S':'new'}}}}"),
            J("{'Delete':{'TableName':'Gix','Key':{'pk':{'S':'b'}}}}") });

        m_engine->failNextStorageWrite(afterWrites);
        auto r = call(*m_d, "TransactWriteItems", request);
        QCOMPARE(r.errorType, std::string("InternalServerError"));
        QCOMPARE(r.httpStatus, 500);
        QVERIFY(r.consumed.empty());
        // Nothing written, in memory (partition counts, sizes) and in storage (items, entries).
        QCOMPARE(snapshot("Gix"), before);
        // Reopening recounts every partition from the stored items: the same again.
        m_d.reset();
        m_engine.reset();
        m_engine = std::move(Engine::open(path)).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QCOMPARE(snapshot("Gix"), before);

        // The database is usable: the same transaction now commits whole.
        auto retry = ok("TransactWriteItems", request);
        QVERIFY(!retry.isError());
        QVERIFY(getItem("Gix", "x").contains("Item"));
        QVERIFY(getItem("Gix", "a").contains(Q("'g':{'S':'new'}")));
        QVERIFY(!getItem("Gix", "b").contains("Item"));
        auto q = ok("Query",
            J("{'TableName':'Gix','IndexName':'Gsi','KeyConditionExpression':'g = :g',"
              "'ExpressionAttributeValues':{':g':{'S':'new'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), std::int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestTransactions)
#include "tst_transactions.moc"
