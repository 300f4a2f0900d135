#include "engine/sqlite/pitr_store.h"

#include "engine/sqlite/sqlite_handle.h"

#include <map>

namespace capsim {

namespace {

// The items table's hash encoding (item_store.cpp): unsigned order onto SQLite's signed order.
std::int64_t storedHash(std::uint64_t hash)
{
    return static_cast<std::int64_t>(hash ^ 0x8000000000000000ULL);
}

std::uint64_t hashFromStored(std::int64_t stored)
{
    return static_cast<std::uint64_t>(stored) ^ 0x8000000000000000ULL;
}

// The log is keyed by (table, time, sequence): the window's purge and the changes after a
// time are range reads of the primary key. WITHOUT ROWID keeps one B-tree per entry.
constexpr const char* kSchema
    = "CREATE TABLE IF NOT EXISTS pitr_log(tbl INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,"
      " h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, old_size INTEGER NOT NULL, old_item BLOB,"
      " PRIMARY KEY(tbl, time, seq)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS pitr_versions(tbl INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,"
      " signature TEXT NOT NULL, description TEXT NOT NULL, PRIMARY KEY(tbl, time, seq)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS backups(id INTEGER PRIMARY KEY, arn TEXT UNIQUE NOT NULL, name TEXT NOT NULL,"
      " type TEXT NOT NULL, table_name TEXT NOT NULL, table_id TEXT NOT NULL, table_arn TEXT NOT NULL,"
      " created INTEGER NOT NULL, available INTEGER NOT NULL, expires INTEGER, size INTEGER NOT NULL,"
      " items INTEGER NOT NULL, description TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS backup_items(backup INTEGER NOT NULL, h INTEGER NOT NULL, pk BLOB NOT NULL,"
      " sk BLOB NOT NULL, size INTEGER NOT NULL, item BLOB NOT NULL, PRIMARY KEY(backup, h, pk, sk)) WITHOUT ROWID;";

constexpr const char* kBackupColumns
    = "id, arn, name, type, table_name, table_id, table_arn, created, available, expires, size, items, description";

BackupRecord backupFromRow(const sqlite::Statement& s)
{
    BackupRecord r;
    r.id = s.columnInt64(0);
    r.arn = std::string(s.columnText(1));
    r.name = std::string(s.columnText(2));
    r.type = s.columnText(3) == "SYSTEM" ? BackupType::System : BackupType::User;
    r.tableName = std::string(s.columnText(4));
    r.tableId = std::string(s.columnText(5));
    r.tableArn = std::string(s.columnText(6));
    r.createdAt = s.columnInt64(7);
    r.availableAt = s.columnInt64(8);
    if (sqlite3_column_type(s.handle(), 9) != SQLITE_NULL)
        r.expiresAt = s.columnInt64(9);
    r.sizeBytes = s.columnInt64(10);
    r.itemCount = s.columnInt64(11);
    r.tableDescription = std::string(s.columnText(12));
    return r;
}

} // namespace

struct PitrStore::Impl {
    sqlite::Connection* connection = nullptr;
    sqlite::StatementCache cached;
    std::int64_t nextSequence = 1;

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const std::string& sql)
    {
        return cached.get(db(), sql);
    }

    Status run(sqlite::Statement& stmt, std::string_view what)
    {
        return sqlite::runOnce(stmt, db(), what);
    }
};

PitrStore::PitrStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

PitrStore::~PitrStore() = default;

Result<std::unique_ptr<PitrStore>> PitrStore::open(ItemStore& items)
{
    auto impl = std::make_unique<Impl>();
    impl->connection = &items.connection();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(kSchema));
    // Sequences continue after the highest stored one, so they order every stored entry.
    auto stmt = impl->statement("SELECT coalesce(max(seq), 0) FROM pitr_log");
    if (!stmt)
        return stmt.status();
    const int rc = (*stmt)->step();
    if (rc == SQLITE_ROW)
        impl->nextSequence = (*stmt)->columnInt64(0) + 1;
    Status status = sqlite::statusFrom(rc, impl->db(), "reading the PITR log");
    (*stmt)->reset();
    if (!status)
        return status;
    return std::unique_ptr<PitrStore>(new PitrStore(std::move(impl)));
}

