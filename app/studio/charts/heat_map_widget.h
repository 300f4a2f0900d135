#pragma once
// HeatMapWidget: time × partition for one table, each cell coloured by the partition's traffic
// in that minute over its own limit or over the hard limit (HeatColouring; report::utilisationColour), grey where the partition did not exist,
// a triangle where a split created one. Drawn as one image scaled to the widget (one pixel
// column per minute, or per group of minutes showing the group's hottest), never as items.
// Hover and click pick a cell. It keeps a pointer to the table: the caller keeps the snapshot
// alive while it is shown. GUI thread only.

#include "simulator/results.h"
#include "simulator/results_view.h"

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

namespace capsim::studio::charts {

class HeatMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatMapWidget(QWidget* parent = nullptr);

    // Shows `table` (nullptr clears). Rows are partition ids in order of first appearance.
    void setTable(const TableResult* table);
    // What the cells are coloured by (the legend's title says which); redraws.
    void setColouring(const HeatColouring& colouring);
    const HeatColouring& colouring() const { return m_colouring; }
    // The value a cell is coloured by (1 at the limit), or nullopt where the partition did not exist.
    std::optional<double> cellValue(int row, std::int64_t minute) const;
    int rowCount() const { return static_cast<int>(m_rows.size()); }
    std::int64_t partitionAt(int row) const { return m_rows.at(static_cast<std::size_t>(row)).id; }
    std::int64_t firstMinute() const { return m_firstMinute; }
    // One past the last minute shown.
    std::int64_t endMinute() const { return m_firstMinute + m_span; }
    // The table's row for that partition and minute, or nullptr where the partition did not exist.
    const PartitionMinuteRow* cell(int row, std::int64_t minute) const;

    // Selects a cell (drawn outlined) and emits cellSelected.
    void selectCell(int row, std::int64_t minute);
    std::optional<std::pair<int, std::int64_t>> selectedCell() const { return m_selected; }
    // A moment marked by a dashed line (minutes), e.g. the selected event.
    void setMarkedMinute(std::optional<double> minute);

    QSize sizeHint() const override { return QSize(900, 300); }
    QSize minimumSizeHint() const override { return QSize(300, 160); }

signals:
    void cellHovered(int row, qint64 minute);
    void hoverLeft();
    void cellSelected(int row, qint64 minute);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Row {
        std::int64_t id = 0;
        std::int64_t firstMinute = 0;
    };
    QRect plotRect() const;
    std::optional<std::pair<int, std::int64_t>> cellAt(QPoint pos) const;
    void rebuildImage();

    const TableResult* m_table = nullptr;
    HeatColouring m_colouring;
    std::vector<Row> m_rows;
    std::int64_t m_firstMinute = 0;
    std::int64_t m_span = 0;
    // Index into m_table->partitionMinutes per (row, minute), row-major; -1 where none.
    std::vector<std::int32_t> m_cells;
    QImage m_image;
    std::optional<std::pair<int, std::int64_t>> m_selected;
    std::optional<std::pair<int, std::int64_t>> m_hovered;
    std::optional<double> m_markedMinute;
};

} // namespace capsim::studio::charts
