#include "engine/sqlite/item_store.h"

#include "engine/sqlite/raw_baseline.h"
#include "engine/sqlite/sqlite_handle.h"

#include <atomic>
#include <pthread.h>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace capsim {

namespace {

constexpr int kSchemaVersion = 1;

// SQLite integers are signed: flipping the top bit maps unsigned hash order onto signed order.
std::int64_t storedHash(std::uint64_t hash)
{
    return static_cast<std::int64_t>(hash ^ 0x8000000000000000ULL);
}

std::uint64_t hashFromStored(std::int64_t stored)
{
    return static_cast<std::uint64_t>(stored) ^ 0x8000000000000000ULL;
}

// A file that is not ours is refused before anything writes to it: the pragmas would switch
// another SQLite database (a run's results, say) to WAL and the schema would add capsim's tables.
Status checkOwnDatabase(sqlite3* db, const std::string& path)
{
    sqlite::Statement names;
    const Status readable = names.prepare(db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name");
    int rc = readable ? names.step() : SQLITE_NOTADB;
    std::string foreign;
    bool ours = false;
    for (; rc == SQLITE_ROW; rc = names.step()) {
        const std::string name(names.columnText(0));
        ours = ours || name == "capsim_meta";
        foreign += (foreign.empty() ? "" : ", ") + name;
    }
    if (rc != SQLITE_DONE) {
        // A file that cannot be read (permissions, I/O) is not a wrong file: a failed command.
        const int failed = readable ? rc : sqlite3_extended_errcode(db);
        if ((failed & 0xff) != SQLITE_NOTADB && (failed & 0xff) != SQLITE_CORRUPT)
            return sqlite::statusFrom(failed, db, "reading the database '" + path + "'");
        return Status::validation("'" + path + "' is not a SQLite database, so not a capsim engine database; it was left unchanged");
    }
    if (!ours && !foreign.empty())
        return Status::validation("'" + path + "' is a SQLite database but not a capsim engine database (its tables: " + foreign
            + "); it was left unchanged");
    return Status::ok();
}

} // namespace

const char* itemStorePragmasSql(bool inMemory)
{
    // WAL with synchronous=NORMAL: commits are atomic and survive a process crash; only an OS
    // crash may lose the last transactions, never corrupt the file.
    return inMemory ? "PRAGMA page_size=8192; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                    : "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                      " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
}

const char* itemStoreSchemaSql()
{
    return "CREATE TABLE IF NOT EXISTS capsim_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
           "CREATE TABLE IF NOT EXISTS tables(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, description TEXT NOT NULL);"
           "CREATE TABLE IF NOT EXISTS items(tbl INTEGER NOT NULL, h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
           " size INTEGER NOT NULL, item BLOB NOT NULL, PRIMARY KEY(tbl, h, pk, sk)) WITHOUT ROWID;"
           // Idempotency tokens: kept in the database so that one process per call (capsim call)
           // and a restarted server replay the first result. Created on open of older files too.
           "CREATE TABLE IF NOT EXISTS client_tokens(operation TEXT NOT NULL, token TEXT NOT NULL,"
           " fingerprint TEXT NOT NULL, response TEXT NOT NULL, expires INTEGER NOT NULL,"
           " PRIMARY KEY(operation, token)) WITHOUT ROWID;"
           "INSERT OR IGNORE INTO capsim_meta(key, value) VALUES('schema', '1');";
}

// The background checkpointer (ItemStore::checkpointInBackground): its own connection and
// thread, woken by the writer's WAL hook.
class BackgroundCheckpointer {
public:
    explicit BackgroundCheckpointer(std::unique_ptr<sqlite::Connection> connection)
        : m_connection(std::move(connection))
        , m_thread([this] { run(); })
    {
    }
    ~BackgroundCheckpointer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    // Called by the writer after each commit with the WAL's size in frames.
    void walGrew(int frames)
    {
        if (frames < ItemStore::kCheckpointFrames || m_requested.exchange(true))
            return;
        m_wake.notify_one();
    }

private:
    void run()
    {
        pthread_setname_np(pthread_self(), "capsim-wal"); // for top and perf
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stopping || m_requested.load(); });
            if (m_stopping)
                return;
            lock.unlock();
            // PASSIVE copies what no reader still needs and never waits for the writer; a busy
            // answer (the writer checkpointing inline) is retried on the next request.
            int logFrames = 0;
            int checkpointed = 0;
            sqlite3_wal_checkpoint_v2(
                m_connection->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed);
            m_requested = false;
            lock.lock();
        }
    }

    std::unique_ptr<sqlite::Connection> m_connection;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_requested { false };
    bool m_stopping = false;
    std::thread m_thread; // last: started once the rest is ready
};

