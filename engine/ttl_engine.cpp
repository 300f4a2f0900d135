// Time to Live in the engine (reference A6): UpdateTimeToLive's rules, DescribeTimeToLive, the
// schedule of deletions kept in SQLite (engine/sqlite/ttl_schedule.*) in the storage transaction
// of each item change, and the deletions the clock brings due (runDueWork).

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/item_codec.h"
#include "engine/sqlite/ttl_schedule.h"

#include <map>

namespace capsim {

using namespace engine_internal;

namespace {

// Deletions applied per storage transaction: bounds the memory of one step, not its outcome.
constexpr std::size_t kTtlDeletionBatch = 256;

} // namespace

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
    // The settings and the schedule change together: enabling schedules every item, disabling
    // cancels every deletion (reference A6).
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = saveTable(next);
    if (s)
        s = rebuildTtlSchedule(next, now);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        return s;
    }
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
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = saveTable(next);
    if (s)
        s = rebuildTtlSchedule(next, m_now);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        return s;
    }
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

std::optional<TtlScheduleEntry> Engine::ttlEntryFor(
    const TableState& table, const Item& item, EngineTime writtenAt) const
{
    // Only a top-level N counts; other types, and values nested in maps or lists, are ignored
    // (reference A6, C 7).
    const auto found = item.find(table.ttl.attributeName);
    if (found == item.end() || !found->second.is(AttrType::N))
        return std::nullopt;
    const Number& value = found->second.asNumber();
    const auto micros = ttlValueMicros(value);
    if (!micros)
        return std::nullopt;
    TtlScheduleEntry entry;
    entry.tableId = table.id;
    entry.key = storedKeyOf(table.key, item);
    entry.keyText = ttlKeyText(keyOf(table.key, item));
    entry.ttlValue = value.toString();
    const std::int64_t delaySeconds
        = ttlDelaySeconds(ttlHashFraction(m_ttlSeed, table.name, entry.keyText, entry.ttlValue), m_ttlDelay);
    const auto deadline = ttlDeadline(*micros, table.ttl.statusAt, writtenAt, delaySeconds);
    if (!deadline)
        return std::nullopt;
    entry.expiresAt = deadline->expiresAt;
    entry.due = deadline->due;
    entry.deletes = deadline->deletes;
    entry.delay = deadline->delay;
    return entry;
}

Status Engine::recordTtl(const TableState& table, const WriteChange& change)
{
    // Changing the attribute reschedules or cancels (reference A6); the row is replaced whole.
    if (change.newImage) {
        if (auto entry = ttlEntryFor(table, *change.newImage, change.time))
            return m_ttlSchedule->put(*entry);
    }
    return m_ttlSchedule->erase(table.id, storedKeyOf(table.key, change.key));
}

Status Engine::rebuildTtlSchedule(const TableState& table, EngineTime now)
{
    CAPSIM_RETURN_IF_ERROR(m_ttlSchedule->clearTable(table.id));
    if (!table.ttl.enabled)
        return Status::ok();
    // Collect first, write after: the scan reads the items B-tree while the schedule is written.
    std::vector<TtlScheduleEntry> entries;
    Status decodeStatus;
    CAPSIM_RETURN_IF_ERROR(m_store->scanRange(table.id, 0, UINT64_MAX, nullptr, [&](const StoredRow& row) {
        auto item = decodeItem(row.blob);
        if (!item) {
            decodeStatus = item.status();
            return false;
        }
        if (auto entry = ttlEntryFor(table, *item, now))
            entries.push_back(std::move(*entry));
        return true;
    }));
    CAPSIM_RETURN_IF_ERROR(decodeStatus);
    for (const auto& entry : entries)
        CAPSIM_RETURN_IF_ERROR(m_ttlSchedule->put(entry));
    return Status::ok();
}

Status Engine::runTtlDeletions(EngineTime now)
{
    // Only TTL-enabled tables have rows: nothing to read while none is.
    std::map<std::int64_t, TableState*> byId;
    for (auto& [name, t] : m_tables)
        if (t.ttl.enabled)
            byId.emplace(t.id, &t);
    if (byId.empty())
        return Status::ok();
    // Most clock steps bring nothing due: look before opening a storage transaction.
    std::int64_t next = 0;
    CAPSIM_RETURN_IF_ERROR(m_ttlSchedule->nextEvent(next));
    if (next > now)
        return Status::ok();
    std::map<std::int64_t, TableState> saved;
    auto keep = [&](TableState& t) { saved.try_emplace(t.id, t); };
    auto fail = [&](Status s) {
        m_store->rollback();
        discardChanges();
        for (auto& [id, copy] : saved)
            *byId.at(id) = std::move(copy);
        return s;
    };
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    // Items reaching max(v, tEnabled) by now count as expired (reference A6 "Summary").
    std::vector<std::pair<std::int64_t, std::int64_t>> expired;
    if (Status s = m_ttlSchedule->countExpired(now, expired); !s)
        return fail(s);
    for (const auto& [id, count] : expired) {
        auto it = byId.find(id);
        if (it == byId.end())
            continue;
        keep(*it->second);
        it->second->ttl.expiredItems += count;
    }
    // Every deletion with d <= now, in (d, key) order, each at its own d, free of capacity
    // (reference A6): through the one write path, which also drops its schedule row.
    std::vector<TtlScheduleEntry> batch;
    for (;;) {
        if (Status s = m_ttlSchedule->due(now, kTtlDeletionBatch, batch); !s)
            return fail(s);
        if (batch.empty())
            break;
        for (const auto& entry : batch) {
            auto it = byId.find(entry.tableId);
            StoredItem old;
            Status s = it == byId.end() ? Status::ok() : readStoredItem(*m_store, entry.tableId, entry.key, true, old);
            if (!s)
                return fail(s);
            // No longer eligible at d (older than 5 years then): the row goes, the item stays.
            if (it == byId.end() || !entry.deletes || !old.existed) {
                if (Status e = m_ttlSchedule->erase(entry.tableId, entry.key); !e)
                    return fail(e);
                continue;
            }
            TableState& t = *it->second;
            keep(t);
            // The deletion happens at its d: the write path (its WriteChange, the recorders) sees
            // the clock there, then it returns to `now`. No units: factor 0.
            m_now = entry.due;
            s = applyWrite(t, keyOf(t.key, *old.image), old.imageOrNull(), nullptr, old.sizeBytes, true, 0,
                t.partitionIndex(entry.key.hash), nullptr, WriteOrigin { WriteCause::TtlDeletion, {}, 0.0 });
            m_now = now;
            if (!s)
                return fail(s);
            t.ttl.deletedItems += 1;
            t.ttl.deletionDelaySum += entry.delay;
        }
    }
    for (const auto& [id, copy] : saved)
        if (Status s = saveTable(*byId.at(id)); !s)
            return fail(s);
    if (Status s = m_store->commit(); !s)
        return fail(s);
    publishChanges();
    return Status::ok();
}

} // namespace capsim
