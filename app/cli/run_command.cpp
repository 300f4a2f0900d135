#include "app/cli/commands.h"

#include "app/report/chart_renderer.h"
#include "engine/json_writer.h"
#include "simulator/embedded_resources.h"
#include "simulator/results_store.h"
#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QGuiApplication>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace capsim::cli {

namespace fs = std::filesystem;

namespace {

const char* kRunUsage = R"(Usage: capsim run [SCENARIO.json] [--out DIR] [--json] [--quiet]

Runs a scenario (contracts/scenario-format.md) through the engine on a virtual clock and writes
summary.json, timeseries.csv, partitions.csv, events.csv, charts/*.png and run.sqlite into DIR
(default ./capsim-out/<scenario name>). Without SCENARIO it runs the built-in default scenario.
Prints a short summary (the summary JSON with --json). Progress goes to stderr on a terminal.

Exit codes: 0 success, 1 the run failed or was interrupted, 2 bad usage or a bad scenario.
)";

std::atomic<bool> g_interrupted { false };

void onSignal(int)
{
    g_interrupted.store(true);
}

std::string safeName(const std::string& name)
{
    std::string out;
    for (char c : name)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '-';
    return out.empty() ? "scenario" : out;
}

bool writeFile(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

} // namespace

int runCommand(const std::vector<std::string>& args)
{
    std::string scenarioPath;
    std::string outDir;
    bool asJson = false;
    bool quiet = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kRunUsage, stdout);
            return 0;
        } else if (a == "--json") {
            asJson = true;
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a == "--out" && i + 1 < args.size()) {
            outDir = args[++i];
        } else if (a.rfind("--out=", 0) == 0) {
            outDir = a.substr(6);
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "capsim run: unknown option '%s'\n%s", a.c_str(), kRunUsage);
            return 2;
        } else if (scenarioPath.empty()) {
            scenarioPath = a;
        } else {
            std::fprintf(stderr, "capsim run: more than one scenario given\n");
            return 2;
        }
    }

    std::string scenarioText;
    LoadResult loaded;
    if (scenarioPath.empty()) {
        const std::string* builtIn = embeddedResource("default-scenario.json");
        if (!builtIn) {
            std::fputs("capsim run: the default scenario is missing from this build\n", stderr);
            return 1;
        }
        scenarioText = *builtIn;
        loaded = loadScenarioText(scenarioText, ".");
    } else {
        if (!readInput(scenarioPath, scenarioText)) {
            std::fprintf(stderr, "capsim run: cannot read '%s'\n", scenarioPath.c_str());
            return 2;
        }
        loaded = loadScenarioText(scenarioText, fs::path(scenarioPath).parent_path().string());
    }
    if (!loaded.scenario) {
        std::fprintf(stderr, "capsim run: %s is not a valid scenario:\n%s",
            scenarioPath.empty() ? "the default scenario" : scenarioPath.c_str(), formatErrors(loaded.errors).c_str());
        return 2;
    }
    Scenario scenario = std::move(*loaded.scenario);

    Result<PricingTable> pricing = Status::notFound("");
    if (scenario.pricingFile) {
        std::string text;
        if (!readInput(*scenario.pricingFile, text)) {
            std::fprintf(stderr, "capsim run: pricing: cannot read '%s'\n", scenario.pricingFile->c_str());
            return 2;
        }
        pricing = parsePricing(text);
    } else {
        pricing = builtInPricing(scenario.region);
    }
    if (!pricing) {
        std::fprintf(stderr, "capsim run: pricing: %s\n", pricing.status().message().c_str());
        return 2;
    }

    if (outDir.empty())
        outDir = (fs::path("capsim-out") / safeName(scenario.name)).string();
    const fs::path finalDir = fs::absolute(outDir);
    const fs::path tempDir = finalDir.string() + ".partial-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove_all(tempDir, ec);
    fs::create_directories(tempDir / "charts", ec);
    if (ec) {
        std::fprintf(stderr, "capsim run: cannot create '%s': %s\n", tempDir.c_str(), ec.message().c_str());
        return 1;
    }
    auto cleanUp = [&] { fs::remove_all(tempDir, ec); };

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    const bool showProgress = !quiet && isatty(STDERR_FILENO);
    SimulatorOptions options;
    options.pricing = *pricing;
    options.stop = &g_interrupted;
    if (showProgress) {
        options.progress = [](double fraction) {
            std::fprintf(stderr, "\rsimulating... %3d%%", static_cast<int>(fraction * 100.0));
            std::fflush(stderr);
        };
    }
    Simulator simulator(scenario, options);
    auto result = simulator.run();
    if (showProgress)
        std::fputs("\r                    \r", stderr);
    if (!result) {
        cleanUp();
        std::fprintf(stderr, "capsim run: %s\n", result.status().toString().c_str());
        return 1;
    }
    const RunResult& run = **result;
    if (run.cancelled || g_interrupted.load()) {
        // An interrupted run leaves no outputs that could look complete.
        cleanUp();
        std::fputs("capsim run: interrupted; no outputs written\n", stderr);
        return 1;
    }

    const std::string summary = summaryJson(run);
    bool ok = writeFile(tempDir / "summary.json", summary) && writeFile(tempDir / "timeseries.csv", timeseriesCsv(run))
        && writeFile(tempDir / "partitions.csv", partitionsCsv(run)) && writeFile(tempDir / "events.csv", eventsCsv(run));
    if (ok) {
        Status s = writeResultsDatabase((tempDir / "run.sqlite").string(), run, scenarioText, summary);
        if (!s) {
            std::fprintf(stderr, "capsim run: run.sqlite: %s\n", s.message().c_str());
            ok = false;
        }
    }
    if (ok) {
        // Charts are drawn offscreen: capsim never needs a display.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
            // Qt wants a private runtime directory and warns on stderr without one.
            const fs::path runtime = fs::temp_directory_path() / ("capsim-runtime-" + std::to_string(::getuid()));
            fs::create_directories(runtime, ec);
            fs::permissions(runtime, fs::perms::owner_all, fs::perm_options::replace, ec);
            qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(runtime.string()));
        }
        int argc = 1;
        char name[] = "capsim";
        char* argv[] = { name, nullptr };
        QGuiApplication app(argc, argv);
        QString error;
        if (!report::writeCharts(run, QString::fromStdString((tempDir / "charts").string()), &error)) {
            std::fprintf(stderr, "capsim run: charts: %s\n", error.toUtf8().constData());
            ok = false;
        }
    }
    if (!ok) {
        cleanUp();
        return 1;
    }
    // Swap the finished outputs into place in one rename.
    const fs::path oldDir = finalDir.string() + ".old-" + std::to_string(::getpid());
    if (fs::exists(finalDir))
        fs::rename(finalDir, oldDir, ec);
    if (!ec && finalDir.has_parent_path())
        fs::create_directories(finalDir.parent_path(), ec);
    fs::rename(tempDir, finalDir, ec);
    if (ec) {
        std::fprintf(stderr, "capsim run: cannot move outputs into '%s': %s\n", finalDir.c_str(), ec.message().c_str());
        cleanUp();
        return 1;
    }
    fs::remove_all(oldDir, ec);

    if (asJson)
        std::fputs(summary.c_str(), stdout);
    else
        std::printf("%s\noutputs: %s\n", summaryText(run).c_str(), finalDir.c_str());
    return 0;
}

} // namespace capsim::cli
