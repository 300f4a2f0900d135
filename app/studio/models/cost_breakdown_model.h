#pragma once
// CostBreakdownModel: a run's cost per table by line item (read, write, storage, free tier,
// secondary indexes), the table's total, each index's own row under its table ("Orders / byStatus",
// its capacity and storage; already part of the table's Indexes item), and what the same traffic would have cost in the other capacity mode, with a
// Total row when there are several tables. The snapshot is swapped in whole. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QAbstractTableModel>

namespace capsim::studio {

class CostBreakdownModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TableColumn,
        ModeColumn,
        ReadColumn,
        WriteColumn,
        StorageColumn,
        FreeTierColumn,
        IndexesColumn,
        TotalColumn,
        OtherModeColumn,
        OtherModeCostColumn,
        DifferenceColumn,
        ColumnCount
    };
    // The unformatted amount of a money column (double).
    static constexpr int ValueRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    void setRun(capsim::appcore::RunSnapshot run);
    // Whether `row` is the Total row (shown after the tables when there are two or more).
    bool isTotalRow(int row) const;
    // Whether `row` is a secondary index's row (listed after its table; not added to the Total).
    bool isIndexRow(int row) const;
    // "on-demand" for a provisioned table, "provisioned" for an on-demand one.
    static QString otherModeName(BillingMode mode);
    static QString modeName(BillingMode mode);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    double amount(int row, int column) const;
    const TableResult* rowTable(int row) const;

    struct Entry {
        std::size_t table = 0;
        int index = -1;
    };
    capsim::appcore::RunSnapshot m_run;
    std::vector<Entry> m_rows;
};

} // namespace capsim::studio
