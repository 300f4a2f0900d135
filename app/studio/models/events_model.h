#pragma once
// EventsModel: a run's events (scaling actions, capacity changes, splits, applied and refused
// scenario events, throttle episodes, mode switches) as a table: time, table, kind, detail. The
// snapshot is swapped in whole. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

namespace capsim::studio {

class EventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, TableColumn, KindColumn, DetailColumn, ColumnCount };
    // The event's time in seconds (TimeColumn) or its raw kind (KindColumn).
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    void setRun(capsim::appcore::RunSnapshot run);
    // The event shown in `row` (precondition: a valid row).
    const RunEvent& event(int row) const;
    // The text shown for an event with no table (it applies to every table).
    static QString allTablesText();

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    capsim::appcore::RunSnapshot m_run;
};

} // namespace capsim::studio
