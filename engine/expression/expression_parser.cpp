#include "engine/expression/expression_parser.h"

#include "engine/expression/reserved_words.h"

#include <charconv>

namespace capsim::expr {

namespace {

// Limit on each expression parameter (the developer guide, "Constraints", expression parameters).
constexpr std::size_t kMaxExpressionBytes = 4096;
constexpr int kMaxNestingDepth = 256;
// Document paths nest at most 32 levels, the top-level attribute included (the developer guide,
// "Constraints": nested attribute depth).
constexpr std::size_t kMaxPathLevels = 32;

bool isConditionFunction(std::string_view name)
{
    return name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type"
        || name == "begins_with" || name == "contains";
}

bool isUpdateFunction(std::string_view name)
{
    return name == "if_not_exists" || name == "list_append";
}

bool isList(AttrType type)
{
    return type == AttrType::L;
}

} // namespace

std::optional<AttrType> literalType(const Operand& operand)
{
    if (operand.kind == Operand::Kind::Value && operand.defined)
        return operand.value.type();
    if (operand.kind == Operand::Kind::Size)
        return AttrType::N;
    return std::nullopt;
}

ExpressionParser::ExpressionParser(std::string_view text, ExpressionAttributes& attributes, std::string_view parameter)
    : m_text(text)
    , m_tokens(tokenize(text))
    , m_attributes(attributes)
    , m_parameter(parameter)
{
}

const Token& ExpressionParser::peek(std::size_t ahead) const
{
    return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)];
}

const Token& ExpressionParser::advance()
{
    const Token& token = m_tokens[m_pos];
    if (m_pos + 1 < m_tokens.size())
        ++m_pos;
    return token;
}

bool ExpressionParser::atPunct(std::string_view punct) const
{
    return peek().kind == TokenKind::Punct && peek().text == punct;
}

bool ExpressionParser::isKeyword(const Token& token, std::string_view keyword)
{
    if (token.kind != TokenKind::Identifier || token.text.size() != keyword.size())
        return false;
    for (std::size_t i = 0; i < keyword.size(); ++i) {
        char c = token.text[i];
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c != keyword[i])
            return false;
    }
    return true;
}

bool ExpressionParser::isStructuralKeyword(const Token& token) const
{
    if (m_update)
        return isKeyword(token, "SET") || isKeyword(token, "REMOVE") || isKeyword(token, "ADD")
            || isKeyword(token, "DELETE");
    return isKeyword(token, "AND") || isKeyword(token, "OR") || isKeyword(token, "NOT") || isKeyword(token, "BETWEEN")
        || isKeyword(token, "IN");
}

bool ExpressionParser::atFunctionCall() const
{
    return peek().kind == TokenKind::Identifier && !isStructuralKeyword(peek()) && peek(1).kind == TokenKind::Punct
        && peek(1).text == "(";
}

Status ExpressionParser::invalid(const std::string& message) const
{
    return Status::validation("Invalid " + m_parameter + ": " + message);
}

// DynamoDB quotes the offending token and the text from the token before it to the token
// after it ("token: \"-\", near: \"book-price\""); at the end it quotes the last token.
Status ExpressionParser::syntaxError() const
{
    const Token& token = peek();
    const bool atTheEnd = token.kind == TokenKind::End;
    std::size_t nearBegin = token.offset;
    std::size_t nearEnd = token.offset + token.text.size();
    if (m_pos > 0) {
        nearBegin = m_tokens[m_pos - 1].offset;
        if (atTheEnd)
            nearEnd = m_tokens[m_pos - 1].offset + m_tokens[m_pos - 1].text.size();
    }
    if (!atTheEnd && m_pos + 1 < m_tokens.size() && m_tokens[m_pos + 1].kind != TokenKind::End)
        nearEnd = m_tokens[m_pos + 1].offset + m_tokens[m_pos + 1].text.size();
    const std::string tokenText = atTheEnd ? std::string("<EOF>") : std::string(token.text);
    const std::string near(m_text.substr(nearBegin, nearEnd - nearBegin));
    return invalid("Syntax error; token: \"" + tokenText + "\", near: \"" + near + "\"");
}

