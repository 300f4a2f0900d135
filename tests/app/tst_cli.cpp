// The `capsim` command line as a user runs it: outputs and exit codes of cli.md.

#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

namespace {



} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void sizeLines()
    {
        const QByteArray input = QByteArray::fromStdString(J(
            "{'shirt-color':{'S':'R'},'shirt-size':{'S':'M'}}\n"
            "\n"
            "{'Item':{'a':{'S':'") + std::string(1024, 'x') + J("'}}}\n"
            "{'bad':{'SS':[]}}\n"
            "{'':{'S':'x'}}\n"
            "not json\n"
            "{'Item':{'S':'x'}}\n"));
        auto r = runCapsim({ "size", "-" }, input);
        QCOMPARE(r.exitCode, 2);
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines[0], QString(R"({"bytes":23,"readUnitsStrong":1,"readUnitsEventual":0.5,"writeUnits":1,"storageBytes":123})"));
        QCOMPARE(lines[1], QString(R"({"bytes":1025,"readUnitsStrong":1,"readUnitsEventual":0.5,"writeUnits":2,"storageBytes":1125})"));
        QVERIFY(lines[2].startsWith(R"({"error":"ValidationException","message":)"));
        QVERIFY(lines[2].contains("may not be empty"));
        // Issue 8: an empty attribute name is refused, as DynamoDB refuses it.
        QVERIFY(lines[3].startsWith(R"({"error":"ValidationException","message":)"));
        QVERIFY(lines[3].contains("An attribute name may not be empty"));
        QVERIFY(lines[4].contains("not JSON"));
        // An item whose only attribute is named Item reads as such when the wrapper reading fails.
        QCOMPARE(lines[5], QString(R"({"bytes":5,"readUnitsStrong":1,"readUnitsEventual":0.5,"writeUnits":1,"storageBytes":105})"));
        auto good = runCapsim({ "size" }, QByteArray::fromStdString(J("{'n':{'N':'123456'}}\n")));
        QCOMPARE(good.exitCode, 0);
        QCOMPARE(good.out.trimmed(), QString(R"({"bytes":5,"readUnitsStrong":1,"readUnitsEventual":0.5,"writeUnits":1,"storageBytes":105})"));
    }

    void callRoundTrip()
    {
        const QString db = m_dir.path() + "/call.sqlite";
        auto create = runCapsim({ "call", "--db", db, "CreateTable", "-" },
            QByteArray::fromStdString(J("{'TableName':'T1x','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                                        "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}")));
        QCOMPARE(create.exitCode, 0);
        QVERIFY(create.out.contains("\"TableStatus\": \"ACTIVE\""));
        QFile request(m_dir.path() + "/put.json");
        QVERIFY(request.open(QIODevice::WriteOnly));
        request.write(QByteArray::fromStdString(J("{'TableName':'T1x','Item':{'id':{'S':'a'},'n':{'N':'1.0'}},'ReturnConsumedCapacity':'TOTAL'}")));
        request.close();
        auto put = runCapsim({ "call", "--db", db, "--compact", "PutItem", request.fileName() });
        QCOMPARE(put.exitCode, 0);
        QCOMPARE(put.out.trimmed(), QString(R"({"ConsumedCapacity":{"TableName":"T1x","CapacityUnits":1.0,"ReadCapacityUnits":0.0,"WriteCapacityUnits":1.0}})"));
        auto get = runCapsim({ "call", "--db", db, "--compact", "GetItem" },
            QByteArray::fromStdString(J("{'TableName':'T1x','Key':{'id':{'S':'a'}}}")));
        QCOMPARE(get.exitCode, 0);
        QCOMPARE(get.out.trimmed(), QString(R"({"Item":{"id":{"S":"a"},"n":{"N":"1"}}})"));
        auto missing = runCapsim({ "call", "--db", db, "--compact", "GetItem" },
            QByteArray::fromStdString(J("{'TableName':'Nope','Key':{'id':{'S':'a'}}}")));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.out.startsWith(R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":)"));
        // Issue 8: malformed JSON is DynamoDB's SerializationException, exit 1 (cli.md said 2).
        auto notJson = runCapsim({ "call", "--db", db, "--compact", "GetItem" }, "{oops");
        QCOMPARE(notJson.exitCode, 1);
        QVERIFY(notJson.out.startsWith(R"({"__type":"com.amazonaws.dynamodb.v20120810#SerializationException","message":)"));
        QVERIFY(notJson.err.contains("not JSON"));
        auto noDb = runCapsim({ "call", "GetItem" });
        QCOMPARE(noDb.exitCode, 2);
        auto badDb = runCapsim({ "call", "--db", m_dir.path() + "/no/such/dir/x.sqlite", "ListTables" });
        QCOMPARE(badDb.exitCode, 1);
    }

    // Issue 8: each `capsim call` is a process; a ClientRequestToken is kept in the database, so
    // the same TransactWriteItems sent twice succeeds twice with the same response.
    void transactionTokenAcrossCalls()
    {
        const QString db = m_dir.path() + "/tokens.sqlite";
        auto create = runCapsim({ "call", "--db", db, "CreateTable", "-" },
            QByteArray::fromStdString(J("{'TableName':'Tok','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                                        "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}")));
        QCOMPARE(create.exitCode, 0);
        const QByteArray request = QByteArray::fromStdString(
            J("{'ClientRequestToken':'same-token','TransactItems':[{'Update':{'TableName':'Tok','Key':{'id':{'S':'a'}},"
              "'UpdateExpression':'ADD n :one','ExpressionAttributeValues':{':one':{'N':'1'}}}}]}"));
        auto first = runCapsim({ "call", "--db", db, "--compact", "TransactWriteItems", "-" }, request);
        QCOMPARE(first.exitCode, 0);
        auto second = runCapsim({ "call", "--db", db, "--compact", "TransactWriteItems", "-" }, request);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.out, first.out);
        auto get = runCapsim({ "call", "--db", db, "--compact", "GetItem" },
            QByteArray::fromStdString(J("{'TableName':'Tok','ConsistentRead':true,'Key':{'id':{'S':'a'}}}")));
        QCOMPARE(get.out.trimmed(), QString(R"({"Item":{"id":{"S":"a"},"n":{"N":"1"}}})"));
    }

    // Issue 9 (cli.md): --now sets the engine's clock, in epoch seconds or ISO 8601 UTC; the
    // database keeps it, and time only moves forward. --region names the table ARNs' region.
    void callClockAndRegion()
    {
        const QString db = m_dir.path() + "/clock.sqlite";
        const QByteArray createTable = QByteArray::fromStdString(
            J("{'TableName':'Clk','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
              "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}"));
        auto create = runCapsim({ "call", "--db", db, "--compact", "--now", "2026-12-04T10:00:00Z", "CreateTable", "-" },
            createTable);
        QCOMPARE(create.exitCode, 0);
        QVERIFY(create.out.contains(R"("CreationDateTime":1796378400)"));
        QVERIFY(create.out.contains(R"("TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Clk")"));
        const QByteArray describe = QByteArray::fromStdString(J("{'TableName':'Clk'}"));
        // Tables are keyed by (region, name) (reference A11): eu-west-1 has no Clk until one is
        // created there, with its region in the ARN.
        auto elsewhere = runCapsim({ "call", "--db", db, "--compact", "--now=1796378400.5", "--region", "eu-west-1",
                                       "DescribeTable", "-" },
            describe);
        QCOMPARE(elsewhere.exitCode, 1);
        QVERIFY(elsewhere.out.contains("ResourceNotFoundException"));
        auto later = runCapsim({ "call", "--db", db, "--compact", "--now=1796378400.5", "--region", "eu-west-1",
                                   "CreateTable", "-" },
            createTable);
        QCOMPARE(later.exitCode, 0);
        QVERIFY(later.out.contains(R"("TableArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/Clk")"));
        // Earlier than the database's clock (kept from the last call): exit 2, nothing changed.
        const QByteArray before = capsim::test::readFile(db);
        auto earlier = runCapsim({ "call", "--db", db, "--now", "2026-12-04T09:59:59Z", "DeleteTable", "-" }, describe);
        QCOMPARE(earlier.exitCode, 2);
        QVERIFY(earlier.err.contains("earlier than the database's latest time (2026-12-04T10:00:00.500Z)"));
        QCOMPARE(capsim::test::readFile(db), before);
        for (const char* bad : { "yesterday", "2026-12-04 10:00:00", "2026-13-04T10:00:00Z", "1.2.3", "" }) {
            auto r = runCapsim({ "call", "--db", db, "--now", bad, "ListTables" });
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--now"), qPrintable(r.err));
        }
        auto missingValue = runCapsim({ "call", "--db", db, "ListTables", "--now" });
        QCOMPARE(missingValue.exitCode, 2);
        // Without --now the wall clock is used, or the database's clock if that is ahead of it.
        auto future = runCapsim({ "call", "--db", db, "--compact", "--now", "4102444800", "ListTables" });
        QCOMPARE(future.exitCode, 0);
        auto wall = runCapsim({ "call", "--db", db, "--compact", "ListTables" });
        QCOMPARE(wall.exitCode, 0);
        auto stillFuture = runCapsim({ "call", "--db", db, "--now", "4102444799", "ListTables" });
        QCOMPARE(stillFuture.exitCode, 2);
    }

    void helpAndUsage()
    {
        QCOMPARE(runCapsim({ "--help" }).exitCode, 0);
        for (const char* command : { "size", "call", "demo", "bench" })
            QCOMPARE(runCapsim({ command, "--help" }).exitCode, 0);
        auto unknown = runCapsim({ "frobnicate" });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("unknown command"));
    }

    void runWritesEveryOutput()
    {
        const QString out = m_dir.path() + "/run-out";
        auto r = runCapsim({ "run", CAPSIM_SOURCE_DIR "/resources/scenarios/01-burst-capacity.json", "--out", out, "--quiet" });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("burst-capacity"));
        for (const char* file : { "summary.json", "timeseries.csv", "partitions.csv", "events.csv", "run.sqlite",
                 "charts/capacity.png", "charts/heatmap.png", "charts/cost.png" })
            QVERIFY2(QFileInfo(out + "/" + file).size() > 0, file);
        QFile summary(out + "/summary.json");
        QVERIFY(summary.open(QIODevice::ReadOnly));
        const QByteArray text = summary.readAll();
        QVERIFY(text.contains("\"format\": \"capsim-summary/1\""));
        // No partial output directories are left beside it.
        QCOMPARE(QDir(m_dir.path()).entryList({ "run-out.*" }, QDir::Dirs).size(), 0);
        // --json prints the summary itself; a second run replaces the outputs whole.
        auto again = runCapsim({ "run", CAPSIM_SOURCE_DIR "/resources/scenarios/01-burst-capacity.json", "--out", out, "--json" });
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out.toUtf8(), text);
    }

    void badScenarioListsEveryProblem()
    {
        QFile bad(m_dir.path() + "/bad.json");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray::fromStdString(J("{'format':'capsim-scenario/1','name':'bad','duration':'1h',"
                                              "'tables':[{'name':'Tbl','partitionKey':{'name':'id','type':'S'},'billingMode':'PROVISIONED','provisioned':{'read':0,'write':5}}],"
                                              "'workloads':[{'table':'Nope','rate':{'type':'constant','rate':1},'operations':{'GetItem':0.5}}]}")));
        bad.close();
        auto r = runCapsim({ "run", bad.fileName(), "--out", m_dir.path() + "/bad-out" });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("tables[0].provisioned.read"), qPrintable(r.err));
        QVERIFY2(r.err.contains("workloads[0].table"), qPrintable(r.err));
        QVERIFY2(r.err.contains("workloads[0].operations"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(m_dir.path() + "/bad-out"));
    }

    void demoRuns()
    {
        const QString db = m_dir.path() + "/demo.sqlite";
        auto r = runCapsim({ "demo", "--db", db });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("ConditionalCheckFailedException"));
        QVERIFY(r.out.contains("4 partitions"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
