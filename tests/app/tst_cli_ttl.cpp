// Time to Live through `capsim call` (reference A6, cli.md `call --now`): UpdateTimeToLive and
// DescribeTimeToLive across processes, the hour between changes, and items expiring on the
// clock each call brings forward.

#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

class TestCliTtl : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    Run callAt(const QString& db, const QString& now, const char* operation, const std::string& request)
    {
        return runCapsim({ "call", "--db", db, "--compact", "--now", now, operation, "-" }, QByteArray::fromStdString(J(request)));
    }

private slots:
    void updateAndDescribe()
    {
        const QString db = m_dir.path() + "/ttl.sqlite";
        QCOMPARE(callAt(db, "1796378400", "CreateTable",
                     "{'TableName':'Ttl','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                     "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}")
                     .exitCode,
            0);
        auto enable = callAt(db, "1796378400", "UpdateTimeToLive",
            "{'TableName':'Ttl','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}");
        QCOMPARE(enable.exitCode, 0);
        QCOMPARE(enable.out.trimmed(), QString(R"({"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})"));
        // A second change within the hour, in another process: refused, nothing changed.
        auto again = callAt(db, "1796381999", "UpdateTimeToLive",
            "{'TableName':'Ttl','TimeToLiveSpecification':{'Enabled':false,'AttributeName':'exp'}}");
        QCOMPARE(again.exitCode, 1);
        QCOMPARE(again.out.trimmed(),
            QString(R"({"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"Time to live has been )"
                    R"(modified multiple times within a fixed interval"})"));
        auto described = callAt(db, "1796381999", "DescribeTimeToLive", "{'TableName':'Ttl'}");
        QCOMPARE(described.exitCode, 0);
        QCOMPARE(described.out.trimmed(),
            QString(R"({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}})"));
        // An hour after the change it is accepted.
        QCOMPARE(callAt(db, "1796382000", "UpdateTimeToLive",
                     "{'TableName':'Ttl','TimeToLiveSpecification':{'Enabled':false,'AttributeName':'exp'}}")
                     .exitCode,
            0);
        QCOMPARE(callAt(db, "1796382000", "DescribeTimeToLive", "{'TableName':'Ttl'}").out.trimmed(),
            QString(R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})"));
    }

    void itemsExpireOnTheClock()
    {
        // Table Exp, TTL on exp, three items with v = 1796380000; their delays by reference A6
        // (seed 1): y 2378 s, x 7010 s, z 9865 s.
        const QString db = m_dir.path() + "/expire.sqlite";
        QCOMPARE(callAt(db, "1796378400", "CreateTable",
                     "{'TableName':'Exp','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},"
                     "{'AttributeName':'g','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                     "'GlobalSecondaryIndexes':[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                     "'Projection':{'ProjectionType':'ALL'}}],'BillingMode':'PAY_PER_REQUEST'}")
                     .exitCode,
            0);
        QCOMPARE(callAt(db, "1796378400", "UpdateTimeToLive",
                     "{'TableName':'Exp','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}")
                     .exitCode,
            0);
        for (const char* id : { "x", "y", "z" }) {
            auto put = callAt(db, "1796378400", "PutItem",
                std::string("{'TableName':'Exp','Item':{'id':{'S':'") + id
                    + "'},'g':{'S':'all'},'exp':{'N':'1796380000'}},'ReturnConsumedCapacity':'TOTAL'}");
            QCOMPARE(put.exitCode, 0);
        }
        auto countAt = [&](const char* now) {
            auto scan = callAt(db, now, "Scan", "{'TableName':'Exp','ConsistentRead':true,'ReturnConsumedCapacity':'INDEXES'}");
            return scan.out;
        };
        // Past v (1796380000) but before any d: all still there.
        QVERIFY(countAt("1796382377").contains(R"("Count":3)"));
        // At y's d, then x's: gone one by one, the index with them.
        QVERIFY(countAt("1796382378").contains(R"("Count":2)"));
        auto query = callAt(db, "1796387010", "Query",
            "{'TableName':'Exp','IndexName':'ByG','KeyConditionExpression':'g = :g',"
            "'ExpressionAttributeValues':{':g':{'S':'all'}},'ReturnConsumedCapacity':'TOTAL'}");
        QCOMPARE(query.exitCode, 0);
        QVERIFY2(query.out.contains(R"("Count":1)"), qPrintable(query.out));
        QVERIFY(query.out.contains(R"("S":"z")"));
        // The deletions consumed nothing: the Query's own half unit is all it reports.
        QVERIFY2(query.out.contains(R"("CapacityUnits":0.5)"), qPrintable(query.out));
        auto described = callAt(db, "1796389865", "DescribeTable", "{'TableName':'Exp'}");
        QVERIFY(described.out.contains(R"("ItemCount":0)"));
        QVERIFY(described.out.contains(R"("TableSizeBytes":0)"));
        QVERIFY(described.out.contains(R"("IndexSizeBytes":0)"));
    }

    void helpListsTheOperations()
    {
        auto help = runCapsim({ "call", "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("UpdateTimeToLive DescribeTimeToLive"));
    }
};

QTEST_GUILESS_MAIN(TestCliTtl)
#include "tst_cli_ttl.moc"
