// On-demand backups (reference A8, Part C 9) through the dispatcher: CreateBackup's ARN and
// answer, a backup's contents are the table at the request, DescribeBackup, ListBackups' filters
// and pages, DeleteBackup, RestoreTableFromBackup (settings as recorded, CREATING, one restore
// per backup at a time: BackupInUseException), the DeleteTable system backup of a PITR table,
// and persistence across reopen.

#include "engine/dispatcher.h"
#include "engine/json_writer.h"
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

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kDay = 24 * kMicrosPerHour;
constexpr EngineTime kT0 = 1796378400LL * kSecond; // 2026-12-04T10:00:00Z

const std::string kTable = J("{'TableName':'Orders','BillingMode':'PROVISIONED',"
                             "'ProvisionedThroughput':{'ReadCapacityUnits':7,'WriteCapacityUnits':4},"
                             "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},"
                             "{'AttributeName':'g','AttributeType':'S'}],"
                             "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                             "'GlobalSecondaryIndexes':[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g',"
                             "'KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'},"
                             "'ProvisionedThroughput':{'ReadCapacityUnits':2,'WriteCapacityUnits':1}}]}");

boost::json::object obj(const WireResponse& r, const char* key)
{
    return r.body.as_object().at(key).as_object();
}

std::string str(const boost::json::value& v)
{
    return std::string(v.as_string());
}

} // namespace

