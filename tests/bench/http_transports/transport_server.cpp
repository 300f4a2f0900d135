// One HTTP transport serving a fixed DynamoDB-shaped answer, for choosing capsim serve's transport
// by measurement (issue 11): `transport_server beast THREADS` (Boost.Beast, capsim's HttpServer) or
// `transport_server qt` (Qt HttpServer 6.4, which runs its connections on one thread). Both read the
// request body, answer 200 with the same 1 KB JSON body and x-amz-crc32 / x-amzn-RequestId headers,
// and print "listening PORT" once they accept connections on a free port of 127.0.0.1. Driven by
// tests/bench/http_transports/run.sh with wrk; not part of capsim.

#include "app/server/http_server.h"
#include "app/server/request_handler.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

// The same answer for both transports: the body, its CRC32 and a request id.
const std::string& answerBody()
{
    static const std::string body = R"({"Item":{"pk":{"S":"k"},"p":{"S":")" + std::string(990, 'x') + R"("}}})";
    return body;
}

std::string crcOf(const std::string& body)
{
    return std::to_string(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
}

class FixedHandler final : public capsim::server::RequestHandler {
public:
    capsim::server::HttpResponse handle(const capsim::server::HttpRequest& request) override
    {
        capsim::server::HttpResponse response;
        response.status = request.body.empty() ? 400 : 200;
        response.headers = { { "x-amzn-RequestId", "BENCH" }, { "x-amz-crc32", crcOf(answerBody()) },
            { "Content-Type", "application/x-amz-json-1.0" } };
        response.body = answerBody();
        return response;
    }
    capsim::server::HttpResponse bodyTooLarge(const capsim::server::HttpRequest&, std::size_t) override
    {
        return { 413, {}, {} };
    }
};

int runBeast(int threads)
{
    FixedHandler handler;
    capsim::server::HttpServer server(handler, threads);
    if (auto listening = server.listen("127.0.0.1", 0); !listening) {
        std::fprintf(stderr, "%s\n", listening.message().c_str());
        return 1;
    }
    std::printf("listening %u\n", server.port());
    std::fflush(stdout);
    server.stopOnSignals();
    server.run();
    return 0;
}

int runQt(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    server.route("/", QHttpServerRequest::Method::Post, [](const QHttpServerRequest& request) {
        const std::string& body = answerBody();
        QHttpServerResponse response("application/x-amz-json-1.0", QByteArray(body.data(), static_cast<qsizetype>(body.size())),
            request.body().isEmpty() ? QHttpServerResponder::StatusCode::BadRequest : QHttpServerResponder::StatusCode::Ok);
        response.addHeader("x-amzn-RequestId", "BENCH");
        response.addHeader("x-amz-crc32", QByteArray::fromStdString(crcOf(body)));
        return response;
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0) {
        std::fprintf(stderr, "Qt HttpServer could not listen\n");
        return 1;
    }
    std::printf("listening %u\n", port);
    std::fflush(stdout);
    return app.exec();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "qt") == 0)
        return runQt(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "beast") == 0)
        return runBeast(argc >= 3 ? std::atoi(argv[2]) : 2);
    std::fprintf(stderr, "usage: transport_server beast [THREADS] | qt\n");
    return 2;
}
