// The studio's side of DAX and global tables (issue 10, reference A10-A11): the DAX view and the
// Regions view show hand-filled results exactly (a run the simulator of this branch cannot make
// yet), the cost model adds the dax / replication lines and each region's share, the editor
// edits tables[].dax / replicas, workload region / dax and the regionOutage event and round-trips
// the JSON, and Compare's "Add DAX?" / "Add a region?" variants change exactly one thing.
// With CAPSIM_STUDIO_REVIEW_DIR set, also saves PNGs of the views for review.

#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/editor/json_form.h"
#include "app/studio/editor/scenario_editor.h"
#include "app/studio/editor/scenario_forms.h"
#include "app/studio/models/cost_breakdown_model.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/global_tables.h"
#include "app/studio/models/scenario_variants.h"
#include "app/studio/models/totals_model.h"
#include "app/studio/pages/compare_page.h"
#include "app/studio/pages/cost_page.h"
#include "app/studio/pages/dax_page.h"
#include "app/studio/pages/regions_page.h"
#include "simulator/explain.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QBarSet>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

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

double maxY(QXYSeries* s)
{
    double top = -1e300;
    for (const QPointF& p : s->points())
        top = std::max(top, p.y());
    return top;
}

QJsonObject parse(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// The paths at which two JSON values differ.
void diff(const QJsonValue& a, const QJsonValue& b, const QString& path, QStringList& out)
{
    if (a.isObject() && b.isObject()) {
        const QJsonObject oa = a.toObject(), ob = b.toObject();
        QStringList keys = oa.keys() + ob.keys();
        keys.removeDuplicates();
        for (const auto& k : keys)
            diff(oa.value(k), ob.value(k), path + '.' + k, out);
    } else if (a.isArray() && b.isArray() && a.toArray().size() == b.toArray().size()) {
        for (qsizetype i = 0; i < a.toArray().size(); ++i)
            diff(a.toArray().at(i), b.toArray().at(i), path + QStringLiteral("[%1]").arg(i), out);
    } else if (a != b) {
        out << path;
    }
}

QStringList differences(const QString& a, const QString& b)
{
    QStringList out;
    diff(parse(a), parse(b), QStringLiteral("$"), out);
    return out;
}

void touchForms(ScenarioEditor& editor)
{
    auto* name = editor.findChild<QLineEdit*>(QStringLiteral("name"));
    QVERIFY(name);
    const QString original = name->text();
    name->setText(original + QStringLiteral("x"));
    name->setText(original);
}

void saveReview(QWidget& widget, const QString& file)
{
    const QString dir = qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QTest::qWait(150);
    QVERIFY(widget.grab().save(dir + '/' + file));
}

// Shows the tab, list entry and scroll position holding `widget`, then saves a review PNG.
void revealAndSave(QWidget& window, QWidget* widget, const QString& file)
{
    if (qEnvironmentVariable("CAPSIM_STUDIO_REVIEW_DIR").isEmpty() || !widget)
        return;
    window.show();
    QWidget* child = widget;
    for (QWidget* parent = widget->parentWidget(); parent; child = parent, parent = parent->parentWidget()) {
        if (auto* stack = qobject_cast<QStackedWidget*>(parent)) {
            if (auto* tab = qobject_cast<QTabWidget*>(stack->parentWidget()))
                tab->setCurrentWidget(child);
            else
                stack->setCurrentWidget(child);
        }
    }
    QTest::qWait(100);
    for (QWidget* parent = widget->parentWidget(); parent; parent = parent->parentWidget())
        if (auto* scroll = qobject_cast<QScrollArea*>(parent))
            scroll->ensureWidgetVisible(widget, 40, 300);
    saveReview(window, file);
}

// The scenario of the hand-filled run: Users is a global table (us-east-1 + eu-west-1 +
// ap-northeast-1) and eu-west-1 is unreachable from minute 3 to minute 6.
const char* kScenario = R"({
  "format": "capsim-scenario/1", "name": "dax-and-regions", "region": "us-east-1", "duration": "10m",
  "tables": [
    { "name": "Orders", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PROVISIONED",
      "provisioned": {"read": 20, "write": 10},
      "dax": {"nodeType": "dax.r5.large", "nodes": 3, "itemTtl": "5m", "queryTtl": 0} },
    { "name": "Users", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PAY_PER_REQUEST",
      "replicas": ["eu-west-1", "ap-northeast-1"] }
  ],
  "workloads": [
    { "name": "reads", "table": "Orders", "rate": {"type": "constant", "rate": 100}, "operations": {"GetItem": 1} },
    { "name": "bypass", "table": "Orders", "rate": {"type": "constant", "rate": 5}, "operations": {"PutItem": 1},
      "dax": false },
    { "name": "eu-writes", "table": "Users", "rate": {"type": "constant", "rate": 20}, "operations": {"PutItem": 1},
      "region": "eu-west-1" },
    { "name": "home", "table": "Users", "rate": {"type": "constant", "rate": 10}, "operations": {"UpdateItem": 1} }
  ],
  "events": [ { "at": "3m", "action": "regionOutage", "region": "eu-west-1", "duration": "3m" } ]
})";

