// Global tables, version 2019.11.21 (reference A11, Part C 12): replicas of a table in other
// regions, kept by asynchronous replication of every change the write path commits, with
// per-item last-writer-wins. The queue, the item versions (tombstones included), the counters
// and the outages live in the ReplicationStore (engine/sqlite/replication_store.cpp); all timing
// is on the engine's clock, so one process per `capsim call` works. Tables without replicas pay
// nothing: no version rows, no queue rows, no work.
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/item_codec.h"
#include "engine/metering.h"
#include "engine/sqlite/replication_store.h"
#include "engine/sqlite/stream_store.h"
#include "engine/sqlite/ttl_schedule.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace capsim {

using namespace engine_internal;

namespace {

constexpr std::size_t kReplicationBatch = 2000;
constexpr std::size_t kCopyBatch = 1000;

// Last writer wins: an arriving (time, origin) applies only over a smaller local pair.
bool newerThan(std::int64_t time, const std::string& origin, const std::optional<ItemVersion>& local)
{
    if (!local)
        return true;
    if (time != local->time)
        return time > local->time;
    return origin > local->origin;
}

std::uint64_t splitmix(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t fnv(std::string_view text, std::uint64_t h)
{
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

bool validRegionName(const std::string& region)
{
    if (region.empty() || region.size() > 64 || region.find('/') != std::string::npos)
        return false;
    return std::all_of(region.begin(), region.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Status inUse(const std::string& tableName)
{
    return Status(error::kResourceInUse,
        "Attempt to change a resource which is still in use: A replica of table " + tableName
            + " is being created or deleted");
}

} // namespace

void Engine::setReplicationLatency(EngineTime median, double sigma)
{
    m_replicationMedian = std::max<EngineTime>(1, median);
    m_replicationSigma = std::max(0.0, sigma);
}

void Engine::setReplicationSeed(std::uint64_t seed)
{
    m_replicationSeed = seed;
}

void Engine::setReplicationCatchUpRate(double changesPerSecond)
{
    if (changesPerSecond > 0)
        m_replicationCatchUpRate = changesPerSecond;
}

void Engine::setReplicaTiming(EngineTime createMinimum, EngineTime deleteDuration)
{
    m_replicaCreateMinimum = std::max<EngineTime>(0, createMinimum);
    m_replicaDeleteDuration = std::max<EngineTime>(0, deleteDuration);
}

Status Engine::setWriteAutoScaled(const std::string& tableName, bool autoScaled)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    if (t->writeAutoScaled == autoScaled)
        return Status::ok();
    t->writeAutoScaled = autoScaled;
    return saveTable(*t);
}

EngineTime Engine::replicationLatencySample(
    const std::string& tableName, const StoredKey& key, const std::string& destination, std::int64_t sequence) const
{
    // L ~ lognormal(median, sigma) per (change, destination), from the seed and the change's
    // identity (table, item, destination, commit time): deterministic (reference A11).
    std::uint64_t state = m_replicationSeed;
    state = fnv(tableName, state ^ 0xcbf29ce484222325ULL);
    state = fnv(destination, state);
    state = fnv(key.partitionKey, state ^ key.hash);
    state = fnv(key.sortKey, state ^ static_cast<std::uint64_t>(sequence));
    const double u1 = (static_cast<double>(splitmix(state) >> 11) + 0.5) / 9007199254740992.0;
    const double u2 = (static_cast<double>(splitmix(state) >> 11) + 0.5) / 9007199254740992.0;
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    const double latency = static_cast<double>(m_replicationMedian) * std::exp(m_replicationSigma * z);
    return std::max<EngineTime>(1, static_cast<EngineTime>(std::llround(latency)));
}

Status Engine::recordReplication(const TableState& table, const WriteChange& change)
{
    // Changes that arrived by replication are not sent on; a new replica's seed is a copy.
    if (change.cause == WriteCause::Replication || change.cause == WriteCause::Restore)
        return Status::ok();
    const StoredKey key = storedKeyOf(table.key, change.key);
    std::optional<ItemVersion> local;
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->version(table.id, key, local));
    // The commit time in µs, past the local version so a replica's versions always grow.
    std::int64_t commitTime = change.time;
    if (local && local->time >= commitTime)
        commitTime = local->time + 1;
    CAPSIM_RETURN_IF_ERROR(
        m_replicationStore->putVersion(table.id, key, ItemVersion { commitTime, table.region, !change.newImage }));
    const std::string keyBlob = encodeItem(change.key);
    std::optional<std::string> imageBlob;
    if (change.newImage)
        imageBlob = encodeItem(*change.newImage);
    for (const auto& replica : table.replicas) {
        if (replica.region == table.region || replica.status == ReplicaStatus::Deleting)
            continue;
        ReplicationRow row;
        row.tableName = table.name;
        row.origin = table.region;
        row.destination = replica.region;
        row.commitTime = commitTime;
        row.key = key;
        row.keyBlob = keyBlob;
        row.imageBlob = imageBlob;
        row.sizeBytes = change.newSizeBytes;
        row.due = commitTime + replicationLatencySample(table.name, key, replica.region, commitTime);
        // A replica still CREATING receives the change once ACTIVE.
        if (replica.status == ReplicaStatus::Creating)
            row.due = std::max(row.due, replica.until);
        // Never before the origin's previous change of the item to that destination.
        std::optional<std::int64_t> previous;
        CAPSIM_RETURN_IF_ERROR(m_replicationStore->lastDue(table.name, table.region, replica.region, key, previous));
        if (previous)
            row.due = std::max(row.due, *previous);
        row.held = m_downRegions.count(table.region) || m_downRegions.count(replica.region);
        CAPSIM_RETURN_IF_ERROR(m_replicationStore->enqueue(row));
        if (!row.held)
            m_replicationDueAt = std::min(m_replicationDueAt.value_or(row.due), row.due);
    }
    return Status::ok();
}

Status Engine::applyReplicated(const ReplicationRow& row, EngineTime applyAt, std::vector<TableState>& saved)
{
    TableState* t = findTableIn(row.destination, row.tableName);
    const ReplicaState* replica = t ? t->findReplica(row.destination) : nullptr;
    if (!t || !replica || replica->status == ReplicaStatus::Deleting)
        return Status::ok(); // the replica is gone or going: the change is dropped
    std::optional<ItemVersion> local;
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->version(t->id, row.key, local));
    if (!newerThan(row.commitTime, row.origin, local))
        return m_replicationStore->addCounters(row.destination, row.tableName, 0, 1, 0.0);
    auto key = decodeItem(row.keyBlob);
    if (!key)
        return key.status();
    std::optional<Item> image;
    if (row.imageBlob) {
        auto decoded = decodeItem(*row.imageBlob);
        if (!decoded)
            return decoded.status();
        image = std::move(decoded).value();
    }
    if (std::none_of(saved.begin(), saved.end(), [&](const TableState& s) { return s.id == t->id; }))
        saved.push_back(*t);
    StoredItem old;
    CAPSIM_RETURN_IF_ERROR(readStoredItem(*m_store, t->id, row.key, needsOldImage(*t), old));
    ConsumedCapacity consumed;
    {
        RegionScope scope(*this, row.destination);
        const EngineTime clock = m_now;
        m_now = applyAt; // the change is applied (and streamed) at its arrival time
        Status s = applyWrite(*t, *key, old.imageOrNull(), image ? &*image : nullptr, old.sizeBytes, old.existed,
            image ? row.sizeBytes : 0, t->partitionIndex(row.key.hash), &consumed,
            WriteOrigin { WriteCause::Replication, {}, 1.0, row.origin, row.commitTime });
        m_now = clock;
        CAPSIM_RETURN_IF_ERROR(s);
    }
    CAPSIM_RETURN_IF_ERROR(
        m_replicationStore->putVersion(t->id, row.key, ItemVersion { row.commitTime, row.origin, !image }));
    const double lag = static_cast<double>(applyAt - row.commitTime) / static_cast<double>(kMicrosPerSecond);
    return m_replicationStore->addCounters(row.destination, row.tableName, 1, 0, lag);
}

Status Engine::runReplicationWork(EngineTime now)
{
    CAPSIM_RETURN_IF_ERROR(runReplicaStatusWork(now));
    if (!m_replicationDueAt) {
        std::int64_t next = INT64_MAX;
        CAPSIM_RETURN_IF_ERROR(m_replicationStore->nextDue(next));
        m_replicationDueAt = next;
    }
    if (*m_replicationDueAt > now)
        return Status::ok();
    for (;;) {
        std::vector<ReplicationRow> rows;
        CAPSIM_RETURN_IF_ERROR(m_replicationStore->dueRows(now, kReplicationBatch, rows));
        if (rows.empty())
            break;
        std::vector<TableState> saved;
        CAPSIM_RETURN_IF_ERROR(m_store->begin());
        Status s;
        for (const auto& row : rows) {
            s = applyReplicated(row, std::max(row.due, row.commitTime), saved);
            if (s)
                s = m_replicationStore->remove(row.sequence);
            if (!s)
                break;
        }
        for (const auto& copy : saved) {
            if (!s)
                break;
            if (const TableState* t = findTableIn(copy.region, copy.name))
                s = saveTable(*t);
        }
        if (s)
            s = m_store->commit();
        if (!s) {
            m_store->rollback();
            discardChanges();
            for (auto& copy : saved)
                if (TableState* t = findTableIn(copy.region, copy.name))
                    *t = std::move(copy);
            return s;
        }
        publishChanges();
        if (rows.size() < kReplicationBatch)
            break;
    }
    std::int64_t next = INT64_MAX;
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->nextDue(next));
    m_replicationDueAt = next;
    return Status::ok();
}

