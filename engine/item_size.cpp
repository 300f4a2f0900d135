#include "engine/item_size.h"

#include <algorithm>

namespace capsim {

std::int64_t valueSizeBytes(const AttributeValue& value)
{
    switch (value.type()) {
    case AttrType::S:
    case AttrType::B: return static_cast<std::int64_t>(value.bytes().size());
    case AttrType::N: return value.asNumber().sizeBytes();
    case AttrType::BOOL:
    case AttrType::NUL: return 1;
    case AttrType::L: {
        // 3 bytes of overhead plus 1 per element (reference A1).
        std::int64_t size = 3;
        for (const auto& element : value.asList())
            size += 1 + valueSizeBytes(element);
        return size;
    }
    case AttrType::M: {
        std::int64_t size = 3;
        for (const auto& [name, element] : value.asMap())
            size += 1 + static_cast<std::int64_t>(name.size()) + valueSizeBytes(element);
        return size;
    }
    case AttrType::SS:
    case AttrType::BS: {
        // Sets carry no overhead of their own (reference A1, UNCONFIRMED but the common rule).
        std::int64_t size = 0;
        for (const auto& element : value.byteSet())
            size += static_cast<std::int64_t>(element.size());
        return size;
    }
    case AttrType::NS: {
        std::int64_t size = 0;
        for (const auto& element : value.numberSetValues())
            size += element.sizeBytes();
        return size;
    }
    }
    return 0;
}

std::int64_t itemSizeBytes(const Item& item)
{
    std::int64_t size = 0;
    for (const auto& [name, value] : item)
        size += static_cast<std::int64_t>(name.size()) + valueSizeBytes(value);
    return size;
}

namespace {
int nestingDepth(const AttributeValue& value)
{
    int deepest = 0;
    if (value.is(AttrType::L)) {
        for (const auto& element : value.asList())
            deepest = std::max(deepest, nestingDepth(element));
        return deepest + 1;
    }
    if (value.is(AttrType::M)) {
        for (const auto& [name, element] : value.asMap())
            deepest = std::max(deepest, nestingDepth(element));
        return deepest + 1;
    }
    return 0;
}
} // namespace

Status validateAttributeName(const std::string& name)
{
    if (name.empty())
        return Status::validation("One or more parameter values were invalid: An attribute name may not be empty");
    if (name.size() > static_cast<std::size_t>(kMaxAttributeNameBytes))
        return Status::validation("One or more parameter values were invalid: Attribute name exceeds the maximum "
                                  "allowed length of "
            + std::to_string(kMaxAttributeNameBytes) + " bytes");
    return Status::ok();
}

Status validateKeyAttributeName(const std::string& name, std::string_view field)
{
    if (name.empty())
        return Status::validation("1 validation error detected: Value '' at '" + std::string(field)
            + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (name.size() > static_cast<std::size_t>(kMaxKeyAttributeNameBytes))
        return Status::validation("1 validation error detected: Value '" + name + "' at '" + std::string(field)
            + "' failed to satisfy constraint: Member must have length less than or equal to "
            + std::to_string(kMaxKeyAttributeNameBytes));
    return Status::ok();
}

Status validateItemLimits(const Item& item)
{
    for (const auto& [name, value] : item) {
        CAPSIM_RETURN_IF_ERROR(validateAttributeName(name));
        if (nestingDepth(value) > kMaxNestingDepth)
            return Status::validation("Nesting Levels have exceeded supported limits: attribute " + name
                + " is nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    }
    if (itemSizeBytes(item) > kMaxItemBytes)
        return Status::validation("Item size has exceeded the maximum allowed size");
    return Status::ok();
}

} // namespace capsim
