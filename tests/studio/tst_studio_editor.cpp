// Scenario editor and library browser: every library scenario survives the forms unchanged,
// forms and JSON text stay in sync both ways, the loader's errors appear at their fields, the
// previews show what the scenario describes, and every item model passes the model tester.

#include "app/studio/editor/library_dialog.h"
#include "app/studio/charts/preview_charts.h"
#include "app/studio/editor/scenario_editor.h"

#include "simulator/scenario_loader.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace capsim::studio;

namespace {

QString sourcePath(const QString& relative)
{
    return QStringLiteral(CAPSIM_SOURCE_DIR) + '/' + relative;
}

QString readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QJsonObject parse(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// The paths at which two JSON values differ, for a readable failure.
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
        out << path + QStringLiteral(": ")
                + QString::fromUtf8(QJsonDocument(QJsonArray { a }).toJson(QJsonDocument::Compact))
                + QStringLiteral(" vs ")
                + QString::fromUtf8(QJsonDocument(QJsonArray { b }).toJson(QJsonDocument::Compact));
    }
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

QString stepScenario()
{
    QJsonObject scenario {
        { "format", "capsim-scenario/1" },
        { "name", "step" },
        { "duration", "20m" },
        { "tables",
            QJsonArray { QJsonObject { { "name", "Jobs" },
                { "partitionKey", QJsonObject { { "name", "id" }, { "type", "S" } } }, { "billingMode", "PROVISIONED" },
                { "provisioned", QJsonObject { { "read", 5 }, { "write", 10 } } } } } },
        { "workloads",
            QJsonArray { QJsonObject { { "name", "jobs" }, { "table", "Jobs" },
                { "rate", QJsonObject { { "type", "step" }, { "from", 5 }, { "to", 20 }, { "at", "5m" } } },
                { "operations", QJsonObject { { "PutItem", 1 } } } } } },
    };
    return QString::fromUtf8(QJsonDocument(scenario).toJson());
}

// A scenario using every part of the format the loader accepts (written with ' for ").
QString fullScenario()
{
    QString text = QStringLiteral(
        "{'format': 'capsim-scenario/1', 'name': 'everything', 'description': 'all fields', 'region': 'us-east-1',"
        " 'freeTier': true, 'duration': '2h', 'seed': 7, 'fidelity': {'mode': 'full'},"
        " 'client': {'maxAttempts': 3, 'baseDelay': 0.05, 'maxDelay': '2s'},"
        " 'model': {'partitionRead': 3000, 'partitionWrite': 1000, 'partitionSize': '10GB', 'partitionLimitRule': 'linear',"
        "  'burstSeconds': 120, 'burstAtStart': 'empty', 'adaptiveCapacity': false,"
        "  'splitForHeat': {'enabled': true, 'threshold': 0.7, 'sustain': '3m', 'delay': 600},"
        "  'updateTableDelay': '90s', 'onDemandWindow': '20m', 'latency': {'read': 'lognormal(3ms,0.4)', 'write': 'lognormal(5ms,0.6)'}},"
        " 'tables': ["
        "  {'name': 'Orders', 'partitionKey': {'name': 'customer', 'type': 'S'}, 'sortKey': {'name': 'ts', 'type': 'N'},"
        "   'billingMode': 'PROVISIONED', 'tableClass': 'STANDARD_INFREQUENT_ACCESS', 'provisioned': {'read': 200, 'write': 100},"
        "   'autoScaling': {'read': {'min': 10, 'max': 1000, 'target': 60}},"
        "   'initialData': {'items': 5000, 'itemSize': {'type': 'uniform', 'min': 200, 'max': '2KB'}, 'sortKeysPerKey': 5}},"
        "  {'name': 'Sessions', 'partitionKey': {'name': 'id', 'type': 'B'}, 'billingMode': 'PAY_PER_REQUEST',"
        "   'onDemand': {'maxRead': 5000, 'maxWrite': 2000, 'previousPeak': {'read': 100, 'write': 50}}}],"
        " 'workloads': ["
        "  {'name': 'trace', 'table': 'Orders',"
        "   'rate': {'type': 'trace', 'file': 'rates.csv', 'column': 'requests', 'interval': '30m', 'arrivals': 'uniform'},"
        "   'operations': {'GetItem': 0.4, 'Query': 0.2, 'Scan': 0.05, 'BatchGetItem': 0.05, 'PutItem': 0.1, 'UpdateItem': 0.1,"
        "    'DeleteItem': 0.05, 'BatchWriteItem': 0.05},"
        "   'consistency': 'strong', 'keys': {'type': 'zipf', 'cardinality': 1000, 'exponent': 1.2, 'sortKeysPerKey': 5},"
        "   'itemSize': {'type': 'lognormal', 'median': 800, 'sigma': 0.3}, 'queryItems': {'type': 'uniform', 'min': 1, 'max': 5},"
        "   'batchSize': 10, 'attributes': {'status': {'type': 'choice', 'values': ['open', 'closed', 3], 'weights': [0.7, 0.2, 0.1]},"
        "    'region': {'type': 'uniform', 'cardinality': 4}}, 'updateAttributes': ['status', 'region']},"
        "  {'name': 'ramp', 'table': 'Sessions', 'rate': {'type': 'ramp', 'from': 1, 'to': 50, 'start': '10m', 'over': '1h'},"
        "   'operations': {'PutItem': 1}, 'consistency': 'eventual', 'keys': {'type': 'sequential', 'cardinality': 1000000}},"
        "  {'table': 'Sessions', 'rate': {'type': 'values-rate', 'file': 'rates.csv', 'column': 'rps', 'interval': '1h', 'values': 'rate'},"
        "   'operations': {'GetItem': 1}, 'itemSize': {'type': 'fixed', 'size': 400}}],"
        " 'events': ["
        "  {'at': '30m', 'action': 'updateTable', 'table': 'Orders', 'provisioned': {'read': 300}},"
        "  {'at': '40m', 'action': 'updateTable', 'table': 'Orders', 'tableClass': 'STANDARD'},"
        "  {'at': '45m', 'action': 'setAutoScaling', 'table': 'Orders', 'autoScaling': {'write': {'min': 5, 'max': 500, 'target': 70}}},"
        "  {'at': 3600, 'action': 'setWorkloadRate', 'workload': 'ramp', 'rate': {'type': 'sum', 'of': ["
        "   {'type': 'constant', 'rate': 5}, {'type': 'spike', 'base': 0, 'peak': 40, 'at': '70m', 'duration': '5m'},"
        "   {'type': 'diurnal', 'mean': 2, 'amplitude': 0.5, 'peakAt': '12h'}]}}]}");
    text.replace('\'', '"');
    text.replace(QStringLiteral("values-rate"), QStringLiteral("trace"));
    return text;
}

} // namespace

