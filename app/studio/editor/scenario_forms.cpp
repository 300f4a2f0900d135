#include "app/studio/editor/scenario_forms.h"

#include "app/studio/models/aws_regions.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <cmath>

namespace capsim::studio {

namespace {

const QString kDurationUnit = QStringLiteral("s, or 90s / 15m / 2h / 30d");
const QString kDurationHelp
    = QStringLiteral("A duration: a number of seconds, or \"<number><unit>\" with unit ms, s, m, h, d (\"90s\", "
                     "\"15m\", \"2h\", \"30d\").");
const QString kSizeUnit = QStringLiteral("bytes, or 4KB / 1MB");
const QString kSizeHelp
    = QStringLiteral("A size: bytes (a number) or \"<number>B|KB|MB|GB\", binary units (1 KB = 1024 B).");

ValueField* number(const QString& placeholder = {}, const QString& unit = {})
{
    return new ValueField(ValueField::Kind::Number, placeholder, unit);
}
ValueField* duration(const QString& placeholder = {})
{
    return new ValueField(ValueField::Kind::Duration, placeholder, kDurationUnit);
}
ValueField* size(const QString& placeholder = {})
{
    return new ValueField(ValueField::Kind::Size, placeholder, kSizeUnit);
}
ValueField* text(const QString& placeholder = {})
{
    return new ValueField(ValueField::Kind::Text, placeholder);
}
ChoiceField* choice(const QList<ChoiceField::Option>& options, const QString& absent)
{
    return new ChoiceField(options, absent);
}
ChoiceField* boolean(bool defaultValue)
{
    return choice(
        { { QJsonValue(true), QStringLiteral("yes (true)") }, { QJsonValue(false), QStringLiteral("no (false)") } },
        defaultValue ? QObject::tr("default: yes (true)") : QObject::tr("default: no (false)"));
}
QString join(const QString& a, const QString& b)
{
    return a + QStringLiteral(" ") + b;
}

} // namespace

// ---- KeyElementEditor ----

KeyElementEditor::KeyElementEditor(bool optional, QWidget* parent)
    : JsonEditor(parent)
    , m_name(new ValueField(ValueField::Kind::Text, optional ? tr("none (no sort key)") : tr("attribute name")))
    , m_type(new ChoiceField({ { QStringLiteral("S"), tr("S (string)") }, { QStringLiteral("N"), tr("N (number)") },
                                 { QStringLiteral("B"), tr("B (binary)") } },
          optional ? tr("(no sort key)") : tr("(choose a type)")))
    , m_optional(optional)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_name, 2);
    layout->addWidget(new QLabel(tr("type")));
    layout->addWidget(m_type, 1);
    m_name->setToolTip(tr("The key attribute's name (1 to 255 characters)."));
    m_type->setToolTip(tr("S: rendered \"k<i>\"; N: the index i; B: the 8-byte big-endian form of i."));
    setFocusProxy(m_name);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(m_name, &JsonEditor::edited, this, &JsonEditor::edited);
    connect(m_type, &JsonEditor::edited, this, &JsonEditor::edited);
}

void KeyElementEditor::load(const QJsonValue& value)
{
    m_base = value;
    m_name->load(value.toObject().value(QStringLiteral("name")));
    m_type->load(value.toObject().value(QStringLiteral("type")));
}

QJsonValue KeyElementEditor::save() const
{
    QJsonObject object = m_base.toObject();
    const QJsonValue name = m_name->save();
    const QJsonValue type = m_type->save();
    name.isUndefined() ? void(object.remove(QStringLiteral("name")))
                       : void(object.insert(QStringLiteral("name"), name));
    type.isUndefined() ? void(object.remove(QStringLiteral("type")))
                       : void(object.insert(QStringLiteral("type"), type));
    if (!object.isEmpty())
        return object;
    if (!m_base.isObject())
        return m_base;
    return m_optional && !m_base.toObject().isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(QJsonObject());
}

QWidget* KeyElementEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].key == QStringLiteral("type"))
        return m_type->widgetAt(path, from + 1);
    return m_name->widgetAt(path, from + 1);
}

void KeyElementEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#key"));
    m_name->assignPaths(path + QStringLiteral(".name"));
    m_type->assignPaths(path + QStringLiteral(".type"));
}

// ---- ConsistencyEditor ----

namespace {
enum ConsistencyMode { kDefault, kEventual, kStrong, kMix, kOther };
}

ConsistencyEditor::ConsistencyEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_mode(new QComboBox)
    , m_fraction(new ValueField(ValueField::Kind::Number, tr("e.g. 0.2"), tr("of reads strong (0 to 1)")))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_mode->addItems({ tr("default: eventual"), tr("eventual: all reads eventually consistent"),
        tr("strong: all reads strongly consistent"), tr("mix: a fraction of reads strong"),
        tr("(another value: see the JSON tab)") });
    layout->addWidget(m_mode);
    layout->addWidget(m_fraction, 1);
    setFocusProxy(m_mode);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    const QString help = tr("Read consistency mix: \"eventual\" | \"strong\" | {\"strong\": 0.2}. A strongly "
                            "consistent read costs twice the read units of an eventually consistent one.");
    m_mode->setToolTip(help);
    m_fraction->lineEdit()->setToolTip(help);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        emit edited();
    });
    connect(m_fraction, &JsonEditor::edited, this, &JsonEditor::edited);
    updateEnabled();
}

void ConsistencyEditor::updateEnabled()
{
    m_fraction->setEnabled(m_mode->currentIndex() == kMix);
}

void ConsistencyEditor::load(const QJsonValue& value)
{
    m_base = value;
    int mode = kOther;
    if (value.isUndefined())
        mode = kDefault;
    else if (value == QJsonValue(QStringLiteral("eventual")))
        mode = kEventual;
    else if (value == QJsonValue(QStringLiteral("strong")))
        mode = kStrong;
    else if (value.isObject())
        mode = kMix;
    m_loadedMode = mode;
    m_fraction->load(
        value.isObject() ? value.toObject().value(QStringLiteral("strong")) : QJsonValue(QJsonValue::Undefined));
    m_mode->setCurrentIndex(mode);
}

QJsonValue ConsistencyEditor::save() const
{
    switch (m_mode->currentIndex()) {
    case kDefault: return QJsonValue(QJsonValue::Undefined);
    case kEventual: return QStringLiteral("eventual");
    case kStrong: return QStringLiteral("strong");
    case kMix: {
        QJsonObject object = m_base.toObject();
        const QJsonValue fraction = m_fraction->save();
        if (fraction.isUndefined())
            object.remove(QStringLiteral("strong"));
        else
            object.insert(QStringLiteral("strong"), fraction);
        return object;
    }
    default: return m_base;
    }
}

QWidget* ConsistencyEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].key == QStringLiteral("strong"))
        return m_fraction->lineEdit();
    return m_mode;
}

void ConsistencyEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_mode->setObjectName(path);
    m_fraction->assignPaths(path + QStringLiteral(".strong"));
}

// ---- OperationsEditor ----

OperationsEditor::OperationsEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_sum(new QLabel)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* box = new QGroupBox(tr("Operation mix (fractions of requests, summing to 1)"));
    m_box = box;
    outer->addWidget(box);
    auto* grid = new QGridLayout(box);
    const QList<QPair<QString, QString>> reads = {
        { QStringLiteral("GetItem"), tr("GetItem: reads the drawn key") },
        { QStringLiteral("Query"), tr("Query: reads up to queryItems items of the drawn partition key") },
        { QStringLiteral("Scan"),
            tr("Scan: one 1 MB page (or queryItems items) continuing where the last Scan stopped") },
        { QStringLiteral("BatchGetItem"), tr("BatchGetItem: batchSize keys drawn independently") },
        { QStringLiteral("TransactGetItems"), tr("TransactGetItems: reserved (indexes), not supported yet") },
    };
    const QList<QPair<QString, QString>> writes = {
        { QStringLiteral("PutItem"), tr("PutItem: a new item at the drawn key, of a drawn itemSize") },
        { QStringLiteral("UpdateItem"), tr("UpdateItem: sets the payload and updateAttributes at the drawn key") },
        { QStringLiteral("DeleteItem"), tr("DeleteItem: deletes the drawn key") },
        { QStringLiteral("BatchWriteItem"), tr("BatchWriteItem: batchSize keys drawn independently") },
        { QStringLiteral("TransactWriteItems"), tr("TransactWriteItems: reserved (indexes), not supported yet") },
    };
    grid->addWidget(new QLabel(tr("<b>Reads</b>")), 0, 0, 1, 2);
    grid->addWidget(new QLabel(tr("<b>Writes</b>")), 0, 2, 1, 2);
    auto addColumn = [&](const QList<QPair<QString, QString>>& ops, int column) {
        int row = 1;
        for (const auto& [name, help] : ops) {
            auto* field = new ValueField(ValueField::Kind::Number, QStringLiteral("–"));
            field->lineEdit()->setToolTip(help);
            field->lineEdit()->setMaximumWidth(120);
            auto* label = new QLabel(name + ':');
            label->setToolTip(help);
            label->setBuddy(field);
            grid->addWidget(label, row, column, Qt::AlignRight);
            grid->addWidget(field, row, column + 1);
            m_fields.append({ name, field });
            connect(field, &JsonEditor::edited, this, [this] {
                updateSum();
                emit edited();
            });
            ++row;
        }
    };
    addColumn(reads, 0);
    addColumn(writes, 2);
    grid->addWidget(m_sum, 6, 0, 1, 4);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    updateSum();
}

void OperationsEditor::updateSum()
{
    double sum = 0;
    bool numeric = true;
    for (const auto& [name, field] : m_fields) {
        const QJsonValue v = field->save();
        if (v.isDouble())
            sum += v.toDouble();
        else if (!v.isUndefined())
            numeric = false;
    }
    if (!numeric)
        m_sum->setText(tr("Sum: not all fractions are numbers"));
    else if (std::fabs(sum - 1.0) <= 1e-9)
        m_sum->setText(tr("Sum: 1 ✓"));
    else
        m_sum->setText(tr("<span style='color:#c62828'>Sum: %1 (must be 1)</span>").arg(formatJsonNumber(sum)));
}

void OperationsEditor::load(const QJsonValue& value)
{
    m_base = value;
    for (const auto& [name, field] : m_fields)
        field->load(value.toObject().value(name));
    updateSum();
}

