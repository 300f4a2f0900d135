#include "app/cli/commands.h"

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

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

// What is wrong with a demo script's shape ("" when nothing): each step needs a title, an
// operation and a request object.
std::string scriptProblem(const json::value& script)
{
    const auto* root = script.if_object();
    if (!root)
        return "it is not a JSON object";
    const auto* description = root->if_contains("description");
    if (description && !description->is_string())
        return "description is not a string";
    const auto* list = root->if_contains("steps");
    if (!list || !list->is_array())
        return "it has no steps array";
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const auto* step = list->as_array()[i].if_object();
        const std::string where = "steps[" + std::to_string(i) + "]";
        if (!step)
            return where + " is not an object";
        for (const char* field : { "title", "operation" })
            if (!step->contains(field) || !step->at(field).is_string())
                return where + "." + field + " is missing or not a string";
        if (!step->contains("request") || !step->at("request").is_object())
            return where + ".request is missing or not an object";
    }
    return {};
}

std::string firstCreatedTable(const json::array& steps)
{
    for (const auto& step : steps) {
        const auto& s = step.as_object();
        if (s.at("operation").as_string() == "CreateTable")
            if (const auto* name = s.at("request").as_object().if_contains("TableName"); name && name->is_string())
                return std::string(name->as_string());
    }
    return {};
}

std::string shellQuoted(const std::string& text)
{
    if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=+,")
            == std::string::npos)
        return text;
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// "capsim" when that name on PATH is this program, else this program's own path.
std::string selfCommand()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path self = fs::canonical("/proc/self/exe", ec);
    if (ec)
        return "capsim";
    const char* pathVariable = std::getenv("PATH");
    std::string paths = pathVariable ? pathVariable : "";
    for (std::size_t start = 0; start <= paths.size();) {
        std::size_t end = paths.find(':', start);
        if (end == std::string::npos)
            end = paths.size();
        const fs::path candidate = fs::path(paths.substr(start, end - start)) / "capsim";
        if (end > start && fs::equivalent(candidate, self, ec))
            return "capsim";
        start = end + 1;
    }
    return shellQuoted(self.string());
}

// The demo starts from a fresh database. An existing PATH is replaced only when it is an engine
// database holding nothing but tables the script creates (the demo's own, from an earlier run):
// anything else (a folder, a user's file, a database with other tables) is refused, left unchanged.
Status prepareFreshDatabase(const std::string& db, const json::array& steps)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dbPath(db);
    if (fs::is_directory(dbPath, ec))
        return Status::validation("'" + db + "' is a folder; --db names the database file the demo creates");
    if (fs::exists(dbPath, ec)) {
        std::set<std::string> demoTables;
        for (const auto& step : steps) {
            const auto& s = step.as_object();
            if (s.at("operation").as_string() == "CreateTable")
                if (const auto* name = s.at("request").as_object().if_contains("TableName"); name && name->is_string())
                    demoTables.insert(std::string(name->as_string()));
        }
        auto existing = Engine::open(db);
        if (!existing)
            return existing.status();
        Dispatcher dispatcher(**existing);
        const WireResponse listed = dispatcher.dispatch("ListTables", json::object {}, 0);
        std::string others;
        if (listed.isError() || listed.body.as_object().contains("LastEvaluatedTableName"))
            others = "more tables than it can list";
        else
            for (const auto& name : listed.body.as_object().at("TableNames").as_array())
                if (!demoTables.count(std::string(name.as_string())))
                    others += (others.empty() ? "" : ", ") + std::string(name.as_string());
        if (!others.empty())
            return Status::validation("'" + db + "' holds tables the demo did not create (" + others
                + "); the demo starts from a fresh database, so give --db a new path");
    }
    if (dbPath.has_parent_path())
        fs::create_directories(dbPath.parent_path(), ec);
    for (const char* suffix : { "", "-wal", "-shm" })
        fs::remove(db + suffix, ec);
    return Status::ok();
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
    std::string why;
    if (!readInput(steps, text, &why)) {
        std::fprintf(stderr, "capsim demo: --steps: %s\n", cannotRead(steps, why).c_str());
        return 2;
    }
    // Expand the one placeholder that makes an item of a chosen size.
    const std::string placeholder = "@@NOTES_2500@@";
    if (auto at = text.find(placeholder); at != std::string::npos)
        text.replace(at, placeholder.size(), std::string(2500, 'n'));
    json::value script;
    std::string parseError;
    if (!parseJsonText(text, script, parseError)) {
        std::fprintf(stderr, "capsim demo: --steps '%s' is not JSON: %s\n", steps.c_str(), parseError.c_str());
        return 2;
    }
    if (std::string problem = scriptProblem(script); !problem.empty()) {
        std::fprintf(stderr, "capsim demo: --steps '%s' is not a demo script: %s\n", steps.c_str(), problem.c_str());
        return 2;
    }
    const json::array& stepList = script.as_object().at("steps").as_array();
    if (Status s = prepareFreshDatabase(db, stepList); !s) {
        std::fprintf(stderr, "capsim demo: --db: %s\n", s.message().c_str());
        return s.is(error::kValidation) ? 2 : 1;
    }
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
    for (const auto& entry : stepList) {
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
    // The hint is a command that works as printed (issue 8: DescribeTable needs a TableName).
    const std::string table = firstCreatedTable(stepList);
    if (table.empty())
        std::printf("\nEngine database: %s (reopen it with: %s call --db %s ListTables)\n", db.c_str(),
            selfCommand().c_str(), shellQuoted(db).c_str());
    else
        std::printf("\nEngine database: %s (reopen it with: echo %s | %s call --db %s DescribeTable)\n", db.c_str(),
            shellQuoted(toJsonText(json::object { { "TableName", table } })).c_str(), selfCommand().c_str(),
            shellQuoted(db).c_str());
    return unexpected ? 1 : 0;
}

} // namespace capsim::cli
