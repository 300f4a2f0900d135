#pragma once
// The HTML report of one run, one self-contained file: the run's figures per table and index,
// its cost lines, the plain-language explanation (simulator/explain) and the charts of
// chart_renderer inline as data: URIs, so it can be mailed or attached without its folder.
// `capsim report` and the studio's "Export HTML Report" both write it with writeHtmlReport.
// Free functions over an immutable RunResult; those drawing charts need a QGuiApplication.

#include "simulator/results.h"

#include <QString>

namespace capsim::report {

// The explanation's paragraphs as HTML <p> elements, text escaped.
QString explanationHtml(const RunResult& run);

// A whole HTML document holding only the run's title and explanation (`capsim explain --html`).
QString explanationDocument(const RunResult& run);

// The whole report as one HTML document; references nothing outside itself.
QString htmlReport(const RunResult& run);

// Writes htmlReport(run) to `path` atomically: into a temporary file beside it, renamed over it
// when complete, so `path` is either its previous content or the whole report and nothing else is
// written. False with *error (if given) naming the file when it cannot be written.
bool writeHtmlReport(const RunResult& run, const QString& path, QString* error);

} // namespace capsim::report
