#pragma once
// TotalsModel: the Compare view's table of totals, one column per compared run and one row per
// figure (requests, throttled, failed, consumed, unit-hours, partitions, cost per line, total),
// each summed over the run's tables. Runs are immutable snapshots swapped in whole. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

#include <vector>

namespace capsim::studio {

class TotalsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Row {
        RequestsReadRow,
        RequestsWriteRow,
        ThrottledReadRow,
        ThrottledWriteRow,
        FailedReadRow,
        FailedWriteRow,
        ConsumedReadRow,
        ConsumedWriteRow,
        UnitHoursReadRow,
        UnitHoursWriteRow,
        PartitionsRow,
        SplitsRow,
        CostReadRow,
        CostWriteRow,
        CostStorageRow,
        CostFreeTierRow,
        CostIndexesRow,
        CostDaxRow, // DAX node-hours (reference A10)
        CostReplicationRow, // global tables' replication (reference A11)
        CostTotalRow,
        RowCount
    };
    // The unformatted figure (double) behind a cell.
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    struct LabelledRun {
        QString label;
        capsim::appcore::RunSnapshot run;
    };
    void setRuns(std::vector<LabelledRun> runs);
    // The figure of `row` for one run, summed over its tables.
    static double value(const RunResult& run, Row row);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<LabelledRun> m_runs;
};

} // namespace capsim::studio
