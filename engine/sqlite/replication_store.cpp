#include "engine/sqlite/replication_store.h"

#include "engine/sqlite/sqlite_handle.h"

#include <algorithm>

namespace capsim {

namespace {

// Created on open of older files too. The queue is read by due time (rows not held) and by item
// (per-item order to a destination); versions are keyed like the items.
constexpr const char* kSchemaSql
    = "CREATE TABLE IF NOT EXISTS replication_queue(seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
      " origin TEXT NOT NULL, dest TEXT NOT NULL, due INTEGER NOT NULL, commit_time INTEGER NOT NULL,"
      " h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, key_item BLOB NOT NULL, image BLOB,"
      " size INTEGER NOT NULL, held INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS replication_queue_by_due ON replication_queue(held, due, seq);"
      "CREATE INDEX IF NOT EXISTS replication_queue_by_item ON replication_queue(dest, name, origin, h, pk, sk);"
      "CREATE TABLE IF NOT EXISTS replica_versions(tbl INTEGER NOT NULL, h INTEGER NOT NULL, pk BLOB NOT NULL,"
      " sk BLOB NOT NULL, time INTEGER NOT NULL, origin TEXT NOT NULL, deleted INTEGER NOT NULL,"
      " PRIMARY KEY(tbl, h, pk, sk)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS replica_counters(region TEXT NOT NULL, name TEXT NOT NULL,"
      " applied INTEGER NOT NULL, conflicts INTEGER NOT NULL, max_lag REAL NOT NULL,"
      " PRIMARY KEY(region, name)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS region_outages(region TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID;";

constexpr const char* kRowColumns = "seq, name, origin, dest, due, commit_time, h, pk, sk, key_item, image, size, held";

std::int64_t storedHash(std::uint64_t hash)
{
    return static_cast<std::int64_t>(hash ^ 0x8000000000000000ULL);
}

std::uint64_t hashFromStored(std::int64_t stored)
{
    return static_cast<std::uint64_t>(stored) ^ 0x8000000000000000ULL;
}

} // namespace

struct ReplicationStore::Impl {
    sqlite::Connection* connection = nullptr;
    sqlite::StatementCache cached;

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const std::string& sql) { return cached.get(db(), sql); }

    Status run(sqlite::Statement& stmt, std::string_view what) { return sqlite::runOnce(stmt, db(), what); }
    // The first column of every row `sql` selects, as text, into `out`.
    Status readTexts(const std::string& sql, std::string_view what, std::vector<std::string>& out)
    {
        out.clear();
        auto stmt = statement(sql);
        if (!stmt)
            return stmt.status();
        auto& s = **stmt;
        int rc;
        while ((rc = s.step()) == SQLITE_ROW)
            out.emplace_back(s.columnText(0));
        Status status = sqlite::statusFrom(rc, db(), what);
        s.reset();
        return status;
    }

    Status readRows(sqlite::Statement& s, std::vector<ReplicationRow>& out)
    {
        int rc;
        while ((rc = s.step()) == SQLITE_ROW) {
            ReplicationRow r;
            r.sequence = s.columnInt64(0);
            r.tableName = std::string(s.columnText(1));
            r.origin = std::string(s.columnText(2));
            r.destination = std::string(s.columnText(3));
            r.due = s.columnInt64(4);
            r.commitTime = s.columnInt64(5);
            r.key.hash = hashFromStored(s.columnInt64(6));
            r.key.partitionKey = std::string(s.columnBlob(7));
            r.key.sortKey = std::string(s.columnBlob(8));
            r.keyBlob = std::string(s.columnBlob(9));
            if (sqlite3_column_type(s.handle(), 10) != SQLITE_NULL)
                r.imageBlob = std::string(s.columnBlob(10));
            r.sizeBytes = s.columnInt64(11);
            r.held = s.columnInt64(12) != 0;
            out.push_back(std::move(r));
        }
        Status status = sqlite::statusFrom(rc, db(), "reading the replication queue");
        s.reset();
        return status;
    }

    Status bindKeyed(sqlite::Statement& s, int first, std::int64_t tableId, const StoredKey& key)
    {
        s.bindInt64(first, tableId);
        s.bindInt64(first + 1, storedHash(key.hash));
        s.bindBlob(first + 2, key.partitionKey);
        s.bindBlob(first + 3, key.sortKey);
        return Status::ok();
    }
};

ReplicationStore::ReplicationStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

ReplicationStore::~ReplicationStore() = default;

Result<std::unique_ptr<ReplicationStore>> ReplicationStore::open(ItemStore& store)
{
    auto impl = std::make_unique<Impl>();
    impl->connection = &store.connection();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(kSchemaSql));
    return std::unique_ptr<ReplicationStore>(new ReplicationStore(std::move(impl)));
}

