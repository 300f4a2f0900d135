#pragma once
// TimeAxis: a horizontal chart axis over simulated minutes labelled as clock times ("09:30",
// "2d 14:00" on runs longer than a day). The labels follow zoom and pan: whenever the range
// changes, ticks are recomputed at round steps (1, 2, 5, 10, 15, 30 minutes, hours, days).
// Owned by its QChart. GUI thread only.

#include <QCategoryAxis>

#include <cstdint>

namespace capsim::studio::charts {

class TimeAxis : public QCategoryAxis {
    Q_OBJECT
public:
    explicit TimeAxis(QObject* parent = nullptr);

    // The whole run's length, which decides between "hh:mm" and "<d>d hh:mm" labels.
    void setRunSpanMinutes(std::int64_t spanMinutes);
    // At most this many labels (the chart's width decides; default 10).
    void setMaxTicks(int maxTicks);

private:
    void relabel();

    std::int64_t m_runSpanMinutes = 60;
    int m_maxTicks = 10;
    bool m_relabelling = false;
};

} // namespace capsim::studio::charts