QJsonValue OperationsEditor::save() const
{
    QJsonObject object = m_base.toObject();
    for (const auto& [name, field] : m_fields) {
        const QJsonValue v = field->save();
        if (v.isUndefined())
            object.remove(name);
        else
            object.insert(name, v);
    }
    if (object.isEmpty() && !m_base.isObject())
        return m_base;
    return object;
}

QWidget* OperationsEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size())
        for (const auto& [name, field] : m_fields)
            if (name == path[from].key)
                return field->lineEdit();
    return m_box;
}

void OperationsEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#form"));
    for (const auto& [name, field] : m_fields)
        field->assignPaths(path + '.' + name);
}

// ---- AttributesEditor ----

namespace {
ObjectForm* makeValueDistributionForm()
{
    auto* form = new ObjectForm({}, false);
    form->addField(QStringLiteral("type"), QObject::tr("Values"),
        choice({ { QStringLiteral("uniform"), QObject::tr("uniform: v0 .. v<N-1>, equally likely") },
                   { QStringLiteral("choice"), QObject::tr("choice: listed values, weighted") } },
            QObject::tr("(choose)")),
        QObject::tr("{\"type\":\"uniform\",\"cardinality\":N} (values v0..v<N-1>) or "
                    "{\"type\":\"choice\",\"values\":[..],\"weights\":[..]}"));
    form->addField(QStringLiteral("cardinality"), QObject::tr("Distinct values"), number(QObject::tr("N")),
        QObject::tr("Values \"v0\" .. \"v<N-1>\", uniformly drawn."), { QStringLiteral("uniform") });
    form->addField(QStringLiteral("values"), QObject::tr("Values"),
        new ValueField(ValueField::Kind::Values, QObject::tr("\"gold\", \"silver\", 3")),
        QObject::tr("Comma-separated JSON values: strings in quotes, numbers, booleans, or DynamoDB JSON like "
                    "{\"S\":\"x\"}."),
        { QStringLiteral("choice") });
    form->addField(QStringLiteral("weights"), QObject::tr("Weights"),
        new ValueField(ValueField::Kind::Values, QObject::tr("equal weights (default)")),
        QObject::tr("One weight per value, comma-separated; empty means equal weights."), { QStringLiteral("choice") });
    form->setTypeField(QStringLiteral("type"));
    return form;
}
} // namespace

AttributesEditor::AttributesEditor(QWidget* parent)
    : JsonEditor(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* box = new QGroupBox(tr("Extra attributes on written items"));
    box->setToolTip(tr("Extra attributes on written items (e.g. index keys): name -> value distribution."));
    outer->addWidget(box);
    auto* layout = new QVBoxLayout(box);
    m_rowsLayout = new QVBoxLayout;
    layout->addLayout(m_rowsLayout);
    auto* add = new QPushButton(tr("Add attribute"));
    auto* row = new QHBoxLayout;
    row->addWidget(add);
    row->addStretch(1);
    layout->addLayout(row);
    connect(add, &QPushButton::clicked, this, [this] {
        addRow(QStringLiteral("attr%1").arg(m_rows.size() + 1),
            QJsonObject {
                { QStringLiteral("type"), QStringLiteral("uniform") }, { QStringLiteral("cardinality"), 10 } });
        emit edited();
    });
}

void AttributesEditor::addRow(const QString& name, const QJsonValue& value)
{
    auto* frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    auto* layout = new QHBoxLayout(frame);
    auto* nameEdit = new QLineEdit(name);
    nameEdit->setPlaceholderText(tr("attribute name"));
    nameEdit->setToolTip(tr("Attribute name (not a key attribute, not \"p\": the payload)."));
    nameEdit->setMaximumWidth(180);
    auto* form = makeValueDistributionForm();
    form->load(value);
    auto* remove = new QPushButton(tr("Remove"));
    layout->addWidget(nameEdit, 0, Qt::AlignTop);
    layout->addWidget(form, 1);
    layout->addWidget(remove, 0, Qt::AlignTop);
    m_rowsLayout->addWidget(frame);
    m_rows.push_back({ frame, nameEdit, form });
    connect(nameEdit, &QLineEdit::textChanged, this, &JsonEditor::edited);
    connect(form, &JsonEditor::edited, this, &JsonEditor::edited);
    connect(remove, &QPushButton::clicked, this, [this, frame] {
        for (auto it = m_rows.begin(); it != m_rows.end(); ++it) {
            if (it->frame == frame) {
                m_rows.erase(it);
                break;
            }
        }
        frame->hide();
        frame->deleteLater();
        emit edited();
    });
}

void AttributesEditor::load(const QJsonValue& value)
{
    m_base = value;
    for (auto& row : m_rows) {
        row.frame->hide();
        row.frame->deleteLater();
    }
    m_rows.clear();
    m_loadedNames.clear();
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        m_loadedNames << it.key();
        addRow(it.key(), it.value());
    }
}

QJsonValue AttributesEditor::save() const
{
    if (!m_base.isUndefined() && !m_base.isObject() && m_rows.empty())
        return m_base;
    QJsonObject object = m_base.toObject();
    for (const auto& name : m_loadedNames)
        object.remove(name);
    for (const auto& row : m_rows) {
        if (row.name->text().isEmpty())
            continue;
        const QJsonValue v = row.distribution->save();
        object.insert(row.name->text(), v.isUndefined() ? QJsonValue(QJsonObject()) : v);
    }
    if (object.isEmpty() && m_base.isUndefined())
        return QJsonValue(QJsonValue::Undefined);
    return object;
}

QWidget* AttributesEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size()) {
        for (const auto& row : m_rows) {
            if (row.name->text() == path[from].key) {
                if (from + 1 < path.size())
                    return row.distribution->widgetAt(path, from + 1);
                return row.name;
            }
        }
    }
    return this;
}

void AttributesEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#form"));
    for (const auto& row : m_rows) {
        row.name->setObjectName(path + '.' + row.name->text() + QStringLiteral("#name"));
        row.distribution->assignPaths(path + '.' + row.name->text());
    }
}

// ---- factories ----

ObjectForm* makeRatePatternForm(bool optional, const QString& title)
{
    auto* form = new ObjectForm(title, optional);
    const QString rateUnit = QObject::tr("requests/s");
    const QStringList step { QStringLiteral("step") }, ramp { QStringLiteral("ramp") },
        spike { QStringLiteral("spike") }, diurnal { QStringLiteral("diurnal") }, trace { QStringLiteral("trace") };
    form->addField(QStringLiteral("type"), QObject::tr("Pattern"),
        choice(
            {
                { QStringLiteral("constant"), QObject::tr("constant: one steady rate") },
                { QStringLiteral("step"), QObject::tr("step: from one rate to another at a time") },
                { QStringLiteral("ramp"), QObject::tr("ramp: a linear change over a period") },
                { QStringLiteral("spike"), QObject::tr("spike: a base rate with a peak for a while") },
                { QStringLiteral("diurnal"), QObject::tr("diurnal: a daily sinusoid") },
                { QStringLiteral("trace"), QObject::tr("trace: per-interval values from a CSV file") },
                { QStringLiteral("sum"), QObject::tr("sum: several patterns added together") },
            },
            QObject::tr("(choose a pattern)")),
        QObject::tr("The request rate over simulated time (requests per second)."));
    form->addField(QStringLiteral("rate"), QObject::tr("Rate"), number(QObject::tr("e.g. 100"), rateUnit),
        QObject::tr("{\"type\":\"constant\",\"rate\":R}: R requests per second (may be fractional)."),
        { QStringLiteral("constant") });
    form->addField(QStringLiteral("from"), QObject::tr("From"), number({}, rateUnit),
        QObject::tr("The rate before the step / at the start of the ramp."), step + ramp);
    form->addField(QStringLiteral("to"), QObject::tr("To"), number({}, rateUnit),
        QObject::tr("The rate after the step / at the end of the ramp."), step + ramp);
    form->addField(QStringLiteral("base"), QObject::tr("Base rate"), number({}, rateUnit),
        QObject::tr("The rate outside the spike."), spike);
    form->addField(QStringLiteral("peak"), QObject::tr("Peak rate"), number({}, rateUnit),
        QObject::tr("The rate during the spike."), spike);
    form->addField(QStringLiteral("at"), QObject::tr("At"), duration(QObject::tr("e.g. 5m")),
        join(QObject::tr("When the step happens / the spike starts, from t = 0."), kDurationHelp), step + spike);
    form->addField(QStringLiteral("duration"), QObject::tr("Spike length"), duration(QObject::tr("e.g. 60s")),
        join(QObject::tr("How long the spike lasts."), kDurationHelp), spike);
    form->addField(QStringLiteral("start"), QObject::tr("Ramp start"), duration(QObject::tr("e.g. 10m")),
        join(QObject::tr("When the ramp begins."), kDurationHelp), ramp);
    form->addField(QStringLiteral("over"), QObject::tr("Ramp length"), duration(QObject::tr("e.g. 30m")),
        join(QObject::tr("How long the ramp takes to go from `from` to `to`."), kDurationHelp), ramp);
    form->addField(QStringLiteral("mean"), QObject::tr("Mean rate"), number({}, rateUnit),
        QObject::tr("The average rate of the sinusoid."), diurnal);
    form->addField(QStringLiteral("amplitude"), QObject::tr("Amplitude"),
        number(QObject::tr("0 to 1"), QObject::tr("× mean")),
        QObject::tr("Swing around the mean as a fraction of it (0..1): the rate goes from mean × (1 − a) to "
                    "mean × (1 + a)."),
        diurnal);
    form->addField(QStringLiteral("peakAt"), QObject::tr("Peak at"), duration(QObject::tr("e.g. 13h")),
        join(QObject::tr("Time of the daily maximum."), kDurationHelp), diurnal);
    form->addField(QStringLiteral("period"), QObject::tr("Period"), duration(QObject::tr("24h (default)")),
        join(QObject::tr("Length of one cycle (default \"24h\")."), kDurationHelp), diurnal);
    form->addField(QStringLiteral("file"), QObject::tr("CSV file"),
        text(QObject::tr("path.csv, relative to the scenario")),
        QObject::tr("A CSV file with a header row; one row per interval. A CloudWatch Sum export works as is."), trace);
    form->addField(QStringLiteral("column"), QObject::tr("Column"), text(QObject::tr("column name")),
        QObject::tr("The header name of the column holding the values."), trace);
    form->addField(QStringLiteral("interval"), QObject::tr("Interval"), duration(QObject::tr("e.g. 1m")),
        join(QObject::tr("The time one row covers."), kDurationHelp), trace);
    form->addField(QStringLiteral("values"), QObject::tr("Values are"),
        choice({ { QStringLiteral("count"), QObject::tr("count: requests per interval") },
                   { QStringLiteral("rate"), QObject::tr("rate: requests per second") } },
            QObject::tr("default: request counts per interval")),
        QObject::tr("Request counts per interval (default; a CloudWatch Sum export), or rates with \"rate\"."), trace);
    form->addField(QStringLiteral("of"), QObject::tr("Parts"),
        new InlineListEditor([] { return makeRatePatternForm(false); }, QObject::tr("pattern"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("constant") }, { QStringLiteral("rate"), 10 } }),
        QObject::tr("{\"type\":\"sum\",\"of\":[patterns...]}: the rate is the sum of these patterns."),
        { QStringLiteral("sum") });
    form->addField(QStringLiteral("arrivals"), QObject::tr("Arrivals"),
        choice({ { QStringLiteral("poisson"), QObject::tr("poisson: random around the rate") },
                   { QStringLiteral("uniform"), QObject::tr("uniform: evenly spaced") } },
            QObject::tr("default: Poisson")),
        QObject::tr("Arrivals are Poisson around the rate unless \"arrivals\":\"uniform\" is set on the pattern."));
    form->setTypeField(QStringLiteral("type"));
    return form;
}

