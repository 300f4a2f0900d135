// Export files (reference A9, Part C 10.1): gzip and zstd, digests, the data file name, the folder
// layout and the manifests. Expected digests and compressed bytes were computed independently
// (python3 hashlib, base64, gzip; the zstd command-line tool) and are literals here.

#include "engine/exchange/compression.h"
#include "engine/exchange/digests.h"
#include "engine/exchange/export_manifest.h"

#include <QtTest>

using namespace capsim;
using namespace capsim::exchange;

namespace {

QByteArray hex(const std::string& bytes)
{
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())).toHex();
}

std::string fromHex(const char* text)
{
    const QByteArray raw = QByteArray::fromHex(text);
    return std::string(raw.constData(), static_cast<std::size_t>(raw.size()));
}

std::string manyLines()
{
    std::string text;
    for (int i = 0; i < 2000; ++i)
        text += "{\"Item\":{\"pk\":{\"S\":\"item" + std::to_string(i) + "\"},\"n\":{\"N\":\"" + std::to_string(i * 7)
            + "\"}}}\n";
    return text;
}

} // namespace

class TestExportFiles : public QObject {
    Q_OBJECT
private slots:
    // zlib level 6, mtime 0, no name, OS 255. python3's gzip.compress(data, 6, mtime=0) gives the
    // same bytes but OS 3; the expected values are those with the OS byte set to ff.
    void gzipExactBytes()
    {
        const std::string line = "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n";
        QCOMPARE(hex(gzipCompress(line)),
            QByteArray("1f8b08000000000000ffab56f22c49cd55b2aa562ac80691c14a564a894ab5b5b55c0088d721821a000000"));
        QCOMPARE(hex(gzipCompress("")),
            QByteArray("1f8b0800000000000"
                       "0ff03000000000000000000"));
        // A larger file: same length and MD5 as python3's output with the OS byte changed.
        const std::string big = gzipCompress(manyLines());
        QCOMPARE(big.size(), std::size_t(10817));
        QCOMPARE(hex(big.substr(0, 10)), QByteArray("1f8b08000000000000ff"));
        std::string asPython = big;
        asPython[9] = 3;
        QCOMPARE(QByteArray::fromStdString(md5Hex(asPython)), QByteArray("c720e92e9a0702f4ae25ba6c9de66b27"));
    }

    void gzipRoundTrip()
    {
        const std::string text = manyLines();
        auto back = gzipDecompress(gzipCompress(text));
        QVERIFY2(back.isOk(), back.status().message().c_str());
        QVERIFY(back.value() == text);
        // Two members make one file (RFC 1952).
        auto twoMembers = gzipDecompress(gzipCompress("ab") + gzipCompress("cd"));
        QVERIFY(twoMembers.isOk());
        QCOMPARE(QByteArray::fromStdString(twoMembers.value()), QByteArray("abcd"));
        auto empty = gzipDecompress(gzipCompress(""));
        QVERIFY(empty.isOk());
        QVERIFY(empty.value().empty());
    }

    void gzipErrors()
    {
        const std::string good = gzipCompress(manyLines());
        QVERIFY(!gzipDecompress("not gzip at all").isOk());
        QVERIFY(!gzipDecompress("").isOk());
        QVERIFY(!gzipDecompress(good.substr(0, good.size() / 2)).isOk());
        std::string corrupt = good;
        corrupt[corrupt.size() - 6] ^= 0x55; // the CRC
        const auto result = gzipDecompress(corrupt);
        QVERIFY(!result.isOk());
        QVERIFY2(
            result.status().message().starts_with("The object is not valid gzip"), result.status().message().c_str());
        QVERIFY(!gzipDecompress(good + "trailing").isOk());
    }

    void zstd()
    {
        // `printf 'hello zstd\n' | zstd -3 -c` (no content size) and `zstd -3 -c FILE` (with it).
        for (const char* frame : { "28b52ffd045859000068656c6c6f207a7374640a6c57f951",
                 "28b52ffd240b59000068656c6c6f207a7374640a6c57f951" }) {
            auto text = zstdDecompress(fromHex(frame));
            QVERIFY2(text.isOk(), text.status().message().c_str());
            QCOMPARE(QByteArray::fromStdString(text.value()), QByteArray("hello zstd\n"));
        }
        const std::string lines = manyLines();
        auto back = zstdDecompress(zstdCompress(lines) + zstdCompress("tail"));
        QVERIFY(back.isOk());
        QVERIFY(back.value() == lines + "tail");
        const std::string frame = zstdCompress(lines);
        QVERIFY(!zstdDecompress(frame.substr(0, frame.size() - 5)).isOk());
        QVERIFY(!zstdDecompress("garbage!").isOk());
        QVERIFY(!zstdDecompress("").isOk());
        auto none = decompress("as is", Compression::None);
        QVERIFY(none.isOk());
        QCOMPARE(QByteArray::fromStdString(none.value()), QByteArray("as is"));
    }

