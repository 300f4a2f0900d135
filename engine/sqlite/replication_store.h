#pragma once
// ReplicationStore: what global tables keep in the engine database (reference A11), in the
// ItemStore's connection and transactions: the queue of changes on their way to other replicas,
// the last-writer-wins version of every item of a global table (tombstones of deleted items
// included: they live here, never as items), each replica's counters, and the regions down.
// Tables without replicas have no rows here. Not thread-safe. This header does not expose SQLite.

#include "engine/sqlite/item_store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// A change committed in `origin` to the global table `tableName`, due in `destination` at `due`.
// `imageBlob` empty: a delete. `held`: waiting for a region to come back (outage).
struct ReplicationRow {
    std::int64_t sequence = 0; // assigned by enqueue; the order of equal due times
    std::string tableName;
    std::string origin;
    std::string destination;
    std::int64_t due = 0;
    std::int64_t commitTime = 0; // the version's time (µs) at the origin
    StoredKey key;
    std::string keyBlob; // encodeItem() of the key attributes
    std::optional<std::string> imageBlob; // encodeItem() of the new item; none for a delete
    std::int64_t sizeBytes = 0; // the new item's size (0 for a delete)
    bool held = false;
};

// Last writer wins: (time, origin) compared lexicographically.
struct ItemVersion {
    std::int64_t time = 0;
    std::string origin;
    bool deleted = false;
};

struct ReplicaCounterRow {
    std::int64_t applied = 0;
    std::int64_t conflicts = 0;
    double maxLagSeconds = 0;
};

class ReplicationStore {
public:
    static Result<std::unique_ptr<ReplicationStore>> open(ItemStore& store);
    ~ReplicationStore();

    // Queues `row` (its sequence assigned).
    Status enqueue(ReplicationRow& row);
    // The latest due time of a queued change of that item from `origin` to `destination`, if any.
    Status lastDue(const std::string& tableName, const std::string& origin, const std::string& destination,
        const StoredKey& key, std::optional<std::int64_t>& due);
    // The earliest due time of a row not held (INT64_MAX when none).
    Status nextDue(std::int64_t& at);
    // Rows not held, due by `now`, in (due, sequence) order, at most `limit`.
    Status dueRows(std::int64_t now, std::size_t limit, std::vector<ReplicationRow>& out);
    Status remove(std::int64_t sequence);
    // Holds every row to or from `region` (an outage begins).
    Status holdRegion(const std::string& region);
    // The held rows to `destination`, in (due, sequence) order (an outage ends).
    Status heldRows(const std::string& destination, std::vector<ReplicationRow>& out);
    Status release(std::int64_t sequence, std::int64_t due);
    // Rows not held to `destination`, in (due, sequence) order, due after `after`.
    Status pendingRows(const std::string& destination, std::int64_t after, std::vector<ReplicationRow>& out);
    Status setDue(std::int64_t sequence, std::int64_t due);
    // Destinations that have held rows.
    Status heldDestinations(std::vector<std::string>& out);
    Status queuedCount(const std::string& destination, const std::string& tableName, std::int64_t& count);
    // Drops the queue rows of a replica that is going (to or from it).
    Status dropQueue(const std::string& region, const std::string& tableName);

    Status version(std::int64_t tableId, const StoredKey& key, std::optional<ItemVersion>& out);
    Status putVersion(std::int64_t tableId, const StoredKey& key, const ItemVersion& version);
    Status copyVersions(std::int64_t fromTableId, std::int64_t toTableId);
    Status clearVersions(std::int64_t tableId);

    Status counters(const std::string& region, const std::string& tableName, ReplicaCounterRow& out);
    Status addCounters(const std::string& region, const std::string& tableName, std::int64_t applied,
        std::int64_t conflicts, double lagSeconds);
    Status clearCounters(const std::string& region, const std::string& tableName);

    // Regions down since their time (engine µs).
    Status downRegions(std::vector<std::string>& out);
    Status setDown(const std::string& region, bool down, std::int64_t since);

private:
    struct Impl;
    explicit ReplicationStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim
