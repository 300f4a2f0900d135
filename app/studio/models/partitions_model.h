#pragma once
// PartitionsModel: an engine table's partitions as a table: id, hash range (hex, inclusive), item
// count, item bytes and billable bytes. A copy of the partition list is swapped in whole. GUI thread only.

#include "engine/table.h"

#include <QAbstractTableModel>

#include <vector>

namespace capsim::studio {

class PartitionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        HashLowColumn,
        HashHighColumn,
        ItemsColumn,
        ItemBytesColumn,
        BillableBytesColumn,
        ColumnCount
    };
    // The unformatted value (qint64 / quint64) behind a cell.
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    void setPartitions(std::vector<Partition> partitions);
    // "0x" and 16 hex digits.
    static QString hashText(std::uint64_t hash);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Partition> m_partitions;
};

} // namespace capsim::studio
