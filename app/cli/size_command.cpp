#include "app/cli/commands.h"

#include "engine/item_size.h"
#include "engine/metering.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace capsim::cli {

namespace json = boost::json;

bool readInput(const std::string& path, std::string& out, std::string* why)
{
    auto fail = [&](const std::string& reason) {
        if (why)
            *why = reason;
        return false;
    };
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec))
        return fail("it is a folder, not a file");
    // A read error (a folder given as standard input, an I/O error) throws from the stream buffer.
    try {
        if (path == "-") {
            out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            return !std::cin.bad() || fail("standard input could not be read");
        }
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(std::strerror(errno));
        out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return !in.bad() || fail("read error");
    } catch (const std::ios_base::failure& e) {
        return fail(std::string("read error: ") + e.code().message());
    }
}

std::string cannotRead(const std::string& path, const std::string& why)
{
    return "cannot read '" + (path == "-" ? std::string("standard input") : path) + "'" + (why.empty() ? "" : ": " + why);
}

namespace {

// A line is an item, or {"Item": item} as GetItem returns it. An item with a single attribute
// named "Item" is read as such when the wrapper reading does not decode.
Result<Item> itemFromLine(const json::value& value)
{
    if (value.is_object() && value.get_object().size() == 1) {
        if (const auto* inner = value.get_object().if_contains("Item"); inner && inner->is_object()) {
            auto wrapped = itemFromJson(*inner, "Item");
            if (wrapped)
                return wrapped;
            auto direct = itemFromJson(value, "");
            return direct ? direct : wrapped;
        }
    }
    return itemFromJson(value, "");
}

} // namespace

int sizeCommand(const std::vector<std::string>& args)
{
    std::string path = "-";
    for (const auto& arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::puts("Usage: capsim size [FILE|-]\n\n"
                      "Reads DynamoDB-JSON items, one per line ({\"attr\":{\"S\":\"...\"}} or {\"Item\":{...}}), and "
                      "prints one JSON line per item:\n"
                      "{\"bytes\":N,\"readUnitsStrong\":R,\"readUnitsEventual\":R/2,\"writeUnits\":W,\"storageBytes\":N+100}\n"
                      "An invalid item prints {\"error\":\"ValidationException\",\"message\":...} and the command exits 2 "
                      "at the end.");
            return 0;
        }
        if (!arg.empty() && arg[0] == '-' && arg != "-") {
            std::fprintf(stderr, "capsim size: unknown option '%s'\n", arg.c_str());
            return 2;
        }
        path = arg;
    }
    std::string input;
    std::string why;
    if (!readInput(path, input, &why)) {
        std::fprintf(stderr, "capsim size: %s\n", cannotRead(path, why).c_str());
        return 2;
    }
    std::istringstream lines(input);
    std::string line;
    bool anyInvalid = false;
    int lineNumber = 0;
    while (std::getline(lines, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        json::value parsed;
        std::string parseError;
        json::object out;
        Status status;
        Item item;
        if (!parseJsonText(line, parsed, parseError)) {
            status = Status::validation("line " + std::to_string(lineNumber) + " is not JSON: " + parseError);
        } else {
            auto decoded = itemFromLine(parsed);
            if (!decoded)
                status = Status::validation(decoded.status().message());
            else {
                item = std::move(decoded).value();
                status = validateItemLimits(item);
            }
        }
        if (!status) {
            anyInvalid = true;
            out["error"] = "ValidationException";
            out["message"] = status.message();
        } else {
            const std::int64_t bytes = itemSizeBytes(item);
            const std::int64_t strong = strongReadUnits(bytes);
            out["bytes"] = bytes;
            out["readUnitsStrong"] = strong;
            out["readUnitsEventual"] = readUnits(bytes, Consistency::Eventual);
            out["writeUnits"] = writeUnits(bytes);
            out["storageBytes"] = bytes + kStorageOverheadBytes;
        }
        std::fputs((toJsonText(out) + "\n").c_str(), stdout);
    }
    return anyInvalid ? 2 : 0;
}

} // namespace capsim::cli
