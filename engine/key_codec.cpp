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

void appendKeyComponent(std::string& out, std::string_view bytes)
{
    for (char c : bytes) {
        out.push_back(c);
        if (c == '\0')
            out.push_back(static_cast<char>(0xFF));
    }
    out.push_back('\0');
    out.push_back('\x01');
}

std::string keyComponent(const AttributeValue& value)
{
    std::string out;
    appendKeyComponent(out, encodeKeyValue(value));
    return out;
}

std::optional<std::string> prefixSuccessor(std::string prefix)
{
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last != 0xFF) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::nullopt;
}

SortKeyRange sortKeyRange(const expr::KeyCondition& kc, bool compositeIndexKey)
{
    const bool index = compositeIndexKey;
    // Index sort keys are composite (index sort key, then the table key): bounds on the index
    // sort key become bounds on its encoded component.
    auto bound = [&](const AttributeValue& v) { return index ? keyComponent(v) : encodeKeyValue(v); };
    SortKeyRange range;
    using Op = expr::KeyCondition::SortOp;
    switch (kc.sortOp) {
    case Op::None: break;
    case Op::Eq:
        if (index) {
            range.lower = bound(kc.sortValue1);
            range.upper = prefixSuccessor(*range.lower);
            range.upperInclusive = false;
        } else {
            range.lower = range.upper = bound(kc.sortValue1);
        }
        break;
    case Op::Lt: range.upper = bound(kc.sortValue1), range.upperInclusive = false; break;
    case Op::Le:
        if (index)
            range.upper = prefixSuccessor(bound(kc.sortValue1)), range.upperInclusive = false;
        else
            range.upper = bound(kc.sortValue1);
        break;
    case Op::Gt:
        if (index)
            range.lower = prefixSuccessor(bound(kc.sortValue1));
        else
            range.lower = bound(kc.sortValue1), range.lowerInclusive = false;
        break;
    case Op::Ge: range.lower = bound(kc.sortValue1); break;
    case Op::Between:
        range.lower = bound(kc.sortValue1);
        if (index)
            range.upper = prefixSuccessor(bound(kc.sortValue2)), range.upperInclusive = false;
        else
            range.upper = bound(kc.sortValue2);
        break;
    case Op::BeginsWith: {
        std::string prefix;
        if (index) {
            // The escaped bytes without the terminator: a prefix of every longer value's component.
            prefix = keyComponent(kc.sortValue1);
            prefix.resize(prefix.size() - 2);
        } else {
            prefix = encodeKeyValue(kc.sortValue1);
        }
        range.lower = prefix;
        range.upper = prefixSuccessor(prefix);
        range.upperInclusive = false;
        break;
    }
    }
    return range;
}

} // namespace capsim
