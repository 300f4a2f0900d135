#include "app/server/dynamodb_endpoint.h"

#include "engine/json_writer.h"

#include <pthread.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <random>
#include <vector>

namespace capsim::server {

namespace {

constexpr std::string_view kDynamoDbPrefix = "DynamoDB_20120810.";
constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810.";
constexpr std::array<std::string_view, 4> kStreamsOperations { "ListStreams", "DescribeStream", "GetShardIterator",
    "GetRecords" };
// Item reads: they record nothing with a time unless background work (a TTL deletion) runs
// during them, which a WriteChange shows.
constexpr std::array<std::string_view, 5> kItemReads { "GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems" };
constexpr const char* kJsonContentType = "application/x-amz-json-1.0";

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// 52 characters of [A-Z0-9], like DynamoDB's request ids. Distinct for distinct `sequence`:
// splitMix64 is a bijection on 64 bits and its whole output is encoded (the first 13
// characters carry it, 5 bits each); the rest comes from the process's seed.
std::string requestId(std::uint64_t seed, std::uint64_t sequence)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string id;
    id.reserve(52);
    std::uint64_t unique = splitMix64(seed ^ sequence);
    for (int i = 0; i < 13; ++i, unique >>= 5)
        id.push_back(kAlphabet[unique & 31U]);
    std::uint64_t filler = splitMix64(~seed) + sequence;
    while (id.size() < 52) {
        filler = splitMix64(filler);
        std::uint64_t bits = filler;
        for (int i = 0; i < 12 && id.size() < 52; ++i, bits >>= 5)
            id.push_back(kAlphabet[bits & 31U]);
    }
    return id;
}

std::string_view pathOf(std::string_view target)
{
    return target.substr(0, target.find('?'));
}

// A batch admitted item by item, as DynamoDB throttles it: the items refused come back in
// UnprocessedItems / UnprocessedKeys and the rest run; only a batch none of whose items may run
// fails with the throttling error.
struct SplitBatch {
    boost::json::value request; // the batch without its refused items
    boost::json::object unprocessed; // the refused items, in the request's own form, by table
    std::optional<WireResponse> refusal; // the first item's refusal
    std::size_t admitted = 0;
};

// Nothing when the batch is not in the form admission can split (the engine answers it whole).
std::optional<SplitBatch> admitBatch(
    std::string_view operation, const boost::json::value& body, const Admission& admit, Engine& engine, EngineTime now)
{
    namespace json = boost::json;
    const bool write = operation == "BatchWriteItem";
    const json::object* top = body.if_object();
    const json::value* requestItems = top ? top->if_contains("RequestItems") : nullptr;
    if (!requestItems || !requestItems->is_object())
        return std::nullopt;
    json::object base = *top; // every field but the items, for each item's own request
    base.erase("RequestItems");
    SplitBatch out;
    json::object kept;
    for (const auto& [table, entry] : requestItems->as_object()) {
        const json::value* keys = write || !entry.is_object() ? nullptr : entry.as_object().if_contains("Keys");
        const json::array* list = write ? entry.if_array() : keys ? keys->if_array() : nullptr;
        if (!list)
            return std::nullopt;
        json::array admittedItems;
        json::array refusedItems;
        for (const json::value& item : *list) {
            json::object single;
            if (write) {
                single[table] = json::array { item };
            } else {
                json::object one = entry.as_object();
                one["Keys"] = json::array { item };
                single[table] = std::move(one);
            }
            json::object request = base;
            request["RequestItems"] = std::move(single);
            if (auto refused = admit(operation, request, engine, now)) {
                if (!out.refusal)
                    out.refusal = std::move(*refused);
                refusedItems.push_back(item);
            } else {
                admittedItems.push_back(item);
                ++out.admitted;
            }
        }
        const auto inForm = [&](json::array items) -> json::value {
            if (write)
                return items;
            json::object one = entry.as_object();
            one["Keys"] = std::move(items);
            return one;
        };
        if (!admittedItems.empty())
            kept[table] = inForm(std::move(admittedItems));
        if (!refusedItems.empty())
            out.unprocessed[table] = inForm(std::move(refusedItems));
    }
    json::object request = std::move(base);
    request["RequestItems"] = std::move(kept);
    out.request = std::move(request);
    return out;
}

// Adds a batch's refused items to its answer's UnprocessedItems / UnprocessedKeys.
void addUnprocessed(std::string_view operation, boost::json::object& answer, const boost::json::object& refused)
{
    namespace json = boost::json;
    const bool write = operation == "BatchWriteItem";
    json::value& slot = answer[write ? "UnprocessedItems" : "UnprocessedKeys"];
    if (!slot.is_object())
        slot = json::object {};
    json::object& target = slot.as_object();
    for (const auto& [table, items] : refused) {
        json::value* existing = target.if_contains(table);
        if (!existing) {
            target[table] = items;
            continue;
        }
        json::array* list = write ? existing->if_array()
                                  : (existing->is_object() && existing->as_object().contains("Keys")
                                          ? existing->as_object()["Keys"].if_array()
                                          : nullptr);
        const json::array& more = write ? items.as_array() : items.as_object().at("Keys").as_array();
        if (list)
            list->insert(list->end(), more.begin(), more.end());
    }
}

} // namespace