Status ExpressionParser::expectPunct(std::string_view punct)
{
    if (!atPunct(punct))
        return syntaxError();
    advance();
    return Status::ok();
}

void ExpressionParser::defer(Check check, const std::string& message)
{
    auto& slot = m_deferred[static_cast<std::size_t>(check)];
    if (slot.empty())
        slot = message;
}

Status ExpressionParser::firstDeferred() const
{
    for (const auto& message : m_deferred) {
        if (!message.empty())
            return invalid(message);
    }
    return Status::ok();
}

Status ExpressionParser::beginExpression()
{
    m_attributes.noteExpression();
    if (m_text.size() > kMaxExpressionBytes)
        return invalid(
            "Expression size has exceeded the maximum allowed size; expression size: " + std::to_string(m_text.size()));
    if (atEnd())
        return invalid("The expression can not be empty;");
    return Status::ok();
}

// DynamoDB's 4 KB limit still allows thousands of nested parentheses; the recursive descent
// stops well before the stack could run out.
Status ExpressionParser::enterNesting()
{
    if (++m_depth > kMaxNestingDepth)
        return syntaxError();
    return Status::ok();
}

Result<PathElement> ExpressionParser::parseNameElement()
{
    const Token& token = peek();
    PathElement element;
    if (token.kind == TokenKind::Identifier && !isStructuralKeyword(token)) {
        advance();
        if (isReservedWord(token.text))
            defer(Check::ReservedWord,
                "Attribute name is a reserved keyword; reserved keyword: " + std::string(token.text));
        element.name = std::string(token.text);
        return element;
    }
    if (token.kind == TokenKind::NamePlaceholder) {
        advance();
        auto name = m_attributes.name(std::string(token.text));
        if (name.isOk()) {
            element.name = *name;
        } else {
            defer(Check::UndefinedName, name.status().message());
            element.name = std::string(token.text);
        }
        return element;
    }
    return syntaxError();
}

Result<Path> ExpressionParser::parsePath()
{
    Path path;
    auto first = parseNameElement();
    if (!first)
        return first.status();
    path.elements.push_back(std::move(*first));
    while (true) {
        if (atPunct(".")) {
            advance();
            auto element = parseNameElement();
            if (!element)
                return element.status();
            path.elements.push_back(std::move(*element));
        } else if (atPunct("[")) {
            advance();
            const Token& number = peek();
            PathElement element;
            element.isIndex = true;
            if (number.kind != TokenKind::Integer)
                return syntaxError();
            auto [end, error]
                = std::from_chars(number.text.data(), number.text.data() + number.text.size(), element.index);
            if (error != std::errc() || end != number.text.data() + number.text.size())
                return syntaxError();
            advance();
            CAPSIM_RETURN_IF_ERROR(expectPunct("]"));
            path.elements.push_back(std::move(element));
        } else {
            if (path.elements.size() > kMaxPathLevels)
                return invalid("The document path has too many nesting levels; nesting levels: "
                    + std::to_string(path.elements.size()));
            return path;
        }
    }
}

Operand ExpressionParser::valueOperand(const Token& token)
{
    Operand operand;
    operand.kind = Operand::Kind::Value;
    auto value = m_attributes.value(std::string(token.text));
    if (value.isOk()) {
        operand.value = std::move(*value);
    } else {
        operand.defined = false;
        defer(Check::UndefinedValue, value.status().message());
    }
    return operand;
}

Result<Operand> ExpressionParser::parseOperand()
{
    const Token& token = peek();
    if (token.kind == TokenKind::Punct && token.text == "(" && !m_update) {
        advance();
        CAPSIM_RETURN_IF_ERROR(enterNesting());
        auto inner = parseOperand();
        if (!inner)
            return inner;
        CAPSIM_RETURN_IF_ERROR(expectPunct(")"));
        leaveNesting();
        if (inner->parenthesized)
            defer(Check::RedundantParentheses, "The expression has redundant parentheses;");
        inner->parenthesized = true;
        return inner;
    }
    if (token.kind == TokenKind::ValuePlaceholder) {
        advance();
        return valueOperand(token);
    }
    if (atFunctionCall())
        return parseFunctionOperand();
    if (token.kind == TokenKind::Identifier || token.kind == TokenKind::NamePlaceholder) {
        auto path = parsePath();
        if (!path)
            return path.status();
        Operand operand;
        operand.kind = Operand::Kind::Path;
        operand.path = std::move(*path);
        return operand;
    }
    return syntaxError();
}