class TestStudioEditor : public QObject {
    Q_OBJECT

private slots:
    void roundTripsLibraryScenario_data();
    void roundTripsLibraryScenario();
    void formEditUpdatesJsonText();
    void typeChangeDropsOtherTypesFields();
    void jsonTextUpdatesForms();
    void unknownFieldsSurvive();
    void everyPartOfTheFormatRoundTrips();
    void invalidValueShownAtField();
    void secondaryIndexForms();
    void indexEventForms();
    void ratePreviewFollowsStep();
    void partitionPreviewShowsHotKey();
    void modelsPassTester();
    void libraryDialogListsLessons();
    void screenshots();
};

void TestStudioEditor::roundTripsLibraryScenario_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(sourcePath(QStringLiteral("resources/scenarios")));
    const auto files = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 8);
    for (const auto& f : files)
        QTest::addRow("%s", qPrintable(f)) << dir.filePath(f);
    QTest::addRow("default-scenario.json") << sourcePath(QStringLiteral("resources/default-scenario.json"));
}

void TestStudioEditor::roundTripsLibraryScenario()
{
    QFETCH(QString, path);
    const QString text = readFile(path);
    QVERIFY(!text.isEmpty());
    ScenarioEditor editor;
    editor.setScenarioJson(text, QFileInfo(path).absolutePath());
    QCOMPARE(editor.validate(), QStringList());
    touchForms(editor);
    const QString rebuilt = editor.scenarioJson();
    QVERIFY(rebuilt != text); // rebuilt by the forms, in their own layout
    QStringList differences;
    diff(parse(text), parse(rebuilt), QStringLiteral("$"), differences);
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    QCOMPARE(parse(rebuilt), parse(text));
    // The JSON tab shows the same.
    QCOMPARE(parse(editor.findChild<QPlainTextEdit*>(QStringLiteral("jsonText"))->toPlainText()), parse(text));
}

