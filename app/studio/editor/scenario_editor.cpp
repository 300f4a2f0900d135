#include "app/studio/editor/scenario_editor.h"

#include "app/studio/editor/json_form.h"
#include "app/studio/editor/scenario_forms.h"
#include "app/studio/editor/workload_editor.h"

#include "simulator/scenario_loader.h"

#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace capsim::studio {

namespace {

const char* kErrorProperty = "capsimError";
const char* kToolTipProperty = "capsimToolTip";
const char* kStyleProperty = "capsimStyleSheet";

QScrollArea* scrolled(QWidget* widget)
{
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* page = new FormPage;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->addWidget(widget);
    layout->addStretch(1);
    scroll->setWidget(page);
    return scroll;
}

QString describeTable(const QJsonValue& value, int index)
{
    const QJsonObject t = value.toObject();
    QString name = t.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        name = QObject::tr("table %1").arg(index + 1);
    // DAX and replicas (issue 10) on the line's end.
    QString extras;
    if (t.contains(QStringLiteral("dax")))
        extras += QObject::tr(", DAX");
    const QJsonArray replicas = t.value(QStringLiteral("replicas")).toArray();
    if (!replicas.isEmpty())
        extras += replicas.size() == 1 ? QObject::tr(", + 1 region") : QObject::tr(", + %1 regions").arg(replicas.size());
    const QString mode = t.value(QStringLiteral("billingMode")).toString();
    if (mode == QStringLiteral("PROVISIONED")) {
        const QJsonObject p = t.value(QStringLiteral("provisioned")).toObject();
        return QObject::tr("%1\nprovisioned %2 RCU / %3 WCU%4")
            .arg(name, compactJson(p.value(QStringLiteral("read"))), compactJson(p.value(QStringLiteral("write"))),
                (t.contains(QStringLiteral("autoScaling")) ? QObject::tr(", auto scaled") : QString()) + extras);
    }
    if (mode == QStringLiteral("PAY_PER_REQUEST"))
        return QObject::tr("%1\non demand%2").arg(name, extras);
    return name;
}

QString describeWorkload(const QJsonValue& value, int index)
{
    const QJsonObject w = value.toObject();
    QString name = w.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        name = QStringLiteral("workload%1").arg(index);
    return QObject::tr("%1\n→ %2, %3")
        .arg(name, w.value(QStringLiteral("table")).toString(),
            w.value(QStringLiteral("rate")).toObject().value(QStringLiteral("type")).toString());
}

QString describeEvent(const QJsonValue& value, int)
{
    const QJsonObject e = value.toObject();
    const QString action = e.value(QStringLiteral("action")).toString();
    QString target = e.value(QStringLiteral("table")).toString();
    if (action == QStringLiteral("setWorkloadRate"))
        target = e.value(QStringLiteral("workload")).toString();
    else if (action == QStringLiteral("restoreTable"))
        target = QObject::tr("%1 → %2").arg(e.contains(QStringLiteral("backup")) ? e.value(QStringLiteral("backup")).toString() : target,
            e.value(QStringLiteral("target")).toString());
    else if (action == QStringLiteral("regionOutage"))
        target = QObject::tr("%1 for %2").arg(e.value(QStringLiteral("region")).toString(),
            e.value(QStringLiteral("duration")).isString() ? e.value(QStringLiteral("duration")).toString()
                                                            : compactJson(e.value(QStringLiteral("duration"))));
    else if (action == QStringLiteral("importTable"))
        target = e.value(QStringLiteral("target")).toObject().value(QStringLiteral("name")).toString();
    const QJsonValue at = e.value(QStringLiteral("at"));
    return QObject::tr("at %1: %2\n%3").arg(at.isString() ? at.toString() : compactJson(at), action, target);
}

} // namespace

struct ScenarioEditor::Private {
    ScenarioEditor* q = nullptr;
    QTabWidget* tabs = nullptr;
    ObjectForm* general = nullptr;
    ListEditor* tables = nullptr;
    ListEditor* workloads = nullptr;
    ObjectForm* model = nullptr;
    ListEditor* events = nullptr;
    QPlainTextEdit* jsonText = nullptr;
    QLabel* jsonStatus = nullptr;
    QLabel* errorHeader = nullptr;
    QListWidget* errorList = nullptr;
    QTimer* textTimer = nullptr;
    QTimer* previewTimer = nullptr;
    QTimer* validateTimer = nullptr;

    QJsonObject base; // the parsed scenario the forms were loaded from
    QString baseDirectory;
    bool loading = false;
    bool formsEditedLast = false;
    QList<QPointer<QWidget>> marked;

