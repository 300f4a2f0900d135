// Secondary indexes through the wire dispatcher: write amplification (reference A2, C 2.5),
// ReturnConsumedCapacity INDEXES, Query/Scan on GSIs and LSIs with their costs (C 2.2), the
// control plane (CreateTable/UpdateTable/DescribeTable), backfill, persistence, and the LSI
// item-collection limit (C 1).

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;
using capsim::test::units;

namespace {

// Table T: pk (S) / sk (N); GSI "Gsi" on g (S) [+ r (S)] with the given projection; optional LSI "Lsi" on l (S).
std::string tableWith(const std::string& projection, bool gsiSort = true, bool lsi = false)
{
    std::string definitions = J("{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'},"
                                "{'AttributeName':'g','AttributeType':'S'}");
    if (gsiSort)
        definitions += J(",{'AttributeName':'r','AttributeType':'S'}");
    if (lsi)
        definitions += J(",{'AttributeName':'l','AttributeType':'S'}");
    std::string gsiKey = J("{'AttributeName':'g','KeyType':'HASH'}");
    if (gsiSort)
        gsiKey += J(",{'AttributeName':'r','KeyType':'RANGE'}");
    std::string out = J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[") + definitions
        + J("],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
            "'GlobalSecondaryIndexes':[{'IndexName':'Gsi','KeySchema':[")
        + gsiKey + J("],'Projection':") + projection + "}]";
    if (lsi)
        out += J(",'LocalSecondaryIndexes':[{'IndexName':'Lsi','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
                 "{'AttributeName':'l','KeyType':'RANGE'}],'Projection':{'ProjectionType':'ALL'}}]");
    return out + "}";
}

std::string projectionJson(const QString& type)
{
    if (type == "INCLUDE")
        return J("{'ProjectionType':'INCLUDE','NonKeyAttributes':['inc']}");
    return J("{'ProjectionType':'" + type.toStdString() + "'}");
}

double indexUnits(const WireResponse& r, const char* kind, const char* name)
{
    const auto& c = r.body.as_object().at("ConsumedCapacity").as_object();
    const auto* map = c.if_contains(kind);
    if (!map || !map->as_object().if_contains(name))
        return 0.0;
    return map->as_object().at(name).as_object().at("CapacityUnits").to_number<double>();
}

// An item of exactly `totalBytes` with key pk='a', sk=1, g='x', r='1' and padding p.
std::string sizedItem(int totalBytes)
{
    const int used = (2 + 1) + (2 + 2) + (1 + 1) + (1 + 1) + 1;
    return J("{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'1'},'p':{'S':'")
        + std::string(static_cast<std::size_t>(totalBytes - used), 'x') + "\"}}";
}

} // namespace

class TestIndexes : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse ok(const std::string& operation, const std::string& request)
    {
        auto r = call(*m_d, operation, request);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    void putItems(const std::vector<std::string>& items)
    {
        for (const auto& item : items)
            QVERIFY(!ok("PutItem", J("{'TableName':'Tab','Item':") + item + "}").isError());
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
    }

