#include "simulator/explain.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace capsim {

namespace {

constexpr int kRead = 0;
constexpr int kWrite = 1;
// Beyond this many actions of one kind, the rest are counted rather than told one by one.
constexpr std::size_t kMaxToldActions = 12;

const char* dimensionName(int d)
{
    return d == kRead ? "read" : "write";
}
const char* dimensionNoun(int d)
{
    return d == kRead ? "reads" : "writes";
}
const char* capacityUnit(int d)
{
    return d == kRead ? "RCU" : "WCU";
}

double consumedOf(const MinuteRow& r, int d)
{
    return d == kRead ? r.consumedRead : r.consumedWrite;
}
double provisionedOf(const MinuteRow& r, int d)
{
    return d == kRead ? r.provisionedRead : r.provisionedWrite;
}
std::int64_t requestsOf(const MinuteRow& r, int d)
{
    return d == kRead ? r.requestsRead : r.requestsWrite;
}
std::int64_t throttledOf(const MinuteRow& r, int d)
{
    return d == kRead ? r.throttledRead : r.throttledWrite;
}
std::int64_t failedOf(const MinuteRow& r, int d)
{
    return d == kRead ? r.failedRead : r.failedWrite;
}
double consumedOf(const PartitionMinuteRow& r, int d)
{
    return d == kRead ? r.consumedRead : r.consumedWrite;
}
std::int64_t throttledOf(const PartitionMinuteRow& r, int d)
{
    return d == kRead ? r.throttledRead : r.throttledWrite;
}
std::int64_t requestsOf(const TableResult& t, int d)
{
    return d == kRead ? t.requestsRead : t.requestsWrite;
}
std::int64_t throttledOf(const TableResult& t, int d)
{
    return d == kRead ? t.throttledRead : t.throttledWrite;
}
std::int64_t failedOf(const TableResult& t, int d)
{
    return d == kRead ? t.failedRead : t.failedWrite;
}
double consumedOf(const TableResult& t, int d)
{
    return d == kRead ? t.consumedRead : t.consumedWrite;
}

double share(double part, double whole)
{
    return whole > 0 ? part / whole : 0.0;
}

// Units per second: whole numbers from 10 up, one decimal below.
std::string formatRate(double unitsPerSecond)
{
    return formatGrouped(
        unitsPerSecond, std::abs(unitsPerSecond) >= 10 || unitsPerSecond == std::floor(unitsPerSecond) ? 0 : 1);
}

std::string plural(std::int64_t n, const char* one, const char* many)
{
    return formatCount(n) + " " + (n == 1 ? one : many);
}

std::string formatDuration(double seconds)
{
    const auto total = static_cast<std::int64_t>(std::llround(seconds));
    if (total < 60)
        return plural(total, "second", "seconds");
    const std::int64_t minutes = total / 60;
    if (minutes < 60)
        return plural(minutes, "minute", "minutes");
    const std::int64_t hours = minutes / 60;
    if (hours < 48) {
        std::string text = plural(hours, "hour", "hours");
        if (minutes % 60 != 0)
            text += " " + plural(minutes % 60, "minute", "minutes");
        return text;
    }
    std::string text = plural(hours / 24, "day", "days");
    if (hours % 24 != 0)
        text += " " + plural(hours % 24, "hour", "hours");
    return text;
}

std::string minuteClock(std::int64_t minute)
{
    return formatClock(static_cast<double>(minute) * 60.0);
}

// The capacity a scaleOut, scaleIn or capacityChanged event moves from and to.
struct CapacityChange {
    int dimension = kWrite;
    double from = 0;
    double to = 0;
};

std::optional<CapacityChange> capacityChangeOf(const RunEvent& e)
{
    if (e.kind == EventKind::ScaleOut || e.kind == EventKind::ScaleIn) {
        if (const auto* s = std::get_if<ScalingDecision>(&e.payload))
            return CapacityChange { static_cast<int>(dimensionIndex(s->dimension)), static_cast<double>(s->fromUnits),
                static_cast<double>(s->toUnits) };
    } else if (e.kind == EventKind::CapacityChanged) {
        if (const auto* c = std::get_if<CapacityInForce>(&e.payload))
            return CapacityChange { static_cast<int>(dimensionIndex(c->dimension)), static_cast<double>(c->fromUnits),
                static_cast<double>(c->toUnits) };
    }
    return std::nullopt;
}

// Billing mode in force per minute, from the modeSwitch events.
std::vector<BillingMode> modesByMinute(const RunResult& run, const TableResult& t)
{
    std::vector<std::pair<double, BillingMode>> switches;
    for (const auto& e : run.events) {
        if (e.table != t.name || e.kind != EventKind::ModeSwitch)
            continue;
        if (const auto* mode = std::get_if<BillingModeInForce>(&e.payload))
            switches.emplace_back(e.timeSeconds, mode->mode);
    }
    BillingMode mode = t.billingMode;
    if (!switches.empty())
        mode = switches.front().second == BillingMode::Provisioned ? BillingMode::PayPerRequest
                                                                   : BillingMode::Provisioned;
    std::vector<BillingMode> modes;
    std::size_t next = 0;
    for (const auto& row : t.minutes) {
        while (next < switches.size() && switches[next].first <= static_cast<double>(row.minute) * 60.0)
            mode = switches[next++].second;
        modes.push_back(mode);
    }
    return modes;
}

struct Episode {
    std::size_t first = 0; // index into minutes
    std::size_t end = 0; // one past the last throttled minute
    std::int64_t throttled = 0;
    std::int64_t requests = 0;
};

std::vector<Episode> throttleEpisodes(const TableResult& t, int d)
{
    std::vector<Episode> episodes;
    for (std::size_t i = 0; i < t.minutes.size(); ++i) {
        if (throttledOf(t.minutes[i], d) == 0)
            continue;
        if (episodes.empty() || episodes.back().end != i)
            episodes.push_back({ i, i, 0, 0 });
        auto& ep = episodes.back();
        ep.end = i + 1;
        ep.throttled += throttledOf(t.minutes[i], d);
        ep.requests += requestsOf(t.minutes[i], d);
    }
    return episodes;
}

class Explainer {
public:
    explicit Explainer(const RunResult& run)
        : m_run(run)
    {
    }