ObjectForm* makeKeysForm()
{
    auto* form = new ObjectForm(QObject::tr("Key distribution (which partition keys requests hit)"), true);
    const QStringList all { QStringLiteral("uniform"), QStringLiteral("zipf"), QStringLiteral("hotkey"),
        QStringLiteral("sequential") };
    form->addField(QStringLiteral("type"), QObject::tr("Distribution"),
        choice(
            {
                { QStringLiteral("uniform"), QObject::tr("uniform: every key equally likely") },
                { QStringLiteral("zipf"), QObject::tr("zipf: rank i drawn ∝ (i + 1)^−exponent") },
                { QStringLiteral("hotkey"), QObject::tr("hotkey: a share of requests on a few keys") },
                { QStringLiteral("sequential"), QObject::tr("sequential: keys in time order (timestamps)") },
            },
            QObject::tr("default: uniform over 100,000 keys")),
        QObject::tr("Keys are drawn as indexes i in [0, cardinality); S keys are rendered \"k<i>\"."));
    form->addField(QStringLiteral("cardinality"), QObject::tr("Distinct keys"),
        number(QObject::tr("e.g. 100000"), QObject::tr("keys")),
        QObject::tr("Selects the partition key index i in [0, cardinality), so workloads and initialData on the "
                    "same table hit the same items."),
        all);
    form->addField(QStringLiteral("exponent"), QObject::tr("Exponent"), number(QObject::tr("e.g. 1.0")),
        QObject::tr("Zipf exponent s > 0: P(rank i) ∝ (i + 1)^−s. Larger is more skewed."), { QStringLiteral("zipf") });
    form->addField(QStringLiteral("hotKeys"), QObject::tr("Hot keys"),
        number(QObject::tr("e.g. 3"), QObject::tr("keys")), QObject::tr("K: how many keys are hot (<= cardinality)."),
        { QStringLiteral("hotkey") });
    form->addField(QStringLiteral("hotShare"), QObject::tr("Hot share"),
        number(QObject::tr("0 to 1"), QObject::tr("of requests")),
        QObject::tr("hotShare of requests go to the K hot keys (0..1)."), { QStringLiteral("hotkey") });
    form->addField(QStringLiteral("sortKeysPerKey"), QObject::tr("Sort keys per key"),
        number(QObject::tr("1 (default)")),
        QObject::tr("Gives each partition key M sort keys; the sort key index is uniform in [0, M). Needs a sort key."),
        all);
    form->setTypeField(QStringLiteral("type"));
    return form;
}

ObjectForm* makeSizeForm(bool count, const QString& title, const QString& defaultText)
{
    auto* form = new ObjectForm(title, true);
    const QString valueKey = count ? QStringLiteral("count") : QStringLiteral("size");
    auto value = [count](const QString& placeholder) -> ValueField* {
        return count ? number(placeholder, QObject::tr("items")) : size(placeholder);
    };
    const QString help = count ? QObject::tr("A count of items.") : kSizeHelp;
    form->addField(QStringLiteral("type"), QObject::tr("Distribution"),
        choice({ { QStringLiteral("fixed"), QObject::tr("fixed: always the same") },
                   { QStringLiteral("uniform"), QObject::tr("uniform: between min and max") },
                   { QStringLiteral("lognormal"), QObject::tr("lognormal: median and spread") } },
            defaultText),
        QObject::tr("{\"type\":\"fixed\",\"%1\":S}, {\"type\":\"uniform\",\"min\":a,\"max\":b}, "
                    "{\"type\":\"lognormal\",\"median\":m,\"sigma\":s}")
            .arg(valueKey));
    form->addField(valueKey, count ? QObject::tr("Count") : QObject::tr("Size"), value(QObject::tr("e.g. 1KB")), help,
        { QStringLiteral("fixed") });
    form->addField(QStringLiteral("min"), QObject::tr("Min"), value({}), help, { QStringLiteral("uniform") });
    form->addField(QStringLiteral("max"), QObject::tr("Max"), value({}), help, { QStringLiteral("uniform") });
    form->addField(QStringLiteral("median"), QObject::tr("Median"), value({}), help, { QStringLiteral("lognormal") });
    form->addField(QStringLiteral("sigma"), QObject::tr("Sigma"), number(QObject::tr("e.g. 0.4")),
        QObject::tr("Spread: the value is median × exp(sigma × a standard normal draw)."),
        { QStringLiteral("lognormal") });
    form->setTypeField(QStringLiteral("type"));
    return form;
}

ObjectForm* makeAutoScalingForm(const QString& title)
{
    auto* form = new ObjectForm(title, true);
    form->setIntro(QObject::tr("Keeps consumed capacity near the target utilisation, between min and max. "
                               "Leave a side empty to not scale it."));
    auto dimension = [](const QString& name, const QString& unit) {
        auto* d = new ObjectForm(name, true);
        d->addField(
            QStringLiteral("min"), QObject::tr("Min"), number({}, unit), QObject::tr("Lowest capacity (units)."));
        d->addField(
            QStringLiteral("max"), QObject::tr("Max"), number({}, unit), QObject::tr("Highest capacity (units)."));
        d->addField(QStringLiteral("target"), QObject::tr("Target"), number(QObject::tr("20 to 90"), QObject::tr("%")),
            QObject::tr("Target utilisation in percent, 20–90."));
        return d;
    };
    form->addSectionsSideBySide({ { QStringLiteral("read"), dimension(QObject::tr("Reads"), QObject::tr("RCU")) },
        { QStringLiteral("write"), dimension(QObject::tr("Writes"), QObject::tr("WCU")) } });
    return form;
}

// ---- PitrEditor ----

namespace {
enum PitrMode { kPitrDefault, kPitrOff, kPitrOn, kPitrPeriod, kPitrOther };
}

PitrEditor::PitrEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_mode(new QComboBox)
    , m_days(new ValueField(ValueField::Kind::Number, tr("35 (default)"), tr("days (1 to 35)")))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_mode->addItems({ tr("default: off"), tr("off (false)"), tr("on (true): 35-day recovery window"),
        tr("on, with a recovery period"), tr("(another value: see the JSON tab)") });
    layout->addWidget(m_mode);
    layout->addWidget(m_days, 1);
    setFocusProxy(m_mode);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    const QString help = tr("Point-in-time recovery: false | true | {\"recoveryPeriodDays\": 1..35}. Continuous "
                            "backups are priced per GB-month of the table's size; restores and exports to a point in "
                            "time need it.");
    m_mode->setToolTip(help);
    m_days->lineEdit()->setToolTip(help);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        emit edited();
    });
    connect(m_days, &JsonEditor::edited, this, &JsonEditor::edited);
    updateEnabled();
}

void PitrEditor::updateEnabled()
{
    m_days->setEnabled(m_mode->currentIndex() == kPitrPeriod);
}

void PitrEditor::load(const QJsonValue& value)
{
    m_base = value;
    int mode = kPitrOther;
    if (value.isUndefined())
        mode = kPitrDefault;
    else if (value == QJsonValue(false))
        mode = kPitrOff;
    else if (value == QJsonValue(true))
        mode = kPitrOn;
    else if (value.isObject())
        mode = kPitrPeriod;
    m_days->load(value.isObject() ? value.toObject().value(QStringLiteral("recoveryPeriodDays"))
                                  : QJsonValue(QJsonValue::Undefined));
    m_mode->setCurrentIndex(mode);
    updateEnabled();
}

QJsonValue PitrEditor::save() const
{
    switch (m_mode->currentIndex()) {
    case kPitrDefault: return QJsonValue(QJsonValue::Undefined);
    case kPitrOff: return false;
    case kPitrOn: return true;
    case kPitrPeriod: {
        QJsonObject object = m_base.toObject();
        const QJsonValue days = m_days->save();
        if (days.isUndefined())
            object.remove(QStringLiteral("recoveryPeriodDays"));
        else
            object.insert(QStringLiteral("recoveryPeriodDays"), days);
        return object;
    }
    default: return m_base;
    }
}

QWidget* PitrEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].key == QStringLiteral("recoveryPeriodDays"))
        return m_days->lineEdit();
    return m_mode;
}

void PitrEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_mode->setObjectName(path);
    m_days->assignPaths(path + QStringLiteral(".recoveryPeriodDays"));
}

// ---- DaxEditor ----

