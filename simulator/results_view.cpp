#include "simulator/results_view.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace capsim {

double provisionedOf(const MinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.provisionedRead : row.provisionedWrite;
}
double consumedOf(const MinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.consumedRead : row.consumedWrite;
}
std::int64_t requestsOf(const MinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.requestsRead : row.requestsWrite;
}
std::int64_t throttledOf(const MinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.throttledRead : row.throttledWrite;
}
std::int64_t failedOf(const MinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.failedRead : row.failedWrite;
}

double consumedOf(const PartitionMinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.consumedRead : row.consumedWrite;
}
std::int64_t throttledOf(const PartitionMinuteRow& row, Dimension d)
{
    return d == Dimension::Read ? row.throttledRead : row.throttledWrite;
}

double consumedOf(const TableResult& table, Dimension d)
{
    return d == Dimension::Read ? table.consumedRead : table.consumedWrite;
}
double provisionedUnitHoursOf(const TableResult& table, Dimension d)
{
    return d == Dimension::Read ? table.provisionedUnitHoursRead : table.provisionedUnitHoursWrite;
}
std::int64_t requestsOf(const TableResult& table, Dimension d)
{
    return d == Dimension::Read ? table.requestsRead : table.requestsWrite;
}
std::int64_t throttledOf(const TableResult& table, Dimension d)
{
    return d == Dimension::Read ? table.throttledRead : table.throttledWrite;
}
std::int64_t failedOf(const TableResult& table, Dimension d)
{
    return d == Dimension::Read ? table.failedRead : table.failedWrite;
}

std::vector<const MinuteRow*> minutesInOrder(const std::vector<MinuteRow>& minutes)
{
    std::vector<const MinuteRow*> rows;
    rows.reserve(minutes.size());
    for (const auto& r : minutes)
        rows.push_back(&r);
    std::stable_sort(
        rows.begin(), rows.end(), [](const MinuteRow* a, const MinuteRow* b) { return a->minute < b->minute; });
    return rows;
}

std::vector<Dimension> indexChartDimensions(const TableResult& index)
{
    if (index.indexKind != IndexKind::Global || index.minutes.empty())
        return {};
    if (index.requestsRead > 0 || index.throttledRead > 0)
        return { Dimension::Read, Dimension::Write };
    return { Dimension::Write };
}

std::vector<MinuteCost> totalCostByMinute(const RunResult& run)
{
    std::vector<std::vector<const MinuteRow*>> rowsPerTable;
    std::set<std::int64_t> allMinutes;
    for (const auto& t : run.tables) {
        rowsPerTable.push_back(minutesInOrder(t.minutes));
        for (const auto* r : rowsPerTable.back())
            allMinutes.insert(r->minute);
    }
    std::vector<MinuteCost> total;
    total.reserve(allMinutes.size());
    std::vector<std::size_t> next(rowsPerTable.size(), 0);
    std::vector<double> current(rowsPerTable.size(), 0);
    for (const std::int64_t m : allMinutes) {
        double sum = 0;
        for (std::size_t t = 0; t < rowsPerTable.size(); ++t) {
            while (next[t] < rowsPerTable[t].size() && rowsPerTable[t][next[t]]->minute <= m)
                current[t] = rowsPerTable[t][next[t]++]->costToDate;
            sum += current[t];
        }
        total.push_back({ m, sum });
    }
    return total;
}

HeatColouring heatColouring(const RunResult& run, HeatMeasure measure)
{
    return { measure, run.partitionLimits };
}

double heatValue(const PartitionMinuteRow& row, const HeatColouring& colouring)
{
    if (colouring.measure == HeatMeasure::OwnLimit)
        return row.limitUtilisation;
    double value = 0;
    for (const Dimension d : kDimensions) {
        const double limit = colouring.partitionLimits[d];
        if (limit > 0)
            value = std::max(value, consumedOf(row, d) / limit);
    }
    return value;
}

namespace {

// Thousands grouped ("3,000"), built by appending: GCC 12 warns falsely (-Wrestrict) on insert.
std::string grouped(double value)
{
    const std::string digits = std::to_string(static_cast<long long>(std::llround(value)));
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

std::string heatLegend(const HeatColouring& colouring)
{
    if (colouring.measure == HeatMeasure::OwnLimit)
        return "consumed ÷ min(hard limit, even share of table capacity), higher of read, write";
    return "consumed ÷ partition hard limit (" + grouped(colouring.partitionLimits[Dimension::Read]) + " RCU, "
        + grouped(colouring.partitionLimits[Dimension::Write]) + " WCU), higher of read, write";
}

ClockFormat clockFormatForSpan(double spanSeconds, ClockFormat::Seconds seconds)
{
    ClockFormat format;
    format.rounding = ClockFormat::Rounding::Down;
    format.seconds = seconds;
    format.days = spanSeconds <= 86400 ? ClockFormat::Days::Never : ClockFormat::Days::Always;
    return format;
}

std::string formatClock(double seconds, const ClockFormat& format)
{
    const double clamped = std::max(0.0, seconds);
    const auto total = format.rounding == ClockFormat::Rounding::Down ? static_cast<std::int64_t>(std::floor(clamped))
                                                                      : static_cast<std::int64_t>(std::llround(clamped));
    const std::int64_t days = total / 86400;
    const bool withDays = format.days == ClockFormat::Days::Always
        || (format.days == ClockFormat::Days::AfterFirstDay && total > 86400);
    if (withDays && format.wholeDaysAlone && total % 86400 == 0)
        return std::to_string(days) + "d";
    const std::int64_t hours = withDays ? total / 3600 % 24 : total / 3600;
    const std::int64_t secs = total % 60;
    const bool withSeconds = format.seconds == ClockFormat::Seconds::Always
        || (format.seconds == ClockFormat::Seconds::WhenNonZero && secs != 0);
    char buffer[48];
    if (withSeconds)
        std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", static_cast<long long>(hours),
            static_cast<long long>(total / 60 % 60), static_cast<long long>(secs));
    else
        std::snprintf(
            buffer, sizeof buffer, "%02lld:%02lld", static_cast<long long>(hours), static_cast<long long>(total / 60 % 60));
    return withDays ? std::to_string(days) + "d " + buffer : std::string(buffer);
}

} // namespace capsim