Status Engine::saveReplicaLists(const std::string& tableName, const std::vector<ReplicaState>& replicas)
{
    for (const auto& replica : replicas) {
        TableState* t = findTableIn(replica.region, tableName);
        if (!t)
            return Status::internal("the replica of global table " + tableName + " in " + replica.region + " is missing");
        t->replicas = replicas.size() > 1 ? replicas : std::vector<ReplicaState> {};
        if (replica.status == ReplicaStatus::Active)
            t->creatingUntil = 0;
        CAPSIM_RETURN_IF_ERROR(saveTable(*t));
    }
    return Status::ok();
}

Status Engine::runReplicaStatusWork(EngineTime now)
{
    // Global tables whose replica statuses change by now (lists are the same on every replica).
    std::vector<std::pair<std::string, std::vector<ReplicaState>>> due;
    std::set<std::string> seen;
    for (const auto& [key, t] : m_tables) {
        if (!t.isGlobal() || seen.count(t.name))
            continue;
        for (const auto& r : t.replicas)
            if (r.status != ReplicaStatus::Active && r.until <= now) {
                due.emplace_back(t.name, t.replicas);
                seen.insert(t.name);
                break;
            }
    }
    for (auto& [name, replicas] : due) {
        std::vector<ReplicaState> next;
        std::vector<TableState> removed;
        for (const auto& r : replicas) {
            if (r.status == ReplicaStatus::Active || r.until > now) {
                next.push_back(r);
            } else if (r.status == ReplicaStatus::Creating) {
                next.push_back({ r.region, ReplicaStatus::Active, 0 });
            } else if (const TableState* t = findTableIn(r.region, name)) {
                removed.push_back(*t);
            }
        }
        std::map<std::string, TableState> savedTables;
        for (const auto& r : replicas)
            if (const TableState* t = findTableIn(r.region, name))
                savedTables.emplace(r.region, *t);
        CAPSIM_RETURN_IF_ERROR(m_store->begin());
        Status s;
        // A DELETING replica goes with its items, indexes, TTL schedule, versions and queue; its
        // stream is disabled and stays readable for its retention (reference A7).
        for (const auto& gone : removed) {
            RegionScope scope(*this, gone.region);
            if (s)
                s = m_store->deleteTable(gone.id);
            if (s)
                s = m_ttlSchedule->clearTable(gone.id);
            for (const auto& index : gone.indexes)
                if (s)
                    s = m_store->deleteTable(index.id);
            if (s)
                s = applyStreamChange(&gone, nullptr, now);
            if (s)
                s = m_replicationStore->clearVersions(gone.id);
            if (s)
                s = m_replicationStore->dropQueue(gone.region, name);
        }
        if (s)
            s = saveReplicaLists(name, next);
        // Back to one replica: an ordinary table again, without versions.
        if (s && next.size() == 1)
            if (const TableState* last = findTableIn(next.front().region, name))
                s = m_replicationStore->clearVersions(last->id);
        if (s)
            s = m_store->commit();
        if (!s) {
            m_store->rollback();
            for (auto& [region, copy] : savedTables)
                *findTableIn(region, name) = std::move(copy);
            return s;
        }
        for (const auto& gone : removed)
            m_tables.erase(tableKey(gone.region, gone.name));
        m_replicationDueAt.reset();
    }
    return Status::ok();
}

