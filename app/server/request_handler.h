#pragma once
// RequestHandler: what the HTTP transport (HttpServer) hands each complete request to. Called
// from the server's I/O threads, possibly concurrently: implementations synchronise themselves.

#include "app/server/auth/http_request.h"
#include "app/server/http_response.h"

#include <functional>
#include <memory>

namespace capsim::server {

// How an asynchronous answer is delivered: called once, from any thread, with a function that
// makes the response; the transport runs that function on the connection's own I/O thread (so
// rendering happens there) and sends what it returns.
using Respond = std::function<void(std::function<HttpResponse()> makeResponse)>;

class RequestHandler {
public:
    virtual ~RequestHandler() = default;
    // The response to one complete request (body read, chunks joined).
    virtual HttpResponse handle(const HttpRequest& request) = 0;
    // The same, answered through `respond` when ready, possibly from another thread (what the
    // HTTP server calls). By default handle() on the calling thread.
    virtual void handleAsync(HttpRequest request, Respond respond)
    {
        auto response = std::make_shared<HttpResponse>(handle(request));
        respond([response] { return std::move(*response); });
    }
    // Returns once every answer handleAsync() has accepted has been handed to its Respond. The
    // transport calls it before it goes away, so that no answer arrives after it.
    virtual void drain() { }
    // The 413 answer to a request whose body exceeds `limitBytes`; `request` has its method,
    // target and headers but no body (it was not read).
    virtual HttpResponse bodyTooLarge(const HttpRequest& request, std::size_t limitBytes) = 0;
};

} // namespace capsim::server