DaxEditor::DaxEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_enabled(new QCheckBox(tr("A DAX cluster in front of the table")))
    , m_form(new ObjectForm({}, false))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_enabled);
    layout->addWidget(m_form);
    QList<ChoiceField::Option> types;
    for (const QString& type : daxNodeTypes())
        types.append({ type, type });
    m_form->addField(QStringLiteral("nodeType"), tr("Node type"), new ChoiceField(types, tr("default: dax.r5.large")),
        tr("The cluster's node type (reference A10): cache memory, request budget per node and price per node-hour "
           "(t3.small $0.04, t3.medium $0.08, r5.large $0.255, r5.xlarge $0.509 per hour in us-east-1)."));
    QList<ChoiceField::Option> counts;
    for (int n = 1; n <= 11; ++n)
        counts.append({ n, QString::number(n) });
    m_form->addField(QStringLiteral("nodes"), tr("Nodes"), new ChoiceField(counts, tr("default: 3")),
        tr("Nodes in the cluster (1 to 11): reads go round-robin over them, writes to the primary; each is billed per "
           "node-hour."));
    m_form->addField(QStringLiteral("itemTtl"), tr("Item TTL"),
        new ValueField(ValueField::Kind::Duration, tr("5m (default)"), QStringLiteral("s, or 90s / 15m / 2h / 30d")),
        tr("How long a GetItem / BatchGetItem result stays in the item cache (0 = never expires)."));
    m_form->addField(QStringLiteral("queryTtl"), tr("Query TTL"),
        new ValueField(ValueField::Kind::Duration, tr("5m (default)"), QStringLiteral("s, or 90s / 15m / 2h / 30d")),
        tr("How long a Query / Scan result stays in the query cache (0 = no query cache)."));
    m_enabled->setToolTip(tr("tables[].dax: every workload on the table reads and writes through the cluster unless "
                             "the workload says \"dax\": false."));
    setFocusProxy(m_enabled);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(m_enabled, &QCheckBox::toggled, this, [this](bool on) {
        // Switching on starts from the contract's example cluster.
        if (on && m_form->save().toObject().isEmpty())
            m_form->load(QJsonObject { { QStringLiteral("nodeType"), QStringLiteral("dax.r5.large") },
                { QStringLiteral("nodes"), 3 } });
        updateEnabled();
        emit edited();
    });
    connect(m_form, &JsonEditor::edited, this, &JsonEditor::edited);
    updateEnabled();
}

void DaxEditor::updateEnabled()
{
    m_form->setVisible(m_enabled->isChecked() && (m_base.isUndefined() || m_base.isObject()));
}

void DaxEditor::load(const QJsonValue& value)
{
    m_base = value;
    m_form->load(value.isObject() ? value : QJsonValue(QJsonValue::Undefined));
    const QSignalBlocker blocker(m_enabled);
    m_enabled->setChecked(!value.isUndefined());
    updateEnabled();
}

QJsonValue DaxEditor::save() const
{
    if (!m_enabled->isChecked())
        return QJsonValue(QJsonValue::Undefined);
    if (!m_base.isUndefined() && !m_base.isObject())
        return m_base; // not an object in the file: kept, so the loader can say so
    const QJsonValue value = m_form->save();
    return value.isObject() ? value : QJsonValue(QJsonObject());
}

QWidget* DaxEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size())
        return m_form->widgetAt(path, from);
    return m_enabled;
}

void DaxEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_enabled->setObjectName(path);
    m_form->assignPaths(path);
}

// ---- RegionField ----

RegionField::RegionField(const QString& absentLabel, const QStringList& regions, QWidget* parent)
    : JsonEditor(parent)
    , m_absentLabel(absentLabel)
    , m_combo(new QComboBox)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    layout->addStretch(1);
    m_combo->setEditable(true);
    m_combo->setInsertPolicy(QComboBox::NoInsert);
    m_combo->setMinimumWidth(220);
    m_combo->lineEdit()->setPlaceholderText(absentLabel);
    setFocusProxy(m_combo);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setRegions(regions);
    connect(m_combo, &QComboBox::currentTextChanged, this, &JsonEditor::edited);
}

void RegionField::setRegions(const QStringList& regions)
{
    const QString current = m_combo->currentText();
    QStringList items { QString() };
    items << regions;
    QStringList existing;
    for (int i = 0; i < m_combo->count(); ++i)
        existing << m_combo->itemText(i);
    if (existing == items)
        return;
    const QSignalBlocker blocker(m_combo);
    m_combo->clear();
    m_combo->addItems(items);
    m_combo->setItemData(0, m_absentLabel, Qt::ToolTipRole);
    m_combo->setCurrentText(current);
}

void RegionField::load(const QJsonValue& value)
{
    m_base = value;
    const QSignalBlocker blocker(m_combo);
    m_combo->setCurrentText(value.isString() ? value.toString() : value.isUndefined() ? QString() : compactJson(value));
}

QJsonValue RegionField::save() const
{
    const QString text = m_combo->currentText().trimmed();
    const QString loaded = m_base.isString() ? m_base.toString() : m_base.isUndefined() ? QString() : compactJson(m_base);
    if (text == loaded.trimmed())
        return m_base; // untouched: the loaded value as it was
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    return text;
}

QWidget* RegionField::widgetAt(const JsonPath&, qsizetype)
{
    return m_combo;
}

void RegionField::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_combo->setObjectName(path);
}

// ---- RegionListEditor ----

RegionListEditor::RegionListEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_list(new QListWidget)
    , m_region(new QComboBox)
    , m_note(new QLabel)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list->setMaximumHeight(96);
    m_list->setMinimumWidth(180);
    layout->addWidget(m_list, 1);
    auto* side = new QVBoxLayout;
    m_region->setEditable(true);
    m_region->setInsertPolicy(QComboBox::NoInsert);
    m_region->addItems(awsRegions());
    m_region->setCurrentText(QStringLiteral("eu-west-1"));
    auto* add = new QPushButton(tr("Add region"));
    auto* remove = new QPushButton(tr("Remove"));
    side->addWidget(m_region);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    side->addLayout(buttons);
    m_note->setStyleSheet(QStringLiteral("color: #555;"));
    m_note->setText(tr("none: a single-region table"));
    side->addWidget(m_note);
    side->addStretch(1);
    layout->addLayout(side, 1);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    const QString help = tr("A global table (version 2019.11.21): one replica per region besides the scenario's "
                            "region, with the same keys, indexes, billing mode and TTL; every write is replicated to each.");
    m_list->setToolTip(help);
    m_region->setToolTip(help);
    connect(add, &QPushButton::clicked, this, [this] {
        if (addRegion(m_region->currentText().trimmed()))
            emit edited();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_list->currentRow() >= 0) {
            removeRegion(m_list->currentRow());
            emit edited();
        }
    });
}

bool RegionListEditor::addRegion(const QString& region)
{
    if (region.isEmpty() || !m_list->findItems(region, Qt::MatchExactly).isEmpty())
        return false;
    auto* item = new QListWidgetItem(region, m_list);
    item->setData(Qt::UserRole, QJsonValue(region).toVariant());
    m_note->setText((m_list->count() == 1 ? tr("1 replica") : tr("%1 replicas").arg(m_list->count())));
    return true;
}

void RegionListEditor::removeRegion(int row)
{
    delete m_list->takeItem(row);
    m_note->setText(m_list->count() == 0 ? tr("none: a single-region table") : (m_list->count() == 1 ? tr("1 replica") : tr("%1 replicas").arg(m_list->count())));
}

void RegionListEditor::load(const QJsonValue& value)
{
    m_base = value;
    m_list->clear();
    if (value.isArray()) {
        for (const QJsonValue& v : value.toArray()) {
            auto* item = new QListWidgetItem(v.isString() ? v.toString() : compactJson(v), m_list);
            item->setData(Qt::UserRole, v.toVariant());
        }
        m_note->setText(m_list->count() == 0 ? tr("none: a single-region table") : (m_list->count() == 1 ? tr("1 replica") : tr("%1 replicas").arg(m_list->count())));
    } else if (!value.isUndefined()) {
        m_note->setText(tr("not a list of regions: %1 (see the JSON tab)").arg(compactJson(value)));
    } else {
        m_note->setText(tr("none: a single-region table"));
    }
}

QJsonValue RegionListEditor::save() const
{
    if (!m_base.isUndefined() && !m_base.isArray() && m_list->count() == 0)
        return m_base; // not a list in the file: kept, so the loader can say so
    QJsonArray regions;
    for (int i = 0; i < m_list->count(); ++i)
        regions.append(QJsonValue::fromVariant(m_list->item(i)->data(Qt::UserRole)));
    if (regions.isEmpty() && m_base.isUndefined())
        return QJsonValue(QJsonValue::Undefined);
    return regions;
}

QWidget* RegionListEditor::widgetAt(const JsonPath&, qsizetype)
{
    return m_list;
}

void RegionListEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_list->setObjectName(path);
    m_region->setObjectName(path + QStringLiteral("#add"));
}

// ---- DaxUseField ----

DaxUseField::DaxUseField(QWidget* parent)
    : JsonEditor(parent)
    , m_box(new QCheckBox(tr("through the table's DAX cluster")))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_box);
    layout->addStretch(1);
    m_box->setChecked(true);
    setFocusProxy(m_box);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(m_box, &QCheckBox::toggled, this, &JsonEditor::edited);
}

void DaxUseField::load(const QJsonValue& value)
{
    m_base = value;
    const QSignalBlocker blocker(m_box);
    m_box->setChecked(value != QJsonValue(false));
}

QJsonValue DaxUseField::save() const
{
    const bool loadedOn = m_base != QJsonValue(false);
    if (m_box->isChecked() == loadedOn)
        return m_base; // untouched: as loaded (absent stays absent)
    return m_box->isChecked() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(false);
}

QWidget* DaxUseField::widgetAt(const JsonPath&, qsizetype)
{
    return m_box;
}

void DaxUseField::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_box->setObjectName(path);
}

ObjectForm* makeDurationDistributionForm(const QString& title, const QString& defaultText)
{
    auto* form = new ObjectForm(title, true);
    form->addField(QStringLiteral("type"), QObject::tr("Distribution"),
        choice({ { QStringLiteral("fixed"), QObject::tr("fixed: always the same") },
                   { QStringLiteral("uniform"), QObject::tr("uniform: between min and max") },
                   { QStringLiteral("lognormal"), QObject::tr("lognormal: median and spread") } },
            defaultText),
        QObject::tr("{\"type\":\"fixed\",\"duration\":D}, {\"type\":\"uniform\",\"min\":D,\"max\":D}, "
                    "{\"type\":\"lognormal\",\"median\":D,\"sigma\":s}"));
    form->addField(QStringLiteral("duration"), QObject::tr("Duration"), duration(QObject::tr("e.g. 15m")), kDurationHelp,
        { QStringLiteral("fixed") });
    form->addField(QStringLiteral("min"), QObject::tr("Min"), duration(), kDurationHelp, { QStringLiteral("uniform") });
    form->addField(QStringLiteral("max"), QObject::tr("Max"), duration(), kDurationHelp, { QStringLiteral("uniform") });
    form->addField(
        QStringLiteral("median"), QObject::tr("Median"), duration(), kDurationHelp, { QStringLiteral("lognormal") });
    form->addField(QStringLiteral("sigma"), QObject::tr("Sigma"), number(QObject::tr("e.g. 0.4")),
        QObject::tr("Spread: the duration is median × exp(sigma × a standard normal draw)."),
        { QStringLiteral("lognormal") });
    form->setTypeField(QStringLiteral("type"));
    return form;
}

