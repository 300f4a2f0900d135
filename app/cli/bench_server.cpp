// capsim bench server: PutItem and GetItem of 1 KB items through `capsim serve`'s HTTP endpoint
// over keep-alive connections, beside the same requests dispatched directly (no HTTP) in the
// same run (STYLE.md: a benchmark prints its baseline).

#include "app/cli/commands.h"

#include "app/cli/engine_database.h"
#include "app/cli/serve_wiring.h"
#include "app/server/auth/sigv4.h"
#include "app/server/dynamodb_endpoint.h"
#include "app/server/http_server.h"
#include "engine/json_writer.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace capsim::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const char* kBenchServerUsage = R"(Usage: capsim bench server [--json] [--seconds S] [--connections N] [--dir DIR]
                           [--dynalite CLI_JS] [--server-threads T] [--client-threads C]
                           [--mode memory|file]

PutItem, then GetItem, of 1 KB items through capsim serve's HTTP endpoint as `capsim serve` runs
it (in this process, on a free port of 127.0.0.1, T I/O threads (default 2, serve's default) and
its engine executor, every request SigV4-signed by the load generator and verified, metered and
admitted by the live capacity model) from N keep-alive connections (default 16) driven by C
load generator threads (default 1, asynchronous I/O), for S seconds each (default 3); beside, in the same run, the same
requests dispatched directly (parse, Dispatcher, render: no HTTP, one thread) on a fresh engine.
Both in :memory: and in a file under DIR (default a temporary folder), or only the --mode given. With --dynalite (the path of
dynalite's cli.js, `npm ci` in tests/bench/dynalite), the same load generator drives dynalite
(in-memory, started with node on a free port) in the same run, and the comparison is printed.
Prints requests per second and p50/p99 latency per mode and operation; with --json one object per
line:
{"bench":"server","mode":"memory"|"file","operation":"PutItem"|"GetItem","connections":N,
 "http":{"requests":..,"requestsPerSec":..,"p50Ms":..,"p99Ms":..,"meanGroup":requests per executor
 group},"direct":{...},"ratio":http/direct}
{"bench":"server","server":"dynalite","operation":..,"connections":N,"http":{...}}
{"bench":"server","compare":"capsim file vs dynalite","operation":..,"ratio":capsim/dynalite,
 "capsimP99Ms":..,"dynaliteP50Ms":..,"tenTimes":bool,"p99BelowDynaliteP50":bool}
)";

constexpr const char* kTable = "Bench";

std::string createTableRequest()
{
    return std::string(R"({"TableName":")") + kTable
        + R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
          R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
          // Provisioned well above the load, so that the live capacity model admits every
          // request (a new on-demand table's ceiling, 4,000 WRU/s, would throttle it).
          R"("ProvisionedThroughput":{"ReadCapacityUnits":40000,"WriteCapacityUnits":40000}})";
}

std::string keyOf(int client, std::int64_t i)
{
    std::string key = "c";
    key += std::to_string(client);
    key += '-';
    key += std::to_string(i);
    return key;
}

// A 1,024-byte item (reference A1): "pk" + key, "p" + padding.
std::string putRequest(const std::string& key)
{
    const std::size_t used = 2 + key.size() + 1;
    return std::string(R"({"TableName":")") + kTable + R"(","Item":{"pk":{"S":")" + key + R"("},"p":{"S":")"
        + std::string(1024 - used, 'x') + R"("}}})";
}

