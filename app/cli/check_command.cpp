#include "app/cli/commands.h"

#include "engine/json_writer.h"
#include "simulator/embedded_resources.h"
#include "simulator/run_estimate.h"
#include "simulator/scenario_loader.h"
#include "simulator/scenario_override.h"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace capsim::cli {

namespace json = boost::json;

namespace {

const char* kCheckUsage = R"(Usage: capsim check [SCENARIO.json|-] [--set PATH=VALUE]... [--json]

Validates a scenario and estimates, without running it, the number of requests its workloads
generate, the fidelity the simulator will choose, and the running time and memory of
'capsim run' (from per-request costs measured on a development machine: a guide, not a promise).
Without SCENARIO it checks the built-in default scenario. Prints every problem of an invalid
scenario. 'capsim run' refuses a run estimated over 1 h or 8 GiB unless given --force.

Exit codes: 0 a valid scenario (within the limits or not), 2 bad usage or an invalid scenario.
)";

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

} // namespace

int checkCommand(const std::vector<std::string>& args)
{
    std::string scenarioPath;
    bool asJson = false;
    std::vector<ScenarioOverride> overrides;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kCheckUsage, stdout);
            return 0;
        } else if (a == "--json") {
            asJson = true;
        } else if (a == "--set" || a.rfind("--set=", 0) == 0) {
            if (a == "--set" && i + 1 == args.size()) {
                std::fputs("capsim check: --set needs PATH=VALUE\n", stderr);
                return 2;
            }
            auto parsed = parseScenarioOverride(a == "--set" ? args[++i] : a.substr(6));
            if (!parsed) {
                std::fprintf(stderr, "capsim check: %s\n", parsed.status().message().c_str());
                return 2;
            }
            overrides.push_back(std::move(*parsed));
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim check: unknown option '%s'\n%s", a.c_str(), kCheckUsage);
            return 2;
        } else if (scenarioPath.empty()) {
            scenarioPath = a;
        } else {
            std::fputs("capsim check: more than one scenario given\n", stderr);
            return 2;
        }
    }

    std::string text;
    if (scenarioPath.empty()) {
        const std::string* builtIn = embeddedResource("default-scenario.json");
        if (!builtIn) {
            std::fputs("capsim check: the default scenario is missing from this build\n", stderr);
            return 1;
        }
        text = *builtIn;
    } else if (std::string why; !readInput(scenarioPath, text, &why)) {
        std::fprintf(stderr, "capsim check: %s\n", cannotRead(scenarioPath, why).c_str());
        return 2;
    }
    if (!overrides.empty()) {
        auto overridden = applyScenarioOverrides(text, overrides);
        if (!overridden) {
            std::fprintf(stderr, "capsim check: %s\n", overridden.status().message().c_str());
            return 2;
        }
        text = std::move(*overridden);
    }
    const std::string base
        = scenarioPath.empty() || scenarioPath == "-" ? std::string(".") : std::filesystem::path(scenarioPath).parent_path().string();
    const LoadResult loaded = loadScenarioText(text, base);
    const std::string source = scenarioPath.empty() ? std::string("the default scenario")
        : scenarioPath == "-"                      ? std::string("the scenario from standard input")
                                                   : scenarioPath;
    if (!loaded.scenario) {
        if (asJson) {
            json::array errors;
            for (const auto& e : loaded.errors)
                errors.push_back(json::object { { "path", e.path }, { "message", e.message } });
            std::printf("%s\n", toJsonText(json::object { { "format", "capsim-check/1" }, { "valid", false },
                                                 { "errors", std::move(errors) } },
                                    true)
                                    .c_str());
        }
        std::fprintf(stderr, "capsim check: %s is not a valid scenario:\n%s", source.c_str(), formatErrors(loaded.errors).c_str());
        return 2;
    }
    const Scenario& scenario = *loaded.scenario;
    const RunEstimate estimate = estimateRun(scenario);
    const RunLimits limits = runLimits();
    const std::string over = exceedsLimits(estimate, limits);
    const bool sampled = estimate.fidelity.mode == FidelitySpec::Mode::Sampled;
    const bool fluid = estimate.fidelity.mode == FidelitySpec::Mode::Fluid;

    if (asJson) {
        json::object o;
        o["format"] = "capsim-check/1";
        o["valid"] = true;
        o["scenario"] = scenario.name;
        o["simulatedSeconds"] = roundTo(estimate.simulatedSeconds, 6);
        // Counts are integers while they fit in one (a rate of 1e12 requests/s for a year does not).
        auto count = [](double value) {
            return value < 9e18 ? json::value(static_cast<std::int64_t>(std::llround(value))) : json::value(value);
        };
        o["requests"] = count(estimate.requests);
        if (fluid)
            o["fidelity"] = json::object { { "mode", "fluid" }, { "step", fidelityStepText(estimate.fidelity.step) } };
        else
            o["fidelity"] = json::object { { "mode", sampled ? "sampled" : "full" }, { "rate", estimate.fidelity.rate } };
        o["engineRequests"] = count(estimate.engineRequests);
        o["estimate"] = json::object { { "seconds", roundTo(estimate.seconds, 1) }, { "memoryBytes", count(estimate.memoryBytes) } };
        o["limits"] = json::object { { "seconds", limits.maxSeconds }, { "memoryBytes", count(limits.maxMemoryBytes) } };
        o["withinLimits"] = over.empty();
        if (!over.empty())
            o["refusal"] = over;
        std::printf("%s\n", toJsonText(o, true).c_str());
        return 0;
    }
    char requests[64];
    std::snprintf(requests, sizeof requests, estimate.requests < 1e9 ? "%.0f" : "%.3g", estimate.requests);
    std::printf("capsim check: %s is a valid scenario (%s)\n", source.c_str(), scenario.name.c_str());
    std::printf("  simulated time:  %s\n", formatDuration(estimate.simulatedSeconds).c_str());
    std::printf("  requests:        %s (first attempts; retries of throttled requests come on top)\n", requests);
    if (fluid)
        std::printf("  fidelity:        fluid, step %s (admitted and metered as flows per partition and step; %.3g requests through the engine)\n",
            fidelityStepText(estimate.fidelity.step).c_str(), estimate.engineRequests);
    else if (sampled)
        std::printf("  fidelity:        sampled at %g (%.3g requests through the engine, the rest metered from their sizes)\n",
            estimate.fidelity.rate, estimate.engineRequests);
    else
        std::printf("  fidelity:        full (every request through the engine)\n");
    std::printf("  estimated run:   %s, %s of memory\n", formatDuration(estimate.seconds).c_str(), formatBytes(estimate.memoryBytes).c_str());
    if (over.empty())
        std::printf("  within the limits of capsim run (%s, %s)\n", formatDuration(limits.maxSeconds).c_str(),
            formatBytes(limits.maxMemoryBytes).c_str());
    else
        std::printf("  capsim run refuses it without --force: %s\n", over.c_str());
    return 0;
}

} // namespace capsim::cli
