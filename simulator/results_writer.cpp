#include "simulator/results_writer.h"

#include "engine/json_writer.h"
#include "simulator/explain.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace capsim {

namespace json = boost::json;

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string formatNumber(double value, int decimals)
{
    if (std::abs(value) < 0.5 * std::pow(10.0, -decimals))
        value = 0.0;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string s = buffer;
    if (s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.')
            s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

namespace {

// Rounded so that the text is stable across platforms' last-bit differences.
double rounded(double value, int decimals = 9)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

json::object pair(double read, double write)
{
    return { { "read", rounded(read) }, { "write", rounded(write) } };
}

json::object countPair(std::int64_t read, std::int64_t write)
{
    return { { "read", read }, { "write", write } };
}

// A global table's replica (reference A11): its figures and, for the table's own region, the cost
// lines that are its own (the top-level lines hold every replica's; results.h).
const TableResult* replicaResult(const TableResult& t, const std::string& region)
{
    if (region == t.region)
        return &t;
    for (const auto& r : t.replicas)
        if (r.region == region)
            return &r;
    return nullptr;
}

CostBreakdown ownCost(const TableResult& t, const TableResult& replica)
{
    if (&replica != &t)
        return replica.cost;
    CostBreakdown own = t.cost;
    for (const auto& r : t.replicas) {
        own.read -= r.cost.read;
        own.write -= r.cost.write;
        own.storage -= r.cost.storage;
        own.indexes -= r.cost.indexes;
        own.replication -= r.cost.replication;
        own.freeTier -= r.cost.freeTier;
    }
    return own;
}

} // namespace

std::string summaryJson(const RunResult& run)
{
    json::object root;
    root["format"] = "capsim-summary/1";
    root["scenario"] = run.scenario;
    root["seed"] = run.seed;
    root["simulatedSeconds"] = rounded(run.simulatedSeconds, 6);
    if (run.fidelityMode == FidelitySpec::Mode::Fluid)
        root["fidelity"] = json::object { { "mode", "fluid" }, { "step", fidelityStepText(run.fidelityStep) } };
    else
        root["fidelity"] = json::object { { "mode", run.fidelityMode == FidelitySpec::Mode::Sampled ? "sampled" : "full" },
            { "rate", rounded(run.fidelityRate) } };
    if (run.cancelled)
        root["cancelled"] = true;
    json::array tables;
    for (const auto& t : run.tables) {
        json::object o;
        o["name"] = t.name;
        o["billingMode"] = billingModeName(t.billingMode);
        o["tableClass"] = tableClassName(t.tableClass);
        o["requests"] = countPair(t.requestsRead, t.requestsWrite);
        o["throttled"] = countPair(t.throttledRead, t.throttledWrite);
        o["failed"] = countPair(t.failedRead, t.failedWrite);
        o["consumed"] = pair(t.consumedRead, t.consumedWrite);
        o["provisionedUnitHours"] = pair(t.provisionedUnitHoursRead, t.provisionedUnitHoursWrite);
        o["partitions"] = json::object { { "initial", t.partitionsInitial }, { "final", t.partitionsFinal }, { "splits", t.splits } };
        o["storageBytes"] = t.storageBytes;
        o["autoScaling"] = json::object { { "scaleOuts", t.scaleOuts }, { "scaleIns", t.scaleIns } };
        json::object cost { { "read", rounded(t.cost.read) }, { "write", rounded(t.cost.write) },
            { "storage", rounded(t.cost.storage) } };
        if (t.cost.freeTier != 0)
            cost["freeTier"] = rounded(t.cost.freeTier);
        if (!t.indexes.empty())
            cost["indexes"] = rounded(t.cost.indexes);
        // The data features' lines, when the scenario uses the feature on the table (cli.md).
        if (t.uses.streams)
            cost["streams"] = rounded(t.cost.streams);
        if (t.uses.pitr)
            cost["pitr"] = rounded(t.cost.pitr);
        if (t.uses.backups)
            cost["backups"] = rounded(t.cost.backups);
        if (t.uses.restore)
            cost["restore"] = rounded(t.cost.restore);
        if (t.uses.dataExport)
            cost["export"] = rounded(t.cost.dataExport);
        if (t.uses.dataImport)
            cost["import"] = rounded(t.cost.dataImport);
        if (t.uses.dax)
            cost["dax"] = rounded(t.cost.dax);
        if (t.uses.replication)
            cost["replication"] = rounded(t.cost.replication);
        cost["total"] = rounded(t.cost.total());
        o["cost"] = std::move(cost);
        o["alternativeModeCost"] = rounded(t.alternativeModeCost);
        if (t.ttl)
            o["ttl"] = json::object { { "expired", t.ttl->expired }, { "deleted", t.ttl->deleted },
                { "meanDelaySeconds", rounded(t.ttl->meanDelaySeconds, 3) } };
        // Backups, restores, exports and imports with their sizes (cli.md), when the table has any.
        for (const auto& [key, list] : { std::pair<const char*, const std::vector<DataMovement>*> { "backups", &t.backups },
                 { "restores", &t.restores }, { "exports", &t.exports }, { "imports", &t.imports } }) {
            if (list->empty())
                continue;
            json::array entries;
            for (const auto& m : *list)
                entries.push_back(json::object { { "time", rounded(m.timeSeconds, 3) }, { "name", m.name },
                    { "status", m.status }, { "sizeBytes", m.sizeBytes }, { "itemCount", m.itemCount },
                    { "detail", m.detail }, { "cost", rounded(m.cost) } });
            o[key] = std::move(entries);
        }
        if (t.streams) {
            // cli.md's {"records","readRequestUnits","consumers":[{"name","batches","maxLagSeconds"}]},
            // with the CDC units and each consumer's kind, calls, records and writes (reference A7).
            json::array consumers;
            for (const auto& c : t.streams->consumers)
                consumers.push_back(json::object { { "name", c.name }, { "kind", c.kind }, { "batches", c.batches },
                    { "reads", c.reads }, { "records", c.records }, { "writes", c.writes },
                    { "throttledWrites", c.throttledWrites }, { "maxLagSeconds", rounded(c.maxLagSeconds, 3) } });
            o["streams"] = json::object { { "records", t.streams->records }, { "readRequestUnits", t.streams->readRequestUnits },
                { "changeDataCaptureUnits", t.streams->changeDataCaptureUnits }, { "consumers", std::move(consumers) } };
        }
        // The table's DAX cluster (cli.md; reference A10): its hits and misses (BatchGetItem keys
        // one by one), stale hits, and the node-hours billed; the rest for the views.
        if (t.dax)
            o["dax"] = json::object { { "hits", t.dax->hits }, { "misses", t.dax->misses },
                { "hitRatio", rounded(t.dax->hitRatio(), 6) }, { "staleReads", t.dax->staleReads },
                { "nodeHours", rounded(t.dax->nodeHours, 6) }, { "passThrough", t.dax->passThrough },
                { "throttled", t.dax->throttled }, { "offloadedReadUnits", rounded(t.dax->offloadedReadUnits, 6) },
                { "offloadedReadCost", rounded(t.dax->offloadedReadCost) },
                { "breakEvenHitRatio", rounded(daxBreakEvenHitRatio(t), 6) },
                { "nodeType", t.dax->nodeType }, { "nodes", t.dax->nodes } };
        if (!t.replicaSummaries.empty()) {
            // cli.md's {"region","replicatedWrites","maxLagSeconds","conflicts","storageBytes"}, own
            // region first, with each replica's requests, units and own cost lines (reference A11).
            json::array replicas;
            for (const auto& r : t.replicaSummaries) {
                json::object o2 { { "region", r.region }, { "replicatedWrites", r.replicatedWrites },
                    { "maxLagSeconds", rounded(r.maxLagSeconds, 3) }, { "conflicts", r.conflicts },
                    { "storageBytes", r.storageBytes } };
                if (const TableResult* replica = replicaResult(t, r.region)) {
                    const CostBreakdown own = ownCost(t, *replica);
                    o2["requests"] = countPair(replica->requestsRead, replica->requestsWrite);
                    o2["failed"] = countPair(replica->failedRead, replica->failedWrite);
                    o2["consumed"] = pair(replica->consumedRead, replica->consumedWrite);
                    o2["cost"] = json::object { { "read", rounded(own.read) }, { "write", rounded(own.write) },
                        { "storage", rounded(own.storage) }, { "indexes", rounded(own.indexes) },
                        { "replication", rounded(own.replication) }, { "total", rounded(own.total()) } };
                }
                replicas.push_back(std::move(o2));
            }
            o["replicas"] = std::move(replicas);
        }
        // Only tables with indexes carry the array, so summaries of index-free runs are unchanged.
        if (!t.indexes.empty()) {
            json::array indexes;
            for (const auto& index : t.indexes) {
                const bool global = index.indexKind == IndexKind::Global;
                json::object i;
                i["name"] = index.name;
                i["kind"] = global ? "GSI" : "LSI";
                i["requests"] = countPair(index.requestsRead, index.requestsWrite);
                i["throttled"] = countPair(index.throttledRead, index.throttledWrite);
                i["consumed"] = pair(index.consumedRead, index.consumedWrite);
                i["provisionedUnitHours"] = pair(index.provisionedUnitHoursRead, index.provisionedUnitHoursWrite);
                i["partitions"] = json::object { { "initial", index.partitionsInitial }, { "final", index.partitionsFinal } };
                i["storageBytes"] = index.storageBytes;
                i["cost"] = json::object { { "read", rounded(index.cost.read) }, { "write", rounded(index.cost.write) },
                    { "storage", rounded(index.cost.storage) }, { "total", rounded(index.cost.total()) } };
                indexes.push_back(std::move(i));
            }
            o["indexes"] = std::move(indexes);
        }
        json::array hot;
        for (const auto& k : t.hottestKeys)
            hot.push_back(json::object { { "key", k.key }, { "requests", k.requests }, { "throttled", k.throttled } });
        o["hottestKeys"] = std::move(hot);
        tables.push_back(std::move(o));
    }
    root["tables"] = std::move(tables);
    json::object latency;
    for (const auto& [name, l] : run.latency)
        latency[name] = json::object { { "count", l.count }, { "p50Ms", rounded(l.p50Ms, 3) }, { "p90Ms", rounded(l.p90Ms, 3) },
            { "p99Ms", rounded(l.p99Ms, 3) }, { "p999Ms", rounded(l.p999Ms, 3) }, { "maxMs", rounded(l.maxMs, 3) } };
    root["latency"] = std::move(latency);
    root["cost"] = json::object { { "total", rounded(run.costTotal()) }, { "currency", run.currency },
        { "pricing", run.pricingLabel } };
    return toJsonText(root, true) + "\n";
}

namespace {

void appendMinute(std::string& out, const std::string& table, const MinuteRow& r)
{
    out += std::to_string(r.minute) + "," + csvField(table) + "," + formatNumber(r.provisionedRead) + ","
        + formatNumber(r.provisionedWrite) + "," + formatNumber(r.consumedRead) + "," + formatNumber(r.consumedWrite) + ","
        + std::to_string(r.throttledRead) + "," + std::to_string(r.throttledWrite) + "," + std::to_string(r.failedRead) + ","
        + std::to_string(r.failedWrite) + "," + std::to_string(r.partitions) + "," + formatNumber(r.costToDate, 9) + "\n";
}

void appendPartitionRows(std::string& out, const std::string& table, const std::vector<PartitionMinuteRow>& rows)
{
    for (const auto& r : rows)
        out += std::to_string(r.minute) + "," + csvField(table) + "," + std::to_string(r.partition) + ","
            + formatNumber(r.consumedRead) + "," + formatNumber(r.consumedWrite) + "," + std::to_string(r.throttledRead) + ","
            + std::to_string(r.throttledWrite) + "," + std::to_string(r.sizeBytes) + "\n";
}

} // namespace

std::string timeseriesCsv(const RunResult& run)
{
    std::string out = "minute,table,provisionedRead,provisionedWrite,consumedRead,consumedWrite,throttledRead,"
                      "throttledWrite,failedRead,failedWrite,partitions,costToDate\n";
    // Rows per minute, tables in scenario order within a minute.
    std::size_t minutes = 0;
    for (const auto& t : run.tables)
        minutes = std::max(minutes, t.minutes.size());
    for (std::size_t m = 0; m < minutes; ++m) {
        for (const auto& t : run.tables) {
            if (m >= t.minutes.size())
                continue;
            appendMinute(out, t.name, t.minutes[m]);
            // A GSI's rows follow its table's, named "<table>/<index>" (the columns stay the contract's).
            for (const auto& index : t.indexes) {
                const auto row = std::find_if(index.minutes.begin(), index.minutes.end(),
                    [&](const MinuteRow& r) { return r.minute == t.minutes[m].minute; });
                if (row != index.minutes.end())
                    appendMinute(out, t.name + "/" + index.name, *row);
            }
            // A global table's other replicas follow, named "<table>@<region>" (reference A11).
            for (const auto& replica : t.replicas)
                if (m < replica.minutes.size())
                    appendMinute(out, t.name + "@" + replica.region, replica.minutes[m]);
        }
    }
    return out;
}

std::string partitionsCsv(const RunResult& run)
{
    std::string out = "minute,table,partition,consumedRead,consumedWrite,throttledRead,throttledWrite,sizeBytes\n";
    for (const auto& t : run.tables) {
        appendPartitionRows(out, t.name, t.partitionMinutes);
        for (const auto& index : t.indexes)
            appendPartitionRows(out, t.name + "/" + index.name, index.partitionMinutes);
        for (const auto& replica : t.replicas) {
            appendPartitionRows(out, t.name + "@" + replica.region, replica.partitionMinutes);
            for (const auto& index : replica.indexes)
                appendPartitionRows(out, t.name + "@" + replica.region + "/" + index.name, index.partitionMinutes);
        }
    }
    return out;
}

std::string eventsCsv(const RunResult& run)
{
    std::string out = "time,table,kind,detail\n";
    for (const auto& e : run.events)
        out += formatNumber(e.timeSeconds, 6) + "," + csvField(e.table) + "," + std::string(eventKindName(e.kind)) + ","
            + csvField(eventText(e)) + "\n";
    return out;
}

std::optional<std::pair<double, double>> meanProvisionedCapacity(const TableResult& table, double simulatedSeconds)
{
    if (table.billingMode == BillingMode::PayPerRequest || table.indexKind == IndexKind::Local || simulatedSeconds <= 0)
        return std::nullopt;
    const double hours = simulatedSeconds / 3600.0;
    return std::pair { table.provisionedUnitHoursRead / hours, table.provisionedUnitHoursWrite / hours };
}

namespace {

std::string meanProvisioned(const std::optional<std::pair<double, double>>& capacity, bool write)
{
    return capacity ? formatNumber(write ? capacity->second : capacity->first, 1) : std::string("-");
}

void appendSummaryRow(std::ostringstream& out, const std::string& name, const std::string& mode, const TableResult& t,
    const std::string& failed, double simulatedSeconds)
{
    const auto capacity = meanProvisionedCapacity(t, simulatedSeconds);
    char line[320];
    std::snprintf(line, sizeof line, "%-20s %-16s %12lld %10lld %8s %9s %9s %14s %14s %6lld %12s\n", name.c_str(),
        mode.c_str(), static_cast<long long>(t.requestsRead + t.requestsWrite),
        static_cast<long long>(t.throttledRead + t.throttledWrite), failed.c_str(),
        meanProvisioned(capacity, false).c_str(), meanProvisioned(capacity, true).c_str(), formatNumber(t.consumedRead, 1).c_str(),
        formatNumber(t.consumedWrite, 1).c_str(), static_cast<long long>(t.partitionsFinal), formatUsd(t.cost.total()).c_str());
    out << line;
}

} // namespace

std::string summaryText(const RunResult& run)
{
    std::ostringstream out;
    out << "capsim run: " << run.scenario << " (seed " << run.seed << ", " << formatNumber(run.simulatedSeconds, 0)
        << " s simulated, fidelity " << (run.fidelityMode == FidelitySpec::Mode::Sampled ? "sampled " + formatNumber(run.fidelityRate, 4)
                   : run.fidelityMode == FidelitySpec::Mode::Fluid ? "fluid, step " + fidelityStepText(run.fidelityStep)
                                                                  : std::string("full"))
        << (run.cancelled ? ", CANCELLED" : "") << ")\n\n";
    char line[320];
    std::snprintf(line, sizeof line, "%-20s %-16s %12s %10s %8s %9s %9s %14s %14s %6s %12s\n", "table / index", "mode",
        "requests", "throttled", "failed", "prov RCU", "prov WCU", "consumed RCU", "consumed WCU", "parts", "cost");
    out << line;
    bool anyIndex = false;
    for (const auto& t : run.tables) {
        appendSummaryRow(out, t.name, billingModeName(t.billingMode), t,
            std::to_string(t.failedRead + t.failedWrite), run.simulatedSeconds);
        // Each index under its table, with its own capacity and throttles: a GSI without enough
        // write capacity throttles its table's writes (reference A2), which the table row alone hides.
        for (const auto& index : t.indexes) {
            anyIndex = true;
            appendSummaryRow(out, "  " + index.name, index.indexKind == IndexKind::Local ? "LSI" : "GSI", index, "-", run.simulatedSeconds);
        }
    }
    if (anyIndex)
        out << "(index rows: the index's own requests, throttles and units; a table's cost includes its indexes)\n";
    // Backups, restores, exports and imports, with their sizes and what each billed.
    bool anyMovement = false;
    for (const auto& t : run.tables)
        for (const auto& [kind, list] : { std::pair<const char*, const std::vector<DataMovement>*> { "backup", &t.backups },
                 { "restore", &t.restores }, { "export", &t.exports }, { "import", &t.imports } })
            for (const auto& m : *list) {
                if (!anyMovement)
                    out << "\ndata movements:\n";
                anyMovement = true;
                out << "  " << t.name << " " << kind << " " << m.name << " at " << formatNumber(m.timeSeconds, 0) << " s: "
                    << m.status << ", " << m.itemCount << " items, " << m.sizeBytes << " bytes, " << formatUsd(m.cost) << "\n";
            }
    for (const auto& t : run.tables) {
        if (t.replicaSummaries.empty())
            continue;
        // A global table's replicas (reference A11): the table's row above is its own region's
        // traffic with the whole global table's cost.
        out << "global table " << t.name << ": " << t.replicaSummaries.size() << " regions, cost " << formatUsd(t.cost.total())
            << " (replication " << formatUsd(t.cost.replication) << ")\n";
        for (const auto& r : t.replicaSummaries) {
            const TableResult* replica = replicaResult(t, r.region);
            out << "  " << r.region << (r.region == t.region ? " (own)" : "") << ": ";
            if (replica)
                out << (replica->requestsRead + replica->requestsWrite) << " requests, "
                    << (replica->failedRead + replica->failedWrite) << " failed, ";
            out << r.replicatedWrites << " replicated writes, max lag " << formatNumber(r.maxLagSeconds, 3) << " s, "
                << r.conflicts << " conflicts, " << r.storageBytes << " bytes";
            if (replica)
                out << ", cost " << formatUsd(ownCost(t, *replica).total());
            out << "\n";
        }
    }
    for (const auto& t : run.tables) {
        if (!t.streams)
            continue;
        // Each table's stream: records, billable reads and CDC units, and each consumer (reference A7).
        out << "stream " << t.name << ": " << t.streams->records << " records, " << t.streams->readRequestUnits
            << " billable read request units";
        if (t.streams->changeDataCaptureUnits > 0)
            out << ", " << t.streams->changeDataCaptureUnits << " CDC units";
        out << ", cost " << formatUsd(t.cost.streams) << "\n";
        for (const auto& c : t.streams->consumers)
            out << "  " << c.name << " (" << c.kind << "): " << c.reads << " GetRecords calls, " << c.batches << " batches, "
                << c.records << " records, " << c.writes << " writes (" << c.throttledWrites << " throttled), max lag "
                << formatNumber(c.maxLagSeconds, 3) << " s\n";
    }
    for (const auto& t : run.tables) {
        if (!t.dax)
            continue;
        // Each table's DAX cluster: what it served, what it passed on, what it cost (reference A10).
        out << "dax " << t.name << ": " << t.dax->nodes << " x " << t.dax->nodeType << ", " << t.dax->hits << " hits, "
            << t.dax->misses << " misses (hit ratio " << formatNumber(100 * t.dax->hitRatio(), 1) << " %), "
            << t.dax->passThrough << " passed through, " << t.dax->staleReads << " stale, " << t.dax->throttled
            << " throttled; " << formatNumber(t.dax->offloadedReadUnits, 1) << " read units offloaded; "
            << formatNumber(t.dax->nodeHours, 0) << " node-hours, cost " << formatUsd(t.cost.dax) << "\n";
        // The lesson's question: did the cluster pay for itself (reference A10)?
        out << "  " << formatUsd(t.dax->offloadedReadCost) << " of table reads offloaded against " << formatUsd(t.cost.dax)
            << " of nodes; break-even hit ratio " << formatNumber(100 * daxBreakEvenHitRatio(t), 1) << " %\n";
    }
    out << "\ntotal cost: " << formatUsd(run.costTotal()) << " (" << run.currency << ", pricing " << run.pricingLabel << ")\n";
    std::int64_t scaling = 0;
    for (const auto& e : run.events)
        scaling += (e.kind == EventKind::ScaleOut || e.kind == EventKind::ScaleIn) ? 1 : 0;
    out << "events: " << run.events.size() << " (" << scaling << " auto-scaling decisions)\n";
    return out.str();
}

} // namespace capsim