Status ReplicationStore::enqueue(ReplicationRow& row)
{
    auto stmt = m_impl->statement("INSERT INTO replication_queue(name, origin, dest, due, commit_time, h, pk, sk,"
                                  " key_item, image, size, held) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, row.tableName);
    s.bindText(2, row.origin);
    s.bindText(3, row.destination);
    s.bindInt64(4, row.due);
    s.bindInt64(5, row.commitTime);
    s.bindInt64(6, storedHash(row.key.hash));
    s.bindBlob(7, row.key.partitionKey);
    s.bindBlob(8, row.key.sortKey);
    s.bindBlob(9, row.keyBlob);
    if (row.imageBlob)
        s.bindBlob(10, *row.imageBlob);
    else
        sqlite3_bind_null(s.handle(), 10);
    s.bindInt64(11, row.sizeBytes);
    s.bindInt64(12, row.held ? 1 : 0);
    CAPSIM_RETURN_IF_ERROR(m_impl->run(s, "queueing a replicated change"));
    row.sequence = sqlite3_last_insert_rowid(m_impl->db());
    return Status::ok();
}

Status ReplicationStore::lastDue(const std::string& tableName, const std::string& origin,
    const std::string& destination, const StoredKey& key, std::optional<std::int64_t>& due)
{
    due.reset();
    auto stmt = m_impl->statement("SELECT max(due) FROM replication_queue WHERE dest=?1 AND name=?2 AND origin=?3"
                                  " AND h=?4 AND pk=?5 AND sk=?6");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, destination);
    s.bindText(2, tableName);
    s.bindText(3, origin);
    s.bindInt64(4, storedHash(key.hash));
    s.bindBlob(5, key.partitionKey);
    s.bindBlob(6, key.sortKey);
    const int rc = s.step();
    if (rc == SQLITE_ROW && sqlite3_column_type(s.handle(), 0) != SQLITE_NULL)
        due = s.columnInt64(0);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading the replication queue");
    s.reset();
    return status;
}

Status ReplicationStore::nextDue(std::int64_t& at)
{
    at = INT64_MAX;
    auto stmt = m_impl->statement("SELECT min(due) FROM replication_queue WHERE held=0");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    const int rc = s.step();
    if (rc == SQLITE_ROW && sqlite3_column_type(s.handle(), 0) != SQLITE_NULL)
        at = s.columnInt64(0);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading the replication queue");
    s.reset();
    return status;
}

Status ReplicationStore::dueRows(std::int64_t now, std::size_t limit, std::vector<ReplicationRow>& out)
{
    out.clear();
    auto stmt = m_impl->statement(std::string("SELECT ") + kRowColumns
        + " FROM replication_queue WHERE held=0 AND due<=?1 ORDER BY due, seq LIMIT ?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, now);
    (*stmt)->bindInt64(2, static_cast<std::int64_t>(limit));
    return m_impl->readRows(**stmt, out);
}

Status ReplicationStore::remove(std::int64_t sequence)
{
    auto stmt = m_impl->statement("DELETE FROM replication_queue WHERE seq=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, sequence);
    return m_impl->run(**stmt, "removing a replicated change");
}

Status ReplicationStore::holdRegion(const std::string& region)
{
    auto stmt = m_impl->statement("UPDATE replication_queue SET held=1 WHERE held=0 AND (dest=?1 OR origin=?1)");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, region);
    return m_impl->run(**stmt, "holding replicated changes");
}

Status ReplicationStore::heldRows(const std::string& destination, std::vector<ReplicationRow>& out)
{
    out.clear();
    auto stmt = m_impl->statement(std::string("SELECT ") + kRowColumns
        + " FROM replication_queue WHERE held=1 AND dest=?1 ORDER BY due, seq");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, destination);
    return m_impl->readRows(**stmt, out);
}

Status ReplicationStore::release(std::int64_t sequence, std::int64_t due)
{
    auto stmt = m_impl->statement("UPDATE replication_queue SET held=0, due=?2 WHERE seq=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, sequence);
    (*stmt)->bindInt64(2, due);
    return m_impl->run(**stmt, "releasing a replicated change");
}

Status ReplicationStore::pendingRows(const std::string& destination, std::int64_t after, std::vector<ReplicationRow>& out)
{
    out.clear();
    auto stmt = m_impl->statement(std::string("SELECT ") + kRowColumns
        + " FROM replication_queue WHERE held=0 AND dest=?1 AND due>?2 ORDER BY due, seq");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, destination);
    (*stmt)->bindInt64(2, after);
    return m_impl->readRows(**stmt, out);
}

Status ReplicationStore::setDue(std::int64_t sequence, std::int64_t due)
{
    auto stmt = m_impl->statement("UPDATE replication_queue SET due=?2 WHERE seq=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, sequence);
    (*stmt)->bindInt64(2, due);
    return m_impl->run(**stmt, "rescheduling a replicated change");
}

Status ReplicationStore::heldDestinations(std::vector<std::string>& out)
{
    return m_impl->readTexts("SELECT DISTINCT dest FROM replication_queue WHERE held=1 ORDER BY dest", "reading the replication queue", out);
}

Status ReplicationStore::queuedCount(const std::string& destination, const std::string& tableName, std::int64_t& count)
{
    count = 0;
    auto stmt = m_impl->statement("SELECT count(*) FROM replication_queue WHERE dest=?1 AND name=?2");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, destination);
    s.bindText(2, tableName);
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        count = s.columnInt64(0);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "counting the replication queue");
    s.reset();
    return status;
}