TableResult replicaOf(const std::string& region, std::int64_t perMinute, double write, double replication)
{
    TableResult r;
    r.name = "Users";
    r.region = region;
    r.billingMode = BillingMode::PayPerRequest;
    r.cost.write = write;
    r.cost.replication = replication;
    r.cost.storage = 0.002;
    r.uses.replication = true;
    for (std::int64_t m = 0; m < 10; ++m) {
        MinuteRow row;
        row.minute = m;
        row.consumedWrite = 1.0 + static_cast<double>(m) / 10;
        row.consumedRead = 0.5;
        row.provisionedWrite = 4000;
        row.provisionedRead = 12000;
        row.replicatedWrites = perMinute;
        row.replicationLagSeconds = 1.1;
        row.costToDate = (write + replication + 0.002) * static_cast<double>(m + 1) / 10;
        r.minutes.push_back(row);
    }
    return r;
}

// A run built by hand. Orders: a 3 x dax.r5.large cluster over 10 minutes. Users: a global table.
RunSnapshot constructedRun()
{
    RunResult run;
    run.scenario = "dax-and-regions";
    run.simulatedSeconds = 600;
    run.pricingLabel = "us-east-1 2024-11-01";

    TableResult orders;
    orders.name = "Orders";
    orders.region = "us-east-1";
    orders.billingMode = BillingMode::Provisioned;
    for (std::int64_t m = 0; m < 10; ++m) {
        MinuteRow r;
        r.minute = m;
        r.provisionedRead = 20;
        r.provisionedWrite = 10;
        // 90 hits and 10 misses a minute (90 %), except minute 4: 60 hits, 40 misses (60 %).
        r.daxHits = m == 4 ? 60 : 90;
        r.daxMisses = m == 4 ? 40 : 10;
        r.consumedRead = static_cast<double>(r.daxMisses) * 0.5 / 60; // misses: eventual reads of 0.5 units
        r.daxStaleReads = m == 5 ? 7 : 0;
        r.daxCacheBytes = 1'000'000 * (m + 1); // 1 MB .. 10 MB
        r.daxNodeUtilisation = m == 6 ? 1.2 : 0.3; // the busiest node over its budget in minute 6
        r.costToDate = 1.065 * static_cast<double>(m + 1) / 10;
        orders.minutes.push_back(r);
    }
    DaxSummary dax;
    dax.nodeType = "dax.r5.large";
    dax.nodes = 3;
    dax.hits = 870; // 9 x 90 + 60
    dax.misses = 130; // 9 x 10 + 40
    dax.passThrough = 20;
    dax.staleReads = 7;
    dax.throttled = 3;
    dax.offloadedReadUnits = 435; // 870 hits x 0.5 units (eventual, <= 4 KB)
    dax.offloadedReadCost = 0.9; // what those reads would have cost on the table
    dax.nodeHours = 3; // ceil(10 min / 60) = 1 hour x 3 nodes
    orders.dax = dax;
    orders.uses.dax = true;
    orders.cost.read = 0.1;
    orders.cost.write = 0.2;
    orders.cost.dax = 0.765; // 3 node-hours x $0.255 (A10)
    orders.alternativeModeCost = 0.9;

    // Users: us-east-1 applies 50 replicated writes a minute (from eu-west-1), the replicas 120.
    TableResult users = replicaOf("us-east-1", 50, 0.0, 0.0);
    TableResult eu = replicaOf("eu-west-1", 120, 0.01, 0.05);
    TableResult ap = replicaOf("ap-northeast-1", 120, 0.0, 0.05);
    // eu-west-1 is out from minute 3 to 6: nothing applied, a backlog, then the catch-up's lag.
    for (std::int64_t m = 3; m < 6; ++m) {
        eu.minutes[static_cast<std::size_t>(m)].replicatedWrites = 0;
        eu.minutes[static_cast<std::size_t>(m)].replicationBacklog = 100 * (m - 2); // 100, 200, 300
    }
    eu.minutes[6].replicatedWrites = 480; // 120 + the 360 queued
    eu.minutes[6].replicationLagSeconds = 95.5;
    eu.minutes[6].conflicts = 4;
    ap.minutes[6].conflicts = 1;
    // The top-level table's lines cover the whole global table: own + each replica's.
    users.cost.write = 0.1 + 0.01 + 0.0; // 0.11
    users.cost.replication = 0.05 + 0.05; // 0.10
    users.cost.storage = 0.002 * 3; // 0.006
    users.replicaSummaries = { { "us-east-1", 500, 1.1, 0, 1'000'000 }, { "eu-west-1", 1200, 95.5, 4, 1'000'000 },
        { "ap-northeast-1", 1200, 1.1, 1, 1'000'000 } };
    users.requestsWrite = 6000;
    users.alternativeModeCost = 0.5;
    for (std::size_t m = 0; m < users.minutes.size(); ++m)
        users.minutes[m].costToDate = 0.216 * static_cast<double>(m + 1) / 10;
    eu.requestsWrite = 12000;
    users.replicas = { eu, ap };

    run.tables = { orders, users };
    return std::make_shared<const RunResult>(std::move(run));
}

} // namespace

class TestStudioGlobalTables : public QObject {
    Q_OBJECT

private slots:
    void helpers()
    {
        // Durations as the scenario format writes them.
        QCOMPARE(durationSeconds(QJsonValue(QStringLiteral("3m"))).value(), 180.0);
        QCOMPARE(durationSeconds(QJsonValue(QStringLiteral("250ms"))).value(), 0.25);
        QCOMPARE(durationSeconds(QJsonValue(QStringLiteral("2h"))).value(), 7200.0);
        QCOMPARE(durationSeconds(QJsonValue(90)).value(), 90.0);
        QVERIFY(!durationSeconds(QJsonValue(QStringLiteral("soon"))));
        // The outage: eu-west-1 from 180 s to 360 s, a red band on its own charts, orange elsewhere.
        const auto outages = regionOutages(QString::fromUtf8(kScenario));
        QCOMPARE(outages.size(), std::size_t(1));
        QCOMPARE(outages[0].region, std::string("eu-west-1"));
        QCOMPARE(outages[0].startSeconds, 180.0);
        QCOMPARE(outages[0].endSeconds, 360.0);
        const auto own = outageBands(outages, "eu-west-1");
        const auto other = outageBands(outages, "us-east-1");
        QCOMPARE(own.size(), std::size_t(1));
        QCOMPARE(own[0].from, 3.0);
        QCOMPARE(own[0].to, 6.0);
        QCOMPARE(own[0].label, QStringLiteral("eu-west-1 outage"));
        QVERIFY(own[0].colour != other[0].colour);
        QCOMPARE(scenarioRegion(QString::fromUtf8(kScenario)), std::string("us-east-1"));
        QCOMPARE(scenarioRegion(QStringLiteral("{}")), std::string("us-east-1"));

        const RunSnapshot run = constructedRun();
        QVERIFY(runHasDax(*run));
        QVERIFY(runHasReplicas(*run));
        QVERIFY(!hasReplicas(run->tables[0]));
        QVERIFY(hasReplicas(run->tables[1]));
        // Regions: the table's own first, then the replicas; the own share is the lines minus theirs:
        // 0.11 + 0.10 + 0.006 - (0.01 + 0.05 + 0.002) - (0.05 + 0.002) = 0.102.
        const auto views = regionViews(run->tables[1], "us-east-1");
        QCOMPARE(views.size(), std::size_t(3));
        QCOMPARE(views[0].region, std::string("us-east-1"));
        QCOMPARE(views[1].region, std::string("eu-west-1"));
        QCOMPARE(views[2].region, std::string("ap-northeast-1"));
        QVERIFY(qAbs(views[0].cost.total() - 0.102) < 1e-12);
        QVERIFY(qAbs(views[0].cost.replication) < 1e-12);
        QVERIFY(qAbs(views[1].cost.total() - 0.062) < 1e-12);
        QCOMPARE(views[1].summary->conflicts, std::int64_t(4));
        // DAX per minute: 90 / (90 + 10) = 0.9; 90 hits x 0.5 units / 60 s = 0.75 units/s absorbed.
        const MinuteRow& m0 = run->tables[0].minutes[0];
        QCOMPARE(daxHitRatio(m0).value(), 0.9);
        QCOMPARE(offloadedUnitsPerHit(*run->tables[0].dax), 0.5);
        QCOMPARE(offloadedReadPerSecond(m0, *run->tables[0].dax), 0.75);
        QVERIFY(!daxHitRatio(MinuteRow {}));
        QCOMPARE(formatByteCount(1'500'000), QStringLiteral("1.5 MB"));
    }

