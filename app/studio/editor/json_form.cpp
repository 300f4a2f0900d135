#include "app/studio/editor/json_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

namespace {

// Where a key goes when the scenario is shown as text: the order of the format page.
int keyRank(const QString& key)
{
    static const QStringList kOrder = { "format", "name", "type", "action", "at", "description", "region", "pricing",
        "freeTier", "duration", "seed", "fidelity", "client", "model", "table", "workload", "partitionKey", "sortKey",
        "billingMode", "tableClass", "provisioned", "autoScaling", "onDemand", "initialData", "items", "rate", "from",
        "to", "start", "over", "base", "peak", "mean", "amplitude", "peakAt", "period", "file", "column", "interval",
        "values", "of", "operations", "consistency", "keys", "cardinality", "exponent", "hotKeys", "hotShare",
        "sortKeysPerKey", "itemSize", "queryItems", "size", "count", "min", "max", "target", "median", "sigma",
        "batchSize", "attributes", "updateAttributes", "read", "write", "tables", "workloads", "events" };
    const auto i = kOrder.indexOf(key);
    return i < 0 ? 1000 : static_cast<int>(i);
}

QStringList orderedKeys(const QJsonObject& object)
{
    QStringList keys = object.keys();
    std::stable_sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
        const int ra = keyRank(a), rb = keyRank(b);
        return ra != rb ? ra < rb : a < b;
    });
    return keys;
}

QString jsonString(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString renderCompact(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return QStringLiteral("null");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return formatJsonNumber(value.toDouble());
    case QJsonValue::String: return jsonString(value.toString());
    case QJsonValue::Array: {
        QStringList parts;
        for (const auto& v : value.toArray())
            parts << renderCompact(v);
        return '[' + parts.join(QStringLiteral(", ")) + ']';
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QStringList parts;
        for (const auto& key : orderedKeys(object))
            parts << jsonString(key) + QStringLiteral(": ") + renderCompact(object.value(key));
        return '{' + parts.join(QStringLiteral(", ")) + '}';
    }
    }
    return {};
}

void renderPretty(const QJsonValue& value, int indent, QString& out)
{
    constexpr int kLineWidth = 110;
    const QString compact = renderCompact(value);
    if ((!value.isArray() && !value.isObject()) || indent + compact.size() <= kLineWidth) {
        out += compact;
        return;
    }
    const QString pad(indent + 2, ' ');
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        out += QStringLiteral("[\n");
        for (qsizetype i = 0; i < array.size(); ++i) {
            out += pad;
            renderPretty(array.at(i), indent + 2, out);
            out += i + 1 < array.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += QString(indent, ' ') + ']';
        return;
    }
    const QJsonObject object = value.toObject();
    const QStringList keys = orderedKeys(object);
    out += QStringLiteral("{\n");
    for (qsizetype i = 0; i < keys.size(); ++i) {
        out += pad + jsonString(keys[i]) + QStringLiteral(": ");
        renderPretty(object.value(keys[i]), indent + 2, out);
        out += i + 1 < keys.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
    }
    out += QString(indent, ' ') + '}';
}

QString childPath(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + '.' + key;
}

// Which JSON values a line edit holds for `kind`; the rest is kept as typed.
bool parseNumber(const QString& text, QJsonValue& out)
{
    bool ok = false;
    const qlonglong integer = text.toLongLong(&ok);
    if (ok) {
        out = QJsonValue(static_cast<qint64>(integer));
        return true;
    }
    const double number = text.toDouble(&ok);
    if (ok && std::isfinite(number)) {
        out = QJsonValue(number);
        return true;
    }
    return false;
}

} // namespace

JsonPath parseJsonPath(const QString& path)
{
    JsonPath steps;
    QString key;
    auto flush = [&] {
        if (!key.isEmpty())
            steps.append({ key, -1 });
        key.clear();
    };
    for (qsizetype i = 0; i < path.size(); ++i) {
        const QChar c = path[i];
        if (c == '.') {
            flush();
        } else if (c == '[') {
            const qsizetype close = path.indexOf(']', i);
            bool ok = false;
            const int index = path.mid(i + 1, close - i - 1).toInt(&ok);
            if (close < 0 || !ok) {
                key += c;
                continue;
            }
            flush();
            steps.append({ QString(), index });
            i = close;
        } else {
            key += c;
        }
    }
    flush();
    return steps;
}

