#pragma once
// CostBreakdownModel: a run's cost per table by line item (read, write, storage, free tier,
// secondary indexes, the data features: streams, PITR, backups, restore, export, import), the table's total, each index's own row under its table ("Orders / byStatus",
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
        // The data features (reference A5, A8, A9); a page shows only those isColumnUsed().
        StreamsColumn,
        PitrColumn,
        BackupsColumn,
        RestoreColumn,
        ExportColumn,
        ImportColumn,
        // DAX node-hours and global-table replication (reference A10, A11); shown like the data
        // features, only when a table uses them.
        DaxColumn,
        ReplicationColumn,
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
    // Whether `row` is one region's share of a global table ("Orders @ eu-west-1", listed after
    // its table and indexes; the table's row covers every region, so not added to the Total).
    bool isRegionRow(int row) const;
    // "on-demand" for a provisioned table, "provisioned" for an on-demand one.
    static QString otherModeName(BillingMode mode);
    static QString modeName(BillingMode mode);
    // Whether `column` is a data-feature column (streams, PITR, backups, restore, export, import,
    // and the DAX and replication lines).
    static bool isDataFeatureColumn(int column);
    // Whether a data-feature column concerns the run: some table uses the feature or has a cost
    // on its line. Every other column is always used.
    bool isColumnUsed(int column) const;
    // A table's amount on a data-feature column (0 for the other columns).
    static double dataFeatureCost(const TableResult& table, int column);
    // Whether `table` uses the feature of a data-feature column.
    static bool usesDataFeature(const TableResult& table, int column);

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
        int region = -1; // regionViews() position for a region row
        QString regionName;
        CostBreakdown regionCost;
        const TableResult* regionTable = nullptr;
    };
    capsim::appcore::RunSnapshot m_run;
    std::vector<Entry> m_rows;
};

} // namespace capsim::studio
