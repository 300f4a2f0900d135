// The wire dispatcher as a table of handlers: every operation of the table dispatches to its
// handler, an unknown operation is DynamoDB's UnknownOperationException, and the one
// authorization point runs before any handler: a denial answers AccessDeniedException and
// changes nothing, and the authorizer sees the action and every table and index a request names.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <algorithm>

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
const std::string kTwo = J("{'TableName':'Two','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                           "[{'AttributeName':'id','AttributeType':'S'}],"
                           "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                           "'StreamSpecification':{'StreamEnabled':true,'StreamViewType':'KEYS_ONLY'}}");
// Two's stream, enabled at time 0, and its first shard.
const std::string kTwoStream = "arn:aws:dynamodb:us-east-1:000000000000:table/Two/stream/1970-01-01T00:00:00.000";
const std::string kTwoShard = "shardId-00000000000000000000-00000001";

// The first backup of Tab made at time 0 (reference A8's ARN rule).
// The import in init() takes resource id 00000001, the backup the next.
const std::string kBackupArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab/backup/00000000000000-00000002";

std::string resourcesText(const std::vector<AccessResource>& resources)
{
    std::string out;
    for (const auto& r : resources)
        out += (out.empty() ? "" : " ") + r.tableName + (r.indexName.empty() ? "" : "/" + r.indexName);
    return out;
}

// The export the DescribeExport row makes first (resource id 00000002, after the import's).
const std::string kExportArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab/export/00000000000000-00000002";
const std::string kExport = "{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','S3Bucket':'none'}";

const char* kImport = "{'S3BucketSource':{'S3Bucket':'none'},'InputFormat':'CSV','TableCreationParameters':"
                      "{'TableName':'Imp','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                      "[{'AttributeName':'k','AttributeType':'S'}],'KeySchema':[{'AttributeName':'k','KeyType':'HASH'}]}}";

} // namespace

