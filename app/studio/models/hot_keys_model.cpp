#include "app/studio/models/hot_keys_model.h"

#include "app/studio/models/display_format.h"

namespace capsim::studio {

void HotKeysModel::setTable(capsim::appcore::RunSnapshot run, int tableIndex)
{
    beginResetModel();
    m_run = std::move(run);
    m_table = m_run && tableIndex >= 0 && tableIndex < static_cast<int>(m_run->tables.size())
        ? &m_run->tables[static_cast<std::size_t>(tableIndex)]
        : nullptr;
    endResetModel();
}

void HotKeysModel::setTable(capsim::appcore::RunSnapshot run, const TableResult* table)
{
    beginResetModel();
    m_run = std::move(run);
    m_table = m_run ? table : nullptr;
    endResetModel();
}

int HotKeysModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : static_cast<int>(m_table->hottestKeys.size());
}

int HotKeysModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HotKeysModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_table)
        return {};
    const HotKey& k = m_table->hottestKeys.at(static_cast<std::size_t>(index.row()));
    if (role == Qt::DisplayRole || role == ValueRole) {
        switch (index.column()) {
        case KeyColumn: return QString::fromStdString(k.key);
        case RequestsColumn:
            return role == ValueRole ? QVariant(static_cast<qlonglong>(k.requests))
                                     : QVariant(formatNumber(static_cast<double>(k.requests), 0));
        case ThrottledColumn:
            return role == ValueRole ? QVariant(static_cast<qlonglong>(k.throttled))
                                     : QVariant(formatNumber(static_cast<double>(k.throttled), 0));
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != KeyColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant HotKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn: return tr("Hottest keys");
    case RequestsColumn: return tr("Requests");
    case ThrottledColumn: return tr("Throttled");
    default: return {};
    }
}

} // namespace capsim::studio
