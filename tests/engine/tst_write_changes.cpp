// The one write path's WriteChange records (engine/write_change.h): exactly one per changed
// item for every kind of write, with the right images, sizes, units, cause and transaction id;
// none for failed conditions, cancelled transactions or rolled-back storage; and a randomized
// replay of every record onto an empty map that must give exactly the table's final contents.

#include "engine/dispatcher.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <map>
#include <random>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::Q;
using capsim::test::text;

namespace {

const std::string kTable = J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                             "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'}],"
                             "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':"
                             "[{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                             "'Projection':{'ProjectionType':'ALL'}}]}");
const std::string kPlain = J("{'TableName':'Plain','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                             "[{'AttributeName':'id','AttributeType':'S'}],"
                             "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}");

std::string itemText(const std::optional<Item>& item)
{
    return item ? toJsonText(itemToJson(*item)) : std::string("-");
}

// One record as text: table, key, old -> new, sizes, units, cause, whether it has a transaction id.
QString recordText(const WriteChange& c)
{
    return QString::fromStdString(c.tableName + " " + toJsonText(itemToJson(c.key)) + " " + itemText(c.oldImage)
        + " -> " + itemText(c.newImage) + " " + std::to_string(c.oldSizeBytes) + "/" + std::to_string(c.newSizeBytes)
        + " " + std::to_string(c.writeUnits) + " " + writeCauseName(c.cause) + (c.transactionId.empty() ? "" : " tx"));
}

} // namespace

