#include "app/studio/main_window.h"

#include "app/report/chart_renderer.h"
#include "app/report/html_report.h"
#include "app/studio/editor/library_dialog.h"
#include "app/studio/editor/scenario_editor.h"
#include "app/studio/pages/capacity_page.h"
#include "app/studio/pages/compare_page.h"
#include "app/studio/pages/cost_page.h"
#include "app/studio/pages/dax_page.h"
#include "app/studio/models/scenario_variants.h"
#include "app/studio/pages/data_page.h"
#include "app/studio/pages/events_page.h"
#include "app/studio/pages/explain_page.h"
#include "app/studio/pages/latency_page.h"
#include "app/studio/pages/live_page.h"
#include "app/studio/pages/lifecycle_page.h"
#include "app/studio/pages/partitions_page.h"
#include "app/studio/pages/regions_page.h"
#include "simulator/embedded_resources.h"
#include "simulator/explain.h"
#include "simulator/results_store.h"
#include "simulator/results_writer.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUrl>

#include <filesystem>
#include <functional>
#include <utility>

namespace capsim::studio {

namespace {
constexpr int kMaxRecentFiles = 8;
}

struct MainWindow::Private {
    appcore::RunController controller;
    QTabWidget* tabs = nullptr;
    ScenarioEditor* editor = nullptr;
    std::vector<ResultPage*> pages;
    ComparePage* compare = nullptr;
    DataPage* data = nullptr;
    RegionsPage* regions = nullptr;
    LivePage* live = nullptr; // its tab shows once attached to a server
    // A variant ("Add DAX?", "Add a region?") waiting for its base run to finish, and what it changes.
    QString pendingVariant;
    QString pendingSummary;
    QProgressBar* progress = nullptr;
    QLabel* status = nullptr;
    QAction* runAction = nullptr;
    QAction* cancelAction = nullptr;
    QMenu* recentMenu = nullptr;
    QString scenarioPath; // the file the editor's scenario came from, if any
    QString runScenarioJson;
    QTemporaryDir engineDirectory;
    // The library's lessons and the files they name (an import's source folder, a trace), written
    // once from the compiled-in copies, so that a lesson's relative paths resolve when it runs.
    QTemporaryDir libraryDirectory;
    bool libraryWritten = false;
    QString libraryFolder()
    {
        if (!libraryDirectory.isValid())
            return QString();
        if (!libraryWritten) {
            for (const std::string& path : capsim::embeddedResourcePaths()) {
                if (path.rfind("scenarios/", 0) != 0)
                    continue;
                const QString target = libraryDirectory.filePath(QString::fromStdString(path));
                if (!QDir().mkpath(QFileInfo(target).absolutePath()))
                    return QString();
                QSaveFile file(target);
                const std::string* text = capsim::embeddedResource(path);
                if (!text || !file.open(QIODevice::WriteOnly)
                    || file.write(text->data(), static_cast<qint64>(text->size())) != static_cast<qint64>(text->size())
                    || !file.commit())
                    return QString();
            }
            libraryWritten = true;
        }
        return libraryDirectory.filePath(QStringLiteral("scenarios"));
    }
    int runNumber = 0;
    appcore::RunSnapshot current;
    std::uint64_t deliveryGeneration = 0;
};

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , d(std::make_unique<Private>())
{
    setWindowTitle(tr("capsim studio"));
    d->tabs = new QTabWidget(this);
    d->tabs->setDocumentMode(true);
    d->editor = new ScenarioEditor(d->tabs);
    d->tabs->addTab(d->editor, tr("Scenario"));
    d->compare = new ComparePage(d->tabs);
    d->data = new DataPage(d->tabs);
    d->regions = new RegionsPage(d->tabs);
    d->pages = { new CapacityPage(d->tabs), new PartitionsPage(d->tabs), new CostPage(d->tabs), new LatencyPage(d->tabs),
        new LifecyclePage(d->tabs), new DaxPage(d->tabs), d->regions, new EventsPage(d->tabs), new ExplainPage(d->tabs),
        d->compare, d->data };
    for (ResultPage* page : d->pages) {
        d->tabs->addTab(page, page->title());
        connect(page, &ResultPage::timeSelected, this, [this](double seconds) {
            for (ResultPage* p : d->pages)
                p->showTime(seconds);
            d->tabs->setCurrentWidget(d->pages.front());
        });
    }
    d->live = new LivePage(d->tabs);
    d->tabs->setTabVisible(d->tabs->addTab(d->live, tr("Live")), false);
    setCentralWidget(d->tabs);
    updatePageTabs(nullptr);
    connect(d->compare, &ComparePage::addDaxRequested, this, [this](const QString& table) { runVariant(daxVariant(d->editor->scenarioJson(), table)); });
    connect(d->compare, &ComparePage::addRegionRequested, this, [this](const QString& table) { runVariant(regionVariant(d->editor->scenarioJson(), table)); });

    // Actions, menus and the toolbar.
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto action = [&](const QString& text, const QKeySequence& key, auto slot, bool onToolbar) {
        QAction* a = new QAction(text, this);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        file->addAction(a);
        if (onToolbar)
            toolbar->addAction(a);
        return a;
    };
    action(tr("&Library..."), QKeySequence(tr("Ctrl+L")), [this] {
        LibraryDialog dialog(this);
        if (dialog.exec() == QDialog::Accepted && openLibraryScenario(dialog.fileName()))
            statusBar()->showMessage(tr("Loaded %1 from the library").arg(dialog.fileName()), 5000);
    }, true);
    action(tr("&Open..."), QKeySequence::Open, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario or results"),
            QSettings().value(QStringLiteral("lastDirectory")).toString(),
            tr("Scenarios and results (*.json *.sqlite);;Scenarios (*.json);;Results (*.sqlite)"));
        if (!path.isEmpty())
            openFile(path);
    }, true);
    d->recentMenu = file->addMenu(tr("Open &Recent"));
    action(tr("&Save Scenario"), QKeySequence::Save, [this] {
        QString path = d->scenarioPath;
        if (path.isEmpty())
            path = QFileDialog::getSaveFileName(this, tr("Save scenario"), QString(), tr("Scenarios (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveScenario(path, &error)) {
            QMessageBox::warning(this, tr("Save scenario"), error);
            return;
        }
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    }, true);
    action(tr("Save Results &As..."), QKeySequence(tr("Ctrl+Shift+S")), [this] {
        if (!d->current)
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save results"), QString(), tr("Results (*.sqlite)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveResults(path, &error))
            QMessageBox::warning(this, tr("Save results"), error);
    }, false);
    file->addSeparator();
    d->runAction = action(tr("&Run"), QKeySequence(tr("F5")), [this] { runScenario(); }, true);
    d->cancelAction = action(tr("&Cancel Run"), QKeySequence(tr("Esc")), [this] { d->controller.cancel(); }, true);
    d->cancelAction->setEnabled(false);
    action(tr("&Duplicate with Change"), QKeySequence(tr("Ctrl+D")), [this] {
        // Keep the current run for comparison and make a variant of its scenario to edit.
        QJsonDocument doc = QJsonDocument::fromJson(d->editor->scenarioJson().toUtf8());
        QJsonObject o = doc.object();
        o[QStringLiteral("name")] = o.value(QStringLiteral("name")).toString() + QStringLiteral(" (variant)");
        d->editor->setScenarioJson(QString::fromUtf8(QJsonDocument(o).toJson()), d->editor->baseDirectory());
        d->scenarioPath.clear();
        d->tabs->setCurrentWidget(d->editor);
        statusBar()->showMessage(tr("Variant created: change something, then Run to compare"), 8000);
    }, true);
    file->addSeparator();
    action(tr("&Attach to Server..."), QKeySequence(tr("Ctrl+T")), [this] {
        const QString previous
            = d->live->server().isEmpty() ? QStringLiteral("http://127.0.0.1:8000") : d->live->server().toString();
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Attach to server"),
            tr("URL of a running capsim serve (its live capacity is polled every second):"), QLineEdit::Normal,
            previous, &ok);
        if (!ok || text.trimmed().isEmpty())
            return;
        const QUrl url = QUrl::fromUserInput(text.trimmed());
        if (!url.isValid() || url.scheme() != QLatin1String("http")) {
            QMessageBox::warning(this, tr("Attach to server"),
                tr("'%1' is not an http:// URL (e.g. http://127.0.0.1:8000).").arg(text));
            return;
        }
        attachToServer(url);
    }, false);
    action(tr("Export &Chart..."), QKeySequence(tr("Ctrl+E")), [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export view"), QString(), tr("PNG image (*.png);;SVG image (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportView(path, &error))
            QMessageBox::warning(this, tr("Export view"), error);
    }, true);
    action(tr("Export &HTML Report..."), QKeySequence(tr("Ctrl+R")), [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), QString(), tr("HTML (*.html)"));
        QString error;
        if (!path.isEmpty() && !exportHtmlReport(path, &error))
            QMessageBox::warning(this, tr("Export report"), error);
    }, true);
    file->addSeparator();
    action(tr("&Quit"), QKeySequence::Quit, [this] { close(); }, false);

    d->progress = new QProgressBar(this);
    d->progress->setRange(0, 1000);
    d->progress->setMaximumWidth(240);
    d->progress->setVisible(false);
    d->status = new QLabel(tr("Open a scenario from the library (Ctrl+L) or a file, then Run (F5)."), this);
    statusBar()->addWidget(d->status, 1);
    statusBar()->addPermanentWidget(d->progress);

    // The visible page gets a snapshot at once; the others get it one per event-loop turn, so
    // the GUI thread never does all the pages' work in one go (issue 4: no freezes).
    auto showRun = [this](const appcore::RunSnapshot& run, bool final) {
        d->current = run;
        updatePageTabs(run.get());
        const std::uint64_t generation = ++d->deliveryGeneration;
        auto* visible = qobject_cast<ResultPage*>(d->tabs->currentWidget());
        if (visible)
            visible->setRun(run, final);
        int delay = 0;
        for (ResultPage* page : d->pages) {
            if (page == visible)
                continue;
            QTimer::singleShot(delay++, this, [this, page, run, final, generation] {
                // A newer snapshot supersedes this one, except the final run, which every page needs.
                if (generation == d->deliveryGeneration || final)
                    page->setRun(run, final);
            });
        }
    };
    connect(&d->controller, &appcore::RunController::started, this, [this] {
        d->runAction->setEnabled(false);
        d->cancelAction->setEnabled(true);
        d->progress->setValue(0);
        d->progress->setVisible(true);
        d->status->setText(tr("Running..."));
    });
    connect(&d->controller, &appcore::RunController::progressChanged, this,
        [this](double fraction) { d->progress->setValue(static_cast<int>(fraction * 1000)); });
    connect(&d->controller, &appcore::RunController::snapshotAvailable, this,
        [showRun](const appcore::RunSnapshot& run) { showRun(run, false); });
    auto idle = [this] {
        d->runAction->setEnabled(true);
        d->cancelAction->setEnabled(false);
        d->progress->setVisible(false);
    };
    connect(&d->controller, &appcore::RunController::finished, this, [this, showRun, idle](const appcore::RunSnapshot& run) {
        idle();
        d->data->setEnginePath(d->controller.enginePath());
        showRun(run, true);
        d->status->setText(tr("Run #%1 finished: %2 simulated, cost %3")
                               .arg(d->runNumber)
                               .arg(QString::fromStdString(formatNumber(run->simulatedSeconds / 3600.0, 2)) + tr(" h"))
                               .arg(QString::fromStdString(formatUsd(run->costTotal()))));
        if (d->tabs->currentWidget() == d->editor)
            d->tabs->setCurrentWidget(d->pages.front());
        if (!d->pendingVariant.isEmpty()) {
            // The base has run: now its variant, which joins it in Compare.
            const QString variant = std::exchange(d->pendingVariant, QString());
            d->editor->setScenarioJson(variant, d->editor->baseDirectory());
            d->scenarioPath.clear();
            if (runScenario())
                statusBar()->showMessage(tr("Running the variant: %1").arg(d->pendingSummary), 8000);
            d->tabs->setCurrentWidget(d->compare);
            return;
        }
        emit runFinished(true);
    });
    connect(&d->controller, &appcore::RunController::failed, this, [this, idle](const QString& message) {
        idle();
        d->pendingVariant.clear();
        d->status->setText(tr("The run failed"));
        d->editor->validate();
        if (isVisible() && !qEnvironmentVariableIsSet("CAPSIM_STUDIO_QUIET"))
            QMessageBox::warning(this, tr("Run"), message);
        emit runFinished(false);
    });
    connect(&d->controller, &appcore::RunController::cancelled, this, [this, idle] {
        idle();
        d->pendingVariant.clear();
        d->status->setText(tr("Run cancelled"));
        emit runFinished(false);
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    auto refreshRecent = [this] {
        d->recentMenu->clear();
        for (const QString& path : QSettings().value(QStringLiteral("recentFiles")).toStringList())
            d->recentMenu->addAction(path, this, [this, path] { openFile(path); });
    };
    connect(d->recentMenu, &QMenu::aboutToShow, this, refreshRecent);
}

MainWindow::~MainWindow() = default;

appcore::RunController& MainWindow::runController()
{
    return d->controller;
}

bool MainWindow::openFile(const QString& path, bool quiet)
{
    QFile file(path);
    auto fail = [&](const QString& message) {
        if (!quiet)
            QMessageBox::warning(this, tr("Open"), message);
        return false;
    };
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read %1").arg(path));
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());

    if (path.endsWith(QStringLiteral(".sqlite"), Qt::CaseInsensitive)) {
        file.close();
        auto run = readResultsDatabase(path.toStdString());
        if (!run)
            return fail(QString::fromStdString(run.status().message()));
        if (auto scenario = readResultsScenario(path.toStdString()))
            d->editor->setScenarioJson(QString::fromStdString(*scenario), QFileInfo(path).absolutePath());
        // The editor now shows the run's scenario, not the scenario file opened before: Save
        // must ask where to write it rather than replace that file.
        d->scenarioPath.clear();
        auto snapshot = std::make_shared<const RunResult>(std::move(run).value());
        d->current = snapshot;
        d->runScenarioJson = d->editor->scenarioJson();
        d->data->setEnginePath(QString());
        d->regions->setScenarioJson(d->runScenarioJson);
        updatePageTabs(snapshot.get());
        for (ResultPage* page : d->pages)
            page->setRun(snapshot, true);
        d->tabs->setCurrentWidget(d->pages.front());
        d->status->setText(tr("Opened results %1").arg(path));
        return true;
    }
    d->editor->setScenarioJson(QString::fromUtf8(file.readAll()), QFileInfo(path).absolutePath());
    d->scenarioPath = path;
    d->tabs->setCurrentWidget(d->editor);
    d->status->setText(tr("Opened %1").arg(path));
    return true;
}

