#include "app/cli/commands.h"

#include "engine/engine.h"
#include "engine/item_codec.h"
#include "engine/item_size.h"
#include "engine/json_writer.h"
#include "engine/key_codec.h"
#include "engine/sqlite/raw_baseline.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <boost/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numeric>

#include <sys/resource.h>

namespace capsim::cli {

namespace json = boost::json;

namespace {

const char* kBenchUsage = R"(Usage: capsim bench engine [--json] [--items N] [--dir DIR]
       capsim bench sim [--json] [--items N]
       capsim bench long [--json] [--days D] [--rate R] [--no-sampled]
       capsim bench server [--json] [--seconds S] [--connections N] [--dir DIR]   (see its --help)

sim: runs a 50/50 GetItem/PutItem workload of 1 KB items on uniform keys through the simulator
in full fidelity (N requests, default 1,000,000) and, in the same run, raw SQLite doing one point
operation per request on the same schema; prints
{"simulatedRequestsPerSec":..,"sqliteOpsPerSec":..,"ratio":..}.

long: a month (D days, default 30) of a table averaging R requests/s (default 1,000; diurnal,
zipf keys over 1,000,000 items, GetItem/PutItem/UpdateItem, auto scaling on reads and writes) in
fluid fidelity and, in the same run, the same scenario's first day in sampled fidelity (skipped
with --no-sampled); prints
{"days":..,"requests":..,"wallSeconds":..,"peakRssMB":..,"sampledDayWallSeconds":..}
(peakRssMB: the process's peak after the fluid run, before the sampled day).

engine:
Benchmarks the engine's PutItem and GetItem of 1 KB items (N items, default 1,000,000), in
:memory: and in a file under DIR (default a temporary folder), beside raw SQLite doing the same
storage work on the same schema, pragmas and transaction policy, in the same run. Prints one
line per mode; with --json one object per line:
{"mode":"memory"|"file","put":{"engineOpsPerSec":..,"sqliteOpsPerSec":..,"ratio":..},"get":{...}}
)";

using Clock = std::chrono::steady_clock;

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "k" + std::to_string(i).
std::string keyName(std::int64_t i)
{
    std::string name = "k";
    name += std::to_string(i);
    return name;
}

double seconds(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A 1,024-byte item: key "k<i>" and a padding attribute (reference A1 sizing).
Item benchItem(std::int64_t i)
{
    Item item;
    item.emplace("pk", AttributeValue::string(keyName(i)));
    const std::int64_t used = 2 + static_cast<std::int64_t>(item.at("pk").bytes().size()) + 1;
    item.emplace("p", AttributeValue::string(std::string(static_cast<std::size_t>(1024 - used), 'x')));
    return item;
}

// A fixed pseudo-random visiting order, the same for the engine and the baseline.
std::vector<std::int64_t> shuffledOrder(std::int64_t n)
{
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (std::size_t i = order.size(); i > 1; --i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        std::swap(order[i - 1], order[static_cast<std::size_t>((state >> 33) % i)]);
    }
    return order;
}

struct Rates {
    double put = 0;
    double get = 0;
};

Result<Rates> runEngine(const std::string& path, std::int64_t n, const std::vector<std::int64_t>& order)
{
    auto engine = Engine::open(path);
    if (!engine)
        return engine.status();
    CreateTableRequest create;
    create.tableName = "Bench";
    create.keySchema.partition = { "pk", AttrType::S };
    create.billingMode = BillingMode::PayPerRequest;
    auto table = (*engine)->createTable(create, 0);
    if (!table)
        return table.status();
    Rates rates;
    PutItemRequest put;
    put.tableName = "Bench";
    auto start = Clock::now();
    for (std::int64_t i = 0; i < n; ++i) {
        put.item = benchItem(i);
        auto response = (*engine)->putItem(put);
        if (!response.status)
            return response.status;
    }
    rates.put = static_cast<double>(n) / seconds(start);
    GetItemRequest get;
    get.tableName = "Bench";
    start = Clock::now();
    for (std::int64_t i : order) {
        get.key.clear();
        get.key.emplace("pk", AttributeValue::string(keyName(i)));
        auto response = (*engine)->getItem(get);
        if (!response.status || !response.item)
            return response.status.isOk() ? Status::internal("benchmark item missing") : response.status;
    }
    rates.get = static_cast<double>(n) / seconds(start);
    return rates;
}

Result<Rates> runBaseline(const std::string& path, std::int64_t n, const std::vector<std::int64_t>& order)
{
    auto baseline = RawSqliteBaseline::open(path);
    if (!baseline)
        return baseline.status();
    // The baseline stores the same bytes the engine stores; preparing them is not storage work.
    Rates rates;
    auto start = Clock::now();
    StoredKey key;
    for (std::int64_t i = 0; i < n; ++i) {
        const Item item = benchItem(i);
        key.partitionKey = item.at("pk").bytes();
        key.hash = partitionHash(key.partitionKey);
        CAPSIM_RETURN_IF_ERROR((*baseline)->put(key, itemSizeBytes(item), encodeItem(item)));
    }
    rates.put = static_cast<double>(n) / seconds(start);
    std::string blob;
    start = Clock::now();
    for (std::int64_t i : order) {
        key.partitionKey = keyName(i);
        key.hash = partitionHash(key.partitionKey);
        bool found = false;
        CAPSIM_RETURN_IF_ERROR((*baseline)->get(key, found, blob));
        if (!found)
            return Status::internal("baseline row missing");
    }
    rates.get = static_cast<double>(n) / seconds(start);
    return rates;
}

void removeDatabase(const std::string& path)
{
    std::error_code ec;
    for (const char* suffix : { "", "-wal", "-shm" })
        std::filesystem::remove(path + suffix, ec);
}

int benchSimulator(bool asJson, std::int64_t requests)
{
    // 500 requests/s of simulated time for requests / 500 seconds: the key space (100,000 keys)
    // fills as it runs, like the engine benchmark.
    const double rate = 500.0;
    const auto durationSeconds = static_cast<std::int64_t>(static_cast<double>(requests) / rate);
    const std::string text = R"({"format":"capsim-scenario/1","name":"bench-sim","duration":)" + std::to_string(durationSeconds)
        + R"(,"fidelity":{"mode":"full"},"tables":[{"name":"Bench","partitionKey":{"name":"pk","type":"S"},)"
          R"("billingMode":"PAY_PER_REQUEST"}],"workloads":[{"table":"Bench","rate":{"type":"constant","rate":500},)"
          R"("operations":{"GetItem":0.5,"PutItem":0.5},"keys":{"type":"uniform","cardinality":100000},)"
          R"("itemSize":{"type":"fixed","size":"1KB"}}]})";
    auto loaded = loadScenarioText(text, ".");
    if (!loaded.scenario) {
        std::fprintf(stderr, "capsim bench: %s\n", formatErrors(loaded.errors).c_str());
        return 1;
    }
    SimulatorOptions options;
    options.pricing = *builtInPricing("us-east-1");
    auto start = Clock::now();
    Simulator simulator(*loaded.scenario, options);
    auto result = simulator.run();
    const double simSeconds = seconds(start);
    if (!result) {
        std::fprintf(stderr, "capsim bench: %s\n", result.status().toString().c_str());
        return 1;
    }
    std::int64_t simulated = 0;
    for (const auto& t : (*result)->tables)
        simulated += t.requestsRead + t.requestsWrite;
    // The baseline: raw SQLite, one point operation per request (a put reads the old size and
    // replaces the row; a get is a point select), same schema, pragmas and commit policy.
    auto baseline = RawSqliteBaseline::open(":memory:");
    if (!baseline)
        return 1;
    std::uint64_t state = 0x2545F4914F6CDD1DULL;
    StoredKey key;
    std::string blob;
    const Item sample = benchItem(0);
    const std::string encoded = encodeItem(sample);
    start = Clock::now();
    for (std::int64_t i = 0; i < simulated; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        key.partitionKey = keyName(static_cast<std::int64_t>((state >> 33) % 100000));
        key.hash = partitionHash(key.partitionKey);
        if ((state >> 20) & 1) {
            if (!(*baseline)->put(key, 1024, encoded))
                return 1;
        } else {
            bool found = false;
            if (!(*baseline)->get(key, found, blob))
                return 1;
        }
    }
    const double sqliteSeconds = seconds(start);
    const double simRate = static_cast<double>(simulated) / simSeconds;
    const double sqliteRate = static_cast<double>(simulated) / sqliteSeconds;
    json::object line { { "simulatedRequestsPerSec", std::round(simRate) }, { "sqliteOpsPerSec", std::round(sqliteRate) },
        { "ratio", std::round(simRate / sqliteRate * 1000.0) / 1000.0 }, { "requests", simulated } };
    if (asJson)
        std::printf("%s\n", toJsonText(line).c_str());
    else
        std::printf("sim: %lld requests simulated at %.0f/s; raw SQLite %.0f ops/s; ratio %.3f\n",
            static_cast<long long>(simulated), simRate, sqliteRate, simRate / sqliteRate);
    return 0;
}

// The month-long scenario of `bench long` (and the library's lesson 20, on one table): diurnal
// traffic around `rate` requests/s, zipf keys over a million items, auto scaling on both dimensions.
std::string longScenario(double days, double rate, const char* fidelity)
{
    char text[2048];
    std::snprintf(text, sizeof text,
        R"({"format":"capsim-scenario/1","name":"bench-long","duration":"%gd","seed":1,"fidelity":%s,)"
        R"("tables":[{"name":"Orders","partitionKey":{"name":"pk","type":"S"},"billingMode":"PROVISIONED",)"
        R"("provisioned":{"read":%g,"write":%g},"autoScaling":{"read":{"min":50,"max":40000,"target":70},)"
        R"("write":{"min":50,"max":40000,"target":70}},"initialData":{"items":1000000,"itemSize":{"type":"fixed","size":800}}}],)"
        R"("workloads":[{"name":"app","table":"Orders","rate":{"type":"diurnal","mean":%g,"amplitude":0.6,"peakAt":"14h","period":"24h"},)"
        R"("operations":{"GetItem":0.6,"PutItem":0.2,"UpdateItem":0.2},"keys":{"type":"zipf","cardinality":1000000,"exponent":0.9},)"
        R"("itemSize":{"type":"fixed","size":800}}]})",
        days, fidelity, std::ceil(rate * 0.6 * 0.5 / 0.7), std::ceil(rate * 0.4 / 0.7), rate);
    return text;
}

double peakRssMB()
{
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int benchLong(bool asJson, double days, double rate, bool sampled)
{
    auto runText = [](const std::string& text, double& wall) -> std::shared_ptr<const RunResult> {
        auto loaded = loadScenarioText(text, ".");
        if (!loaded.scenario) {
            std::fprintf(stderr, "capsim bench: %s\n", formatErrors(loaded.errors).c_str());
            return nullptr;
        }
        SimulatorOptions options;
        options.pricing = *builtInPricing("us-east-1");
        const auto start = Clock::now();
        Simulator simulator(*loaded.scenario, options);
        auto result = simulator.run();
        wall = seconds(start);
        if (!result) {
            std::fprintf(stderr, "capsim bench: %s\n", result.status().toString().c_str());
            return nullptr;
        }
        return *result;
    };
    double wall = 0;
    const auto fluid = runText(longScenario(days, rate, R"({"mode":"fluid","step":"1s"})"), wall);
    if (!fluid)
        return 1;
    const double peak = peakRssMB();
    std::int64_t requests = 0;
    for (const auto& t : fluid->tables)
        requests += t.requestsRead + t.requestsWrite;
    double sampledWall = 0;
    // The first day as auto would sample it below 100 M requests: 2,000,000 through the engine.
    const std::string sampledFidelity = R"({"mode":"sampled","rate":)" + std::to_string(std::min(1.0, 2e6 / (rate * 86400))) + "}";
    if (sampled && !runText(longScenario(1, rate, sampledFidelity.c_str()), sampledWall))
        return 1;
    json::object line { { "days", days }, { "requests", requests }, { "wallSeconds", std::round(wall * 100) / 100 },
        { "peakRssMB", std::round(peak) } };
    if (sampled)
        line["sampledDayWallSeconds"] = std::round(sampledWall * 100) / 100;
    if (asJson)
        std::printf("%s\n", toJsonText(line).c_str());
    else
        std::printf("long: %g days, %lld requests in fluid fidelity: %.2f s, peak %.0f MB; the first day sampled: %.2f s\n", days,
            static_cast<long long>(requests), wall, peak, sampledWall);
    return 0;
}

} // namespace

int benchCommand(const std::vector<std::string>& args)
{
    if (!args.empty() && args[0] == "server")
        return benchServerCommand(std::vector<std::string>(args.begin() + 1, args.end()));
    bool asJson = false;
    std::int64_t items = 1000000;
    std::string dir;
    std::string which;
    double days = 30, rate = 1000;
    bool sampled = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::fputs(kBenchUsage, stdout);
            return 0;
        } else if (args[i] == "--json") {
            asJson = true;
        } else if (args[i] == "--items" && i + 1 < args.size()) {
            items = std::atoll(args[++i].c_str());
        } else if (args[i] == "--days" && i + 1 < args.size()) {
            days = std::atof(args[++i].c_str());
        } else if (args[i] == "--rate" && i + 1 < args.size()) {
            rate = std::atof(args[++i].c_str());
        } else if (args[i] == "--no-sampled") {
            sampled = false;
        } else if (args[i] == "--dir" && i + 1 < args.size()) {
            dir = args[++i];
        } else if (which.empty() && args[i][0] != '-') {
            which = args[i];
        } else {
            std::fprintf(stderr, "capsim bench: unexpected argument '%s'\n%s", args[i].c_str(), kBenchUsage);
            return 2;
        }
    }
    if (which == "sim" && items >= 1)
        return benchSimulator(asJson, items);
    if (which == "long" && days > 0 && rate > 0)
        return benchLong(asJson, days, rate, sampled);
    if (which != "engine" || items < 1) {
        std::fputs(kBenchUsage, stderr);
        return 2;
    }
    // The benchmark's files live in a folder of its own inside DIR, made here and removed at the
    // end: DIR itself and anything already in it are never touched (it may be a home folder).
    std::error_code ec;
    const std::filesystem::path parent = dir.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(dir);
    if (!dir.empty() && std::filesystem::exists(parent, ec) && !std::filesystem::is_directory(parent, ec)) {
        std::fprintf(stderr, "capsim bench: --dir '%s' is a file, not a folder\n", dir.c_str());
        return 2;
    }
    std::filesystem::create_directories(parent, ec);
    std::string pattern = (parent / "capsim-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::fprintf(stderr, "capsim bench: cannot create a folder in '%s': %s\n", parent.c_str(), std::strerror(errno));
        return 1;
    }
    dir = pattern;
    const auto order = shuffledOrder(items);
    int status = 0;
    for (const char* mode : { "memory", "file" }) {
        const bool memory = std::string(mode) == "memory";
        const std::string enginePath = memory ? ":memory:" : dir + "/engine.sqlite";
        const std::string baselinePath = memory ? ":memory:" : dir + "/baseline.sqlite";
        removeDatabase(enginePath);
        removeDatabase(baselinePath);
        auto engine = runEngine(enginePath, items, order);
        auto baseline = runBaseline(baselinePath, items, order);
        if (!memory) {
            removeDatabase(enginePath);
            removeDatabase(baselinePath);
        }
        if (!engine || !baseline) {
            std::fprintf(stderr, "capsim bench: %s\n",
                (!engine ? engine.status() : baseline.status()).message().c_str());
            status = 1;
            continue;
        }
        auto figures = [](double engineRate, double sqliteRate) {
            return json::object { { "engineOpsPerSec", std::round(engineRate) },
                { "sqliteOpsPerSec", std::round(sqliteRate) },
                { "ratio", std::round(engineRate / sqliteRate * 1000.0) / 1000.0 } };
        };
        json::object line { { "mode", mode }, { "items", items }, { "put", figures(engine->put, baseline->put) },
            { "get", figures(engine->get, baseline->get) } };
        if (asJson) {
            std::printf("%s\n", toJsonText(line).c_str());
        } else {
            std::printf("%-6s put: engine %9.0f ops/s, raw SQLite %9.0f ops/s, ratio %.3f\n", mode, engine->put,
                baseline->put, engine->put / baseline->put);
            std::printf("%-6s get: engine %9.0f ops/s, raw SQLite %9.0f ops/s, ratio %.3f\n", mode, engine->get,
                baseline->get, engine->get / baseline->get);
        }
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir, ec);
    return status;
}

} // namespace capsim::cli
