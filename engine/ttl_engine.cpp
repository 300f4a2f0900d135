// Time to Live in the engine (reference A6): UpdateTimeToLive's rules and DescribeTimeToLive.

#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace capsim {

using namespace engine_internal;

Result<TimeToLiveSpecification> Engine::updateTimeToLive(
    const std::string& tableName, const TimeToLiveSpecification& spec, EngineTime now)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    const TimeToLiveState& ttl = t->ttl;
    // Checked in this order; the first three before the interval (reference A6, C 7).
    if (ttl.enabled && spec.attributeName != ttl.attributeName)
        return Status::validation(
            "TimeToLive is active on a different AttributeName: current AttributeName is " + ttl.attributeName);
    if (spec.enabled && ttl.enabled)
        return Status::validation("TimeToLive is already enabled");
    if (!spec.enabled && !ttl.enabled)
        return Status::validation("TimeToLive is already disabled");
    if (ttl.lastChangeAt && now - *ttl.lastChangeAt < m_ttlCooldown)
        return Status::validation("Time to live has been modified multiple times within a fixed interval");
    TableState next = *t;
    next.ttl.enabled = spec.enabled;
    next.ttl.attributeName = spec.attributeName;
    next.ttl.statusAt = now + m_ttlStatusDelay;
    next.ttl.lastChangeAt = now;
    CAPSIM_RETURN_IF_ERROR(saveTable(next));
    *t = std::move(next);
    return spec;
}

Result<TimeToLiveDescription> Engine::describeTimeToLive(const std::string& tableName, EngineTime now) const
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFound(tableName);
    return describeTimeToLiveState(t->ttl, now);
}

Status Engine::enableTimeToLive(const std::string& tableName, const std::string& attributeName)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    TableState next = *t;
    next.ttl.enabled = true;
    next.ttl.attributeName = attributeName;
    next.ttl.statusAt = m_now;
    next.ttl.lastChangeAt.reset();
    CAPSIM_RETURN_IF_ERROR(saveTable(next));
    *t = std::move(next);
    return Status::ok();
}

Result<TtlCounters> Engine::ttlCounters(const std::string& tableName) const
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFound(tableName);
    TtlCounters counters;
    counters.expired = t->ttl.expiredItems;
    counters.deleted = t->ttl.deletedItems;
    if (counters.deleted > 0)
        counters.meanDelaySeconds = static_cast<double>(t->ttl.deletionDelaySum)
            / static_cast<double>(kMicrosPerSecond) / static_cast<double>(counters.deleted);
    return counters;
}

} // namespace capsim
