// Import from S3 through `capsim call` (reference A9, cli.md `call --s3-root`): ImportTable
// reads a gzip object from the folder beside the database that stands for S3, the table is
// CREATING for 100 s on the clock --now gives, then ACTIVE with the items; DescribeImport and
// ListImports in later processes.

#include "engine/exchange/compression.h"
#include "tests/support/cli_process.h"
#include "tests/support/wire.h"

#include <QtTest>

using capsim::test::J;
using capsim::test::runCapsim;
using Run = capsim::test::CliRun;

class TestCliExchange : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    Run callAt(const QString& db, const QString& now, const char* operation, const std::string& request)
    {
        return runCapsim({ "call", "--db", db, "--compact", "--now", now, operation, "-" }, QByteArray::fromStdString(J(request)));
    }

private slots:
    void importThroughTheS3Folder()
    {
        const QString db = m_dir.path() + "/ex.sqlite";
        // The default S3 root is PATH.s3 beside the database; bucket "bk", prefix "in/".
        QVERIFY(QDir().mkpath(db + ".s3/bk/in"));
        QFile object(db + ".s3/bk/in/data.json.gz");
        QVERIFY(object.open(QIODevice::WriteOnly));
        const std::string lines = J("{'Item':{'id':{'S':'1'},'n':{'N':'10'}}}\n{'Item':{'id':{'S':'2'},'b':{'B':'AAE='}}}\n");
        const std::string gz = capsim::exchange::gzipCompress(lines);
        object.write(gz.data(), static_cast<qint64>(gz.size()));
        object.close();
        auto imported = callAt(db, "1796378400", "ImportTable",
            "{'S3BucketSource':{'S3Bucket':'bk','S3KeyPrefix':'in/'},'InputFormat':'DYNAMODB_JSON',"
            "'InputCompressionType':'GZIP','TableCreationParameters':{'TableName':'Imp','BillingMode':'PAY_PER_REQUEST',"
            "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
            "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}}");
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains(R"("ImportStatus":"IN_PROGRESS")"), qPrintable(imported.out));
        QVERIFY(imported.out.contains(R"("ImportArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Imp/import/01796378400000-00000001")"));
        QVERIFY(imported.out.contains(R"("ProcessedSizeBytes":)" + QString::number(lines.size())));
        QVERIFY(callAt(db, "1796378499", "DescribeTable", "{'TableName':'Imp'}").out.contains(R"("TableStatus":"CREATING")"));
        QCOMPARE(callAt(db, "1796378499", "Scan", "{'TableName':'Imp'}").exitCode, 1);
        // 100 s later (model.importMinSeconds), in another process: ACTIVE, COMPLETED.
        auto scan = callAt(db, "1796378500", "Scan", "{'TableName':'Imp'}");
        QCOMPARE(scan.exitCode, 0);
        QVERIFY2(scan.out.contains(R"("Count":2)"), qPrintable(scan.out));
        auto described = callAt(db, "1796378500", "DescribeImport",
            "{'ImportArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Imp/import/01796378400000-00000001'}");
        QCOMPARE(described.exitCode, 0);
        QVERIFY(described.out.contains(R"("ImportStatus":"COMPLETED")"));
        QVERIFY(described.out.contains(R"("ImportedItemCount":2)"));
        QVERIFY(described.out.contains(R"("EndTime":1796378500)"));
        auto listed = callAt(db, "1796378500", "ListImports", "{}");
        QVERIFY(listed.out.startsWith(R"({"ImportSummaryList":[{"ImportArn":)"));
    }

    void exportThroughTheS3Folder()
    {
        const QString db = m_dir.path() + "/exp.sqlite";
        QVERIFY(QDir().mkpath(db + ".s3/bk"));
        QCOMPARE(callAt(db, "1796378400", "CreateTable",
                     "{'TableName':'Exp','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id',"
                     "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}")
                     .exitCode,
            0);
        QCOMPARE(callAt(db, "1796378400", "UpdateContinuousBackups",
                     "{'TableName':'Exp','PointInTimeRecoverySpecification':{'PointInTimeRecoveryEnabled':true}}")
                     .exitCode,
            0);
        QCOMPARE(callAt(db, "1796378401", "PutItem", "{'TableName':'Exp','Item':{'id':{'S':'1'},'n':{'N':'10'}}}").exitCode, 0);
        QCOMPARE(callAt(db, "1796378401", "PutItem", "{'TableName':'Exp','Item':{'id':{'S':'2'},'b':{'B':'AAE='}}}").exitCode, 0);
        // Not a table ARN: ValidationException, nothing written.
        auto bare = callAt(db, "1796378460", "ExportTableToPointInTime", "{'TableArn':'Exp','S3Bucket':'bk'}");
        QCOMPARE(bare.exitCode, 1);
        QVERIFY(bare.out.contains("ValidationException"));
        auto exported = callAt(db, "1796378460", "ExportTableToPointInTime",
            "{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Exp','S3Bucket':'bk','S3Prefix':'out'}");
        QCOMPARE(exported.exitCode, 0);
        QVERIFY2(exported.out.contains(R"("ExportStatus":"IN_PROGRESS")"), qPrintable(exported.out));
        const QString arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Exp/export/01796378460000-00000001";
        QVERIFY(exported.out.contains(QString::fromStdString(J("'ExportArn':'")) + arn + QString::fromStdString(J("'"))));
        const QString folder = db + ".s3/bk/out/AWSDynamoDB/01796378460000-00000001";
        QVERIFY(QFile::exists(folder + "/_started"));
        QVERIFY(!QFile::exists(folder + "/manifest-summary.json"));
        // 149 s later, in another process: still IN_PROGRESS; at 150 s (model.exportMinSeconds) COMPLETED.
        const std::string describe = "{'ExportArn':'" + arn.toStdString() + "'}";
        QVERIFY(callAt(db, "1796378609", "DescribeExport", describe).out.contains(R"("ExportStatus":"IN_PROGRESS")"));
        QVERIFY(!QFile::exists(folder + "/manifest-summary.json"));
        auto described = callAt(db, "1796378610", "DescribeExport", describe);
        QCOMPARE(described.exitCode, 0);
        QVERIFY2(described.out.contains(R"("ExportStatus":"COMPLETED")"), qPrintable(described.out));
        QVERIFY(described.out.contains(R"("ItemCount":2)"));
        QVERIFY(described.out.contains(R"("ExportManifest":"out/AWSDynamoDB/01796378460000-00000001/manifest-summary.json")"));
        for (const char* name : { "manifest-summary.json", "manifest-summary.checksum", "manifest-files.json",
                 "manifest-files.checksum" })
            QVERIFY2(QFile::exists(folder + "/" + name), name);
        QDir data(folder + "/data");
        QVERIFY(data.entryList(QDir::Files).size() >= 1);
        for (const auto& name : data.entryList(QDir::Files))
            QVERIFY(name.endsWith(".json.gz") && name.size() == 26 + 8);
        auto listed = callAt(db, "1796378610", "ListExports", "{'TableArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Exp'}");
        QVERIFY(listed.out.contains(QString::fromStdString(J("{'ExportSummaries':[{'ExportArn':'")) + arn
            + QString::fromStdString(J("','ExportStatus':'COMPLETED','ExportType':'FULL_EXPORT'}]}"))));
        // The export reads back with ImportTable in yet another process.
        auto imported = callAt(db, "1796378610", "ImportTable",
            "{'S3BucketSource':{'S3Bucket':'bk','S3KeyPrefix':'out/AWSDynamoDB/01796378460000-00000001/data/'},"
            "'InputFormat':'DYNAMODB_JSON','InputCompressionType':'GZIP','TableCreationParameters':{'TableName':'Back',"
            "'BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
            "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}}");
        QVERIFY2(imported.out.contains(R"("ImportedItemCount":2)"), qPrintable(imported.out));
    }

    void helpListsTheOperations()
    {
        auto help = runCapsim({ "call", "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("ImportTable"));
        QVERIFY(help.out.contains("DescribeImport ListImports"));
        QVERIFY(help.out.contains("ExportTableToPointInTime DescribeExport ListExports"));
        QVERIFY(help.out.contains("EnableKinesisStreamingDestination DisableKinesisStreamingDestination"));
        QVERIFY(help.out.contains("UpdateKinesisStreamingDestination DescribeKinesisStreamingDestination"));
    }
};

QTEST_GUILESS_MAIN(TestCliExchange)
#include "tst_cli_exchange.moc"
