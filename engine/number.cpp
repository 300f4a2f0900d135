#include "engine/number.h"

#include <algorithm>

namespace capsim {

namespace {

constexpr int kMinExponent = -129; // 1E-130 = 0.1 x 10^-129
constexpr int kMaxExponent = 126; // 9.99..E+125 = 0.999.. x 10^126

// DynamoDB's wording, which clients match on "numeric" (as the emulator dynalite copies it).
Status notNumeric(std::string_view text)
{
    return Status::validation(
        "The parameter cannot be converted to a numeric value" + (text.empty() ? std::string() : ": " + std::string(text)));
}

int floorDiv2(int p)
{
    return p >= 0 ? p / 2 : -((-p + 1) / 2);
}

} // namespace

Number Number::fromInt(std::int64_t value)
{
    auto parsed = parse(std::to_string(value));
    return parsed.value();
}

Result<Number> Number::normalize(bool negative, std::string digits, int exponent)
{
    auto first = digits.find_first_not_of('0');
    if (first == std::string::npos)
        return Number {};
    exponent -= static_cast<int>(first);
    digits.erase(0, first);
    digits.erase(digits.find_last_not_of('0') + 1);
    if (static_cast<int>(digits.size()) > kMaxDigits)
        return Status::validation("Attempting to store more than 38 significant digits in a Number");
    if (exponent > kMaxExponent)
        return Status::validation(
            "Number overflow. Attempting to store a number with magnitude larger than supported range");
    if (exponent < kMinExponent)
        return Status::validation(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    Number n;
    n.m_negative = negative;
    n.m_digits = std::move(digits);
    n.m_exponent = exponent;
    return n;
}

Result<Number> Number::parse(std::string_view text)
{
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    std::string digits;
    int pointPosition = -1;
    bool anyDigit = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
            anyDigit = true;
        } else if (c == '.' && pointPosition < 0) {
            pointPosition = static_cast<int>(digits.size());
        } else {
            break;
        }
    }
    if (!anyDigit)
        return notNumeric(text);
    long long exponentPart = 0;
    if (i < text.size()) {
        if (text[i] != 'e' && text[i] != 'E')
            return notNumeric(text);
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            expNegative = text[i] == '-';
            ++i;
        }
        if (i >= text.size())
            return notNumeric(text);
        for (; i < text.size(); ++i) {
            char c = text[i];
            if (c < '0' || c > '9')
                return notNumeric(text);
            if (exponentPart < 100000)
                exponentPart = exponentPart * 10 + (c - '0');
        }
        if (expNegative)
            exponentPart = -exponentPart;
    }
    if (pointPosition < 0)
        pointPosition = static_cast<int>(digits.size());
    long long exponent = pointPosition + exponentPart;
    if (digits.find_first_not_of('0') == std::string::npos)
        return Number {};
    // Clamp so that normalize() reports overflow/underflow rather than overflowing int.
    exponent = std::clamp(exponent, -1000000LL, 1000000LL);
    return normalize(negative, std::move(digits), static_cast<int>(exponent));
}

std::string Number::toString() const
{
    if (isZero())
        return "0";
    std::string out;
    if (m_negative)
        out.push_back('-');
    const int n = static_cast<int>(m_digits.size());
    // Plain notation while it stays reasonably short, scientific beyond.
    const int plainLength = m_exponent <= 0 ? 2 - m_exponent + n : std::max(n, m_exponent) + 1;
    if (plainLength <= 50) {
        if (m_exponent <= 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-m_exponent), '0');
            out += m_digits;
        } else if (m_exponent >= n) {
            out += m_digits;
            out.append(static_cast<std::size_t>(m_exponent - n), '0');
        } else {
            out += m_digits.substr(0, static_cast<std::size_t>(m_exponent));
            out.push_back('.');
            out += m_digits.substr(static_cast<std::size_t>(m_exponent));
        }
        return out;
    }
    out.push_back(m_digits[0]);
    if (n > 1) {
        out.push_back('.');
        out += m_digits.substr(1);
    }
    const int sciExponent = m_exponent - 1;
    out += sciExponent < 0 ? "E-" : "E+";
    out += std::to_string(sciExponent < 0 ? -sciExponent : sciExponent);
    return out;
}

std::int64_t Number::sizeBytes() const
{
    if (isZero())
        return 1;
    // Digit i (0-based) has decimal power m_exponent - 1 - i; pairs are aligned at the point.
    const int highPower = m_exponent - 1;
    const int lowPower = m_exponent - static_cast<int>(m_digits.size());
    const int pairs = floorDiv2(highPower) - floorDiv2(lowPower) + 1;
    return 1 + pairs + (m_negative ? 1 : 0);
}

std::string Number::orderedEncoding() const
{
    // Layout: class byte (0x01 negative, 0x02 zero, 0x03 positive), then for non-zero a biased
    // exponent byte and the digit bytes; negatives invert both and end with 0xFF so that a
    // longer digit string (a larger magnitude) sorts first.
    std::string out;
    if (isZero()) {
        out.push_back('\x02');
        return out;
    }
    const auto biasedExponent = static_cast<unsigned char>(m_exponent - kMinExponent); // 0..255
    if (!m_negative) {
        out.push_back('\x03');
        out.push_back(static_cast<char>(biasedExponent));
        for (char d : m_digits)
            out.push_back(static_cast<char>(d - '0' + 1));
    } else {
        out.push_back('\x01');
        out.push_back(static_cast<char>(255 - biasedExponent));
        for (char d : m_digits)
            out.push_back(static_cast<char>(254 - (d - '0')));
        out.push_back('\xFF');
    }
    return out;
}

Result<Number> Number::fromOrderedEncoding(std::string_view bytes)
{
    if (bytes.empty())
        return Status::internal("empty number encoding");
    const auto cls = static_cast<unsigned char>(bytes[0]);
    if (cls == 0x02)
        return Number {};
    if (bytes.size() < 3 || (cls != 0x01 && cls != 0x03))
        return Status::internal("corrupt number encoding");
    Number n;
    n.m_negative = cls == 0x01;
    auto exponentByte = static_cast<unsigned char>(bytes[1]);
    if (n.m_negative)
        exponentByte = static_cast<unsigned char>(255 - exponentByte);
    n.m_exponent = exponentByte + kMinExponent;
    const std::size_t end = n.m_negative ? bytes.size() - 1 : bytes.size();
    for (std::size_t i = 2; i < end; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        n.m_digits.push_back(static_cast<char>('0' + (n.m_negative ? 254 - b : b - 1)));
    }
    return n;
}

namespace {

// Magnitude as digits aligned to a common lowest power: returns digit string for power range
// [lowPower, highPower] of the magnitude.
std::string alignedDigits(const std::string& digits, int exponent, int highPower, int lowPower)
{
    std::string out(static_cast<std::size_t>(highPower - lowPower + 1), '0');
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const int power = exponent - 1 - static_cast<int>(i);
        out[static_cast<std::size_t>(highPower - power)] = digits[i];
    }
    return out;
}

} // namespace

Result<Number> Number::add(const Number& a, const Number& b)
{
    if (a.isZero())
        return b;
    if (b.isZero())
        return a;
    const int highPower = std::max(a.m_exponent, b.m_exponent); // one spare digit for carry
    const int lowPower = std::min(a.m_exponent - static_cast<int>(a.m_digits.size()),
        b.m_exponent - static_cast<int>(b.m_digits.size()));
    std::string x = alignedDigits(a.m_digits, a.m_exponent, highPower, lowPower);
    std::string y = alignedDigits(b.m_digits, b.m_exponent, highPower, lowPower);
    bool negative = a.m_negative;
    std::string result(x.size(), '0');
    if (a.m_negative == b.m_negative) {
        int carry = 0;
        for (std::size_t i = x.size(); i-- > 0;) {
            int s = (x[i] - '0') + (y[i] - '0') + carry;
            result[i] = static_cast<char>('0' + s % 10);
            carry = s / 10;
        }
    } else {
        if (x < y) {
            std::swap(x, y);
            negative = b.m_negative;
        }
        int borrow = 0;
        for (std::size_t i = x.size(); i-- > 0;) {
            int s = (x[i] - '0') - (y[i] - '0') - borrow;
            borrow = s < 0 ? 1 : 0;
            result[i] = static_cast<char>('0' + (s + 10) % 10);
        }
    }
    // result covers powers [lowPower, highPower]; the leading digit position has power highPower,
    // which is exponent highPower + 1 in the 0.d x 10^e convention.
    return normalize(negative, std::move(result), highPower + 1);
}

Result<Number> Number::subtract(const Number& a, const Number& b)
{
    Number negated = b;
    if (!negated.isZero())
        negated.m_negative = !negated.m_negative;
    return add(a, negated);
}

bool Number::toInt64(std::int64_t& out) const
{
    if (isZero()) {
        out = 0;
        return true;
    }
    if (m_exponent < static_cast<int>(m_digits.size()) || m_exponent > 18)
        return false;
    std::int64_t value = 0;
    for (int i = 0; i < m_exponent; ++i) {
        const int d = i < static_cast<int>(m_digits.size()) ? m_digits[static_cast<std::size_t>(i)] - '0' : 0;
        value = value * 10 + d;
    }
    out = m_negative ? -value : value;
    return true;
}

std::strong_ordering Number::operator<=>(const Number& other) const
{
    auto sign = [](const Number& n) { return n.isZero() ? 0 : (n.m_negative ? -1 : 1); };
    const int sa = sign(*this);
    const int sb = sign(other);
    if (sa != sb)
        return sa <=> sb;
    if (sa == 0)
        return std::strong_ordering::equal;
    std::strong_ordering magnitude = m_exponent <=> other.m_exponent;
    if (magnitude == 0) {
        const int c = m_digits.compare(other.m_digits);
        magnitude = c <=> 0;
    }
    return sa > 0 ? magnitude : 0 <=> magnitude;
}

} // namespace capsim
