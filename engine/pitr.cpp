// Point-in-time recovery (reference A8, Part C 9): UpdateContinuousBackups and
// DescribeContinuousBackups, the change log recorded with each item change, the table as it was
// at a time t, restores (to a point in time here, from a backup in backups.cpp) and the
// background work of both (purges, restore completion, system backup expiry).
//
// Storage: an undo log (engine/sqlite/pitr_store.h). Each change of a PITR table records the
// item's image before the change, in the change's own storage transaction. The table at t is
// the live table with every key changed after t replaced by the image before its first change
// after t: reading t costs the changes since t, not a copy of the table per second, and the live
// table is the one snapshot the log needs. The log keeps the window only (purged by
// runPitrWork), so it holds about (writes in the window) x (old image + ~50 bytes).
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/item_codec.h"
#include "engine/item_size.h"
#include "engine/sqlite/pitr_store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <tuple>

namespace capsim {

using namespace engine_internal;
namespace json = boost::json;

namespace {

constexpr EngineTime kMicrosPerMilli = 1000;
// Purges and expiries are not due more than once per engine minute (restores complete on time).
constexpr EngineTime kPitrWorkInterval = 60 * kMicrosPerSecond;

EngineTime ceilToMillis(EngineTime t)
{
    return (t + kMicrosPerMilli - 1) / kMicrosPerMilli * kMicrosPerMilli;
}

Status tableNotFoundForBackups(const std::string& name)
{
    return Status(error::kTableNotFound, "Table not found: " + name);
}

std::string isoTime(EngineTime t)
{
    const std::time_t seconds = static_cast<std::time_t>(t / kMicrosPerSecond);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>((t % kMicrosPerSecond) / kMicrosPerMilli));
    return buffer;
}

using KeyTuple = std::tuple<std::uint64_t, std::string_view, std::string_view>;

KeyTuple tupleOf(const StoredKey& key)
{
    return { key.hash, key.partitionKey, key.sortKey };
}

// What a restore's settings record: the table's settings that a restore takes (reference A8),
// without the figures that change with every write (partitions, counts).
std::string settingsSignature(const TableState& t)
{
    json::object o;
    o["billingMode"] = billingModeName(t.billingMode);
    o["readCapacity"] = t.readCapacity;
    o["writeCapacity"] = t.writeCapacity;
    json::array indexes;
    for (const auto& index : t.indexes) {
        json::array nonKey;
        for (const auto& name : index.nonKeyAttributes)
            nonKey.push_back(json::value(name));
        indexes.push_back(json::object { { "name", index.name }, { "kind", index.isGlobal() ? "G" : "L" },
            { "pk", index.key.partition.name }, { "sk", index.key.sort ? index.key.sort->name : "" },
            { "projection", projectionTypeName(index.projection) }, { "nonKey", std::move(nonKey) },
            { "read", index.readCapacity }, { "write", index.writeCapacity } });
    }
    o["indexes"] = std::move(indexes);
    return json::serialize(o);
}

} // namespace

EngineTime earliestRestorableTime(const PointInTimeRecoveryState& pitr, EngineTime now)
{
    return std::max(pitr.enabledAt, now - pitr.recoveryPeriodDays * kMicrosPerDay);
}

EngineTime latestRestorableTime(const PointInTimeRecoveryState& pitr, EngineTime now, EngineTime lag)
{
    return std::max(pitr.enabledAt, now - lag);
}

EngineTime restoreDuration(std::int64_t bytes, EngineTime minimum, std::int64_t bytesPerSecond)
{
    const EngineTime byRate = bytesPerSecond > 0
        ? static_cast<EngineTime>(static_cast<double>(bytes) / static_cast<double>(bytesPerSecond)
              * static_cast<double>(kMicrosPerSecond))
        : 0;
    return std::max(minimum, byRate);
}

const char* backupTypeName(BackupType type)
{
    return type == BackupType::System ? "SYSTEM" : "USER";
}

const char* backupStatusName(BackupStatus status)
{
    switch (status) {
    case BackupStatus::Creating: return "CREATING";
    case BackupStatus::Available: return "AVAILABLE";
    case BackupStatus::Deleted: return "DELETED";
    }
    return "";
}

const TableState* Engine::tableIncludingRestoring(const std::string& tableName) const
{
    auto it = m_tables.find(tableKey(tableName));
    return it == m_tables.end() ? nullptr : &it->second;
}

Result<ContinuousBackupsDescription> Engine::updateContinuousBackups(
    const std::string& tableName, bool enabled, std::optional<int> recoveryPeriodDays, EngineTime now)
{
    if (!enabled && recoveryPeriodDays)
        return Status::validation(
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.");
    if (recoveryPeriodDays && (*recoveryPeriodDays < kMinRecoveryPeriodDays || *recoveryPeriodDays > kMaxRecoveryPeriodDays))
        return Status::validation("1 validation error detected: Value '" + std::to_string(*recoveryPeriodDays)
            + "' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must "
              "have value between 1 and 35");
    TableState* current = findTable(tableName);
    if (!current)
        return tableNotFoundForBackups(tableName);
    m_now = std::max(m_now, now);
    TableState next = *current;
    PointInTimeRecoveryState& pitr = next.pointInTimeRecovery;
    if (enabled) {
        if (!pitr.enabled)
            pitr.enabledAt = now; // enabling, or re-enabling, starts a new window (reference C 9)
        else // history is never longer than what was kept: a longer period fills up from here
            pitr.enabledAt = earliestRestorableTime(current->pointInTimeRecovery, now);
        pitr.enabled = true;
        pitr.recoveryPeriodDays = recoveryPeriodDays.value_or(kDefaultRecoveryPeriodDays);
    } else {
        pitr.enabled = false;
        pitr.recoveryPeriodDays = kDefaultRecoveryPeriodDays;
    }
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s;
    if (!next.pointInTimeRecovery.enabled || !current->pointInTimeRecovery.enabled)
        s = m_pitrStore->dropHistory(next.id);
    else // a shorter period drops the history before its new start at once
        s = m_pitrStore->purgeLog(next.id, ceilToMillis(earliestRestorableTime(pitr, now)) - 1);
    if (s)
        s = saveTable(next);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        return s;
    }
    *current = std::move(next);
    return describeContinuousBackups(tableName);
}

Result<ContinuousBackupsDescription> Engine::describeContinuousBackups(const std::string& tableName) const
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFoundForBackups(tableName);
    ContinuousBackupsDescription d;
    d.enabled = t->pointInTimeRecovery.enabled;
    d.recoveryPeriodDays = t->pointInTimeRecovery.recoveryPeriodDays;
    if (d.enabled) {
        d.earliestRestorable = earliestRestorableTime(t->pointInTimeRecovery, m_now);
        d.latestRestorable = latestRestorableTime(t->pointInTimeRecovery, m_now, m_pitrLag);
    }
    return d;
}

Status Engine::recordPitrChange(const TableState& table, const WriteChange& change)
{
    const StoredKey key = storedKeyOf(table.key, change.key);
    if (!change.oldImage)
        return m_pitrStore->appendChange(table.id, change.time, key, 0, nullptr);
    const std::string blob = encodeItem(*change.oldImage);
    return m_pitrStore->appendChange(table.id, change.time, key, change.oldSizeBytes, &blob);
}

Status Engine::recordPitrSettings(const TableState& table)
{
    if (!table.pointInTimeRecovery.enabled || !m_pitrStore)
        return Status::ok();
    return m_pitrStore->recordVersion(table.id, m_now, settingsSignature(table), json::serialize(table.toJson()));
}

Status Engine::runPitrWork(EngineTime now)
{
    // Restores complete on time: the target turns ACTIVE and visible (reference A8).
    for (auto& [name, t] : m_tables) {
        if (t.restore && now >= t.restore->completesAt) {
            TableState done = t;
            done.restore.reset();
            CAPSIM_RETURN_IF_ERROR(saveTable(done));
            t = std::move(done);
        }
    }
    if (now < m_pitrWorkDueAt)
        return Status::ok();
    m_pitrWorkDueAt = now + kPitrWorkInterval;
    for (const auto& [name, t] : m_tables) {
        if (!t.pointInTimeRecovery.enabled)
            continue;
        // Entries at or before the window's start are never needed: a restore reads changes after t.
        CAPSIM_RETURN_IF_ERROR(
            m_pitrStore->purgeLog(t.id, ceilToMillis(earliestRestorableTime(t.pointInTimeRecovery, now)) - 1));
    }
    return m_pitrStore->purgeExpiredBackups(now);
}

std::int64_t Engine::pitrBillableBytes(const std::string& tableName) const
{
    const TableState* t = table(tableName);
    if (!t || !t->pointInTimeRecovery.enabled)
        return 0;
    std::int64_t bytes = t->billableBytes();
    for (const auto& index : t->indexes)
        if (!index.isGlobal())
            bytes += index.billableBytes();
    return bytes;
}

Result<Engine::PitrLogSize> Engine::pitrLogSize(const std::string& tableName)
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFoundForBackups(tableName);
    auto size = m_pitrStore->logSize(t->id);
    if (!size)
        return size.status();
    return PitrLogSize { size->entries, size->bytes };
}

namespace {

// The window check of RestoreTableToPointInTime (reference A8): PITR enabled, then t in
// [Earliest, Latest] at millisecond precision.
Status checkRestorable(const TableState& t, EngineTime time, EngineTime now, EngineTime lag)
{
    if (!t.pointInTimeRecovery.enabled)
        return Status(error::kPointInTimeRecoveryUnavailable, "Point in time recovery is not enabled for table '" + t.name + "'");
    const EngineTime earliest = earliestRestorableTime(t.pointInTimeRecovery, now);
    const EngineTime latest = latestRestorableTime(t.pointInTimeRecovery, now, lag);
    if (time < ceilToMillis(earliest) || time > latest)
        return Status(error::kInvalidRestoreTime, "Invalid restore time specified. RestoreDateTime must be between "
                + isoTime(earliest) + " and " + isoTime(latest));
    return Status::ok();
}

} // namespace

Status Engine::visitItemsAt(const std::string& tableName, EngineTime time, std::uint64_t hashLow,
    std::uint64_t hashHigh, const ItemAtVisitor& visit)
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFoundForBackups(tableName);
    CAPSIM_RETURN_IF_ERROR(checkRestorable(*t, time, m_now, 0));
    std::vector<LoggedImage> changed;
    CAPSIM_RETURN_IF_ERROR(m_pitrStore->firstChangesAfter(t->id, time, std::nullopt, hashLow, hashHigh,
        [&](const LoggedImage& image) {
            changed.push_back(image);
            return true;
        }));
    // Merge, in key order, the live items with the images of the keys changed since `time`.
    std::size_t next = 0;
    bool stopped = false;
    Status failure;
    auto emit = [&](std::string_view blob, std::int64_t size) {
        auto item = decodeItem(blob);
        if (!item) {
            failure = item.status();
            return false;
        }
        if (!visit(*item, size))
            stopped = true;
        return !stopped;
    };
    auto emitChangedBefore = [&](const KeyTuple* limit) {
        for (; next < changed.size() && (!limit || tupleOf(changed[next].key) < *limit); ++next)
            if (changed[next].blob && !emit(*changed[next].blob, changed[next].sizeBytes)) {
                ++next;
                return false;
            }
        return true;
    };
    CAPSIM_RETURN_IF_ERROR(m_store->scanRange(t->id, hashLow, hashHigh, nullptr, [&](const StoredRow& row) {
        const KeyTuple rowKey { row.hash, row.partitionKey, row.sortKey };
        if (!emitChangedBefore(&rowKey))
            return false;
        if (next < changed.size() && tupleOf(changed[next].key) == rowKey) {
            const LoggedImage& image = changed[next++];
            return !image.blob || emit(*image.blob, image.sizeBytes);
        }
        return emit(row.blob, row.sizeBytes);
    }));
    CAPSIM_RETURN_IF_ERROR(failure);
    if (!stopped)
        emitChangedBefore(nullptr);
    return failure;
}

