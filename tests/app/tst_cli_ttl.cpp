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

    void helpListsTheOperations()
    {
        auto help = runCapsim({ "call", "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("UpdateTimeToLive DescribeTimeToLive"));
    }
};

QTEST_GUILESS_MAIN(TestCliTtl)
#include "tst_cli_ttl.moc"
