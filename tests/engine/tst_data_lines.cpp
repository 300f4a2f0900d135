// Export/import data-file lines (reference A9): the DynamoDB JSON and Ion text codecs of
// engine/exchange/. Expected bytes are written by hand from A9's rules.

#include "engine/exchange/data_file_writer.h"
#include "engine/exchange/dynamodb_json_lines.h"
#include "engine/exchange/import_format.h"
#include "engine/exchange/ion_text.h"

#include <QtTest>

using namespace capsim;
using namespace capsim::exchange;

namespace {

Number num(const char* text)
{
    auto parsed = Number::parse(text);
    if (!parsed)
        qFatal("bad test number %s", text);
    return parsed.value();
}

AttributeValue n(const char* text)
{
    return AttributeValue::number(num(text));
}

AttributeValue s(std::string text)
{
    return AttributeValue::string(std::move(text));
}

// The fixed item of the exact-bytes tests: every type, names that sort differently as bytes.
Item fixedItem()
{
    Item item;
    item["pk"] = s(std::string("a\"b\\c\n\x01", 7));
    item["n"] = n("600");
    item["z"] = n("0.005");
    item["zero"] = n("0");
    item["b"] = AttributeValue::binary(std::string("\x00\x01\x02", 3));
    item["ok"] = AttributeValue::boolean(true);
    item["nil"] = AttributeValue::null();
    item["ss"] = AttributeValue::stringSet({ "b", "a" });
    item["ns"] = AttributeValue::numberSet({ num("3"), num("1.5") });
    item["bs"] = AttributeValue::binarySet({ std::string("\x01", 1), std::string("\x00", 1) });
    item["l"] = AttributeValue::list({ s("x"), n("103") });
    item["m"] = AttributeValue::map({ { "\xC3\xA9", s("u") }, { "a b", n("2000") } });
    return item;
}

// Every type, the limits of N, empty S and B outside keys, every C0 control, unicode, and L/M
// nested 32 levels deep.
Item richItem()
{
    Item item;
    item["pk"] = s("key");
    std::string controls;
    for (int c = 0; c < 0x20; ++c)
        controls.push_back(static_cast<char>(c));
    controls += "\x7F\"\\/'\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";
    item["controls"] = s(controls);
    item["empty S"] = s("");
    item["empty B"] = AttributeValue::binary("");
    std::string allBytes;
    for (int c = 0; c < 256; ++c)
        allBytes.push_back(static_cast<char>(c));
    item["bytes"] = AttributeValue::binary(allBytes);
    item["\xE5\x90\x8D\xE5\x89\x8D \"q\" \n"] = s("\xF0\x9F\x98\x80");
    item["'quote'"] = s("it's");
    item["null"] = AttributeValue::boolean(false);
    item["$12"] = AttributeValue::null();
    item["n38"] = n("12345678901234567890123456789012345678");
    item["n38neg"] = n("-0.12345678901234567890123456789012345678");
    item["nmax"] = n("9.9999999999999999999999999999999999999E+125");
    item["nmin"] = n("-1E-130");
    item["nint"] = n("-120");
    item["ss"] = AttributeValue::stringSet({ "", "z", "\xC3\xA9", "a\nb" });
    item["ns"] = AttributeValue::numberSet({ num("-1E-130"), num("0"), num("1E+125"), num("12.5") });
    item["bs"] = AttributeValue::binarySet({ "", std::string("\x00\xFF", 2), "abc" });
    AttributeValue nested = s("bottom");
    for (int depth = 0; depth < 31; ++depth) {
        if (depth % 2 == 0)
            nested = AttributeValue::list({ nested, n("1") });
        else
            nested = AttributeValue::map({ { "d" + std::to_string(depth), nested } });
    }
    item["deep"] = nested;
    item["emptyL"] = AttributeValue::list({});
    item["emptyM"] = AttributeValue::map({});
    return item;
}

QByteArray bytes(const std::string& text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

class TestDataLines : public QObject {
    Q_OBJECT
private slots:
    void jsonFixedItem()
    {
        const std::string expected = "{\"Item\":{\"b\":{\"B\":\"AAEC\"},\"bs\":{\"BS\":[\"AA==\",\"AQ==\"]},"
                                     "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"103\"}]},"
                                     "\"m\":{\"M\":{\"a b\":{\"N\":\"2000\"},\"\xC3\xA9\":{\"S\":\"u\"}}},"
                                     "\"n\":{\"N\":\"600\"},\"nil\":{\"NULL\":true},\"ns\":{\"NS\":[\"1.5\",\"3\"]},"
                                     "\"ok\":{\"BOOL\":true},\"pk\":{\"S\":\"a\\\"b\\\\c\\n\\u0001\"},"
                                     "\"ss\":{\"SS\":[\"a\",\"b\"]},\"z\":{\"N\":\"0.005\"},\"zero\":{\"N\":\"0\"}}}";
        QCOMPARE(bytes(itemLineJson(fixedItem())), bytes(expected));
    }

    void jsonEscapes()
    {
        std::string out;
        appendJsonString(out, std::string("\b\f\t\r\n\x1F\x7F/\xC3\xA9", 10));
        QCOMPARE(bytes(out), QByteArray("\"\\b\\f\\t\\r\\n\\u001F\x7F/\xC3\xA9\""));
    }

    void ionFixedItem()
    {
        const std::string expected = "$ion_1_0 {Item:{b:{{AAEC}},bs:$dynamodb_BS::[{{AA==}},{{AQ==}}],"
                                     "l:[\"x\",103.],m:{'a b':2d3,'\xC3\xA9':\"u\"},n:6d2,nil:null,"
                                     "ns:$dynamodb_NS::[1.5,3.],ok:true,pk:\"a\\\"b\\\\c\\n\\x01\","
                                     "ss:$dynamodb_SS::[\"a\",\"b\"],z:0.005,zero:0.}}";
        QCOMPARE(bytes(itemLineIon(fixedItem())), bytes(expected));
    }

    void ionDecimal_data()
    {
        QTest::addColumn<QString>("number");
        QTest::addColumn<QString>("ion");
        QTest::addRow("103") << "103"
                             << "103.";
        QTest::addRow("600") << "600"
                             << "6d2";
        QTest::addRow("2000") << "2000"
                              << "2d3";
        QTest::addRow("120") << "120"
                             << "12d1";
        QTest::addRow("-600") << "-600"
                              << "-6d2";
        QTest::addRow("0.005") << "0.005"
                               << "0.005";
        QTest::addRow("-12.5") << "-12.5"
                               << "-12.5";
        QTest::addRow("123.45") << "123.450"
                                << "123.45";
        QTest::addRow("0") << "0"
                           << "0.";
        QTest::addRow("-0") << "-0.0"
                            << "0.";
        QTest::addRow("1") << "1"
                           << "1.";
        QTest::addRow("1E+125") << "1E+125"
                                << "1d125";
        QTest::addRow("1.5E+100") << "1.5E+100"
                                  << "15d99";
        QTest::addRow("1E-130") << "1E-130" << QString("0.") + QString(129, '0') + "1";
        QTest::addRow("38 digits") << "12345678901234567890123456789012345678"
                                   << "12345678901234567890123456789012345678.";
    }

    void ionDecimal()
    {
        QFETCH(QString, number);
        QFETCH(QString, ion);
        QCOMPARE(QString::fromStdString(capsim::exchange::ionDecimal(num(number.toUtf8().constData()))), ion);
    }

    void ionSymbols_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("written");
        QTest::addRow("bare") << "abc_1$"
                              << "abc_1$";
        QTest::addRow("$ion") << "$ion"
                              << "$ion";
        QTest::addRow("_") << "_"
                           << "_";
        QTest::addRow("null") << "null"
                              << "'null'";
        QTest::addRow("true") << "true"
                              << "'true'";
        QTest::addRow("false") << "false"
                               << "'false'";
        QTest::addRow("nan") << "nan"
                             << "'nan'";
        QTest::addRow("$12") << "$12"
                             << "'$12'";
        QTest::addRow("digit first") << "1a"
                                     << "'1a'";
        QTest::addRow("space") << "a b"
                               << "'a b'";
        QTest::addRow("quote") << "it's"
                               << "'it\\'s'";
        QTest::addRow("empty") << ""
                               << "''";
        QTest::addRow("dash") << "a-b"
                              << "'a-b'";
    }

    void ionSymbols()
    {
        QFETCH(QString, name);
        QFETCH(QString, written);
        std::string out;
        appendIonSymbol(out, name.toStdString());
        QCOMPARE(QString::fromStdString(out), written);
    }

    void ionStringEscapes()
    {
        std::string out;
        appendIonString(out, std::string("\"\\\n\r\t\b\x1F\x7F'\xC3\xA9", 11));
        QCOMPARE(bytes(out), QByteArray("\"\\\"\\\\\\n\\r\\t\\x08\\x1f\x7F'\xC3\xA9\""));
    }

    void changeLines()
    {
        ChangeRecord change;
        change.writeTimestampMicros = 1700000000123456;
        change.keys = { { "pk", s("a") } };
        change.newImage = Item { { "pk", s("a") }, { "v", n("600") } };
        change.oldImage = Item { { "pk", s("a") } };
        QCOMPARE(bytes(changeLineJson(change)),
            QByteArray(
                "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1700000000123456\"}},\"Keys\":{\"pk\":{\"S\":\"a\"}},"
                "\"NewImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"600\"}},\"OldImage\":{\"pk\":{\"S\":\"a\"}}}"));
        QCOMPARE(bytes(changeLineIon(change)),
            QByteArray("$ion_1_0 {Metadata:{WriteTimestampMicros:1700000000123456},Keys:{pk:\"a\"},"
                       "NewImage:{pk:\"a\",v:6d2},OldImage:{pk:\"a\"}}"));
        change.newImage.reset(); // deleted in the window
        change.oldImage.reset(); // NEW_IMAGE view
        QCOMPARE(bytes(changeLineJson(change)),
            QByteArray(
                "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1700000000123456\"}},\"Keys\":{\"pk\":{\"S\":\"a\"}}}"));
        QCOMPARE(bytes(changeLineIon(change)),
            QByteArray("$ion_1_0 {Metadata:{WriteTimestampMicros:1700000000123456},Keys:{pk:\"a\"}}"));
    }

    // Written, read back, written again: the same item and the same bytes, in both formats.
    void roundTrip_data()
    {
        QTest::addColumn<bool>("ion");
        QTest::addRow("DYNAMODB_JSON") << false;
        QTest::addRow("ION") << true;
    }

    void roundTrip()
    {
        QFETCH(bool, ion);
        for (const Item& item : { fixedItem(), richItem() }) {
            const std::string line = ion ? itemLineIon(item) : itemLineJson(item);
            const std::string text = line + "\n" + line + "\n";
            std::unique_ptr<DataFileReader> reader;
            if (ion)
                reader = std::make_unique<IonTextReader>(text);
            else
                reader = std::make_unique<JsonLinesReader>(text);
            for (int lineNumber = 1; lineNumber <= 2; ++lineNumber) {
                DataLine read;
                QVERIFY(reader->next(read));
                QVERIFY2(read.ok(), read.message.c_str());
                QCOMPARE(read.lineNumber, lineNumber);
                QCOMPARE(read.record.kind, DataRecord::Kind::Item);
                QVERIFY(read.record.item == item);
                QCOMPARE(bytes(ion ? itemLineIon(read.record.item) : itemLineJson(read.record.item)), bytes(line));
            }
            DataLine end;
            QVERIFY(!reader->next(end));
        }
    }

    void changeRoundTrip_data() { roundTrip_data(); }

    void changeRoundTrip()
    {
        QFETCH(bool, ion);
        ChangeRecord change;
        change.writeTimestampMicros = 42;
        change.keys = { { "pk", s("key") } };
        change.newImage = richItem();
        change.oldImage = fixedItem();
        const std::string line = ion ? changeLineIon(change) : changeLineJson(change);
        DataLine read;
        if (ion) {
            IonTextReader reader(line);
            QVERIFY(reader.next(read));
        } else {
            read = parseJsonDataLine(line, 1);
        }
        QVERIFY2(read.ok(), read.message.c_str());
        QCOMPARE(read.record.kind, DataRecord::Kind::Change);
        QCOMPARE(read.record.change.writeTimestampMicros, 42);
        QVERIFY(read.record.change.keys == change.keys);
        QVERIFY(read.record.change.newImage == change.newImage);
        QVERIFY(read.record.change.oldImage == change.oldImage);
    }

    // Ion text as people and other tools write it, with the item each must give.
    void ionReader_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("json");
        QTest::addRow("spaces and comments") << "  $ion_1_0 // marker\n /* a\n block */ { Item : { a : 1 , } , }\n"
                                             << R"({"Item":{"a":{"N":"1"}}})";
        QTest::addRow("no marker") << "{Item:{a:\"x\"}}"
                                   << R"({"Item":{"a":{"S":"x"}}})";
        QTest::addRow("quoted names") << "{'Item':{'a b':1., \"c\":2, '''d''':3}}"
                                      << R"({"Item":{"a b":{"N":"1"},"c":{"N":"2"},"d":{"N":"3"}}})";
        QTest::addRow("decimals")
            << "{Item:{a:1.5d3,b:6D2,c:-0.,d:1.50,e:12d-3,f:0d0,g:1_000,h:1.2_5}}"
            << R"({"Item":{"a":{"N":"1500"},"b":{"N":"600"},"c":{"N":"0"},"d":{"N":"1.5"},"e":{"N":"0.012"},"f":{"N":"0"},"g":{"N":"1000"},"h":{"N":"1.25"}}})";
        QTest::addRow("ints")
            << "{Item:{a:0x1F,b:-0b101,c:0,d:-7,e:0xFFFFFFFFFFFFFFFFFFFF}}"
            << R"({"Item":{"a":{"N":"31"},"b":{"N":"-5"},"c":{"N":"0"},"d":{"N":"-7"},"e":{"N":"1208925819614629174706175"}}})";
        QTest::addRow("escapes") << R"({Item:{a:"\u00e9\U0001F600\ud83d\ude00\x41\0\a\v\?\/\'",'\u00e9':"y"}})"
                                 << "{\"Item\":{\"a\":{\"S\":\"\xC3\xA9\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
                                    "A\\u0000\\u0007\\u000B?/'\"},\"\xC3\xA9\":{\"S\":\"y\"}}}";
        QTest::addRow("long strings") << "{Item:{a:'''one\n''' /* c */ '''two\\\nthree'''}}"
                                      << R"({"Item":{"a":{"S":"one\ntwothree"}}})";
        QTest::addRow("blob with spaces") << "{Item:{a:{{ AAEC\n }},b:{{}}}}"
                                          << R"({"Item":{"a":{"B":"AAEC"},"b":{"B":""}}})";
        QTest::addRow("nulls") << "{Item:{a:null,b:null.null,c:null.string}}"
                               << R"({"Item":{"a":{"NULL":true},"b":{"NULL":true},"c":{"NULL":true}}})";
        QTest::addRow("other annotations ignored") << "{Item:{a:note::\"x\",b:'x y'::[1]}}"
                                                   << R"({"Item":{"a":{"S":"x"},"b":{"L":[{"N":"1"}]}}})";
        QTest::addRow("sets") << "{Item:{a:$dynamodb_SS::[\"x\"],b:$dynamodb_NS::[1,2.5d1],c:$dynamodb_BS::[{{AA==}}]}}"
                              << R"({"Item":{"a":{"SS":["x"]},"b":{"NS":["1","25"]},"c":{"BS":["AA=="]}}})";
        QTest::addRow("multi-line value") << "$ion_1_0\n{\n  Item: {\n    a: [1,\n 2]\n  }\n}\n"
                                          << R"({"Item":{"a":{"L":[{"N":"1"},{"N":"2"}]}}})";
        QTest::addRow("symbol table skipped") << "$ion_symbol_table::{symbols:[\"x\"]} {Item:{a:true}}"
                                              << R"({"Item":{"a":{"BOOL":true}}})";
        QTest::addRow("BOM") << "\xEF\xBB\xBF$ion_1_0 {Item:{a:false}}"
                             << R"({"Item":{"a":{"BOOL":false}}})";
    }