void TestStudioEditor::formEditUpdatesJsonText()
{
    ScenarioEditor editor;
    QSignalSpy changed(&editor, &ScenarioEditor::changed);
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    auto* read = editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.read"));
    QVERIFY(read);
    QCOMPARE(read->text(), QStringLiteral("10"));
    read->selectAll();
    QTest::keyClicks(read, QStringLiteral("250"));
    QVERIFY(changed.count() > 0);
    const QJsonObject text = parse(editor.findChild<QPlainTextEdit*>(QStringLiteral("jsonText"))->toPlainText());
    const QJsonObject table = text.value("tables").toArray().at(0).toObject();
    QCOMPARE(table.value("provisioned").toObject().value("read").toInt(), 250);
    QCOMPARE(parse(editor.scenarioJson()), text);
    // Nested sum parts too: the flash sale's peak.
    auto* peak = editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.of[1].peak"));
    QVERIFY(peak);
    QCOMPARE(peak->text(), QStringLiteral("80"));
    peak->setText(QStringLiteral("120"));
    const QJsonObject after = parse(editor.scenarioJson());
    QCOMPARE(after.value("workloads")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("rate")
                 .toObject()
                 .value("of")
                 .toArray()
                 .at(1)
                 .toObject()
                 .value("peak")
                 .toInt(),
        120);
    // Durations keep the unit they were typed with.
    QCOMPARE(after.value("duration").toString(), QStringLiteral("24h"));
}

void TestStudioEditor::typeChangeDropsOtherTypesFields()
{
    ScenarioEditor editor;
    editor.setScenarioJson(stepScenario());
    auto* type = editor.findChild<QComboBox*>(QStringLiteral("workloads[0].rate.type"));
    QVERIFY(type);
    type->setCurrentIndex(type->findText(QStringLiteral("constant"), Qt::MatchStartsWith));
    auto* rate = editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.rate"));
    QVERIFY(rate);
    rate->setText(QStringLiteral("7.5"));
    const QJsonObject pattern
        = parse(editor.scenarioJson()).value("workloads").toArray().at(0).toObject().value("rate").toObject();
    QCOMPARE(pattern, (QJsonObject { { "type", "constant" }, { "rate", 7.5 } }));
    QCOMPARE(editor.validate(), QStringList());

    auto* billing = editor.findChild<QComboBox*>(QStringLiteral("tables[0].billingMode"));
    QVERIFY(billing);
    billing->setCurrentIndex(billing->findText(QStringLiteral("PAY_PER_REQUEST"), Qt::MatchStartsWith));
    const QJsonObject table = parse(editor.scenarioJson()).value("tables").toArray().at(0).toObject();
    QCOMPARE(table.value("billingMode").toString(), QStringLiteral("PAY_PER_REQUEST"));
    QVERIFY(!table.contains("provisioned"));
    QCOMPARE(editor.validate(), QStringList());
}

void TestStudioEditor::jsonTextUpdatesForms()
{
    ScenarioEditor editor;
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    auto* text = editor.findChild<QPlainTextEdit*>(QStringLiteral("jsonText"));
    QJsonObject scenario = parse(text->toPlainText());
    QJsonArray tables = scenario.value("tables").toArray();
    QJsonObject table = tables.at(0).toObject();
    table.insert("provisioned", QJsonObject { { "read", 10 }, { "write", 77 } });
    tables.replace(0, table);
    scenario.insert("tables", tables);
    scenario.insert("seed", 9);
    text->setPlainText(QString::fromUtf8(QJsonDocument(scenario).toJson()));
    QTRY_COMPARE(
        editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.write"))->text(), QStringLiteral("77"));
    QCOMPARE(editor.findChild<QLineEdit*>(QStringLiteral("seed"))->text(), QStringLiteral("9"));
    QCOMPARE(parse(editor.scenarioJson()), scenario);

    // Text that is not JSON leaves the forms as they were.
    text->setPlainText(QStringLiteral("{ \"name\": "));
    QTest::qWait(600);
    QCOMPARE(editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.write"))->text(), QStringLiteral("77"));
    const QStringList problems = editor.validate();
    QCOMPARE(problems.size(), 1);
}

void TestStudioEditor::unknownFieldsSurvive()
{
    QJsonObject scenario = parse(stepScenario());
    scenario.insert("x-owner", "capacity team");
    QJsonArray tables = scenario.value("tables").toArray();
    QJsonObject table = tables.at(0).toObject();
    table.insert("x-note", QJsonObject { { "ticket", 42 } });
    tables.replace(0, table);
    scenario.insert("tables", tables);
    QJsonArray workloads = scenario.value("workloads").toArray();
    QJsonObject workload = workloads.at(0).toObject();
    QJsonObject rate = workload.value("rate").toObject();
    rate.insert("x-why", "nightly batch");
    workload.insert("rate", rate);
    workloads.replace(0, workload);
    scenario.insert("workloads", workloads);

    ScenarioEditor editor;
    editor.setScenarioJson(QString::fromUtf8(QJsonDocument(scenario).toJson()));
    QCOMPARE(editor.validate(), QStringList());
    editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.to"))->setText(QStringLiteral("30"));
    const QJsonObject after = parse(editor.scenarioJson());
    QCOMPARE(after.value("x-owner").toString(), QStringLiteral("capacity team"));
    QCOMPARE(after.value("tables").toArray().at(0).toObject().value("x-note").toObject().value("ticket").toInt(), 42);
    const QJsonObject afterRate = after.value("workloads").toArray().at(0).toObject().value("rate").toObject();
    QCOMPARE(afterRate.value("x-why").toString(), QStringLiteral("nightly batch"));
    QCOMPARE(afterRate.value("to").toInt(), 30);
}

void TestStudioEditor::everyPartOfTheFormatRoundTrips()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile csv(dir.filePath(QStringLiteral("rates.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("time,requests,rps\n0,1800,1\n1,3600,2\n2,900,3\n3,1800,4\n");
    csv.close();
    const QString text = fullScenario();
    QVERIFY(!parse(text).isEmpty());
    ScenarioEditor editor;
    editor.setScenarioJson(text, dir.path());
    QCOMPARE(editor.validate(), QStringList());
    touchForms(editor);
    QStringList differences;
    diff(parse(text), parse(editor.scenarioJson()), QStringLiteral("$"), differences);
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));

    // Every field was shown in a widget: the JSON paths of the leaves all have one.
    for (const auto& path :
        { "client.baseDelay", "model.splitForHeat.delay", "model.latency.write", "tables[0].sortKey.type",
            "tables[0].initialData.itemSize.max", "tables[1].onDemand.previousPeak.write", "workloads[0].rate.column",
            "workloads[0].attributes.status.weights", "workloads[0].updateAttributes", "workloads[2].rate.values",
            "events[2].autoScaling.write.target", "events[3].rate.of[2].peakAt", "fidelity.mode", "freeTier" })
        QVERIFY2(editor.findChild<QWidget*>(QString::fromLatin1(path)), path);

    // The trace preview: 1800 requests per 30 minutes is 1 request/s, in steps.
    auto* trace = editor.findChild<QWidget*>(QStringLiteral("workloads[0]#workload"))->findChild<RatePreviewChart*>();
    QVERIFY(trace);
    QVERIFY2(trace->data().error.isEmpty(), qPrintable(trace->data().error));
    const QList<QPointF> expected { { 0, 1 }, { 30, 1 }, { 30, 2 }, { 60, 2 }, { 60, 0.5 }, { 90, 0.5 }, { 90, 1 },
        { 120, 1 } };
    QCOMPARE(trace->series()->points(), expected);

    // Editing an attribute's weights and an event's nested pattern reaches the JSON.
    editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].attributes.status.weights"))
        ->setText(QStringLiteral("1, 1, 2"));
    editor.findChild<QLineEdit*>(QStringLiteral("events[3].rate.of[0].rate"))->setText(QStringLiteral("6"));
    const QJsonObject after = parse(editor.scenarioJson());
    QCOMPARE(after.value("workloads")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("attributes")
                 .toObject()
                 .value("status")
                 .toObject()
                 .value("weights")
                 .toArray(),
        (QJsonArray { 1, 1, 2 }));
    QCOMPARE(after.value("events")
                 .toArray()
                 .at(3)
                 .toObject()
                 .value("rate")
                 .toObject()
                 .value("of")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("rate")
                 .toInt(),
        6);
    QCOMPARE(editor.validate(), QStringList());
}

void TestStudioEditor::invalidValueShownAtField()
{
    ScenarioEditor editor;
    editor.resize(1400, 900);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    QCOMPARE(editor.validate(), QStringList());
    auto* read = editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.read"));
    QVERIFY(read);
    read->setText(QStringLiteral("0"));

    // What the loader says about the same text.
    const QByteArray text = editor.scenarioJson().toUtf8();
    const auto expected
        = capsim::loadScenarioText(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), "");
    QCOMPARE(expected.errors.size(), std::size_t(1));
    QCOMPARE(expected.errors[0].path, std::string("tables[0].provisioned.read"));
    const QString message = QString::fromStdString(expected.errors[0].message);

    const QStringList problems = editor.validate();
    QCOMPARE(problems, QStringList { QStringLiteral("tables[0].provisioned.read: ") + message });
    QVERIFY(read->property("capsimError").toBool());
    QVERIFY2(read->toolTip().contains(message.toHtmlEscaped()), qPrintable(read->toolTip()));
    QVERIFY(read->styleSheet().contains(QStringLiteral("#c62828")));
    // Only that field is marked.
    auto* write = editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.write"));
    QVERIFY(!write->property("capsimError").toBool());

    // Clicking the problem shows the Tables tab and focuses the field.
    auto* list = editor.findChild<QListWidget*>(QStringLiteral("errorList"));
    QVERIFY(list);
    QCOMPARE(list->count(), 1);
    auto* tabs = editor.findChild<QTabWidget*>();
    tabs->setCurrentIndex(tabs->count() - 1);
    emit list->itemClicked(list->item(0));
    QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Tables"));
    QVERIFY(read->isVisible());
    QTRY_VERIFY(read->hasFocus());

    // Fixing it clears the mark.
    read->setText(QStringLiteral("5"));
    QCOMPARE(editor.validate(), QStringList());
    QVERIFY(!read->property("capsimError").toBool());
    QVERIFY(!read->styleSheet().contains(QStringLiteral("#c62828")));

    // An error deeper in a sum pattern lands on its field too.
    auto* amplitude = editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.of[0].amplitude"));
    QVERIFY(amplitude);
    amplitude->setText(QStringLiteral("1.5"));
    const QStringList more = editor.validate();
    QCOMPARE(more.size(), 1);
    QVERIFY(more[0].startsWith(QStringLiteral("workloads[0].rate.of[0].amplitude: ")));
    QVERIFY(amplitude->property("capsimError").toBool());
}

