#include "engine/json_codec.h"

#include <QtTest>

#include <boost/json.hpp>

using capsim::AttributeValue;

namespace {

boost::json::value parseJson(const QString& text)
{
    boost::system::error_code ec;
    const QByteArray utf8 = text.toUtf8();
    auto value = boost::json::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())), ec);
    if (ec)
        qFatal("test JSON does not parse: %s", ec.message().c_str());
    return value;
}

QString render(const boost::json::value& value)
{
    return QString::fromStdString(boost::json::serialize(value));
}

} // namespace

class TestJsonCodec : public QObject {
    Q_OBJECT
private slots:
    // Decoding then encoding gives DynamoDB's canonical form: numbers canonical, sets sorted, maps by key.
    void roundTrip_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("canonical");
        QTest::addRow("S") << R"({"S":"hello"})"
                           << R"({"S":"hello"})";
        QTest::addRow("S empty") << R"({"S":""})"
                                 << R"({"S":""})";
        QTest::addRow("S unicode") << R"({"S":"héllo 日本 😀"})"
                                   << R"({"S":"héllo 日本 😀"})";
        // Not a raw string: moc misreads \" inside R"(...)".
        QTest::addRow("S escapes") << "{\"S\":\"a\\\"b\\\\c\\n\"}"
                                   << "{\"S\":\"a\\\"b\\\\c\\n\"}";
        QTest::addRow("N integer") << R"({"N":"42"})"
                                   << R"({"N":"42"})";
        QTest::addRow("N 1.0 -> 1") << R"({"N":"1.0"})"
                                    << R"({"N":"1"})";
        QTest::addRow("N -0.500") << R"({"N":"-0.500"})"
                                  << R"({"N":"-0.5"})";
        QTest::addRow("N 1E2") << R"({"N":"1E2"})"
                               << R"({"N":"100"})";
        QTest::addRow("N .5") << R"({"N":".5"})"
                              << R"({"N":"0.5"})";
        QTest::addRow("N -0") << R"({"N":"-0"})"
                              << R"({"N":"0"})";
        QTest::addRow("N max") << R"({"N":"9.9999999999999999999999999999999999999E+125"})"
                               << R"({"N":"9.9999999999999999999999999999999999999E+125"})";
        QTest::addRow("B") << R"({"B":"AQI="})"
                           << R"({"B":"AQI="})";
        QTest::addRow("B empty") << R"({"B":""})"
                                 << R"({"B":""})";
        QTest::addRow("B no padding") << R"({"B":"Zm9v"})"
                                      << R"({"B":"Zm9v"})";
        QTest::addRow("BOOL true") << R"({"BOOL":true})"
                                   << R"({"BOOL":true})";
        QTest::addRow("BOOL false") << R"({"BOOL":false})"
                                    << R"({"BOOL":false})";
        QTest::addRow("NULL") << R"({"NULL":true})"
                              << R"({"NULL":true})";
        QTest::addRow("L empty") << R"({"L":[]})"
                                 << R"({"L":[]})";
        QTest::addRow("L keeps order") << R"({"L":[{"S":"b"},{"N":"1.50"},{"S":"a"}]})"
                                       << R"({"L":[{"S":"b"},{"N":"1.5"},{"S":"a"}]})";
        QTest::addRow("M empty") << R"({"M":{}})"
                                 << R"({"M":{}})";
        QTest::addRow("M sorted by key") << R"({"M":{"b":{"S":"x"},"a":{"NULL":true}}})"
                                         << R"({"M":{"a":{"NULL":true},"b":{"S":"x"}}})";
        QTest::addRow("SS sorted") << R"({"SS":["b","a","c"]})"
                                   << R"({"SS":["a","b","c"]})";
        QTest::addRow("NS sorted numerically") << R"({"NS":["10","2","1.50","-3"]})"
                                               << R"({"NS":["-3","1.5","2","10"]})";
        QTest::addRow("BS sorted by bytes") << R"({"BS":["Ag==","AQI="]})"
                                            << R"({"BS":["AQI=","Ag=="]})";
        QTest::addRow("nested") << R"({"M":{"l":{"L":[{"M":{"n":{"NS":["1"]}}},{"BS":["AA=="]},{"L":[]}]}}})"
                                << R"({"M":{"l":{"L":[{"M":{"n":{"NS":["1"]}}},{"BS":["AA=="]},{"L":[]}]}}})";
    }
    void roundTrip()
    {
        QFETCH(QString, input);
        QFETCH(QString, canonical);
        auto decoded = capsim::attributeValueFromJson(parseJson(input), "Item.v");
        QVERIFY2(decoded.isOk(), decoded.status().toString().c_str());
        const auto encoded = capsim::attributeValueToJson(*decoded);
        QCOMPARE(render(encoded), canonical);
        auto again = capsim::attributeValueFromJson(encoded, "Item.v");
        QVERIFY2(again.isOk(), again.status().toString().c_str());
        QVERIFY(*again == *decoded);
        QCOMPARE(render(capsim::attributeValueToJson(*again)), canonical);
    }

    void itemRoundTrip()
    {
        const QString input = R"({"s":{"S":"x"},"n":{"N":"1.0"},"b":{"B":"AQI="},"t":{"BOOL":true},)"
                              R"("z":{"NULL":true},"l":{"L":[{"S":"a"}]},"m":{"M":{"k":{"N":"2"}}},)"
                              R"("ss":{"SS":["b","a"]},"ns":{"NS":["2","1"]},"bs":{"BS":["AQ=="]}})";
        const QString canonical = R"({"b":{"B":"AQI="},"bs":{"BS":["AQ=="]},"l":{"L":[{"S":"a"}]},)"
                                  R"("m":{"M":{"k":{"N":"2"}}},"n":{"N":"1"},"ns":{"NS":["1","2"]},"s":{"S":"x"},)"
                                  R"("ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}})";
        auto item = capsim::itemFromJson(parseJson(input), "Item");
        QVERIFY2(item.isOk(), item.status().toString().c_str());
        QCOMPARE(item->size(), std::size_t(10));
        QCOMPARE(render(capsim::itemToJson(*item)), canonical);
        auto again = capsim::itemFromJson(capsim::itemToJson(*item), "Item");
        QVERIFY(again.isOk());
        QVERIFY(*again == *item);
    }

    void base64_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << QByteArray() << "";
        QTest::addRow("f") << QByteArray("f") << "Zg==";
        QTest::addRow("fo") << QByteArray("fo") << "Zm8=";
        QTest::addRow("foo") << QByteArray("foo") << "Zm9v";
        QTest::addRow("foobar") << QByteArray("foobar") << "Zm9vYmFy";
        QTest::addRow("binary") << QByteArray::fromHex("00ff10fe") << "AP8Q/g==";
    }
    void base64()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, text);
        const std::string raw(bytes.constData(), std::size_t(bytes.size()));
        QCOMPARE(QString::fromStdString(capsim::base64Encode(raw)), text);
        std::string decoded;
        QVERIFY(capsim::base64Decode(text.toStdString(), decoded));
        QCOMPARE(decoded, raw);
    }

    void base64Invalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("length not a multiple of 4") << "Zg=";
        QTest::addRow("no padding") << "Zg";
        QTest::addRow("three pad characters") << "Z===";
        QTest::addRow("padding in the middle") << "Zg==Zg==";
        QTest::addRow("data after padding") << "Zg=a";
        QTest::addRow("outside alphabet") << "Zm9!";
        QTest::addRow("url-safe alphabet") << "AP8Q_g==";
        QTest::addRow("whitespace") << "Zm9v Zm9v";
    }
    void base64Invalid()
    {
        QFETCH(QString, text);
        std::string decoded;
        QVERIFY(!capsim::base64Decode(text.toStdString(), decoded));
    }

    // Decoding errors: DynamoDB's error type, its wording, and the path of the offending field.
    void errors_data()
    {
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<QString>("path");
        const QString validation = capsim::error::kValidation;
        const QString serialization = capsim::error::kSerialization;
        QTest::addRow("empty AttributeValue") << R"({"a":{}})" << validation << "Supplied AttributeValue is empty"
                                              << "Item.a";
        QTest::addRow("two types") << R"({"a":{"S":"a","N":"1"}})" << validation << "more than one datatypes"
                                   << "Item.a";
        QTest::addRow("unknown type") << R"({"a":{"X":"1"}})" << serialization << "X"
                                      << "Item.a";
        QTest::addRow("S is a number") << R"({"a":{"S":5}})" << serialization << "cannot be converted to String"
                                       << "Item.a";
        QTest::addRow("N is a number") << R"({"a":{"N":5}})" << serialization << "cannot be converted to String"
                                       << "Item.a";
        QTest::addRow("BOOL is a string")
            << R"({"a":{"BOOL":"true"}})" << serialization << "cannot be converted to Boolean"
            << "Item.a";
        QTest::addRow("L is an object") << R"({"a":{"L":{}}})" << serialization << "cannot be converted to List"
                                        << "Item.a";
        QTest::addRow("AttributeValue is a string") << R"({"a":"x"})" << serialization << "cannot be converted"
                                                    << "Item.a";
        QTest::addRow("item is an array") << R"([1])" << serialization << "cannot be converted to Map"
                                          << "Item";
        QTest::addRow("bad base64") << R"({"a":{"B":"abc"}})" << serialization << "Base64"
                                    << "Item.a";
        QTest::addRow("bad base64 in BS") << R"({"a":{"BS":["AQI=","@@@@"]}})" << serialization << "Base64"
                                          << "Item.a";
        QTest::addRow("empty SS") << R"({"a":{"SS":[]}})" << validation << "may not be empty"
                                  << "Item.a";
        QTest::addRow("empty NS") << R"({"a":{"NS":[]}})" << validation << "may not be empty"
                                  << "Item.a";
        QTest::addRow("empty BS") << R"({"a":{"BS":[]}})" << validation << "may not be empty"
                                  << "Item.a";
        QTest::addRow("duplicate SS") << R"({"a":{"SS":["x","y","x"]}})" << validation << "contains duplicates"
                                      << "Item.a";
        QTest::addRow("NS duplicates numerically")
            << R"({"a":{"NS":["1","1.0"]}})" << validation << "contains duplicates"
            << "Item.a";
        QTest::addRow("duplicate BS") << R"({"a":{"BS":["AQI=","AQI="]}})" << validation << "contains duplicates"
                                      << "Item.a";
        QTest::addRow("NULL false") << R"({"a":{"NULL":false}})" << validation
                                    << "Null attribute value types must have the value of true"
                                    << "Item.a";
        QTest::addRow("invalid number") << R"({"a":{"N":"abc"}})" << validation << "cannot be converted to a numeric value"
                                        << "Item.a";
        QTest::addRow("empty number") << R"({"a":{"N":""}})" << validation << "cannot be converted to a numeric value"
                                      << "Item.a";
        QTest::addRow("invalid number in NS")
            << R"({"a":{"NS":["1","x"]}})" << validation << "cannot be converted to a numeric value"
            << "Item.a";
        QTest::addRow("39 digits") << R"({"a":{"N":"123456789012345678901234567890123456789"}})" << validation
                                   << "38 significant digits"
                                   << "Item.a";
        QTest::addRow("path into a list")
            << R"({"a":{"L":[{"S":"x"},{}]}})" << validation << "Supplied AttributeValue is empty"
            << "Item.a[1]";
        QTest::addRow("path into a map") << R"({"m":{"M":{"inner":{"N":"x"}}}})" << validation
                                         << "cannot be converted to a numeric value"
                                         << "Item.m.inner";
        QTest::addRow("path through map and list")
            << R"({"m":{"M":{"l":{"L":[{"SS":[]}]}}}})" << validation << "may not be empty"
            << "Item.m.l[0]";
    }
    void errors()
    {
        QFETCH(QString, item);
        QFETCH(QString, type);
        QFETCH(QString, messagePart);
        QFETCH(QString, path);
        auto decoded = capsim::itemFromJson(parseJson(item), "Item");
        QVERIFY(!decoded.isOk());
        const QString message = QString::fromStdString(decoded.status().message());
        QCOMPARE(QString::fromStdString(decoded.status().type()), type);
        QVERIFY2(message.contains(messagePart), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestJsonCodec)
#include "tst_json_codec.moc"
