#pragma once
// SqlDatabase: a small typed SQL interface for layers above the engine that keep their own
// SQLite files (the simulator's results database, run.sqlite), so that they never include
// <sqlite3.h>. One thread at a time.

#include "engine/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace capsim {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

class SqlDatabase {
public:
    // Opens or creates a database file (or ":memory:").
    static Result<std::unique_ptr<SqlDatabase>> open(const std::string& path);
    ~SqlDatabase();

    // Runs one or more statements without parameters.
    Status exec(const std::string& sql);
    // Runs one parameterised statement once per row (inside the caller's transaction, if any).
    Status executeMany(const std::string& sql, const std::vector<SqlRow>& rows);
    // Runs a query and passes each row to `visit` (return false to stop).
    Status query(const std::string& sql, const SqlRow& parameters, const std::function<bool(const SqlRow&)>& visit);

private:
    struct Impl;
    explicit SqlDatabase(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim
