#include "simulator/sweep_results.h"

#include "engine/json_writer.h"
#include "simulator/results_writer.h"

#include <boost/json.hpp>

#include <algorithm>

namespace capsim {

namespace json = boost::json;

namespace {

double number(const json::value* v)
{
    if (!v)
        return 0;
    if (v->is_double())
        return v->as_double();
    if (v->is_int64())
        return static_cast<double>(v->as_int64());
    if (v->is_uint64())
        return static_cast<double>(v->as_uint64());
    return 0;
}

std::int64_t count(const json::value* v)
{
    if (!v)
        return 0;
    if (v->is_int64())
        return v->as_int64();
    if (v->is_uint64())
        return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double())
        return static_cast<std::int64_t>(v->as_double());
    return 0;
}

} // namespace

const std::vector<std::string>& sweepMetricNames()
{
    static const std::vector<std::string> names { "cost", "requests", "throttled", "failed", "consumedRead",
        "consumedWrite", "readUnitHours", "writeUnitHours" };
    return names;
}

std::optional<double> sweepMetric(const SweepMetrics& m, std::string_view name)
{
    if (name == "cost")
        return m.costUsd;
    if (name == "requests")
        return static_cast<double>(m.requests);
    if (name == "throttled")
        return static_cast<double>(m.throttled);
    if (name == "failed")
        return static_cast<double>(m.failed);
    if (name == "consumedRead")
        return m.consumedReadUnits;
    if (name == "consumedWrite")
        return m.consumedWriteUnits;
    if (name == "readUnitHours")
        return m.provisionedReadUnitHours;
    if (name == "writeUnitHours")
        return m.provisionedWriteUnitHours;
    return std::nullopt;
}

bool isRequestCountMetric(std::string_view name)
{
    return name == "throttled" || name == "failed";
}

Result<SweepMetrics> sweepMetricsFromSummary(std::string_view summaryJson)
{
    json::value root;
    std::string error;
    if (!parseJsonText(summaryJson, root, error))
        return Status::validation("summary.json is not JSON: " + error);
    const json::object* summary = root.if_object();
    if (!summary || !summary->contains("format") || !(*summary).at("format").is_string()
        || (*summary).at("format").as_string() != "capsim-summary/1")
        return Status::validation("not a capsim summary (format capsim-summary/1)");
    SweepMetrics m;
    if (const auto* cost = summary->if_contains("cost"); cost && cost->is_object())
        m.costUsd = number(cost->as_object().if_contains("total"));
    const json::value* tables = summary->if_contains("tables");
    if (!tables || !tables->is_array())
        return Status::validation("summary.json has no tables");
    for (const auto& t : tables->as_array()) {
        const json::object* table = t.if_object();
        if (!table)
            continue;
        const auto both = [&](const char* field, auto read) {
            const json::value* pair = table->if_contains(field);
            if (!pair || !pair->is_object())
                return read(nullptr) + read(nullptr);
            return read(pair->as_object().if_contains("read")) + read(pair->as_object().if_contains("write"));
        };
        const auto one = [&](const char* field, const char* dimension) {
            const json::value* pair = table->if_contains(field);
            return pair && pair->is_object() ? number(pair->as_object().if_contains(dimension)) : 0.0;
        };
        m.requests += both("requests", count);
        m.throttled += both("throttled", count);
        m.failed += both("failed", count);
        m.consumedReadUnits += one("consumed", "read");
        m.consumedWriteUnits += one("consumed", "write");
        m.provisionedReadUnitHours += one("provisionedUnitHours", "read");
        m.provisionedWriteUnitHours += one("provisionedUnitHours", "write");
    }
    return m;
}

std::string sweepCsv(const std::vector<std::string>& variedPaths, std::vector<SweepRow> rows)
{
    std::sort(rows.begin(), rows.end(), [](const SweepRow& a, const SweepRow& b) { return a.point < b.point; });
    // Appended field by field: GCC 12 warns falsely (-Wrestrict, bug 105329) on "," + string.
    std::string out = "point";
    const auto field = [&out](const std::string& text) {
        out += ',';
        out += text;
    };
    for (const auto& path : variedPaths)
        field(csvField(path));
    for (const auto& name : sweepMetricNames())
        field(name);
    out += '\n';
    for (const auto& row : rows) {
        out += std::to_string(row.point + 1);
        for (const auto& value : row.values)
            field(csvField(value));
        // summary.json rounds to 9 decimals; the same here keeps the text stable across machines.
        const SweepMetrics& m = row.metrics;
        field(formatNumber(m.costUsd, 9));
        field(std::to_string(m.requests));
        field(std::to_string(m.throttled));
        field(std::to_string(m.failed));
        field(formatNumber(m.consumedReadUnits, 9));
        field(formatNumber(m.consumedWriteUnits, 9));
        field(formatNumber(m.provisionedReadUnitHours, 9));
        field(formatNumber(m.provisionedWriteUnitHours, 9));
        out += '\n';
    }
    return out;
}

} // namespace capsim
