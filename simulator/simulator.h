#pragma once
// Simulator: runs a Scenario through the real engine on a virtual clock (integer microseconds,
// events ordered by (time, class, sequence)), with DynamoDB's admission control, throttling,
// client retries, auto scaling, on-demand growth and pricing, and returns a RunResult.
// One instance per run, no globals: several may run at once on different threads. The run
// itself is synchronous; progress and cancellation go through the options.

#include "simulator/pricing.h"
#include "simulator/results.h"
#include "simulator/scenario.h"

#include <atomic>
#include <functional>
#include <memory>

namespace capsim {

struct SimulatorOptions {
    PricingTable pricing;
    // Engine database for the run: ":memory:" (default) or a file path.
    std::string enginePath = ":memory:";
    // Called now and then with the fraction of simulated time done (0..1).
    std::function<void(double)> progress;
    // When set to true the run stops at the next event and returns what it has (cancelled).
    const std::atomic<bool>* stop = nullptr;
    // Called with a snapshot after every simulated minute when set (for progressive display).
    std::function<void(std::shared_ptr<const RunResult>)> snapshot;
};

// Fluid fidelity: "" when every feature the scenario uses runs as flows, else why not, naming the
// field ("workloads[0].operations: BatchWriteItem does not run in fluid fidelity yet").
std::string fluidUnsupported(const Scenario& scenario);

class Simulator {
public:
    Simulator(Scenario scenario, SimulatorOptions options);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    // Runs the whole scenario. Fails only for engine or setup errors (InternalServerError,
    // or ValidationException for a scenario the engine refuses).
    Result<std::shared_ptr<const RunResult>> run();

    // Resolved fidelity for a scenario: full when at most 2,000,000 requests and 1 GB of
    // initialData, else sampled at the rate that keeps both within those bounds up to
    // 100,000,000 requests, fluid beyond (sampled when the scenario cannot run fluid).
    static FidelitySpec resolveFidelity(const Scenario& scenario);
    // Fluid fidelity: the share of keys (and of initialData) the engine sample holds: about
    // 200,000 requests run in the engine (all of a smaller run), at most 1 GB is stored.
    static double fluidEngineShare(const Scenario& scenario);
    // Expected number of requests (first attempts) the workloads generate over the run.
    static double expectedRequests(const Scenario& scenario);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim
