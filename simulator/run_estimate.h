#pragma once
// RunEstimate: what a run will take before it runs (`capsim check`, and `capsim run` refusing a
// run it cannot finish). The request count integrates each workload's rate over the run (rate
// changes by events included); the fidelity is the one the simulator resolves; the running time
// and memory come from per-request, per-item and per-row costs measured on a development machine
// (the constants and how they were measured are in run_estimate.cpp). Pure functions.

#include "simulator/scenario.h"

#include <string>

namespace capsim {

struct RunEstimate {
    double simulatedSeconds = 0;
    // First attempts the workloads generate; retries of throttled requests come on top.
    double requests = 0;
    FidelitySpec fidelity; // as Simulator::resolveFidelity resolves it (never Auto)
    double engineRequests = 0; // executed in the engine; the others are metered from their sizes
    double storedItems = 0; // items the engine will hold (initialData and written keys, sampled)
    double resultRows = 0; // timeseries.csv and partitions.csv rows
    double seconds = 0; // running time on an otherwise idle machine
    double memoryBytes = 0; // peak resident memory
};

struct RunLimits {
    double maxSeconds = 3600;
    double maxMemoryBytes = 8.0 * 1024 * 1024 * 1024;
};

// The limits `capsim run` applies: 1 h and 8 GiB. Test hook: the environment variable
// CAPSIM_TEST_RUN_LIMIT_SECONDS lowers the time limit, so a test can see a refusal of a tiny run.
RunLimits runLimits();

RunEstimate estimateRun(const Scenario& scenario);

// Why a run would exceed the limits, one sentence with the estimates and the limits; "" when it
// stays within them.
std::string exceedsLimits(const RunEstimate& estimate, const RunLimits& limits = {});

// "3.2 s", "12 min", "4.1 h", "2.3e+06 h"; "512 MiB", "1.5 GiB", "3e+09 GiB".
std::string formatDuration(double seconds);
std::string formatBytes(double bytes);

} // namespace capsim
