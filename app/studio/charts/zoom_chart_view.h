#pragma once
// ZoomChartView: a chart view over simulated time with the studio's interactions: drag a
// rectangle to zoom into a time range, right-drag or wheel to pan, Ctrl+wheel to zoom around the
// pointer, double-click or right-click to show the whole run. It reports the time under the
// pointer and draws time markers (events, the selected moment, the hover line) over the plot.
// The x axis is the chart's only horizontal QValueAxis (minutes). Owns its chart. GUI thread only.

#include <QChartView>
#include <QColor>
#include <QPointer>

#include <optional>
#include <vector>

class QGraphicsItem;
class QValueAxis;

namespace capsim::studio::charts {

class ZoomChartView : public QChartView {
    Q_OBJECT
public:
    // A vertical line across the plot at x (minutes) with a short rotated label; `toolTip` shows
    // on hover over the line's label.
    struct Marker {
        double x = 0;
        QString label;
        QColor colour;
        QString toolTip;
    };
    // A shaded span of the plot from x `from` to `to` (minutes), labelled at its top left, e.g. a
    // region's outage.
    struct Band {
        double from = 0;
        double to = 0;
        QString label;
        QColor colour;
        QString toolTip;
    };

    explicit ZoomChartView(QChart* chart, QWidget* parent = nullptr);
    ~ZoomChartView() override;

    // The whole data extent: zoom and pan stay inside it and "reset" returns to it.
    void setDataRange(double xMin, double xMax);
    double dataMin() const { return m_dataMin; }
    double dataMax() const { return m_dataMax; }
    // Shows [xMin, xMax] (clamped to the data range); `byUser` marks the view as zoomed, so a
    // progressive update keeps it.
    void setXRange(double xMin, double xMax, bool byUser = true);
    void resetZoom();
    bool isZoomed() const { return m_zoomed; }
    double visibleMin() const;
    double visibleMax() const;

    void setMarkers(std::vector<Marker> markers);
    const std::vector<Marker>& markers() const { return m_markers; }
    void setBands(std::vector<Band> bands);
    const std::vector<Band>& bands() const { return m_bands; }
    // The selected moment (a dashed orange line), or none.
    void setSelectedX(std::optional<double> x);
    std::optional<double> selectedX() const { return m_selectedX; }
    // A thin line following the pointer (also set by a linked view).
    void setHoverX(std::optional<double> x);

signals:
    // The visible time range changed (zoom, pan, reset, or setXRange).
    void xRangeChanged(double xMin, double xMax);
    // The pointer is over the plot at time x (minutes); left() when it leaves.
    void hovered(double x);
    void left();
    // A click (without a drag) at time x.
    void clicked(double x);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QValueAxis* xAxis() const;
    double xAtPixel(double viewX) const;
    void layoutOverlay();

    double m_dataMin = 0;
    double m_dataMax = 1;
    bool m_zoomed = false;
    bool m_applying = false;
    std::vector<Marker> m_markers;
    std::vector<Band> m_bands;
    std::optional<double> m_selectedX;
    std::optional<double> m_hoverX;
    std::vector<QGraphicsItem*> m_overlay;
    QPoint m_pressPos;
    bool m_panning = false;
    double m_panStartMin = 0;
    double m_panStartMax = 0;
};

} // namespace capsim::studio::charts
