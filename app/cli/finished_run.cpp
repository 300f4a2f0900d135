#include "app/cli/finished_run.h"

#include "simulator/results_store.h"

#include <filesystem>
#include <system_error>

namespace capsim::cli {

namespace fs = std::filesystem;

std::string finishedRunDatabase(const std::string& path)
{
    std::error_code ec;
    return fs::is_directory(path, ec) ? (fs::path(path) / "run.sqlite").string() : path;
}

Result<RunResult> openFinishedRun(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return Status::validation("'" + path + "' does not exist");
    const std::string database = finishedRunDatabase(path);
    // Checked first: opening a missing database would create it.
    if (!fs::exists(database, ec))
        return Status::validation("'" + path + "' holds no run.sqlite (expected a folder written by capsim run --out, or its run.sqlite)");
    if (!fs::is_regular_file(database, ec))
        return Status::validation("'" + database + "' is not a file");
    auto run = readResultsDatabase(database);
    if (!run) {
        if (run.status().message().find("is not a capsim results database") != std::string::npos)
            return Status::validation(run.status().message());
        return Status::internal("cannot read '" + database + "': " + run.status().message());
    }
    return run;
}

int exitCodeFor(const Status& status)
{
    return status.is(error::kValidation) ? 2 : 1;
}

} // namespace capsim::cli
