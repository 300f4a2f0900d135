#pragma once
// Capacity-unit metering: the one place that turns sizes into read and write units
// (reference A1-A2). Pure functions; sizes come from item_size.h.

#include <cstdint>

namespace capsim {

inline constexpr std::int64_t kReadUnitBytes = 4096;
inline constexpr std::int64_t kWriteUnitBytes = 1024;
// Every item of a transaction is read or written twice, prepare and commit (reference A2, C 2.4).
inline constexpr double kTransactionalFactor = 2.0;

enum class Consistency { Eventual, Strong, Transactional };

// Strong read units as an integer: max(1, ceil(size / 4 KB)); a missing item counts as 1 byte.
std::int64_t strongReadUnits(std::int64_t sizeBytes);
// Read units for one item of sizeBytes: strong units, half for eventual, doubled for transactional.
double readUnits(std::int64_t sizeBytes, Consistency consistency);
// A Query/Scan page: the sizes of all entries evaluated summed, then rounded once to 4 KB, at
// least minimumStrongUnits (a Scan: one per partition the page touched), halved for eventual.
double pageReadUnits(std::int64_t pageBytes, Consistency consistency, std::int64_t minimumStrongUnits = 1);
// A transactional read of one item: a strong read's units, doubled.
double transactionalReadUnits(std::int64_t sizeBytes);

// Write units: max(1, ceil(size / 1 KB)).
std::int64_t writeUnits(std::int64_t sizeBytes);
// One item write: Put and Update bill the larger of the sizes before and after, Delete the
// deleted item (newBytes 0); a missing item (0 bytes) bills 1 unit.
std::int64_t itemWriteUnits(std::int64_t oldBytes, std::int64_t newBytes);
// A transactional write of one item billed at billedBytes: its write units, doubled.
double transactionalWriteUnits(std::int64_t billedBytes);

// Index upkeep, per index and sized by the entry (reference A2, C 2.5): a new entry and a removed
// entry each cost the entry's write units; a key change is a removal plus a new entry; a changed
// projection under the same key costs the larger of the entry before and after.
std::int64_t indexEntryWriteUnits(std::int64_t entryBytes);
std::int64_t indexEntryUpdateUnits(std::int64_t beforeBytes, std::int64_t afterBytes);

} // namespace capsim
