#include "simulator/sweep_advisor.h"

#include <charconv>
#include <cmath>

namespace capsim {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string metricList()
{
    std::string out;
    for (const auto& name : sweepMetricNames())
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

Result<SweepConstraint> parseTerm(std::string_view term)
{
    SweepConstraint c;
    c.text = std::string(term);
    const auto bad = [&](const std::string& what) {
        return Status::validation("--subject-to: '" + c.text + "': " + what
            + " (a term is METRIC OP NUMBER[%], e.g. failed=0 or throttled<=0.1%)");
    };
    const std::size_t opAt = term.find_first_of("=<>!");
    if (opAt == std::string_view::npos)
        return bad("no comparison (=, <, <=, >, >=)");
    c.metric = std::string(trim(term.substr(0, opAt)));
    if (c.metric.empty())
        return bad("the metric is missing");
    if (!sweepMetric(SweepMetrics {}, c.metric))
        return bad("unknown metric '" + c.metric + "'; the metrics are " + metricList());
    const std::size_t opEnd = std::min(term.find_first_not_of("=<>!", opAt), term.size());
    const std::string_view op = term.substr(opAt, opEnd - opAt);
    static const std::pair<std::string_view, SweepComparison> kOps[] = { { "=", SweepComparison::Equal },
        { "==", SweepComparison::Equal }, { "<", SweepComparison::Less }, { "<=", SweepComparison::LessOrEqual },
        { ">", SweepComparison::Greater }, { ">=", SweepComparison::GreaterOrEqual } };
    bool found = false;
    for (const auto& [text, comparison] : kOps) {
        if (op == text) {
            c.comparison = comparison;
            found = true;
        }
    }
    if (!found)
        return bad("unknown comparison '" + std::string(op) + "'");
    std::string_view rest = term.substr(opEnd);
    rest = trim(rest);
    if (!rest.empty() && rest.back() == '%') {
        c.percentOfRequests = true;
        rest = trim(rest.substr(0, rest.size() - 1));
        if (!isRequestCountMetric(c.metric))
            return bad("a percentage bound is a share of requests: only throttled and failed take one");
    }
    if (rest.empty())
        return bad("the number is missing");
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), c.bound);
    if (ec != std::errc() || end != rest.data() + rest.size() || !std::isfinite(c.bound))
        return bad(std::string(1, '\'').append(rest).append("' is not a number"));
    return c;
}

} // namespace

Result<std::vector<SweepConstraint>> parseSweepConstraints(std::string_view text)
{
    std::vector<SweepConstraint> constraints;
    if (trim(text).empty())
        return Status::validation("--subject-to: no constraint given (e.g. --subject-to \"failed=0,throttled<=0.1%\")");
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view term = trim(text.substr(start, comma - start));
        if (term.empty())
            return Status::validation(
                "--subject-to: '" + std::string(text) + "': an empty term (terms are separated by single commas)");
        auto parsed = parseTerm(term);
        if (!parsed)
            return parsed.status();
        constraints.push_back(std::move(*parsed));
        start = comma + 1;
    }
    return constraints;
}

Status checkSweepObjective(std::string_view name)
{
    if (!sweepMetric(SweepMetrics {}, name))
        return Status::validation(
            "--minimize: unknown metric '" + std::string(name) + "'; the metrics are " + metricList());
    return Status::ok();
}

bool meetsConstraint(const SweepMetrics& metrics, const SweepConstraint& c)
{
    double value = *sweepMetric(metrics, c.metric);
    double bound = c.bound;
    if (c.percentOfRequests) {
        // Compared as value * 100 against bound * requests: no division, exact for whole counts.
        value *= 100.0;
        bound *= static_cast<double>(metrics.requests);
    }
    switch (c.comparison) {
    case SweepComparison::Equal: return value == bound;
    case SweepComparison::Less: return value < bound;
    case SweepComparison::LessOrEqual: return value <= bound;
    case SweepComparison::Greater: return value > bound;
    case SweepComparison::GreaterOrEqual: return value >= bound;
    }
    return false;
}

bool meetsConstraints(const SweepMetrics& metrics, const std::vector<SweepConstraint>& constraints)
{
    for (const auto& c : constraints)
        if (!meetsConstraint(metrics, c))
            return false;
    return true;
}

std::optional<std::size_t> bestSweepPoint(
    const std::vector<SweepRow>& rows, std::string_view minimize, const std::vector<SweepConstraint>& constraints)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!meetsConstraints(rows[i].metrics, constraints))
            continue;
        const double value = sweepMetric(rows[i].metrics, minimize).value_or(0);
        if (!best) {
            best = i;
            continue;
        }
        const double bestValue = sweepMetric(rows[*best].metrics, minimize).value_or(0);
        if (value < bestValue || (value == bestValue && rows[i].point < rows[*best].point))
            best = i;
    }
    return best;
}

} // namespace capsim
