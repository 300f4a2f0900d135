#include "engine/exchange/ion_text.h"

#include "engine/exchange/utf8.h"
#include "engine/json_codec.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace capsim::exchange {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

bool isBareStart(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isBarePart(char c)
{
    return isBareStart(c) || isDigit(c);
}

bool needsQuotes(std::string_view name)
{
    if (name.empty() || !isBareStart(name[0]))
        return true;
    for (const char c : name)
        if (!isBarePart(c))
            return true;
    if (name == "null" || name == "true" || name == "false" || name == "nan")
        return true;
    // $<digits> is a symbol ID in Ion, not a name.
    if (name.size() > 1 && name[0] == '$' && name.find_first_not_of("0123456789", 1) == std::string_view::npos)
        return true;
    return false;
}

void appendEscaped(std::string& out, std::string_view bytes, char quote)
{
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == quote || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20) {
            out += "\\x";
            out.push_back(kLowerHex[u >> 4]);
            out.push_back(kLowerHex[u & 0xF]);
        } else {
            out.push_back(c);
        }
    }
}

} // namespace

void appendIonString(std::string& out, std::string_view bytes)
{
    out.push_back('"');
    appendEscaped(out, bytes, '"');
    out.push_back('"');
}

void appendIonSymbol(std::string& out, std::string_view name)
{
    if (!needsQuotes(name)) {
        out += name;
        return;
    }
    out.push_back('\'');
    appendEscaped(out, name, '\'');
    out.push_back('\'');
}

std::string ionDecimal(const Number& number)
{
    if (number.isZero())
        return "0.";
    // Number::toString() is "[-]digits[.digits][E[+-]exp]"; take its coefficient and exponent.
    const std::string text = number.toString();
    std::size_t i = 0;
    const bool negative = text[0] == '-';
    if (negative)
        ++i;
    std::string coefficient;
    long exponent = 0;
    bool afterPoint = false;
    for (; i < text.size() && text[i] != 'E'; ++i) {
        if (text[i] == '.') {
            afterPoint = true;
            continue;
        }
        coefficient.push_back(text[i]);
        if (afterPoint)
            --exponent;
    }
    if (i < text.size())
        exponent += std::stol(text.substr(i + 1));
    coefficient.erase(0, coefficient.find_first_not_of('0'));
    while (coefficient.size() > 1 && coefficient.back() == '0') {
        coefficient.pop_back();
        ++exponent;
    }
    std::string out = negative ? "-" : "";
    if (exponent == 0) {
        out += coefficient + ".";
    } else if (exponent > 0) {
        out += coefficient + "d" + std::to_string(exponent);
    } else {
        const auto fraction = static_cast<std::size_t>(-exponent);
        if (coefficient.size() > fraction)
            out += coefficient.substr(0, coefficient.size() - fraction) + "."
                + coefficient.substr(coefficient.size() - fraction);
        else
            out += "0." + std::string(fraction - coefficient.size(), '0') + coefficient;
    }
    return out;
}

void appendIonValue(std::string& out, const AttributeValue& value)
{
    switch (value.type()) {
    case AttrType::S: appendIonString(out, value.bytes()); break;
    case AttrType::N: out += ionDecimal(value.asNumber()); break;
    case AttrType::B: out += "{{" + base64Encode(value.bytes()) + "}}"; break;
    case AttrType::BOOL: out += value.asBool() ? "true" : "false"; break;
    case AttrType::NUL: out += "null"; break;
    case AttrType::L: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value.asList()) {
            if (!first)
                out.push_back(',');
            first = false;
            appendIonValue(out, element);
        }
        out.push_back(']');
        break;
    }
    case AttrType::M: appendIonStruct(out, value.asMap()); break;
    case AttrType::SS:
    case AttrType::BS: {
        out += value.is(AttrType::SS) ? "$dynamodb_SS::[" : "$dynamodb_BS::[";
        bool first = true;
        for (const auto& element : value.byteSet()) {
            if (!first)
                out.push_back(',');
            first = false;
            if (value.is(AttrType::SS))
                appendIonString(out, element);
            else
                out += "{{" + base64Encode(element) + "}}";
        }
        out.push_back(']');
        break;
    }
    case AttrType::NS: {
        out += "$dynamodb_NS::[";
        bool first = true;
        for (const auto& element : value.numberSetValues()) {
            if (!first)
                out.push_back(',');
            first = false;
            out += ionDecimal(element);
        }
        out.push_back(']');
        break;
    }
    }
}

