#include "engine/sqlite/sqlite_handle.h"

#include <cstring>
#include <utility>

namespace capsim::sqlite {

namespace {

// What the operating system said, for the errors it causes: " (File too large)" after "disk I/O
// error", " (No space left on device)" after "database or disk is full"; empty otherwise.
std::string systemCause(int resultCode, sqlite3* db)
{
    switch (resultCode & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        if (const int system = db ? sqlite3_system_errno(db) : 0; system != 0)
            return std::string(" (") + std::strerror(system) + ")";
        if ((resultCode & 0xff) == SQLITE_FULL)
            return " (no space left on the device)";
        return {};
    default: return {};
    }
}

} // namespace

Status statusFrom(int resultCode, sqlite3* db, std::string_view what)
{
    if (resultCode == SQLITE_OK || resultCode == SQLITE_ROW || resultCode == SQLITE_DONE)
        return Status::ok();
    std::string message = "storage error while " + std::string(what) + ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(resultCode);
    return Status::internal(message + systemCause(resultCode, db));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path)
{
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        Status status = statusFrom(rc, db, "opening " + path);
        sqlite3_close(db);
        return status;
    }
    sqlite3_extended_result_codes(db, 1);
    return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection()
{
    // Statements are finalized by their owners first; close_v2 defers if any remain.
    sqlite3_close_v2(m_db);
}

Status Connection::exec(const char* sql)
{
    char* error = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = std::string("storage error while running \"") + sql + "\": " + (error ? error : "")
            + systemCause(sqlite3_extended_errcode(m_db), m_db);
        sqlite3_free(error);
        return Status::internal(std::move(message));
    }
    return Status::ok();
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Status Statement::prepare(sqlite3* db, const char* sql)
{
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    return statusFrom(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr), db, sql);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

Result<Statement*> StatementCache::get(sqlite3* db, const std::string& sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        Statement stmt;
        CAPSIM_RETURN_IF_ERROR(stmt.prepare(db, sql.c_str()));
        it = m_statements.emplace(sql, std::move(stmt)).first;
    }
    return &it->second;
}

Status runOnce(Statement& stmt, sqlite3* db, std::string_view what)
{
    const int rc = stmt.step();
    Status status = statusFrom(rc, db, what);
    stmt.reset();
    return status;
}

} // namespace capsim::sqlite
