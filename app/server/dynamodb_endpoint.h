#pragma once
// DynamoDbEndpoint: DynamoDB's HTTP API over one engine (contracts/cli.md "capsim serve").
// Routes X-Amz-Target (DynamoDB_20120810.<Op>, DynamoDBStreams_20120810.<Op>) into the same
// Dispatcher as `capsim call`, answers the health check, CORS preflights and HTTP-level
// errors, and adds DynamoDB's response headers (x-amzn-RequestId, x-amz-crc32). Borrows the
// engine, which must outlive it. Thread-safe: parsing, authentication and rendering run on the
// calling (I/O) threads; the engine, which is single-threaded, is driven by one executor thread
// the endpoint owns, which takes the requests waiting for it as a group and runs them one after
// another in one storage transaction (group commit): their answers are released only once that
// transaction is committed, so an acknowledged write is in the database file.

#include "app/server/request_handler.h"
#include "app/server/serve_clock.h"
#include "engine/dispatcher.h"

#include <boost/json/value.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace capsim::server {

// Authentication. Called before dispatch, outside the engine lock (so that signatures are
// verified in parallel on the I/O threads), with the request as received; returns the error
// response to send (MissingAuthenticationToken, InvalidSignature, ...) or nullopt to go on,
// having set `authorizer` to the request's IAM check (empty: everything allowed), which the
// dispatcher consults under the lock.
using Authenticator = std::function<std::optional<WireResponse>(const HttpRequest&, Authorizer& authorizer)>;
// Live capacity. Admission runs before dispatch with the operation name and
// the parsed request; it returns a throttling error response to send instead, or nullopt.
// Charging runs after dispatch with what the call consumed (WireResponse::consumed). Both run
// under the engine lock, at the request's engine time.
using Admission = std::function<std::optional<WireResponse>(
    std::string_view operation, const boost::json::value& request, Engine& engine, EngineTime now)>;
using Charge = std::function<void(std::string_view operation, const boost::json::value& request,
    const WireResponse& response, Engine& engine, EngineTime now)>;

// The live view (`GET /capsim/live?since=<unix second>`, a capsim extension, not DynamoDB): the
// JSON document to answer, from the engine (read-only) and whatever else the server keeps.
// Runs under the engine lock; `sinceSecond` is the query's `since`, 0 when absent.
using LiveView = std::function<boost::json::value(const Engine& engine, std::int64_t sinceSecond)>;

// Called once, from the executor thread, when a group's commit failed: the engine's memory
// then holds writes the database lacks, so the endpoint answers every request from then on with
// InternalServerError; the server should stop (capsim serve exits 1 with the message).
using StorageFailure = std::function<void(const Status& failure)>;

// What the executor has done (for tests and the benchmark).
struct ExecutorStats {
    std::uint64_t groups = 0;
    std::uint64_t requests = 0;
    std::uint64_t largestGroup = 0;
};

class DynamoDbEndpoint final : public RequestHandler {
public:
    // `defaultRegion` is the region of requests without a SigV4 credential scope.
    DynamoDbEndpoint(Engine& engine, ServeClock clock, std::string defaultRegion);
    ~DynamoDbEndpoint() override;
    DynamoDbEndpoint(const DynamoDbEndpoint&) = delete;
    DynamoDbEndpoint& operator=(const DynamoDbEndpoint&) = delete;

    // Waits for the executor's answer (tests, `capsim call`-like uses).
    HttpResponse handle(const HttpRequest& request) override;
    void handleAsync(HttpRequest request, Respond respond) override;
    void drain() override;
    HttpResponse bodyTooLarge(const HttpRequest& request, std::size_t limitBytes) override;

    // Hooks (see above); empty functions (the default) let every request through. Set them
    // before serving.
    void setAuthenticator(Authenticator authenticator) { m_authenticator = std::move(authenticator); }
    void setAdmission(Admission admission) { m_admission = std::move(admission); }
    void setCharge(Charge charge) { m_charge = std::move(charge); }
    // Without a live view (the default) /capsim/live is 404 like any other GET path.
    void setLiveView(LiveView liveView) { m_liveView = std::move(liveView); }
    void setStorageFailure(StorageFailure onFailure) { m_storageFailure = std::move(onFailure); }

    // Saves the engine's clock (for a clean stop). Takes the engine lock. After a failed group
    // commit, that failure (the engine's memory no longer matches the file).
    Status saveClock();

    ExecutorStats executorStats() const;

private:
    // One request waiting for the executor: parsed and authenticated.
    struct Job {
        std::string operation;
        boost::json::value body;
        Authorizer authorizer;
        std::string region;
        std::string responseType;
        Respond respond;
    };

    void runExecutor();
    void executeGroup(std::vector<Job>& group);
    // Runs one request on the engine (admission, dispatch, charge) inside the open group; sets
    // `saveClock` when it may have recorded something with a time.
    WireResponse execute(Job& job, bool& saveClock);
    void answer(Job& job, WireResponse response);
    HttpResponse render(const WireResponse& wire, const std::string& responseType);
    HttpResponse finish(int status, std::string body, std::string contentType);
    HttpResponse live(const HttpRequest& request);

    Engine& m_engine;
    Dispatcher m_dispatcher;
    ServeClock m_clock;
    std::string m_defaultRegion;
    Authenticator m_authenticator;
    Admission m_admission;
    Charge m_charge;
    LiveView m_liveView;
    StorageFailure m_storageFailure;
    // Held by the executor while it runs a group, and by the live view and saveClock().
    std::mutex m_engineMutex;
    // Set by the engine's WriteChange listener while a request executes (under the lock).
    bool m_itemsChanged = false;
    // Under m_engineMutex: the failed group commit that stopped the engine, if any.
    std::optional<Status> m_storageFailed;

    // The executor's queue.
    mutable std::mutex m_queueMutex;
    std::condition_variable m_queueChanged; // the executor waits for requests
    std::condition_variable m_idle; // drain() waits for the executor to have nothing left
    std::vector<Job> m_queue;
    bool m_executing = false;
    bool m_stopping = false;
    ExecutorStats m_stats;
    std::thread m_executor;
    SubscriptionId m_subscription = 0;
    std::uint64_t m_requestIdSeed;
    std::atomic<std::uint64_t> m_requestCount { 0 };
};

// The region of a SigV4 Authorization header's credential scope
// (`AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, ...`), or empty when the
// header has none. The signature is not checked here.
std::string credentialScopeRegion(std::string_view authorization);

// The operation a X-Amz-Target value names, or empty when it names none capsim serves:
// DynamoDB_20120810.<Op> for the DynamoDB operations, DynamoDBStreams_20120810.<Op> for the
// Streams ones (ListStreams, DescribeStream, GetShardIterator, GetRecords).
std::string targetOperation(std::string_view target);

// The first value of header `name` (case-insensitive), or nullopt.
std::optional<std::string> headerValue(const HttpRequest& request, std::string_view name);

} // namespace capsim::server