void TestStudioEditor::secondaryIndexForms()
{
    ScenarioEditor editor;
    editor.resize(1400, 900);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    const QString text = readFile(sourcePath(QStringLiteral("resources/scenarios/11-gsi-backpressure.json")));
    editor.setScenarioJson(text);
    QCOMPARE(editor.validate(), QStringList());

    // The GSI has its own form: name, keys with types, projection, capacity.
    const QString gsi = QStringLiteral("tables[0].globalSecondaryIndexes[0]");
    auto* name = editor.findChild<QLineEdit*>(gsi + QStringLiteral(".name"));
    QVERIFY(name);
    QCOMPARE(name->text(), QStringLiteral("byStatus"));
    QCOMPARE(editor.findChild<QLineEdit*>(gsi + QStringLiteral(".partitionKey.name"))->text(), QStringLiteral("status"));
    QVERIFY(editor.findChild<QComboBox*>(gsi + QStringLiteral(".partitionKey.type")));
    auto* projection = editor.findChild<QComboBox*>(gsi + QStringLiteral(".projection"));
    QVERIFY(projection);
    QVERIFY(projection->currentText().startsWith(QStringLiteral("ALL")));
    QVERIFY(editor.findChild<QLineEdit*>(gsi + QStringLiteral(".projection.include")));
    QVERIFY(editor.findChild<QWidget*>(gsi + QStringLiteral(".autoScaling.write.target")));
    QVERIFY(editor.findChild<QWidget*>(gsi + QStringLiteral(".onDemand.maxWrite")));
    QVERIFY(editor.findChild<QListWidget*>(QStringLiteral("tables[0].globalSecondaryIndexes")));
    QVERIFY(editor.findChild<QListWidget*>(QStringLiteral("tables[0].localSecondaryIndexes")));
    // No raw-JSON fallback for indexes any more.
    QVERIFY(!editor.findChild<QLineEdit*>(QStringLiteral("tables[0].globalSecondaryIndexes")));

    // Editing the GSI's provisioned write updates the JSON.
    auto* write = editor.findChild<QLineEdit*>(gsi + QStringLiteral(".provisioned.write"));
    QVERIFY(write);
    QCOMPARE(write->text(), QStringLiteral("5"));
    write->selectAll();
    QTest::keyClicks(write, QStringLiteral("20"));
    QJsonObject after = parse(editor.scenarioJson());
    const auto gsiOf = [](const QJsonObject& scenario) {
        return scenario.value("tables")
            .toArray()
            .at(0)
            .toObject()
            .value("globalSecondaryIndexes")
            .toArray()
            .at(0)
            .toObject();
    };
    QCOMPARE(gsiOf(after).value("provisioned").toObject().value("write").toInt(), 20);
    QCOMPARE(gsiOf(after).value("projection").toString(), QStringLiteral("ALL"));
    QCOMPARE(parse(editor.findChild<QPlainTextEdit*>(QStringLiteral("jsonText"))->toPlainText()), after);
    QCOMPARE(editor.validate(), QStringList());

    // A projection with an include list.
    projection->setCurrentIndex(3);
    editor.findChild<QLineEdit*>(gsi + QStringLiteral(".projection.include"))->setText(QStringLiteral("total, customer"));
    after = parse(editor.scenarioJson());
    QCOMPARE(gsiOf(after).value("projection").toObject(),
        (QJsonObject { { "include", QJsonArray { "total", "customer" } } }));

    // A bad GSI field shows the loader's error at that widget.
    write->setText(QStringLiteral("0"));
    const QByteArray bad = editor.scenarioJson().toUtf8();
    const auto expected
        = capsim::loadScenarioText(std::string_view(bad.constData(), static_cast<std::size_t>(bad.size())), "");
    QCOMPARE(expected.errors.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(expected.errors[0].path), gsi + QStringLiteral(".provisioned.write"));
    const QString message = QString::fromStdString(expected.errors[0].message);
    QCOMPARE(editor.validate(), QStringList { gsi + QStringLiteral(".provisioned.write: ") + message });
    QVERIFY(write->property("capsimError").toBool());
    QVERIFY2(write->toolTip().contains(message.toHtmlEscaped()), qPrintable(write->toolTip()));
    QVERIFY(!editor.findChild<QLineEdit*>(gsi + QStringLiteral(".provisioned.read"))->property("capsimError").toBool());

    // Add, duplicate and remove indexes from the list.
    auto* list = editor.findChild<QWidget*>(QStringLiteral("tables[0].globalSecondaryIndexes#list"));
    QVERIFY(list);
    write->setText(QStringLiteral("20"));
    QPushButton* duplicate = nullptr;
    QPushButton* remove = nullptr;
    for (auto* button : list->findChildren<QPushButton*>()) {
        if (button->text() == QStringLiteral("Duplicate"))
            duplicate = button;
        if (button->text() == QStringLiteral("Remove"))
            remove = button;
    }
    QVERIFY(duplicate && remove);
    duplicate->click();
    after = parse(editor.scenarioJson());
    const QJsonArray indexes = after.value("tables").toArray().at(0).toObject().value("globalSecondaryIndexes").toArray();
    QCOMPARE(indexes.size(), 2);
    QCOMPARE(indexes.at(1).toObject().value("name").toString(), QStringLiteral("byStatus-copy"));
    QCOMPARE(indexes.at(1).toObject().value("provisioned").toObject().value("write").toInt(), 20);
    remove->click();
    after = parse(editor.scenarioJson());
    QCOMPARE(after.value("tables").toArray().at(0).toObject().value("globalSecondaryIndexes").toArray().size(), 1);
}

