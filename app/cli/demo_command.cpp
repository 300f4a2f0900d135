#include "app/cli/commands.h"

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>

#ifndef CAPSIM_RESOURCES_DIR
#define CAPSIM_RESOURCES_DIR "resources"
#endif

namespace capsim::cli {

namespace json = boost::json;

namespace {

const char* kDemoUsage = R"(Usage: capsim demo [--db PATH] [--steps FILE]

Runs the engine demo: executes each DynamoDB call of FILE (default resources/demo/steps.json)
against a fresh engine database PATH (default capsim-out/demo/engine.sqlite) and prints what
each call returned and consumed. Reopen the database with 'capsim call --db PATH ...'.
)";

std::string describeOutcome(const std::string& operation, const WireResponse& response)
{
    const auto& body = response.body.as_object();
    if (response.isError())
        return response.errorType + ": " + std::string(body.at("message").as_string());
    if (operation == "Query" || operation == "Scan")
        return std::to_string(body.at("Count").as_int64()) + " of " + std::to_string(body.at("ScannedCount").as_int64())
            + " items evaluated matched";
    if (operation == "GetItem")
        return body.contains("Item") ? "item found" : "no such item";
    if (const auto* table = body.if_contains("TableDescription") ? body.if_contains("TableDescription") : body.if_contains("Table")) {
        const auto& t = table->as_object();
        const auto& throughput = t.at("ProvisionedThroughput").as_object();
        return std::string(t.at("TableStatus").as_string()) + ", "
            + std::to_string(throughput.at("ReadCapacityUnits").as_int64()) + " RCU / "
            + std::to_string(throughput.at("WriteCapacityUnits").as_int64()) + " WCU, "
            + std::to_string(t.at("ItemCount").as_int64()) + " items, "
            + std::to_string(t.at("capsim").as_object().at("partitionCount").as_int64()) + " partitions";
    }
    if (body.contains("Attributes"))
        return "ok, returned " + toJsonText(body.at("Attributes"));
    return "ok";
}

} // namespace

int demoCommand(const std::vector<std::string>& args)
{
    std::string db = "capsim-out/demo/engine.sqlite";
    std::string steps = std::string(CAPSIM_RESOURCES_DIR) + "/demo/steps.json";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::fputs(kDemoUsage, stdout);
            return 0;
        }
        if ((args[i] == "--db" || args[i] == "--steps") && i + 1 < args.size()) {
            (args[i] == "--db" ? db : steps) = args[i + 1];
            ++i;
            continue;
        }
        std::fprintf(stderr, "capsim demo: unexpected argument '%s'\n%s", args[i].c_str(), kDemoUsage);
        return 2;
    }
    std::string text;
    if (!readInput(steps, text)) {
        std::fprintf(stderr, "capsim demo: cannot read '%s'\n", steps.c_str());
        return 2;
    }
    // Expand the one placeholder that makes an item of a chosen size.
    const std::string placeholder = "@@NOTES_2500@@";
    if (auto at = text.find(placeholder); at != std::string::npos)
        text.replace(at, placeholder.size(), std::string(2500, 'n'));
    json::value script;
    std::string parseError;
    if (!parseJsonText(text, script, parseError) || !script.is_object() || !script.as_object().contains("steps")) {
        std::fprintf(stderr, "capsim demo: '%s' is not a demo script: %s\n", steps.c_str(), parseError.c_str());
        return 2;
    }
    std::error_code ec;
    std::filesystem::path dbPath(db);
    if (dbPath.has_parent_path())
        std::filesystem::create_directories(dbPath.parent_path(), ec);
    for (const char* suffix : { "", "-wal", "-shm" })
        std::filesystem::remove(db + suffix, ec);
    auto engine = Engine::open(db);
    if (!engine) {
        std::fprintf(stderr, "capsim demo: %s\n", engine.status().message().c_str());
        return 1;
    }
    Dispatcher dispatcher(**engine);
    std::printf("capsim engine demo: %s\n\n", std::string(script.as_object().at("description").as_string()).c_str());
    std::printf("%-4s %-14s %-8s %-8s %s\n", "step", "operation", "RCU", "WCU", "result");
    int step = 0;
    int unexpected = 0;
    EngineTime now = 0;
    for (const auto& entry : script.as_object().at("steps").as_array()) {
        const auto& s = entry.as_object();
        const std::string operation(s.at("operation").as_string());
        WireResponse response = dispatcher.dispatch(operation, s.at("request"), now);
        now += kMicrosPerSecond;
        ++step;
        // The engine meters every call, a failed conditional write included.
        double read = 0;
        double write = 0;
        for (const auto& consumed : response.consumed) {
            read += consumed.total().read;
            write += consumed.total().write;
        }
        if (response.isError() && response.errorType != error::kConditionalCheckFailed)
            ++unexpected;
        std::printf("%-4d %-14s %-8s %-8s %s\n", step, operation.c_str(),
            read > 0 ? toJsonText(json::value(read)).c_str() : "-", write > 0 ? toJsonText(json::value(write)).c_str() : "-",
            describeOutcome(operation, response).c_str());
        std::printf("     %s\n", std::string(s.at("title").as_string()).c_str());
    }
    std::printf("\nEngine database: %s (reopen it with: capsim call --db %s DescribeTable -)\n", db.c_str(), db.c_str());
    return unexpected ? 1 : 0;
}

} // namespace capsim::cli
