#include "simulator/output_folder.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace capsim {

namespace fs = std::filesystem;

namespace {

const char* kStagingPrefix = ".capsim-staging-";
const char* kManifestName = ".capsim-outputs";
const char* kManifestHeader = "capsim-outputs/1";
const char* kCommitName = "COMMIT";
const char* kCommitHeader = "capsim-commit/1";
const char* kSummaryName = "summary.json";
const char* kChartsName = "charts";

std::string quoted(const fs::path& path)
{
    // Built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on "'" + string.
    std::string text(1, '\'');
    text += path.string();
    text += '\'';
    return text;
}

Status ioError(const std::string& what, const fs::path& path, const std::error_code& ec)
{
    return Status::internal(what + " " + quoted(path) + ": " + ec.message());
}

// A lock held by this process on a folder; released by closing the descriptor (or by the process
// ending, which is what tells a later run that a staging folder's owner is gone).
int lockFolder(const fs::path& folder, bool wait)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc;
    do
        rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void unlockFolder(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// The file (or folder) is on disk before we go on: a COMMIT list must not name files that a power
// cut could still lose.
void syncPath(const fs::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    // A failed fsync only weakens durability against power loss; the moves themselves are still safe.
    (void)::fsync(fd);
    ::close(fd);
}

// Only plain relative paths below DIR are ever named in a COMMIT list or a manifest.
bool isSafeRelative(const std::string& relative)
{
    if (relative.empty() || relative.front() == '/' || relative.find('\0') != std::string::npos)
        return false;
    for (const auto& part : fs::path(relative)) {
        const std::string p = part.string();
        if (p.empty() || p == "." || p == ".." || p.rfind(kStagingPrefix, 0) == 0)
            return false;
    }
    return true;
}

std::vector<std::string> readListFile(const fs::path& path, const char* header)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<std::string> lines;
    std::string line;
    if (!in || !std::getline(in, line) || line != header)
        return lines;
    while (std::getline(in, line))
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

Status writeTextFile(const fs::path& path, const std::string& text)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return Status::internal("cannot write " + quoted(path) + ": it is a folder");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return Status::internal("cannot write " + quoted(path) + ": " + std::strerror(errno));
    out << text;
    out.close();
    if (!out)
        return Status::internal("cannot write " + quoted(path) + ": " + std::strerror(errno));
    return Status::ok();
}

bool isRegularFile(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(fs::symlink_status(path, ec));
}

// Replays a COMMIT list: the removals, then the moves, summary.json last. Safe to run again after
// a crash at any point: summary.json still in the staging folder means the moves are not finished
// (it is the last one), and every step is skipped when already done.
Status applyCommit(const fs::path& dir, const fs::path& staging, const std::vector<std::string>& steps)
{
    std::error_code ec;
    if (isRegularFile(staging / kSummaryName)) {
        // Without summary.json a folder is visibly incomplete while the set is being replaced.
        if (isRegularFile(dir / kSummaryName) && !fs::remove(dir / kSummaryName, ec) && ec)
            return ioError("cannot replace", dir / kSummaryName, ec);
        bool first = true;
        for (const auto& step : steps) {
            const bool isMove = step.rfind("move ", 0) == 0;
            const bool isRemove = step.rfind("remove ", 0) == 0;
            const std::string relative = step.substr(isMove ? 5 : isRemove ? 7 : 0);
            if ((!isMove && !isRemove) || !isSafeRelative(relative) || relative == kSummaryName)
                continue;
            const fs::path target = dir / relative;
            if (isRemove) {
                // Only a file the previous run wrote (it is in its list); never a folder.
                if (isRegularFile(target))
                    fs::remove(target, ec);
                continue;
            }
            const fs::path source = staging / relative;
            if (!isRegularFile(source))
                continue; // moved before the crash
            fs::create_directories(target.parent_path(), ec);
            fs::rename(source, target, ec);
            if (ec)
                return ioError("cannot move the output into place:", target, ec);
            if (first)
                testKillPoint("moving");
            first = false;
        }
        testKillPoint("moved");
        fs::rename(staging / kSummaryName, dir / kSummaryName, ec);
        if (ec)
            return ioError("cannot move the output into place:", dir / kSummaryName, ec);
        syncPath(dir);
    }
    testKillPoint("committed");
    fs::remove_all(staging, ec);
    return Status::ok();
}

// What crashed runs left in DIR: a staging folder nobody holds a lock on. Called with DIR locked.
Status recoverCrashedRuns(const fs::path& dir)
{
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(kStagingPrefix, 0) == 0 && fs::is_directory(it->symlink_status()))
            stale.push_back(it->path());
    }
    if (ec)
        return ioError("cannot list", dir, ec);
    for (const auto& staging : stale) {
        int lock = lockFolder(staging, false);
        if (lock < 0)
            continue; // a live run's staging folder (or one we cannot open: leave it alone)
        // A commit that cannot be finished (its moves fail again) is dropped rather than blocking
        // every later run: DIR then has no summary.json, visibly incomplete, until this run commits.
        if (!fs::exists(staging / kCommitName, ec)
            || !applyCommit(dir, staging, readListFile(staging / kCommitName, kCommitHeader)))
            fs::remove_all(staging, ec);
        unlockFolder(lock);
    }
    return Status::ok();
}