class TestWriteChanges : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;
    std::vector<WriteChange> m_changes;

    WireResponse run(const std::string& operation, const std::string& request, EngineTime now = 0)
    {
        return call(*m_d, operation, J(request), now); // J: quotes written as ' anywhere in `request`
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!run("CreateTable", kTable).isError());
        QVERIFY(!run("CreateTable", kPlain).isError());
        QVERIFY(!run("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'g':{'S':'x'},'v':{'N':'1'}}}")).isError());
        QVERIFY(!run("PutItem", J("{'TableName':'Plain','Item':{'id':{'S':'a'},'v':{'N':'1'}}}")).isError());
        m_changes.clear();
        m_engine->subscribe([this](const WriteChange& c) { m_changes.push_back(c); });
    }

    void oneRecordPerChangedItem_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QStringList>("records");
        QTest::addRow("PutItem, new item, indexed table")
            << "PutItem" << Q("{'TableName':'Tab','Item':{'pk':{'S':'b'}}}")
            << QStringList { R"(Tab {"pk":{"S":"b"}} - -> {"pk":{"S":"b"}} 0/3 1.000000 UserWrite)" };
        QTest::addRow("PutItem over an item, plain table")
            << "PutItem" << Q("{'TableName':'Plain','Item':{'id':{'S':'a'}}}")
            << QStringList { R"(Plain {"id":{"S":"a"}} {"id":{"S":"a"},"v":{"N":"1"}} -> {"id":{"S":"a"}} 6/3 1.000000 UserWrite)" };
        QTest::addRow("UpdateItem")
            << "UpdateItem"
            << Q("{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET v = :v',"
                 "'ExpressionAttributeValues':{':v':{'N':'22'}}}")
            << QStringList { R"(Tab {"pk":{"S":"a"}} {"g":{"S":"x"},"pk":{"S":"a"},"v":{"N":"1"}} -> {"g":{"S":"x"},"pk":{"S":"a"},"v":{"N":"22"}} 8/8 1.000000 UserWrite)" };
        QTest::addRow("DeleteItem")
            << "DeleteItem" << Q("{'TableName':'Plain','Key':{'id':{'S':'a'}}}")
            << QStringList { R"(Plain {"id":{"S":"a"}} {"id":{"S":"a"},"v":{"N":"1"}} -> - 6/0 1.000000 UserWrite)" };
        QTest::addRow("DeleteItem of a missing item changes nothing")
            << "DeleteItem" << Q("{'TableName':'Plain','Key':{'id':{'S':'zz'}}}") << QStringList {};
        QTest::addRow("BatchWriteItem, two tables")
            << "BatchWriteItem"
            << Q("{'RequestItems':{'Plain':[{'DeleteRequest':{'Key':{'id':{'S':'a'}}}}],"
                 "'Tab':[{'PutRequest':{'Item':{'pk':{'S':'c'}}}}]}}")
            << QStringList { R"(Plain {"id":{"S":"a"}} {"id":{"S":"a"},"v":{"N":"1"}} -> - 6/0 1.000000 Batch)",
                   R"(Tab {"pk":{"S":"c"}} - -> {"pk":{"S":"c"}} 0/3 1.000000 Batch)" };
        QTest::addRow("TransactWriteItems: the ConditionCheck changes nothing")
            << "TransactWriteItems"
            << Q("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'d'}}}},"
                 "{'Delete':{'TableName':'Plain','Key':{'id':{'S':'a'}}}},"
                 "{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},"
                 "'ConditionExpression':'attribute_exists(pk)'}}]}")
            << QStringList { R"(Tab {"pk":{"S":"d"}} - -> {"pk":{"S":"d"}} 0/3 2.000000 Transaction tx)",
                   R"(Plain {"id":{"S":"a"}} {"id":{"S":"a"},"v":{"N":"1"}} -> - 6/0 2.000000 Transaction tx)" };
    }

    void oneRecordPerChangedItem()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QStringList, records);
        auto r = run(operation.toStdString(), request.toStdString());
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QStringList got;
        for (const auto& c : m_changes)
            got << recordText(c);
        QCOMPARE(got, records);
        if (m_changes.size() > 1 && m_changes[0].cause == WriteCause::Transaction)
            QCOMPARE(QString::fromStdString(m_changes[1].transactionId), QString::fromStdString(m_changes[0].transactionId));
    }

    void noRecordWithoutAChange_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("error");
        QTest::addRow("failed condition")
            << "PutItem" << Q("{'TableName':'Tab','Item':{'pk':{'S':'a'}},'ConditionExpression':'attribute_not_exists(pk)'}")
            << "ConditionalCheckFailedException";
        QTest::addRow("cancelled transaction")
            << "TransactWriteItems"
            << Q("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'n'}}}},"
                 "{'ConditionCheck':{'TableName':'Plain','Key':{'id':{'S':'zz'}},"
                 "'ConditionExpression':'attribute_exists(id)'}}]}")
            << "TransactionCanceledException";
        QTest::addRow("rejected batch")
            << "BatchWriteItem"
            << Q("{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'n'}}}},{'PutRequest':{'Item':{'pk':{'N':'1'}}}}]}}")
            << "ValidationException";
    }

    void noRecordWithoutAChange()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, error);
        auto r = run(operation.toStdString(), request.toStdString());
        QCOMPARE(QString::fromStdString(r.errorType), error);
        QVERIFY(m_changes.empty());
    }

    void noRecordOnRollback()
    {
        // The second write of the transaction fails in storage: the first is rolled back, unseen.
        m_engine->failNextStorageWrite(1);
        auto r = run("TransactWriteItems",
            J("{'TransactItems':[{'Put':{'TableName':'Plain','Item':{'id':{'S':'p'}}}},"
              "{'Put':{'TableName':'Plain','Item':{'id':{'S':'q'}}}}]}"));
        QCOMPARE(QString::fromStdString(r.errorType), QString("InternalServerError"));
        QVERIFY(m_changes.empty());
        m_engine->failNextStorageWrite(-1);
    }

    void unsubscribeStopsDelivery()
    {
        std::vector<WriteChange> second;
        const SubscriptionId id = m_engine->subscribe([&](const WriteChange& c) { second.push_back(c); });
        QVERIFY(!run("PutItem", J("{'TableName':'Plain','Item':{'id':{'S':'u'}}}")).isError());
        m_engine->unsubscribe(id);
        QVERIFY(!run("PutItem", J("{'TableName':'Plain','Item':{'id':{'S':'w'}}}")).isError());
        QCOMPARE(second.size(), std::size_t(1));
        QCOMPARE(m_changes.size(), std::size_t(2));
    }

    void transactionIdsDiffer()
    {
        const std::string tx = J("{'TransactItems':[{'Put':{'TableName':'Plain','Item':{'id':{'S':'t'}}}}]}");
        QVERIFY(!run("TransactWriteItems", tx, 5 * kMicrosPerSecond).isError());
        QVERIFY(!run("TransactWriteItems", tx, 6 * kMicrosPerSecond).isError());
        QCOMPARE(m_changes.size(), std::size_t(2));
        QVERIFY(!m_changes[0].transactionId.empty());
        QVERIFY(m_changes[0].transactionId != m_changes[1].transactionId);
        QCOMPARE(m_changes[1].time, 6 * kMicrosPerSecond);
    }

    // Random writes of every kind, conditions failing at random; replaying the records onto an
    // empty map (seeded with the contents before subscribing) gives the table's final contents.
    void randomReplayMatchesTable()
    {
        std::map<std::string, Item> replay;
        replay[J("{'pk':{'S':'a'}}")] = Item {};
        for (const auto& item : std::vector<std::string> { J("{'pk':{'S':'a'},'g':{'S':'x'},'v':{'N':'1'}}") }) {
            auto parsed = itemFromJson(test::parse(item), "item");
            QVERIFY(parsed.isOk());
            replay[J("{'pk':{'S':'a'}}")] = *parsed;
        }
        std::mt19937 random(20261205);
        auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
        auto key = [&]() { return J("{'pk':{'S':'k") + std::to_string(pick(12)) + "'}}"; };
        auto item = [&]() {
            std::string pk = J("'k") + std::to_string(pick(12)) + "'";
            std::string out = J("{'pk':{'S':") + pk + "}";
            if (pick(2))
                out += J(",'g':{'S':'g") + std::to_string(pick(3)) + "'}";
            out += J(",'v':{'N':'") + std::to_string(pick(100)) + "'}}";
            return out;
        };
        auto condition = [&]() {
            switch (pick(3)) {
            case 0: return std::string();
            case 1: return J(",'ConditionExpression':'attribute_exists(pk)'");
            default: return J(",'ConditionExpression':'attribute_not_exists(pk)'");
            }
        };
        for (int step = 0; step < 400; ++step) {
            switch (pick(5)) {
            case 0: run("PutItem", J("{'TableName':'Tab','Item':") + item() + condition() + "}"); break;
            case 1:
                run("UpdateItem", J("{'TableName':'Tab','Key':") + key()
                        + J(",'UpdateExpression':'SET v = :v, g = :g','ExpressionAttributeValues':{':v':{'N':'")
                        + std::to_string(pick(100)) + J("'},':g':{'S':'g") + std::to_string(pick(3)) + "'}}"
                        + condition() + "}");
                break;
            case 2: run("DeleteItem", J("{'TableName':'Tab','Key':") + key() + condition() + "}"); break;
            case 3:
                run("BatchWriteItem", J("{'RequestItems':{'Tab':[{'PutRequest':{'Item':") + item()
                        + J("}},{'DeleteRequest':{'Key':") + key() + "}}]}}");
                break;
            default:
                run("TransactWriteItems", J("{'TransactItems':[{'Put':{'TableName':'Tab','Item':") + item()
                        + condition() + J("}},{'Delete':{'TableName':'Tab','Key':") + key() + condition() + "}}]}");
                break;
            }
        }
        QVERIFY(!m_changes.empty());
        for (const auto& c : m_changes) {
            if (c.tableName != "Tab")
                continue;
            const std::string k = toJsonText(itemToJson(c.key));
            // Each record's old image is what the replay holds for its key.
            auto it = replay.find(k);
            QCOMPARE(QString::fromStdString(itemText(it == replay.end() ? std::nullopt : std::optional<Item>(it->second))),
                QString::fromStdString(itemText(c.oldImage)));
            if (c.newImage)
                replay[k] = *c.newImage;
            else
                replay.erase(k);
        }
        auto scan = run("Scan", J("{'TableName':'Tab','ConsistentRead':true}"));
        std::map<std::string, std::string> table;
        for (const auto& v : scan.body.as_object().at("Items").as_array()) {
            const auto& o = v.as_object();
            table[toJsonText(boost::json::object { { "pk", o.at("pk") } })] = toJsonText(v);
        }
        std::map<std::string, std::string> replayed;
        for (const auto& [k, i] : replay)
            replayed[k] = toJsonText(itemToJson(i));
        QCOMPARE(replayed, table);
    }
};

QTEST_GUILESS_MAIN(TestWriteChanges)
#include "tst_write_changes.moc"
