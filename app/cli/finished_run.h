#pragma once
// Opening a finished run for `explain`, `report` and `compare`: a `capsim run --out` folder (its
// run.sqlite) or a results database file, read back with readResultsDatabase. Nothing is written.

#include "simulator/results.h"

#include <string>

namespace capsim::cli {

// The results database a DIR|run.sqlite argument names: DIR/run.sqlite for a folder, else the
// path itself.
std::string finishedRunDatabase(const std::string& path);

// Reads the run. ValidationException (bad input, exit 2) when the path does not exist, a folder
// holds no run.sqlite, or the file is not a capsim results database; other errors are I/O (exit 1).
Result<RunResult> openFinishedRun(const std::string& path);

// The exit code of cli.md for a failed openFinishedRun.
int exitCodeFor(const Status& status);

} // namespace capsim::cli
