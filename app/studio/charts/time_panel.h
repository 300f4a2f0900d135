#pragma once
// TimePanel: a chart over a run's minutes (a time axis, a left and optionally a right value axis,
// decimated line series) in a ZoomChartView; TimePanelGroup links several so that zoom, pan,
// hover and the selected moment follow each other. Used by the DAX and Regions views. GUI thread
// only; the panel's view owns its chart.

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/charts/zoom_chart_view.h"

#include <QLineSeries>
#include <QObject>
#include <QValueAxis>

#include <functional>
#include <memory>
#include <vector>

namespace capsim::studio::charts {

class TimePanel {
public:
    TimePanel(const QString& objectName, const QString& title, const QString& leftTitle, const QString& rightTitle = {});

    ZoomChartView* view() const { return m_view; }
    QChart* chart() const { return m_chart; }
    QValueAxis* left() const { return m_left; }
    QValueAxis* right() const { return m_right; }
    TimeAxis* time() const { return m_time; }
    // Removes every series (the axes stay).
    void clear();
    // A line named `name` (legend) with objectName `objectName`, on the left or right axis.
    QLineSeries* addSeries(const QString& objectName, const QString& name, QColor colour, bool onRight,
        std::vector<QPointF> points, double width = 1.8, Qt::PenStyle style = Qt::SolidLine);
    // Sets the x extent [first, end] minutes and shows the series for the visible range.
    void setDataRange(double first, double end);
    void showVisible() const;
    const std::vector<DecimatedSeries>& series() const { return m_series; }
    // Margins added so that the plot spans the same x range as its group's other panels.
    QMarginsF extra;

private:
    QChart* m_chart = nullptr;
    ZoomChartView* m_view = nullptr;
    TimeAxis* m_time = nullptr;
    QValueAxis* m_left = nullptr;
    QValueAxis* m_right = nullptr;
    std::vector<DecimatedSeries> m_series;
};

// An axis from 0 to a bit above `top` at nice numbers (0..1 when top is 0).
void setAxisTop(QValueAxis* axis, double top);

// Links panels: zoom and pan, the hover line and the selected moment are shared; a click reports
// the time (seconds) to `clicked`.
class TimePanelGroup : public QObject {
    Q_OBJECT
public:
    explicit TimePanelGroup(QObject* parent = nullptr);
    void add(TimePanel* panel);
    void clear() { m_panels.clear(); }
    void setSelectedX(std::optional<double> x);
    // Lines the panels' plot areas up (their axes' labels differ in width), so that one moment is
    // at the same x in each; done on its own whenever a plot area changes.
    void alignPlotAreas();

signals:
    void clicked(double seconds);
    void hovered(double minute);

private:
    std::vector<TimePanel*> m_panels;
    bool m_syncing = false;
    bool m_alignPending = false;
};

} // namespace capsim::studio::charts
