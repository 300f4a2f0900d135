#pragma once
// The results database (run.sqlite): a run's summary, minute series, partition series and
// events in SQL tables, so the studio can reopen and compare past runs. Writes through
// engine/sqlite/sql_database.h; single-threaded.

#include "simulator/results.h"

#include <string>

namespace capsim {

// Writes `run` to a new results database at `path` (which must not exist yet), with the
// scenario's JSON text and the summary.json text beside it.
Status writeResultsDatabase(const std::string& path, const RunResult& run, const std::string& scenarioJson,
    const std::string& summaryJsonText);

// Reads back the first run of a results database (the minute series, partition series,
// events and totals). InternalServerError if the file is not a capsim results database.
Result<RunResult> readResultsDatabase(const std::string& path);

// The scenario JSON text stored with the first run of a results database.
Result<std::string> readResultsScenario(const std::string& path);

} // namespace capsim
