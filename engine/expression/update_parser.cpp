#include "engine/expression/expression_parser.h"

namespace capsim::expr {

namespace {

const char* sectionName(UpdateAction::Kind kind)
{
    switch (kind) {
    case UpdateAction::Kind::Set: return "SET";
    case UpdateAction::Kind::Remove: return "REMOVE";
    case UpdateAction::Kind::Add: return "ADD";
    case UpdateAction::Kind::Delete: return "DELETE";
    }
    return "SET";
}

bool isNumber(AttrType type)
{
    return type == AttrType::N;
}

} // namespace

Result<Operand> ExpressionParser::parseSetValue()
{
    auto left = parseOperand();
    if (!left)
        return left;
    if (!atPunct("+") && !atPunct("-"))
        return left;
    const std::string op(advance().text);
    auto right = parseOperand();
    if (!right)
        return right;
    Operand sum;
    sum.kind = op == "+" ? Operand::Kind::Plus : Operand::Kind::Minus;
    checkOperandType(op, *left, isNumber);
    checkOperandType(op, *right, isNumber);
    sum.args = { std::move(*left), std::move(*right) };
    return sum;
}

Result<UpdateAction> ExpressionParser::parseUpdateAction(UpdateAction::Kind kind)
{
    UpdateAction action;
    action.kind = kind;
    auto path = parsePath();
    if (!path)
        return path.status();
    action.path = std::move(*path);
    switch (kind) {
    case UpdateAction::Kind::Set: {
        CAPSIM_RETURN_IF_ERROR(expectPunct("="));
        auto value = parseSetValue();
        if (!value)
            return value.status();
        action.value = std::move(*value);
        break;
    }
    case UpdateAction::Kind::Remove: break;
    case UpdateAction::Kind::Add:
    case UpdateAction::Kind::Delete: {
        if (peek().kind != TokenKind::ValuePlaceholder)
            return syntaxError();
        action.value = valueOperand(advance());
        if (!action.value.defined)
            break;
        const AttrType type = action.value.value.type();
        const bool ok = action.value.value.isSet() || (kind == UpdateAction::Kind::Add && type == AttrType::N);
        if (!ok)
            defer(Check::ActionOperandType,
                std::string("Incorrect operand type for operator or function; operator: ") + sectionName(kind)
                    + ", operand type: " + longTypeName(type));
        break;
    }
    }
    return action;
}

Result<std::shared_ptr<const UpdateNode>> ExpressionParser::parseUpdateExpression()
{
    m_update = true;
    CAPSIM_RETURN_IF_ERROR(beginExpression());
    auto node = std::make_shared<UpdateNode>();
    bool seen[4] = { false, false, false, false };
    while (!atEnd()) {
        const Token& keyword = peek();
        UpdateAction::Kind kind;
        if (isKeyword(keyword, "SET"))
            kind = UpdateAction::Kind::Set;
        else if (isKeyword(keyword, "REMOVE"))
            kind = UpdateAction::Kind::Remove;
        else if (isKeyword(keyword, "ADD"))
            kind = UpdateAction::Kind::Add;
        else if (isKeyword(keyword, "DELETE"))
            kind = UpdateAction::Kind::Delete;
        else
            return syntaxError();
        advance();
        bool& kindSeen = seen[static_cast<int>(kind)];
        if (kindSeen)
            defer(Check::Section,
                std::string("The \"") + sectionName(kind)
                    + "\" section can only be used once in an update expression;");
        kindSeen = true;
        while (true) {
            auto action = parseUpdateAction(kind);
            if (!action)
                return action.status();
            node->actions.push_back(std::move(*action));
            if (!atPunct(","))
                break;
            advance();
        }
        if (!atEnd() && !isStructuralKeyword(peek()))
            return syntaxError();
    }
    std::vector<Path> targets;
    for (const auto& action : node->actions)
        targets.push_back(action.path);
    if (auto clash = findPathClash(targets))
        defer(Check::PathClash, *clash);
    CAPSIM_RETURN_IF_ERROR(firstDeferred());
    return std::shared_ptr<const UpdateNode>(std::move(node));
}

Result<Update> parseUpdate(std::string_view text, ExpressionAttributes& attributes)
{
    ExpressionParser parser(text, attributes, "UpdateExpression");
    auto root = parser.parseUpdateExpression();
    if (!root)
        return root.status();
    Update update;
    update.root = std::move(*root);
    return update;
}

std::vector<Path> Update::targetPaths() const
{
    std::vector<Path> paths;
    if (root) {
        for (const auto& action : root->actions)
            paths.push_back(action.path);
    }
    return paths;
}

} // namespace capsim::expr
