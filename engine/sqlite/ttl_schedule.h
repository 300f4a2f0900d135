#pragma once
// TtlSchedule: the Time to Live deletions due (reference A6), one row per item of a TTL-enabled
// table whose value makes it expire, in the engine database beside the items and on the same
// connection, so that a row changes in the storage transaction of its item's write. Indexed by
// due time (deletions in (d, key) order) and by expiry (the summary's count). Not thread-safe:
// owned by the engine with its ItemStore. This header does not expose SQLite.

#include "engine/sqlite/item_store.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace capsim {

// One item's scheduled expiry and deletion (see ttlDeadline in engine/ttl.h).
struct TtlScheduleEntry {
    std::int64_t tableId = 0;
    StoredKey key;
    std::string keyText; // the key as compact DynamoDB JSON: the order among equal due times
    std::string ttlValue; // v's canonical N text
    std::int64_t expiresAt = 0; // engine time at which it counts as expired
    std::int64_t due = 0; // d, engine time
    bool deletes = false; // still eligible at d (else the row is dropped then, item kept)
    std::int64_t delay = 0; // d - max(v, tEnabled), microseconds
};

class TtlSchedule {
public:
    // Creates the schedule's table in `store`'s database if missing.
    static Result<std::unique_ptr<TtlSchedule>> open(ItemStore& store);
    ~TtlSchedule();

    // Schedules the item (replacing its row). A replaced row that had already counted as
    // expired with the same value and expiry stays counted.
    Status put(const TtlScheduleEntry& entry);
    // Cancels the item's row, if any.
    Status erase(std::int64_t tableId, const StoredKey& key);
    // Cancels every row of a table.
    Status clearTable(std::int64_t tableId);
    // Marks every row expired by `now` (expiresAt <= now) and not yet counted as counted, and
    // returns how many per table id.
    Status countExpired(std::int64_t now, std::vector<std::pair<std::int64_t, std::int64_t>>& perTable);
    // The earliest time at which something happens: a row's expiry not yet counted, or a row's
    // due time; INT64_MAX when there is no row.
    Status nextEvent(std::int64_t& at);
    // Up to `limit` rows due by `now`, in (due, keyText, tableId) order.
    Status due(std::int64_t now, std::size_t limit, std::vector<TtlScheduleEntry>& out);
    // Every row of a table in (due, keyText) order (tests and checks).
    Status entries(std::int64_t tableId, std::vector<TtlScheduleEntry>& out);

private:
    struct Impl;
    explicit TtlSchedule(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim
