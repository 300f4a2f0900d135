#pragma once
// Tokens of the DynamoDB expression language. Token texts are views into the expression
// text, which must outlive them. Pure functions, thread-agnostic.

#include <cstddef>
#include <string_view>
#include <vector>

namespace capsim::expr {

enum class TokenKind {
    Identifier, // attribute name, keyword or function name
    NamePlaceholder, // #name
    ValuePlaceholder, // :value
    Integer, // list index digits
    Punct, // = <> < <= > >= ( ) , . [ ] + -
    Invalid, // one character that starts no token
    End,
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string_view text;
    std::size_t offset = 0;
};

// Splits `text` into tokens; the last token is always End. Never fails: characters outside the
// language become Invalid tokens, which the parser reports as syntax errors.
std::vector<Token> tokenize(std::string_view text);

} // namespace capsim::expr
