#include "engine/item_size.h"
#include "engine/json_codec.h"

#include <QtTest>

#include <boost/json.hpp>

using capsim::AttributeValue;
using capsim::Consistency;
using capsim::Item;

namespace {

// Nested DynamoDB JSON of 33 levels is deeper than Boost.JSON's default limit of 32.
boost::json::value parseJson(const QString& text)
{
    boost::json::parse_options options;
    options.max_depth = 1024;
    boost::system::error_code ec;
    const QByteArray utf8 = text.toUtf8();
    auto value = boost::json::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())), ec, {}, options);
    if (ec)
        qFatal("test JSON does not parse: %s", ec.message().c_str());
    return value;
}

Item itemFrom(const QString& dynamoJson)
{
    auto item = capsim::itemFromJson(parseJson(dynamoJson), "Item");
    if (!item)
        qFatal("test item does not decode: %s", item.status().toString().c_str());
    return std::move(item).value();
}

QString repeated(char c, int count)
{
    return QString(count, QChar::fromLatin1(c));
}

// {"<name>":{"S":"<count × c>"}} as one attribute of an item's JSON.
QString stringAttr(const QString& name, char c, int count)
{
    return "\"" + name + "\":{\"S\":\"" + repeated(c, count) + "\"}";
}

// The 4,096-byte item of reference part B, with `bs` b's in attribute bb (3,999 in the reference).
QString mixedItem(int bs)
{
    return "{\"a\":{\"S\":\"0123456789\"},"
           "\"bb\":{\"S\":\""
        + repeated('b', bs)
        + "\"},"
          "\"ccc\":{\"N\":\"12.3456\"},"
          "\"dddd\":{\"B\":\"AQI=\"},"
          "\"eeeee\":{\"BS\":[\"AQI=\",\"Ag==\",\"AQ==\"]},"
          "\"ffffff\":{\"NULL\":true},"
          "\"ggggggg\":{\"BOOL\":false},"
          "\"hhhhhhhh\":{\"L\":[{\"S\":\"a\"},{\"S\":\"aa\"},{\"S\":\"bb\"},{\"S\":\"ccc\"}]},"
          "\"iiiiiiiii\":{\"M\":{\"aa\":{\"S\":\"aa\"},\"bbb\":{\"S\":\"bbb\"}}}}";
}

// `levels` containers of `kind` ("L" or "M", or "LM" alternating) around {"S":"x"}, as attribute `deep`.
QString nestedItem(const QString& kind, int levels)
{
    QString value = "{\"S\":\"x\"}";
    for (int i = 0; i < levels; ++i) {
        const bool list = kind == "L" || (kind == "LM" && i % 2 == 0);
        value = list ? "{\"L\":[" + value + "]}" : "{\"M\":{\"k\":" + value + "}}";
    }
    return "{\"deep\":" + value + "}";
}

} // namespace

