#pragma once
// ExpressionParser: a recursive-descent parser for one expression text. Syntax errors stop the
// parse at once; the other checks are collected and the first is reported by DynamoDB's order
// of checks (redundant parentheses, function names, reserved words, undefined placeholders,
// ... , operand types). One parser per expression; not shared between threads.

#include "engine/expression/ast.h"
#include "engine/expression/lexer.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::expr {

class ExpressionParser {
public:
    // `parameter` names the request parameter in messages ("Invalid <parameter>: ...").
    ExpressionParser(std::string_view text, ExpressionAttributes& attributes, std::string_view parameter);

    Result<std::shared_ptr<const ConditionNode>> parseConditionExpression();
    Result<std::shared_ptr<const UpdateNode>> parseUpdateExpression();
    Result<std::vector<Path>> parseProjectionExpression();

    // "Invalid <parameter>: <message>".
    Status invalid(const std::string& message) const;

private:
    // Deferred checks, in the order DynamoDB reports them.
    enum class Check {
        Section,
        RedundantParentheses,
        FunctionName,
        MisusedFunction,
        ReservedWord,
        UndefinedName,
        UndefinedValue,
        PathClash,
        ActionOperandType,
        Semantic,
        Count,
    };

    // A condition or an operand: which one a parenthesised group is is known only at its end.
    struct Parsed {
        std::shared_ptr<ConditionNode> condition;
        Operand operand;
        bool parenthesized = false;
        std::string conditionFunction; // set for an unparenthesised condition function call
    };

    const Token& peek(std::size_t ahead = 0) const;
    const Token& advance();
    bool atPunct(std::string_view punct) const;
    bool atEnd() const { return peek().kind == TokenKind::End; }
    static bool isKeyword(const Token& token, std::string_view keyword);
    bool isStructuralKeyword(const Token& token) const;
    bool atFunctionCall() const;

    Status syntaxError() const;
    Status expectPunct(std::string_view punct);
    void defer(Check check, const std::string& message);
    Status firstDeferred() const;
    Status beginExpression();
    Status enterNesting();
    void leaveNesting() { --m_depth; }

    Result<Path> parsePath();
    Result<PathElement> parseNameElement();
    Result<Operand> parseOperand();
    Result<Operand> parseFunctionOperand();
    Result<std::vector<Operand>> parseArguments();
    Operand valueOperand(const Token& token);
    bool checkArity(std::string_view function, const std::vector<Operand>& args, std::size_t expected);
    void checkOperandType(std::string_view function, const Operand& operand, bool (*allowed)(AttrType));
    void checkDistinct(std::string_view function, const std::vector<Operand>& operands);

    Result<Parsed> parseOr();
    Result<Parsed> parseAnd();
    Result<Parsed> parseNot();
    Result<Parsed> parseComparison();
    Result<Parsed> parsePrimary();
    Result<Parsed> parseConditionFunction();
    Result<Parsed> parseComparisonTail(Operand left);

    Result<Operand> parseSetValue();
    Result<UpdateAction> parseUpdateAction(UpdateAction::Kind kind);

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    ExpressionAttributes& m_attributes;
    std::string m_parameter;
    bool m_update = false;
    int m_depth = 0;
    std::array<std::string, static_cast<std::size_t>(Check::Count)> m_deferred;
};

// Type of an operand when it is known while parsing: a :value's type, N for size().
std::optional<AttrType> literalType(const Operand& operand);

} // namespace capsim::expr
