#pragma once
// OutputFolder: the folder a run writes its outputs into (contracts/cli.md, `capsim run --out DIR`).
// capsim owns only the files it writes there (summary.json, timeseries.csv, partitions.csv,
// events.csv, charts/*.png, run.sqlite, and its list of them, .capsim-outputs). They are written
// into a staging folder inside DIR (.capsim-staging-<pid>) and moved into place one by one when the
// run succeeds, each replacing only the file of the same name, summary.json last; nothing else in
// DIR is ever deleted, moved or overwritten.
//
// Crash safety: before the first move the staging folder gets a COMMIT list. A run killed during
// the moves leaves DIR without summary.json and the list behind; the next OutputFolder opened on DIR
// rolls that commit forward. A staging folder without COMMIT (a run killed while writing) is simply
// removed. A folder is "ours" only while our process holds a lock on it (flock), so two runs into
// one DIR never touch each other's staging, and their commits take DIR's lock in turn.
//
// One OutputFolder per run; not thread-safe. Destroying it without commit() removes the staging
// folder (and DIR itself when open() created it and it is still empty).

#include "engine/status.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

class OutputFolder {
public:
    // Opens (creating if missing) DIR and a fresh staging folder inside it, after rolling forward
    // or removing what crashed runs left there. ValidationException (bad input, exit 2) when DIR
    // is an existing file or one of the owned names is taken by something of another kind (a folder
    // named summary.json, a file named charts); InternalServerError for I/O failures.
    static Result<std::unique_ptr<OutputFolder>> open(const std::filesystem::path& dir);

    ~OutputFolder();
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    // DIR, absolute.
    const std::filesystem::path& dir() const { return m_dir; }
    // Where the run writes its files before commit(); charts go into staging()/charts.
    const std::filesystem::path& staging() const { return m_staging; }

    // Writes a file under staging(), relative path (parents created).
    Status writeFile(const std::string& relativePath, const std::string& text);

    // Moves every file written under staging() into DIR, summary.json last, and removes the files
    // the previous run listed in .capsim-outputs that this run did not write. Fails (leaving DIR's
    // previous outputs whole) if staging() holds no summary.json.
    Status commit();

    // The names capsim owns at DIR's top level (charts/ holds the rest).
    static const std::vector<std::string>& ownedTopLevelFiles();

private:
    OutputFolder() = default;
    void abandon();

    std::filesystem::path m_dir;
    std::filesystem::path m_staging;
    std::vector<std::filesystem::path> m_createdDirs; // by open(), deepest last
    int m_stagingLock = -1;
    bool m_committed = false;
};

// Test hook for crash tests: when the environment variable CAPSIM_TEST_KILL_AT names `stage`, the
// process kills itself with SIGKILL there (no cleanup runs, as in a real crash). The stages, in
// order: staging, writing, written, marked, moving, moved, committed, recovered (the last one is
// in open(), right after crashed runs were recovered).
void testKillPoint(std::string_view stage);

} // namespace capsim
