#pragma once
// Opening the engine database a command serves (`capsim call`, `capsim serve`): the file checks,
// its S3 folder, the region default and the engine's clock (contracts/cli.md "capsim call").
// Plain functions; the returned Engine has one owner and is not thread-safe.

#include "engine/engine.h"

#include <memory>
#include <optional>
#include <string>

namespace capsim::cli {

// An opened engine database, or why not: `exitCode` 2 for a bad --db (a folder, a file that is
// not an engine database), 1 for a database that cannot be opened or created; `error` says
// which, naming --db.
struct EngineDatabase {
    std::unique_ptr<Engine> engine;
    int exitCode = 0;
    std::string error;
};

// Why PATH cannot be an engine database before anything opens it (it is a folder), or empty.
std::string folderError(const std::string& path);

// Opens (creating if missing) the engine database PATH, or an in-memory one for ":memory:", with
// its S3 folder `s3Root` (empty: defaultS3Root(path)).
EngineDatabase openEngineDatabase(const std::string& path, const std::string& s3Root);

// PATH.s3 beside a database file; for ":memory:", capsim-memory.s3 in the system's temporary folder.
std::string defaultS3Root(const std::string& path);

// The region a call addresses when none is named: $AWS_REGION, else us-east-1 (reference A11).
std::string defaultRegion();

// The wall clock as EngineTime (Unix epoch microseconds).
EngineTime wallClockNow();

// Where the engine's clock starts when no time is given: the wall clock, or the database's
// latest time if that is ahead of it (time only moves forward).
EngineTime clockStart(const Engine& engine);

// Parses a time as --now takes it: Unix epoch seconds (decimal allowed) or ISO 8601 UTC,
// YYYY-MM-DDThh:mm:ss[.fff]Z. Empty when TEXT is neither.
std::optional<EngineTime> parseEngineTime(const std::string& text);

// ISO 8601 UTC with milliseconds, for messages.
std::string formatEngineTime(EngineTime time);

} // namespace capsim::cli
