#include "app/server/auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace capsim::server::sigv4 {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr auto kMaxSkew = std::chrono::minutes(15);

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// A header value as SigV4 canonicalizes it: trimmed, runs of spaces collapsed to one.
std::string canonicalValue(std::string_view value)
{
    std::string out;
    bool space = false;
    for (char c : trim(value)) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool isUnreserved(unsigned char c)
{
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// SigV4's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ (and '/' when `keepSlash`) as %XY.
std::string uriEncode(std::string_view text, bool keepSlash)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Undoes the percent-encoding of a query name or value; a '%' not followed by two hex digits stays.
std::string uriDecode(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexDigit(text[i + 1]) >= 0 && hexDigit(text[i + 2]) >= 0) {
            out += static_cast<char>(hexDigit(text[i + 1]) * 16 + hexDigit(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The path with "." and ".." segments and empty segments removed (RFC 3986 5.2.4, and AWS
// services drop repeated slashes), as botocore normalizes it before encoding it again.
std::string normalizedPath(std::string_view path)
{
    if (path.empty())
        return "/";
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        const std::string_view segment
            = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    std::string out = path.front() == '/' ? "/" : "";
    for (std::size_t i = 0; i < segments.size(); ++i)
        out += (i ? "/" : "") + std::string(segments[i]);
    if (path.back() == '/' && !segments.empty())
        out += '/';
    return out;
}

std::string canonicalQuery(std::string_view query)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    while (start <= query.size()) {
        const std::size_t amp = query.find('&', start);
        const std::string_view piece
            = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        if (!piece.empty()) {
            const std::size_t eq = piece.find('=');
            const std::string_view name = piece.substr(0, eq);
            const std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
            pairs.emplace_back(uriEncode(uriDecode(name), false), uriEncode(uriDecode(value), false));
        }
        if (amp == std::string_view::npos)
            break;
        start = amp + 1;
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [name, value] : pairs)
        out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

bool allDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view digits)
{
    int n = 0;
    for (char c : digits)
        n = n * 10 + (c - '0');
    return n;
}

std::optional<std::chrono::system_clock::time_point> timePoint(
    int year, int month, int day, int hour, int minute, int second)
{
    using namespace std::chrono;
    const year_month_day date { std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
        std::chrono::day(static_cast<unsigned>(day)) };
    // The years system_clock (nanoseconds in 64 bits) can hold, with room: a request dated 1013
    // (found by fuzz_http_sigv4) overflowed the conversion.
    if (!date.ok() || year < 1970 || year > 2200 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 60)
        return std::nullopt;
    return sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
}

// "20150830T123600Z"
std::optional<std::chrono::system_clock::time_point> parseIsoBasic(std::string_view text)
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !allDigits(text.substr(0, 8))
        || !allDigits(text.substr(9, 6)))
        return std::nullopt;
    return timePoint(number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)),
        number(text.substr(9, 2)), number(text.substr(11, 2)), number(text.substr(13, 2)));
}

// RFC 1123: "Sun, 30 Aug 2015 12:36:00 GMT"
std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text)
{
    static constexpr std::array<std::string_view, 12> kMonths { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec" };
    text = trim(text);
    if (text.size() != 29 || text[3] != ',' || text.substr(25) != " GMT" || text[4] != ' ' || text[7] != ' '
        || text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':')
        return std::nullopt;
    const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
    if (month == kMonths.end() || !allDigits(text.substr(5, 2)) || !allDigits(text.substr(12, 4))
        || !allDigits(text.substr(17, 2)) || !allDigits(text.substr(20, 2)) || !allDigits(text.substr(23, 2)))
        return std::nullopt;
    return timePoint(number(text.substr(12, 4)), static_cast<int>(month - kMonths.begin()) + 1,
        number(text.substr(5, 2)), number(text.substr(17, 2)), number(text.substr(20, 2)), number(text.substr(23, 2)));
}

AuthError incomplete(std::string message)
{
    return { kIncompleteSignature, std::move(message) };
}

AuthError invalid(std::string message)
{
    return { kInvalidSignature, std::move(message) };
}

} // namespace

std::string hex(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    return out;
}

std::string sha256Hex(std::string_view data)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest {};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    return hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string hmacSha256(std::string_view key, std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out {};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
        data.size(), out.data(), &length);
    return std::string(reinterpret_cast<const char*>(out.data()), length);
}

std::string isoBasic(std::chrono::system_clock::time_point t)
{
    using namespace std::chrono;
    const auto secondsSinceEpoch = floor<seconds>(t);
    const auto days = floor<std::chrono::days>(secondsSinceEpoch);
    const year_month_day date(days);
    const hh_mm_ss<seconds> time(secondsSinceEpoch - days);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
        static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
    return buffer;
}

