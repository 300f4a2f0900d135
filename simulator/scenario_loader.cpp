#include "simulator/scenario_loader.h"

#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "simulator/dax.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr const char* kFormatTag = "capsim-scenario/1";
constexpr const char* kNotSupported = "not supported yet";
// Lifecycle features the format defines whose simulation is not built yet: a file using one is
// refused after its fields were validated (scenario-format.md, reserved fields).
constexpr bool kSimulatorRunsStreams = true;
constexpr std::int64_t kMaxRecoveryPeriodDays = 35; // reference A8
constexpr std::int64_t kMaxGetRecordsLimit = 1000; // reference A7
// INCREMENTAL_EXPORT's window (reference A9).
constexpr SimTime kMinIncrementalWindow = 15 * kSimMinute;
constexpr SimTime kMaxIncrementalWindow = 24 * kSimHour;
constexpr std::int64_t kMaxTableCapacity = 40000; // default per-table quota (reference: service quotas)
constexpr std::int64_t kMaxItemSizeBytes = 400 * 1024; // DynamoDB's item size limit
constexpr double kFractionTolerance = 1e-9;
// Durations and sizes are rounded into int64; anything beyond this is a typo, not a plan.
constexpr double kMaxMagnitude = 9.0e18;

std::string formatNumber(double value)
{
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string quote(std::string_view text)
{
    std::string result;
    result.reserve(text.size() + 2);
    result += '"';
    result += text;
    result += '"';
    return result;
}

std::string childPath(const std::string& path, std::string_view name)
{
    return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string indexPath(const std::string& path, std::size_t index)
{
    return path + "[" + std::to_string(index) + "]";
}

// Parses the whole of `text` as a finite double.
bool parseDouble(std::string_view text, double& out)
{
    if (text.empty())
        return false;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (*begin == '+')
        ++begin;
    auto result = std::from_chars(begin, end, out);
    return result.ec == std::errc() && result.ptr == end && std::isfinite(out);
}

// Splits "<number><unit>" at the first character that cannot start or continue a number's tail.
bool splitNumberAndUnit(std::string_view text, double& number, std::string_view& unit)
{
    std::size_t split = text.size();
    while (split > 0 && std::isalpha(static_cast<unsigned char>(text[split - 1])))
        --split;
    unit = text.substr(split);
    return parseDouble(text.substr(0, split), number);
}

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

// One CSV record: comma separated, double quotes around a cell may hold commas and "" escapes.
std::vector<std::string> splitCsvLine(std::string_view line)
{
    std::vector<std::string> cells;
    std::string cell;
    bool inQuotes = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inQuotes) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == ',') {
            cells.push_back(trim(cell));
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.push_back(trim(cell));
    return cells;
}

bool readWholeFile(const std::filesystem::path& file, std::string& out)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    return !in.bad();
}

struct Bounds {
    std::optional<double> min;
    bool minExclusive = false;
    std::optional<double> max;
    bool maxExclusive = false;
};

Bounds atLeast(double min)
{
    return { min, false, std::nullopt, false };
}
Bounds above(double min)
{
    return { min, true, std::nullopt, false };
}
Bounds between(double min, double max)
{
    return { min, false, max, false };
}

// What the validation of one table left for later cross-checks (workloads, events), kept even
// when the table itself had errors so that one mistake does not cascade.
struct IndexInfo {
    std::string name;
    bool global = true;
    bool hasSortKey = false;
};

struct TableInfo {
    std::string name;
    std::string partitionKey;
    std::string sortKey;
    bool hasSortKey = false;
    std::optional<KeyElement> partitionKeyElement; // valid key elements, for key-schema comparisons
    std::optional<KeyElement> sortKeyElement;
    std::string ttlAttribute; // tables[].ttl
    bool pitr = false;
    bool dax = false; // tables[].dax
    std::int64_t recoveryPeriodDays = 0;
    std::optional<BillingMode> mode;
    std::map<std::string, AttrType> keyTypes; // key attributes of the table and its indexes
    std::vector<IndexInfo> indexes; // declared in tables[]
    std::size_t projectedAttributes = 0; // INCLUDE names across the indexes
    std::vector<std::string> replicas; // tables[].replicas (global table, reference A11)
    const IndexInfo* findIndex(std::string_view indexName) const
    {
        for (const auto& i : indexes)
            if (i.name == indexName)
                return &i;
        return nullptr;
    }
};

// A workload aimed at an index that tables[] does not declare: it may be created by an event,
// which is parsed after the workloads.
struct PendingIndexTarget {
    std::string path;
    std::string table;
    std::string index;
    bool strong = false;
};

enum class DistributionKind { ItemSize, Count, Duration };

// A stream consumer's writesTo, checked once every table is known.
struct PendingWritesTo {
    std::string path;
    std::string sourceTable;
    std::string target;
};

// A workload's ttlSeconds, checked once the events (which may enable TTL) are known.
struct PendingTtlWorkload {
    std::string path;
    std::size_t workload = 0;
};

// A createBackup event, for the restoreTable events that name its backup.
struct DeclaredBackup {
    std::string name;
    std::string table;
    SimTime at = 0;
};

class ScenarioParser;

// Reads the fields of one JSON object, remembering which names are known, so that finish() can
// report every unknown field ("x-" keys excepted).
class Fields {
public:
    Fields(ScenarioParser& parser, const json::object& object, std::string path)
        : m_parser(parser)
        , m_object(object)
        , m_path(std::move(path))
    {
    }

    const json::value* optional(std::string_view name)
    {
        m_known.insert(std::string(name));
        return m_object.if_contains(name);
    }
    const json::value* required(std::string_view name);
    void allow(std::string_view name) { m_known.insert(std::string(name)); }
    bool has(std::string_view name) const { return m_object.contains(name); }
    std::string path(std::string_view name) const { return childPath(m_path, name); }
    const std::string& path() const { return m_path; }
    // Reports fields not read or allowed. Skipped when the object's kind is unknown (a bad
    // "type"), since which fields belong then cannot be told.
    void finish();

private:
    ScenarioParser& m_parser;
    const json::object& m_object;
    std::string m_path;
    std::set<std::string, std::less<>> m_known;
};

class ScenarioParser {
public:
    explicit ScenarioParser(std::string baseDirectory)
        : m_baseDirectory(std::move(baseDirectory))
    {
    }

    LoadResult parse(const json::value& root);

    void error(std::string path, std::string message) { m_errors.push_back({ std::move(path), std::move(message) }); }

private:
    friend class Fields;

    // Scalars. Each returns false when the value is absent (v == nullptr, no error) or invalid
    // (error recorded); `out` is written only on success.
    bool readString(const json::value* v, const std::string& path, std::string& out);
    bool readBool(const json::value* v, const std::string& path, bool& out);
    bool readNumber(const json::value* v, const std::string& path, double& out, Bounds bounds = {});
    bool readInteger(const json::value* v, const std::string& path, std::int64_t& out, Bounds bounds = {});
    bool readSeed(const json::value* v, const std::string& path, std::uint64_t& out);
    // A number, or "<number><unit>" with a unit of `units` (name, scale); `shape` is the error.
    template <std::size_t N>
    bool readQuantity(const json::value* v, const std::string& path, const std::pair<std::string_view, double> (&units)[N],
        const char* shape, double& out);
    bool readDuration(const json::value* v, const std::string& path, SimTime& out, bool positive = false);
    bool readSize(const json::value* v, const std::string& path, std::int64_t& out, Bounds bounds = {});
    bool checkBounds(double value, const std::string& path, const Bounds& bounds);
    const json::object* asObject(const json::value* v, const std::string& path);
    const json::array* asArray(const json::value* v, const std::string& path);

    void parseClient(const json::value* v, const std::string& path, ClientSpec& out);
    void parseModel(const json::value* v, const std::string& path, ModelSpec& out);
    void parseLatency(const json::value* v, const std::string& path, SimTime& median, double& sigma);
    void parseFidelity(const json::value* v, const std::string& path, FidelitySpec& out);

    void parseTable(const json::value& v, const std::string& path, TableSpec& out, TableInfo& info);
    bool parseKeyElement(const json::value* v, const std::string& path, KeyElement& out);
    void parseProvisioned(const json::value* v, const std::string& path, std::optional<std::int64_t>& read,
        std::optional<std::int64_t>& write, bool requireBoth);
    std::optional<AutoScalingSpec> parseAutoScaling(const json::value* v, const std::string& path);
    void parseOnDemand(const json::value* v, const std::string& path, OnDemandSpec& out);
    void parseInitialData(const json::value* v, const std::string& path, InitialDataSpec& out, bool hasSortKey);
    void rejectReserved(Fields& fields, std::string_view name, bool emptyArrayIsAbsent, bool falseIsAbsent);
    void parseIndexes(Fields& f, std::string_view field, IndexKind kind, std::vector<IndexSpec>& out, TableInfo& info);
    bool parseIndex(const json::value* v, const std::string& path, IndexKind kind, IndexSpec& out, TableInfo& info);
    void parseProjection(const json::value* v, const std::string& path, IndexSpec& out, TableInfo& info);
    bool checkKeyType(const KeyElement& key, const std::string& path, TableInfo& info);

    void parseWorkload(const json::value& v, const std::string& path, std::size_t index, WorkloadSpec& out);
    void parseOperations(const json::value* v, const std::string& path, WorkloadSpec& out);
    void parseConsistency(const json::value* v, const std::string& path, double& strongFraction);
    void parseKeys(const json::value* v, const std::string& path, KeyDistributionSpec& out, const TableInfo* table);
    void parseDistribution(
        const json::value* v, const std::string& path, DistributionKind kind, SizeDistributionSpec& out);
    bool readDistributionValue(
        const json::value* v, const std::string& path, DistributionKind kind, double& out, bool positive);
    void parseValueDistribution(const json::value& v, const std::string& path, ValueDistributionSpec& out);
    void parseRatePattern(const json::value* v, const std::string& path, RatePatternSpec& out);
    void loadTrace(const std::string& path, RatePatternSpec& out);

    void parseEvent(const json::value& v, const std::string& path, EventSpec& out);
    void parseTtl(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info);
    void parsePitr(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info);
    void parseDax(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info);
    void parseStreams(const json::value* v, const std::string& path, TableSpec& out, const TableInfo& info);
    void parseLifecycleEvent(Fields& f, const std::string& path, const std::string& action, EventSpec& out);
    bool checkNewTableName(const std::string& name, const std::string& path);
    void checkPendingLifecycle(Scenario& s);
    // Global tables (reference A11): tables[].replicas, workloads[].region, regionOutage events.
    void parseReplicas(Fields& f, TableSpec& out, TableInfo& info);
    void parseWorkloadRegion(Fields& f, const TableInfo* table, WorkloadSpec& out);
    void parseRegionOutage(Fields& f, EventSpec& out);

    const TableInfo* findTable(std::string_view name) const
    {
        for (const auto& t : m_tables)
            if (t.name == name)
                return &t;
        if (m_includeLaterTables)
            for (const auto& t : m_laterTables)
                if (t.name == name)
                    return &t;
        return nullptr;
    }
    // restoreTable / importTable targets named in the events (read before the workloads, which
    // may target them: their workloads are parsed once the events are).
    void collectLaterTableNames(const json::value* events);
    void parseDeferredWorkloads(const json::array& workloads, Scenario& s);

    std::string m_baseDirectory;
    std::vector<ScenarioError> m_errors;
    std::vector<TableInfo> m_tables;
    std::vector<PendingIndexTarget> m_pendingIndexTargets;
    std::vector<std::pair<std::string, std::string>> m_createdIndexes; // (table, index) by createIndex events
    std::set<std::string, std::less<>> m_workloadNames;
    std::optional<SimTime> m_duration;
    std::vector<PendingWritesTo> m_pendingWritesTo;
    std::vector<PendingTtlWorkload> m_pendingTtlWorkloads;
    std::vector<DeclaredBackup> m_backups;
    std::set<std::string, std::less<>> m_newTableNames; // restoreTable and importTable targets
    std::set<std::string, std::less<>> m_laterTableNames; // the same, collected before the workloads
    std::vector<TableInfo> m_laterTables; // what a restore or import makes, for the workloads on it
    std::vector<std::size_t> m_deferredWorkloads; // workloads on a restore or import target
    bool m_includeLaterTables = false; // findTable sees m_laterTables
    bool m_deferredPass = false; // parsing a deferred workload
    std::string m_region = "us-east-1"; // the scenario's region
    // regionOutage events so far: (region, start, end), for overlap checks.
    std::vector<std::tuple<std::string, SimTime, SimTime, std::size_t>> m_outages;
    std::size_t m_eventIndex = 0; // the event being parsed
};