class TestBackups : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse run(const std::string& operation, const std::string& request, EngineTime now)
    {
        return call(*m_d, operation, J(request), now);
    }

    WireResponse ok(const std::string& operation, const std::string& request, EngineTime now)
    {
        auto r = run(operation, request, now);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    void put(const std::string& pk, EngineTime now)
    {
        QVERIFY(!ok("PutItem", "{'TableName':'Orders','Item':{'pk':{'S':'" + pk + "'},'g':{'S':'x'}}}", now).isError());
    }

    std::string backup(const std::string& name, EngineTime now)
    {
        auto r = ok("CreateBackup", "{'TableName':'Orders','BackupName':'" + name + "'}", now);
        return r.isError() ? std::string() : str(obj(r, "BackupDetails").at("BackupArn"));
    }

    QStringList listed(const std::string& request, EngineTime now)
    {
        QStringList names;
        auto r = ok("ListBackups", request, now);
        if (r.isError())
            return { "error" };
        for (const auto& b : r.body.as_object().at("BackupSummaries").as_array())
            names << QString::fromStdString(str(b.at("BackupName")));
        return names;
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!ok("CreateTable", kTable, kT0).isError());
        put("a", kT0);
        put("b", kT0);
    }

    void createAndDescribe()
    {
        auto r = ok("CreateBackup", "{'TableName':'Orders','BackupName':'nightly'}", kT0 + 1500);
        QVERIFY(!r.isError());
        // ARN: table ARN + /backup/ + epoch ms (14 digits) + - + the database's counter (reference A8).
        const auto details = obj(r, "BackupDetails");
        const std::string arn = str(details.at("BackupArn"));
        QCOMPARE(QString::fromStdString(arn),
            QString("arn:aws:dynamodb:us-east-1:000000000000:table/Orders/backup/01796378400001-00000001"));
        QCOMPARE(QString::fromStdString(str(details.at("BackupStatus"))), QString("CREATING"));
        QCOMPARE(QString::fromStdString(str(details.at("BackupType"))), QString("USER"));
        // BackupSizeBytes: billable bytes of table and LSIs (two items of 3 + 2 bytes, + 100 each).
        QCOMPARE(details.at("BackupSizeBytes").as_int64(), 2 * (5 + 100));
        QVERIFY(!details.contains("BackupExpiryDateTime"));
        auto second = backup("nightly", kT0 + 2 * kSecond); // names are not unique
        QVERIFY(second.ends_with("-00000002"));
        auto described = ok("DescribeBackup", "{'BackupArn':'" + arn + "'}", kT0 + 3 * kSecond);
        const auto d = obj(described, "BackupDescription");
        QCOMPARE(QString::fromStdString(str(d.at("BackupDetails").at("BackupStatus"))), QString("AVAILABLE"));
        QCOMPARE(QString::fromStdString(toJsonText(d.at("SourceTableDetails").at("ProvisionedThroughput"))),
            Q("{'ReadCapacityUnits':7,'WriteCapacityUnits':4}"));
        QCOMPARE(d.at("SourceTableDetails").at("ItemCount").as_int64(), 2);
        QCOMPARE(d.at("SourceTableDetails").at("TableSizeBytes").as_int64(), 10);
        QCOMPARE(QString::fromStdString(str(d.at("SourceTableFeatureDetails").at("GlobalSecondaryIndexes").at(0).at(
                     "IndexName"))),
            QString("ByG"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        const QString missing = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/backup/01796378400000-000000ff";
        QTest::addRow("CreateBackup, missing table") << "CreateBackup" << Q("{'TableName':'Nope','BackupName':'abc'}")
                                                     << "TableNotFoundException" << "Table not found: Nope";
        QTest::addRow("CreateBackup, short name")
            << "CreateBackup" << Q("{'TableName':'Orders','BackupName':'ab'}") << "ValidationException"
            << "1 validation error detected: Value 'ab' at 'backupName' failed to satisfy constraint: Member must "
               "satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255";
        QTest::addRow("CreateBackup, no name") << "CreateBackup" << Q("{'TableName':'Orders'}") << "ValidationException"
                                               << "1 validation error detected: Value null at 'backupName' failed to "
                                                  "satisfy constraint: Member must not be null";
        QTest::addRow("DescribeBackup, unknown") << "DescribeBackup" << Q("{'BackupArn':'" + missing.toStdString() + "'}")
                                                 << "BackupNotFoundException" << "Backup not found: " + missing;
        QTest::addRow("DeleteBackup, unknown") << "DeleteBackup" << Q("{'BackupArn':'" + missing.toStdString() + "'}")
                                               << "BackupNotFoundException" << "Backup not found: " + missing;
        QTest::addRow("RestoreTableFromBackup, unknown")
            << "RestoreTableFromBackup" << Q("{'TargetTableName':'Copy','BackupArn':'" + missing.toStdString() + "'}")
            << "BackupNotFoundException" << "Backup not found: " + missing;
        QTest::addRow("ListBackups, Limit 101") << "ListBackups" << Q("{'Limit':101}") << "ValidationException"
                                                << "1 validation error detected: Value '101' at 'limit' failed to "
                                                   "satisfy constraint: Member must have value less than or equal "
                                                   "to 100 and greater than or equal to 1";
        QTest::addRow("ListBackups, BackupType") << "ListBackups" << Q("{'BackupType':'COLD'}") << "ValidationException"
                                                 << "1 validation error detected: Value 'COLD' at 'backupType' failed "
                                                    "to satisfy constraint: Member must satisfy enum value set: "
                                                    "[USER, SYSTEM, AWS_BACKUP, ALL]";
    }

    void errors()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, message);
        auto r = run(operation.toStdString(), request.toStdString(), kT0);
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QCOMPARE(capsim::test::message(r), message);
        // Nothing made: no backup, no table.
        QCOMPARE(listed("{'BackupType':'ALL'}", kT0), QStringList());
        QCOMPARE(QString::fromStdString(run("DescribeTable", "{'TableName':'Copy'}", kT0).errorType),
            QString("ResourceNotFoundException"));
    }

    // The backup holds the table at the request; the restore takes its settings as recorded.
    void restoreFromBackup()
    {
        const std::string arn = backup("before", kT0 + kSecond);
        put("c", kT0 + 2 * kSecond);
        QVERIFY(!ok("DeleteItem", "{'TableName':'Orders','Key':{'pk':{'S':'a'}}}", kT0 + 2 * kSecond).isError());
        QVERIFY(!ok("UpdateTable", "{'TableName':'Orders','ProvisionedThroughput':{'ReadCapacityUnits':9,"
                                   "'WriteCapacityUnits':9}}",
            kT0 + 2 * kSecond)
                     .isError());
        const EngineTime now = kT0 + 10 * kSecond;
        auto r = ok("RestoreTableFromBackup", "{'TargetTableName':'Copy','BackupArn':'" + arn + "'}", now);
        QVERIFY(!r.isError());
        const auto d = obj(r, "TableDescription");
        QCOMPARE(QString::fromStdString(str(d.at("TableStatus"))), QString("CREATING"));
        QCOMPARE(QString::fromStdString(toJsonText(d.at("RestoreSummary"))),
            Q("{'SourceBackupArn':'" + arn + "','RestoreDateTime':1796378401.0,'RestoreInProgress':true}"));
        QCOMPARE(d.at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(), 7);
        QCOMPARE(d.at("ItemCount").as_int64(), 2);
        // One restore at a time per backup; the backup cannot be deleted meanwhile.
        auto again = run("RestoreTableFromBackup", "{'TargetTableName':'Copy2','BackupArn':'" + arn + "'}", now);
        QCOMPARE(QString::fromStdString(again.errorType), QString("BackupInUseException"));
        QCOMPARE(QString::fromStdString(run("DeleteBackup", "{'BackupArn':'" + arn + "'}", now).errorType),
            QString("BackupInUseException"));
        // The target, being restored: TableInUseException; an existing one: TableAlreadyExistsException.
        const std::string other = backup("other", now);
        QCOMPARE(run("RestoreTableFromBackup", "{'TargetTableName':'Copy','BackupArn':'" + other + "'}", now).errorType,
            std::string("TableInUseException"));
        QCOMPARE(run("RestoreTableFromBackup", "{'TargetTableName':'Orders','BackupArn':'" + other + "'}", now).errorType,
            std::string("TableAlreadyExistsException"));
        const EngineTime done = now + 180 * kSecond;
        auto scan = ok("Scan", "{'TableName':'Copy'}", done);
        QCOMPARE(text(scan).count(Q("'pk'")), 2);
        QVERIFY(text(scan).contains(Q("{'S':'a'}")));
        QVERIFY(!text(scan).contains(Q("{'S':'c'}")));
        auto byIndex = ok("Query", "{'TableName':'Copy','IndexName':'ByG','KeyConditionExpression':'g = :g',"
                                   "'ExpressionAttributeValues':{':g':{'S':'x'}}}",
            done);
        QCOMPARE(byIndex.body.as_object().at("Count").as_int64(), 2);
        // Done: the backup is free again, and deleting it answers DELETED, then BackupNotFoundException.
        auto deleted = ok("DeleteBackup", "{'BackupArn':'" + arn + "'}", done);
        QCOMPARE(QString::fromStdString(str(obj(deleted, "BackupDescription").at("BackupDetails").at("BackupStatus"))),
            QString("DELETED"));
        QCOMPARE(run("DescribeBackup", "{'BackupArn':'" + arn + "'}", done).errorType,
            std::string("BackupNotFoundException"));
    }

    void listFilters()
    {
        backup("first", kT0 + 10 * kSecond);
        backup("second", kT0 + 20 * kSecond);
        backup("third", kT0 + 30 * kSecond);
        QVERIFY(!ok("CreateTable",
            "{'TableName':'Other','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}",
            kT0 + 30 * kSecond)
                     .isError());
        QVERIFY(!ok("CreateBackup", "{'TableName':'Other','BackupName':'elsewhere'}", kT0 + 40 * kSecond).isError());
        const EngineTime now = kT0 + 60 * kSecond;
        QCOMPARE(listed("{}", now), QStringList({ "first", "second", "third", "elsewhere" }));
        QCOMPARE(listed("{'TableName':'Other'}", now), QStringList({ "elsewhere" }));
        // TimeRange: the lower bound inclusive, the upper exclusive (reference C 9).
        QCOMPARE(listed("{'TimeRangeLowerBound':1796378420,'TimeRangeUpperBound':1796378440}", now),
            QStringList({ "second", "third" }));
        // Pages of Limit, resumed after LastEvaluatedBackupArn.
        auto page = ok("ListBackups", "{'Limit':2}", now);
        QCOMPARE(page.body.as_object().at("BackupSummaries").as_array().size(), std::size_t(2));
        const std::string last = str(page.body.as_object().at("LastEvaluatedBackupArn"));
        QCOMPARE(listed("{'ExclusiveStartBackupArn':'" + last + "'}", now), QStringList({ "third", "elsewhere" }));
        // BackupType: USER by default; SYSTEM only the DeleteTable backups; ALL both.
        QCOMPARE(listed("{'BackupType':'SYSTEM'}", now), QStringList());
        QCOMPARE(listed("{'BackupType':'AWS_BACKUP'}", now), QStringList());
    }

    void deletedTableBackup()
    {
        // Without PITR, DeleteTable leaves no backup.
        QVERIFY(!ok("CreateTable",
            "{'TableName':'Plain','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}",
            kT0)
                     .isError());
        QVERIFY(!ok("DeleteTable", "{'TableName':'Plain'}", kT0).isError());
        QCOMPARE(listed("{'BackupType':'ALL'}", kT0), QStringList());
        QVERIFY(!ok("UpdateContinuousBackups",
            "{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}", kT0)
                     .isError());
        const EngineTime deletedAt = kT0 + 100 * kSecond;
        QVERIFY(!ok("DeleteTable", "{'TableName':'Orders'}", deletedAt).isError());
        QCOMPARE(listed("{}", deletedAt), QStringList());
        auto system = ok("ListBackups", "{'BackupType':'SYSTEM'}", deletedAt);
        const auto summaries = system.body.as_object().at("BackupSummaries").as_array();
        QCOMPARE(summaries.size(), std::size_t(1));
        const auto b = summaries.at(0).as_object();
        QCOMPARE(QString::fromStdString(str(b.at("BackupName"))), QString("Orders$DeletedTableBackup"));
        const std::string arn = str(b.at("BackupArn"));
        QVERIFY(arn.ends_with("/backup/01796378500000-00000000"));
        QCOMPARE(b.at("BackupExpiryDateTime").to_number<double>(), 1796378500.0 + 35 * 86400);
        // Not deletable; restorable; gone after 35 days.
        auto refused = run("DeleteBackup", "{'BackupArn':'" + arn + "'}", deletedAt);
        QCOMPARE(QString::fromStdString(refused.errorType), QString("ValidationException"));
        auto restored = ok("RestoreTableFromBackup", "{'TargetTableName':'Orders','BackupArn':'" + arn + "'}", deletedAt);
        QCOMPARE(obj(restored, "TableDescription").at("ItemCount").as_int64(), 2);
        QCOMPARE(listed("{'BackupType':'ALL'}", deletedAt + 35 * kDay - kSecond), QStringList({ "Orders$DeletedTableBackup" }));
        QCOMPARE(listed("{'BackupType':'ALL'}", deletedAt + 35 * kDay + 60 * kSecond), QStringList());
    }

    void persistsAcrossReopen()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/backups.sqlite").toStdString();
        std::string arn;
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable, kT0).isError());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'a'}}}"), kT0).isError());
            auto r = call(d, "CreateBackup", J("{'TableName':'Orders','BackupName':'kept'}"), kT0);
            arn = str(obj(r, "BackupDetails").at("BackupArn"));
        }
        auto engine = std::move(Engine::open(path)).value();
        Dispatcher d(*engine);
        auto second = call(d, "CreateBackup", J("{'TableName':'Orders','BackupName':'next'}"), kT0 + kSecond);
        QVERIFY(str(obj(second, "BackupDetails").at("BackupArn")).ends_with("-00000002"));
        auto r = call(d, "RestoreTableFromBackup", J("{'TargetTableName':'Copy','BackupArn':'" + arn + "'}"), kT0 + kSecond);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(obj(r, "TableDescription").at("ItemCount").as_int64(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBackups)
#include "tst_backups.moc"