Status PitrStore::appendChange(std::int64_t tableId, EngineTime time, const StoredKey& key, std::int64_t oldSizeBytes,
    const std::string* oldBlob)
{
    auto stmt = m_impl->statement("INSERT INTO pitr_log(tbl, time, seq, h, pk, sk, old_size, old_item)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, time);
    s.bindInt64(3, m_impl->nextSequence++);
    s.bindInt64(4, storedHash(key.hash));
    s.bindBlob(5, key.partitionKey);
    s.bindBlob(6, key.sortKey);
    s.bindInt64(7, oldBlob ? oldSizeBytes : 0);
    if (oldBlob)
        s.bindBlob(8, *oldBlob);
    else
        sqlite3_bind_null(s.handle(), 8);
    return m_impl->run(s, "recording a PITR change");
}

Status PitrStore::firstChangesAfter(std::int64_t tableId, EngineTime after, std::optional<EngineTime> through,
    std::uint64_t hashLow, std::uint64_t hashHigh, const std::function<bool(const LoggedImage&)>& visit)
{
    // SQLite takes the bare columns of a min() aggregate from the row holding the minimum: the
    // key's first change after `after`.
    std::string sql = "SELECT h, pk, sk, time, old_size, old_item, min(seq) FROM pitr_log"
                      " WHERE tbl=?1 AND time>?2 AND h>=?4 AND h<=?5";
    if (through)
        sql += " AND time<=?3";
    sql += " GROUP BY h, pk, sk ORDER BY h, pk, sk";
    auto stmt = m_impl->statement(sql);
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, after);
    if (through)
        s.bindInt64(3, *through);
    s.bindInt64(4, storedHash(hashLow));
    s.bindInt64(5, storedHash(hashHigh));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        LoggedImage image;
        image.key.hash = hashFromStored(s.columnInt64(0));
        image.key.partitionKey = std::string(s.columnBlob(1));
        image.key.sortKey = std::string(s.columnBlob(2));
        image.time = s.columnInt64(3);
        image.sizeBytes = s.columnInt64(4);
        if (sqlite3_column_type(s.handle(), 5) != SQLITE_NULL)
            image.blob = std::string(s.columnBlob(5));
        if (!visit(image)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading the PITR log");
    s.reset();
    return status;
}

Status PitrStore::lastChangeTimes(std::int64_t tableId, EngineTime after, EngineTime through, std::uint64_t hashLow,
    std::uint64_t hashHigh, const std::function<bool(const StoredKey&, EngineTime)>& visit)
{
    auto stmt = m_impl->statement("SELECT h, pk, sk, max(time) FROM pitr_log WHERE tbl=?1 AND time>?2 AND time<=?3"
                                  " AND h>=?4 AND h<=?5 GROUP BY h, pk, sk ORDER BY h, pk, sk");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, after);
    s.bindInt64(3, through);
    s.bindInt64(4, storedHash(hashLow));
    s.bindInt64(5, storedHash(hashHigh));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        StoredKey key;
        key.hash = hashFromStored(s.columnInt64(0));
        key.partitionKey = std::string(s.columnBlob(1));
        key.sortKey = std::string(s.columnBlob(2));
        if (!visit(key, s.columnInt64(3))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading the PITR log");
    s.reset();
    return status;
}

Status PitrStore::purgeLog(std::int64_t tableId, EngineTime through)
{
    auto stmt = m_impl->statement("DELETE FROM pitr_log WHERE tbl=?1 AND time<=?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, tableId);
    (*stmt)->bindInt64(2, through);
    return m_impl->run(**stmt, "purging the PITR log");
}

Status PitrStore::dropHistory(std::int64_t tableId)
{
    for (const char* sql : { "DELETE FROM pitr_log WHERE tbl=?1", "DELETE FROM pitr_versions WHERE tbl=?1" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, tableId);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "dropping PITR history"));
    }
    return Status::ok();
}

Result<PitrStore::LogSize> PitrStore::logSize(std::int64_t tableId)
{
    // Five integer columns of at most 8 bytes each, plus what the key and image take.
    auto stmt = m_impl->statement("SELECT count(*), coalesce(sum(40 + length(pk) + length(sk)"
                                  " + coalesce(length(old_item), 0)), 0) FROM pitr_log WHERE tbl=?1");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    const int rc = s.step();
    LogSize size;
    if (rc == SQLITE_ROW) {
        size.entries = s.columnInt64(0);
        size.bytes = s.columnInt64(1);
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "measuring the PITR log");
    s.reset();
    if (!status)
        return status;
    return size;
}