const json::value* Fields::required(std::string_view name)
{
    const json::value* v = optional(name);
    if (!v)
        m_parser.error(path(name), "is required");
    return v;
}

void Fields::finish()
{
    for (const auto& entry : m_object) {
        const std::string_view key(entry.key().data(), entry.key().size());
        if (key.starts_with("x-") || m_known.contains(key))
            continue;
        m_parser.error(path(key), "unknown field");
    }
}

// ---- scalars ----

bool ScenarioParser::readString(const json::value* v, const std::string& path, std::string& out)
{
    if (!v)
        return false;
    if (!v->is_string()) {
        error(path, "must be a string");
        return false;
    }
    out = std::string(v->get_string().data(), v->get_string().size());
    return true;
}

bool ScenarioParser::readBool(const json::value* v, const std::string& path, bool& out)
{
    if (!v)
        return false;
    if (!v->is_bool()) {
        error(path, "must be true or false");
        return false;
    }
    out = v->get_bool();
    return true;
}

bool ScenarioParser::checkBounds(double value, const std::string& path, const Bounds& bounds)
{
    if (bounds.min && (bounds.minExclusive ? !(value > *bounds.min) : !(value >= *bounds.min))) {
        error(
            path, std::string("must be a number ") + (bounds.minExclusive ? "> " : ">= ") + formatNumber(*bounds.min));
        return false;
    }
    if (bounds.max && (bounds.maxExclusive ? !(value < *bounds.max) : !(value <= *bounds.max))) {
        error(
            path, std::string("must be a number ") + (bounds.maxExclusive ? "< " : "<= ") + formatNumber(*bounds.max));
        return false;
    }
    return true;
}

bool ScenarioParser::readNumber(const json::value* v, const std::string& path, double& out, Bounds bounds)
{
    if (!v)
        return false;
    if (!v->is_number()) {
        error(path, "must be a number");
        return false;
    }
    const double value = v->to_number<double>();
    if (!checkBounds(value, path, bounds))
        return false;
    out = value;
    return true;
}

bool ScenarioParser::readInteger(const json::value* v, const std::string& path, std::int64_t& out, Bounds bounds)
{
    if (!v)
        return false;
    std::int64_t value = 0;
    if (v->is_int64()) {
        value = v->get_int64();
    } else if (v->is_uint64()) {
        error(path, "must be an integer <= " + std::to_string(std::numeric_limits<std::int64_t>::max()));
        return false;
    } else if (v->is_double()) {
        const double d = v->get_double();
        if (d != std::floor(d) || std::fabs(d) >= kMaxMagnitude) {
            error(path, "must be an integer");
            return false;
        }
        value = static_cast<std::int64_t>(d);
    } else {
        error(path, "must be an integer");
        return false;
    }
    if (!checkBounds(static_cast<double>(value), path, bounds))
        return false;
    out = value;
    return true;
}

bool ScenarioParser::readSeed(const json::value* v, const std::string& path, std::uint64_t& out)
{
    if (!v)
        return false;
    if (v->is_uint64()) {
        out = v->get_uint64();
        return true;
    }
    std::int64_t value = 0;
    if (!readInteger(v, path, value, atLeast(0)))
        return false;
    out = static_cast<std::uint64_t>(value);
    return true;
}

template <std::size_t N>
bool ScenarioParser::readQuantity(const json::value* v, const std::string& path,
    const std::pair<std::string_view, double> (&units)[N], const char* shape, double& out)
{
    if (!v)
        return false;
    if (v->is_number()) {
        out = v->to_number<double>();
        return true;
    }
    if (v->is_string()) {
        const std::string_view text(v->get_string().data(), v->get_string().size());
        double number = 0;
        std::string_view unit;
        if (splitNumberAndUnit(text, number, unit)) {
            for (const auto& [name, scale] : units) {
                if (unit == name) {
                    out = number * scale;
                    return true;
                }
            }
        }
    }
    error(path, shape);
    return false;
}

bool ScenarioParser::readDuration(const json::value* v, const std::string& path, SimTime& out, bool positive)
{
    static const std::pair<std::string_view, double> kUnits[] = { { "ms", 0.001 }, { "s", 1.0 }, { "m", 60.0 },
        { "h", 3600.0 }, { "d", 86400.0 } };
    double seconds = 0;
    if (!readQuantity(v, path, kUnits, "must be a duration: seconds, or a string \"<number><unit>\" with unit ms, s, m, h or d",
            seconds))
        return false;
    const double micros = seconds * static_cast<double>(kSimSecond);
    if (!std::isfinite(micros) || std::fabs(micros) >= kMaxMagnitude) {
        error(path, "is too long a duration");
        return false;
    }
    const SimTime rounded = std::llround(micros);
    if (positive ? rounded <= 0 : rounded < 0) {
        error(path, positive ? "must be a duration > 0" : "must be a duration >= 0");
        return false;
    }
    out = rounded;
    return true;
}

bool ScenarioParser::readSize(const json::value* v, const std::string& path, std::int64_t& out, Bounds bounds)
{
    // Binary units, as the format says: 1 KB = 1024 B.
    static const std::pair<std::string_view, double> kUnits[] = { { "B", 1.0 }, { "KB", 1024.0 },
        { "MB", 1024.0 * 1024.0 }, { "GB", 1024.0 * 1024.0 * 1024.0 } };
    double bytes = 0;
    if (!readQuantity(v, path, kUnits, "must be a size: bytes, or a string \"<number><unit>\" with unit B, KB, MB or GB", bytes))
        return false;
    if (!std::isfinite(bytes) || std::fabs(bytes) >= kMaxMagnitude) {
        error(path, "is too large a size");
        return false;
    }
    const std::int64_t rounded = std::llround(bytes);
    if (bounds.min
        && (bounds.minExclusive ? !(static_cast<double>(rounded) > *bounds.min)
                                : !(static_cast<double>(rounded) >= *bounds.min))) {
        error(path,
            std::string("must be a size ") + (bounds.minExclusive ? "> " : ">= ") + formatNumber(*bounds.min)
                + " bytes");
        return false;
    }
    if (bounds.max && static_cast<double>(rounded) > *bounds.max) {
        error(path, "must be a size <= " + formatNumber(*bounds.max) + " bytes");
        return false;
    }
    out = rounded;
    return true;
}

const json::object* ScenarioParser::asObject(const json::value* v, const std::string& path)
{
    if (!v)
        return nullptr;
    if (!v->is_object()) {
        error(path, "must be an object");
        return nullptr;
    }
    return &v->get_object();
}

const json::array* ScenarioParser::asArray(const json::value* v, const std::string& path)
{
    if (!v)
        return nullptr;
    if (!v->is_array()) {
        error(path, "must be an array");
        return nullptr;
    }
    return &v->get_array();
}

// ---- top level ----

LoadResult ScenarioParser::parse(const json::value& root)
{
    LoadResult result;
    if (!root.is_object()) {
        error("", "a scenario must be a JSON object");
        result.errors = std::move(m_errors);
        return result;
    }
    Scenario s;
    Fields f(*this, root.get_object(), "");

    if (const auto* v = f.required("format"); v && !(v->is_string() && v->get_string() == kFormatTag))
        error("format", std::string("must be \"") + kFormatTag + "\"");
    if (readString(f.required("name"), "name", s.name) && s.name.empty())
        error("name", "must not be empty");
    readString(f.optional("description"), "description", s.description);
    if (readString(f.optional("region"), "region", s.region) && s.region.empty())
        error("region", "must not be empty");
    m_region = s.region;
    std::string pricing;
    if (readString(f.optional("pricing"), "pricing", pricing)) {
        std::filesystem::path file(pricing);
        if (file.is_relative())
            file = std::filesystem::path(m_baseDirectory) / file;
        std::error_code ec;
        if (pricing.empty() || !std::filesystem::is_regular_file(file, ec))
            error("pricing", "no such file: " + quote(file.string()));
        else
            s.pricingFile = file.string();
    }
    readBool(f.optional("freeTier"), "freeTier", s.freeTier);
    if (readDuration(f.required("duration"), "duration", s.duration, true))
        m_duration = s.duration;
    readSeed(f.optional("seed"), "seed", s.seed);
    parseFidelity(f.optional("fidelity"), "fidelity", s.fidelity);
    parseClient(f.optional("client"), "client", s.client);
    parseModel(f.optional("model"), "model", s.model);

    if (const auto* tables = asArray(f.required("tables"), "tables")) {
        if (tables->empty())
            error("tables", "must list at least one table");
        for (std::size_t i = 0; i < tables->size(); ++i) {
            TableSpec table;
            TableInfo info;
            const std::string path = indexPath("tables", i);
            parseTable((*tables)[i], path, table, info);
            if (!info.name.empty() && findTable(info.name))
                error(path + ".name", "duplicate table name " + quote(info.name));
            m_tables.push_back(info);
            s.tables.push_back(std::move(table));
        }
    }
    collectLaterTableNames(root.get_object().if_contains("events"));
    const auto* workloads = asArray(f.required("workloads"), "workloads");
    if (workloads) {
        if (workloads->empty())
            error("workloads", "must list at least one workload");
        for (std::size_t i = 0; i < workloads->size(); ++i) {
            WorkloadSpec workload;
            parseWorkload((*workloads)[i], indexPath("workloads", i), i, workload);
            s.workloads.push_back(std::move(workload));
        }
    }
    if (const auto* events = asArray(f.optional("events"), "events")) {
        for (std::size_t i = 0; i < events->size(); ++i) {
            EventSpec event;
            m_eventIndex = i;
            parseEvent((*events)[i], indexPath("events", i), event);
            s.events.push_back(std::move(event));
        }
    }
    if (workloads)
        parseDeferredWorkloads(*workloads, s);
    for (const auto& target : m_pendingIndexTargets) {
        const bool created = std::find(m_createdIndexes.begin(), m_createdIndexes.end(),
                                 std::pair<std::string, std::string>(target.table, target.index))
            != m_createdIndexes.end();
        if (!created)
            error(target.path, "no index named " + quote(target.index) + " on table " + quote(target.table));
        else if (target.strong)
            error(target.path,
                "strongly consistent reads are not supported on global secondary index " + quote(target.index));
    }
    checkPendingLifecycle(s);
    f.finish();

    if (m_errors.empty())
        result.scenario = std::move(s);
    result.errors = std::move(m_errors);
    return result;
}

void ScenarioParser::parseFidelity(const json::value* v, const std::string& path, FidelitySpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::string mode;
    if (readString(f.required("mode"), f.path("mode"), mode)) {
        if (mode == "auto")
            out.mode = FidelitySpec::Mode::Auto;
        else if (mode == "full")
            out.mode = FidelitySpec::Mode::Full;
        else if (mode == "sampled")
            out.mode = FidelitySpec::Mode::Sampled;
        else if (mode == "fluid")
            out.mode = FidelitySpec::Mode::Fluid;
        else
            error(f.path("mode"), "must be \"auto\", \"full\", \"sampled\" or \"fluid\"");
    }
    if (out.mode == FidelitySpec::Mode::Sampled) {
        double rate = 0;
        if (readNumber(f.required("rate"), f.path("rate"), rate, { 0.0, true, 1.0, false }))
            out.rate = rate;
    } else if (mode == "fluid") {
        double rate = 0;
        if (readNumber(f.optional("rate"), f.path("rate"), rate, { 0.0, true, 1.0, false }))
            out.engineShare = rate;
    } else if (mode == "auto" || mode == "full") {
        if (f.has("rate"))
            error(f.path("rate"), "only allowed with mode \"sampled\" or \"fluid\"");
        f.allow("rate");
    } else {
        f.allow("rate");
    }
    if (out.mode == FidelitySpec::Mode::Fluid) {
        SimTime step = kSimSecond;
        if (readDuration(f.optional("step"), f.path("step"), step, true)) {
            // Whole milliseconds, at most a minute: the minute series are built from whole steps.
            if (step % 1000 != 0 || step > kSimMinute || kSimMinute % step != 0)
                error(f.path("step"), "must be a whole number of milliseconds dividing a minute (e.g. \"1s\", \"250ms\")");
            else
                out.step = step;
        }
    } else if (f.has("step")) {
        error(f.path("step"), "only allowed with mode \"fluid\"");
        f.allow("step");
    }
    f.finish();
}

void ScenarioParser::parseClient(const json::value* v, const std::string& path, ClientSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::int64_t attempts = 0;
    if (readInteger(f.optional("maxAttempts"), f.path("maxAttempts"), attempts, between(1, 1000)))
        out.maxAttempts = static_cast<int>(attempts);
    readDuration(f.optional("baseDelay"), f.path("baseDelay"), out.baseDelay);
    readDuration(f.optional("maxDelay"), f.path("maxDelay"), out.maxDelay);
    f.finish();
}

