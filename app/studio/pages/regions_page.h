#pragma once
// RegionsPage: the studio's global-tables view (reference A11, issue 10). For the chosen table,
// one column per region side by side (the scenario's region first, then each replica): its write
// and read capacity (provisioned against consumed), the changes replication applied to it and the
// conflicts last-writer-wins dropped, its replication lag and backlog, and its cost; every chart
// shows the scenario's regionOutage events as bands on the time axis. A table of the regions'
// totals sits below. The main window shows the page only when a table of the run has replicas.
// GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class RegionsPage : public ResultPage {
    Q_OBJECT
public:
    explicit RegionsPage(QWidget* parent = nullptr);
    ~RegionsPage() override;

    QString title() const override { return tr("Regions"); }
    QString fileStem() const override { return QStringLiteral("regions"); }
    bool appliesTo(const RunResult& run) const override;
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;
    // The scenario of the run shown (its `region` and regionOutage events, which the results do
    // not carry).
    void setScenarioJson(const QString& json);
    // Shows the run's table named `name` (a global table); false when there is none.
    bool chooseTable(const QString& name);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