std::optional<std::string> headerValue(const HttpRequest& request, std::string_view name)
{
    for (const auto& [key, value] : request.headers)
        if (equalsIgnoringCase(key, name))
            return value;
    return std::nullopt;
}

std::string credentialScopeRegion(std::string_view authorization)
{
    const auto credential = authorization.find("Credential=");
    if (credential == std::string_view::npos)
        return {};
    std::string_view scope = authorization.substr(credential + 11);
    scope = scope.substr(0, scope.find_first_of(", "));
    // KEY/DATE/REGION/SERVICE/aws4_request
    std::vector<std::string_view> parts;
    for (std::size_t slash; (slash = scope.find('/')) != std::string_view::npos; scope.remove_prefix(slash + 1))
        parts.push_back(scope.substr(0, slash));
    parts.push_back(scope);
    if (parts.size() != 5 || parts[2].empty())
        return {};
    return std::string(parts[2]);
}

std::string targetOperation(std::string_view target)
{
    const auto isStreams = [](std::string_view operation) {
        return std::find(kStreamsOperations.begin(), kStreamsOperations.end(), operation) != kStreamsOperations.end();
    };
    if (target.starts_with(kDynamoDbPrefix)) {
        const std::string_view operation = target.substr(kDynamoDbPrefix.size());
        return isStreams(operation) ? std::string() : std::string(operation);
    }
    if (target.starts_with(kStreamsPrefix)) {
        const std::string_view operation = target.substr(kStreamsPrefix.size());
        return isStreams(operation) ? std::string(operation) : std::string();
    }
    return {};
}

DynamoDbEndpoint::DynamoDbEndpoint(Engine& engine, ServeClock clock, std::string defaultRegion)
    : m_engine(engine)
    , m_dispatcher(engine)
    , m_clock(clock)
    , m_defaultRegion(std::move(defaultRegion))
    , m_requestIdSeed(std::random_device {}() ^ (static_cast<std::uint64_t>(std::random_device {}()) << 32)
          ^ static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()))
{
    m_subscription = m_engine.subscribe([this](const WriteChange&) { m_itemsChanged = true; });
    m_executor = std::thread([this] { runExecutor(); });
}

DynamoDbEndpoint::~DynamoDbEndpoint()
{
    {
        std::lock_guard lock(m_queueMutex);
        m_stopping = true;
    }
    m_queueChanged.notify_all();
    m_executor.join();
    m_engine.unsubscribe(m_subscription);
}

