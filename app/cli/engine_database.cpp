#include "app/cli/engine_database.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <vector>

namespace capsim::cli {

std::string folderError(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return "--db '" + path + "' is a folder; it names the engine database file";
    return {};
}

EngineDatabase openEngineDatabase(const std::string& path, const std::string& s3Root)
{
    EngineDatabase opened;
    if (std::string folder = folderError(path); !folder.empty()) {
        opened.exitCode = 2;
        opened.error = std::move(folder);
        return opened;
    }
    // A file that is not an engine database (a run's results, a text file) is refused unchanged:
    // a bad --db argument. A database that cannot be created (no such folder) is a failed command.
    // A database this command was to create and could not (a full disk, a file size limit) is
    // not left behind half made; anything that was there before is never removed.
    const bool memory = path == ":memory:";
    std::vector<std::string> created;
    for (const char* suffix : { "", "-journal", "-wal", "-shm" }) {
        std::error_code ec;
        if (!memory && !std::filesystem::exists(path + suffix, ec) && !ec)
            created.push_back(path + suffix);
    }
    auto engine = Engine::open(path);
    if (!engine) {
        opened.exitCode = engine.status().is(error::kValidation) ? 2 : 1;
        opened.error = "--db: " + engine.status().message();
        if (!created.empty() && created.front() == path)
            for (const std::string& file : created) {
                std::error_code ignored;
                std::filesystem::remove(file, ignored);
            }
        return opened;
    }
    opened.engine = std::move(*engine);
    opened.engine->setS3Root(s3Root.empty() ? defaultS3Root(path) : s3Root);
    return opened;
}

std::string defaultS3Root(const std::string& path)
{
    if (path == ":memory:") {
        std::error_code ec;
        const auto temporary = std::filesystem::temp_directory_path(ec);
        return ((ec ? std::filesystem::path(".") : temporary) / "capsim-memory.s3").string();
    }
    return path + ".s3";
}

std::string defaultRegion()
{
    const char* fromEnvironment = std::getenv("AWS_REGION");
    return fromEnvironment && *fromEnvironment ? fromEnvironment : "us-east-1";
}

EngineTime wallClockNow()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

EngineTime clockStart(const Engine& engine)
{
    return std::max<EngineTime>(engine.now(), wallClockNow());
}

std::optional<EngineTime> parseEngineTime(const std::string& text)
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
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed)
            != 6
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

std::string formatEngineTime(EngineTime time)
{
    const std::time_t seconds = static_cast<std::time_t>(time / 1'000'000);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(time % 1'000'000 / 1000));
    return text;
}

} // namespace capsim::cli
