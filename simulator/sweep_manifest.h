#pragma once
// SweepManifest: `sweep.json`, the record a sweep folder keeps of what it holds (contracts/cli.md
// "Working with runs"): the scenario and its SHA-256, the --vary list, the shard (I of N; 1 of 1
// for a whole sweep), the points run there and whether the sweep finished. `capsim merge` reads
// it to refuse shard folders that do not make one whole sweep. Pure functions; any thread.

#include "engine/status.h"
#include "simulator/sweep_grid.h"

#include <string>
#include <string_view>
#include <vector>

namespace capsim {

struct SweepManifest {
    std::string scenario; // the path as given on the command line
    std::string scenarioSha256; // of the scenario file's bytes
    std::vector<SweepVary> varies;
    SweepShard shard; // 1/1 for a whole sweep
    std::vector<std::size_t> points; // 0-based grid indexes run in this folder, ascending
    bool complete = false; // every point ran and sweep.csv is written
    std::vector<std::string> mergedFrom; // for `capsim merge` output: the shard folders joined
};

// The manifest as JSON (format capsim-sweep/1), each point with its folder and values.
std::string sweepManifestJson(const SweepManifest& manifest, const SweepGrid& grid);

// ValidationException when the text is not a capsim-sweep/1 manifest (the message says what is off).
Result<SweepManifest> parseSweepManifest(std::string_view text);

// One shard folder given to `capsim merge`, with its manifest.
struct SweepShardFolder {
    std::string folder;
    SweepManifest manifest;
};

// Checks that the folders are the N shards of one sweep: the same scenario (hash), --vary list and
// N; every shard 1..N exactly once; each complete, with the points its shard assignment gives.
// ValidationException naming the folders and what is wrong otherwise.
Status checkSweepShardSet(const std::vector<SweepShardFolder>& shards);

} // namespace capsim