    void writeAmplification_data()
    {
        QTest::addColumn<QString>("projection");
        QTest::addColumn<QString>("before"); // item stored first, or empty
        QTest::addColumn<QString>("after"); // item put second, or empty to delete
        QTest::addColumn<double>("gsiUnits");
        const QString base = "{'pk':{'S':'a'},'sk':{'N':'1'}";
        const QString x = base + ",'g':{'S':'x'},'r':{'S':'1'}";
        QTest::addRow("new entry") << "ALL"
                                   << "" << x + "}" << 1.0;
        QTest::addRow("key change = delete + put") << "ALL" << x + "}" << base + ",'g':{'S':'y'},'r':{'S':'1'}}" << 2.0;
        QTest::addRow("sort key change") << "KEYS_ONLY" << x + "}" << base + ",'g':{'S':'x'},'r':{'S':'2'}}" << 2.0;
        QTest::addRow("key removed") << "ALL" << x + "}" << base + "}" << 1.0;
        QTest::addRow("item deleted") << "ALL" << x + "}"
                                      << "" << 1.0;
        QTest::addRow("ALL: non-key change") << "ALL" << x + ",'a':{'N':'1'}}" << x + ",'a':{'N':'2'}}" << 1.0;
        QTest::addRow("KEYS_ONLY: non-key change")
            << "KEYS_ONLY" << x + ",'a':{'N':'1'}}" << x + ",'a':{'N':'2'}}" << 0.0;
        QTest::addRow("INCLUDE: included change")
            << "INCLUDE" << x + ",'inc':{'N':'1'}}" << x + ",'inc':{'N':'2'}}" << 1.0;
        QTest::addRow("INCLUDE: other change") << "INCLUDE" << x + ",'a':{'N':'1'}}" << x + ",'a':{'N':'2'}}" << 0.0;
        QTest::addRow("nothing changed") << "ALL" << x + "}" << x + "}" << 0.0;
        QTest::addRow("sparse item") << "ALL"
                                     << "" << base + ",'a':{'N':'1'}}" << 0.0;
        QTest::addRow("composite GSI missing its sort key") << "ALL"
                                                            << "" << base + ",'g':{'S':'x'}}" << 0.0;
        QTest::addRow("ALL, 4 KB item") << "ALL"
                                        << "" << QString::fromStdString(sizedItem(4096)) << 4.0;
        QTest::addRow("KEYS_ONLY, 4 KB item") << "KEYS_ONLY"
                                              << "" << QString::fromStdString(sizedItem(4096)) << 1.0;
        QTest::addRow("ALL, 4 KB + 1") << "ALL"
                                       << "" << QString::fromStdString(sizedItem(4097)) << 5.0;
    }
    void writeAmplification()
    {
        QFETCH(QString, projection);
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(double, gsiUnits);
        QVERIFY(!ok("CreateTable", tableWith(projectionJson(projection))).isError());
        if (!before.isEmpty())
            putItems({ J(before.toStdString()) });
        const std::string request = after.isEmpty()
            ? J("{'TableName':'Tab','ReturnConsumedCapacity':'INDEXES','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}")
            : J("{'TableName':'Tab','ReturnConsumedCapacity':'INDEXES','Item':") + J(after.toStdString()) + "}";
        auto r = ok(after.isEmpty() ? "DeleteItem" : "PutItem", request);
        QVERIFY(!r.isError());
        QCOMPARE(indexUnits(r, "GlobalSecondaryIndexes", "Gsi"), gsiUnits);
        // The GSI's units are attributed to its own partitions, not to the table's.
        double attributed = 0.0;
        for (const auto& p : r.consumed.front().indexPartitions)
            attributed += p.write;
        QCOMPARE(attributed, gsiUnits);
        QCOMPARE(units(r), r.consumed.front().table.write + gsiUnits);
    }

    void failedConditionConsumesNoIndexUnits()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("ALL"))).isError());
        auto r = call(*m_d, "PutItem",
            J("{'TableName':'Tab','ReturnConsumedCapacity':'INDEXES','ConditionExpression':'attribute_exists(pk)',"
              "'Item':{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'1'}}}"));
        QCOMPARE(r.errorType, std::string("ConditionalCheckFailedException"));
        QVERIFY(r.consumed.front().globalSecondaryIndexes.empty());
        QVERIFY(r.consumed.front().indexPartitions.empty());
    }

    void wrongIndexKeyTypeIsRejected()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("ALL"))).isError());
        auto r = call(*m_d, "PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'N':'5'}}}"));
        QCOMPARE(message(r),
            QString("One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N "
                    "IndexName: Gsi"));
    }

    void consumedCapacityIndexesShape()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("ALL"), true, true)).isError());
        auto r = ok("PutItem",
            J("{'TableName':'Tab','ReturnConsumedCapacity':'INDEXES','Item':{'pk':{'S':'a'},'sk':{'N':'1'},"
              "'g':{'S':'x'},'r':{'S':'1'},'l':{'S':'z'}}}"));
        const QString expected = QString::fromStdString(J(
            "{'ConsumedCapacity':{'TableName':'Tab','CapacityUnits':3.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':3.0,"
            "'Table':{'CapacityUnits':1.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0},"
            "'GlobalSecondaryIndexes':{'Gsi':{'CapacityUnits':1.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0}},"
            "'LocalSecondaryIndexes':{'Lsi':{'CapacityUnits':1.0,'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0}}}}"));
        QCOMPARE(text(r), expected);
        // LSI units count against the table's partition; the total stays table + indexes.
        double onTablePartitions = 0.0;
        for (const auto& p : r.consumed.front().partitions)
            onTablePartitions += p.write;
        QCOMPARE(onTablePartitions, 2.0);
        auto total = ok("PutItem",
            J("{'TableName':'Tab','ReturnConsumedCapacity':'TOTAL','Item':{'pk':{'S':'b'},'sk':{'N':'1'}}}"));
        QCOMPARE(text(total),
            QString::fromStdString(J("{'ConsumedCapacity':{'TableName':'Tab','CapacityUnits':1.0,"
                                     "'ReadCapacityUnits':0.0,'WriteCapacityUnits':1.0}}")));
    }

    void gsiQueryCost()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("ALL"))).isError());
        // 8 entries of 2,000 B: 16,000 B -> 16 KB -> 4 strong -> 2 eventual (reference C 2.2).
        for (int i = 0; i < 8; ++i) {
            const int used = (2 + 1) + (2 + 2) + (1 + 1) + (1 + 1) + 1;
            putItems({ J("{'pk':{'S':'a'},'sk':{'N':'") + std::to_string(i + 1) + J("'},'g':{'S':'x'},'r':{'S':'")
                + std::to_string(7 - i) + J("'},'p':{'S':'") + std::string(static_cast<std::size_t>(2000 - used), 'x')
                + "\"}}" });
        }
        auto r = ok("Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ExpressionAttributeValues':"
              "{':g':{'S':'x'}},'ReturnConsumedCapacity':'INDEXES','ProjectionExpression':'r'}"));
        QVERIFY(!r.isError());
        QCOMPARE(r.body.as_object().at("Count").as_int64(), 8);
        QCOMPARE(units(r), 2.0);
        QCOMPARE(indexUnits(r, "GlobalSecondaryIndexes", "Gsi"), 2.0);
        // Ordered by the index sort key.
        QCOMPARE(std::string(r.body.at("Items").at(0).at("r").at("S").as_string()), std::string("0"));
        auto consistent = call(*m_d, "Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ConsistentRead':true,"
              "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        QCOMPARE(message(consistent), QString("Consistent reads are not supported on global secondary indexes"));
    }

    void gsiQueryRangesAndPages()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("KEYS_ONLY"))).isError());
        // Index sort keys that are prefixes of one another, and duplicates across base items.
        putItems({ J("{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'ab'},'a':{'N':'1'}}"),
            J("{'pk':{'S':'b'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'a'}}"),
            J("{'pk':{'S':'c'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'ab'}}"),
            J("{'pk':{'S':'d'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'b'}}"),
            J("{'pk':{'S':'e'},'sk':{'N':'1'},'g':{'S':'y'},'r':{'S':'a'}}") });
        auto count = [&](const std::string& condition) {
            auto r = ok("Query",
                J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g AND ") + condition
                    + J("','ExpressionAttributeValues':{':g':{'S':'x'},':v':{'S':'ab'}}}"));
            return r.isError() ? -1 : static_cast<int>(r.body.at("Count").as_int64());
        };
        QCOMPARE(count("r = :v"), 2);
        QCOMPARE(count("r < :v"), 1);
        QCOMPARE(count("r <= :v"), 3);
        QCOMPARE(count("r > :v"), 1);
        QCOMPARE(count("r >= :v"), 3);
        QCOMPARE(count("begins_with(r, :v)"), 2);
        // KEYS_ONLY: the entry holds the table and index keys only.
        auto first = ok("Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','Limit':2,"
              "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        QCOMPARE(text(first),
            QString::fromStdString(J("{'Items':[{'g':{'S':'x'},'pk':{'S':'b'},'r':{'S':'a'},'sk':{'N':'1'}},"
                                     "{'g':{'S':'x'},'pk':{'S':'a'},'r':{'S':'ab'},'sk':{'N':'1'}}],'Count':2,"
                                     "'ScannedCount':2,'LastEvaluatedKey':{'g':{'S':'x'},'pk':{'S':'a'},'r':{'S':'ab'},"
                                     "'sk':{'N':'1'}}}")));
        auto second = ok("Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g',"
              "'ExpressionAttributeValues':{':g':{'S':'x'}},'ExclusiveStartKey':")
                + toJsonText(first.body.at("LastEvaluatedKey")) + "}");
        QCOMPARE(second.body.at("Count").as_int64(), 2);
        QCOMPARE(std::string(second.body.at("Items").at(0).at("pk").at("S").as_string()), std::string("c"));
        auto all = call(*m_d, "Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','Select':'ALL_ATTRIBUTES',"
              "'ExpressionAttributeValues':{':g':{'S':'x'}}}"));
        QCOMPARE(all.errorType, std::string("ValidationException"));
        // Scan pages through every entry; at least 0.5 per GSI partition touched (4 on-demand).
        auto scan = ok("Scan", J("{'TableName':'Tab','IndexName':'Gsi','ReturnConsumedCapacity':'INDEXES'}"));
        QCOMPARE(scan.body.at("Count").as_int64(), 5);
        QCOMPARE(indexUnits(scan, "GlobalSecondaryIndexes", "Gsi"), 2.0);
        std::int64_t seen = 0;
        std::string start;
        for (int page = 0; page < 10; ++page) {
            auto r = ok("Scan", J("{'TableName':'Tab','IndexName':'Gsi','Limit':2") + start + "}");
            seen += r.body.at("Count").as_int64();
            const auto* last = r.body.as_object().if_contains("LastEvaluatedKey");
            if (!last)
                break;
            start = J(",'ExclusiveStartKey':") + toJsonText(*last);
        }
        QCOMPARE(seen, 5);
    }

    void lsiFetchCost()
    {
        // Reference C 2.2: 4 items, 200 B projected, 300 B base item: 4 KB for the entries plus
        // 4 x 4 KB for the fetches = 20 KB = 5 RCU strongly consistent.
        QVERIFY(!ok("CreateTable",
            J("{'TableName':'Lst','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
              "'AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'},{'AttributeName':'l','AttributeType':'S'}],"
              "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
              "'LocalSecondaryIndexes':[{'IndexName':'Lsi','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
              "{'AttributeName':'l','KeyType':'RANGE'}],'Projection':{'ProjectionType':'INCLUDE',"
              "'NonKeyAttributes':['inc']}}]}"))
                     .isError());
        for (int i = 0; i < 4; ++i) {
            // keys: pk 'a' (3) + sk (4) + l 'v' (2) = 9; inc: 3 + 188 = 191 -> entry 200; other: 1 + 99 = 100 -> item
            // 300.
            const std::string item = J("{'pk':{'S':'a'},'sk':{'N':'") + std::to_string(i + 1)
                + J("'},'l':{'S':'v'},'inc':{'S':'") + std::string(188, 'i') + J("'},'o':{'S':'") + std::string(99, 'o')
                + "\"}}";
            QVERIFY(!ok("PutItem", J("{'TableName':'Lst','Item':") + item + "}").isError());
        }
        auto entries = ok("Query",
            J("{'TableName':'Lst','IndexName':'Lsi','KeyConditionExpression':'pk = :p','ConsistentRead':true,"
              "'ExpressionAttributeValues':{':p':{'S':'a'}},'ReturnConsumedCapacity':'INDEXES'}"));
        QCOMPARE(units(entries), 1.0);
        QVERIFY(!entries.body.at("Items").at(0).as_object().contains("o"));
        auto fetched = ok("Query",
            J("{'TableName':'Lst','IndexName':'Lsi','KeyConditionExpression':'pk = :p','ConsistentRead':true,"
              "'Select':'ALL_ATTRIBUTES','ExpressionAttributeValues':{':p':{'S':'a'}},'ReturnConsumedCapacity':'INDEXES'}"));
        QCOMPARE(units(fetched), 5.0);
        QCOMPARE(indexUnits(fetched, "LocalSecondaryIndexes", "Lsi"), 1.0);
        QVERIFY(fetched.body.at("Items").at(0).as_object().contains("o"));
        // A projection naming a non-projected attribute fetches too.
        auto projected = ok("Query",
            J("{'TableName':'Lst','IndexName':'Lsi','KeyConditionExpression':'pk = :p','ProjectionExpression':'o',"
              "'ExpressionAttributeValues':{':p':{'S':'a'}},'ReturnConsumedCapacity':'TOTAL'}"));
        QCOMPARE(units(projected), 2.5);
    }

    void badDefinitions_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("expected");
        const QString defs
            = "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk',"
              "'AttributeType':'N'},{'AttributeName':'g','AttributeType':'S'}],'KeySchema':[{'AttributeName':"
              "'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]";
        const QString gsi = "{'IndexName':'%1','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],'Projection':"
                            "{'ProjectionType':'ALL'}%2}";
        QTest::addRow("unused definition")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs + ",'GlobalSecondaryIndexes':["
                + gsi.arg("Gsi", "")
                + "],'LocalSecondaryIndexes':[{'IndexName':'Lsi','KeySchema':[{'AttributeName':"
                  "'pk','KeyType':'HASH'},{'AttributeName':'zz','KeyType':'RANGE'}],'Projection':{'ProjectionType':'ALL'}}]}"
            << "One or more parameter values were invalid: Some index key attributes are not defined in "
               "AttributeDefinitions. Keys: [zz], AttributeDefinitions: [g, pk, sk]";
        QTest::addRow("definition not used by any key")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs + "}"
            << "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
               "number of attributes defined in AttributeDefinitions";
        QTest::addRow("GSI without throughput on a provisioned table")
            << "{'TableName':'Tab','ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}," + defs
                + ",'GlobalSecondaryIndexes':[" + gsi.arg("Gsi", "") + "]}"
            << "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: Gsi";
        QTest::addRow("duplicate index name") << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs
                + ",'GlobalSecondaryIndexes':[" + gsi.arg("Gsi", "") + "," + gsi.arg("Gsi", "") + "]}"
                                              << "One or more parameter values were invalid: Duplicate index name: Gsi";
        QTest::addRow("bad index name")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs + ",'GlobalSecondaryIndexes':["
                + gsi.arg("G!", "") + "]}"
            << "1 validation error detected: Value 'G!' at 'globalSecondaryIndexes.1.member.indexName' failed to "
               "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length "
               "between 3 and 255";
        QTest::addRow("LSI with another hash key")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs
                + ",'LocalSecondaryIndexes':[{'IndexName':"
                  "'Lsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
                  "'Projection':{'ProjectionType':'ALL'}}]}"
            << "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as "
               "table KeySchema for index: Lsi. index hash key: g, table hash key: pk";
        // Issue 8: a Projection without a ProjectionType, names over 255 bytes, duplicated
        // definitions, and the order DynamoDB reports them in.
        QTest::addRow("Projection without ProjectionType")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs
                + ",'GlobalSecondaryIndexes':[{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                  "'Projection':{}}]}"
            << "One or more parameter values were invalid: Unknown ProjectionType: null";
        const QString longName(256, 'k');
        QTest::addRow("table key name over 255 bytes")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'" + longName
                + "','AttributeType':'S'}],'KeySchema':[{'AttributeName':'" + longName + "','KeyType':'HASH'}]}"
            << "1 validation error detected: Value '" + longName
                + "' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less "
                  "than or equal to 255";
        QTest::addRow("name length before definition mismatch")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
               "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'" + longName + "','KeyType':'HASH'}]}"
            << "1 validation error detected: Value '" + longName
                + "' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less "
                  "than or equal to 255";
        QTest::addRow("GSI key name over 255 bytes")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
               "'AttributeType':'S'},{'AttributeName':'" + longName + "','AttributeType':'S'}],'KeySchema':[{"
               "'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':[{'IndexName':'Gsi','KeySchema':[{"
               "'AttributeName':'" + longName + "','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}]}"
            << "1 validation error detected: Value '" + longName
                + "' at 'globalSecondaryIndexes.1.member.keySchema.1.member.attributeName' failed to satisfy "
                  "constraint: Member must have length less than or equal to 255";
        QTest::addRow("NonKeyAttributes name over 255 bytes")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs
                + ",'GlobalSecondaryIndexes':[{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                  "'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':['" + longName + "']}}]}"
            << "1 validation error detected: Value '" + longName
                + "' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes.1.member' failed to satisfy "
                  "constraint: Member must have length less than or equal to 255";
        QTest::addRow("duplicated definition")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
               "'AttributeType':'S'},{'AttributeName':'pk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk',"
               "'KeyType':'HASH'}]}"
            << "Attribute Name is duplicated: pk";
        QTest::addRow("INCLUDE without NonKeyAttributes")
            << "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST'," + defs
                + ",'GlobalSecondaryIndexes':[{'IndexName':"
                  "'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],'Projection':{'ProjectionType':'INCLUDE'}}]}"
            << "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not "
               "specified";
    }
    void badDefinitions()
    {
        QFETCH(QString, request);
        QFETCH(QString, expected);
        auto r = call(*m_d, "CreateTable", J(request.toStdString()));
        QVERIFY(r.isError());
        QCOMPARE(message(r), expected);
        QVERIFY(!m_engine->table("Tab"));
    }

    void unusedDefinitionWithIndexes()
    {
        auto r = call(*m_d, "CreateTable",
            J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
              "'AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'},{'AttributeName':'x','AttributeType':'S'}],"
              "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':[{'IndexName':'Gsi',"
              "'KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}]}"));
        QCOMPARE(message(r),
            QString("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                    "AttributeDefinitions: [g, pk, x], keys used: [g, pk]"));
    }

    void backfillAndDelete()
    {
        QVERIFY(!ok("CreateTable",
            J("{'TableName':'Tab','ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5},"
              "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':"
              "'N'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}"))
                     .isError());
        putItems({ J("{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'}}"),
            J("{'pk':{'S':'b'},'sk':{'N':'1'},'g':{'S':'y'}}"), J("{'pk':{'S':'c'},'sk':{'N':'1'}}") });
        const std::string create
            = J("{'TableName':'Tab','AttributeDefinitions':[{'AttributeName':'g','AttributeType':'S'}],"
                "'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g',"
                "'KeyType':'HASH'}],'Projection':{'ProjectionType':'KEYS_ONLY'},'ProvisionedThroughput':"
                "{'ReadCapacityUnits':1,'WriteCapacityUnits':1}}}]}");
        auto updated = ok("UpdateTable", create);
        QVERIFY(!updated.isError());
        const auto& gsi = updated.body.at("TableDescription").at("GlobalSecondaryIndexes").at(0);
        QCOMPARE(std::string(gsi.at("IndexStatus").as_string()), std::string("CREATING"));
        // The dispatcher ran the backfill: one write unit per indexed item, on the GSI.
        QCOMPARE(updated.consumed.size(), std::size_t(1));
        QCOMPARE(updated.consumed.front().globalSecondaryIndexes.at("Gsi").write, 2.0);
        auto described = ok("DescribeTable", J("{'TableName':'Tab'}"));
        const auto& active = described.body.at("Table").at("GlobalSecondaryIndexes").at(0);
        QCOMPARE(std::string(active.at("IndexStatus").as_string()), std::string("ACTIVE"));
        QCOMPARE(active.at("ItemCount").as_int64(), 2);
        QCOMPARE(std::string(active.at("IndexArn").as_string()),
            std::string("arn:aws:dynamodb:us-east-1:000000000000:table/Tab/index/Gsi"));
        QCOMPARE(described.body.at("Table").at("AttributeDefinitions").as_array().size(), std::size_t(3));
        auto second = call(*m_d, "UpdateTable",
            J("{'TableName':'Tab','GlobalSecondaryIndexUpdates':[{'Delete':{'IndexName':'Gsi'}},{'Delete':{'IndexName':"
              "'Gsi'}}]}"));
        QCOMPARE(second.errorType, std::string("LimitExceededException"));
        QCOMPARE(message(second),
            QString(
                "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"));
        QVERIFY(
            !ok("UpdateTable", J("{'TableName':'Tab','GlobalSecondaryIndexUpdates':[{'Delete':{'IndexName':'Gsi'}}]}"))
                 .isError());
        auto gone = call(*m_d, "Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ExpressionAttributeValues':"
              "{':g':{'S':'x'}}}"));
        QCOMPARE(message(gone), QString("The table does not have the specified index: Gsi"));
        QVERIFY(!ok("DescribeTable", J("{'TableName':'Tab'}"))
                     .body.at("Table")
                     .as_object()
                     .contains("GlobalSecondaryIndexes"));
    }

    // Issue 8: items a PutItem could not index (an empty string, a key over 2,048 / 1,024 bytes)
    // are left out of a backfill, as DynamoDB leaves them out.
    void backfillSkipsInvalidIndexKeys()
    {
        QVERIFY(!ok("CreateTable",
            J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
              "'AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk',"
              "'KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}"))
                     .isError());
        putItems({ J("{'pk':{'S':'ok'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'1'}}"),
            J("{'pk':{'S':'empty'},'sk':{'N':'1'},'g':{'S':''},'r':{'S':'1'}}"),
            J("{'pk':{'S':'emptysort'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':''}}"),
            J("{'pk':{'S':'long'},'sk':{'N':'1'},'g':{'S':'") + std::string(2049, 'g') + J("'},'r':{'S':'1'}}"),
            J("{'pk':{'S':'longsort'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'") + std::string(1025, 'r') + J("'}}"),
            J("{'pk':{'S':'edge'},'sk':{'N':'1'},'g':{'S':'") + std::string(2048, 'g') + J("'},'r':{'S':'")
                + std::string(1024, 'r') + J("'}}") });
        auto updated = ok("UpdateTable",
            J("{'TableName':'Tab','AttributeDefinitions':[{'AttributeName':'g','AttributeType':'S'},{'AttributeName':"
              "'r','AttributeType':'S'}],'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'Gsi','KeySchema':[{"
              "'AttributeName':'g','KeyType':'HASH'},{'AttributeName':'r','KeyType':'RANGE'}],'Projection':{"
              "'ProjectionType':'KEYS_ONLY'}}}]}"));
        QVERIFY(!updated.isError());
        QCOMPARE(m_engine->table("Tab")->findIndex("Gsi")->itemCount(), 2);
        auto r = ok("Scan", J("{'TableName':'Tab','IndexName':'Gsi'}"));
        QCOMPARE(r.body.at("Count").as_int64(), 2);
    }

    // Issue 8: UpdateTable may not give an existing key attribute another type while adding a GSI.
    void updateTableCannotRedefineKeyType()
    {
        QVERIFY(!ok("CreateTable",
            J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
              "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}"))
                     .isError());
        auto r = call(*m_d, "UpdateTable",
            J("{'TableName':'Tab','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'N'}],"
              "'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'Gsi','KeySchema':[{'AttributeName':'pk',"
              "'KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}}]}"));
        QCOMPARE(r.errorType, std::string("ValidationException"));
        QVERIFY2(message(r).contains("pk"), qPrintable(message(r)));
        QVERIFY(!m_engine->table("Tab")->findIndex("Gsi"));
        QCOMPARE(m_engine->table("Tab")->key.partition.type, AttrType::S);
        // The same type is fine.
        QVERIFY(!ok("UpdateTable",
            J("{'TableName':'Tab','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
              "'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'Gsi','KeySchema':[{'AttributeName':'pk',"
              "'KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}}]}"))
                     .isError());
        // A key name over 255 bytes in UpdateTable.
        const std::string longName(256, 'k');
        auto tooLong = call(*m_d, "UpdateTable",
            J("{'TableName':'Tab','AttributeDefinitions':[{'AttributeName':'") + longName
                + J("','AttributeType':'S'}],'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'Gsi2','KeySchema':[{"
                    "'AttributeName':'")
                + longName + J("','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}}]}"));
        QCOMPARE(tooLong.errorType, std::string("ValidationException"));
        QVERIFY2(message(tooLong).contains("Member must have length less than or equal to 255"),
            qPrintable(message(tooLong)));
    }

    void backfillPacedByCaller()
    {
        QVERIFY(!ok("CreateTable",
            J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
              "'AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk',"
              "'KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}"))
                     .isError());
        for (int i = 0; i < 5; ++i)
            putItems({ J("{'pk':{'S':'p") + std::to_string(i) + J("'},'sk':{'N':'1'},'g':{'S':'x'}}") });
        UpdateTableRequest request;
        request.tableName = "Tab";
        GlobalSecondaryIndexUpdate create;
        create.index.name = "Gsi";
        create.index.key.partition = { "g", AttrType::S };
        request.globalSecondaryIndexUpdates.push_back(create);
        QVERIFY(m_engine->updateTable(request, 0).isOk());
        auto blocked = call(*m_d, "Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ExpressionAttributeValues':"
              "{':g':{'S':'x'}}}"));
        QCOMPARE(message(blocked), QString("Cannot read from backfilling global secondary index: Gsi"));
        // A write during the backfill maintains the new index as well.
        putItems({ J("{'pk':{'S':'p9'},'sk':{'N':'1'},'g':{'S':'x'}}") });
        int calls = 0;
        while (m_engine->table("Tab")->findIndex("Gsi")->status == IndexStatus::Creating) {
            ConsumedCapacity consumed;
            QVERIFY(m_engine->backfillIndex("Tab", "Gsi", 2, consumed).isOk());
            ++calls;
        }
        QCOMPARE(calls, 4);
        QCOMPARE(m_engine->table("Tab")->findIndex("Gsi")->itemCount(), 6);
        auto r = ok("Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ExpressionAttributeValues':"
              "{':g':{'S':'x'}}}"));
        QCOMPARE(r.body.at("Count").as_int64(), 6);
    }

    void persistence()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("engine.db").toStdString();
        {
            auto engine = std::move(Engine::open(path)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", tableWith(projectionJson("INCLUDE"), true, true)).isError());
            QVERIFY(!call(d, "PutItem",
                J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'g':{'S':'x'},'r':{'S':'1'},'l':{'S':'q'},"
                  "'inc':{'N':'7'}}}"))
                         .isError());
        }
        auto engine = std::move(Engine::open(path)).value();
        Dispatcher d(*engine);
        const TableState* t = engine->table("Tab");
        QVERIFY(t);
        QCOMPARE(t->indexes.size(), std::size_t(2));
        QCOMPARE(t->findIndex("Gsi")->itemCount(), 1);
        QCOMPARE(t->findIndex("Lsi")->itemCount(), 1);
        QCOMPARE(t->findIndex("Gsi")->nonKeyAttributes, std::vector<std::string> { "inc" });
        auto r = call(d, "Query",
            J("{'TableName':'Tab','IndexName':'Gsi','KeyConditionExpression':'g = :g','ExpressionAttributeValues':"
              "{':g':{'S':'x'}}}"));
        QCOMPARE(r.body.at("Count").as_int64(), 1);
        QCOMPARE(std::string(r.body.at("Items").at(0).at("inc").at("N").as_string()), std::string("7"));
        // A new table after reopening must not reuse an index's storage id.
        QVERIFY(!call(d, "CreateTable",
            J("{'TableName':'Uxx','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
              "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':"
              "'pk','KeyType':'HASH'}]}"))
                     .isError());
        for (const auto& index : t->indexes)
            QVERIFY(engine->table("Uxx")->id != index.id);
    }

    void itemCollectionLimit()
    {
        QVERIFY(!ok("CreateTable", tableWith(projectionJson("ALL"), true, true)).isError());
        m_engine->setItemCollectionLimitBytes(1000);
        auto first = ok("PutItem",
            J("{'TableName':'Tab','ReturnItemCollectionMetrics':'SIZE','Item':{'pk':{'S':'a'},'sk':{'N':'1'},"
              "'l':{'S':'z'},'p':{'S':'")
                + std::string(200, 'x') + "\"}}}");
        QCOMPARE(text(first),
            QString::fromStdString(J("{'ItemCollectionMetrics':{'ItemCollectionKey':{'pk':{'S':'a'}},"
                                     "'SizeEstimateRangeGB':[0.0,1.0]}}")));
        // item 217 + 100, LSI entry 217 + 100: 634 bytes; a second such item passes the limit.
        auto over = call(*m_d, "PutItem",
            J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'sk':{'N':'2'},'l':{'S':'z'},'p':{'S':'")
                + std::string(200, 'x') + "\"}}}");
        QCOMPARE(over.errorType, std::string("ItemCollectionSizeLimitExceededException"));
        QCOMPARE(message(over), QString("Item collection size limit exceeded"));
        // Other collections, and writes that shrink this one, are still allowed.
        QVERIFY(
            !ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'b'},'sk':{'N':'1'},'l':{'S':'z'}}}")).isError());
        m_engine->setItemCollectionLimitBytes(100);
        QVERIFY(
            !ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'a'},'sk':{'N':'1'},'l':{'S':'z'}}}")).isError());
        QVERIFY(!ok("DeleteItem", J("{'TableName':'Tab','Key':{'pk':{'S':'a'},'sk':{'N':'1'}}}")).isError());
        // Without ReturnItemCollectionMetrics, or on a table without LSIs, no metrics.
        auto none = ok("PutItem", J("{'TableName':'Tab','Item':{'pk':{'S':'c'},'sk':{'N':'1'}}}"));
        QVERIFY(!none.body.as_object().contains("ItemCollectionMetrics"));
    }
};

QTEST_GUILESS_MAIN(TestIndexes)
#include "tst_indexes.moc"