Status Engine::addReplica(TableState& source, const std::string& regionName, EngineTime now, EngineTime creatingUntil)
{
    // Same keys, indexes, billing mode, capacity and TTL setting; its own id, stream and counts.
    TableState replica = source;
    replica.id = m_nextTableId++;
    for (auto& index : replica.indexes) {
        index.id = m_nextTableId++;
        for (auto& p : index.partitions) {
            p.itemCount = 0;
            p.itemBytes = 0;
        }
    }
    for (auto& p : replica.partitions) {
        p.itemCount = 0;
        p.itemBytes = 0;
    }
    replica.region = regionName;
    replica.createdAt = now;
    replica.updatingUntil = 0;
    replica.pointInTimeRecovery = {};
    replica.restore.reset();
    replica.creatingUntil = creatingUntil;
    // Its list (completed by saveReplicaLists) makes the copy below global: it schedules no TTL
    // deletion (the first replica deletes) and queues nothing (cause Restore).
    replica.replicas = source.replicas;
    if (replica.replicas.empty())
        replica.replicas.push_back({ source.region, ReplicaStatus::Active, 0 });
    replica.replicas.push_back({ regionName, ReplicaStatus::Creating, creatingUntil });
    replica.stream = {};
    replica.ttl.expiredItems = 0;
    replica.ttl.deletedItems = 0;
    replica.ttl.deletionDelaySum = 0;
    RegionScope scope(*this, regionName);
    CAPSIM_RETURN_IF_ERROR(saveTable(replica));
    const std::string key = tableKey(regionName, replica.name);
    m_tables.emplace(key, replica);
    TableState& target = m_tables.at(key);
    // The table's items as of now, through the write path (cause Restore: no capacity, not
    // replicated again), in batches: the copy writes into the B-tree it reads.
    StoredKey after;
    bool started = false;
    for (;;) {
        std::vector<std::pair<Item, std::int64_t>> batch;
        Status decodeStatus;
        CAPSIM_RETURN_IF_ERROR(m_store->scanRange(source.id, 0, UINT64_MAX, started ? &after : nullptr,
            [&](const StoredRow& row) {
                auto item = decodeItem(row.blob);
                if (!item) {
                    decodeStatus = item.status();
                    return false;
                }
                after = StoredKey { row.hash, std::string(row.partitionKey), std::string(row.sortKey) };
                batch.emplace_back(std::move(item).value(), row.sizeBytes);
                return batch.size() < kCopyBatch;
            }));
        CAPSIM_RETURN_IF_ERROR(decodeStatus);
        started = true;
        for (const auto& [item, size] : batch) {
            const StoredKey stored = storedKeyOf(target.key, item);
            CAPSIM_RETURN_IF_ERROR(applyWrite(target, item, nullptr, &item, 0, false, size,
                target.partitionIndex(stored.hash), nullptr, WriteOrigin { WriteCause::Restore, {}, 0.0 }));
        }
        if (batch.size() < kCopyBatch)
            break;
    }
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->copyVersions(source.id, target.id));
    // Each replica has its own NEW_AND_OLD_IMAGES stream (reference A11), from after the copy.
    const TableState copied = target;
    CAPSIM_RETURN_IF_ERROR(planStreamChange(
        nullptr, target, StreamSpecification { true, StreamViewType::NewAndOldImages }, now));
    CAPSIM_RETURN_IF_ERROR(applyStreamChange(&copied, &target, now));
    return saveTable(target);
}