std::optional<std::string> header(const HttpRequest& request, std::string_view name)
{
    for (const auto& [n, value] : request.headers)
        if (equalsIgnoreCase(n, name))
            return value;
    return std::nullopt;
}

std::variant<SignedRequest, AuthError> parseAuthorization(const HttpRequest& request)
{
    const auto authorization = header(request, "Authorization");
    if (!authorization)
        return AuthError { kMissingAuthenticationToken, "Request is missing Authentication Token" };
    SignedRequest out;
    out.authorization = *authorization;
    const std::string_view text = trim(*authorization);
    const std::size_t space = text.find(' ');
    const std::string_view algorithm = text.substr(0, space);
    if (algorithm != kAlgorithm)
        return incomplete(
            "Unsupported AWS 'algorithm': '" + std::string(algorithm) + "'. Authorization=" + *authorization);
    std::optional<std::string> credential, signedHeaders, signature;
    std::string_view rest = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    while (!trim(rest).empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view piece = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (piece.empty())
            continue;
        const std::size_t eq = piece.find('=');
        if (eq == std::string_view::npos)
            return incomplete("'" + std::string(piece)
                + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + *authorization
                + "'.");
        const std::string_view key = trim(piece.substr(0, eq));
        const std::string value(trim(piece.substr(eq + 1)));
        if (key == "Credential")
            credential = value;
        else if (key == "SignedHeaders")
            signedHeaders = value;
        else if (key == "Signature")
            signature = value;
    }
    const auto amzDate = header(request, "X-Amz-Date");
    const auto date = amzDate ? std::nullopt : header(request, "Date");
    // Part C 15: every missing part is named, then the header as sent.
    std::string missing;
    if (!credential)
        missing += "Authorization header requires 'Credential' parameter. ";
    if (!signature)
        missing += "Authorization header requires 'Signature' parameter. ";
    if (!signedHeaders)
        missing += "Authorization header requires 'SignedHeaders' parameter. ";
    if (!amzDate && !date)
        missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (!missing.empty())
        return incomplete(missing + "Authorization=" + *authorization);

    std::vector<std::string> scope;
    for (std::size_t start = 0;;) {
        const std::size_t slash = credential->find('/', start);
        scope.push_back(credential->substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    if (scope.size() != 5)
        return incomplete(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
            " got '"
            + *credential + "'");
    out.accessKeyId = scope[0];
    out.scopeDate = scope[1];
    out.scopeRegion = scope[2];
    out.scopeService = scope[3];
    out.scopeTerminator = scope[4];
    for (std::size_t start = 0;;) {
        const std::size_t semicolon = signedHeaders->find(';', start);
        std::string name
            = lower(trim(std::string_view(*signedHeaders)
                             .substr(start, semicolon == std::string::npos ? std::string::npos : semicolon - start)));
        if (!name.empty())
            out.signedHeaders.push_back(std::move(name));
        if (semicolon == std::string::npos)
            break;
        start = semicolon + 1;
    }
    out.signature = *signature;
    if (amzDate) {
        const auto t = parseIsoBasic(trim(*amzDate));
        if (!t)
            return incomplete("Date must be in ISO-8601 'basic format'. Got '" + *amzDate
                + "'. See http://docs.aws.amazon.com/general/latest/gr/sigv4-date-handling.html");
        out.requestTime = std::string(trim(*amzDate));
        out.requestTimePoint = *t;
    } else {
        const auto t = parseHttpDate(*date);
        if (!t)
            return incomplete(
                "Date must be in RFC 1123 format (\"Sun, 30 Aug 2015 12:36:00 GMT\"). Got '" + *date + "'.");
        out.requestTime = isoBasic(*t);
        out.requestTimePoint = *t;
    }
    return out;
}

void signRequest(HttpRequest& request, const std::string& accessKeyId, const std::string& secretAccessKey,
    const std::string& region, std::chrono::system_clock::time_point now, const std::string& service)
{
    const auto isDateOrAuthorization = [](const std::pair<std::string, std::string>& h) {
        return lower(h.first) == "x-amz-date" || lower(h.first) == "authorization";
    };
    request.headers.erase(
        std::remove_if(request.headers.begin(), request.headers.end(), isDateOrAuthorization), request.headers.end());
    const std::string requestTime = isoBasic(now);
    request.headers.emplace_back("X-Amz-Date", requestTime);
    std::vector<std::string> signedHeaders;
    for (const auto& [name, value] : request.headers)
        signedHeaders.push_back(lower(name));
    std::sort(signedHeaders.begin(), signedHeaders.end());
    signedHeaders.erase(std::unique(signedHeaders.begin(), signedHeaders.end()), signedHeaders.end());
    const std::string date = requestTime.substr(0, 8);
    const std::string scope = date + "/" + region + "/" + service + "/aws4_request";
    const std::string toSign = stringToSign(requestTime, scope, canonicalRequest(request, signedHeaders));
    std::string signedList;
    for (const auto& name : signedHeaders)
        signedList += (signedList.empty() ? "" : ";") + name;
    request.headers.emplace_back("Authorization",
        "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedList
            + ", Signature=" + signature(signingKey(secretAccessKey, date, region, service), toSign));
}

std::string canonicalRequest(const HttpRequest& request, const std::vector<std::string>& signedHeaders)
{
    const std::size_t question = request.target.find('?');
    const std::string_view target(request.target);
    const std::string_view path = target.substr(0, question);
    const std::string_view query = question == std::string::npos ? std::string_view() : target.substr(question + 1);
    std::string out
        = request.method + "\n" + uriEncode(normalizedPath(path), true) + "\n" + canonicalQuery(query) + "\n";
    std::string signedList;
    for (const auto& name : signedHeaders) {
        std::string value;
        bool first = true;
        for (const auto& [n, v] : request.headers) {
            if (!equalsIgnoreCase(n, name))
                continue;
            value += (first ? "" : ",") + canonicalValue(v);
            first = false;
        }
        out += name + ":" + value + "\n";
        signedList += (signedList.empty() ? "" : ";") + name;
    }
    return out + "\n" + signedList + "\n" + sha256Hex(request.body);
}

std::string stringToSign(const std::string& requestTime, const std::string& scope, const std::string& canonical)
{
    return std::string(kAlgorithm) + "\n" + requestTime + "\n" + scope + "\n" + sha256Hex(canonical);
}

std::string signingKey(
    const std::string& secret, const std::string& date, const std::string& region, const std::string& service)
{
    // The key changes once a day per secret, region and service; deriving it is four of the
    // five HMACs of a signature, so each thread keeps the last one it derived (as the SDKs do).
    struct Derived {
        std::string secret, date, region, service, key;
    };
    thread_local Derived last;
    if (!last.key.empty() && last.date == date && last.region == region && last.service == service
        && last.secret.size() == secret.size() && CRYPTO_memcmp(last.secret.data(), secret.data(), secret.size()) == 0)
        return last.key;
    const std::string dateKey = hmacSha256("AWS4" + secret, date);
    const std::string regionKey = hmacSha256(dateKey, region);
    const std::string serviceKey = hmacSha256(regionKey, service);
    last = Derived { secret, date, region, service, hmacSha256(serviceKey, "aws4_request") };
    return last.key;
}

std::string signature(const std::string& key, const std::string& toSign)
{
    return hex(hmacSha256(key, toSign));
}

std::optional<AuthError> verify(const HttpRequest& request, const SignedRequest& s, const std::string& secretAccessKey,
    std::chrono::system_clock::time_point wallNow, std::string_view service)
{
    // Part C 15's wordings, in reference A12's order: scope, host, clock, signature.
    if (s.scopeService != service)
        return invalid("Credential should be scoped to correct service: '" + std::string(service) + "'. ");
    if (s.scopeTerminator != "aws4_request")
        return invalid(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '" + s.scopeTerminator + "'. ");
    if (s.scopeRegion.empty())
        return invalid("Credential should be scoped to a valid region");
    if (s.scopeDate != s.requestTime.substr(0, 8))
        return invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
            + s.scopeDate + "' != '" + s.requestTime.substr(0, 8) + "', from '" + s.requestTime + "'.");
    if (std::find(s.signedHeaders.begin(), s.signedHeaders.end(), "host") == s.signedHeaders.end())
        return invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    const auto now = std::chrono::floor<std::chrono::seconds>(wallNow);
    if (s.requestTimePoint < now - kMaxSkew)
        return invalid("Signature expired: " + s.requestTime + " is now earlier than " + isoBasic(now - kMaxSkew) + " ("
            + isoBasic(now) + " - 15 min.)");
    if (s.requestTimePoint > now + kMaxSkew)
        return invalid("Signature not yet current: " + s.requestTime + " is still later than "
            + isoBasic(now + kMaxSkew) + " (" + isoBasic(now) + " + 15 min.)");
    const std::string expected = signature(signingKey(secretAccessKey, s.scopeDate, s.scopeRegion, s.scopeService),
        stringToSign(s.requestTime, s.scope(), canonicalRequest(request, s.signedHeaders)));
    // The length of a signature is no secret; its bytes are compared in constant time.
    if (s.signature.size() != expected.size()
        || CRYPTO_memcmp(s.signature.data(), expected.data(), expected.size()) != 0)
        return invalid("The request signature we calculated does not match the signature you provided. Check your AWS"
                       " Secret Access Key and signing method. Consult the service documentation for details.");
    return std::nullopt;
}

} // namespace capsim::server::sigv4