void appendIonStruct(std::string& out, const Item& item)
{
    // std::map<std::string> orders names by unsigned bytes: ascending UTF-8 byte order (A9).
    out.push_back('{');
    bool first = true;
    for (const auto& [name, value] : item) {
        if (!first)
            out.push_back(',');
        first = false;
        appendIonSymbol(out, name);
        out.push_back(':');
        appendIonValue(out, value);
    }
    out.push_back('}');
}

std::string itemLineIon(const Item& item)
{
    std::string out = "$ion_1_0 {Item:";
    appendIonStruct(out, item);
    out.push_back('}');
    return out;
}

std::string changeLineIon(const ChangeRecord& change)
{
    std::string out = "$ion_1_0 {Metadata:{WriteTimestampMicros:";
    out += std::to_string(change.writeTimestampMicros);
    out += "},Keys:";
    appendIonStruct(out, change.keys);
    if (change.newImage) {
        out += ",NewImage:";
        appendIonStruct(out, *change.newImage);
    }
    if (change.oldImage) {
        out += ",OldImage:";
        appendIonStruct(out, *change.oldImage);
    }
    out.push_back('}');
    return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

enum class IonType { Null, Bool, Int, Decimal, Float, Timestamp, Symbol, String, Clob, Blob, List, Sexp, Struct };

namespace {

const char* ionTypeName(IonType type)
{
    switch (type) {
    case IonType::Null: return "null";
    case IonType::Bool: return "bool";
    case IonType::Int: return "int";
    case IonType::Decimal: return "decimal";
    case IonType::Float: return "float";
    case IonType::Timestamp: return "timestamp";
    case IonType::Symbol: return "symbol";
    case IonType::String: return "string";
    case IonType::Clob: return "clob";
    case IonType::Blob: return "blob";
    case IonType::List: return "list";
    case IonType::Sexp: return "sexp";
    case IonType::Struct: return "struct";
    }
    return "value";
}

// One parsed Ion value. `text` holds a string's or symbol's bytes, a blob's decoded bytes, or a
// number's text in the form Number::parse reads (d exponents as e, no underscores, ints in decimal).
struct IonField;

struct IonValue {
    IonType type = IonType::Null;
    bool isNull = false; // null or null.<type>
    std::vector<std::string> annotations;
    std::string text;
    bool boolean = false;
    std::vector<IonValue> elements; // list, sexp
    std::vector<IonField> fields; // struct, in text order
    bool quotedSymbol = false; // a symbol value written '...' (never a version marker)
};

// One field of a struct (a named type rather than a pair: a pair of an incomplete type cannot be
// a vector's element in every standard library).
struct IonField {
    std::string name;
    IonValue value;
};

constexpr int kMaxNesting = 200;

// Converts the digits of a hex or binary Ion int to decimal digits.
std::string radixToDecimal(std::string_view digits, unsigned radix)
{
    std::vector<unsigned> decimal { 0 }; // little-endian base 10
    for (const char c : digits) {
        unsigned carry = isDigit(c) ? static_cast<unsigned>(c - '0') : static_cast<unsigned>((c | 0x20) - 'a' + 10);
        for (auto& d : decimal) {
            const unsigned v = d * radix + carry;
            d = v % 10;
            carry = v / 10;
        }
        while (carry) {
            decimal.push_back(carry % 10);
            carry /= 10;
        }
    }
    std::string out;
    for (auto it = decimal.rbegin(); it != decimal.rend(); ++it)
        out.push_back(static_cast<char>('0' + *it));
    return out;
}

void appendUtf8(std::string& out, std::uint32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    }
}

} // namespace

// A recursive-descent parser of Ion 1.0 text over the reader's text. Errors are kept as the first
// message (with its line) and make every caller return false.
class IonParser {
public:
    explicit IonParser(IonTextReader& reader)
        : m_r(reader)
        , m_text(reader.m_text)
        , m_pos(reader.m_position)
    {
    }