std::string getRequest(const std::string& key)
{
    return std::string(R"({"TableName":")") + kTable + R"(","Key":{"pk":{"S":")" + key + R"("}}})";
}

struct Figures {
    std::int64_t requests = 0;
    std::int64_t failures = 0;
    double seconds = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double meanGroup = 0; // requests per executor group (capsim only)
    double perSecond() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

Figures summarise(std::vector<double> latenciesMs, double seconds, std::int64_t failures)
{
    Figures figures;
    figures.requests = static_cast<std::int64_t>(latenciesMs.size());
    figures.failures = failures;
    figures.seconds = seconds;
    if (latenciesMs.empty())
        return figures;
    std::sort(latenciesMs.begin(), latenciesMs.end());
    const auto at = [&](double q) {
        return latenciesMs[std::min(
            latenciesMs.size() - 1, static_cast<std::size_t>(q * static_cast<double>(latenciesMs.size())))];
    };
    figures.p50Ms = at(0.50);
    figures.p99Ms = at(0.99);
    return figures;
}

// A DynamoDB request signed with the built-in key pair (the server verifies it).
server::HttpRequest signedRequest(std::uint16_t port, const std::string& operation, std::string body)
{
    server::HttpRequest request { "POST", "/",
        { { "Host", "127.0.0.1:" + std::to_string(port) }, { "Content-Type", "application/x-amz-json-1.0" },
            { "X-Amz-Target", "DynamoDB_20120810." + operation } },
        std::move(body) };
    static const server::Principal principal = server::AuthConfig::builtIn().principals.front();
    server::sigv4::signRequest(
        request, principal.accessKeyId, principal.secretAccessKey, "us-east-1", std::chrono::system_clock::now());
    return request;
}

// The same, as Beast sends it.
http::request<http::string_body> signedWireRequest(std::uint16_t port, const std::string& operation, std::string body)
{
    const server::HttpRequest request = signedRequest(port, operation, std::move(body));
    http::request<http::string_body> wire { http::verb::post, "/", 11 };
    for (const auto& [name, value] : request.headers)
        wire.set(name, value);
    wire.body() = request.body;
    wire.prepare_payload();
    return wire;
}

// One keep-alive client connection of the load generator: sends `operation` requests one after
// another until `end`; the body of request i comes from `body(i)`. Every request is signed as
// an SDK signs it, inside its timed span (an SDK pays for that too). Runs on the generator's
// io_context, so that a few threads drive every connection (16 blocking client threads would
// take the CPU from the server on a small machine).
class LoadClient : public std::enable_shared_from_this<LoadClient> {
public:
    LoadClient(asio::io_context& io, std::uint16_t port, std::string operation, Clock::time_point end,
        std::function<std::string(std::int64_t)> body)
        : m_socket(io)
        , m_port(port)
        , m_operation(std::move(operation))
        , m_end(end)
        , m_body(std::move(body))
    {
        m_latencies.reserve(1 << 16);
    }

    void start()
    {
        m_socket.async_connect(
            tcp::endpoint(asio::ip::address_v4::loopback(), m_port), [self = shared_from_this()](beast::error_code ec) {
                if (ec) {
                    ++self->failures;
                    return;
                }
                self->m_socket.set_option(tcp::no_delay(true), ec);
                self->next();
            });
    }

    std::vector<double> latencies() { return std::move(m_latencies); }
    std::int64_t sent = 0;
    std::int64_t failures = 0;

private:
    void next()
    {
        m_start = Clock::now();
        if (m_start >= m_end) {
            beast::error_code ignored;
            m_socket.shutdown(tcp::socket::shutdown_both, ignored);
            return;
        }
        m_request = signedWireRequest(m_port, m_operation, m_body(m_index++));
        http::async_write(m_socket, m_request, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                ++self->failures;
                return;
            }
            self->m_response = {};
            http::async_read(self->m_socket, self->m_buffer, self->m_response,
                [self](beast::error_code readError, std::size_t) { self->onResponse(readError); });
        });
    }

    void onResponse(beast::error_code ec)
    {
        if (ec) {
            ++failures;
            return;
        }
        m_latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - m_start).count());
        if (m_response.result_int() != 200)
            ++failures;
        ++sent;
        next();
    }

    tcp::socket m_socket;
    std::uint16_t m_port;
    std::string m_operation;
    Clock::time_point m_end;
    std::function<std::string(std::int64_t)> m_body;
    std::int64_t m_index = 0;
    Clock::time_point m_start;
    http::request<http::string_body> m_request;
    http::response<http::string_body> m_response;
    beast::flat_buffer m_buffer;
    std::vector<double> m_latencies;
};

