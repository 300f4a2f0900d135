// The studio's side of the data lifecycle (issue 9): the Lifecycle page shows a table's TTL
// deletions, storage, stream records and consumer lag, data-feature costs to date and its
// backups / restores / exports / imports exactly as the run has them, hides what the table does not
// use; the cost model lists the data-feature lines; the Data page browses a stream's records and
// an export's files; the editor edits every lifecycle field and event and round-trips the JSON.
// With CAPSIM_STUDIO_REVIEW_DIR set, also saves PNGs of the pages for review.

#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/editor/scenario_editor.h"
#include "app/studio/editor/scenario_forms.h"
#include "app/studio/models/cost_breakdown_model.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/export_files.h"
#include "app/studio/pages/cost_page.h"
#include "app/studio/pages/data_page.h"
#include "app/studio/pages/lifecycle_page.h"
#include "engine/engine.h"
#include "simulator/embedded_resources.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QListWidget>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <zlib.h>

using namespace capsim;
using namespace capsim::studio;
using capsim::appcore::RunSnapshot;
using charts::ZoomChartView;

namespace {

QXYSeries* seriesNamed(ZoomChartView* view, const QString& objectName)
{
    for (QAbstractSeries* s : view->chart()->series())
        if (s->objectName() == objectName)
            return qobject_cast<QXYSeries*>(s);
    return nullptr;
}

// A run built by hand: "Orders" uses every lifecycle feature, "Plain" none.
RunSnapshot constructedRun()
{
    RunResult run;
    run.scenario = "lifecycle";
    run.simulatedSeconds = 600;
    TableResult orders;
    orders.name = "Orders";
    for (std::int64_t m = 0; m < 10; ++m) {
        MinuteRow r;
        r.minute = m;
        r.ttlDeletions = m >= 3 ? 5 * m : 0; // 15, 20, .. 45 from minute 3
        r.storageBytes = 2'000'000 + 100'000 * m; // 2.0 MB .. 2.9 MB
        r.streamRecords = 60 + m;
        r.streamReadRequests = 12;
        r.consumerLagSeconds = m == 6 ? 4.5 : 0.5;
        r.dataCostToDate = 0.001 * static_cast<double>(m + 1);
        orders.minutes.push_back(r);
    }
    orders.storageBytes = 2'900'000;
    orders.ttl = TtlSummary { 300, 270, 42.5 };
    StreamSummary stream;
    stream.records = 645; // sum of 60 + m over m = 0..9
    stream.readRequestUnits = 120;
    stream.consumers = { { "indexer", "lambda", 110, 120, 645, 645, 3, 4.5 }, { "audit", "client", 60, 120, 645, 0, 0, 1.25 } };
    orders.streams = stream;
    orders.uses = { true, true, true, true, true, true };
    orders.cost.streams = 0.0000024; // 120 units × $0.02 / 100,000
    orders.cost.pitr = 0.004;
    orders.cost.backups = 0.002;
    orders.cost.restore = 0.0003;
    orders.cost.dataExport = 0.0005;
    orders.cost.dataImport = 0.0006;
    orders.backups = { { 120, "nightly", "AVAILABLE", 2'300'000, 1200, "", 0.002 } };
    orders.restores = { { 420, "OrdersRestored", "ACTIVE", 2'300'000, 1200, "from backup nightly", 0.0003 } };
    orders.exports = { { 300, "01700000000000-abcdef12", "COMPLETED", 2'500'000, 1300, "DYNAMODB_JSON FULL_EXPORT", 0.0005 } };
    orders.imports = { { 60, "OrdersImported", "COMPLETED", 3'000'000, 1500, "CSV GZIP", 0.0006 } };
    TableResult plain;
    plain.name = "Plain";
    plain.storageBytes = 10'000;
    for (std::int64_t m = 0; m < 10; ++m) {
        MinuteRow r;
        r.minute = m;
        r.storageBytes = 1000 * (m + 1);
        plain.minutes.push_back(r);
    }
    run.tables = { orders, plain };
    RunEvent ttlOn { 90, "Orders", EventKind::EventApplied, TimeToLiveUpdated { true, "ExpTime" } };
    ChangeRefused refused;
    refused.request = ChangeRefused::Request::CreateBackup;
    refused.subject = "again";
    refused.errorType = "LimitExceededException";
    refused.message = "too many backups";
    RunEvent refusedBackup { 480, "Orders", EventKind::EventRefused, refused };
    RunEvent otherTable { 200, "Plain", EventKind::EventApplied, TimeToLiveUpdated { false, "Exp" } };
    run.events = { ttlOn, otherTable, refusedBackup };
    return std::make_shared<const RunResult>(std::move(run));
}

RunSnapshot runScenario(const std::string& json)
{
    const LoadResult loaded = loadScenarioText(json, ".");
    if (!loaded.scenario)
        qFatal("scenario does not load:\n%s", formatErrors(loaded.errors).c_str());
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

// TTL and PITR, which the simulator runs today: items written at 20/s expire 2 minutes later.
const char* kTtlPitrScenario = R"({
  "format": "capsim-scenario/1", "name": "ttl-pitr", "duration": "30m", "seed": 7,
  "tables": [{ "name": "Sessions", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PAY_PER_REQUEST",
               "ttl": {"attribute": "ExpTime"}, "pitr": {"recoveryPeriodDays": 7},
               "initialData": {"items": 2000, "itemSize": {"type": "fixed", "size": 2000}} }],
  "workloads": [{ "name": "logins", "table": "Sessions", "rate": {"type": "constant", "rate": 20},
                  "operations": {"PutItem": 0.8, "GetItem": 0.2}, "keys": {"type": "uniform", "cardinality": 1000000},
                  "itemSize": {"type": "fixed", "size": 1500}, "ttlSeconds": {"type": "fixed", "duration": "2m"} }]
})";

