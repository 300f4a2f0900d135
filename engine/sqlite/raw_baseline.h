#pragma once
// RawSqliteBaseline: the benchmark baseline. Raw SQLite doing the storage work of the engine's
// PutItem and GetItem on the engine's own schema, pragmas and transaction policy (one
// autocommit statement per operation), with no item model, expressions or metering.
// Lives here because only engine/sqlite/ may touch SQLite. One thread at a time.

#include "engine/sqlite/item_store.h"

#include <memory>
#include <string>

namespace capsim {

class RawSqliteBaseline {
public:
    static Result<std::unique_ptr<RawSqliteBaseline>> open(const std::string& path);
    ~RawSqliteBaseline();

    // Reads the old row's size (as the engine must, to meter), then replaces the row.
    Status put(const StoredKey& key, std::int64_t sizeBytes, std::string_view blob);
    // A point select of the row's size and bytes; `found` false when missing.
    Status get(const StoredKey& key, bool& found, std::string& blob);

private:
    struct Impl;
    explicit RawSqliteBaseline(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The DDL and pragmas ItemStore applies, shared so that the baseline measures the same thing.
const char* itemStoreSchemaSql();
const char* itemStorePragmasSql(bool inMemory);

} // namespace capsim