Status Engine::visitChangesBetween(const std::string& tableName, EngineTime from, EngineTime to, std::uint64_t hashLow,
    std::uint64_t hashHigh, const std::function<bool(const ItemChangeBetween&)>& visit)
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFoundForBackups(tableName);
    CAPSIM_RETURN_IF_ERROR(checkRestorable(*t, from, m_now, 0));
    if (to < from || to > m_now)
        return Status::validation("The end of the changes (" + isoTime(to) + ") must lie between their start ("
            + isoTime(from) + ") and now");
    std::vector<LoggedImage> atFrom;
    CAPSIM_RETURN_IF_ERROR(m_pitrStore->firstChangesAfter(t->id, from, to, hashLow, hashHigh, [&](const LoggedImage& image) {
        atFrom.push_back(image);
        return true;
    }));
    std::map<KeyTuple, LoggedImage> atTo;
    std::vector<LoggedImage> later;
    CAPSIM_RETURN_IF_ERROR(m_pitrStore->firstChangesAfter(t->id, to, std::nullopt, hashLow, hashHigh,
        [&](const LoggedImage& image) {
            later.push_back(image);
            return true;
        }));
    for (auto& image : later)
        atTo.emplace(tupleOf(image.key), image);
    auto decodeOptional = [](const std::optional<std::string>& blob, std::optional<Item>& out) -> Status {
        if (!blob)
            return Status::ok();
        auto item = decodeItem(*blob);
        if (!item)
            return item.status();
        out = std::move(item).value();
        return Status::ok();
    };
    for (const auto& image : atFrom) {
        ItemChangeBetween change;
        CAPSIM_RETURN_IF_ERROR(decodeOptional(image.blob, change.before));
        if (auto it = atTo.find(tupleOf(image.key)); it != atTo.end()) {
            CAPSIM_RETURN_IF_ERROR(decodeOptional(it->second.blob, change.after));
        } else {
            std::optional<std::string> current;
            CAPSIM_RETURN_IF_ERROR(m_store->getInPlace(
                t->id, image.key, [&](std::int64_t, std::string_view blob) { current = std::string(blob); }));
            CAPSIM_RETURN_IF_ERROR(decodeOptional(current, change.after));
        }
        if (!change.before && !change.after)
            continue;
        const Item& any = change.after ? *change.after : *change.before;
        change.key = keyOf(t->key, any);
        if (!visit(change))
            break;
    }
    return Status::ok();
}

Status Engine::checkRestoreTarget(const std::string& targetTableName) const
{
    auto it = m_tables.find(tableKey(targetTableName));
    if (it == m_tables.end())
        return Status::ok();
    if (it->second.restore)
        return Status(error::kTableInUse, "Table is being restored: " + targetTableName);
    return Status(error::kTableAlreadyExists, "Table already exists: " + targetTableName);
}

Result<CreateTableRequest> Engine::restoredTableRequest(
    const TableState& source, const std::string& targetTableName, const RestoreOverrides& overrides) const
{
    // Restored: keys, indexes, billing mode and capacity (unless overridden); not the table
    // class (STANDARD), streams, TTL, PITR, tags or deletion protection (reference A8, C 9).
    CreateTableRequest r;
    r.tableName = targetTableName;
    r.keySchema = source.key;
    r.billingMode = overrides.billingMode.value_or(source.billingMode);
    r.tableClass = TableClass::Standard;
    const bool provisioned = r.billingMode == BillingMode::Provisioned;
    if (overrides.readCapacity || overrides.writeCapacity) {
        r.readCapacity = overrides.readCapacity;
        r.writeCapacity = overrides.writeCapacity;
    } else if (provisioned && source.billingMode == BillingMode::Provisioned) {
        r.readCapacity = source.readCapacity;
        r.writeCapacity = source.writeCapacity;
    }
    auto definitionOf = [&](const IndexState& index) {
        IndexDefinition d;
        d.name = index.name;
        d.key = index.key;
        d.projection = index.projection;
        if (index.projection == ProjectionType::Include)
            d.nonKeyAttributes = index.nonKeyAttributes;
        if (index.isGlobal() && provisioned && source.billingMode == BillingMode::Provisioned) {
            d.readCapacity = index.readCapacity;
            d.writeCapacity = index.writeCapacity;
        }
        return d;
    };
    for (const bool global : { true, false }) {
        const auto& wanted = global ? overrides.globalSecondaryIndexes : overrides.localSecondaryIndexes;
        auto& out = global ? r.globalSecondaryIndexes : r.localSecondaryIndexes;
        if (!wanted) {
            for (const auto& index : source.indexes)
                if (index.isGlobal() == global)
                    out.push_back(definitionOf(index));
            continue;
        }
        // An override keeps (or renames, or re-projects) the source's indexes it names by key;
        // it never creates one (reference A8).
        for (const auto& o : *wanted) {
            const IndexState* match = nullptr;
            for (const auto& index : source.indexes) {
                const bool sameKey = index.key.partition.name == o.key.partition.name
                    && (index.key.sort ? index.key.sort->name : "") == (o.key.sort ? o.key.sort->name : "");
                if (index.isGlobal() == global && (index.name == o.name ? sameKey : sameKey && !match))
                    match = &index;
            }
            if (!match)
                return invalidParameter(std::string(global ? "Global" : "Local") + " secondary index " + o.name
                    + " does not exist in the source table with that key schema; a restore cannot create an index");
            IndexDefinition d = definitionOf(*match);
            d.name = o.name;
            d.projection = o.projection;
            d.nonKeyAttributes = o.nonKeyAttributes;
            if (o.readCapacity || o.writeCapacity) {
                d.readCapacity = o.readCapacity;
                d.writeCapacity = o.writeCapacity;
            }
            out.push_back(std::move(d));
        }
    }
    return r;
}