void ScenarioParser::parseLatency(const json::value* v, const std::string& path, SimTime& median, double& sigma)
{
    std::string text;
    if (!readString(v, path, text))
        return;
    const char* kShape = "must be \"lognormal(<median duration>,<sigma>)\", e.g. \"lognormal(4ms,0.5)\"";
    constexpr std::string_view kPrefix = "lognormal(";
    const std::string compact = [&] {
        std::string c;
        for (char ch : text)
            if (ch != ' ')
                c += ch;
        return c;
    }();
    const auto comma = compact.find(',');
    if (!compact.starts_with(kPrefix) || !compact.ends_with(")") || comma == std::string::npos) {
        error(path, kShape);
        return;
    }
    const std::string medianText = compact.substr(kPrefix.size(), comma - kPrefix.size());
    const std::string sigmaText = compact.substr(comma + 1, compact.size() - comma - 2);
    const json::value medianValue(medianText);
    SimTime parsedMedian = 0;
    double parsedSigma = 0;
    const std::size_t before = m_errors.size();
    if (!readDuration(&medianValue, path, parsedMedian, true))
        return;
    if (!parseDouble(sigmaText, parsedSigma) || parsedSigma < 0) {
        error(path, "sigma must be a number >= 0");
        return;
    }
    if (m_errors.size() == before) {
        median = parsedMedian;
        sigma = parsedSigma;
    }
}

void ScenarioParser::parseModel(const json::value* v, const std::string& path, ModelSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    readNumber(f.optional("partitionRead"), f.path("partitionRead"), out.partitionRead, above(0));
    readNumber(f.optional("partitionWrite"), f.path("partitionWrite"), out.partitionWrite, above(0));
    readSize(f.optional("partitionSize"), f.path("partitionSize"), out.partitionSizeBytes, above(0));
    std::string rule;
    if (readString(f.optional("partitionLimitRule"), f.path("partitionLimitRule"), rule)) {
        if (rule == "independent")
            out.partitionLimitRule = PartitionLimitRule::Independent;
        else if (rule == "linear")
            out.partitionLimitRule = PartitionLimitRule::Linear;
        else
            error(f.path("partitionLimitRule"), "must be \"independent\" or \"linear\"");
    }
    readNumber(f.optional("burstSeconds"), f.path("burstSeconds"), out.burstSeconds, atLeast(0));
    std::string burstAtStart;
    if (readString(f.optional("burstAtStart"), f.path("burstAtStart"), burstAtStart)) {
        if (burstAtStart == "full" || burstAtStart == "empty")
            out.burstAtStartFull = burstAtStart == "full";
        else
            error(f.path("burstAtStart"), "must be \"full\" or \"empty\"");
    }
    readBool(f.optional("adaptiveCapacity"), f.path("adaptiveCapacity"), out.adaptiveCapacity);
    const std::string splitPath = f.path("splitForHeat");
    if (const auto* split = asObject(f.optional("splitForHeat"), splitPath)) {
        Fields s(*this, *split, splitPath);
        readBool(s.optional("enabled"), s.path("enabled"), out.splitForHeat.enabled);
        readNumber(s.optional("threshold"), s.path("threshold"), out.splitForHeat.threshold, { 0.0, true, 1.0, false });
        readDuration(s.optional("sustain"), s.path("sustain"), out.splitForHeat.sustain);
        readDuration(s.optional("delay"), s.path("delay"), out.splitForHeat.delay);
        s.finish();
    }
    readDuration(f.optional("updateTableDelay"), f.path("updateTableDelay"), out.updateTableDelay);
    readDuration(f.optional("onDemandWindow"), f.path("onDemandWindow"), out.onDemandWindow);
    const std::string scalingPath = f.path("autoScaling");
    if (const auto* scaling = asObject(f.optional("autoScaling"), scalingPath)) {
        // Alarm datapoints are whole minutes (reference A4); a day at most.
        Fields a(*this, *scaling, scalingPath);
        readInteger(a.optional("scaleOutDatapoints"), a.path("scaleOutDatapoints"), out.autoScaling.scaleOutDatapoints,
            between(1, 1440));
        readInteger(a.optional("scaleInDatapoints"), a.path("scaleInDatapoints"), out.autoScaling.scaleInDatapoints,
            between(1, 1440));
        readNumber(a.optional("scaleInMarginPoints"), a.path("scaleInMarginPoints"), out.autoScaling.scaleInMarginPoints,
            between(0, 100));
        a.finish();
    }
    const std::string latencyPath = f.path("latency");
    if (const auto* latency = asObject(f.optional("latency"), latencyPath)) {
        Fields l(*this, *latency, latencyPath);
        parseLatency(l.optional("read"), l.path("read"), out.latency.readMedian, out.latency.readSigma);
        parseLatency(l.optional("write"), l.path("write"), out.latency.writeMedian, out.latency.writeSigma);
        l.finish();
    }
    parseLatency(f.optional("ttlDelay"), f.path("ttlDelay"), out.ttlDelayMedian, out.ttlDelaySigma);
    readNumber(f.optional("kdsDuplicateRate"), f.path("kdsDuplicateRate"), out.kdsDuplicateRate, between(0, 1));
    readNumber(f.optional("kdsReorderRate"), f.path("kdsReorderRate"), out.kdsReorderRate, between(0, 1));
    // DAX (reference A10): 0 (the default) means by node type.
    readSize(f.optional("daxCacheBytes"), f.path("daxCacheBytes"), out.daxCacheBytes, atLeast(0));
    readNumber(f.optional("daxNodeOpsPerSec"), f.path("daxNodeOpsPerSec"), out.daxNodeOpsPerSec, atLeast(0));
    parseLatency(f.optional("daxLatency"), f.path("daxLatency"), out.daxLatencyMedian, out.daxLatencySigma);
    // Global tables (reference A11): replication delay per change and destination, the catch-up
    // rate after an outage (changes per second per destination), a replica's CREATING minimum
    // and DELETING time.
    parseLatency(f.optional("replicationLatency"), f.path("replicationLatency"), out.replicationLatencyMedian,
        out.replicationLatencySigma);
    readNumber(f.optional("replicationCatchUpRate"), f.path("replicationCatchUpRate"), out.replicationCatchUpRate, above(0));
    readDuration(f.optional("replicaCreateMinSeconds"), f.path("replicaCreateMinSeconds"), out.replicaCreateMinSeconds);
    readDuration(f.optional("replicaDeleteSeconds"), f.path("replicaDeleteSeconds"), out.replicaDeleteSeconds);
    f.finish();
}

// ---- tables ----

void ScenarioParser::rejectReserved(Fields& fields, std::string_view name, bool emptyArrayIsAbsent, bool falseIsAbsent)
{
    const json::value* v = fields.optional(name);
    if (!v)
        return;
    if (emptyArrayIsAbsent && v->is_array() && v->get_array().empty())
        return;
    if (falseIsAbsent && v->is_bool() && !v->get_bool())
        return;
    error(fields.path(name), kNotSupported);
}

bool ScenarioParser::parseKeyElement(const json::value* v, const std::string& path, KeyElement& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return false;
    const std::size_t before = m_errors.size();
    Fields f(*this, *o, path);
    if (readString(f.required("name"), f.path("name"), out.name) && (out.name.empty() || out.name.size() > 255))
        error(f.path("name"), "must be 1 to 255 characters");
    std::string type;
    if (readString(f.required("type"), f.path("type"), type)) {
        if (type == "S")
            out.type = AttrType::S;
        else if (type == "N")
            out.type = AttrType::N;
        else if (type == "B")
            out.type = AttrType::B;
        else
            error(f.path("type"), "must be \"S\", \"N\" or \"B\"");
    }
    f.finish();
    return m_errors.size() == before;
}

void ScenarioParser::parseProvisioned(const json::value* v, const std::string& path, std::optional<std::int64_t>& read,
    std::optional<std::int64_t>& write, bool requireBoth)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    const Bounds capacity = between(1, static_cast<double>(kMaxTableCapacity));
    std::int64_t value = 0;
    if (readInteger(requireBoth ? f.required("read") : f.optional("read"), f.path("read"), value, capacity))
        read = value;
    if (readInteger(requireBoth ? f.required("write") : f.optional("write"), f.path("write"), value, capacity))
        write = value;
    if (!requireBoth && !f.has("read") && !f.has("write"))
        error(path, "must set read, write or both");
    f.finish();
}

std::optional<AutoScalingSpec> ScenarioParser::parseAutoScaling(const json::value* v, const std::string& path)
{
    const auto* o = asObject(v, path);
    if (!o)
        return std::nullopt;
    Fields f(*this, *o, path);
    AutoScalingSpec spec;
    const Bounds capacity = between(1, static_cast<double>(kMaxTableCapacity));
    for (const char* dimension : { "read", "write" }) {
        const std::string dimensionPath = f.path(dimension);
        const auto* d = asObject(f.optional(dimension), dimensionPath);
        if (!d)
            continue;
        Fields df(*this, *d, dimensionPath);
        ScalingDimensionSpec s;
        const bool hasMin = readInteger(df.required("min"), df.path("min"), s.min, capacity);
        const bool hasMax = readInteger(df.required("max"), df.path("max"), s.max, capacity);
        readNumber(df.required("target"), df.path("target"), s.targetPercent, between(20, 90));
        if (hasMin && hasMax && s.min > s.max)
            error(df.path("min"), "must be <= max (" + std::to_string(s.max) + ")");
        df.finish();
        (std::string_view(dimension) == "read" ? spec.read : spec.write) = s;
    }
    f.finish();
    return spec;
}

void ScenarioParser::parseOnDemand(const json::value* v, const std::string& path, OnDemandSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::int64_t value = 0;
    if (readInteger(f.optional("maxRead"), f.path("maxRead"), value, atLeast(1)))
        out.maxRead = value;
    if (readInteger(f.optional("maxWrite"), f.path("maxWrite"), value, atLeast(1)))
        out.maxWrite = value;
    const std::string peakPath = f.path("previousPeak");
    if (const auto* peak = asObject(f.optional("previousPeak"), peakPath)) {
        Fields p(*this, *peak, peakPath);
        // A previous peak above the table quota cannot have happened (reference A3).
        const Bounds peakBounds = between(1, static_cast<double>(kMaxTableCapacity));
        readInteger(p.optional("read"), p.path("read"), out.previousPeakRead, peakBounds);
        readInteger(p.optional("write"), p.path("write"), out.previousPeakWrite, peakBounds);
        p.finish();
    }
    f.finish();
}

void ScenarioParser::parseInitialData(
    const json::value* v, const std::string& path, InitialDataSpec& out, bool hasSortKey)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    readInteger(f.required("items"), f.path("items"), out.items, atLeast(0));
    parseDistribution(f.optional("itemSize"), f.path("itemSize"), DistributionKind::ItemSize, out.itemSize);
    if (readInteger(f.optional("sortKeysPerKey"), f.path("sortKeysPerKey"), out.sortKeysPerKey, atLeast(1))
        && out.sortKeysPerKey > 1 && !hasSortKey)
        error(f.path("sortKeysPerKey"), "the table has no sort key");
    f.finish();
}

