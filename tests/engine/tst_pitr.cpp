// Point-in-time recovery (reference A8, Part C 9) through the dispatcher: the window's
// arithmetic, UpdateContinuousBackups' rules and errors, RestoreTableToPointInTime's checks in
// order (nothing created on an error), the settings a restore takes and leaves, the CREATING
// period, persistence across reopen, a seeded randomized test that a restore to t equals the
// table as the engine itself read it at t, and the space the change log takes for a month of
// writes.

#include "engine/dispatcher.h"
#include "engine/item_size.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "tests/support/wire.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <random>

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

// A provisioned table with a GSI and an LSI, in the Infrequent Access class.
const std::string kOrders = J(
    "{'TableName':'Orders','BillingMode':'PROVISIONED','TableClass':'STANDARD_INFREQUENT_ACCESS',"
    "'ProvisionedThroughput':{'ReadCapacityUnits':10,'WriteCapacityUnits':5},"
    "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'},"
    "{'AttributeName':'g','AttributeType':'S'},{'AttributeName':'l','AttributeType':'S'}],"
    "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
    "'GlobalSecondaryIndexes':[{'IndexName':'ByG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
    "'Projection':{'ProjectionType':'ALL'},'ProvisionedThroughput':{'ReadCapacityUnits':3,'WriteCapacityUnits':2}}],"
    "'LocalSecondaryIndexes':[{'IndexName':'ByL','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
    "{'AttributeName':'l','KeyType':'RANGE'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}]}");

std::string seconds(EngineTime t)
{
    return std::to_string(static_cast<double>(t) / static_cast<double>(kSecond));
}

boost::json::object obj(const WireResponse& r, const char* key)
{
    return r.body.as_object().at(key).as_object();
}

} // namespace

class TestPitr : public QObject {
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

    void enable(const std::string& table, EngineTime now, const std::string& extra = "")
    {
        QVERIFY(!ok("UpdateContinuousBackups",
            "{'TableName':'" + table + "','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true" + extra
                + "}}",
            now)
                .isError());
    }

    // The table's items as the engine reads them (Scan, every page), key text -> item text.
    std::map<std::string, std::string> scanAll(const std::string& table, EngineTime now, const std::string& index = "")
    {
        std::map<std::string, std::string> items;
        std::string start;
        for (;;) {
            std::string request = "{'TableName':'" + table + "'" + (index.empty() ? "" : ",'IndexName':'" + index + "'")
                + (start.empty() ? "" : ",'ExclusiveStartKey':" + start) + "}";
            auto r = ok("Scan", request, now);
            if (r.isError())
                return {};
            for (const auto& item : r.body.as_object().at("Items").as_array()) {
                const auto& o = item.as_object();
                std::string key = toJsonText(o.at("pk")) + (o.contains("sk") ? toJsonText(o.at("sk")) : "");
                items[key] = toJsonText(item);
            }
            const auto* last = r.body.as_object().if_contains("LastEvaluatedKey");
            if (!last)
                return items;
            start = toJsonText(*last);
        }
    }

