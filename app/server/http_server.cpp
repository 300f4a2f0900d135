#include "app/server/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace capsim::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// An idle keep-alive connection is closed after this long (SDKs reconnect transparently).
constexpr auto kIdleTimeout = std::chrono::seconds(300);
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;

// One connection: reads requests one after another and answers each before reading the next.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, RequestHandler& handler)
        : m_stream(std::move(socket))
        , m_handler(handler)
    {
    }

    void start()
    {
        asio::dispatch(m_stream.get_executor(), beast::bind_front_handler(&Session::readHeader, shared_from_this()));
    }

private:
    void readHeader()
    {
        m_parser.emplace();
        m_parser->header_limit(kMaxHeaderBytes);
        m_parser->body_limit(HttpServer::kMaxBodyBytes);
        m_stream.expires_after(kIdleTimeout);
        http::async_read_header(
            m_stream, m_buffer, *m_parser, beast::bind_front_handler(&Session::onHeader, shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t)
    {
        // The parser refuses a Content-Length over the limit while reading the headers.
        if (ec == http::error::body_limit)
            return refuseTooLarge();
        // A header block over the limit is answered (431) before the connection is closed.
        if (ec == http::error::header_limit)
            return refuseHeaderTooLarge();
        if (ec)
            return close();
        const auto& header = m_parser->get();
        // A declared length over the limit is refused before the body is sent or read.
        if (const auto length = m_parser->content_length(); length && *length > HttpServer::kMaxBodyBytes)
            return refuseTooLarge();
        if (beast::iequals(header[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(m_stream, asio::buffer(kContinue.data(), kContinue.size()),
                [self = shared_from_this()](beast::error_code writeError, std::size_t) {
                    if (writeError)
                        return self->close();
                    self->readBody();
                });
            return;
        }
        readBody();
    }

    void readBody()
    {
        http::async_read(
            m_stream, m_buffer, *m_parser, beast::bind_front_handler(&Session::onBody, shared_from_this()));
    }

    void onBody(beast::error_code ec, std::size_t)
    {
        if (ec == http::error::body_limit)
            return refuseTooLarge();
        if (ec)
            return close();
        auto message = m_parser->release();
        HttpRequest request = toRequest(message);
        request.body = std::move(message.body());
        const bool keepAlive = message.keep_alive();
        const bool head = message.method() == http::verb::head;
        // The handler answers its own errors; an exception escaping it would stop an I/O thread,
        // so it ends this connection only. Its answer may come from another thread (the engine's
        // executor): it is made and sent on this connection's strand.
        Respond respond = [self = shared_from_this(), keepAlive, head](std::function<HttpResponse()> make) {
            asio::dispatch(self->m_stream.get_executor(), [self, keepAlive, head, make = std::move(make)] {
                HttpResponse answer;
                try {
                    answer = make();
                } catch (const std::exception&) {
                    return self->close();
                }
                self->respond(std::move(answer), keepAlive, head);
            });
        };
        try {
            m_handler.handleAsync(std::move(request), std::move(respond));
        } catch (const std::exception&) {
            return close();
        }
    }

    void refuseTooLarge()
    {
        respond(m_handler.bodyTooLarge(toRequest(m_parser->get()), HttpServer::kMaxBodyBytes), false, false);
    }

    void refuseHeaderTooLarge()
    {
        HttpResponse answer;
        answer.status = 431;
        answer.headers.emplace_back("Content-Type", "text/plain");
        answer.body = "Request Header Fields Too Large: the request's header block is over "
            + std::to_string(kMaxHeaderBytes) + " bytes\n";
        respond(std::move(answer), false, false);
    }

    static HttpRequest toRequest(const http::request<http::string_body>& message)
    {
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        return request;
    }

    template <class Response>
    static void fill(Response& response, const HttpResponse& answer, bool keepAlive)
    {
        response.version(11);
        response.result(static_cast<unsigned>(answer.status));
        for (const auto& [name, value] : answer.headers)
            response.insert(name, value);
        response.keep_alive(keepAlive);
    }

    // Keeps the response alive until written, then reads the next request or closes.
    template <class Response>
    auto afterWrite(std::shared_ptr<Response> response, bool keepAlive)
    {
        return [self = shared_from_this(), response, keepAlive](beast::error_code ec, std::size_t) {
            if (ec)
                return self->close();
            if (!keepAlive)
                return self->lingeringClose();
            self->readHeader();
        };
    }

    void respond(HttpResponse answer, bool keepAlive, bool head)
    {
        m_stream.expires_after(kIdleTimeout);
        if (head) {
            // HEAD: the headers of the answer, its length, no body.
            auto response = std::make_shared<http::response<http::empty_body>>();
            fill(*response, answer, keepAlive);
            response->content_length(answer.body.size());
            http::async_write(m_stream, *response, afterWrite(response, keepAlive));
            return;
        }
        auto response = std::make_shared<http::response<http::string_body>>();
        fill(*response, answer, keepAlive);
        response->body() = std::move(answer.body);
        response->prepare_payload();
        http::async_write(m_stream, *response, afterWrite(response, keepAlive));
    }

    // Closes after an answer that ends the connection. The client may still be sending (a body
    // over the limit): reading and dropping what it sends until it closes keeps the kernel from
    // resetting the connection, which could discard the answer before the client reads it.
    void lingeringClose()
    {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.expires_after(std::chrono::seconds(10));
        m_drain.resize(64 * 1024);
        drain();
    }

    void drain()
    {
        m_stream.async_read_some(asio::buffer(m_drain), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return self->m_stream.close();
            self->drain();
        });
    }

    void close()
    {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.close();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::vector<char> m_drain;
    RequestHandler& m_handler;
};

} // namespace

struct HttpServer::Impl {
    Impl(RequestHandler& requestHandler, int threadCount)
        : handler(requestHandler)
        , threads(std::max(1, threadCount))
        , io(threads)
        , acceptor(asio::make_strand(io))
        , signals(io)
    {
    }

    void accept()
    {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open())
                return;
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<Session>(std::move(socket), handler)->start();
            }
            accept();
        });
    }

    RequestHandler& handler;
    int threads;
    asio::io_context io;
    tcp::acceptor acceptor;
    asio::signal_set signals;
};

HttpServer::HttpServer(RequestHandler& handler, int threads)
    : m_impl(std::make_unique<Impl>(handler, threads))
{
}

HttpServer::~HttpServer()
{
    // Answers still in the handler would be posted to this io_context after it is gone.
    m_impl->handler.drain();
}

Status HttpServer::listen(const std::string& host, std::uint16_t port)
{
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        return Status::validation("--host '" + host + "' is not an IP address (such as 127.0.0.1 or ::1)");
    const tcp::endpoint endpoint(address, port);
    auto& acceptor = m_impl->acceptor;
    const std::string where = host + ":" + std::to_string(port);
    if (acceptor.open(endpoint.protocol(), ec); ec)
        return Status::internal("cannot open a socket for " + where + ": " + ec.message());
    if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec)
        return Status::internal("cannot set SO_REUSEADDR for " + where + ": " + ec.message());
    if (acceptor.bind(endpoint, ec); ec)
        return Status::internal("cannot listen on " + where + ": " + ec.message());
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
        return Status::internal("cannot listen on " + where + ": " + ec.message());
    return Status::ok();
}

std::uint16_t HttpServer::port() const
{
    beast::error_code ec;
    return m_impl->acceptor.local_endpoint(ec).port();
}

void HttpServer::run()
{
    m_impl->accept();
    std::vector<std::thread> workers;
    for (int i = 1; i < m_impl->threads; ++i)
        workers.emplace_back([this] {
            pthread_setname_np(pthread_self(), "capsim-io"); // for top and perf
            m_impl->io.run();
        });
    m_impl->io.run();
    for (auto& worker : workers)
        worker.join();
}

void HttpServer::stop()
{
    asio::post(m_impl->acceptor.get_executor(), [this] {
        beast::error_code ignored;
        m_impl->acceptor.close(ignored);
        m_impl->signals.cancel(ignored);
        m_impl->io.stop();
    });
}

void HttpServer::stopOnSignals()
{
    m_impl->signals.add(SIGINT);
    m_impl->signals.add(SIGTERM);
    m_impl->signals.async_wait([this](beast::error_code ec, int) {
        if (!ec)
            stop();
    });
}

} // namespace capsim::server