// Names capsim owns that are taken by something of another kind: refused before anything is written.
Status checkOwnedNames(const fs::path& dir)
{
    std::error_code ec;
    for (const auto& name : OutputFolder::ownedTopLevelFiles()) {
        if (fs::is_directory(fs::status(dir / name, ec)))
            return Status::validation(quoted(dir / name) + " is a folder; capsim writes its " + name
                + " there. Choose another --out folder or move it away");
    }
    const auto charts = fs::status(dir / kChartsName, ec);
    if (fs::exists(charts) && !fs::is_directory(charts))
        return Status::validation(quoted(dir / kChartsName)
            + " is a file; capsim writes its charts into a folder of that name. Choose another --out folder or move it away");
    return Status::ok();
}

} // namespace

void testKillPoint(std::string_view stage)
{
    const char* at = std::getenv("CAPSIM_TEST_KILL_AT");
    if (at && stage == at)
        ::raise(SIGKILL);
}

const std::vector<std::string>& OutputFolder::ownedTopLevelFiles()
{
    static const std::vector<std::string> names { "summary.json", "timeseries.csv", "partitions.csv", "events.csv",
        "run.sqlite", kManifestName };
    return names;
}

Result<std::unique_ptr<OutputFolder>> OutputFolder::open(const fs::path& dir)
{
    std::error_code ec;
    std::unique_ptr<OutputFolder> folder(new OutputFolder);
    folder->m_dir = fs::absolute(dir, ec).lexically_normal();
    if (ec)
        return ioError("cannot resolve", dir, ec);
    fs::path& path = folder->m_dir;
    if (path.has_relative_path() && !path.has_filename())
        path = path.parent_path(); // "out/" and "." name the folder itself
    const auto st = fs::status(path, ec);
    if (fs::exists(st) && !fs::is_directory(st))
        return Status::validation(quoted(path) + " is an existing file, not a folder: --out names the folder capsim "
            "writes its outputs into");
    if (!fs::exists(st)) {
        for (fs::path p = path; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
            folder->m_createdDirs.insert(folder->m_createdDirs.begin(), p);
            if (p == p.parent_path())
                break;
        }
        fs::create_directories(path, ec);
        if (ec) {
            folder->m_createdDirs.clear();
            return ioError("cannot create the output folder", path, ec);
        }
    }
    if (Status s = checkOwnedNames(path); !s) {
        folder->abandon();
        return s;
    }
    int dirLock = lockFolder(path, true);
    if (dirLock < 0) {
        folder->abandon();
        return Status::internal("cannot lock the output folder " + quoted(path) + ": " + std::strerror(errno));
    }
    Status recovered = recoverCrashedRuns(path);
    testKillPoint("recovered");
    if (recovered) {
        folder->m_staging = path / (kStagingPrefix + std::to_string(::getpid()));
        fs::create_directories(folder->m_staging / kChartsName, ec);
        if (ec)
            recovered = ioError("cannot create the staging folder", folder->m_staging, ec);
        else if ((folder->m_stagingLock = lockFolder(folder->m_staging, false)) < 0)
            recovered = Status::internal("cannot lock the staging folder " + quoted(folder->m_staging));
    }
    unlockFolder(dirLock);
    if (!recovered) {
        folder->abandon();
        return recovered;
    }
    testKillPoint("staging");
    return folder;
}

