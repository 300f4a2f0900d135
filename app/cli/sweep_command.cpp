// `capsim sweep` and `capsim merge` (contracts/cli.md "Working with runs"): a grid of runs of one
// scenario, in parallel on this machine or one shard at a time on a cluster, joined into sweep.csv
// and a chart; the advisor picks the best point meeting constraints.

#include "app/cli/commands.h"

#include "app/cli/offscreen_gui.h"
#include "app/cli/sweep_workers.h"
#include "app/report/sweep_chart.h"
#include "engine/exchange/digests.h"
#include "simulator/explain.h"
#include "simulator/results_writer.h"
#include "simulator/run_estimate.h"
#include "simulator/scenario_loader.h"
#include "simulator/sweep_advisor.h"
#include "simulator/sweep_grid.h"
#include "simulator/sweep_manifest.h"
#include "simulator/sweep_results.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <unistd.h>

namespace capsim::cli {

namespace fs = std::filesystem;

namespace {

const char* kSweepUsage
    = R"(Usage: capsim sweep SCENARIO.json --vary PATH=V1,V2,... [--vary ...] [--shard I/N] --out DIR
                    [--jobs N] [--minimize METRIC] [--subject-to CONSTRAINTS] [--list] [--force] [--quiet|--progress]

Runs the scenario once per point of the grid (every combination of the --vary values, each applied
like `capsim run --set PATH=VALUE`; the first --vary varies slowest), each point as a run folder
DIR/points/point-<n>/ (what `capsim run --out` writes), in parallel on this machine, then writes
DIR/sweep.csv (one row per point: point, the varied values, cost, requests, throttled, failed,
consumedRead, consumedWrite, readUnitHours, writeUnitHours; summed over the tables), DIR/sweep.png
(cost, throttled share and failed requests per point) and DIR/sweep.json (the manifest: scenario SHA-256, the --vary
list, the shard, the points, whether the sweep finished). The same points give the same sweep.csv
on any machine with any number of workers.

  --vary PATH=V1,V2,...  a scenario field (JSON path, as --set) and its values; repeatable
  --shard I/N            run only shard I of N (point p belongs to shard p mod N + 1, p from 0), for
                         N jobs of a cluster scheduler; join the shard folders with `capsim merge`
  --jobs N               worker processes (default: one per CPU this process may use)
  --minimize METRIC      print the point with the lowest METRIC (a sweep.csv metric column) ...
  --subject-to C         ... among those meeting C, e.g. "failed=0,throttled<=0.1%" (README, Sweeps);
                         alone, it minimizes cost
  --list                 print the points (of the shard) as CSV and exit; nothing is run or written
  --force                run points 'capsim check' estimates over 1 h or 8 GiB
  --quiet / --progress   no progress line / a progress line even when stderr is not a terminal

DIR is created if missing. capsim owns sweep.json, sweep.csv, sweep.png and points/ there; a DIR
holding a sweep.csv, sweep.png or points/ without capsim's sweep.json is refused.
Exit codes: 0 success, 1 a point's run failed or the sweep was interrupted, 2 bad usage or a bad
scenario, --vary path or value (nothing is written then).
)";

const char* kMergeUsage = R"(Usage: capsim merge SHARD_DIR... [--out DIR] [--minimize METRIC] [--subject-to CONSTRAINTS]

Joins the folders of the N shards of one sweep (`capsim sweep --shard I/N --out SHARD_DIR`) into
one DIR/sweep.csv, DIR/sweep.png and DIR/sweep.json, the same sweep.csv a whole sweep on one machine
writes. DIR (default: the folder holding the shard folders) must not be one of them. Refused (exit
2, nothing written), with the reason: shards of different scenarios, --vary lists or N; a shard
missing or given twice; a shard that did not finish or lacks a point's results. capsim owns only
sweep.json, sweep.csv and sweep.png in DIR; a DIR holding a sweep.csv or sweep.png without capsim's
sweep.json is refused.
--minimize / --subject-to as for `capsim sweep`.
Exit codes: 0 success, 1 I/O failure, 2 bad usage or a refused set of shards.
)";