    // Skips whitespace and comments. False on an unterminated block comment.
    bool skipSpace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
                ++m_pos;
            } else if (c == '/' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '/') {
                const auto end = m_text.find('\n', m_pos);
                m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
            } else if (c == '/' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '*') {
                const auto end = m_text.find("*/", m_pos + 2);
                if (end == std::string_view::npos)
                    return fail("unterminated /* comment");
                m_pos = end + 2;
            } else {
                break;
            }
        }
        return true;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    std::size_t position() const { return m_pos; }

    std::int64_t lineAt(std::size_t position)
    {
        // Positions only move forward, so the count continues from the last one.
        if (position < m_r.m_linePosition) {
            m_r.m_linePosition = 0;
            m_r.m_line = 1;
        }
        for (; m_r.m_linePosition < position && m_r.m_linePosition < m_text.size(); ++m_r.m_linePosition)
            if (m_text[m_r.m_linePosition] == '\n')
                ++m_r.m_line;
        return m_r.m_line;
    }

    bool fail(std::string message)
    {
        if (m_error.empty()) {
            m_errorPosition = m_pos;
            m_error = std::move(message);
        }
        return false;
    }
    const std::string& error() const { return m_error; }
    std::size_t errorPosition() const { return m_errorPosition; }

    void commit() { m_r.m_position = m_pos; }

    // Parses one value with its annotations. `inSexp` allows operator symbols.
    bool parseValue(IonValue& out, int depth, bool inSexp = false)
    {
        if (depth > kMaxNesting)
            return fail("values nested more than " + std::to_string(kMaxNesting) + " levels deep");
        out = IonValue {};
        for (;;) {
            if (!skipSpace())
                return false;
            if (atEnd())
                return fail("a value was expected");
            const char c = m_text[m_pos];
            // A symbol may be an annotation (followed by ::).
            if (isBareStart(c) || (c == '\'' && !startsWith("'''"))) {
                const std::size_t start = m_pos;
                std::string symbol;
                const bool quoted = c == '\'';
                if (quoted ? !parseQuoted('\'', symbol) : !parseIdentifier(symbol))
                    return false;
                const std::size_t afterSymbol = m_pos;
                if (!skipSpace())
                    return false;
                if (startsWith("::")) {
                    m_pos += 2;
                    out.annotations.push_back(std::move(symbol));
                    continue;
                }
                m_pos = afterSymbol;
                if (!quoted)
                    return keywordOrSymbol(out, symbol, start);
                out.type = IonType::Symbol;
                out.quotedSymbol = true;
                out.text = std::move(symbol);
                return true;
            }
            break;
        }
        const char c = m_text[m_pos];
        if (c == '{' && startsWith("{{"))
            return parseLob(out);
        if (c == '{')
            return parseStruct(out, depth);
        if (c == '[')
            return parseSequence(out, IonType::List, ']', depth);
        if (c == '(')
            return parseSequence(out, IonType::Sexp, ')', depth);
        if (c == '"') {
            out.type = IonType::String;
            return parseQuoted('"', out.text);
        }
        if (c == '\'') {
            out.type = IonType::String;
            return parseLongStrings(out.text);
        }
        if (isDigit(c)
            || ((c == '-' || c == '+') && m_pos + 1 < m_text.size()
                && (isDigit(m_text[m_pos + 1]) || m_text[m_pos + 1] == 'i')))
            return parseNumeric(out);
        if (inSexp && isOperator(c)) {
            out.type = IonType::Symbol;
            while (m_pos < m_text.size() && isOperator(m_text[m_pos]))
                out.text.push_back(m_text[m_pos++]);
            return true;
        }
        return fail(std::string("unexpected character '") + c + "'");
    }

private:
    static bool isOperator(char c) { return std::string_view("!#%&*+-./;<=>?@^`|~").find(c) != std::string_view::npos; }

    bool startsWith(std::string_view s) const { return m_text.substr(m_pos).starts_with(s); }

    bool parseIdentifier(std::string& out)
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && isBarePart(m_text[m_pos]))
            ++m_pos;
        out.assign(m_text.substr(start, m_pos - start));
        return true;
    }

    bool keywordOrSymbol(IonValue& out, const std::string& word, std::size_t start)
    {
        if (word == "true" || word == "false") {
            out.type = IonType::Bool;
            out.boolean = word == "true";
            return true;
        }
        if (word == "nan") {
            out.type = IonType::Float;
            out.text = "nan";
            return true;
        }
        if (word == "null") {
            out.type = IonType::Null;
            out.isNull = true;
            if (m_pos < m_text.size() && m_text[m_pos] == '.') {
                ++m_pos;
                std::string typeName;
                parseIdentifier(typeName);
                static const std::pair<const char*, IonType> kTypes[] = { { "null", IonType::Null },
                    { "bool", IonType::Bool }, { "int", IonType::Int }, { "float", IonType::Float },
                    { "decimal", IonType::Decimal }, { "timestamp", IonType::Timestamp }, { "symbol", IonType::Symbol },
                    { "string", IonType::String }, { "clob", IonType::Clob }, { "blob", IonType::Blob },
                    { "list", IonType::List }, { "sexp", IonType::Sexp }, { "struct", IonType::Struct } };
                bool known = false;
                for (const auto& [name, type] : kTypes)
                    if (typeName == name) {
                        out.type = type;
                        known = true;
                    }
                if (!known) {
                    m_pos = start;
                    return fail("unknown null type null." + typeName);
                }
            }
            return true;
        }
        out.type = IonType::Symbol;
        out.text = word;
        return true;
    }

    bool hexDigits(std::size_t count, std::uint32_t& value)
    {
        value = 0;
        for (std::size_t k = 0; k < count; ++k) {
            if (m_pos >= m_text.size())
                return fail("incomplete escape sequence");
            const char h = m_text[m_pos];
            std::uint32_t v;
            if (isDigit(h))
                v = static_cast<std::uint32_t>(h - '0');
            else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
                v = static_cast<std::uint32_t>((h | 0x20) - 'a' + 10);
            else
                return fail(std::string("bad hex digit '") + h + "' in an escape sequence");
            value = value * 16 + v;
            ++m_pos;
        }
        return true;
    }

    // Reads the escape after a backslash (m_pos at the character after it) into out.
    bool parseEscape(std::string& out, std::uint32_t& pendingHighSurrogate)
    {
        if (m_pos >= m_text.size())
            return fail("incomplete escape sequence");
        const char e = m_text[m_pos++];
        std::uint32_t codePoint = 0;
        switch (e) {
        case 'a': out.push_back('\a'); return true;
        case 'b': out.push_back('\b'); return true;
        case 't': out.push_back('\t'); return true;
        case 'n': out.push_back('\n'); return true;
        case 'f': out.push_back('\f'); return true;
        case 'r': out.push_back('\r'); return true;
        case 'v': out.push_back('\v'); return true;
        case '?': out.push_back('?'); return true;
        case '0': out.push_back('\0'); return true;
        case '\'': out.push_back('\''); return true;
        case '"': out.push_back('"'); return true;
        case '/': out.push_back('/'); return true;
        case '\\': out.push_back('\\'); return true;
        case '\n': return true; // line continuation
        case '\r':
            if (m_pos < m_text.size() && m_text[m_pos] == '\n')
                ++m_pos;
            return true;
        case 'x':
            if (!hexDigits(2, codePoint))
                return false;
            break;
        case 'u':
            if (!hexDigits(4, codePoint))
                return false;
            break;
        case 'U':
            if (!hexDigits(8, codePoint))
                return false;
            break;
        default: --m_pos; return fail(std::string("unknown escape \\") + e);
        }
        if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
            pendingHighSurrogate = codePoint;
            return true;
        }
        if (codePoint >= 0xDC00 && codePoint <= 0xDFFF) {
            if (!pendingHighSurrogate)
                return fail("a low surrogate escape without its high surrogate");
            codePoint = 0x10000 + ((pendingHighSurrogate - 0xD800) << 10) + (codePoint - 0xDC00);
            pendingHighSurrogate = 0;
        }
        if (codePoint > 0x10FFFF)
            return fail("escape beyond U+10FFFF");
        appendUtf8(out, codePoint);
        return true;
    }

    // A "..." string or '...' symbol (m_pos at the opening quote).
    bool parseQuoted(char quote, std::string& out)
    {
        ++m_pos;
        std::uint32_t pendingHigh = 0;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (pendingHigh && c != '\\')
                return fail("a high surrogate escape without its low surrogate");
            if (c == quote) {
                ++m_pos;
                return isValidUtf8(out)
                    || fail(quote == '"' ? "a string is not valid UTF-8" : "a symbol is not valid UTF-8");
            }
            if (c == '\n' || c == '\r')
                return fail(quote == '"' ? "a newline inside a \"string\" (use ''' for long strings)"
                                         : "a newline inside a 'symbol'");
            ++m_pos;
            if (c == '\\') {
                if (!parseEscape(out, pendingHigh))
                    return false;
            } else {
                out.push_back(c);
            }
        }
        return fail(quote == '"' ? "unterminated string" : "unterminated quoted symbol");
    }

    // One or more '''...''' segments separated by whitespace or comments, concatenated.
    bool parseLongStrings(std::string& out)
    {
        while (startsWith("'''")) {
            m_pos += 3;
            std::uint32_t pendingHigh = 0;
            bool closed = false;
            while (m_pos < m_text.size()) {
                if (startsWith("'''")) {
                    m_pos += 3;
                    closed = true;
                    break;
                }
                const char c = m_text[m_pos++];
                if (pendingHigh && c != '\\')
                    return fail("a high surrogate escape without its low surrogate");
                if (c == '\\') {
                    if (!parseEscape(out, pendingHigh))
                        return false;
                } else if (c == '\r') {
                    // Ion normalizes raw CR LF and CR to LF inside long strings.
                    if (m_pos < m_text.size() && m_text[m_pos] == '\n')
                        ++m_pos;
                    out.push_back('\n');
                } else {
                    out.push_back(c);
                }
            }
            if (!closed)
                return fail("unterminated ''' string");
            if (!isValidUtf8(out))
                return fail("a string is not valid UTF-8");
            const std::size_t afterSegment = m_pos;
            if (!skipSpace())
                return false;
            if (!startsWith("'''"))
                m_pos = afterSegment;
        }
        return true;
    }

    // {{ base64 }} blob or {{ "..." }} clob (m_pos at "{{").
    bool parseLob(IonValue& out)
    {
        m_pos += 2;
        while (m_pos < m_text.size() && std::string_view(" \t\n\r\v\f").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
        if (m_pos < m_text.size() && (m_text[m_pos] == '"' || m_text[m_pos] == '\'')) {
            out.type = IonType::Clob;
            if (m_text[m_pos] == '"' ? !parseQuoted('"', out.text) : !parseLongStrings(out.text))
                return false;
            if (!skipSpace())
                return false;
            if (!startsWith("}}"))
                return fail("a clob must end with }}");
            m_pos += 2;
            return true;
        }
        std::string base64;
        while (m_pos < m_text.size() && !startsWith("}}")) {
            const char c = m_text[m_pos++];
            if (std::string_view(" \t\n\r\v\f").find(c) == std::string_view::npos)
                base64.push_back(c);
        }
        if (!startsWith("}}"))
            return fail("unterminated blob {{");
        const std::size_t start = m_pos;
        m_pos += 2;
        out.type = IonType::Blob;
        if (!base64Decode(base64, out.text)) {
            m_pos = start;
            return fail("a blob's base64 is invalid");
        }
        return true;
    }

    bool parseStruct(IonValue& out, int depth)
    {
        ++m_pos;
        out.type = IonType::Struct;
        for (;;) {
            if (!skipSpace())
                return false;
            if (atEnd())
                return fail("unterminated struct");
            if (m_text[m_pos] == '}') {
                ++m_pos;
                return true;
            }
            std::string name;
            const char c = m_text[m_pos];
            if (c == '"') {
                if (!parseQuoted('"', name))
                    return false;
            } else if (startsWith("'''")) {
                if (!parseLongStrings(name))
                    return false;
            } else if (c == '\'') {
                if (!parseQuoted('\'', name))
                    return false;
            } else if (isBareStart(c)) {
                parseIdentifier(name);
            } else {
                return fail(std::string("a field name was expected, not '") + c + "'");
            }
            if (!skipSpace())
                return false;
            if (atEnd() || m_text[m_pos] != ':' || startsWith("::"))
                return fail("':' was expected after the field name " + name);
            ++m_pos;
            IonValue value;
            if (!parseValue(value, depth + 1))
                return false;
            out.fields.push_back(IonField { std::move(name), std::move(value) });
            if (!skipSpace())
                return false;
            if (atEnd())
                return fail("unterminated struct");
            if (m_text[m_pos] == ',') {
                ++m_pos;
            } else if (m_text[m_pos] != '}') {
                return fail("',' or '}' was expected in a struct");
            }
        }
    }

    bool parseSequence(IonValue& out, IonType type, char close, int depth)
    {
        ++m_pos;
        out.type = type;
        const bool sexp = type == IonType::Sexp;
        for (;;) {
            if (!skipSpace())
                return false;
            if (atEnd())
                return fail(sexp ? "unterminated sexp" : "unterminated list");
            if (m_text[m_pos] == close) {
                ++m_pos;
                return true;
            }
            IonValue element;
            if (!parseValue(element, depth + 1, sexp))
                return false;
            out.elements.push_back(std::move(element));
            if (sexp)
                continue;
            if (!skipSpace())
                return false;
            if (atEnd())
                return fail("unterminated list");
            if (m_text[m_pos] == ',')
                ++m_pos;
            else if (m_text[m_pos] != ']')
                return fail("',' or ']' was expected in a list");
        }
    }

    // Ints (decimal, 0x, 0b, with _ between digits), decimals (. or d exponent), floats (e
    // exponent, +inf, -inf) and timestamps.
    bool parseNumeric(IonValue& out)
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (isBarePart(c) || c == '.' || c == '+' || c == '-' || c == ':')
                ++m_pos;
            else
                break;
        }
        const std::string_view token = m_text.substr(start, m_pos - start);
        auto bad = [&] {
            m_pos = start;
            return fail("not an Ion number: " + std::string(token));
        };
        if (token == "+inf" || token == "-inf") {
            out.type = IonType::Float;
            out.text = std::string(token);
            return true;
        }
        if (token.size() > 4 && isDigit(token[0]) && isDigit(token[1]) && isDigit(token[2]) && isDigit(token[3])
            && (token[4] == '-' || token[4] == 'T')) {
            for (const char c : token)
                if (!isDigit(c) && std::string_view("-T:.+Z").find(c) == std::string_view::npos)
                    return bad();
            out.type = IonType::Timestamp;
            out.text = std::string(token);
            return true;
        }
        std::size_t i = 0;
        const bool negative = token[0] == '-';
        if (token[0] == '-')
            ++i;
        else if (token[0] == '+')
            return bad();
        // Digits with single underscores between them.
        auto digitsOf = [&](std::string& digits, bool (*valid)(char)) {
            const std::size_t first = i;
            while (i < token.size() && (valid(token[i]) || token[i] == '_')) {
                if (token[i] == '_') {
                    if (i == first || i + 1 >= token.size() || !valid(token[i + 1]))
                        return false;
                } else {
                    digits.push_back(token[i]);
                }
                ++i;
            }
            return i > first;
        };
        if (token.size() > i + 1 && token[i] == '0' && ((token[i + 1] | 0x20) == 'x' || (token[i + 1] | 0x20) == 'b')) {
            const bool hex = (token[i + 1] | 0x20) == 'x';
            i += 2;
            std::string digits;
            const bool ok = hex
                ? digitsOf(digits, [](char c) { return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); })
                : digitsOf(digits, [](char c) { return c == '0' || c == '1'; });
            if (!ok || i != token.size())
                return bad();
            out.type = IonType::Int;
            out.text = (negative ? "-" : "") + radixToDecimal(digits, hex ? 16 : 2);
            return true;
        }
        std::string text = negative ? "-" : "";
        std::string integer;
        if (!digitsOf(integer, isDigit))
            return bad();
        if (integer.size() > 1 && integer[0] == '0')
            return bad(); // Ion has no leading zeros
        text += integer;
        out.type = IonType::Int;
        if (i < token.size() && token[i] == '.') {
            ++i;
            text.push_back('.');
            out.type = IonType::Decimal;
            if (i < token.size() && isDigit(token[i]) && !digitsOf(text, isDigit))
                return bad();
        }
        if (i < token.size() && (token[i] == 'd' || token[i] == 'D' || token[i] == 'e' || token[i] == 'E')) {
            out.type = (token[i] == 'd' || token[i] == 'D') ? IonType::Decimal : IonType::Float;
            ++i;
            text.push_back('e');
            if (i < token.size() && (token[i] == '+' || token[i] == '-'))
                text.push_back(token[i++]);
            std::string exponent;
            if (!digitsOf(exponent, isDigit))
                return bad();
            text += exponent;
        }
        if (i != token.size())
            return bad();
        out.text = std::move(text);
        return true;
    }

    IonTextReader& m_r;
    std::string_view m_text;
    std::size_t m_pos;
    std::string m_error;
    std::size_t m_errorPosition = 0;
};