void ScenarioParser::parseTable(const json::value& v, const std::string& path, TableSpec& out, TableInfo& info)
{
    const auto* o = asObject(&v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    if (readString(f.required("name"), f.path("name"), out.name)) {
        const bool validChars = std::all_of(out.name.begin(), out.name.end(),
            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; });
        if (out.name.size() < 3 || out.name.size() > 255 || !validChars)
            error(f.path("name"), "must be 3 to 255 characters, each a letter, a digit, _, . or -");
        // Kept even when invalid, so that workloads naming it get no second error.
        info.name = out.name;
    }
    if (parseKeyElement(f.required("partitionKey"), f.path("partitionKey"), out.partitionKey)) {
        info.partitionKeyElement = out.partitionKey;
        info.partitionKey = out.partitionKey.name;
        info.keyTypes[out.partitionKey.name] = out.partitionKey.type;
    }
    if (const auto* sortKey = f.optional("sortKey")) {
        KeyElement element;
        info.hasSortKey = true;
        if (parseKeyElement(sortKey, f.path("sortKey"), element)) {
            out.sortKey = element;
            info.sortKeyElement = element;
            info.sortKey = element.name;
            info.keyTypes.emplace(element.name, element.type);
            if (!info.partitionKey.empty() && element.name == info.partitionKey)
                error(f.path("sortKey") + ".name", "must differ from the partition key name");
        }
    }

    std::optional<BillingMode> mode;
    std::string modeText;
    if (readString(f.required("billingMode"), f.path("billingMode"), modeText)) {
        BillingMode parsed = BillingMode::Provisioned;
        if (parseBillingMode(modeText, parsed))
            info.mode = mode = out.billingMode = parsed;
        else
            error(f.path("billingMode"), "must be \"PROVISIONED\" or \"PAY_PER_REQUEST\"");
    }
    std::string classText;
    if (readString(f.optional("tableClass"), f.path("tableClass"), classText)
        && !parseTableClass(classText, out.tableClass))
        error(f.path("tableClass"), "must be \"STANDARD\" or \"STANDARD_INFREQUENT_ACCESS\"");

    const json::value* provisioned
        = mode == BillingMode::Provisioned ? f.required("provisioned") : f.optional("provisioned");
    const json::value* autoScaling = f.optional("autoScaling");
    const json::value* onDemand = f.optional("onDemand");
    if (mode == BillingMode::Provisioned) {
        std::optional<std::int64_t> read, write;
        parseProvisioned(provisioned, f.path("provisioned"), read, write, true);
        out.provisionedRead = read.value_or(0);
        out.provisionedWrite = write.value_or(0);
        if (autoScaling)
            out.autoScaling = parseAutoScaling(autoScaling, f.path("autoScaling"));
        if (onDemand)
            error(f.path("onDemand"), "only allowed with billingMode PAY_PER_REQUEST");
    } else if (mode == BillingMode::PayPerRequest) {
        if (provisioned)
            error(f.path("provisioned"), "not allowed with billingMode PAY_PER_REQUEST");
        if (autoScaling)
            error(f.path("autoScaling"), "only allowed with billingMode PROVISIONED");
        parseOnDemand(onDemand, f.path("onDemand"), out.onDemand);
    }

    if (const auto* initial = f.optional("initialData")) {
        InitialDataSpec data;
        parseInitialData(initial, f.path("initialData"), data, info.hasSortKey);
        out.initialData = data;
    }

    parseIndexes(f, "globalSecondaryIndexes", IndexKind::Global, out.globalSecondaryIndexes, info);
    parseIndexes(f, "localSecondaryIndexes", IndexKind::Local, out.localSecondaryIndexes, info);
    parseTtl(f.optional("ttl"), f.path("ttl"), out, info);
    parseStreams(f.optional("streams"), f.path("streams"), out, info);
    parsePitr(f.optional("pitr"), f.path("pitr"), out, info);
    parseDax(f.optional("dax"), f.path("dax"), out, info);
    parseReplicas(f, out, info);
    f.finish();
}

// ---- indexes ----

void ScenarioParser::parseIndexes(
    Fields& f, std::string_view field, IndexKind kind, std::vector<IndexSpec>& out, TableInfo& info)
{
    const std::string path = f.path(field);
    const auto* array = asArray(f.optional(field), path);
    if (!array)
        return;
    const bool global = kind == IndexKind::Global;
    const std::size_t limit = global ? kMaxGlobalSecondaryIndexes : kMaxLocalSecondaryIndexes;
    if (array->size() > limit)
        error(path,
            "at most " + std::to_string(limit) + (global ? " global" : " local") + " secondary indexes per table (got "
                + std::to_string(array->size()) + ")");
    if (!global && !array->empty() && !info.partitionKey.empty() && !info.hasSortKey)
        error(path, "local secondary indexes need a table with a sort key");
    for (std::size_t i = 0; i < array->size(); ++i) {
        IndexSpec index;
        index.kind = kind;
        const std::string indexPathText = indexPath(path, i);
        const bool valid = parseIndex(&(*array)[i], indexPathText, kind, index, info);
        if (!index.name.empty()) {
            if (info.findIndex(index.name))
                error(indexPathText + ".name", "duplicate index name " + quote(index.name) + " in table " + quote(info.name));
            else
                info.indexes.push_back({ index.name, global, index.sortKey.has_value() });
        }
        if (valid)
            out.push_back(std::move(index));
    }
}

bool ScenarioParser::checkKeyType(const KeyElement& key, const std::string& path, TableInfo& info)
{
    // One attribute has one type across the table's key schemas (CreateTable's AttributeDefinitions).
    const auto [it, inserted] = info.keyTypes.emplace(key.name, key.type);
    if (inserted || it->second == key.type)
        return true;
    error(path + ".type", "attribute " + quote(key.name) + " is already a key of type " + attrTypeName(it->second));
    return false;
}

void ScenarioParser::parseProjection(const json::value* v, const std::string& path, IndexSpec& out, TableInfo& info)
{
    if (!v)
        return; // ALL
    if (v->is_string() && v->get_string() == "ALL") {
        out.projection = ProjectionType::All;
        return;
    }
    if (v->is_string() && v->get_string() == "KEYS_ONLY") {
        out.projection = ProjectionType::KeysOnly;
        return;
    }
    if (!v->is_object()) {
        error(path, "must be \"ALL\", \"KEYS_ONLY\" or {\"include\": [attribute names]}");
        return;
    }
    Fields f(*this, v->get_object(), path);
    out.projection = ProjectionType::Include;
    const std::string includePath = f.path("include");
    if (const auto* names = asArray(f.required("include"), includePath)) {
        if (names->empty())
            error(includePath, "must name at least one attribute");
        std::set<std::string, std::less<>> seen;
        for (std::size_t i = 0; i < names->size(); ++i) {
            std::string name;
            const std::string namePath = indexPath(includePath, i);
            if (!readString(&(*names)[i], namePath, name))
                continue;
            if (name.empty())
                error(namePath, "must not be empty");
            else if (!seen.insert(name).second)
                error(namePath, "duplicate attribute " + quote(name));
            else
                out.nonKeyAttributes.push_back(name);
        }
        info.projectedAttributes += out.nonKeyAttributes.size();
        if (info.projectedAttributes > kMaxProjectedAttributes)
            error(includePath,
                "more than " + std::to_string(kMaxProjectedAttributes)
                    + " projected attributes across the table's indexes");
    }
    f.finish();
}

bool ScenarioParser::parseIndex(
    const json::value* v, const std::string& path, IndexKind kind, IndexSpec& out, TableInfo& info)
{
    const auto* o = asObject(v, path);
    if (!o)
        return false;
    const std::size_t before = m_errors.size();
    Fields f(*this, *o, path);
    if (readString(f.required("name"), f.path("name"), out.name)) {
        const bool validChars = std::all_of(out.name.begin(), out.name.end(),
            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; });
        if (out.name.size() < 3 || out.name.size() > 255 || !validChars)
            error(f.path("name"), "must be 3 to 255 characters, each a letter, a digit, _, . or -");
    }
    if (kind == IndexKind::Global) {
        if (parseKeyElement(f.required("partitionKey"), f.path("partitionKey"), out.partitionKey))
            checkKeyType(out.partitionKey, f.path("partitionKey"), info);
        if (const auto* sortKey = f.optional("sortKey")) {
            KeyElement element;
            if (parseKeyElement(sortKey, f.path("sortKey"), element)) {
                out.sortKey = element;
                if (element.name == out.partitionKey.name)
                    error(f.path("sortKey") + ".name", "must differ from the index's partition key name");
                else
                    checkKeyType(element, f.path("sortKey"), info);
            }
        }
    } else {
        KeyElement element;
        if (parseKeyElement(f.required("sortKey"), f.path("sortKey"), element)) {
            out.sortKey = element;
            if (element.name == info.partitionKey)
                error(f.path("sortKey") + ".name", "must differ from the table's partition key name");
            else
                checkKeyType(element, f.path("sortKey"), info);
        }
    }
    parseProjection(f.optional("projection"), f.path("projection"), out, info);

    const json::value* provisioned = f.optional("provisioned");
    const json::value* autoScaling = f.optional("autoScaling");
    const json::value* onDemand = f.optional("onDemand");
    if (kind == IndexKind::Local) {
        // An LSI shares the table's partitions and capacity (reference A2).
        for (const char* field : { "provisioned", "autoScaling", "onDemand" })
            if (f.has(field))
                error(f.path(field), "not allowed on a local secondary index (it uses the capacity of its table)");
    } else if (info.mode == BillingMode::Provisioned) {
        std::optional<std::int64_t> read, write;
        parseProvisioned(provisioned ? provisioned : f.required("provisioned"), f.path("provisioned"), read, write, true);
        out.provisionedRead = read.value_or(0);
        out.provisionedWrite = write.value_or(0);
        if (autoScaling)
            out.autoScaling = parseAutoScaling(autoScaling, f.path("autoScaling"));
        if (onDemand)
            error(f.path("onDemand"), "only allowed with billingMode PAY_PER_REQUEST");
    } else if (info.mode == BillingMode::PayPerRequest) {
        if (provisioned)
            error(f.path("provisioned"), "not allowed with billingMode PAY_PER_REQUEST");
        if (autoScaling)
            error(f.path("autoScaling"), "only allowed with billingMode PROVISIONED");
        parseOnDemand(onDemand, f.path("onDemand"), out.onDemand);
    }
    f.finish();
    return m_errors.size() == before;
}

// ---- workloads ----