OutputFolder::~OutputFolder()
{
    if (!m_committed)
        abandon();
}

void OutputFolder::abandon()
{
    std::error_code ec;
    // A staging folder with its COMMIT list stays for the next run to roll forward: some outputs
    // may already be in place.
    if (!m_staging.empty() && !fs::exists(m_staging / kCommitName, ec))
        fs::remove_all(m_staging, ec);
    m_staging.clear();
    unlockFolder(m_stagingLock);
    // Folders open() created, only while empty (fs::remove never removes a non-empty folder).
    for (auto it = m_createdDirs.rbegin(); it != m_createdDirs.rend(); ++it)
        if (!fs::remove(*it, ec))
            break;
    m_createdDirs.clear();
}

Status OutputFolder::writeFile(const std::string& relativePath, const std::string& text)
{
    if (!isSafeRelative(relativePath))
        return Status::internal("not a relative output path: " + relativePath);
    std::error_code ec;
    const fs::path target = m_staging / relativePath;
    fs::create_directories(target.parent_path(), ec);
    return writeTextFile(target, text);
}

Status OutputFolder::commit()
{
    if (m_committed)
        return Status::ok();
    std::error_code ec;
    if (!isRegularFile(m_staging / kSummaryName))
        return Status::internal("no summary.json in " + quoted(m_staging) + "; the outputs were not replaced");

    // What this run wrote, in a stable order; the list itself is one of the outputs.
    std::vector<std::string> written;
    for (fs::recursive_directory_iterator it(m_staging, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file())
            written.push_back(it->path().lexically_relative(m_staging).generic_string());
    if (ec)
        return ioError("cannot list", m_staging, ec);
    std::sort(written.begin(), written.end());
    written.erase(std::remove(written.begin(), written.end(), kManifestName), written.end());
    std::string manifest = std::string(kManifestHeader) + "\n";
    for (const auto& f : written)
        manifest += f + "\n";
    CAPSIM_RETURN_IF_ERROR(writeTextFile(m_staging / kManifestName, manifest));
    written.push_back(kManifestName);

    int dirLock = lockFolder(m_dir, true);
    if (dirLock < 0)
        return Status::internal("cannot lock the output folder " + quoted(m_dir) + ": " + std::strerror(errno));
    Status s = checkOwnedNames(m_dir);
    if (s) {
        // Files the previous run wrote that this one does not (charts of tables no longer in the scenario).
        const std::set<std::string> now(written.begin(), written.end());
        std::string commitList = std::string(kCommitHeader) + "\n";
        for (const auto& old : readListFile(m_dir / kManifestName, kManifestHeader))
            if (isSafeRelative(old) && !now.count(old))
                commitList += "remove " + old + "\n";
        for (const auto& f : written)
            if (f != kSummaryName)
                commitList += "move " + f + "\n";
        commitList += std::string("move ") + kSummaryName + "\n";
        testKillPoint("written");
        for (const auto& f : written)
            syncPath(m_staging / f);
        s = writeTextFile(m_staging / "COMMIT.tmp", commitList);
        if (s) {
            syncPath(m_staging / "COMMIT.tmp");
            fs::rename(m_staging / "COMMIT.tmp", m_staging / kCommitName, ec);
            if (ec)
                s = ioError("cannot write", m_staging / kCommitName, ec);
        }
        if (s) {
            syncPath(m_staging);
            testKillPoint("marked");
            s = applyCommit(m_dir, m_staging, readListFile(m_staging / kCommitName, kCommitHeader));
            if (s) {
                m_committed = true;
                m_staging.clear();
                unlockFolder(m_stagingLock);
                m_createdDirs.clear();
            }
        }
    }
    unlockFolder(dirLock);
    return s;
}

} // namespace capsim