namespace {

std::string join(std::string_view path, std::string_view name)
{
    return path.empty() ? std::string(name) : std::string(path) + "." + std::string(name);
}

Result<AttributeValue> toAttributeValue(const IonValue& value, const std::string& path);

Result<Item> toItem(const IonValue& value, const std::string& path)
{
    if (value.type != IonType::Struct || value.isNull)
        return Status::validation("an Ion struct was expected, not "
            + std::string(value.isNull ? "null" : ionTypeName(value.type)) + " (at " + path + ")");
    Item item;
    for (const auto& [name, field] : value.fields) {
        const std::string fieldPath = join(path, name);
        auto converted = toAttributeValue(field, fieldPath);
        if (!converted)
            return converted.status();
        if (!item.emplace(name, std::move(converted).value()).second)
            return Status::validation("duplicate attribute name " + name + " (at " + path + ")");
    }
    return item;
}

Result<Number> toNumber(const IonValue& value, const std::string& path)
{
    auto number = Number::parse(value.text);
    if (!number)
        return Status::validation(number.status().message() + " (at " + path + ")");
    return number;
}

Status unsupported(const IonValue& value, const std::string& path)
{
    return Status::validation("an Ion " + std::string(ionTypeName(value.type))
        + " has no DynamoDB type (string, decimal, int, bool, blob, list, struct, null and $dynamodb_SS/NS/BS lists map)"
          " (at "
        + path + ")");
}

Result<AttributeValue> toSet(const IonValue& value, const std::string& setType, const std::string& path)
{
    if (value.elements.empty())
        return Status::validation("One or more parameter values were invalid: An "
            + std::string(setType == "SS" ? "string"
                    : setType == "NS"     ? "number"
                                          : "binary")
            + " set  may not be empty (at " + path + ")");
    const std::size_t count = value.elements.size();
    if (setType == "NS") {
        std::vector<Number> numbers;
        for (const auto& element : value.elements) {
            if (element.isNull || (element.type != IonType::Decimal && element.type != IonType::Int))
                return Status::validation("a $dynamodb_NS element must be a decimal or int (at " + path + ")");
            auto number = toNumber(element, path);
            if (!number)
                return number.status();
            numbers.push_back(std::move(number).value());
        }
        auto set = AttributeValue::numberSet(std::move(numbers));
        if (set.setSize() != count)
            return Status::validation(
                "One or more parameter values were invalid: Input collections contains duplicates (at " + path + ")");
        return set;
    }
    const IonType elementType = setType == "SS" ? IonType::String : IonType::Blob;
    std::vector<std::string> elements;
    for (const auto& element : value.elements) {
        if (element.isNull || element.type != elementType)
            return Status::validation(
                "a $dynamodb_" + setType + " element must be a " + ionTypeName(elementType) + " (at " + path + ")");
        elements.push_back(element.text);
    }
    auto set = setType == "SS" ? AttributeValue::stringSet(std::move(elements))
                               : AttributeValue::binarySet(std::move(elements));
    if (set.setSize() != count)
        return Status::validation(
            "One or more parameter values were invalid: Input collections contains duplicates (at " + path + ")");
    return set;
}

Result<AttributeValue> toAttributeValue(const IonValue& value, const std::string& path)
{
    if (value.isNull)
        return AttributeValue::null();
    switch (value.type) {
    case IonType::String: return AttributeValue::string(value.text);
    case IonType::Bool: return AttributeValue::boolean(value.boolean);
    case IonType::Int:
    case IonType::Decimal: {
        auto number = toNumber(value, path);
        if (!number)
            return number.status();
        return AttributeValue::number(std::move(number).value());
    }
    case IonType::Blob: return AttributeValue::binary(value.text);
    case IonType::List: {
        for (const auto& annotation : value.annotations)
            if (annotation == "$dynamodb_SS" || annotation == "$dynamodb_NS" || annotation == "$dynamodb_BS")
                return toSet(value, annotation.substr(10), path);
        AttributeList list;
        for (std::size_t i = 0; i < value.elements.size(); ++i) {
            auto element = toAttributeValue(value.elements[i], path + "[" + std::to_string(i) + "]");
            if (!element)
                return element.status();
            list.push_back(std::move(element).value());
        }
        return AttributeValue::list(std::move(list));
    }
    case IonType::Struct: {
        auto map = toItem(value, path);
        if (!map)
            return map.status();
        return AttributeValue::map(std::move(map).value());
    }
    default: return unsupported(value, path);
    }
}

const IonValue* fieldOf(const IonValue& value, std::string_view name)
{
    for (const auto& [fieldName, field] : value.fields)
        if (fieldName == name)
            return &field;
    return nullptr;
}

// Maps a top-level value to an Item or Change record; returns the error message if it does not map.
std::string toRecord(const IonValue& value, DataRecord& record)
{
    if (value.type != IonType::Struct || value.isNull)
        return "expected a struct {Item:{...}}, not " + std::string(value.isNull ? "null" : ionTypeName(value.type));
    for (const auto& [name, field] : value.fields)
        if (name != "Item" && name != "Metadata" && name != "Keys" && name != "NewImage" && name != "OldImage")
            return "unexpected field " + name;
    if (const IonValue* item = fieldOf(value, "Item")) {
        if (value.fields.size() != 1)
            return "an Item line has no other field";
        auto converted = toItem(*item, "Item");
        if (!converted)
            return converted.status().message();
        record.kind = DataRecord::Kind::Item;
        record.item = std::move(converted).value();
        return {};
    }
    const IonValue* metadata = fieldOf(value, "Metadata");
    const IonValue* keys = fieldOf(value, "Keys");
    if (!metadata || !keys)
        return "expected {Item:{...}} or Metadata and Keys";
    record.kind = DataRecord::Kind::Change;
    const IonValue* timestamp = fieldOf(*metadata, "WriteTimestampMicros");
    if (!timestamp || timestamp->isNull || timestamp->type != IonType::Int)
        return "Metadata.WriteTimestampMicros must be an int";
    auto micros = Number::parse(timestamp->text);
    if (!micros || !micros->toInt64(record.change.writeTimestampMicros))
        return "Metadata.WriteTimestampMicros is out of range";
    auto convertedKeys = toItem(*keys, "Keys");
    if (!convertedKeys)
        return convertedKeys.status().message();
    record.change.keys = std::move(convertedKeys).value();
    for (const char* name : { "NewImage", "OldImage" }) {
        const IonValue* image = fieldOf(value, name);
        if (!image)
            continue;
        auto converted = toItem(*image, name);
        if (!converted)
            return converted.status().message();
        (std::string_view(name) == "NewImage" ? record.change.newImage : record.change.oldImage)
            = std::move(converted).value();
    }
    return {};
}

} // namespace

