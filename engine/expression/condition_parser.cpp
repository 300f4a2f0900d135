#include "engine/expression/expression_parser.h"

#include <algorithm>

namespace capsim::expr {

namespace {

constexpr std::size_t kMaxInOperands = 100;

bool isOrderable(AttrType type)
{
    return type == AttrType::S || type == AttrType::N || type == AttrType::B;
}

bool isStringOrBinary(AttrType type)
{
    return type == AttrType::S || type == AttrType::B;
}

std::optional<CompareOp> comparatorOf(const Token& token)
{
    if (token.kind != TokenKind::Punct)
        return std::nullopt;
    if (token.text == "=")
        return CompareOp::Eq;
    if (token.text == "<>")
        return CompareOp::Ne;
    if (token.text == "<")
        return CompareOp::Lt;
    if (token.text == "<=")
        return CompareOp::Le;
    if (token.text == ">")
        return CompareOp::Gt;
    if (token.text == ">=")
        return CompareOp::Ge;
    return std::nullopt;
}

std::shared_ptr<ConditionNode> makeNode(ConditionNode::Kind kind)
{
    auto node = std::make_shared<ConditionNode>();
    node->kind = kind;
    return node;
}

std::shared_ptr<ConditionNode> makeJunction(
    ConditionNode::Kind kind, std::shared_ptr<ConditionNode> left, std::shared_ptr<ConditionNode> right)
{
    auto node = makeNode(kind);
    node->children = { std::move(left), std::move(right) };
    return node;
}

void collectTopLevelNames(const ConditionNode& node, std::vector<std::string>& names)
{
    for (const auto& child : node.children)
        collectTopLevelNames(*child, names);
    std::vector<const Operand*> pending;
    for (const auto& operand : node.operands)
        pending.push_back(&operand);
    while (!pending.empty()) {
        const Operand* operand = pending.back();
        pending.pop_back();
        if (operand->kind == Operand::Kind::Path && !operand->path.elements.empty()) {
            const auto& name = operand->path.elements.front().name;
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
        }
        for (const auto& arg : operand->args)
            pending.push_back(&arg);
    }
}

} // namespace

Result<ExpressionParser::Parsed> ExpressionParser::parseOr()
{
    auto left = parseAnd();
    if (!left)
        return left;
    while (isKeyword(peek(), "OR")) {
        if (!left->condition)
            return syntaxError();
        advance();
        auto right = parseAnd();
        if (!right)
            return right;
        if (!right->condition)
            return syntaxError();
        Parsed combined;
        combined.condition = makeJunction(ConditionNode::Kind::Or, left->condition, right->condition);
        left = std::move(combined);
    }
    return left;
}

Result<ExpressionParser::Parsed> ExpressionParser::parseAnd()
{
    auto left = parseNot();
    if (!left)
        return left;
    while (isKeyword(peek(), "AND")) {
        if (!left->condition)
            return syntaxError();
        advance();
        auto right = parseNot();
        if (!right)
            return right;
        if (!right->condition)
            return syntaxError();
        Parsed combined;
        combined.condition = makeJunction(ConditionNode::Kind::And, left->condition, right->condition);
        left = std::move(combined);
    }
    return left;
}

Result<ExpressionParser::Parsed> ExpressionParser::parseNot()
{
    if (!isKeyword(peek(), "NOT"))
        return parseComparison();
    advance();
    CAPSIM_RETURN_IF_ERROR(enterNesting());
    auto inner = parseNot();
    if (!inner)
        return inner;
    if (!inner->condition)
        return syntaxError();
    leaveNesting();
    Parsed negated;
    negated.condition = makeNode(ConditionNode::Kind::Not);
    negated.condition->children = { inner->condition };
    return negated;
}

Result<ExpressionParser::Parsed> ExpressionParser::parseComparison()
{
    auto primary = parsePrimary();
    if (!primary)
        return primary;
    const bool comparisonFollows
        = comparatorOf(peek()).has_value() || isKeyword(peek(), "BETWEEN") || isKeyword(peek(), "IN");
    if (primary->condition && primary->conditionFunction.empty())
        return primary;
    if (!comparisonFollows) {
        if (!primary->condition && primary->operand.kind == Operand::Kind::Size && !primary->parenthesized) {
            // size() yields a number, never a truth value.
            defer(Check::MisusedFunction,
                "The function is not allowed to be used this way in an expression; function: size");
            primary->condition = makeNode(ConditionNode::Kind::Compare);
        } else if (!primary->condition && primary->operand.kind == Operand::Kind::Invalid) {
            // An unknown or misused function standing as a condition: its own error is reported.
            primary->condition = makeNode(ConditionNode::Kind::Compare);
        }
        return primary;
    }
    Operand left = primary->operand;
    if (primary->condition) {
        defer(Check::MisusedFunction,
            "The function is not allowed to be used this way in an expression; function: "
                + primary->conditionFunction);
        left = Operand {};
    }
    return parseComparisonTail(std::move(left));
}

Result<ExpressionParser::Parsed> ExpressionParser::parseComparisonTail(Operand left)
{
    Parsed result;
    if (auto op = comparatorOf(peek())) {
        const std::string opText(advance().text);
        auto right = parseOperand();
        if (!right)
            return right.status();
        auto node = makeNode(ConditionNode::Kind::Compare);
        node->op = *op;
        node->operands = { std::move(left), std::move(*right) };
        if (*op != CompareOp::Eq && *op != CompareOp::Ne) {
            checkOperandType(opText, node->operands[0], isOrderable);
            checkOperandType(opText, node->operands[1], isOrderable);
        }
        checkDistinct(opText, node->operands);
        result.condition = std::move(node);
        return result;
    }
    if (isKeyword(peek(), "BETWEEN")) {
        advance();
        auto lower = parseOperand();
        if (!lower)
            return lower.status();
        if (!isKeyword(peek(), "AND"))
            return syntaxError();
        advance();
        auto upper = parseOperand();
        if (!upper)
            return upper.status();
        auto node = makeNode(ConditionNode::Kind::Between);
        node->operands = { std::move(left), std::move(*lower), std::move(*upper) };
        for (const auto& operand : node->operands)
            checkOperandType("BETWEEN", operand, isOrderable);
        const Operand& lo = node->operands[1];
        const Operand& hi = node->operands[2];
        if (lo.kind == Operand::Kind::Value && hi.kind == Operand::Kind::Value && lo.defined && hi.defined
            && isOrderable(lo.value.type()) && isOrderable(hi.value.type())) {
            if (lo.value.type() != hi.value.type())
                defer(Check::Semantic,
                    "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "
                        + describeValue(lo.value) + ", upper bound operand: " + describeValue(hi.value));
            else if (compareScalars(lo.value, hi.value).value_or(0) > 0)
                defer(Check::Semantic,
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower "
                    "bound operand: "
                        + describeValue(lo.value) + ", upper bound operand: " + describeValue(hi.value));
        }
        checkDistinct("BETWEEN", node->operands);
        result.condition = std::move(node);
        return result;
    }
    // IN
    advance();
    CAPSIM_RETURN_IF_ERROR(expectPunct("("));
    auto node = makeNode(ConditionNode::Kind::In);
    node->operands.push_back(std::move(left));
    while (true) {
        auto operand = parseOperand();
        if (!operand)
            return operand.status();
        node->operands.push_back(std::move(*operand));
        if (atPunct(",")) {
            advance();
            continue;
        }
        CAPSIM_RETURN_IF_ERROR(expectPunct(")"));
        break;
    }
    if (node->operands.size() - 1 > kMaxInOperands)
        defer(Check::Semantic,
            "The IN operator is provided with too many operands; number of operands: "
                + std::to_string(node->operands.size() - 1));
    checkDistinct("IN", node->operands);
    result.condition = std::move(node);
    return result;
}

Result<ExpressionParser::Parsed> ExpressionParser::parsePrimary()
{
    if (atPunct("(")) {
        advance();
        CAPSIM_RETURN_IF_ERROR(enterNesting());
        auto inner = parseOr();
        if (!inner)
            return inner;
        CAPSIM_RETURN_IF_ERROR(expectPunct(")"));
        leaveNesting();
        if (inner->parenthesized || (!inner->condition && inner->operand.parenthesized))
            defer(Check::RedundantParentheses, "The expression has redundant parentheses;");
        inner->parenthesized = true;
        inner->conditionFunction.clear();
        if (!inner->condition)
            inner->operand.parenthesized = true;
        return inner;
    }
    if (atFunctionCall()
        && (peek().text == "attribute_exists" || peek().text == "attribute_not_exists"
            || peek().text == "attribute_type" || peek().text == "begins_with" || peek().text == "contains"))
        return parseConditionFunction();
    auto operand = parseOperand();
    if (!operand)
        return operand.status();
    Parsed parsed;
    parsed.parenthesized = operand->parenthesized;
    parsed.operand = std::move(*operand);
    return parsed;
}

Result<ExpressionParser::Parsed> ExpressionParser::parseConditionFunction()
{
    const std::string name(advance().text);
    auto args = parseArguments();
    if (!args)
        return args.status();
    Parsed parsed;
    parsed.conditionFunction = name;
    auto node = makeNode(ConditionNode::Kind::Contains);
    node->operands = std::move(*args);
    parsed.condition = node;
    auto requirePath = [&](const Operand& operand) {
        if (operand.kind != Operand::Kind::Path)
            defer(Check::Semantic, "Operator or function requires a document path; operator or function: " + name);
    };
    if (name == "attribute_exists" || name == "attribute_not_exists") {
        node->kind = name == "attribute_exists" ? ConditionNode::Kind::AttributeExists
                                                : ConditionNode::Kind::AttributeNotExists;
        if (checkArity(name, node->operands, 1))
            requirePath(node->operands[0]);
        return parsed;
    }
    if (!checkArity(name, node->operands, 2))
        return parsed;
    if (name == "attribute_type") {
        node->kind = ConditionNode::Kind::AttributeType;
        // The first operand may be a path or a :value (DynamoDB evaluates both); the type
        // must be a :value, never a path.
        const Operand& type = node->operands[1];
        if (type.kind == Operand::Kind::Path)
            defer(Check::Semantic,
                "Incorrect operand type for operator or function; operator or function: " + name
                    + ", operand type: PATH");
        checkOperandType(name, type, [](AttrType t) { return t == AttrType::S; });
        if (type.kind == Operand::Kind::Value && type.defined && type.value.is(AttrType::S)
            && !parseAttrTypeName(type.value.bytes(), node->attributeType))
            defer(Check::Semantic,
                "Invalid attribute type name found; type: " + type.value.bytes()
                    + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    } else if (name == "begins_with") {
        node->kind = ConditionNode::Kind::BeginsWith;
        checkOperandType(name, node->operands[0], isStringOrBinary);
        checkOperandType(name, node->operands[1], isStringOrBinary);
    } else {
        node->kind = ConditionNode::Kind::Contains;
    }
    checkDistinct(name, node->operands);
    return parsed;
}

Result<std::shared_ptr<const ConditionNode>> ExpressionParser::parseConditionExpression()
{
    CAPSIM_RETURN_IF_ERROR(beginExpression());
    auto parsed = parseOr();
    if (!parsed)
        return parsed.status();
    if (!atEnd() || !parsed->condition)
        return syntaxError();
    CAPSIM_RETURN_IF_ERROR(firstDeferred());
    return std::shared_ptr<const ConditionNode>(parsed->condition);
}

Result<Condition> parseCondition(std::string_view text, ExpressionAttributes& attributes, std::string_view parameter)
{
    ExpressionParser parser(text, attributes, parameter);
    auto root = parser.parseConditionExpression();
    if (!root)
        return root.status();
    Condition condition;
    condition.root = std::move(*root);
    return condition;
}

std::vector<std::string> Condition::topLevelNames() const
{
    std::vector<std::string> names;
    if (root)
        collectTopLevelNames(*root, names);
    return names;
}

} // namespace capsim::expr