struct ItemStore::Impl {
    ~Impl()
    {
        // The hook points at the checkpointer, which goes first.
        if (checkpointer)
            sqlite3_wal_hook(connection->handle(), nullptr, nullptr);
    }

    std::unique_ptr<sqlite::Connection> connection;
    std::unique_ptr<BackgroundCheckpointer> checkpointer;
    sqlite::Statement getSize;
    sqlite::Statement getItem;
    sqlite::Statement putItem;
    sqlite::Statement eraseItem;
    sqlite::Statement begin;
    sqlite::Statement commit;
    sqlite::Statement rollback;
    sqlite::Statement savepoint;
    sqlite::Statement release;
    sqlite::Statement rollbackTo;
    sqlite::StatementCache cached; // statements built per query shape

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const std::string& sql)
    {
        return cached.get(db(), sql);
    }

    Status run(sqlite::Statement& stmt, std::string_view what)
    {
        return sqlite::runOnce(stmt, db(), what);
    }

    Status visitRows(sqlite::Statement& stmt, bool withHashAndPk, std::uint64_t hash, std::string_view pk,
        const RowVisitor& visit)
    {
        int rc;
        while ((rc = stmt.step()) == SQLITE_ROW) {
            StoredRow row;
            int column = 0;
            if (withHashAndPk) {
                row.hash = hashFromStored(stmt.columnInt64(column++));
                row.partitionKey = stmt.columnBlob(column++);
            } else {
                row.hash = hash;
                row.partitionKey = pk;
            }
            row.sortKey = stmt.columnBlob(column++);
            row.sizeBytes = stmt.columnInt64(column++);
            row.blob = stmt.columnBlob(column++);
            if (!visit(row)) {
                rc = SQLITE_DONE;
                break;
            }
        }
        Status status = sqlite::statusFrom(rc, db(), "reading items");
        stmt.reset();
        return status;
    }
};

ItemStore::ItemStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

ItemStore::~ItemStore() = default;