class TestDispatcher : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;
    std::vector<AccessRequest> m_seen;

    WireResponse ok(const std::string& operation, const std::string& request)
    {
        auto r = call(*m_d, operation, request);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    bool itemExists(const std::string& table, const std::string& key)
    {
        auto r = ok("GetItem", J("{'TableName':'") + table + J("','ConsistentRead':true,'Key':") + key + "}");
        return r.body.as_object().contains("Item");
    }

    void recordAll()
    {
        m_d->setAuthorizer([this](const AccessRequest& request) {
            m_seen.push_back(request);
            return Status::ok();
        });
    }

    void denyAll()
    {
        m_d->setAuthorizer([](const AccessRequest& request) {
            return Status(error::kAccessDenied,
                "User: arn:aws:iam::000000000000:user/test is not authorized to perform: " + request.action);
        });
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        m_seen.clear();
        QVERIFY(!ok("CreateTable", kTable).isError());
        QVERIFY(!ok("CreateTable", kTwo).isError());
        QVERIFY(!ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'g':{'S':'x'}}}")).isError());
        // An import from a bucket that is not there: FAILED, no table, but an import to describe.
        QVERIFY(!ok("ImportTable", J(kImport)).isError());
    }

    void everyOperationDispatches_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        const std::vector<std::pair<const char*, std::string>> rows {
            { "CreateTable",
                "{'TableName':'New','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'k',"
                "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'k','KeyType':'HASH'}]}" },
            { "DescribeTable", "{'TableName':'Tab'}" },
            { "DeleteTable", "{'TableName':'Two'}" },
            { "ListTables", "{}" },
            { "UpdateTable", "{'TableName':'Tab','TableClass':'STANDARD_INFREQUENT_ACCESS'}" },
            { "GetItem", "{'TableName':'Tab','Key':{'pk':{'S':'a'}}}" },
            { "PutItem", "{'TableName':'Tab','Item':{'pk':{'S':'b'}}}" },
            { "UpdateItem",
                "{'TableName':'Tab','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET v = :v',"
                "'ExpressionAttributeValues':{':v':{'N':'1'}}}" },
            { "DeleteItem", "{'TableName':'Tab','Key':{'pk':{'S':'a'}}}" },
            { "Query",
                "{'TableName':'Tab','KeyConditionExpression':'pk = :p','ExpressionAttributeValues':{':p':{'S':'a'}}}" },
            { "Scan", "{'TableName':'Tab'}" },
            { "BatchGetItem", "{'RequestItems':{'Tab':{'Keys':[{'pk':{'S':'a'}}]}}}" },
            { "BatchWriteItem", "{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'c'}}}}]}}" },
            { "TransactWriteItems", "{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'d'}}}}]}" },
            { "TransactGetItems", "{'TransactItems':[{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}]}" },
            { "UpdateTimeToLive", "{'TableName':'Tab','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}" },
            { "DescribeTimeToLive", "{'TableName':'Tab'}" },
            { "UpdateContinuousBackups",
                "{'TableName':'Tab','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}" },
            { "DescribeContinuousBackups", "{'TableName':'Tab'}" },
            { "RestoreTableToPointInTime",
                "{'SourceTableName':'Tab','TargetTableName':'Restored','UseLatestRestorableTime':true}" },
            { "CreateBackup", "{'TableName':'Tab','BackupName':'nightly'}" },
            { "DescribeBackup", "{'BackupArn':'" + kBackupArn + "'}" },
            { "ListBackups", "{}" },
            { "DeleteBackup", "{'BackupArn':'" + kBackupArn + "'}" },
            { "RestoreTableFromBackup", "{'TargetTableName':'Restored','BackupArn':'" + kBackupArn + "'}" },
            { "ListStreams", "{}" },
            { "DescribeStream", "{'StreamArn':'" + kTwoStream + "'}" },
            { "GetShardIterator",
                "{'StreamArn':'" + kTwoStream + "','ShardId':'" + kTwoShard + "','ShardIteratorType':'TRIM_HORIZON'}" },
            // ITERATOR: one from the engine (an iterator is opaque).
            { "GetRecords", "{'ShardIterator':'ITERATOR'}" },
            { "ImportTable", kImport },
            { "DescribeImport", "{'ImportArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Imp/import/00000000000000-00000001'}" },
            { "ListImports", "{}" },
            { "ExportTableToPointInTime", kExport },
            { "DescribeExport", "{'ExportArn':'" + kExportArn + "'}" },
            { "ListExports", "{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab'}" },
        };
        // A row per operation of the table, and no row for an operation it lacks.
        std::vector<std::string> names;
        for (const auto& [operation, request] : rows) {
            names.emplace_back(operation);
            QTest::addRow("%s", operation) << QString(operation) << Q(request);
        }
        auto served = Dispatcher::operationNames();
        std::sort(names.begin(), names.end());
        std::sort(served.begin(), served.end());
        QCOMPARE(served, names);
    }

    void everyOperationDispatches()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        // What the backup and PITR rows need: PITR enabled, a backup (kBackupArn) to act on.
        QVERIFY(!ok("UpdateContinuousBackups",
            J("{'TableName':'Tab','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}"))
                     .isError());
        if (operation.endsWith("Backup") && operation != "CreateBackup")
            QVERIFY(!ok("CreateBackup", J("{'TableName':'Tab','BackupName':'nightly'}")).isError());
        if (operation == "DescribeExport")
            QVERIFY(!ok("ExportTableToPointInTime", J(kExport)).isError());
        if (request.contains("ITERATOR"))
            request.replace("ITERATOR",
                QString::fromStdString(
                    m_engine->getShardIterator(kTwoStream, kTwoShard, ShardIteratorType::TrimHorizon, std::nullopt, 0).value()));
        recordAll();
        auto r = call(*m_d, operation.toStdString(), request.toStdString());
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(m_seen.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(m_seen[0].action), "dynamodb:" + operation);
    }

    void unknownOperation()
    {
        recordAll();
        auto r = call(*m_d, "Frobnicate", "{}");
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(QString::fromStdString(r.errorType), QString("UnknownOperationException"));
        QCOMPARE(QString::fromStdString(std::string(r.body.as_object().at("__type").as_string())),
            QString("com.amazonaws.dynamodb.v20120810#UnknownOperationException"));
        QVERIFY(m_seen.empty());
    }

    void defaultAllowsEverything()
    {
        QVERIFY(!ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'z'}}}")).isError());
        denyAll();
        m_d->setAuthorizer({});
        QVERIFY(!ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'y'}}}")).isError());
        QVERIFY(itemExists("Tab", J("{'pk':{'S':'y'}}")));
    }

    void denialRunsNothing_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addRow("PutItem") << "PutItem" << Q("{'TableName':'Tab','Item':{'pk':{'S':'new'}}}");
        QTest::addRow("BatchWriteItem") << "BatchWriteItem"
                                        << Q("{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'new'}}}}]}}");
        QTest::addRow("TransactWriteItems")
            << "TransactWriteItems" << Q("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'new'}}}}]}");
        QTest::addRow("UpdateItem") << "UpdateItem"
                                    << Q("{'TableName':'Tab','Key':{'pk':{'S':'new'}},'UpdateExpression':'SET v = :v',"
                                         "'ExpressionAttributeValues':{':v':{'N':'1'}}}");
    }

    void denialRunsNothing()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        denyAll();
        auto r = call(*m_d, operation.toStdString(), request.toStdString());
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(QString::fromStdString(r.errorType), QString("AccessDeniedException"));
        QVERIFY(r.consumed.empty());
        m_d->setAuthorizer({});
        QVERIFY(!itemExists("Tab", J("{'pk':{'S':'new'}}")));
    }

    void deniedCreateTableCreatesNothing()
    {
        denyAll();
        auto r = call(*m_d, "CreateTable",
            J("{'TableName':'New','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'k',"
              "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'k','KeyType':'HASH'}]}"));
        QCOMPARE(QString::fromStdString(r.errorType), QString("AccessDeniedException"));
        QVERIFY(m_engine->table("New") == nullptr);
    }

    void authorizerSeesEveryResource_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("resources");
        QTest::addRow("BatchWriteItem, two tables")
            << "BatchWriteItem"
            << Q("{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'p'}}}}],"
                 "'Two':[{'DeleteRequest':{'Key':{'id':{'S':'q'}}}}]}}")
            << "Tab Two";
        QTest::addRow("TransactWriteItems, two tables")
            << "TransactWriteItems"
            << Q("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'p'}}}},"
                 "{'Delete':{'TableName':'Two','Key':{'id':{'S':'q'}}}},"
                 "{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},"
                 "'ConditionExpression':'attribute_exists(pk)'}}]}")
            << "Tab Two Tab";
        QTest::addRow("BatchGetItem, two tables")
            << "BatchGetItem"
            << Q("{'RequestItems':{'Tab':{'Keys':[{'pk':{'S':'a'}}]},'Two':{'Keys':[{'id':{'S':'q'}}]}}}")
            << "Tab Two";
        QTest::addRow("TransactGetItems, two tables")
            << "TransactGetItems"
            << Q("{'TransactItems':[{'Get':{'TableName':'Two','Key':{'id':{'S':'q'}}}},"
                 "{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}}}}]}")
            << "Two Tab";
        QTest::addRow("Query on an index")
            << "Query"
            << Q("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g',"
                 "'ExpressionAttributeValues':{':g':{'S':'x'}}}")
            << "Tab/Gsi";
        QTest::addRow("ListTables names none") << "ListTables" << Q("{}") << "";
    }

    void authorizerSeesEveryResource()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, resources);
        recordAll();
        auto r = call(*m_d, operation.toStdString(), request.toStdString());
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(m_seen.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(resourcesText(m_seen[0].resources)), resources);
    }

    void resourceArn()
    {
        QCOMPARE(QString::fromStdString(AccessResource { "Tab", "" }.arn()),
            QString("arn:aws:dynamodb:us-east-1:000000000000:table/Tab"));
        QCOMPARE(QString::fromStdString(AccessResource { "Tab", "Gsi" }.arn()),
            QString("arn:aws:dynamodb:us-east-1:000000000000:table/Tab/index/Gsi"));
    }
};

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