ObjectForm* makeStreamConsumerForm()
{
    auto* form = new ObjectForm({}, false);
    form->addField(QStringLiteral("name"), QObject::tr("Name"), text(QObject::tr("e.g. indexer")),
        QObject::tr("The consumer's name in the summary."));
    form->addField(QStringLiteral("kind"), QObject::tr("Kind"),
        choice({ { QStringLiteral("lambda"), QObject::tr("lambda: a Lambda trigger (its reads are free)") },
                   { QStringLiteral("client"),
                       QObject::tr("client: a KCL / SDK reader (reads priced as stream read request units)") },
                   { QStringLiteral("kinesis"),
                       QObject::tr("kinesis: Kinesis Data Streams (CDC units; records may repeat or reorder)") } },
            QObject::tr("(choose a kind)")),
        QObject::tr("\"lambda\" | \"client\" | \"kinesis\"."));
    form->addField(QStringLiteral("batchSize"), QObject::tr("Batch size"),
        number(QObject::tr("100 (default)"), QObject::tr("records per GetRecords")),
        QObject::tr("At most this many records per GetRecords call (at most 1,000)."));
    form->addField(QStringLiteral("pollInterval"), QObject::tr("Poll interval"), duration(QObject::tr("1s (default)")),
        join(QObject::tr("How often the consumer polls each shard."), kDurationHelp));
    form->addSection(QStringLiteral("processingTime"),
        makeDurationDistributionForm(QObject::tr("Processing time per batch"), QObject::tr("default: none")));
    form->addField(QStringLiteral("writesTo"), QObject::tr("Writes to"), text(QObject::tr("none (a table's name)")),
        QObject::tr("A table (with the source's key schema) that gets one write per record: the new image, or a "
                    "delete for a REMOVE, through its capacity."));
    form->addField(QStringLiteral("sink"), QObject::tr("Sink folder"), text(QObject::tr("none (a folder)")),
        QObject::tr("A folder that receives each record as a JSON line (stands for SNS, OpenSearch or S3 via "
                    "Firehose)."));
    return form;
}

ObjectForm* makeStreamsForm()
{
    auto* form = new ObjectForm(QObject::tr("Stream (DynamoDB Streams)"), true);
    form->setIntro(QObject::tr("The table's change stream: one record per item change, kept 24 hours; consumers "
                               "poll it shard by shard."));
    form->addField(QStringLiteral("viewType"), QObject::tr("View type"),
        choice({ { QStringLiteral("KEYS_ONLY"), QObject::tr("KEYS_ONLY: the item's key") },
                   { QStringLiteral("NEW_IMAGE"), QObject::tr("NEW_IMAGE: the item after the change") },
                   { QStringLiteral("OLD_IMAGE"), QObject::tr("OLD_IMAGE: the item before the change") },
                   { QStringLiteral("NEW_AND_OLD_IMAGES"), QObject::tr("NEW_AND_OLD_IMAGES: both") } },
            QObject::tr("(choose a view type)")),
        QObject::tr("What each stream record carries (StreamViewType)."));
    form->addSection(QStringLiteral("consumers"),
        new InlineListEditor([] { return makeStreamConsumerForm(); }, QObject::tr("consumer"),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("consumer") }, { QStringLiteral("kind"), QStringLiteral("lambda") } }));
    return form;
}

// ---- indexes ----

ProjectionEditor::ProjectionEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_mode(new QComboBox)
    , m_include(new ValueField(ValueField::Kind::Names, tr("attribute names, comma-separated")))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_mode->addItems({ tr("default: ALL"), tr("ALL: every attribute"), tr("KEYS_ONLY: the table's and index's keys"),
        tr("INCLUDE: the keys and these attributes"), tr("(another value: see the JSON tab)") });
    layout->addWidget(m_mode);
    layout->addWidget(m_include, 1);
    setFocusProxy(m_mode);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    const QString help = tr("\"ALL\" | \"KEYS_ONLY\" | {\"include\": [attribute names]} (default \"ALL\"). The "
                            "projected size of an item decides the write units each index write costs.");
    m_mode->setToolTip(help);
    m_include->lineEdit()->setToolTip(help);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        emit edited();
    });
    connect(m_include, &JsonEditor::edited, this, &JsonEditor::edited);
    updateEnabled();
}

void ProjectionEditor::updateEnabled()
{
    m_include->setEnabled(m_mode->currentIndex() == 3);
    m_mode->setItemData(4, m_loadedMode == 4 ? QVariant() : QVariant(0), Qt::UserRole - 1);
}

void ProjectionEditor::load(const QJsonValue& value)
{
    m_base = value;
    int mode = 4;
    QJsonValue include(QJsonValue::Undefined);
    if (value.isUndefined())
        mode = 0;
    else if (value == QJsonValue(QStringLiteral("ALL")))
        mode = 1;
    else if (value == QJsonValue(QStringLiteral("KEYS_ONLY")))
        mode = 2;
    else if (value.isObject()) {
        mode = 3;
        include = value.toObject().value(QStringLiteral("include"));
    }
    m_loadedMode = mode;
    const QSignalBlocker block(m_mode);
    m_mode->setCurrentIndex(mode);
    m_include->load(include);
    updateEnabled();
}

QJsonValue ProjectionEditor::save() const
{
    const int mode = m_mode->currentIndex();
    switch (mode) {
    case 0:
        return QJsonValue(QJsonValue::Undefined);
    case 1:
        return m_loadedMode == 1 ? m_base : QJsonValue(QStringLiteral("ALL"));
    case 2:
        return m_loadedMode == 2 ? m_base : QJsonValue(QStringLiteral("KEYS_ONLY"));
    case 3: {
        QJsonObject object = m_loadedMode == 3 ? m_base.toObject() : QJsonObject();
        const QJsonValue include = m_include->save();
        if (include.isUndefined())
            object.insert(QStringLiteral("include"), QJsonArray());
        else
            object.insert(QStringLiteral("include"), include);
        return object;
    }
    default:
        return m_base;
    }
}

QWidget* ProjectionEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].key == QStringLiteral("include"))
        return m_include->widgetAt(path, from + 1);
    return m_mode;
}

void ProjectionEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#projection"));
    m_mode->setObjectName(path);
    m_include->assignPaths(path + QStringLiteral(".include"));
}

namespace {

QString describeIndex(const QJsonValue& value, int index)
{
    const QJsonObject o = value.toObject();
    QString name = o.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        name = QObject::tr("index %1").arg(index + 1);
    QStringList keys;
    for (const char* key : { "partitionKey", "sortKey" }) {
        const QString keyName = o.value(QLatin1String(key)).toObject().value(QStringLiteral("name")).toString();
        if (!keyName.isEmpty())
            keys << keyName;
    }
    QString projection = QStringLiteral("ALL");
    const QJsonValue p = o.value(QStringLiteral("projection"));
    if (p.isString())
        projection = p.toString();
    else if (p.isObject())
        projection = QStringLiteral("INCLUDE");
    QString line = keys.join(QStringLiteral(", ")) + QStringLiteral(" · ") + projection;
    const QJsonObject provisioned = o.value(QStringLiteral("provisioned")).toObject();
    if (!provisioned.isEmpty())
        line += QObject::tr(" · %1 RCU / %2 WCU")
                    .arg(compactJson(provisioned.value(QStringLiteral("read"))),
                        compactJson(provisioned.value(QStringLiteral("write"))));
    return name + '\n' + line;
}

// A titled frame around an index list; forwards everything to the list.
class IndexListEditor : public JsonEditor {
public:
    IndexListEditor(bool global, QWidget* parent = nullptr)
        : JsonEditor(parent)
    {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* box = new QGroupBox(global ? tr("Global secondary indexes (own keys, own capacity)")
                                         : tr("Local secondary indexes (the table's partition key and capacity)"));
        layout->addWidget(box);
        auto* boxLayout = new QVBoxLayout(box);
        QJsonObject newItem { { QStringLiteral("name"), global ? QStringLiteral("byAttribute") : QStringLiteral("byDate") } };
        if (global) {
            newItem.insert(QStringLiteral("partitionKey"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("attribute") },
                    { QStringLiteral("type"), QStringLiteral("S") } });
            newItem.insert(QStringLiteral("projection"), QStringLiteral("ALL"));
            newItem.insert(QStringLiteral("provisioned"),
                QJsonObject { { QStringLiteral("read"), 5 }, { QStringLiteral("write"), 5 } });
        } else {
            newItem.insert(QStringLiteral("sortKey"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("date") },
                    { QStringLiteral("type"), QStringLiteral("S") } });
            newItem.insert(QStringLiteral("projection"), QStringLiteral("ALL"));
        }
        m_list = new ListEditor([global] { return makeIndexForm(global); }, describeIndex,
            global ? tr("global secondary index") : tr("local secondary index"), newItem, false);
        m_list->setMinimumHeight(global ? 360 : 200);
        m_list->listWidget()->setMinimumWidth(170);
        boxLayout->addWidget(m_list);
        auto* help = new QLabel(global
                ? tr("Every write that sets an index's key attributes also writes the index, on the index's own "
                     "capacity; when the index cannot take it, DynamoDB throttles the write to the table.")
                : tr("An LSI shares the table's partitions and capacity; its entries add to the table's writes and "
                     "to the item collection (10 GB per partition key)."));
        help->setWordWrap(true);
        help->setStyleSheet(QStringLiteral("color: #555;"));
        boxLayout->addWidget(help);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
        connect(m_list, &JsonEditor::edited, this, &JsonEditor::edited);
    }
    void load(const QJsonValue& value) override { m_list->load(value); }
    QJsonValue save() const override { return m_list->save(); }
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override { return m_list->widgetAt(path, from); }
    void assignPaths(const QString& path) override { m_list->assignPaths(path); }

private:
    ListEditor* m_list = nullptr;
};

} // namespace

