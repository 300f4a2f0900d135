// The Explain, Compare and Data pages show the run's own figures: the explanation text is
// explainRun's, the totals cells are the runs' totals, the items model pages through every stored
// item and the partitions model lists the engine's partitions. Every model passes
// QAbstractItemModelTester.

#include "app/studio/models/items_model.h"
#include "app/studio/models/partitions_model.h"
#include "app/studio/models/totals_model.h"
#include "app/studio/pages/compare_page.h"
#include "app/studio/pages/data_page.h"
#include "app/studio/pages/explain_page.h"
#include "simulator/explain.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <set>

using namespace capsim;
using namespace capsim::studio;

namespace {

// 300 writes of 200-byte items over 250 keys in a minute: about 180 distinct items, two pages.
const char* const kSmallScenario
    = "{\"format\": \"capsim-scenario/1\", \"name\": \"small\", \"description\": \"A small table for the "
      "Data view test.\", \"duration\": \"60s\", \"seed\": 3, \"tables\": [{\"name\": \"Things\", "
      "\"partitionKey\": {\"name\": \"id\", \"type\": \"S\"}, \"billingMode\": \"PROVISIONED\", "
      "\"provisioned\": {\"read\": 1500, \"write\": 1500}}], \"workloads\": [{\"name\": \"w\", \"table\": "
      "\"Things\", \"rate\": {\"type\": \"constant\", \"rate\": 5, \"arrivals\": \"uniform\"}, "
      "\"operations\": {\"PutItem\": 1}, \"keys\": {\"type\": \"uniform\", \"cardinality\": 250}, "
      "\"itemSize\": {\"type\": \"fixed\", \"size\": 200}}]}";

appcore::RunSnapshot runScenario(const Scenario& scenario, const std::string& enginePath = ":memory:")
{
    SimulatorOptions options;
    options.pricing = *builtInPricing(scenario.region);
    options.enginePath = enginePath;
    Simulator simulator(scenario, options);
    auto result = simulator.run();
    if (!result)
        qFatal("run failed: %s", result.status().toString().c_str());
    return *result;
}

appcore::RunSnapshot runLibrary(const char* file)
{
    auto loaded = loadScenarioFile(std::string(CAPSIM_SOURCE_DIR "/resources/scenarios/") + file);
    if (!loaded.scenario)
        qFatal("%s does not load", file);
    return runScenario(*loaded.scenario);
}

} // namespace