QString formatJsonNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString prettyJson(const QJsonValue& value)
{
    QString out;
    renderPretty(value, 0, out);
    return out + '\n';
}

QString compactJson(const QJsonValue& value)
{
    return renderCompact(value);
}

// ---- FormPage ----

QSize FormPage::minimumSizeHint() const
{
    return QSize(QWidget::minimumSizeHint().width(), sizeHint().height());
}

// ---- JsonEditor ----

QWidget* JsonEditor::widgetAt(const JsonPath&, qsizetype)
{
    return this;
}

void JsonEditor::assignPaths(const QString& path)
{
    setObjectName(path);
}

// ---- ValueField ----

ValueField::ValueField(Kind kind, const QString& placeholder, const QString& unit, QWidget* parent)
    : JsonEditor(parent)
    , m_kind(kind)
    , m_edit(new QLineEdit(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    m_edit->setPlaceholderText(placeholder);
    m_edit->setClearButtonEnabled(kind != Kind::Text);
    if (kind == Kind::Number || kind == Kind::Duration || kind == Kind::Size)
        m_edit->setMaximumWidth(220);
    if (!unit.isEmpty()) {
        auto* label = new QLabel(unit, this);
        label->setMinimumWidth(60);
        layout->addWidget(label);
    }
    if (kind == Kind::Number || kind == Kind::Duration || kind == Kind::Size)
        layout->addStretch(1);
    setFocusProxy(m_edit);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(m_edit, &QLineEdit::textChanged, this, &JsonEditor::edited);
}

QString ValueField::toText(const QJsonValue& value) const
{
    if (value.isUndefined())
        return {};
    if (m_kind == Kind::Json)
        return compactJson(value);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return formatJsonNumber(value.toDouble());
    if ((m_kind == Kind::Names || m_kind == Kind::Values) && value.isArray()) {
        QStringList parts;
        for (const auto& v : value.toArray())
            parts << (m_kind == Kind::Names && v.isString() ? v.toString() : compactJson(v));
        return parts.join(QStringLiteral(", "));
    }
    return compactJson(value);
}

QJsonValue ValueField::fromText(const QString& raw) const
{
    const QString text = m_kind == Kind::Text ? raw : raw.trimmed();
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue number;
    switch (m_kind) {
    case Kind::Text: return text;
    case Kind::Number:
    case Kind::Duration:
    case Kind::Size:
        if (parseNumber(text, number))
            return number;
        return text;
    case Kind::Names: {
        QJsonArray array;
        for (const auto& part : text.split(',', Qt::SkipEmptyParts))
            array.append(part.trimmed());
        return array;
    }
    case Kind::Values: {
        const QJsonDocument doc = QJsonDocument::fromJson(('[' + text + ']').toUtf8());
        if (doc.isArray())
            return doc.array();
        QJsonArray array; // bare words: each is a string
        for (const auto& part : text.split(',', Qt::SkipEmptyParts))
            array.append(part.trimmed());
        return array;
    }
    case Kind::Json: {
        const QJsonDocument doc = QJsonDocument::fromJson(('[' + text + ']').toUtf8());
        if (doc.isArray() && doc.array().size() == 1)
            return doc.array().at(0);
        return text; // not JSON: the loader names the field
    }
    }
    return text;
}

void ValueField::load(const QJsonValue& value)
{
    m_loaded = value;
    m_loadedText = toText(value);
    m_edit->setText(m_loadedText);
    m_edit->setCursorPosition(0);
}

QJsonValue ValueField::save() const
{
    if (m_edit->text() == m_loadedText)
        return m_loaded;
    return fromText(m_edit->text());
}

QWidget* ValueField::widgetAt(const JsonPath&, qsizetype)
{
    return m_edit;
}

void ValueField::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_edit->setObjectName(path);
}

// ---- TextAreaField ----

TextAreaField::TextAreaField(QWidget* parent)
    : JsonEditor(parent)
    , m_edit(new QPlainTextEdit(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    m_edit->setMinimumHeight(110);
    m_edit->setMaximumHeight(170);
    m_edit->setTabChangesFocus(true);
    setFocusProxy(m_edit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &JsonEditor::edited);
}

void TextAreaField::load(const QJsonValue& value)
{
    m_loaded = value;
    m_loadedText = value.isString() ? value.toString() : value.isUndefined() ? QString() : compactJson(value);
    m_edit->setPlainText(m_loadedText);
}

QJsonValue TextAreaField::save() const
{
    const QString text = m_edit->toPlainText();
    if (text == m_loadedText)
        return m_loaded;
    return text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
}

QWidget* TextAreaField::widgetAt(const JsonPath&, qsizetype)
{
    return m_edit;
}

void TextAreaField::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_edit->setObjectName(path);
}

