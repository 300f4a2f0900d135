#pragma once
// DaxPage: the studio's DAX view of a table with a DAX cluster (reference A10, issue 10): the
// cache hit ratio and stale reads over time, the read units the cache absorbed beside those the
// table consumed, the busiest node's utilisation against its 100 % budget and the cache's bytes;
// the run's totals (hits, misses, hit ratio, stale reads, throttled requests, node-hours) and the
// cluster's node-hour cost beside the table's capacity cost. The main window shows the page only
// when a table of the run has `dax`. GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class DaxPage : public ResultPage {
    Q_OBJECT
public:
    explicit DaxPage(QWidget* parent = nullptr);
    ~DaxPage() override;

    QString title() const override { return tr("DAX"); }
    QString fileStem() const override { return QStringLiteral("dax"); }
    bool appliesTo(const RunResult& run) const override;
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;
    // Shows the run's table named `name` (one with a DAX cluster); false when there is none.
    bool chooseTable(const QString& name);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