QByteArray gzip(const QByteArray& data)
{
    z_stream s {};
    if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&s, static_cast<uLong>(data.size()))) + 32, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    s.avail_in = static_cast<uInt>(data.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    deflate(&s, Z_FINISH);
    out.resize(static_cast<qsizetype>(s.total_out));
    deflateEnd(&s);
    return out;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QJsonObject parse(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

void diff(const QJsonValue& a, const QJsonValue& b, const QString& path, QStringList& out)
{
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        for (auto it = x.begin(); it != x.end(); ++it)
            diff(it.value(), y.value(it.key()), path + '.' + it.key(), out);
        for (auto it = y.begin(); it != y.end(); ++it)
            if (!x.contains(it.key()))
                out << path + '.' + it.key() + QStringLiteral(" added");
        return;
    }
    if (a.isArray() && b.isArray() && a.toArray().size() == b.toArray().size()) {
        for (qsizetype i = 0; i < a.toArray().size(); ++i)
            diff(a.toArray().at(i), b.toArray().at(i), path + QStringLiteral("[%1]").arg(i), out);
        return;
    }
    if (a != b)
        out << path + QStringLiteral(": %1 vs %2").arg(QString::fromUtf8(QJsonDocument(QJsonArray { a }).toJson(QJsonDocument::Compact)),
                   QString::fromUtf8(QJsonDocument(QJsonArray { b }).toJson(QJsonDocument::Compact)));
}

// A scenario with every lifecycle field and event.
QString lifecycleScenario()
{
    return QStringLiteral(R"({
  "format": "capsim-scenario/1", "name": "lifecycle", "duration": "2h",
  "tables": [
    { "name": "Orders", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PAY_PER_REQUEST",
      "ttl": {"attribute": "ExpTime"},
      "streams": {"viewType": "NEW_AND_OLD_IMAGES", "consumers": [
        {"name": "indexer", "kind": "lambda", "batchSize": 100, "pollInterval": "1s",
         "processingTime": {"type": "lognormal", "median": "200ms", "sigma": 0.5}, "writesTo": "OrdersCopy"},
        {"name": "audit", "kind": "client", "batchSize": 1000, "pollInterval": "5s",
         "processingTime": {"type": "fixed", "duration": "50ms"}, "sink": "out/audit"},
        {"name": "cdc", "kind": "kinesis", "processingTime": {"type": "uniform", "min": "10ms", "max": "1s"}}]},
      "pitr": {"recoveryPeriodDays": 7} },
    { "name": "OrdersCopy", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PAY_PER_REQUEST", "pitr": true },
    { "name": "Logs", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PAY_PER_REQUEST", "pitr": false }
  ],
  "workloads": [
    { "name": "orders", "table": "Orders", "rate": {"type": "constant", "rate": 10}, "operations": {"PutItem": 1},
      "ttlSeconds": {"type": "uniform", "min": "10m", "max": "1h"} },
    { "name": "logs", "table": "Logs", "rate": {"type": "constant", "rate": 5}, "operations": {"PutItem": 1},
      "ttlSeconds": {"type": "fixed", "duration": 600} }
  ],
  "events": [
    { "at": "10m", "action": "updateTimeToLive", "table": "Logs", "enabled": true, "attribute": "ExpTime" },
    { "at": "20m", "action": "createBackup", "table": "Orders", "name": "nightly" },
    { "at": "30m", "action": "restoreTable", "backup": "nightly", "target": "OrdersRestored" },
    { "at": "40m", "action": "restoreTable", "table": "Orders", "pointInTime": "35m", "target": "OrdersAt35" },
    { "at": "50m", "action": "exportTable", "table": "Orders", "format": "ION", "type": "INCREMENTAL_EXPORT", "pointInTime": "20m" },
    { "at": "55m", "action": "exportTable", "table": "Orders" },
    { "at": "60m", "action": "importTable", "source": "imports/orders", "format": "CSV", "compression": "GZIP",
      "target": { "name": "Imported", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PROVISIONED",
                  "provisioned": {"read": 5, "write": 5} } }
  ]
})");
}

// Makes the forms the last edited side, so scenarioJson() is rebuilt from the widgets.
void touchForms(ScenarioEditor& editor)
{
    auto* name = editor.findChild<QLineEdit*>(QStringLiteral("name"));
    QVERIFY(name);
    const QString original = name->text();
    name->setText(original + QStringLiteral("x"));
    name->setText(original);
}

QJsonObject at(const QJsonObject& o, const QString& key, int index)
{
    return o.value(key).toArray().at(index).toObject();
}

} // namespace

class TestStudioLifecycle : public QObject {
    Q_OBJECT

private slots:
    void markersFromMovementsAndEvents()
    {
        const RunSnapshot run = constructedRun();
        const auto markers = lifecycleMarkers(*run, run->tables[0]);
        // 4 movements (import 1 min, backup 2 min, export 5 min, restore 7 min) and 2 events of
        // Orders (TTL on at 1.5 min, refused backup at 8 min); Plain's TTL change is not Orders'.
        QCOMPARE(markers.size(), std::size_t(6));
        const std::vector<std::pair<double, QString>> expected = { { 1.0, "import OrdersImported" }, { 1.5, "TTL on ExpTime" },
            { 2.0, "backup nightly" }, { 5.0, "export 01700000000000-abcdef" }, { 7.0, "restore OrdersRestored" },
            { 8.0, "refused CreateBackup" } };
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(markers[i].x, expected[i].first);
            QCOMPARE(markers[i].label, expected[i].second);
        }
        QVERIFY(markers[2].toolTip.contains("2.3 MB"));
        QVERIFY(lifecycleMarkers(*run, run->tables[1]).size() == 1);
        QVERIFY(usesLifecycleFeatures(run->tables[0]));
        QVERIFY(!usesLifecycleFeatures(run->tables[1]));
    }

    void pageShowsConstructedRun()
    {
        const RunSnapshot run = constructedRun();
        LifecyclePage page;
        page.resize(1500, 950);
        page.setRun(run, true);
        const TableResult& t = run->tables[0];
        auto* storage = page.findChild<ZoomChartView*>("storageChart");
        auto* stream = page.findChild<ZoomChartView*>("streamChart");
        auto* cost = page.findChild<ZoomChartView*>("dataCostChart");
        QVERIFY(storage && stream && cost);
        QVERIFY(!storage->isHidden() && !stream->isHidden() && !cost->isHidden());

        // TTL deletions as steps over each minute; storage at each minute's end, in MB (2.9 MB max).
        QXYSeries* deletions = seriesNamed(storage, "ttlDeletions");
        QXYSeries* bytes = seriesNamed(storage, "storage");
        QVERIFY(deletions && bytes);
        QCOMPARE(deletions->count(), qsizetype(20));
        for (int m = 0; m < 10; ++m) {
            QCOMPARE(deletions->at(2 * m), QPointF(m, double(t.minutes[m].ttlDeletions)));
            QCOMPARE(deletions->at(2 * m + 1), QPointF(m + 1, double(t.minutes[m].ttlDeletions)));
            QCOMPARE(bytes->at(m), QPointF(m + 1, (2'000'000 + 100'000 * m) / 1e6));
        }
        QVERIFY(bytes->name().contains("MB"));
        // Stream records per minute and the lag's peak at minute 6.
        QXYSeries* records = seriesNamed(stream, "streamRecords");
        QXYSeries* lag = seriesNamed(stream, "consumerLag");
        QVERIFY(records && lag);
        QCOMPARE(records->at(13), QPointF(7, 66.0));
        QCOMPARE(lag->at(6), QPointF(6.5, 4.5));
        // Data-feature cost to date, ending at $0.01 after minute 9.
        QXYSeries* dataCost = seriesNamed(cost, "dataCost");
        QVERIFY(dataCost);
        QCOMPARE(dataCost->at(dataCost->count() - 1), QPointF(10, 0.01));
        QVERIFY(cost->chart()->title().contains(formatMoney(t.cost.dataFeatures(), "USD")));
        // The markers on every chart.
        for (ZoomChartView* v : { storage, stream, cost })
            QCOMPARE(v->markers().size(), std::size_t(6));

        // The summary: TTL figures, stream figures, costs.
        const QString summary = page.findChild<QLabel*>("lifecycleSummary")->text();
        for (const QString& part : { QStringLiteral("300 items expired"), QStringLiteral("270 deleted"),
                 QStringLiteral("645 records"), QStringLiteral("120 billable read request units"),
                 QStringLiteral("largest lag <b>4.5 s</b>"), QStringLiteral("PITR"), formatMoney(0.004, "USD"),
                 formatMoney(t.cost.dataFeatures(), "USD") })
            QVERIFY2(summary.contains(part), qPrintable(part + " not in " + summary));
        auto* consumers = page.findChild<QTableWidget*>("consumersTable");
        QVERIFY(consumers && !consumers->isHidden());
        QCOMPARE(consumers->rowCount(), 2);
        QCOMPARE(consumers->item(0, 0)->text(), QStringLiteral("indexer"));
        QCOMPARE(consumers->item(0, 2)->text(), QStringLiteral("110"));
        QCOMPARE(consumers->item(0, 7)->text(), QStringLiteral("4.5 s"));
        auto* movements = page.findChild<QTableWidget*>("movementsTable");
        QVERIFY(movements && !movements->isHidden());
        QCOMPARE(movements->rowCount(), 4);
        const QStringList order = { "import", "backup", "export", "restore" };
        for (int r = 0; r < 4; ++r)
            QCOMPARE(movements->item(r, 1)->text(), order[r]);
        QCOMPARE(movements->item(1, 4)->text(), QStringLiteral("2.3 MB"));
        QCOMPARE(movements->item(1, 6)->text(), formatMoney(0.002, "USD"));
        QSignalSpy selected(&page, &ResultPage::timeSelected);
        emit movements->cellDoubleClicked(2, 0);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().front().toDouble(), 300.0);

        if (const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QTest::qWait(100);
            QVERIFY(page.grab().save(dir + "/lifecycle-constructed.png"));
        }

        // A table without lifecycle features: only storage, said plainly.
        QVERIFY(page.chooseTable("Plain"));
        QVERIFY(!storage->isHidden());
        QVERIFY(stream->isHidden());
        QVERIFY(cost->isHidden());
        QVERIFY(consumers->isHidden());
        QVERIFY(movements->isHidden());
        QVERIFY(!seriesNamed(storage, "ttlDeletions"));
        QVERIFY(seriesNamed(storage, "storage"));
        QVERIFY(page.findChild<QLabel*>("lifecycleUses")->text().contains("uses no data-lifecycle feature"));
        if (const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !dir.isEmpty()) {
            QTest::qWait(50);
            QVERIFY(page.grab().save(dir + "/lifecycle-plain.png"));
        }
        page.setRun(nullptr, true);
        QVERIFY(storage->isHidden());
    }

    void pageShowsRealTtlPitrRun()
    {
        const RunSnapshot run = runScenario(kTtlPitrScenario);
        const TableResult& t = run->tables.front();
        QVERIFY(t.ttl);
        QVERIFY(t.uses.pitr);
        QVERIFY(t.ttl->deleted > 0);
        LifecyclePage page;
        page.resize(1500, 950);
        page.setRun(run, true);
        auto* storage = page.findChild<ZoomChartView*>("storageChart");
        auto* stream = page.findChild<ZoomChartView*>("streamChart");
        auto* cost = page.findChild<ZoomChartView*>("dataCostChart");
        QVERIFY(!storage->isHidden());
        QVERIFY(stream->isHidden()); // no stream in the scenario
        QVERIFY(!cost->isHidden()); // PITR is priced
        // The per-minute deletions add up to the TTL summary's count.
        std::int64_t deleted = 0;
        for (const MinuteRow& r : t.minutes)
            deleted += r.ttlDeletions;
        QCOMPARE(deleted, t.ttl->deleted);
        QXYSeries* deletions = seriesNamed(storage, "ttlDeletions");
        QCOMPARE(deletions->count(), qsizetype(2 * t.minutes.size()));
        QXYSeries* dataCost = seriesNamed(cost, "dataCost");
        QCOMPARE(dataCost->count(), qsizetype(t.minutes.size()));
        QCOMPARE(dataCost->at(dataCost->count() - 1).y(), t.minutes.back().dataCostToDate);
        QVERIFY(t.cost.pitr > 0);
        const QString summary = page.findChild<QLabel*>("lifecycleSummary")->text();
        QVERIFY(summary.contains(QStringLiteral("%1 deleted by TTL").arg(formatNumber(double(t.ttl->deleted), 0))));
        QVERIFY(summary.contains(formatMoney(t.cost.pitr, "USD")));
        QVERIFY(page.findChild<QTableWidget*>("movementsTable")->isHidden());

        // The cost model lists PITR, and the Cost page shows only the data-feature columns used.
        CostPage costPage;
        costPage.setRun(run, true);
        auto* model = costPage.findChild<CostBreakdownModel*>("costBreakdownModel");
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->index(0, CostBreakdownModel::PitrColumn).data(CostBreakdownModel::ValueRole).toDouble(), t.cost.pitr);
        QCOMPARE(model->index(0, CostBreakdownModel::TotalColumn).data(CostBreakdownModel::ValueRole).toDouble(), t.cost.total());
        auto* view = costPage.findChild<QTableView*>("costTable");
        QVERIFY(!view->isColumnHidden(CostBreakdownModel::PitrColumn));
        for (int c : { CostBreakdownModel::StreamsColumn, CostBreakdownModel::BackupsColumn, CostBreakdownModel::RestoreColumn,
                 CostBreakdownModel::ExportColumn, CostBreakdownModel::ImportColumn })
            QVERIFY(view->isColumnHidden(c));
        QVERIFY(costPage.findChild<QLabel*>("costSummary")->text().contains("data features"));

        if (const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QTest::qWait(100);
            QVERIFY(page.grab().save(dir + "/lifecycle-ttl-pitr.png"));
        }
    }

    void costModelDataFeatureLines()
    {
        const RunSnapshot run = constructedRun();
        CostBreakdownModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(run);
        const TableResult& t = run->tables[0];
        const auto value = [&](int row, int column) { return model.index(row, column).data(CostBreakdownModel::ValueRole).toDouble(); };
        QCOMPARE(value(0, CostBreakdownModel::StreamsColumn), t.cost.streams);
        QCOMPARE(value(0, CostBreakdownModel::PitrColumn), 0.004);
        QCOMPARE(value(0, CostBreakdownModel::BackupsColumn), 0.002);
        QCOMPARE(value(0, CostBreakdownModel::RestoreColumn), 0.0003);
        QCOMPARE(value(0, CostBreakdownModel::ExportColumn), 0.0005);
        QCOMPARE(value(0, CostBreakdownModel::ImportColumn), 0.0006);
        // The total includes them: 0.0000024 + 0.004 + 0.002 + 0.0003 + 0.0005 + 0.0006 = 0.0074024.
        QCOMPARE(value(0, CostBreakdownModel::TotalColumn), 0.0074024);
        // The Total row (two tables) sums them.
        QCOMPARE(value(2, CostBreakdownModel::PitrColumn), 0.004);
        QCOMPARE(model.headerData(CostBreakdownModel::PitrColumn, Qt::Horizontal).toString(), QStringLiteral("PITR"));
        for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ImportColumn; ++c)
            QVERIFY(model.isColumnUsed(c));
        QVERIFY(!model.index(0, CostBreakdownModel::ExportColumn).data(Qt::ToolTipRole).toString().isEmpty());
        // Without data features, none of the columns is used.
        auto plainOnly = std::make_shared<RunResult>(*run);
        plainOnly->tables.erase(plainOnly->tables.begin());
        model.setRun(plainOnly);
        for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ImportColumn; ++c)
            QVERIFY(!model.isColumnUsed(c));
    }

    void dataPageBrowsesStreamAndExports()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath("engine.sqlite");
        {
            auto engine = Engine::open(db.toStdString());
            QVERIFY(engine);
            CreateTableRequest create;
            create.tableName = "Orders";
            create.keySchema.partition = { "id", AttrType::S };
            create.billingMode = BillingMode::PayPerRequest;
            create.streamSpecification = StreamSpecification { true, StreamViewType::NewAndOldImages };
            QVERIFY((*engine)->createTable(create, 0));
            CreateTableRequest plain = create;
            plain.tableName = "Plain";
            plain.streamSpecification.reset();
            QVERIFY((*engine)->createTable(plain, 0));
            QVERIFY((*engine)->advanceTime(60 * kMicrosPerSecond));
            // Three inserts and one modify: four records (a put that changes nothing writes none, A7).
            int n = 0;
            for (const char* id : { "a", "b", "c", "a" }) {
                PutItemRequest put;
                put.tableName = "Orders";
                put.item["id"] = AttributeValue::string(id);
                put.item["n"] = AttributeValue::number(*Number::parse(std::to_string(++n)));
                QVERIFY((*engine)->putItem(put).status);
            }
        }
        // An export's files in the S3 folder's layout: a manifest, a gzip data file and an empty one.
        const QString exportDir = dir.filePath("engine.sqlite.s3/bucket/pre/AWSDynamoDB/01700000000000-abcdef12");
        QVERIFY(writeFile(exportDir + "/manifest-summary.json",
            R"({"version":"2020-06-30","exportArn":"arn:x","itemCount":2,"outputFormat":"DYNAMODB_JSON"})"));
        QVERIFY(writeFile(exportDir + "/manifest-files.json",
            R"({"itemCount":2,"dataFileS3Key":"pre/AWSDynamoDB/01700000000000-abcdef12/data/one.json.gz"})"
            "\n"));
        QVERIFY(writeFile(exportDir + "/_started", ""));
        QVERIFY(writeFile(exportDir + "/data/one.json.gz",
            gzip(R"({"Item":{"id":{"S":"a"}}})" "\n" R"({"Item":{"id":{"S":"b"}}})" "\n")));
        QVERIFY(writeFile(exportDir + "/data/two.json.gz", gzip("")));

        const auto exports = findExports(dir.filePath("engine.sqlite.s3"));
        QCOMPARE(exports.size(), std::size_t(1));
        QCOMPARE(exports[0].exportId, QStringLiteral("01700000000000-abcdef12"));
        QCOMPARE(exports[0].relativePath, QStringLiteral("bucket/pre/AWSDynamoDB/01700000000000-abcdef12"));
        QCOMPARE(exports[0].files.size(), 5);
        QStringList lines;
        bool truncated = false;
        QString error;
        QVERIFY(readExportFileLines(exportDir + "/data/one.json.gz", 1, lines, truncated, error));
        QCOMPARE(lines, QStringList { R"({"Item":{"id":{"S":"a"}}})" });
        QVERIFY(truncated);
        QVERIFY(writeFile(dir.filePath("bad.gz"), QByteArray("\x1f\x8b\x08garbage", 10)));
        QVERIFY(!readExportFileLines(dir.filePath("bad.gz"), 10, lines, truncated, error));
        QVERIFY(error.contains("not a valid gzip"));

        DataPage page;
        page.resize(1400, 900);
        page.setEnginePath(db);
        QCOMPARE(page.s3Root(), db + ".s3");
        auto* tables = page.findChildren<QComboBox*>().front();
        QVERIFY(tables->findText("Orders") >= 0);
        tables->setCurrentIndex(tables->findText("Orders"));
        auto* records = page.findChild<QTableWidget*>("streamRecords");
        QVERIFY(records);
        // "all shards": the four records in sequence order (a new on-demand table has 4 partitions, so 4 shards).
        QCOMPARE(records->rowCount(), 4);
        for (int r = 1; r < 4; ++r)
            QVERIFY(records->item(r - 1, 0)->text() < records->item(r, 0)->text());
        // The record of item "a"'s change is in the shard holding "a"; choosing that shard shows its records only.
        auto* shards = page.findChild<QComboBox*>("shardCombo");
        const QString shardOfA = records->item(3, 7)->text();
        shards->setCurrentIndex(shards->findData(shardOfA));
        QVERIFY(records->rowCount() >= 2 && records->rowCount() < 4 + 1);
        for (int r = 0; r < records->rowCount(); ++r)
            QCOMPARE(records->item(r, 7)->text(), shardOfA);
        shards->setCurrentIndex(0);
        QCOMPARE(records->rowCount(), 4);
        QCOMPARE(records->item(0, 2)->text(), QStringLiteral("INSERT"));
        QCOMPARE(records->item(3, 2)->text(), QStringLiteral("MODIFY"));
        QVERIFY(records->item(3, 3)->text().contains(R"("S":"a")"));
        QVERIFY(records->item(3, 5)->text().contains(R"("n")")); // the old image
        QVERIFY(page.findChild<QLabel*>("streamInfo")->text().contains("NEW_AND_OLD_IMAGES"));
        QVERIFY(!page.findChild<QPushButton*>("streamMore")->isEnabled());
        tables->setCurrentIndex(tables->findText("Plain"));
        QVERIFY(page.findChild<QLabel*>("streamInfo")->text().contains("has no stream"));
        QCOMPARE(records->rowCount(), 0);

        auto* tree = page.findChild<QTreeWidget*>("exportTree");
        QVERIFY(tree);
        QCOMPARE(tree->topLevelItemCount(), 1);
        QTreeWidgetItem* top = tree->topLevelItem(0);
        QCOMPARE(top->childCount(), 5);
        auto* text = page.findChild<QPlainTextEdit*>("exportText");
        for (int i = 0; i < top->childCount(); ++i) {
            if (top->child(i)->text(0) == "manifest-summary.json") {
                tree->setCurrentItem(top->child(i));
                QVERIFY(text->toPlainText().contains(R"("itemCount": 2)"));
            }
            if (top->child(i)->text(0) == "data/one.json.gz") {
                tree->setCurrentItem(top->child(i));
                QCOMPARE(text->toPlainText(), QStringLiteral(R"({"Item":{"id":{"S":"a"}}})" "\n" R"({"Item":{"id":{"S":"b"}}})"));
            }
        }
        if (const QString review = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !review.isEmpty()) {
            QDir().mkpath(review);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            tables->setCurrentIndex(tables->findText("Orders"));
            auto* tabs = page.findChild<QTabWidget*>();
            for (int i = 0; i < tabs->count(); ++i) {
                if (tabs->tabText(i) == "Stream" || tabs->tabText(i) == "Export files") {
                    tabs->setCurrentIndex(i);
                    QTest::qWait(50);
                    QVERIFY(page.grab().save(review + "/data-" + tabs->tabText(i).section(' ', 0, 0).toLower() + ".png"));
                }
            }
        }
        // Another S3 folder without exports says so.
        page.setS3Root(dir.filePath("nothing-here"));
        QVERIFY(page.findChild<QLabel*>("exportInfo")->text().contains("made no export"));
    }

    void editorRoundTripsLifecycleFields()
    {
        const QString text = lifecycleScenario();
        QVERIFY(!parse(text).isEmpty());
        ScenarioEditor editor;
        editor.setScenarioJson(text, QDir::tempPath());
        touchForms(editor);
        QStringList differences;
        diff(parse(text), parse(editor.scenarioJson()), QStringLiteral("$"), differences);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));

        // Every lifecycle field has a widget (no "reserved" JSON field any more).
        for (const auto& path : { "tables[0].ttl.attribute", "tables[0].streams.viewType", "tables[0].streams.consumers[0].name",
                 "tables[0].streams.consumers[0].kind", "tables[0].streams.consumers[0].batchSize",
                 "tables[0].streams.consumers[0].pollInterval", "tables[0].streams.consumers[0].processingTime.median",
                 "tables[0].streams.consumers[0].processingTime.sigma", "tables[0].streams.consumers[0].writesTo",
                 "tables[0].streams.consumers[1].sink", "tables[0].streams.consumers[2].processingTime.max", "tables[0].pitr",
                 "tables[0].pitr.recoveryPeriodDays", "workloads[0].ttlSeconds.type", "workloads[0].ttlSeconds.min",
                 "workloads[1].ttlSeconds.duration", "events[0].enabled", "events[0].attribute", "events[1].name",
                 "events[2].backup", "events[2].target", "events[3].pointInTime", "events[4].format", "events[4].type",
                 "events[6].source", "events[6].compression", "events[6].target.name",
                 "events[6].target.provisioned.read" })
            QVERIFY2(editor.findChild<QWidget*>(QString::fromLatin1(path)), path);

        // Edits reach the JSON: PITR on with 35 days -> true, a consumer's batch size, a new
        // consumer, the TTL attribute, an event's fields, and a changed event action.
        auto* pitr = editor.findChild<QComboBox*>("tables[0].pitr");
        pitr->setCurrentIndex(2); // on (true)
        auto* copyPitr = editor.findChild<QComboBox*>("tables[1].pitr");
        copyPitr->setCurrentIndex(3); // on, with a recovery period
        editor.findChild<QLineEdit*>("tables[1].pitr.recoveryPeriodDays")->setText("14");
        editor.findChild<QLineEdit*>("tables[0].streams.consumers[1].batchSize")->setText("500");
        editor.findChild<QLineEdit*>("tables[0].ttl.attribute")->setText("Expiry");
        auto* viewType = editor.findChild<QComboBox*>("tables[0].streams.viewType");
        viewType->setCurrentIndex(viewType->findText("KEYS_ONLY", Qt::MatchStartsWith));
        editor.findChild<QLineEdit*>("workloads[1].ttlSeconds.duration")->setText("15m");
        editor.findChild<QLineEdit*>("events[2].target")->setText("Restored2");
        editor.findChild<QLineEdit*>("events[6].target.name")->setText("Imported2");
        auto* type = editor.findChild<QComboBox*>("events[5].format");
        type->setCurrentIndex(type->findText("ION"));
        // events[1]: createBackup -> updateTimeToLive keeps "table", drops "name".
        auto* action = editor.findChild<QComboBox*>("events[1].action");
        action->setCurrentIndex(action->findText("updateTimeToLive", Qt::MatchStartsWith));
        editor.findChild<QComboBox*>("events[1].enabled")->setCurrentIndex(2); // disabled (false)
        editor.findChild<QLineEdit*>("events[1].attribute")->setText("ExpTime");
        const QJsonObject after = parse(editor.scenarioJson());
        const QJsonObject orders = at(after, "tables", 0);
        QCOMPARE(orders.value("pitr"), QJsonValue(true));
        QCOMPARE(at(after, "tables", 1).value("pitr").toObject(), (QJsonObject { { "recoveryPeriodDays", 14 } }));
        QCOMPARE(at(after, "tables", 2).value("pitr"), QJsonValue(false));
        QCOMPARE(orders.value("ttl").toObject(), (QJsonObject { { "attribute", "Expiry" } }));
        const QJsonObject streams = orders.value("streams").toObject();
        QCOMPARE(streams.value("viewType").toString(), QStringLiteral("KEYS_ONLY"));
        QCOMPARE(at(streams, "consumers", 1).value("batchSize").toInt(), 500);
        QCOMPARE(at(streams, "consumers", 1).value("sink").toString(), QStringLiteral("out/audit"));
        QCOMPARE(at(streams, "consumers", 0).value("processingTime").toObject(),
            (QJsonObject { { "type", "lognormal" }, { "median", "200ms" }, { "sigma", 0.5 } }));
        QCOMPARE(at(after, "workloads", 1).value("ttlSeconds").toObject(), (QJsonObject { { "type", "fixed" }, { "duration", "15m" } }));
        QCOMPARE(at(after, "events", 2), (QJsonObject { { "at", "30m" }, { "action", "restoreTable" }, { "backup", "nightly" },
                                             { "target", "Restored2" } }));
        QCOMPARE(at(after, "events", 1), (QJsonObject { { "at", "20m" }, { "action", "updateTimeToLive" }, { "table", "Orders" },
                                             { "enabled", false }, { "attribute", "ExpTime" } }));
        QCOMPARE(at(after, "events", 5).value("format").toString(), QStringLiteral("ION"));
        const QJsonObject import = at(after, "events", 6);
        QCOMPARE(import.value("target").toObject().value("name").toString(), QStringLiteral("Imported2"));
        QCOMPARE(import.value("target").toObject().value("provisioned").toObject(), (QJsonObject { { "read", 5 }, { "write", 5 } }));
        QCOMPARE(import.value("compression").toString(), QStringLiteral("GZIP"));
        // Everything else is as loaded.
        QCOMPARE(at(after, "events", 3), at(parse(text), "events", 3));
        QCOMPARE(at(after, "events", 4), at(parse(text), "events", 4));
        QCOMPARE(after.value("workloads").toArray().at(0), parse(text).value("workloads").toArray().at(0));

        if (const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            editor.resize(1500, 950);
            editor.show();
            QVERIFY(QTest::qWaitForWindowExposed(&editor));
            auto* tabs = editor.findChild<QTabWidget*>();
            for (const auto& [tab, list, row, scrollTo, file] :
                { std::tuple { "Tables", "tables", 0, "tables[0].ttl.attribute", "editor-table.png" },
                    std::tuple { "Tables", "tables", 0, "tables[0].streams.consumers[2].processingTime.max", "editor-streams.png" },
                    std::tuple { "Events", "events", 6, "events[6].compression", "editor-import.png" },
                    std::tuple { "Events", "events", 3, "events[3].pointInTime", "editor-restore.png" } }) {
                for (int i = 0; i < tabs->count(); ++i)
                    if (tabs->tabText(i).contains(QString::fromLatin1(tab)))
                        tabs->setCurrentIndex(i);
                if (auto* listWidget = editor.findChild<QListWidget*>(QString::fromLatin1(list)))
                    listWidget->setCurrentRow(row);
                QTest::qWait(50);
                if (auto* field = editor.findChild<QWidget*>(QString::fromLatin1(scrollTo))) {
                    for (QWidget* w = field->parentWidget(); w; w = w->parentWidget())
                        if (auto* area = qobject_cast<QScrollArea*>(w)) {
                            area->ensureWidgetVisible(field, 50, 300);
                            break;
                        }
                }
                QTest::qWait(50);
                QVERIFY(editor.grab().save(dir + '/' + QString::fromLatin1(file)));
            }
        }

        // Removing PITR.
        pitr->setCurrentIndex(0); // default: off (absent)
        QVERIFY(!at(parse(editor.scenarioJson()), "tables", 0).contains("pitr"));
    }
};

QTEST_MAIN(TestStudioLifecycle)
#include "tst_studio_lifecycle.moc"