// ---- ChoiceField ----

ChoiceField::ChoiceField(const QList<Option>& options, const QString& absentLabel, QWidget* parent)
    : JsonEditor(parent)
    , m_options(options)
    , m_absentLabel(absentLabel)
    , m_combo(new QComboBox(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    layout->addStretch(1);
    m_combo->setMinimumWidth(220);
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setFocusProxy(m_combo);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    rebuild(QJsonValue(QJsonValue::Undefined));
    connect(m_combo, &QComboBox::currentIndexChanged, this, &JsonEditor::edited);
}

void ChoiceField::rebuild(const QJsonValue& extra)
{
    const QSignalBlocker blocker(m_combo);
    m_combo->clear();
    m_values.clear();
    m_combo->addItem(m_absentLabel);
    m_values.append(QJsonValue(QJsonValue::Undefined));
    for (const auto& option : m_options) {
        m_combo->addItem(option.label);
        m_values.append(option.value);
    }
    if (!extra.isUndefined()) {
        m_combo->addItem(compactJson(extra) + tr(" (not a valid choice)"));
        m_values.append(extra);
    }
}

void ChoiceField::load(const QJsonValue& value)
{
    auto index = m_values.indexOf(value);
    if (index < 0) {
        rebuild(value);
        index = m_values.size() - 1;
    } else if (m_values.size() > m_options.size() + 1) {
        rebuild(QJsonValue(QJsonValue::Undefined));
        index = m_values.indexOf(value);
    }
    m_combo->setCurrentIndex(static_cast<int>(index));
}

QJsonValue ChoiceField::save() const
{
    const int index = m_combo->currentIndex();
    return index < 0 ? QJsonValue(QJsonValue::Undefined) : m_values.at(index);
}

QString ChoiceField::currentText() const
{
    const QJsonValue value = save();
    return value.isString() ? value.toString() : value.isUndefined() ? QString() : compactJson(value);
}

QWidget* ChoiceField::widgetAt(const JsonPath&, qsizetype)
{
    return m_combo;
}

void ChoiceField::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#field"));
    m_combo->setObjectName(path);
}

// ---- ObjectForm ----

ObjectForm::ObjectForm(const QString& title, bool optional, QWidget* parent)
    : JsonEditor(parent)
    , m_optional(optional)
{
    // Forms take their natural height: a nested form is never squeezed by its parent's layout.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    QWidget* host = this;
    if (!title.isEmpty()) {
        m_box = new QGroupBox(title, this);
        outer->addWidget(m_box);
        host = m_box;
    }
    auto* hostLayout = host == this ? outer : new QVBoxLayout(host);
    m_intro = new QLabel(host);
    // No word wrap: a height-for-width label makes QFormLayout squeeze nested forms (Qt 6.4).
    m_intro->setWordWrap(false);
    m_intro->setVisible(false);
    m_intro->setStyleSheet(QStringLiteral("color: #555;"));
    hostLayout->addWidget(m_intro);
    m_layout = new QFormLayout;
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    hostLayout->addLayout(m_layout);
}

void ObjectForm::setIntro(const QString& text)
{
    m_intro->setText(text);
    m_intro->setVisible(!text.isEmpty());
}

JsonEditor* ObjectForm::addField(
    const QString& key, const QString& label, JsonEditor* editor, const QString& toolTip, const QStringList& types)
{
    auto* labelWidget = new QLabel(label + ':');
    labelWidget->setToolTip(toolTip);
    labelWidget->setBuddy(editor);
    editor->setToolTip(toolTip);
    if (auto* focus = editor->focusProxy())
        focus->setToolTip(toolTip);
    m_layout->addRow(labelWidget, editor);
    m_rows.push_back({ key, editor, editor, types, labelWidget });
    connect(editor, &JsonEditor::edited, this, [this, key] {
        if (key == m_typeKey)
            updateVisibility();
        emit edited();
    });
    return editor;
}

