#pragma once
// The two workload preview charts of the scenario editor (Qt Charts): the rate over the run, and
// the share of requests per partition. They draw what they are given. GUI thread only.

#include "app/studio/editor/workload_preview.h"

#include <QChartView>

class QBarSet;
class QLineSeries;
class QValueAxis;
class QBarCategoryAxis;

namespace capsim::studio {

class RatePreviewChart : public QChartView {
    Q_OBJECT
public:
    explicit RatePreviewChart(QWidget* parent = nullptr);
    void setData(const RatePreviewData& data);
    const RatePreviewData& data() const { return m_data; }
    // The drawn series (x in data().timeUnit, y in requests/s).
    QLineSeries* series() const { return m_series; }

private:
    RatePreviewData m_data;
    QLineSeries* m_series;
    QValueAxis* m_x;
    QValueAxis* m_y;
};

class PartitionPreviewChart : public QChartView {
    Q_OBJECT
public:
    explicit PartitionPreviewChart(QWidget* parent = nullptr);
    void setData(const PartitionPreviewData& data);
    const PartitionPreviewData& data() const { return m_data; }
    // The share of partition i as drawn (both bar sets), in percent.
    double drawnShare(int partition) const;

private:
    PartitionPreviewData m_data;
    QBarSet* m_normal;
    QBarSet* m_hot;
    QBarCategoryAxis* m_x;
    QValueAxis* m_y;
};

} // namespace capsim::studio
