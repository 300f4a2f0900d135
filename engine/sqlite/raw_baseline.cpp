#include "engine/sqlite/raw_baseline.h"

#include "engine/sqlite/sqlite_handle.h"

namespace capsim {

struct RawSqliteBaseline::Impl {
    std::unique_ptr<sqlite::Connection> connection;
    sqlite::Statement size;
    sqlite::Statement select;
    sqlite::Statement replace;
};

RawSqliteBaseline::RawSqliteBaseline(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

RawSqliteBaseline::~RawSqliteBaseline() = default;

Result<std::unique_ptr<RawSqliteBaseline>> RawSqliteBaseline::open(const std::string& path)
{
    auto connection = sqlite::Connection::open(path);
    if (!connection)
        return connection.status();
    auto impl = std::make_unique<Impl>();
    impl->connection = std::move(connection).value();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(itemStorePragmasSql(path == ":memory:")));
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(itemStoreSchemaSql()));
    sqlite3* db = impl->connection->handle();
    CAPSIM_RETURN_IF_ERROR(impl->size.prepare(db, "SELECT size FROM items WHERE tbl=1 AND h=?1 AND pk=?2 AND sk=?3"));
    CAPSIM_RETURN_IF_ERROR(impl->select.prepare(db, "SELECT size, item FROM items WHERE tbl=1 AND h=?1 AND pk=?2 AND sk=?3"));
    CAPSIM_RETURN_IF_ERROR(impl->replace.prepare(
        db, "INSERT OR REPLACE INTO items(tbl, h, pk, sk, size, item) VALUES(1, ?1, ?2, ?3, ?4, ?5)"));
    return std::unique_ptr<RawSqliteBaseline>(new RawSqliteBaseline(std::move(impl)));
}

Status RawSqliteBaseline::put(const StoredKey& key, std::int64_t sizeBytes, std::string_view blob)
{
    const auto h = static_cast<std::int64_t>(key.hash ^ 0x8000000000000000ULL);
    auto& size = m_impl->size;
    size.bindInt64(1, h);
    size.bindBlob(2, key.partitionKey);
    size.bindBlob(3, key.sortKey);
    int rc = size.step();
    Status status = sqlite::statusFrom(rc, m_impl->connection->handle(), "reading the old size");
    size.reset();
    CAPSIM_RETURN_IF_ERROR(status);
    auto& replace = m_impl->replace;
    replace.bindInt64(1, h);
    replace.bindBlob(2, key.partitionKey);
    replace.bindBlob(3, key.sortKey);
    replace.bindInt64(4, sizeBytes);
    replace.bindBlob(5, blob);
    rc = replace.step();
    status = sqlite::statusFrom(rc, m_impl->connection->handle(), "replacing a row");
    replace.reset();
    return status;
}

Status RawSqliteBaseline::get(const StoredKey& key, bool& found, std::string& blob)
{
    auto& select = m_impl->select;
    select.bindInt64(1, static_cast<std::int64_t>(key.hash ^ 0x8000000000000000ULL));
    select.bindBlob(2, key.partitionKey);
    select.bindBlob(3, key.sortKey);
    const int rc = select.step();
    found = rc == SQLITE_ROW;
    if (found)
        blob.assign(select.columnBlob(1));
    Status status = sqlite::statusFrom(rc, m_impl->connection->handle(), "selecting a row");
    select.reset();
    return status;
}

} // namespace capsim