JsonEditor* ObjectForm::addSection(const QString& key, JsonEditor* editor, const QStringList& types)
{
    m_layout->addRow(editor);
    m_rows.push_back({ key, editor, editor, types });
    connect(editor, &JsonEditor::edited, this, &JsonEditor::edited);
    return editor;
}

void ObjectForm::addSectionsSideBySide(const QList<QPair<QString, JsonEditor*>>& sections, const QStringList& types)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const auto& [key, editor] : sections) {
        layout->addWidget(editor, 1, Qt::AlignTop);
        m_rows.push_back({ key, editor, row, types });
        connect(editor, &JsonEditor::edited, this, &JsonEditor::edited);
    }
    m_layout->addRow(row);
}

void ObjectForm::addInfoRow(const QString& label, QWidget* widget)
{
    if (label.isEmpty())
        m_layout->addRow(widget);
    else
        m_layout->addRow(label + ':', widget);
}

void ObjectForm::setTypeField(const QString& key)
{
    m_typeKey = key;
    updateVisibility();
}

void ObjectForm::setRowHidden(const QString& key, bool hidden)
{
    if (hidden == m_hiddenKeys.contains(key))
        return;
    if (hidden)
        m_hiddenKeys << key;
    else
        m_hiddenKeys.removeAll(key);
    updateVisibility();
}

QString ObjectForm::currentType() const
{
    if (m_typeKey.isEmpty())
        return {};
    const auto* field = qobject_cast<const ChoiceField*>(child(m_typeKey));
    return field ? field->currentText() : QString();
}

JsonEditor* ObjectForm::child(const QString& key) const
{
    // Two rows may own one key for different types (an event's "target": a table name or a table
    // object): the one of the current type first.
    for (const auto& row : m_rows)
        if (row.key == key && isRelevant(row))
            return row.editor;
    for (const auto& row : m_rows)
        if (row.key == key)
            return row.editor;
    return nullptr;
}

bool ObjectForm::isRelevant(const Row& row) const
{
    return row.types.isEmpty() || row.types.contains(currentType());
}

void ObjectForm::updateVisibility()
{
    // Hiding the widgets rather than QFormLayout::setRowVisible(), whose size hint goes stale
    // in Qt 6.4 when rows come back (nested forms were drawn squeezed).
    for (const auto& row : m_rows) {
        const bool visible = isRelevant(row) && !m_hiddenKeys.contains(row.key);
        row.rowWidget->setVisible(visible);
        if (row.label)
            row.label->setVisible(visible);
    }
}

void ObjectForm::load(const QJsonValue& value)
{
    m_base = value;
    const QJsonObject object = value.toObject();
    // The type first, so that the other rows' visibility is settled once.
    for (const auto& row : m_rows)
        if (row.key == m_typeKey)
            row.editor->load(object.value(row.key));
    for (const auto& row : m_rows)
        if (row.key != m_typeKey)
            row.editor->load(object.value(row.key));
    updateVisibility();
}

QJsonObject ObjectForm::mergeInto(QJsonObject object) const
{
    const QString type = currentType();
    const QString baseType = m_base.toObject().value(m_typeKey).toString();
    for (const auto& row : m_rows) {
        if (!isRelevant(row)) {
            // The fields of another type belong to the form only once the type was changed (and
            // not when a row of the current type owns the same key).
            const bool owned = std::any_of(m_rows.begin(), m_rows.end(),
                [&](const Row& other) { return other.key == row.key && isRelevant(other); });
            if (type != baseType && !owned)
                object.remove(row.key);
            continue;
        }
        const QJsonValue value = row.editor->save();
        if (value.isUndefined())
            object.remove(row.key);
        else
            object.insert(row.key, value);
    }
    return object;
}

QJsonValue ObjectForm::save() const
{
    const QJsonObject object = mergeInto(m_base.toObject());
    if (!object.isEmpty())
        return object;
    if (m_base.isUndefined())
        return QJsonValue(QJsonValue::Undefined);
    if (!m_base.isObject())
        return m_base; // not an object in the file: kept, so the loader can say so
    if (m_base.toObject().isEmpty())
        return QJsonObject();
    return m_optional ? QJsonValue(QJsonValue::Undefined) : QJsonValue(QJsonObject());
}

QWidget* ObjectForm::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].index < 0) {
        if (JsonEditor* editor = child(path[from].key))
            return editor->widgetAt(path, from + 1);
    }
    return m_box ? static_cast<QWidget*>(m_box) : this;
}

