#include "app/cli/commands.h"

#include "app/cli/engine_database.h"

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unistd.h>

namespace capsim::cli {

namespace {

const char* kCallUsage = R"(Usage: capsim call --db PATH [--now TIME] [--s3-root DIR] [--region R] OPERATION [REQUEST.json|-]

Executes one DynamoDB API call, in DynamoDB's JSON request format, against the engine database
PATH (created if missing; a file that is not an engine database is refused and left unchanged).
Without REQUEST the request is read from standard input when it is not a terminal, else it is {}.
Prints DynamoDB's response JSON.

Operations: CreateTable DescribeTable UpdateTable DeleteTable ListTables GetItem PutItem
            UpdateItem DeleteItem Query Scan BatchGetItem BatchWriteItem TransactGetItems
            TransactWriteItems UpdateTimeToLive DescribeTimeToLive UpdateContinuousBackups
            DescribeContinuousBackups RestoreTableToPointInTime CreateBackup DescribeBackup
            ListBackups DeleteBackup RestoreTableFromBackup ImportTable
            DescribeImport ListImports ExportTableToPointInTime DescribeExport ListExports
            EnableKinesisStreamingDestination DisableKinesisStreamingDestination
            UpdateKinesisStreamingDestination DescribeKinesisStreamingDestination
            Streams (DynamoDBStreams_20120810): ListStreams DescribeStream GetShardIterator GetRecords
Options:    --now TIME      the engine's clock for this call: Unix epoch seconds (decimal allowed)
                            or ISO 8601 UTC (2026-12-04T10:00:00Z); default the wall clock. Time
                            only moves forward: an earlier TIME than the database's is refused.
            --s3-root DIR   the folder that stands for Amazon S3 (default PATH.s3 beside PATH)
            --region R      the region the call addresses (default $AWS_REGION, else us-east-1)
            --compact       print the response on one line
Exit codes: 0 success, 1 DynamoDB error response (or storage failure; a request that is not
            JSON is DynamoDB's SerializationException), 2 bad arguments (a --db that is a folder
            or not an engine database).
)";

// The value of an option given as `--name VALUE` or `--name=VALUE`; false with a message when
// VALUE is missing.
bool optionValue(const std::vector<std::string>& args, std::size_t& i, const std::string& name, std::string& value,
    bool& matched)
{
    const std::string& arg = args[i];
    matched = false;
    if (arg == name) {
        matched = true;
        if (i + 1 >= args.size()) {
            std::fprintf(stderr, "capsim call: %s needs a value\n", name.c_str());
            return false;
        }
        value = args[++i];
    } else if (arg.rfind(name + "=", 0) == 0) {
        matched = true;
        value = arg.substr(name.size() + 1);
    }
    return true;
}

} // namespace

int callCommand(const std::vector<std::string>& args)
{
    std::string db;
    std::string nowText;
    std::string s3Root;
    std::string region;
    std::vector<std::string> positional;
    bool compact = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kCallUsage, stdout);
            return 0;
        }
        bool matched = false;
        for (auto [name, target] : { std::pair { "--db", &db }, std::pair { "--now", &nowText },
                 std::pair { "--s3-root", &s3Root }, std::pair { "--region", &region } }) {
            if (!optionValue(args, i, name, *target, matched))
                return 2;
            if (matched)
                break;
        }
        if (matched) {
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
    std::optional<EngineTime> now;
    const bool nowGiven = std::any_of(args.begin(), args.end(), [](const std::string& a) { return a.rfind("--now", 0) == 0; });
    if (nowGiven) {
        now = parseEngineTime(nowText);
        if (!now) {
            std::fprintf(stderr,
                "capsim call: --now '%s' is not a time (Unix epoch seconds or ISO 8601 UTC such as "
                "2026-12-04T10:00:00Z)\n",
                nowText.c_str());
            return 2;
        }
    }
    if (region.empty())
        region = defaultRegion();
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
    if (const std::string folder = folderError(db); !folder.empty()) {
        std::fprintf(stderr, "capsim call: %s\n", folder.c_str());
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
    EngineDatabase opened = openEngineDatabase(db, s3Root);
    if (!opened.engine) {
        std::fprintf(stderr, "capsim call: %s\n", opened.error.c_str());
        return opened.exitCode;
    }
    Engine& engine = *opened.engine;
    // Time only moves forward: an explicit --now before the database's clock is refused; the
    // wall clock, if behind it (a database driven with --now ahead of today), gives way to it.
    const EngineTime stored = engine.now();
    if (now && *now < stored) {
        std::fprintf(stderr, "capsim call: --now '%s' is earlier than the database's latest time (%s)\n",
            nowText.c_str(), formatEngineTime(stored).c_str());
        return 2;
    }
    const EngineTime callTime = now ? *now : clockStart(engine);
    engine.setRegion(region);
    Dispatcher dispatcher(engine);
    WireResponse response = dispatcher.dispatch(operation, request, callTime);
    if (Status saved = engine.saveClock(); !saved) {
        std::fprintf(stderr, "capsim call: saving the database's clock: %s\n", saved.message().c_str());
        std::fputs((toJsonText(response.body, !compact) + "\n").c_str(), stdout);
        return 1;
    }
    std::fputs((toJsonText(response.body, !compact) + "\n").c_str(), stdout);
    return response.isError() ? 1 : 0;
}

} // namespace capsim::cli