Result<TableState> Engine::updateReplicas(
    const std::string& tableName, ReplicaAction action, const std::string& regionName, EngineTime now)
{
    m_now = std::max(m_now, now);
    const char* field = action == ReplicaAction::Create ? "replicaUpdates.1.member.create.regionName"
                                                        : "replicaUpdates.1.member.delete.regionName";
    if (!validRegionName(regionName))
        return Status::validation("1 validation error detected: Value '" + regionName + "' at '" + field
            + "' failed to satisfy constraint: Member must be a region name such as us-west-2");
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    // Part C 12's checks and texts.
    if (regionName == t->region)
        return Status::validation("Cannot add or delete the local region through ReplicaUpdates");
    for (const auto& r : t->replicas)
        if (r.status != ReplicaStatus::Active)
            return inUse(tableName);
    if (action == ReplicaAction::Delete) {
        if (!t->findReplica(regionName))
            return invalidParameter("Replica " + regionName + " does not exist for table " + tableName);
        std::vector<ReplicaState> next = t->replicas;
        for (auto& r : next)
            if (r.region == regionName)
                r = ReplicaState { regionName, ReplicaStatus::Deleting, now + m_replicaDeleteDuration };
        std::map<std::string, TableState> savedTables;
        for (const auto& r : next)
            savedTables.emplace(r.region, *findTableIn(r.region, tableName));
        CAPSIM_RETURN_IF_ERROR(m_store->begin());
        // Replication to and from a DELETING replica stops.
        Status s = m_replicationStore->dropQueue(regionName, tableName);
        if (s)
            s = saveReplicaLists(tableName, next);
        if (s)
            s = m_store->commit();
        if (!s) {
            m_store->rollback();
            for (auto& [region, copy] : savedTables)
                *findTableIn(region, tableName) = std::move(copy);
            return s;
        }
        m_replicationDueAt.reset();
        return *findTable(tableName);
    }
    if (t->findReplica(regionName) || findTableIn(regionName, tableName))
        return Status::validation("One or more replicas already existed as tables");
    if (t->billingMode == BillingMode::Provisioned && !t->writeAutoScaled)
        return Status::validation("Table write capacity should either be Pay-Per-Request or AutoScaled");
    // CREATING for max(model.replicaCreateMinSeconds, bytes / model.restoreRate) (reference A11).
    std::int64_t bytes = t->billableBytes();
    for (const auto& index : t->indexes)
        bytes += index.billableBytes();
    EngineTime copyTime = 0;
    if (m_restoreBytesPerSecond > 0)
        copyTime = static_cast<EngineTime>(std::ceil(static_cast<double>(bytes) * static_cast<double>(kMicrosPerSecond)
            / static_cast<double>(m_restoreBytesPerSecond)));
    const EngineTime until = now + std::max(m_replicaCreateMinimum, copyTime);
    CAPSIM_RETURN_IF_ERROR(addReplicas(tableName, { regionName }, until));
    m_replicationDueAt = std::min(m_replicationDueAt.value_or(until), until);
    return *findTable(tableName);
}