    std::vector<std::string> paragraphs()
    {
        overview();
        for (const auto& t : m_run.tables) {
            tableOverview(t);
            indexOverview(t);
        }
        for (const auto& t : m_run.tables)
            for (int d : { kWrite, kRead })
                for (const auto& ep : throttleEpisodes(t, d))
                    episode(t, d, ep);
        scalingActions();
        splits();
        timedEvents();
        indexBackfills();
        for (const auto& t : m_run.tables)
            failures(t);
        for (const auto& t : m_run.tables)
            cost(t);
        return std::move(m_out);
    }

private:
    const RunResult& m_run;
    std::vector<std::string> m_out;

    // The most a partition can ever serve, units/s (the run's model.partitionRead / partitionWrite).
    double hardLimit(int d) const
    {
        return m_run.partitionLimits[d == kRead ? Dimension::Read : Dimension::Write];
    }

    double runEndSeconds(const TableResult& t) const
    {
        if (m_run.simulatedSeconds > 0)
            return m_run.simulatedSeconds;
        return static_cast<double>(t.minutes.size()) * 60.0;
    }

    void overview()
    {
        std::string p = "Run \"" + m_run.scenario + "\" simulated " + formatDuration(m_run.simulatedSeconds)
            + " (00:00 to " + formatClock(m_run.simulatedSeconds) + ") of "
            + plural(static_cast<std::int64_t>(m_run.tables.size()), "table", "tables") + " with seed "
            + std::to_string(m_run.seed) + ".";
        if (m_run.fidelityMode == FidelitySpec::Mode::Sampled)
            p += " Fidelity was sampled: every request was admitted and metered one by one, so the counts below "
                 "are exact, but only the items of " + formatPercent(m_run.fidelityRate)
                + " of the keys were stored and run in the engine; storage figures are estimates scaled up from them.";
        if (m_run.fidelityMode == FidelitySpec::Mode::Fluid)
            p += " Fidelity was fluid: traffic was admitted, throttled, retried and metered as flows per partition and "
                 "step of " + fidelityStepText(m_run.fidelityStep) + ", so counts agree with a full run within the documented "
                 "tolerances; a sample of the requests on " + formatPercent(m_run.fidelityRate)
                + " of the keys ran in the engine, and storage figures are estimates scaled up from them.";
        if (m_run.cancelled)
            p += " The run was cancelled before its end, so everything below covers only the simulated part.";
        m_out.push_back(std::move(p));
    }