void ObjectForm::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#form"));
    // Two rows owning one key (for different types): the one of the current type gets the plain
    // path, the other "<path>@<its first type>".
    for (const auto& row : m_rows) {
        QString rowPath = childPath(path, row.key);
        if (child(row.key) != row.editor && !row.types.isEmpty())
            rowPath += QLatin1Char('@') + row.types.front();
        row.editor->assignPaths(rowPath);
    }
}

// ---- ListEditor ----

ListEditor::ListEditor(
    Factory factory, Labeler labeler, const QString& noun, const QJsonValue& newItem, bool scroll, QWidget* parent)
    : JsonEditor(parent)
    , m_factory(std::move(factory))
    , m_labeler(std::move(labeler))
    , m_newItem(newItem)
    , m_scroll(scroll)
    , m_list(new QListWidget)
    , m_stack(new QStackedWidget)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_list, 1);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add"));
    auto* duplicate = new QPushButton(tr("Duplicate"));
    auto* remove = new QPushButton(tr("Remove"));
    add->setToolTip(tr("Add a new %1").arg(noun));
    duplicate->setToolTip(tr("Add a copy of the selected %1").arg(noun));
    remove->setToolTip(tr("Remove the selected %1").arg(noun));
    buttons->addWidget(add);
    buttons->addWidget(duplicate);
    buttons->addWidget(remove);
    sideLayout->addLayout(buttons);
    splitter->addWidget(side);
    m_detail = new QStackedWidget;
    m_empty = new QLabel(tr("No %1 yet. Use Add to create one.").arg(noun));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setStyleSheet(QStringLiteral("color: #555;"));
    m_detail->addWidget(m_empty);
    m_detail->addWidget(m_stack);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 240, 1100 });
    m_list->setMinimumWidth(200);
    m_list->setWordWrap(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSpacing(2);

    connect(m_list, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_stack, &QStackedWidget::currentChanged, m_list, [this](int row) { m_list->setCurrentRow(row); });
    connect(add, &QPushButton::clicked, this, [this] {
        addItem(m_newItem, true);
        emit edited();
    });
    connect(duplicate, &QPushButton::clicked, this, [this] {
        const int row = m_list->currentRow();
        if (row < 0)
            return;
        QJsonValue copy = m_items[static_cast<std::size_t>(row)]->save();
        if (copy.isObject() && copy.toObject().value(QStringLiteral("name")).isString()) {
            QJsonObject object = copy.toObject();
            object.insert(QStringLiteral("name"), object.value(QStringLiteral("name")).toString() + "-copy");
            copy = object;
        }
        addItem(copy, true);
        emit edited();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_list->currentRow();
        if (row < 0)
            return;
        JsonEditor* editor = m_items[static_cast<std::size_t>(row)];
        m_items.erase(m_items.begin() + row);
        QWidget* page = m_stack->widget(row);
        m_stack->removeWidget(page);
        delete m_list->takeItem(row);
        page->deleteLater();
        Q_UNUSED(editor);
        refreshLabels();
        emit edited();
    });
}

void ListEditor::addItem(const QJsonValue& value, bool select)
{
    JsonEditor* editor = m_factory();
    editor->load(value);
    m_items.push_back(editor);
    QWidget* page = editor;
    if (m_scroll) {
        auto* scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        auto* content = new FormPage;
        auto* layout = new QVBoxLayout(content);
        layout->setContentsMargins(8, 4, 8, 8);
        layout->addWidget(editor);
        layout->addStretch(1);
        scroll->setWidget(content);
        page = scroll;
    }
    m_stack->addWidget(page);
    m_list->addItem(QString());
    connect(editor, &JsonEditor::edited, this, [this] {
        refreshLabels();
        emit edited();
    });
    refreshLabels();
    if (select)
        m_list->setCurrentRow(m_list->count() - 1);
}

void ListEditor::refreshLabels()
{
    m_detail->setCurrentWidget(m_items.empty() ? static_cast<QWidget*>(m_empty) : m_stack);
    for (int i = 0; i < m_list->count(); ++i) {
        const QString label = m_labeler(m_items[static_cast<std::size_t>(i)]->save(), i);
        if (m_list->item(i)->text() != label)
            m_list->item(i)->setText(label);
    }
}

