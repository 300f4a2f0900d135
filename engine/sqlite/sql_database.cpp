#include "engine/sqlite/sql_database.h"

#include "engine/sqlite/sqlite_handle.h"

namespace capsim {

struct SqlDatabase::Impl {
    std::unique_ptr<sqlite::Connection> connection;
};

SqlDatabase::SqlDatabase(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

SqlDatabase::~SqlDatabase() = default;

Result<std::unique_ptr<SqlDatabase>> SqlDatabase::open(const std::string& path)
{
    auto connection = sqlite::Connection::open(path);
    if (!connection)
        return connection.status();
    auto impl = std::make_unique<Impl>();
    impl->connection = std::move(connection).value();
    return std::unique_ptr<SqlDatabase>(new SqlDatabase(std::move(impl)));
}

Status SqlDatabase::exec(const std::string& sql)
{
    return m_impl->connection->exec(sql.c_str());
}

namespace {

void bind(sqlite::Statement& stmt, const SqlRow& row)
{
    for (std::size_t i = 0; i < row.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::int64_t>)
                    stmt.bindInt64(index, v);
                else if constexpr (std::is_same_v<T, double>)
                    sqlite3_bind_double(stmt.handle(), index, v);
                else if constexpr (std::is_same_v<T, std::string>)
                    stmt.bindText(index, v);
                else
                    sqlite3_bind_null(stmt.handle(), index);
            },
            row[i]);
    }
}

} // namespace

Status SqlDatabase::executeMany(const std::string& sql, const std::vector<SqlRow>& rows)
{
    sqlite::Statement stmt;
    CAPSIM_RETURN_IF_ERROR(stmt.prepare(m_impl->connection->handle(), sql.c_str()));
    for (const auto& row : rows) {
        bind(stmt, row);
        const int rc = stmt.step();
        Status status = sqlite::statusFrom(rc, m_impl->connection->handle(), "writing results");
        stmt.reset();
        CAPSIM_RETURN_IF_ERROR(status);
    }
    return Status::ok();
}

Status SqlDatabase::query(const std::string& sql, const SqlRow& parameters, const std::function<bool(const SqlRow&)>& visit)
{
    sqlite::Statement stmt;
    CAPSIM_RETURN_IF_ERROR(stmt.prepare(m_impl->connection->handle(), sql.c_str()));
    bind(stmt, parameters);
    int rc;
    SqlRow row;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        const int columns = sqlite3_column_count(stmt.handle());
        row.assign(static_cast<std::size_t>(columns), nullptr);
        for (int c = 0; c < columns; ++c) {
            switch (sqlite3_column_type(stmt.handle(), c)) {
            case SQLITE_INTEGER: row[static_cast<std::size_t>(c)] = stmt.columnInt64(c); break;
            case SQLITE_FLOAT: row[static_cast<std::size_t>(c)] = sqlite3_column_double(stmt.handle(), c); break;
            case SQLITE_NULL: break;
            default: row[static_cast<std::size_t>(c)] = std::string(stmt.columnText(c)); break;
            }
        }
        if (!visit(row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    return sqlite::statusFrom(rc, m_impl->connection->handle(), "reading results");
}

} // namespace capsim
