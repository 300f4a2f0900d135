#pragma once
// MainWindow: capsim-studio's window. Holds the scenario editor, the run controller and the
// result pages; wires a run's snapshots to every page, events to time navigation, and the
// files a user opens and saves (scenarios, run.sqlite results, chart and HTML exports).
// GUI thread only.

#include "app/appcore/run_controller.h"

#include <QMainWindow>

#include <memory>

class QUrl;

namespace capsim::studio {

struct ScenarioVariant;
class LivePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a scenario (.json) or a results database (.sqlite). False (with a message box
    // unless `quiet`) when it cannot be read.
    bool openFile(const QString& path, bool quiet = false);
    // Opens the library lesson `fileName` (e.g. "16-export-import-per-gb.json") in the editor, its
    // relative paths resolved against the lesson's own files. False when there is no such lesson.
    bool openLibraryScenario(const QString& fileName);
    // Starts a run of the scenario in the editor.
    bool runScenario();
    appcore::RunController& runController();
    // Saves a PNG of every main view into `directory` (named after the view); false on error.
    bool saveScreenshots(const QString& directory, QString* error);
    // Writes the current run as a self-contained HTML report with its charts.
    bool exportHtmlReport(const QString& path, QString* error);

    // Every file the studio writes goes through these: written to a temporary file in the
    // chosen file's folder and renamed over it only once complete, so a failed export leaves
    // what was there intact and nothing but the chosen file is ever replaced.
    // The editor's scenario as JSON; it becomes the file Save writes to.
    bool saveScenario(const QString& path, QString* error);
    // The current run as a results database (run.sqlite format).
    bool saveResults(const QString& path, QString* error);
    // The visible view as PNG, or SVG when the path ends in .svg.
    bool exportView(const QString& path, QString* error);
    // The file Save writes to without asking: the scenario file last opened or saved, or empty
    // (then Save asks), e.g. after opening a results database.
    QString scenarioPath() const;
    // Runs a variant of the editor's scenario (Compare's "Add DAX?" / "Add a region?") next to
    // its base: the base first when it has not run as it stands, then the variant, which the
    // editor then shows. False (with the reason in the status bar) when it cannot start.
    bool runVariant(const ScenarioVariant& variant);

    // Shows the Live page attached to a running `capsim serve` at `server` (http://HOST:PORT),
    // polling it every second; the page reports reachability itself.
    void attachToServer(const QUrl& server);
    LivePage* livePage() const;
    // Saves a PNG of the window showing the Live page; false on error.
    bool saveLiveScreenshot(const QString& path, QString* error);

signals:
    void runFinished(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    // Shows the tabs of the pages that apply to `run` (DAX, Regions only when it uses them).
    void updatePageTabs(const RunResult* run);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
