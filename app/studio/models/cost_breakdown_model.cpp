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

bool CostBreakdownModel::isDataFeatureColumn(int column)
{
    return column >= StreamsColumn && column <= ImportColumn;
}

double CostBreakdownModel::dataFeatureCost(const TableResult& table, int column)
{
    const CostBreakdown& c = table.cost;
    switch (column) {
    case StreamsColumn: return c.streams;
    case PitrColumn: return c.pitr;
    case BackupsColumn: return c.backups;
    case RestoreColumn: return c.restore;
    case ExportColumn: return c.dataExport;
    case ImportColumn: return c.dataImport;
    default: return 0.0;
    }
}

bool CostBreakdownModel::usesDataFeature(const TableResult& table, int column)
{
    const DataFeatureUse& u = table.uses;
    switch (column) {
    case StreamsColumn: return u.streams || table.streams.has_value();
    case PitrColumn: return u.pitr;
    case BackupsColumn: return u.backups || !table.backups.empty();
    case RestoreColumn: return u.restore || !table.restores.empty();
    case ExportColumn: return u.dataExport || !table.exports.empty();
    case ImportColumn: return u.dataImport || !table.imports.empty();
    default: return false;
    }
}

bool CostBreakdownModel::isColumnUsed(int column) const
{
    if (!isDataFeatureColumn(column))
        return true;
    if (!m_run)
        return false;
    for (const TableResult& t : m_run->tables)
        if (usesDataFeature(t, column) || dataFeatureCost(t, column) != 0.0)
            return true;
    return false;
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
        case StreamsColumn:
        case PitrColumn:
        case BackupsColumn:
        case RestoreColumn:
        case ExportColumn:
        case ImportColumn: return dataFeatureCost(t, column);
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
        if (isIndexRow(row) && (column == OtherModeCostColumn || isDataFeatureColumn(column) || column == DifferenceColumn || column == IndexesColumn))
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
        && !(indexRow && (column == OtherModeCostColumn || isDataFeatureColumn(column) || column == DifferenceColumn || column == IndexesColumn));
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
    if (role == Qt::ToolTipRole && isDataFeatureColumn(column)) {
        switch (column) {
        case StreamsColumn: return tr("Streams: GetRecords read request units of client consumers (Lambda triggers read free) and Kinesis change-data-capture units; the 2.5 M free units are in Free tier.");
        case PitrColumn: return tr("Point-in-time recovery: continuous backup storage, per GB-month of the table's size, accrued per second.");
        case BackupsColumn: return tr("On-demand backup storage, per GB-month of each backup's size, accrued per second.");
        case RestoreColumn: return tr("Restores (from a backup or to a point in time), per GB restored.");
        case ExportColumn: return tr("Exports to S3, per GB of the table (full) or of changed data (incremental).");
        case ImportColumn: return tr("Imports from S3, per GB of uncompressed source data.");
        default: break;
        }
    }
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
    case StreamsColumn: return tr("Streams");
    case PitrColumn: return tr("PITR");
    case BackupsColumn: return tr("Backups");
    case RestoreColumn: return tr("Restore");
    case ExportColumn: return tr("Export");
    case ImportColumn: return tr("Import");
    case TotalColumn: return tr("Total");
    case OtherModeColumn: return tr("Other mode");
    case OtherModeCostColumn: return tr("Same traffic, other mode");
    case DifferenceColumn: return tr("Difference");
    default: return {};
    }
}

} // namespace capsim::studio
