#include "app/cli/commands.h"

#include "app/cli/finished_run.h"
#include "app/cli/offscreen_gui.h"
#include "app/report/html_report.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace capsim::cli {

namespace fs = std::filesystem;

namespace {

const char* kReportUsage = R"(Usage: capsim report DIR|run.sqlite [--out FILE.html]

Writes one self-contained HTML report of a finished run: its figures per table and index, its cost
lines, the plain-language explanation (capsim explain) and the charts, inline as images, so the
file can be sent on its own. DIR is a folder written by capsim run --out; run.sqlite its results
database. Prints the path of the report.

  --out FILE.html   where to write it (- for standard output). Default: report.html beside the
                    run.sqlite (in DIR for a folder). Only that file is written, atomically: the
                    report goes into a temporary file beside it, renamed over it when complete.

Exit codes: 0 success, 1 the run could not be read or the report not written, 2 bad usage or not
a capsim run.
)";

} // namespace

int reportCommand(const std::vector<std::string>& args)
{
    std::string path;
    std::string outPath;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kReportUsage, stdout);
            return 0;
        } else if (a == "--out" && i + 1 < args.size()) {
            outPath = args[++i];
        } else if (a.rfind("--out=", 0) == 0) {
            outPath = a.substr(6);
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "capsim report: unknown option '%s'\n%s", a.c_str(), kReportUsage);
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            std::fputs("capsim report: more than one run given\n", stderr);
            return 2;
        }
    }
    if (path.empty()) {
        std::fprintf(stderr, "capsim report: which run? give DIR or run.sqlite\n%s", kReportUsage);
        return 2;
    }
    if (outPath.empty())
        outPath = (fs::path(finishedRunDatabase(path)).parent_path() / "report.html").string();
    std::error_code ec;
    if (outPath != "-") {
        if (fs::is_directory(outPath, ec)) {
            std::fprintf(stderr, "capsim report: --out '%s' is a folder; give the report's file name\n", outPath.c_str());
            return 2;
        }
        const fs::path parent = fs::absolute(outPath, ec).parent_path();
        if (!fs::is_directory(parent, ec)) {
            std::fprintf(stderr, "capsim report: --out '%s': the folder '%s' does not exist\n", outPath.c_str(), parent.c_str());
            return 2;
        }
    }
    auto run = openFinishedRun(path);
    if (!run) {
        std::fprintf(stderr, "capsim report: %s\n", run.status().message().c_str());
        return exitCodeFor(run.status());
    }
    OffscreenGui gui;
    if (outPath == "-") {
        std::fputs(report::htmlReport(*run).toUtf8().constData(), stdout);
        return 0;
    }
    QString error;
    if (!report::writeHtmlReport(*run, QString::fromStdString(outPath), &error)) {
        std::fprintf(stderr, "capsim report: %s\n", error.toUtf8().constData());
        return 1;
    }
    std::printf("report: %s\n", fs::absolute(outPath, ec).c_str());
    return 0;
}

} // namespace capsim::cli