void TestStudioEditor::indexEventForms()
{
    QString text = QStringLiteral(
        "{'format': 'capsim-scenario/1', 'name': 'index-events', 'duration': '1h',"
        " 'tables': [{'name': 'Orders', 'partitionKey': {'name': 'id', 'type': 'S'}, 'sortKey': {'name': 'ts', 'type': 'N'},"
        "  'billingMode': 'PROVISIONED', 'provisioned': {'read': 10, 'write': 10},"
        "  'localSecondaryIndexes': [{'name': 'byTotal', 'sortKey': {'name': 'total', 'type': 'N'}, 'projection': 'KEYS_ONLY'}]}],"
        " 'workloads': [{'name': 'orders', 'table': 'Orders', 'rate': {'type': 'constant', 'rate': 5},"
        "  'operations': {'PutItem': 1}, 'attributes': {'status': {'type': 'uniform', 'cardinality': 3}}}],"
        " 'events': ["
        "  {'at': '10m', 'action': 'createIndex', 'table': 'Orders', 'index': {'name': 'byStatus',"
        "   'partitionKey': {'name': 'status', 'type': 'S'}, 'projection': {'include': ['total']},"
        "   'provisioned': {'read': 5, 'write': 10}, 'autoScaling': {'write': {'min': 5, 'max': 50, 'target': 70}}}},"
        "  {'at': '40m', 'action': 'deleteIndex', 'table': 'Orders', 'name': 'byStatus'}]}");
    text.replace('\'', '"');
    QVERIFY(!parse(text).isEmpty());
    ScenarioEditor editor;
    editor.setScenarioJson(text);
    QCOMPARE(editor.validate(), QStringList());
    touchForms(editor);
    QStringList differences;
    diff(parse(text), parse(editor.scenarioJson()), QStringLiteral("$"), differences);
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    for (const auto& path : { "events[0].index.name", "events[0].index.partitionKey.type", "events[0].index.projection.include",
             "events[0].index.provisioned.write", "events[0].index.autoScaling.write.max", "events[1].name",
             "tables[0].localSecondaryIndexes[0].sortKey.name", "tables[0].localSecondaryIndexes[0].projection" })
        QVERIFY2(editor.findChild<QWidget*>(QString::fromLatin1(path)), path);
    // An LSI has no capacity of its own.
    QVERIFY(!editor.findChild<QWidget*>(QStringLiteral("tables[0].localSecondaryIndexes[0].provisioned.write")));
    editor.findChild<QLineEdit*>(QStringLiteral("events[0].index.provisioned.write"))->setText(QStringLiteral("25"));
    const QJsonObject after = parse(editor.scenarioJson());
    QCOMPARE(after.value("events")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("index")
                 .toObject()
                 .value("provisioned")
                 .toObject()
                 .value("write")
                 .toInt(),
        25);
    QCOMPARE(editor.validate(), QStringList());
}

