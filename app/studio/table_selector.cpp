#include "app/studio/table_selector.h"

#include <QSignalBlocker>

namespace capsim::studio {

TableSelector::TableSelector(QWidget* parent)
    : QComboBox(parent)
{
    setObjectName(QStringLiteral("tableSelector"));
    setVisible(false);
    connect(this, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0 || index == m_index)
            return;
        m_index = index;
        emit tableChosen(index);
    });
}

void TableSelector::setRun(const capsim::appcore::RunSnapshot& run)
{
    m_run = run;
    const int count = m_run ? static_cast<int>(m_run->tables.size()) : 0;
    if (m_index >= count)
        m_index = 0;
    const QSignalBlocker block(this);
    clear();
    for (int i = 0; i < count; ++i)
        addItem(QString::fromStdString(m_run->tables[static_cast<std::size_t>(i)].name));
    setCurrentIndex(m_index);
    setVisible(count > 1);
}

const TableResult* TableSelector::table() const
{
    if (!m_run || m_index < 0 || m_index >= static_cast<int>(m_run->tables.size()))
        return nullptr;
    return &m_run->tables[static_cast<std::size_t>(m_index)];
}

} // namespace capsim::studio
