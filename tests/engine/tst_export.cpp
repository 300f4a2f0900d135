// Export to S3 (reference A9, C 10.1) through the Dispatcher: an export read back by ImportTable
// reproduces every item byte for byte (DYNAMODB_JSON and ION), the IN_PROGRESS time and
// BilledSizeBytes, `_started` at the request and the rest at completion, incremental lines
// against a hand-built expectation, A9's errors in order with nothing stored, ClientToken
// idempotency, a missing bucket, never overwriting, DescribeExport and ListExports.

#include "engine/dispatcher.h"
#include "engine/exchange/compression.h"
#include "engine/exchange/digests.h"
#include "engine/export_import.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "engine/s3_folder.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kStart = 1796378400 * kSecond; // 2026-12-04T10:00:00Z
const std::string kTabArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab";

// Every type DynamoDB stores, deep nesting, 38-digit numbers, empty strings and binaries
// outside keys, escapes (reference A9's exactness list).
const char* kItems[] = {
    "{'pk':{'S':'a'},'n':{'N':'12345678901234567890123456789012345678'},'small':{'N':'-0.000000000000000000000000000000000000001'},'big':{'N':'9.9999999999999999999999999999999999999E+125'}}",
    "{'pk':{'S':'b'},'bin':{'B':'AAEC/w=='},'empty':{'S':''},'emptyBin':{'B':''},'t':{'BOOL':true},'f':{'BOOL':false},'z':{'NULL':true}}",
    "{'pk':{'S':'c'},'ss':{'SS':['x','y','']},'ns':{'NS':['1','2.5','-3e10','600']},'bs':{'BS':['AQ==','Ag==']}}",
    "{'pk':{'S':'d'},'deep':{'M':{'l':{'L':[{'M':{'m':{'M':{'x':{'L':[{'N':'1'},{'S':''},{'B':'AA=='},{'L':[]},{'M':{}}]}}}}},{'SS':['q']}]}}}}",
    "{'pk':{'S':'e \\u00e9\\u4e2d\\n'},'u':{'S':'\\u0001\\t\\\"\\\\\\u007f'},'odd name':{'S':'v'},'null':{'N':'0'},'$1':{'N':'-0.5'}}",
    "{'pk':{'S':'f'},'n0':{'N':'0.00100'},'n1':{'N':'100'},'n2':{'N':'-1E-130'}}",
};

const char* kCreateTab = "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                         "[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}";