    void tableOverview(const TableResult& t)
    {
        const auto modes = modesByMinute(m_run, t);
        const BillingMode startMode = modes.empty() ? t.billingMode : modes.front();
        std::string p
            = t.name + " is a " + (t.tableClass == TableClass::Standard ? "Standard" : "Standard-IA") + " table";
        if (!t.minutes.empty()) {
            const auto& first = t.minutes.front();
            const auto& last = t.minutes.back();
            if (startMode == BillingMode::Provisioned)
                p += " provisioned with " + formatRate(first.provisionedRead) + " RCU and "
                    + formatRate(first.provisionedWrite) + " WCU at the start";
            else
                p += " in on-demand mode, starting with a ceiling of " + formatRate(first.provisionedRead)
                    + " read and " + formatRate(first.provisionedWrite) + " write units/s (twice the previous peak)";
            if (t.billingMode != startMode)
                p += std::string(", switched to ")
                    + (t.billingMode == BillingMode::Provisioned ? "provisioned" : "on-demand")
                    + " mode during the run";
            if (t.billingMode == BillingMode::Provisioned
                && (last.provisionedRead != first.provisionedRead || last.provisionedWrite != first.provisionedWrite))
                p += ", and " + formatRate(last.provisionedRead) + " RCU and " + formatRate(last.provisionedWrite)
                    + " WCU at the end";
        }
        p += ". ";
        std::vector<std::string> traffic;
        for (int d : { kRead, kWrite }) {
            if (requestsOf(t, d) == 0)
                continue;
            double peak = 0;
            std::int64_t peakMinute = 0;
            for (const auto& row : t.minutes)
                if (consumedOf(row, d) > peak) {
                    peak = consumedOf(row, d);
                    peakMinute = row.minute;
                }
            traffic.push_back(formatCount(requestsOf(t, d)) + " " + dimensionNoun(d) + " reached it, consuming "
                + formatGrouped(consumedOf(t, d), 0) + " " + dimensionName(d) + " units (peak " + formatRate(peak)
                + " units/s in the minute from " + minuteClock(peakMinute) + ")");
        }
        if (traffic.empty())
            p += "No request reached it.";
        else if (traffic.size() == 1)
            p += traffic[0] + ".";
        else
            p += traffic[0] + "; " + traffic[1] + ".";
        const std::int64_t requests = t.requestsRead + t.requestsWrite;
        const std::int64_t throttled = t.throttledRead + t.throttledWrite;
        if (throttled == 0 && requests > 0)
            p += " No request was throttled.";
        else if (throttled > 0)
            p += " " + formatCount(throttled) + " of them were throttled ("
                + formatPercent(share(static_cast<double>(throttled), static_cast<double>(requests))) + ").";
        p += " It had " + plural(t.partitionsInitial, "partition", "partitions") + " at the start and "
            + formatCount(t.partitionsFinal) + " at the end.";
        m_out.push_back(std::move(p));
    }

    std::vector<const RunEvent*> eventsOf(const TableResult& t, EventKind kind, int d, double from, double to) const
    {
        std::vector<const RunEvent*> found;
        for (const auto& e : m_run.events) {
            if (e.table != t.name || e.kind != kind || e.timeSeconds < from || e.timeSeconds > to)
                continue;
            const auto change = capacityChangeOf(e);
            if (change && change->dimension == d)
                found.push_back(&e);
        }
        return found;
    }

