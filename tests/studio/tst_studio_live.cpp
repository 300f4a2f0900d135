// The Live page attached to a real `capsim serve` child process: a provisioned table driven past
// its capacity over raw HTTP shows up with its consumed units, capacity and throttles; a stopped
// server shows as unreachable; `capsim-studio --attach URL --screenshot DIR` saves live.png, or
// exits 1 when nothing answers. LiveHistory's cost so far at the reference's prices.

#include "app/studio/models/live_history.h"
#include "app/studio/pages/live_page.h"
#include "simulator/pricing.h"
#include "tests/support/cli_process.h"
#include "tests/support/serve_process.h"

#include <QAbstractSeries>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

namespace {

using capsim::test::ServeProcess;

// One keep-alive HTTP/1.1 connection, blocking: what an SDK sends, by hand.
class Client {
public:
    explicit Client(quint16 port) { m_socket.connectToHost(QStringLiteral("127.0.0.1"), port); }
    bool connected() { return m_socket.waitForConnected(10000); }

    // The HTTP status of a DynamoDB call (0 when no whole answer came), its body in `body`.
    int call(const QByteArray& operation, const QByteArray& json, QByteArray* body = nullptr)
    {
        m_socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                       "X-Amz-Target: DynamoDB_20120810."
            + operation + "\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json);
        QByteArray buffer;
        qsizetype headEnd = -1;
        while ((headEnd = buffer.indexOf("\r\n\r\n")) < 0) {
            if (!m_socket.waitForReadyRead(20000))
                return 0;
            buffer += m_socket.readAll();
        }
        const QByteArray head = buffer.left(headEnd);
        static const QRegularExpression length(
            "\\r\\ncontent-length: *(\\d+)", QRegularExpression::CaseInsensitiveOption);
        const auto match = length.match(QString::fromLatin1(head));
        const qsizetype size = match.hasMatch() ? match.captured(1).toLongLong() : 0;
        while (buffer.size() < headEnd + 4 + size) {
            if (!m_socket.waitForReadyRead(20000))
                return 0;
            buffer += m_socket.readAll();
        }
        if (body)
            *body = buffer.mid(headEnd + 4, size);
        return head.mid(9, 3).toInt();
    }

private:
    QTcpSocket m_socket;
};

// The sum over a step series (two points per second) of its values, one per second.
double stepSum(const QLineSeries* series)
{
    double sum = 0;
    const auto points = series->points();
    for (qsizetype i = 0; i + 1 < points.size(); i += 2)
        sum += points[i].y();
    return sum;
}

QLineSeries* seriesIn(QChartView* view, const QString& name)
{
    for (QAbstractSeries* s : view->chart()->series()) {
        if (auto* area = qobject_cast<QAreaSeries*>(s); area && area->upperSeries()->objectName() == name)
            return area->upperSeries();
        if (auto* line = qobject_cast<QLineSeries*>(s); line && line->objectName() == name)
            return line;
    }
    return nullptr;
}

QByteArray liveAnswer(
    const char* billingMode, double readCapacity, double writeCapacity, qint64 now, const QByteArray& seconds)
{
    return QByteArray("{\"now\":") + QByteArray::number(now) + ",\"tables\":[{\"region\":\"us-east-1\",\"name\":\"T\","
        + "\"billingMode\":\"" + billingMode + "\",\"tableClass\":\"STANDARD\",\"readCapacity\":"
        + QByteArray::number(readCapacity) + ",\"writeCapacity\":" + QByteArray::number(writeCapacity)
        + ",\"readRateInForce\":null,\"writeRateInForce\":null,\"partitions\":1,\"itemCount\":0,\"sizeBytes\":0,"
          "\"indexes\":[]}],\"seconds\":["
        + seconds + "]}";
}

} // namespace

