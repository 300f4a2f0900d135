// CSV for ImportTable (reference A9, Part C 10.2): RFC 4180 records, the header, typed key
// columns, and the errors each bad row gives (its line and column).

#include "engine/exchange/csv_reader.h"
#include "engine/exchange/dynamodb_json_lines.h"

#include <QtTest>

using namespace capsim;
using namespace capsim::exchange;

namespace {

// Renders what a reader gives, one line per record: "3 {json}" or "3 INVALID message" /
// "3 UNPARSEABLE message".
QString readAll(const std::string& text, CsvImportOptions options)
{
    CsvItemReader reader(text, std::move(options));
    QStringList lines;
    DataLine read;
    while (reader.next(read)) {
        QString line = QString::number(read.lineNumber) + " ";
        if (read.ok())
            line += QString::fromStdString(itemLineJson(read.record.item));
        else
            line += (read.error == LineErrorKind::Unparseable ? "UNPARSEABLE " : "INVALID ")
                + QString::fromStdString(read.message);
        lines << line;
    }
    return lines.join('\n');
}

CsvImportOptions keys()
{
    CsvImportOptions options;
    options.keyTypes = { { "pk", AttrType::S }, { "sk", AttrType::N }, { "bin", AttrType::B } };
    return options;
}

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT
private slots:
    void records_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("records"); // fields joined by '|', prefixed by the line number
        QTest::addRow("plain LF") << "a,b\nc,d\n" << QStringList { "1:a|b", "2:c|d" };
        QTest::addRow("CRLF, no final newline") << "a,b\r\nc,d" << QStringList { "1:a|b", "2:c|d" };
        QTest::addRow("quoted delimiter and quotes") << "\"a,1\",\"say \"\"hi\"\"\"\n"
                                                     << QStringList { "1:a,1|say \"hi\"" };
        QTest::addRow("embedded newlines")
            << "\"x\ny\",z\n\"p\r\nq\",r\ns,t" << QStringList { "1:x\ny|z", "3:p\r\nq|r", "5:s|t" };
        QTest::addRow("empty fields") << ",,\n\"\",x," << QStringList { "1:||", "2:|x|" };
        QTest::addRow("blank lines skipped") << "a\n\n\r\nb\n" << QStringList { "1:a", "4:b" };
        QTest::addRow("quote inside unquoted field") << "a\"b,c" << QStringList { "1:a\"b|c" };
        QTest::addRow("BOM") << "\xEF\xBB\xBFh,i" << QStringList { "1:h|i" };
    }

    void records()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, records);
        const std::string utf8 = text.toStdString();
        CsvRecordReader reader(utf8);
        std::vector<std::string> fields;
        std::int64_t line = 0;
        std::string error;
        QStringList got;
        while (reader.next(fields, line, error) == CsvRecordReader::Outcome::Record) {
            QStringList parts;
            for (const auto& f : fields)
                parts << QString::fromStdString(f);
            got << QString::number(line) + ":" + parts.join('|');
        }
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(got, records);
    }

    void items_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("headerList");
        QTest::addColumn<QString>("expected");
        QTest::addRow("typed keys, others S, empty cell omitted")
            << "pk,sk,bin,price,note\nu1,10.50,AAE=,12,\n\"u2\",-3,,007,\"a,b\"\n"
            << false
            << "2 {\"Item\":{\"bin\":{\"B\":\"AAE=\"},\"pk\":{\"S\":\"u1\"},\"price\":{\"S\":\"12\"},\"sk\":{\"N\":\"10.5\"}}}\n"
               "3 {\"Item\":{\"bin\":{\"B\":\"\"},\"note\":{\"S\":\"a,b\"},\"pk\":{\"S\":\"u2\"},\"price\":{\"S\":\"007\"},\"sk\":{\"N\":\"-3\"}}}";
        QTest::addRow("HeaderList: the first line is data")
            << "u1,1\nu2,2" << true
            << "1 {\"Item\":{\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"1\"}}}\n"
               "2 {\"Item\":{\"pk\":{\"S\":\"u2\"},\"sk\":{\"N\":\"2\"}}}";
        QTest::addRow("column count") << "pk,sk\nu1,1,extra\nu2\nu3,3\n"
                                      << false
                                      << "2 INVALID line 2: 3 columns, but the header has 2\n"
                                         "3 INVALID line 3: 1 columns, but the header has 2\n"
                                         "4 {\"Item\":{\"pk\":{\"S\":\"u3\"},\"sk\":{\"N\":\"3\"}}}";
        QTest::addRow("N key does not parse")
            << "pk,sk\nu1,abc\nu2,2" << false
            << "2 INVALID line 2: column sk: The parameter cannot be converted to a numeric value: abc\n"
               "3 {\"Item\":{\"pk\":{\"S\":\"u2\"},\"sk\":{\"N\":\"2\"}}}";
        QTest::addRow("N key 39 digits")
            << "pk,sk\nu1,1234567890123456789012345678901234567890" << false
            << "2 INVALID line 2: column sk: Attempting to store more than 38 significant digits in a Number";
        QTest::addRow("B key not base64")
            << "pk,bin\nu1,@@" << false
            << "2 INVALID line 2: column bin: Base64 encoded binary data has an invalid format";
        QTest::addRow("a non-key number stays S")
            << "pk,n\nu1,1e2" << false << "2 {\"Item\":{\"n\":{\"S\":\"1e2\"},\"pk\":{\"S\":\"u1\"}}}";
        QTest::addRow("unterminated quote ends the file")
            << "pk,sk\nu1,1\n\"u2,2\nu3,3\n"
            << false
            << "2 {\"Item\":{\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"1\"}}}\n"
               "3 UNPARSEABLE line 3: column 1: a quoted field is not closed";
        QTest::addRow("text after a closing quote")
            << "pk,sk\n\"u1\"x,1\nu2,2" << false
            << "2 UNPARSEABLE line 2: column 1: text after the closing quote of a quoted field";
        QTest::addRow("repeated header name")
            << "pk,pk\nu1,u2" << false << "1 UNPARSEABLE line 1: header column 2: column name pk is repeated";
        QTest::addRow("empty header name")
            << "pk,,x\nu1,a,b" << false << "1 UNPARSEABLE line 1: header column 2 has no name";
        QTest::addRow("header only") << "pk,sk\n" << false << "";
        QTest::addRow("empty file") << "" << false << "";
    }

    void items()
    {
        QFETCH(QString, text);
        QFETCH(bool, headerList);
        QFETCH(QString, expected);
        CsvImportOptions options = keys();
        if (headerList)
            options.headerList = std::vector<std::string> { "pk", "sk" };
        QCOMPARE(readAll(text.toStdString(), options), expected);
    }

    void invalidUtf8()
    {
        QCOMPARE(readAll("pk,sk\nu1,1\n\"u\xFF\",2\n", keys()),
            QString("2 {\"Item\":{\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"1\"}}}\n"
                    "3 UNPARSEABLE line 3: column 1: the text is not valid UTF-8"));
    }

    // A wrong delimiter reads each line as one column: the header is one name, the key is missing,
    // which the import then rejects item by item.
    void delimiter()
    {
        CsvImportOptions options = keys();
        options.delimiter = ';';
        QCOMPARE(readAll("pk;sk;note\nu1;1;\"a;b\"\n", options),
            QString("2 {\"Item\":{\"note\":{\"S\":\"a;b\"},\"pk\":{\"S\":\"u1\"},\"sk\":{\"N\":\"1\"}}}"));
        QCOMPARE(readAll("pk,sk\nu1,1\n", options), QString("2 {\"Item\":{\"pk,sk\":{\"S\":\"u1,1\"}}}"));
    }
};

QTEST_APPLESS_MAIN(TestCsvReader)
#include "tst_csv_reader.moc"
