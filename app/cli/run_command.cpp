#include "app/cli/commands.h"

#include "app/cli/offscreen_gui.h"
#include "app/report/chart_renderer.h"
#include "engine/json_writer.h"
#include "simulator/embedded_resources.h"
#include "simulator/output_folder.h"
#include "simulator/results_store.h"
#include "simulator/results_writer.h"
#include "simulator/run_estimate.h"
#include "simulator/scenario_loader.h"
#include "simulator/scenario_override.h"
#include "simulator/simulator.h"


#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace capsim::cli {

namespace fs = std::filesystem;

namespace {

const char* kRunUsage = R"(Usage: capsim run [SCENARIO.json|-] [--set PATH=VALUE]... [--out DIR] [--json] [--quiet] [--force]

Runs a scenario (contracts/scenario-format.md) through the engine on a virtual clock and writes
summary.json, timeseries.csv, partitions.csv, events.csv, charts/*.png and run.sqlite into DIR
(default ./capsim-out/<scenario name>), replacing only those files when the run succeeds: nothing
else in DIR is deleted, moved or overwritten. Without SCENARIO it runs the built-in default scenario;
with - it reads the scenario from standard input.
Prints a short summary (the summary JSON with --json). Progress goes to stderr on a terminal.

  --set PATH=VALUE   override a scenario field by its JSON path before the run (repeatable, applied
                     in order): --set tables[0].provisioned.write=500 --set name=trial. VALUE is
                     JSON when it parses as JSON, else a string. The run.sqlite keeps the
                     scenario as run, overrides included.
  --force            run even when 'capsim check' estimates it over 1 h or 8 GiB (refused otherwise)

Exit codes: 0 success, 1 the run failed or was interrupted, 2 bad usage, a bad scenario, a DIR
that is a file, or a run estimated over the limits (without --force).
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

} // namespace

int runCommand(const std::vector<std::string>& args)
{
    std::string scenarioPath;
    std::string outDir;
    bool asJson = false;
    bool quiet = false;
    bool force = false;
    std::vector<ScenarioOverride> overrides;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kRunUsage, stdout);
            return 0;
        } else if (a == "--json") {
            asJson = true;
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a == "--force") {
            force = true;
        } else if (a == "--out" && i + 1 < args.size()) {
            outDir = args[++i];
        } else if (a.rfind("--out=", 0) == 0) {
            outDir = a.substr(6);
        } else if (a == "--set" || a.rfind("--set=", 0) == 0) {
            if (a == "--set" && i + 1 == args.size()) {
                std::fputs("capsim run: --set needs PATH=VALUE\n", stderr);
                return 2;
            }
            auto parsed = parseScenarioOverride(a == "--set" ? args[++i] : a.substr(6));
            if (!parsed) {
                std::fprintf(stderr, "capsim run: %s\n", parsed.status().message().c_str());
                return 2;
            }
            overrides.push_back(std::move(*parsed));
        } else if (a.size() > 1 && a[0] == '-') {
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
    } else if (std::string why; !readInput(scenarioPath, scenarioText, &why)) {
        std::fprintf(stderr, "capsim run: %s\n", cannotRead(scenarioPath, why).c_str());
        return 2;
    }
    if (!overrides.empty()) {
        auto overridden = applyScenarioOverrides(scenarioText, overrides);
        if (!overridden) {
            std::fprintf(stderr, "capsim run: %s\n", overridden.status().message().c_str());
            return 2;
        }
        scenarioText = std::move(*overridden);
    }
    // Relative paths in a scenario (traces, pricing) are read beside it; from stdin, here.
    const std::string baseDirectory
        = scenarioPath.empty() || scenarioPath == "-" ? std::string(".") : fs::path(scenarioPath).parent_path().string();
    loaded = loadScenarioText(scenarioText, baseDirectory);
    if (!loaded.scenario) {
        const std::string source = scenarioPath.empty() ? std::string("the default scenario")
            : scenarioPath == "-"                      ? std::string("the scenario from standard input")
                                                       : scenarioPath;
        std::fprintf(stderr, "capsim run: %s%s is not a valid scenario:\n%s", source.c_str(),
            overrides.empty() ? "" : " (after --set)", formatErrors(loaded.errors).c_str());
        return 2;
    }
    Scenario scenario = std::move(*loaded.scenario);

    Result<PricingTable> pricing = Status::notFound("");
    if (scenario.pricingFile) {
        std::string text;
        std::string why;
        if (!readInput(*scenario.pricingFile, text, &why)) {
            std::fprintf(stderr, "capsim run: pricing: %s\n", cannotRead(*scenario.pricingFile, why).c_str());
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

    // A run it cannot finish is refused before it starts (a rate of 1e12 requests/s ran until killed).
    if (!force) {
        if (const std::string over = exceedsLimits(estimateRun(scenario), runLimits()); !over.empty()) {
            std::fprintf(stderr,
                "capsim run: refused: %s: %s. Lower the rates or the duration, or pass --force to run it anyway "
                "('capsim check' shows the estimate)\n",
                scenario.name.c_str(), over.c_str());
            return 2;
        }
    }

    if (outDir.empty())
        outDir = (fs::path("capsim-out") / safeName(scenario.name)).string();
    // Checked before the run: a DIR that is a file is bad input, and nobody waits an hour to learn it.
    auto opened = OutputFolder::open(outDir);
    if (!opened) {
        std::fprintf(stderr, "capsim run: --out: %s\n", opened.status().message().c_str());
        return opened.status().is(error::kValidation) ? 2 : 1;
    }
    OutputFolder& output = **opened;
    const fs::path finalDir = output.dir();

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
        std::fprintf(stderr, "capsim run: %s\n", result.status().toString().c_str());
        return 1;
    }
    const RunResult& run = **result;
    if (run.cancelled || g_interrupted.load()) {
        // An interrupted run leaves no outputs that could look complete (the OutputFolder removes its staging).
        std::fputs("capsim run: interrupted; no outputs written\n", stderr);
        return 1;
    }

    const std::string summary = summaryJson(run);
    auto write = [&](const char* name, const std::string& text) {
        Status s = output.writeFile(name, text);
        if (!s)
            std::fprintf(stderr, "capsim run: %s\n", s.message().c_str());
        return static_cast<bool>(s);
    };
    bool ok = write("summary.json", summary) && write("timeseries.csv", timeseriesCsv(run))
        && write("partitions.csv", partitionsCsv(run)) && write("events.csv", eventsCsv(run));
    testKillPoint("writing");
    const fs::path tempDir = output.staging();
    if (ok) {
        Status s = writeResultsDatabase((tempDir / "run.sqlite").string(), run, scenarioText, summary);
        if (!s) {
            std::fprintf(stderr, "capsim run: run.sqlite: %s\n", s.message().c_str());
            ok = false;
        }
    }
    if (ok) {
        OffscreenGui gui;
        QString error;
        if (!report::writeCharts(run, QString::fromStdString((tempDir / "charts").string()), &error)) {
            std::fprintf(stderr, "capsim run: charts: %s\n", error.toUtf8().constData());
            ok = false;
        }
    }
    if (!ok)
        return 1;
    // The finished outputs replace the previous ones file by file, summary.json last; nothing
    // else in DIR is touched.
    if (Status s = output.commit(); !s) {
        std::fprintf(stderr, "capsim run: %s\n", s.message().c_str());
        return s.is(error::kValidation) ? 2 : 1;
    }

    if (asJson)
        std::fputs(summary.c_str(), stdout);
    else
        std::printf("%s\noutputs: %s\n", summaryText(run).c_str(), finalDir.c_str());
    return 0;
}

} // namespace capsim::cli
