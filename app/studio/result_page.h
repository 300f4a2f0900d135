#pragma once
// ResultPage: one view of a run's results in the studio's main window. Pages compute nothing
// themselves: they show immutable RunResult snapshots handed to them on the GUI thread
// (progressively while a run goes on, whole when it ends). GUI thread only.

#include "app/appcore/run_controller.h"

#include <QWidget>

namespace capsim::studio {

class ResultPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The tab title, also the screenshot file name's stem ("capacity" -> capacity.png).
    virtual QString title() const = 0;
    virtual QString fileStem() const = 0;
    // Shows a run; nullptr clears the page. `final` is false for progressive snapshots.
    virtual void setRun(capsim::appcore::RunSnapshot run, bool final) = 0;
    // Whether the page has something to show for `run` (the main window hides its tab otherwise,
    // e.g. the DAX view for a run without a DAX cluster).
    virtual bool appliesTo(const RunResult& run) const
    {
        Q_UNUSED(run);
        return true;
    }
    // Brings the given simulated time (seconds) into view, e.g. when an event is selected.
    virtual void showTime(double seconds) { Q_UNUSED(seconds); }

signals:
    // The user picked a moment (an event, a chart point): other pages may follow.
    void timeSelected(double seconds);
};

} // namespace capsim::studio
