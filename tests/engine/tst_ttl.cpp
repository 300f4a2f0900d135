// Time to Live (reference A6, C 7) through the Dispatcher: UpdateTimeToLive's errors in their
// order, DescribeTimeToLive's shapes, the cooldown and status delay, settings that survive a
// reopen; and expiry on the engine's clock.

#include "engine/dispatcher.h"
#include "engine/ttl.h"
#include "tests/support/wire.h"

#include <QtTest>

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

std::string spec(bool enabled, const std::string& attribute, const std::string& table = "Tab")
{
    return J("{'TableName':'") + table + J("','TimeToLiveSpecification':{'Enabled':") + (enabled ? "true" : "false")
        + J(",'AttributeName':'") + attribute + J("'}}");
}

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
        m_engine->advanceTime(kStart);
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
};

QTEST_GUILESS_MAIN(TestTtl)
#include "tst_ttl.moc"