void ListEditor::load(const QJsonValue& value)
{
    m_base = value;
    const int current = std::max(0, m_list->currentRow());
    m_list->clear();
    while (m_stack->count() > 0) {
        QWidget* page = m_stack->widget(0);
        m_stack->removeWidget(page);
        page->deleteLater();
    }
    m_items.clear();
    for (const auto& item : value.toArray())
        addItem(item, false);
    if (m_list->count() > 0)
        m_list->setCurrentRow(std::min(current, m_list->count() - 1));
}

QJsonValue ListEditor::save() const
{
    if (m_items.empty() && !m_base.isArray())
        return m_base;
    QJsonArray array;
    for (const auto* editor : m_items) {
        const QJsonValue value = editor->save();
        array.append(value.isUndefined() ? QJsonValue(QJsonObject()) : value);
    }
    return array;
}

QWidget* ListEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].index >= 0 && path[from].index < count())
        return m_items[static_cast<std::size_t>(path[from].index)]->widgetAt(path, from + 1);
    return m_list;
}

void ListEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#list"));
    m_list->setObjectName(path);
    for (std::size_t i = 0; i < m_items.size(); ++i)
        m_items[i]->assignPaths(path + QStringLiteral("[%1]").arg(i));
}

// ---- InlineListEditor ----

InlineListEditor::InlineListEditor(
    ListEditor::Factory factory, const QString& noun, const QJsonValue& newItem, QWidget* parent)
    : JsonEditor(parent)
    , m_factory(std::move(factory))
    , m_noun(noun)
    , m_newItem(newItem)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_itemsLayout = new QVBoxLayout;
    layout->addLayout(m_itemsLayout);
    auto* add = new QPushButton(tr("Add %1").arg(noun));
    add->setToolTip(tr("Add another %1").arg(noun));
    auto* row = new QHBoxLayout;
    row->addWidget(add);
    row->addStretch(1);
    layout->addLayout(row);
    connect(add, &QPushButton::clicked, this, [this] {
        addItem(m_newItem);
        emit edited();
    });
}

void InlineListEditor::addItem(const QJsonValue& value)
{
    auto* frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(frame);
    layout->setContentsMargins(8, 4, 8, 8);
    auto* header = new QHBoxLayout;
    auto* title = new QLabel(QStringLiteral("<b>%1 %2</b>").arg(m_noun).arg(m_items.size() + 1));
    auto* remove = new QPushButton(tr("Remove"));
    remove->setToolTip(tr("Remove this %1").arg(m_noun));
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(remove);
    layout->addLayout(header);
    JsonEditor* editor = m_factory();
    editor->load(value);
    layout->addWidget(editor);
    m_itemsLayout->addWidget(frame);
    m_items.push_back({ frame, editor });
    connect(editor, &JsonEditor::edited, this, &JsonEditor::edited);
    connect(remove, &QPushButton::clicked, this, [this, frame] {
        const auto it
            = std::find_if(m_items.begin(), m_items.end(), [frame](const auto& p) { return p.first == frame; });
        if (it == m_items.end())
            return;
        m_items.erase(it);
        frame->hide();
        frame->deleteLater();
        int n = 1;
        for (const auto& [f, e] : m_items)
            if (auto* label = f->findChild<QLabel*>())
                label->setText(QStringLiteral("<b>%1 %2</b>").arg(m_noun).arg(n++));
        emit edited();
    });
}

void InlineListEditor::load(const QJsonValue& value)
{
    m_base = value;
    for (auto& [frame, editor] : m_items) {
        frame->hide();
        frame->deleteLater();
    }
    m_items.clear();
    for (const auto& item : value.toArray())
        addItem(item);
}

QJsonValue InlineListEditor::save() const
{
    if (m_items.empty() && !m_base.isArray())
        return m_base;
    QJsonArray array;
    for (const auto& [frame, editor] : m_items) {
        const QJsonValue value = editor->save();
        array.append(value.isUndefined() ? QJsonValue(QJsonObject()) : value);
    }
    return array;
}

QWidget* InlineListEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    if (from < path.size() && path[from].index >= 0 && path[from].index < static_cast<int>(m_items.size()))
        return m_items[static_cast<std::size_t>(path[from].index)].second->widgetAt(path, from + 1);
    return this;
}

void InlineListEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#list"));
    for (std::size_t i = 0; i < m_items.size(); ++i)
        m_items[i].second->assignPaths(path + QStringLiteral("[%1]").arg(i));
}

} // namespace capsim::studio