    void episode(const TableResult& t, int d, const Episode& ep)
    {
        const auto& rows = t.minutes;
        const double startSeconds = static_cast<double>(rows[ep.first].minute) * 60.0;
        const bool toEnd = ep.end >= rows.size();
        const double endSeconds = toEnd ? runEndSeconds(t) : static_cast<double>(rows[ep.end].minute) * 60.0;
        const std::int64_t minutes = static_cast<std::int64_t>(ep.end - ep.first);
        const std::string Dim = d == kRead ? "Reads" : "Writes";

        std::string p = Dim + " to " + t.name + " were throttled from " + formatClock(startSeconds)
            + (toEnd ? " until the run ended at " : " to ") + formatClock(endSeconds) + " ("
            + plural(minutes, "minute", "minutes") + "): " + formatCount(ep.throttled) + " of the "
            + formatCount(ep.requests) + " " + dimensionName(d) + " requests in those minutes ("
            + formatPercent(share(static_cast<double>(ep.throttled), static_cast<double>(ep.requests))) + "), "
            + formatPercent(share(static_cast<double>(ep.throttled), static_cast<double>(requestsOf(t, d))))
            + " of all " + formatCount(requestsOf(t, d)) + " " + dimensionNoun(d) + " in the run.";

        const auto modes = modesByMinute(m_run, t);
        const bool onDemand = modes[ep.first] == BillingMode::PayPerRequest;
        // Capacity in force when the episode began: the previous minute's last second.
        const double inForce = provisionedOf(rows[ep.first > 0 ? ep.first - 1 : ep.first], d);
        if (onDemand) {
            p += " The on-demand ceiling in force was " + formatRate(inForce) + " " + dimensionName(d) + " units/s.";
        } else {
            p += " " + formatRate(inForce) + " " + capacityUnit(d) + " were in force";
            const auto changes = eventsOf(t, EventKind::CapacityChanged, d, startSeconds, endSeconds);
            for (std::size_t i = 0; i < changes.size(); ++i) {
                const auto change = capacityChangeOf(*changes[i]);
                p += std::string(i == 0 ? "; capacity became " : (i + 1 == changes.size() ? " and " : ", "))
                    + formatRate(change->to) + " " + capacityUnit(d) + " at " + formatClock(changes[i]->timeSeconds);
            }
            p += ".";
        }

        // Demand as it arrived: attempts per second times the mean units of an admitted request.
        const double admitted = static_cast<double>(requestsOf(t, d) - throttledOf(t, d));
        const double unitsPerRequest = admitted > 0 ? consumedOf(t, d) / admitted : 1.0;
        double peakDemand = 0, peakConsumed = 0, maxTableUtilisation = 0;
        for (std::size_t i = ep.first; i < ep.end; ++i) {
            peakDemand = std::max(peakDemand, static_cast<double>(requestsOf(rows[i], d)) / 60.0 * unitsPerRequest);
            peakConsumed = std::max(peakConsumed, consumedOf(rows[i], d));
            const double capacity = provisionedOf(rows[i], d);
            if (capacity > 0)
                maxTableUtilisation = std::max(maxTableUtilisation, consumedOf(rows[i], d) / capacity);
        }

        if (indexBackPressure(t, d, ep, maxTableUtilisation, p)) {
        } else if (hotPartition(t, d, ep, maxTableUtilisation, p)) {
        } else if (onDemand) {
            const double ceilingAtEnd = provisionedOf(rows[ep.end - 1], d);
            p += " Likely cause: demand above twice the previous peak. Attempts arrived at up to about "
                + formatRate(peakDemand) + " units/s, above the ceiling of " + formatRate(inForce)
                + " units/s (2 x the previous peak); on-demand raises its ceiling to cover new demand gradually, and it was "
                + formatRate(ceilingAtEnd) + " units/s in the minute from " + minuteClock(rows[ep.end - 1].minute)
                + ".";
        } else if (burstRanOut(t, d, ep, p)) {
        } else {
            const auto decisions = eventsOf(t, EventKind::ScaleOut, d, startSeconds - 180.0, endSeconds);
            p += " Likely cause: demand above the provisioned capacity: attempts arrived at up to about "
                + formatRate(peakDemand) + " units/s against " + formatRate(inForce) + " " + capacityUnit(d)
                + " (consumed at most " + formatRate(peakConsumed) + " units/s).";
            if (!decisions.empty()) {
                const auto* first = decisions.front();
                const auto change = capacityChangeOf(*first);
                const auto inForceEvent = findInForce(*first, *change);
                p += " Auto scaling lagged: it acts on consumed capacity, which a throttled table cannot raise beyond what it has; its first scale-out ("
                    + formatRate(change->from) + " -> " + formatRate(change->to) + " " + capacityUnit(d)
                    + ") was decided at " + formatClock(first->timeSeconds);
                if (inForceEvent)
                    p += " and in force at " + formatClock(inForceEvent->timeSeconds) + ", "
                        + formatDuration(inForceEvent->timeSeconds - startSeconds) + " after throttling began";
                else
                    p += ", and the run ended before it came into force";
                p += ".";
                if (decisions.size() > 1)
                    p += " It took " + plural(static_cast<std::int64_t>(decisions.size()), "scale-out", "scale-outs")
                        + " to catch up.";
            } else if (maxTableUtilisation >= 0.9) {
                p += " Nothing raised the capacity during the episode.";
            } else {
                p += " The table used at most " + formatPercent(maxTableUtilisation)
                    + " of its capacity in any of those minutes, so the throttles came from bursts within seconds.";
            }
        }
        m_out.push_back(std::move(p));
    }

    // Back-pressure: a global secondary index that cannot take the index writes of the table's
    // writes throttles them, whatever the table's own capacity. Names the index that took most of
    // the throttles in the episode's minutes, with its capacity and throttle count.
    bool indexBackPressure(const TableResult& t, int d, const Episode& ep, double maxTableUtilisation, std::string& p) const
    {
        if (d != kWrite || t.indexes.empty())
            return false;
        const std::int64_t firstMinute = t.minutes[ep.first].minute;
        const std::int64_t endMinute = ep.end < t.minutes.size() ? t.minutes[ep.end].minute
                                                                 : t.minutes.back().minute + 1;
        const TableResult* worst = nullptr;
        std::int64_t worstThrottled = 0;
        double worstCapacity = 0;
        for (const auto& index : t.indexes) {
            if (index.indexKind != IndexKind::Global)
                continue;
            std::int64_t throttled = 0;
            double capacity = 0;
            bool capacityKnown = false;
            for (const auto& row : index.minutes) {
                if (row.minute < firstMinute || row.minute >= endMinute)
                    continue;
                throttled += row.throttledWrite;
                if (!capacityKnown) {
                    capacity = row.provisionedWrite;
                    capacityKnown = true;
                }
            }
            if (throttled > worstThrottled) {
                worst = &index;
                worstThrottled = throttled;
                worstCapacity = capacity;
            }
        }
        // The index explains the episode when it throttled at least half as many writes.
        if (!worst || worstThrottled * 2 < ep.throttled)
            return false;
        const bool onDemand = worst->billingMode == BillingMode::PayPerRequest;
        p += " Likely cause: back-pressure from a global secondary index: writes to " + t.name
            + " were throttled because GSI " + worst->name + " had only " + formatRate(worstCapacity) + " "
            + (onDemand ? std::string("write units/s") : std::string("WCU")) + ": every write to " + t.name
            + " also writes its entry in " + worst->name + ", and DynamoDB throttles the table's write when the index "
            + "cannot take it. " + worst->name + " throttled " + formatCount(worstThrottled) + " "
            + (worstThrottled == 1 ? "write" : "writes") + " in those minutes ("
            + formatCount(worst->throttledWrite) + " in the run, of " + formatCount(worst->requestsWrite)
            + " index writes), while " + t.name + " itself used at most " + formatPercent(maxTableUtilisation)
            + " of its write capacity.";
        if (!onDemand && !t.minutes.empty())
            p += " Give the index at least the table's write capacity ("
                + formatRate(provisionedOf(t.minutes[ep.first], d)) + " WCU) or auto scaling.";
        return true;
    }

    // A backfill's length to the second below an hour ("2 minutes 30 seconds").
    static std::string backfillDuration(double seconds)
    {
        const auto total = static_cast<std::int64_t>(std::llround(seconds));
        if (total < 60 || total >= 3600 || total % 60 == 0)
            return formatDuration(seconds);
        return plural(total / 60, "minute", "minutes") + " " + plural(total % 60, "second", "seconds");
    }

    // Index backfills: createIndex events start a CREATING phase that ends when the index is ACTIVE.
    void indexBackfills()
    {
        for (const auto& created : m_run.events) {
            if (created.kind != EventKind::IndexCreating)
                continue;
            const auto slash = created.table.find('/');
            const std::string name = slash == std::string::npos
                ? created.table
                : "GSI " + created.table.substr(slash + 1) + " of " + created.table.substr(0, slash);
            std::string p = name + " was created at " + formatClock(created.timeSeconds)
                + " and backfilled from the table's items through its own write capacity";
            const RunEvent* active = nullptr;
            for (const auto& e : m_run.events)
                if (e.kind == EventKind::IndexActive && e.table == created.table && e.timeSeconds >= created.timeSeconds) {
                    active = &e;
                    break;
                }
            if (active)
                p += "; it became ACTIVE at " + formatClock(active->timeSeconds) + ", "
                    + backfillDuration(active->timeSeconds - created.timeSeconds) + " later (" + eventText(*active) + ").";
            else
                p += "; it was still CREATING when the run ended.";
            p += " Writes to the table maintained it from the start, on the index's write capacity.";
            m_out.push_back(std::move(p));
        }
    }

    // Each table's secondary indexes with their own figures.
    void indexOverview(const TableResult& t)
    {
        if (t.indexes.empty())
            return;
        std::string p = t.name + " has ";
        std::vector<std::string> parts;
        for (const auto& index : t.indexes) {
            const bool global = index.indexKind == IndexKind::Global;
            std::string part = std::string(global ? "GSI " : "LSI ") + index.name;
            std::vector<std::string> figures;
            if (global && !index.minutes.empty() && index.billingMode == BillingMode::Provisioned)
                figures.push_back(formatRate(index.minutes.front().provisionedRead) + " RCU / "
                    + formatRate(index.minutes.front().provisionedWrite) + " WCU");
            figures.push_back(formatCount(index.requestsWrite) + " index writes consuming "
                + formatGrouped(index.consumedWrite, 0) + " write units");
            if (index.requestsRead > 0)
                figures.push_back(formatCount(index.requestsRead) + " reads");
            if (index.throttledWrite + index.throttledRead > 0)
                figures.push_back(formatCount(index.throttledWrite) + " throttled writes and "
                    + formatCount(index.throttledRead) + " throttled reads");
            part += " (";
            for (std::size_t i = 0; i < figures.size(); ++i)
                part += (i == 0 ? "" : ", ") + figures[i];
            part += ", costing " + formatUsd(index.cost.total()) + ")";
            parts.push_back(std::move(part));
        }
        p += plural(static_cast<std::int64_t>(t.indexes.size()), "secondary index", "secondary indexes") + ": ";
        for (std::size_t i = 0; i < parts.size(); ++i)
            p += (i == 0 ? "" : (i + 1 == parts.size() ? " and " : ", ")) + parts[i];
        p += ".";
        m_out.push_back(std::move(p));
    }

    const RunEvent* findInForce(const RunEvent& decision, const CapacityChange& change) const
    {
        for (const auto& e : m_run.events) {
            if (e.table != decision.table || e.kind != EventKind::CapacityChanged || e.timeSeconds < decision.timeSeconds)
                continue;
            const auto c = capacityChangeOf(e);
            if (c && c->dimension == change.dimension && std::abs(c->to - change.to) < 0.5)
                return &e;
        }
        return nullptr;
    }

