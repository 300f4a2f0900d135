#pragma once
// MainWindow: capsim-studio's window. Holds the scenario editor, the run controller and the
// result pages; wires a run's snapshots to every page, events to time navigation, and the
// files a user opens and saves (scenarios, run.sqlite results, chart and HTML exports).
// GUI thread only.

#include "app/appcore/run_controller.h"

#include <QMainWindow>

#include <memory>

namespace capsim::studio {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a scenario (.json) or a results database (.sqlite). False (with a message box
    // unless `quiet`) when it cannot be read.
    bool openFile(const QString& path, bool quiet = false);
    // Starts a run of the scenario in the editor.
    bool runScenario();
    appcore::RunController& runController();
    // Saves a PNG of every main view into `directory` (named after the view); false on error.
    bool saveScreenshots(const QString& directory, QString* error);
    // Writes the current run as a self-contained HTML report with its charts.
    bool exportHtmlReport(const QString& path, QString* error);

signals:
    void runFinished(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
