#include "engine/expression/ast.h"

#include <algorithm>

namespace capsim::expr {

namespace {

// Resolves a condition operand. Returns nullptr when it names a missing attribute or applies
// size() to a type without a size; `scratch` holds computed values.
const AttributeValue* operandValue(const Operand& operand, const Item& item, AttributeValue& scratch)
{
    switch (operand.kind) {
    case Operand::Kind::Path: return resolvePath(item, operand.path);
    case Operand::Kind::Value: return &operand.value;
    case Operand::Kind::Size: {
        AttributeValue inner;
        const AttributeValue* value = operandValue(operand.args.front(), item, inner);
        if (value == nullptr)
            return nullptr;
        std::size_t size = 0;
        switch (value->type()) {
        // Strings count their UTF-8 bytes, like binaries (the function reference, "size").
        case AttrType::S:
        case AttrType::B: size = value->bytes().size(); break;
        case AttrType::L: size = value->asList().size(); break;
        case AttrType::M: size = value->asMap().size(); break;
        case AttrType::SS:
        case AttrType::NS:
        case AttrType::BS: size = value->setSize(); break;
        default: return nullptr;
        }
        scratch = AttributeValue::number(Number::fromInt(static_cast<std::int64_t>(size)));
        return &scratch;
    }
    default: return nullptr;
    }
}

bool compare(CompareOp op, const AttributeValue* a, const AttributeValue* b)
{
    if (op == CompareOp::Ne)
        return a == nullptr || b == nullptr || !(*a == *b);
    if (a == nullptr || b == nullptr)
        return false;
    if (op == CompareOp::Eq)
        return *a == *b;
    auto order = compareScalars(*a, *b);
    if (!order)
        return false;
    switch (op) {
    case CompareOp::Lt: return *order < 0;
    case CompareOp::Le: return *order <= 0;
    case CompareOp::Gt: return *order > 0;
    case CompareOp::Ge: return *order >= 0;
    default: return false;
    }
}

bool beginsWith(const AttributeValue& value, const AttributeValue& prefix)
{
    if (value.type() != prefix.type() || !(value.is(AttrType::S) || value.is(AttrType::B)))
        return false;
    return value.bytes().compare(0, prefix.bytes().size(), prefix.bytes()) == 0
        && value.bytes().size() >= prefix.bytes().size();
}

bool contains(const AttributeValue& haystack, const AttributeValue& needle)
{
    switch (haystack.type()) {
    case AttrType::S:
    case AttrType::B:
        return needle.type() == haystack.type() && haystack.bytes().find(needle.bytes()) != std::string::npos;
    case AttrType::SS:
        return needle.is(AttrType::S)
            && std::binary_search(haystack.byteSet().begin(), haystack.byteSet().end(), needle.bytes());
    case AttrType::BS:
        return needle.is(AttrType::B)
            && std::binary_search(haystack.byteSet().begin(), haystack.byteSet().end(), needle.bytes());
    case AttrType::NS:
        return needle.is(AttrType::N)
            && std::binary_search(
                haystack.numberSetValues().begin(), haystack.numberSetValues().end(), needle.asNumber());
    case AttrType::L:
        return std::any_of(haystack.asList().begin(), haystack.asList().end(),
            [&](const AttributeValue& element) { return element == needle; });
    default: return false;
    }
}

bool evaluateNode(const ConditionNode& node, const Item& item)
{
    AttributeValue scratch0;
    AttributeValue scratch1;
    AttributeValue scratch2;
    switch (node.kind) {
    case ConditionNode::Kind::And:
        return evaluateNode(*node.children[0], item) && evaluateNode(*node.children[1], item);
    case ConditionNode::Kind::Or: return evaluateNode(*node.children[0], item) || evaluateNode(*node.children[1], item);
    case ConditionNode::Kind::Not: return !evaluateNode(*node.children[0], item);
    case ConditionNode::Kind::Compare:
        return compare(
            node.op, operandValue(node.operands[0], item, scratch0), operandValue(node.operands[1], item, scratch1));
    case ConditionNode::Kind::Between: {
        const AttributeValue* value = operandValue(node.operands[0], item, scratch0);
        const AttributeValue* lower = operandValue(node.operands[1], item, scratch1);
        const AttributeValue* upper = operandValue(node.operands[2], item, scratch2);
        return compare(CompareOp::Ge, value, lower) && compare(CompareOp::Le, value, upper);
    }
    case ConditionNode::Kind::In: {
        const AttributeValue* value = operandValue(node.operands[0], item, scratch0);
        if (value == nullptr)
            return false;
        for (std::size_t i = 1; i < node.operands.size(); ++i) {
            const AttributeValue* candidate = operandValue(node.operands[i], item, scratch1);
            if (candidate != nullptr && *candidate == *value)
                return true;
        }
        return false;
    }
    case ConditionNode::Kind::AttributeExists: return resolvePath(item, node.operands[0].path) != nullptr;
    case ConditionNode::Kind::AttributeNotExists: return resolvePath(item, node.operands[0].path) == nullptr;
    case ConditionNode::Kind::AttributeType: {
        const AttributeValue* value = operandValue(node.operands[0], item, scratch0);
        return value != nullptr && value->type() == node.attributeType;
    }
    case ConditionNode::Kind::BeginsWith: {
        const AttributeValue* value = operandValue(node.operands[0], item, scratch0);
        const AttributeValue* prefix = operandValue(node.operands[1], item, scratch1);
        return value != nullptr && prefix != nullptr && beginsWith(*value, *prefix);
    }
    case ConditionNode::Kind::Contains: {
        const AttributeValue* haystack = operandValue(node.operands[0], item, scratch0);
        const AttributeValue* needle = operandValue(node.operands[1], item, scratch1);
        return haystack != nullptr && needle != nullptr && contains(*haystack, *needle);
    }
    }
    return false;
}

} // namespace

bool Condition::evaluate(const Item& item) const
{
    return root != nullptr && evaluateNode(*root, item);
}

bool KeyCondition::matchesSortKey(const AttributeValue& sortKey) const
{
    switch (sortOp) {
    case SortOp::None: return true;
    case SortOp::Eq: return compare(CompareOp::Eq, &sortKey, &sortValue1);
    case SortOp::Lt: return compare(CompareOp::Lt, &sortKey, &sortValue1);
    case SortOp::Le: return compare(CompareOp::Le, &sortKey, &sortValue1);
    case SortOp::Gt: return compare(CompareOp::Gt, &sortKey, &sortValue1);
    case SortOp::Ge: return compare(CompareOp::Ge, &sortKey, &sortValue1);
    case SortOp::Between:
        return compare(CompareOp::Ge, &sortKey, &sortValue1) && compare(CompareOp::Le, &sortKey, &sortValue2);
    case SortOp::BeginsWith: return beginsWith(sortKey, sortValue1);
    }
    return false;
}

} // namespace capsim::expr