    QJsonObject formsJson() const
    {
        QJsonObject object = general->mergeInto(base);
        auto put = [&object](const QString& key, const QJsonValue& value) {
            if (value.isUndefined())
                object.remove(key);
            else
                object.insert(key, value);
        };
        put(QStringLiteral("tables"), tables->save());
        put(QStringLiteral("workloads"), workloads->save());
        put(QStringLiteral("model"), model->save());
        put(QStringLiteral("events"), events->save());
        return object;
    }

    void assignPaths()
    {
        general->assignPaths(QString());
        tables->assignPaths(QStringLiteral("tables"));
        workloads->assignPaths(QStringLiteral("workloads"));
        model->assignPaths(QStringLiteral("model"));
        events->assignPaths(QStringLiteral("events"));
    }

    void loadForms(const QJsonObject& object)
    {
        loading = true;
        base = object;
        general->load(object);
        tables->load(object.value(QStringLiteral("tables")));
        workloads->load(object.value(QStringLiteral("workloads")));
        model->load(object.value(QStringLiteral("model")));
        events->load(object.value(QStringLiteral("events")));
        assignPaths();
        loading = false;
        updatePreviews();
    }

    void onFormsEdited()
    {
        if (loading)
            return;
        formsEditedLast = true;
        textTimer->stop();
        loading = true;
        jsonText->setPlainText(prettyJson(formsJson()));
        loading = false;
        jsonStatus->setText(QObject::tr("In sync with the forms. Edit the text to change the forms."));
        assignPaths();
        previewTimer->start();
        validateTimer->start();
        emit q->changed();
    }

    void onTextEdited()
    {
        if (loading)
            return;
        formsEditedLast = false;
        textTimer->start();
        emit q->changed();
    }

    // Parses the text; a JSON object goes to the forms, anything else is reported under the text.
    bool applyText()
    {
        textTimer->stop();
        const QByteArray utf8 = jsonText->toPlainText().toUtf8();
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            if (error.error != QJsonParseError::NoError) {
                const QByteArray before = utf8.left(error.offset);
                const auto line = before.count('\n') + 1;
                const auto column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
                jsonStatus->setText(QObject::tr("<span style='color:#c62828'>Not valid JSON (line %1, column %2: "
                                                "%3); the forms keep the last valid version.</span>")
                                        .arg(line)
                                        .arg(column)
                                        .arg(error.errorString()));
            } else {
                jsonStatus->setText(QObject::tr("<span style='color:#c62828'>A scenario must be a JSON object; "
                                                "the forms keep the last valid version.</span>"));
            }
            return false;
        }
        loadForms(doc.object());
        jsonStatus->setText(QObject::tr("The forms show this text."));
        return true;
    }

    void updatePreviews()
    {
        const QJsonObject scenario = formsJson();
        for (int i = 0; i < workloads->count(); ++i)
            if (auto* editor = qobject_cast<WorkloadEditor*>(workloads->item(i)))
                editor->updatePreviews(scenario, i, baseDirectory);
    }

    QWidget* widgetForPath(const QString& path)
    {
        const JsonPath steps = parseJsonPath(path);
        if (steps.isEmpty())
            return jsonText;
        const QString& first = steps.front().key;
        if (first == QStringLiteral("tables"))
            return tables->widgetAt(steps, 1);
        if (first == QStringLiteral("workloads"))
            return workloads->widgetAt(steps, 1);
        if (first == QStringLiteral("events"))
            return events->widgetAt(steps, 1);
        if (first == QStringLiteral("model"))
            return model->widgetAt(steps, 1);
        return general->widgetAt(steps, 0);
    }

    void clearMarks()
    {
        for (const auto& widget : marked) {
            if (!widget)
                continue;
            widget->setProperty(kErrorProperty, QVariant());
            widget->setStyleSheet(widget->property(kStyleProperty).toString());
            widget->setToolTip(widget->property(kToolTipProperty).toString());
        }
        marked.clear();
    }

    void mark(QWidget* widget, const QString& message)
    {
        if (!widget)
            return;
        if (!widget->property(kErrorProperty).toBool()) {
            widget->setProperty(kStyleProperty, widget->styleSheet());
            widget->setProperty(kToolTipProperty, widget->toolTip());
            widget->setProperty(kErrorProperty, true);
            // A property selector, so that the border stays on this widget and not its children.
            widget->setStyleSheet(widget->styleSheet()
                + QStringLiteral("\n*[capsimError=\"true\"] { border: 2px solid #c62828; border-radius: 3px; }"));
            widget->setToolTip(QStringLiteral("<b>%1</b>").arg(message.toHtmlEscaped())
                + (widget->property(kToolTipProperty).toString().isEmpty()
                        ? QString()
                        : QStringLiteral("<br>") + widget->property(kToolTipProperty).toString().toHtmlEscaped()));
            marked.append(widget);
        } else {
            widget->setToolTip(QStringLiteral("<b>%1</b><br>").arg(message.toHtmlEscaped()) + widget->toolTip());
        }
    }

    // Shows the tab, list entry and scroll position that hold `widget`.
    void reveal(QWidget* widget)
    {
        QWidget* child = widget;
        for (QWidget* parent = widget->parentWidget(); parent; child = parent, parent = parent->parentWidget()) {
            if (auto* stack = qobject_cast<QStackedWidget*>(parent)) {
                if (auto* tab = qobject_cast<QTabWidget*>(stack->parentWidget()))
                    tab->setCurrentWidget(child);
                else
                    stack->setCurrentWidget(child);
            }
        }
        for (QWidget* parent = widget->parentWidget(); parent; parent = parent->parentWidget())
            if (auto* scroll = qobject_cast<QScrollArea*>(parent))
                scroll->ensureWidgetVisible(widget, 40, 80);
        widget->setFocus(Qt::OtherFocusReason);
    }
};