void ScenarioParser::parseWorkload(const json::value& v, const std::string& path, std::size_t index, WorkloadSpec& out)
{
    const auto* o = asObject(&v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);

    out.name = "workload" + std::to_string(index);
    if (readString(f.optional("name"), f.path("name"), out.name) && out.name.empty())
        error(f.path("name"), "must not be empty");
    if (!m_deferredPass && !m_workloadNames.insert(out.name).second)
        error(f.has("name") ? f.path("name") : path, "duplicate workload name " + quote(out.name));
    if (!m_deferredPass) {
        // A workload on a table a restoreTable or importTable event makes: parsed after the
        // events, against what that event makes (its requests fail until the table is ACTIVE).
        std::string tableName;
        if (const auto* t = o->if_contains("table"); t && t->is_string())
            tableName = std::string(t->get_string()).substr(0, std::string(t->get_string()).find('/'));
        if (!findTable(tableName) && m_laterTableNames.contains(tableName)) {
            m_deferredWorkloads.push_back(index);
            return;
        }
    }

    const TableInfo* table = nullptr;
    const IndexInfo* targetIndex = nullptr;
    TableInfo indexKeys; // what the workload addresses when it targets an index
    bool pendingIndex = false;
    if (readString(f.required("table"), f.path("table"), out.table)) {
        const auto slash = out.table.find('/');
        const std::string tableName = out.table.substr(0, slash);
        if (!(table = findTable(tableName))) {
            error(f.path("table"),
                m_deferredPass ? "no table named " + quote(tableName)
                        + " in tables, and the restoreTable or importTable event that would make it is invalid"
                               : "no table named " + quote(tableName) + " in tables");
        } else if (slash != std::string::npos) {
            const std::string indexName = out.table.substr(slash + 1);
            out.table = tableName;
            out.index = indexName;
            if (indexName.empty())
                error(f.path("table"), "index name missing after \"/\" in " + quote(tableName + "/"));
            else if (!(targetIndex = table->findIndex(indexName)))
                pendingIndex = true;
        }
    }

    parseRatePattern(f.required("rate"), f.path("rate"), out.rate);
    parseOperations(f.required("operations"), f.path("operations"), out);
    parseConsistency(f.optional("consistency"), f.path("consistency"), out.strongFraction);
    if (out.index) {
        // Only Query and Scan take an IndexName.
        for (const auto& [type, fraction] : out.operations)
            if (type != OperationType::Query && type != OperationType::Scan)
                error(childPath(f.path("operations"), operationName(type)),
                    std::string(operationName(type)) + " cannot target an index; only Query and Scan can (table "
                        + quote(out.table + "/" + *out.index) + ")");
        if (targetIndex && targetIndex->global && out.strongFraction > 0)
            error(f.path("consistency"),
                "strongly consistent reads are not supported on global secondary index " + quote(*out.index));
        if (pendingIndex)
            m_pendingIndexTargets.push_back({ f.path("table"), out.table, *out.index, out.strongFraction > 0 });
        if (targetIndex) {
            indexKeys.name = out.table + "/" + *out.index;
            indexKeys.hasSortKey = targetIndex->hasSortKey;
        }
    }
    parseKeys(f.optional("keys"), f.path("keys"), out.keys, targetIndex ? &indexKeys : out.index ? nullptr : table);
    parseDistribution(f.optional("itemSize"), f.path("itemSize"), DistributionKind::ItemSize, out.itemSize);
    parseDistribution(f.optional("queryItems"), f.path("queryItems"), DistributionKind::Count, out.queryItems);

    const bool batchWrite = std::any_of(out.operations.begin(), out.operations.end(),
        [](const auto& op) { return op.first == OperationType::BatchWriteItem; });
    const bool transaction = std::any_of(out.operations.begin(), out.operations.end(), [](const auto& op) {
        return op.first == OperationType::TransactGetItems || op.first == OperationType::TransactWriteItems;
    });
    if (transaction && out.index)
        error(f.path("operations"), "TransactGetItems and TransactWriteItems address a table, not an index");
    std::int64_t batchSize = 0;
    // batchSize is the items per batch or transaction call: BatchWriteItem takes at most 25
    // requests, BatchGetItem at most 100 keys, a transaction at most 100 actions (default 25
    // BatchWriteItem, 100 BatchGetItem, 2 TransactGetItems/TransactWriteItems). One batchSize
    // serves them all, so a workload with BatchWriteItem is held to the smaller limit.
    const std::int64_t batchMax = batchWrite ? 25 : 100;
    if (readInteger(f.optional("batchSize"), f.path("batchSize"), batchSize, atLeast(1))) {
        if (batchSize > batchMax)
            error(f.path("batchSize"),
                "must be a number <= " + std::to_string(batchMax)
                    + " (items per batch or transaction call: at most 25 for BatchWriteItem, 100 for BatchGetItem "
                      "and transactions; default 25, 100 and 2)");
        else
            out.batchSize = batchSize;
    }

    const std::string attributesPath = f.path("attributes");
    if (const auto* attributes = asObject(f.optional("attributes"), attributesPath)) {
        for (const auto& entry : *attributes) {
            const std::string name(entry.key().data(), entry.key().size());
            const std::string attributePath = childPath(attributesPath, name);
            if (name.empty())
                error(attributePath, "attribute name must not be empty");
            else if (name == "p")
                error(attributePath, "\"p\" is the payload attribute and cannot be set here");
            else if (table && (name == table->partitionKey || (table->hasSortKey && name == table->sortKey)))
                error(attributePath, "is a key attribute of table " + quote(table->name));
            ValueDistributionSpec spec;
            parseValueDistribution(entry.value(), attributePath, spec);
            out.attributes[name] = std::move(spec);
        }
    }
    const std::string updatePath = f.path("updateAttributes");
    if (const auto* updates = asArray(f.optional("updateAttributes"), updatePath)) {
        std::set<std::string, std::less<>> seen;
        for (std::size_t i = 0; i < updates->size(); ++i) {
            std::string name;
            const std::string itemPath = indexPath(updatePath, i);
            if (!readString(&(*updates)[i], itemPath, name))
                continue;
            if (!o->contains("attributes") || !out.attributes.contains(name))
                error(itemPath, quote(name) + " is not one of the workload attributes");
            else if (!seen.insert(name).second)
                error(itemPath, "duplicate attribute " + quote(name));
            else
                out.updateAttributes.push_back(name);
        }
    }
    // Whether the workload goes through its table's DAX cluster (scenario-format.md, workloads[].dax).
    bool dax = true;
    if (readBool(f.optional("dax"), f.path("dax"), dax)) {
        if (dax && f.has("dax") && table && !table->dax)
            error(f.path("dax"), "table " + quote(table->name) + " has no DAX cluster (tables[].dax)");
        out.dax = dax;
    }
    parseWorkloadRegion(f, table, out);
    if (const auto* ttl = f.optional("ttlSeconds")) {
        DurationDistributionSpec spec;
        const std::size_t before = m_errors.size();
        parseDistribution(ttl, f.path("ttlSeconds"), DistributionKind::Duration, spec);
        const bool writes = std::any_of(out.operations.begin(), out.operations.end(), [](const auto& op) {
            return op.first == OperationType::PutItem || op.first == OperationType::UpdateItem
                || op.first == OperationType::BatchWriteItem || op.first == OperationType::TransactWriteItems;
        });
        if (!writes && !out.operations.empty())
            error(f.path("ttlSeconds"),
                "the workload writes no items (ttlSeconds needs PutItem, UpdateItem, BatchWriteItem or "
                "TransactWriteItems)");
        if (m_errors.size() == before) {
            out.ttlSeconds = spec;
            m_pendingTtlWorkloads.push_back({ f.path("ttlSeconds"), index });
        }
    }
    f.finish();
}

