#include "engine/expression/ast.h"

#include "engine/json_codec.h"

namespace capsim::expr {

std::optional<int> compareScalars(const AttributeValue& a, const AttributeValue& b)
{
    if (a.type() != b.type())
        return std::nullopt;
    switch (a.type()) {
    case AttrType::S:
    case AttrType::B: {
        // std::string::compare orders bytes as unsigned char, as DynamoDB does.
        const int c = a.bytes().compare(b.bytes());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case AttrType::N: {
        const auto order = a.asNumber() <=> b.asNumber();
        return order < 0 ? -1 : (order > 0 ? 1 : 0);
    }
    default: return std::nullopt;
    }
}

std::string describeValue(const AttributeValue& value)
{
    std::string body;
    switch (value.type()) {
    case AttrType::S: body = value.bytes(); break;
    case AttrType::N: body = value.asNumber().toString(); break;
    case AttrType::B: body = base64Encode(value.bytes()); break;
    case AttrType::BOOL: body = value.asBool() ? "true" : "false"; break;
    case AttrType::NUL: body = "true"; break;
    default: body = "..."; break;
    }
    return std::string("AttributeValue: {") + attrTypeName(value.type()) + ':' + body + '}';
}

const char* longTypeName(AttrType type)
{
    switch (type) {
    case AttrType::S: return "STRING";
    case AttrType::N: return "NUMBER";
    case AttrType::B: return "BINARY";
    case AttrType::BOOL: return "BOOLEAN";
    case AttrType::NUL: return "NULL";
    case AttrType::L: return "LIST";
    case AttrType::M: return "MAP";
    case AttrType::SS: return "STRING_SET";
    case AttrType::NS: return "NUMBER_SET";
    case AttrType::BS: return "BINARY_SET";
    }
    return "UNKNOWN";
}

} // namespace capsim::expr
