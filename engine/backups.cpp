// On-demand backups (reference A8, Part C 9): CreateBackup, DescribeBackup, ListBackups,
// DeleteBackup, RestoreTableFromBackup, and the system backup DeleteTable makes of a PITR table.
//
// A backup is a copy of the table's items in SQLite (backup_items), not a time point resolved
// through the PITR log: a backup outlives the 35-day log and needs no PITR at all, and DynamoDB
// bills it as the full copy it is (BackupSizeBytes, reference C 9 "full copies").
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/item_codec.h"
#include "engine/resource_ids.h"
#include "engine/sqlite/pitr_store.h"

#include <boost/json.hpp>


namespace capsim {

using namespace engine_internal;
namespace json = boost::json;

namespace {

Status backupNotFound(const std::string& arn)
{
    return Status(error::kBackupNotFound, "Backup not found: " + arn);
}

// BackupName: 3-255 characters of [a-zA-Z0-9_.-], like table names.
Status validateBackupName(const std::string& name)
{
    if (validTableName(name))
        return Status::ok();
    return Status::validation("1 validation error detected: Value '" + name
        + "' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
          "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
}

// BackupArn: the table ARN + /backup/ + a resource id (reference A8, engine/resource_ids.h).
std::string backupArnOf(const std::string& tableArn, const std::string& resourceId)
{
    return tableArn + "/backup/" + resourceId;
}

std::int64_t backupBytes(const TableState& t)
{
    // BackupSizeBytes: billable bytes of the table and its LSIs (reference A8).
    std::int64_t bytes = t.billableBytes();
    for (const auto& index : t.indexes)
        if (!index.isGlobal())
            bytes += index.billableBytes();
    return bytes;
}

// The source's description as the backup keeps it, with its item bytes (TableSizeBytes of
// DescribeBackup), which the stored description otherwise recounts from the items.
std::string describeForBackup(const TableState& t)
{
    json::value description = t.toJson();
    description.as_object()["tableSizeBytes"] = t.itemBytes();
    return json::serialize(description);
}

} // namespace

Result<BackupRecord> Engine::createBackup(const std::string& tableName, const std::string& backupName, EngineTime now)
{
    CAPSIM_RETURN_IF_ERROR(validateBackupName(backupName));
    const TableState* t = table(tableName);
    if (!t)
        return Status(error::kTableNotFound, "Table not found: " + tableName);
    m_now = std::max(m_now, now);
    BackupRecord record;
    record.name = backupName;
    record.type = BackupType::User;
    record.tableName = t->name;
    record.tableId = t->tableUuid();
    record.tableArn = tableArn(t->name);
    record.createdAt = now;
    record.availableAt = now + m_backupDelay;
    record.sizeBytes = backupBytes(*t);
    record.itemCount = t->itemCount();
    record.tableDescription = describeForBackup(*t);
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    auto id = nextResourceId(now);
    Status s = id.status();
    if (id) {
        record.arn = backupArnOf(record.tableArn, *id);
        s = m_pitrStore->createBackup(record, t->id);
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        return s;
    }
    return record;
}

Status Engine::pitrOnDeleteTable(const TableState& table)
{
    CAPSIM_RETURN_IF_ERROR(m_pitrStore->dropHistory(table.id));
    if (!table.pointInTimeRecovery.enabled)
        return Status::ok();
    // A PITR table's deletion leaves a SYSTEM backup of its last state, kept 35 days at no
    // charge and not deletable (reference A8, C 9).
    BackupRecord record;
    record.name = table.name + "$DeletedTableBackup";
    record.type = BackupType::System;
    record.tableName = table.name;
    record.tableId = table.tableUuid();
    record.tableArn = tableArn(table.name);
    record.createdAt = m_now;
    record.availableAt = m_now + m_backupDelay;
    record.expiresAt = m_now + kSystemBackupRetention;
    record.sizeBytes = backupBytes(table);
    record.itemCount = table.itemCount();
    record.tableDescription = describeForBackup(table);
    record.arn = backupArnOf(record.tableArn, formatResourceId(m_now, 0));
    return m_pitrStore->createBackup(record, table.id);
}

Result<BackupRecord> Engine::describeBackup(const std::string& backupArn)
{
    auto found = m_pitrStore->findBackup(backupArn);
    if (!found)
        return found.status();
    if (!*found)
        return backupNotFound(backupArn);
    return std::move(**found);
}

Result<ListBackupsResult> Engine::listBackups(const ListBackupsRequest& request)
{
    const std::int64_t limit = request.limit.value_or(100);
    if (limit < 1 || limit > 100)
        return Status::validation("1 validation error detected: Value '" + std::to_string(limit)
            + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100 and "
              "greater than or equal to 1");
    const std::string type = request.backupType.value_or("USER");
    if (type != "USER" && type != "SYSTEM" && type != "AWS_BACKUP" && type != "ALL")
        return Status::validation("1 validation error detected: Value '" + type
            + "' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, "
              "AWS_BACKUP, ALL]");
    if (request.timeRangeLower && request.timeRangeUpper && *request.timeRangeLower > *request.timeRangeUpper)
        return Status::validation("TimeRangeUpperBound must be after TimeRangeLowerBound");
    auto all = m_pitrStore->backups();
    if (!all)
        return all.status();
    ListBackupsResult result;
    bool started = !request.exclusiveStartBackupArn;
    for (auto& b : *all) {
        if (!started) {
            started = b.arn == *request.exclusiveStartBackupArn;
            continue;
        }
        if (request.tableName && b.tableName != *request.tableName)
            continue;
        if (type != "ALL" && type != backupTypeName(b.type))
            continue;
        // TimeRange: lower bound inclusive, upper bound exclusive (reference C 9).
        if (request.timeRangeLower && b.createdAt < *request.timeRangeLower)
            continue;
        if (request.timeRangeUpper && b.createdAt >= *request.timeRangeUpper)
            continue;
        if (static_cast<std::int64_t>(result.backups.size()) == limit) {
            result.lastEvaluatedBackupArn = result.backups.back().arn;
            break;
        }
        result.backups.push_back(std::move(b));
    }
    return result;
}

Result<BackupRecord> Engine::deleteBackup(const std::string& backupArn)
{
    auto found = describeBackup(backupArn);
    if (!found)
        return found.status();
    if (found->type == BackupType::System)
        return Status::validation("Backup of type SYSTEM cannot be deleted: " + backupArn);
    for (const auto& [name, t] : m_tables)
        if (t.restore && t.restore->sourceBackupArn == backupArn)
            return Status(error::kBackupInUse, "Backup is being used to restore a table: " + backupArn);
    CAPSIM_RETURN_IF_ERROR(m_pitrStore->deleteBackup(found->id));
    return found;
}

Result<TableState> Engine::restoreTableFromBackup(const std::string& targetTableName, const std::string& backupArn,
    const RestoreOverrides& overrides, EngineTime now)
{
    if (!validTableName(targetTableName))
        return invalidTableName(targetTableName);
    m_now = std::max(m_now, now);
    auto backup = describeBackup(backupArn);
    if (!backup)
        return backup.status();
    // One backup feeds one restore at a time (reference A8).
    for (const auto& [name, t] : m_tables)
        if (t.restore && t.restore->sourceBackupArn == backupArn)
            return Status(error::kBackupInUse, "Backup is being used to restore another table: " + backupArn);
    CAPSIM_RETURN_IF_ERROR(checkRestoreTarget(targetTableName));
    boost::system::error_code ec;
    auto parsed = json::parse(backup->tableDescription, ec);
    if (ec)
        return Status::internal("the stored description of backup " + backupArn + " is not JSON");
    auto source = TableState::fromJson(parsed);
    if (!source)
        return source.status();
    auto target = restoredTableRequest(*source, targetTableName, overrides);
    if (!target)
        return target.status();
    RestoreSummary summary;
    summary.sourceBackupArn = backupArn;
    summary.restoreDateTime = backup->createdAt;
    const std::int64_t backupId = backup->id;
    return createRestoredTable(*target, summary,
        [&](const std::function<Status(const Item&, std::int64_t)>& write) {
            Status failure;
            CAPSIM_RETURN_IF_ERROR(m_pitrStore->visitBackupItems(backupId, [&](const StoredRow& row) {
                auto item = decodeItem(row.blob);
                failure = item ? write(*item, row.sizeBytes) : item.status();
                return failure.isOk();
            }));
            return failure;
        },
        now);
}

} // namespace capsim