void ScenarioParser::parseOperations(const json::value* v, const std::string& path, WorkloadSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    if (o->empty()) {
        error(path, "must name at least one operation");
        return;
    }
    double sum = 0;
    bool allValid = true;
    for (const auto& entry : *o) {
        const std::string_view name(entry.key().data(), entry.key().size());
        const std::string opPath = childPath(path, name);
        if (name.starts_with("x-"))
            continue;
        OperationType type = OperationType::GetItem;
        if (!parseOperationName(name, type)) {
            error(opPath,
                "unknown operation (expected GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, "
                "BatchGetItem, BatchWriteItem, TransactGetItems or TransactWriteItems)");
            allValid = false;
            continue;
        }
        double fraction = 0;
        if (!readNumber(&entry.value(), opPath, fraction, between(0, 1))) {
            allValid = false;
            continue;
        }
        sum += fraction;
        out.operations.emplace_back(type, fraction);
    }
    if (allValid && std::fabs(sum - 1.0) > kFractionTolerance)
        error(path, "fractions must sum to 1 (they sum to " + formatNumber(sum) + ")");
    // Enum order, so that listing the same mix in another order gives the same run.
    std::sort(
        out.operations.begin(), out.operations.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void ScenarioParser::parseConsistency(const json::value* v, const std::string& path, double& strongFraction)
{
    if (!v)
        return;
    if (v->is_string() && v->get_string() == "eventual") {
        strongFraction = 0;
    } else if (v->is_string() && v->get_string() == "strong") {
        strongFraction = 1;
    } else if (v->is_object()) {
        Fields f(*this, v->get_object(), path);
        readNumber(f.required("strong"), f.path("strong"), strongFraction, between(0, 1));
        f.finish();
    } else {
        error(path, "must be \"eventual\", \"strong\" or {\"strong\": <fraction>}");
    }
}

void ScenarioParser::parseKeys(
    const json::value* v, const std::string& path, KeyDistributionSpec& out, const TableInfo* table)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::string type;
    bool known = true;
    if (readString(f.required("type"), f.path("type"), type)) {
        if (type == "uniform")
            out.type = KeyDistributionSpec::Type::Uniform;
        else if (type == "zipf")
            out.type = KeyDistributionSpec::Type::Zipf;
        else if (type == "hotkey")
            out.type = KeyDistributionSpec::Type::HotKey;
        else if (type == "sequential")
            out.type = KeyDistributionSpec::Type::Sequential;
        else {
            error(f.path("type"), "must be \"uniform\", \"zipf\", \"hotkey\" or \"sequential\"");
            known = false;
        }
    } else {
        known = false;
    }
    const bool hasCardinality
        = readInteger(f.required("cardinality"), f.path("cardinality"), out.cardinality, atLeast(1));
    if (readInteger(f.optional("sortKeysPerKey"), f.path("sortKeysPerKey"), out.sortKeysPerKey, atLeast(1))
        && out.sortKeysPerKey > 1 && table && !table->hasSortKey)
        error(f.path("sortKeysPerKey"), "table " + quote(table->name) + " has no sort key");
    if (known && out.type == KeyDistributionSpec::Type::Zipf)
        readNumber(f.required("exponent"), f.path("exponent"), out.exponent, above(0));
    if (known && out.type == KeyDistributionSpec::Type::HotKey) {
        if (readInteger(f.required("hotKeys"), f.path("hotKeys"), out.hotKeys, atLeast(1)) && hasCardinality
            && out.hotKeys > out.cardinality)
            error(f.path("hotKeys"), "must be <= cardinality (" + std::to_string(out.cardinality) + ")");
        readNumber(f.required("hotShare"), f.path("hotShare"), out.hotShare, between(0, 1));
    }
    if (known)
        f.finish();
}

bool ScenarioParser::readDistributionValue(
    const json::value* v, const std::string& path, DistributionKind kind, double& out, bool positive)
{
    if (kind == DistributionKind::Duration) {
        SimTime duration = 0;
        if (!readDuration(v, path, duration, positive))
            return false;
        out = static_cast<double>(duration);
        return true;
    }
    if (kind == DistributionKind::ItemSize) {
        std::int64_t bytes = 0;
        const Bounds bounds = positive ? Bounds { 0.0, true, static_cast<double>(kMaxItemSizeBytes), false }
                                       : between(1, static_cast<double>(kMaxItemSizeBytes));
        if (!readSize(v, path, bytes, bounds))
            return false;
        out = static_cast<double>(bytes);
        return true;
    }
    if (positive)
        return readNumber(v, path, out, above(0));
    std::int64_t count = 0;
    if (!readInteger(v, path, count, atLeast(1)))
        return false;
    out = static_cast<double>(count);
    return true;
}

void ScenarioParser::parseDistribution(
    const json::value* v, const std::string& path, DistributionKind kind, SizeDistributionSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::string type;
    if (!readString(f.required("type"), f.path("type"), type))
        return;
    if (type == "fixed") {
        out.type = SizeDistributionSpec::Type::Fixed;
        const char* field = kind == DistributionKind::ItemSize ? "size"
            : kind == DistributionKind::Duration                ? "duration"
                                                                : "count";
        readDistributionValue(f.required(field), f.path(field), kind, out.value, false);
    } else if (type == "uniform") {
        out.type = SizeDistributionSpec::Type::Uniform;
        const bool hasMin = readDistributionValue(f.required("min"), f.path("min"), kind, out.min, false);
        const bool hasMax = readDistributionValue(f.required("max"), f.path("max"), kind, out.max, false);
        if (hasMin && hasMax && out.min > out.max)
            error(f.path("max"),
                "must be >= min (" + formatNumber(kind == DistributionKind::Duration ? out.min / static_cast<double>(kSimSecond) : out.min)
                    + (kind == DistributionKind::Duration ? " s)" : ")"));
    } else if (type == "lognormal") {
        out.type = SizeDistributionSpec::Type::LogNormal;
        readDistributionValue(f.required("median"), f.path("median"), kind, out.median, true);
        readNumber(f.required("sigma"), f.path("sigma"), out.sigma, atLeast(0));
    } else {
        error(f.path("type"), "must be \"fixed\", \"uniform\" or \"lognormal\"");
        return;
    }
    f.finish();
}

void ScenarioParser::parseValueDistribution(const json::value& v, const std::string& path, ValueDistributionSpec& out)
{
    const auto* o = asObject(&v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::string type;
    if (!readString(f.required("type"), f.path("type"), type))
        return;
    if (type == "uniform") {
        out.type = ValueDistributionSpec::Type::Uniform;
        readInteger(f.required("cardinality"), f.path("cardinality"), out.cardinality, atLeast(1));
    } else if (type == "choice") {
        out.type = ValueDistributionSpec::Type::Choice;
        const std::string valuesPath = f.path("values");
        if (const auto* values = asArray(f.required("values"), valuesPath)) {
            if (values->empty())
                error(valuesPath, "must list at least one value");
            for (std::size_t i = 0; i < values->size(); ++i) {
                const json::value& value = (*values)[i];
                const std::string valuePath = indexPath(valuesPath, i);
                if (value.is_string()) {
                    out.values.push_back(AttributeValue::string(std::string(value.get_string())));
                } else if (value.is_bool()) {
                    out.values.push_back(AttributeValue::boolean(value.get_bool()));
                } else if (value.is_number()) {
                    std::string text;
                    if (value.is_int64())
                        text = std::to_string(value.get_int64());
                    else if (value.is_uint64())
                        text = std::to_string(value.get_uint64());
                    else
                        text = formatNumber(value.get_double());
                    auto number = Number::parse(text);
                    if (number)
                        out.values.push_back(AttributeValue::number(std::move(number).value()));
                    else
                        error(valuePath, number.status().message());
                } else if (value.is_object()) {
                    auto decoded = attributeValueFromJson(value, valuePath);
                    if (decoded)
                        out.values.push_back(std::move(decoded).value());
                    else
                        error(valuePath, "not a DynamoDB JSON value: " + decoded.status().message());
                } else {
                    error(valuePath, "must be a string, number, boolean or DynamoDB JSON value like {\"S\":\"x\"}");
                }
            }
        }
        const std::string weightsPath = f.path("weights");
        if (const auto* weights = asArray(f.optional("weights"), weightsPath)) {
            double total = 0;
            bool valid = true;
            for (std::size_t i = 0; i < weights->size(); ++i) {
                double weight = 0;
                if (readNumber(&(*weights)[i], indexPath(weightsPath, i), weight, atLeast(0))) {
                    out.weights.push_back(weight);
                    total += weight;
                } else {
                    valid = false;
                }
            }
            const auto* values = o->if_contains("values");
            if (values && values->is_array() && weights->size() != values->get_array().size())
                error(weightsPath,
                    "must have one weight per value (" + std::to_string(values->get_array().size()) + " values, "
                        + std::to_string(weights->size()) + " weights)");
            else if (valid && !weights->empty() && !(total > 0))
                error(weightsPath, "must not all be 0");
        }
    } else {
        error(f.path("type"), "must be \"choice\" or \"uniform\"");
        return;
    }
    f.finish();
}

// ---- rate patterns ----

void ScenarioParser::parseRatePattern(const json::value* v, const std::string& path, RatePatternSpec& out)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    std::string arrivals;
    if (readString(f.optional("arrivals"), f.path("arrivals"), arrivals)) {
        if (arrivals == "uniform" || arrivals == "poisson")
            out.uniformArrivals = arrivals == "uniform";
        else
            error(f.path("arrivals"), "must be \"poisson\" or \"uniform\"");
    }
    std::string type;
    if (!readString(f.required("type"), f.path("type"), type))
        return;
    const Bounds rate = atLeast(0);
    if (type == "constant") {
        out.type = RatePatternSpec::Type::Constant;
        readNumber(f.required("rate"), f.path("rate"), out.rate, rate);
    } else if (type == "step") {
        out.type = RatePatternSpec::Type::Step;
        readNumber(f.required("from"), f.path("from"), out.from, rate);
        readNumber(f.required("to"), f.path("to"), out.to, rate);
        readDuration(f.required("at"), f.path("at"), out.at);
    } else if (type == "ramp") {
        out.type = RatePatternSpec::Type::Ramp;
        readNumber(f.required("from"), f.path("from"), out.from, rate);
        readNumber(f.required("to"), f.path("to"), out.to, rate);
        readDuration(f.required("start"), f.path("start"), out.start);
        readDuration(f.required("over"), f.path("over"), out.over);
    } else if (type == "spike") {
        out.type = RatePatternSpec::Type::Spike;
        readNumber(f.required("base"), f.path("base"), out.base, rate);
        readNumber(f.required("peak"), f.path("peak"), out.peak, rate);
        readDuration(f.required("at"), f.path("at"), out.at);
        readDuration(f.required("duration"), f.path("duration"), out.duration);
    } else if (type == "diurnal") {
        out.type = RatePatternSpec::Type::Diurnal;
        readNumber(f.required("mean"), f.path("mean"), out.mean, rate);
        readNumber(f.required("amplitude"), f.path("amplitude"), out.amplitude, between(0, 1));
        readDuration(f.required("peakAt"), f.path("peakAt"), out.peakAt);
        readDuration(f.optional("period"), f.path("period"), out.period, true);
    } else if (type == "trace") {
        out.type = RatePatternSpec::Type::Trace;
        const std::size_t before = m_errors.size();
        if (readString(f.required("file"), f.path("file"), out.file) && out.file.empty())
            error(f.path("file"), "must not be empty");
        if (readString(f.required("column"), f.path("column"), out.column) && out.column.empty())
            error(f.path("column"), "must not be empty");
        readDuration(f.required("interval"), f.path("interval"), out.interval, true);
        std::string values;
        if (readString(f.optional("values"), f.path("values"), values)) {
            if (values == "count" || values == "rate")
                out.valuesAreRates = values == "rate";
            else
                error(f.path("values"), "must be \"count\" or \"rate\"");
        }
        if (m_errors.size() == before)
            loadTrace(path, out);
    } else if (type == "sum") {
        out.type = RatePatternSpec::Type::Sum;
        const std::string ofPath = f.path("of");
        if (const auto* of = asArray(f.required("of"), ofPath)) {
            if (of->empty())
                error(ofPath, "must list at least one pattern");
            for (std::size_t i = 0; i < of->size(); ++i) {
                RatePatternSpec part;
                parseRatePattern(&(*of)[i], indexPath(ofPath, i), part);
                out.of.push_back(std::move(part));
            }
        }
    } else {
        error(f.path("type"), "must be \"constant\", \"step\", \"ramp\", \"spike\", \"diurnal\", \"trace\" or \"sum\"");
        return;
    }
    f.finish();
}

void ScenarioParser::loadTrace(const std::string& path, RatePatternSpec& out)
{
    const std::string filePath = childPath(path, "file");
    std::filesystem::path file(out.file);
    if (file.is_relative())
        file = std::filesystem::path(m_baseDirectory) / file;
    out.file = file.string();
    std::error_code ec;
    std::string text;
    if (!std::filesystem::is_regular_file(file, ec) || !readWholeFile(file, text)) {
        error(filePath, "cannot read trace file " + quote(out.file));
        return;
    }
    if (text.starts_with("\xEF\xBB\xBF"))
        text.erase(0, 3);

    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    const std::string fileName = file.filename().string();
    std::size_t headerLine = 0;
    while (headerLine < lines.size() && trim(lines[headerLine]).empty())
        ++headerLine;
    if (headerLine == lines.size()) {
        error(filePath, fileName + " is empty (expected a header row naming the columns)");
        return;
    }
    const auto header = splitCsvLine(lines[headerLine]);
    const auto column = std::find(header.begin(), header.end(), out.column);
    if (column == header.end()) {
        std::string names;
        for (const auto& name : header)
            names += (names.empty() ? "" : ", ") + quote(name);
        error(childPath(path, "column"),
            "no column " + quote(out.column) + " in the header of " + fileName + " (columns: " + names + ")");
        return;
    }
    const auto columnIndex = static_cast<std::size_t>(column - header.begin());
    const double intervalSeconds = static_cast<double>(out.interval) / static_cast<double>(kSimSecond);
    std::vector<double> rates;
    bool valid = true;
    for (std::size_t i = headerLine + 1; i < lines.size(); ++i) {
        if (trim(lines[i]).empty())
            continue;
        const std::string where = fileName + " line " + std::to_string(i + 1) + ": ";
        const auto cells = splitCsvLine(lines[i]);
        if (columnIndex >= cells.size()) {
            error(filePath, where + "no value in column " + quote(out.column));
            valid = false;
            continue;
        }
        double value = 0;
        if (!parseDouble(cells[columnIndex], value)) {
            error(filePath, where + quote(cells[columnIndex]) + " in column " + quote(out.column) + " is not a number");
            valid = false;
            continue;
        }
        if (value < 0) {
            error(
                filePath, where + "value " + cells[columnIndex] + " in column " + quote(out.column) + " must be >= 0");
            valid = false;
            continue;
        }
        rates.push_back(out.valuesAreRates ? value : value / intervalSeconds);
    }
    if (valid && rates.empty())
        error(filePath, fileName + " has no data rows below its header");
    out.traceRates = std::move(rates);
}

// ---- events ----

void ScenarioParser::parseEvent(const json::value& v, const std::string& path, EventSpec& out)
{
    const auto* o = asObject(&v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    if (readDuration(f.required("at"), f.path("at"), out.at) && m_duration && out.at > *m_duration)
        error(f.path("at"), "must be within the scenario duration");
    std::string action;
    if (!readString(f.required("action"), f.path("action"), action))
        return;

    auto readTable = [&] {
        if (readString(f.required("table"), f.path("table"), out.table) && !findTable(out.table))
            error(f.path("table"), "no table named " + quote(out.table) + " in tables");
    };
    if (action == "updateTable") {
        out.action = EventSpec::Action::UpdateTable;
        readTable();
        if (const auto* p = f.optional("provisioned"))
            parseProvisioned(p, f.path("provisioned"), out.provisionedRead, out.provisionedWrite, false);
        std::string text;
        if (readString(f.optional("billingMode"), f.path("billingMode"), text)) {
            BillingMode mode;
            if (parseBillingMode(text, mode))
                out.billingMode = mode;
            else
                error(f.path("billingMode"), "must be \"PROVISIONED\" or \"PAY_PER_REQUEST\"");
        }
        if (readString(f.optional("tableClass"), f.path("tableClass"), text)) {
            TableClass tableClass;
            if (parseTableClass(text, tableClass))
                out.tableClass = tableClass;
            else
                error(f.path("tableClass"), "must be \"STANDARD\" or \"STANDARD_INFREQUENT_ACCESS\"");
        }
        if (!f.has("provisioned") && !f.has("billingMode") && !f.has("tableClass"))
            error(path, "updateTable must set provisioned, billingMode or tableClass");
        if (f.has("provisioned") && out.billingMode == BillingMode::PayPerRequest)
            error(f.path("provisioned"), "not allowed with billingMode PAY_PER_REQUEST");
    } else if (action == "setAutoScaling") {
        out.action = EventSpec::Action::SetAutoScaling;
        readTable();
        out.autoScaling = parseAutoScaling(f.required("autoScaling"), f.path("autoScaling"));
    } else if (action == "setWorkloadRate") {
        out.action = EventSpec::Action::SetWorkloadRate;
        if (readString(f.required("workload"), f.path("workload"), out.workload)
            && !m_workloadNames.contains(out.workload))
            error(f.path("workload"), "no workload named " + quote(out.workload));
        RatePatternSpec rate;
        parseRatePattern(f.required("rate"), f.path("rate"), rate);
        out.rate = std::move(rate);
    } else if (action == "createIndex") {
        out.action = EventSpec::Action::CreateIndex;
        readTable();
        const TableInfo* table = findTable(out.table);
        TableInfo scratch = table ? *table : TableInfo {};
        IndexSpec index;
        index.kind = IndexKind::Global;
        if (parseIndex(f.required("index"), f.path("index"), IndexKind::Global, index, scratch)) {
            if (table && table->findIndex(index.name))
                error(f.path("index") + ".name", "table " + quote(out.table) + " already has an index named " + quote(index.name));
            m_createdIndexes.emplace_back(out.table, index.name);
            out.index = std::move(index);
        }
    } else if (action == "deleteIndex") {
        out.action = EventSpec::Action::DeleteIndex;
        readTable();
        if (readString(f.required("name"), f.path("name"), out.indexName)) {
            const TableInfo* table = findTable(out.table);
            const IndexInfo* declared = table ? table->findIndex(out.indexName) : nullptr;
            const bool created = std::find(m_createdIndexes.begin(), m_createdIndexes.end(),
                                     std::pair<std::string, std::string>(out.table, out.indexName))
                != m_createdIndexes.end();
            if (declared && !declared->global)
                error(f.path("name"), quote(out.indexName) + " is a local secondary index; only global secondary indexes can be deleted");
            else if (table && !declared && !created)
                error(f.path("name"), "no global secondary index named " + quote(out.indexName) + " on table " + quote(out.table));
        }
    } else if (action == "updateTimeToLive" || action == "createBackup" || action == "restoreTable"
        || action == "exportTable" || action == "importTable") {
        parseLifecycleEvent(f, path, action, out);
    } else if (action == "regionOutage") {
        parseRegionOutage(f, out);
    } else {
        error(f.path("action"),
            "must be \"updateTable\", \"setAutoScaling\", \"setWorkloadRate\", \"regionOutage\", \"createIndex\", "
            "\"deleteIndex\", \"updateTimeToLive\", \"createBackup\", \"restoreTable\", \"exportTable\" or "
            "\"importTable\"");
        return;
    }
    // What capsim does not model on a global table yet: changes that DynamoDB applies to every
    // replica (capacity and auto scaling of provisioned replicas, indexes, TTL; reference A11).
    const bool changesEveryReplica = out.action == EventSpec::Action::UpdateTable
        || out.action == EventSpec::Action::SetAutoScaling || out.action == EventSpec::Action::CreateIndex
        || out.action == EventSpec::Action::DeleteIndex || out.action == EventSpec::Action::UpdateTimeToLive;
    if (const TableInfo* table = findTable(out.table); changesEveryReplica && table && !table->replicas.empty())
        error(f.path("action"),
            std::string(kNotSupported) + " (" + action + " on table " + quote(out.table)
                + ", which has replicas: capsim does not yet apply it to every replica)");
    f.finish();
}

// ---- data lifecycle: TTL, streams, PITR, backups, export and import ----

namespace {

bool validResourceName(const std::string& name)
{
    // Table, index and backup names: 3 to 255 of [A-Za-z0-9_.-].
    return name.size() >= 3 && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

std::string keySchemaText(const TableInfo& t)
{
    std::string text = t.partitionKeyElement
        ? t.partitionKeyElement->name + " (" + attrTypeName(t.partitionKeyElement->type) + ")"
        : std::string("?");
    if (t.sortKeyElement)
        text += ", sort key " + t.sortKeyElement->name + " (" + attrTypeName(t.sortKeyElement->type) + ")";
    return text;
}

bool sameKeySchema(const TableInfo& a, const TableInfo& b)
{
    auto same = [](const std::optional<KeyElement>& x, const std::optional<KeyElement>& y) {
        return x.has_value() == y.has_value() && (!x || (x->name == y->name && x->type == y->type));
    };
    return same(a.partitionKeyElement, b.partitionKeyElement) && same(a.sortKeyElement, b.sortKeyElement);
}

} // namespace

void ScenarioParser::parseTtl(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    Fields f(*this, *o, path);
    TtlSpec ttl;
    const std::string attributePath = f.path("attribute");
    if (readString(f.required("attribute"), attributePath, ttl.attribute)) {
        if (ttl.attribute.empty() || ttl.attribute.size() > 255)
            error(attributePath, "must be 1 to 255 characters");
        else if (ttl.attribute == "p")
            error(attributePath, "\"p\" is the payload attribute of generated items, not a TTL attribute");
        else {
            out.ttl = ttl;
            info.ttlAttribute = ttl.attribute;
        }
    }
    f.finish();
}

void ScenarioParser::parsePitr(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info)
{
    if (!v)
        return;
    PitrSpec pitr;
    if (v->is_bool()) {
        if (!v->get_bool())
            return;
    } else if (v->is_object()) {
        Fields f(*this, v->get_object(), path);
        if (!readInteger(f.optional("recoveryPeriodDays"), f.path("recoveryPeriodDays"), pitr.recoveryPeriodDays,
                between(1, static_cast<double>(kMaxRecoveryPeriodDays)))
            && f.has("recoveryPeriodDays")) {
            f.finish();
            return;
        }
        f.finish();
    } else {
        error(path, "must be true, false or {\"recoveryPeriodDays\": 1..35}");
        return;
    }
    out.pitr = pitr;
    info.pitr = true;
    info.recoveryPeriodDays = pitr.recoveryPeriodDays;
}

void ScenarioParser::parseDax(const json::value* v, const std::string& path, TableSpec& out, TableInfo& info)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    const std::size_t before = m_errors.size();
    Fields f(*this, *o, path);
    DaxSpec dax;
    if (readString(f.optional("nodeType"), f.path("nodeType"), dax.nodeType) && !daxNodeType(dax.nodeType))
        error(f.path("nodeType"), "must be a DAX node type: " + daxNodeTypeList());
    // A cluster has 1 primary and up to 10 read replicas (Part C 11).
    readInteger(f.optional("nodes"), f.path("nodes"), dax.nodes, between(1, 11));
    readDuration(f.optional("itemTtl"), f.path("itemTtl"), dax.itemTtl);
    readDuration(f.optional("queryTtl"), f.path("queryTtl"), dax.queryTtl);
    f.finish();
    if (m_errors.size() != before)
        return;
    out.dax = dax;
    info.dax = true;
}

void ScenarioParser::parseStreams(const json::value* v, const std::string& path, TableSpec& out, const TableInfo& info)
{
    const auto* o = asObject(v, path);
    if (!o)
        return;
    const std::size_t before = m_errors.size();
    Fields f(*this, *o, path);
    StreamSpec stream;
    if (readString(f.required("viewType"), f.path("viewType"), stream.viewType) && stream.viewType != "KEYS_ONLY"
        && stream.viewType != "NEW_IMAGE" && stream.viewType != "OLD_IMAGE" && stream.viewType != "NEW_AND_OLD_IMAGES")
        error(f.path("viewType"), "must be \"KEYS_ONLY\", \"NEW_IMAGE\", \"OLD_IMAGE\" or \"NEW_AND_OLD_IMAGES\"");
    const std::string consumersPath = f.path("consumers");
    if (const auto* consumers = asArray(f.optional("consumers"), consumersPath)) {
        std::set<std::string, std::less<>> names;
        for (std::size_t i = 0; i < consumers->size(); ++i) {
            const std::string cPath = indexPath(consumersPath, i);
            const auto* c = asObject(&(*consumers)[i], cPath);
            if (!c)
                continue;
            Fields cf(*this, *c, cPath);
            StreamConsumerSpec consumer;
            consumer.processingTime = { SizeDistributionSpec::Type::Fixed, 0 };
            if (readString(cf.required("name"), cf.path("name"), consumer.name)) {
                if (consumer.name.empty())
                    error(cf.path("name"), "must not be empty");
                else if (!names.insert(consumer.name).second)
                    error(cf.path("name"), "duplicate consumer name " + quote(consumer.name) + " on table " + quote(info.name));
            }
            std::string kind;
            if (readString(cf.required("kind"), cf.path("kind"), kind)) {
                if (kind == "lambda")
                    consumer.kind = StreamConsumerSpec::Kind::Lambda;
                else if (kind == "client")
                    consumer.kind = StreamConsumerSpec::Kind::Client;
                else if (kind == "kinesis")
                    consumer.kind = StreamConsumerSpec::Kind::Kinesis;
                else
                    error(cf.path("kind"), "must be \"lambda\", \"client\" or \"kinesis\"");
            }
            readInteger(cf.optional("batchSize"), cf.path("batchSize"), consumer.batchSize,
                between(1, static_cast<double>(kMaxGetRecordsLimit)));
            readDuration(cf.optional("pollInterval"), cf.path("pollInterval"), consumer.pollInterval, true);
            parseDistribution(cf.optional("processingTime"), cf.path("processingTime"), DistributionKind::Duration,
                consumer.processingTime);
            std::string writesTo;
            if (readString(cf.optional("writesTo"), cf.path("writesTo"), writesTo)) {
                if (writesTo == info.name)
                    error(cf.path("writesTo"), "must be another table than " + quote(info.name) + " (the table of the stream)");
                else
                    m_pendingWritesTo.push_back({ cf.path("writesTo"), info.name, writesTo });
                // The pipeline writes each record's NewImage (reference A7).
                if (stream.viewType == "KEYS_ONLY" || stream.viewType == "OLD_IMAGE")
                    error(cf.path("writesTo"), "needs the new image: the stream viewType must be \"NEW_IMAGE\" or "
                        "\"NEW_AND_OLD_IMAGES\" (it is " + quote(stream.viewType) + ")");
                consumer.writesTo = writesTo;
            }
            std::string sink;
            if (readString(cf.optional("sink"), cf.path("sink"), sink)) {
                if (sink.empty()) {
                    error(cf.path("sink"), "must name a folder");
                } else {
                    std::filesystem::path folder(sink);
                    if (folder.is_relative())
                        folder = std::filesystem::path(m_baseDirectory) / folder;
                    std::error_code ec;
                    if (std::filesystem::exists(folder, ec) && !std::filesystem::is_directory(folder, ec))
                        error(cf.path("sink"), quote(folder.string()) + " exists and is not a folder");
                    consumer.sink = folder.string();
                }
            }
            cf.finish();
            stream.consumers.push_back(std::move(consumer));
        }
    }
    f.finish();
    if (m_errors.size() != before)
        return;
    out.streams = std::move(stream);
    if (!kSimulatorRunsStreams)
        error(path, std::string(kNotSupported) + " (the simulator does not run streams and their consumers yet)");
}

bool ScenarioParser::checkNewTableName(const std::string& name, const std::string& path)
{
    if (!validResourceName(name)) {
        error(path, "must be 3 to 255 characters, each a letter, a digit, _, . or -");
        return false;
    }
    if (findTable(name) || !m_newTableNames.insert(name).second) {
        // A restore or import always creates a new table (reference A8, A9).
        error(path, "table " + quote(name) + " already exists (restoreTable and importTable create a new table)");
        return false;
    }
    return true;
}

void ScenarioParser::parseLifecycleEvent(Fields& f, const std::string& path, const std::string& action, EventSpec& out)
{
    // The table an event names; nullptr when absent or unknown (error recorded).
    auto readTable = [&]() -> const TableInfo* {
        if (!readString(f.required("table"), f.path("table"), out.table))
            return nullptr;
        const TableInfo* table = findTable(out.table);
        if (!table)
            error(f.path("table"), "no table named " + quote(out.table) + " in tables");
        return table;
    };
    auto needsPitr = [&](const TableInfo* table, const char* what) {
        if (table && !table->pitr)
            error(f.path("table"),
                std::string(what) + " needs point-in-time recovery on table " + quote(table->name)
                    + " (set its \"pitr\"; DynamoDB answers PointInTimeRecoveryUnavailableException)");
    };
    auto readPointInTime = [&](bool required) {
        const std::string pitPath = f.path("pointInTime");
        SimTime point = 0;
        if (!readDuration(required ? f.required("pointInTime") : f.optional("pointInTime"), pitPath, point))
            return;
        if (point > out.at)
            error(pitPath, "must not be after the event time (at " + formatNumber(static_cast<double>(out.at) / static_cast<double>(kSimSecond)) + " s)");
        else
            out.pointInTime = point;
    };
    if (action == "updateTimeToLive") {
        out.action = EventSpec::Action::UpdateTimeToLive;
        readTable();
        readBool(f.required("enabled"), f.path("enabled"), out.ttlEnabled);
        if (readString(f.required("attribute"), f.path("attribute"), out.ttlAttribute)
            && (out.ttlAttribute.empty() || out.ttlAttribute.size() > 255))
            error(f.path("attribute"), "must be 1 to 255 characters");
    } else if (action == "createBackup") {
        out.action = EventSpec::Action::CreateBackup;
        readTable();
        if (readString(f.required("name"), f.path("name"), out.backupName)) {
            if (!validResourceName(out.backupName))
                error(f.path("name"), "must be 3 to 255 characters, each a letter, a digit, _, . or -");
            else
                m_backups.push_back({ out.backupName, out.table, out.at });
        }
    } else if (action == "restoreTable") {
        out.action = EventSpec::Action::RestoreTable;
        const bool fromBackup = f.has("backup");
        const bool fromTable = f.has("table");
        if (fromBackup == fromTable) {
            f.allow("backup");
            f.allow("table");
            f.allow("pointInTime");
            error(path, "restoreTable needs either \"backup\" or \"table\" with \"pointInTime\"");
        } else if (fromBackup) {
            if (readString(f.required("backup"), f.path("backup"), out.backupName)) {
                // Backups are named by createBackup events at or before this one (names need not be unique).
                const bool known = std::any_of(m_backups.begin(), m_backups.end(),
                    [&](const DeclaredBackup& b) { return b.name == out.backupName && b.at <= out.at; });
                if (!known)
                    error(f.path("backup"),
                        "no createBackup event named " + quote(out.backupName) + " at or before this event");
            }
            if (f.has("pointInTime"))
                error(f.path("pointInTime"), "only allowed with \"table\" (a backup restores the table as it was when backed up)");
            f.allow("pointInTime");
        } else {
            needsPitr(readTable(), "restoreTable with pointInTime");
            readPointInTime(true);
        }
        if (readString(f.required("target"), f.path("target"), out.target) && checkNewTableName(out.target, f.path("target"))) {
            // What the restore makes, for workloads on it: the source's keys and indexes; no TTL,
            // streams or PITR (reference A8).
            std::string sourceName = out.table;
            if (fromBackup)
                for (const auto& b : m_backups)
                    if (b.name == out.backupName && b.at <= out.at)
                        sourceName = b.table;
            if (const TableInfo* source = findTable(sourceName)) {
                TableInfo target = *source;
                target.name = out.target;
                target.ttlAttribute.clear();
                target.pitr = false;
                m_laterTables.push_back(std::move(target));
            }
        }
    } else if (action == "exportTable") {
        out.action = EventSpec::Action::ExportTable;
        needsPitr(readTable(), "exportTable");
        if (readString(f.optional("format"), f.path("format"), out.exportFormat) && out.exportFormat != "DYNAMODB_JSON"
            && out.exportFormat != "ION")
            error(f.path("format"), "must be \"DYNAMODB_JSON\" or \"ION\"");
        std::string type;
        if (readString(f.optional("type"), f.path("type"), type)) {
            if (type == "FULL_EXPORT" || type == "INCREMENTAL_EXPORT")
                out.incrementalExport = type == "INCREMENTAL_EXPORT";
            else
                error(f.path("type"), "must be \"FULL_EXPORT\" or \"INCREMENTAL_EXPORT\"");
        }
        // FULL_EXPORT: pointInTime is the ExportTime (default: the event's time). INCREMENTAL_EXPORT:
        // it is the ExportFromTime, and the event's time the ExportToTime.
        readPointInTime(out.incrementalExport);
        if (out.incrementalExport && out.pointInTime) {
            const SimTime window = out.at - *out.pointInTime;
            if (window < kMinIncrementalWindow || window > kMaxIncrementalWindow)
                error(f.path("pointInTime"),
                    "the window of an INCREMENTAL_EXPORT (from pointInTime to the event time) must be 15 minutes to 24 "
                    "hours (it is " + formatNumber(static_cast<double>(window) / static_cast<double>(kSimSecond)) + " s)");
        }
    } else {
        out.action = EventSpec::Action::ImportTable;
        if (readString(f.required("source"), f.path("source"), out.importSource)) {
            std::filesystem::path folder(out.importSource);
            if (folder.is_relative())
                folder = std::filesystem::path(m_baseDirectory) / folder;
            std::error_code ec;
            if (out.importSource.empty() || !std::filesystem::is_directory(folder, ec))
                error(f.path("source"), "no such folder: " + quote(folder.string()));
            out.importSource = folder.string();
        }
        if (readString(f.required("format"), f.path("format"), out.exportFormat) && out.exportFormat != "CSV"
            && out.exportFormat != "DYNAMODB_JSON" && out.exportFormat != "ION")
            error(f.path("format"), "must be \"CSV\", \"DYNAMODB_JSON\" or \"ION\"");
        if (readString(f.optional("compression"), f.path("compression"), out.importCompression)
            && out.importCompression != "NONE" && out.importCompression != "GZIP" && out.importCompression != "ZSTD")
            error(f.path("compression"), "must be \"NONE\", \"GZIP\" or \"ZSTD\"");
        const std::string targetPath = f.path("target");
        if (const auto* target = f.required("target")) {
            TableSpec table;
            TableInfo info;
            const std::size_t before = m_errors.size();
            parseTable(*target, targetPath, table, info);
            if (target->is_object()) {
                // ImportTable's TableCreationParameters: keys, billing mode, capacity, GSIs (reference A9).
                for (const char* field : { "initialData", "localSecondaryIndexes", "ttl", "streams", "pitr", "tableClass" })
                    if (target->get_object().contains(field))
                        error(childPath(targetPath, field),
                            "not allowed on an importTable target (ImportTable creates the table from its source)");
            }
            // DAX clusters front the scenario's own tables only (reference A10).
            if (target->is_object() && target->get_object().contains("dax"))
                error(childPath(targetPath, "dax"), "not allowed on an importTable target (DAX fronts tables of tables[] only)");
            if (!info.name.empty() && validResourceName(info.name))
                checkNewTableName(info.name, childPath(targetPath, "name"));
            if (m_errors.size() == before) {
                out.importTarget = std::move(table);
                m_laterTables.push_back(info);
            }
        }
    }
}

void ScenarioParser::collectLaterTableNames(const json::value* events)
{
    if (!events || !events->is_array())
        return;
    for (const auto& e : events->get_array()) {
        if (!e.is_object())
            continue;
        const auto& o = e.get_object();
        const auto* action = o.if_contains("action");
        const auto* target = o.if_contains("target");
        if (!action || !action->is_string() || !target)
            continue;
        if (action->get_string() == "restoreTable" && target->is_string())
            m_laterTableNames.insert(std::string(target->get_string()));
        else if (action->get_string() == "importTable" && target->is_object())
            if (const auto* name = target->get_object().if_contains("name"); name && name->is_string())
                m_laterTableNames.insert(std::string(name->get_string()));
    }
}

void ScenarioParser::parseDeferredWorkloads(const json::array& workloads, Scenario& s)
{
    m_includeLaterTables = true;
    m_deferredPass = true;
    for (std::size_t i : m_deferredWorkloads) {
        const std::size_t ttlBefore = m_pendingTtlWorkloads.size();
        parseWorkload(workloads[i], indexPath("workloads", i), i, s.workloads[i]);
        if (m_pendingTtlWorkloads.size() > ttlBefore) {
            // A restore or an import makes a table without TTL (reference A8, A9).
            error(m_pendingTtlWorkloads.back().path,
                "table " + quote(s.workloads[i].table)
                    + " is made by a restoreTable or importTable event, which gives it no TTL; ttlSeconds needs a table with TTL");
            m_pendingTtlWorkloads.resize(ttlBefore);
        }
    }
    m_deferredPass = false;
    m_includeLaterTables = false;
}

void ScenarioParser::checkPendingLifecycle(Scenario& s)
{
    for (const auto& w : m_pendingWritesTo) {
        const TableInfo* target = findTable(w.target);
        const TableInfo* source = findTable(w.sourceTable);
        if (!target)
            error(w.path, "no table named " + quote(w.target) + " in tables");
        else if (source && !sameKeySchema(*source, *target))
            error(w.path,
                "table " + quote(w.target) + " must have the key schema of " + quote(w.sourceTable) + " ("
                    + keySchemaText(*source) + "; it has " + keySchemaText(*target) + ")");
    }
    for (const auto& pending : m_pendingTtlWorkloads) {
        WorkloadSpec& w = s.workloads[pending.workload];
        const TableInfo* table = findTable(w.table);
        if (!table)
            continue;
        // The table's TTL attribute, or the one its first updateTimeToLive event enables.
        std::string attribute = table->ttlAttribute;
        if (attribute.empty())
            for (const auto& e : s.events)
                if (e.action == EventSpec::Action::UpdateTimeToLive && e.table == table->name && e.ttlEnabled) {
                    attribute = e.ttlAttribute;
                    break;
                }
        if (attribute.empty()) {
            error(pending.path,
                "table " + quote(table->name)
                    + " has no TTL attribute (set its \"ttl\", or enable TTL with an updateTimeToLive event)");
            continue;
        }
        if (table->keyTypes.contains(attribute))
            error(pending.path,
                "the TTL attribute " + quote(attribute) + " of table " + quote(table->name)
                    + " is a key attribute; generated items cannot carry an expiry there");
        else if (w.attributes.contains(attribute))
            error(pending.path,
                "the TTL attribute " + quote(attribute) + " is also one of the workload attributes; set one or the other");
        w.ttlAttribute = attribute;
    }
}

// ---- global tables (reference A11) ----

namespace {

// An AWS region name: "<area>-<part>...-<number>", lower-case letters and one trailing number
// ("us-east-1", "eu-central-2", "ap-southeast-1", "us-gov-west-1").
bool validRegionName(std::string_view name)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto dash = name.find('-', start);
        parts.push_back(name.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
        if (dash == std::string_view::npos)
            break;
        start = dash + 1;
    }
    if (parts.size() < 3 || parts.front().size() != 2)
        return false;
    auto all = [](std::string_view part, auto predicate) {
        return !part.empty() && std::all_of(part.begin(), part.end(), [&](char c) { return predicate(static_cast<unsigned char>(c)); });
    };
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        if (!all(parts[i], [](unsigned char c) { return std::islower(c) != 0; }))
            return false;
    return all(parts.back(), [](unsigned char c) { return std::isdigit(c) != 0; }) && parts.back().size() <= 2;
}

std::string regionList(const std::string& own, const std::vector<std::string>& replicas)
{
    std::string text = own;
    for (const auto& r : replicas)
        text += ", " + r;
    return text;
}

} // namespace

void ScenarioParser::parseReplicas(Fields& f, TableSpec& out, TableInfo& info)
{
    const std::string path = f.path("replicas");
    const auto* array = asArray(f.optional("replicas"), path);
    if (!array || array->empty())
        return;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string itemPath = indexPath(path, i);
        std::string region;
        if (!readString(&(*array)[i], itemPath, region))
            continue;
        if (!validRegionName(region))
            error(itemPath, "must be an AWS region name such as \"us-west-2\" (got " + quote(region) + ")");
        else if (region == m_region)
            // DynamoDB's ValidationException for ReplicaUpdates naming the table's own region.
            error(itemPath,
                quote(region) + " is the region of the scenario, where the table itself is (Cannot add or delete the local "
                                "region through ReplicaUpdates)");
        else if (!seen.insert(region).second)
            error(itemPath, "duplicate region " + quote(region));
        else
            out.replicas.push_back(region);
    }
    info.replicas = out.replicas;
    // Replicated provisioned writes need auto scaling (reference A11, C 12).
    if (!out.replicas.empty() && info.mode == BillingMode::Provisioned && !(out.autoScaling && out.autoScaling->write))
        error(f.path("autoScaling") + ".write",
            "is required for a PROVISIONED table with replicas (Table write capacity should either be Pay-Per-Request "
            "or AutoScaled)");
}

