#include "engine/item_codec.h"

namespace capsim {

namespace {

constexpr char kVersion = 1;

void putVarint(std::string& out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void putBytes(std::string& out, std::string_view bytes)
{
    putVarint(out, bytes.size());
    out.append(bytes);
}

void putValue(std::string& out, const AttributeValue& value)
{
    out.push_back(static_cast<char>(value.type()));
    switch (value.type()) {
    case AttrType::S:
    case AttrType::B: putBytes(out, value.bytes()); break;
    case AttrType::N: putBytes(out, value.asNumber().orderedEncoding()); break;
    case AttrType::BOOL: out.push_back(value.asBool() ? 1 : 0); break;
    case AttrType::NUL: break;
    case AttrType::L:
        putVarint(out, value.asList().size());
        for (const auto& element : value.asList())
            putValue(out, element);
        break;
    case AttrType::M:
        putVarint(out, value.asMap().size());
        for (const auto& [name, element] : value.asMap()) {
            putBytes(out, name);
            putValue(out, element);
        }
        break;
    case AttrType::SS:
    case AttrType::BS:
        putVarint(out, value.byteSet().size());
        for (const auto& element : value.byteSet())
            putBytes(out, element);
        break;
    case AttrType::NS:
        putVarint(out, value.numberSetValues().size());
        for (const auto& element : value.numberSetValues())
            putBytes(out, element.orderedEncoding());
        break;
    }
}

class Reader {
public:
    explicit Reader(std::string_view data)
        : m_data(data)
    {
    }
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_data.size(); }

    std::uint64_t varint()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                return fail();
            const auto b = static_cast<unsigned char>(m_data[m_pos++]);
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80))
                return v;
        }
        return fail();
    }
    std::string_view bytes()
    {
        const std::uint64_t n = varint();
        if (!m_ok || n > m_data.size() - m_pos) {
            fail();
            return {};
        }
        auto out = m_data.substr(m_pos, n);
        m_pos += n;
        return out;
    }
    char byte()
    {
        if (m_pos >= m_data.size())
            return static_cast<char>(fail());
        return m_data[m_pos++];
    }
    std::uint64_t fail()
    {
        m_ok = false;
        m_pos = m_data.size();
        return 0;
    }

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

Number numberFrom(Reader& reader)
{
    auto n = Number::fromOrderedEncoding(reader.bytes());
    if (!n) {
        reader.fail();
        return {};
    }
    return *n;
}

AttributeValue getValue(Reader& reader, int depth)
{
    if (depth > 64) {
        reader.fail();
        return {};
    }
    const auto type = static_cast<AttrType>(reader.byte());
    switch (type) {
    case AttrType::S: return AttributeValue::string(std::string(reader.bytes()));
    case AttrType::B: return AttributeValue::binary(std::string(reader.bytes()));
    case AttrType::N: return AttributeValue::number(numberFrom(reader));
    case AttrType::BOOL: return AttributeValue::boolean(reader.byte() != 0);
    case AttrType::NUL: return AttributeValue::null();
    case AttrType::L: {
        AttributeList list;
        const auto n = reader.varint();
        for (std::uint64_t i = 0; i < n && reader.ok(); ++i)
            list.push_back(getValue(reader, depth + 1));
        return AttributeValue::list(std::move(list));
    }
    case AttrType::M: {
        AttributeMap map;
        const auto n = reader.varint();
        for (std::uint64_t i = 0; i < n && reader.ok(); ++i) {
            std::string name(reader.bytes());
            map.emplace(std::move(name), getValue(reader, depth + 1));
        }
        return AttributeValue::map(std::move(map));
    }
    case AttrType::SS:
    case AttrType::BS: {
        std::vector<std::string> elements;
        const auto n = reader.varint();
        for (std::uint64_t i = 0; i < n && reader.ok(); ++i)
            elements.emplace_back(reader.bytes());
        return type == AttrType::SS ? AttributeValue::stringSet(std::move(elements))
                                    : AttributeValue::binarySet(std::move(elements));
    }
    case AttrType::NS: {
        std::vector<Number> elements;
        const auto n = reader.varint();
        for (std::uint64_t i = 0; i < n && reader.ok(); ++i)
            elements.push_back(numberFrom(reader));
        return AttributeValue::numberSet(std::move(elements));
    }
    }
    reader.fail();
    return {};
}

} // namespace

std::string encodeItem(const Item& item)
{
    std::string out;
    out.reserve(64);
    out.push_back(kVersion);
    putVarint(out, item.size());
    for (const auto& [name, value] : item) {
        putBytes(out, name);
        putValue(out, value);
    }
    return out;
}

Result<Item> decodeItem(std::string_view blob)
{
    Reader reader(blob);
    if (reader.byte() != kVersion)
        return Status::internal("stored item has an unknown encoding version");
    Item item;
    const auto n = reader.varint();
    for (std::uint64_t i = 0; i < n && reader.ok(); ++i) {
        std::string name(reader.bytes());
        auto value = getValue(reader, 0);
        item.emplace_hint(item.end(), std::move(name), std::move(value));
    }
    if (!reader.ok() || !reader.atEnd())
        return Status::internal("stored item is corrupt");
    return item;
}

} // namespace capsim