    QStringList tableNames(EngineTime now)
    {
        QStringList names;
        auto listed = ok("ListTables", "{}", now);
        for (const auto& n : listed.body.as_object().at("TableNames").as_array())
            names << QString::fromStdString(std::string(n.as_string()));
        return names;
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!ok("CreateTable", kOrders, kT0).isError());
    }

    void windowArithmetic()
    {
        auto pitr = [&](EngineTime now) {
            return obj(ok("DescribeContinuousBackups", "{'TableName':'Orders'}", now), "ContinuousBackupsDescription");
        };
        QCOMPARE(QString::fromStdString(toJsonText(pitr(kT0))),
            Q("{'ContinuousBackupsStatus':'ENABLED','PointInTimeRecoveryDescription':{'PointInTimeRecoveryStatus':"
              "'DISABLED'}}"));
        const EngineTime enabledAt = kT0 + 10 * kSecond;
        auto answer = ok("UpdateContinuousBackups",
            "{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}", enabledAt);
        // Right after enabling, Earliest = Latest = tEnable (reference C 9).
        QCOMPARE(text(answer),
            Q("{'ContinuousBackupsDescription':{'ContinuousBackupsStatus':'ENABLED','PointInTimeRecoveryDescription':"
              "{'PointInTimeRecoveryStatus':'ENABLED','EarliestRestorableDateTime':1796378410.0,"
              "'LatestRestorableDateTime':1796378410.0,'RecoveryPeriodInDays':35}}}"));
        auto window = [&](EngineTime now) {
            const auto description = pitr(now);
            const auto& d = description.at("PointInTimeRecoveryDescription").as_object();
            return std::pair { static_cast<EngineTime>(d.at("EarliestRestorableDateTime").to_number<double>() * 1e6),
                static_cast<EngineTime>(d.at("LatestRestorableDateTime").to_number<double>() * 1e6) };
        };
        // Latest = max(tEnable, now - 300 s); Earliest = max(tEnable, now - P days).
        QCOMPARE(window(enabledAt + 200 * kSecond), std::pair(enabledAt, enabledAt));
        QCOMPARE(window(enabledAt + 1000 * kSecond), std::pair(enabledAt, enabledAt + 700 * kSecond));
        const EngineTime later = enabledAt + 40 * kDay;
        QCOMPARE(window(later), std::pair(later - 35 * kDay, later - 300 * kSecond));
        // A shorter period drops older history; a longer one does not bring it back: a day
        // later the window still starts 7 days before then, and grows from there.
        enable("Orders", later, ",'RecoveryPeriodInDays':7");
        QCOMPARE(window(later), std::pair(later - 7 * kDay, later - 300 * kSecond));
        enable("Orders", later + kDay, ",'RecoveryPeriodInDays':35");
        QCOMPARE(window(later + kDay), std::pair(later - 6 * kDay, later + kDay - 300 * kSecond));
        QCOMPARE(window(later + 2 * kDay).first, later - 6 * kDay);
        // Disabling, then re-enabling, starts a new window with the default period.
        QVERIFY(!ok("UpdateContinuousBackups",
            "{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':false}}",
            later + 2 * kDay)
                     .isError());
        QCOMPARE(pitr(later + 2 * kDay).at("PointInTimeRecoveryDescription").as_object().size(), std::size_t(1));
        enable("Orders", later + 3 * kDay);
        QCOMPARE(window(later + 3 * kDay), std::pair(later + 3 * kDay, later + 3 * kDay));
        QCOMPARE(pitr(later + 3 * kDay).at("PointInTimeRecoveryDescription").at("RecoveryPeriodInDays").as_int64(), 35);
        // Pure arithmetic and the restore's duration: max(180 s, bytes / 32 MiB/s).
        QCOMPARE(restoreDuration(0), 180 * kSecond);
        QCOMPARE(restoreDuration(32LL * 1024 * 1024 * 1000), 1000 * kSecond);
    }

    void continuousBackupsErrors_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        QTest::addRow("a period when disabling")
            << Q("{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':false,"
                 "'RecoveryPeriodInDays':7}}")
            << "ValidationException"
            << "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.";
        QTest::addRow("period 0") << Q("{'TableName':'Orders','PointInTimeRecoverySpecification':{"
                                       "'PointInTimeRecoveryEnabled':true,'RecoveryPeriodInDays':0}}")
                                  << "ValidationException"
                                  << "1 validation error detected: Value '0' at "
                                     "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                                     "constraint: Member must have value between 1 and 35";
        QTest::addRow("period 36") << Q("{'TableName':'Orders','PointInTimeRecoverySpecification':{"
                                        "'PointInTimeRecoveryEnabled':true,'RecoveryPeriodInDays':36}}")
                                   << "ValidationException"
                                   << "1 validation error detected: Value '36' at "
                                      "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                                      "constraint: Member must have value between 1 and 35";
        QTest::addRow("no specification")
            << Q("{'TableName':'Orders'}") << "ValidationException"
            << "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy "
               "constraint: Member must not be null";
        QTest::addRow("no Enabled") << Q("{'TableName':'Orders','PointInTimeRecoverySpecification':{}}")
                                    << "ValidationException"
                                    << "1 validation error detected: Value null at "
                                       "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to "
                                       "satisfy constraint: Member must not be null";
        QTest::addRow("missing table")
            << Q("{'TableName':'Nope','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
            << "TableNotFoundException" << "Table not found: Nope";
        QTest::addRow("Enabled as text")
            << Q("{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':'yes'}}")
            << "SerializationException" << "STRING_VALUE cannot be converted to Boolean (at PointInTimeRecoveryEnabled)";
    }

    void continuousBackupsErrors()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, message);
        auto r = run("UpdateContinuousBackups", request.toStdString(), kT0);
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QCOMPARE(capsim::test::message(r), message);
        auto d = ok("DescribeContinuousBackups", "{'TableName':'Orders'}", kT0);
        QVERIFY(text(d).contains(Q("'PointInTimeRecoveryStatus':'DISABLED'")));
        auto missing = run("DescribeContinuousBackups", "{'TableName':'Nope'}", kT0);
        QCOMPARE(QString::fromStdString(missing.errorType), QString("TableNotFoundException"));
    }

    // A8's checks in order: each row breaks every later rule too, so only the order names its error.
    void restoreErrorsInOrder_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        const std::string early = seconds(kT0 - kDay);
        QTest::addRow("source name and ARN")
            << Q("{'SourceTableName':'Orders','SourceTableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Orders',"
                 "'TargetTableName':'Orders','RestoreDateTime':" + early + ",'UseLatestRestorableTime':true}")
            << "ValidationException";
        QTest::addRow("no source") << Q("{'TargetTableName':'Orders','RestoreDateTime':" + early + "}")
                                   << "ValidationException";
        QTest::addRow("time and latest")
            << Q("{'SourceTableName':'Nope','TargetTableName':'Orders','RestoreDateTime':" + early
                   + ",'UseLatestRestorableTime':true}")
            << "ValidationException";
        QTest::addRow("no time") << Q("{'SourceTableName':'Nope','TargetTableName':'Orders'}") << "ValidationException";
        QTest::addRow("missing source") << Q("{'SourceTableName':'Nope','TargetTableName':'Orders','RestoreDateTime':"
                                               + early + "}")
                                        << "TableNotFoundException";
        QTest::addRow("missing source by ARN")
            << Q("{'SourceTableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Nope','TargetTableName':'Orders',"
                 "'UseLatestRestorableTime':true}")
            << "TableNotFoundException";
        QTest::addRow("PITR disabled") << Q("{'SourceTableName':'Plain','TargetTableName':'Orders','RestoreDateTime':"
                                              + early + "}")
                                       << "PointInTimeRecoveryUnavailableException";
        QTest::addRow("before the window")
            << Q("{'SourceTableName':'Orders','TargetTableName':'Orders','RestoreDateTime':" + early + "}")
            << "InvalidRestoreTimeException";
        QTest::addRow("after Latest")
            << Q("{'SourceTableName':'Orders','TargetTableName':'Orders','RestoreDateTime':"
                   + seconds(kT0 + 1000 * kSecond) + "}")
            << "InvalidRestoreTimeException";
        QTest::addRow("target exists") << Q("{'SourceTableName':'Orders','TargetTableName':'Plain',"
                                              "'UseLatestRestorableTime':true}")
                                       << "TableAlreadyExistsException";
        QTest::addRow("target being restored") << Q("{'SourceTableName':'Orders','TargetTableName':'Busy',"
                                                      "'UseLatestRestorableTime':true}")
                                               << "TableInUseException";
        QTest::addRow("override creates an index")
            << Q("{'SourceTableName':'Orders','TargetTableName':'New','UseLatestRestorableTime':true,"
                 "'GlobalSecondaryIndexOverride':[{'IndexName':'Other','KeySchema':[{'AttributeName':'x','KeyType':"
                 "'HASH'}],'Projection':{'ProjectionType':'ALL'},'ProvisionedThroughput':{'ReadCapacityUnits':1,"
                 "'WriteCapacityUnits':1}}]}")
            << "ValidationException";
        QTest::addRow("on-demand with capacity")
            << Q("{'SourceTableName':'Orders','TargetTableName':'New','UseLatestRestorableTime':true,"
                 "'BillingModeOverride':'PAY_PER_REQUEST','ProvisionedThroughputOverride':{'ReadCapacityUnits':1,"
                 "'WriteCapacityUnits':1}}")
            << "ValidationException";
    }

    void restoreErrorsInOrder()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QVERIFY(!ok("CreateTable",
            "{'TableName':'Plain','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}",
            kT0)
                     .isError());
        enable("Orders", kT0);
        QVERIFY(!ok("PutItem", "{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'}}}", kT0)
                     .isError());
        const EngineTime now = kT0 + 600 * kSecond;
        QVERIFY(!ok("RestoreTableToPointInTime",
            "{'SourceTableName':'Orders','TargetTableName':'Busy','UseLatestRestorableTime':true}", now)
                     .isError());
        const QStringList before = tableNames(now);
        auto r = run("RestoreTableToPointInTime", request.toStdString(), now);
        QCOMPARE(QString::fromStdString(r.errorType), type);
        // Nothing half-created: the same tables, and the would-be target answers nothing.
        QCOMPARE(tableNames(now), before);
        QCOMPARE(QString::fromStdString(run("DescribeTable", "{'TableName':'New'}", now).errorType),
            QString("ResourceNotFoundException"));
        if (type == "InvalidRestoreTimeException")
            QVERIFY2(message(r).startsWith("Invalid restore time specified. RestoreDateTime must be between "
                                           "2026-12-04T10:00:00.000Z and 2026-12-04T10:05:00.000Z"),
                qPrintable(message(r)));
    }

    void restoredSettings()
    {
        enable("Orders", kT0);
        QVERIFY(!ok("PutItem", "{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'},'l':{'S':'y'}}}",
            kT0 + kSecond)
                     .isError());
        // Capacity changes after the restore point: the restore takes the capacity then in force.
        QVERIFY(!ok("UpdateTable",
            "{'TableName':'Orders','ProvisionedThroughput':{'ReadCapacityUnits':20,'WriteCapacityUnits':10}}",
            kT0 + 100 * kSecond)
                     .isError());
        const EngineTime now = kT0 + 1000 * kSecond;
        auto restored = ok("RestoreTableToPointInTime",
            "{'SourceTableName':'Orders','TargetTableName':'Copy','RestoreDateTime':" + seconds(kT0 + 50 * kSecond) + "}",
            now);
        QVERIFY(!restored.isError());
        const auto& d = obj(restored, "TableDescription");
        QCOMPARE(QString::fromStdString(std::string(d.at("TableStatus").as_string())), QString("CREATING"));
        QCOMPARE(QString::fromStdString(toJsonText(d.at("RestoreSummary"))),
            Q("{'SourceTableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Orders','RestoreDateTime':"
              "1796378450.0,'RestoreInProgress':true}"));
        QCOMPARE(d.at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(), 10);
        QCOMPARE(d.at("ProvisionedThroughput").at("WriteCapacityUnits").as_int64(), 5);
        QCOMPARE(QString::fromStdString(toJsonText(d.at("TableClassSummary"))), Q("{'TableClass':'STANDARD'}"));
        QCOMPARE(d.at("GlobalSecondaryIndexes").as_array().size(), std::size_t(1));
        QCOMPARE(d.at("GlobalSecondaryIndexes").at(0).at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(), 3);
        QCOMPARE(d.at("LocalSecondaryIndexes").as_array().size(), std::size_t(1));
        QCOMPARE(d.at("ItemCount").as_int64(), 1);
        // While CREATING only DescribeTable answers (reference A8).
        for (const char* operation : { "GetItem", "Scan", "DeleteTable", "PutItem" }) {
            auto r = run(operation, "{'TableName':'Copy','Key':{'pk':{'S':'a'},'sk':{'N':'1'}},'Item':{'pk':{'S':'a'},"
                                    "'sk':{'N':'1'}}}",
                now + kSecond);
            QCOMPARE(QString::fromStdString(r.errorType), QString("ResourceNotFoundException"));
        }
        QCOMPARE(run("DescribeContinuousBackups", "{'TableName':'Copy'}", now + kSecond).errorType,
            std::string("TableNotFoundException"));
        auto creating = ok("DescribeTable", "{'TableName':'Copy'}", now + 179 * kSecond);
        QCOMPARE(QString::fromStdString(std::string(obj(creating, "Table").at("TableStatus").as_string())),
            QString("CREATING"));
        // 180 s later (the minimum; a small table) it is ACTIVE, without RestoreSummary.
        auto active = ok("DescribeTable", "{'TableName':'Copy'}", now + 180 * kSecond);
        QCOMPARE(QString::fromStdString(std::string(obj(active, "Table").at("TableStatus").as_string())),
            QString("ACTIVE"));
        QVERIFY(!obj(active, "Table").contains("RestoreSummary"));
        // Not restored: PITR (and TTL, streams).
        QVERIFY(text(ok("DescribeContinuousBackups", "{'TableName':'Copy'}", now + 180 * kSecond))
                    .contains(Q("'PointInTimeRecoveryStatus':'DISABLED'")));
        QVERIFY(!obj(active, "Table").contains("StreamSpecification"));
        // The items and their index entries are there; the write consumed nothing.
        auto query = ok("Query", "{'TableName':'Copy','IndexName':'ByG','KeyConditionExpression':'g = :g',"
                                 "'ExpressionAttributeValues':{':g':{'S':'x'}},'ReturnConsumedCapacity':'TOTAL'}",
            now + 180 * kSecond);
        QCOMPARE(query.body.as_object().at("Count").as_int64(), 1);

        // Overrides: [] drops the GSIs, on-demand drops capacity, an LSI override keeps only what it names.
        auto lean = ok("RestoreTableToPointInTime",
            "{'SourceTableName':'Orders','TargetTableName':'Lean','UseLatestRestorableTime':true,"
            "'BillingModeOverride':'PAY_PER_REQUEST','GlobalSecondaryIndexOverride':[],'LocalSecondaryIndexOverride':[]}",
            now + 200 * kSecond);
        QVERIFY(!lean.isError());
        const auto& l = obj(lean, "TableDescription");
        QVERIFY(!l.contains("GlobalSecondaryIndexes"));
        QVERIFY(!l.contains("LocalSecondaryIndexes"));
        QCOMPARE(QString::fromStdString(std::string(l.at("BillingModeSummary").at("BillingMode").as_string())),
            QString("PAY_PER_REQUEST"));
        QCOMPARE(l.at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(), 0);
        // The latest restorable time gives the current capacity.
        auto latest = ok("RestoreTableToPointInTime",
            "{'SourceTableName':'Orders','TargetTableName':'Latest','UseLatestRestorableTime':true,"
            "'GlobalSecondaryIndexOverride':[{'IndexName':'Renamed','KeySchema':[{'AttributeName':'g','KeyType':"
            "'HASH'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}]}",
            now + 200 * kSecond);
        QVERIFY(!latest.isError());
        const auto& t = obj(latest, "TableDescription");
        QCOMPARE(t.at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(), 20);
        QCOMPARE(QString::fromStdString(std::string(t.at("GlobalSecondaryIndexes").at(0).at("IndexName").as_string())),
            QString("Renamed"));
    }

    // The exactness test of issue 9: thousands of seeded writes, deletes, updates, batches,
    // transactions and TTL expiries over time; the table read (Scan, the engine's own reads) at many times t; a
    // restore to each t must equal it item by item, its GSI too; and the export API
    // (visitItemsAt per partition, visitChangesBetween) agrees.
    void randomizedRestoreEqualsPast()
    {
        m_engine->setRestoreMinDuration(0);
        enable("Orders", kT0);
        // TTL expiries among the changes: items with 'exp' a few seconds to two minutes ahead,
        // deleted by the engine after a delay of about 30 s (at most 10 min).
        m_engine->setTtlDelayModel({ 30.0, 1.0, 1, 600 });
        QVERIFY(m_engine->enableTimeToLive("Orders", "exp"));
        EngineTime now = kT0;
        std::mt19937_64 random(20261205);
        auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
        auto key = [&]() {
            return "'pk':{'S':'p" + std::to_string(pick(12)) + "'},'sk':{'N':'" + std::to_string(pick(25)) + "'}";
        };
        auto item = [&]() {
            std::string attrs = key();
            if (pick(4))
                attrs += ",'g':{'S':'g" + std::to_string(pick(5)) + "'}";
            if (pick(3))
                attrs += ",'l':{'S':'l" + std::to_string(pick(7)) + "'}";
            attrs += ",'v':{'N':'" + std::to_string(pick(100000)) + "'},'pad':{'S':'" + std::string(pick(60), 'x') + "'}";
            if (!pick(4))
                attrs += ",'exp':{'N':'" + std::to_string(now / kSecond + 1 + pick(120)) + "'}";
            return "{" + attrs + "}";
        };
        std::vector<std::pair<EngineTime, std::map<std::string, std::string>>> states;
        std::vector<std::map<std::string, std::string>> indexStates;
        const int operations = 3000;
        for (int i = 0; i < operations; ++i) {
            // Times in whole milliseconds, several changes sometimes sharing one.
            now += pick(3) * 1000 * pick(700);
            const int kind = pick(10);
            WireResponse r;
            if (kind < 4) {
                r = run("PutItem", "{'TableName':'Orders','Item':" + item() + "}", now);
            } else if (kind < 6) {
                r = run("DeleteItem", "{'TableName':'Orders','Key':{" + key() + "}}", now);
            } else if (kind < 8) {
                r = run("UpdateItem",
                    "{'TableName':'Orders','Key':{" + key()
                        + "},'UpdateExpression':'SET v = :v REMOVE pad','ExpressionAttributeValues':{':v':{'N':'"
                        + std::to_string(pick(1000)) + "'}}}",
                    now);
            } else if (kind == 8) {
                std::string actions;
                for (int a = 0, n = 1 + pick(4); a < n; ++a)
                    actions += std::string(a ? "," : "") + "{'Put':{'TableName':'Orders','Item':" + item() + "}}";
                r = run("TransactWriteItems", "{'TransactItems':[" + actions + "]}", now);
            } else {
                std::string writes;
                for (int a = 0, n = 1 + pick(5); a < n; ++a)
                    writes += std::string(a ? "," : "")
                        + (pick(2) ? "{'PutRequest':{'Item':" + item() + "}}" : "{'DeleteRequest':{'Key':{" + key() + "}}}");
                r = run("BatchWriteItem", "{'RequestItems':{'Orders':[" + writes + "]}}", now);
            }
            // Duplicate keys in one transaction or batch are refused; everything else applies.
            QVERIFY2(!r.isError() || r.errorType == "ValidationException", qPrintable(text(r)));
            if (i % 75 == 74) {
                states.emplace_back(now, scanAll("Orders", now));
                indexStates.push_back(scanAll("Orders", now, "ByG"));
                now += 1000; // the next change is after t
            }
        }
        QVERIFY(states.size() >= 40);
        // The TTL deletions happened among the writes (each at its own time, logged like any change).
        QVERIFY2(m_engine->ttlCounters("Orders")->deleted >= 100,
            qPrintable(QString::number(m_engine->ttlCounters("Orders")->deleted)));
        now += 400 * kSecond; // every t is now at or before Latest (now - 300 s)
        for (std::size_t i = 0; i < states.size(); ++i) {
            const auto& [t, expected] = states[i];
            const std::string target = "Restored" + std::to_string(i);
            auto r = ok("RestoreTableToPointInTime",
                "{'SourceTableName':'Orders','TargetTableName':'" + target + "','RestoreDateTime':" + seconds(t) + "}", now);
            QVERIFY(!r.isError());
            now += kSecond; // bytes / 32 MiB/s: well under a second here
            QCOMPARE(scanAll(target, now), expected);
            QCOMPARE(scanAll(target, now, "ByG"), indexStates[i]);
            // The export API: per partition, in key order, the same items.
            std::map<std::string, std::string> viaApi;
            const TableState* source = m_engine->table("Orders");
            QVERIFY(source);
            for (const auto& p : source->partitions) {
                std::string previous;
                QVERIFY(m_engine->visitItemsAt("Orders", t, p.hashLow, p.hashHigh, [&](const Item& it, std::int64_t) {
                    const std::string k = toJsonText(attributeValueToJson(it.at("pk"))) + toJsonText(attributeValueToJson(it.at("sk")));
                    viaApi[k] = toJsonText(itemToJson(it));
                    return true;
                }).isOk());
            }
            QCOMPARE(viaApi.size(), expected.size());
            // Changes between consecutive t carry state(t_i) to state(t_{i+1}).
            if (i + 1 < states.size()) {
                std::map<std::string, std::string> carried = expected;
                QVERIFY(m_engine->visitChangesBetween("Orders", t, states[i + 1].first, 0, UINT64_MAX,
                    [&](const Engine::ItemChangeBetween& c) {
                        const std::string k = toJsonText(attributeValueToJson(c.key.at("pk")))
                            + toJsonText(attributeValueToJson(c.key.at("sk")));
                        if (c.after)
                            carried[k] = toJsonText(itemToJson(*c.after));
                        else
                            carried.erase(k);
                        return true;
                    }).isOk());
                QCOMPARE(carried, states[i + 1].second);
            }
        }
    }

    void persistsAcrossReopen()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/pitr.sqlite").toStdString();
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kOrders, kT0).isError());
            QVERIFY(!call(d, "UpdateContinuousBackups",
                J("{'TableName':'Orders','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true,"
                  "'RecoveryPeriodInDays':3}}"),
                kT0)
                         .isError());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'a'},'sk':{'N':'1'}}}"), kT0 + kSecond)
                         .isError());
            QVERIFY(!call(d, "PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'b'},'sk':{'N':'1'}}}"),
                kT0 + 10 * kSecond)
                         .isError());
            QVERIFY(engine->saveClock().isOk());
        }
        auto engine = std::move(Engine::open(path)).value();
        Dispatcher d(*engine);
        const EngineTime now = kT0 + 1000 * kSecond;
        QVERIFY(text(call(d, "DescribeContinuousBackups", J("{'TableName':'Orders'}"), now))
                    .contains(Q("'RecoveryPeriodInDays':3")));
        QCOMPARE(engine->pitrLogSize("Orders")->entries, 2);
        auto r = call(d, "RestoreTableToPointInTime",
            J("{'SourceTableName':'Orders','TargetTableName':'Back','RestoreDateTime':" + seconds(kT0 + 5 * kSecond) + "}"),
            now);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(obj(r, "TableDescription").at("ItemCount").as_int64(), 1);
        QVERIFY(engine->saveClock().isOk());
        engine.reset();
        // The restore in progress survives a reopen, and completes on time.
        engine = std::move(Engine::open(path)).value();
        Dispatcher again(*engine);
        QCOMPARE(call(again, "GetItem", J("{'TableName':'Back','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"), now).errorType,
            std::string("ResourceNotFoundException"));
        auto got = call(again, "GetItem", J("{'TableName':'Back','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}"),
            now + 180 * kSecond);
        QVERIFY2(text(got).contains(Q("'Item'")), qPrintable(text(got)));
        // Past the 3-day window, the log is purged down to what the window needs.
        QVERIFY(engine->advanceTime(kT0 + 4 * kDay).isOk());
        QCOMPARE(engine->pitrLogSize("Orders")->entries, 0);
    }

    // What PITR's change log takes: a seeded month of writes (30 days, 100,000 writes to 10,000
    // keys, items of ~200 bytes, 60 % updates of existing items), measured and extrapolated to a
    // million writes; then the 35-day purge.
    void logSpaceForAMonthOfWrites()
    {
        m_engine->setPitrLag(300 * kSecond);
        QVERIFY(!ok("CreateTable",
            "{'TableName':'Month','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}",
            kT0)
                     .isError());
        enable("Month", kT0);
        std::mt19937_64 random(30);
        const int writes = 100000;
        const EngineTime span = 30 * kDay;
        std::int64_t itemBytes = 0;
        std::int64_t oldImageBytes = 0;
        for (int i = 0; i < writes; ++i) {
            const EngineTime now = kT0 + span * i / writes;
            QVERIFY(m_engine->advanceTime(now).isOk());
            PutItemRequest put;
            put.tableName = "Month";
            put.item["id"] = AttributeValue::string("k" + std::to_string(random() % 10000));
            put.item["v"] = AttributeValue::number(Number::fromInt(static_cast<std::int64_t>(random() % 1000000)));
            put.item["body"] = AttributeValue::string(std::string(170 + random() % 40, 'b'));
            put.returnValues = ReturnValues::AllOld;
            auto response = m_engine->putItem(put);
            QVERIFY(response.status.isOk());
            itemBytes += itemSizeBytes(put.item);
            if (response.attributes)
                oldImageBytes += itemSizeBytes(*response.attributes);
        }
        auto size = m_engine->pitrLogSize("Month");
        QVERIFY(size);
        QCOMPARE(size->entries, writes);
        const double perWrite = static_cast<double>(size->bytes) / writes;
        qInfo("PITR log for a month: %d writes of %.0f-byte items to %lld keys: %lld bytes, %.1f bytes per write, "
              "%.1f MB per million writes (old images %.1f bytes per write)",
            writes, static_cast<double>(itemBytes) / writes,
            static_cast<long long>(m_engine->table("Month")->itemCount()), static_cast<long long>(size->bytes),
            perWrite, perWrite, static_cast<double>(oldImageBytes) / writes);
        // An entry costs its old image and a key plus a fixed ~50 bytes, not a copy of the table.
        QVERIFY(perWrite < static_cast<double>(oldImageBytes) / writes + 64);
        // Ten days later, only the last 35 days remain.
        QVERIFY(m_engine->advanceTime(kT0 + 40 * kDay).isOk());
        auto purged = m_engine->pitrLogSize("Month");
        QVERIFY(purged->entries < writes * 26 / 30 && purged->entries > writes * 24 / 30);
    }
};

QTEST_GUILESS_MAIN(TestPitr)
#include "tst_pitr.moc"
