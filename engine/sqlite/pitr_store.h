#pragma once
// PitrStore: point-in-time recovery and backups on SQLite (reference A8), in the engine database
// beside the items and on the same connection, so that a change-log entry commits in the storage
// transaction of its item change. Tables:
//   pitr_log      the undo log: per item change of a PITR table, (table, commit time, sequence,
//                 key, the item's image before the change or none). The table as it was at t is
//                 its current items with every key changed after t replaced by the old image of
//                 its first change after t; entries before the window's start are purged.
//   pitr_versions the table's settings (description JSON) at each change while PITR is
//                 enabled, for the capacity "then in force" of a restore.
//   backups, backup_items  on-demand and system backups: details and a copy of the items.
// Not thread-safe: owned by the engine with its ItemStore. This header does not expose SQLite.

#include "engine/pitr.h"
#include "engine/sqlite/item_store.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// One key's image from the log: the item as it was before the change (none: it did not exist).
struct LoggedImage {
    StoredKey key;
    EngineTime time = 0;
    std::int64_t sizeBytes = 0;
    std::optional<std::string> blob; // the engine's item encoding
};

class PitrStore {
public:
    // Creates the tables in `items`' database if missing. `items` must outlive the store.
    static Result<std::unique_ptr<PitrStore>> open(ItemStore& items);
    ~PitrStore();

    // ---- the change log ----
    // Appends one change of table `tableId` committed at `time`; `oldBlob` null when the item did
    // not exist before the change.
    Status appendChange(std::int64_t tableId, EngineTime time, const StoredKey& key, std::int64_t oldSizeBytes,
        const std::string* oldBlob);
    // Visits, in key order (hash, partition key, sort key), each key of the hash range
    // [hashLow, hashHigh] changed after `after` (and at or before `through` when given), with the
    // image it had before its first such change.
    Status firstChangesAfter(std::int64_t tableId, EngineTime after, std::optional<EngineTime> through,
        std::uint64_t hashLow, std::uint64_t hashHigh, const std::function<bool(const LoggedImage&)>& visit);
    // Visits, in key order, each key of the hash range changed after `after` and at or before
    // `through`, with the time of its last such change (incremental exports' WriteTimestampMicros).
    Status lastChangeTimes(std::int64_t tableId, EngineTime after, EngineTime through, std::uint64_t hashLow,
        std::uint64_t hashHigh, const std::function<bool(const StoredKey&, EngineTime)>& visit);
    // Removes the entries committed at or before `through`.
    Status purgeLog(std::int64_t tableId, EngineTime through);
    // Removes the table's log and settings versions (PITR disabled, or the table deleted).
    Status dropHistory(std::int64_t tableId);
    // Entries and stored bytes (keys, images and fixed columns as SQLite stores them) of the log.
    struct LogSize {
        std::int64_t entries = 0;
        std::int64_t bytes = 0;
    };
    Result<LogSize> logSize(std::int64_t tableId);

    // ---- settings versions ----
    // Records the table's settings at `time` unless `signature` equals the latest version's.
    Status recordVersion(std::int64_t tableId, EngineTime time, const std::string& signature,
        const std::string& description);
    // The description in force at `time` (the latest recorded at or before it), if any.
    Result<std::optional<std::string>> versionAt(std::int64_t tableId, EngineTime time);

    // ---- backups ----
    // Inserts a backup (sets record.id) and copies the current items of table `tableId` into it.
    Status createBackup(BackupRecord& record, std::int64_t tableId);
    Result<std::optional<BackupRecord>> findBackup(const std::string& arn);
    // Every backup, ordered by creation time then id.
    Result<std::vector<BackupRecord>> backups();
    // Removes a backup and its items.
    Status deleteBackup(std::int64_t backupId);
    // Removes the backups that expired at or before `now` (SYSTEM backups), with their items.
    Status purgeExpiredBackups(EngineTime now);
    // Visits the backup's items in storage order.
    Status visitBackupItems(std::int64_t backupId, const ItemStore::RowVisitor& visit);

private:
    struct Impl;
    explicit PitrStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim
