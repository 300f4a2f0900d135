#include "app/cli/commands.h"

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <cstdio>
#include <filesystem>
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

// Parses --now: Unix epoch seconds (decimal allowed) or ISO 8601 UTC, YYYY-MM-DDThh:mm:ss[.fff]Z.
std::optional<EngineTime> parseCallTime(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    if (text.find_first_not_of("0123456789.") == std::string::npos) {
        if (std::count(text.begin(), text.end(), '.') > 1 || text == ".")
            return std::nullopt;
        const auto dot = text.find('.');
        const std::string whole = text.substr(0, dot);
        std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
        if (whole.size() > 12)
            return std::nullopt;
        fraction = (fraction + "000000").substr(0, 6);
        return (whole.empty() ? 0 : std::stoll(whole)) * 1'000'000 + std::stoll(fraction);
    }
    int year, month, day, hour, minute, second, consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed) != 6
        || consumed != 19)
        return std::nullopt;
    std::string rest = text.substr(19);
    std::int64_t micros = 0;
    if (!rest.empty() && rest[0] == '.') {
        std::size_t digits = 1;
        while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])))
            ++digits;
        if (digits == 1)
            return std::nullopt;
        micros = std::stoll((rest.substr(1, digits - 1) + "000000").substr(0, 6));
        rest = rest.substr(digits);
    }
    if (rest != "Z" || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    std::tm tm {};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t epoch = timegm(&tm);
    if (epoch < 0)
        return std::nullopt;
    return static_cast<EngineTime>(epoch) * 1'000'000 + micros;
}

// ISO 8601 UTC with milliseconds, for messages.
std::string formatCallTime(EngineTime time)
{
    const std::time_t seconds = static_cast<std::time_t>(time / 1'000'000);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(time % 1'000'000 / 1000));
    return text;
}

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
        now = parseCallTime(nowText);
        if (!now) {
            std::fprintf(stderr,
                "capsim call: --now '%s' is not a time (Unix epoch seconds or ISO 8601 UTC such as "
                "2026-12-04T10:00:00Z)\n",
                nowText.c_str());
            return 2;
        }
    }
    if (region.empty()) {
        const char* fromEnvironment = std::getenv("AWS_REGION");
        region = fromEnvironment && *fromEnvironment ? fromEnvironment : "us-east-1";
    }
    if (s3Root.empty())
        s3Root = db + ".s3";
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
    // Time only moves forward: an explicit --now before the database's clock is refused; the
    // wall clock, if behind it (a database driven with --now ahead of today), gives way to it.
    const EngineTime stored = (*engine)->now();
    if (now && *now < stored) {
        std::fprintf(stderr, "capsim call: --now '%s' is earlier than the database's latest time (%s)\n",
            nowText.c_str(), formatCallTime(stored).c_str());
        return 2;
    }
    const EngineTime callTime = now ? *now
                                    : std::max<EngineTime>(stored,
                                          std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    (*engine)->setRegion(region);
    (*engine)->setS3Root(s3Root);
    Dispatcher dispatcher(**engine);
    WireResponse response = dispatcher.dispatch(operation, request, callTime);
    if (Status saved = (*engine)->saveClock(); !saved) {
        std::fprintf(stderr, "capsim call: saving the database's clock: %s\n", saved.message().c_str());
        std::fputs((toJsonText(response.body, !compact) + "\n").c_str(), stdout);
        return 1;
    }
    std::fputs((toJsonText(response.body, !compact) + "\n").c_str(), stdout);
    return response.isError() ? 1 : 0;
}

} // namespace capsim::cli