const char* kManifestName = "sweep.json";
const char* kCsvName = "sweep.csv";
const char* kChartName = "sweep.png";
const char* kPointsFolder = "points";

std::atomic<bool> g_stop { false };

void onStop(int)
{
    g_stop.store(true);
}

// Without SA_RESTART, so the wait for a child returns and the children can be told to stop.
void installStopHandlers()
{
    struct sigaction action { };
    action.sa_handler = onStop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::string inQuotes(const fs::path& path)
{
    std::string text(1, '\'');
    text += path.string();
    text += '\'';
    return text;
}

bool readText(const fs::path& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// Replaces path with the bytes all at once (a temporary file renamed over it).
Status writeAtomically(const fs::path& path, const std::string& bytes)
{
    const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << bytes;
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(temp, ec);
            return Status::internal("cannot write " + inQuotes(path));
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        return Status::internal("cannot write " + inQuotes(path) + ": " + ec.message());
    }
    return Status::ok();
}

// DIR as an output of sweep or merge: created if missing; refused (ValidationException) when it is
// a file, or holds files of capsim's names that capsim did not write (no sweep.json of ours beside
// them), or one of those names is taken by something of another kind.
Status claimSweepFolder(const fs::path& dir, bool withPoints)
{
    std::error_code ec;
    const auto st = fs::status(dir, ec);
    if (fs::exists(st) && !fs::is_directory(st))
        return Status::validation(
            inQuotes(dir) + " is an existing file, not a folder: --out names the folder the sweep writes into");
    if (!fs::exists(st)) {
        fs::create_directories(dir, ec);
        if (ec)
            return Status::internal("cannot create the output folder " + inQuotes(dir) + ": " + ec.message());
        return Status::ok();
    }
    for (const char* name : { kManifestName, kCsvName, kChartName }) {
        const auto s = fs::symlink_status(dir / name, ec);
        if (fs::exists(s) && !fs::is_regular_file(s))
            return Status::validation(inQuotes(dir / name) + " is not a file; capsim writes its " + name
                + " there. Choose another --out folder or move it away");
    }
    if (withPoints) {
        const auto s = fs::symlink_status(dir / kPointsFolder, ec);
        if (fs::exists(s) && !fs::is_directory(s))
            return Status::validation(inQuotes(dir / kPointsFolder)
                + " is a file; capsim writes the points' run folders into a folder of that name. Choose another --out folder or move it away");
    }
    std::string manifest;
    if (fs::exists(dir / kManifestName, ec)) {
        if (!readText(dir / kManifestName, manifest) || !parseSweepManifest(manifest))
            return Status::validation(inQuotes(dir / kManifestName)
                + " exists and is not a capsim sweep manifest; capsim will not overwrite it. Choose another --out folder or move it away");
        return Status::ok();
    }
    std::vector<const char*> names { kCsvName, kChartName };
    if (withPoints)
        names.push_back(kPointsFolder);
    for (const char* name : names)
        if (fs::exists(dir / name, ec))
            return Status::validation(inQuotes(dir / name)
                + " exists and was not written by capsim (no sweep.json beside it); "
                  "capsim will not overwrite it. Choose another --out folder or move it away");
    return Status::ok();
}

std::string usd(double value)
{
    return formatUsd(value);
}

std::string percent(std::int64_t part, std::int64_t whole)
{
    if (whole <= 0)
        return "0 %";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g %%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return buffer;
}

struct Advisor {
    std::optional<std::string> minimize;
    std::vector<SweepConstraint> constraints;
    std::string constraintText;
    bool active() const { return minimize.has_value(); }
};

// Prints the advisor's answer on stdout; returns the chosen point (0-based grid index).
std::optional<std::size_t> printAdvice(
    const Advisor& advisor, const SweepGrid& grid, const std::vector<SweepRow>& rows, const fs::path& pointsRoot)
{
    if (!advisor.active())
        return std::nullopt;
    const auto best = bestSweepPoint(rows, *advisor.minimize, advisor.constraints);
    const std::string meeting = advisor.constraints.empty() ? std::string() : " meeting " + advisor.constraintText;
    if (!best) {
        std::printf("advisor: no point of the %zu meets %s\n", rows.size(), advisor.constraintText.c_str());
        for (const auto& c : advisor.constraints) {
            std::size_t count = 0;
            for (const auto& r : rows)
                count += meetsConstraint(r.metrics, c) ? 1 : 0;
            std::printf("  %s: met by %zu point%s\n", c.text.c_str(), count, count == 1 ? "" : "s");
        }
        return std::nullopt;
    }
    const SweepRow& row = rows[*best];
    const SweepMetrics& m = row.metrics;
    std::printf("advisor: lowest %s%s: point %zu of %zu\n", advisor.minimize->c_str(), meeting.c_str(), row.point + 1,
        grid.size());
    for (const auto& o : grid.overrides(row.point))
        std::printf("  %s=%s\n", o.path.c_str(), o.value.c_str());
    std::printf("  cost %s, requests %lld, throttled %lld (%s), failed %lld", usd(m.costUsd).c_str(),
        static_cast<long long>(m.requests), static_cast<long long>(m.throttled),
        percent(m.throttled, m.requests).c_str(), static_cast<long long>(m.failed));
    if (*advisor.minimize != "cost")
        std::printf(", %s %s", advisor.minimize->c_str(), formatNumber(*sweepMetric(m, *advisor.minimize), 6).c_str());
    std::printf("\n  run folder: %s\n", (pointsRoot / grid.folderName(row.point)).c_str());
    return row.point;
}

// sweep.csv and sweep.png into dir (chart failures are reported but the CSV stands).
bool writeResults(const fs::path& dir, const std::string& title, const SweepGrid& grid,
    const std::vector<SweepRow>& rows, std::optional<std::size_t> chosen, const char* command)
{
    std::vector<std::string> paths;
    for (const auto& vary : grid.varies())
        paths.push_back(vary.path);
    if (Status s = writeAtomically(dir / kCsvName, sweepCsv(paths, rows)); !s) {
        std::fprintf(stderr, "capsim %s: %s\n", command, s.message().c_str());
        return false;
    }
    OffscreenGui gui;
    const QImage chart = report::sweepChart(title, paths, rows, chosen);
    const fs::path temp = (dir / kChartName).string() + ".tmp-" + std::to_string(::getpid()) + ".png";
    std::error_code ec;
    if (!chart.save(QString::fromStdString(temp.string()), "PNG")) {
        fs::remove(temp, ec);
        std::fprintf(stderr, "capsim %s: cannot write %s\n", command, inQuotes(dir / kChartName).c_str());
        return false;
    }
    fs::rename(temp, dir / kChartName, ec);
    if (ec) {
        fs::remove(temp, ec);
        std::fprintf(stderr, "capsim %s: cannot write %s: %s\n", command, inQuotes(dir / kChartName).c_str(),
            ec.message().c_str());
        return false;
    }
    return true;
}

// A point's row from its run folder's summary.json.
Result<SweepRow> readPointRow(const SweepGrid& grid, std::size_t point, const fs::path& pointsRoot)
{
    const fs::path summary = pointsRoot / grid.folderName(point) / "summary.json";
    std::string text;
    if (!readText(summary, text))
        return Status::validation(
            "point " + std::to_string(point + 1) + " has no results (" + inQuotes(summary) + " is missing)");
    auto metrics = sweepMetricsFromSummary(text);
    if (!metrics)
        return Status::validation(inQuotes(summary) + ": " + metrics.status().message());
    return SweepRow { point, grid.values(point), *metrics };
}

bool parseAdvisorOption(
    const std::vector<std::string>& args, std::size_t& i, Advisor& advisor, const char* command, int& exitCode)
{
    const std::string& a = args[i];
    if (a != "--minimize" && a != "--subject-to")
        return false;
    if (i + 1 == args.size()) {
        std::fprintf(stderr, "capsim %s: %s needs a value\n", command, a.c_str());
        exitCode = 2;
        return true;
    }
    const std::string value = args[++i];
    if (a == "--minimize") {
        if (Status s = checkSweepObjective(value); !s) {
            std::fprintf(stderr, "capsim %s: %s\n", command, s.message().c_str());
            exitCode = 2;
        }
        advisor.minimize = value;
    } else {
        auto parsed = parseSweepConstraints(value);
        if (!parsed) {
            std::fprintf(stderr, "capsim %s: %s\n", command, parsed.status().message().c_str());
            exitCode = 2;
        } else {
            advisor.constraints = std::move(*parsed);
            advisor.constraintText.clear();
            for (const auto& c : advisor.constraints)
                advisor.constraintText += (advisor.constraintText.empty() ? "" : ", ") + c.text;
        }
    }
    return true;
}

std::string titleFor(const std::string& scenarioPath)
{
    return "Sweep of " + fs::path(scenarioPath).filename().string() + ": cost and throttling per point";
}

} // namespace

