#include "app/studio/models/cost_breakdown_model.h"

#include "app/studio/models/display_format.h"
#include "app/studio/models/global_tables.h"

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
            m_rows.push_back(Entry { t, -1, -1, {}, {}, nullptr });
            for (std::size_t i = 0; i < m_run->tables[t].indexes.size(); ++i)
                m_rows.push_back(Entry { t, static_cast<int>(i), -1, {}, {}, nullptr });
            if (hasReplicas(m_run->tables[t])) {
                const std::string home = m_run->pricingLabel.substr(0, m_run->pricingLabel.find(' '));
                const auto views = regionViews(m_run->tables[t], home.empty() ? std::string("us-east-1") : home);
                for (std::size_t r = 0; r < views.size(); ++r) {
                    Entry e;
                    e.table = t;
                    e.region = static_cast<int>(r);
                    e.regionName = QString::fromStdString(views[r].region);
                    e.regionCost = views[r].cost;
                    e.regionTable = views[r].table;
                    m_rows.push_back(e);
                }
            }
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

bool CostBreakdownModel::isRegionRow(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) && m_rows[static_cast<std::size_t>(row)].region >= 0;
}

const TableResult* CostBreakdownModel::rowTable(int row) const
{
    if (!m_run || row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    const Entry& e = m_rows[static_cast<std::size_t>(row)];
    const TableResult& table = m_run->tables.at(e.table);
    if (e.region >= 0)
        return e.regionTable;
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
    return column >= StreamsColumn && column <= ReplicationColumn;
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
    case DaxColumn: return c.dax;
    case ReplicationColumn: return c.replication;
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
    case DaxColumn: return u.dax || table.dax.has_value();
    case ReplicationColumn: return u.replication || hasReplicas(table);
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
        case ImportColumn:
        case DaxColumn:
        case ReplicationColumn: return dataFeatureCost(t, column);
        case TotalColumn: return t.cost.total();
        case OtherModeCostColumn: return t.alternativeModeCost;
        case DifferenceColumn: return t.alternativeModeCost - t.cost.total();
        default: return 0.0;
        }
    };
    if (isRegionRow(row)) {
        // The region's own share (the table's row covers the whole global table).
        TableResult share;
        share.cost = m_rows[static_cast<std::size_t>(row)].regionCost;
        if (column == OtherModeCostColumn || column == DifferenceColumn)
            return 0.0;
        return of(share);
    }
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
    const bool regionRow = isRegionRow(row);
    const bool money = column >= ReadColumn && column != OtherModeColumn
        && !(indexRow && (column == OtherModeCostColumn || isDataFeatureColumn(column) || column == DifferenceColumn || column == IndexesColumn))
        && !(regionRow && (column == OtherModeCostColumn || column == DifferenceColumn));
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
        if (regionRow) {
            const Entry& e = m_rows[static_cast<std::size_t>(row)];
            const TableResult& base = m_run->tables.at(e.table);
            if (column == TableColumn)
                return QStringLiteral("    ") + QString::fromStdString(base.name) + QStringLiteral(" @ ") + e.regionName;
            if (column == ModeColumn)
                return e.region == 0 ? tr("region of the table") : tr("replica");
            return {};
        }
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
    if (role == Qt::ForegroundRole && (indexRow || regionRow))
        return QColor(0x44, 0x44, 0x66);
    if (role == Qt::ToolTipRole && regionRow)
        return tr("This region's own share of the global table: its local writes in Write, the changes replication "
                  "applied to it (replicated write units and cross-region transfer) in Replication. Already counted in "
                  "the table's row.");
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
        case DaxColumn: return tr("DAX: node-hours of the table's cluster (every started hour × nodes × the node type's price).");
        case ReplicationColumn: return tr("Global tables: replicated write units the other replicas pay for each write, and the cross-region transfer per GB.");
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
    case DaxColumn: return tr("DAX");
    case ReplicationColumn: return tr("Replication");
    case TotalColumn: return tr("Total");
    case OtherModeColumn: return tr("Other mode");
    case OtherModeCostColumn: return tr("Same traffic, other mode");
    case DifferenceColumn: return tr("Difference");
    default: return {};
    }
}

} // namespace capsim::studio
