#include "engine/sqlite/ttl_schedule.h"

#include "engine/sqlite/sqlite_handle.h"

#include <algorithm>
#include <map>

namespace capsim {

namespace {

// Created on open of older files too. Keyed like the items; key_text is a BLOB so that equal due
// times order by the key's bytes. The partial index finds rows not yet counted as expired.
constexpr const char* kSchemaSql
    = "CREATE TABLE IF NOT EXISTS ttl_schedule(tbl INTEGER NOT NULL, h INTEGER NOT NULL, pk BLOB NOT NULL,"
      " sk BLOB NOT NULL, key_text BLOB NOT NULL, value TEXT NOT NULL, expires INTEGER NOT NULL,"
      " due INTEGER NOT NULL, deletes INTEGER NOT NULL, delay INTEGER NOT NULL, counted INTEGER NOT NULL,"
      " PRIMARY KEY(tbl, h, pk, sk)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS ttl_schedule_by_due ON ttl_schedule(due, key_text, tbl);"
      "CREATE INDEX IF NOT EXISTS ttl_schedule_uncounted ON ttl_schedule(expires) WHERE counted=0;";

constexpr const char* kColumns = "tbl, h, pk, sk, key_text, value, expires, due, deletes, delay";

std::int64_t storedHash(std::uint64_t hash)
{
    return static_cast<std::int64_t>(hash ^ 0x8000000000000000ULL);
}

std::uint64_t hashFromStored(std::int64_t stored)
{
    return static_cast<std::uint64_t>(stored) ^ 0x8000000000000000ULL;
}

} // namespace

struct TtlSchedule::Impl {
    sqlite::Connection* connection = nullptr;
    sqlite::StatementCache cached;

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const std::string& sql)
    {
        return cached.get(db(), sql);
    }

    Status run(sqlite::Statement& stmt, std::string_view what)
    {
        return sqlite::runOnce(stmt, db(), what);
    }

    Status readEntries(sqlite::Statement& stmt, std::vector<TtlScheduleEntry>& out)
    {
        int rc;
        while ((rc = stmt.step()) == SQLITE_ROW) {
            TtlScheduleEntry e;
            e.tableId = stmt.columnInt64(0);
            e.key.hash = hashFromStored(stmt.columnInt64(1));
            e.key.partitionKey = std::string(stmt.columnBlob(2));
            e.key.sortKey = std::string(stmt.columnBlob(3));
            e.keyText = std::string(stmt.columnBlob(4));
            e.ttlValue = std::string(stmt.columnText(5));
            e.expiresAt = stmt.columnInt64(6);
            e.due = stmt.columnInt64(7);
            e.deletes = stmt.columnInt64(8) != 0;
            e.delay = stmt.columnInt64(9);
            out.push_back(std::move(e));
        }
        Status status = sqlite::statusFrom(rc, db(), "reading the TTL schedule");
        stmt.reset();
        return status;
    }
};

TtlSchedule::TtlSchedule(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

TtlSchedule::~TtlSchedule() = default;

Result<std::unique_ptr<TtlSchedule>> TtlSchedule::open(ItemStore& store)
{
    auto impl = std::make_unique<Impl>();
    impl->connection = &store.connection();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(kSchemaSql));
    return std::unique_ptr<TtlSchedule>(new TtlSchedule(std::move(impl)));
}