class TestStudioLive : public QObject {
    Q_OBJECT

private slots:
    // Cost so far at the built-in us-east-1 prices (reference A5): on demand, units at the
    // per-million prices; provisioned, capacity for the hours covered (first second to now).
    // Each poll asks from the latest second it has (which may have been partial) and the server
    // sends every second from then on again.
    void costSoFar_data()
    {
        const capsim::ClassPrices prices = capsim::builtInPricing("us-east-1").value().standard;
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second");
        QTest::addColumn<double>("cost");
        const QByteArray units = "{\"region\":\"us-east-1\",\"table\":\"T\",\"second\":1000,\"readUnits\":400000,"
                                 "\"writeUnits\":200000,\"readThrottles\":0,\"writeThrottles\":3}";
        const QByteArray moreUnits = "{\"region\":\"us-east-1\",\"table\":\"T\",\"second\":1001,\"readUnits\":600000,"
                                     "\"writeUnits\":800000,\"readThrottles\":0,\"writeThrottles\":0}";
        QTest::addRow("on demand: a million of each")
            << liveAnswer("PAY_PER_REQUEST", 0, 0, 1001, units)
            << liveAnswer("PAY_PER_REQUEST", 0, 0, 1002, units + "," + moreUnits)
            << prices.onDemandReadPerMillion + prices.onDemandWritePerMillion;
        QTest::addRow("on demand: a second polled twice counts once")
            << liveAnswer("PAY_PER_REQUEST", 0, 0, 1000, units) << liveAnswer("PAY_PER_REQUEST", 0, 0, 1001, units)
            << (0.4 * prices.onDemandReadPerMillion + 0.2 * prices.onDemandWritePerMillion);
        QTest::addRow("provisioned: 10 RCU and 5 WCU for an hour")
            << liveAnswer("PROVISIONED", 10, 5, 1000, units) << liveAnswer("PROVISIONED", 10, 5, 1000 + 3600, "")
            << (10 * prices.provisionedReadUnitHour + 5 * prices.provisionedWriteUnitHour);
    }