void TestStudioEditor::ratePreviewFollowsStep()
{
    ScenarioEditor editor;
    editor.setScenarioJson(stepScenario());
    auto* chart = editor.findChild<RatePreviewChart*>();
    QVERIFY(chart);
    QCOMPARE(chart->data().timeUnit, QStringLiteral("min"));
    const QList<QPointF> expected { { 0, 5 }, { 5, 5 }, { 5, 20 }, { 20, 20 } };
    QCOMPARE(chart->series()->points(), expected);
    QVERIFY(chart->data().error.isEmpty());

    // Editing the pattern updates the preview.
    editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.at"))->setText(QStringLiteral("10m"));
    const QList<QPointF> moved { { 0, 5 }, { 10, 5 }, { 10, 20 }, { 20, 20 } };
    QTRY_COMPARE(chart->series()->points(), moved);

    // An invalid pattern says why instead of drawing.
    editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].rate.from"))->setText(QStringLiteral("lots"));
    QTRY_VERIFY(!chart->data().error.isEmpty());
    QVERIFY(chart->data().error.startsWith(QStringLiteral("rate.from")));
    QVERIFY(chart->series()->points().isEmpty());
}

void TestStudioEditor::partitionPreviewShowsHotKey()
{
    QJsonObject scenario = parse(stepScenario());
    QJsonArray tables = scenario.value("tables").toArray();
    QJsonObject table = tables.at(0).toObject();
    table.insert("provisioned", QJsonObject { { "read", 100 }, { "write", 4000 } }); // 5 partitions
    tables.replace(0, table);
    scenario.insert("tables", tables);
    QJsonObject hot = scenario.value("workloads").toArray().at(0).toObject();
    hot.insert(
        "keys", QJsonObject { { "type", "hotkey" }, { "cardinality", 100000 }, { "hotKeys", 1 }, { "hotShare", 0.5 } });
    QJsonObject even = hot;
    even.insert("name", "even");
    even.insert("keys", QJsonObject { { "type", "uniform" }, { "cardinality", 100000 } });
    scenario.insert("workloads", QJsonArray { hot, even });

    ScenarioEditor editor;
    editor.setScenarioJson(QString::fromUtf8(QJsonDocument(scenario).toJson()));
    QCOMPARE(editor.validate(), QStringList());
    QCOMPARE(editor.findChildren<PartitionPreviewChart*>().size(), 2);
    const QList<PartitionPreviewChart*> charts {
        editor.findChild<QWidget*>(QStringLiteral("workloads[0]#workload"))->findChild<PartitionPreviewChart*>(),
        editor.findChild<QWidget*>(QStringLiteral("workloads[1]#workload"))->findChild<PartitionPreviewChart*>(),
    };
    for (auto* chart : charts) {
        const auto& data = chart->data();
        QVERIFY2(data.error.isEmpty(), qPrintable(data.error));
        QCOMPARE(data.sharePercent.size(), 5);
        double total = 0;
        for (int i = 0; i < 5; ++i) {
            total += chart->drawnShare(i);
            QCOMPARE(chart->drawnShare(i), data.sharePercent[i]);
        }
        QVERIFY(qAbs(total - 100) < 1e-6);
    }
    auto sorted = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    // The hot workload: one partition carries the hot key's half plus its share of the rest.
    const QList<double> hotShares = sorted(charts[0]->data().sharePercent);
    QVERIFY2(hotShares.last() > 2 * 20.0, qPrintable(QString::number(hotShares.last())));
    QVERIFY(hotShares[3] < 15.0);
    // Uniform keys spread evenly.
    const QList<double> evenShares = sorted(charts[1]->data().sharePercent);
    QVERIFY(evenShares.first() > 17.0 && evenShares.last() < 23.0);

    // Making the hot key share 0 evens it out.
    editor.findChild<QLineEdit*>(QStringLiteral("workloads[0].keys.hotShare"))->setText(QStringLiteral("0"));
    QTRY_VERIFY(sorted(charts[0]->data().sharePercent).last() < 23.0);
}