void ScenarioParser::parseWorkloadRegion(Fields& f, const TableInfo* table, WorkloadSpec& out)
{
    const std::string path = f.path("region");
    if (!readString(f.optional("region"), path, out.region))
        return;
    if (out.region == m_region || !table)
        return;
    if (std::find(table->replicas.begin(), table->replicas.end(), out.region) == table->replicas.end())
        error(path,
            "table " + quote(table->name) + " has no replica in " + quote(out.region) + " (its regions: "
                + regionList(m_region, table->replicas) + ")");
}

void ScenarioParser::parseRegionOutage(Fields& f, EventSpec& out)
{
    out.action = EventSpec::Action::RegionOutage;
    const bool hasDuration = readDuration(f.required("duration"), f.path("duration"), out.duration, true);
    if (!readString(f.required("region"), f.path("region"), out.region))
        return;
    std::vector<std::string> regions;
    for (const auto& t : m_tables)
        for (const auto& r : t.replicas)
            if (std::find(regions.begin(), regions.end(), r) == regions.end())
                regions.push_back(r);
    // The scenario's region holds a replica of every global table (their first replica).
    if (regions.empty())
        error(f.path("region"), "no table has replicas (a regionOutage needs a global table: tables[].replicas)");
    else if (out.region != m_region && std::find(regions.begin(), regions.end(), out.region) == regions.end())
        error(f.path("region"),
            "no table has a replica in " + quote(out.region) + " (regions with replicas: " + regionList(m_region, regions) + ")");
    else if (hasDuration) {
        for (const auto& [region, start, end, event] : m_outages)
            if (region == out.region && out.at < end && start < out.at + out.duration)
                error(f.path("at"), "overlaps the outage of " + quote(region) + " in events[" + std::to_string(event) + "]");
        m_outages.emplace_back(out.region, out.at, out.at + out.duration, m_eventIndex);
    }
}

