// Time to Live (reference A6, C 7) through the Dispatcher: UpdateTimeToLive's errors in their
// order, DescribeTimeToLive's shapes, the cooldown and status delay, settings that survive a
// reopen; and expiry on the engine's clock.

#include "engine/dispatcher.h"
#include "engine/json_codec.h"
#include "engine/ttl.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::Q;
using capsim::test::text;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
// 2026-12-04T10:00:00Z, a time of the right magnitude for epoch-second TTL values.
constexpr EngineTime kStart = 1796378400 * kSecond;

const std::string kTable = J("{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                             "[{'AttributeName':'pk','AttributeType':'S'}],"
                             "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}");

// A table with a GSI on g, for index entries that a deletion removes.
const std::string kIndexed = J("{'TableName':'Idx','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':"
                               "[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'g','AttributeType':'S'}],"
                               "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],'GlobalSecondaryIndexes':"
                               "[{'IndexName':'Gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                               "'Projection':{'ProjectionType':'ALL'}}]}");

constexpr EngineTime seconds(double s)
{
    return static_cast<EngineTime>(s * 1e6);
}

std::string spec(bool enabled, const std::string& attribute, const std::string& table = "Tab")
{
    return J("{'TableName':'") + table + J("','TimeToLiveSpecification':{'Enabled':") + (enabled ? "true" : "false")
        + J(",'AttributeName':'") + attribute + J("'}}");
}

// A direct reading of reference A6 for the randomized test: items, their TTL values and writes,
// and the deletions each is due, applied in (d, key) order as the clock moves.
class TtlModel {
public:
    struct Row {
        std::string value;
        EngineTime expiresAt = 0;
        EngineTime due = 0;
        bool deletes = false;
        EngineTime delay = 0;
        bool counted = false;
    };
    struct ModelItem {
        std::optional<std::string> numberValue; // exp as N (canonical text), if it is one
        EngineTime valueMicros = 0;
        int payload = 0;
    };

    bool enabled = false;
    EngineTime enabledAt = 0;
    std::optional<EngineTime> lastChange;
    std::map<std::string, ModelItem> items; // by pk
    std::map<std::string, Row> rows;
    std::vector<std::pair<std::string, EngineTime>> deletions; // (pk, time)
    std::int64_t expired = 0;
    std::int64_t deleted = 0;
    EngineTime delaySum = 0;

    static std::string keyText(const std::string& pk) { return "{\"pk\":{\"S\":\"" + pk + "\"}}"; }

    void schedule(const std::string& pk, EngineTime writtenAt)
    {
        const auto old = rows.find(pk);
        const std::optional<Row> previous = old == rows.end() ? std::nullopt : std::optional<Row>(old->second);
        rows.erase(pk);
        const auto it = items.find(pk);
        if (!enabled || it == items.end() || !it->second.numberValue)
            return;
        const ModelItem& item = it->second;
        const EngineTime v = item.valueMicros;
        const EngineTime fiveYears = 157680000LL * kMicrosPerSecond;
        const std::int64_t delaySeconds = ttlDelaySeconds(
            ttlHashFraction(kTtlCallSeed, "Idx", keyText(pk), *item.numberValue), TtlDelayModel {});
        // Eligible while v < t and v >= t - 5 years; d = max(v, tEnabled) + delay, not before the write.
        const EngineTime reached = std::max(v, enabledAt);
        Row row;
        row.value = *item.numberValue;
        row.expiresAt = std::max(reached, writtenAt);
        if (v < row.expiresAt - fiveYears)
            return;
        row.due = std::max(reached + delaySeconds * kMicrosPerSecond, writtenAt);
        row.deletes = v >= row.due - fiveYears;
        row.delay = row.due - reached;
        row.counted = previous && previous->value == row.value && previous->counted;
        rows[pk] = row;
    }

    void advance(EngineTime now)
    {
        for (auto& [pk, row] : rows) {
            if (!row.counted && row.expiresAt <= now) {
                row.counted = true;
                ++expired;
            }
        }
        std::vector<std::tuple<EngineTime, std::string, std::string>> due;
        for (const auto& [pk, row] : rows)
            if (row.due <= now)
                due.emplace_back(row.due, keyText(pk), pk);
        std::sort(due.begin(), due.end());
        for (const auto& [time, key, pk] : due) {
            const Row row = rows.at(pk);
            rows.erase(pk);
            if (!row.deletes)
                continue;
            items.erase(pk);
            ++deleted;
            delaySum += row.delay;
            deletions.emplace_back(pk, time);
        }
    }

    void write(const std::string& pk, const ModelItem& item, EngineTime now)
    {
        items[pk] = item;
        schedule(pk, now);
    }