Status Engine::createReplicasNow(const std::string& tableName, const std::vector<std::string>& regions)
{
    return addReplicas(tableName, regions, 0);
}

Status Engine::addReplicas(const std::string& tableName, const std::vector<std::string>& regions, EngineTime until)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    if (regions.empty())
        return Status::validation("createReplicasNow: regions must name at least one region");
    std::set<std::string> wanted;
    for (const auto& region : regions) {
        if (!validRegionName(region))
            return Status::validation("createReplicasNow: regions: '" + region + "' is not a region name");
        if (region == t->region)
            return Status::validation("Cannot add or delete the local region through ReplicaUpdates");
        if (!wanted.insert(region).second || t->findReplica(region) || findTableIn(region, tableName))
            return Status::validation("One or more replicas already existed as tables");
    }
    const TableState savedSource = *t;
    const std::int64_t savedNextId = m_nextTableId;
    std::vector<std::string> added;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s;
    // A NEW_AND_OLD_IMAGES stream if none (reference A11).
    if (!t->stream.enabled) {
        TableState next = *t;
        s = planStreamChange(nullptr, next, StreamSpecification { true, StreamViewType::NewAndOldImages }, m_now);
        if (s)
            s = applyStreamChange(t, &next, m_now);
        if (s)
            *t = std::move(next);
    }
    std::vector<ReplicaState> list = t->replicas;
    if (list.empty())
        list.push_back({ t->region, ReplicaStatus::Active, 0 });
    for (const auto& region : regions) {
        if (!s)
            break;
        s = addReplica(*t, region, m_now, until);
        if (s) {
            added.push_back(region);
            list.push_back({ region, until > 0 ? ReplicaStatus::Creating : ReplicaStatus::Active, until });
        }
        t = findTable(tableName); // m_tables grew: refresh the pointer
    }
    if (s)
        s = saveReplicaLists(tableName, list);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        discardChanges();
        for (const auto& region : added)
            m_tables.erase(tableKey(region, tableName));
        *findTable(tableName) = savedSource;
        m_nextTableId = savedNextId;
        return s;
    }
    publishChanges();
    return Status::ok();
}