    void daxPageShowsHandFilledRun()
    {
        const RunSnapshot run = constructedRun();
        DaxPage page;
        page.resize(1500, 950);
        QVERIFY(page.appliesTo(*run));
        page.setRun(run, true);
        auto* tables = page.findChild<QComboBox*>("daxTable");
        QVERIFY(tables);
        QCOMPARE(tables->count(), 1); // only Orders has a cluster
        QCOMPARE(tables->currentText(), QStringLiteral("Orders"));

        auto* hits = page.findChild<ZoomChartView*>("daxHitsChart");
        auto* reads = page.findChild<ZoomChartView*>("daxReadsChart");
        auto* nodes = page.findChild<ZoomChartView*>("daxNodesChart");
        QVERIFY(hits && reads && nodes);
        // Hit ratio in steps: 90 % each minute, 60 % in minute 4.
        QXYSeries* ratio = seriesNamed(hits, "hitRatio");
        QVERIFY(ratio);
        QCOMPARE(ratio->count(), qsizetype(20));
        QCOMPARE(ratio->at(0), QPointF(0, 90));
        QCOMPARE(ratio->at(8), QPointF(4, 60));
        QCOMPARE(ratio->at(9), QPointF(5, 60));
        QCOMPARE(maxY(seriesNamed(hits, "staleReads")), 7.0);
        // Read units per second: the table consumed 10 misses x 0.5 / 60; the cache absorbed 0.75.
        QXYSeries* offloaded = seriesNamed(reads, "offloadedRead");
        QXYSeries* consumed = seriesNamed(reads, "consumedRead");
        QVERIFY(offloaded && consumed && seriesNamed(reads, "provisionedRead"));
        QCOMPARE(offloaded->at(0), QPointF(0, 0.75));
        QCOMPARE(offloaded->at(8), QPointF(4, 0.5)); // 60 hits x 0.5 / 60
        QCOMPARE(consumed->at(0), QPointF(0, 10 * 0.5 / 60));
        QVERIFY(offloaded->name().contains("0.5 units"));
        // The busiest node: 30 %, 120 % in minute 6, against the 100 % line; the cache in MB.
        QXYSeries* utilisation = seriesNamed(nodes, "nodeUtilisation");
        QXYSeries* full = seriesNamed(nodes, "fullLine");
        QXYSeries* cache = seriesNamed(nodes, "cacheBytes");
        QVERIFY(utilisation && full && cache);
        QCOMPARE(maxY(utilisation), 120.0);
        QCOMPARE(utilisation->at(0), QPointF(0, 30));
        QCOMPARE(full->at(0).y(), 100.0);
        QCOMPARE(full->at(full->count() - 1).y(), 100.0);
        QCOMPARE(cache->at(9), QPointF(10, 10.0));
        QVERIFY(cache->name().contains("MB"));

        // Totals and the cost beside the table's capacity.
        auto* totals = page.findChild<QTableWidget*>("daxTotals");
        QVERIFY(totals);
        const auto figure = [&](const QString& label) {
            for (int r = 0; r < totals->rowCount(); ++r)
                if (totals->item(r, 0)->text().startsWith(label))
                    return totals->item(r, 1)->text();
            return QString();
        };
        QCOMPARE(figure("Cluster"), QStringLiteral("3 × dax.r5.large"));
        QCOMPARE(figure("Cache hits"), QStringLiteral("870"));
        QCOMPARE(figure("Cache misses"), QStringLiteral("130"));
        QCOMPARE(figure("Hit ratio"), QStringLiteral("87 %")); // 870 / 1000
        QCOMPARE(figure("Stale reads"), QStringLiteral("7"));
        QCOMPARE(figure("Throttled"), QStringLiteral("3"));
        QCOMPARE(figure("Passed through"), QStringLiteral("20"));
        QCOMPARE(figure("Read units absorbed"), QStringLiteral("435"));
        QCOMPARE(figure("Node-hours"), QStringLiteral("3"));
        QCOMPARE(figure("Requests through"), QStringLiteral("1,020"));
        auto* costs = page.findChild<QTableWidget*>("daxCosts");
        QVERIFY(costs);
        QCOMPARE(costs->item(0, 1)->text(), formatMoney(0.1, "USD"));
        QCOMPARE(costs->item(1, 1)->text(), formatMoney(0.2, "USD"));
        QVERIFY(costs->item(2, 0)->text().contains("3 node-hours"));
        QCOMPARE(costs->item(2, 1)->text(), formatMoney(0.765, "USD"));
        QCOMPARE(costs->item(3, 1)->text(), formatMoney(1.065, "USD")); // 0.1 + 0.2 + 0.765
        QCOMPARE(costs->item(5, 1)->text(), formatMoney(0.9, "USD"));
        QCOMPARE(costs->item(6, 1)->text(), formatMoney(1.2, "USD")); // 0.1 + 0.2 + 0.9
        // Break-even: node cost / (table reads + the reads the hits replaced) = 0.765 / 1.0.
        QCOMPARE(costs->item(7, 1)->text(), QStringLiteral("76.5 %"));
        auto* bars = page.findChild<QChartView*>("daxCostChart");
        QVERIFY(bars && bars->chart()->series().size() == 1);
        auto* stacked = qobject_cast<QStackedBarSeries*>(bars->chart()->series().at(0));
        QVERIFY(stacked && stacked->count() == 4);
        QCOMPARE(stacked->barSets().at(3)->at(0), 0.765); // DAX nodes, with DAX
        QCOMPARE(stacked->barSets().at(2)->at(1), 0.9); // the replaced reads, without
        const QString headline = page.findChild<QLabel*>("daxHeadline")->text();
        QVERIFY(headline.contains("87 %"));
        QVERIFY2(headline.contains("pays for itself") && headline.contains("76.5 %"), qPrintable(headline)); // 87 > 76.5
        saveReview(page, "dax.png");

        // A run without a cluster: the page does not apply, and says so.
        RunResult plain;
        plain.tables.push_back(TableResult {});
        QVERIFY(!page.appliesTo(plain));
        page.setRun(std::make_shared<const RunResult>(plain), true);
        QVERIFY(hits->isHidden());
        QVERIFY(page.findChild<QLabel*>("daxHeadline")->text().contains("No table"));
    }

