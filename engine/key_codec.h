#pragma once
// Key encoding for storage: the 64-bit partition hash and the order-preserving byte forms of
// partition and sort key values (S and B as their bytes, N as Number::orderedEncoding), so that
// SQLite's memcmp order on BLOBs is DynamoDB's key order. Pure functions.

#include "engine/attribute_value.h"
#include "engine/expression/expression.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace capsim {

// Order-preserving bytes of a key value (S, N or B).
std::string encodeKeyValue(const AttributeValue& value);
// Inverse of encodeKeyValue for a known key type.
AttributeValue decodeKeyValue(AttrType type, std::string_view bytes);

// The partition key's position in the hash space: partitions own contiguous ranges of it.
// Stable across machines and versions (FNV-1a 64 followed by a 64-bit finalizer for avalanche).
std::uint64_t partitionHash(std::string_view encodedPartitionKey);

// Appends one key component to a composite index sort key: bytes with 0x00 escaped as 0x00 0xFF,
// then the terminator 0x00 0x01. The encoding is prefix-free and keeps memcmp order, so entries
// sort by index sort key first, then by the base table's key.
void appendKeyComponent(std::string& out, std::string_view bytes);
// The composite-key component of one key value (encodeKeyValue, then appendKeyComponent).
std::string keyComponent(const AttributeValue& value);

// Smallest byte string greater than every string starting with `prefix`, if any.
std::optional<std::string> prefixSuccessor(std::string prefix);

// Bounds on the encoded sort key of one item collection.
struct SortKeyRange {
    std::optional<std::string> lower;
    bool lowerInclusive = true;
    std::optional<std::string> upper;
    bool upperInclusive = true;
};

// The byte range of stored sort keys a Query's sort-key condition selects. `compositeIndexKey`
// is true for index entries, whose sort key is the composite (index sort key, table key): the
// bounds then apply to the first component.
SortKeyRange sortKeyRange(const expr::KeyCondition& condition, bool compositeIndexKey);

} // namespace capsim
