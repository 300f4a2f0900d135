#pragma once
// ComparePage: two or more runs side by side (overlaid capacity, throttles and cost curves, a
// table of totals) and the break-even view (cost against average utilisation for provisioned,
// auto-scaled and on-demand; Standard against Standard-IA against the storage share), computed
// from the run's per-minute demand and the pricing table. GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class ComparePage : public ResultPage {
    Q_OBJECT
public:
    explicit ComparePage(QWidget* parent = nullptr);
    ~ComparePage() override;

    QString title() const override { return tr("Compare"); }
    QString fileStem() const override { return QStringLiteral("compare"); }
    // The current run (marked in the break-even view); it joins the compared runs when final.
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    // Adds a finished run to the comparison under `label`.
    void addRun(const QString& label, capsim::appcore::RunSnapshot run);
    void clearRuns();
    int runCount() const;
    // The table the "Add DAX?" / "Add a region?" variants change: the one chosen in the runs'
    // table box, else the current run's first table ("" without a run).
    QString variantTable() const;

signals:
    // "Add DAX?" / "Add a region?" (issue 10): the user asks for a variant of the scenario with a
    // DAX cluster on `table` / one more replica region of `table`, run next to the base.
    void addDaxRequested(const QString& table);
    void addRegionRequested(const QString& table);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