    void regionsPageShowsReplicasSideBySide()
    {
        const RunSnapshot run = constructedRun();
        RegionsPage page;
        page.resize(1600, 1000);
        QVERIFY(page.appliesTo(*run));
        page.setScenarioJson(QString::fromUtf8(kScenario));
        page.setRun(run, true);
        auto* tables = page.findChild<QComboBox*>("regionsTable");
        QCOMPARE(tables->count(), 1);
        QCOMPARE(tables->currentText(), QStringLiteral("Users"));
        // One column per region, in order, each with its three charts, each chart with the outage.
        for (const char* region : { "us-east-1", "eu-west-1", "ap-northeast-1" }) {
            auto* column = page.findChild<QWidget*>(QStringLiteral("region:") + region);
            QVERIFY2(column, region);
            for (const char* chart : { "capacity:", "replication:", "lag:" }) {
                auto* view = column->findChild<ZoomChartView*>(QString::fromLatin1(chart) + region);
                QVERIFY2(view, chart);
                QCOMPARE(view->bands().size(), std::size_t(1));
                QCOMPARE(view->bands()[0].from, 3.0);
                QCOMPARE(view->bands()[0].to, 6.0);
            }
        }
        // The columns sit side by side, the scenario's region first.
        auto* us = page.findChild<QWidget*>("region:us-east-1");
        auto* eu = page.findChild<QWidget*>("region:eu-west-1");
        auto* ap = page.findChild<QWidget*>("region:ap-northeast-1");
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(us->geometry().right() < eu->geometry().left());
        QVERIFY(eu->geometry().right() < ap->geometry().left());
        QCOMPARE(us->geometry().top(), eu->geometry().top());
        // eu-west-1: nothing applied during the outage, the backlog grows, then 480 and a 95.5 s lag.
        auto* replication = eu->findChild<ZoomChartView*>("replication:eu-west-1");
        QXYSeries* applied = seriesNamed(replication, "replicatedWrites");
        QVERIFY(applied);
        QCOMPARE(applied->at(6), QPointF(3, 0));
        QCOMPARE(applied->at(12), QPointF(6, 480));
        QCOMPARE(maxY(seriesNamed(replication, "conflicts")), 4.0);
        auto* lag = eu->findChild<ZoomChartView*>("lag:eu-west-1");
        QCOMPARE(maxY(seriesNamed(lag, "replicationLag")), 95.5);
        QXYSeries* backlog = seriesNamed(lag, "replicationBacklog");
        QCOMPARE(backlog->at(5), QPointF(6, 300)); // minute 5's end
        auto* capacity = us->findChild<ZoomChartView*>("capacity:us-east-1");
        // On demand: what each region consumed (its ceiling is left out).
        QVERIFY(seriesNamed(capacity, "consumedWrite") && seriesNamed(capacity, "consumedRead"));
        QVERIFY(!seriesNamed(capacity, "provisionedWrite"));
        QCOMPARE(seriesNamed(capacity, "consumedWrite")->at(2), QPointF(1, 1.1));
        // The figures above each column.
        const QString euText = page.findChild<QLabel*>("regionFigures:eu-west-1")->text();
        for (const QString& part : { QStringLiteral("1,200 replicated writes"), QStringLiteral("max lag <b>95.5 s</b>"),
                 QStringLiteral("<b>4</b> conflicts"), formatMoney(0.062, "USD"), QStringLiteral("outage") })
            QVERIFY2(euText.contains(part), qPrintable(part + " not in " + euText));
        QVERIFY(!page.findChild<QLabel*>("regionFigures:ap-northeast-1")->text().contains("outage"));
        // The regions' table.
        auto* figures = page.findChild<QTableWidget*>("regionFigures");
        QCOMPARE(figures->rowCount(), 3);
        QCOMPARE(figures->item(0, 0)->text(), QStringLiteral("us-east-1"));
        QCOMPARE(figures->item(1, 4)->text(), QStringLiteral("1,200"));
        QCOMPARE(figures->item(1, 5)->text(), QStringLiteral("95.5 s"));
        QCOMPARE(figures->item(1, 6)->text(), QStringLiteral("4"));
        QCOMPARE(figures->item(1, 2)->text(), QStringLiteral("12,000"));
        QVERIFY(figures->item(0, 8)->text().startsWith(formatMoney(0.102, "USD")));
        QCOMPARE(figures->item(2, 8)->text(), QStringLiteral("%1 (%2)").arg(formatMoney(0.052, "USD"), formatMoney(0.05, "USD")));
        const QString headline = page.findChild<QLabel*>("regionsHeadline")->text();
        QVERIFY(headline.contains("3 regions"));
        QVERIFY(headline.contains("eu-west-1 outage 00:03"));
        saveReview(page, "regions.png");

        // A provisioned global table shows each region's provisioned capacity (dashed) too.
        RunResult provisionedRun = *run;
        TableResult& global = provisionedRun.tables[1];
        global.billingMode = BillingMode::Provisioned;
        for (TableResult& replica : global.replicas) {
            replica.billingMode = BillingMode::Provisioned;
            for (MinuteRow& m : replica.minutes)
                m.provisionedWrite = 5; // WCU in force in the minute
        }
        page.setRun(std::make_shared<const RunResult>(provisionedRun), true);
        auto* provisionedCapacity = page.findChild<ZoomChartView*>("capacity:eu-west-1");
        QXYSeries* provisionedWrite = seriesNamed(provisionedCapacity, "provisionedWrite");
        QVERIFY(provisionedWrite);
        QCOMPARE(provisionedWrite->at(0), QPointF(0, 5));
        QVERIFY(provisionedCapacity->chart()->title().contains("provisioned"));
        page.setRun(run, true);
        capacity = page.findChild<ZoomChartView*>("capacity:us-east-1");

        // A selected moment shows on every chart.
        page.showTime(240);
        QCOMPARE(capacity->selectedX().value(), 4.0);
        // Without the scenario: no bands; a run without replicas: the page does not apply.
        page.setScenarioJson(QString());
        QVERIFY(page.findChild<ZoomChartView*>("lag:eu-west-1")->bands().empty());
        RunResult plain;
        plain.tables.push_back(TableResult {});
        QVERIFY(!page.appliesTo(plain));
    }

