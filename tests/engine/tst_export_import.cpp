// Import from S3 (reference A9, C 10.2) through the Dispatcher: ImportTable's synchronous errors
// with nothing created, its counting on crafted files (invalid items, unparseable lines, wrong
// delimiters, oversized items, duplicates), every format and compression, the CREATING time on
// the engine's clock, DescribeImport and ListImports.

#include "engine/dispatcher.h"
#include "engine/exchange/compression.h"
#include "engine/exchange/dynamodb_json_lines.h"
#include "engine/exchange/ion_text.h"
#include "engine/export_import.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "engine/s3_folder.h"
#include "tests/support/wire.h"

#include <QtTest>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kStart = 1796378400 * kSecond; // 2026-12-04T10:00:00Z

// Every type DynamoDB stores, deep nesting, 38-digit numbers, empty strings and binaries
// outside keys (reference A9's exactness list).
const char* kItemLines[] = {
    "{'Item':{'pk':{'S':'a'},'n':{'N':'12345678901234567890123456789012345678'},'small':{'N':'-0.000000000000000000000000000000000000001'}}}",
    "{'Item':{'pk':{'S':'b'},'bin':{'B':'AAEC/w=='},'empty':{'S':''},'emptyBin':{'B':''},'t':{'BOOL':true},'z':{'NULL':true}}}",
    "{'Item':{'pk':{'S':'c'},'ss':{'SS':['x','y']},'ns':{'NS':['1','2.5','-3e10']},'bs':{'BS':['AQ==','Ag==']}}}",
    "{'Item':{'pk':{'S':'d'},'deep':{'M':{'l':{'L':[{'M':{'m':{'M':{'x':{'L':[{'N':'1'},{'S':''},{'B':'AA=='}]}}}}},{'SS':['q']}]}}}}}",
    "{'Item':{'pk':{'S':'e \\u00e9\\u4e2d\\n'},'u':{'S':'\\u0001\\t\\\"\\\\\\u007f'}}}",
};

const std::string kParameters = J("{'TableName':'Imported','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                                  "[{'AttributeName':'pk','AttributeType':'S'}],"
                                  "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}");

std::string importRequest(const std::string& bucket, const std::string& prefix, const std::string& format,
    const std::string& compression = "NONE", const std::string& parameters = kParameters, const std::string& extra = "")
{
    return J("{'S3BucketSource':{'S3Bucket':'") + bucket + J("','S3KeyPrefix':'") + prefix + J("'},'InputFormat':'")
        + format + J("','InputCompressionType':'") + compression + J("','TableCreationParameters':") + parameters + extra
        + "}";
}

Item itemOf(const std::string& line)
{
    const auto v = capsim::test::parse(J(line));
    return itemFromJson(v.as_object().at("Item"), "Item").value();
}

const boost::json::object& description(const WireResponse& r)
{
    return r.body.as_object().at("ImportTableDescription").as_object();
}

std::int64_t count(const WireResponse& r, const char* field)
{
    return description(r).at(field).to_number<std::int64_t>();
}

QString str(const boost::json::object& o, const char* field)
{
    const auto* v = o.if_contains(field);
    return v && v->is_string() ? QString::fromStdString(std::string(v->get_string())) : QString();
}

} // namespace

class TestExportImport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;
    int m_run = 0;

    QString s3Root() const { return m_dir.path() + "/s3-" + QString::number(m_run); }

    void writeObject(const std::string& bucket, const std::string& key, const std::string& bytes)
    {
        QVERIFY(S3Folder(s3Root().toStdString()).writeObject(bucket, key, bytes).isOk());
    }

    std::string jsonLines(std::initializer_list<std::string> lines)
    {
        std::string out;
        for (const auto& l : lines)
            out += J(l) + "\n";
        return out;
    }

    std::optional<Item> get(const std::string& table, const Item& key)
    {
        GetItemRequest r;
        r.tableName = table;
        r.key = key;
        auto response = m_engine->getItem(r);
        return response.item;
    }