class TestStudioAnalysis : public QObject {
    Q_OBJECT
private slots:
    void explainPageShowsExplainRun()
    {
        auto run = runLibrary("04-autoscaling-lag.json");
        ExplainPage page;
        page.setRun(run, true);
        auto* browser = page.findChild<QTextBrowser*>(QStringLiteral("explainText"));
        QVERIFY(browser);
        QStringList expected;
        for (const auto& p : explainRun(*run))
            expected << QString::fromStdString(p);
        QCOMPARE(browser->toPlainText(), expected.join(QLatin1Char('\n')));
        // Times are links: clicking 00:07 selects 420 s.
        QVERIFY(browser->toHtml().contains(QStringLiteral("href=\"time:420\"")));
        QSignalSpy spy(&page, &ResultPage::timeSelected);
        emit browser->anchorClicked(QUrl(QStringLiteral("time:420")));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toDouble(), 420.0);
    }

    void totalsModel_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        for (int column = 0; column < 2; ++column)
            for (int row = 0; row < TotalsModel::RowCount; ++row)
                QTest::addRow("run %d row %d", column, row) << row << column;
    }
    void totalsModel()
    {
        QFETCH(int, row);
        QFETCH(int, column);
        static const auto runA = runLibrary("04-autoscaling-lag.json");
        static const auto runB = runLibrary("03-hot-key.json");
        ComparePage page;
        page.addRun(QStringLiteral("lag"), runA);
        page.addRun(QStringLiteral("hot"), runB);
        QCOMPARE(page.runCount(), 2);
        auto* view = page.findChild<QTableView*>(QStringLiteral("totalsView"));
        QVERIFY(view);
        auto* model = view->model();
        QCOMPARE(model->columnCount(), 2);
        QCOMPARE(model->rowCount(), int(TotalsModel::RowCount));
        QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("lag"));
        const TableResult& t = (column == 0 ? runA : runB)->tables.at(0);
        const double expected[TotalsModel::RowCount]
            = { double(t.requestsRead), double(t.requestsWrite), double(t.throttledRead), double(t.throttledWrite),
                  double(t.failedRead), double(t.failedWrite), t.consumedRead, t.consumedWrite,
                  t.provisionedUnitHoursRead, t.provisionedUnitHoursWrite, double(t.partitionsFinal), double(t.splits),
                  t.cost.read, t.cost.write, t.cost.storage, t.cost.freeTier, t.cost.indexes, t.cost.dax, t.cost.replication, t.cost.total() };
        QCOMPARE(model->index(row, column).data(TotalsModel::ValueRole).toDouble(), expected[row]);
        QVERIFY(!model->index(row, column).data().toString().isEmpty());
    }

    void totalsModelTester()
    {
        TotalsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns({ { QStringLiteral("a"), runLibrary("01-burst-capacity.json") } });
        model.setRuns({});
    }

    void comparePageFinalRunJoins()
    {
        auto run = runLibrary("04-autoscaling-lag.json");
        ComparePage page;
        page.setRun(run, false);
        QCOMPARE(page.runCount(), 0);
        page.setRun(run, true);
        QCOMPARE(page.runCount(), 1);
        page.setRun(run, true);
        QCOMPARE(page.runCount(), 1);
        auto* text = page.findChild<QLabel*>(QStringLiteral("breakEvenText"));
        QVERIFY(text);
        // Standard writes: 0.00065 / (3600 x 0.625e-6) = 28.9 %.
        QVERIFY2(text->text().contains(QStringLiteral("28.9 %")), qPrintable(text->text()));
        page.clearRuns();
        QCOMPARE(page.runCount(), 0);
    }

    void dataPagePagesThroughItems()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString enginePath = dir.filePath(QStringLiteral("engine.sqlite"));
        auto loaded = loadScenarioText(kSmallScenario, ".");
        QVERIFY2(loaded.scenario.has_value(), formatErrors(loaded.errors).c_str());
        runScenario(*loaded.scenario, enginePath.toStdString());

        auto engine = Engine::open(enginePath.toStdString());
        QVERIFY(engine);
        const TableState* state = (*engine)->table("Things");
        QVERIFY(state);
        QVERIFY(state->itemCount() > ItemsModel::kPageSize);

        ItemsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setSource(engine->get(), "Things"));
        std::int64_t seen = 0;
        std::set<QString> ids;
        int pages = 0;
        for (;;) {
            ++pages;
            QVERIFY(model.rowCount() <= ItemsModel::kPageSize);
            seen += model.rowCount();
            for (int r = 0; r < model.rowCount(); ++r)
                ids.insert(model.index(r, 0).data().toString());
            if (!model.hasNextPage())
                break;
            QVERIFY(model.nextPage());
        }
        QCOMPARE(seen, state->itemCount());
        QCOMPARE(std::int64_t(ids.size()), state->itemCount());
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("id"));
        QCOMPARE(pages, int((state->itemCount() + ItemsModel::kPageSize - 1) / ItemsModel::kPageSize));
        // Previous goes back to the page before, with the same items.
        const QString lastFirst = model.index(0, 0).data().toString();
        QVERIFY(model.previousPage());
        QCOMPARE(model.pageIndex(), pages - 2);
        QCOMPARE(model.rowCount(), int(ItemsModel::kPageSize));
        QVERIFY(model.nextPage());
        QCOMPARE(model.index(0, 0).data().toString(), lastFirst);

        PartitionsModel partitions;
        QAbstractItemModelTester partitionsTester(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        partitions.setPartitions(state->partitions);
        QCOMPARE(partitions.rowCount(), int(state->partitions.size()));
        for (int r = 0; r < partitions.rowCount(); ++r) {
            const auto& p = state->partitions[std::size_t(r)];
            QCOMPARE(partitions.index(r, PartitionsModel::IdColumn).data(PartitionsModel::ValueRole).toLongLong(),
                qint64(p.id));
            QCOMPARE(partitions.index(r, PartitionsModel::HashLowColumn).data().toString(),
                PartitionsModel::hashText(p.hashLow));
            QCOMPARE(
                partitions.index(r, PartitionsModel::HashHighColumn).data(PartitionsModel::ValueRole).toULongLong(),
                quint64(p.hashHigh));
            QCOMPARE(partitions.index(r, PartitionsModel::ItemsColumn).data(PartitionsModel::ValueRole).toLongLong(),
                qint64(p.itemCount));
        }
        QCOMPARE(PartitionsModel::hashText(0xffffffffffffffffULL), QStringLiteral("0xffffffffffffffff"));
        const int partitionCount = int(state->partitions.size());
        model.detach();
        engine->reset();

        // The page opens the same file and shows the same figures.
        DataPage page;
        page.setEnginePath(enginePath);
        auto* pageItems = page.findChild<ItemsModel*>(QStringLiteral("itemsModel"));
        auto* pagePartitions = page.findChild<PartitionsModel*>(QStringLiteral("partitionsModel"));
        QVERIFY(pageItems && pagePartitions);
        QCOMPARE(pageItems->rowCount(), int(ItemsModel::kPageSize));
        QCOMPARE(pagePartitions->rowCount(), partitionCount);
        // Query by key finds the item with that partition key.
        const QString firstId = pageItems->index(0, 0).data().toString();
        page.findChildren<QLineEdit*>().at(0)->setText(firstId);
        for (auto* button : page.findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Query"))
                button->click();
        auto* queryModel = page.findChild<ItemsModel*>(QStringLiteral("queryModel"));
        QVERIFY(queryModel);
        QCOMPARE(queryModel->rowCount(), 1);
        QCOMPARE(queryModel->index(0, 0).data().toString(), firstId);
    }

    void dataPageWithoutEngine()
    {
        DataPage page;
        page.setRun(runLibrary("01-burst-capacity.json"), true);
        page.setEnginePath(QString());
        auto* message = page.findChild<QLabel*>(QStringLiteral("dataMessage"));
        QVERIFY(message);
        QVERIFY2(message->text().contains(QStringLiteral("only for runs made in this session")),
            qPrintable(message->text()));
    }
};

QTEST_MAIN(TestStudioAnalysis)
#include "tst_studio_analysis.moc"