    void costSoFar()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        QFETCH(double, cost);
        capsim::studio::LiveHistory history;
        QString error;
        QVERIFY2(history.merge(first, &error), qPrintable(error));
        QVERIFY2(history.merge(second, &error), qPrintable(error));
        QCOMPARE(history.entries().size(), std::size_t(1));
        QVERIFY(cost > 0);
        QVERIFY2(qAbs(history.costUsd(history.entries().front()) - cost) < 1e-12,
            qPrintable(QString::number(history.costUsd(history.entries().front()), 'g', 12)));
        QCOMPARE(history.totalCostUsd(), history.costUsd(history.entries().front()));
    }

    void notALiveAnswer_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::addRow("html") << QByteArray("<html>") << "not JSON";
        QTest::addRow("health check") << QByteArray("healthy: h") << "not JSON";
        QTest::addRow("other JSON") << QByteArray("{\"TableNames\":[]}") << "is this capsim serve?";
    }

    void notALiveAnswer()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        capsim::studio::LiveHistory history;
        QString error;
        QVERIFY(!history.merge(body, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(history.empty());
    }

    // A 1 WCU table written past its burst: the page shows the table, its units, its capacity and
    // its throttles once the server reports them; then the stopped server as unreachable.
    void showsAThrottledTable()
    {
        ServeProcess serve;
        QVERIFY(serve.start());
        Client client(serve.port);
        QVERIFY(client.connected());
        QCOMPARE(
            client.call("CreateTable",
                "{\"TableName\":\"Live\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}"),
            200);
        // 8 KB items (8 WCU each) spend the 300-unit burst in a few dozen writes.
        const QByteArray payload(8000, 'x');
        int accepted = 0;
        int throttled = 0;
        for (int i = 0; i < 400 && throttled < 4; ++i) {
            QByteArray body;
            const int status = client.call("PutItem",
                "{\"TableName\":\"Live\",\"Item\":{\"id\":{\"S\":\"k" + QByteArray::number(i) + "\"},\"v\":{\"S\":\""
                    + payload + "\"}}}",
                &body);
            if (status == 200) {
                ++accepted;
            } else {
                QCOMPARE(status, 400);
                QVERIFY2(body.contains("ProvisionedThroughputExceededException"), body.constData());
                ++throttled;
            }
        }
        QCOMPARE(throttled, 4);
        QVERIFY(accepted >= 30);
        QByteArray read;
        QCOMPARE(client.call("GetItem",
                     "{\"TableName\":\"Live\",\"Key\":{\"id\":{\"S\":\"k0\"}},\"ConsistentRead\":true}", &read),
            200);

        capsim::studio::LivePage page;
        page.resize(1400, 900);
        page.show();
        page.attach(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serve.port)));
        QVERIFY(page.isAttached());
        auto* reads = page.findChild<QChartView*>(QStringLiteral("readsChart"));
        auto* writes = page.findChild<QChartView*>(QStringLiteral("writesChart"));
        QVERIFY(reads && writes);
        // The charts end at the last whole second: poll until the writes are all shown.
        const double writeUnits = 8.0 * accepted;
        QTRY_VERIFY_WITH_TIMEOUT(page.isConnected() && stepSum(seriesIn(writes, "consumed")) == writeUnits, 30000);
        QCOMPARE(page.chosenLabel(), QStringLiteral("us-east-1 · Live"));
        QCOMPARE(page.findChild<QComboBox*>(QStringLiteral("tableChooser"))->count(), 1);
        QCOMPARE(stepSum(seriesIn(writes, "throttled")), 4.0);
        QCOMPARE(stepSum(seriesIn(reads, "consumed")), 2.0); // one strongly consistent read of 8 KB
        QCOMPARE(stepSum(seriesIn(reads, "throttled")), 0.0);
        // The capacity line is the 1 WCU in force, every second shown.
        const auto capacity = seriesIn(writes, "capacity")->points();
        QVERIFY(!capacity.isEmpty());
        QVERIFY(std::all_of(capacity.begin(), capacity.end(), [](const QPointF& p) { return p.y() == 1.0; }));
        QCOMPARE(seriesIn(writes, "capacity")->name(), QStringLiteral("provisioned capacity (units/s)"));
        const QString writesTitle = writes->chart()->title();
        QVERIFY2(writesTitle.contains(QStringLiteral("%1 units consumed, 4 requests throttled").arg(accepted * 8)),
            qPrintable(writesTitle));
        const auto text = [&](const char* name) { return page.findChild<QLabel*>(QString::fromLatin1(name))->text(); };
        QVERIFY2(text("capacityLabel").contains(QStringLiteral("1 RCU / 1 WCU")), qPrintable(text("capacityLabel")));
        QVERIFY2(
            text("partitionsLabel").contains(QStringLiteral("Partitions:</b> 1")), qPrintable(text("partitionsLabel")));
        QVERIFY2(
            text("itemsLabel").contains(QStringLiteral("Items:</b> %1").arg(accepted)), qPrintable(text("itemsLabel")));
        QVERIFY2(text("costLabel").contains(QStringLiteral("Cost so far:</b> $")), qPrintable(text("costLabel")));
        QVERIFY2(page.statusText().contains(QStringLiteral("Connected to http://127.0.0.1:%1").arg(serve.port)),
            qPrintable(page.statusText()));

        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isConnected(), 15000);
        QVERIFY2(page.statusText().contains(QStringLiteral("Server unreachable")), qPrintable(page.statusText()));
        // What was shown stays.
        QCOMPARE(stepSum(seriesIn(writes, "throttled")), 4.0);
    }

    // `capsim-studio --attach URL --screenshot DIR --seconds N`: live.png after N seconds, exit 0;
    // exit 1 when the server cannot be reached.
    void screenshotMode()
    {
        const QString studio = QStringLiteral(CAPSIM_BINARY_DIR "/capsim-studio");
        if (!QFileInfo::exists(studio))
            QSKIP("capsim-studio is not built");
        QTemporaryDir dir;
        ServeProcess serve;
        QVERIFY(serve.start());
        const auto shot = capsim::test::runProgram(studio,
            { "--attach", QStringLiteral("http://127.0.0.1:%1").arg(serve.port), "--screenshot", dir.path(),
                "--seconds", "2" });
        QVERIFY2(shot.exitCode == 0, qPrintable(shot.err));
        QImage image(dir.filePath("live.png"));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 600 && image.height() > 400);

        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
        const auto refused = capsim::test::runProgram(studio,
            { "--attach", QStringLiteral("http://127.0.0.1:%1").arg(serve.port), "--screenshot", dir.path() + "/none",
                "--seconds", "2" });
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("cannot reach"), qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(dir.filePath("none/live.png")));
        const auto badUrl = capsim::test::runProgram(studio, { "--attach", "ftp://x", "--screenshot", dir.path() });
        QCOMPARE(badUrl.exitCode, 2);
    }
};

QTEST_MAIN(TestStudioLive)
#include "tst_studio_live.moc"