void TestStudioEditor::modelsPassTester()
{
    ScenarioEditor editor;
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.read"))->setText(QStringLiteral("0"));
    editor.validate(); // fills the problem list
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    int views = 0;
    for (auto* view : editor.findChildren<QAbstractItemView*>()) {
        testers.push_back(std::make_unique<QAbstractItemModelTester>(
            view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
        ++views;
    }
    QVERIFY(views >= 4); // tables, workloads, events, problems (and the combo boxes' popups)
    // The models keep passing while the editor changes them.
    editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.read"))->setText(QStringLiteral("5"));
    editor.validate();
    editor.setScenarioJson(stepScenario());
    LibraryDialog dialog;
    QAbstractItemModelTester dialogTester(dialog.findChild<QListWidget*>(QStringLiteral("lessonList"))->model(),
        QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestStudioEditor::libraryDialogListsLessons()
{
    LibraryDialog dialog;
    auto* list = dialog.findChild<QListWidget*>(QStringLiteral("lessonList"));
    auto* description = dialog.findChild<QLabel*>(QStringLiteral("lessonDescription"));
    QVERIFY(list && description);
    QVERIFY(list->count() >= 8);
    QVERIFY(description->wordWrap());
    QSet<QString> files;
    for (int i = 0; i < list->count(); ++i) {
        list->setCurrentRow(i);
        QVERIFY(dialog.fileName().endsWith(QStringLiteral(".json")));
        files.insert(dialog.fileName());
        const QJsonObject scenario = parse(dialog.scenarioJson());
        QVERIFY(!scenario.isEmpty());
        QCOMPARE(description->text(), scenario.value("description").toString());
        QVERIFY(description->text().size() > 100);
        QVERIFY(list->item(i)->text().contains(scenario.value("name").toString()));
    }
    QCOMPARE(files.size(), list->count());
    list->setCurrentRow(2);
    QCOMPARE(dialog.fileName(), QStringLiteral("03-hot-key.json"));
    QCOMPARE(dialog.scenarioJson(), readFile(sourcePath(QStringLiteral("resources/scenarios/03-hot-key.json"))));
}

// Renders each tab and the library dialog to PNGs for review, when EDITOR_REVIEW_DIR is set.
void TestStudioEditor::screenshots()
{
    const QString dir = qEnvironmentVariable("EDITOR_REVIEW_DIR");
    if (dir.isEmpty())
        QSKIP("set EDITOR_REVIEW_DIR to render the editor");
    QDir().mkpath(dir);
    ScenarioEditor editor;
    editor.resize(1400, 900);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    auto* tabs = editor.findChild<QTabWidget*>();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        QVERIFY(editor.grab().save(
            dir + QStringLiteral("/editor-%1-%2.png").arg(i).arg(tabs->tabText(i).toLower().replace(' ', '-'))));
    }
    // Scenario 11: the GSI form, shown by focusing its write capacity.
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/scenarios/11-gsi-backpressure.json"))));
    tabs->setCurrentIndex(1);
    QTest::qWait(50);
    auto* gsiWrite = editor.findChild<QLineEdit*>(QStringLiteral("tables[0].globalSecondaryIndexes[0].provisioned.write"));
    QVERIFY(gsiWrite);
    gsiWrite->setText(QStringLiteral("0"));
    editor.validate();
    auto* problems = editor.findChild<QListWidget*>(QStringLiteral("errorList"));
    QCOMPARE(problems->count(), 1);
    emit problems->itemClicked(problems->item(0));
    QTest::qWait(100);
    QVERIFY(editor.grab().save(dir + QStringLiteral("/editor-gsi.png")));
    editor.setScenarioJson(readFile(sourcePath(QStringLiteral("resources/default-scenario.json"))));
    editor.findChild<QLineEdit*>(QStringLiteral("tables[0].provisioned.read"))->setText(QStringLiteral("0"));
    editor.validate();
    tabs->setCurrentIndex(1);
    QTest::qWait(50);
    QVERIFY(editor.grab().save(dir + QStringLiteral("/editor-error.png")));
    QTemporaryDir traceDir;
    QFile csv(traceDir.filePath(QStringLiteral("rates.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("time,requests,rps\n0,1800,1\n1,3600,2\n2,900,3\n3,1800,4\n");
    csv.close();
    editor.setScenarioJson(fullScenario(), traceDir.path());
    for (int i = 1; i <= 4; ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        QVERIFY(editor.grab().save(dir + QStringLiteral("/full-%1.png").arg(i)));
    }
    auto* events = editor.findChild<QListWidget*>(QStringLiteral("events"));
    events->setCurrentRow(3);
    tabs->setCurrentIndex(4);
    QTest::qWait(50);
    QVERIFY(editor.grab().save(dir + QStringLiteral("/full-events-rate.png")));
    auto* workloads = editor.findChild<QListWidget*>(QStringLiteral("workloads"));
    workloads->setCurrentRow(1);
    tabs->setCurrentIndex(2);
    QTest::qWait(50);
    QVERIFY(editor.grab().save(dir + QStringLiteral("/full-workload-ramp.png")));
    LibraryDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QListWidget*>(QStringLiteral("lessonList"))->setCurrentRow(3);
    QTest::qWait(50);
    QVERIFY(dialog.grab().save(dir + QStringLiteral("/library.png")));
}

QTEST_MAIN(TestStudioEditor)
#include "tst_studio_editor.moc"
