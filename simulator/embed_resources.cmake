# Generates a C++ source holding resource files as raw string literals.
# Inputs: RESOURCE_ROOT, OUTPUT, FILE_LIST (a file holding the ;-list of paths relative to RESOURCE_ROOT).
file(READ "${FILE_LIST}" FILES)
set(body "#include \"simulator/embedded_resources.h\"\n\n#include <map>\n\nnamespace capsim {\n\nnamespace {\nconst std::map<std::string, std::string>& table()\n{\n    static const std::map<std::string, std::string> files {\n")
foreach(f IN LISTS FILES)
  file(READ "${RESOURCE_ROOT}/${f}" content)
  string(APPEND body "        { \"${f}\", R\"capsim_resource(${content})capsim_resource\" },\n")
endforeach()
string(APPEND body "    };\n    return files;\n}\n} // namespace\n\nconst std::string* embeddedResource(const std::string& relativePath)\n{\n    auto it = table().find(relativePath);\n    return it == table().end() ? nullptr : &it->second;\n}\n\nstd::vector<std::string> embeddedResourcePaths()\n{\n    std::vector<std::string> out;\n    for (const auto& [path, text] : table())\n        out.push_back(path);\n    return out;\n}\n\n} // namespace capsim\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
