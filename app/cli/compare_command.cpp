#include "app/cli/commands.h"

#include "app/cli/finished_run.h"
#include "engine/json_writer.h"
#include "simulator/explain.h"
#include "simulator/results_writer.h"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>

namespace capsim::cli {

namespace json = boost::json;

namespace {

const char* kCompareUsage = R"(Usage: capsim compare A B [--json]

Compares two finished runs (each a folder written by capsim run --out, or its run.sqlite): for each
table and each of its indexes, the requests, throttled and failed requests (read + write), the
consumed read and write units and the cost in A and in B, and B - A. Tables and indexes are matched
by name; one present in a single run is shown with "-" on the other side. With --json the same
figures, read and write apart, as one JSON object (format capsim-compare/1).

Exit codes: 0 success, 1 a run could not be read, 2 bad usage or not a capsim run.
)";

// Rounded so that the JSON text is stable across platforms' last-bit differences.
double rounded(double value)
{
    return std::round(value * 1e9) / 1e9;
}

const TableResult* findByName(const std::vector<TableResult>& tables, const std::string& name)
{
    for (const auto& t : tables)
        if (t.name == name)
            return &t;
    return nullptr;
}

// The tables (or one table's indexes) of A and B matched by name: A's order, then B's own.
std::vector<std::pair<const TableResult*, const TableResult*>> matchByName(
    const std::vector<TableResult>& a, const std::vector<TableResult>& b)
{
    std::vector<std::pair<const TableResult*, const TableResult*>> out;
    for (const auto& t : a)
        out.emplace_back(&t, findByName(b, t.name));
    for (const auto& t : b)
        if (!findByName(a, t.name))
            out.emplace_back(nullptr, &t);
    return out;
}

// One compared figure: its name, how to read it from a table, and whether it is money or units.
struct Figure {
    const char* name;
    enum Kind { Count, Units, Money } kind;
    std::function<double(const TableResult&)> value;
    bool tablesOnly = false;
};

const std::vector<Figure>& figures()
{
    static const std::vector<Figure> list {
        { "requests", Figure::Count, [](const TableResult& t) { return static_cast<double>(t.requestsRead + t.requestsWrite); } },
        { "throttled", Figure::Count, [](const TableResult& t) { return static_cast<double>(t.throttledRead + t.throttledWrite); } },
        { "failed", Figure::Count, [](const TableResult& t) { return static_cast<double>(t.failedRead + t.failedWrite); }, true },
        { "consumed RCU", Figure::Units, [](const TableResult& t) { return t.consumedRead; } },
        { "consumed WCU", Figure::Units, [](const TableResult& t) { return t.consumedWrite; } },
        { "cost", Figure::Money, [](const TableResult& t) { return t.cost.total(); } },
    };
    return list;
}

std::string formatValue(Figure::Kind kind, double value)
{
    switch (kind) {
    case Figure::Count: return formatCount(std::llround(value));
    case Figure::Units: {
        // One decimal where there is one, as in the printed run summary ("605", "2.5").
        std::string text = formatGrouped(value, 1);
        if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
            text.resize(text.size() - 2);
        return text == "-0" ? "0" : text;
    }
    case Figure::Money: return formatUsd(value);
    }
    return {};
}

std::string formatDifference(Figure::Kind kind, double difference)
{
    const std::string text = formatValue(kind, difference);
    const bool zero = text == "0" || text == "$0";
    return difference > 0 && !zero ? "+" + text : text;
}

void printBlock(const std::string& title, const TableResult* a, const TableResult* b, bool isIndex)
{
    std::printf("%s%s\n", title.c_str(), !a ? "  (only in B)" : !b ? "  (only in A)" : "");
    for (const auto& f : figures()) {
        if (isIndex && f.tablesOnly)
            continue;
        const std::string va = a ? formatValue(f.kind, f.value(*a)) : "-";
        const std::string vb = b ? formatValue(f.kind, f.value(*b)) : "-";
        const std::string diff = a && b ? formatDifference(f.kind, f.value(*b) - f.value(*a)) : "";
        std::printf("  %-22s %16s %16s %16s\n", f.name, va.c_str(), vb.c_str(), diff.c_str());
    }
}

std::string runLine(const std::string& path, const RunResult& run)
{
    return path + "  (" + run.scenario + ", seed " + std::to_string(run.seed) + ", " + formatNumber(run.simulatedSeconds, 0)
        + " s simulated)";
}

json::object pairJson(double read, double write)
{
    return { { "read", rounded(read) }, { "write", rounded(write) } };
}

json::object countsJson(std::int64_t read, std::int64_t write)
{
    return { { "read", read }, { "write", write } };
}

json::object figuresJson(const TableResult& t, bool isIndex)
{
    json::object o;
    o["requests"] = countsJson(t.requestsRead, t.requestsWrite);
    o["throttled"] = countsJson(t.throttledRead, t.throttledWrite);
    if (!isIndex)
        o["failed"] = countsJson(t.failedRead, t.failedWrite);
    o["consumed"] = pairJson(t.consumedRead, t.consumedWrite);
    json::object cost { { "read", rounded(t.cost.read) }, { "write", rounded(t.cost.write) }, { "storage", rounded(t.cost.storage) } };
    if (!isIndex) {
        cost["indexes"] = rounded(t.cost.indexes);
        cost["freeTier"] = rounded(t.cost.freeTier);
    }
    cost["total"] = rounded(t.cost.total());
    o["cost"] = std::move(cost);
    return o;
}

// B - A, field by field, for two objects of figuresJson's shape.
json::value differenceJson(const json::value& a, const json::value& b)
{
    if (a.is_object()) {
        json::object out;
        for (const auto& [key, value] : a.as_object())
            out[key] = differenceJson(value, b.as_object().at(key));
        return out;
    }
    if (a.is_int64() && b.is_int64())
        return b.as_int64() - a.as_int64();
    return rounded(b.to_number<double>() - a.to_number<double>());
}

json::object comparedJson(const std::string& name, const TableResult* a, const TableResult* b, bool isIndex)
{
    json::object o;
    o["name"] = name;
    if (isIndex) {
        const TableResult* any = a ? a : b;
        o["kind"] = any->indexKind == IndexKind::Local ? "LSI" : "GSI";
    }
    o["in"] = a && b ? "both" : a ? "a" : "b";
    o["a"] = a ? json::value(figuresJson(*a, isIndex)) : json::value(nullptr);
    o["b"] = b ? json::value(figuresJson(*b, isIndex)) : json::value(nullptr);
    o["difference"] = a && b ? differenceJson(o["a"], o["b"]) : json::value(nullptr);
    return o;
}

json::object runJson(const std::string& path, const RunResult& run)
{
    return { { "path", path }, { "scenario", run.scenario }, { "seed", run.seed }, { "simulatedSeconds", run.simulatedSeconds },
        { "cost", rounded(run.costTotal()) } };
}

} // namespace