bool MainWindow::openLibraryScenario(const QString& fileName)
{
    const std::string* text = embeddedResource("scenarios/" + fileName.toStdString());
    if (!text)
        return false;
    d->editor->setScenarioJson(QString::fromStdString(*text), d->libraryFolder());
    d->scenarioPath.clear();
    d->tabs->setCurrentWidget(d->editor);
    return true;
}

bool MainWindow::runScenario()
{
    const QStringList errors = d->editor->validate();
    if (!errors.isEmpty()) {
        d->tabs->setCurrentWidget(d->editor);
        d->status->setText(tr("The scenario has %n problem(s); see the fields marked in red", nullptr, static_cast<int>(errors.size())));
        emit runFinished(false);
        return false;
    }
    ++d->runNumber;
    d->runScenarioJson = d->editor->scenarioJson();
    d->regions->setScenarioJson(d->runScenarioJson);
    const QString engine = d->engineDirectory.isValid()
        ? d->engineDirectory.filePath(QStringLiteral("run-%1.sqlite").arg(d->runNumber))
        : QString();
    return d->controller.start(d->runScenarioJson, d->editor->baseDirectory(), engine);
}

void MainWindow::updatePageTabs(const RunResult* run)
{
    // Pages with nothing to show for the run (DAX, Regions) keep no tab.
    for (ResultPage* page : d->pages) {
        const int index = d->tabs->indexOf(page);
        const bool visible = run ? page->appliesTo(*run) : page->appliesTo(RunResult {});
        if (index >= 0 && d->tabs->isTabVisible(index) != visible) {
            if (!visible && d->tabs->currentIndex() == index)
                d->tabs->setCurrentWidget(d->pages.front());
            d->tabs->setTabVisible(index, visible);
        }
    }
}