    void digests_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("md5");
        QTest::addColumn<QByteArray>("md5Base64");
        QTest::addColumn<QByteArray>("etag");
        QTest::addRow("empty") << QByteArray("") << QByteArray("d41d8cd98f00b204e9800998ecf8427e")
                               << QByteArray("1B2M2Y8AsgTpgAmY7PhCfg==")
                               << QByteArray("59adb24ef3cdbe0297f05b395827453f-1");
        QTest::addRow("hello") << QByteArray("hello") << QByteArray("5d41402abc4b2a76b9719d911017c592")
                               << QByteArray("XUFAKrxLKna5cZ2REBfFkg==")
                               << QByteArray("62109206880d38a4010a98e11243924a-1");
        QTest::addRow("fox") << QByteArray("The quick brown fox") << QByteArray("a2004f37730b9445670a738fa0fc9ee5")
                             << QByteArray("ogBPN3MLlEVnCnOPoPye5Q==")
                             << QByteArray("a7edb6d61a3f19a42b349506eedf239e-1");
    }

    void digests()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, md5);
        QFETCH(QByteArray, md5Base64);
        QFETCH(QByteArray, etag);
        const std::string bytes = data.toStdString();
        QCOMPARE(QByteArray::fromStdString(md5Hex(bytes)), md5);
        QCOMPARE(QByteArray::fromStdString(capsim::exchange::md5Base64(bytes)), md5Base64);
        QCOMPARE(QByteArray::fromStdString(s3SinglePartEtag(bytes)), etag);
    }

    void sha256AndBase32()
    {
        QCOMPARE(
            hex(sha256Digest("abc")), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // RFC 4648 section 10, lowercased and unpadded.
        const std::pair<const char*, const char*> vectors[] = { { "", "" }, { "f", "my" }, { "fo", "mzxq" },
            { "foo", "mzxw6" }, { "foob", "mzxw6yq" }, { "fooba", "mzxw6ytb" }, { "foobar", "mzxw6ytboi" } };
        for (const auto& [in, out] : vectors)
            QCOMPARE(QByteArray::fromStdString(base32LowerUnpadded(in)), QByteArray(out));
        std::string sixteen;
        for (int i = 0; i < 16; ++i)
            sixteen.push_back(static_cast<char>(i));
        QCOMPARE(QByteArray::fromStdString(base32LowerUnpadded(sixteen)), QByteArray("aaaqeayeaudaocajbifqydiob4"));
    }

    void dataFileName()
    {
        const std::string arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/export/01700000000000-0000abcd";
        QCOMPARE(QByteArray::fromStdString(exportDataFileName(arn, 0)), QByteArray("vpsklfgj5nvfj3tgm32lu6r7b4"));
        QCOMPARE(QByteArray::fromStdString(exportDataFileName(arn, 3)), QByteArray("cgxaxi7sap6tdpx67dqqxbl6hy"));
    }

    void layout()
    {
        QCOMPARE(QString::fromStdString(exportFolderKey("", "01700000000000-0000abcd")),
            QString("AWSDynamoDB/01700000000000-0000abcd"));
        QCOMPARE(QString::fromStdString(exportFolderKey("a/b/", "X")), QString("a/b/AWSDynamoDB/X"));
        QCOMPARE(QString::fromStdString(exportDataFileKey("p", "X", "name", ExportFormat::DynamoDbJson, false)),
            QString("p/AWSDynamoDB/X/data/name.json.gz"));
        QCOMPARE(QString::fromStdString(exportDataFileKey("p", "X", "name", ExportFormat::Ion, true)),
            QString("p/AWSDynamoDB/data/name.ion.gz"));
        QCOMPARE(QString::fromStdString(exportDataFileKey("", "X", "name", ExportFormat::Ion, false)),
            QString("AWSDynamoDB/X/data/name.ion.gz"));
    }

    void iso8601()
    {
        QCOMPARE(QString::fromStdString(iso8601Millis(0)), QString("1970-01-01T00:00:00.000Z"));
        QCOMPARE(QString::fromStdString(iso8601Millis(1700000000123456)), QString("2023-11-14T22:13:20.123Z"));
        QCOMPARE(QString::fromStdString(iso8601Millis(951782400000000)), QString("2000-02-29T00:00:00.000Z"));
        QCOMPARE(QString::fromStdString(iso8601Millis(-1)), QString("1969-12-31T23:59:59.999Z"));
    }

    void manifestSummary()
    {
        ExportManifestSummary summary;
        summary.exportArn = "arn:aws:dynamodb:us-east-1:123456789012:table/T/export/01700000000000-00000001";
        summary.startTimeMicros = 1700000000000000;
        summary.endTimeMicros = 1700000150000000;
        summary.tableArn = "arn:aws:dynamodb:us-east-1:123456789012:table/T";
        summary.tableId = "0f0e";
        summary.exportTimeMicros = 1699999999999000;
        summary.s3Bucket = "bucket";
        summary.s3SseAlgorithm = "AES256";
        summary.manifestFilesS3Key = "AWSDynamoDB/01700000000000-00000001/manifest-files.json";
        summary.billedSizeBytes = 0;
        summary.itemCount = 0;
        summary.outputFormat = "DYNAMODB_JSON";
        QCOMPARE(QString::fromStdString(manifestSummaryJson(summary)),
            QString(
                "{\"version\":\"2020-06-30\",\"exportArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T/export/01700000000000-00000001\","
                "\"startTime\":\"2023-11-14T22:13:20.000Z\",\"endTime\":\"2023-11-14T22:15:50.000Z\","
                "\"tableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T\",\"tableId\":\"0f0e\","
                "\"exportTime\":\"2023-11-14T22:13:19.999Z\",\"s3Bucket\":\"bucket\",\"s3Prefix\":null,"
                "\"s3SseAlgorithm\":\"AES256\",\"s3SseKmsKeyId\":null,"
                "\"manifestFilesS3Key\":\"AWSDynamoDB/01700000000000-00000001/manifest-files.json\","
                "\"billedSizeBytes\":0,\"itemCount\":0,\"outputFormat\":\"DYNAMODB_JSON\"}"));
        summary.incremental = true;
        summary.exportType = "INCREMENTAL_EXPORT";
        summary.exportFromTimeMicros = 1700000000000000;
        summary.exportToTimeMicros = 1700000900000000;
        summary.outputView = "NEW_AND_OLD_IMAGES";
        const std::string text = manifestSummaryJson(summary);
        QVERIFY(text.ends_with(
            ",\"outputFormat\":\"DYNAMODB_JSON\",\"exportType\":\"INCREMENTAL_EXPORT\","
            "\"exportFromTime\":\"2023-11-14T22:13:20.000Z\",\"exportToTime\":\"2023-11-14T22:28:20.000Z\","
            "\"outputView\":\"NEW_AND_OLD_IMAGES\"}"));
    }

    void manifestFiles()
    {
        const std::string object = gzipCompress("");
        const auto entry = manifestFileEntry(object, 0, "p/AWSDynamoDB/X/data/name.json.gz");
        QCOMPARE(QByteArray::fromStdString(entry.md5Checksum),
            QByteArray::fromStdString(capsim::exchange::md5Base64(object)));
        QCOMPARE(QByteArray::fromStdString(entry.etag), QByteArray::fromStdString(s3SinglePartEtag(object)));
        QCOMPARE(QString::fromStdString(
                     manifestFilesJson({ { 3, "XUFAKrxLKna5cZ2REBfFkg==", "62109206880d38a4010a98e11243924a-1",
                                             "p/AWSDynamoDB/X/data/a.json.gz" },
                         { 0, "1B2M2Y8AsgTpgAmY7PhCfg==", "59adb24ef3cdbe0297f05b395827453f-1",
                             "p/AWSDynamoDB/X/data/b.json.gz" } })),
            QString(
                "{\"itemCount\":3,\"md5Checksum\":\"XUFAKrxLKna5cZ2REBfFkg==\",\"etag\":\"62109206880d38a4010a98e11243924a-1\",\"dataFileS3Key\":\"p/AWSDynamoDB/X/data/a.json.gz\"}\n"
                "{\"itemCount\":0,\"md5Checksum\":\"1B2M2Y8AsgTpgAmY7PhCfg==\",\"etag\":\"59adb24ef3cdbe0297f05b395827453f-1\",\"dataFileS3Key\":\"p/AWSDynamoDB/X/data/b.json.gz\"}\n"));
    }
};

QTEST_APPLESS_MAIN(TestExportFiles)
#include "tst_export_files.moc"
