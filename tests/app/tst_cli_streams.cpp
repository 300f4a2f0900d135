// DynamoDB Streams through `capsim call` (reference A7, cli.md `call`): a stream enabled by
// CreateTable, records written by one process and read by others with ListStreams,
// DescribeStream, GetShardIterator and GetRecords, iterator expiry and trimming on --now.

#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

namespace {

const QString kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Str/stream/2026-12-04T10:00:00.000";
const QString kShard = "shardId-00000001796378400000-00000001";

} // namespace

class TestCliStreams : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    Run callAt(const QString& db, const QString& now, const char* operation, const std::string& request)
    {
        return runCapsim({ "call", "--db", db, "--compact", "--now", now, operation, "-" }, QByteArray::fromStdString(J(request)));
    }

    QJsonObject json(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

private slots:
    void recordsAcrossProcesses()
    {
        const QString db = m_dir.path() + "/streams.sqlite";
        auto created = callAt(db, "1796378400", "CreateTable",
            "{'TableName':'Str','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
            "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'ProvisionedThroughput':{'ReadCapacityUnits':1,"
            "'WriteCapacityUnits':1},'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'NEW_AND_OLD_IMAGES'}}");
        QCOMPARE(created.exitCode, 0);
        const QJsonObject table = json(created)["TableDescription"].toObject();
        QCOMPARE(table["LatestStreamArn"].toString(), kArn);
        QCOMPARE(table["LatestStreamLabel"].toString(), QString("2026-12-04T10:00:00.000"));
        QCOMPARE(table["StreamSpecification"].toObject()["StreamViewType"].toString(), QString("NEW_AND_OLD_IMAGES"));
        QCOMPARE(callAt(db, "1796378401", "PutItem", "{'TableName':'Str','Item':{'id':{'S':'a'},'v':{'N':'1'}}}").exitCode, 0);
        QCOMPARE(callAt(db, "1796378402", "UpdateItem",
                     "{'TableName':'Str','Key':{'id':{'S':'a'}},'UpdateExpression':'SET v = :v',"
                     "'ExpressionAttributeValues':{':v':{'N':'2'}}}")
                     .exitCode,
            0);
        auto listed = callAt(db, "1796378403", "ListStreams", "{'TableName':'Str'}");
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(json(listed)["Streams"].toArray().size(), 1);
        QCOMPARE(json(listed)["Streams"].toArray()[0].toObject()["StreamArn"].toString(), kArn);
        auto described = callAt(db, "1796378405", "DescribeStream", "{'StreamArn':'" + kArn.toStdString() + "'}");
        QCOMPARE(described.exitCode, 0);
        // ENABLED once model.streamToggleDelay (5 s) has passed since the CreateTable.
        const QJsonObject d = json(described)["StreamDescription"].toObject();
        QCOMPARE(d["StreamStatus"].toString(), QString("ENABLED"));
        QCOMPARE(d["Shards"].toArray()[0].toObject()["ShardId"].toString(), kShard);
        auto it = callAt(db, "1796378405", "GetShardIterator",
            "{'StreamArn':'" + kArn.toStdString() + "','ShardId':'" + kShard.toStdString() + "','ShardIteratorType':'TRIM_HORIZON'}");
        QCOMPARE(it.exitCode, 0);
        const std::string iterator = json(it)["ShardIterator"].toString().toStdString();
        auto got = callAt(db, "1796378406", "GetRecords", "{'ShardIterator':'" + iterator + "'}");
        QCOMPARE(got.exitCode, 0);
        const QJsonArray records = json(got)["Records"].toArray();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records[0].toObject()["eventName"].toString(), QString("INSERT"));
        QCOMPARE(records[1].toObject()["eventName"].toString(), QString("MODIFY"));
        const QJsonObject modify = records[1].toObject()["dynamodb"].toObject();
        QCOMPARE(modify["SequenceNumber"].toString(), QString("100000000000000000003"));
        QCOMPARE(modify["ApproximateCreationDateTime"].toInteger(), qint64(1796378402));
        QCOMPARE(modify["OldImage"].toObject()["v"].toObject()["N"].toString(), QString("1"));
        QCOMPARE(modify["NewImage"].toObject()["v"].toObject()["N"].toString(), QString("2"));
        // 15 minutes after it was issued the iterator has expired.
        auto expired = callAt(db, "1796379306", "GetRecords", "{'ShardIterator':'" + iterator + "'}");
        QCOMPARE(expired.exitCode, 1);
        QVERIFY2(expired.out.contains("#ExpiredIteratorException"), qPrintable(expired.out));
        // A day later the records are trimmed: AT_SEQUENCE_NUMBER of the first is refused.
        auto trimmed = callAt(db, "1796464805", "GetShardIterator",
            "{'StreamArn':'" + kArn.toStdString() + "','ShardId':'" + kShard.toStdString()
                + "','ShardIteratorType':'AT_SEQUENCE_NUMBER','SequenceNumber':'100000000000000000002'}");
        QCOMPARE(trimmed.exitCode, 1);
        QVERIFY2(trimmed.out.contains("#TrimmedDataAccessException"), qPrintable(trimmed.out));
    }

    void helpListsTheOperations()
    {
        auto help = runCapsim({ "call", "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("ListStreams DescribeStream GetShardIterator GetRecords"));
    }
};

QTEST_GUILESS_MAIN(TestCliStreams)
#include "tst_cli_streams.moc"
