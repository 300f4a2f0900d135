#pragma once
// Item sizing and capacity-unit metering, to the byte (reference A1-A2). Pure functions.

#include "engine/attribute_value.h"
#include "engine/status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

inline constexpr std::int64_t kMaxItemBytes = 409600; // 400 KB, names included
inline constexpr std::int64_t kStorageOverheadBytes = 100; // per item, billing only
inline constexpr std::int64_t kReadUnitBytes = 4096;
inline constexpr std::int64_t kWriteUnitBytes = 1024;
inline constexpr std::int64_t kMaxPartitionKeyBytes = 2048;
inline constexpr std::int64_t kMaxSortKeyBytes = 1024;
inline constexpr int kMaxNestingDepth = 32;
// Attribute names: 1-65,535 bytes; names of key attributes (table, index, projected) 1-255.
inline constexpr std::int64_t kMaxAttributeNameBytes = 65535;
inline constexpr std::int64_t kMaxKeyAttributeNameBytes = 255;

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

// Checks top-level attribute names (not empty, at most 65,535 bytes), the 400 KB limit and
// nesting depth. Returns ValidationException with DynamoDB's message.
Status validateItemLimits(const Item& item);
// An item attribute's name: 1 to 65,535 bytes.
Status validateAttributeName(const std::string& name);
// A key attribute's name in a table or index definition (KeySchema, AttributeDefinitions,
// NonKeyAttributes): 1 to 255 bytes, worded as DynamoDB's request validation words it, with
// `field` the request member ("keySchema.1.member.attributeName").
Status validateKeyAttributeName(const std::string& name, std::string_view field);

} // namespace capsim