private slots:
    void init()
    {
        ++m_run;
        m_engine = std::move(Engine::open(":memory:")).value();
        m_engine->setS3Root(s3Root().toStdString());
        QVERIFY(QDir().mkpath(s3Root() + "/bucket"));
        m_d = std::make_unique<Dispatcher>(*m_engine);
    }

    void everyFormatAndCompressionReproducesEveryItem_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("compression");
        for (const char* format : { "DYNAMODB_JSON", "ION" })
            for (const char* compression : { "NONE", "GZIP", "ZSTD" })
                QTest::addRow("%s %s", format, compression) << format << compression;
    }

    void everyFormatAndCompressionReproducesEveryItem()
    {
        QFETCH(QString, format);
        QFETCH(QString, compression);
        std::vector<Item> items;
        std::string lines;
        for (const char* line : kItemLines) {
            items.push_back(itemOf(line));
            lines += (format == "ION" ? exchange::itemLineIon(items.back()) : exchange::itemLineJson(items.back())) + "\n";
        }
        // Two objects under the prefix, one beside it that is not read.
        const std::size_t half = lines.find('\n', lines.size() / 2) + 1;
        auto pack = [&](std::string_view bytes) {
            if (compression == "GZIP")
                return exchange::gzipCompress(bytes);
            if (compression == "ZSTD")
                return exchange::zstdCompress(bytes);
            return std::string(bytes);
        };
        writeObject("bucket", "in/part-1", pack(lines.substr(0, half)));
        writeObject("bucket", "in/part-2", pack(lines.substr(half)));
        writeObject("bucket", "other/part-3", pack(lines));
        auto r = call(*m_d, "ImportTable",
            importRequest("bucket", "in/", format.toStdString(), compression.toStdString()), kStart);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(str(description(r), "ImportStatus"), QString("IN_PROGRESS"));
        QCOMPARE(count(r, "ProcessedItemCount"), std::int64_t(5));
        QCOMPARE(count(r, "ImportedItemCount"), std::int64_t(5));
        QCOMPARE(count(r, "ErrorCount"), std::int64_t(0));
        QCOMPARE(count(r, "ProcessedSizeBytes"), static_cast<std::int64_t>(lines.size()));
        const QString arn = str(description(r), "ImportArn");
        QVERIFY(arn.startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/Imported/import/01796378400000-"));
        // CREATING for model.importMinSeconds (100 s): only DescribeTable sees the table.
        auto described = call(*m_d, "DescribeTable", J("{'TableName':'Imported'}"), kStart + 99 * kSecond);
        QCOMPARE(str(described.body.as_object().at("Table").as_object(), "TableStatus"), QString("CREATING"));
        auto hidden = call(*m_d, "GetItem", J("{'TableName':'Imported','Key':{'pk':{'S':'a'}}}"), kStart + 99 * kSecond);
        QCOMPARE(QString::fromStdString(hidden.errorType), QString("ResourceNotFoundException"));
        auto deleting = call(*m_d, "DeleteTable", J("{'TableName':'Imported'}"), kStart + 99 * kSecond);
        QCOMPARE(QString::fromStdString(deleting.errorType), QString("ResourceInUseException"));
        auto during = call(*m_d, "DescribeImport", "{\"ImportArn\":\"" + arn.toStdString() + "\"}", kStart + 99 * kSecond);
        QCOMPARE(str(description(during), "ImportStatus"), QString("IN_PROGRESS"));
        QVERIFY(!description(during).contains("EndTime"));
        QVERIFY(m_engine->advanceTime(kStart + 100 * kSecond).isOk());
        described = call(*m_d, "DescribeTable", J("{'TableName':'Imported'}"), kStart + 100 * kSecond);
        QCOMPARE(str(described.body.as_object().at("Table").as_object(), "TableStatus"), QString("ACTIVE"));
        auto done = call(*m_d, "DescribeImport", "{\"ImportArn\":\"" + arn.toStdString() + "\"}", kStart + 100 * kSecond);
        QCOMPARE(str(description(done), "ImportStatus"), QString("COMPLETED"));
        QCOMPARE(description(done).at("EndTime").to_number<double>(), 1796378500.0);
        QCOMPARE(m_engine->table("Imported")->itemCount(), std::int64_t(5));
        for (const auto& item : items) {
            Item key;
            key.emplace("pk", item.at("pk"));
            auto stored = get("Imported", key);
            QVERIFY(stored.has_value());
            QCOMPARE(QString::fromStdString(exchange::itemLineJson(*stored)),
                QString::fromStdString(exchange::itemLineJson(item)));
            QVERIFY(*stored == item);
        }
    }

    void countsInvalidItemsAndStopsAtAnUnparseableLine()
    {
        std::string big(400 * 1024, 'x');
        const std::string file = jsonLines({
            "{'Item':{'pk':{'S':'1'},'v':{'S':'first'}}}",
            "{'Item':{'other':{'S':'no key'}}}", // key missing
            "{'Item':{'pk':{'N':'7'}}}", // key of the wrong type
            "{'Item':{'pk':{'S':'big'},'v':{'S':'" + big + "'}}}", // over 400 KB
            "{'Item':{'pk':{'S':'1'},'v':{'S':'second'}}}", // duplicate: later wins
            "{'Item':{'pk':{'S':'2'}",
            "{'Item':{'pk':{'S':'never read'}}}",
        });
        writeObject("bucket", "a.json", file);
        writeObject("bucket", "b.json", jsonLines({ "{'Item':{'pk':{'S':'3'}}}" }));
        writeObject("bucket", "c.json", "not json at all\n{\"Item\":{\"pk\":{\"S\":\"4\"}}}\n");
        auto r = call(*m_d, "ImportTable", importRequest("bucket", "", "DYNAMODB_JSON"), kStart);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        // a.json: 6 records read (the 7th is after the unparseable line), 3 invalid + 1
        // unparseable; b.json: 1 item; c.json: its first line is unparseable, the rest unread.
        QCOMPARE(count(r, "ProcessedItemCount"), std::int64_t(8));
        QCOMPARE(count(r, "ImportedItemCount"), std::int64_t(3));
        QCOMPARE(count(r, "ErrorCount"), std::int64_t(5));
        QVERIFY(m_engine->advanceTime(kStart + 100 * kSecond).isOk());
        auto done = call(*m_d, "DescribeImport",
            "{\"ImportArn\":\"" + str(description(r), "ImportArn").toStdString() + "\"}", kStart + 100 * kSecond);
        QCOMPARE(str(description(done), "ImportStatus"), QString("FAILED"));
        QCOMPARE(str(description(done), "FailureCode"), QString("ItemValidationError"));
        QCOMPARE(str(description(done), "FailureMessage"),
            QString("Some of the items failed validation checks and were not imported. Please check CloudWatch error "
                    "logs for more details."));
        QCOMPARE(static_cast<int>(description(done).at("capsim").at("errors").as_array().size()), 5);
        // The valid items are kept and the table is ACTIVE (reference C 10.2).
        const TableState* t = m_engine->table("Imported");
        QVERIFY(t);
        QCOMPARE(t->itemCount(), std::int64_t(2));
        Item one;
        one.emplace("pk", AttributeValue::string("1"));
        QCOMPARE(QString::fromStdString(get("Imported", one)->at("v").bytes()), QString("second"));
    }

    void csvTypesKeysAndCountsColumns()
    {
        const std::string parameters = J("{'TableName':'Imported','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                                         "[{'AttributeName':'pk','AttributeType':'N'},{'AttributeName':'g','AttributeType':'B'}],"
                                         "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                                         "'GlobalSecondaryIndexes':[{'IndexName':'byG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                                         "'Projection':{'ProjectionType':'ALL'}}]}");
        writeObject("bucket", "data.csv",
            "pk,g,name,note\n1,AAE=,\"Smith, J\",\n2,AAI=,x,\"multi\nline\"\nnot-a-number,AAM=,y,z\n3,AAQ=,too,many,cells\n");
        auto r = call(*m_d, "ImportTable", importRequest("bucket", "data", "CSV", "NONE", parameters), kStart);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(count(r, "ProcessedItemCount"), std::int64_t(4));
        QCOMPARE(count(r, "ImportedItemCount"), std::int64_t(2));
        QCOMPARE(count(r, "ErrorCount"), std::int64_t(2));
        QVERIFY(m_engine->advanceTime(kStart + 100 * kSecond).isOk());
        Item key;
        key.emplace("pk", AttributeValue::number(Number::parse("1").value()));
        auto item = get("Imported", key);
        QVERIFY(item.has_value());
        QCOMPARE(QString::fromStdString(exchange::itemLineJson(*item)),
            QString(R"({"Item":{"g":{"B":"AAE="},"name":{"S":"Smith, J"},"pk":{"N":"1"}}})"));
        // The GSI is built with the table.
        const TableState* t = m_engine->table("Imported");
        QCOMPARE(t->findIndex("byG")->itemCount(), std::int64_t(2));
    }

    void wrongDelimiterFailsEveryRow()
    {
        writeObject("bucket", "semi.csv", "pk;name\na;x\nb;y\n");
        auto r = call(*m_d, "ImportTable", importRequest("bucket", "", "CSV"), kStart);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(count(r, "ImportedItemCount"), std::int64_t(0));
        QCOMPARE(count(r, "ErrorCount"), std::int64_t(2));
        // With the file's delimiter, in another import, every row is imported.
        auto right = call(*m_d, "ImportTable",
            importRequest("bucket", "", "CSV", "NONE", J("{'TableName':'Semi','BillingMode':'PAY_PER_REQUEST',"
                                                          "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
                                                          "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}"),
                J(",'InputFormatOptions':{'Csv':{'Delimiter':';'}}")),
            kStart);
        QVERIFY2(!right.isError(), qPrintable(text(right)));
        QCOMPARE(count(right, "ImportedItemCount"), std::int64_t(2));
        QCOMPARE(count(right, "ErrorCount"), std::int64_t(0));
        QCOMPARE(description(right).at("InputFormatOptions").at("Csv").at("Delimiter").as_string(), ";");
    }

    void synchronousErrorsCreateNothing_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expectedMessage");
        QTest::addRow("existing table") << QString::fromStdString(importRequest("bucket", "", "CSV", "NONE",
            J("{'TableName':'Existing','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
              "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}")))
                                        << "ResourceInUseException" << "Table already exists: Existing";
        QTest::addRow("key schema") << QString::fromStdString(importRequest("bucket", "", "CSV", "NONE",
            J("{'TableName':'New','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
              "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}")))
                                    << "ValidationException"
                                    << "One or more parameter values were invalid: Some index key attributes are not "
                                       "defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]";
        QTest::addRow("no format") << QString::fromStdString(J("{'S3BucketSource':{'S3Bucket':'bucket'},"
                                                               "'TableCreationParameters':")
                                          + kParameters + "}")
                                   << "ValidationException"
                                   << "1 validation error detected: Value null at 'inputFormat' failed to satisfy "
                                      "constraint: Member must not be null";
        QTest::addRow("bad format") << QString::fromStdString(importRequest("bucket", "", "XML"))
                                    << "ValidationException"
                                    << "1 validation error detected: Value 'XML' at 'inputFormat' failed to satisfy "
                                       "constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]";
        QTest::addRow("bad delimiter")
            << QString::fromStdString(importRequest("bucket", "", "CSV", "NONE", kParameters,
                   J(",'InputFormatOptions':{'Csv':{'Delimiter':'ab'}}")))
            << "ValidationException"
            << "1 validation error detected: Value 'ab' at 'inputFormatOptions.csv.delimiter' failed to satisfy "
               "constraint: Member must satisfy regular expression pattern: [,;:|\\t ]";
        QTest::addRow("bad bucket") << QString::fromStdString(importRequest("../etc", "", "CSV"))
                                    << "ValidationException"
                                    << "1 validation error detected: Value '../etc' at 's3BucketSource.s3Bucket' failed "
                                       "to satisfy constraint: Member must satisfy regular expression pattern: "
                                       "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$";
    }

    void synchronousErrorsCreateNothing()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, expectedMessage);
        QVERIFY(!call(*m_d, "CreateTable",
            J("{'TableName':'Existing','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
              "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}"),
            kStart)
                     .isError());
        writeObject("bucket", "data.csv", "pk\nx\n");
        auto r = call(*m_d, "ImportTable", request.toStdString(), kStart);
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QCOMPARE(message(r), expectedMessage);
        auto tables = call(*m_d, "ListTables", "{}", kStart);
        QCOMPARE(text(tables), QString(R"({"TableNames":["Existing"]})"));
        QCOMPARE(text(call(*m_d, "ListImports", "{}", kStart)), QString(R"({"ImportSummaryList":[]})"));
        QCOMPARE(m_engine->table("Existing")->itemCount(), std::int64_t(0));
    }

    void missingBucketFailsWithoutATable()
    {
        auto r = call(*m_d, "ImportTable", importRequest("nobucket", "", "DYNAMODB_JSON"), kStart);
        QVERIFY2(!r.isError(), qPrintable(text(r)));
        QCOMPARE(str(description(r), "ImportStatus"), QString("IN_PROGRESS"));
        QVERIFY(!description(r).contains("TableId"));
        auto done = call(*m_d, "DescribeImport",
            "{\"ImportArn\":\"" + str(description(r), "ImportArn").toStdString() + "\"}", kStart + kSecond);
        QCOMPARE(str(description(done), "ImportStatus"), QString("FAILED"));
        QCOMPARE(str(description(done), "FailureCode"), QString("S3NoSuchBucket"));
        auto table = call(*m_d, "DescribeTable", J("{'TableName':'Imported'}"), kStart + kSecond);
        QCOMPARE(QString::fromStdString(table.errorType), QString("ResourceNotFoundException"));
        // The name is free: a later import with a bucket makes it.
        auto again = call(*m_d, "ImportTable", importRequest("bucket", "", "DYNAMODB_JSON"), kStart + kSecond);
        QVERIFY2(!again.isError(), qPrintable(text(again)));
        QCOMPARE(count(again, "ProcessedItemCount"), std::int64_t(0)); // no objects: COMPLETED, empty
        QVERIFY(m_engine->advanceTime(kStart + 101 * kSecond).isOk());
        auto empty = call(*m_d, "DescribeImport",
            "{\"ImportArn\":\"" + str(description(again), "ImportArn").toStdString() + "\"}", kStart + 101 * kSecond);
        QCOMPARE(str(description(empty), "ImportStatus"), QString("COMPLETED"));
    }

    void clientTokenAndListing()
    {
        writeObject("bucket", "x.json", jsonLines({ "{'Item':{'pk':{'S':'1'}}}" }));
        const std::string token = J(",'ClientToken':'tok-1'");
        auto first = call(*m_d, "ImportTable", importRequest("bucket", "", "DYNAMODB_JSON", "NONE", kParameters, token), kStart);
        QVERIFY2(!first.isError(), qPrintable(text(first)));
        auto same = call(*m_d, "ImportTable", importRequest("bucket", "", "DYNAMODB_JSON", "NONE", kParameters, token),
            kStart + kSecond);
        QVERIFY2(!same.isError(), qPrintable(text(same)));
        QCOMPARE(str(description(same), "ImportArn"), str(description(first), "ImportArn"));
        QCOMPARE(str(description(same), "ClientToken"), QString("tok-1"));
        auto other = call(*m_d, "ImportTable", importRequest("bucket", "x", "DYNAMODB_JSON", "NONE", kParameters, token),
            kStart + kSecond);
        QCOMPARE(QString::fromStdString(other.errorType), QString("ImportConflictException"));
        // Three more imports into other tables, then pages of two.
        for (const char* name : { "Tb2", "Tb3", "Tb4" }) {
            std::string parameters = kParameters;
            parameters.replace(parameters.find("Imported"), 8, name);
            auto r = call(*m_d, "ImportTable", importRequest("bucket", "", "DYNAMODB_JSON", "NONE", parameters), kStart);
            QVERIFY2(!r.isError(), qPrintable(text(r)));
        }
        auto page = call(*m_d, "ListImports", J("{'PageSize':2}"), kStart + 2 * kSecond);
        const auto& list = page.body.as_object().at("ImportSummaryList").as_array();
        QCOMPARE(static_cast<int>(list.size()), 2);
        QCOMPARE(str(list[0].as_object(), "ImportArn"), str(description(first), "ImportArn"));
        QCOMPARE(str(list[0].as_object(), "ImportStatus"), QString("IN_PROGRESS"));
        const std::string next = std::string(page.body.as_object().at("NextToken").as_string());
        auto rest = call(*m_d, "ListImports", J("{'PageSize':2,'NextToken':'") + next + "\"}", kStart + 2 * kSecond);
        QCOMPARE(static_cast<int>(rest.body.as_object().at("ImportSummaryList").as_array().size()), 2);
        QVERIFY(!rest.body.as_object().contains("NextToken"));
        auto filtered = call(*m_d, "ListImports",
            J("{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tb3'}"), kStart + 2 * kSecond);
        const auto& only = filtered.body.as_object().at("ImportSummaryList").as_array();
        QCOMPARE(static_cast<int>(only.size()), 1);
        QCOMPARE(str(only[0].as_object(), "TableArn"), QString("arn:aws:dynamodb:us-east-1:000000000000:table/Tb3"));
        QCOMPARE(QString::fromStdString(call(*m_d, "ListImports", J("{'PageSize':26}"), kStart).errorType),
            QString("ValidationException"));
        auto unknown = call(*m_d, "DescribeImport",
            J("{'ImportArn':'arn:aws:dynamodb:us-east-1:000000000000:table/X/import/01-00000009'}"), kStart);
        QCOMPARE(QString::fromStdString(unknown.errorType), QString("ImportNotFoundException"));
    }

    void durationFollowsTheBytes()
    {
        // max(model.importMinSeconds, bytes / model.importRate), reference A9.
        QCOMPARE(exchangeDuration(0, kImportMinDuration, kImportBytesPerSecond), 100 * kSecond);
        QCOMPARE(exchangeDuration(32LL * 1024 * 1024 * 1000, kImportMinDuration, kImportBytesPerSecond), 1000 * kSecond);
        QCOMPARE(exchangeDuration(32LL * 1024 * 1024 * 1000 + 1, kImportMinDuration, kImportBytesPerSecond),
            1000 * kSecond + 1);
        QCOMPARE(exchangeDuration(5LL << 50, 0, kImportBytesPerSecond), (5LL << 25) * kSecond); // 5 PiB, no overflow
    }

    void s3FolderRefusesKeysOutsideTheBucket()
    {
        S3Folder s3(s3Root().toStdString());
        QVERIFY(!s3.writeObject("bucket", "../escape", "x").isOk());
        QVERIFY(!s3.writeObject("bucket", "/abs", "x").isOk());
        QVERIFY(!s3.writeObject("bucket", "a/./b", "x").isOk());
        QVERIFY(s3.writeObject("bucket", "a/b/c.json", "x").isOk());
        QCOMPARE(static_cast<int>(s3.listObjects("bucket", "a/").value().size()), 1);
        QVERIFY(!QFile::exists(s3Root() + "/escape"));
    }
};

QTEST_GUILESS_MAIN(TestExportImport)
#include "tst_export_import.moc"