    void costLinesAndRegionShares()
    {
        const RunSnapshot run = constructedRun();
        CostBreakdownModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(run);
        // Orders, Users, Users @ each of its 3 regions, Total.
        QCOMPARE(model.rowCount(), 6);
        QVERIFY(model.isColumnUsed(CostBreakdownModel::DaxColumn));
        QVERIFY(model.isColumnUsed(CostBreakdownModel::ReplicationColumn));
        QCOMPARE(model.headerData(CostBreakdownModel::DaxColumn, Qt::Horizontal).toString(), QStringLiteral("DAX"));
        QCOMPARE(model.headerData(CostBreakdownModel::ReplicationColumn, Qt::Horizontal).toString(), QStringLiteral("Replication"));
        const auto value = [&](int row, int column) { return model.index(row, column).data(CostBreakdownModel::ValueRole).toDouble(); };
        QCOMPARE(value(0, CostBreakdownModel::DaxColumn), 0.765);
        QVERIFY(qAbs(value(0, CostBreakdownModel::TotalColumn) - 1.065) < 1e-12);
        QCOMPARE(value(1, CostBreakdownModel::ReplicationColumn), 0.10);
        QVERIFY(!model.isRegionRow(1));
        for (int row = 2; row <= 4; ++row)
            QVERIFY(model.isRegionRow(row));
        QCOMPARE(model.index(2, CostBreakdownModel::TableColumn).data().toString(), QStringLiteral("    Users @ us-east-1"));
        QCOMPARE(model.index(3, CostBreakdownModel::TableColumn).data().toString(), QStringLiteral("    Users @ eu-west-1"));
        QCOMPARE(model.index(3, CostBreakdownModel::ModeColumn).data().toString(), QStringLiteral("replica"));
        QVERIFY(qAbs(value(2, CostBreakdownModel::TotalColumn) - 0.102) < 1e-12);
        QCOMPARE(value(3, CostBreakdownModel::ReplicationColumn), 0.05);
        QCOMPARE(value(3, CostBreakdownModel::WriteColumn), 0.01);
        QVERIFY(!model.index(3, CostBreakdownModel::OtherModeCostColumn).data().isValid());
        // The Total adds the tables only (their rows already cover every region): 1.065 + 0.216.
        QVERIFY(model.isTotalRow(5));
        QVERIFY(qAbs(value(5, CostBreakdownModel::TotalColumn) - (1.065 + 0.216)) < 1e-12);
        QVERIFY(qAbs(value(5, CostBreakdownModel::ReplicationColumn) - 0.10) < 1e-12);

        // The Cost page shows both columns and says what they are.
        CostPage page;
        page.resize(1500, 950);
        page.setRun(run, true);
        auto* table = page.findChild<QTableView*>("costTable");
        QVERIFY(!table->isColumnHidden(CostBreakdownModel::DaxColumn));
        QVERIFY(!table->isColumnHidden(CostBreakdownModel::ReplicationColumn));
        QVERIFY(table->isColumnHidden(CostBreakdownModel::PitrColumn));
        const QString summary = page.findChild<QLabel*>("costSummary")->text();
        for (const QString& part : { QStringLiteral("DAX cluster: <b>%1</b>").arg(formatMoney(0.765, "USD")),
                 QStringLiteral("3 node-hours"), QStringLiteral("replication <b>%1</b>").arg(formatMoney(0.10, "USD")),
                 QStringLiteral("eu-west-1 %1").arg(formatMoney(0.062, "USD")) })
            QVERIFY2(summary.contains(part), qPrintable(part + " not in " + summary));
        saveReview(page, "cost-dax-replication.png");

        // A run without DAX or replicas keeps the columns hidden.
        RunResult plain;
        plain.tables.push_back(TableResult {});
        page.setRun(std::make_shared<const RunResult>(plain), true);
        QVERIFY(table->isColumnHidden(CostBreakdownModel::DaxColumn));
        QVERIFY(table->isColumnHidden(CostBreakdownModel::ReplicationColumn));
    }