Status ReplicationStore::dropQueue(const std::string& region, const std::string& tableName)
{
    auto stmt = m_impl->statement("DELETE FROM replication_queue WHERE name=?2 AND (dest=?1 OR origin=?1)");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, region);
    (*stmt)->bindText(2, tableName);
    return m_impl->run(**stmt, "dropping a replica's queue");
}

Status ReplicationStore::version(std::int64_t tableId, const StoredKey& key, std::optional<ItemVersion>& out)
{
    out.reset();
    auto stmt = m_impl->statement(
        "SELECT time, origin, deleted FROM replica_versions WHERE tbl=?1 AND h=?2 AND pk=?3 AND sk=?4");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    CAPSIM_RETURN_IF_ERROR(m_impl->bindKeyed(s, 1, tableId, key));
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        out = ItemVersion { s.columnInt64(0), std::string(s.columnText(1)), s.columnInt64(2) != 0 };
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading an item version");
    s.reset();
    return status;
}

Status ReplicationStore::putVersion(std::int64_t tableId, const StoredKey& key, const ItemVersion& version)
{
    auto stmt = m_impl->statement("INSERT OR REPLACE INTO replica_versions(tbl, h, pk, sk, time, origin, deleted)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    CAPSIM_RETURN_IF_ERROR(m_impl->bindKeyed(s, 1, tableId, key));
    s.bindInt64(5, version.time);
    s.bindText(6, version.origin);
    s.bindInt64(7, version.deleted ? 1 : 0);
    return m_impl->run(s, "storing an item version");
}

Status ReplicationStore::copyVersions(std::int64_t fromTableId, std::int64_t toTableId)
{
    auto stmt = m_impl->statement("INSERT OR REPLACE INTO replica_versions(tbl, h, pk, sk, time, origin, deleted)"
                                  " SELECT ?2, h, pk, sk, time, origin, deleted FROM replica_versions WHERE tbl=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, fromTableId);
    (*stmt)->bindInt64(2, toTableId);
    return m_impl->run(**stmt, "copying item versions");
}

Status ReplicationStore::clearVersions(std::int64_t tableId)
{
    auto stmt = m_impl->statement("DELETE FROM replica_versions WHERE tbl=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, tableId);
    return m_impl->run(**stmt, "dropping item versions");
}

Status ReplicationStore::counters(const std::string& region, const std::string& tableName, ReplicaCounterRow& out)
{
    out = {};
    auto stmt = m_impl->statement("SELECT applied, conflicts, max_lag FROM replica_counters WHERE region=?1 AND name=?2");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, region);
    s.bindText(2, tableName);
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        out = ReplicaCounterRow { s.columnInt64(0), s.columnInt64(1), sqlite3_column_double(s.handle(), 2) };
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading replica counters");
    s.reset();
    return status;
}

Status ReplicationStore::addCounters(const std::string& region, const std::string& tableName, std::int64_t applied,
    std::int64_t conflicts, double lagSeconds)
{
    auto stmt = m_impl->statement("INSERT INTO replica_counters(region, name, applied, conflicts, max_lag)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(region, name) DO UPDATE SET"
                                  " applied=applied+excluded.applied, conflicts=conflicts+excluded.conflicts,"
                                  " max_lag=max(max_lag, excluded.max_lag)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, region);
    s.bindText(2, tableName);
    s.bindInt64(3, applied);
    s.bindInt64(4, conflicts);
    sqlite3_bind_double(s.handle(), 5, lagSeconds);
    return m_impl->run(s, "counting replicated changes");
}

Status ReplicationStore::clearCounters(const std::string& region, const std::string& tableName)
{
    auto stmt = m_impl->statement("DELETE FROM replica_counters WHERE region=?1 AND name=?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, region);
    (*stmt)->bindText(2, tableName);
    return m_impl->run(**stmt, "dropping replica counters");
}

Status ReplicationStore::downRegions(std::vector<std::string>& out)
{
    return m_impl->readTexts("SELECT region FROM region_outages ORDER BY region", "reading region outages", out);
}

Status ReplicationStore::setDown(const std::string& region, bool down, std::int64_t since)
{
    auto stmt = m_impl->statement(down ? "INSERT OR REPLACE INTO region_outages(region, since) VALUES(?1, ?2)"
                                       : "DELETE FROM region_outages WHERE region=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, region);
    if (down)
        (*stmt)->bindInt64(2, since);
    return m_impl->run(**stmt, "recording a region outage");
}

} // namespace capsim