    // A hot partition: one partition takes most throttles, or runs at its hard limit, while the
    // table as a whole has capacity to spare (reference A3: per-partition limits).
    bool hotPartition(const TableResult& t, int d, const Episode& ep, double maxTableUtilisation, std::string& p) const
    {
        const std::int64_t firstMinute = t.minutes[ep.first].minute;
        const std::int64_t endMinute = t.minutes[ep.end - 1].minute + 1;
        std::map<std::int64_t, std::int64_t> throttles;
        std::map<std::int64_t, double> peakUtilisation, peakConsumed, limitAtPeak;
        for (const auto& row : t.partitionMinutes) {
            if (row.minute < firstMinute || row.minute >= endMinute)
                continue;
            throttles[row.partition] += throttledOf(row, d);
            if (row.limitUtilisation > peakUtilisation[row.partition]) {
                peakUtilisation[row.partition] = row.limitUtilisation;
                limitAtPeak[row.partition] = consumedOf(row, d) / row.limitUtilisation;
            }
            peakConsumed[row.partition] = std::max(peakConsumed[row.partition], consumedOf(row, d));
        }
        if (throttles.empty())
            return false;
        std::int64_t total = 0;
        auto hottest = throttles.begin();
        for (auto it = throttles.begin(); it != throttles.end(); ++it) {
            total += it->second;
            if (it->second > hottest->second)
                hottest = it;
        }
        const std::int64_t id = hottest->first;
        const double topShare = share(static_cast<double>(hottest->second), static_cast<double>(total));
        const bool atHardLimit = peakConsumed[id] >= 0.95 * hardLimit(d);
        const bool concentrated = throttles.size() >= 2 && topShare >= 0.8;
        if (maxTableUtilisation >= 0.8 || !(concentrated || atHardLimit))
            return false;
        double othersPeak = 0;
        for (const auto& [pid, u] : peakUtilisation)
            if (pid != id)
                othersPeak = std::max(othersPeak, u);
        p += " Likely cause: a hot partition. Partition " + std::to_string(id) + " took " + formatCount(hottest->second)
            + " of the " + formatCount(total) + " throttles (" + formatPercent(topShare) + ") and ran at up to "
            + formatPercent(peakUtilisation[id]) + " of its limit (" + formatRate(peakConsumed[id]) + " "
            + dimensionName(d) + " units/s at most";
        if (limitAtPeak[id] > 0)
            p += ", against a limit of " + formatRate(limitAtPeak[id]) + " units/s: the lower of the "
                + formatGrouped(hardLimit(d), 0) + " a partition can ever serve and its share of the table's capacity";
        p += ")";
        if (throttles.size() >= 2)
            p += std::string(", while the other ")
                + (throttles.size() == 2 ? "partition"
                                         : formatCount(static_cast<std::int64_t>(throttles.size() - 1)) + " partitions")
                + " peaked at " + formatPercent(othersPeak);
        p += "; the table as a whole used at most " + formatPercent(maxTableUtilisation)
            + " of its capacity, so it had capacity to spare, just not where the traffic went.";
        if (!t.hottestKeys.empty()) {
            const auto& key = t.hottestKeys.front();
            const double keyShare
                = share(static_cast<double>(key.requests), static_cast<double>(t.requestsRead + t.requestsWrite));
            const std::int64_t second = t.hottestKeys.size() > 1 ? t.hottestKeys[1].requests : 0;
            if (keyShare >= 0.1 && key.requests >= 5 * std::max<std::int64_t>(second, 1))
                p += " One key, " + key.key + ", received " + formatCount(key.requests) + " of the table's "
                    + formatCount(t.requestsRead + t.requestsWrite) + " requests (" + formatPercent(keyShare) + "; "
                    + formatCount(key.throttled)
                    + " of them throttled): a single key's traffic stays on one partition and no split can divide it"
                    + (limitAtPeak[id] >= 0.95 * hardLimit(d)
                            ? std::string(", and no capacity raises a partition's own maximum")
                            : std::string(", which gets only an even share of the table's capacity"))
                    + "; spreading the key (write sharding) or caching helps.";
        }
        return true;
    }

    // Burst capacity ran out: demand above provisioned was being served (from burst) without
    // throttles in the minutes before the episode, or within its first minute.
    bool burstRanOut(const TableResult& t, int d, const Episode& ep, std::string& p) const
    {
        const auto& rows = t.minutes;
        std::size_t from = ep.first;
        while (from > 0 && throttledOf(rows[from - 1], d) == 0
            && consumedOf(rows[from - 1], d) > provisionedOf(rows[from - 1], d) * 1.02)
            --from;
        double excessUnits = 0;
        for (std::size_t i = from; i <= ep.first; ++i)
            excessUnits += std::max(0.0, consumedOf(rows[i], d) - provisionedOf(rows[i], d)) * 60.0;
        const double capacity = provisionedOf(rows[ep.first], d);
        if (capacity <= 0 || excessUnits < 0.25 * capacity * 60.0)
            return false;
        p += " Likely cause: burst capacity ran out. From " + minuteClock(rows[from].minute) + " demand was above the "
            + formatRate(capacity) + " " + capacityUnit(d) + " provisioned and saved-up burst capacity served about "
            + formatGrouped(excessUnits, 0) + " " + dimensionName(d)
            + " units beyond it; once that was spent, requests above " + formatRate(capacity)
            + " units/s were throttled.";
        return true;
    }

    void scalingActions()
    {
        std::size_t told = 0, skipped = 0;
        for (const auto& e : m_run.events) {
            if (e.kind != EventKind::ScaleOut && e.kind != EventKind::ScaleIn)
                continue;
            const auto change = capacityChangeOf(e);
            if (!change)
                continue;
            const auto& decision = std::get<ScalingDecision>(e.payload);
            if (told == kMaxToldActions) {
                ++skipped;
                continue;
            }
            ++told;
            std::string p = "At " + formatClock(e.timeSeconds) + " auto scaling decided to "
                + (e.kind == EventKind::ScaleOut ? "raise " : "lower ") + e.table + "'s " + dimensionName(change->dimension)
                + " capacity from " + formatRate(change->from) + " to " + formatRate(change->to) + " "
                + capacityUnit(change->dimension);
            p += " (mean of the last " + std::to_string(decision.datapoints) + " minutes "
                + std::to_string(std::llround(decision.meanUnitsPerSecond)) + " units/s, target "
                + std::to_string(std::llround(decision.targetPercent)) + "%)";
            const auto* inForce = findInForce(e, *change);
            if (inForce)
                p += "; it was in force at " + formatClock(inForce->timeSeconds) + ", "
                    + formatDuration(inForce->timeSeconds - e.timeSeconds) + " later.";
            else
                p += "; the run ended before it came into force.";
            m_out.push_back(std::move(p));
        }
        if (skipped > 0)
            m_out.push_back("Auto scaling made " + formatCount(static_cast<std::int64_t>(skipped))
                + " more decisions after these; the Events view lists them all.");
    }

    void splits()
    {
        std::size_t told = 0, skipped = 0;
        for (const auto& e : m_run.events) {
            if (e.kind != EventKind::PartitionSplit)
                continue;
            if (told == kMaxToldActions) {
                ++skipped;
                continue;
            }
            ++told;
            const auto* split = std::get_if<PartitionCountChange>(&e.payload);
            std::string p = "At " + formatClock(e.timeSeconds) + " " + e.table + " split";
            if (split)
                p += " from " + std::to_string(split->fromPartitions) + " to " + std::to_string(split->toPartitions)
                    + " partitions";
            bool withCapacity = false;
            for (const auto& other : m_run.events)
                if (other.table == e.table && other.timeSeconds == e.timeSeconds
                    && (other.kind == EventKind::CapacityChanged || other.kind == EventKind::ModeSwitch))
                    withCapacity = true;
            if (split && split->forHeat)
                p += ": one partition had stayed hot, so DynamoDB split it for heat (its keys now share two partitions' limits).";
            else if (withCapacity)
                p += " when new capacity came into force: more capacity needs more partitions, and each partition's share of the table's rate changes with them.";
            else
                p += " as its data or its on-demand ceiling grew.";
            m_out.push_back(std::move(p));
        }
        if (skipped > 0)
            m_out.push_back(formatCount(static_cast<std::int64_t>(skipped))
                + " more splits followed; the Events view lists them all.");
    }

    void timedEvents()
    {
        for (const auto& e : m_run.events) {
            const std::string where = e.table.empty() ? std::string() : " on " + e.table;
            if (e.kind == EventKind::EventApplied)
                m_out.push_back(
                    "At " + formatClock(e.timeSeconds) + " a timed event was applied" + where + ": " + eventText(e) + ".");
            else if (e.kind == EventKind::EventRefused)
                m_out.push_back("At " + formatClock(e.timeSeconds) + " DynamoDB refused a change" + where + ": \""
                    + eventText(e) + "\". Nothing changed, and the run went on with what was in force.");
            else if (e.kind == EventKind::ModeSwitch)
                m_out.push_back("At " + formatClock(e.timeSeconds) + " " + e.table + "'s " + eventText(e) + ".");
        }
    }

    void failures(const TableResult& t)
    {
        // Requests DynamoDB refused outright (requestFailed: the first of each error type).
        bool refused = false;
        for (const auto& e : m_run.events)
            if (e.kind == EventKind::RequestFailed && e.table == t.name) {
                refused = true;
                m_out.push_back("From " + formatClock(e.timeSeconds) + " DynamoDB refused requests to " + t.name
                    + " with an error the client does not retry: \"" + eventText(e) + "\". They count as failed.");
            }
        for (int d : { kWrite, kRead }) {
            const std::int64_t failed = failedOf(t, d);
            if (failed == 0)
                continue;
            std::int64_t firstMinute = -1, lastMinute = -1;
            for (const auto& row : t.minutes)
                if (failedOf(row, d) > 0) {
                    if (firstMinute < 0)
                        firstMinute = row.minute;
                    lastMinute = row.minute;
                }
            std::string p = formatCount(failed) + " " + dimensionNoun(d) + " to " + t.name + " failed ("
                + formatPercent(share(static_cast<double>(failed), static_cast<double>(requestsOf(t, d)))) + " of its "
                + dimensionNoun(d) + ")";
            if (firstMinute >= 0 && firstMinute == lastMinute)
                p += ", in the minute from " + minuteClock(firstMinute);
            else if (firstMinute >= 0)
                p += ", in the minutes from " + minuteClock(firstMinute) + " to " + minuteClock(lastMinute);
            p += refused ? ": the client gave up after its retries, or at once on an error it does not retry, so "
                         : ": the client gave up after its retries, so ";
            p += d == kWrite ? "their data was not stored." : "their callers got no data.";
            if (failed == throttledOf(t, d))
                p += std::string(" Every throttled ") + (d == kWrite ? "write" : "read")
                    + " failed: nothing retried them successfully.";
            m_out.push_back(std::move(p));
        }
    }

