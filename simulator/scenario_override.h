#pragma once
// Overrides of scenario fields by JSON path (`capsim run --set tables[0].provisioned.write=500`),
// applied to the scenario's JSON text before it is loaded, so the loader checks the result as it
// checks any scenario. Pure functions; callable from any thread.

#include "engine/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace capsim {

// One `PATH=VALUE`: PATH is field names joined by '.', with `[N]` for array elements
// (`tables[0].provisioned.write`); VALUE is JSON when it parses as JSON, else a string.
struct ScenarioOverride {
    std::string path;
    std::string value;
};

// Splits "PATH=VALUE" at the first '='. ValidationException (naming the text) without a '=' or
// with an empty PATH.
Result<ScenarioOverride> parseScenarioOverride(std::string_view assignment);

// Applies the overrides in order to the scenario JSON text and returns the new text (indented).
// Every step of a path but the last must exist (an object field, an array element in range); the
// last may name a new field of an object, which the scenario loader then accepts or refuses by
// its path. ValidationException naming the option and the path otherwise ("--set PATH: ..."; the
// option is `option`, e.g. "--vary" for a sweep), or when the text is not JSON.
Result<std::string> applyScenarioOverrides(
    std::string_view scenarioJson, const std::vector<ScenarioOverride>& overrides, std::string_view option = "--set");

} // namespace capsim