ScenarioEditor::ScenarioEditor(QWidget* parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->tabs = new QTabWidget;
    d->tabs->setDocumentMode(true);
    layout->addWidget(d->tabs, 1);

    d->general = makeGeneralForm();
    d->tabs->addTab(scrolled(d->general), tr("Scenario"));

    d->tables = new ListEditor([] { return makeTableForm(); }, describeTable, tr("table"),
        QJsonObject { { QStringLiteral("name"), QStringLiteral("NewTable") },
            { QStringLiteral("partitionKey"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("id") },
                    { QStringLiteral("type"), QStringLiteral("S") } } },
            { QStringLiteral("billingMode"), QStringLiteral("PROVISIONED") },
            { QStringLiteral("provisioned"),
                QJsonObject { { QStringLiteral("read"), 5 }, { QStringLiteral("write"), 5 } } } },
        true);
    d->tabs->addTab(d->tables, tr("Tables"));

    d->workloads = new ListEditor([] { return new WorkloadEditor; }, describeWorkload, tr("workload"),
        QJsonObject { { QStringLiteral("name"), QStringLiteral("new-workload") },
            { QStringLiteral("rate"),
                QJsonObject {
                    { QStringLiteral("type"), QStringLiteral("constant") }, { QStringLiteral("rate"), 10 } } },
            { QStringLiteral("operations"), QJsonObject { { QStringLiteral("GetItem"), 1 } } } },
        false);
    d->tabs->addTab(d->workloads, tr("Workloads"));

    d->model = makeModelForm();
    d->tabs->addTab(scrolled(d->model), tr("Capacity model"));

    d->events = new ListEditor([] { return makeEventForm(); }, describeEvent, tr("event"),
        QJsonObject { { QStringLiteral("at"), QStringLiteral("10m") },
            { QStringLiteral("action"), QStringLiteral("updateTable") } },
        true);
    auto* eventsPage = new QWidget;
    auto* eventsLayout = new QVBoxLayout(eventsPage);
    auto* eventsIntro = new QLabel(tr("Timed changes during the run: capacity updates, auto-scaling policies, new "
                                      "workload rates, indexes, TTL changes, backups, restores, exports and imports, region outages. DynamoDB's own rules apply; a refused event is reported in "
                                      "the run's events with DynamoDB's error, not applied."));
    eventsIntro->setWordWrap(true);
    eventsLayout->addWidget(eventsIntro);
    eventsLayout->addWidget(d->events, 1);
    d->tabs->addTab(eventsPage, tr("Events"));

    auto* jsonPage = new QWidget;
    auto* jsonLayout = new QVBoxLayout(jsonPage);
    d->jsonText = new QPlainTextEdit;
    d->jsonText->setObjectName(QStringLiteral("jsonText"));
    d->jsonText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    d->jsonText->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    d->jsonText->setTabChangesFocus(false);
    d->jsonStatus = new QLabel;
    d->jsonStatus->setWordWrap(true);
    jsonLayout->addWidget(d->jsonText, 1);
    jsonLayout->addWidget(d->jsonStatus);
    d->tabs->addTab(jsonPage, tr("JSON"));

    auto* problems = new QFrame;
    problems->setFrameShape(QFrame::StyledPanel);
    auto* problemsLayout = new QVBoxLayout(problems);
    problemsLayout->setContentsMargins(8, 4, 8, 4);
    auto* header = new QHBoxLayout;
    d->errorHeader = new QLabel;
    auto* check = new QPushButton(tr("Check scenario"));
    check->setToolTip(tr("Validate the scenario as `capsim run` would and show each problem at its field."));
    header->addWidget(d->errorHeader, 1);
    header->addWidget(check);
    problemsLayout->addLayout(header);
    d->errorList = new QListWidget;
    d->errorList->setObjectName(QStringLiteral("errorList"));
    d->errorList->setToolTip(tr("Click a problem to go to its field."));
    d->errorList->setVisible(false);
    problemsLayout->addWidget(d->errorList);
    layout->addWidget(problems);

    d->textTimer = new QTimer(this);
    d->textTimer->setSingleShot(true);
    d->textTimer->setInterval(400);
    d->previewTimer = new QTimer(this);
    d->previewTimer->setSingleShot(true);
    d->previewTimer->setInterval(200);
    d->validateTimer = new QTimer(this);
    d->validateTimer->setSingleShot(true);
    d->validateTimer->setInterval(600);

    for (JsonEditor* editor :
        std::initializer_list<JsonEditor*> { d->general, d->tables, d->workloads, d->model, d->events })
        connect(editor, &JsonEditor::edited, this, [this] { d->onFormsEdited(); });
    connect(d->jsonText, &QPlainTextEdit::textChanged, this, [this] { d->onTextEdited(); });
    connect(d->textTimer, &QTimer::timeout, this, [this] {
        d->applyText();
        d->validateTimer->start();
    });
    connect(d->previewTimer, &QTimer::timeout, this, [this] { d->updatePreviews(); });
    connect(d->validateTimer, &QTimer::timeout, this, [this] { validate(); });
    connect(check, &QPushButton::clicked, this, [this] { validate(); });
    auto goToError = [this](QListWidgetItem* item) {
        if (QWidget* widget = d->widgetForPath(item->data(Qt::UserRole).toString()))
            d->reveal(widget);
    };
    connect(d->errorList, &QListWidget::itemClicked, this, goToError);
    connect(d->errorList, &QListWidget::itemActivated, this, goToError);

    const QJsonObject empty { { QStringLiteral("format"), QStringLiteral("capsim-scenario/1") } };
    d->loading = true;
    d->jsonText->setPlainText(prettyJson(empty));
    d->loading = false;
    d->loadForms(empty);
    d->errorHeader->setText(tr("Problems are checked as you edit."));
}