bool MainWindow::runVariant(const ScenarioVariant& variant)
{
    if (!variant.error.isEmpty()) {
        d->status->setText(variant.error);
        if (isVisible() && !qEnvironmentVariableIsSet("CAPSIM_STUDIO_QUIET"))
            QMessageBox::warning(this, tr("Variant"), variant.error);
        return false;
    }
    d->pendingSummary = variant.summary;
    const bool baseDone = d->current && !d->controller.isRunning() && d->runScenarioJson == d->editor->scenarioJson();
    if (!baseDone) {
        // Run the base first; the variant follows when it finishes.
        d->pendingVariant = variant.json;
        statusBar()->showMessage(tr("Running the base scenario, then the variant: %1").arg(variant.summary), 8000);
        if (!runScenario()) {
            d->pendingVariant.clear();
            return false;
        }
        return true;
    }
    d->editor->setScenarioJson(variant.json, d->editor->baseDirectory());
    d->scenarioPath.clear();
    d->tabs->setCurrentWidget(d->compare);
    statusBar()->showMessage(tr("Running the variant: %1").arg(variant.summary), 8000);
    return runScenario();
}

bool MainWindow::saveScreenshots(const QString& directory, QString* error)
{
    const int previous = d->tabs->currentIndex();
    for (int i = 0; i < d->tabs->count(); ++i) {
        if (!d->tabs->isTabVisible(i))
            continue;
        d->tabs->setCurrentIndex(i);
        QApplication::processEvents();
        QWidget* page = d->tabs->widget(i);
        const auto* result = qobject_cast<ResultPage*>(page);
        const QString stem = result    ? result->fileStem()
            : page == d->live ? QStringLiteral("live")
                              : QStringLiteral("scenario");
        const QString path = QDir(directory).filePath(stem + QStringLiteral(".png"));
        if (!grab().save(path, "PNG")) {
            if (error)
                *error = tr("cannot write %1").arg(path);
            return false;
        }
    }
    d->tabs->setCurrentIndex(previous);
    return true;
}

void MainWindow::attachToServer(const QUrl& server)
{
    d->live->attach(server);
    d->tabs->setTabVisible(d->tabs->indexOf(d->live), true);
    d->tabs->setCurrentWidget(d->live);
    d->status->setText(tr("Attached to %1").arg(server.toString()));
}

LivePage* MainWindow::livePage() const
{
    return d->live;
}

bool MainWindow::saveLiveScreenshot(const QString& path, QString* error)
{
    d->tabs->setTabVisible(d->tabs->indexOf(d->live), true);
    d->tabs->setCurrentWidget(d->live);
    QApplication::processEvents();
    if (!grab().save(path, "PNG")) {
        if (error)
            *error = tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

bool MainWindow::exportHtmlReport(const QString& path, QString* error)
{
    if (!d->current) {
        if (error)
            *error = tr("There is no run to report yet.");
        return false;
    }
    // The same report as `capsim report`, written atomically.
    return report::writeHtmlReport(*d->current, path, error);
}

namespace {

// Writes `path` through a QSaveFile (a temporary file beside it, renamed over it on commit).
bool writeAtomically(const QString& path, QString* error, const std::function<bool(QSaveFile&)>& write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !write(file) || !file.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

} // namespace

bool MainWindow::saveScenario(const QString& path, QString* error)
{
    const QByteArray json = d->editor->scenarioJson().toUtf8();
    if (!writeAtomically(path, error, [&](QSaveFile& file) { return file.write(json) == json.size(); }))
        return false;
    d->scenarioPath = path;
    return true;
}

QString MainWindow::scenarioPath() const
{
    return d->scenarioPath;
}

bool MainWindow::saveResults(const QString& path, QString* error)
{
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!d->current)
        return fail(tr("There is no run to save yet."));
    // The database is written to a temporary file in the same folder, then renamed over the
    // chosen file: a failure leaves the file that was there as it was.
    const QFileInfo target(path);
    QTemporaryFile temporary(target.absoluteDir().filePath(QStringLiteral(".%1.XXXXXX.part").arg(target.fileName())));
    if (!temporary.open())
        return fail(tr("Cannot write in %1: %2").arg(target.absolutePath(), temporary.errorString()));
    temporary.close();
    const Status s = writeResultsDatabase(temporary.fileName().toStdString(), *d->current,
        d->runScenarioJson.toStdString(), summaryJson(*d->current));
    if (!s)
        return fail(tr("Cannot write %1: %2").arg(path, QString::fromStdString(s.message())));
    std::error_code renamed;
    std::filesystem::rename(temporary.fileName().toStdString(), target.absoluteFilePath().toStdString(), renamed);
    if (renamed)
        return fail(tr("Cannot write %1: %2").arg(path, QString::fromStdString(renamed.message())));
    temporary.setAutoRemove(false);
    return true;
}

bool MainWindow::exportView(const QString& path, QString* error)
{
    QWidget* page = d->tabs->currentWidget();
    return writeAtomically(path, error, [&](QSaveFile& file) {
        if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
            QSvgGenerator svg;
            svg.setOutputDevice(&file);
            svg.setSize(page->size());
            svg.setViewBox(page->rect());
            QPainter painter(&svg);
            page->render(&painter);
            return painter.end();
        }
        return page->grab().save(&file, "PNG");
    });
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    d->controller.cancel();
    event->accept();
}

} // namespace capsim::studio