class TestItemSize : public QObject {
    Q_OBJECT
private slots:
    // Per-type value sizes (reference A1).
    void valueSize_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<qint64>("bytes");
        QTest::addRow("S ascii") << R"({"S":"abc"})" << qint64(3);
        QTest::addRow("S empty") << R"({"S":""})" << qint64(0);
        QTest::addRow("S 2-byte char") << R"({"S":"é"})" << qint64(2);
        QTest::addRow("S 3-byte chars") << R"({"S":"日本"})" << qint64(6);
        QTest::addRow("S 4-byte char") << R"({"S":"😀"})" << qint64(4);
        QTest::addRow("S mixed") << R"({"S":"aé日😀"})" << qint64(10);
        QTest::addRow("B counts raw bytes") << R"({"B":"AQI="})" << qint64(2);
        QTest::addRow("B 3 bytes") << R"({"B":"AAAA"})" << qint64(3);
        QTest::addRow("B empty") << R"({"B":""})" << qint64(0);
        QTest::addRow("N 123456") << R"({"N":"123456"})" << qint64(4);
        QTest::addRow("N 3.14159") << R"({"N":"3.14159"})" << qint64(5);
        QTest::addRow("N 12.3456") << R"({"N":"12.3456"})" << qint64(4);
        QTest::addRow("N 1E125") << R"({"N":"1E125"})" << qint64(2);
        QTest::addRow("N 0") << R"({"N":"0"})" << qint64(1);
        QTest::addRow("N negative") << R"({"N":"-123456"})" << qint64(5);
        QTest::addRow("N trailing zeros") << R"({"N":"12.3456000"})" << qint64(4);
        QTest::addRow("BOOL true") << R"({"BOOL":true})" << qint64(1);
        QTest::addRow("BOOL false") << R"({"BOOL":false})" << qint64(1);
        QTest::addRow("NULL") << R"({"NULL":true})" << qint64(1);
        QTest::addRow("L empty") << R"({"L":[]})" << qint64(3);
        QTest::addRow("M empty") << R"({"M":{}})" << qint64(3);
        // 3 + (1 + 1) + (1 + 2)
        QTest::addRow("L two elements") << R"({"L":[{"S":"a"},{"N":"1"}]})" << qint64(8);
        QTest::addRow("L of empty L") << R"({"L":[{"L":[]}]})" << qint64(7);
        QTest::addRow("L of NULL") << R"({"L":[{"NULL":true}]})" << qint64(5);
        // 3 + (1 + 1 + 1) + (1 + 2 + 1): keys count in UTF-8 bytes.
        QTest::addRow("M two entries") << R"({"M":{"k":{"S":"v"},"é":{"BOOL":true}}})" << qint64(10);
        // 3 + (1 + 1 + 3)
        QTest::addRow("M of empty M") << R"({"M":{"m":{"M":{}}}})" << qint64(8);
        QTest::addRow("SS sums elements") << R"({"SS":["a","bb","日"]})" << qint64(6);
        QTest::addRow("NS sums elements") << R"({"NS":["1","123456","-1"]})" << qint64(9);
        QTest::addRow("BS sums raw bytes") << R"({"BS":["AQI=","Ag==","AQ=="]})" << qint64(4);
        QTest::addRow("SS with empty string") << R"({"SS":["","ab"]})" << qint64(2);
    }
    void valueSize()
    {
        QFETCH(QString, json);
        QFETCH(qint64, bytes);
        auto value = capsim::attributeValueFromJson(parseJson(json), "Item.v");
        QVERIFY2(value.isOk(), value.status().toString().c_str());
        QCOMPARE(qint64(capsim::valueSizeBytes(*value)), bytes);
        // As an attribute, the name's bytes are added.
        Item item { { "v", *value } };
        QCOMPARE(qint64(capsim::itemSizeBytes(item)), bytes + 1);
    }

    // Item sizes and the units a single item costs (reference part B).
    void itemUnits_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<qint64>("writeUnits");
        QTest::addColumn<qint64>("strongReadUnits");
        QTest::addRow("shirt item") << R"({"shirt-color":{"S":"R"},"shirt-size":{"S":"M"}})" << qint64(23) << qint64(1)
                                    << qint64(1);
        QTest::addRow("multibyte attribute name") << R"({"名前":{"S":"x"}})" << qint64(7) << qint64(1) << qint64(1);
        // pk (2) + "k" (1) + data (4) + value: names and key attributes count.
        QTest::addRow("1,024 bytes = 1 WCU")
            << "{" + stringAttr("pk", 'k', 1) + "," + stringAttr("data", 'x', 1017) + "}" << qint64(1024) << qint64(1)
            << qint64(1);
        QTest::addRow("1,025 bytes = 2 WCU")
            << "{" + stringAttr("pk", 'k', 1) + "," + stringAttr("data", 'x', 1018) + "}" << qint64(1025) << qint64(2)
            << qint64(1);
        QTest::addRow("4,096 bytes = 1 RCU")
            << "{" + stringAttr("pk", 'k', 1) + "," + stringAttr("data", 'x', 4089) + "}" << qint64(4096) << qint64(4)
            << qint64(1);
        QTest::addRow("4,097 bytes = 2 RCU")
            << "{" + stringAttr("pk", 'k', 1) + "," + stringAttr("data", 'x', 4090) + "}" << qint64(4097) << qint64(5)
            << qint64(2);
        QTest::addRow("4,096-byte attribute name = 2 RCU")
            << "{" + stringAttr("pk", 'k', 1) + "," + stringAttr(repeated('n', 4096), 'x', 1) + "}" << qint64(4100)
            << qint64(5) << qint64(2);
        QTest::addRow("mixed item, 3,999 b's") << mixedItem(3999) << qint64(4096) << qint64(4) << qint64(1);
        QTest::addRow("mixed item, 4,000 b's") << mixedItem(4000) << qint64(4097) << qint64(5) << qint64(2);
    }
    void itemUnits()
    {
        QFETCH(QString, json);
        QFETCH(qint64, bytes);
        QFETCH(qint64, writeUnits);
        QFETCH(qint64, strongReadUnits);
        const Item item = itemFrom(json);
        const auto size = capsim::itemSizeBytes(item);
        QCOMPARE(qint64(size), bytes);
        QCOMPARE(qint64(capsim::writeUnits(size)), writeUnits);
        QCOMPARE(qint64(capsim::strongReadUnits(size)), strongReadUnits);
        QCOMPARE(capsim::readUnits(size, Consistency::Strong), double(strongReadUnits));
        QVERIFY(capsim::validateItemLimits(item).isOk());
    }

    // Units from a size: eventual = half, transactional = double (reference A2).
    void units_data()
    {
        QTest::addColumn<qint64>("sizeBytes");
        QTest::addColumn<double>("strong");
        QTest::addColumn<double>("eventual");
        QTest::addColumn<double>("transactional");
        QTest::addColumn<qint64>("writeUnits");
        QTest::addRow("missing item") << qint64(0) << 1.0 << 0.5 << 2.0 << qint64(1);
        QTest::addRow("1 byte") << qint64(1) << 1.0 << 0.5 << 2.0 << qint64(1);
        QTest::addRow("1,024") << qint64(1024) << 1.0 << 0.5 << 2.0 << qint64(1);
        QTest::addRow("1,025") << qint64(1025) << 1.0 << 0.5 << 2.0 << qint64(2);
        QTest::addRow("4,096") << qint64(4096) << 1.0 << 0.5 << 2.0 << qint64(4);
        QTest::addRow("4,097") << qint64(4097) << 2.0 << 1.0 << 4.0 << qint64(5);
        QTest::addRow("68 KB") << qint64(68 * 1024) << 17.0 << 8.5 << 34.0 << qint64(68);
        QTest::addRow("20 KB") << qint64(20 * 1024) << 5.0 << 2.5 << 10.0 << qint64(20);
        QTest::addRow("400 KB") << qint64(409600) << 100.0 << 50.0 << 200.0 << qint64(400);
    }
    void units()
    {
        QFETCH(qint64, sizeBytes);
        QFETCH(double, strong);
        QFETCH(double, eventual);
        QFETCH(double, transactional);
        QFETCH(qint64, writeUnits);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Strong), strong);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Eventual), eventual);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Transactional), transactional);
        QCOMPARE(double(capsim::strongReadUnits(sizeBytes)), strong);
        QCOMPARE(qint64(capsim::writeUnits(sizeBytes)), writeUnits);
    }

    // BatchGetItem rounds each item separately, then sums (reference A2, part B).
    void batchGet_data()
    {
        QTest::addColumn<qint64>("firstBytes");
        QTest::addColumn<qint64>("secondBytes");
        QTest::addColumn<double>("strong");
        QTest::addColumn<double>("roundedOnce");
        QTest::addRow("68 KB + 20 KB") << qint64(68 * 1024) << qint64(20 * 1024) << 22.0 << 22.0;
        // Both round up to 68 KB and 20 KB: per item 17 + 5, where rounding the sum would give 21.
        QTest::addRow("64 KB+1 + 16 KB+1") << qint64(64 * 1024 + 1) << qint64(16 * 1024 + 1) << 22.0 << 21.0;
    }
    void batchGet()
    {
        QFETCH(qint64, firstBytes);
        QFETCH(qint64, secondBytes);
        QFETCH(double, strong);
        QFETCH(double, roundedOnce);
        const double perItem
            = capsim::readUnits(firstBytes, Consistency::Strong) + capsim::readUnits(secondBytes, Consistency::Strong);
        QCOMPARE(perItem, strong);
        QCOMPARE(capsim::readUnits(firstBytes, Consistency::Eventual)
                + capsim::readUnits(secondBytes, Consistency::Eventual),
            strong / 2);
        QCOMPARE(capsim::readUnits(firstBytes + secondBytes, Consistency::Strong), roundedOnce);
    }

    // 400 KB item limit, names included, and nesting depth 32 (reference A1).
    void limits_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("409,600 bytes") << "{" + stringAttr("a", 'x', 409599) + "}" << QString();
        QTest::addRow("409,601 bytes") << "{" + stringAttr("a", 'x', 409600) + "}"
                                       << "Item size has exceeded the maximum allowed size";
        QTest::addRow("names count, 409,600") << "{" + stringAttr(repeated('n', 1000), 'x', 408600) + "}" << QString();
        QTest::addRow("names count, 409,601") << "{" + stringAttr(repeated('n', 1000), 'x', 408601) + "}"
                                              << "Item size has exceeded the maximum allowed size";
        QTest::addRow("two attributes, 409,601")
            << "{" + stringAttr("a", 'x', 204799) + "," + stringAttr("b", 'y', 204800) + "}"
            << "Item size has exceeded the maximum allowed size";
        QTest::addRow("L depth 32") << nestedItem("L", 32) << QString();
        QTest::addRow("L depth 33") << nestedItem("L", 33) << "Nesting Levels have exceeded supported limits";
        QTest::addRow("M depth 32") << nestedItem("M", 32) << QString();
        QTest::addRow("M depth 33") << nestedItem("M", 33) << "Nesting Levels have exceeded supported limits";
        QTest::addRow("L/M depth 32") << nestedItem("LM", 32) << QString();
        QTest::addRow("L/M depth 33") << nestedItem("LM", 33) << "Nesting Levels have exceeded supported limits";
        // Issue 8: attribute names are 1 to 65,535 bytes.
        QTest::addRow("empty name") << R"({"": {"S": "x"}})"
                                    << "One or more parameter values were invalid: An attribute name may not be empty";
        QTest::addRow("65,535-byte name") << "{" + stringAttr(repeated('n', 65535), 'x', 1) + "}" << QString();
        QTest::addRow("65,536-byte name") << "{" + stringAttr(repeated('n', 65536), 'x', 1) + "}"
                                          << "Attribute name exceeds the maximum allowed length of 65535 bytes";
    }
    void keyAttributeNames()
    {
        QVERIFY(capsim::validateKeyAttributeName(std::string(255, 'k'), "keySchema.1.member.attributeName").isOk());
        const auto tooLong = capsim::validateKeyAttributeName(std::string(256, 'k'), "keySchema.1.member.attributeName");
        QVERIFY(tooLong.is(capsim::error::kValidation));
        QVERIFY(QString::fromStdString(tooLong.message())
                    .endsWith("at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have "
                              "length less than or equal to 255"));
        QVERIFY(capsim::validateKeyAttributeName("", "keySchema.1.member.attributeName").is(capsim::error::kValidation));
    }
    void limits()
    {
        QFETCH(QString, json);
        QFETCH(QString, messagePart);
        const auto status = capsim::validateItemLimits(itemFrom(json));
        if (messagePart.isEmpty()) {
            QVERIFY2(status.isOk(), status.toString().c_str());
            return;
        }
        QVERIFY(!status.isOk());
        QVERIFY(status.is(capsim::error::kValidation));
        QVERIFY2(QString::fromStdString(status.message()).contains(messagePart), status.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestItemSize)
#include "tst_item_size.moc"
