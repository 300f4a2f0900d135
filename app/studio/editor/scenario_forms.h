#pragma once
// The forms of each part of a scenario (contracts/scenario-format.md), built from the
// json_form.h blocks: labels with units, tooltips quoting the format's meaning. GUI thread only.

#include "app/studio/editor/json_form.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QLineEdit;
class QVBoxLayout;

namespace capsim::studio {

// A key element {"name", "type": "S"|"N"|"B"} on one line.
class KeyElementEditor : public JsonEditor {
    Q_OBJECT
public:
    KeyElementEditor(bool optional, QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    ValueField* m_name;
    ChoiceField* m_type;
    bool m_optional;
    QJsonValue m_base;
};

// "eventual" | "strong" | {"strong": fraction}.
class ConsistencyEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit ConsistencyEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    void updateEnabled();

    QComboBox* m_mode;
    ValueField* m_fraction;
    QJsonValue m_base;
    int m_loadedMode = 0;
};

// The operation mix: one row per operation with its fraction (reads beside writes), and their sum.
class OperationsEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit OperationsEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    void updateSum();

    QList<QPair<QString, ValueField*>> m_fields;
    QLabel* m_sum;
    QWidget* m_box;
    QJsonValue m_base;
};

// `attributes`: name -> value distribution, one row each.
class AttributesEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit AttributesEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    struct Row {
        QWidget* frame;
        QLineEdit* name;
        ObjectForm* distribution;
    };
    void addRow(const QString& name, const QJsonValue& value);

    QVBoxLayout* m_rowsLayout;
    std::vector<Row> m_rows;
    QStringList m_loadedNames;
    QJsonValue m_base;
};

// An index's projection: "ALL" | "KEYS_ONLY" | {"include": [attribute names]}, absent = ALL.
class ProjectionEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit ProjectionEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

private:
    void updateEnabled();

    QComboBox* m_mode;
    ValueField* m_include;
    QJsonValue m_base;
    int m_loadedMode = 0;
};

// Factories of the scenario's forms.
// Point-in-time recovery: `false`, `true` or {"recoveryPeriodDays": 1..35}; absent is off.
class PitrEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit PitrEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;
    QComboBox* modeBox() const { return m_mode; }

private:
    void updateEnabled();

    QComboBox* m_mode;
    ValueField* m_days;
    QJsonValue m_base;
};

// tables[].dax (reference A10): a switch for the cluster and, when on, its node type (the A10
// list), node count (1-11), itemTtl and queryTtl. Switching it on writes the contract's example
// {"nodeType":"dax.r5.large","nodes":3}; off leaves the field out.
class DaxEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit DaxEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;
    QCheckBox* enabledBox() const { return m_enabled; }

private:
    void updateEnabled();

    QCheckBox* m_enabled;
    ObjectForm* m_form;
    QJsonValue m_base;
};

// A region name in an editable combo box offering `regions`; the first entry means absent (the
// default). A loaded name outside the list is kept and shown.
class RegionField : public JsonEditor {
    Q_OBJECT
public:
    RegionField(const QString& absentLabel, const QStringList& regions, QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;
    // Replaces the offered regions (keeping the current choice).
    void setRegions(const QStringList& regions);
    QComboBox* comboBox() const { return m_combo; }

private:
    QString m_absentLabel;
    QComboBox* m_combo;
    QJsonValue m_base;
};

// tables[].replicas (reference A11): the regions holding a replica besides the scenario's
// region, as a list with a region box, Add and Remove.
class RegionListEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit RegionListEditor(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;
    // Adds `region` (ignored when empty or already listed); true when added.
    bool addRegion(const QString& region);
    void removeRegion(int row);
    QListWidget* listWidget() const { return m_list; }
    QComboBox* regionBox() const { return m_region; }

private:
    QListWidget* m_list;
    QComboBox* m_region;
    QLabel* m_note;
    QJsonValue m_base;
};

// A workload's `dax` (true by default): a check box, checked = through the cluster.
class DaxUseField : public JsonEditor {
    Q_OBJECT
public:
    explicit DaxUseField(QWidget* parent = nullptr);
    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;
    QCheckBox* checkBox() const { return m_box; }

private:
    QCheckBox* m_box;
    QJsonValue m_base;
};

// A duration distribution ({"type":"fixed","duration":D}, uniform min/max, lognormal
// median/sigma), as workloads' ttlSeconds and consumers' processingTime take.
ObjectForm* makeDurationDistributionForm(const QString& title, const QString& defaultText);
// A stream consumer (streams.consumers[]) and the table's stream.
ObjectForm* makeStreamConsumerForm();
ObjectForm* makeStreamsForm();
ObjectForm* makeRatePatternForm(bool optional = false, const QString& title = {});
ObjectForm* makeKeysForm();
ObjectForm* makeSizeForm(bool count, const QString& title, const QString& defaultText);
ObjectForm* makeAutoScalingForm(const QString& title);
// A secondary index: `global` adds the GSI's partition key and capacity (provisioned, auto
// scaling, on demand); a local index has a sort key and a projection only.
ObjectForm* makeIndexForm(bool global);
// tables[].globalSecondaryIndexes / localSecondaryIndexes as a list with add, duplicate, remove.
JsonEditor* makeIndexListEditor(bool global);
ObjectForm* makeTableForm();
ObjectForm* makeWorkloadForm();
ObjectForm* makeEventForm();
ObjectForm* makeModelForm();
// name, description, duration, seed, region, pricing, freeTier, fidelity, client.
ObjectForm* makeGeneralForm();

} // namespace capsim::studio