std::string exportRequest(const std::string& extra, const std::string& table = kTabArn)
{
    return J("{'TableArn':'") + table + J("','S3Bucket':'bk'") + J(extra) + "}";
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse at(EngineTime now, const std::string& operation, const std::string& request)
    {
        return call(*m_d, operation, J(request), now);
    }

    WireResponse ok(EngineTime now, const std::string& operation, const std::string& request)
    {
        auto r = at(now, operation, request);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    static const boost::json::object& description(const WireResponse& r)
    {
        return r.body.as_object().at("ExportDescription").as_object();
    }

    static QString field(const WireResponse& r, const char* name)
    {
        const auto* v = description(r).if_contains(name);
        if (!v)
            return {};
        if (v->is_string())
            return QString::fromStdString(std::string(v->get_string()));
        return QString::fromStdString(toJsonText(*v));
    }

    static QString errorType(const WireResponse& r)
    {
        const QString type = QString::fromStdString(std::string(r.body.as_object().at("__type").as_string()));
        return type.mid(type.indexOf('#') + 1);
    }

    S3Folder s3() const { return S3Folder(m_dir->path().toStdString()); }

    std::vector<std::string> objects(const std::string& prefix = "") const
    {
        return s3().listObjects("bk", prefix).value();
    }

    // Every item of `table` by Scan, each as its JSON text (attributes in name order), in key order.
    std::vector<std::string> scanTexts(const std::string& table, EngineTime now)
    {
        auto r = ok(now, "Scan", "{'TableName':'" + table + "'}");
        std::vector<std::string> out;
        for (const auto& item : r.body.as_object().at("Items").as_array())
            out.push_back(toJsonText(itemToJson(itemFromJson(item, "Item").value())));
        std::sort(out.begin(), out.end());
        return out;
    }

    // A table "Tab" with PITR from kStart and kItems written at kStart + 1 s.
    void makeTable()
    {
        QVERIFY(!ok(kStart, "CreateTable", kCreateTab).isError());
        QVERIFY(!ok(kStart, "UpdateContinuousBackups",
            "{'TableName':'Tab','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
                     .isError());
        for (const char* item : kItems)
            QVERIFY(!ok(kStart + kSecond, "PutItem", std::string("{'TableName':'Tab','Item':") + item + "}").isError());
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(m_dir->path() + "/bk"));
        m_engine = std::move(Engine::open(":memory:")).value();
        m_engine->setS3Root(m_dir->path().toStdString());
        m_d = std::make_unique<Dispatcher>(*m_engine);
    }

    // (a) export → ImportTable of its data files gives back every item, byte for byte.
    void exportThenImportReproducesEveryItem_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addRow("DYNAMODB_JSON") << "DYNAMODB_JSON";
        QTest::addRow("ION") << "ION";
    }

    void exportThenImportReproducesEveryItem()
    {
        QFETCH(QString, format);
        makeTable();
        const EngineTime requested = kStart + 100 * kSecond;
        auto exported = ok(requested, "ExportTableToPointInTime",
            exportRequest(",'S3Prefix':'exp/','ExportFormat':'" + format.toStdString() + "'"));
        QVERIFY(!exported.isError());
        const std::string id = "01796378500000-00000001";
        QCOMPARE(field(exported, "ExportArn"), QString::fromStdString(kTabArn + "/export/" + id));
        // Items changed after the export time are not in it.
        QVERIFY(!ok(requested + kSecond, "PutItem", "{'TableName':'Tab','Item':{'pk':{'S':'later'}}}").isError());
        QVERIFY(!ok(requested + kSecond, "DeleteItem", "{'TableName':'Tab','Key':{'pk':{'S':'a'}}}").isError());
        std::vector<std::string> expected;
        for (const char* item : kItems)
            expected.push_back(toJsonText(itemToJson(itemFromJson(test::parse(J(item)), "Item").value())));
        std::sort(expected.begin(), expected.end());

        // 150 s later (model.exportMinSeconds: a few hundred bytes take 150 s at 32 MiB/s).
        QCOMPARE(field(ok(requested + 150 * kSecond, "DescribeExport", "{'ExportArn':'" + kTabArn + "/export/" + id + "'}"),
                     "ExportStatus"),
            "COMPLETED");
        auto imported = ok(requested + 150 * kSecond, "ImportTable",
            "{'S3BucketSource':{'S3Bucket':'bk','S3KeyPrefix':'exp/AWSDynamoDB/" + id + "/data/'},'InputFormat':'"
                + format.toStdString()
                + "','InputCompressionType':'GZIP','TableCreationParameters':{'TableName':'Back','BillingMode':"
                  "'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
                  "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}}");
        QVERIFY(!imported.isError());
        const auto& importDescription = imported.body.as_object().at("ImportTableDescription").as_object();
        QCOMPARE(importDescription.at("ErrorCount").to_number<std::int64_t>(), 0);
        QCOMPARE(importDescription.at("ImportedItemCount").to_number<std::int64_t>(), std::int64_t(std::size(kItems)));
        QCOMPARE(scanTexts("Back", requested + 400 * kSecond), expected);
    }

    // IN_PROGRESS for max(150 s, bytes / 32 MiB/s); `_started` at the request, the rest at
    // completion; BilledSizeBytes = the table's billable bytes.
    void timingFilesAndBilledSize()
    {
        QVERIFY(!ok(kStart, "CreateTable", kCreateTab).isError());
        QVERIFY(!ok(kStart, "UpdateContinuousBackups",
            "{'TableName':'Tab','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
                     .isError());
        QVERIFY(!ok(kStart + kSecond, "PutItem", "{'TableName':'Tab','Item':{'pk':{'S':'a'}}}").isError());
        QVERIFY(!ok(kStart + kSecond, "PutItem", "{'TableName':'Tab','Item':{'pk':{'S':'bb'}}}").isError());
        const EngineTime requested = kStart + 60 * kSecond;
        auto r = ok(requested, "ExportTableToPointInTime", exportRequest(""));
        QCOMPARE(field(r, "ExportStatus"), "IN_PROGRESS");
        // A1: "pk" (2) + "a" (1) + 100 = 103; "pk" (2) + "bb" (2) + 100 = 104; 207 in all.
        QCOMPARE(field(r, "BilledSizeBytes"), "207");
        QCOMPARE(field(r, "ExportType"), "FULL_EXPORT");
        QCOMPARE(field(r, "ExportFormat"), "DYNAMODB_JSON");
        QVERIFY(!description(r).contains("ItemCount"));
        QVERIFY(!description(r).contains("ExportManifest"));
        const std::string folder = "AWSDynamoDB/01796378460000-00000001/";
        QCOMPARE(objects(), std::vector<std::string> { folder + "_started" });
        QCOMPARE(s3().readObject("bk", folder + "_started").value(), std::string());
        const std::string arn = field(r, "ExportArn").toStdString();
        auto before = ok(requested + 149 * kSecond, "DescribeExport", "{'ExportArn':'" + arn + "'}");
        QCOMPARE(field(before, "ExportStatus"), "IN_PROGRESS");
        QCOMPARE(objects().size(), std::size_t(1));
        auto after = ok(requested + 150 * kSecond, "DescribeExport", "{'ExportArn':'" + arn + "'}");
        QCOMPARE(field(after, "ExportStatus"), "COMPLETED");
        QCOMPARE(field(after, "ItemCount"), "2");
        QCOMPARE(description(after).at("EndTime").to_number<double>(), 1796378610.0); // 10:01:00 + 150 s
        QCOMPARE(field(after, "ExportManifest"), QString::fromStdString(folder + "manifest-summary.json"));
        // One data file per partition (a new on-demand table has 4), the manifests and checksums.
        const auto keys = objects();
        const auto data = std::count_if(keys.begin(), keys.end(), [&](const std::string& k) {
            return k.starts_with(folder + "data/") && k.ends_with(".json.gz");
        });
        QCOMPARE(std::size_t(data), m_engine->table("Tab")->partitions.size());
        for (const char* name : { "manifest-summary.json", "manifest-summary.checksum", "manifest-files.json",
                 "manifest-files.checksum" })
            QVERIFY2(std::count(keys.begin(), keys.end(), folder + name) == 1, name);
        const std::string summary = s3().readObject("bk", folder + "manifest-summary.json").value();
        QCOMPARE(s3().readObject("bk", folder + "manifest-summary.checksum").value(), exchange::md5Hex(summary));
        QVERIFY(summary.find("\"billedSizeBytes\":207,\"itemCount\":2,\"outputFormat\":\"DYNAMODB_JSON\"}")
            != std::string::npos);
        QVERIFY(summary.find("\"exportTime\":\"2026-12-04T10:01:00.000Z\"") != std::string::npos);
        // The rate rule: 10 GiB at 32 MiB/s is 10240 / 32 = 320 s; 1 GiB is 32 s < 150 s.
        QCOMPARE(exchangeDuration(10LL << 30, kExportMinDuration, kExportBytesPerSecond), 320 * kSecond);
        QCOMPARE(exchangeDuration(1LL << 30, kExportMinDuration, kExportBytesPerSecond), 150 * kSecond);
    }

    // (c) incremental lines against a hand-built expectation: ExportFromTime inclusive,
    // ExportToTime exclusive, one final state per item, WriteTimestampMicros its last write.
    void incrementalLines_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addRow("NEW_AND_OLD_IMAGES") << "NEW_AND_OLD_IMAGES";
        QTest::addRow("NEW_IMAGE") << "NEW_IMAGE";
    }

    void incrementalLines()
    {
        QFETCH(QString, view);
        QVERIFY(!ok(kStart, "CreateTable", kCreateTab).isError());
        QVERIFY(!ok(kStart, "UpdateContinuousBackups",
            "{'TableName':'Tab','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
                     .isError());
        auto put = [&](EngineTime t, const std::string& pk, const std::string& v) {
            QVERIFY(!ok(t, "PutItem", "{'TableName':'Tab','Item':{'pk':{'S':'" + pk + "'},'v':{'N':'" + v + "'}}}").isError());
        };
        auto del = [&](EngineTime t, const std::string& pk) {
            QVERIFY(!ok(t, "DeleteItem", "{'TableName':'Tab','Key':{'pk':{'S':'" + pk + "'}}}").isError());
        };
        const EngineTime from = kStart + 60 * kSecond; // 10:01:00
        const EngineTime to = from + 20 * 60 * kSecond; // 10:21:00
        put(kStart + 10 * kSecond, "a", "1");
        put(kStart + 10 * kSecond, "b", "1");
        put(kStart + 10 * kSecond, "c", "1");
        put(from, "g", "1"); // at ExportFromTime: in the window (new)
        put(from + 10 * kSecond, "a", "2");
        del(from + 20 * kSecond, "b"); // deleted
        put(from + 30 * kSecond, "d", "1"); // new
        put(from + 40 * kSecond, "e", "1");
        del(from + 50 * kSecond, "e"); // inserted and deleted: no line
        put(from + 60 * kSecond, "c", "1"); // back to the same state: no line
        put(from + 70 * kSecond, "a", "3"); // last write of a
        put(to, "f", "1"); // at ExportToTime: outside (exclusive)
        auto r = ok(to + 60 * kSecond, "ExportTableToPointInTime",
            exportRequest(",'S3Prefix':'inc','ExportType':'INCREMENTAL_EXPORT','IncrementalExportSpecification':{"
                          "'ExportFromTime':"
                + std::to_string(from / kSecond) + ",'ExportToTime':" + std::to_string(to / kSecond)
                + ",'ExportViewType':'" + view.toStdString() + "'}"));
        QVERIFY(!r.isError());
        // The lines' images are a few bytes: the 10 MiB minimum (10 x 1,048,576).
        QCOMPARE(field(r, "BilledSizeBytes"), "10485760");
        QCOMPARE(field(r, "ExportType"), "INCREMENTAL_EXPORT");
        ok(to + 210 * kSecond, "ListTables", "{}");
        const auto arn = field(r, "ExportArn").toStdString();
        auto done = ok(to + 210 * kSecond, "DescribeExport", "{'ExportArn':'" + arn + "'}");
        QCOMPARE(field(done, "ExportStatus"), "COMPLETED");
        QCOMPARE(field(done, "ItemCount"), "4");
        const bool old = view == "NEW_AND_OLD_IMAGES";
        auto micros = [](EngineTime t) { return std::to_string(t); };
        std::set<std::string> expected {
            J("{'Metadata':{'WriteTimestampMicros':{'N':'") + micros(from + 70 * kSecond)
                + J("'}},'Keys':{'pk':{'S':'a'}},'NewImage':{'pk':{'S':'a'},'v':{'N':'3'}}")
                + (old ? J(",'OldImage':{'pk':{'S':'a'},'v':{'N':'1'}}") : "") + "}",
            J("{'Metadata':{'WriteTimestampMicros':{'N':'") + micros(from + 20 * kSecond) + J("'}},'Keys':{'pk':{'S':'b'}}")
                + (old ? J(",'OldImage':{'pk':{'S':'b'},'v':{'N':'1'}}") : "") + "}",
            J("{'Metadata':{'WriteTimestampMicros':{'N':'") + micros(from + 30 * kSecond)
                + J("'}},'Keys':{'pk':{'S':'d'}},'NewImage':{'pk':{'S':'d'},'v':{'N':'1'}}}"),
            J("{'Metadata':{'WriteTimestampMicros':{'N':'") + micros(from)
                + J("'}},'Keys':{'pk':{'S':'g'}},'NewImage':{'pk':{'S':'g'},'v':{'N':'1'}}}"),
        };
        // The data files are in the shared inc/AWSDynamoDB/data/ folder.
        std::set<std::string> lines;
        int files = 0;
        for (const auto& key : objects("inc/AWSDynamoDB/data/")) {
            ++files;
            const std::string content = exchange::gzipDecompress(s3().readObject("bk", key).value()).value();
            std::size_t start = 0;
            for (std::size_t nl; (nl = content.find('\n', start)) != std::string::npos; start = nl + 1)
                lines.insert(content.substr(start, nl - start));
        }
        QCOMPARE(std::size_t(files), m_engine->table("Tab")->partitions.size());
        QCOMPARE(lines, expected);
        const std::string summary
            = s3().readObject("bk", "inc/AWSDynamoDB/" + arn.substr(arn.rfind('/') + 1) + "/manifest-summary.json").value();
        QVERIFY(summary.find(J(",'exportType':'INCREMENTAL_EXPORT','exportFromTime':'2026-12-04T10:01:00.000Z',"
                               "'exportToTime':'2026-12-04T10:21:00.000Z','outputView':'")
                    + view.toStdString() + J("'}"))
            != std::string::npos);
    }

    // (d) A9's checks in order, DynamoDB's error types; nothing stored, no file written.
    void badInputChangesNothing_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<qint64>("nowSeconds"); // after kStart
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("bare table name") << Q2(exportRequest("", "Tab")) << qint64(3600) << "ValidationException"
                                         << "tableArn";
        QTest::addRow("bad bucket name") << Q2(J("{'TableArn':'") + kTabArn + J("','S3Bucket':'-x'}")) << qint64(3600)
                                         << "ValidationException" << "s3Bucket";
        QTest::addRow("no bucket") << Q2(J("{'TableArn':'") + kTabArn + J("'}")) << qint64(3600) << "ValidationException"
                                   << "s3Bucket";
        QTest::addRow("unknown table") << Q2(exportRequest("", "arn:aws:dynamodb:us-east-1:000000000000:table/Nope"))
                                       << qint64(3600) << "TableNotFoundException" << "Nope";
        QTest::addRow("PITR off") << Q2(exportRequest("", "arn:aws:dynamodb:us-east-1:000000000000:table/Plain"))
                                  << qint64(3600) << "PointInTimeRecoveryUnavailableException" << "Plain";
        // PITR enabled at kStart: earliest 10:00:00.000.
        QTest::addRow("time before the window")
            << Q2(exportRequest(",'ExportTime':" + std::to_string(kStart / kSecond - 1))) << qint64(3600)
            << "InvalidExportTimeException" << "2026-12-04T10:00:00.000Z and 2026-12-04T11:00:00.000Z";
        QTest::addRow("time after now") << Q2(exportRequest(",'ExportTime':" + std::to_string(kStart / kSecond + 3601)))
                                        << qint64(3600) << "InvalidExportTimeException" << "ExportTime";
        auto incremental = [](EngineTime fromOffset, EngineTime toOffset) {
            return Q2(exportRequest(",'ExportType':'INCREMENTAL_EXPORT','IncrementalExportSpecification':{'ExportFromTime':"
                + std::to_string(kStart / kSecond + fromOffset) + ",'ExportToTime':" + std::to_string(kStart / kSecond + toOffset)
                + "}"));
        };
        QTest::addRow("incremental from before the window")
            << incremental(-60, 1800) << qint64(3600) << "InvalidExportTimeException" << "ExportFromTime";
        // The time check comes before the window check: both wrong, the time wins.
        QTest::addRow("incremental to after now, window too short")
            << incremental(3500, 3700) << qint64(3600) << "InvalidExportTimeException" << "ExportToTime";
        QTest::addRow("incremental window 14 min 59 s")
            << incremental(0, 899) << qint64(3600) << "ValidationException" << "15 minutes and 24 hours";
        QTest::addRow("incremental window 24 h 1 s")
            << incremental(0, 86401) << qint64(90000) << "ValidationException" << "15 minutes and 24 hours";
        QTest::addRow("incremental without ExportFromTime")
            << Q2(exportRequest(",'ExportType':'INCREMENTAL_EXPORT'")) << qint64(3600) << "ValidationException"
            << "ExportFromTime";
        QTest::addRow("unknown format") << Q2(exportRequest(",'ExportFormat':'CSV'")) << qint64(3600)
                                        << "ValidationException" << "CSV";
    }

    void badInputChangesNothing()
    {
        QFETCH(QString, request);
        QFETCH(qint64, nowSeconds);
        QFETCH(QString, type);
        QFETCH(QString, messagePart);
        makeTable();
        QVERIFY(!ok(kStart, "CreateTable",
            "{'TableName':'Plain','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}")
                     .isError());
        const EngineTime now = kStart + nowSeconds * kSecond;
        const auto before = scanTexts("Tab", now);
        auto r = call(*m_d, "ExportTableToPointInTime", request.toStdString(), now);
        QVERIFY(r.isError());
        QCOMPARE(errorType(r), type);
        QVERIFY2(message(r).contains(messagePart), qPrintable(message(r)));
        QCOMPARE(ok(now, "ListExports", "{}").body.as_object().at("ExportSummaries").as_array().size(), std::size_t(0));
        QVERIFY(objects().empty());
        QCOMPARE(scanTexts("Tab", now), before);
        // The counter was not used: the next export is 00000001.
        auto next = ok(now + 2 * kSecond, "ExportTableToPointInTime", exportRequest(""));
        QVERIFY(field(next, "ExportArn").endsWith("-00000001"));
    }

    // A reused ClientToken: same parameters, the same export; others, ExportConflictException.
    void clientToken()
    {
        makeTable();
        const EngineTime now = kStart + 60 * kSecond;
        auto first = ok(now, "ExportTableToPointInTime", exportRequest(",'ClientToken':'tok','S3Prefix':'p'"));
        auto again = ok(now + 5 * kSecond, "ExportTableToPointInTime", exportRequest(",'ClientToken':'tok','S3Prefix':'p'"));
        QCOMPARE(field(again, "ExportArn"), field(first, "ExportArn"));
        QCOMPARE(field(again, "ClientToken"), "tok");
        auto conflict = at(now + 6 * kSecond, "ExportTableToPointInTime", exportRequest(",'ClientToken':'tok','S3Prefix':'q'"));
        QCOMPARE(errorType(conflict), "ExportConflictException");
        QCOMPARE(message(conflict), "Export conflict: Duplicate request detected with conflicting parameters");
        QCOMPARE(ok(now + 7 * kSecond, "ListExports", "{}").body.as_object().at("ExportSummaries").as_array().size(),
            std::size_t(1));
        QVERIFY(objects("q").empty());
    }

    // A missing bucket: accepted, FAILED S3NoSuchBucket at completion, no file anywhere.
    void missingBucket()
    {
        makeTable();
        const EngineTime now = kStart + 60 * kSecond;
        auto r = ok(now, "ExportTableToPointInTime",
            J("{'TableArn':'") + kTabArn + J("','S3Bucket':'nobucket','S3Prefix':'x/'}"));
        QVERIFY(!r.isError());
        QCOMPARE(field(r, "ExportStatus"), "IN_PROGRESS");
        auto done = ok(now + 150 * kSecond, "DescribeExport", "{'ExportArn':'" + field(r, "ExportArn").toStdString() + "'}");
        QCOMPARE(field(done, "ExportStatus"), "FAILED");
        QCOMPARE(field(done, "FailureCode"), "S3NoSuchBucket");
        QVERIFY(!description(done).contains("ItemCount"));
        QVERIFY(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot) == QStringList { "bk" });
        QVERIFY(objects().empty());
    }

    // An object already where the export would write: never overwritten, the export FAILED.
    void neverOverwrites()
    {
        makeTable();
        const EngineTime now = kStart + 60 * kSecond;
        const std::string started = "AWSDynamoDB/01796378460000-00000001/_started";
        QVERIFY(s3().writeObject("bk", started, "mine"));
        auto r = ok(now, "ExportTableToPointInTime", exportRequest(""));
        QVERIFY(!r.isError());
        auto done = ok(now + 150 * kSecond, "DescribeExport", "{'ExportArn':'" + field(r, "ExportArn").toStdString() + "'}");
        QCOMPARE(field(done, "ExportStatus"), "FAILED");
        QCOMPARE(field(done, "FailureCode"), "S3ObjectExists");
        QCOMPARE(objects(), std::vector<std::string> { started });
        QCOMPARE(s3().readObject("bk", started).value(), std::string("mine"));
    }

    // ListExports: TableArn filter, MaxResults, NextToken, reverse order of ExportArn.
    void listExports()
    {
        makeTable();
        QVERIFY(!ok(kStart, "CreateTable",
            "{'TableName':'Other','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}")
                     .isError());
        QVERIFY(!ok(kStart, "UpdateContinuousBackups",
            "{'TableName':'Other','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
                     .isError());
        for (int i = 0; i < 3; ++i)
            QVERIFY(!ok(kStart + (60 + i) * kSecond, "ExportTableToPointInTime", exportRequest("")).isError());
        QVERIFY(!ok(kStart + 63 * kSecond, "ExportTableToPointInTime",
            exportRequest("", "arn:aws:dynamodb:us-east-1:000000000000:table/Other"))
                     .isError());
        auto page = ok(kStart + 64 * kSecond, "ListExports", "{'TableArn':'" + kTabArn + "','MaxResults':2}");
        const auto& list = page.body.as_object().at("ExportSummaries").as_array();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(std::string(list[0].at("ExportArn").as_string()), kTabArn + "/export/01796378462000-00000003");
        QCOMPARE(std::string(list[1].at("ExportArn").as_string()), kTabArn + "/export/01796378461000-00000002");
        QCOMPARE(std::string(list[0].at("ExportStatus").as_string()), std::string("IN_PROGRESS"));
        QCOMPARE(std::string(list[0].at("ExportType").as_string()), std::string("FULL_EXPORT"));
        const std::string token(page.body.as_object().at("NextToken").as_string());
        auto rest = ok(kStart + 64 * kSecond, "ListExports",
            "{'TableArn':'" + kTabArn + "','MaxResults':2,'NextToken':'" + token + "'}");
        const auto& last = rest.body.as_object().at("ExportSummaries").as_array();
        QCOMPARE(last.size(), std::size_t(1));
        QCOMPARE(std::string(last[0].at("ExportArn").as_string()), kTabArn + "/export/01796378460000-00000001");
        QVERIFY(!rest.body.as_object().contains("NextToken"));
        QCOMPARE(ok(kStart + 64 * kSecond, "ListExports", "{}").body.as_object().at("ExportSummaries").as_array().size(),
            std::size_t(4));
        QCOMPARE(errorType(at(kStart + 64 * kSecond, "ListExports", "{'MaxResults':26}")), "ValidationException");
        QCOMPARE(errorType(at(kStart + 64 * kSecond, "DescribeExport", "{'ExportArn':'" + kTabArn + "/export/x'}")),
            "ExportNotFoundException");
    }

private:
    static QString Q2(const std::string& s) { return QString::fromStdString(s); }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
