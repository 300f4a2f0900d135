// Persistence: reopening a database file gives back every table and item, and a process
// killed in the middle of writes leaves each item written or not, never torn.

#include "engine/dispatcher.h"
#include "engine/resource_ids.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::text;

namespace {

const std::string kTable = J("{'TableName':'Keep','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},"
                             "{'AttributeName':'sk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
                             "{'AttributeName':'sk','KeyType':'RANGE'}],'ProvisionedThroughput':{'ReadCapacityUnits':5000,'WriteCapacityUnits':3000}}");

std::string batchOf(int batch, int payload)
{
    std::string puts;
    for (int i = 0; i < 25; ++i) {
        puts += (i ? "," : "") + J("{'PutRequest':{'Item':{'pk':{'S':'b") + std::to_string(batch) + J("'},'sk':{'N':'")
            + std::to_string(i) + J("'},'batch':{'N':'") + std::to_string(batch) + J("'},'p':{'S':'")
            + std::string(static_cast<std::size_t>(payload), 'x') + J("'}}}}");
    }
    return J("{'RequestItems':{'Keep':[") + puts + "]}}";
}

} // namespace

class TestPersistence : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

private slots:
    void reopenGivesBackEverything()
    {
        const std::string db = path("reopen.sqlite");
        std::string describedBefore;
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
            for (int i = 0; i < 300; ++i)
                QVERIFY(!call(d, "PutItem", J("{'TableName':'Keep','Item':{'pk':{'S':'k") + std::to_string(i % 17)
                    + J("'},'sk':{'N':'") + std::to_string(i) + J("'},'m':{'M':{'l':{'L':[{'N':'1.50'},{'BS':['AQ==']}]}}}}}")).isError());
            QVERIFY(!call(d, "UpdateTable", J("{'TableName':'Keep','ProvisionedThroughput':{'ReadCapacityUnits':9000,'WriteCapacityUnits':3000}}"), 5).isError());
            describedBefore = toJsonText(call(d, "DescribeTable", J("{'TableName':'Keep'}")).body);
        }
        auto engine = std::move(Engine::open(db)).value();
        Dispatcher d(*engine);
        QCOMPARE(QString::fromStdString(toJsonText(call(d, "DescribeTable", J("{'TableName':'Keep'}")).body)),
            QString::fromStdString(describedBefore));
        auto q = call(d, "Query", J("{'TableName':'Keep','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'k3'}}}"));
        QCOMPARE(q.body.at("Count").as_int64(), 18);
        QCOMPARE(QString::fromStdString(toJsonText(q.body.at("Items").at(0).at("m"))),
            QString::fromStdString(J("{'M':{'l':{'L':[{'N':'1.5'},{'BS':['AQ==']}]}}}")));
        QCOMPARE(engine->table("Keep")->itemCount(), std::int64_t(300));
        // 5,000 RCU + 3,000 WCU need 5 partitions; 9,000 RCU needs 6, so the 5 double to 10 (reference A3).
        QCOMPARE(engine->table("Keep")->partitions.size(), std::size_t(10));
    }

    // Issue 9: the engine's clock never goes back, and a saved clock survives reopening (each
    // `capsim call` is a process; the server restarts).
    void clockMovesForwardAndPersists()
    {
        const std::string db = path("clock.sqlite");
        {
            auto engine = std::move(Engine::open(db)).value();
            QCOMPARE(engine->now(), EngineTime(0));
            QVERIFY(engine->advanceTime(5'000'000).isOk());
            QVERIFY(engine->advanceTime(2'000'000).isOk());
            QCOMPARE(engine->now(), EngineTime(5'000'000));
            Dispatcher d(*engine);
            QVERIFY(!call(d, "ListTables", "{}", 7'000'000).isError()); // dispatching at 7 s advances the clock
            QCOMPARE(engine->now(), EngineTime(7'000'000));
            QVERIFY(engine->saveClock().isOk());
            QVERIFY(engine->advanceTime(9'000'000).isOk()); // not saved
        }
        auto engine = std::move(Engine::open(db)).value();
        QCOMPARE(engine->now(), EngineTime(7'000'000));
        QCOMPARE(QString::fromStdString(engine->tableArn("T")), QString("arn:aws:dynamodb:us-east-1:000000000000:table/T"));
        engine->setRegion("ap-south-1");
        QCOMPARE(QString::fromStdString(engine->tableArn("T")), QString("arn:aws:dynamodb:ap-south-1:000000000000:table/T"));
    }

    void resourceIdsCountPerDatabase()
    {
        // Backup, export and import ids (reference A8, A9): epoch ms in 14 digits, '-', the
        // database's counter in 8 hex digits, which continues in the next process.
        const std::string db = path("ids.sqlite");
        QCOMPARE(QString::fromStdString(formatResourceId(1'489'602'797'149'123, 0x73d8d5bc)),
            QString("01489602797149-73d8d5bc"));
        {
            auto engine = std::move(Engine::open(db)).value();
            QCOMPARE(QString::fromStdString(engine->nextResourceId(1'700'000'000'000'000).value()),
                QString("01700000000000-00000001"));
            QCOMPARE(QString::fromStdString(engine->nextResourceId(1'700'000'000'500'000).value()),
                QString("01700000000500-00000002"));
        }
        auto engine = std::move(Engine::open(db)).value();
        QCOMPARE(QString::fromStdString(engine->nextResourceId(1'700'000'001'000'000).value()),
            QString("01700000001000-00000003"));
    }

    // Group commit (capsim serve's executor): the engine's own transactions become savepoints,
    // so a failed operation undoes only its own writes, in memory and in the file, and the
    // group reaches the file at commitGroup().
    void groupUndoesOnlyTheFailedOperation()
    {
        const std::string db = path("group.sqlite");
        const std::string withIndex = J("{'TableName':'Grp','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},"
                                        "{'AttributeName':'g','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                                        "'GlobalSecondaryIndexes':[{'IndexName':'byG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                                        "'Projection':{'ProjectionType':'ALL'}}],'BillingMode':'PAY_PER_REQUEST'}");
        const auto put = [](const std::string& pk, const std::string& extra = {}) {
            return J("{'TableName':'Grp','Item':{'pk':{'S':'" + pk + "'},'g':{'S':'x'}}" + extra + "}");
        };
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", withIndex).isError());
            QVERIFY(engine->beginGroup().isOk());
            QVERIFY(!engine->beginGroup().isOk()); // groups do not nest
            QVERIFY(!call(d, "PutItem", put("a")).isError());
            QCOMPARE(call(d, "PutItem", put("a", ",'ConditionExpression':'attribute_not_exists(pk)'")).errorType,
                std::string("ConditionalCheckFailedException"));
            // The index entry's write fails: the item's own write (earlier in the same savepoint) is undone.
            engine->failNextStorageWrite(1);
            QVERIFY(call(d, "PutItem", put("b")).isError());
            QVERIFY(!call(d, "PutItem", put("c")).isError());
            QCOMPARE(engine->table("Grp")->itemCount(), std::int64_t(2));
            QVERIFY(engine->commitGroup().isOk());
        }
        auto engine = std::move(Engine::open(db)).value();
        Dispatcher d(*engine);
        QCOMPARE(engine->table("Grp")->itemCount(), std::int64_t(2));
        for (const char* pk : { "a", "c" })
            QVERIFY(call(d, "GetItem", J("{'TableName':'Grp','Key':{'pk':{'S':'" + std::string(pk) + "'}}}")).body.as_object().contains("Item"));
        QVERIFY(!call(d, "GetItem", J("{'TableName':'Grp','Key':{'pk':{'S':'b'}}}")).body.as_object().contains("Item"));
        const auto byIndex = call(d, "Query", J("{'TableName':'Grp','IndexName':'byG','KeyConditionExpression':'g = :g',"
                                                "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        QCOMPARE(byIndex.body.at("Count").as_int64(), 2);
    }

    // A group whose commit fails leaves nothing of itself in the file.
    void failedGroupCommitLeavesNothing()
    {
        const std::string db = path("group-failed.sqlite");
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
            QVERIFY(engine->beginGroup().isOk());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Keep','Item':{'pk':{'S':'kept'},'sk':{'N':'1'}}}")).isError());
            QVERIFY(engine->commitGroup().isOk());
            QVERIFY(engine->beginGroup().isOk());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Keep','Item':{'pk':{'S':'lost'},'sk':{'N':'1'}}}")).isError());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Keep','Item':{'pk':{'S':'lost'},'sk':{'N':'2'}}}")).isError());
            engine->failNextGroupCommit();
            QVERIFY(!engine->commitGroup().isOk());
        }
        auto engine = std::move(Engine::open(db)).value();
        Dispatcher d(*engine);
        const auto count = [&](const char* pk) {
            return call(d, "Query", J("{'TableName':'Keep','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'")
                    + pk + J("'}}}")).body.at("Count").as_int64();
        };
        QCOMPARE(count("kept"), 1);
        QCOMPARE(count("lost"), 0);
        QCOMPARE(engine->table("Keep")->itemCount(), std::int64_t(1));
    }

    // With checkpoints on their own thread, every committed write is still there on reopening.
    void backgroundCheckpointsKeepEverything()
    {
        const std::string db = path("checkpointed.sqlite");
        {
            auto engine = std::move(Engine::open(db)).value();
            QVERIFY(engine->checkpointInBackground().isOk());
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
            for (int b = 0; b < 120; ++b) // ~3,000 frames: the checkpointer runs a few times
                QVERIFY(!call(d, "BatchWriteItem", batchOf(b, 900)).isError());
        }
        auto engine = std::move(Engine::open(db)).value();
        QCOMPARE(engine->table("Keep")->itemCount(), std::int64_t(120 * 25));
    }

    void killedMidBatchLeavesWholeItems()
    {
        const std::string db = path("crash.sqlite");
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable).isError());
        }
        // A child process writes batches as fast as it can; the parent kills it mid-stream.
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            auto engine = Engine::open(db);
            if (!engine)
                _exit(3);
            Dispatcher d(**engine);
            for (int batch = 0;; ++batch) {
                if (call(d, "BatchWriteItem", batchOf(batch, 3000)).isError())
                    _exit(4);
            }
        }
        QTest::qWait(400);
        QCOMPARE(kill(child, SIGKILL), 0);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));

        auto engine = Engine::open(db);
        QVERIFY2(engine.isOk(), engine.status().message().c_str());
        Dispatcher d(**engine);
        std::map<std::int64_t, int> perBatch;
        std::optional<boost::json::value> start;
        std::int64_t items = 0;
        do {
            std::string request = J("{'TableName':'Keep'");
            if (start)
                request += J(",'ExclusiveStartKey':") + toJsonText(*start);
            auto page = call(d, "Scan", request + "}");
            QVERIFY2(!page.isError(), qPrintable(text(page)));
            for (const auto& item : page.body.at("Items").as_array()) {
                // Every item is whole: its payload has its full length.
                QCOMPARE(item.at("p").at("S").as_string().size(), std::size_t(3000));
                ++perBatch[std::stoll(std::string(item.at("batch").at("N").as_string()))];
                ++items;
            }
            const auto* lek = page.body.as_object().if_contains("LastEvaluatedKey");
            start = lek ? std::optional<boost::json::value>(*lek) : std::nullopt;
        } while (start);
        QVERIFY2(items > 0, "the child wrote nothing before it was killed");
        // Batches are transactions: each is all there or not at all.
        for (const auto& [batch, count] : perBatch)
            QCOMPARE(count, 25);
        QCOMPARE((*engine)->table("Keep")->itemCount(), items);
    }

    void notADatabase()
    {
        const std::string bogus = path("bogus.sqlite");
        {
            QFile f(QString::fromStdString(bogus));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'z'));
        }
        auto engine = Engine::open(bogus);
        QVERIFY(!engine.isOk());
        QVERIFY(QString::fromStdString(engine.status().message()).contains("bogus.sqlite"));
    }
};

QTEST_GUILESS_MAIN(TestPersistence)
#include "tst_persistence.moc"
