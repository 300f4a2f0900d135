#pragma once
// RunController: runs a scenario off the GUI thread (QtConcurrent) and hands results to the
// GUI thread as immutable snapshots (std::shared_ptr<const RunResult>), progressively while the
// run goes on and whole when it ends. Starting a new run cancels the current one and drops its
// results. Lives on the GUI thread; its signals are emitted there.

#include "simulator/results.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace capsim::appcore {

using RunSnapshot = std::shared_ptr<const RunResult>;

class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Validates and starts a run of scenario JSON text. `baseDirectory` resolves relative paths
    // (trace files, pricing). Returns false (and emits failed) when the scenario is invalid.
    // `enginePath` keeps the run's engine database for the Data view ("" = in memory only).
    bool start(const QString& scenarioJson, const QString& baseDirectory, const QString& enginePath = QString());
    // Asks the running simulation to stop; `cancelled` follows promptly.
    void cancel();
    bool isRunning() const { return m_running; }
    // The latest result: a progressive snapshot while running, the whole run after `finished`.
    RunSnapshot result() const { return m_latest; }
    QString scenarioJson() const { return m_scenarioJson; }
    QString enginePath() const { return m_enginePath; }

signals:
    void started();
    void progressChanged(double fraction);
    void snapshotAvailable(capsim::appcore::RunSnapshot snapshot);
    void finished(capsim::appcore::RunSnapshot result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Job;
    void onJobFinished(std::uint64_t generation);

    std::uint64_t m_generation = 0;
    std::shared_ptr<Job> m_job;
    bool m_running = false;
    RunSnapshot m_latest;
    QString m_scenarioJson;
    QString m_enginePath;
};

} // namespace capsim::appcore

Q_DECLARE_METATYPE(capsim::appcore::RunSnapshot)
