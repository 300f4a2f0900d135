#pragma once
// ScenarioEditor: forms for every part of a scenario (tables, workloads with rate and key
// previews, client, model, events) and a JSON tab kept in sync both ways; validation errors
// shown at the fields they concern. GUI thread only.

#include <QStringList>
#include <QWidget>

#include <memory>

namespace capsim::studio {

class ScenarioEditor : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioEditor(QWidget* parent = nullptr);
    ~ScenarioEditor() override;

    // The scenario as JSON text (scenario-format.md), from whichever tab was edited last.
    QString scenarioJson() const;
    // Loads a scenario; `baseDirectory` resolves its relative paths (trace files, pricing).
    void setScenarioJson(const QString& json, const QString& baseDirectory = QString());
    QString baseDirectory() const;
    // Validates the current scenario; shows each problem at its field and returns them
    // ("tables[0].provisioned.read: must be a number >= 1"), empty when valid.
    QStringList validate();

signals:
    void changed();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
