// The wire dispatcher as a table of handlers: every operation of the table dispatches to its
// handler, an unknown operation is DynamoDB's UnknownOperationException, and the one
// authorization point runs before any handler: a denial answers AccessDeniedException and
// changes nothing, and the authorizer sees the action and every table and index a request names,
// and the request's (action, resource, condition keys) pairs (reference A12).

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

// "action [region:]resource key=[v,...] ..." per pair, pairs joined by " | ".
std::string pairsText(const std::vector<AccessPair>& pairs)
{
    std::string out;
    for (const auto& p : pairs) {
        out += (out.empty() ? "" : " | ") + p.action + " " + (p.region.empty() ? "" : p.region + ":") + p.resource
            + (p.verbatim ? " (verbatim)" : "");
        for (const auto& [key, values] : p.conditionKeys) {
            std::string list;
            for (const auto& v : values)
                list += (list.empty() ? "" : ",") + v;
            out += " " + key + "=[" + list + "]";
        }
    }
    return out;
}

// The export the DescribeExport row makes first (resource id 00000002, after the import's).
const std::string kExportArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab/export/00000000000000-00000002";
const std::string kExport = "{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','S3Bucket':'none'}";

const std::string kKinesisStream = "arn:aws:kinesis:us-east-1:000000000000:stream/orders";

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
            { "EnableKinesisStreamingDestination", "{'TableName':'Tab','StreamArn':'" + kKinesisStream + "'}" },
            { "DisableKinesisStreamingDestination", "{'TableName':'Tab','StreamArn':'" + kKinesisStream + "'}" },
            { "UpdateKinesisStreamingDestination",
                "{'TableName':'Tab','StreamArn':'" + kKinesisStream
                    + "','UpdateKinesisStreamingConfiguration':{'ApproximateCreationDateTimePrecision':'MICROSECOND'}}" },
            { "DescribeKinesisStreamingDestination", "{'TableName':'Tab'}" },
            { "TagResource",
                "{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','Tags':[{'Key':'k','Value':'v'}]}" },
            { "UntagResource", "{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','TagKeys':['k']}" },
            { "ListTagsOfResource", "{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab'}" },
            { "DescribeLimits", "{}" },
            { "DescribeEndpoints", "{}" },
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
        // Disable and Update need an ACTIVE destination: enabled 10 s before the rows' time 0.
        if (operation == "DisableKinesisStreamingDestination" || operation == "UpdateKinesisStreamingDestination")
            QVERIFY(m_engine->enableKinesisStreamingDestination("Tab", kKinesisStream, std::nullopt, -10 * kMicrosPerSecond));
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

    void authorizerSeesPairs_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("pairs");
        const std::string rcc = " dynamodb:ReturnConsumedCapacity=[NONE]";
        QTest::addRow("GetItem with a projection")
            << "GetItem"
            << Q("{'TableName':'Tab','Key':{'pk':{'S':'a'}},'ProjectionExpression':'#n, v.w[1], pk',"
                 "'ExpressionAttributeNames':{'#n':'nm'}}")
            << QString::fromStdString("dynamodb:GetItem table/Tab dynamodb:Attributes=[nm,pk,v] dynamodb:LeadingKeys=[a]"
                + rcc + " dynamodb:Select=[SPECIFIC_ATTRIBUTES]");
        QTest::addRow("unknown table: a one-attribute key, N normalized")
            << "GetItem" << Q("{'TableName':'Missing','Key':{'k':{'N':'01.50'}},'ReturnConsumedCapacity':'TOTAL'}")
            << "dynamodb:GetItem table/Missing dynamodb:Attributes=[k] dynamodb:LeadingKeys=[1.5] "
               "dynamodb:ReturnConsumedCapacity=[TOTAL] dynamodb:Select=[ALL_ATTRIBUTES]";
        QTest::addRow("PutItem with a condition")
            << "PutItem"
            << Q("{'TableName':'Tab','Item':{'pk':{'S':'p'},'x':{'N':'1'}},'ReturnValues':'ALL_OLD',"
                 "'ConditionExpression':'attribute_not_exists(pk) AND size(#d) > :z',"
                 "'ExpressionAttributeNames':{'#d':'data'},'ExpressionAttributeValues':{':z':{'N':'0'}}}")
            << QString::fromStdString("dynamodb:PutItem table/Tab dynamodb:Attributes=[data,pk,x] dynamodb:LeadingKeys=[p]"
                + rcc + " dynamodb:ReturnValues=[ALL_OLD]");
        QTest::addRow("UpdateItem")
            << "UpdateItem"
            << Q("{'TableName':'Tab','Key':{'pk':{'S':'u'}},'UpdateExpression':'SET a.b = :v, c = list_append(c, :l) REMOVE d',"
                 "'ExpressionAttributeValues':{':v':{'N':'1'},':l':{'L':[]}}}")
            << QString::fromStdString("dynamodb:UpdateItem table/Tab dynamodb:Attributes=[a,c,d,pk] dynamodb:LeadingKeys=[u]"
                + rcc + " dynamodb:ReturnValues=[NONE]");
        QTest::addRow("legacy DeleteItem")
            << "DeleteItem"
            << Q("{'TableName':'Tab','Key':{'pk':{'S':'d'}},'Expected':{'flag':{'Exists':false}}}")
            << QString::fromStdString("dynamodb:DeleteItem table/Tab dynamodb:Attributes=[flag,pk] dynamodb:LeadingKeys=[d]"
                + rcc + " dynamodb:ReturnValues=[NONE]");
        QTest::addRow("Query on an index")
            << "Query"
            << Q("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'#g = :g',"
                 "'ExpressionAttributeNames':{'#g':'g'},'ExpressionAttributeValues':{':g':{'S':'x'}}}")
            << QString::fromStdString("dynamodb:Query table/Tab/index/Gsi dynamodb:Attributes=[g] dynamodb:LeadingKeys=[x]"
                + rcc + " dynamodb:Select=[ALL_PROJECTED_ATTRIBUTES]");
        QTest::addRow("Query, value first")
            << "Query"
            << Q("{'TableName':'Tab','KeyConditionExpression':':p = pk','FilterExpression':'q > :p',"
                 "'ExpressionAttributeValues':{':p':{'S':'a'}},'Select':'COUNT'}")
            << QString::fromStdString("dynamodb:Query table/Tab dynamodb:Attributes=[pk,q] dynamodb:LeadingKeys=[a]" + rcc
                + " dynamodb:Select=[COUNT]");
        QTest::addRow("legacy Query")
            << "Query"
            << Q("{'TableName':'Tab','KeyConditions':{'pk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'k'}]}}}")
            << QString::fromStdString("dynamodb:Query table/Tab dynamodb:Attributes=[pk] dynamodb:LeadingKeys=[k]" + rcc
                + " dynamodb:Select=[ALL_ATTRIBUTES]");
        QTest::addRow("Scan has no leading keys")
            << "Scan" << Q("{'TableName':'Tab'}")
            << QString::fromStdString("dynamodb:Scan table/Tab" + rcc + " dynamodb:Select=[ALL_ATTRIBUTES]");
        QTest::addRow("BatchGetItem: a pair per table")
            << "BatchGetItem"
            << Q("{'RequestItems':{'Tab':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'b'}}],'ProjectionExpression':'pk'},"
                 "'Two':{'Keys':[{'id':{'S':'q'}}]}},'ReturnConsumedCapacity':'INDEXES'}")
            << "dynamodb:BatchGetItem table/Tab dynamodb:Attributes=[pk] dynamodb:LeadingKeys=[a,b] "
               "dynamodb:ReturnConsumedCapacity=[INDEXES] dynamodb:Select=[SPECIFIC_ATTRIBUTES] | "
               "dynamodb:BatchGetItem table/Two dynamodb:Attributes=[id] dynamodb:LeadingKeys=[q] "
               "dynamodb:ReturnConsumedCapacity=[INDEXES] dynamodb:Select=[ALL_ATTRIBUTES]";
        QTest::addRow("BatchWriteItem: a pair per table")
            << "BatchWriteItem"
            << Q("{'RequestItems':{'Tab':[{'PutRequest':{'Item':{'pk':{'S':'p'},'v':{'S':'1'}}}}],"
                 "'Two':[{'DeleteRequest':{'Key':{'id':{'S':'q'}}}}]}}")
            << QString::fromStdString("dynamodb:BatchWriteItem table/Tab dynamodb:Attributes=[pk,v] dynamodb:LeadingKeys=[p]"
                + rcc + " | dynamodb:BatchWriteItem table/Two dynamodb:Attributes=[id] dynamodb:LeadingKeys=[q]" + rcc);
        QTest::addRow("TransactGetItems: GetItem per item")
            << "TransactGetItems"
            << Q("{'TransactItems':[{'Get':{'TableName':'Two','Key':{'id':{'S':'q'}}}},"
                 "{'Get':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'ProjectionExpression':'g'}}]}")
            << QString::fromStdString("dynamodb:GetItem table/Two dynamodb:Attributes=[id] "
                                      "dynamodb:EnclosingOperation=[TransactGetItems] dynamodb:LeadingKeys=[q]"
                + rcc + " dynamodb:Select=[ALL_ATTRIBUTES] | dynamodb:GetItem table/Tab dynamodb:Attributes=[g,pk] "
                        "dynamodb:EnclosingOperation=[TransactGetItems] dynamodb:LeadingKeys=[a]"
                + rcc + " dynamodb:Select=[SPECIFIC_ATTRIBUTES]");
        const std::string enclosing = " dynamodb:EnclosingOperation=[TransactWriteItems]";
        QTest::addRow("TransactWriteItems: an item action per action")
            << "TransactWriteItems"
            << Q("{'TransactItems':[{'Put':{'TableName':'Tab','Item':{'pk':{'S':'p'}}}},"
                 "{'Update':{'TableName':'Tab','Key':{'pk':{'S':'u'}},'UpdateExpression':'SET n = :n',"
                 "'ExpressionAttributeValues':{':n':{'N':'1'}}}},"
                 "{'Delete':{'TableName':'Two','Key':{'id':{'S':'q'}}}},"
                 "{'ConditionCheck':{'TableName':'Tab','Key':{'pk':{'S':'a'}},'ConditionExpression':'attribute_exists(pk)'}}]}")
            << QString::fromStdString("dynamodb:PutItem table/Tab dynamodb:Attributes=[pk]" + enclosing
                + " dynamodb:LeadingKeys=[p]" + rcc + " | dynamodb:UpdateItem table/Tab dynamodb:Attributes=[n,pk]"
                + enclosing + " dynamodb:LeadingKeys=[u]" + rcc + " | dynamodb:DeleteItem table/Two dynamodb:Attributes=[id]"
                + enclosing + " dynamodb:LeadingKeys=[q]" + rcc
                + " | dynamodb:ConditionCheckItem table/Tab dynamodb:Attributes=[pk]" + enclosing
                + " dynamodb:LeadingKeys=[a]" + rcc);
        QTest::addRow("ListTables on *") << "ListTables" << Q("{}") << "dynamodb:ListTables *";
        QTest::addRow("ListBackups on *") << "ListBackups" << Q("{'TableName':'Tab'}") << "dynamodb:ListBackups *";
        QTest::addRow("DescribeTable") << "DescribeTable" << Q("{'TableName':'Tab'}") << "dynamodb:DescribeTable table/Tab";
        QTest::addRow("CreateTable") << "CreateTable"
                                     << Q("{'TableName':'New','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                                          "[{'AttributeName':'k','AttributeType':'S'}],'KeySchema':"
                                          "[{'AttributeName':'k','KeyType':'HASH'}]}")
                                     << "dynamodb:CreateTable table/New";
        QTest::addRow("DescribeStream: the stream ARN")
            << "DescribeStream" << QString::fromStdString("{\"StreamArn\":\"" + kTwoStream + "\"}")
            << "dynamodb:DescribeStream us-east-1:table/Two/stream/1970-01-01T00:00:00.000";
        QTest::addRow("DescribeBackup: the backup ARN")
            << "DescribeBackup"
            << Q("{'BackupArn':'arn:aws:dynamodb:eu-west-1:000000000000:table/Tab/backup/00000000000000-00000009'}")
            << "dynamodb:DescribeBackup eu-west-1:table/Tab/backup/00000000000000-00000009";
        QTest::addRow("DescribeImport: not an ARN")
            << "DescribeImport" << Q("{'ImportArn':'nonsense'}") << "dynamodb:DescribeImport nonsense (verbatim)";
        QTest::addRow("ImportTable: the new table") << "ImportTable" << Q(kImport) << "dynamodb:ImportTable table/Imp";
        QTest::addRow("ExportTableToPointInTime: the table ARN")
            << "ExportTableToPointInTime" << Q(kExport)
            << "dynamodb:ExportTableToPointInTime us-east-1:table/Tab";
        QTest::addRow("RestoreTableToPointInTime: the source")
            << "RestoreTableToPointInTime" << Q("{'SourceTableName':'Tab','TargetTableName':'Copy'}")
            << "dynamodb:RestoreTableToPointInTime table/Tab";
        QTest::addRow("no TableName: *") << "DescribeTable" << Q("{}") << "dynamodb:DescribeTable *";
        QTest::addRow("TagResource: the table ARN")
            << "TagResource"
            << Q("{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','Tags':[{'Key':'k','Value':'v'}]}")
            << "dynamodb:TagResource us-east-1:table/Tab";
        QTest::addRow("UntagResource: the table ARN")
            << "UntagResource"
            << Q("{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab','TagKeys':['k']}")
            << "dynamodb:UntagResource us-east-1:table/Tab";
        QTest::addRow("ListTagsOfResource: the table ARN")
            << "ListTagsOfResource" << Q("{'ResourceArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab'}")
            << "dynamodb:ListTagsOfResource us-east-1:table/Tab";
        QTest::addRow("DescribeLimits on *") << "DescribeLimits" << Q("{}") << "dynamodb:DescribeLimits *";
        QTest::addRow("DescribeEndpoints on *") << "DescribeEndpoints" << Q("{}") << "dynamodb:DescribeEndpoints *";
    }

    void authorizerSeesPairs()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, pairs);
        recordAll();
        call(*m_d, operation.toStdString(), request.toStdString());
        QCOMPARE(m_seen.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(pairsText(m_seen[0].pairs)), pairs);
    }

    void getRecordsPairIsTheIteratorsStream()
    {
        auto iterator = ok("GetShardIterator",
            "{\"StreamArn\":\"" + kTwoStream + "\",\"ShardId\":\"" + kTwoShard + "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
        QVERIFY(!iterator.isError());
        recordAll();
        const std::string text(iterator.body.as_object().at("ShardIterator").as_string());
        QVERIFY(!call(*m_d, "GetRecords", "{\"ShardIterator\":\"" + text + "\"}").isError());
        QCOMPARE(QString::fromStdString(pairsText(m_seen.at(0).pairs)),
            QString("dynamodb:GetRecords us-east-1:table/Two/stream/1970-01-01T00:00:00.000"));
        m_seen.clear();
        call(*m_d, "GetRecords", J("{'ShardIterator':'garbage'}"));
        QCOMPARE(QString::fromStdString(pairsText(m_seen.at(0).pairs)), QString("dynamodb:GetRecords *"));
    }

    void deniedBody()
    {
        denyAll();
        auto r = call(*m_d, "GetItem", J("{'TableName':'Tab','Key':{'pk':{'S':'a'}}}"));
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(QString::fromStdString(toJsonText(r.body)),
            QString("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":"
                    "\"User: arn:aws:iam::000000000000:user/test is not authorized to perform: dynamodb:GetItem\"}"));
    }

    void pairArn()
    {
        AccessPair pair { "dynamodb:Query", "table/T/index/I", "", false, {} };
        QCOMPARE(QString::fromStdString(pair.arn("123456789012", "eu-west-1")),
            QString("arn:aws:dynamodb:eu-west-1:123456789012:table/T/index/I"));
        pair.region = "us-west-2";
        QCOMPARE(QString::fromStdString(pair.arn("123456789012", "eu-west-1")),
            QString("arn:aws:dynamodb:us-west-2:123456789012:table/T/index/I"));
        pair.resource = "*";
        QCOMPARE(QString::fromStdString(pair.arn("123456789012", "eu-west-1")), QString("*"));
        pair.resource = "nonsense";
        pair.verbatim = true;
        QCOMPARE(QString::fromStdString(pair.arn("123456789012", "eu-west-1")), QString("nonsense"));
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