ObjectForm* makeIndexForm(bool global)
{
    auto* form = new ObjectForm({}, false);
    form->addField(QStringLiteral("name"), QObject::tr("Index name"), text(QObject::tr("e.g. byStatus")),
        QObject::tr("3–255 characters of [A-Za-z0-9_.-]; unique among the table's indexes. Workloads query it as "
                    "\"<table>/<index>\"."));
    if (global)
        form->addField(QStringLiteral("partitionKey"), QObject::tr("Partition key"), new KeyElementEditor(false),
            QObject::tr("The index's hash key: an attribute of the items (items without it are not in the index)."));
    form->addField(QStringLiteral("sortKey"), QObject::tr("Sort key"), new KeyElementEditor(global),
        global ? QObject::tr("Optional range key of the index; leave empty for none.")
               : QObject::tr("The LSI's range key (required); it must differ from the table's partition key."));
    form->addField(QStringLiteral("projection"), QObject::tr("Projection"), new ProjectionEditor,
        QObject::tr("Which attributes the index stores besides the keys (default ALL)."));
    if (!global)
        return form;
    auto* capacity = new ObjectForm(QObject::tr("Provisioned capacity of the index (PROVISIONED tables)"), true);
    capacity->addField(QStringLiteral("read"), QObject::tr("Read"), number(QObject::tr("e.g. 5"), QObject::tr("RCU")),
        QObject::tr("The index's read capacity units (queries on the index)."));
    capacity->addField(QStringLiteral("write"), QObject::tr("Write"),
        number(QObject::tr("e.g. 5"), QObject::tr("WCU")),
        QObject::tr("The index's write capacity units: every table write that changes the index consumes them. "
                    "AWS recommends at least the table's write capacity."));
    form->addSection(QStringLiteral("provisioned"), capacity);
    form->addSection(QStringLiteral("autoScaling"),
        makeAutoScalingForm(QObject::tr("Auto scaling of the index (PROVISIONED tables)")));
    auto* demand = new ObjectForm(QObject::tr("On-demand limits of the index (PAY_PER_REQUEST tables)"), true);
    demand->addField(QStringLiteral("maxRead"), QObject::tr("Max read"),
        number(QObject::tr("no limit (default)"), QObject::tr("reads/s")),
        QObject::tr("Optional maximum read request units per second."));
    demand->addField(QStringLiteral("maxWrite"), QObject::tr("Max write"),
        number(QObject::tr("no limit (default)"), QObject::tr("writes/s")),
        QObject::tr("Optional maximum write request units per second."));
    auto* peak = new ObjectForm(QObject::tr("Previous peak"), true);
    peak->addField(QStringLiteral("read"), QObject::tr("Read"),
        number(QObject::tr("6000 (default)"), QObject::tr("reads/s")),
        QObject::tr("The previous peak of reads per second (default 6000)."));
    peak->addField(QStringLiteral("write"), QObject::tr("Write"),
        number(QObject::tr("2000 (default)"), QObject::tr("writes/s")),
        QObject::tr("The previous peak of writes per second (default 2000)."));
    demand->addSection(QStringLiteral("previousPeak"), peak);
    form->addSection(QStringLiteral("onDemand"), demand);
    return form;
}

JsonEditor* makeIndexListEditor(bool global)
{
    return new IndexListEditor(global);
}

ObjectForm* makeTableForm()
{
    auto* form = new ObjectForm({}, false);
    const QStringList provisioned { QStringLiteral("PROVISIONED") };
    const QStringList onDemand { QStringLiteral("PAY_PER_REQUEST") };
    form->addField(QStringLiteral("name"), QObject::tr("Table name"), text(QObject::tr("e.g. Orders")),
        QObject::tr("3–255 characters of [A-Za-z0-9_.-]."));
    form->addField(QStringLiteral("partitionKey"), QObject::tr("Partition key"), new KeyElementEditor(false),
        QObject::tr("{\"name\":..,\"type\":\"S\"|\"N\"|\"B\"}: the hash key; it decides the partition of an item."));
    form->addField(QStringLiteral("sortKey"), QObject::tr("Sort key"), new KeyElementEditor(true),
        QObject::tr("Optional range key; leave empty for none."));
    form->addField(QStringLiteral("billingMode"), QObject::tr("Billing mode"),
        choice({ { QStringLiteral("PROVISIONED"), QObject::tr("PROVISIONED: fixed RCU / WCU, optionally auto scaled") },
                   { QStringLiteral("PAY_PER_REQUEST"), QObject::tr("PAY_PER_REQUEST: on demand, pay per request") } },
            QObject::tr("(choose a billing mode)")),
        QObject::tr("\"PROVISIONED\" | \"PAY_PER_REQUEST\" (required)."));
    form->addField(QStringLiteral("tableClass"), QObject::tr("Table class"),
        choice({ { QStringLiteral("STANDARD"), QObject::tr("STANDARD") },
                   { QStringLiteral("STANDARD_INFREQUENT_ACCESS"),
                       QObject::tr("STANDARD_INFREQUENT_ACCESS: cheaper storage, dearer throughput") } },
            QObject::tr("default: STANDARD")),
        QObject::tr("\"STANDARD\" | \"STANDARD_INFREQUENT_ACCESS\" (default \"STANDARD\")."));

    auto* capacity = new ObjectForm(QObject::tr("Provisioned capacity (initial)"), true);
    capacity->addField(QStringLiteral("read"), QObject::tr("Read"), number(QObject::tr("e.g. 100"), QObject::tr("RCU")),
        QObject::tr("Initial read capacity units: one strongly consistent read of up to 4 KB per second."));
    capacity->addField(QStringLiteral("write"), QObject::tr("Write"),
        number(QObject::tr("e.g. 100"), QObject::tr("WCU")),
        QObject::tr("Initial write capacity units: one write of up to 1 KB per second."));
    form->addSection(QStringLiteral("provisioned"), capacity, provisioned);
    form->addSection(QStringLiteral("autoScaling"), makeAutoScalingForm(QObject::tr("Auto scaling")), provisioned);

    auto* demand = new ObjectForm(QObject::tr("On-demand"), true);
    demand->setIntro(QObject::tr("Serves up to twice its previous peak at once (a new table: 6000 reads / 2000 "
                                 "writes per second)."));
    demand->addField(QStringLiteral("maxRead"), QObject::tr("Max read"),
        number(QObject::tr("no limit (default)"), QObject::tr("reads/s")),
        QObject::tr("Optional maximum read request units per second."));
    demand->addField(QStringLiteral("maxWrite"), QObject::tr("Max write"),
        number(QObject::tr("no limit (default)"), QObject::tr("writes/s")),
        QObject::tr("Optional maximum write request units per second."));
    auto* peak = new ObjectForm(QObject::tr("Previous peak"), true);
    peak->addField(QStringLiteral("read"), QObject::tr("Read"),
        number(QObject::tr("6000 (default)"), QObject::tr("reads/s")),
        QObject::tr("The previous peak of reads per second (default 6000)."));
    peak->addField(QStringLiteral("write"), QObject::tr("Write"),
        number(QObject::tr("2000 (default)"), QObject::tr("writes/s")),
        QObject::tr("The previous peak of writes per second (default 2000)."));
    demand->addSection(QStringLiteral("previousPeak"), peak);
    form->addSection(QStringLiteral("onDemand"), demand, onDemand);

    auto* initial = new ObjectForm(QObject::tr("Initial data (items present at t = 0)"), true);
    initial->addField(QStringLiteral("items"), QObject::tr("Items"),
        number(QObject::tr("e.g. 1000000"), QObject::tr("items")),
        QObject::tr(
            "Items present at t = 0: partition keys 0 .. ceil(items / M) − 1, each with sort keys 0 .. M − 1."));
    initial->addSection(QStringLiteral("itemSize"),
        makeSizeForm(false, QObject::tr("Item size"), QObject::tr("default: fixed 1000 bytes")));
    initial->addField(QStringLiteral("sortKeysPerKey"), QObject::tr("Sort keys per key"),
        number(QObject::tr("1 (default)")), QObject::tr("M: sort keys under each partition key (needs a sort key)."));
    form->addSection(QStringLiteral("initialData"), initial);

    form->addSection(QStringLiteral("globalSecondaryIndexes"), makeIndexListEditor(true));
    form->addSection(QStringLiteral("localSecondaryIndexes"), makeIndexListEditor(false));

    // The data lifecycle (reference A6–A9).
    auto* ttl = new ObjectForm(QObject::tr("Time to live"), true);
    ttl->setIntro(QObject::tr("TTL on from t = 0: items whose attribute (epoch seconds) has passed are deleted in "
                              "the background, free of write capacity. Workloads set it with their TTL field."));
    ttl->addField(QStringLiteral("attribute"), QObject::tr("TTL attribute"), text(QObject::tr("none (e.g. ExpTime)")),
        QObject::tr("A top-level Number attribute holding the expiry time in epoch seconds."));
    form->addSection(QStringLiteral("ttl"), ttl);
    form->addSection(QStringLiteral("streams"), makeStreamsForm());
    form->addField(QStringLiteral("pitr"), QObject::tr("Point-in-time recovery"), new PitrEditor,
        QObject::tr("Continuous backups (priced per GB-month); restores and exports to a point in time need it."));

    // DAX and global tables (reference A10, A11).
    form->addField(QStringLiteral("dax"), QObject::tr("DAX"), new DaxEditor,
        QObject::tr("A DAX cluster in front of the table: {\"nodeType\",\"nodes\",\"itemTtl\",\"queryTtl\"}; every "
                    "workload on the table goes through it unless the workload says \"dax\": false."));
    form->addField(QStringLiteral("replicas"), QObject::tr("Replicas (global table)"), new RegionListEditor,
        QObject::tr("Regions holding a replica besides the scenario's region (global tables 2019.11.21, MREC): "
                    "writes in any region reach the others after the replication lag; last writer wins."));
    form->setTypeField(QStringLiteral("billingMode"));
    return form;
}