IonTextReader::IonTextReader(std::string_view text)
    : m_text(text)
{
    if (m_text.starts_with("\xEF\xBB\xBF"))
        m_position = 3;
}

bool IonTextReader::next(DataLine& out)
{
    while (!m_stopped) {
        IonParser parser(*this);
        if (!parser.skipSpace()) {
            m_stopped = true;
            out = DataLine {};
            out.lineNumber = parser.lineAt(parser.errorPosition());
            out.error = LineErrorKind::Unparseable;
            out.message = "line " + std::to_string(out.lineNumber) + ": " + parser.error();
            return true;
        }
        if (parser.atEnd()) {
            parser.commit();
            return false;
        }
        const std::size_t start = parser.position();
        IonValue value;
        if (!parser.parseValue(value, 0)) {
            m_stopped = true;
            out = DataLine {};
            out.lineNumber = parser.lineAt(start);
            out.error = LineErrorKind::Unparseable;
            out.message = "line " + std::to_string(parser.lineAt(parser.errorPosition())) + ": " + parser.error();
            return true;
        }
        parser.commit();
        // Version markers and local symbol tables are not records.
        if (value.type == IonType::Symbol && !value.quotedSymbol && value.annotations.empty()
            && value.text.starts_with("$ion_"))
            continue;
        bool symbolTable = false;
        for (const auto& annotation : value.annotations)
            symbolTable = symbolTable || annotation == "$ion_symbol_table";
        if (symbolTable && value.type == IonType::Struct)
            continue;
        out = DataLine {};
        out.lineNumber = parser.lineAt(start);
        std::string error = toRecord(value, out.record);
        if (!error.empty()) {
            out.error = LineErrorKind::InvalidItem;
            out.message = "line " + std::to_string(out.lineNumber) + ": " + error;
        }
        return true;
    }
    return false;
}

} // namespace capsim::exchange
