#include "app/cli/commands.h"

#include "app/cli/engine_database.h"
#include "app/cli/live_view.h"
#include "app/cli/serve_wiring.h"
#include "app/server/http_server.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>

namespace capsim::cli {

namespace {

const char* kServeUsage
    = R"(Usage: capsim serve [--host 127.0.0.1] [--port 8000] [--db PATH] [--auth FILE | --no-auth] [--speed X]
                    [--s3-root DIR] [--threads N]

A DynamoDB-compatible HTTP/1.1 endpoint on the capsim engine: the same operations as
'capsim call', for the AWS CLI and SDKs (--endpoint-url http://HOST:PORT), with
X-Amz-Target DynamoDB_20120810.<Op> and DynamoDBStreams_20120810.<Op>. GET / answers
"healthy: <Host>"; GET /capsim/live?since=<unix second> answers capsim's live capacity
view as JSON (tables, consumed units and throttles per second; unauthenticated). Prints
"capsim serve: listening on http://HOST:PORT" once it accepts connections; SIGINT or
SIGTERM stop it (exit 0).

Options:    --host ADDR     the IP address to listen on (default 127.0.0.1)
            --port N        the TCP port, 0 for a free one (default 8000)
            --db PATH       the engine database file, created if missing; default an
                            in-memory database, gone when the server stops
            --auth FILE     verify SigV4 signatures and IAM-style policies against FILE
                            (access keys, principals, policies; README "Server")
            --no-auth       accept requests without verifying their signatures
            (default: SigV4 verified against the built-in key pair printed at start,
            access key "capsim", secret "capsim-local-secret", allowed everything)
            --speed X       the engine's clock runs X times as fast as the wall clock (TTL,
                            status changes, retention), X > 0 (default 1)
            --s3-root DIR   the folder that stands for Amazon S3 (default PATH.s3)
            --threads N     HTTP I/O threads, 1-64 (default 2): HTTP, JSON and signatures;
                            the engine runs on one executor thread of its own, which
                            takes the requests waiting for it as a group and commits the
                            group's writes in one transaction before answering any
Every request is metered and admitted as DynamoDB would (partition and table buckets, burst,
adaptive capacity, on-demand ceilings, GSI back-pressure) on the wall clock: over capacity it
answers ProvisionedThroughputExceededException or ThrottlingException (HTTP 400).
The region of a request is its SigV4 credential scope's, else $AWS_REGION, else us-east-1.
Exit codes: 0 stopped by a signal, 1 the server failed (cannot listen, storage failure),
            2 bad arguments.
)";

bool parseInteger(const std::string& text, long min, long max, long& out)
{
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && out >= min && out <= max;
}

} // namespace

std::shared_ptr<LiveCapacity> wireServeEndpoint(
    server::DynamoDbEndpoint& endpoint, const std::optional<server::AccessControl>& access, double speed)
{
    if (access) {
        endpoint.setAuthenticator([access = *access](const server::HttpRequest& request, Authorizer& authorizer)
                                      -> std::optional<WireResponse> {
            // The signature's age is checked against the real clock, never --speed's.
            const server::Authentication auth = access.authenticate(request, std::chrono::system_clock::now());
            if (!auth.ok())
                return server::AccessControl::errorResponse(auth.error);
            authorizer = access.authorizer(*auth.identity);
            return std::nullopt;
        });
    }
    // Capacity on the wall clock: the simulator's admission model decides every request before
    // it runs and is charged with what it consumed (simulator/live_capacity.h). Its delays
    // (UpdateTable's) are engine time, so they pass --speed times faster.
    auto live = std::make_shared<LiveCapacity>(ModelSpec {}, speed);
    const server::ServeClock wallClock(wallClockNow(), 1.0);
    endpoint.setAdmission([live, wallClock](std::string_view operation, const boost::json::value& request,
                              Engine& served, EngineTime) -> std::optional<WireResponse> {
        if (Status admitted = live->admit(served, operation, request, wallClock.now()); !admitted)
            return Dispatcher::errorResponse(admitted);
        return std::nullopt;
    });
    endpoint.setCharge([live, wallClock](std::string_view operation, const boost::json::value& request,
                           const WireResponse& response, Engine& served, EngineTime) {
        if (Status charged = live->charge(served, operation, request, response, wallClock.now()); !charged)
            std::fprintf(stderr, "capsim serve: metering %.*s: %s\n", static_cast<int>(operation.size()),
                operation.data(), charged.message().c_str());
    });
    // GET /capsim/live: what the studio's Live page polls (README "Server"). Its seconds are
    // those of the clock the requests are charged on.
    endpoint.setLiveView([live, wallClock](const Engine& served, std::int64_t sinceSecond) {
        return liveViewJson(served, *live, sinceSecond, wallClock.now() / 1'000'000);
    });
    return live;
}

int serveCommand(const std::vector<std::string>& args)
{
    std::string host = "127.0.0.1";
    std::string portText = "8000";
    std::string db;
    std::string authFile;
    std::string speedText = "1";
    std::string s3Root;
    std::string threadsText = "2";
    bool noAuth = false;
    bool authGiven = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kServeUsage, stdout);
            return 0;
        }
        if (arg == "--no-auth") {
            noAuth = true;
            continue;
        }
        bool matched = false;
        for (auto [name, target] : { std::pair { "--host", &host }, std::pair { "--port", &portText },
                 std::pair { "--db", &db }, std::pair { "--auth", &authFile }, std::pair { "--speed", &speedText },
                 std::pair { "--s3-root", &s3Root }, std::pair { "--threads", &threadsText } }) {
            const std::string option = name;
            if (arg == option) {
                if (i + 1 >= args.size()) {
                    std::fprintf(stderr, "capsim serve: %s needs a value\n", name);
                    return 2;
                }
                *target = args[++i];
            } else if (arg.rfind(option + "=", 0) == 0) {
                *target = arg.substr(option.size() + 1);
            } else {
                continue;
            }
            matched = true;
            authGiven = authGiven || option == "--auth";
            break;
        }
        if (!matched) {
            std::fprintf(stderr, "capsim serve: %s '%s'\n",
                arg.size() > 1 && arg[0] == '-' ? "unknown option" : "unexpected argument", arg.c_str());
            std::fputs(kServeUsage, stderr);
            return 2;
        }
    }
    long port = 0;
    if (!parseInteger(portText, 0, 65535, port)) {
        std::fprintf(stderr, "capsim serve: --port '%s' is not a port number (0-65535, 0 picks a free port)\n",
            portText.c_str());
        return 2;
    }
    long threads = 0;
    if (!parseInteger(threadsText, 1, 64, threads)) {
        std::fprintf(stderr, "capsim serve: --threads '%s' is not a thread count (1-64)\n", threadsText.c_str());
        return 2;
    }
    double speed = 0;
    {
        const char* end = speedText.data() + speedText.size();
        auto [ptr, ec] = std::from_chars(speedText.data(), end, speed);
        if (ec != std::errc() || ptr != end || !std::isfinite(speed) || speed <= 0 || speed > 1e6) {
            std::fprintf(stderr, "capsim serve: --speed '%s' is not a clock speed (a number > 0, at most 1000000)\n",
                speedText.c_str());
            return 2;
        }
    }
    if (authGiven && noAuth) {
        std::fputs("capsim serve: --auth and --no-auth exclude each other\n", stderr);
        return 2;
    }
    std::optional<server::AccessControl> access;
    if (authGiven) {
        if (authFile.empty()) {
            std::fputs("capsim serve: --auth needs a file\n", stderr);
            return 2;
        }
        std::string error;
        access = server::AccessControl::fromFile(authFile, error);
        if (!access) {
            std::fprintf(stderr, "capsim serve: --auth %s: %s\n", authFile.c_str(), error.c_str());
            return 2;
        }
    } else if (!noAuth) {
        access = server::AccessControl::builtIn();
    }
    if (db.empty() && std::find_if(args.begin(), args.end(), [](const std::string& a) {
            return a.rfind("--db", 0) == 0;
        }) != args.end()) {
        std::fputs("capsim serve: --db needs a path (leave it out for an in-memory database)\n", stderr);
        return 2;
    }
    // The engine opens ":memory:" as an in-memory database: the default, for a throwaway server.
    if (db.empty())
        db = ":memory:";
    EngineDatabase opened = openEngineDatabase(db, s3Root);
    if (!opened.engine) {
        std::fprintf(stderr, "capsim serve: %s\n", opened.error.c_str());
        return opened.exitCode;
    }
    Engine& engine = *opened.engine;
    // The executor commits groups; the WAL's pages are copied back to the file beside it.
    if (Status background = engine.checkpointInBackground(); !background) {
        std::fprintf(stderr, "capsim serve: %s\n", background.message().c_str());
        return 1;
    }
    server::DynamoDbEndpoint endpoint(engine, server::ServeClock(clockStart(engine), speed), defaultRegion());
    wireServeEndpoint(endpoint, access, speed);
    server::HttpServer httpServer(endpoint, static_cast<int>(threads));
    // A failed commit leaves the engine's memory ahead of the file: stop rather than serve it.
    std::optional<Status> storageFailure;
    std::mutex storageFailureMutex;
    endpoint.setStorageFailure([&](const Status& failure) {
        {
            std::lock_guard lock(storageFailureMutex);
            storageFailure = failure;
        }
        std::fprintf(stderr, "capsim serve: %s\n", failure.message().c_str());
        httpServer.stop();
    });
    if (Status listening = httpServer.listen(host, static_cast<std::uint16_t>(port)); !listening) {
        std::fprintf(stderr, "capsim serve: %s\n", listening.message().c_str());
        return listening.is(error::kValidation) ? 2 : 1;
    }
    httpServer.stopOnSignals();
    const bool ipv6 = host.find(':') != std::string::npos;
    std::printf("capsim serve: listening on http://%s%s%s:%u\n", ipv6 ? "[" : "", host.c_str(), ipv6 ? "]" : "",
        static_cast<unsigned>(httpServer.port()));
    if (access && !authGiven) {
        const auto& principal = access->config().principals.front();
        std::printf("capsim serve: requests are signed with the built-in key pair: access key id %s, secret access "
                    "key %s (--no-auth turns verification off)\n",
            principal.accessKeyId.c_str(), principal.secretAccessKey.c_str());
    } else if (!access) {
        std::puts("capsim serve: request signatures are not verified (--no-auth)");
    }
    std::fflush(stdout);
    httpServer.run();
    endpoint.drain();
    {
        std::lock_guard lock(storageFailureMutex);
        if (storageFailure)
            return 1;
    }
    if (Status saved = endpoint.saveClock(); !saved) {
        std::fprintf(stderr, "capsim serve: saving the database's clock: %s\n", saved.message().c_str());
        return 1;
    }
    std::fputs("capsim serve: stopped\n", stderr);
    return 0;
}

} // namespace capsim::cli