ObjectForm* makeWorkloadForm()
{
    auto* form = new ObjectForm({}, false);
    form->addField(QStringLiteral("name"), QObject::tr("Workload name"), text(QObject::tr("workload<N> (default)")),
        QObject::tr("Shown in reports; default \"workload<N>\"."));
    form->addField(QStringLiteral("table"), QObject::tr("Target table"), text(QObject::tr("a table's name")),
        QObject::tr("The table this traffic goes to (or \"<table>/<index>\" to query or scan a secondary index)."));
    form->addSection(QStringLiteral("rate"),
        makeRatePatternForm(
            false, QObject::tr("Rate pattern (requests per second over the run; preview on the right)")));
    form->addSection(QStringLiteral("operations"), new OperationsEditor);
    form->addField(QStringLiteral("consistency"), QObject::tr("Consistency"), new ConsistencyEditor,
        QObject::tr("Read consistency mix (default \"eventual\")."));
    form->addSection(QStringLiteral("keys"), makeKeysForm());
    form->addSection(QStringLiteral("itemSize"),
        makeSizeForm(false, QObject::tr("Item size (total DynamoDB size of a written item)"),
            QObject::tr("default: fixed 1000 bytes")));
    form->addSection(QStringLiteral("queryItems"),
        makeSizeForm(true, QObject::tr("Query items (items a Query reads)"), QObject::tr("default: fixed 10 items")));
    form->addField(QStringLiteral("batchSize"), QObject::tr("Batch size"),
        number(QObject::tr("25 writes / 100 reads (default)"), QObject::tr("items per call")),
        QObject::tr("Items per BatchGetItem / BatchWriteItem call (default 25 for writes, 100 for reads)."));
    form->addSection(QStringLiteral("attributes"), new AttributesEditor);
    form->addField(QStringLiteral("updateAttributes"), QObject::tr("Update attributes"),
        new ValueField(ValueField::Kind::Names, QObject::tr("none (comma-separated names)")),
        QObject::tr("Attributes an UpdateItem sets anew (from `attributes`) besides the payload."));
    form->addSection(QStringLiteral("ttlSeconds"),
        makeDurationDistributionForm(
            QObject::tr("Time to live of written items (needs the table's TTL attribute)"), QObject::tr("default: none")));
    // Global tables and DAX: shown when the target table has replicas / a cluster (WorkloadEditor).
    form->addField(QStringLiteral("region"), QObject::tr("Region"),
        new RegionField(QObject::tr("default: the scenario's region"), {}),
        QObject::tr("For a global table: the replica this workload's requests go to (the scenario's region or one of "
                    "the table's replicas; default the scenario's region)."));
    form->addField(QStringLiteral("dax"), QObject::tr("DAX"), new DaxUseField,
        QObject::tr("Whether this workload goes through its table's DAX cluster (default true when the table has "
                    "one); unchecked sends it straight to DynamoDB."));
    return form;
}

ObjectForm* makeEventForm()
{
    auto* form = new ObjectForm({}, false);
    const QStringList update { QStringLiteral("updateTable") };
    form->addField(QStringLiteral("at"), QObject::tr("At"), duration(QObject::tr("e.g. 30m")),
        join(QObject::tr("When the event happens, from t = 0 (within the scenario duration)."), kDurationHelp));
    form->addField(QStringLiteral("action"), QObject::tr("Action"),
        choice(
            {
                { QStringLiteral("updateTable"), QObject::tr("updateTable: change capacity, billing mode or class") },
                { QStringLiteral("setAutoScaling"), QObject::tr("setAutoScaling: replace the auto-scaling policy") },
                { QStringLiteral("setWorkloadRate"),
                    QObject::tr("setWorkloadRate: give a workload a new rate pattern") },
                { QStringLiteral("regionOutage"),
                    QObject::tr("regionOutage: a region's replica unreachable for a while (global tables)") },
                { QStringLiteral("createIndex"),
                    QObject::tr("createIndex: add a global secondary index (backfilled while CREATING)") },
                { QStringLiteral("deleteIndex"), QObject::tr("deleteIndex: delete a global secondary index") },
                { QStringLiteral("updateTimeToLive"),
                    QObject::tr("updateTimeToLive: turn TTL on or off on an attribute") },
                { QStringLiteral("createBackup"), QObject::tr("createBackup: an on-demand backup of a table") },
                { QStringLiteral("restoreTable"),
                    QObject::tr("restoreTable: a new table from a backup or a point in time") },
                { QStringLiteral("exportTable"), QObject::tr("exportTable: export to S3 (needs PITR)") },
                { QStringLiteral("importTable"), QObject::tr("importTable: a new table from files in S3") },
            },
            QObject::tr("(choose an action)")),
        QObject::tr("DynamoDB's own rules apply to events (decrease budget, billing-mode switch limits); a refused "
                    "event is reported with DynamoDB's error, not applied."));
    form->addField(QStringLiteral("table"), QObject::tr("Table"), text(QObject::tr("a table's name")),
        QObject::tr("The table the event changes (restoreTable: the source table of a point-in-time restore; leave "
                    "it empty to restore a backup)."),
        { QStringLiteral("updateTable"), QStringLiteral("setAutoScaling"), QStringLiteral("createIndex"),
            QStringLiteral("deleteIndex"), QStringLiteral("updateTimeToLive"), QStringLiteral("createBackup"),
            QStringLiteral("restoreTable"), QStringLiteral("exportTable") });
    auto* capacity = new ObjectForm(QObject::tr("New provisioned capacity"), true);
    capacity->addField(QStringLiteral("read"), QObject::tr("Read"),
        number(QObject::tr("unchanged"), QObject::tr("RCU")), QObject::tr("New read capacity units."));
    capacity->addField(QStringLiteral("write"), QObject::tr("Write"),
        number(QObject::tr("unchanged"), QObject::tr("WCU")), QObject::tr("New write capacity units."));
    form->addSection(QStringLiteral("provisioned"), capacity, update);
    form->addField(QStringLiteral("billingMode"), QObject::tr("New billing mode"),
        choice({ { QStringLiteral("PROVISIONED"), QStringLiteral("PROVISIONED") },
                   { QStringLiteral("PAY_PER_REQUEST"), QStringLiteral("PAY_PER_REQUEST") } },
            QObject::tr("unchanged")),
        QObject::tr("Switch the billing mode (DynamoDB limits how often)."), update);
    form->addField(QStringLiteral("tableClass"), QObject::tr("New table class"),
        choice({ { QStringLiteral("STANDARD"), QStringLiteral("STANDARD") },
                   { QStringLiteral("STANDARD_INFREQUENT_ACCESS"), QStringLiteral("STANDARD_INFREQUENT_ACCESS") } },
            QObject::tr("unchanged")),
        QObject::tr("Switch the table class."), update);
    form->addSection(QStringLiteral("autoScaling"), makeAutoScalingForm(QObject::tr("New auto-scaling policy")),
        { QStringLiteral("setAutoScaling") });
    form->addField(QStringLiteral("workload"), QObject::tr("Workload"), text(QObject::tr("a workload's name")),
        QObject::tr("The workload whose rate changes."), { QStringLiteral("setWorkloadRate") });
    form->addField(QStringLiteral("rate"), QObject::tr("New rate"), makeRatePatternForm(false),
        QObject::tr("The workload's rate pattern from this time on."), { QStringLiteral("setWorkloadRate") });
    form->addField(QStringLiteral("region"), QObject::tr("Region"),
        new RegionField(QObject::tr("a region holding a replica, e.g. eu-west-1"), awsRegions()),
        QObject::tr("The region that becomes unreachable: its workloads' requests fail (counted as failed); "
                    "replication to and from it queues and catches up afterwards."),
        { QStringLiteral("regionOutage") });
    form->addField(QStringLiteral("duration"), QObject::tr("Outage length"), duration(QObject::tr("e.g. 10m")),
        join(QObject::tr("How long the region stays unreachable."), kDurationHelp), { QStringLiteral("regionOutage") });
    auto* index = makeIndexForm(true);
    index->setIntro(QObject::tr("The new global secondary index. It is backfilled from the table's items "
                                "(CREATING) before it becomes ACTIVE; writes maintain it from the start."));
    form->addSection(QStringLiteral("index"), index, { QStringLiteral("createIndex") });
    form->addField(QStringLiteral("name"), QObject::tr("Name"), text(QObject::tr("an index or backup name")),
        QObject::tr("deleteIndex: the global secondary index to delete (declared on the table or created by an earlier "
                    "event). createBackup: the backup's name (3–255 characters of [A-Za-z0-9_.-]), which restoreTable "
                    "events refer to."),
        { QStringLiteral("deleteIndex"), QStringLiteral("createBackup") });
    // The data lifecycle's events (reference A6, A8, A9).
    const QStringList ttl { QStringLiteral("updateTimeToLive") };
    form->addField(QStringLiteral("enabled"), QObject::tr("TTL"),
        choice({ { QJsonValue(true), QObject::tr("enabled (true)") }, { QJsonValue(false), QObject::tr("disabled (false)") } },
            QObject::tr("(choose)")),
        QObject::tr("Turn TTL on or off (DynamoDB allows one change per table per hour)."), ttl);
    form->addField(QStringLiteral("attribute"), QObject::tr("TTL attribute"), text(QObject::tr("e.g. ExpTime")),
        QObject::tr("The top-level Number attribute holding expiry times (epoch seconds)."), ttl);
    form->addField(QStringLiteral("backup"), QObject::tr("From backup"), text(QObject::tr("a createBackup's name")),
        QObject::tr("Restore this backup (named by a createBackup event at or before this one); leave empty and give "
                    "a table and a point in time to restore from PITR."),
        { QStringLiteral("restoreTable") });
    form->addField(QStringLiteral("pointInTime"), QObject::tr("Point in time"), duration(QObject::tr("e.g. 20m")),
        join(QObject::tr("restoreTable: the moment to restore (needs the table's PITR). exportTable: the export time "
                         "(default: the event's time); for an INCREMENTAL_EXPORT the window's start (15 minutes to 24 "
                         "hours before the event)."),
            kDurationHelp),
        { QStringLiteral("restoreTable"), QStringLiteral("exportTable") });
    form->addField(QStringLiteral("target"), QObject::tr("New table"), text(QObject::tr("the restored table's name")),
        QObject::tr("The restored table's name: a new table that exists for the rest of the run, with the source's "
                    "settings as DynamoDB restores them."),
        { QStringLiteral("restoreTable") });
    form->addField(QStringLiteral("source"), QObject::tr("Source folder"), text(QObject::tr("path to a folder")),
        QObject::tr("The folder of files to import (relative to the scenario's folder)."), { QStringLiteral("importTable") });
    form->addField(QStringLiteral("format"), QObject::tr("Format"),
        choice({ { QStringLiteral("DYNAMODB_JSON"), QStringLiteral("DYNAMODB_JSON") },
                   { QStringLiteral("ION"), QStringLiteral("ION") },
                   { QStringLiteral("CSV"), QObject::tr("CSV (imports only)") } },
            QObject::tr("default: DYNAMODB_JSON (exports); required for imports")),
        QObject::tr("exportTable: \"DYNAMODB_JSON\" | \"ION\". importTable: \"CSV\" | \"DYNAMODB_JSON\" | \"ION\"."),
        { QStringLiteral("exportTable"), QStringLiteral("importTable") });
    form->addField(QStringLiteral("type"), QObject::tr("Export type"),
        choice({ { QStringLiteral("FULL_EXPORT"), QObject::tr("FULL_EXPORT: the table at a point in time") },
                   { QStringLiteral("INCREMENTAL_EXPORT"),
                       QObject::tr("INCREMENTAL_EXPORT: the changes from the point in time to the event") } },
            QObject::tr("default: FULL_EXPORT")),
        QObject::tr("A full export is priced per GB of the table; an incremental one per GB of changed data."),
        { QStringLiteral("exportTable") });
    form->addField(QStringLiteral("compression"), QObject::tr("Compression"),
        choice({ { QStringLiteral("NONE"), QStringLiteral("NONE") }, { QStringLiteral("GZIP"), QStringLiteral("GZIP") },
                   { QStringLiteral("ZSTD"), QStringLiteral("ZSTD") } },
            QObject::tr("default: NONE")),
        QObject::tr("How the source files are compressed."), { QStringLiteral("importTable") });
    auto* target = makeTableForm();
    target->setIntro(QObject::tr("The table ImportTable creates: keys, billing mode, capacity and GSIs (no initial "
                                 "data, LSIs, TTL, stream, PITR or table class: ImportTable creates it from its source)."));
    form->addSection(QStringLiteral("target"), target, { QStringLiteral("importTable") });
    form->setTypeField(QStringLiteral("action"));
    return form;
}