Result<TableState> Engine::createRestoredTable(const CreateTableRequest& request, RestoreSummary summary,
    const std::function<Status(const std::function<Status(const Item&, std::int64_t)>&)>& forEachItem, EngineTime now)
{
    // One storage transaction: a failed restore leaves no table and no item behind.
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    auto created = createTable(request, now);
    if (!created) {
        m_store->rollback();
        return created.status();
    }
    TableState& target = m_tables.at(tableKey(request.tableName));
    Status s = forEachItem([&](const Item& item, std::int64_t sizeBytes) {
        const StoredKey key = storedKeyOf(target.key, item);
        return applyWrite(target, item, nullptr, &item, 0, false, sizeBytes, target.partitionIndex(key.hash), nullptr,
            WriteOrigin { WriteCause::Restore, {}, 0.0 });
    });
    if (s) {
        summary.restoredBytes = target.billableBytes();
        for (const auto& index : target.indexes)
            summary.restoredBytes += index.billableBytes();
        summary.completesAt = now + restoreDuration(summary.restoredBytes, m_restoreMinDuration, m_restoreBytesPerSecond);
        target.restore = summary;
        s = saveTable(target);
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        discardChanges();
        m_tables.erase(tableKey(request.tableName));
        return s;
    }
    publishChanges();
    return target;
}

Result<TableState> Engine::restoreTableToPointInTime(const PointInTimeRestoreRequest& request, EngineTime now)
{
    // Checks in the order of reference A8.
    if (request.sourceTableName.has_value() == request.sourceTableArn.has_value())
        return invalidParameter("Exactly one of SourceTableName and SourceTableArn must be specified");
    if (request.restoreDateTime.has_value() == request.useLatestRestorableTime)
        return invalidParameter("Exactly one of RestoreDateTime and UseLatestRestorableTime must be specified");
    if (!validTableName(request.targetTableName))
        return invalidTableName(request.targetTableName);
    std::string sourceName;
    if (request.sourceTableName) {
        sourceName = *request.sourceTableName;
    } else {
        const std::string prefix = tableArn("");
        if (request.sourceTableArn->rfind(prefix, 0) != 0)
            return tableNotFoundForBackups(*request.sourceTableArn);
        sourceName = request.sourceTableArn->substr(prefix.size());
    }
    m_now = std::max(m_now, now);
    const TableState* source = table(sourceName);
    if (!source)
        return tableNotFoundForBackups(sourceName);
    const EngineTime time = request.useLatestRestorableTime
        ? latestRestorableTime(source->pointInTimeRecovery, now, m_pitrLag)
        : *request.restoreDateTime / kMicrosPerMilli * kMicrosPerMilli; // millisecond precision (A8)
    CAPSIM_RETURN_IF_ERROR(checkRestorable(*source, time, now, m_pitrLag));
    CAPSIM_RETURN_IF_ERROR(checkRestoreTarget(request.targetTableName));
    // The settings then in force (capacity, indexes), as recorded while PITR was enabled.
    TableState settings = *source;
    auto version = m_pitrStore->versionAt(source->id, time);
    if (!version)
        return version.status();
    if (*version) {
        boost::system::error_code ec;
        auto parsed = json::parse(**version, ec);
        auto recorded = ec ? Result<TableState>(Status::internal("stored PITR settings are not JSON"))
                           : TableState::fromJson(parsed);
        if (!recorded)
            return recorded.status();
        settings = std::move(recorded).value();
    }
    auto target = restoredTableRequest(settings, request.targetTableName, request.overrides);
    if (!target)
        return target.status();
    // Read the items first: the restore writes into the same B-tree.
    std::vector<std::pair<Item, std::int64_t>> items;
    CAPSIM_RETURN_IF_ERROR(visitItemsAt(sourceName, time, 0, UINT64_MAX, [&](const Item& item, std::int64_t size) {
        items.emplace_back(item, size);
        return true;
    }));
    RestoreSummary summary;
    summary.sourceTableArn = tableArn(sourceName);
    summary.restoreDateTime = time;
    return createRestoredTable(*target, summary,
        [&](const std::function<Status(const Item&, std::int64_t)>& write) {
            for (const auto& [item, size] : items)
                CAPSIM_RETURN_IF_ERROR(write(item, size));
            return Status::ok();
        },
        now);
}

} // namespace capsim
