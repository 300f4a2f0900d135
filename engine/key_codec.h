#pragma once
// Key encoding for storage: the 64-bit partition hash and the order-preserving byte forms of
// partition and sort key values (S and B as their bytes, N as Number::orderedEncoding), so that
// SQLite's memcmp order on BLOBs is DynamoDB's key order. Pure functions.

#include "engine/attribute_value.h"

#include <cstdint>
#include <string>

namespace capsim {

// Order-preserving bytes of a key value (S, N or B).
std::string encodeKeyValue(const AttributeValue& value);
// Inverse of encodeKeyValue for a known key type.
AttributeValue decodeKeyValue(AttrType type, std::string_view bytes);

// The partition key's position in the hash space: partitions own contiguous ranges of it.
// Stable across machines and versions (FNV-1a 64 followed by a 64-bit finalizer for avalanche).
std::uint64_t partitionHash(std::string_view encodedPartitionKey);

} // namespace capsim
