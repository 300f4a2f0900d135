// Kinesis Data Streams destinations through the Dispatcher (engine/kinesis.h): the DynamoDB API's
// request and response shapes, ENABLING → ACTIVE and DISABLING → DISABLED on the engine's clock
// (model.streamToggleDelay, 5 s), the precision, the errors, and persistence in the database.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QtTest>

using namespace capsim;
using capsim::test::call;
using capsim::test::J;
using capsim::test::message;
using capsim::test::text;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kStart = 1796378400 * kSecond;
const std::string kStream = "arn:aws:kinesis:us-east-1:000000000000:stream/orders";

} // namespace

class TestKinesis : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_d;

    WireResponse at(EngineTime now, const std::string& operation, const std::string& request)
    {
        return call(*m_d, operation, J(request), now);
    }

    static std::string str(const WireResponse& r, const char* name)
    {
        return std::string(r.body.as_object().at(name).as_string());
    }

    static QString errorType(const WireResponse& r)
    {
        const QString type = QString::fromStdString(str(r, "__type"));
        return type.mid(type.indexOf('#') + 1);
    }

    std::string status(EngineTime now)
    {
        auto r = at(now, "DescribeKinesisStreamingDestination", "{'TableName':'Tab'}");
        const auto& list = r.body.as_object().at("KinesisDataStreamDestinations").as_array();
        return list.empty() ? "" : std::string(list.back().at("DestinationStatus").as_string());
    }

    void open()
    {
        m_d.reset();
        m_engine = std::move(Engine::open((m_dir.path() + "/k.sqlite").toStdString())).value();
        m_d = std::make_unique<Dispatcher>(*m_engine);
    }

private slots:
    void init()
    {
        QFile::remove(m_dir.path() + "/k.sqlite");
        open();
        QVERIFY(!at(kStart, "CreateTable",
            "{'TableName':'Tab','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk',"
            "'AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}")
                     .isError());
    }

    void lifecycleOnTheClockAndAcrossReopen()
    {
        auto enabled = at(kStart, "EnableKinesisStreamingDestination",
            "{'TableName':'Tab','StreamArn':'" + kStream
                + "','EnableKinesisStreamingConfiguration':{'ApproximateCreationDateTimePrecision':'MICROSECOND'}}");
        QVERIFY2(!enabled.isError(), qPrintable(text(enabled)));
        QCOMPARE(text(enabled),
            QString::fromStdString(J("{'TableName':'Tab','StreamArn':'" + kStream
                + "','DestinationStatus':'ENABLING','EnableKinesisStreamingConfiguration':{"
                  "'ApproximateCreationDateTimePrecision':'MICROSECOND'}}")));
        QCOMPARE(status(kStart + 4 * kSecond), std::string("ENABLING"));
        // Reopened (another process): the destination is in the database.
        open();
        QCOMPARE(status(kStart + 5 * kSecond), std::string("ACTIVE"));
        auto described = at(kStart + 5 * kSecond, "DescribeKinesisStreamingDestination",
            "{'TableName':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab'}");
        QCOMPARE(text(described),
            QString::fromStdString(J("{'TableName':'Tab','KinesisDataStreamDestinations':[{'StreamArn':'" + kStream
                + "','DestinationStatus':'ACTIVE','ApproximateCreationDateTimePrecision':'MICROSECOND'}]}")));
        // Already enabled: ResourceInUseException.
        QCOMPARE(errorType(at(kStart + 6 * kSecond, "EnableKinesisStreamingDestination",
                     "{'TableName':'Tab','StreamArn':'" + kStream + "'}")),
            "ResourceInUseException");
        auto updated = at(kStart + 6 * kSecond, "UpdateKinesisStreamingDestination",
            "{'TableName':'Tab','StreamArn':'" + kStream
                + "','UpdateKinesisStreamingConfiguration':{'ApproximateCreationDateTimePrecision':'MILLISECOND'}}");
        QVERIFY2(!updated.isError(), qPrintable(text(updated)));
        auto disabled = at(kStart + 10 * kSecond, "DisableKinesisStreamingDestination",
            "{'TableName':'Tab','StreamArn':'" + kStream + "'}");
        QCOMPARE(str(disabled, "DestinationStatus"), std::string("DISABLING"));
        QCOMPARE(status(kStart + 14 * kSecond), std::string("DISABLING"));
        QCOMPARE(status(kStart + 15 * kSecond), std::string("DISABLED"));
        // Disabled twice: ValidationException; enabled again: ENABLING, default precision.
        QCOMPARE(errorType(at(kStart + 16 * kSecond, "DisableKinesisStreamingDestination",
                     "{'TableName':'Tab','StreamArn':'" + kStream + "'}")),
            "ValidationException");
        auto again = at(kStart + 20 * kSecond, "EnableKinesisStreamingDestination",
            "{'TableName':'Tab','StreamArn':'" + kStream + "'}");
        QCOMPARE(str(again, "DestinationStatus"), std::string("ENABLING"));
        QCOMPARE(std::string(again.body.as_object()
                                 .at("EnableKinesisStreamingConfiguration")
                                 .at("ApproximateCreationDateTimePrecision")
                                 .as_string()),
            std::string("MILLISECOND"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("type");
        QTest::addRow("unknown table") << "EnableKinesisStreamingDestination"
                                       << QString::fromStdString("{'TableName':'Nope','StreamArn':'" + kStream + "'}")
                                       << "ResourceNotFoundException";
        QTest::addRow("not a Kinesis ARN")
            << "EnableKinesisStreamingDestination"
            << "{'TableName':'Tab','StreamArn':'arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/x'}"
            << "ValidationException";
        QTest::addRow("bad precision") << "EnableKinesisStreamingDestination"
                                       << QString::fromStdString("{'TableName':'Tab','StreamArn':'" + kStream
                                              + "','EnableKinesisStreamingConfiguration':{"
                                                "'ApproximateCreationDateTimePrecision':'SECOND'}}")
                                       << "ValidationException";
        QTest::addRow("no StreamArn") << "EnableKinesisStreamingDestination" << "{'TableName':'Tab'}"
                                      << "ValidationException";
        QTest::addRow("disable, never enabled")
            << "DisableKinesisStreamingDestination"
            << QString::fromStdString("{'TableName':'Tab','StreamArn':'" + kStream + "'}") << "ValidationException";
        QTest::addRow("describe, unknown table") << "DescribeKinesisStreamingDestination" << "{'TableName':'Nope'}"
                                                 << "ResourceNotFoundException";
    }

    void errors()
    {
        QFETCH(QString, operation);
        QFETCH(QString, request);
        QFETCH(QString, type);
        auto r = at(kStart + kSecond, operation.toStdString(), request.toStdString());
        QVERIFY(r.isError());
        QCOMPARE(errorType(r), type);
        // Nothing stored.
        QCOMPARE(status(kStart + kSecond), std::string());
    }
};

QTEST_GUILESS_MAIN(TestKinesis)
#include "tst_kinesis.moc"
