#include "app/studio/table_selector.h"

#include <QSignalBlocker>

namespace capsim::studio {

TableSelector::TableSelector(QWidget* parent)
    : QComboBox(parent)
{
    setObjectName(QStringLiteral("tableSelector"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setVisible(false);
    connect(this, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0 || index == m_index)
            return;
        m_index = index;
        emit tableChosen(index);
    });
}

QString TableSelector::indexLabel(const QString& table, const QString& index)
{
    return table + QStringLiteral(" / ") + index;
}

void TableSelector::setRun(const capsim::appcore::RunSnapshot& run)
{
    const QString previous = m_index >= 0 && m_index < count() ? itemText(m_index) : QString();
    m_run = run;
    m_entries.clear();
    const QSignalBlocker block(this);
    clear();
    if (m_run) {
        for (std::size_t t = 0; t < m_run->tables.size(); ++t) {
            const auto& table = m_run->tables[t];
            const QString name = QString::fromStdString(table.name);
            m_entries.push_back({ static_cast<int>(t), -1 });
            addItem(name);
            for (std::size_t i = 0; i < table.indexes.size(); ++i) {
                const auto& index = table.indexes[i];
                m_entries.push_back({ static_cast<int>(t), static_cast<int>(i) });
                addItem(indexLabel(name, QString::fromStdString(index.name)));
                setItemData(count() - 1,
                    index.indexKind == IndexKind::Local ? tr("Local secondary index %1 of %2: its own figures")
                                                              .arg(QString::fromStdString(index.name), name)
                                                        : tr("Global secondary index %1 of %2: its own capacity, "
                                                             "throttles and partitions")
                                                              .arg(QString::fromStdString(index.name), name),
                    Qt::ToolTipRole);
            }
        }
    }
    const int found = previous.isEmpty() ? -1 : findText(previous, Qt::MatchExactly);
    m_index = found >= 0 ? found : (m_index < count() ? m_index : 0);
    setCurrentIndex(m_index);
    setVisible(count() > 1);
}

int TableSelector::tableIndex() const
{
    if (m_index < 0 || m_index >= static_cast<int>(m_entries.size()))
        return 0;
    return m_entries[static_cast<std::size_t>(m_index)].table;
}

int TableSelector::indexIndex() const
{
    if (m_index < 0 || m_index >= static_cast<int>(m_entries.size()))
        return -1;
    return m_entries[static_cast<std::size_t>(m_index)].index;
}

const TableResult* TableSelector::table() const
{
    if (!m_run || m_index < 0 || m_index >= static_cast<int>(m_entries.size()))
        return nullptr;
    const Entry& e = m_entries[static_cast<std::size_t>(m_index)];
    if (e.table < 0 || e.table >= static_cast<int>(m_run->tables.size()))
        return nullptr;
    const TableResult& table = m_run->tables[static_cast<std::size_t>(e.table)];
    if (e.index < 0)
        return &table;
    if (e.index >= static_cast<int>(table.indexes.size()))
        return nullptr;
    return &table.indexes[static_cast<std::size_t>(e.index)];
}

QString TableSelector::label() const
{
    return m_index >= 0 && m_index < count() ? itemText(m_index) : QString();
}

std::string TableSelector::eventTable() const
{
    if (!m_run || m_index < 0 || m_index >= static_cast<int>(m_entries.size()))
        return {};
    const Entry& e = m_entries[static_cast<std::size_t>(m_index)];
    const TableResult& table = m_run->tables[static_cast<std::size_t>(e.table)];
    if (e.index < 0)
        return table.name;
    return table.name + "/" + table.indexes[static_cast<std::size_t>(e.index)].name;
}

bool TableSelector::choose(const QString& label)
{
    const int row = findText(label, Qt::MatchExactly);
    if (row < 0)
        return false;
    setCurrentIndex(row);
    return true;
}

} // namespace capsim::studio
