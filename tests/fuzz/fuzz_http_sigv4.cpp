// Fuzz target: the HTTP request parser as `capsim serve` configures it (Boost.Beast, header and body
// limits) and the SigV4 verifier (app/server/auth/sigv4). Any bytes as a request: parsed; a complete
// request is turned into the HttpRequest the endpoint sees, its Authorization parsed and, when it
// parses, verified against a fixed secret at the request's own time (so the signature comparison
// itself runs). A refusal is fine; a crash is not.

#include "app/server/auth/sigv4.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <string>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace http = boost::beast::http;
    http::request_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(16 * 1024 * 1024);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_done())
        return 0;
    const auto& message = parser.get();
    capsim::server::HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message)
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.body = message.body();
    const auto parsed = capsim::server::sigv4::parseAuthorization(request);
    if (const auto* signedRequest = std::get_if<capsim::server::sigv4::SignedRequest>(&parsed))
        static_cast<void>(capsim::server::sigv4::verify(request, *signedRequest, "capsim-local-secret", signedRequest->requestTimePoint));
    return 0;
}