Status PitrStore::recordVersion(
    std::int64_t tableId, EngineTime time, const std::string& signature, const std::string& description)
{
    auto latest = m_impl->statement("SELECT signature FROM pitr_versions WHERE tbl=?1 ORDER BY time DESC, seq DESC LIMIT 1");
    if (!latest)
        return latest.status();
    (*latest)->bindInt64(1, tableId);
    int rc = (*latest)->step();
    const bool same = rc == SQLITE_ROW && (*latest)->columnText(0) == signature;
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading PITR settings");
    (*latest)->reset();
    if (!status || same)
        return status;
    auto insert = m_impl->statement("INSERT INTO pitr_versions(tbl, time, seq, signature, description)"
                                    " VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!insert)
        return insert.status();
    auto& s = **insert;
    s.bindInt64(1, tableId);
    s.bindInt64(2, time);
    s.bindInt64(3, m_impl->nextSequence++);
    s.bindText(4, signature);
    s.bindText(5, description);
    return m_impl->run(s, "recording PITR settings");
}

Result<std::optional<std::string>> PitrStore::versionAt(std::int64_t tableId, EngineTime time)
{
    auto stmt = m_impl->statement(
        "SELECT description FROM pitr_versions WHERE tbl=?1 AND time<=?2 ORDER BY time DESC, seq DESC LIMIT 1");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, time);
    const int rc = s.step();
    std::optional<std::string> found;
    if (rc == SQLITE_ROW)
        found = std::string(s.columnText(0));
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading PITR settings");
    s.reset();
    if (!status)
        return status;
    return found;
}

Status PitrStore::createBackup(BackupRecord& record, std::int64_t tableId)
{
    auto insert = m_impl->statement(std::string("INSERT INTO backups(") + kBackupColumns
        + ") VALUES(NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!insert)
        return insert.status();
    auto& s = **insert;
    s.bindText(2, record.arn);
    s.bindText(3, record.name);
    s.bindText(4, backupTypeName(record.type));
    s.bindText(5, record.tableName);
    s.bindText(6, record.tableId);
    s.bindText(7, record.tableArn);
    s.bindInt64(8, record.createdAt);
    s.bindInt64(9, record.availableAt);
    if (record.expiresAt)
        s.bindInt64(10, *record.expiresAt);
    else
        sqlite3_bind_null(s.handle(), 10);
    s.bindInt64(11, record.sizeBytes);
    s.bindInt64(12, record.itemCount);
    s.bindText(13, record.tableDescription);
    CAPSIM_RETURN_IF_ERROR(m_impl->run(s, "saving a backup"));
    record.id = sqlite3_last_insert_rowid(m_impl->db());
    // A backup is a copy of the items (reference C 9: "full copies"), made by SQLite in one statement.
    auto copy = m_impl->statement("INSERT INTO backup_items(backup, h, pk, sk, size, item)"
                                  " SELECT ?1, h, pk, sk, size, item FROM items WHERE tbl=?2");
    if (!copy)
        return copy.status();
    (*copy)->bindInt64(1, record.id);
    (*copy)->bindInt64(2, tableId);
    return m_impl->run(**copy, "copying a table into its backup");
}

Result<std::optional<BackupRecord>> PitrStore::findBackup(const std::string& arn)
{
    auto stmt = m_impl->statement(std::string("SELECT ") + kBackupColumns + " FROM backups WHERE arn=?1");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, arn);
    const int rc = s.step();
    std::optional<BackupRecord> found;
    if (rc == SQLITE_ROW)
        found = backupFromRow(s);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading a backup");
    s.reset();
    if (!status)
        return status;
    return found;
}

Result<std::vector<BackupRecord>> PitrStore::backups()
{
    auto stmt = m_impl->statement(std::string("SELECT ") + kBackupColumns + " FROM backups ORDER BY created, id");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    std::vector<BackupRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(backupFromRow(s));
    Status status = sqlite::statusFrom(rc, m_impl->db(), "listing backups");
    s.reset();
    if (!status)
        return status;
    return out;
}

Status PitrStore::deleteBackup(std::int64_t backupId)
{
    for (const char* sql : { "DELETE FROM backup_items WHERE backup=?1", "DELETE FROM backups WHERE id=?1" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, backupId);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "deleting a backup"));
    }
    return Status::ok();
}

Status PitrStore::purgeExpiredBackups(EngineTime now)
{
    for (const char* sql : { "DELETE FROM backup_items WHERE backup IN (SELECT id FROM backups WHERE expires<=?1)",
             "DELETE FROM backups WHERE expires<=?1" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, now);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "expiring backups"));
    }
    return Status::ok();
}

Status PitrStore::visitBackupItems(std::int64_t backupId, const ItemStore::RowVisitor& visit)
{
    auto stmt = m_impl->statement("SELECT h, pk, sk, size, item FROM backup_items WHERE backup=?1 ORDER BY h, pk, sk");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, backupId);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        StoredRow row;
        row.hash = hashFromStored(s.columnInt64(0));
        row.partitionKey = s.columnBlob(1);
        row.sortKey = s.columnBlob(2);
        row.sizeBytes = s.columnInt64(3);
        row.blob = s.columnBlob(4);
        if (!visit(row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading a backup");
    s.reset();
    return status;
}

} // namespace capsim