    void cost(const TableResult& t)
    {
        const bool provisioned = t.billingMode == BillingMode::Provisioned;
        struct Line {
            std::string name;
            double usd;
        };
        std::vector<Line> lines = {
            { provisioned ? "write capacity (" + formatGrouped(t.provisionedUnitHoursWrite, 2) + " WCU-hours)"
                          : "write requests",
                t.cost.write },
            { provisioned ? "read capacity (" + formatGrouped(t.provisionedUnitHoursRead, 2) + " RCU-hours)"
                          : "read requests",
                t.cost.read },
            { "storage", t.cost.storage },
        };
        std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.usd > b.usd; });
        const double total = t.cost.total();
        const double gross = t.cost.read + t.cost.write + t.cost.storage;
        std::string p = t.name + " cost " + formatUsd(total);
        if (!m_run.pricingLabel.empty())
            p += " (pricing " + m_run.pricingLabel + ")";
        p += ". The biggest line was " + lines[0].name + ", " + formatUsd(lines[0].usd) + " ("
            + formatPercent(share(lines[0].usd, gross)) + ")";
        if (lines[2].usd > 0)
            p += ", then " + lines[1].name + " " + formatUsd(lines[1].usd) + " and " + lines[2].name + " "
                + formatUsd(lines[2].usd);
        else if (lines[1].usd > 0)
            p += ", then " + lines[1].name + " " + formatUsd(lines[1].usd);
        p += ".";
        if (t.cost.freeTier != 0)
            p += " The free tier took off " + formatUsd(-t.cost.freeTier) + ".";
        if (t.alternativeModeCost > 0 && total > 0) {
            const double ratio = t.alternativeModeCost / total;
            p += std::string(provisioned ? " On demand" : " Provisioned at the capacity in force")
                + ", the same traffic would have cost " + formatUsd(t.alternativeModeCost);
            if (ratio >= 1.005)
                p += ", " + formatGrouped(ratio, 1) + " times as much: " + (provisioned ? "provisioned" : "on-demand")
                    + " saved " + formatUsd(t.alternativeModeCost - total) + ".";
            else if (ratio <= 0.995)
                p += ", " + formatPercent(1.0 - ratio) + " less: " + (provisioned ? "on-demand" : "provisioned")
                    + " would have saved " + formatUsd(total - t.alternativeModeCost) + ".";
            else
                p += ", about the same.";
        }
        m_out.push_back(std::move(p));
    }
};

} // namespace

std::string formatCount(std::int64_t value)
{
    const bool negative = value < 0;
    const auto magnitude
        = negative ? static_cast<unsigned long long>(-(value + 1)) + 1ULL : static_cast<unsigned long long>(value);
    const std::string digits = std::to_string(magnitude);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        const std::size_t left = n - i - 1;
        if (left > 0 && left % 3 == 0)
            out += ',';
    }
    return negative ? "-" + out : out;
}

std::string formatGrouped(double value, int decimals)
{
    if (!std::isfinite(value))
        return "n/a";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::abs(value));
    std::string text = buffer;
    const auto dot = text.find('.');
    std::string whole = text.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        grouped += whole[i];
        const std::size_t left = whole.size() - i - 1;
        if (left > 0 && left % 3 == 0)
            grouped += ',';
    }
    const bool negative = value < 0 && std::strtod(buffer, nullptr) != 0.0;
    return (negative ? "-" : "") + grouped + fraction;
}

std::string formatUsd(double usd)
{
    if (usd == 0)
        return "$0";
    const double magnitude = std::abs(usd);
    std::string text;
    if (magnitude >= 1) {
        text = formatGrouped(magnitude, 2);
    } else {
        const int decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(magnitude))), 2, 12);
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, magnitude);
        text = buffer;
    }
    return (usd < 0 ? "-$" : "$") + text;
}

std::string formatPercent(double fraction)
{
    if (fraction > 0 && fraction < 0.0005)
        return "< 0.1 %";
    return formatGrouped(fraction * 100.0, 1) + " %";
}

std::vector<std::string> explainRun(const RunResult& run)
{
    return Explainer(run).paragraphs();
}

} // namespace capsim