Status Engine::setRegionDown(const std::string& region, bool down, EngineTime now)
{
    if (!validRegionName(region))
        return Status::validation("regionOutage: region '" + region + "' is not a region name");
    // Work due before the outage's edge happens first.
    CAPSIM_RETURN_IF_ERROR(advanceTime(now));
    now = std::max(now, m_now);
    if (down == (m_downRegions.count(region) > 0))
        return Status::ok();
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = m_replicationStore->setDown(region, down, now);
    if (down) {
        // Changes to and from the region stay queued.
        if (s)
            s = m_replicationStore->holdRegion(region);
    } else {
        // Back: every held change whose regions are both up drains in order at
        // model.replicationCatchUpRate per destination: the k-th at now + k / rate.
        std::set<std::string> stillDown = m_downRegions;
        stillDown.erase(region);
        std::vector<std::string> destinations;
        if (s)
            s = m_replicationStore->heldDestinations(destinations);
        for (const auto& destination : destinations) {
            if (!s || stillDown.count(destination))
                continue;
            std::vector<ReplicationRow> held;
            s = m_replicationStore->heldRows(destination, held);
            std::int64_t k = 0;
            std::map<std::string, std::int64_t> lastDue; // per (table, origin, item): per-item order
            auto itemOf = [](const ReplicationRow& r) {
                return r.tableName + '\x1f' + r.origin + '\x1f' + std::to_string(r.key.hash) + '\x1f' + r.key.partitionKey
                    + '\x1f' + r.key.sortKey;
            };
            for (const auto& row : held) {
                if (!s)
                    break;
                if (stillDown.count(row.origin))
                    continue;
                ++k;
                const auto drainAt = now
                    + static_cast<EngineTime>(std::ceil(static_cast<double>(k) * static_cast<double>(kMicrosPerSecond)
                        / m_replicationCatchUpRate));
                const std::int64_t due = std::max(row.due, drainAt);
                auto& last = lastDue[itemOf(row)];
                last = std::max(last, due);
                s = m_replicationStore->release(row.sequence, due);
            }
            // Later changes of a drained item wait for it (never before the previous change).
            std::vector<ReplicationRow> pending;
            if (s && !lastDue.empty())
                s = m_replicationStore->pendingRows(destination, now, pending);
            std::sort(pending.begin(), pending.end(),
                [](const ReplicationRow& a, const ReplicationRow& b) { return a.sequence < b.sequence; });
            for (const auto& row : pending) {
                if (!s)
                    break;
                auto it = lastDue.find(itemOf(row));
                if (it == lastDue.end())
                    continue;
                if (row.due < it->second)
                    s = m_replicationStore->setDue(row.sequence, it->second);
                it->second = std::max(it->second, row.due);
            }
        }
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        return s;
    }
    if (down)
        m_downRegions.insert(region);
    else
        m_downRegions.erase(region);
    m_replicationDueAt.reset();
    return Status::ok();
}

bool Engine::regionDown(const std::string& region) const
{
    return m_downRegions.count(region) > 0;
}

Result<Engine::ReplicationCounters> Engine::replicationCounters(
    const std::string& region, const std::string& tableName) const
{
    if (!findTableIn(region, tableName))
        return Status::notFound("Requested resource not found: Table: " + tableName + " not found in " + region);
    ReplicaCounterRow row;
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->counters(region, tableName, row));
    ReplicationCounters out;
    out.applied = row.applied;
    out.conflicts = row.conflicts;
    out.maxLagSeconds = row.maxLagSeconds;
    CAPSIM_RETURN_IF_ERROR(m_replicationStore->queuedCount(region, tableName, out.queued));
    return out;
}

std::vector<std::string> Engine::replicaRegions(const std::string& tableName) const
{
    const TableState* t = findTableIn(m_region, tableName);
    std::vector<std::string> out;
    if (!t || !t->isGlobal())
        return out;
    out.push_back(t->region);
    for (const auto& r : t->replicas)
        if (r.region != t->region)
            out.push_back(r.region);
    return out;
}

} // namespace capsim
