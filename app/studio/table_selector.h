#pragma once
// TableSelector: a combo box choosing one table of a run, shared by the pages that show one
// table at a time; hidden while the run has a single table. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QComboBox>

namespace capsim::studio {

class TableSelector : public QComboBox {
    Q_OBJECT
public:
    explicit TableSelector(QWidget* parent = nullptr);

    // Lists the run's tables, keeping the chosen one when it still exists.
    void setRun(const capsim::appcore::RunSnapshot& run);
    int tableIndex() const { return m_index; }
    // The chosen table, or nullptr without a run.
    const TableResult* table() const;

signals:
    // The user chose another table.
    void tableChosen(int index);

private:
    capsim::appcore::RunSnapshot m_run;
    int m_index = 0;
};

} // namespace capsim::studio
