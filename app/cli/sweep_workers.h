#pragma once
// SweepWorkers: runs a sweep's points as child processes of this capsim (`capsim run ... --out
// POINT_DIR`), at most `workers` at a time, so no run shares mutable state with another. Stops
// launching after the first failure or when asked to stop (SIGINT/SIGTERM: the running children
// get SIGTERM and leave no outputs). One instance, on the calling thread.

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace capsim::cli {

struct SweepTask {
    std::vector<std::string> args; // after the program name: {"run", SCENARIO, "--set", ...}
};

struct SweepTaskOutcome {
    bool ran = false;
    int exitCode = -1; // 128 + signal when the child was killed
    std::string errors; // what it printed on stderr
};

// The number of CPUs this process may run on (its affinity mask, which cluster schedulers set).
std::size_t availableCpus();

// Runs the tasks (in order of their index, `workers` at a time) and returns one outcome per task;
// tasks not started (after a failure or a stop) have ran = false. onFinished(finishedCount) is
// called after each task ends. `stop` is polled between tasks and while waiting.
std::vector<SweepTaskOutcome> runSweepTasks(const std::vector<SweepTask>& tasks, std::size_t workers,
    const std::atomic<bool>& stop, const std::function<void(std::size_t)>& onFinished);

} // namespace capsim::cli
