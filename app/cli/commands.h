#pragma once
// The `capsim` subcommands. Each takes its arguments (after the command name) and returns the
// process exit code of cli.md: 0 success, 1 the run failed, 2 bad usage or bad input.

#include <string>
#include <vector>

namespace capsim::cli {

int sizeCommand(const std::vector<std::string>& args);
int callCommand(const std::vector<std::string>& args);
int serveCommand(const std::vector<std::string>& args);
int demoCommand(const std::vector<std::string>& args);
int runCommand(const std::vector<std::string>& args);
int checkCommand(const std::vector<std::string>& args);
int benchCommand(const std::vector<std::string>& args);
// `capsim bench server` (app/cli/bench_server.cpp), ARGS after "server".
int benchServerCommand(const std::vector<std::string>& args);
int explainCommand(const std::vector<std::string>& args);
int reportCommand(const std::vector<std::string>& args);
int compareCommand(const std::vector<std::string>& args);
int sweepCommand(const std::vector<std::string>& args);
int mergeCommand(const std::vector<std::string>& args);

// Reads a whole file, or standard input for "-". False when it cannot be read (a folder, a missing
// file, a read error), with the reason in *why when given. Never throws.
bool readInput(const std::string& path, std::string& out, std::string* why = nullptr);
// "cannot read 'PATH': WHY", the message of a failed readInput.
std::string cannotRead(const std::string& path, const std::string& why);

} // namespace capsim::cli