int compareCommand(const std::vector<std::string>& args)
{
    std::vector<std::string> paths;
    bool asJson = false;
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(kCompareUsage, stdout);
            return 0;
        } else if (a == "--json") {
            asJson = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim compare: unknown option '%s'\n%s", a.c_str(), kCompareUsage);
            return 2;
        } else {
            paths.push_back(a);
        }
    }
    if (paths.size() != 2) {
        std::fprintf(stderr, "capsim compare: give two runs (DIR or run.sqlite each), not %zu\n%s", paths.size(), kCompareUsage);
        return 2;
    }
    std::optional<RunResult> runs[2];
    for (int i = 0; i < 2; ++i) {
        auto opened = openFinishedRun(paths[static_cast<std::size_t>(i)]);
        if (!opened) {
            std::fprintf(stderr, "capsim compare: %s: %s\n", i == 0 ? "A" : "B", opened.status().message().c_str());
            return exitCodeFor(opened.status());
        }
        runs[i] = std::move(*opened);
    }
    const RunResult& a = *runs[0];
    const RunResult& b = *runs[1];
    const auto tables = matchByName(a.tables, b.tables);
    static const std::vector<TableResult> kNone;

    if (asJson) {
        json::object root;
        root["format"] = "capsim-compare/1";
        root["a"] = runJson(paths[0], a);
        root["b"] = runJson(paths[1], b);
        json::array list;
        for (const auto& [ta, tb] : tables) {
            json::object t = comparedJson((ta ? ta : tb)->name, ta, tb, false);
            json::array indexes;
            for (const auto& [ia, ib] : matchByName(ta ? ta->indexes : kNone, tb ? tb->indexes : kNone))
                indexes.push_back(comparedJson((ia ? ia : ib)->name, ia, ib, true));
            if (!indexes.empty())
                t["indexes"] = std::move(indexes);
            list.push_back(std::move(t));
        }
        root["tables"] = std::move(list);
        root["cost"] = json::object { { "a", rounded(a.costTotal()) }, { "b", rounded(b.costTotal()) },
            { "difference", rounded(b.costTotal() - a.costTotal()) } };
        std::fputs((toJsonText(root, true) + "\n").c_str(), stdout);
        return 0;
    }

    std::printf("A: %s\nB: %s\n\n", runLine(paths[0], a).c_str(), runLine(paths[1], b).c_str());
    std::printf("  %-22s %16s %16s %16s\n", "", "A", "B", "B - A");
    for (const auto& [ta, tb] : tables) {
        const std::string& name = (ta ? ta : tb)->name;
        printBlock(name, ta, tb, false);
        for (const auto& [ia, ib] : matchByName(ta ? ta->indexes : kNone, tb ? tb->indexes : kNone)) {
            const TableResult* any = ia ? ia : ib;
            printBlock(name + " / " + any->name + (any->indexKind == IndexKind::Local ? " (LSI)" : " (GSI)"), ia, ib, true);
        }
    }
    std::printf("\n  %-22s %16s %16s %16s\n", "total cost", formatUsd(a.costTotal()).c_str(), formatUsd(b.costTotal()).c_str(),
        formatDifference(Figure::Money, b.costTotal() - a.costTotal()).c_str());
    return 0;
}

} // namespace capsim::cli
