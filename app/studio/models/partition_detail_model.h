#pragma once
// PartitionDetailModel: one partition's minutes in a run: time, consumed read and write units/s,
// throttled reads and writes, limit utilisation and size. The snapshot is swapped in whole (with
// the table and partition to show). GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace capsim::studio {

class PartitionDetailModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ConsumedReadColumn,
        ConsumedWriteColumn,
        ThrottledReadColumn,
        ThrottledWriteColumn,
        UtilisationColumn,
        SizeColumn,
        ColumnCount
    };
    // The unformatted value (minute for TimeColumn, utilisation as a fraction).
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    // Shows partition `partition` of run->tables[tableIndex] (an empty model when either is absent).
    void setPartition(capsim::appcore::RunSnapshot run, int tableIndex, std::int64_t partition);
    // The partition of a table or secondary index of `run`.
    void setPartition(capsim::appcore::RunSnapshot run, const TableResult* table, std::int64_t partition);
    std::int64_t partition() const { return m_partition; }
    // The row of the run shown in `row`.
    const PartitionMinuteRow& minuteRow(int row) const { return *m_rows.at(static_cast<std::size_t>(row)); }
    // The model row showing `minute`, or -1.
    int rowOfMinute(std::int64_t minute) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    capsim::appcore::RunSnapshot m_run;
    std::int64_t m_partition = -1;
    std::vector<const PartitionMinuteRow*> m_rows;
};

} // namespace capsim::studio
