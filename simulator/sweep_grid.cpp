#include "simulator/sweep_grid.h"

#include <charconv>
#include <set>

namespace capsim {

namespace {

// Splits at the commas outside brackets, braces and double quotes, so a JSON value may hold commas.
std::vector<std::string> splitValues(std::string_view text)
{
    std::vector<std::string> values;
    std::string current;
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\' && i + 1 < text.size()) {
                current += c;
                current += text[++i];
                continue;
            }
            if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if (c == ',' && depth == 0) {
            values.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    values.push_back(current);
    return values;
}

bool parseCount(std::string_view text, std::size_t& out)
{
    if (text.empty() || text.size() > 9)
        return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

Result<SweepVary> parseSweepVary(std::string_view assignment)
{
    const std::string text(assignment);
    const std::size_t equals = assignment.find('=');
    if (equals == std::string_view::npos || equals == 0)
        return Status::validation(
            "--vary " + text + ": expected PATH=V1,V2,... (e.g. tables[0].provisioned.write=100,200,400)");
    SweepVary vary { std::string(assignment.substr(0, equals)), splitValues(assignment.substr(equals + 1)) };
    std::set<std::string> seen;
    for (const auto& value : vary.values) {
        if (value.empty())
            return Status::validation("--vary " + text + ": an empty value (values are separated by single commas)");
        if (!seen.insert(value).second)
            return Status::validation("--vary " + text + ": the value " + value + " is given twice");
    }
    return vary;
}

Result<SweepShard> parseSweepShard(std::string_view text)
{
    const std::size_t slash = text.find('/');
    SweepShard shard;
    if (slash == std::string_view::npos || !parseCount(text.substr(0, slash), shard.index)
        || !parseCount(text.substr(slash + 1), shard.count) || shard.index < 1 || shard.index > shard.count
        || shard.count > kMaxSweepPoints)
        return Status::validation(
            "--shard " + std::string(text) + ": expected I/N, shard I of N with 1 <= I <= N (e.g. --shard 2/8)");
    return shard;
}

Result<SweepGrid> SweepGrid::create(std::vector<SweepVary> varies)
{
    if (varies.empty())
        return Status::validation("no --vary given: a sweep needs at least one --vary PATH=V1,V2,...");
    std::set<std::string> paths;
    std::size_t size = 1;
    for (const auto& vary : varies) {
        if (!paths.insert(vary.path).second)
            return Status::validation("--vary " + vary.path + " is given twice; list all its values in one --vary");
        size *= vary.values.size();
        if (size > kMaxSweepPoints)
            return Status::validation(
                "the grid has more than " + std::to_string(kMaxSweepPoints) + " points; vary fewer values");
    }
    SweepGrid grid;
    grid.m_varies = std::move(varies);
    grid.m_size = size;
    return grid;
}

std::vector<std::string> SweepGrid::values(std::size_t point) const
{
    std::vector<std::string> out(m_varies.size());
    // The last dimension varies fastest, like nested loops in --vary order.
    for (std::size_t d = m_varies.size(); d-- > 0;) {
        const auto& values = m_varies[d].values;
        out[d] = values[point % values.size()];
        point /= values.size();
    }
    return out;
}

std::vector<ScenarioOverride> SweepGrid::overrides(std::size_t point) const
{
    const auto pointValues = values(point);
    std::vector<ScenarioOverride> out;
    for (std::size_t d = 0; d < m_varies.size(); ++d)
        out.push_back({ m_varies[d].path, pointValues[d] });
    return out;
}

std::string SweepGrid::describe(std::size_t point) const
{
    std::string out;
    for (const auto& o : overrides(point))
        out += (out.empty() ? "" : " ") + o.path + "=" + o.value;
    return out;
}

std::string SweepGrid::folderName(std::size_t point) const
{
    const std::string number = std::to_string(point + 1);
    const std::size_t width = std::to_string(m_size).size();
    return "point-" + std::string(width > number.size() ? width - number.size() : 0, '0') + number;
}

std::size_t SweepGrid::shardOf(std::size_t point, std::size_t shardCount)
{
    return point % shardCount + 1;
}

std::vector<std::size_t> SweepGrid::pointsOf(const SweepShard& shard) const
{
    std::vector<std::size_t> points;
    for (std::size_t p = shard.index - 1; p < m_size; p += shard.count)
        points.push_back(p);
    return points;
}

} // namespace capsim
