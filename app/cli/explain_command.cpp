#include "app/cli/commands.h"

#include "app/cli/finished_run.h"
#include "app/report/html_report.h"
#include "simulator/explain.h"

#include <cstdio>

namespace capsim::cli {

namespace {

const char* kExplainUsage = R"(Usage: capsim explain DIR|run.sqlite [--html]

Prints the plain-language account of a finished run (the studio's Explain view): what each table
did, each throttling episode and its likely cause, scaling actions, splits, failures and the cost.
DIR is a folder written by capsim run --out; run.sqlite its results database. Paragraphs are
separated by blank lines; with --html the account is printed as one HTML document instead.

Exit codes: 0 success, 1 the run could not be read, 2 bad usage or not a capsim run.
)";

} // namespace

int explainCommand(const std::vector<std::string>& args)
{
    std::string path;
    bool html = false;
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(kExplainUsage, stdout);
            return 0;
        } else if (a == "--html") {
            html = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim explain: unknown option '%s'\n%s", a.c_str(), kExplainUsage);
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            std::fputs("capsim explain: more than one run given\n", stderr);
            return 2;
        }
    }
    if (path.empty()) {
        std::fprintf(stderr, "capsim explain: which run? give DIR or run.sqlite\n%s", kExplainUsage);
        return 2;
    }
    auto run = openFinishedRun(path);
    if (!run) {
        std::fprintf(stderr, "capsim explain: %s\n", run.status().message().c_str());
        return exitCodeFor(run.status());
    }
    if (html) {
        std::fputs(report::explanationDocument(*run).toUtf8().constData(), stdout);
        return 0;
    }
    const auto paragraphs = explainRun(*run);
    for (std::size_t i = 0; i < paragraphs.size(); ++i)
        std::printf("%s%s\n", i == 0 ? "" : "\n", paragraphs[i].c_str());
    return 0;
}

} // namespace capsim::cli
