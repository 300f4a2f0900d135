#pragma once
// Scenario loading: JSON text (contracts/scenario-format.md, version 1) to a validated Scenario.
// Pure functions; thread-agnostic. Every problem in a file is reported at once, each naming the
// field by its JSON path, and no exception escapes.

#include "simulator/scenario.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

// One problem in a scenario file. `path` names the field ("tables[0].provisioned.read"); it is
// empty for problems with the whole text (a JSON syntax error, a top level that is not an object).
struct ScenarioError {
    std::string path;
    std::string message;
};

// Either a scenario (and no errors) or the errors (and no scenario).
struct LoadResult {
    std::optional<Scenario> scenario;
    std::vector<ScenarioError> errors;
};

// Parses and validates scenario JSON text. `baseDirectory` resolves relative paths (trace files,
// the pricing file); trace CSV files are read here, so the Scenario carries their rates.
LoadResult loadScenarioText(std::string_view jsonText, const std::string& baseDirectory);

// Reads `path` and loads it with the file's directory as base directory.
LoadResult loadScenarioFile(const std::string& path);

// One line per problem, "<path>: <message>" (just "<message>" when the path is empty), each
// ending with a newline.
std::string formatErrors(const std::vector<ScenarioError>& errors);

} // namespace capsim
