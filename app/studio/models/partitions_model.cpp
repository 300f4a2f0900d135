#include "app/studio/models/partitions_model.h"

#include "simulator/explain.h"

#include <QFontDatabase>

namespace capsim::studio {

void PartitionsModel::setPartitions(std::vector<Partition> partitions)
{
    beginResetModel();
    m_partitions = std::move(partitions);
    endResetModel();
}

QString PartitionsModel::hashText(std::uint64_t hash)
{
    return QStringLiteral("0x%1").arg(static_cast<qulonglong>(hash), 16, 16, QLatin1Char('0'));
}

int PartitionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_partitions.size());
}

int PartitionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& p = m_partitions[static_cast<std::size_t>(index.row())];
    if (role == ValueRole) {
        switch (index.column()) {
        case IdColumn: return qint64(p.id);
        case HashLowColumn: return quint64(p.hashLow);
        case HashHighColumn: return quint64(p.hashHigh);
        case ItemsColumn: return qint64(p.itemCount);
        case ItemBytesColumn: return qint64(p.itemBytes);
        case BillableBytesColumn: return qint64(p.billableBytes());
        default: return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case IdColumn: return QString::number(p.id);
        case HashLowColumn: return hashText(p.hashLow);
        case HashHighColumn: return hashText(p.hashHigh);
        case ItemsColumn: return QString::fromStdString(formatCount(p.itemCount));
        case ItemBytesColumn: return QString::fromStdString(formatCount(p.itemBytes));
        case BillableBytesColumn: return QString::fromStdString(formatCount(p.billableBytes()));
        default: return {};
        }
    }
    if (role == Qt::FontRole && (index.column() == HashLowColumn || index.column() == HashHighColumn))
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role == Qt::TextAlignmentRole)
        return int(
            (index.column() == HashLowColumn || index.column() == HashHighColumn ? Qt::AlignLeft : Qt::AlignRight)
            | Qt::AlignVCenter);
    return {};
}

QVariant PartitionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    static const char* const names[ColumnCount]
        = { "Partition", "Hash from", "Hash to (inclusive)", "Items", "Item bytes", "Billable bytes" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace capsim::studio
