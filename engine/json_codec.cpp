#include "engine/json_codec.h"

#include "engine/streams.h"

#include <boost/json.hpp>

#include <array>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string prefix(std::string_view field)
{
    return field.empty() ? std::string() : " (at " + std::string(field) + ")";
}

const char* jsonKindName(const json::value& v)
{
    switch (v.kind()) {
    case json::kind::null: return "NULL_VALUE";
    case json::kind::bool_: return "BOOLEAN_VALUE";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "NUMBER_VALUE";
    case json::kind::string: return "STRING_VALUE";
    case json::kind::array: return "START_ARRAY";
    case json::kind::object: return "START_OBJECT";
    }
    return "VALUE";
}

Status serialization(const json::value& v, const char* expected, std::string_view field)
{
    return Status(error::kSerialization,
        std::string(jsonKindName(v)) + " cannot be converted to " + expected + prefix(field));
}

Result<std::string> stringOf(const json::value& v, std::string_view field)
{
    if (!v.is_string())
        return serialization(v, "String", field);
    const auto& s = v.get_string();
    return std::string(s.data(), s.size());
}

Result<std::string> binaryOf(const json::value& v, std::string_view field)
{
    if (!v.is_string())
        return serialization(v, "Blob", field);
    std::string out;
    if (!base64Decode(std::string_view(v.get_string().data(), v.get_string().size()), out))
        return Status(error::kSerialization, "Base64 encoded binary data has an invalid format" + prefix(field));
    return out;
}

Result<Number> numberOf(const json::value& v, std::string_view field)
{
    if (!v.is_string())
        return serialization(v, "String", field);
    auto parsed = Number::parse(std::string_view(v.get_string().data(), v.get_string().size()));
    if (!parsed)
        return Status::validation(parsed.status().message() + prefix(field));
    return parsed;
}

Status setError(const char* what, std::string_view field)
{
    return Status::validation(
        std::string("One or more parameter values were invalid: An ") + what + " may not be empty" + prefix(field));
}

Status duplicatesError(const std::vector<std::string>& shown, std::string_view field)
{
    std::string list;
    for (const auto& s : shown)
        list += (list.empty() ? "" : ", ") + s;
    return Status::validation(
        "One or more parameter values were invalid: Input collections [" + list + "] contains duplicates" + prefix(field));
}

} // namespace

std::string base64Encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8)
            | static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
        out.push_back(kAlphabet[v & 63]);
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

bool base64Decode(std::string_view text, std::string& out)
{
    static const std::array<int, 256> kValues = [] {
        std::array<int, 256> values {};
        values.fill(-1);
        for (int i = 0; i < 64; ++i)
            values[static_cast<unsigned char>(kAlphabet[i])] = i;
        return values;
    }();
    out.clear();
    if (text.size() % 4 != 0)
        return false;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int padding = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = text[i + static_cast<std::size_t>(k)];
            if (c == '=') {
                if (i + 4 != text.size() || k < 2)
                    return false;
                v[k] = 0;
                ++padding;
            } else {
                if (padding > 0)
                    return false;
                v[k] = kValues[static_cast<unsigned char>(c)];
                if (v[k] < 0)
                    return false;
            }
        }
        const unsigned triple = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12)
            | (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
        out.push_back(static_cast<char>((triple >> 16) & 0xFF));
        if (padding < 2)
            out.push_back(static_cast<char>((triple >> 8) & 0xFF));
        if (padding < 1)
            out.push_back(static_cast<char>(triple & 0xFF));
    }
    return true;
}

Result<AttributeValue> attributeValueFromJson(const json::value& value, std::string_view field)
{
    if (!value.is_object())
        return serialization(value, "AttributeValue", field);
    const auto& object = value.get_object();
    if (object.empty())
        return Status::validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes" + prefix(field));
    if (object.size() > 1)
        return Status::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
            + prefix(field));
    const auto& [key, inner] = *object.begin();
    AttrType type;
    if (!parseAttrTypeName(std::string_view(key.data(), key.size()), type))
        return Status(error::kSerialization,
            "Unexpected field type " + std::string(key.data(), key.size()) + " in AttributeValue" + prefix(field));
    switch (type) {
    case AttrType::S: {
        auto s = stringOf(inner, field);
        if (!s)
            return s.status();
        return AttributeValue::string(std::move(s).value());
    }
    case AttrType::N: {
        auto n = numberOf(inner, field);
        if (!n)
            return n.status();
        return AttributeValue::number(std::move(n).value());
    }
    case AttrType::B: {
        auto b = binaryOf(inner, field);
        if (!b)
            return b.status();
        return AttributeValue::binary(std::move(b).value());
    }
    case AttrType::BOOL:
        if (!inner.is_bool())
            return serialization(inner, "Boolean", field);
        return AttributeValue::boolean(inner.get_bool());
    case AttrType::NUL:
        if (!inner.is_bool())
            return serialization(inner, "Boolean", field);
        if (!inner.get_bool())
            return Status::validation(
                "One or more parameter values were invalid: Null attribute value types must have the value of true"
                + prefix(field));
        return AttributeValue::null();
    case AttrType::L: {
        if (!inner.is_array())
            return serialization(inner, "List", field);
        AttributeList list;
        const auto& array = inner.get_array();
        list.reserve(array.size());
        for (std::size_t i = 0; i < array.size(); ++i) {
            auto element = attributeValueFromJson(array[i], std::string(field) + "[" + std::to_string(i) + "]");
            if (!element)
                return element.status();
            list.push_back(std::move(element).value());
        }
        return AttributeValue::list(std::move(list));
    }
    case AttrType::M: {
        auto map = itemFromJson(inner, field);
        if (!map)
            return map.status();
        return AttributeValue::map(std::move(map).value());
    }
    case AttrType::SS:
    case AttrType::BS:
    case AttrType::NS: {
        if (!inner.is_array())
            return serialization(inner, "List", field);
        const auto& array = inner.get_array();
        if (array.empty())
            return setError(type == AttrType::SS ? "string set " : type == AttrType::NS ? "number set " : "binary set ",
                field);
        if (type == AttrType::NS) {
            std::vector<Number> numbers;
            std::vector<std::string> texts;
            for (const auto& element : array) {
                auto n = numberOf(element, field);
                if (!n)
                    return n.status();
                numbers.push_back(std::move(n).value());
                texts.push_back(std::string(element.get_string().data(), element.get_string().size()));
            }
            auto set = AttributeValue::numberSet(numbers);
            if (set.setSize() != numbers.size())
                return duplicatesError(texts, field);
            return set;
        }
        std::vector<std::string> elements;
        std::vector<std::string> texts;
        for (const auto& element : array) {
            auto s = type == AttrType::SS ? stringOf(element, field) : binaryOf(element, field);
            if (!s)
                return s.status();
            elements.push_back(std::move(s).value());
            texts.push_back(std::string(element.get_string().data(), element.get_string().size()));
        }
        const std::size_t count = elements.size();
        auto set = type == AttrType::SS ? AttributeValue::stringSet(std::move(elements))
                                        : AttributeValue::binarySet(std::move(elements));
        if (set.setSize() != count)
            return duplicatesError(texts, field);
        return set;
    }
    }
    return Status::internal("unreachable");
}

Result<Item> itemFromJson(const json::value& value, std::string_view field)
{
    if (!value.is_object())
        return serialization(value, "Map", field);
    Item item;
    for (const auto& [key, inner] : value.get_object()) {
        std::string name(key.data(), key.size());
        std::string path = field.empty() ? name : std::string(field) + "." + name;
        auto element = attributeValueFromJson(inner, path);
        if (!element)
            return element.status();
        item.emplace(std::move(name), std::move(element).value());
    }
    return item;
}

json::value attributeValueToJson(const AttributeValue& value)
{
    json::object out;
    switch (value.type()) {
    case AttrType::S: out["S"] = value.bytes(); break;
    case AttrType::N: out["N"] = value.asNumber().toString(); break;
    case AttrType::B: out["B"] = base64Encode(value.bytes()); break;
    case AttrType::BOOL: out["BOOL"] = value.asBool(); break;
    case AttrType::NUL: out["NULL"] = true; break;
    case AttrType::L: {
        json::array array;
        for (const auto& element : value.asList())
            array.push_back(attributeValueToJson(element));
        out["L"] = std::move(array);
        break;
    }
    case AttrType::M: out["M"] = itemToJson(value.asMap()); break;
    case AttrType::SS:
    case AttrType::BS: {
        json::array array;
        for (const auto& element : value.byteSet())
            array.push_back(json::value(value.is(AttrType::SS) ? element : base64Encode(element)));
        out[attrTypeName(value.type())] = std::move(array);
        break;
    }
    case AttrType::NS: {
        json::array array;
        for (const auto& element : value.numberSetValues())
            array.push_back(json::value(element.toString()));
        out["NS"] = std::move(array);
        break;
    }
    }
    return out;
}

json::object itemToJson(const Item& item)
{
    json::object out;
    for (const auto& [name, value] : item)
        out[name] = attributeValueToJson(value);
    return out;
}

boost::json::object streamRecordToJson(const StreamRecord& r)
{
    boost::json::object dynamodb;
    // Rounded down to the second (reference A7, C 8).
    dynamodb["ApproximateCreationDateTime"]
        = r.time >= 0 ? r.time / kMicrosPerSecond : -((-r.time + kMicrosPerSecond - 1) / kMicrosPerSecond);
    dynamodb["Keys"] = itemToJson(r.keys);
    if (r.newImage)
        dynamodb["NewImage"] = itemToJson(*r.newImage);
    if (r.oldImage)
        dynamodb["OldImage"] = itemToJson(*r.oldImage);
    dynamodb["SequenceNumber"] = sequenceNumberText(r.sequence);
    dynamodb["SizeBytes"] = r.sizeBytes;
    dynamodb["StreamViewType"] = streamViewTypeName(r.viewType);
    boost::json::object record { { "eventID", r.eventId }, { "eventName", streamEventNameText(r.eventName) },
        { "eventVersion", "1.1" }, { "eventSource", "aws:dynamodb" }, { "awsRegion", r.awsRegion },
        { "dynamodb", std::move(dynamodb) } };
    if (r.byService)
        record["userIdentity"] = boost::json::object { { "type", "Service" }, { "principalId", "dynamodb.amazonaws.com" } };
    return record;
}

} // namespace capsim
