#include "engine/expression/expression_parser.h"

namespace capsim::expr {

namespace {

Status invalidOperator(const std::string& op)
{
    return Status::validation("Invalid operator used in KeyConditionExpression: " + op);
}

Status typeMismatch()
{
    return Status::validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
}

// Only AND of comparisons, BETWEEN and begins_with may appear (the developer guide, "Key
// condition expressions for query").
Status checkOperators(const ConditionNode& node)
{
    switch (node.kind) {
    case ConditionNode::Kind::Or: return invalidOperator("OR");
    case ConditionNode::Kind::Not: return invalidOperator("NOT");
    case ConditionNode::Kind::In: return invalidOperator("IN");
    case ConditionNode::Kind::AttributeExists: return invalidOperator("attribute_exists");
    case ConditionNode::Kind::AttributeNotExists: return invalidOperator("attribute_not_exists");
    case ConditionNode::Kind::AttributeType: return invalidOperator("attribute_type");
    case ConditionNode::Kind::Contains: return invalidOperator("contains");
    case ConditionNode::Kind::Compare:
        if (node.op == CompareOp::Ne)
            return invalidOperator("<>");
        break;
    default: break;
    }
    for (const auto& child : node.children)
        CAPSIM_RETURN_IF_ERROR(checkOperators(*child));
    for (const auto& operand : node.operands) {
        if (operand.kind != Operand::Kind::Path && operand.kind != Operand::Kind::Value)
            return Status::validation("KeyConditionExpressions cannot contain nested operations");
    }
    return Status::ok();
}

void flattenAnd(const ConditionNode& node, std::vector<const ConditionNode*>& out)
{
    if (node.kind == ConditionNode::Kind::And) {
        for (const auto& child : node.children)
            flattenAnd(*child, out);
    } else {
        out.push_back(&node);
    }
}

CompareOp mirrored(CompareOp op)
{
    switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::Le: return CompareOp::Ge;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::Ge: return CompareOp::Le;
    default: return op;
    }
}

KeyCondition::SortOp sortOpOf(CompareOp op)
{
    switch (op) {
    case CompareOp::Lt: return KeyCondition::SortOp::Lt;
    case CompareOp::Le: return KeyCondition::SortOp::Le;
    case CompareOp::Gt: return KeyCondition::SortOp::Gt;
    case CompareOp::Ge: return KeyCondition::SortOp::Ge;
    default: return KeyCondition::SortOp::Eq;
    }
}

// One condition on one key attribute, with the attribute on the left.
struct KeyTerm {
    std::string name;
    KeyCondition::SortOp op = KeyCondition::SortOp::Eq;
    std::vector<AttributeValue> values;
};

Result<KeyTerm> keyTermOf(const ConditionNode& node)
{
    const auto& operands = node.operands;
    auto isPath = [](const Operand& operand) { return operand.kind == Operand::Kind::Path; };
    const Status multipleNames = Status::validation(
        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    KeyTerm term;
    const Path* path = nullptr;
    if (node.kind == ConditionNode::Kind::Compare) {
        if (isPath(operands[0]) && isPath(operands[1]))
            return multipleNames;
        if (!isPath(operands[0]) && !isPath(operands[1]))
            return Status::validation("Invalid condition in KeyConditionExpression: No key attribute specified");
        const bool keyFirst = isPath(operands[0]);
        path = &operands[keyFirst ? 0 : 1].path;
        term.op = sortOpOf(keyFirst ? node.op : mirrored(node.op));
        term.values = { operands[keyFirst ? 1 : 0].value };
    } else {
        const bool between = node.kind == ConditionNode::Kind::Between;
        const std::string opName = between ? "BETWEEN" : "begins_with";
        if (!isPath(operands[0]))
            return Status::validation("Invalid condition in KeyConditionExpression: " + opName
                + " operator must have the key attribute as its first operand");
        for (std::size_t i = 1; i < operands.size(); ++i) {
            if (isPath(operands[i]))
                return multipleNames;
            term.values.push_back(operands[i].value);
        }
        path = &operands[0].path;
        term.op = between ? KeyCondition::SortOp::Between : KeyCondition::SortOp::BeginsWith;
    }
    if (path->elements.size() > 1)
        return Status::validation("KeyConditionExpressions cannot have conditions on nested attributes");
    term.name = path->elements.front().name;
    return term;
}

} // namespace

Result<KeyCondition> parseKeyCondition(std::string_view text, ExpressionAttributes& attributes,
    const std::string& partitionKeyName, AttrType partitionKeyType, const std::optional<std::string>& sortKeyName,
    AttrType sortKeyType)
{
    ExpressionParser parser(text, attributes, "KeyConditionExpression");
    auto root = parser.parseConditionExpression();
    if (!root)
        return root.status();
    CAPSIM_RETURN_IF_ERROR(checkOperators(**root));
    std::vector<const ConditionNode*> nodes;
    flattenAnd(**root, nodes);
    if (nodes.size() > 2)
        return Status::validation("Conditions can be of length 1 or 2 only");
    std::vector<KeyTerm> terms;
    for (const ConditionNode* node : nodes) {
        auto term = keyTermOf(*node);
        if (!term)
            return term.status();
        for (const auto& seen : terms) {
            if (seen.name == term->name)
                return Status::validation("KeyConditionExpressions must only contain one condition per key");
        }
        terms.push_back(std::move(*term));
    }

    const KeyTerm* partition = nullptr;
    const KeyTerm* sort = nullptr;
    for (const auto& term : terms) {
        if (term.name == partitionKeyName)
            partition = &term;
        else if (sortKeyName && term.name == *sortKeyName)
            sort = &term;
    }
    if (partition == nullptr)
        return Status::validation("Query condition missed key schema element: " + partitionKeyName);
    for (const auto& term : terms) {
        if (&term != partition && &term != sort)
            return sortKeyName ? Status::validation("Query condition missed key schema element: " + *sortKeyName)
                               : Status::validation("Query key condition not supported");
    }
    if (partition->op != KeyCondition::SortOp::Eq)
        return Status::validation("Query key condition not supported");
    if (!partition->values.front().is(partitionKeyType))
        return typeMismatch();

    KeyCondition condition;
    condition.partitionValue = partition->values.front();
    if (sort != nullptr) {
        for (const auto& value : sort->values) {
            if (!value.is(sortKeyType))
                return typeMismatch();
        }
        condition.sortOp = sort->op;
        condition.sortValue1 = sort->values.front();
        if (sort->values.size() > 1)
            condition.sortValue2 = sort->values[1];
    }
    return condition;
}

} // namespace capsim::expr
