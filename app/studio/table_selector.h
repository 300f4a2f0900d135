#pragma once
// TableSelector: a combo box choosing one table of a run, or one of a table's secondary indexes
// ("Orders / byStatus", with the index's own TableResult), shared by the pages that show one
// table at a time; hidden while the run has a single table without indexes. GUI thread only.

#include "app/appcore/run_controller.h"

#include <QComboBox>

#include <vector>

namespace capsim::studio {

class TableSelector : public QComboBox {
    Q_OBJECT
public:
    explicit TableSelector(QWidget* parent = nullptr);

    // Lists the run's tables, each followed by its indexes, keeping the chosen entry (by its
    // label) when it still exists.
    void setRun(const capsim::appcore::RunSnapshot& run);
    // The chosen entry's table (the base table of a chosen index).
    int tableIndex() const;
    // The chosen index within its table's `indexes`, or -1 when a table is chosen.
    int indexIndex() const;
    // The chosen table or index, or nullptr without a run.
    const TableResult* table() const;
    // The chosen entry's label ("Orders", "Orders / byStatus"), empty without a run.
    QString label() const;
    // The name the run's events use for the chosen entry ("Orders", "Orders/byStatus").
    std::string eventTable() const;
    // Chooses the entry labelled "<table>" or "<table> / <index>"; false when there is none.
    bool choose(const QString& label);
    // The label of an index entry.
    static QString indexLabel(const QString& table, const QString& index);

signals:
    // The user chose another table or index (the entry's row in the combo box).
    void tableChosen(int index);

private:
    struct Entry {
        int table = 0;
        int index = -1;
    };
    capsim::appcore::RunSnapshot m_run;
    std::vector<Entry> m_entries;
    int m_index = 0;
};

} // namespace capsim::studio
