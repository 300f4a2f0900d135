#pragma once
// Files of resources/ compiled into the binary (pricing tables, the default scenario and the
// scenario library), so capsim runs from any directory. Generated at build time.

#include <string>
#include <vector>

namespace capsim {

// The text of resources/<relativePath>, or nullptr if it was not embedded.
const std::string* embeddedResource(const std::string& relativePath);
// Every embedded path (relative to resources/), sorted.
std::vector<std::string> embeddedResourcePaths();

} // namespace capsim
