#pragma once
// Item sizing and capacity-unit metering, to the byte (reference A1-A2). Pure functions.

#include "engine/attribute_value.h"
#include "engine/status.h"

#include <cstdint>

namespace capsim {

inline constexpr std::int64_t kMaxItemBytes = 409600; // 400 KB, names included
inline constexpr std::int64_t kStorageOverheadBytes = 100; // per item, billing only
inline constexpr std::int64_t kReadUnitBytes = 4096;
inline constexpr std::int64_t kWriteUnitBytes = 1024;
inline constexpr std::int64_t kMaxPartitionKeyBytes = 2048;
inline constexpr std::int64_t kMaxSortKeyBytes = 1024;
inline constexpr int kMaxNestingDepth = 32;

enum class Consistency { Eventual, Strong, Transactional };

// Size of a value as DynamoDB counts it (without an attribute name).
std::int64_t valueSizeBytes(const AttributeValue& value);
// Size of an item: sum over top-level attributes of name bytes + value size.
std::int64_t itemSizeBytes(const Item& item);

// Read units for one item (or one Query/Scan page) of sizeBytes; a missing item counts as 1 byte.
double readUnits(std::int64_t sizeBytes, Consistency consistency);
// Strong read units as an integer: max(1, ceil(size / 4 KB)).
std::int64_t strongReadUnits(std::int64_t sizeBytes);
// Write units: max(1, ceil(size / 1 KB)); doubled for transactional writes.
std::int64_t writeUnits(std::int64_t sizeBytes);

// Checks the 400 KB limit and nesting depth. Returns ValidationException with DynamoDB's message.
Status validateItemLimits(const Item& item);

} // namespace capsim
