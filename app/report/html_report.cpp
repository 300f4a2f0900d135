#include "app/report/html_report.h"

#include "app/report/chart_renderer.h"
#include "simulator/explain.h"
#include "simulator/results_view.h"
#include "simulator/results_writer.h"

#include <QBuffer>
#include <QSaveFile>
#include <QTextStream>

namespace capsim::report {

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

QString count(std::int64_t value)
{
    return QString::fromStdString(formatCount(value));
}

QString units(double value)
{
    return QString::fromStdString(formatGrouped(value, 1));
}

QString usd(double value)
{
    return QString::fromStdString(formatUsd(value));
}

QString megabytes(std::int64_t bytes)
{
    return QString::fromStdString(formatGrouped(static_cast<double>(bytes) / 1e6, 2)) + QStringLiteral(" MB");
}

const char* kStyle = "body{font-family:sans-serif;max-width:1450px;margin:2em auto;padding:0 1em;color:#222}"
                     "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                     "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                     "tr.index td{color:#555}tr.index td:first-child{padding-left:2em}"
                     "td.hot{color:#d62728;font-weight:bold}img{max-width:100%;margin:1em 0;display:block}"
                     "p.note{color:#555;font-size:90%}";

QString documentStart(const RunResult& run, const QString& titlePrefix)
{
    QString html;
    QTextStream out(&html);
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << titlePrefix << text(run.scenario)
        << "</title><style>" << kStyle << "</style></head><body>\n";
    out << "<h1>" << text(run.scenario) << "</h1>\n";
    return html;
}

QString imageTag(const QImage& image, const QString& alt)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("<img alt=\"%1\" src=\"data:image/png;base64,%2\">\n")
        .arg(alt.toHtmlEscaped(), QString::fromLatin1(bytes.toBase64()));
}

void figuresRow(QTextStream& out, const TableResult& t, const QString& name, const QString& mode, double simulatedSeconds)
{
    const bool index = t.indexKind.has_value();
    const auto capacity = meanProvisionedCapacity(t, simulatedSeconds);
    const std::int64_t throttled = t.throttledRead + t.throttledWrite;
    out << (index ? "<tr class=\"index\">" : "<tr>") << "<td>" << name << "</td><td>" << mode << "</td><td>"
        << count(t.requestsRead) << " / " << count(t.requestsWrite) << "</td><td" << (throttled > 0 ? " class=\"hot\"" : "")
        << ">" << count(t.throttledRead) << " / " << count(t.throttledWrite) << "</td><td>"
        << (index ? QStringLiteral("-") : count(t.failedRead) + " / " + count(t.failedWrite)) << "</td><td>"
        << (capacity ? units(capacity->first) + " / " + units(capacity->second) : QStringLiteral("-")) << "</td><td>"
        << units(t.consumedRead) << " / " << units(t.consumedWrite) << "</td><td>" << count(t.partitionsInitial) << " &rarr; "
        << count(t.partitionsFinal) << "</td><td>" << megabytes(t.storageBytes) << "</td><td>" << usd(t.cost.total())
        << "</td></tr>\n";
}

void figuresTable(QTextStream& out, const RunResult& run)
{
    out << "<h2>Tables and indexes</h2>\n<table><tr><th>table / index</th><th>mode</th><th>requests (read / write)</th>"
           "<th>throttled</th><th>failed</th><th>mean provisioned (RCU / WCU)</th><th>consumed units (RCU / WCU)</th>"
           "<th>partitions</th><th>storage</th><th>cost</th></tr>\n";
    bool anyIndex = false;
    for (const auto& t : run.tables) {
        figuresRow(out, t, text(t.name), QString::fromLatin1(billingModeName(t.billingMode)), run.simulatedSeconds);
        for (const auto& index : t.indexes) {
            anyIndex = true;
            figuresRow(out, index, text(index.name), index.indexKind == IndexKind::Local ? QStringLiteral("LSI") : QStringLiteral("GSI"),
                run.simulatedSeconds);
        }
    }
    out << "</table>\n<p class=\"note\">Requests, throttles and failures count requests (attempts that reached DynamoDB, "
           "retries included; failed: requests the client gave up on); consumed units are totals over the run.";
    if (anyIndex)
        out << " Index rows show the index's own requests, throttles and units: a GSI short of write capacity "
               "throttles its table's writes. A table's cost includes its indexes.";
    out << "</p>\n";
}

void costTable(QTextStream& out, const RunResult& run)
{
    out << "<h2>Cost</h2>\n<table><tr><th>table</th><th>read</th><th>write</th><th>storage</th><th>indexes</th>"
           "<th>free tier</th><th>total</th><th>in the other capacity mode</th></tr>\n";
    for (const auto& t : run.tables)
        out << "<tr><td>" << text(t.name) << "</td><td>" << usd(t.cost.read) << "</td><td>" << usd(t.cost.write) << "</td><td>"
            << usd(t.cost.storage) << "</td><td>" << usd(t.cost.indexes) << "</td><td>" << usd(t.cost.freeTier) << "</td><td>"
            << usd(t.cost.total()) << "</td><td>" << usd(t.alternativeModeCost) << "</td></tr>\n";
    out << "<tr><th>total</th><td></td><td></td><td></td><td></td><td></td><th>" << usd(run.costTotal())
        << "</th><td></td></tr>\n</table>\n";
}

} // namespace

QString explanationHtml(const RunResult& run)
{
    QString html;
    for (const auto& paragraph : explainRun(run))
        html += QStringLiteral("<p>") + text(paragraph) + QStringLiteral("</p>\n");
    return html;
}

QString explanationDocument(const RunResult& run)
{
    return documentStart(run, QStringLiteral("capsim explain: ")) + explanationHtml(run) + QStringLiteral("</body></html>\n");
}

QString htmlReport(const RunResult& run)
{
    QString html = documentStart(run, QStringLiteral("capsim report: "));
    QTextStream out(&html);
    if (!run.description.empty())
        out << "<p>" << text(run.description) << "</p>\n";
    out << "<p>Seed " << run.seed << ", " << text(formatClock(run.simulatedSeconds)) << " simulated ("
        << text(formatGrouped(run.simulatedSeconds, 0)) << " s), fidelity "
        << (run.fidelityMode == FidelitySpec::Mode::Sampled ? "sampled at " + text(formatNumber(run.fidelityRate, 4))
                : run.fidelityMode == FidelitySpec::Mode::Fluid ? "fluid, step " + text(fidelityStepText(run.fidelityStep))
                                                                 : QStringLiteral("full"))
        << (run.cancelled ? QStringLiteral(", <b>cancelled</b>") : QString()) << ", pricing " << text(run.pricingLabel)
        << ". Total cost <b>" << usd(run.costTotal()) << "</b> (" << text(run.currency) << ").</p>\n";
    figuresTable(out, run);
    costTable(out, run);
    out << "<h2>What happened</h2>\n" << explanationHtml(run);
    out << "<h2>Charts</h2>\n";
    for (const auto& t : run.tables) {
        const QString name = QString::fromStdString(t.name);
        out << "<h3>" << name.toHtmlEscaped() << "</h3>\n";
        // The table's capacity chart has a panel for each of its GSIs.
        out << imageTag(capacityChart(t, run.events), name + QStringLiteral(" capacity"));
        out << imageTag(heatMap(t, QSize(1400, 700), heatColouring(run, HeatMeasure::OwnLimit)), name + QStringLiteral(" heat map"));
    }
    out << "<h3>Cost over time</h3>\n" << imageTag(costChart(run), QStringLiteral("cost"));
    out << "</body></html>\n";
    return html;
}

bool writeHtmlReport(const RunResult& run, const QString& path, QString* error)
{
    // QSaveFile writes a temporary file beside `path` and renames it over `path` on commit().
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(htmlReport(run).toUtf8());
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace capsim::report
