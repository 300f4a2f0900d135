#include "app/studio/models/cost_breakdown_model.h"

#include "app/studio/models/display_format.h"

#include <QColor>
#include <QFont>

namespace capsim::studio {

void CostBreakdownModel::setRun(capsim::appcore::RunSnapshot run)
{
    beginResetModel();
    m_run = std::move(run);
    m_rows.clear();
    if (m_run) {
        for (std::size_t t = 0; t < m_run->tables.size(); ++t) {
            m_rows.push_back({ t, -1 });
            for (std::size_t i = 0; i < m_run->tables[t].indexes.size(); ++i)
                m_rows.push_back({ t, static_cast<int>(i) });
        }
    }
    endResetModel();
}

bool CostBreakdownModel::isTotalRow(int row) const
{
    return m_run && m_run->tables.size() > 1 && row == static_cast<int>(m_rows.size());
}

bool CostBreakdownModel::isIndexRow(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) && m_rows[static_cast<std::size_t>(row)].index >= 0;
}

const TableResult* CostBreakdownModel::rowTable(int row) const
{
    if (!m_run || row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    const Entry& e = m_rows[static_cast<std::size_t>(row)];
    const TableResult& table = m_run->tables.at(e.table);
    return e.index < 0 ? &table : &table.indexes.at(static_cast<std::size_t>(e.index));
}

QString CostBreakdownModel::modeName(BillingMode mode)
{
    return mode == BillingMode::Provisioned ? tr("provisioned") : tr("on-demand");
}

QString CostBreakdownModel::otherModeName(BillingMode mode)
{
    return modeName(mode == BillingMode::Provisioned ? BillingMode::PayPerRequest : BillingMode::Provisioned);
}

int CostBreakdownModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_run)
        return 0;
    const int rows = static_cast<int>(m_rows.size());
    return m_run->tables.size() > 1 ? rows + 1 : rows;
}

int CostBreakdownModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double CostBreakdownModel::amount(int row, int column) const
{
    const auto of = [column](const TableResult& t) {
        switch (column) {
        case ReadColumn: return t.cost.read;
        case WriteColumn: return t.cost.write;
        case StorageColumn: return t.cost.storage;
        case FreeTierColumn: return t.cost.freeTier;
        case IndexesColumn: return t.cost.indexes;
        case TotalColumn: return t.cost.total();
        case OtherModeCostColumn: return t.alternativeModeCost;
        case DifferenceColumn: return t.alternativeModeCost - t.cost.total();
        default: return 0.0;
        }
    };
    if (!isTotalRow(row)) {
        const TableResult* t = rowTable(row);
        if (!t)
            return 0.0;
        if (isIndexRow(row) && (column == OtherModeCostColumn || column == DifferenceColumn || column == IndexesColumn))
            return 0.0;
        return of(*t);
    }
    double sum = 0;
    for (const auto& t : m_run->tables)
        sum += of(t);
    return sum;
}

QVariant CostBreakdownModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_run)
        return {};
    const int row = index.row();
    const int column = index.column();
    const bool total = isTotalRow(row);
    const bool indexRow = isIndexRow(row);
    const bool money = column >= ReadColumn && column != OtherModeColumn
        && !(indexRow && (column == OtherModeCostColumn || column == DifferenceColumn || column == IndexesColumn));
    if (role == Qt::DisplayRole) {
        if (money) {
            const double value = amount(row, column);
            const QString text = formatMoney(value, QString::fromStdString(m_run->currency));
            return column == DifferenceColumn && value > 0 ? QStringLiteral("+") + text : text;
        }
        if (total)
            return column == TableColumn ? tr("Total") : QString();
        const TableResult* t = rowTable(row);
        if (!t)
            return {};
        if (indexRow) {
            const TableResult& base = m_run->tables.at(m_rows[static_cast<std::size_t>(row)].table);
            if (column == TableColumn)
                return QStringLiteral("    ") + QString::fromStdString(base.name) + QStringLiteral(" / ")
                    + QString::fromStdString(t->name);
            if (column == ModeColumn)
                return t->indexKind == IndexKind::Local ? tr("LSI") : tr("GSI, %1").arg(modeName(t->billingMode));
            return {};
        }
        if (column == TableColumn)
            return QString::fromStdString(t->name);
        if (column == ModeColumn)
            return modeName(t->billingMode);
        if (column == OtherModeColumn)
            return otherModeName(t->billingMode);
        return {};
    }
    if (role == ValueRole && money)
        return amount(row, column);
    if (role == Qt::TextAlignmentRole && money)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && (total || column == TotalColumn)) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ForegroundRole && indexRow)
        return QColor(0x44, 0x44, 0x66);
    if (role == Qt::ToolTipRole && indexRow)
        return tr("The index's own capacity and storage; already counted in its table's Indexes item and total.");
    if (role == Qt::ToolTipRole && column == IndexesColumn)
        return tr("The table's secondary indexes: GSI capacity and all index storage (included in the total).");
    if (role == Qt::ToolTipRole && (column == OtherModeCostColumn || column == DifferenceColumn))
        return tr("What the same traffic would have cost in the other capacity mode (provisioned at the capacity "
                  "in force vs on-demand request units), and how much more (positive) or less (negative) that is.");
    return {};
}

QVariant CostBreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TableColumn: return tr("Table");
    case ModeColumn: return tr("Mode");
    case ReadColumn: return tr("Read");
    case WriteColumn: return tr("Write");
    case StorageColumn: return tr("Storage");
    case FreeTierColumn: return tr("Free tier");
    case IndexesColumn: return tr("Indexes");
    case TotalColumn: return tr("Total");
    case OtherModeColumn: return tr("Other mode");
    case OtherModeCostColumn: return tr("Same traffic, other mode");
    case DifferenceColumn: return tr("Difference");
    default: return {};
    }
}

} // namespace capsim::studio
