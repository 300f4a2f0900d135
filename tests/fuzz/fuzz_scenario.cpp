// Fuzz target: the scenario loader (simulator/scenario_loader). Any text as a scenario file: a
// clear list of errors or a scenario, never a crash. Relative paths resolve in an empty folder.

#include "simulator/scenario_loader.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const capsim::LoadResult loaded = capsim::loadScenarioText(text, "/nonexistent-capsim-fuzz");
    if (!loaded.scenario)
        static_cast<void>(capsim::formatErrors(loaded.errors));
    return 0;
}
