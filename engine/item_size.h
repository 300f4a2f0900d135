#pragma once
// Item sizing, to the byte (reference A1). Pure functions; units from sizes: metering.h.

#include "engine/attribute_value.h"
#include "engine/metering.h"
#include "engine/status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

inline constexpr std::int64_t kMaxItemBytes = 409600; // 400 KB, names included
inline constexpr std::int64_t kStorageOverheadBytes = 100; // per item, billing only
inline constexpr std::int64_t kMaxPartitionKeyBytes = 2048;
inline constexpr std::int64_t kMaxSortKeyBytes = 1024;
inline constexpr int kMaxNestingDepth = 32;
// Attribute names: 1-65,535 bytes; names of key attributes (table, index, projected) 1-255.
inline constexpr std::int64_t kMaxAttributeNameBytes = 65535;
inline constexpr std::int64_t kMaxKeyAttributeNameBytes = 255;

// Size of a value as DynamoDB counts it (without an attribute name).
std::int64_t valueSizeBytes(const AttributeValue& value);
// Size of an item: sum over top-level attributes of name bytes + value size.
std::int64_t itemSizeBytes(const Item& item);

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
