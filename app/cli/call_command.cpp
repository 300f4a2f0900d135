#include "app/cli/commands.h"

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace capsim::cli {

namespace {

const char* kCallUsage = R"(Usage: capsim call --db PATH OPERATION [REQUEST.json|-]

Executes one DynamoDB API call, in DynamoDB's JSON request format, against the engine database
PATH (created if missing; a file that is not an engine database is refused and left unchanged).
Without REQUEST the request is read from standard input when it is not a terminal, else it is {}.
Prints DynamoDB's response JSON.

Operations: CreateTable DescribeTable UpdateTable DeleteTable ListTables GetItem PutItem
            UpdateItem DeleteItem Query Scan BatchGetItem BatchWriteItem TransactGetItems
            TransactWriteItems
Options:    --compact   print the response on one line
Exit codes: 0 success, 1 DynamoDB error response (or storage failure; a request that is not
            JSON is DynamoDB's SerializationException), 2 bad arguments (a --db that is a folder
            or not an engine database).
)";

} // namespace

int callCommand(const std::vector<std::string>& args)
{
    std::string db;
    std::vector<std::string> positional;
    bool compact = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kCallUsage, stdout);
            return 0;
        }
        if (arg == "--db") {
            if (i + 1 >= args.size()) {
                std::fputs("capsim call: --db needs a PATH\n", stderr);
                return 2;
            }
            db = args[++i];
        } else if (arg.rfind("--db=", 0) == 0) {
            db = arg.substr(5);
        } else if (arg == "--compact") {
            compact = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            std::fprintf(stderr, "capsim call: unknown option '%s'\n", arg.c_str());
            return 2;
        } else {
            positional.push_back(arg);
        }
    }
    if (db.empty() || positional.empty() || positional.size() > 2) {
        std::fputs(kCallUsage, stderr);
        return 2;
    }
    const std::string& operation = positional[0];
    std::string body;
    if (positional.size() == 2) {
        std::string why;
        if (!readInput(positional[1], body, &why)) {
            std::fprintf(stderr, "capsim call: %s\n", cannotRead(positional[1], why).c_str());
            return 2;
        }
    } else if (std::string why; !isatty(STDIN_FILENO) && !readInput("-", body, &why)) {
        std::fprintf(stderr, "capsim call: %s\n", cannotRead("-", why).c_str());
        return 2;
    }
    if (body.find_first_not_of(" \t\r\n") == std::string::npos)
        body = "{}";
    boost::json::value request;
    std::string parseError;
    const bool isJson = parseJsonText(body, request, parseError);
    std::error_code ec;
    if (std::filesystem::is_directory(db, ec)) {
        std::fprintf(stderr, "capsim call: --db '%s' is a folder; it names the engine database file\n", db.c_str());
        return 2;
    }
    if (!isJson) {
        // A malformed body is DynamoDB's own error (issue 8), not a usage error: the response an
        // SDK would get, exit 1.
        const WireResponse error = Dispatcher::errorResponse(
            Status(error::kSerialization, "The request body is not valid JSON: " + parseError));
        std::fputs((toJsonText(error.body, !compact) + "\n").c_str(), stdout);
        std::fprintf(stderr, "capsim call: the request is not JSON: %s\n", parseError.c_str());
        return 1;
    }
    // A file that is not an engine database (a run's results, a text file) is refused unchanged:
    // a bad --db argument. A database that cannot be created (no such folder) is a failed call.
    auto engine = Engine::open(db);
    if (!engine) {
        std::fprintf(stderr, "capsim call: --db: %s\n", engine.status().message().c_str());
        return engine.status().is(error::kValidation) ? 2 : 1;
    }
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                         .count();
    Dispatcher dispatcher(**engine);
    WireResponse response = dispatcher.dispatch(operation, request, now);
    std::fputs((toJsonText(response.body, !compact) + "\n").c_str(), stdout);
    return response.isError() ? 1 : 0;
}

} // namespace capsim::cli