    void editorRoundTripsDaxReplicasAndOutage()
    {
        const QString text = QString::fromUtf8(kScenario);
        ScenarioEditor editor;
        editor.resize(1400, 900);
        editor.setScenarioJson(text);
        touchForms(editor);
        QCOMPARE(differences(text, editor.scenarioJson()), QStringList());
        // Every new field has its widget.
        for (const char* path : { "tables[0].dax", "tables[0].dax.nodeType", "tables[0].dax.nodes", "tables[0].dax.itemTtl",
                 "tables[0].dax.queryTtl", "tables[1].replicas", "workloads[1].dax", "workloads[2].region",
                 "events[0].region", "events[0].duration" })
            QVERIFY2(editor.findChild<QWidget*>(QString::fromLatin1(path)), path);
        auto* nodeType = editor.findChild<QComboBox*>("tables[0].dax.nodeType");
        QCOMPARE(nodeType->currentText(), QStringLiteral("dax.r5.large"));
        QCOMPARE(nodeType->count(), 11); // default + the 10 node types of A10
        auto* nodes = editor.findChild<QComboBox*>("tables[0].dax.nodes");
        QCOMPARE(nodes->currentText(), QStringLiteral("3"));
        QCOMPARE(nodes->count(), 12); // default + 1..11
        auto* replicas = editor.findChild<QListWidget*>("tables[1].replicas");
        QCOMPARE(replicas->count(), 2);
        QCOMPARE(replicas->item(1)->text(), QStringLiteral("ap-northeast-1"));
        // A workload's region offers the scenario's region and its table's replicas.
        auto* region = editor.findChild<QComboBox*>("workloads[2].region");
        QCOMPARE(region->currentText(), QStringLiteral("eu-west-1"));
        QStringList offered;
        for (int i = 1; i < region->count(); ++i)
            offered << region->itemText(i);
        QCOMPARE(offered, (QStringList { "us-east-1", "eu-west-1", "ap-northeast-1" }));
        // The DAX switch shows for workloads of Orders (it has a cluster), not for those of Users.
        auto* bypass = editor.findChild<QCheckBox*>("workloads[1].dax");
        QVERIFY(!bypass->isChecked());
        QVERIFY(!editor.findChild<QWidget*>("workloads[0].dax#field")->isHidden());
        QVERIFY(editor.findChild<QWidget*>("workloads[3].dax#field")->isHidden());
        QVERIFY(!editor.findChild<QWidget*>("workloads[3].region#field")->isHidden());
        QVERIFY(editor.findChild<QWidget*>("workloads[0].region#field")->isHidden());

        revealAndSave(editor, editor.findChild<QWidget*>("tables[0].dax#field"), "editor-table-dax.png");
        revealAndSave(editor, editor.findChild<QWidget*>("tables[1].replicas#field"), "editor-table-replicas.png");
        revealAndSave(editor, editor.findChild<QWidget*>("workloads[2].region#field"), "editor-workload-region.png");
        revealAndSave(editor, editor.findChild<QWidget*>("workloads[1].dax#field"), "editor-workload-dax.png");
        revealAndSave(editor, editor.findChild<QWidget*>("events[0].region#field"), "editor-event-outage.png");

        // Edits write the contract's fields.
        nodes->setCurrentIndex(nodes->findText("5"));
        nodeType->setCurrentIndex(nodeType->findText("dax.t3.medium"));
        editor.findChild<QLineEdit*>("tables[0].dax.itemTtl")->setText("10m");
        bypass->setChecked(true); // back to the default: the field goes
        auto* list = editor.findChild<RegionListEditor*>("tables[1].replicas#field");
        QVERIFY(list);
        QVERIFY(list->addRegion("eu-central-1"));
        QVERIFY(!list->addRegion("eu-west-1")); // already a replica
        emit list->edited();
        region->setCurrentText("ap-northeast-1");
        auto* outageRegion = editor.findChild<QComboBox*>("events[0].region");
        outageRegion->setCurrentText("ap-northeast-1");
        editor.findChild<QLineEdit*>("events[0].duration")->setText("90s");
        QJsonObject expected = parse(text);
        QJsonArray tables = expected["tables"].toArray();
        QJsonObject orders = tables[0].toObject();
        orders["dax"] = QJsonObject { { "nodeType", "dax.t3.medium" }, { "nodes", 5 }, { "itemTtl", "10m" }, { "queryTtl", 0 } };
        tables[0] = orders;
        QJsonObject users = tables[1].toObject();
        users["replicas"] = QJsonArray { "eu-west-1", "ap-northeast-1", "eu-central-1" };
        tables[1] = users;
        expected["tables"] = tables;
        QJsonArray workloads = expected["workloads"].toArray();
        QJsonObject w1 = workloads[1].toObject();
        w1.remove("dax");
        workloads[1] = w1;
        QJsonObject w2 = workloads[2].toObject();
        w2["region"] = "ap-northeast-1";
        workloads[2] = w2;
        expected["workloads"] = workloads;
        expected["events"] = QJsonArray { QJsonObject { { "at", "3m" }, { "action", "regionOutage" }, { "region", "ap-northeast-1" },
            { "duration", "90s" } } };
        const QString after = editor.scenarioJson();
        QStringList out;
        diff(expected, parse(after), "$", out);
        QVERIFY2(out.isEmpty(), qPrintable(out.join('\n') + "\n" + after));

        // Switching the cluster off removes `dax`; on again on a table without one writes the
        // contract's example cluster.
        auto* daxBox = editor.findChild<QCheckBox*>("tables[0].dax");
        daxBox->setChecked(false);
        QVERIFY(!parse(editor.scenarioJson())["tables"].toArray()[0].toObject().contains("dax"));
        auto* usersDax = editor.findChild<QCheckBox*>("tables[1].dax");
        QVERIFY(!usersDax->isChecked());
        usersDax->setChecked(true);
        QCOMPARE(parse(editor.scenarioJson())["tables"].toArray()[1].toObject()["dax"].toObject(),
            (QJsonObject { { "nodeType", "dax.r5.large" }, { "nodes", 3 } }));
        // Removing every replica leaves an empty list (a single-region table).
        while (list->listWidget()->count() > 0)
            list->removeRegion(0);
        emit list->edited();
        QCOMPARE(parse(editor.scenarioJson())["tables"].toArray()[1].toObject()["replicas"].toArray(), QJsonArray());
    }