    void ionReader()
    {
        QFETCH(QString, text);
        QFETCH(QString, json);
        const QByteArray utf8 = text.toUtf8();
        IonTextReader reader(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
        DataLine read;
        QVERIFY(reader.next(read));
        QVERIFY2(read.ok(), read.message.c_str());
        QCOMPARE(QString::fromStdString(itemLineJson(read.record.item)), json);
        QVERIFY(!reader.next(read));
    }

    // Bad lines: which kind of error, and the line and field the message names.
    void badLines_data()
    {
        QTest::addColumn<bool>("ion");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind"); // LineErrorKind
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        const int invalid = static_cast<int>(LineErrorKind::InvalidItem);
        const int unparseable = static_cast<int>(LineErrorKind::Unparseable);
        QTest::addRow("json bad N") << false << "{\"Item\":{\"a\":{\"S\":\"x\"}}}\n{\"Item\":{\"a\":{\"N\":\"abc\"}}}"
                                    << invalid << 2
                                    << "line 2: The parameter cannot be converted to a numeric value: abc (at Item.a)";
        QTest::addRow("json 39 digits")
            << false << "\n{\"Item\":{\"m\":{\"M\":{\"x\":{\"N\":\"1234567890123456789012345678901234567890\"}}}}}"
            << invalid << 2 << "line 2: Attempting to store more than 38 significant digits in a Number (at Item.m.x)";
        QTest::addRow("json bad base64") << false << "{\"Item\":{\"b\":{\"B\":\"A\"}}}" << invalid << 1
                                         << "line 1: Base64 encoded binary data has an invalid format (at Item.b)";
        QTest::addRow("json no Item") << false << "{\"Itme\":{}}" << invalid << 1 << "line 1: unexpected field Itme";
        QTest::addRow("json empty set")
            << false << "{\"Item\":{\"s\":{\"SS\":[]}}}" << invalid << 1
            << "line 1: One or more parameter values were invalid: An string set  may not be empty (at Item.s)";
        QTest::addRow("json syntax") << false << "{\"Item\":{\"a\":{\"S\":\"x\"}}}\r\n{\"Item\":{\"a\":" << unparseable
                                     << 2 << "line 2: not valid JSON: ";
        QTest::addRow("ion float") << true << "$ion_1_0 {Item:{a:\"x\"}}\n$ion_1_0 {Item:{m:{f:1.5e3}}}" << invalid << 2
                                   << "line 2: an Ion float has no DynamoDB type";
        QTest::addRow("ion timestamp") << true << "{Item:{t:2020-01-01T00:00Z}}" << invalid << 1
                                       << "line 1: an Ion timestamp has no DynamoDB type";
        QTest::addRow("ion symbol value")
            << true << "{Item:{t:abc}}" << invalid << 1 << "line 1: an Ion symbol has no DynamoDB type";
        QTest::addRow("ion 39 digits")
            << true << "{Item:{l:[1,1234567890123456789012345678901234567890]}}" << invalid << 1
            << "line 1: Attempting to store more than 38 significant digits in a Number (at Item.l[1])";
        QTest::addRow("ion empty set")
            << true << "{Item:{s:$dynamodb_NS::[]}}" << invalid << 1
            << "line 1: One or more parameter values were invalid: An number set  may not be empty (at Item.s)";
        QTest::addRow("ion duplicate set element")
            << true << "{Item:{s:$dynamodb_SS::[\"a\",\"a\"]}}" << invalid << 1
            << "line 1: One or more parameter values were invalid: Input collections contains duplicates (at Item.s)";
        QTest::addRow("ion set of wrong type") << true << "{Item:{s:$dynamodb_BS::[\"a\"]}}" << invalid << 1
                                               << "line 1: a $dynamodb_BS element must be a blob (at Item.s)";
        QTest::addRow("ion not a struct")
            << true << "[1]" << invalid << 1 << "line 1: expected a struct {Item:{...}}, not list";
        QTest::addRow("ion duplicate name")
            << true << "{Item:{a:1,a:2}}" << invalid << 1 << "line 1: duplicate attribute name a (at Item)";
        QTest::addRow("ion unterminated string") << true << "{Item:{a:\"x\"}}\n{Item:{a:\"x}}\n{Item:{a:\"y\"}}"
                                                 << unparseable << 2 << "line 2: a newline inside a \"string\"";
        QTest::addRow("ion bad number") << true << "\n\n{Item:{a:01}}" << unparseable << 3
                                        << "line 3: not an Ion number: 01";
        QTest::addRow("ion unterminated struct")
            << true << "{Item:{a:1}" << unparseable << 1 << "line 1: unterminated struct";
        QTest::addRow("ion bad escape") << true << "{Item:{a:\"\\q\"}}" << unparseable << 1
                                        << "line 1: unknown escape \\q";
        QTest::addRow("ion bad blob") << true << "{Item:{a:{{A}}}}" << unparseable << 1
                                      << "line 1: a blob's base64 is invalid";
    }

    void badLines()
    {
        QFETCH(bool, ion);
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(int, line);
        QFETCH(QString, message);
        const std::string utf8 = text.toStdString();
        std::unique_ptr<DataFileReader> reader;
        if (ion)
            reader = std::make_unique<IonTextReader>(utf8);
        else
            reader = std::make_unique<JsonLinesReader>(utf8);
        DataLine read;
        int errors = 0;
        while (reader->next(read)) {
            if (read.ok())
                continue;
            ++errors;
            QCOMPARE(static_cast<int>(read.error), kind);
            QCOMPARE(read.lineNumber, line);
            QVERIFY2(QString::fromStdString(read.message).startsWith(message), read.message.c_str());
        }
        QCOMPARE(errors, 1);
    }

    // An export data file written, gzipped, decompressed and read back as an import reads it.
    void dataFileRoundTrip_data() { roundTrip_data(); }

    void dataFileRoundTrip()
    {
        QFETCH(bool, ion);
        DataFileWriter writer(ion ? ExportFormat::Ion : ExportFormat::DynamoDbJson);
        std::vector<Item> items;
        for (int i = 0; i < 50; ++i) {
            Item item = i % 2 ? fixedItem() : richItem();
            item["pk"] = s("item" + std::to_string(i));
            items.push_back(item);
            writer.addItem(item);
        }
        QCOMPARE(writer.itemCount(), std::int64_t(50));
        const std::string object = writer.gzipObject();
        auto text = decompress(object, Compression::Gzip);
        QVERIFY(text.isOk());
        QVERIFY(text.value() == writer.text());
        ImportFormat format;
        QVERIFY(parseImportFormatName(ion ? "ION" : "DYNAMODB_JSON", format));
        auto reader = makeDataFileReader(format, text.value(), {});
        DataLine read;
        std::size_t count = 0;
        while (reader->next(read)) {
            QVERIFY2(read.ok(), read.message.c_str());
            QVERIFY(count < items.size());
            QCOMPARE(read.lineNumber, std::int64_t(count + 1));
            QVERIFY(read.record.item == items[count]);
            ++count;
        }
        QCOMPARE(count, items.size());
    }

    void wireNames()
    {
        ImportFormat format;
        QVERIFY(parseImportFormatName("CSV", format) && format == ImportFormat::Csv);
        QVERIFY(!parseImportFormatName("csv", format));
        Compression compression;
        QVERIFY(parseCompressionName("ZSTD", compression) && compression == Compression::Zstd);
        QVERIFY(parseCompressionName("NONE", compression) && compression == Compression::None);
        QVERIFY(!parseCompressionName("BZIP2", compression));
    }

    // DynamoDB strings are UTF-8: raw bytes that are not make the Ion file unparseable.
    void ionInvalidUtf8()
    {
        for (const std::string& text : { std::string("{Item:{a:\"\xFF\"}}"), std::string("{Item:{'\xC0\xAF':1}}"),
                 std::string("{Item:{a:'''\xED\xA0\x80'''}}") }) {
            IonTextReader reader(text);
            DataLine read;
            QVERIFY(reader.next(read));
            QCOMPARE(read.error, LineErrorKind::Unparseable);
            QVERIFY2(read.message.find("not valid UTF-8") != std::string::npos, read.message.c_str());
        }
    }

    // After an unparseable line the rest of the file is not read (A9); after an invalid item it is.
    void stopsAfterUnparseable()
    {
        JsonLinesReader json("{\"Item\":{\"a\":{\"N\":\"x\"}}}\n{oops\n{\"Item\":{}}\n");
        DataLine read;
        QVERIFY(json.next(read));
        QCOMPARE(read.error, LineErrorKind::InvalidItem);
        QVERIFY(json.next(read));
        QCOMPARE(read.error, LineErrorKind::Unparseable);
        QVERIFY(!json.next(read));

        IonTextReader ion("{Item:{a:1.5e0}} {Item:{a:1}} {Item:{a:\"unterminated}}\n{Item:{}}");
        QVERIFY(ion.next(read));
        QCOMPARE(read.error, LineErrorKind::InvalidItem);
        QVERIFY(ion.next(read));
        QVERIFY(read.ok());
        QVERIFY(ion.next(read));
        QCOMPARE(read.error, LineErrorKind::Unparseable);
        QVERIFY(!ion.next(read));
    }
};

QTEST_APPLESS_MAIN(TestDataLines)
#include "tst_data_lines.moc"