// Line and column (1-based) of a syntax error, found by feeding the text to a stream parser,
// which tells how far it got.
std::string syntaxErrorPosition(std::string_view text)
{
    json::parse_options options;
    options.max_depth = 256;
    json::stream_parser parser({}, options);
    boost::system::error_code ec;
    const std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
    if (!ec)
        parser.finish(ec);
    const std::size_t offset = std::min(consumed, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace

LoadResult loadScenarioText(std::string_view jsonText, const std::string& baseDirectory)
{
    try {
        json::value root;
        std::string parseError;
        if (!parseJsonText(jsonText, root, parseError)) {
            LoadResult result;
            result.errors.push_back({ "", "not valid JSON at " + syntaxErrorPosition(jsonText) + ": " + parseError });
            return result;
        }
        ScenarioParser parser(baseDirectory);
        return parser.parse(root);
    } catch (const std::exception& e) {
        // Only allocation failure can get here; a library boundary lets no exception through.
        LoadResult result;
        result.errors.push_back({ "", std::string("internal error while loading the scenario: ") + e.what() });
        return result;
    }
}

LoadResult loadScenarioFile(const std::string& path)
{
    std::string text;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || !readWholeFile(path, text)) {
        LoadResult result;
        result.errors.push_back({ path, "cannot read the scenario file" });
        return result;
    }
    std::string base = std::filesystem::path(path).parent_path().string();
    if (base.empty())
        base = ".";
    return loadScenarioText(text, base);
}

std::string formatErrors(const std::vector<ScenarioError>& errors)
{
    std::string out;
    for (const auto& e : errors) {
        if (!e.path.empty())
            out += e.path + ": ";
        out += e.message + "\n";
    }
    return out;
}

const char* fidelityModeName(FidelitySpec::Mode mode)
{
    switch (mode) {
    case FidelitySpec::Mode::Auto: return "auto";
    case FidelitySpec::Mode::Full: return "full";
    case FidelitySpec::Mode::Sampled: return "sampled";
    case FidelitySpec::Mode::Fluid: return "fluid";
    }
    return "full";
}

std::string fidelityStepText(SimTime step)
{
    if (step % kSimSecond == 0)
        return std::to_string(step / kSimSecond) + "s";
    return std::to_string(step / 1000) + "ms";
}

} // namespace capsim