struct ModeResult {
    Figures http[2];
    Figures direct[2];
};

const char* kOperations[2] = { "PutItem", "GetItem" };

// `connections` keep-alive clients driven by `threads` generator threads against the server on
// `port`: PutItem for `seconds`, then GetItem of the items written for `seconds`.
std::array<Figures, 2> runLoad(std::uint16_t port, int connections, double seconds, int threads,
    const std::function<void(int operation, Figures&)>& afterOperation = {})
{
    std::array<Figures, 2> figures;
    std::vector<std::int64_t> written(static_cast<std::size_t>(connections), 0);
    for (int op = 0; op < 2; ++op) {
        asio::io_context io(threads);
        std::vector<std::shared_ptr<LoadClient>> clients;
        const auto start = Clock::now();
        const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        for (int c = 0; c < connections; ++c) {
            const std::int64_t existing = std::max<std::int64_t>(1, written[static_cast<std::size_t>(c)]);
            clients.push_back(
                std::make_shared<LoadClient>(io, port, kOperations[op], end, [c, op, existing](std::int64_t i) {
                    return op == 0 ? putRequest(keyOf(c, i)) : getRequest(keyOf(c, i % existing));
                }));
            clients.back()->start();
        }
        std::vector<std::thread> workers;
        for (int t = 1; t < threads; ++t)
            workers.emplace_back([&io] { io.run(); });
        io.run();
        for (auto& worker : workers)
            worker.join();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::vector<double> all;
        std::int64_t failed = 0;
        for (std::size_t c = 0; c < clients.size(); ++c) {
            const auto latencies = clients[c]->latencies();
            all.insert(all.end(), latencies.begin(), latencies.end());
            failed += clients[c]->failures;
            if (op == 0)
                written[c] = clients[c]->sent;
        }
        figures[static_cast<std::size_t>(op)] = summarise(std::move(all), elapsed, failed);
        if (afterOperation)
            afterOperation(op, figures[static_cast<std::size_t>(op)]);
    }
    return figures;
}

// One signed request on a new connection; the response's status and body.
std::pair<int, std::string> callOnce(std::uint16_t port, const std::string& operation, const std::string& body)
{
    asio::io_context io;
    tcp::socket socket(io);
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    if (ec)
        return { 0, ec.message() };
    http::write(socket, signedWireRequest(port, operation, body), ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (!ec)
        http::read(socket, buffer, response, ec);
    if (ec)
        return { 0, ec.message() };
    return { response.result_int(), response.body() };
}

// HTTP: `connections` clients against an in-process server on `path`, wired as `capsim serve`
// wires it (the built-in key pair verified, live capacity).
Result<std::array<Figures, 2>> benchHttp(
    const std::string& path, int connections, double seconds, int serverThreads, int clientThreads)
{
    EngineDatabase opened = openEngineDatabase(path, {});
    if (!opened.engine)
        return Status::internal(opened.error);
    Engine& engine = *opened.engine;
    CAPSIM_RETURN_IF_ERROR(engine.checkpointInBackground()); // as capsim serve runs it
    server::DynamoDbEndpoint endpoint(engine, server::ServeClock(clockStart(engine), 1.0), "us-east-1");
    wireServeEndpoint(endpoint, server::AccessControl::builtIn(), 1.0);
    server::HttpServer httpServer(endpoint, serverThreads);
    if (Status s = httpServer.listen("127.0.0.1", 0); !s)
        return s;
    std::thread serving([&] {
        pthread_setname_np(pthread_self(), "capsim-io");
        httpServer.run();
    });
    const auto [createdStatus, createdBody] = callOnce(httpServer.port(), "CreateTable", createTableRequest());
    std::array<Figures, 2> figures;
    if (createdStatus == 200)
        figures = runLoad(httpServer.port(), connections, seconds, clientThreads,
            [&endpoint, last = endpoint.executorStats()](int, Figures& f) mutable {
                const server::ExecutorStats now = endpoint.executorStats();
                if (now.groups > last.groups)
                    f.meanGroup = static_cast<double>(now.requests - last.requests)
                        / static_cast<double>(now.groups - last.groups);
                last = now;
            });
    httpServer.stop();
    serving.join();
    if (createdStatus != 200)
        return Status::internal("CreateTable failed: " + createdBody);
    return figures;
}

// dynalite (npm), in-memory, started with node on a free port: the peer every emulator
// comparison uses. Same load generator, same requests.
Result<std::array<Figures, 2>> benchDynalite(
    const std::string& cliJs, int connections, double seconds, int clientThreads)
{
    std::error_code exists;
    if (!std::filesystem::is_regular_file(cliJs, exists))
        return Status(
            error::kValidation, "--dynalite '" + cliJs + "' is not dynalite's cli.js (npm ci in tests/bench/dynalite)");
    std::uint16_t port = 0;
    {
        asio::io_context io;
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        port = acceptor.local_endpoint().port();
    }
    const std::string portText = std::to_string(port);
    std::vector<std::string> argv { "node", cliJs, "--port", portText, "--host", "127.0.0.1", "--createTableMs", "0" };
    std::vector<char*> cargv;
    for (auto& a : argv)
        cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, "node", &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return Status::internal(std::string("cannot start node: ") + std::strerror(spawned));
    const auto stopDynalite = [pid] {
        ::kill(pid, SIGTERM);
        int ignored = 0;
        ::waitpid(pid, &ignored, 0);
    };
    std::pair<int, std::string> created { 0, "dynalite did not start within 20 s" };
    for (int attempt = 0; attempt < 200 && created.first == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        created = callOnce(port, "CreateTable", createTableRequest());
    }
    if (created.first != 200) {
        stopDynalite();
        return Status::internal("dynalite CreateTable failed: " + created.second);
    }
    const std::string describe = std::string(R"({"TableName":")") + kTable + R"("})";
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (callOnce(port, "DescribeTable", describe).second.find(R"("TableStatus":"ACTIVE")") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto figures = runLoad(port, connections, seconds, clientThreads);
    stopDynalite();
    return figures;
}

// Direct: the same requests, parsed, dispatched and rendered on this thread, on a fresh engine.
Result<std::array<Figures, 2>> benchDirect(const std::string& path, double seconds)
{
    EngineDatabase opened = openEngineDatabase(path, {});
    if (!opened.engine)
        return Status::internal(opened.error);
    Engine& engine = *opened.engine;
    Dispatcher dispatcher(engine);
    const server::ServeClock clock(clockStart(engine), 1.0);
    const EngineTime start = clock.now();
    json::value createRequest;
    std::string error;
    parseJsonText(createTableRequest(), createRequest, error);
    if (auto created = dispatcher.dispatch("CreateTable", createRequest, start); created.isError())
        return Status::internal("CreateTable failed: " + toJsonText(created.body));
    std::array<Figures, 2> figures;
    std::int64_t written = 0;
    for (int op = 0; op < 2; ++op) {
        std::vector<double> latencies;
        std::int64_t failures = 0;
        const auto begin = Clock::now();
        const auto end = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        for (std::int64_t i = 0; Clock::now() < end; ++i) {
            const std::string text
                = op == 0 ? putRequest(keyOf(0, i)) : getRequest(keyOf(0, i % std::max<std::int64_t>(1, written)));
            const auto t0 = Clock::now();
            json::value request;
            parseJsonText(text, request, error);
            const WireResponse response = dispatcher.dispatch(kOperations[op], request, clock.now());
            const std::string rendered = toJsonText(response.body);
            latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            if (response.isError() || rendered.empty())
                ++failures;
            if (op == 0)
                written = i + 1;
        }
        figures[static_cast<std::size_t>(op)]
            = summarise(std::move(latencies), std::chrono::duration<double>(Clock::now() - begin).count(), failures);
    }
    return figures;
}

json::object figuresJson(const Figures& f)
{
    const auto round3 = [](double x) { return std::round(x * 1000.0) / 1000.0; };
    json::object figures { { "requests", f.requests }, { "failures", f.failures },
        { "requestsPerSec", std::round(f.perSecond()) }, { "p50Ms", round3(f.p50Ms) }, { "p99Ms", round3(f.p99Ms) } };
    if (f.meanGroup > 0)
        figures["meanGroup"] = round3(f.meanGroup);
    return figures;
}

} // namespace

int benchServerCommand(const std::vector<std::string>& args)
{
    bool asJson = false;
    double seconds = 3;
    long connections = 16;
    long serverThreads = 2;
    long clientThreads = 1;
    std::string onlyMode;
    std::string dir;
    std::string dynalite;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const bool hasValue = i + 1 < args.size();
        if (arg == "--help" || arg == "-h") {
            std::fputs(kBenchServerUsage, stdout);
            return 0;
        } else if (arg == "--json") {
            asJson = true;
        } else if (arg == "--seconds" && hasValue) {
            const std::string& text = args[++i];
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
            if (ec != std::errc() || ptr != text.data() + text.size() || !(seconds > 0 && seconds <= 3600)) {
                std::fprintf(
                    stderr, "capsim bench server: --seconds '%s' is not a duration (0 < S <= 3600)\n", text.c_str());
                return 2;
            }
        } else if (arg == "--connections" && hasValue) {
            const std::string& text = args[++i];
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), connections);
            if (ec != std::errc() || ptr != text.data() + text.size() || connections < 1 || connections > 1024) {
                std::fprintf(stderr, "capsim bench server: --connections '%s' is not a count (1-1024)\n", text.c_str());
                return 2;
            }
        } else if ((arg == "--server-threads" || arg == "--client-threads") && hasValue) {
            const std::string& text = args[++i];
            long& target = arg == "--server-threads" ? serverThreads : clientThreads;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), target);
            if (ec != std::errc() || ptr != text.data() + text.size() || target < 1 || target > 64) {
                std::fprintf(
                    stderr, "capsim bench server: %s '%s' is not a thread count (1-64)\n", arg.c_str(), text.c_str());
                return 2;
            }
        } else if (arg == "--mode" && hasValue) {
            onlyMode = args[++i];
            if (onlyMode != "memory" && onlyMode != "file") {
                std::fprintf(stderr, "capsim bench server: --mode '%s' is neither memory nor file\n", onlyMode.c_str());
                return 2;
            }
        } else if (arg == "--dir" && hasValue) {
            dir = args[++i];
        } else if (arg == "--dynalite" && hasValue) {
            dynalite = args[++i];
        } else {
            std::fprintf(stderr, "capsim bench server: unexpected argument '%s'\n%s", arg.c_str(), kBenchServerUsage);
            return 2;
        }
    }
    // The file mode's databases live in a folder of their own, made here and removed at the end.
    std::error_code ec;
    const std::filesystem::path parent
        = dir.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(dir);
    std::filesystem::create_directories(parent, ec);
    std::string pattern = (parent / "capsim-bench-server-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::fprintf(
            stderr, "capsim bench server: cannot create a folder in '%s': %s\n", parent.c_str(), std::strerror(errno));
        return 1;
    }
    int status = 0;
    std::array<Figures, 2> capsimFile;
    for (const char* mode : { "memory", "file" }) {
        const bool memory = std::string(mode) == "memory";
        if (!onlyMode.empty() && onlyMode != mode)
            continue;
        auto viaHttp = benchHttp(memory ? ":memory:" : pattern + "/http.sqlite", static_cast<int>(connections), seconds,
            static_cast<int>(serverThreads), static_cast<int>(clientThreads));
        auto direct = benchDirect(memory ? ":memory:" : pattern + "/direct.sqlite", seconds);
        if (!viaHttp || !direct) {
            std::fprintf(
                stderr, "capsim bench server: %s\n", (!viaHttp ? viaHttp.status() : direct.status()).message().c_str());
            status = 1;
            continue;
        }
        if (!memory)
            capsimFile = *viaHttp;
        for (std::size_t op = 0; op < 2; ++op) {
            const Figures& h = (*viaHttp)[op];
            const Figures& d = (*direct)[op];
            if (h.failures || d.failures)
                status = 1;
            const double ratio = d.perSecond() > 0 ? std::round(h.perSecond() / d.perSecond() * 1000.0) / 1000.0 : 0;
            if (asJson) {
                json::object line { { "bench", "server" }, { "mode", mode }, { "operation", kOperations[op] },
                    { "connections", connections }, { "seconds", seconds }, { "http", figuresJson(h) },
                    { "direct", figuresJson(d) }, { "ratio", ratio } };
                std::printf("%s\n", toJsonText(line).c_str());
            } else {
                std::printf("%-6s %-7s http (%ld connections): %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms%s\n", mode,
                    kOperations[op], connections, h.perSecond(), h.p50Ms, h.p99Ms, h.failures ? "  (FAILURES)" : "");
                std::printf("%-6s %-7s direct (no HTTP):      %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  ratio %.3f\n",
                    mode, kOperations[op], d.perSecond(), d.p50Ms, d.p99Ms, ratio);
            }
            std::fflush(stdout);
        }
    }
    if (!dynalite.empty()) {
        auto peer = benchDynalite(dynalite, static_cast<int>(connections), seconds, static_cast<int>(clientThreads));
        if (!peer) {
            std::fprintf(stderr, "capsim bench server: dynalite: %s\n", peer.status().message().c_str());
            status = 1;
        }
        for (std::size_t op = 0; peer && op < 2; ++op) {
            const Figures& d = (*peer)[op];
            const Figures& c = capsimFile[op];
            if (d.failures)
                status = 1;
            const double ratio = d.perSecond() > 0 ? std::round(c.perSecond() / d.perSecond() * 100.0) / 100.0 : 0;
            if (asJson) {
                std::printf("%s\n",
                    toJsonText(json::object { { "bench", "server" }, { "server", "dynalite" },
                                   { "operation", kOperations[op] }, { "connections", connections },
                                   { "seconds", seconds }, { "http", figuresJson(d) } })
                        .c_str());
                std::printf("%s\n",
                    toJsonText(json::object { { "bench", "server" }, { "compare", "capsim file vs dynalite" },
                                   { "operation", kOperations[op] }, { "ratio", ratio },
                                   { "capsimP99Ms", std::round(c.p99Ms * 1000.0) / 1000.0 },
                                   { "dynaliteP50Ms", std::round(d.p50Ms * 1000.0) / 1000.0 },
                                   { "tenTimes", ratio >= 10.0 }, { "p99BelowDynaliteP50", c.p99Ms < d.p50Ms } })
                        .c_str());
            } else {
                std::printf("dynalite %-7s http (%ld connections): %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms%s\n",
                    kOperations[op], connections, d.perSecond(), d.p50Ms, d.p99Ms, d.failures ? "  (FAILURES)" : "");
                std::printf(
                    "capsim (file) / dynalite %-7s: %.2fx requests/s; capsim p99 %.3f ms vs dynalite p50 %.3f ms\n",
                    kOperations[op], ratio, c.p99Ms, d.p50Ms);
            }
            std::fflush(stdout);
        }
    }
    std::filesystem::remove_all(pattern, ec);
    return status;
}

} // namespace capsim::cli
