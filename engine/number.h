#pragma once
// Number: an exact DynamoDB decimal (up to 38 significant digits, magnitude 1E-130 to
// 9.99...E+125). No binary floating point is used anywhere. Value type, thread-agnostic.

#include "engine/status.h"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

class Number {
public:
    static constexpr int kMaxDigits = 38;

    Number() = default; // zero
    static Number fromInt(std::int64_t value);

    // Parses DynamoDB's textual number ("12", "-1.5", "1E+10", ".5"). Errors are
    // ValidationExceptions with DynamoDB's wording: not numeric, more than 38 significant
    // digits, overflow, underflow.
    static Result<Number> parse(std::string_view text);

    bool isZero() const { return m_digits.empty(); }
    bool isNegative() const { return m_negative; }

    // Canonical text: no trailing zeros, no exponent for ordinary magnitudes ("1.0" -> "1").
    std::string toString() const;

    // DynamoDB's storage size of the value: 1 + base-100 digit pairs, +1 if negative (reference A1).
    std::int64_t sizeBytes() const;

    // Byte string whose memcmp order equals numeric order (used for sort keys).
    std::string orderedEncoding() const;
    // Inverse of orderedEncoding().
    static Result<Number> fromOrderedEncoding(std::string_view bytes);

    // Exact sum / difference. Fails (ValidationException) if the result does not fit DynamoDB's range.
    static Result<Number> add(const Number& a, const Number& b);
    static Result<Number> subtract(const Number& a, const Number& b);

    // Integer value if the number is an integer within int64, else fails.
    bool toInt64(std::int64_t& out) const;

    std::strong_ordering operator<=>(const Number& other) const;
    bool operator==(const Number& other) const { return (*this <=> other) == 0; }

private:
    static Result<Number> normalize(bool negative, std::string digits, int exponent);

    bool m_negative = false;
    std::string m_digits; // significant digits, no leading or trailing zeros; empty means zero
    int m_exponent = 0; // value = 0.<m_digits> x 10^m_exponent
};

} // namespace capsim
