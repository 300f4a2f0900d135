#pragma once
// AWS Signature Version 4 as DynamoDB checks it (reference A12, Part C 15): the parse of the
// Authorization header (checks 1 and 2), the canonical request, the signing key and the
// signature, and the scope, clock and signature checks (4 and 5). Looking the access key up
// (check 3) is AccessControl's. Pure functions, thread-agnostic.

#include "app/server/auth/http_request.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace capsim::server {

// An authentication failure: HTTP 400 with the type's com.amazon.coral.service# body.
struct AuthError {
    std::string type; // "InvalidSignatureException"
    std::string message;
    bool operator==(const AuthError&) const = default;
};

namespace sigv4 {

inline constexpr const char* kMissingAuthenticationToken = "MissingAuthenticationTokenException";
inline constexpr const char* kIncompleteSignature = "IncompleteSignatureException";
inline constexpr const char* kUnrecognizedClient = "UnrecognizedClientException";
inline constexpr const char* kInvalidSignature = "InvalidSignatureException";

// What a well-formed Authorization header and the request's date say.
struct SignedRequest {
    std::string authorization; // the header as sent
    std::string accessKeyId;
    std::string scopeDate; // YYYYMMDD
    std::string scopeRegion;
    std::string scopeService;
    std::string scopeTerminator; // "aws4_request"
    std::vector<std::string> signedHeaders; // lower-case, in SignedHeaders order
    std::string signature; // hex as sent
    std::string requestTime; // ISO 8601 basic, "20150830T123600Z" (X-Amz-Date, else Date converted)
    std::chrono::system_clock::time_point requestTimePoint;

    std::string scope() const { return scopeDate + "/" + scopeRegion + "/" + scopeService + "/" + scopeTerminator; }
};

// The value of the first header named `name` (case-insensitive), if any.
std::optional<std::string> header(const HttpRequest& request, std::string_view name);

// Checks 1 and 2: MissingAuthenticationTokenException without an Authorization header,
// IncompleteSignatureException when it is not "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." or the request has neither X-Amz-Date nor Date.
std::variant<SignedRequest, AuthError> parseAuthorization(const HttpRequest& request);

// Checks 4 and 5 with the access key's secret: InvalidSignatureException when the scope's
// service is not `service` ("dynamodb"), its terminator not aws4_request, its region empty,
// its date not the request's day, `host` is not signed, `wallNow` is more than 15 minutes
// from the request's time, or the signature differs (compared in constant time).
std::optional<AuthError> verify(const HttpRequest& request, const SignedRequest& signedRequest,
    const std::string& secretAccessKey, std::chrono::system_clock::time_point wallNow,
    std::string_view service = "dynamodb");

// The canonical request of SigV4: method, canonical URI, canonical query, the signed headers'
// canonical lines in `signedHeaders` order, the SignedHeaders list and the hex SHA-256 of the body.
std::string canonicalRequest(const HttpRequest& request, const std::vector<std::string>& signedHeaders);
// "AWS4-HMAC-SHA256\n<requestTime>\n<scope>\n<hex SHA-256 of the canonical request>"
std::string stringToSign(const std::string& requestTime, const std::string& scope, const std::string& canonical);
// HMAC-SHA256 chain from "AWS4" + secret over date, region, service and "aws4_request" (raw bytes).
std::string signingKey(
    const std::string& secret, const std::string& date, const std::string& region, const std::string& service);
// Hex HMAC-SHA256 of the string to sign under the signing key.
std::string signature(const std::string& signingKey, const std::string& stringToSign);

std::string hex(std::string_view bytes);
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);

// "20150830T123600Z" for a time point (seconds, UTC).
std::string isoBasic(std::chrono::system_clock::time_point t);

// Signs `request` as an SDK does (the client side, for capsim's own load generators and tests):
// sets X-Amz-Date to `now` and an Authorization header over every header present (names
// lower-cased and sorted; a Host header must be there) for `region`'s `service`.
void signRequest(HttpRequest& request, const std::string& accessKeyId, const std::string& secretAccessKey,
    const std::string& region, std::chrono::system_clock::time_point now, const std::string& service = "dynamodb");

} // namespace sigv4
} // namespace capsim::server