    void untouchedEditorsKeepValuesAsWritten()
    {
        // Odd but loadable values survive a round trip: "dax": {} (all defaults), replicas absent,
        // a workload "dax": true, a number duration.
        const QString text = QStringLiteral(R"({"format":"capsim-scenario/1","name":"x","duration":600,
            "tables":[{"name":"T","partitionKey":{"name":"id","type":"S"},"billingMode":"PAY_PER_REQUEST","dax":{}}],
            "workloads":[{"table":"T","rate":{"type":"constant","rate":1},"operations":{"GetItem":1},"dax":true}],
            "events":[{"at":60,"action":"regionOutage","region":"us-west-2","duration":120}]})");
        ScenarioEditor editor;
        editor.setScenarioJson(text);
        touchForms(editor);
        QCOMPARE(differences(text, editor.scenarioJson()), QStringList());
    }

    void compareVariantsChangeOneThing()
    {
        const QString base = QString::fromUtf8(kScenario);
        // Add DAX on Users: exactly tables[1].dax (and the name, to tell the runs apart).
        const ScenarioVariant dax = daxVariant(base, "Users");
        QVERIFY2(dax.error.isEmpty(), qPrintable(dax.error));
        QCOMPARE(differences(base, dax.json), (QStringList { "$.name", "$.tables[1].dax" }));
        QCOMPARE(parse(dax.json)["name"].toString(), QStringLiteral("dax-and-regions + DAX"));
        QCOMPARE(parse(dax.json)["tables"].toArray()[1].toObject()["dax"].toObject(),
            (QJsonObject { { "nodeType", "dax.r5.large" }, { "nodes", 3 } }));
        QVERIFY(dax.summary.contains("3-node dax.r5.large"));
        QVERIFY(!daxVariant(base, "Orders").error.isEmpty()); // it has one already
        QVERIFY(!daxVariant(base, "Nope").error.isEmpty());
        QVERIFY(!daxVariant("not json", "Users").error.isEmpty());
        // Add a region to Orders (no replicas yet, home us-east-1): us-west-2.
        const ScenarioVariant region = regionVariant(base, "Orders");
        QVERIFY2(region.error.isEmpty(), qPrintable(region.error));
        QCOMPARE(differences(base, region.json), (QStringList { "$.name", "$.tables[0].replicas" }));
        QCOMPARE(parse(region.json)["tables"].toArray()[0].toObject()["replicas"].toArray(), QJsonArray { "us-west-2" });
        QVERIFY(region.summary.contains("write auto scaling")); // provisioned without write auto scaling
        // Users has eu-west-1 and ap-northeast-1: the next free one is us-west-2, appended.
        const ScenarioVariant more = regionVariant(base, "Users");
        QCOMPARE(differences(base, more.json), (QStringList { "$.name", "$.tables[1].replicas" }));
        QCOMPARE(parse(more.json)["tables"].toArray()[1].toObject()["replicas"].toArray(),
            (QJsonArray { "eu-west-1", "ap-northeast-1", "us-west-2" }));
        QCOMPARE(parse(more.json)["name"].toString(), QStringLiteral("dax-and-regions + us-west-2"));
        // An empty table name picks the first table (Orders, which has a cluster already).
        QVERIFY(daxVariant(base, QString()).error.contains("Orders"));
        QCOMPARE(regionVariant(base, QString()).json, region.json);

        // Compare's buttons ask for the variants on the chosen table.
        ComparePage page;
        QSignalSpy daxSpy(&page, &ComparePage::addDaxRequested);
        QSignalSpy regionSpy(&page, &ComparePage::addRegionRequested);
        page.setRun(constructedRun(), true);
        page.findChild<QPushButton*>("addDaxVariant")->click();
        page.findChild<QPushButton*>("addRegionVariant")->click();
        QCOMPARE(daxSpy.count(), 1);
        QCOMPARE(daxSpy.at(0).at(0).toString(), QStringLiteral("Orders")); // "All tables": the first
        QCOMPARE(regionSpy.count(), 1);
        QCOMPARE(page.variantTable(), QStringLiteral("Orders"));
        // The totals beside each other show the DAX and replication costs: 0.765 and 0.10.
        QCOMPARE(TotalsModel::value(*constructedRun(), TotalsModel::CostDaxRow), 0.765);
        QCOMPARE(TotalsModel::value(*constructedRun(), TotalsModel::CostReplicationRow), 0.10);
        auto* totals = page.findChild<QTableView*>("totalsView");
        QCOMPARE(totals->model()->headerData(TotalsModel::CostDaxRow, Qt::Vertical).toString(), QStringLiteral("Cost: DAX"));
        QCOMPARE(totals->model()->index(TotalsModel::CostDaxRow, 0).data().toString(), QString::fromStdString(formatUsd(0.765)));
    }
};

QTEST_MAIN(TestStudioGlobalTables)
#include "tst_studio_globaltables.moc"
