#pragma once
// RAII handles for sqlite3* and sqlite3_stmt*, and the one function that turns SQLite result
// codes into Status. The only header besides item_store.cpp that includes <sqlite3.h>.
// A handle is used by one thread at a time.

#include "engine/status.h"

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace capsim::sqlite {

// InternalServerError naming what failed and SQLite's own message, or ok for SQLITE_OK/ROW/DONE.
Status statusFrom(int resultCode, sqlite3* db, std::string_view what);

class Connection {
public:
    // Opens (creating if missing) a database file, or ":memory:".
    static Result<std::unique_ptr<Connection>> open(const std::string& path);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return m_db; }
    Status exec(const char* sql);
    const std::string& path() const { return m_path; }

private:
    Connection(sqlite3* db, std::string path)
        : m_db(db)
        , m_path(std::move(path))
    {
    }
    sqlite3* m_db;
    std::string m_path;
};

// A prepared statement, reset (not finalized) between uses.
class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;

    Status prepare(sqlite3* db, const char* sql);
    void reset();
    void bindInt64(int index, std::int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
    // The bytes must outlive the step (SQLITE_STATIC).
    void bindBlob(int index, std::string_view bytes)
    {
        sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    }
    void bindText(int index, std::string_view text)
    {
        sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
    // Returns SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    std::int64_t columnInt64(int column) const { return sqlite3_column_int64(m_stmt, column); }
    std::string_view columnBlob(int column) const
    {
        const void* data = sqlite3_column_blob(m_stmt, column);
        const int size = sqlite3_column_bytes(m_stmt, column);
        return data ? std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(size))
                    : std::string_view();
    }
    std::string_view columnText(int column) const
    {
        const unsigned char* data = sqlite3_column_text(m_stmt, column);
        const int size = sqlite3_column_bytes(m_stmt, column);
        return data ? std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size))
                    : std::string_view();
    }
    sqlite3_stmt* handle() const { return m_stmt; }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

// Prepared statements kept by their SQL text and prepared on first use; each store keeps one.
class StatementCache {
public:
    Result<Statement*> get(sqlite3* db, const std::string& sql);

private:
    std::map<std::string, Statement> m_statements;
};

// Steps a statement that returns no rows once, resets it, and says how it went.
Status runOnce(Statement& stmt, sqlite3* db, std::string_view what);

} // namespace capsim::sqlite