Status TtlSchedule::put(const TtlScheduleEntry& entry)
{
    // A rewrite with the same value keeps the row's count: the item expired once (reference A6).
    auto stmt = m_impl->statement(std::string("INSERT INTO ttl_schedule(") + kColumns
        + ", counted) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)"
          " ON CONFLICT(tbl, h, pk, sk) DO UPDATE SET key_text=excluded.key_text, value=excluded.value,"
          " expires=excluded.expires, due=excluded.due, deletes=excluded.deletes, delay=excluded.delay,"
          " counted=CASE WHEN value=excluded.value THEN counted ELSE 0 END");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, entry.tableId);
    s.bindInt64(2, storedHash(entry.key.hash));
    s.bindBlob(3, entry.key.partitionKey);
    s.bindBlob(4, entry.key.sortKey);
    s.bindBlob(5, entry.keyText);
    s.bindText(6, entry.ttlValue);
    s.bindInt64(7, entry.expiresAt);
    s.bindInt64(8, entry.due);
    s.bindInt64(9, entry.deletes ? 1 : 0);
    s.bindInt64(10, entry.delay);
    return m_impl->run(s, "scheduling a TTL deletion");
}

Status TtlSchedule::erase(std::int64_t tableId, const StoredKey& key)
{
    auto stmt = m_impl->statement("DELETE FROM ttl_schedule WHERE tbl=?1 AND h=?2 AND pk=?3 AND sk=?4");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, storedHash(key.hash));
    s.bindBlob(3, key.partitionKey);
    s.bindBlob(4, key.sortKey);
    return m_impl->run(s, "cancelling a TTL deletion");
}

Status TtlSchedule::clearTable(std::int64_t tableId)
{
    auto stmt = m_impl->statement("DELETE FROM ttl_schedule WHERE tbl=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, tableId);
    return m_impl->run(**stmt, "cancelling a table's TTL deletions");
}

Status TtlSchedule::countExpired(std::int64_t now, std::vector<std::pair<std::int64_t, std::int64_t>>& perTable)
{
    perTable.clear();
    auto select = m_impl->statement(
        "SELECT tbl, count(*) FROM ttl_schedule WHERE counted=0 AND expires<=?1 GROUP BY tbl ORDER BY tbl");
    if (!select)
        return select.status();
    auto& s = **select;
    s.bindInt64(1, now);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        perTable.emplace_back(s.columnInt64(0), s.columnInt64(1));
    Status status = sqlite::statusFrom(rc, m_impl->db(), "counting expired items");
    s.reset();
    if (!status || perTable.empty())
        return status;
    auto mark = m_impl->statement("UPDATE ttl_schedule SET counted=1 WHERE counted=0 AND expires<=?1");
    if (!mark)
        return mark.status();
    (*mark)->bindInt64(1, now);
    return m_impl->run(**mark, "counting expired items");
}

Status TtlSchedule::nextEvent(std::int64_t& at)
{
    at = INT64_MAX;
    for (const char* sql : { "SELECT min(due) FROM ttl_schedule", "SELECT min(expires) FROM ttl_schedule WHERE counted=0" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        auto& s = **stmt;
        const int rc = s.step();
        if (rc == SQLITE_ROW && sqlite3_column_type(s.handle(), 0) != SQLITE_NULL)
            at = std::min(at, s.columnInt64(0));
        Status status = sqlite::statusFrom(rc, m_impl->db(), "reading the TTL schedule");
        s.reset();
        CAPSIM_RETURN_IF_ERROR(status);
    }
    return Status::ok();
}

Status TtlSchedule::due(std::int64_t now, std::size_t limit, std::vector<TtlScheduleEntry>& out)
{
    out.clear();
    auto stmt = m_impl->statement(
        std::string("SELECT ") + kColumns + " FROM ttl_schedule WHERE due<=?1 ORDER BY due, key_text, tbl LIMIT ?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, now);
    (*stmt)->bindInt64(2, static_cast<std::int64_t>(limit));
    return m_impl->readEntries(**stmt, out);
}

Status TtlSchedule::entries(std::int64_t tableId, std::vector<TtlScheduleEntry>& out)
{
    out.clear();
    auto stmt = m_impl->statement(
        std::string("SELECT ") + kColumns + " FROM ttl_schedule WHERE tbl=?1 ORDER BY due, key_text");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, tableId);
    return m_impl->readEntries(**stmt, out);
}

} // namespace capsim