int sweepCommand(const std::vector<std::string>& args)
{
    std::string scenarioPath;
    std::string outDir;
    std::vector<SweepVary> varies;
    SweepShard shard;
    bool sharded = false;
    std::size_t jobs = 0;
    bool list = false;
    bool force = false;
    bool quiet = false;
    bool forceProgress = false;
    Advisor advisor;
    int optionError = 0;
    for (std::size_t i = 0; i < args.size() && optionError == 0; ++i) {
        const std::string& a = args[i];
        const bool hasValue = i + 1 < args.size();
        if (a == "--help" || a == "-h") {
            std::fputs(kSweepUsage, stdout);
            return 0;
        } else if (parseAdvisorOption(args, i, advisor, "sweep", optionError)) {
        } else if (a == "--vary" && hasValue) {
            auto vary = parseSweepVary(args[++i]);
            if (!vary) {
                std::fprintf(stderr, "capsim sweep: %s\n", vary.status().message().c_str());
                return 2;
            }
            varies.push_back(std::move(*vary));
        } else if (a == "--shard" && hasValue) {
            auto parsed = parseSweepShard(args[++i]);
            if (!parsed) {
                std::fprintf(stderr, "capsim sweep: %s\n", parsed.status().message().c_str());
                return 2;
            }
            shard = *parsed;
            sharded = true;
        } else if (a == "--out" && hasValue) {
            outDir = args[++i];
        } else if (a == "--jobs" && hasValue) {
            const std::string n = args[++i];
            if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos
                || std::stoul(n) == 0) {
                std::fprintf(stderr, "capsim sweep: --jobs %s: expected a whole number from 1\n", n.c_str());
                return 2;
            }
            jobs = std::stoul(n);
        } else if (a == "--list") {
            list = true;
        } else if (a == "--force") {
            force = true;
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a == "--progress") {
            forceProgress = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim sweep: unknown option or missing value: '%s'\n%s", a.c_str(), kSweepUsage);
            return 2;
        } else if (scenarioPath.empty()) {
            scenarioPath = a;
        } else {
            std::fprintf(
                stderr, "capsim sweep: more than one scenario given ('%s', '%s')\n", scenarioPath.c_str(), a.c_str());
            return 2;
        }
    }
    if (optionError)
        return optionError;
    if (scenarioPath.empty() || scenarioPath == "-") {
        std::fprintf(stderr,
            "capsim sweep: a SCENARIO.json file is needed (each point runs it with its --vary values)\n%s",
            kSweepUsage);
        return 2;
    }
    if (!advisor.constraints.empty() && !advisor.minimize)
        advisor.minimize = "cost";
    if (advisor.active() && sharded) {
        std::fputs(
            "capsim sweep: --minimize/--subject-to need the whole grid: give them to 'capsim merge' of the shards\n",
            stderr);
        return 2;
    }
    auto grid = SweepGrid::create(varies);
    if (!grid) {
        std::fprintf(stderr, "capsim sweep: %s\n", grid.status().message().c_str());
        return 2;
    }
    if (outDir.empty() && !list) {
        std::fputs(
            "capsim sweep: --out DIR is needed (the folder the points' run folders and sweep.csv go into)\n", stderr);
        return 2;
    }
    std::string scenarioText;
    if (std::string why; !readInput(scenarioPath, scenarioText, &why)) {
        std::fprintf(stderr, "capsim sweep: %s\n", cannotRead(scenarioPath, why).c_str());
        return 2;
    }
    const std::vector<std::size_t> points = grid->pointsOf(shard);

    // Every point is checked before anything runs or is written: a bad path or value is exit 2
    // naming the --vary, not a failure of point 17 an hour in.
    const std::string baseDirectory = fs::path(scenarioPath).parent_path().string();
    double estimatedSeconds = 0; // 'capsim check' estimates, summed: the time left before any point ends
    for (std::size_t p : points) {
        auto text = applyScenarioOverrides(scenarioText, grid->overrides(p), "--vary");
        if (!text) {
            std::fprintf(stderr, "capsim sweep: %s\n", text.status().message().c_str());
            return 2;
        }
        LoadResult loaded = loadScenarioText(*text, baseDirectory.empty() ? "." : baseDirectory);
        if (!loaded.scenario) {
            std::fprintf(stderr, "capsim sweep: point %zu (--vary %s) is not a valid scenario:\n%s", p + 1,
                grid->describe(p).c_str(), formatErrors(loaded.errors).c_str());
            return 2;
        }
        const RunEstimate estimate = estimateRun(*loaded.scenario);
        estimatedSeconds += estimate.seconds;
        if (!force) {
            if (const std::string over = exceedsLimits(estimate, runLimits()); !over.empty()) {
                std::fprintf(stderr, "capsim sweep: refused: point %zu (%s): %s. Pass --force to run it anyway\n",
                    p + 1, grid->describe(p).c_str(), over.c_str());
                return 2;
            }
        }
    }

    if (list) {
        std::string csv = "point,shard";
        for (const auto& vary : grid->varies())
            csv += "," + vary.path;
        std::printf("%s\n", csv.c_str());
        for (std::size_t p : points) {
            std::printf("%zu,%zu", p + 1, sharded ? shard.index : std::size_t { 1 });
            for (const auto& v : grid->values(p))
                std::printf(",%s", v.find_first_of(",\"") == std::string::npos ? v.c_str() : ("\"" + v + "\"").c_str());
            std::printf("\n");
        }
        return 0;
    }

    const fs::path dir = fs::absolute(outDir).lexically_normal();
    if (Status s = claimSweepFolder(dir, true); !s) {
        std::fprintf(stderr, "capsim sweep: --out: %s\n", s.message().c_str());
        return s.is(error::kValidation) ? 2 : 1;
    }
    SweepManifest manifest;
    manifest.scenario = scenarioPath;
    manifest.scenarioSha256 = exchange::hexLower(exchange::sha256Digest(scenarioText));
    manifest.varies = grid->varies();
    manifest.shard = shard;
    manifest.points = points;
    // Until the sweep finishes the folder says it is incomplete, and holds no sweep.csv of an older sweep.
    std::error_code ec;
    fs::remove(dir / kCsvName, ec);
    fs::remove(dir / kChartName, ec);
    if (Status s = writeAtomically(dir / kManifestName, sweepManifestJson(manifest, *grid)); !s) {
        std::fprintf(stderr, "capsim sweep: %s\n", s.message().c_str());
        return 1;
    }
    const fs::path pointsRoot = dir / kPointsFolder;
    fs::create_directories(pointsRoot, ec);

    std::vector<SweepTask> tasks;
    for (std::size_t p : points) {
        SweepTask task;
        task.args = { "run", scenarioPath };
        for (const auto& o : grid->overrides(p)) {
            task.args.push_back("--set");
            task.args.push_back(o.path + "=" + o.value);
        }
        task.args.insert(
            task.args.end(), { "--out", (pointsRoot / grid->folderName(p)).string(), "--quiet", "--json" });
        if (force)
            task.args.push_back("--force");
        tasks.push_back(std::move(task));
    }

    const std::size_t workers = std::min(jobs ? jobs : availableCpus(), std::max<std::size_t>(tasks.size(), 1));
    const bool terminal = isatty(STDERR_FILENO);
    const bool showProgress = !quiet && (terminal || forceProgress);
    const auto started = std::chrono::steady_clock::now();
    const auto elapsedSeconds
        = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    const auto progress = [&](std::size_t done) {
        if (!showProgress)
            return;
        std::string left
            = "about " + formatDuration(estimatedSeconds / static_cast<double>(workers)) + " left (estimated)";
        if (done > 0 && done < tasks.size())
            left = "about "
                + formatDuration(
                    elapsedSeconds() * static_cast<double>(tasks.size() - done) / static_cast<double>(done))
                + " left";
        else if (done == tasks.size())
            left = "done in " + formatDuration(elapsedSeconds());
        std::fprintf(stderr, "%ssweep: %zu/%zu points done, %s%s", terminal ? "\r\033[K" : "", done, tasks.size(),
            left.c_str(), terminal ? "" : "\n");
        std::fflush(stderr);
    };
    installStopHandlers();
    progress(0);
    const auto outcomes = runSweepTasks(tasks, workers, g_stop, progress);
    if (showProgress && terminal)
        std::fputs("\n", stderr);
    const double seconds = elapsedSeconds();

    int failure = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (!outcomes[i].ran || outcomes[i].exitCode == 0)
            continue;
        if (g_stop.load())
            break;
        const int code = outcomes[i].exitCode;
        const std::string how = code > 128 ? "was killed (signal " + std::to_string(code - 128) + ")"
                                           : "failed (exit " + std::to_string(code) + ")";
        std::fprintf(stderr, "capsim sweep: point %zu (%s) %s:\n%s", points[i] + 1, grid->describe(points[i]).c_str(),
            how.c_str(), outcomes[i].errors.c_str());
        failure = outcomes[i].exitCode == 2 && failure != 1 ? 2 : 1;
    }
    if (g_stop.load()) {
        std::fprintf(stderr, "capsim sweep: interrupted; %s stays incomplete\n", inQuotes(dir).c_str());
        return 1;
    }
    if (failure)
        return failure;

    std::vector<SweepRow> rows;
    for (std::size_t p : points) {
        auto row = readPointRow(*grid, p, pointsRoot);
        if (!row) {
            std::fprintf(stderr, "capsim sweep: %s\n", row.status().message().c_str());
            return 1;
        }
        rows.push_back(std::move(*row));
    }
    const auto chosen = printAdvice(advisor, *grid, rows, pointsRoot);
    if (!writeResults(dir, titleFor(scenarioPath), *grid, rows, chosen, "sweep"))
        return 1;
    manifest.complete = true;
    if (Status s = writeAtomically(dir / kManifestName, sweepManifestJson(manifest, *grid)); !s) {
        std::fprintf(stderr, "capsim sweep: %s\n", s.message().c_str());
        return 1;
    }
    if (!quiet)
        std::fprintf(stderr, "sweep: %zu point%s%s in %s with %zu worker%s: %s\n", rows.size(),
            rows.size() == 1 ? "" : "s",
            sharded ? (" (shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) + ")").c_str() : "",
            formatDuration(seconds).c_str(), workers, workers == 1 ? "" : "s", (dir / kCsvName).c_str());
    return 0;
}

