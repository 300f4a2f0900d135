#include "app/studio/models/global_tables.h"

#include "app/studio/models/display_format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

std::optional<double> durationSeconds(const QJsonValue& value)
{
    if (value.isDouble()) {
        const double v = value.toDouble();
        return std::isfinite(v) && v >= 0 ? std::optional<double>(v) : std::nullopt;
    }
    if (!value.isString())
        return std::nullopt;
    static const QRegularExpression pattern(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*(ms|s|m|h|d)\\s*$"));
    const auto match = pattern.match(value.toString());
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    const double scale = unit == QLatin1String("ms") ? 0.001
        : unit == QLatin1String("s")                 ? 1.0
        : unit == QLatin1String("m")                 ? 60.0
        : unit == QLatin1String("h")                 ? 3600.0
                                                     : 86400.0;
    return number * scale;
}

std::vector<RegionOutage> regionOutages(const QString& scenarioJson)
{
    std::vector<RegionOutage> outages;
    const QJsonObject scenario = QJsonDocument::fromJson(scenarioJson.toUtf8()).object();
    for (const QJsonValue& value : scenario.value(QStringLiteral("events")).toArray()) {
        const QJsonObject e = value.toObject();
        if (e.value(QStringLiteral("action")).toString() != QLatin1String("regionOutage"))
            continue;
        const QString region = e.value(QStringLiteral("region")).toString();
        const auto at = durationSeconds(e.value(QStringLiteral("at")));
        const auto length = durationSeconds(e.value(QStringLiteral("duration")));
        if (region.isEmpty() || !at || !length)
            continue;
        outages.push_back({ region.toStdString(), *at, *at + *length });
    }
    std::stable_sort(outages.begin(), outages.end(),
        [](const RegionOutage& a, const RegionOutage& b) { return a.startSeconds < b.startSeconds; });
    return outages;
}

std::string scenarioRegion(const QString& scenarioJson)
{
    const QString region
        = QJsonDocument::fromJson(scenarioJson.toUtf8()).object().value(QStringLiteral("region")).toString();
    return region.isEmpty() ? std::string("us-east-1") : region.toStdString();
}

std::vector<charts::ZoomChartView::Band> outageBands(const std::vector<RegionOutage>& outages, const std::string& ownRegion)
{
    std::vector<charts::ZoomChartView::Band> bands;
    for (const RegionOutage& o : outages) {
        const bool own = o.region == ownRegion;
        const QString region = QString::fromStdString(o.region);
        bands.push_back({ o.startSeconds / 60.0, o.endSeconds / 60.0, QStringLiteral("%1 outage").arg(region),
            own ? QColor(0xc6, 0x28, 0x28) : QColor(0xe0, 0x7b, 0x00),
            QStringLiteral("regionOutage: %1 unreachable for %2 (its requests fail; replication to and from it queues, "
                           "then catches up)")
                .arg(region, formatDuration(o.endSeconds - o.startSeconds)) });
    }
    return bands;
}

bool hasReplicas(const TableResult& table)
{
    return !table.replicas.empty() || table.replicaSummaries.size() > 1 || table.uses.replication;
}

bool runHasReplicas(const RunResult& run)
{
    return std::any_of(run.tables.begin(), run.tables.end(), [](const TableResult& t) { return hasReplicas(t); });
}

bool runHasDax(const RunResult& run)
{
    return std::any_of(run.tables.begin(), run.tables.end(), [](const TableResult& t) { return t.dax.has_value(); });
}

namespace {

void subtract(CostBreakdown& from, const CostBreakdown& c)
{
    from.read -= c.read;
    from.write -= c.write;
    from.storage -= c.storage;
    from.freeTier -= c.freeTier;
    from.indexes -= c.indexes;
    from.streams -= c.streams;
    from.pitr -= c.pitr;
    from.backups -= c.backups;
    from.restore -= c.restore;
    from.dataExport -= c.dataExport;
    from.dataImport -= c.dataImport;
    from.dax -= c.dax;
    from.replication -= c.replication;
}

const ReplicaSummary* summaryOf(const TableResult& table, const std::string& region)
{
    for (const ReplicaSummary& s : table.replicaSummaries)
        if (s.region == region)
            return &s;
    return nullptr;
}

} // namespace

std::vector<RegionView> regionViews(const TableResult& table, const std::string& fallbackRegion)
{
    std::vector<RegionView> views;
    RegionView own;
    own.region = !table.region.empty() ? table.region
        : !table.replicaSummaries.empty() && !table.replicaSummaries.front().region.empty()
        ? table.replicaSummaries.front().region
        : fallbackRegion;
    own.table = &table;
    own.summary = summaryOf(table, own.region);
    own.cost = table.cost;
    for (const TableResult& replica : table.replicas)
        subtract(own.cost, replica.cost);
    views.push_back(own);
    for (std::size_t i = 0; i < table.replicas.size(); ++i) {
        const TableResult& replica = table.replicas[i];
        RegionView view;
        view.region = !replica.region.empty() ? replica.region
            : i + 1 < table.replicaSummaries.size() ? table.replicaSummaries[i + 1].region
                                                    : replica.name;
        view.table = &replica;
        view.summary = summaryOf(table, view.region);
        view.cost = replica.cost;
        views.push_back(view);
    }
    return views;
}

std::optional<double> daxHitRatio(const MinuteRow& row)
{
    const std::int64_t cacheable = row.daxHits + row.daxMisses;
    if (cacheable <= 0)
        return std::nullopt;
    return static_cast<double>(row.daxHits) / static_cast<double>(cacheable);
}

double offloadedUnitsPerHit(const DaxSummary& dax)
{
    return dax.hits > 0 ? dax.offloadedReadUnits / static_cast<double>(dax.hits) : 0.0;
}

double offloadedReadPerSecond(const MinuteRow& row, const DaxSummary& dax)
{
    return static_cast<double>(row.daxHits) * offloadedUnitsPerHit(dax) / 60.0;
}

QString formatByteCount(double bytes)
{
    static const char* const units[] = { "bytes", "KB", "MB", "GB", "TB" };
    int unit = 0;
    while (std::abs(bytes) >= 1000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(formatNumber(bytes, unit == 0 ? 0 : 2), QLatin1String(units[unit]));
}

} // namespace capsim::studio
