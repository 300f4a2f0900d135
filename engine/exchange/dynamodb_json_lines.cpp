#include "engine/exchange/dynamodb_json_lines.h"

#include "engine/json_codec.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

namespace capsim::exchange {

namespace json = boost::json;

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

void appendNumberJson(std::string& out, const Number& number)
{
    out += "\"";
    out += number.toString();
    out += "\"";
}

std::string linePrefix(std::int64_t lineNumber)
{
    return "line " + std::to_string(lineNumber) + ": ";
}

DataLine lineError(std::int64_t lineNumber, LineErrorKind kind, std::string message)
{
    DataLine line;
    line.lineNumber = lineNumber;
    line.error = kind;
    line.message = linePrefix(lineNumber) + message;
    return line;
}

// Decodes one map member of the line object (Item, Keys, NewImage, OldImage).
Result<Item> imageOf(const json::value& value, std::string_view field)
{
    return itemFromJson(value, field);
}

} // namespace

void appendJsonString(std::string& out, std::string_view bytes)
{
    out.push_back('"');
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out.push_back(kUpperHex[u >> 4]);
                out.push_back(kUpperHex[u & 0xF]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

void appendAttributeValueJson(std::string& out, const AttributeValue& value)
{
    out += "{\"";
    out += attrTypeName(value.type());
    out += "\":";
    switch (value.type()) {
    case AttrType::S: appendJsonString(out, value.bytes()); break;
    case AttrType::N: appendNumberJson(out, value.asNumber()); break;
    case AttrType::B: appendJsonString(out, base64Encode(value.bytes())); break;
    case AttrType::BOOL: out += value.asBool() ? "true" : "false"; break;
    case AttrType::NUL: out += "true"; break;
    case AttrType::L: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value.asList()) {
            if (!first)
                out.push_back(',');
            first = false;
            appendAttributeValueJson(out, element);
        }
        out.push_back(']');
        break;
    }
    case AttrType::M: appendItemJson(out, value.asMap()); break;
    case AttrType::SS:
    case AttrType::BS: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value.byteSet()) {
            if (!first)
                out.push_back(',');
            first = false;
            appendJsonString(out, value.is(AttrType::SS) ? element : base64Encode(element));
        }
        out.push_back(']');
        break;
    }
    case AttrType::NS: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value.numberSetValues()) {
            if (!first)
                out.push_back(',');
            first = false;
            appendNumberJson(out, element);
        }
        out.push_back(']');
        break;
    }
    }
    out.push_back('}');
}

void appendItemJson(std::string& out, const Item& item)
{
    // std::map<std::string> orders names by unsigned bytes: ascending UTF-8 byte order (A9).
    out.push_back('{');
    bool first = true;
    for (const auto& [name, value] : item) {
        if (!first)
            out.push_back(',');
        first = false;
        appendJsonString(out, name);
        out.push_back(':');
        appendAttributeValueJson(out, value);
    }
    out.push_back('}');
}

std::string itemLineJson(const Item& item)
{
    std::string out = "{\"Item\":";
    appendItemJson(out, item);
    out.push_back('}');
    return out;
}

std::string changeLineJson(const ChangeRecord& change)
{
    std::string out = "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"";
    out += std::to_string(change.writeTimestampMicros);
    out += "\"}},\"Keys\":";
    appendItemJson(out, change.keys);
    if (change.newImage) {
        out += ",\"NewImage\":";
        appendItemJson(out, *change.newImage);
    }
    if (change.oldImage) {
        out += ",\"OldImage\":";
        appendItemJson(out, *change.oldImage);
    }
    out.push_back('}');
    return out;
}

DataLine parseJsonDataLine(std::string_view line, std::int64_t lineNumber)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    json::value parsed;
    std::string syntaxError;
    if (!parseJsonText(line, parsed, syntaxError))
        return lineError(lineNumber, LineErrorKind::Unparseable, "not valid JSON: " + syntaxError);
    if (!parsed.is_object())
        return lineError(lineNumber, LineErrorKind::InvalidItem, "expected an object {\"Item\":{...}}");
    const auto& object = parsed.get_object();
    for (const auto& member : object) {
        const std::string_view key(member.key().data(), member.key().size());
        if (key != "Item" && key != "Metadata" && key != "Keys" && key != "NewImage" && key != "OldImage")
            return lineError(lineNumber, LineErrorKind::InvalidItem, "unexpected field " + std::string(key));
    }

    DataLine out;
    out.lineNumber = lineNumber;
    if (const auto* item = object.if_contains("Item")) {
        if (object.size() != 1)
            return lineError(lineNumber, LineErrorKind::InvalidItem, "an Item line has no other field");
        auto decoded = imageOf(*item, "Item");
        if (!decoded)
            return lineError(lineNumber, LineErrorKind::InvalidItem, decoded.status().message());
        out.record.kind = DataRecord::Kind::Item;
        out.record.item = std::move(decoded).value();
        return out;
    }

    const auto* metadata = object.if_contains("Metadata");
    const auto* keys = object.if_contains("Keys");
    if (!metadata || !keys)
        return lineError(lineNumber, LineErrorKind::InvalidItem, "expected {\"Item\":{...}} or Metadata and Keys");
    out.record.kind = DataRecord::Kind::Change;
    ChangeRecord& change = out.record.change;
    const auto* timestamp
        = metadata->is_object() ? metadata->get_object().if_contains("WriteTimestampMicros") : nullptr;
    if (!timestamp)
        return lineError(lineNumber, LineErrorKind::InvalidItem, "Metadata.WriteTimestampMicros is missing");
    auto micros = attributeValueFromJson(*timestamp, "Metadata.WriteTimestampMicros");
    if (!micros)
        return lineError(lineNumber, LineErrorKind::InvalidItem, micros.status().message());
    if (!micros->is(AttrType::N) || !micros->asNumber().toInt64(change.writeTimestampMicros))
        return lineError(lineNumber, LineErrorKind::InvalidItem, "Metadata.WriteTimestampMicros is not an integer N");
    auto decodedKeys = imageOf(*keys, "Keys");
    if (!decodedKeys)
        return lineError(lineNumber, LineErrorKind::InvalidItem, decodedKeys.status().message());
    change.keys = std::move(decodedKeys).value();
    for (const char* name : { "NewImage", "OldImage" }) {
        const auto* image = object.if_contains(name);
        if (!image)
            continue;
        auto decoded = imageOf(*image, name);
        if (!decoded)
            return lineError(lineNumber, LineErrorKind::InvalidItem, decoded.status().message());
        (std::string_view(name) == "NewImage" ? change.newImage : change.oldImage) = std::move(decoded).value();
    }
    return out;
}

JsonLinesReader::JsonLinesReader(std::string_view text)
    : m_text(text)
{
    if (m_text.starts_with("\xEF\xBB\xBF"))
        m_position = 3;
}

bool JsonLinesReader::next(DataLine& out)
{
    while (!m_stopped && m_position < m_text.size()) {
        const std::size_t end = m_text.find('\n', m_position);
        const std::size_t lineEnd = end == std::string_view::npos ? m_text.size() : end;
        const std::string_view line = m_text.substr(m_position, lineEnd - m_position);
        m_position = end == std::string_view::npos ? m_text.size() : end + 1;
        ++m_lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        out = parseJsonDataLine(line, m_lineNumber);
        if (out.error == LineErrorKind::Unparseable)
            m_stopped = true;
        return true;
    }
    return false;
}

} // namespace capsim::exchange