Result<std::unique_ptr<ItemStore>> ItemStore::open(const std::string& path)
{
    auto connection = sqlite::Connection::open(path);
    if (!connection)
        return connection.status();
    auto impl = std::make_unique<Impl>();
    impl->connection = std::move(connection).value();
    auto& conn = *impl->connection;
    const bool inMemory = path == ":memory:" || path.empty();
    if (!inMemory)
        CAPSIM_RETURN_IF_ERROR(checkOwnDatabase(impl->db(), path));
    Status schema = conn.exec(itemStorePragmasSql(inMemory));
    if (schema)
        schema = conn.exec(itemStoreSchemaSql());
    if (!schema.isOk()) {
        // A file that cannot be written (full disk, size limit, read-only) is not a wrong file.
        const int code = sqlite3_errcode(impl->db()) & 0xff;
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_ERROR)
            return Status::internal("'" + path + "' is not a capsim engine database (" + schema.message() + ")");
        return Status::internal("cannot write the database '" + path + "': " + schema.message());
    }
    {
        sqlite::Statement version;
        CAPSIM_RETURN_IF_ERROR(version.prepare(impl->db(), "SELECT value FROM capsim_meta WHERE key='schema'"));
        if (version.step() != SQLITE_ROW || version.columnText(0) != std::to_string(kSchemaVersion))
            return Status::internal("'" + path + "' has an unsupported capsim schema version");
    }
    CAPSIM_RETURN_IF_ERROR(impl->getSize.prepare(impl->db(), "SELECT size FROM items WHERE tbl=?1 AND h=?2 AND pk=?3 AND sk=?4"));
    CAPSIM_RETURN_IF_ERROR(
        impl->getItem.prepare(impl->db(), "SELECT size, item FROM items WHERE tbl=?1 AND h=?2 AND pk=?3 AND sk=?4"));
    CAPSIM_RETURN_IF_ERROR(impl->putItem.prepare(
        impl->db(), "INSERT OR REPLACE INTO items(tbl, h, pk, sk, size, item) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
    CAPSIM_RETURN_IF_ERROR(
        impl->eraseItem.prepare(impl->db(), "DELETE FROM items WHERE tbl=?1 AND h=?2 AND pk=?3 AND sk=?4"));
    CAPSIM_RETURN_IF_ERROR(impl->begin.prepare(impl->db(), "BEGIN IMMEDIATE"));
    CAPSIM_RETURN_IF_ERROR(impl->commit.prepare(impl->db(), "COMMIT"));
    CAPSIM_RETURN_IF_ERROR(impl->rollback.prepare(impl->db(), "ROLLBACK"));
    // One name serves every nesting level: RELEASE and ROLLBACK TO act on the innermost one.
    CAPSIM_RETURN_IF_ERROR(impl->savepoint.prepare(impl->db(), "SAVEPOINT capsim_operation"));
    CAPSIM_RETURN_IF_ERROR(impl->release.prepare(impl->db(), "RELEASE capsim_operation"));
    CAPSIM_RETURN_IF_ERROR(impl->rollbackTo.prepare(impl->db(), "ROLLBACK TO capsim_operation"));
    return std::unique_ptr<ItemStore>(new ItemStore(std::move(impl)));
}

sqlite::Connection& ItemStore::connection()
{
    return *m_impl->connection;
}

Status ItemStore::begin()
{
    if (m_groupOpen)
        return m_impl->run(m_impl->savepoint, "beginning a savepoint");
    return m_impl->run(m_impl->begin, "beginning a transaction");
}

Status ItemStore::commit()
{
    if (m_groupOpen)
        return m_impl->run(m_impl->release, "releasing a savepoint");
    return m_impl->run(m_impl->commit, "committing");
}

void ItemStore::rollback()
{
    // Its failure is not reported (see the header): the caller returns the error that made it roll back.
    if (m_groupOpen) {
        // ROLLBACK TO keeps the savepoint open; RELEASE ends it, leaving the group's earlier work.
        static_cast<void>(m_impl->run(m_impl->rollbackTo, "rolling back to a savepoint"));
        static_cast<void>(m_impl->run(m_impl->release, "releasing a savepoint"));
        return;
    }
    static_cast<void>(m_impl->run(m_impl->rollback, "rolling back"));
}

Status ItemStore::checkpointInBackground()
{
    const std::string& path = m_impl->connection->path();
    if (m_impl->checkpointer || path.empty() || path == ":memory:")
        return Status::ok();
    auto second = sqlite::Connection::open(path);
    if (!second)
        return second.status();
    m_impl->checkpointer = std::make_unique<BackgroundCheckpointer>(std::move(second).value());
    // Replaces SQLite's auto-checkpoint hook (wal_autocheckpoint) on the writing connection.
    sqlite3_wal_hook(
        m_impl->db(),
        [](void* context, sqlite3* db, const char*, int frames) -> int {
            static_cast<BackgroundCheckpointer*>(context)->walGrew(frames);
            if (frames >= kInlineCheckpointFrames)
                sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            return SQLITE_OK;
        },
        m_impl->checkpointer.get());
    return Status::ok();
}

Status ItemStore::beginGroup()
{
    if (m_groupOpen)
        return Status::internal("a group transaction is already open");
    CAPSIM_RETURN_IF_ERROR(m_impl->run(m_impl->begin, "beginning a group transaction"));
    m_groupOpen = true;
    return Status::ok();
}

Status ItemStore::commitGroup()
{
    if (!m_groupOpen)
        return Status::internal("no group transaction is open");
    m_groupOpen = false;
    if (m_failGroupCommit) {
        m_failGroupCommit = false;
        static_cast<void>(m_impl->run(m_impl->rollback, "rolling back a group transaction"));
        return Status::internal("injected group commit failure (test hook)");
    }
    // An I/O or full-disk error during the group may have made SQLite roll the whole
    // transaction back already: then later statements ran in autocommit mode, and the group
    // must not be reported durable even though COMMIT might not see the difference.
    if (sqlite3_get_autocommit(m_impl->db()))
        return Status::internal("the group transaction was rolled back by SQLite after a storage error");
    Status committed = m_impl->run(m_impl->commit, "committing a group transaction");
    if (!committed)
        static_cast<void>(m_impl->run(m_impl->rollback, "rolling back a group transaction"));
    return committed;
}

void ItemStore::rollbackGroup()
{
    if (!m_groupOpen)
        return;
    m_groupOpen = false;
    static_cast<void>(m_impl->run(m_impl->rollback, "rolling back a group transaction"));
}

Result<std::vector<TableRecord>> ItemStore::loadTables()
{
    auto stmt = m_impl->statement("SELECT id, name, description FROM tables ORDER BY name");
    if (!stmt)
        return stmt.status();
    std::vector<TableRecord> tables;
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) {
        tables.push_back({ (*stmt)->columnInt64(0), std::string((*stmt)->columnText(1)),
            std::string((*stmt)->columnText(2)) });
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "loading tables");
    (*stmt)->reset();
    if (!status)
        return status;
    return tables;
}

