#include "simulator/scenario_override.h"

#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <variant>

namespace capsim {

namespace json = boost::json;

namespace {

// One step of a path: a field name or an array index.
using PathStep = std::variant<std::string, std::size_t>;

// The errors name the option the override came from ("--set", "--vary") and its path.
struct PathError {
    std::string_view option;
    const std::string& path;
    Status operator()(const std::string& what) const
    {
        return Status::validation(std::string(option) + " " + path + ": " + what);
    }
};

Result<std::vector<PathStep>> parsePath(const std::string& path, std::string_view option)
{
    const PathError pathError { option, path };
    std::vector<PathStep> steps;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            const std::string digits
                = path.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
            if (close == std::string::npos || digits.empty() || digits.size() > 9
                || digits.find_first_not_of("0123456789") != std::string::npos)
                return pathError("an array index is written [N] with N a whole number from 0");
            steps.emplace_back(static_cast<std::size_t>(std::stoul(digits)));
            i = close + 1;
            if (i < path.size() && path[i] != '.' && path[i] != '[')
                return pathError("expected '.' or '[' after ']'");
            if (i < path.size() && path[i] == '.')
                ++i;
            continue;
        }
        const std::size_t end = path.find_first_of(".[", i);
        const std::string name = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
        if (name.empty())
            return pathError("a field name is missing");
        steps.emplace_back(name);
        i = end == std::string::npos ? path.size() : end;
        if (i < path.size() && path[i] == '.') {
            ++i;
            if (i == path.size())
                return pathError("a field name is missing after the last '.'");
        }
    }
    if (steps.empty())
        return pathError("the path is empty");
    return steps;
}

// The path up to (not including) step `count`, as the user wrote it: "tables[0].provisioned".
std::string prefix(const std::vector<PathStep>& steps, std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (const auto* name = std::get_if<std::string>(&steps[i])) {
            if (!out.empty())
                out += '.';
            out += *name;
        } else {
            out += '[';
            out += std::to_string(std::get<std::size_t>(steps[i]));
            out += ']';
        }
    }
    return out.empty() ? std::string("the scenario") : out;
}

const char* kindName(const json::value& v)
{
    switch (v.kind()) {
    case json::kind::object: return "an object";
    case json::kind::array: return "an array";
    case json::kind::string: return "a string";
    case json::kind::bool_: return "a boolean";
    case json::kind::null: return "null";
    default: return "a number";
    }
}

Status apply(json::value& root, const ScenarioOverride& assignment, std::string_view option)
{
    const PathError pathError { option, assignment.path };
    auto steps = parsePath(assignment.path, option);
    if (!steps)
        return steps.status();
    json::value value;
    std::string ignored;
    if (!parseJsonText(assignment.value, value, ignored))
        value = json::string(assignment.value);

    json::value* at = &root;
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const bool last = i + 1 == steps->size();
        const std::string where = prefix(*steps, i);
        if (const auto* name = std::get_if<std::string>(&(*steps)[i])) {
            if (!at->is_object())
                return pathError(where + " is " + kindName(*at)
                    + (at->is_array() ? ", not an object (use [N] for its elements)" : ", not an object"));
            json::object& object = at->as_object();
            auto found = object.find(*name);
            if (found == object.end()) {
                if (!last)
                    return pathError((i == 0 ? std::string("the scenario") : where) + " has no field '" + *name + "'");
                object[*name] = std::move(value);
                return Status::ok();
            }
            at = &found->value();
        } else {
            const std::size_t index = std::get<std::size_t>((*steps)[i]);
            if (!at->is_array())
                return pathError(where + " is " + kindName(*at) + ", not an array");
            json::array& array = at->as_array();
            if (index >= array.size())
                return pathError(where + " has " + std::to_string(array.size())
                    + (array.size() == 1 ? " element" : " elements")
                    + (array.empty() ? "" : " (indexes 0 to " + std::to_string(array.size() - 1) + ")"));
            at = &array[index];
        }
    }
    *at = std::move(value);
    return Status::ok();
}

} // namespace

Result<ScenarioOverride> parseScenarioOverride(std::string_view assignment)
{
    const std::size_t equals = assignment.find('=');
    if (equals == std::string_view::npos || equals == 0)
        return Status::validation(
            "--set " + std::string(assignment) + ": expected PATH=VALUE (e.g. tables[0].provisioned.write=500)");
    return ScenarioOverride { std::string(assignment.substr(0, equals)), std::string(assignment.substr(equals + 1)) };
}

Result<std::string> applyScenarioOverrides(
    std::string_view scenarioJson, const std::vector<ScenarioOverride>& overrides, std::string_view option)
{
    json::value root;
    std::string error;
    if (!parseJsonText(scenarioJson, root, error))
        return Status::validation("the scenario is not JSON: " + error);
    for (const auto& assignment : overrides)
        CAPSIM_RETURN_IF_ERROR(apply(root, assignment, option));
    return toJsonText(root, true) + "\n";
}

} // namespace capsim