ObjectForm* makeModelForm()
{
    auto* form = new ObjectForm({}, true);
    form->setIntro(QObject::tr("DynamoDB behaviours that are not published exactly. Leave a field empty to use "
                               "the default shown in grey."));
    form->addField(QStringLiteral("partitionRead"), QObject::tr("Partition read limit"),
        number(QObject::tr("3000 (default)"), QObject::tr("RCU/s")),
        QObject::tr("Per-partition hard limit of read units per second (default 3000)."));
    form->addField(QStringLiteral("partitionWrite"), QObject::tr("Partition write limit"),
        number(QObject::tr("1000 (default)"), QObject::tr("WCU/s")),
        QObject::tr("Per-partition hard limit of write units per second (default 1000)."));
    form->addField(QStringLiteral("partitionSize"), QObject::tr("Partition size"), size(QObject::tr("10GB (default)")),
        join(QObject::tr("A partition splits when it holds more (default \"10GB\")."), kSizeHelp));
    form->addField(QStringLiteral("partitionLimitRule"), QObject::tr("Partition limit rule"),
        choice({ { QStringLiteral("independent"), QObject::tr("independent: read and write limits apart") },
                   { QStringLiteral("linear"), QObject::tr("linear: r/3000 + w/1000 <= 1") } },
            QObject::tr("default: independent")),
        QObject::tr("\"independent\" (default) or \"linear\" (r/3000 + w/1000 <= 1)."));
    form->addField(QStringLiteral("burstSeconds"), QObject::tr("Burst capacity"),
        number(QObject::tr("300 (default)"), QObject::tr("seconds")),
        QObject::tr("Seconds of unused capacity a partition keeps (default 300; 0 switches burst off)."));
    form->addField(QStringLiteral("burstAtStart"), QObject::tr("Burst at start"),
        choice({ { QStringLiteral("full"), QObject::tr("full") }, { QStringLiteral("empty"), QObject::tr("empty") } },
            QObject::tr("default: full")),
        QObject::tr("Whether the burst bucket starts \"full\" (default) or \"empty\"."));
    form->addField(QStringLiteral("adaptiveCapacity"), QObject::tr("Adaptive capacity"), boolean(true),
        QObject::tr("Hot partitions may borrow the table's unused provisioned capacity, up to the partition limits "
                    "(default true)."));
    auto* split = new ObjectForm(QObject::tr("Split for heat"), true);
    split->setIntro(QObject::tr("A partition above threshold × its limit for `sustain` splits after `delay`\n"
                                "(not when its traffic is one key or sequential keys)."));
    split->addField(QStringLiteral("enabled"), QObject::tr("Enabled"), boolean(true), QObject::tr("Default true."));
    split->addField(QStringLiteral("threshold"), QObject::tr("Threshold"),
        number(QObject::tr("0.8 (default)"), QObject::tr("× partition limit")),
        QObject::tr("Fraction of the partition's hard limit (0..1, default 0.8)."));
    split->addField(QStringLiteral("sustain"), QObject::tr("Sustain"), duration(QObject::tr("5m (default)")),
        join(QObject::tr("How long the partition must stay above the threshold (default \"5m\")."), kDurationHelp));
    split->addField(QStringLiteral("delay"), QObject::tr("Delay"), duration(QObject::tr("10m (default)")),
        join(QObject::tr("Time from the decision to the split (default \"10m\")."), kDurationHelp));
    form->addSection(QStringLiteral("splitForHeat"), split);
    form->addField(QStringLiteral("updateTableDelay"), QObject::tr("UpdateTable delay"),
        duration(QObject::tr("2m (default)")),
        join(QObject::tr("Time for a provisioned-capacity increase to take effect (default \"2m\")."), kDurationHelp));
    form->addField(QStringLiteral("onDemandWindow"), QObject::tr("On-demand window"),
        duration(QObject::tr("30m (default)")),
        join(QObject::tr("Time for on-demand capacity to grow past 2 × previous peak (default \"30m\")."),
            kDurationHelp));
    auto* latency = new ObjectForm(QObject::tr("Service latency"), true);
    const QString latencyHelp = QObject::tr("\"lognormal(<median duration>,<sigma>)\", e.g. \"lognormal(4ms,0.5)\".");
    latency->addField(
        QStringLiteral("read"), QObject::tr("Reads"), text(QObject::tr("lognormal(4ms,0.5) (default)")), latencyHelp);
    latency->addField(
        QStringLiteral("write"), QObject::tr("Writes"), text(QObject::tr("lognormal(6ms,0.5) (default)")), latencyHelp);
    form->addSection(QStringLiteral("latency"), latency);
    return form;
}

ObjectForm* makeGeneralForm()
{
    auto* form = new ObjectForm({}, false);
    form->addField(QStringLiteral("name"), QObject::tr("Scenario name"), text(QObject::tr("e.g. orders-day")),
        QObject::tr("Shown in reports (required)."));
    form->addField(QStringLiteral("description"), QObject::tr("Description"), new TextAreaField,
        QObject::tr("What the scenario shows."));
    form->addField(QStringLiteral("duration"), QObject::tr("Duration"), duration(QObject::tr("e.g. 1h")),
        join(QObject::tr("Simulated time span, starting at t = 0 (required)."), kDurationHelp));
    form->addField(QStringLiteral("seed"), QObject::tr("Random seed"), number(QObject::tr("1 (default)")),
        QObject::tr("All randomness derives from it: the same seed gives the same run (integer, default 1)."));
    form->addField(QStringLiteral("region"), QObject::tr("Region"), text(QObject::tr("us-east-1 (default)")),
        QObject::tr("Picks the built-in pricing table (default \"us-east-1\")."));
    form->addField(QStringLiteral("pricing"), QObject::tr("Pricing file"),
        text(QObject::tr("built-in for the region (default)")),
        QObject::tr("Path to a pricing file, in the schema of resources/pricing/*.json (relative to the scenario)."));
    form->addField(QStringLiteral("freeTier"), QObject::tr("Free tier"), boolean(false),
        QObject::tr("Apply the always-free allowances (25 GB, 25 RCU, 25 WCU, stream reads); default false."));

    auto* fidelity = new ObjectForm(QObject::tr("Fidelity (how many requests execute in the engine)"), true);
    fidelity->addField(QStringLiteral("mode"), QObject::tr("Mode"),
        choice({ { QStringLiteral("auto"), QObject::tr("auto: full up to 2,000,000 requests and 1 GB, sampled up to 100,000,000, else fluid") },
                   { QStringLiteral("full"), QObject::tr("full: every request executes in the engine") },
                   { QStringLiteral("sampled"), QObject::tr("sampled: a seeded fraction executes") },
                   { QStringLiteral("fluid"), QObject::tr("fluid: traffic as flows per partition and step (month-long runs in seconds)") } },
            QObject::tr("default: auto")),
        QObject::tr("Sampled: every request is still generated, admitted and metered one by one, so throttling and "
                    "timing are exact; only a fraction executes in the engine. Fluid: admission, throttling, retries "
                    "and metering run on flows per partition and step, within the documented tolerances of a full run."));
    fidelity->addField(QStringLiteral("rate"), QObject::tr("Sample rate"),
        number(QObject::tr("e.g. 0.02"), QObject::tr("(0, 1]")),
        QObject::tr("The fraction of requests (and initialData) stored in the engine; storage figures are weighted "
                    "by 1/rate."),
        { QStringLiteral("sampled") });
    fidelity->addField(QStringLiteral("step"), QObject::tr("Step"), duration(QObject::tr("1s (default)")),
        QObject::tr("The admission step of fluid fidelity: whole milliseconds dividing a minute."), { QStringLiteral("fluid") });
    fidelity->setTypeField(QStringLiteral("mode"));
    form->addSection(QStringLiteral("fidelity"), fidelity);

    auto* client = new ObjectForm(QObject::tr("Client retries (how the application's SDK retries)"), true);
    client->addField(QStringLiteral("maxAttempts"), QObject::tr("Max attempts"),
        number(QObject::tr("10 (default)"), QObject::tr("attempts")),
        QObject::tr("Attempts per request including the first; 1 = no retries. A request still throttled after "
                    "maxAttempts is a failed request."));
    client->addField(QStringLiteral("baseDelay"), QObject::tr("Base delay"), duration(QObject::tr("25ms (default)")),
        join(QObject::tr("First backoff; each retry doubles it, full jitter."), kDurationHelp));
    client->addField(QStringLiteral("maxDelay"), QObject::tr("Max delay"), duration(QObject::tr("20s (default)")),
        join(QObject::tr("Cap of one backoff."), kDurationHelp));
    form->addSection(QStringLiteral("client"), client);
    return form;
}

} // namespace capsim::studio
