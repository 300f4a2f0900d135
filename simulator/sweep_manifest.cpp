#include "simulator/sweep_manifest.h"

#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <map>

namespace capsim {

namespace json = boost::json;

namespace {

const char* kFormat = "capsim-sweep/1";

std::string quoted(const std::string& text)
{
    return "'" + text + "'";
}

std::string varyText(const std::vector<SweepVary>& varies)
{
    std::string out;
    for (const auto& vary : varies) {
        out += (out.empty() ? "--vary " : " --vary ") + vary.path + "=";
        for (std::size_t i = 0; i < vary.values.size(); ++i)
            out += (i ? "," : "") + vary.values[i];
    }
    return out;
}

} // namespace

std::string sweepManifestJson(const SweepManifest& manifest, const SweepGrid& grid)
{
    json::object root;
    root["format"] = kFormat;
    root["scenario"] = manifest.scenario;
    root["scenarioSha256"] = manifest.scenarioSha256;
    json::array varies;
    for (const auto& vary : manifest.varies) {
        json::array values;
        for (const auto& v : vary.values)
            values.emplace_back(json::string(v));
        varies.emplace_back(json::object { { "path", vary.path }, { "values", std::move(values) } });
    }
    root["vary"] = std::move(varies);
    root["gridPoints"] = grid.size();
    root["shard"] = json::object { { "index", manifest.shard.index }, { "count", manifest.shard.count } };
    json::array points;
    for (std::size_t p : manifest.points) {
        json::array values;
        for (const auto& v : grid.values(p))
            values.emplace_back(json::string(v));
        points.emplace_back(
            json::object { { "point", p + 1 }, { "folder", grid.folderName(p) }, { "values", std::move(values) } });
    }
    root["points"] = std::move(points);
    root["complete"] = manifest.complete;
    if (!manifest.mergedFrom.empty()) {
        json::array from;
        for (const auto& f : manifest.mergedFrom)
            from.emplace_back(json::string(f));
        root["mergedFrom"] = std::move(from);
    }
    return toJsonText(root, true) + "\n";
}

Result<SweepManifest> parseSweepManifest(std::string_view text)
{
    json::value root;
    std::string error;
    if (!parseJsonText(text, root, error))
        return Status::validation("sweep.json is not JSON: " + error);
    const json::object* o = root.if_object();
    const auto str = [&](const char* key) -> const json::string* {
        const json::value* v = o ? o->if_contains(key) : nullptr;
        return v && v->is_string() ? &v->as_string() : nullptr;
    };
    if (!str("format") || *str("format") != kFormat)
        return Status::validation("sweep.json is not a capsim sweep manifest (format capsim-sweep/1)");
    SweepManifest m;
    const json::value* varies = o->if_contains("vary");
    const json::value* shard = o->if_contains("shard");
    const json::value* points = o->if_contains("points");
    const json::value* complete = o->if_contains("complete");
    if (!str("scenario") || !str("scenarioSha256") || !varies || !varies->is_array() || !shard || !shard->is_object()
        || !points || !points->is_array() || !complete || !complete->is_bool())
        return Status::validation("sweep.json lacks scenario, scenarioSha256, vary, shard, points or complete");
    m.scenario = std::string(*str("scenario"));
    m.scenarioSha256 = std::string(*str("scenarioSha256"));
    m.complete = complete->as_bool();
    try {
        for (const auto& v : varies->as_array()) {
            SweepVary vary;
            vary.path = std::string(v.at("path").as_string());
            for (const auto& value : v.at("values").as_array())
                vary.values.emplace_back(value.as_string());
            m.varies.push_back(std::move(vary));
        }
        m.shard.index = json::value_to<std::size_t>(shard->at("index"));
        m.shard.count = json::value_to<std::size_t>(shard->at("count"));
        for (const auto& p : points->as_array()) {
            const auto number = json::value_to<std::size_t>(p.at("point"));
            if (number == 0)
                return Status::validation("sweep.json: point numbers start at 1");
            m.points.push_back(number - 1);
        }
        if (const json::value* from = o->if_contains("mergedFrom"))
            for (const auto& f : from->as_array())
                m.mergedFrom.emplace_back(f.as_string());
    } catch (const std::exception& e) {
        return Status::validation(std::string("sweep.json has a malformed field: ") + e.what());
    }
    if (m.shard.count == 0 || m.shard.index == 0 || m.shard.index > m.shard.count)
        return Status::validation("sweep.json: the shard is not I/N with 1 <= I <= N");
    return m;
}

Status checkSweepShardSet(const std::vector<SweepShardFolder>& shards)
{
    if (shards.empty())
        return Status::validation("no shard folders given");
    const SweepShardFolder& first = shards.front();
    for (const auto& s : shards) {
        if (!s.manifest.mergedFrom.empty())
            return Status::validation(
                quoted(s.folder) + " holds a merged sweep, not a shard; give the shard folders it was merged from");
        if (s.manifest.scenarioSha256 != first.manifest.scenarioSha256)
            return Status::validation("mismatched shards: " + quoted(s.folder) + " ran scenario " + s.manifest.scenario
                + " (sha256 " + s.manifest.scenarioSha256.substr(0, 12) + "...) but " + quoted(first.folder) + " ran "
                + first.manifest.scenario + " (sha256 " + first.manifest.scenarioSha256.substr(0, 12) + "...)");
        if (!(s.manifest.varies == first.manifest.varies))
            return Status::validation("mismatched shards: " + quoted(s.folder) + " varies "
                + varyText(s.manifest.varies) + " but " + quoted(first.folder) + " varies "
                + varyText(first.manifest.varies));
        if (s.manifest.shard.count != first.manifest.shard.count)
            return Status::validation("mismatched shards: " + quoted(s.folder) + " is shard "
                + std::to_string(s.manifest.shard.index) + "/" + std::to_string(s.manifest.shard.count) + " but "
                + quoted(first.folder) + " is shard " + std::to_string(first.manifest.shard.index) + "/"
                + std::to_string(first.manifest.shard.count) + " (different N)");
    }
    const std::size_t count = first.manifest.shard.count;
    std::map<std::size_t, const SweepShardFolder*> byIndex;
    for (const auto& s : shards) {
        auto [it, inserted] = byIndex.emplace(s.manifest.shard.index, &s);
        if (!inserted)
            return Status::validation("shard " + std::to_string(s.manifest.shard.index) + "/" + std::to_string(count)
                + " is given twice: " + quoted(it->second->folder)
                + (it->second->folder == s.folder ? " (the same folder twice)" : " and " + quoted(s.folder)));
    }
    std::string missing;
    for (std::size_t i = 1; i <= count; ++i)
        if (!byIndex.count(i))
            missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(count);
    if (!missing.empty())
        return Status::validation(std::string("shard") + (missing.find(',') != std::string::npos ? "s " : " ") + missing
            + " missing: give all " + std::to_string(count) + " shard folders of the sweep");
    auto grid = SweepGrid::create(first.manifest.varies);
    if (!grid)
        return Status::validation(quoted(first.folder) + ": " + grid.status().message());
    for (const auto& s : shards) {
        const std::string name = "shard " + std::to_string(s.manifest.shard.index) + "/" + std::to_string(count) + " ("
            + quoted(s.folder) + ")";
        if (!s.manifest.complete)
            return Status::validation(name + " is incomplete: its sweep did not finish ("
                + std::to_string(s.manifest.points.size()) + " points listed); run it again");
        if (s.manifest.points != grid->pointsOf(s.manifest.shard))
            return Status::validation(name + " is incomplete: it holds " + std::to_string(s.manifest.points.size())
                + " points, its shard has " + std::to_string(grid->pointsOf(s.manifest.shard).size()));
    }
    return Status::ok();
}

} // namespace capsim
