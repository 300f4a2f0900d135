#pragma once
// LatencyModel: a run's latency percentiles per class ("read", "write") and per operation:
// requests, p50, p90, p99, p99.9 and max in milliseconds. Classes come first, then operations by
// name. The snapshot is swapped in whole. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

#include <string>
#include <vector>

namespace capsim::studio {

class LatencyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, CountColumn, P50Column, P90Column, P99Column, P999Column, MaxColumn, ColumnCount };
    // The unformatted value of a number column (double milliseconds, or the count).
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    void setRun(capsim::appcore::RunSnapshot run);
    // The latency map key shown in `row` ("read", "write", "GetItem", ...).
    std::string keyAt(int row) const { return m_keys.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    capsim::appcore::RunSnapshot m_run;
    std::vector<std::string> m_keys;
};

} // namespace capsim::studio