Status ItemStore::injectedFailure()
{
    if (m_failWriteAfter < 0)
        return Status::ok();
    if (m_failWriteAfter-- > 0)
        return Status::ok();
    return Status::internal("injected storage write failure (test hook)");
}

Status ItemStore::saveTable(const TableRecord& table)
{
    CAPSIM_RETURN_IF_ERROR(injectedFailure());
    auto stmt = m_impl->statement("INSERT OR REPLACE INTO tables(id, name, description) VALUES(?1, ?2, ?3)");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, table.id);
    (*stmt)->bindText(2, table.name);
    (*stmt)->bindText(3, table.descriptionJson);
    return m_impl->run(**stmt, "saving table " + table.name);
}

Status ItemStore::putClientToken(std::string_view operation, std::string_view token, const ClientTokenRecord& record)
{
    CAPSIM_RETURN_IF_ERROR(injectedFailure());
    auto stmt = m_impl->statement("INSERT OR REPLACE INTO client_tokens(operation, token, fingerprint, response, expires)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, operation);
    (*stmt)->bindText(2, token);
    (*stmt)->bindText(3, record.fingerprint);
    (*stmt)->bindText(4, record.response);
    (*stmt)->bindInt64(5, record.expiresAt);
    return m_impl->run(**stmt, "saving a client token");
}

Result<std::optional<std::string>> ItemStore::getSetting(std::string_view key)
{
    auto stmt = m_impl->statement("SELECT value FROM capsim_meta WHERE key=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, key);
    const int rc = (*stmt)->step();
    std::optional<std::string> value;
    if (rc == SQLITE_ROW)
        value = std::string((*stmt)->columnText(0));
    // Reset, or the cached statement keeps its row (and a read transaction) for the next call.
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading a setting");
    (*stmt)->reset();
    if (!status)
        return status;
    return value;
}

Status ItemStore::checkIntegrity()
{
    sqlite::Statement check;
    CAPSIM_RETURN_IF_ERROR(check.prepare(m_impl->db(), "PRAGMA integrity_check"));
    std::string found;
    int rc;
    while ((rc = check.step()) == SQLITE_ROW) {
        const std::string_view line = check.columnText(0);
        if (line != "ok")
            found += (found.empty() ? "" : "; ") + std::string(line);
    }
    CAPSIM_RETURN_IF_ERROR(sqlite::statusFrom(rc, m_impl->db(), "checking the database's integrity"));
    if (!found.empty())
        return Status::internal("the database file is damaged: " + found);
    return Status::ok();
}

Status ItemStore::putSetting(std::string_view key, std::string_view value)
{
    CAPSIM_RETURN_IF_ERROR(injectedFailure());
    auto stmt = m_impl->statement("INSERT OR REPLACE INTO capsim_meta(key, value) VALUES(?1, ?2)");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, key);
    (*stmt)->bindText(2, value);
    return m_impl->run(**stmt, "saving a setting");
}

Result<std::optional<ClientTokenRecord>> ItemStore::findClientToken(
    std::string_view operation, std::string_view token, std::int64_t now)
{
    auto purge = m_impl->statement("DELETE FROM client_tokens WHERE expires <= ?1");
    if (!purge)
        return purge.status();
    (*purge)->bindInt64(1, now);
    CAPSIM_RETURN_IF_ERROR(m_impl->run(**purge, "expiring client tokens"));
    auto stmt = m_impl->statement("SELECT fingerprint, response, expires FROM client_tokens WHERE operation=?1 AND token=?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, operation);
    (*stmt)->bindText(2, token);
    const int rc = (*stmt)->step();
    std::optional<ClientTokenRecord> found;
    if (rc == SQLITE_ROW)
        found = ClientTokenRecord { std::string((*stmt)->columnText(0)), std::string((*stmt)->columnText(1)),
            (*stmt)->columnInt64(2) };
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading a client token");
    (*stmt)->reset();
    if (!status)
        return status;
    return found;
}

Status ItemStore::deleteTable(std::int64_t tableId)
{
    for (const char* sql : { "DELETE FROM items WHERE tbl=?1", "DELETE FROM tables WHERE id=?1" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, tableId);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "deleting a table"));
    }
    return Status::ok();
}

