#pragma once
// The results-view layer: what the command line, the report charts and the studio read from a
// RunResult, written once. Per-minute figures by Dimension, every table's cost to date minute by
// minute, the one decimator every chart draws through and the one simulated-clock formatter.
// Pure functions over immutable results (no Qt); callable from any thread.

#include "simulator/dimension.h"
#include "simulator/results.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace capsim {

// ---- figures by dimension -------------------------------------------------------------------

double provisionedOf(const MinuteRow& row, Dimension d);
double consumedOf(const MinuteRow& row, Dimension d);
std::int64_t requestsOf(const MinuteRow& row, Dimension d);
std::int64_t throttledOf(const MinuteRow& row, Dimension d);
std::int64_t failedOf(const MinuteRow& row, Dimension d);

double consumedOf(const PartitionMinuteRow& row, Dimension d);
std::int64_t throttledOf(const PartitionMinuteRow& row, Dimension d);

double consumedOf(const TableResult& table, Dimension d);
double provisionedUnitHoursOf(const TableResult& table, Dimension d);
std::int64_t requestsOf(const TableResult& table, Dimension d);
std::int64_t throttledOf(const TableResult& table, Dimension d);
std::int64_t failedOf(const TableResult& table, Dimension d);

// The table's minutes ordered by minute (stable for equal minutes).
std::vector<const MinuteRow*> minutesInOrder(const std::vector<MinuteRow>& minutes);

// The dimensions a capacity chart shows for one of a table's secondary indexes, in order: a GSI
// with recorded minutes gets its writes (the table's writes that maintain it, throttled when the
// index is short of capacity: back-pressure on its table) and, when anything read it or a read
// of it throttled, its reads. An LSI shares its table's capacity and gets none.
std::vector<Dimension> indexChartDimensions(const TableResult& index);

// ---- cost -------------------------------------------------------------------------------------

struct MinuteCost {
    std::int64_t minute = 0;
    double costToDate = 0; // at the end of the minute
};

// The run's cost to date at the end of each minute any table recorded, summed over its tables
// (indexes included in their table's figure). A table without a row for that minute counts its
// latest earlier figure (0 before its first minute). Ordered by minute.
std::vector<MinuteCost> totalCostByMinute(const RunResult& run);

// ---- partition heat ---------------------------------------------------------------------------

// What a partition heat map colours a partition-minute by: its consumed units/s over a limit,
// the higher of read and write.
enum class HeatMeasure {
    // The partition's own limit: its even share of the table's capacity, or the hard limit when
    // lower (PartitionMinuteRow::limitUtilisation). Above 100 % it lives on burst or adaptive capacity.
    OwnLimit,
    // The hard limit a partition can never exceed (the model's partitionRead / partitionWrite).
    HardLimit,
};

struct HeatColouring {
    HeatMeasure measure = HeatMeasure::OwnLimit;
    PerDimension<double> partitionLimits { { 3000, 1000 } }; // the run's hard limits, units/s
};

// The run's colouring by `measure`, with its model's partition limits.
HeatColouring heatColouring(const RunResult& run, HeatMeasure measure);

// The cell's value, 1 at the limit.
double heatValue(const PartitionMinuteRow& row, const HeatColouring& colouring);

// What the colour scale shows, in words: "consumed ÷ own limit, min(hard limit, even share of
// the table's capacity); higher of read, write".
std::string heatLegend(const HeatColouring& colouring);

// ---- decimation -------------------------------------------------------------------------------

// The one decimator every chart uses. `points` (anything with x() and y(), sorted by x) are cut
// into buckets by `bucketOf(x)` (a pixel column, a slice of the visible range; it must not decrease
// as x grows); each bucket keeps its first, lowest, highest and last point, in x order, so every
// peak, trough and step survives while a 30-day run at minute resolution draws about as many
// points as its chart has columns. Returns the kept indices in [begin, end), ascending, no repeats.
template <typename Points, typename BucketOf>
std::vector<std::size_t> decimatedIndices(const Points& points, std::size_t begin, std::size_t end, BucketOf bucketOf)
{
    std::vector<std::size_t> kept;
    const auto keep = [&kept](std::size_t i) {
        if (kept.empty() || kept.back() != i)
            kept.push_back(i);
    };
    std::size_t i = begin;
    while (i < end) {
        const auto bucket = bucketOf(points[i].x());
        std::size_t lowest = i, highest = i, j = i;
        for (; j < end && bucketOf(points[j].x()) == bucket; ++j) {
            if (points[j].y() < points[lowest].y())
                lowest = j;
            if (points[j].y() > points[highest].y())
                highest = j;
        }
        keep(i);
        keep(std::min(lowest, highest));
        keep(std::max(lowest, highest));
        keep(j - 1);
        i = j;
    }
    return kept;
}

// ---- simulated clock ----------------------------------------------------------------------------

// How a simulated time is written; the defaults are the explanation's ("09:02", "01:02:05",
// "24:00" at the end of a one-day run, "1d 03:10" after it).
struct ClockFormat {
    enum class Rounding { Down, Nearest };
    enum class Seconds { Always, Never, WhenNonZero };
    enum class Days {
        Never, // hours count on: "31:15"
        Always, // "0d 07:15", "2d 07:15"
        AfterFirstDay, // "24:00" ends the first day, then "1d 00:01"
    };
    Rounding rounding = Rounding::Nearest;
    Seconds seconds = Seconds::WhenNonZero;
    Days days = Days::AfterFirstDay;
    // A time on a whole day is the day alone ("14d"), for axis ticks a day or more apart.
    bool wholeDaysAlone = false;
};

// The format of times within a run of spanSeconds: a run of a day or less counts hours (it ends
// at "24:00:00" rather than "1d 00:00:00"), a longer one prefixes every time with its day.
ClockFormat clockFormatForSpan(double spanSeconds, ClockFormat::Seconds seconds = ClockFormat::Seconds::Always);

// Simulated seconds from the start as "hh:mm[:ss]", "<d>d hh:mm[:ss]" or "<d>d" (see ClockFormat).
std::string formatClock(double seconds, const ClockFormat& format = {});

} // namespace capsim
