#pragma once
// AttributeValue: one DynamoDB value of any of the ten types, and Item, a map of top-level
// attributes. Value types; sets are kept sorted and free of duplicates (NS numerically), so
// equal sets compare equal and output is deterministic. Thread-agnostic.

#include "engine/number.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace capsim {

enum class AttrType { S, N, B, BOOL, NUL, L, M, SS, NS, BS };

// "S", "N", ..., "NULL" as DynamoDB spells the type descriptor.
const char* attrTypeName(AttrType type);
bool parseAttrTypeName(std::string_view name, AttrType& out);

class AttributeValue;
using AttributeList = std::vector<AttributeValue>;
using AttributeMap = std::map<std::string, AttributeValue>;
using Item = AttributeMap;

class AttributeValue {
public:
    AttributeValue() = default; // NULL

    static AttributeValue string(std::string value);
    static AttributeValue number(Number value);
    static AttributeValue binary(std::string bytes);
    static AttributeValue boolean(bool value);
    static AttributeValue null();
    static AttributeValue list(AttributeList values);
    static AttributeValue map(AttributeMap values);
    // Sets: duplicates are removed and elements sorted. The caller checks non-emptiness
    // (and duplicates, where DynamoDB rejects them) before building.
    static AttributeValue stringSet(std::vector<std::string> values);
    static AttributeValue numberSet(std::vector<Number> values);
    static AttributeValue binarySet(std::vector<std::string> values);

    AttrType type() const { return m_type; }
    bool is(AttrType t) const { return m_type == t; }
    bool isSet() const { return m_type == AttrType::SS || m_type == AttrType::NS || m_type == AttrType::BS; }

    // S value or B bytes.
    const std::string& bytes() const { return m_bytes; }
    const Number& asNumber() const { return m_number; }
    bool asBool() const { return m_bool; }
    const AttributeList& asList() const { return m_list; }
    AttributeList& mutableList() { return m_list; }
    const AttributeMap& asMap() const { return m_map; }
    AttributeMap& mutableMap() { return m_map; }
    // SS or BS elements (sorted bytewise).
    const std::vector<std::string>& byteSet() const { return m_byteSet; }
    // NS elements (sorted numerically).
    const std::vector<Number>& numberSetValues() const { return m_numberSet; }
    std::size_t setSize() const { return m_type == AttrType::NS ? m_numberSet.size() : m_byteSet.size(); }

    // DynamoDB equality: numbers numerically, sets as sets, lists and maps element-wise.
    bool operator==(const AttributeValue& other) const;

private:
    AttrType m_type = AttrType::NUL;
    bool m_bool = false;
    std::string m_bytes;
    Number m_number;
    AttributeList m_list;
    AttributeMap m_map;
    std::vector<std::string> m_byteSet;
    std::vector<Number> m_numberSet;
};

} // namespace capsim