Status ItemStore::get(std::int64_t tableId, const StoredKey& key, bool& found, std::int64_t& sizeBytes, std::string* blob)
{
    auto& stmt = blob ? m_impl->getItem : m_impl->getSize;
    stmt.bindInt64(1, tableId);
    stmt.bindInt64(2, storedHash(key.hash));
    stmt.bindBlob(3, key.partitionKey);
    stmt.bindBlob(4, key.sortKey);
    const int rc = stmt.step();
    found = rc == SQLITE_ROW;
    if (found) {
        sizeBytes = stmt.columnInt64(0);
        if (blob)
            blob->assign(stmt.columnBlob(1));
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading an item");
    stmt.reset();
    return status;
}

Status ItemStore::getInPlace(std::int64_t tableId, const StoredKey& key,
    const std::function<void(std::int64_t sizeBytes, std::string_view blob)>& visit)
{
    auto& stmt = m_impl->getItem;
    stmt.bindInt64(1, tableId);
    stmt.bindInt64(2, storedHash(key.hash));
    stmt.bindBlob(3, key.partitionKey);
    stmt.bindBlob(4, key.sortKey);
    const int rc = stmt.step();
    if (rc == SQLITE_ROW)
        visit(stmt.columnInt64(0), stmt.columnBlob(1));
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading an item");
    stmt.reset();
    return status;
}

Status ItemStore::put(std::int64_t tableId, const StoredKey& key, std::int64_t sizeBytes, std::string_view blob)
{
    CAPSIM_RETURN_IF_ERROR(injectedFailure());
    auto& stmt = m_impl->putItem;
    stmt.bindInt64(1, tableId);
    stmt.bindInt64(2, storedHash(key.hash));
    stmt.bindBlob(3, key.partitionKey);
    stmt.bindBlob(4, key.sortKey);
    stmt.bindInt64(5, sizeBytes);
    stmt.bindBlob(6, blob);
    return m_impl->run(stmt, "writing an item");
}

Status ItemStore::erase(std::int64_t tableId, const StoredKey& key)
{
    CAPSIM_RETURN_IF_ERROR(injectedFailure());
    auto& stmt = m_impl->eraseItem;
    stmt.bindInt64(1, tableId);
    stmt.bindInt64(2, storedHash(key.hash));
    stmt.bindBlob(3, key.partitionKey);
    stmt.bindBlob(4, key.sortKey);
    return m_impl->run(stmt, "deleting an item");
}

Status ItemStore::queryCollection(std::int64_t tableId, std::uint64_t hash, std::string_view partitionKey,
    const SortKeyRange& range, bool forward, const std::string* startAfterSortKey, const RowVisitor& visit)
{
    std::string sql = "SELECT sk, size, item FROM items WHERE tbl=?1 AND h=?2 AND pk=?3";
    if (range.lower)
        sql += range.lowerInclusive ? " AND sk>=?4" : " AND sk>?4";
    if (range.upper)
        sql += range.upperInclusive ? " AND sk<=?5" : " AND sk<?5";
    if (startAfterSortKey)
        sql += forward ? " AND sk>?6" : " AND sk<?6";
    sql += forward ? " ORDER BY sk ASC" : " ORDER BY sk DESC";
    auto stmt = m_impl->statement(sql);
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, storedHash(hash));
    s.bindBlob(3, partitionKey);
    if (range.lower)
        s.bindBlob(4, *range.lower);
    if (range.upper)
        s.bindBlob(5, *range.upper);
    if (startAfterSortKey)
        s.bindBlob(6, *startAfterSortKey);
    return m_impl->visitRows(s, false, hash, partitionKey, visit);
}

Status ItemStore::scanRange(std::int64_t tableId, std::uint64_t hashLow, std::uint64_t hashHigh,
    const StoredKey* startAfter, const RowVisitor& visit)
{
    std::string sql = "SELECT h, pk, sk, size, item FROM items WHERE tbl=?1 AND h>=?2 AND h<=?3";
    if (startAfter)
        sql += " AND (h, pk, sk) > (?4, ?5, ?6)";
    sql += " ORDER BY h, pk, sk";
    auto stmt = m_impl->statement(sql);
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, storedHash(hashLow));
    s.bindInt64(3, storedHash(hashHigh));
    if (startAfter) {
        s.bindInt64(4, storedHash(startAfter->hash));
        s.bindBlob(5, startAfter->partitionKey);
        s.bindBlob(6, startAfter->sortKey);
    }
    return m_impl->visitRows(s, true, 0, {}, visit);
}

Status ItemStore::collectionStats(std::int64_t tableId, std::uint64_t hash, std::string_view partitionKey,
    std::int64_t& count, std::int64_t& sizeBytes)
{
    auto stmt = m_impl->statement("SELECT count(*), coalesce(sum(size), 0) FROM items WHERE tbl=?1 AND h=?2 AND pk=?3");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, storedHash(hash));
    s.bindBlob(3, partitionKey);
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
        count = s.columnInt64(0);
        sizeBytes = s.columnInt64(1);
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "measuring an item collection");
    s.reset();
    return status;
}

Status ItemStore::rangeStats(std::int64_t tableId, std::uint64_t hashLow, std::uint64_t hashHigh, std::int64_t& count,
    std::int64_t& sizeBytes)
{
    auto stmt = m_impl->statement("SELECT count(*), coalesce(sum(size), 0) FROM items WHERE tbl=?1 AND h>=?2 AND h<=?3");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, tableId);
    s.bindInt64(2, storedHash(hashLow));
    s.bindInt64(3, storedHash(hashHigh));
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
        count = s.columnInt64(0);
        sizeBytes = s.columnInt64(1);
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "counting items");
    s.reset();
    return status;
}

} // namespace capsim