HttpResponse DynamoDbEndpoint::handle(const HttpRequest& request)
{
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<HttpResponse> response;
    handleAsync(request, [&](std::function<HttpResponse()> make) {
        HttpResponse made = make();
        std::lock_guard lock(mutex);
        response = std::move(made);
        answered.notify_all();
    });
    std::unique_lock lock(mutex);
    answered.wait(lock, [&] { return response.has_value(); });
    return std::move(*response);
}

void DynamoDbEndpoint::handleAsync(HttpRequest request, Respond respond)
{
    const auto now = [&](HttpResponse response) {
        auto shared = std::make_shared<HttpResponse>(std::move(response));
        respond([shared] { return std::move(*shared); });
    };
    if (request.method == "OPTIONS") {
        // A CORS preflight, answered as DynamoDB does: anything is allowed, for 2 days.
        HttpResponse response = finish(200, {}, kJsonContentType);
        const auto requested = headerValue(request, "Access-Control-Request-Headers");
        const auto method = headerValue(request, "Access-Control-Request-Method");
        response.headers.emplace_back("Access-Control-Allow-Methods", method ? *method : "GET, POST, OPTIONS");
        response.headers.emplace_back("Access-Control-Allow-Headers",
            requested ? *requested
                      : "Authorization, Content-Type, X-Amz-Date, X-Amz-Target, X-Amz-User-Agent, "
                        "X-Amz-Security-Token, X-Amz-Content-Sha256");
        response.headers.emplace_back("Access-Control-Max-Age", "172800");
        return now(std::move(response));
    }
    if (request.method == "GET" || request.method == "HEAD") {
        if (pathOf(request.target) == "/")
            return now(finish(200, "healthy: " + headerValue(request, "Host").value_or(""), "text/plain"));
        if (pathOf(request.target) == "/capsim/live" && m_liveView)
            return now(live(request));
        return now(finish(404, "Not Found: " + std::string(pathOf(request.target)) + "\n", "text/plain"));
    }
    const auto contentType = headerValue(request, "Content-Type");
    // DynamoDB answers in the JSON dialect it was asked in (application/json for old clients).
    std::string responseType
        = contentType && contentType->starts_with("application/json") ? "application/json" : kJsonContentType;
    if (request.method != "POST")
        return now(finish(
            404, "Not Found: " + request.method + " " + std::string(pathOf(request.target)) + "\n", "text/plain"));
    const auto refuse
        = [&](const Status& status) { return now(render(Dispatcher::errorResponse(status), responseType)); };
    Job job;
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return refuse(Status(error::kSerialization, "The request body is empty"));
    if (std::string parseError; !parseJsonText(request.body, job.body, parseError))
        return refuse(Status(error::kSerialization, "The request body is not valid JSON: " + parseError));
    const auto target = headerValue(request, "X-Amz-Target");
    job.operation = target ? targetOperation(*target) : std::string();
    if (job.operation.empty())
        return refuse(Status(error::kUnknownOperation,
            target ? "capsim does not serve the target '" + *target
                    + "' (DynamoDB_20120810.<Operation> or DynamoDBStreams_20120810.<Operation>)"
                   : std::string("The request has no X-Amz-Target header naming its operation")));
    const auto authorization = headerValue(request, "Authorization");
    job.region = authorization ? credentialScopeRegion(*authorization) : std::string();
    if (job.region.empty())
        job.region = m_defaultRegion;
    // SigV4 and IAM (capsim_server_auth, wired by serve_command.cpp): the signature is verified
    // here, on the I/O thread; the policies are checked by the dispatcher on the executor.
    if (m_authenticator) {
        try {
            if (auto refused = m_authenticator(request, job.authorizer))
                return now(render(*refused, responseType));
        } catch (const std::exception& e) {
            return refuse(
                Status::internal(std::string("capsim serve failed authenticating ") + job.operation + ": " + e.what()));
        }
    }
    job.responseType = std::move(responseType);
    job.respond = std::move(respond);
    {
        std::lock_guard lock(m_queueMutex);
        m_queue.push_back(std::move(job));
    }
    m_queueChanged.notify_one();
}

void DynamoDbEndpoint::drain()
{
    std::unique_lock lock(m_queueMutex);
    m_idle.wait(lock, [&] { return m_queue.empty() && !m_executing; });
}

ExecutorStats DynamoDbEndpoint::executorStats() const
{
    std::lock_guard lock(m_queueMutex);
    return m_stats;
}

void DynamoDbEndpoint::runExecutor()
{
    pthread_setname_np(pthread_self(), "capsim-engine"); // for top and perf
    std::vector<Job> group;
    for (;;) {
        {
            std::unique_lock lock(m_queueMutex);
            m_executing = false;
            if (m_queue.empty())
                m_idle.notify_all();
            m_queueChanged.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, with nothing left to answer
            // Everything that arrived while the last group ran becomes the next group.
            group.swap(m_queue);
            m_executing = true;
            ++m_stats.groups;
            m_stats.requests += group.size();
            m_stats.largestGroup = std::max<std::uint64_t>(m_stats.largestGroup, group.size());
        }
        executeGroup(group);
        group.clear();
    }
}

void DynamoDbEndpoint::executeGroup(std::vector<Job>& group)
{
    std::vector<WireResponse> responses(group.size());
    std::optional<Status> newlyFailed;
    {
        std::lock_guard lock(m_engineMutex);
        // When beginning fails nothing runs: the engine still matches the file, only this group
        // is refused.
        const Status begun = m_storageFailed ? *m_storageFailed : m_engine.beginGroup();
        if (!begun) {
            for (auto& response : responses)
                response = Dispatcher::errorResponse(begun);
        } else {
            bool saveClock = false;
            for (std::size_t i = 0; i < group.size(); ++i) {
                // No request may take the server down: an unexpected exception (out of memory...)
                // is DynamoDB's InternalServerError for this request only.
                try {
                    responses[i] = execute(group[i], saveClock);
                } catch (const std::exception& e) {
                    responses[i] = Dispatcher::errorResponse(Status::internal(
                        std::string("capsim serve failed executing ") + group[i].operation + ": " + e.what()));
                }
            }
            // The clock is kept with every group that may have recorded something with a time, so
            // that a restarted server (even after kill -9) never starts behind it.
            Status committed = saveClock ? m_engine.saveClock() : Status::ok();
            if (committed)
                committed = m_engine.commitGroup();
            else
                m_engine.rollbackGroup();
            if (!committed) {
                // Nothing of the group is in the file, but the engine's memory holds its writes:
                // no request of the group is acknowledged, and the engine serves no more.
                const Status failure
                    = Status::internal("capsim serve stopped executing requests: committing a group of "
                        + std::to_string(group.size()) + " requests to the database failed (" + committed.message()
                        + "); none of them was applied. Restart the server.");
                m_storageFailed = failure;
                newlyFailed = failure;
                for (auto& response : responses)
                    response = Dispatcher::errorResponse(failure);
            }
        }
    }
    // Told before the group's answers go out, so that the server is stopping when they arrive.
    if (newlyFailed && m_storageFailure)
        m_storageFailure(*newlyFailed);
    for (std::size_t i = 0; i < group.size(); ++i)
        answer(group[i], std::move(responses[i]));
}

void DynamoDbEndpoint::answer(Job& job, WireResponse response)
{
    // Rendered by the transport on the connection's thread, not here on the executor.
    auto wire = std::make_shared<WireResponse>(std::move(response));
    job.respond([this, wire, type = std::move(job.responseType)] { return render(*wire, type); });
}

HttpResponse DynamoDbEndpoint::render(const WireResponse& wire, const std::string& responseType)
{
    return finish(wire.httpStatus, toJsonText(wire.body), responseType);
}

WireResponse DynamoDbEndpoint::execute(Job& job, bool& saveClock)
{
    const std::string_view operation = job.operation;
    const boost::json::value& body = job.body;
    m_dispatcher.setAuthorizer(std::move(job.authorizer));
    // Time only moves forward: the database's clock may be ahead of ours (a file last served
    // faster, or driven by `capsim call --now`).
    const EngineTime now = std::max(m_clock.now(), m_engine.now());
    m_engine.setRegion(job.region);
    // Live admission (simulator/live_capacity, wired by serve_command.cpp).
    // A batch is admitted item by item (its refused items come back unprocessed).
    std::optional<SplitBatch> batch;
    if (m_admission) {
        if (operation == "BatchWriteItem" || operation == "BatchGetItem")
            batch = admitBatch(operation, body, m_admission, m_engine, now);
        if (batch) {
            if (batch->admitted == 0 && batch->refusal)
                return std::move(*batch->refusal);
        } else if (auto throttled = m_admission(operation, body, m_engine, now)) {
            return std::move(*throttled);
        }
    }
    const boost::json::value& executed = batch ? batch->request : body;
    // The dispatcher brings the engine's background work (TTL, status changes) up to `now` first.
    // Its writes go into the executor's open group transaction, committed before any answer.
    m_itemsChanged = false;
    WireResponse response = m_dispatcher.dispatch(operation, executed, now);
    if (batch && !batch->unprocessed.empty() && !response.isError() && response.body.is_object())
        addUnprocessed(operation, response.body.as_object(), batch->unprocessed);
    // Charge what the call consumed to the tables' buckets.
    if (m_charge)
        m_charge(operation, executed, response, m_engine, now);
    // Item reads that changed nothing need not save the clock.
    const bool itemRead = std::find(kItemReads.begin(), kItemReads.end(), operation) != kItemReads.end();
    if (!itemRead || m_itemsChanged)
        saveClock = true;
    return response;
}

HttpResponse DynamoDbEndpoint::live(const HttpRequest& request)
{
    std::int64_t since = 0;
    const auto query = request.target.find('?');
    std::string_view parameters
        = query == std::string::npos ? std::string_view() : std::string_view(request.target).substr(query + 1);
    while (!parameters.empty()) {
        const std::string_view parameter = parameters.substr(0, parameters.find('&'));
        parameters.remove_prefix(std::min(parameters.size(), parameter.size() + 1));
        if (!parameter.starts_with("since="))
            continue;
        const std::string_view value = parameter.substr(6);
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), since);
        if (ec != std::errc() || end != value.data() + value.size() || since < 0)
            return finish(400,
                toJsonText(boost::json::object { { "message",
                    "since='" + std::string(value) + "' is not a Unix time in whole seconds (an integer >= 0)" } }),
                "application/json");
    }
    boost::json::value view;
    {
        std::lock_guard lock(m_engineMutex);
        view = m_liveView(m_engine, since);
    }
    // Rendered outside the lock: requests wait only for the snapshot.
    HttpResponse response = finish(200, toJsonText(view), "application/json");
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

HttpResponse DynamoDbEndpoint::bodyTooLarge(const HttpRequest&, std::size_t limitBytes)
{
    return finish(413,
        toJsonText(boost::json::object { { "__type", "com.amazon.coral.service#RequestEntityTooLargeException" },
            { "message",
                "The request body is larger than " + std::to_string(limitBytes) + " bytes, DynamoDB's limit" } }),
        kJsonContentType);
}

Status DynamoDbEndpoint::saveClock()
{
    std::lock_guard lock(m_engineMutex);
    if (m_storageFailed)
        return *m_storageFailed;
    return m_engine.saveClock();
}

HttpResponse DynamoDbEndpoint::finish(int status, std::string body, std::string contentType)
{
    HttpResponse response;
    response.status = status;
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
    response.headers.emplace_back("x-amzn-RequestId", requestId(m_requestIdSeed, m_requestCount++));
    response.headers.emplace_back("x-amz-crc32", std::to_string(crc));
    response.headers.emplace_back("Content-Type", std::move(contentType));
    // CORS: any origin may call, and read the headers an SDK checks.
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    response.headers.emplace_back("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amz-crc32");
    response.body = std::move(body);
    return response;
}

} // namespace capsim::server
