#pragma once
// HttpServer: the HTTP/1.1 transport of `capsim serve` (Boost.Beast on Asio). Accepts
// connections on one address, reads requests (keep-alive, chunked bodies, Expect:
// 100-continue, bodies up to kMaxBodyBytes, else 413 and close; header blocks up to 64 KB, else
// 431 and close), hands each to a RequestHandler (handleAsync: the answer may come from another
// thread; it is sent on the connection's strand) and writes its answer with Content-Length,
// honouring Connection: close. On destruction it drains the handler first.
// Owns its io_context and threads; the handler is borrowed and must outlive the server.
// listen() then run() from one thread; stop() from any thread or a signal handler's task.

#include "app/server/request_handler.h"
#include "engine/status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace capsim::server {

class HttpServer {
public:
    // DynamoDB's request size limit.
    static constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;

    // `threads` I/O threads (at least 1) run the connections; the handler may be called from
    // any of them.
    HttpServer(RequestHandler& handler, int threads);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens on host:port (port 0: a free port the system picks). ValidationException
    // for a host that is not an IP address; an error naming the address when it cannot be bound.
    Status listen(const std::string& host, std::uint16_t port);
    // The bound port (after listen()).
    std::uint16_t port() const;

    // Serves until stop(); returns once every I/O thread has finished.
    void run();
    // Stops accepting and ends run(): requests being executed finish, their answers may not be sent.
    void stop();
    // Stops on SIGINT or SIGTERM (installed for the next run()).
    void stopOnSignals();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim::server