ScenarioEditor::~ScenarioEditor() = default;

QString ScenarioEditor::scenarioJson() const
{
    if (d->formsEditedLast)
        return prettyJson(d->formsJson());
    return d->jsonText->toPlainText();
}

void ScenarioEditor::setScenarioJson(const QString& json, const QString& baseDirectory)
{
    d->baseDirectory = baseDirectory;
    d->loading = true;
    d->jsonText->setPlainText(json);
    d->loading = false;
    d->formsEditedLast = false;
    if (!d->applyText())
        d->tabs->setCurrentIndex(d->tabs->count() - 1);
    validate();
}

QString ScenarioEditor::baseDirectory() const
{
    return d->baseDirectory;
}

QStringList ScenarioEditor::validate()
{
    if (d->textTimer->isActive())
        d->applyText();
    d->validateTimer->stop();
    const QByteArray text = scenarioJson().toUtf8();
    const LoadResult result = loadScenarioText(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())), d->baseDirectory.toStdString());
    d->clearMarks();
    d->errorList->clear();
    QStringList problems;
    for (const auto& error : result.errors) {
        const QString path = QString::fromStdString(error.path);
        const QString message = QString::fromStdString(error.message);
        const QString line = path.isEmpty() ? message : path + QStringLiteral(": ") + message;
        problems << line;
        d->mark(d->widgetForPath(path), message);
        auto* item = new QListWidgetItem(line, d->errorList);
        item->setData(Qt::UserRole, path);
        item->setForeground(QColor(0xc6, 0x28, 0x28));
    }
    d->errorList->setVisible(!problems.isEmpty());
    if (!problems.isEmpty()) {
        const int rows = static_cast<int>(std::min<qsizetype>(problems.size(), 5));
        d->errorList->setFixedHeight(rows * d->errorList->sizeHintForRow(0) + 2 * d->errorList->frameWidth() + 4);
    }
    const QString count = problems.size() == 1 ? tr("1 problem") : tr("%1 problems").arg(problems.size());
    d->errorHeader->setText(problems.isEmpty()
            ? tr("<span style='color:#2e7d32'>✓ The scenario is valid.</span>")
            : tr("<b style='color:#c62828'>%1</b> — marked in red at their fields; click one to go there.").arg(count));
    return problems;
}

} // namespace capsim::studio
