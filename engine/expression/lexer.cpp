#include "engine/expression/lexer.h"

#include <algorithm>

namespace capsim::expr {

namespace {

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isNameChar(char c)
{
    return isLetter(c) || isDigit(c) || c == '_';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Length of the UTF-8 sequence starting at `lead`, so an invalid token shows a whole character.
std::size_t utf8Length(unsigned char lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    if (lead >= 0xC0)
        return 2;
    return 1;
}

} // namespace

std::vector<Token> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto push = [&](TokenKind kind, std::size_t begin, std::size_t end) {
        tokens.push_back(Token { kind, text.substr(begin, end - begin), begin });
    };
    while (i < n) {
        const char c = text[i];
        if (isSpace(c)) {
            ++i;
            continue;
        }
        const std::size_t begin = i;
        // A name starts with a letter: DynamoDB's lexer does not recognise `_123` or `_f(` and
        // reports the `_` as a syntax error ("token: \"_\", near: \"SET _123\"").
        if (isLetter(c)) {
            while (i < n && isNameChar(text[i]))
                ++i;
            push(TokenKind::Identifier, begin, i);
        } else if (isDigit(c)) {
            while (i < n && isDigit(text[i]))
                ++i;
            push(TokenKind::Integer, begin, i);
        } else if (c == '#' || c == ':') {
            ++i;
            while (i < n && isNameChar(text[i]))
                ++i;
            if (i == begin + 1)
                push(TokenKind::Invalid, begin, i);
            else
                push(c == '#' ? TokenKind::NamePlaceholder : TokenKind::ValuePlaceholder, begin, i);
        } else if (c == '<') {
            i += (i + 1 < n && (text[i + 1] == '=' || text[i + 1] == '>')) ? 2u : 1u;
            push(TokenKind::Punct, begin, i);
        } else if (c == '>') {
            i += (i + 1 < n && text[i + 1] == '=') ? 2u : 1u;
            push(TokenKind::Punct, begin, i);
        } else if (c == '=' || c == '(' || c == ')' || c == ',' || c == '.' || c == '[' || c == ']' || c == '+'
            || c == '-') {
            ++i;
            push(TokenKind::Punct, begin, i);
        } else {
            i = std::min(n, i + utf8Length(static_cast<unsigned char>(c)));
            push(TokenKind::Invalid, begin, i);
        }
    }
    tokens.push_back(Token { TokenKind::End, text.substr(n), n });
    return tokens;
}

} // namespace capsim::expr
