#include "engine/attribute_value.h"

#include <algorithm>

namespace capsim {

const char* attrTypeName(AttrType type)
{
    switch (type) {
    case AttrType::S: return "S";
    case AttrType::N: return "N";
    case AttrType::B: return "B";
    case AttrType::BOOL: return "BOOL";
    case AttrType::NUL: return "NULL";
    case AttrType::L: return "L";
    case AttrType::M: return "M";
    case AttrType::SS: return "SS";
    case AttrType::NS: return "NS";
    case AttrType::BS: return "BS";
    }
    return "?";
}

bool parseAttrTypeName(std::string_view name, AttrType& out)
{
    static const std::pair<std::string_view, AttrType> kNames[] = { { "S", AttrType::S },
        { "N", AttrType::N }, { "B", AttrType::B }, { "BOOL", AttrType::BOOL }, { "NULL", AttrType::NUL },
        { "L", AttrType::L }, { "M", AttrType::M }, { "SS", AttrType::SS }, { "NS", AttrType::NS },
        { "BS", AttrType::BS } };
    for (const auto& [text, type] : kNames) {
        if (text == name) {
            out = type;
            return true;
        }
    }
    return false;
}

AttributeValue AttributeValue::string(std::string value)
{
    AttributeValue v;
    v.m_type = AttrType::S;
    v.m_bytes = std::move(value);
    return v;
}

AttributeValue AttributeValue::number(Number value)
{
    AttributeValue v;
    v.m_type = AttrType::N;
    v.m_number = std::move(value);
    return v;
}

AttributeValue AttributeValue::binary(std::string bytes)
{
    AttributeValue v;
    v.m_type = AttrType::B;
    v.m_bytes = std::move(bytes);
    return v;
}

AttributeValue AttributeValue::boolean(bool value)
{
    AttributeValue v;
    v.m_type = AttrType::BOOL;
    v.m_bool = value;
    return v;
}

AttributeValue AttributeValue::null()
{
    return {};
}

AttributeValue AttributeValue::list(AttributeList values)
{
    AttributeValue v;
    v.m_type = AttrType::L;
    v.m_list = std::move(values);
    return v;
}

AttributeValue AttributeValue::map(AttributeMap values)
{
    AttributeValue v;
    v.m_type = AttrType::M;
    v.m_map = std::move(values);
    return v;
}

namespace {
template <typename T>
void sortUnique(std::vector<T>& values)
{
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}
} // namespace

AttributeValue AttributeValue::stringSet(std::vector<std::string> values)
{
    AttributeValue v;
    v.m_type = AttrType::SS;
    sortUnique(values);
    v.m_byteSet = std::move(values);
    return v;
}

AttributeValue AttributeValue::numberSet(std::vector<Number> values)
{
    AttributeValue v;
    v.m_type = AttrType::NS;
    sortUnique(values);
    v.m_numberSet = std::move(values);
    return v;
}

AttributeValue AttributeValue::binarySet(std::vector<std::string> values)
{
    AttributeValue v;
    v.m_type = AttrType::BS;
    sortUnique(values);
    v.m_byteSet = std::move(values);
    return v;
}

bool AttributeValue::operator==(const AttributeValue& other) const
{
    if (m_type != other.m_type)
        return false;
    switch (m_type) {
    case AttrType::S:
    case AttrType::B: return m_bytes == other.m_bytes;
    case AttrType::N: return m_number == other.m_number;
    case AttrType::BOOL: return m_bool == other.m_bool;
    case AttrType::NUL: return true;
    case AttrType::L: return m_list == other.m_list;
    case AttrType::M: return m_map == other.m_map;
    case AttrType::SS:
    case AttrType::BS: return m_byteSet == other.m_byteSet;
    case AttrType::NS: return m_numberSet == other.m_numberSet;
    }
    return false;
}

} // namespace capsim
