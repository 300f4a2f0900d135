#pragma once
// RequestHandler: what the HTTP transport (HttpServer) hands each complete request to. Called
// from the server's I/O threads, possibly concurrently: implementations synchronise themselves.

#include "app/server/auth/http_request.h"
#include "app/server/http_response.h"

namespace capsim::server {

class RequestHandler {
public:
    virtual ~RequestHandler() = default;
    // The response to one complete request (body read, chunks joined).
    virtual HttpResponse handle(const HttpRequest& request) = 0;
    // The 413 answer to a request whose body exceeds `limitBytes`; `request` has its method,
    // target and headers but no body (it was not read).
    virtual HttpResponse bodyTooLarge(const HttpRequest& request, std::size_t limitBytes) = 0;
};

} // namespace capsim::server