    void erase(const std::string& pk)
    {
        items.erase(pk);
        rows.erase(pk);
    }

    void setEnabled(bool on, EngineTime now)
    {
        enabled = on;
        lastChange = now;
        rows.clear();
        if (!on)
            return;
        enabledAt = now;
        for (const auto& [pk, item] : items)
            schedule(pk, now);
    }
};

} // namespace

class TestTtl : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse ok(const std::string& operation, const std::string& request, EngineTime now)
    {
        auto r = call(*m_d, operation, request, now);
        if (r.isError())
            qWarning("%s failed: %s", operation.c_str(), qPrintable(text(r)));
        return r;
    }

    QString describe(EngineTime now, const std::string& table = "Tab")
    {
        return text(call(*m_d, "DescribeTimeToLive", J("{'TableName':'" + table + "'}"), now));
    }

private slots:
    void init()
    {
        m_engine = std::move(Engine::open(":memory:")).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
        QVERIFY(!ok("CreateTable", kTable, kStart).isError());
    }

    void describeShapes()
    {
        // A new table: DISABLED without an attribute name.
        QCOMPARE(describe(kStart), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'DISABLED'}}"));
        auto enabled = call(*m_d, "UpdateTimeToLive", spec(true, "exp"), kStart);
        QCOMPARE(text(enabled), Q("{'TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}"));
        QCOMPARE(describe(kStart), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'ENABLED','AttributeName':'exp'}}"));
        auto disabled = call(*m_d, "UpdateTimeToLive", spec(false, "exp"), kStart + 3600 * kSecond);
        QCOMPARE(text(disabled), Q("{'TimeToLiveSpecification':{'Enabled':false,'AttributeName':'exp'}}"));
        // DISABLED again: the attribute name is gone (reference A6).
        QCOMPARE(describe(kStart + 3600 * kSecond), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'DISABLED'}}"));
    }

    void errorsInTheirOrder_data()
    {
        QTest::addColumn<QString>("setup"); // "", "enabled", "disabled" (enabled, then disabled)
        QTest::addColumn<bool>("enable");
        QTest::addColumn<QString>("attribute");
        QTest::addColumn<qint64>("after"); // seconds after the last accepted change
        QTest::addColumn<QString>("expected"); // the message, empty if accepted
        const QString other = "TimeToLive is active on a different AttributeName: current AttributeName is exp";
        const QString interval = "Time to live has been modified multiple times within a fixed interval";
        // Another attribute while ENABLED comes first, even within the interval, enabling or disabling.
        QTest::addRow("other attribute, enabling") << "enabled" << true << "other" << qint64(10) << other;
        QTest::addRow("other attribute, disabling") << "enabled" << false << "other" << qint64(10) << other;
        // Then already enabled / already disabled, before the interval.
        QTest::addRow("already enabled") << "enabled" << true << "exp" << qint64(10) << "TimeToLive is already enabled";
        QTest::addRow("already disabled") << "disabled" << false << "exp" << qint64(10) << "TimeToLive is already disabled";
        QTest::addRow("already disabled, other name") << "disabled" << false << "other" << qint64(10)
                                                      << "TimeToLive is already disabled";
        QTest::addRow("never enabled, disabling") << "" << false << "exp" << qint64(0) << "TimeToLive is already disabled";
        // Then the interval: model.ttlCooldown, 1 hour.
        QTest::addRow("disable within the hour") << "enabled" << false << "exp" << qint64(3599) << interval;
        QTest::addRow("re-enable within the hour") << "disabled" << true << "exp" << qint64(3599) << interval;
        QTest::addRow("rename within the hour") << "disabled" << true << "other" << qint64(1) << interval;
        QTest::addRow("disable after the hour") << "enabled" << false << "exp" << qint64(3600) << "";
        QTest::addRow("rename after the hour") << "disabled" << true << "other" << qint64(3600) << "";
        QTest::addRow("first enable") << "" << true << "exp" << qint64(0) << "";
    }

    void errorsInTheirOrder()
    {
        QFETCH(QString, setup);
        QFETCH(bool, enable);
        QFETCH(QString, attribute);
        QFETCH(qint64, after);
        QFETCH(QString, expected);
        EngineTime last = kStart;
        if (!setup.isEmpty())
            QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp"), last).isError());
        if (setup == "disabled") {
            last += 3600 * kSecond;
            QVERIFY(!ok("UpdateTimeToLive", spec(false, "exp"), last).isError());
        }
        const QString before = describe(last);
        auto r = call(*m_d, "UpdateTimeToLive", spec(enable, attribute.toStdString()), last + after * kSecond);
        if (expected.isEmpty()) {
            QVERIFY2(!r.isError(), qPrintable(text(r)));
            return;
        }
        QCOMPARE(QString::fromStdString(r.errorType), QString("ValidationException"));
        QCOMPARE(message(r), expected);
        // Nothing changed.
        QCOMPARE(describe(last + after * kSecond), before);
    }

    void badRequests_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no specification") << Q("{'TableName':'Tab'}") << "ValidationException"
                                          << "1 validation error detected: Value null at 'timeToLiveSpecification' "
                                             "failed to satisfy constraint: Member must not be null";
        QTest::addRow("no Enabled") << Q("{'TableName':'Tab','TimeToLiveSpecification':{'AttributeName':'a'}}")
                                    << "ValidationException"
                                    << "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' "
                                       "failed to satisfy constraint: Member must not be null";
        QTest::addRow("no AttributeName") << Q("{'TableName':'Tab','TimeToLiveSpecification':{'Enabled':true}}")
                                          << "ValidationException"
                                          << "1 validation error detected: Value null at "
                                             "'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
                                             "Member must not be null";
        QTest::addRow("empty AttributeName")
            << Q("{'TableName':'Tab','TimeToLiveSpecification':{'Enabled':true,'AttributeName':''}}")
            << "ValidationException"
            << "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy "
               "constraint: Member must have length greater than or equal to 1";
        QTest::addRow("Enabled a string")
            << Q("{'TableName':'Tab','TimeToLiveSpecification':{'Enabled':'yes','AttributeName':'a'}}")
            << "SerializationException" << "STRING_VALUE cannot be converted to Boolean (at Enabled)";
        QTest::addRow("unknown table") << Q("{'TableName':'Nope','TimeToLiveSpecification':{'Enabled':true,'AttributeName':'a'}}")
                                       << "ResourceNotFoundException"
                                       << "Requested resource not found: Table: Nope not found";
    }

    void badRequests()
    {
        QFETCH(QString, request);
        QFETCH(QString, type);
        QFETCH(QString, expected);
        auto r = call(*m_d, "UpdateTimeToLive", request.toStdString(), kStart);
        QCOMPARE(QString::fromStdString(r.errorType), type);
        QCOMPARE(message(r), expected);
        QCOMPARE(describe(kStart), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'DISABLED'}}"));
    }

    void describeUnknownTable()
    {
        auto r = call(*m_d, "DescribeTimeToLive", J("{'TableName':'Nope'}"), kStart);
        QCOMPARE(QString::fromStdString(r.errorType), QString("ResourceNotFoundException"));
    }

    void statusDelay()
    {
        // model.ttlStatusDelay: ENABLING and DISABLING last that long, then ENABLED / DISABLED.
        m_engine->setTtlStatusDelay(60 * kSecond);
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp"), kStart).isError());
        QCOMPARE(describe(kStart + 59 * kSecond),
            Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'ENABLING','AttributeName':'exp'}}"));
        QCOMPARE(describe(kStart + 60 * kSecond),
            Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'ENABLED','AttributeName':'exp'}}"));
        // While ENABLING the name is already the one in force for the first check.
        const EngineTime off = kStart + 3600 * kSecond;
        QVERIFY(!ok("UpdateTimeToLive", spec(false, "exp"), off).isError());
        QCOMPARE(describe(off + 59 * kSecond),
            Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'DISABLING','AttributeName':'exp'}}"));
        QCOMPARE(describe(off + 60 * kSecond), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'DISABLED'}}"));
    }

    void cooldownIsAModelParameter()
    {
        m_engine->setTtlCooldown(1800 * kSecond);
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp"), kStart).isError());
        QVERIFY(call(*m_d, "UpdateTimeToLive", spec(false, "exp"), kStart + 1799 * kSecond).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(false, "exp"), kStart + 1800 * kSecond).isError());
    }

    void scenarioTtlHasNoCooldown()
    {
        QVERIFY(m_engine->advanceTime(kStart));
        QVERIFY(m_engine->enableTimeToLive("Tab", "exp"));
        QCOMPARE(describe(kStart), Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'ENABLED','AttributeName':'exp'}}"));
        QVERIFY(!ok("UpdateTimeToLive", spec(false, "exp"), kStart + kSecond).isError());
        QVERIFY(!m_engine->enableTimeToLive("Nope", "exp"));
    }

    void settingsSurviveReopen()
    {
        const std::string db = (m_dir.path() + "/settings.sqlite").toStdString();
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kTable, kStart).isError());
            QVERIFY(!call(d, "UpdateTimeToLive", spec(true, "exp"), kStart).isError());
        }
        auto engine = std::move(Engine::open(db)).value();
        Dispatcher d(*engine);
        QCOMPARE(text(call(d, "DescribeTimeToLive", J("{'TableName':'Tab'}"), kStart + kSecond)),
            Q("{'TimeToLiveDescription':{'TimeToLiveStatus':'ENABLED','AttributeName':'exp'}}"));
        // The last change's time is kept too: the cooldown still holds in the next process.
        auto again = call(d, "UpdateTimeToLive", spec(false, "exp"), kStart + 10 * kSecond);
        QCOMPARE(message(again), QString("Time to live has been modified multiple times within a fixed interval"));
    }

    void delayFormula_data()
    {
        // Expected delays computed independently: Python's hashlib.sha256 and
        // statistics.NormalDist().inv_cdf on the bytes of reference A6.
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<double>("median");
        QTest::addColumn<double>("sigma");
        QTest::addColumn<qint64>("cap");
        QTest::addColumn<qint64>("delay");
        QTest::addColumn<double>("u");
        QTest::addRow("a") << quint64(1) << "Tab" << R"({"pk":{"S":"a"}})" << "1796380000" << 7200.0 << 1.0
                           << qint64(172800) << qint64(6788) << 0.47656456462939095;
        QTest::addRow("b") << quint64(1) << "Tab" << R"({"pk":{"S":"b"}})" << "1796380000" << 7200.0 << 1.0
                           << qint64(172800) << qint64(14763) << 0.7636465761768576;
        QTest::addRow("fraction") << quint64(1) << "Tab" << R"({"pk":{"S":"c"}})" << "1796380000.5" << 7200.0 << 1.0
                                  << qint64(172800) << qint64(5418) << 0.3881393189926364;
        QTest::addRow("utf-8 key") << quint64(1) << "Tab" << R"({"pk":{"S":"é"}})" << "1796380000" << 7200.0 << 1.0
                                   << qint64(172800) << qint64(22724) << 0.8748008224715919;
        QTest::addRow("other value") << quint64(1) << "Tab" << R"({"pk":{"S":"a"}})" << "1796390000" << 7200.0 << 1.0
                                     << qint64(172800) << qint64(25509) << 0.8970609139851522;
        QTest::addRow("seed 42, composite key") << quint64(42) << "Orders" << R"({"id":{"N":"7"},"sk":{"S":"x"}})"
                                                << "1700000000" << 7200.0 << 1.0 << qint64(172800) << qint64(1446)
                                                << 0.05424023072713627;
        QTest::addRow("model.ttlDelay lognormal(1h, 0.5) cap 5000 s")
            << quint64(1) << "Idx" << R"({"pk":{"S":"a"}})" << "1796380000" << 3600.0 << 0.5 << qint64(5000)
            << qint64(2282) << -1.0;
    }

    void delayFormula()
    {
        QFETCH(quint64, seed);
        QFETCH(QString, table);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(double, median);
        QFETCH(double, sigma);
        QFETCH(qint64, cap);
        QFETCH(qint64, delay);
        QFETCH(double, u);
        const double fraction = ttlHashFraction(seed, table.toStdString(), key.toStdString(), value.toStdString());
        if (u >= 0)
            QCOMPARE(fraction, u);
        TtlDelayModel model;
        model.medianSeconds = median;
        model.sigma = sigma;
        model.capSeconds = cap;
        QCOMPARE(qint64(ttlDelaySeconds(fraction, model)), delay);
    }

    void delayBounds()
    {
        const TtlDelayModel model;
        QCOMPARE(ttlDelaySeconds(0.0, model), std::int64_t(1));
        QCOMPARE(ttlDelaySeconds(1e-300, model), std::int64_t(1));
        QCOMPARE(ttlDelaySeconds(0.5, model), std::int64_t(7200));
        QCOMPARE(ttlDelaySeconds(0.9999999, model), std::int64_t(172800));
    }

    void keyText()
    {
        Item key;
        key["sk"] = AttributeValue::string("x");
        key["id"] = AttributeValue::number(std::move(Number::parse("7.0")).value());
        QCOMPARE(ttlKeyText(key), std::string(R"({"id":{"N":"7"},"sk":{"S":"x"}})"));
        // Names in UTF-8 byte order: "z" (0x7A) before "é" (0xC3 0xA9).
        Item utf8;
        utf8["é"] = AttributeValue::string("1");
        utf8["z"] = AttributeValue::string("2");
        QCOMPARE(ttlKeyText(utf8), std::string(R"({"z":{"S":"2"},"é":{"S":"1"}})"));
    }

    void valueMicros()
    {
        auto micros = [](const char* text) { return ttlValueMicros(std::move(Number::parse(text)).value()); };
        QCOMPARE(micros("1796380000"), std::optional<EngineTime>(1796380000 * kSecond));
        QCOMPARE(micros("1796380000.5"), std::optional<EngineTime>(1796380000 * kSecond + 500000));
        QCOMPARE(micros("1.0000009"), std::optional<EngineTime>(1000000)); // rounded down
        QCOMPARE(micros("-1.0000001"), std::optional<EngineTime>(-1000001));
        QCOMPARE(micros("1E-100"), std::optional<EngineTime>(0));
        QCOMPARE(micros("1E+12"), std::optional<EngineTime>());
        QCOMPARE(micros("-1E+20"), std::optional<EngineTime>());
    }

    // Items expire through the clock in (d, key) order, each at its own d: gone with their
    // index entries, storage lowered, no units; readable and updatable between v and d.
    void expiryInOrder()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        for (const char* item : { "{'pk':{'S':'a'},'g':{'S':'x'},'exp':{'N':'1796380000'}}",
                 "{'pk':{'S':'b'},'g':{'S':'x'},'exp':{'N':'1796380000'}}",
                 "{'pk':{'S':'c'},'g':{'S':'y'},'exp':{'N':'1796380000.5'}}" })
            QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':") + J(item) + "}", kStart).isError());
        std::vector<WriteChange> changes;
        m_engine->subscribe([&](const WriteChange& c) { changes.push_back(c); });
        auto described = [&](EngineTime now) { return ok("DescribeTable", J("{'TableName':'Idx'}"), now).body.at("Table"); };
        const auto before = described(kStart);
        QCOMPARE(before.at("ItemCount").as_int64(), std::int64_t(3));
        // Past v, before d (c: 1796382637.5, a: 1796382893, b: 1796391768; delays 2637, 2893 and
        // 11768 s by the formula): still there, readable and updatable.
        const EngineTime between = 1796382000 * kSecond;
        auto read = ok("GetItem", J("{'TableName':'Idx','ConsistentRead':true,'Key':{'pk':{'S':'a'}}}"), between);
        QVERIFY(read.body.as_object().contains("Item"));
        QVERIFY(!ok("UpdateItem", J("{'TableName':'Idx','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET note = :n',"
                                    "'ExpressionAttributeValues':{':n':{'S':'still here'}}}"),
            between)
                     .isError());
        QCOMPARE(changes.size(), std::size_t(1)); // the update
        changes.clear();
        // At a's d exactly: c then a go, b stays.
        auto get = ok("GetItem", J("{'TableName':'Idx','ConsistentRead':true,'ReturnConsumedCapacity':'TOTAL',"
                                   "'Key':{'pk':{'S':'b'}}}"),
            1796382893 * kSecond);
        QVERIFY(get.body.as_object().contains("Item"));
        // The call's consumption is its own read alone: the deletions cost nothing.
        QCOMPARE(capsim::test::units(get), 1.0);
        QCOMPARE(get.consumed.size(), std::size_t(1));
        QCOMPARE(get.consumed[0].total().write, 0.0);
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(ttlKeyText(changes[0].key), std::string(R"({"pk":{"S":"c"}})"));
        QCOMPARE(changes[0].time, seconds(1796382637.5));
        QCOMPARE(ttlKeyText(changes[1].key), std::string(R"({"pk":{"S":"a"}})"));
        QCOMPARE(changes[1].time, 1796382893 * kSecond);
        for (const auto& c : changes) {
            QCOMPARE(c.cause, WriteCause::TtlDeletion);
            QVERIFY(c.oldImage.has_value());
            QVERIFY(!c.newImage.has_value());
            QVERIFY(c.oldSizeBytes > 0);
            QCOMPARE(c.writeUnits, 0.0);
        }
        QCOMPARE(changes[1].oldImage->at("note").bytes(), std::string("still here"));
        const auto after = described(1796382893 * kSecond);
        QCOMPARE(after.at("ItemCount").as_int64(), std::int64_t(1));
        QVERIFY(after.at("TableSizeBytes").as_int64() < before.at("TableSizeBytes").as_int64());
        const auto& gsi = after.at("GlobalSecondaryIndexes").as_array()[0];
        QCOMPARE(gsi.at("ItemCount").as_int64(), std::int64_t(1));
        auto queried = ok("Query", J("{'TableName':'Idx','IndexName':'Gsi','KeyConditionExpression':'g = :g',"
                                     "'ExpressionAttributeValues':{':g':{'S':'y'}}}"),
            1796382893 * kSecond);
        QCOMPARE(queried.body.at("Count").as_int64(), std::int64_t(0));
        auto counters = m_engine->ttlCounters("Idx");
        QVERIFY(counters);
        QCOMPARE(counters->expired, std::int64_t(3));
        QCOMPARE(counters->deleted, std::int64_t(2));
        QCOMPARE(counters->meanDelaySeconds, (2637.0 + 2893.0) / 2);
        // b at its d.
        ok("DescribeTimeToLive", J("{'TableName':'Idx'}"), 1796391768 * kSecond);
        QCOMPARE(changes.size(), std::size_t(3));
        QCOMPARE(changes[2].time, 1796391768 * kSecond);
        QCOMPARE(described(1796391768 * kSecond).at("ItemCount").as_int64(), std::int64_t(0));
        QCOMPARE(m_engine->ttlCounters("Idx")->deleted, std::int64_t(3));
    }

    void writtenPastItsDeadline()
    {
        // v long past, TTL enabled long ago: d = tEnabled + 6875 s is before the write, so the
        // item goes at the write's own time, at the next step of the clock.
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        const EngineTime written = kStart + 200000 * kSecond;
        std::vector<WriteChange> changes;
        m_engine->subscribe([&](const WriteChange& c) { changes.push_back(c); });
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'d'},'exp':{'N':'1796370000'}}}"), written).isError());
        ok("DescribeTimeToLive", J("{'TableName':'Idx'}"), written);
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[1].cause, WriteCause::TtlDeletion);
        QCOMPARE(changes[1].time, written);
        QCOMPARE(m_engine->ttlCounters("Idx")->meanDelaySeconds, 200000.0);
    }

    void fiveYearRule()
    {
        // 5 x 365 days = 157,680,000 s before tEnabled (kStart): 1638698400.
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        // old: older than 5 years already, never expires; edge: eligible at tEnabled but older
        // than 5 years at its d (tEnabled + 8336 s), so counted expired yet never deleted;
        // fine: deleted at tEnabled + 7010 s.
        for (const char* item : { "{'pk':{'S':'old'},'exp':{'N':'1638698399'}}", "{'pk':{'S':'edge'},'exp':{'N':'1638698500'}}",
                 "{'pk':{'S':'fine'},'exp':{'N':'1640000000'}}" })
            QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':") + J(item) + "}", kStart).isError());
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 7009 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(3));
        scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 7010 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(2));
        scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 400 * 86400 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(2));
        QVERIFY(text(scan).contains("old"));
        QVERIFY(text(scan).contains("edge"));
        QCOMPARE(m_engine->ttlCounters("Idx")->expired, std::int64_t(2));
        QCOMPARE(m_engine->ttlCounters("Idx")->deleted, std::int64_t(1));
    }

    void otherTypesAndNestedValuesAreIgnored()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        for (const char* item : { "{'pk':{'S':'s'},'exp':{'S':'1796380000'}}", "{'pk':{'S':'ns'},'exp':{'NS':['1796380000']}}",
                 "{'pk':{'S':'nested'},'m':{'M':{'exp':{'N':'1796380000'}}}}",
                 "{'pk':{'S':'list'},'exp':{'L':[{'N':'1796380000'}]}}", "{'pk':{'S':'bool'},'exp':{'BOOL':true}}",
                 "{'pk':{'S':'other'},'expires':{'N':'1796380000'}}" })
            QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':") + J(item) + "}", kStart).isError());
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 400 * 86400 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(6));
        QCOMPARE(m_engine->ttlCounters("Idx")->expired, std::int64_t(0));
    }

    void changingTheAttributeReschedules()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        for (const char* pk : { "a", "b", "c" })
            QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'") + pk + J("'},'exp':{'N':'1796380000'}}}"), kStart)
                         .isError());
        const EngineTime change = 1796381000 * kSecond;
        // a: a later value, due at 1796390000 + 27164 s; b: removed; c: no longer a number.
        QVERIFY(!ok("UpdateItem", J("{'TableName':'Idx','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET exp = :v',"
                                    "'ExpressionAttributeValues':{':v':{'N':'1796390000'}}}"),
            change)
                     .isError());
        QVERIFY(!ok("UpdateItem", J("{'TableName':'Idx','Key':{'pk':{'S':'b'}},'UpdateExpression':'REMOVE exp'}"), change)
                     .isError());
        QVERIFY(!ok("UpdateItem", J("{'TableName':'Idx','Key':{'pk':{'S':'c'}},'UpdateExpression':'SET exp = :v',"
                                    "'ExpressionAttributeValues':{':v':{'S':'1796380000'}}}"),
            change)
                     .isError());
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), 1796417163 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(3));
        std::vector<WriteChange> changes;
        m_engine->subscribe([&](const WriteChange& c) { changes.push_back(c); });
        scan = ok("Scan", J("{'TableName':'Idx'}"), 1796417164 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(2));
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(ttlKeyText(changes[0].key), std::string(R"({"pk":{"S":"a"}})"));
        QCOMPARE(changes[0].time, 1796417164 * kSecond);
        scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 400 * 86400 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(2));
    }

    void disablingCancelsAndEnablingRebuilds()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        // Items written before TTL is enabled are scheduled when it is.
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'a'},'exp':{'N':'1796380000'}}}"), kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(false, "exp", "Idx"), kStart + 3600 * kSecond).isError());
        const EngineTime later = 1796500000 * kSecond;
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), later);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(1));
        // Enabled again: tEnabled is later than v, so d = tEnabled + 2893 s.
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), later).isError());
        scan = ok("Scan", J("{'TableName':'Idx'}"), later + 2892 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(1));
        scan = ok("Scan", J("{'TableName':'Idx'}"), later + 2893 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(0));
    }

    void deletingTheTableDropsItsSchedule()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'a'},'exp':{'N':'1796380000'}}}"), kStart).isError());
        QVERIFY(!ok("DeleteTable", J("{'TableName':'Idx'}"), kStart).isError());
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'a'},'exp':{'N':'1796380000'}}}"), kStart).isError());
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), kStart + 400 * 86400 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(1));
    }

    void reopenKeepsSchedule()
    {
        const std::string db = (m_dir.path() + "/schedule.sqlite").toStdString();
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            QVERIFY(!call(d, "CreateTable", kIndexed, kStart).isError());
            QVERIFY(!call(d, "UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
            for (const char* pk : { "a", "b" })
                QVERIFY(!call(d, "PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'") + pk + J("'},'exp':{'N':'1796380000'}}}"), kStart)
                             .isError());
        }
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            auto scan = call(d, "Scan", J("{'TableName':'Idx'}"), 1796382893 * kSecond);
            QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(1)); // a went at its d
        }
        auto engine = std::move(Engine::open(db)).value();
        QCOMPARE(engine->ttlCounters("Idx")->deleted, std::int64_t(1));
        QCOMPARE(engine->ttlCounters("Idx")->expired, std::int64_t(2));
        Dispatcher d(*engine);
        auto scan = call(d, "Scan", J("{'TableName':'Idx'}"), 1796391768 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(0));
    }

    void refusedChangeLeavesTheScheduleAlone()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'a'},'exp':{'N':'1796380000'}}}"), kStart).isError());
        QVERIFY(call(*m_d, "UpdateTimeToLive", spec(false, "exp", "Idx"), kStart + 10 * kSecond).isError());
        auto scan = ok("Scan", J("{'TableName':'Idx'}"), 1796382893 * kSecond);
        QCOMPARE(scan.body.at("Count").as_int64(), std::int64_t(0));
    }

    void failedDeletionChangesNothing()
    {
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), kStart).isError());
        QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'a'},'g':{'S':'x'},'exp':{'N':'1796380000'}}}"), kStart)
                     .isError());
        m_engine->failNextStorageWrite(0);
        QVERIFY(!m_engine->advanceTime(1796382893 * kSecond));
        // Rolled back whole: the item, its index entry and the schedule are as before; the next
        // step deletes it.
        QCOMPARE(m_engine->table("Idx")->itemCount(), std::int64_t(1));
        QCOMPARE(m_engine->ttlCounters("Idx")->deleted, std::int64_t(0));
        QVERIFY(m_engine->advanceTime(1796382894 * kSecond));
        QCOMPARE(m_engine->table("Idx")->itemCount(), std::int64_t(0));
        QCOMPARE(m_engine->table("Idx")->indexes[0].itemCount(), std::int64_t(0));
    }

    // Seeded random writes with TTL values, deletes, rewrites, TTL switched off and on, and
    // clock steps, against TtlModel: the same deletions at the same times in the same order,
    // the same items, the same counters.
    void randomizedAgainstModel_data()
    {
        QTest::addColumn<unsigned>("seed");
        for (unsigned seed : { 1u, 2u, 3u, 4u })
            QTest::addRow("seed %u", seed) << seed;
    }

    void randomizedAgainstModel()
    {
        QFETCH(unsigned, seed);
        std::mt19937_64 random(seed);
        auto pick = [&](std::int64_t low, std::int64_t high) {
            return std::uniform_int_distribution<std::int64_t>(low, high)(random);
        };
        QVERIFY(!ok("CreateTable", kIndexed, kStart).isError());
        std::vector<std::pair<std::string, EngineTime>> deletions;
        m_engine->subscribe([&](const WriteChange& c) {
            if (c.cause == WriteCause::TtlDeletion)
                deletions.emplace_back(c.key.at("pk").bytes(), c.time);
        });
        TtlModel model;
        EngineTime now = kStart;
        QVERIFY(!ok("UpdateTimeToLive", spec(true, "exp", "Idx"), now).isError());
        model.setEnabled(true, now);
        for (int step = 0; step < 1500; ++step) {
            const std::int64_t op = pick(0, 99);
            const std::string pk = "k" + std::to_string(pick(0, 14));
            if (op < 30) {
                now += pick(0, 12000) * kSecond + pick(0, 999999);
                ok("DescribeTimeToLive", J("{'TableName':'Idx'}"), now);
                model.advance(now);
            } else if (op < 70) {
                TtlModel::ModelItem item;
                item.payload = static_cast<int>(pick(0, 1000));
                std::string exp;
                const std::int64_t kind = pick(0, 9);
                const std::int64_t nowSeconds = now / kSecond;
                if (kind < 7 || kind == 9) {
                    std::int64_t v = kind == 9 ? nowSeconds - 157680000 + pick(-30000, 30000) : nowSeconds + pick(-6000, 30000);
                    const bool half = pick(0, 3) == 0;
                    item.numberValue = std::to_string(v) + (half ? ".5" : "");
                    item.valueMicros = v * kSecond + (half ? 500000 : 0);
                    exp = J(",'exp':{'N':'") + *item.numberValue + J("'}");
                } else if (kind == 7) {
                    exp = J(",'exp':{'S':'") + std::to_string(nowSeconds) + J("'}");
                }
                QVERIFY(!ok("PutItem", J("{'TableName':'Idx','Item':{'pk':{'S':'") + pk + J("'},'g':{'S':'g")
                        + std::to_string(item.payload % 3) + J("'},'p':{'N':'") + std::to_string(item.payload) + J("'}")
                        + exp + "}}", now)
                             .isError());
                model.advance(now);
                model.write(pk, item, now);
            } else if (op < 82) {
                QVERIFY(!ok("DeleteItem", J("{'TableName':'Idx','Key':{'pk':{'S':'") + pk + J("'}}}"), now).isError());
                model.advance(now);
                model.erase(pk);
            } else if (op < 95) {
                // A rewrite that keeps the TTL value (only if the item exists).
                auto r = call(*m_d, "UpdateItem", J("{'TableName':'Idx','Key':{'pk':{'S':'") + pk
                        + J("'}},'UpdateExpression':'SET p = :p','ConditionExpression':'attribute_exists(pk)',"
                            "'ExpressionAttributeValues':{':p':{'N':'7'}}}"),
                    now);
                model.advance(now);
                if (!r.isError()) {
                    QVERIFY(model.items.count(pk));
                    model.schedule(pk, now);
                } else {
                    QCOMPARE(QString::fromStdString(r.errorType), QString("ConditionalCheckFailedException"));
                    QVERIFY(!model.items.count(pk));
                }
            } else {
                auto r = call(*m_d, "UpdateTimeToLive", spec(!model.enabled, "exp", "Idx"), now);
                model.advance(now);
                const bool accepted = !model.lastChange || now - *model.lastChange >= kTtlCooldown;
                QCOMPARE(r.isError(), !accepted);
                if (accepted)
                    model.setEnabled(!model.enabled, now);
            }
            QCOMPARE(deletions.size(), model.deletions.size());
        }
        now += 3 * 86400 * kSecond;
        ok("DescribeTimeToLive", J("{'TableName':'Idx'}"), now);
        model.advance(now);
        QCOMPARE(deletions, model.deletions);
        QVERIFY(model.deleted > 50);
        auto scan = ok("Scan", J("{'TableName':'Idx','ConsistentRead':true}"), now);
        std::set<std::string> present;
        for (const auto& item : scan.body.at("Items").as_array())
            present.insert(std::string(item.at("pk").at("S").as_string()));
        std::set<std::string> expected;
        for (const auto& [pk, item] : model.items)
            expected.insert(pk);
        QCOMPARE(present, expected);
        QCOMPARE(m_engine->table("Idx")->indexes[0].itemCount(), m_engine->table("Idx")->itemCount());
        const auto counters = m_engine->ttlCounters("Idx");
        QCOMPARE(counters->expired, model.expired);
        QCOMPARE(counters->deleted, model.deleted);
        QCOMPARE(counters->meanDelaySeconds, static_cast<double>(model.delaySum) / 1e6 / static_cast<double>(model.deleted));
    }
};

QTEST_GUILESS_MAIN(TestTtl)
#include "tst_ttl.moc"
