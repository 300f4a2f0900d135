#pragma once
// WorkloadEditor: the form of one workload beside its two live previews (rate over the run, keys
// over partitions). The previews are recomputed by updatePreviews() from the whole scenario,
// since they depend on its duration, seed, model and target table. GUI thread only.

#include "app/studio/editor/json_form.h"

class QLabel;

namespace capsim::studio {

class ObjectForm;
class RatePreviewChart;
class PartitionPreviewChart;

class WorkloadEditor : public JsonEditor {
    Q_OBJECT
public:
    explicit WorkloadEditor(QWidget* parent = nullptr);

    void load(const QJsonValue& value) override;
    QJsonValue save() const override;
    QWidget* widgetAt(const JsonPath& path, qsizetype from) override;
    void assignPaths(const QString& path) override;

    // Recomputes both previews for this workload, workloads[index] of `scenario`.
    void updatePreviews(const QJsonObject& scenario, int index, const QString& baseDirectory);

    RatePreviewChart* ratePreview() const { return m_rate; }
    PartitionPreviewChart* partitionPreview() const { return m_partitions; }

    // The workload's `region` offers the scenario's region and its table's replicas; `region` and
    // `dax` are shown only when the table has replicas / a DAX cluster (or the workload sets them).
    void updateTableOptions(const QJsonObject& scenario, const QJsonObject& workload);

private:
    ObjectForm* m_form;
    RatePreviewChart* m_rate;
    PartitionPreviewChart* m_partitions;
    QLabel* m_partitionNote;
};

} // namespace capsim::studio
