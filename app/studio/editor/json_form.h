#pragma once
// Form building blocks that edit one part of a JSON document in place: each editor loads a
// JSON value, shows it in widgets, and saves it back as that value with only the fields it owns
// overwritten, so unknown and "x-" fields survive. A field whose text was not edited saves its
// original JSON value (a "15m" stays "15m", never 900). GUI thread only; editors are owned by
// their parent widgets.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QStackedWidget;
class QVBoxLayout;

namespace capsim::studio {

// One step of a JSON path: an object key, or an array index (key empty).
struct JsonPathStep {
    QString key;
    int index = -1;
};
using JsonPath = QList<JsonPathStep>;

// "tables[0].provisioned.read" -> tables, [0], provisioned, read. An empty text is the root.
JsonPath parseJsonPath(const QString& path);
// The shortest text of a JSON number: integers without a fraction, others round-trip exact.
QString formatJsonNumber(double value);
// Readable JSON: scenario keys in a familiar order ("format", "name", "type" first), small objects
// and arrays on one line.
QString prettyJson(const QJsonValue& value);
// A compact one-line rendering.
QString compactJson(const QJsonValue& value);

// The content of a scroll area holding a form: never squeezed below its natural height, so the
// area scrolls instead of crushing rows.
class FormPage : public QWidget {
public:
    using QWidget::QWidget;
    QSize minimumSizeHint() const override;
};

// Base of every editor of a JSON subtree.
class JsonEditor : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // Shows `value` (undefined when the field is absent) and remembers it as the base to save onto.
    virtual void load(const QJsonValue& value) = 0;
    // The value to write back; undefined means "leave the field out".
    virtual QJsonValue save() const = 0;
    // The input widget of the field at path[from..], or the closest enclosing widget.
    virtual QWidget* widgetAt(const JsonPath& path, qsizetype from);
    // Names input widgets after their JSON path ("tables[0].provisioned.read"), for tests and
    // for locating a field.
    virtual void assignPaths(const QString& path);

signals:
    void edited();
};

// A scalar or small list in a line edit.
class ValueField : public JsonEditor {
    Q_OBJECT
public:
    enum class Kind {
        Text, // always a string
        Number, // a number when the text is one, else the text as a string (the loader says why)
        Duration, // number of seconds or "15m"; stored as typed
        Size, // bytes or "4KB"; stored as typed
        Names, // comma-separated strings -> array of strings
        Values, // comma-separated JSON values ("gold", 3) -> array
        Json, // any JSON, compact
    };
    ValueField(Kind kind, const QString& placeholder = {}, const QString& unit = {}, QWidget* parent = nullptr);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

    QLineEdit* lineEdit() const { return m_edit; }

private:
    QString toText(const QJsonValue& value) const;
    QJsonValue fromText(const QString& text) const;

    Kind m_kind;
    QLineEdit* m_edit;
    QJsonValue m_loaded;
    QString m_loadedText;
};

// Multi-line text (a description).
class TextAreaField : public JsonEditor {
    Q_OBJECT
public:
    explicit TextAreaField(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    QPlainTextEdit* m_edit;
    QJsonValue m_loaded;
    QString m_loadedText;
};

// One of a fixed set of values in a combo box; the first entry means "absent" (the default, or
// "not set" for a required field). A loaded value outside the set is kept as an extra entry.
class ChoiceField : public JsonEditor {
    Q_OBJECT
public:
    struct Option {
        QJsonValue value;
        QString label;
    };
    ChoiceField(const QList<Option>& options, const QString& absentLabel, QWidget* parent = nullptr);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

    QComboBox* comboBox() const { return m_combo; }
    // The chosen value as text ("" when absent).
    QString currentText() const;

private:
    void rebuild(const QJsonValue& extra);

