#include "app/appcore/run_controller.h"

#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QFile>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace capsim::appcore {

// One run: its stop flag and outcome, shared between the worker and the controller.
struct RunController::Job {
    std::atomic<bool> stop { false };
    Result<std::shared_ptr<const RunResult>> outcome = Status::internal("not run");
    QFutureWatcher<void> watcher;
};

RunController::RunController(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<RunSnapshot>("capsim::appcore::RunSnapshot");
}

RunController::~RunController()
{
    if (m_job) {
        m_job->stop.store(true);
        m_job->watcher.waitForFinished();
    }
}

bool RunController::start(const QString& scenarioJson, const QString& baseDirectory, const QString& enginePath)
{
    cancel();
    auto loaded = loadScenarioText(scenarioJson.toStdString(), baseDirectory.toStdString());
    if (!loaded.scenario) {
        emit failed(QString::fromStdString(formatErrors(loaded.errors)));
        return false;
    }
    Result<PricingTable> pricing = Status::notFound("");
    if (loaded.scenario->pricingFile) {
        QFile file(QString::fromStdString(*loaded.scenario->pricingFile));
        if (!file.open(QIODevice::ReadOnly)) {
            emit failed(tr("pricing: cannot read %1").arg(file.fileName()));
            return false;
        }
        pricing = parsePricing(file.readAll().toStdString());
    } else {
        pricing = builtInPricing(loaded.scenario->region);
    }
    if (!pricing) {
        emit failed(tr("pricing: %1").arg(QString::fromStdString(pricing.status().message())));
        return false;
    }
    if (!enginePath.isEmpty()) {
        for (const char* suffix : { "", "-wal", "-shm" })
            QFile::remove(enginePath + suffix);
    }
    const std::uint64_t generation = ++m_generation;
    auto job = std::make_shared<Job>();
    m_job = job;
    m_running = true;
    m_latest.reset();
    m_scenarioJson = scenarioJson;
    m_enginePath = enginePath;

    SimulatorOptions options;
    options.pricing = *pricing;
    options.stop = &job->stop;
    options.enginePath = enginePath.isEmpty() ? ":memory:" : enginePath.toStdString();
    QPointer<RunController> self(this);
    // Called on the worker thread: forward to the GUI thread, dropping superseded runs.
    options.progress = [self, generation](double fraction) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, fraction] {
                if (self && self->m_generation == generation)
                    emit self->progressChanged(fraction);
            },
            Qt::QueuedConnection);
    };
    options.snapshot = [self, generation](std::shared_ptr<const RunResult> snapshot) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, snapshot] {
                if (self && self->m_generation == generation && self->m_running) {
                    self->m_latest = snapshot;
                    emit self->snapshotAvailable(snapshot);
                }
            },
            Qt::QueuedConnection);
    };
    connect(&job->watcher, &QFutureWatcher<void>::finished, this, [this, generation] { onJobFinished(generation); });
    Scenario scenario = std::move(*loaded.scenario);
    job->watcher.setFuture(QtConcurrent::run([job, scenario = std::move(scenario), options]() mutable {
        Simulator simulator(std::move(scenario), std::move(options));
        job->outcome = simulator.run();
    }));
    emit started();
    return true;
}

void RunController::cancel()
{
    if (m_job && m_running)
        m_job->stop.store(true);
}

void RunController::onJobFinished(std::uint64_t generation)
{
    if (generation != m_generation || !m_job)
        return;
    std::shared_ptr<Job> job = m_job;
    m_running = false;
    if (!job->outcome) {
        emit failed(QString::fromStdString(job->outcome.status().toString()));
        return;
    }
    m_latest = *job->outcome;
    if (m_latest->cancelled || job->stop.load()) {
        emit cancelled();
        return;
    }
    emit finished(m_latest);
}

} // namespace capsim::appcore
