// capsim: the headless command line (contracts/cli.md).

#include "app/cli/commands.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

namespace {

const char* kUsage = R"(capsim - DynamoDB capacity and cost simulator on a real storage engine

Usage: capsim <command> [options]

Commands:
  run [SCENARIO.json|-] [--set PATH=VALUE]... [--out DIR] [--json] [--quiet]
                                         run a scenario (the built-in default without one)
  check [SCENARIO.json|-] [--json]       validate a scenario; estimate requests, fidelity, time, memory
  size [FILE|-]                          size DynamoDB-JSON items (one per line) in bytes and capacity units
  call --db PATH OPERATION [REQUEST|-]   execute one DynamoDB API call against an engine database
  serve [--host H] [--port N] [--db PATH] [--no-auth] [--speed X]
                                         serve DynamoDB's HTTP API (AWS CLI, SDKs) on the engine
  demo [--db PATH] [--steps FILE]        run the engine demo from resources/demo (create, write, query, meter)
  bench engine [--json] [--items N]      benchmark the engine against raw SQLite doing the same work
  bench server [--json] [--seconds S]    benchmark capsim serve's HTTP endpoint against direct dispatch
  explain DIR|run.sqlite [--html]        the plain-language account of a finished run
  report DIR|run.sqlite [--out FILE.html]
                                         one self-contained HTML report of a finished run
  compare A B [--json]                   two finished runs side by side, table by table
  sweep SCENARIO.json --vary PATH=V1,V2,... [--vary ...] [--shard I/N] --out DIR
        [--minimize METRIC --subject-to CONSTRAINTS]
                                         run every combination of the values, in parallel; sweep.csv and a chart
  merge SHARD_DIR... [--out DIR]         join the shard folders of a sweep into one sweep.csv and chart
  version                                print capsim's version (also --version)

Run 'capsim <command> --help' for a command's options.
)";

int dispatch(int argc, char** argv)
{
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == "--version" || command == "version") {
        std::printf("capsim %s\n", CAPSIM_VERSION);
        return 0;
    }
    if (command == "run")
        return capsim::cli::runCommand(args);
    if (command == "check")
        return capsim::cli::checkCommand(args);
    if (command == "size")
        return capsim::cli::sizeCommand(args);
    if (command == "call")
        return capsim::cli::callCommand(args);
    if (command == "serve")
        return capsim::cli::serveCommand(args);
    if (command == "demo")
        return capsim::cli::demoCommand(args);
    if (command == "bench")
        return capsim::cli::benchCommand(args);
    if (command == "explain")
        return capsim::cli::explainCommand(args);
    if (command == "report")
        return capsim::cli::reportCommand(args);
    if (command == "compare")
        return capsim::cli::compareCommand(args);
    if (command == "sweep")
        return capsim::cli::sweepCommand(args);
    if (command == "merge")
        return capsim::cli::mergeCommand(args);
    std::fprintf(stderr, "capsim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}

} // namespace

// No command may die of an exception (issue 8): input errors are reported by the commands
// themselves (exit 2); anything unexpected still gets a message naming the command, and exit 1.
int main(int argc, char** argv)
{
    const char* command = argc >= 2 ? argv[1] : "";
    try {
        return dispatch(argc, argv);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "capsim %s: out of memory\n", command);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "capsim %s: unexpected error: %s\n", command, e.what());
    } catch (...) {
        std::fprintf(stderr, "capsim %s: unexpected error\n", command);
    }
    return 1;
}
