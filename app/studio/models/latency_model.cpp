#include "app/studio/models/latency_model.h"

#include "app/studio/models/display_format.h"

#include <QFont>

namespace capsim::studio {

void LatencyModel::setRun(capsim::appcore::RunSnapshot run)
{
    beginResetModel();
    m_run = std::move(run);
    m_keys.clear();
    if (m_run) {
        for (const char* cls : { "read", "write" }) {
            if (m_run->latency.count(cls))
                m_keys.emplace_back(cls);
        }
        for (const auto& [key, summary] : m_run->latency) {
            if (key != "read" && key != "write")
                m_keys.push_back(key);
        }
    }
    endResetModel();
}

int LatencyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_keys.size());
}

int LatencyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LatencyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_run)
        return {};
    const std::string& key = m_keys.at(static_cast<std::size_t>(index.row()));
    const LatencySummary& s = m_run->latency.at(key);
    const bool isClass = key == "read" || key == "write";
    double value = 0;
    switch (index.column()) {
    case CountColumn: value = static_cast<double>(s.count); break;
    case P50Column: value = s.p50Ms; break;
    case P90Column: value = s.p90Ms; break;
    case P99Column: value = s.p99Ms; break;
    case P999Column: value = s.p999Ms; break;
    case MaxColumn: value = s.maxMs; break;
    default: break;
    }
    if (role == Qt::DisplayRole) {
        if (index.column() == NameColumn)
            return isClass ? tr("all %1s").arg(QString::fromStdString(key)) : QString::fromStdString(key);
        if (index.column() == CountColumn)
            return formatNumber(value, 0);
        return formatNumber(value, value < 10 ? 2 : 1);
    }
    if (role == ValueRole && index.column() != NameColumn)
        return value;
    if (role == Qt::TextAlignmentRole && index.column() != NameColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && isClass) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return {};
}

QVariant LatencyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Class / operation");
    case CountColumn: return tr("Requests");
    case P50Column: return tr("p50 (ms)");
    case P90Column: return tr("p90 (ms)");
    case P99Column: return tr("p99 (ms)");
    case P999Column: return tr("p99.9 (ms)");
    case MaxColumn: return tr("max (ms)");
    default: return {};
    }
}

} // namespace capsim::studio
