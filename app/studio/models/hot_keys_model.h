#pragma once
// HotKeysModel: a table's hottest partition keys in a run: key, requests, throttled requests.
// The snapshot is swapped in whole (with the table to show). GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

namespace capsim::studio {

class HotKeysModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KeyColumn, RequestsColumn, ThrottledColumn, ColumnCount };
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    // Shows run->tables[tableIndex]'s hottest keys (an empty model when absent).
    void setTable(capsim::appcore::RunSnapshot run, int tableIndex);
    // A table or secondary index of `run` (nullptr for none).
    void setTable(capsim::appcore::RunSnapshot run, const TableResult* table);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    capsim::appcore::RunSnapshot m_run;
    const TableResult* m_table = nullptr;
};

} // namespace capsim::studio
