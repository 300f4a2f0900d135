// Global tables through `capsim call --region` (reference A11, cli.md `call --region`): one
// process per call, the same table name in two regions, a replica added with ReplicaUpdates,
// CREATING then ACTIVE on the clock `--now` brings, and a write in one region read in the other.

#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

class TestCliGlobalTables : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    Run callAt(const QString& db, const QString& region, const QString& now, const char* operation,
        const std::string& request)
    {
        return runCapsim({ "call", "--db", db, "--compact", "--region", region, "--now", now, operation, "-" },
            QByteArray::fromStdString(J(request)));
    }

private slots:
    void replicaThroughCall()
    {
        const QString db = m_dir.path() + "/global.sqlite";
        const std::string table = "{'TableName':'Orders','AttributeDefinitions':[{'AttributeName':'id','AttributeType':"
                                  "'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':"
                                  "'PAY_PER_REQUEST'}";
        QCOMPARE(callAt(db, "us-east-1", "1796378400", "CreateTable", table).exitCode, 0);
        // The same name in another region is another table; it must go before a replica can go there.
        QCOMPARE(callAt(db, "eu-west-1", "1796378400", "CreateTable", table).exitCode, 0);
        auto exists = callAt(db, "us-east-1", "1796378401", "UpdateTable",
            "{'TableName':'Orders','ReplicaUpdates':[{'Create':{'RegionName':'eu-west-1'}}]}");
        QCOMPARE(exists.exitCode, 1);
        QVERIFY(exists.out.contains("One or more replicas already existed as tables"));
        QCOMPARE(callAt(db, "eu-west-1", "1796378401", "DeleteTable", "{'TableName':'Orders'}").exitCode, 0);
        QCOMPARE(callAt(db, "eu-west-1", "1796378401", "ListTables", "{}").out.trimmed(), QString(R"({"TableNames":[]})"));
        QCOMPARE(callAt(db, "us-east-1", "1796378401", "ListTables", "{}").out.trimmed(),
            QString(R"({"TableNames":["Orders"]})"));

        auto created = callAt(db, "us-east-1", "1796378402", "UpdateTable",
            "{'TableName':'Orders','ReplicaUpdates':[{'Create':{'RegionName':'eu-west-1'}}]}");
        QCOMPARE(created.exitCode, 0);
        QVERIFY(created.out.contains(R"("GlobalTableVersion":"2019.11.21")"));
        QVERIFY(created.out.contains(R"("Replicas":[{"RegionName":"eu-west-1","ReplicaStatus":"CREATING"}])"));
        // CREATING for model.replicaCreateMinSeconds (30 s, an empty table): ACTIVE from 1796378432.
        QVERIFY(callAt(db, "eu-west-1", "1796378431", "DescribeTable", "{'TableName':'Orders'}")
                    .out.contains(R"("TableStatus":"CREATING")"));
        auto replica = callAt(db, "eu-west-1", "1796378432", "DescribeTable", "{'TableName':'Orders'}");
        QVERIFY(replica.out.contains(R"("TableStatus":"ACTIVE")"));
        QVERIFY(replica.out.contains("\"TableArn\":\"arn:aws:dynamodb:eu-west-1:"));
        QVERIFY(replica.out.contains(R"("Replicas":[{"RegionName":"us-east-1","ReplicaStatus":"ACTIVE"}])"));

        // A write in us-east-1 reaches eu-west-1 within the latency (median 1 s; 20 s is far past it).
        QCOMPARE(callAt(db, "us-east-1", "1796378440", "PutItem", "{'TableName':'Orders','Item':{'id':{'S':'o1'},"
                                                                   "'total':{'N':'42'}}}")
                     .exitCode,
            0);
        auto read = callAt(db, "eu-west-1", "1796378460", "GetItem", "{'TableName':'Orders','Key':{'id':{'S':'o1'}}}");
        QCOMPARE(read.exitCode, 0);
        QCOMPARE(read.out.trimmed(), QString(R"({"Item":{"id":{"S":"o1"},"total":{"N":"42"}}})"));
        // And back: a delete in eu-west-1 reaches us-east-1.
        QCOMPARE(callAt(db, "eu-west-1", "1796378461", "DeleteItem", "{'TableName':'Orders','Key':{'id':{'S':'o1'}}}")
                     .exitCode,
            0);
        QCOMPARE(callAt(db, "us-east-1", "1796378480", "GetItem", "{'TableName':'Orders','Key':{'id':{'S':'o1'}}}")
                     .out.trimmed(),
            QString("{}"));
    }
};

QTEST_GUILESS_MAIN(TestCliGlobalTables)
#include "tst_cli_global_tables.moc"
