#pragma once
// LifecyclePage: the studio's Lifecycle view of a table (issue 9): TTL deletions and storage over
// time, stream records and consumer lag, backups / restores / exports / imports and TTL changes as
// markers on the time axis, the data-feature costs to date, and a summary of each feature the
// table uses (TTL, stream and its consumers, PITR, backups, restores, exports, imports). Parts for
// features the table does not use are hidden, and the page says which features it uses. GUI
// thread only.

#include "app/studio/charts/zoom_chart_view.h"
#include "app/studio/result_page.h"

#include <memory>
#include <vector>

namespace capsim::studio {

// The time markers (x in minutes) of a table's data lifecycle: each backup, restore, export and
// import it lists (DataMovement), and its TTL changes and refused lifecycle requests from the
// run's events, in time order. Pure; any thread.
std::vector<charts::ZoomChartView::Marker> lifecycleMarkers(const RunResult& run, const TableResult& table);

// Whether `table` uses any data-lifecycle feature (TTL, stream, PITR, backups, restores, exports,
// imports) or has a data-feature cost.
bool usesLifecycleFeatures(const TableResult& table);

class LifecyclePage : public ResultPage {
    Q_OBJECT
public:
    explicit LifecyclePage(QWidget* parent = nullptr);
    ~LifecyclePage() override;

    QString title() const override { return tr("Lifecycle"); }
    QString fileStem() const override { return QStringLiteral("lifecycle"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;
    // Shows the run's table named `name`; false when there is none.
    bool chooseTable(const QString& name);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