int mergeCommand(const std::vector<std::string>& args)
{
    std::vector<std::string> folders;
    std::string outDir;
    bool quiet = false;
    Advisor advisor;
    int optionError = 0;
    for (std::size_t i = 0; i < args.size() && optionError == 0; ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kMergeUsage, stdout);
            return 0;
        } else if (parseAdvisorOption(args, i, advisor, "merge", optionError)) {
        } else if (a == "--out" && i + 1 < args.size()) {
            outDir = args[++i];
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim merge: unknown option or missing value: '%s'\n%s", a.c_str(), kMergeUsage);
            return 2;
        } else {
            folders.push_back(a);
        }
    }
    if (optionError)
        return optionError;
    if (!advisor.constraints.empty() && !advisor.minimize)
        advisor.minimize = "cost";
    if (folders.empty()) {
        std::fprintf(stderr, "capsim merge: no shard folders given\n%s", kMergeUsage);
        return 2;
    }
    std::vector<SweepShardFolder> shards;
    std::error_code ec;
    for (const auto& folder : folders) {
        if (!fs::is_directory(folder, ec)) {
            std::fprintf(stderr,
                "capsim merge: %s is not a folder (expected a shard folder written by capsim sweep --shard I/N --out DIR)\n",
                inQuotes(folder).c_str());
            return 2;
        }
        std::string text;
        if (!readText(fs::path(folder) / kManifestName, text)) {
            std::fprintf(
                stderr, "capsim merge: %s is not a sweep folder: it has no sweep.json\n", inQuotes(folder).c_str());
            return 2;
        }
        auto manifest = parseSweepManifest(text);
        if (!manifest) {
            std::fprintf(
                stderr, "capsim merge: %s: %s\n", inQuotes(folder).c_str(), manifest.status().message().c_str());
            return 2;
        }
        shards.push_back({ folder, std::move(*manifest) });
    }
    if (Status s = checkSweepShardSet(shards); !s) {
        std::fprintf(stderr, "capsim merge: %s\n", s.message().c_str());
        return 2;
    }
    auto grid = SweepGrid::create(shards.front().manifest.varies);
    if (!grid) {
        std::fprintf(stderr, "capsim merge: %s\n", grid.status().message().c_str());
        return 2;
    }
    std::vector<SweepRow> rows;
    for (const auto& shard : shards) {
        for (std::size_t p : shard.manifest.points) {
            auto row = readPointRow(*grid, p, fs::path(shard.folder) / kPointsFolder);
            if (!row) {
                std::fprintf(stderr, "capsim merge: shard %zu/%zu (%s) is incomplete: %s\n", shard.manifest.shard.index,
                    shard.manifest.shard.count, inQuotes(shard.folder).c_str(), row.status().message().c_str());
                return 2;
            }
            rows.push_back(std::move(*row));
        }
    }
    std::sort(rows.begin(), rows.end(), [](const SweepRow& a, const SweepRow& b) { return a.point < b.point; });

    fs::path dir;
    if (!outDir.empty()) {
        dir = fs::absolute(outDir).lexically_normal();
    } else {
        for (const auto& shard : shards) {
            const fs::path parent = fs::weakly_canonical(fs::absolute(shard.folder), ec).parent_path();
            if (dir.empty())
                dir = parent;
            else if (dir != parent) {
                std::fputs(
                    "capsim merge: the shard folders are in different folders; say where the merged sweep goes with --out DIR\n",
                    stderr);
                return 2;
            }
        }
    }
    for (const auto& shard : shards) {
        if (fs::weakly_canonical(fs::absolute(shard.folder), ec) == fs::weakly_canonical(dir, ec)) {
            std::fprintf(stderr,
                "capsim merge: --out %s is one of the shard folders; the merged sweep goes beside them\n",
                inQuotes(dir).c_str());
            return 2;
        }
    }
    if (Status s = claimSweepFolder(dir, false); !s) {
        std::fprintf(stderr, "capsim merge: --out: %s\n", s.message().c_str());
        return s.is(error::kValidation) ? 2 : 1;
    }
    SweepManifest merged = shards.front().manifest;
    merged.shard = {};
    merged.points.clear();
    for (const auto& row : rows)
        merged.points.push_back(row.point);
    merged.complete = true;
    for (const auto& shard : shards)
        merged.mergedFrom.push_back(shard.folder);
    std::sort(merged.mergedFrom.begin(), merged.mergedFrom.end());

    // The advisor's run folders are in the shards.
    std::optional<std::size_t> chosen;
    if (advisor.active()) {
        const auto best = bestSweepPoint(rows, *advisor.minimize, advisor.constraints);
        fs::path pointsRoot = dir / kPointsFolder;
        if (best)
            for (const auto& shard : shards)
                if (SweepGrid::shardOf(rows[*best].point, shard.manifest.shard.count) == shard.manifest.shard.index)
                    pointsRoot = fs::path(shard.folder) / kPointsFolder;
        chosen = printAdvice(advisor, *grid, rows, pointsRoot);
    }
    if (!writeResults(dir, titleFor(merged.scenario), *grid, rows, chosen, "merge"))
        return 1;
    if (Status s = writeAtomically(dir / kManifestName, sweepManifestJson(merged, *grid)); !s) {
        std::fprintf(stderr, "capsim merge: %s\n", s.message().c_str());
        return 1;
    }
    if (!quiet)
        std::fprintf(
            stderr, "merge: %zu shards, %zu points: %s\n", shards.size(), rows.size(), (dir / kCsvName).c_str());
    return 0;
}

} // namespace capsim::cli
