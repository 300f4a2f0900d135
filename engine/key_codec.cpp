#include "engine/key_codec.h"

namespace capsim {

std::string encodeKeyValue(const AttributeValue& value)
{
    switch (value.type()) {
    case AttrType::S:
    case AttrType::B: return value.bytes();
    case AttrType::N: return value.asNumber().orderedEncoding();
    default: return {};
    }
}

AttributeValue decodeKeyValue(AttrType type, std::string_view bytes)
{
    switch (type) {
    case AttrType::S: return AttributeValue::string(std::string(bytes));
    case AttrType::B: return AttributeValue::binary(std::string(bytes));
    case AttrType::N: {
        auto n = Number::fromOrderedEncoding(bytes);
        return AttributeValue::number(n ? *n : Number {});
    }
    default: return {};
    }
}

std::uint64_t partitionHash(std::string_view encodedPartitionKey)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : encodedPartitionKey) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    // FNV's high bits mix poorly for short keys; partitions are ranges of the high bits.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

} // namespace capsim