Result<std::vector<Operand>> ExpressionParser::parseArguments()
{
    CAPSIM_RETURN_IF_ERROR(expectPunct("("));
    CAPSIM_RETURN_IF_ERROR(enterNesting());
    std::vector<Operand> args;
    if (atPunct(")")) {
        advance();
        leaveNesting();
        return args;
    }
    while (true) {
        auto arg = parseOperand();
        if (!arg)
            return arg.status();
        args.push_back(std::move(*arg));
        if (atPunct(",")) {
            advance();
            continue;
        }
        CAPSIM_RETURN_IF_ERROR(expectPunct(")"));
        leaveNesting();
        return args;
    }
}

bool ExpressionParser::checkArity(std::string_view function, const std::vector<Operand>& args, std::size_t expected)
{
    if (args.size() == expected)
        return true;
    defer(Check::Semantic,
        "Incorrect number of operands for operator or function; operator or function: " + std::string(function)
            + ", number of operands: " + std::to_string(args.size()));
    return false;
}

void ExpressionParser::checkOperandType(std::string_view function, const Operand& operand, bool (*allowed)(AttrType))
{
    auto type = literalType(operand);
    if (type && !allowed(*type))
        defer(Check::Semantic,
            "Incorrect operand type for operator or function; operator or function: " + std::string(function)
                + ", operand type: " + attrTypeName(*type));
}

void ExpressionParser::checkDistinct(std::string_view function, const std::vector<Operand>& operands)
{
    if (operands.empty() || operands.front().kind != Operand::Kind::Path)
        return;
    for (std::size_t i = 1; i < operands.size(); ++i) {
        if (operands[i].kind == Operand::Kind::Path && operands[i].path == operands.front().path) {
            defer(Check::Semantic,
                "The first operand must be distinct from the remaining operands for this operator or function; "
                "operator: "
                    + std::string(function) + ", first operand: " + pathForMessage(operands.front().path));
            return;
        }
    }
}

Result<Operand> ExpressionParser::parseFunctionOperand()
{
    const std::string name(advance().text);
    auto args = parseArguments();
    if (!args)
        return args.status();
    Operand operand;
    operand.args = std::move(*args);
    if (!m_update) {
        if (name == "size") {
            if (!checkArity(name, operand.args, 1))
                return operand;
            checkOperandType(name, operand.args[0],
                [](AttrType t) { return t != AttrType::N && t != AttrType::BOOL && t != AttrType::NUL; });
            operand.kind = Operand::Kind::Size;
        } else if (isConditionFunction(name) || isUpdateFunction(name)) {
            defer(Check::MisusedFunction,
                "The function is not allowed to be used this way in an expression; function: " + name);
        } else {
            defer(Check::FunctionName, "Invalid function name; function: " + name);
        }
        return operand;
    }
    if (name == "if_not_exists") {
        if (!checkArity(name, operand.args, 2))
            return operand;
        if (operand.args[0].kind != Operand::Kind::Path)
            defer(Check::Semantic, "Operator or function requires a document path; operator or function: " + name);
        operand.kind = Operand::Kind::IfNotExists;
    } else if (name == "list_append") {
        if (!checkArity(name, operand.args, 2))
            return operand;
        // DynamoDB parses list_append(list_append(...), ...) but refuses to run it.
        for (const auto& arg : operand.args)
            if (arg.kind == Operand::Kind::ListAppend)
                defer(Check::MisusedFunction,
                    "The function is not allowed to be used this way in an expression; function: list_append");
        checkOperandType(name, operand.args[0], isList);
        checkOperandType(name, operand.args[1], isList);
        operand.kind = Operand::Kind::ListAppend;
    } else if (isConditionFunction(name) || name == "size") {
        defer(Check::MisusedFunction, "The function is not allowed in an update expression; function: " + name);
    } else {
        defer(Check::FunctionName, "Invalid function name; function: " + name);
    }
    return operand;
}

} // namespace capsim::expr
