#include "app/studio/models/events_model.h"

#include "app/studio/models/display_format.h"

#include <QBrush>
#include <QColor>

namespace capsim::studio {

namespace {

QString kindText(const RunEvent& e)
{
    const std::string_view name = eventKindName(e.kind);
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

} // namespace

void EventsModel::setRun(capsim::appcore::RunSnapshot run)
{
    beginResetModel();
    m_run = std::move(run);
    endResetModel();
}

const RunEvent& EventsModel::event(int row) const
{
    return m_run->events.at(static_cast<std::size_t>(row));
}

QString EventsModel::allTablesText()
{
    return tr("(all tables)");
}

int EventsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_run ? 0 : static_cast<int>(m_run->events.size());
}

int EventsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_run)
        return {};
    const RunEvent& e = event(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn: return formatClock(e.timeSeconds, m_run->simulatedSeconds);
        case TableColumn: return e.table.empty() ? allTablesText() : QString::fromStdString(e.table);
        case KindColumn: return kindText(e);
        case DetailColumn: return QString::fromStdString(eventText(e));
        default: return {};
        }
    }
    if (role == ValueRole) {
        if (index.column() == TimeColumn)
            return e.timeSeconds;
        if (index.column() == KindColumn)
            return kindText(e);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == DetailColumn)
        return QString::fromStdString(eventText(e));
    if (role == Qt::ForegroundRole && index.column() == KindColumn) {
        if (e.kind == EventKind::EventRefused || e.kind == EventKind::ThrottleStart || e.kind == EventKind::RequestFailed)
            return QBrush(QColor(0xb0, 0x1c, 0x1c));
        if (e.kind == EventKind::ScaleOut || e.kind == EventKind::ScaleIn || e.kind == EventKind::CapacityChanged)
            return QBrush(QColor(0x1d, 0x6b, 0x2f));
    }
    if (role == Qt::TextAlignmentRole && index.column() == TimeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case TableColumn: return tr("Table");
    case KindColumn: return tr("Kind");
    case DetailColumn: return tr("Detail");
    default: return {};
    }
}

} // namespace capsim::studio
