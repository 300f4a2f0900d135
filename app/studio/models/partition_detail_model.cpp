#include "app/studio/models/partition_detail_model.h"

#include "app/studio/models/display_format.h"

#include <algorithm>

namespace capsim::studio {

void PartitionDetailModel::setPartition(capsim::appcore::RunSnapshot run, int tableIndex, std::int64_t partition)
{
    const TableResult* table = run && tableIndex >= 0 && tableIndex < static_cast<int>(run->tables.size())
        ? &run->tables[static_cast<std::size_t>(tableIndex)]
        : nullptr;
    setPartition(std::move(run), table, partition);
}

void PartitionDetailModel::setPartition(capsim::appcore::RunSnapshot run, const TableResult* table, std::int64_t partition)
{
    beginResetModel();
    m_run = std::move(run);
    m_partition = partition;
    m_rows.clear();
    if (m_run && table) {
        for (const auto& pm : table->partitionMinutes) {
            if (pm.partition == partition)
                m_rows.push_back(&pm);
        }
        std::stable_sort(m_rows.begin(), m_rows.end(),
            [](const PartitionMinuteRow* a, const PartitionMinuteRow* b) { return a->minute < b->minute; });
    }
    endResetModel();
}

int PartitionDetailModel::rowOfMinute(std::int64_t minute) const
{
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), minute,
        [](const PartitionMinuteRow* r, std::int64_t m) { return r->minute < m; });
    return it != m_rows.end() && (*it)->minute == minute ? static_cast<int>(it - m_rows.begin()) : -1;
}

int PartitionDetailModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PartitionDetailModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionDetailModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_run)
        return {};
    const PartitionMinuteRow& r = minuteRow(index.row());
    double value = 0;
    switch (index.column()) {
    case TimeColumn: value = static_cast<double>(r.minute); break;
    case ConsumedReadColumn: value = r.consumedRead; break;
    case ConsumedWriteColumn: value = r.consumedWrite; break;
    case ThrottledReadColumn: value = static_cast<double>(r.throttledRead); break;
    case ThrottledWriteColumn: value = static_cast<double>(r.throttledWrite); break;
    case UtilisationColumn: value = r.limitUtilisation; break;
    case SizeColumn: value = static_cast<double>(r.sizeBytes); break;
    default: break;
    }
    if (role == ValueRole)
        return value;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn: return formatClock(value * 60, m_run->simulatedSeconds, false);
        case UtilisationColumn: return tr("%1 %").arg(formatNumber(value * 100, 1));
        case SizeColumn: return tr("%1 MB").arg(formatNumber(value / 1e6, 1));
        case ThrottledReadColumn:
        case ThrottledWriteColumn: return formatNumber(value, 0);
        default: return formatNumber(value, 2);
        }
    }
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant PartitionDetailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Minute");
    case ConsumedReadColumn: return tr("Read units/s");
    case ConsumedWriteColumn: return tr("Write units/s");
    case ThrottledReadColumn: return tr("Throttled reads");
    case ThrottledWriteColumn: return tr("Throttled writes");
    case UtilisationColumn: return tr("Utilisation");
    case SizeColumn: return tr("Size");
    default: return {};
    }
}

} // namespace capsim::studio
