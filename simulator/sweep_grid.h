#pragma once
// SweepGrid: the points of a parameter sweep (`capsim sweep --vary PATH=V1,V2,...`, contracts/cli.md
// "Working with runs"): every combination of the varied values, in a fixed order (the first --vary
// varies slowest), and their deterministic assignment to shards (`--shard I/N`). A point is a list
// of scenario overrides applied like `capsim run --set`. Immutable once built; any thread.

#include "engine/status.h"
#include "simulator/scenario_override.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

// One `--vary PATH=V1,V2,...`: the values as written (each read as JSON when it parses as JSON,
// else as a string, like --set). Commas inside brackets, braces or quotes do not separate values.
struct SweepVary {
    std::string path;
    std::vector<std::string> values;
    bool operator==(const SweepVary&) const = default;
};

// ValidationException naming the text: no '=', an empty path, an empty value, a value twice.
Result<SweepVary> parseSweepVary(std::string_view assignment);

// `--shard I/N`: shard I of N, 1 <= I <= N.
struct SweepShard {
    std::size_t index = 1;
    std::size_t count = 1;
    bool operator==(const SweepShard&) const = default;
};

// ValidationException naming the text unless it is I/N with 1 <= I <= N <= kMaxSweepPoints.
Result<SweepShard> parseSweepShard(std::string_view text);

inline constexpr std::size_t kMaxSweepPoints = 100000;

class SweepGrid {
public:
    // ValidationException when no dimension is given, a path is varied twice, or the grid has
    // more than kMaxSweepPoints points.
    static Result<SweepGrid> create(std::vector<SweepVary> varies);

    const std::vector<SweepVary>& varies() const { return m_varies; }
    std::size_t size() const { return m_size; }

    // The value of each dimension at point (0-based, < size()), in --vary order.
    std::vector<std::string> values(std::size_t point) const;
    std::vector<ScenarioOverride> overrides(std::size_t point) const;
    // "tables[0].provisioned.write=300 tables[0].autoScaling.write.target=50"
    std::string describe(std::size_t point) const;
    // The point's run folder name: "point-007" (1-based, zero-padded to the grid's width).
    std::string folderName(std::size_t point) const;

    // Round robin (point p is in shard p mod N + 1), so neighbouring points, which cost alike,
    // spread over the shards; the same on any machine.
    static std::size_t shardOf(std::size_t point, std::size_t shardCount);
    std::vector<std::size_t> pointsOf(const SweepShard& shard) const;

private:
    std::vector<SweepVary> m_varies;
    std::size_t m_size = 0;
};

} // namespace capsim
