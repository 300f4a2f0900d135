// The engine's clock and the background work that follows it: TTL deletions, status changes,
// stream trimming and the other work DynamoDB does between requests run here, when the clock
// moves (Engine::advanceTime), never on their own.
#include "engine/engine.h"

#include <string>

namespace capsim {

namespace {

constexpr const char* kClockSetting = "clock";

} // namespace

Status Engine::advanceTime(EngineTime now)
{
    if (now < m_now)
        return Status::ok();
    m_now = now;
    return runDueWork(now);
}

Status Engine::runDueWork(EngineTime now)
{
    // Each data feature adds its step here, in this order: TTL deletions, table and index
    // status changes, stream trimming.
    CAPSIM_RETURN_IF_ERROR(runTtlDeletions(now));
    // Exports complete before the PITR log is purged, so the history they read is still there.
    CAPSIM_RETURN_IF_ERROR(runExportWork(now));
    CAPSIM_RETURN_IF_ERROR(runPitrWork(now));
    CAPSIM_RETURN_IF_ERROR(runStreamWork(now));
    CAPSIM_RETURN_IF_ERROR(runImportWork(now));
    // Global tables (engine/replication.cpp): replica status changes, then changes due by now.
    CAPSIM_RETURN_IF_ERROR(runReplicationWork(now));
    return Status::ok();
}

Status Engine::saveClock()
{
    return m_store->putSetting(kClockSetting, std::to_string(m_now));
}

Status Engine::loadClock()
{
    auto stored = m_store->getSetting(kClockSetting);
    if (!stored)
        return stored.status();
    if (!*stored)
        return Status::ok();
    try {
        m_now = std::stoll(**stored);
    } catch (const std::exception&) {
        return Status::internal("the database's stored clock '" + **stored + "' is not a time");
    }
    return Status::ok();
}

// The ARN in region()'s (reference A11: each replica's ARN carries its region).
std::string Engine::tableArn(const std::string& tableName) const
{
    return "arn:aws:dynamodb:" + m_region + ":000000000000:table/" + tableName;
}

} // namespace capsim