    QList<Option> m_options;
    QString m_absentLabel;
    QComboBox* m_combo;
    QList<QJsonValue> m_values;
};

// A JSON object as a form: rows of labelled fields and nested sections. Optionally typed by one
// of its fields (a rate pattern's "type"): rows of other types are hidden, and dropped from the
// saved object only when the type was changed.
class ObjectForm : public JsonEditor {
    Q_OBJECT
public:
    // `title` non-empty frames the form in a group box. An optional form saves as absent when
    // all its fields are empty.
    explicit ObjectForm(const QString& title = {}, bool optional = true, QWidget* parent = nullptr);

    // A labelled row. `types` limits the row to those values of the type field.
    JsonEditor* addField(const QString& key, const QString& label, JsonEditor* editor, const QString& toolTip,
        const QStringList& types = {});
    // A full-width row (a nested form).
    JsonEditor* addSection(const QString& key, JsonEditor* editor, const QStringList& types = {});
    // Nested forms side by side in one full-width row.
    void addSectionsSideBySide(const QList<QPair<QString, JsonEditor*>>& sections, const QStringList& types = {});
    // A row that shows something but owns no field.
    void addInfoRow(const QString& label, QWidget* widget);
    // Makes the field `key` (added with addField) the type that selects visible rows.
    void setTypeField(const QString& key);
    QString currentType() const;
    // Hides (or shows again) the rows of `key` whatever the type, e.g. a workload's DAX switch
    // while its table has no cluster; a hidden row still saves its value.
    void setRowHidden(const QString& key, bool hidden);
    bool isRowHidden(const QString& key) const { return m_hiddenKeys.contains(key); }
    // A short explanation shown at the top of the form.
    void setIntro(const QString& text);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

    // Writes the owned fields onto `object` (the root form shares the scenario object).
    QJsonObject mergeInto(QJsonObject object) const;
    JsonEditor* child(const QString& key) const;

private:
    struct Row {
        QString key;
        JsonEditor* editor = nullptr;
        QWidget* rowWidget = nullptr; // the row's field (or its side-by-side container)
        QStringList types;
        QWidget* label = nullptr;
    };
    bool isRelevant(const Row& row) const;
    void updateVisibility();

    QGroupBox* m_box = nullptr;
    QLabel* m_intro = nullptr;
    QFormLayout* m_layout;
    std::vector<Row> m_rows;
    QString m_typeKey;
    QStringList m_hiddenKeys;
    bool m_optional;
    QJsonValue m_base;
};

// An array of objects as a list beside the selected item's editor, with add, duplicate and
// remove. `label` names a list entry from its saved value.
class ListEditor : public JsonEditor {
    Q_OBJECT
public:
    using Factory = std::function<JsonEditor*()>;
    using Labeler = std::function<QString(const QJsonValue& item, int index)>;
    ListEditor(Factory factory, Labeler labeler, const QString& noun, const QJsonValue& newItem, bool scroll,
        QWidget* parent = nullptr);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

    int count() const { return static_cast<int>(m_items.size()); }
    JsonEditor* item(int index) const { return m_items.at(static_cast<std::size_t>(index)); }
    QListWidget* listWidget() const { return m_list; }

private:
    void addItem(const QJsonValue& value, bool select);
    void refreshLabels();

    Factory m_factory;
    Labeler m_labeler;
    QJsonValue m_newItem;
    bool m_scroll;
    QListWidget* m_list;
    QStackedWidget* m_stack;
    QStackedWidget* m_detail = nullptr;
    QLabel* m_empty = nullptr;
    std::vector<JsonEditor*> m_items;
    QJsonValue m_base;
};

// An array of objects edited inline, one framed editor under the other (the parts of a sum).
class InlineListEditor : public JsonEditor {
    Q_OBJECT
public:
    InlineListEditor(
        ListEditor::Factory factory, const QString& noun, const QJsonValue& newItem, QWidget* parent = nullptr);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    void addItem(const QJsonValue& value);

    ListEditor::Factory m_factory;
    QString m_noun;
    QJsonValue m_newItem;
    QVBoxLayout* m_itemsLayout;
    std::vector<std::pair<QWidget*, JsonEditor*>> m_items;
    QJsonValue m_base;
};

} // namespace capsim::studio
