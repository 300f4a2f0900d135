#pragma once
// ItemStore: the engine's storage on SQLite. One B-tree holds every item of every table,
// ordered by (table, partition hash, partition key, sort key), so a partition is a key range
// and a split only changes metadata. Table descriptions are kept as JSON text beside it.
// Not thread-safe: one engine owns one store. This header does not expose SQLite.

#include "engine/key_codec.h"
#include "engine/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

namespace sqlite {
class Connection;
}

struct StoredKey {
    std::uint64_t hash = 0;
    std::string partitionKey; // encodeKeyValue() bytes
    std::string sortKey; // encodeKeyValue() bytes, empty without a sort key
};

struct StoredRow {
    std::uint64_t hash = 0;
    std::string_view partitionKey;
    std::string_view sortKey;
    std::int64_t sizeBytes = 0;
    std::string_view blob; // valid only during the callback
};

struct TableRecord {
    std::int64_t id = 0;
    std::string name;
    std::string descriptionJson;
};

// What an idempotency token (ClientRequestToken) remembers: the request it came with (a
// canonical text), the first response (JSON text) and when it expires (engine time).
struct ClientTokenRecord {
    std::string fingerprint;
    std::string response;
    std::int64_t expiresAt = 0;
};

class ItemStore {
public:
    // Opens or creates the store at `path` (a file, or ":memory:"), applying the schema and
    // pragmas (WAL for files). InternalServerError if the file is not a capsim database.
    static Result<std::unique_ptr<ItemStore>> open(const std::string& path);
    ~ItemStore();

    // One transaction of the engine's. While a group is open (beginGroup) they are savepoints
    // inside it instead: commit() releases the savepoint (nothing is durable before
    // commitGroup()), rollback() undoes only what followed begin().
    Status begin();
    Status commit();
    // Undoes the open transaction after a failure. Callers are already returning the error that
    // made them roll back, so ROLLBACK's own failure is not reported: it fails when SQLite has
    // already rolled back (an I/O or full-disk error aborts the transaction), and otherwise the
    // next begin() reports the transaction still open.
    void rollback();

    // Group commit: one SQLite transaction around many engine operations (capsim serve's
    // executor). Every write until commitGroup() or rollbackGroup() belongs to it; the engine's
    // own transactions nest as savepoints. commitGroup() makes the group durable or fails with
    // InternalServerError having rolled all of it back (then nothing of the group is in the
    // file, whatever the engine's memory says). A group cannot nest.
    Status beginGroup();
    Status commitGroup();
    void rollbackGroup();
    bool groupOpen() const { return m_groupOpen; }

    // Moves WAL checkpoints off the committing thread: from now on a thread of the store's own,
    // on a second connection, copies committed pages back into the database file (PASSIVE:
    // never blocking a writer) once the WAL holds kCheckpointFrames frames, instead of the
    // commit that crossed SQLite's auto-checkpoint threshold doing it (and its fsyncs) inline.
    // A commit still checkpoints inline if the WAL reaches kInlineCheckpointFrames (the thread
    // cannot keep up). Durability is unchanged: commits are in the WAL either way. Nothing for
    // :memory:. Not thread-safe with the store's other calls; call it once, before serving.
    Status checkpointInBackground();
    static constexpr int kCheckpointFrames = 1000;
    static constexpr int kInlineCheckpointFrames = 20000;

    // Test hook: the next commitGroup() fails (as a full disk would) and rolls the group back.
    void failNextGroupCommit() { m_failGroupCommit = true; }

    Result<std::vector<TableRecord>> loadTables();
    Status saveTable(const TableRecord& table);
    // Idempotency tokens of `operation` ("TransactWriteItems"), kept in the database so that
    // they outlive the process. putClientToken replaces any record of the token; it belongs in
    // the same transaction as the writes it vouches for.
    Status putClientToken(std::string_view operation, std::string_view token, const ClientTokenRecord& record);
    // The token's record, or none; records expired at `now` are removed first.
    Result<std::optional<ClientTokenRecord>> findClientToken(
        std::string_view operation, std::string_view token, std::int64_t now);
    // Removes the table's description and all of its items.
    Status deleteTable(std::int64_t tableId);

    // Engine-wide settings kept across processes (capsim_meta): empty when never stored.
    Result<std::optional<std::string>> getSetting(std::string_view key);
    Status putSetting(std::string_view key, std::string_view value);

    // SQLite's `PRAGMA integrity_check` of the whole file: ok, or an error carrying what it found
    // (the crash-consistency tests run it after every kill).
    Status checkIntegrity();

    // Looks up one item. `found` is false when there is none; `blob` may be null to read only the size.
    Status get(std::int64_t tableId, const StoredKey& key, bool& found, std::int64_t& sizeBytes, std::string* blob);
    // Looks up one item and hands its bytes to `visit` without copying them (valid only during
    // the call); `visit` is not called when there is no item.
    Status getInPlace(std::int64_t tableId, const StoredKey& key,
        const std::function<void(std::int64_t sizeBytes, std::string_view blob)>& visit);
    Status put(std::int64_t tableId, const StoredKey& key, std::int64_t sizeBytes, std::string_view blob);
    Status erase(std::int64_t tableId, const StoredKey& key);

    // The database connection, for the other stores of engine/sqlite/ that keep their tables
    // in the same database and transactions (stream_store.cpp).
    sqlite::Connection& connection();

    // Test hook: after `afterWrites` more successful writes (put, erase, saveTable), the next
    // one fails with InternalServerError without touching the database; then writes work
    // again. A negative value disarms it.
    void failWriteAfter(int afterWrites) { m_failWriteAfter = afterWrites; }

    using RowVisitor = std::function<bool(const StoredRow&)>; // return false to stop

    // Visits one item collection (one partition key) in sort-key order (or reverse), starting
    // after `startAfterSortKey` when given.
    Status queryCollection(std::int64_t tableId, std::uint64_t hash, std::string_view partitionKey,
        const SortKeyRange& range, bool forward, const std::string* startAfterSortKey, const RowVisitor& visit);
    // Visits items whose hash lies in [hashLow, hashHigh] in storage order, after `startAfter` if given.
    Status scanRange(std::int64_t tableId, std::uint64_t hashLow, std::uint64_t hashHigh, const StoredKey* startAfter,
        const RowVisitor& visit);
    // Row count and summed sizes of one item collection (one partition key value).
    Status collectionStats(std::int64_t tableId, std::uint64_t hash, std::string_view partitionKey, std::int64_t& count,
        std::int64_t& sizeBytes);
    // Item count and summed item sizes (without the 100-byte overhead) in a hash range.
    Status rangeStats(std::int64_t tableId, std::uint64_t hashLow, std::uint64_t hashHigh, std::int64_t& count,
        std::int64_t& sizeBytes);

private:
    struct Impl;
    explicit ItemStore(std::unique_ptr<Impl> impl);
    Status injectedFailure();
    std::unique_ptr<Impl> m_impl;
    int m_failWriteAfter = -1;
    bool m_failGroupCommit = false;
    bool m_groupOpen = false;
};

} // namespace capsim
