#include "app/studio/models/totals_model.h"

#include "simulator/explain.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace capsim::studio {

void TotalsModel::setRuns(std::vector<LabelledRun> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

double TotalsModel::value(const RunResult& run, Row row)
{
    double sum = 0;
    for (const auto& t : run.tables) {
        switch (row) {
        case RequestsReadRow: sum += static_cast<double>(t.requestsRead); break;
        case RequestsWriteRow: sum += static_cast<double>(t.requestsWrite); break;
        case ThrottledReadRow: sum += static_cast<double>(t.throttledRead); break;
        case ThrottledWriteRow: sum += static_cast<double>(t.throttledWrite); break;
        case FailedReadRow: sum += static_cast<double>(t.failedRead); break;
        case FailedWriteRow: sum += static_cast<double>(t.failedWrite); break;
        case ConsumedReadRow: sum += t.consumedRead; break;
        case ConsumedWriteRow: sum += t.consumedWrite; break;
        case UnitHoursReadRow: sum += t.provisionedUnitHoursRead; break;
        case UnitHoursWriteRow: sum += t.provisionedUnitHoursWrite; break;
        case PartitionsRow: sum += static_cast<double>(t.partitionsFinal); break;
        case SplitsRow: sum += static_cast<double>(t.splits); break;
        case CostReadRow: sum += t.cost.read; break;
        case CostWriteRow: sum += t.cost.write; break;
        case CostStorageRow: sum += t.cost.storage; break;
        case CostFreeTierRow: sum += t.cost.freeTier; break;
        case CostIndexesRow: sum += t.cost.indexes; break;
        case CostDaxRow: sum += t.cost.dax; break;
        case CostReplicationRow: sum += t.cost.replication; break;
        case CostTotalRow: sum += t.cost.total(); break;
        case RowCount: break;
        }
    }
    return sum;
}

int TotalsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : RowCount;
}

int TotalsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

QVariant TotalsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= RowCount || index.column() >= columnCount())
        return {};
    const auto row = static_cast<Row>(index.row());
    const auto& run = *m_runs[static_cast<std::size_t>(index.column())].run;
    const double v = value(run, row);
    switch (role) {
    case ValueRole: return v;
    case Qt::DisplayRole:
        if (row >= CostReadRow)
            return QString::fromStdString(formatUsd(v));
        if (row == ConsumedReadRow || row == ConsumedWriteRow)
            return QString::fromStdString(formatGrouped(v, 0));
        if (row == UnitHoursReadRow || row == UnitHoursWriteRow)
            return QString::fromStdString(formatGrouped(v, 2));
        return QString::fromStdString(formatGrouped(v, 0));
    case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (row == CostTotalRow) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        if ((row == ThrottledReadRow || row == ThrottledWriteRow || row == FailedReadRow || row == FailedWriteRow)
            && v > 0)
            return QBrush(QColor(0xb0, 0x24, 0x18));
        return {};
    default: return {};
    }
}

QVariant TotalsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < columnCount() ? m_runs[static_cast<std::size_t>(section)].label : QVariant();
    static const char* const names[RowCount] = { "Read requests", "Write requests", "Throttled reads",
        "Throttled writes", "Failed reads", "Failed writes", "Consumed read units", "Consumed write units",
        "Provisioned RCU-hours", "Provisioned WCU-hours", "Partitions at the end", "Splits", "Cost: reads",
        "Cost: writes", "Cost: storage", "Cost: free tier", "Cost: indexes", "Cost: DAX", "Cost: replication",
        "Total cost" };
    return section >= 0 && section < RowCount ? tr(names[section]) : QVariant();
}

} // namespace capsim::studio
