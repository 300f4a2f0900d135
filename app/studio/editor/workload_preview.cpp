#include "app/studio/editor/workload_preview.h"

#include "engine/key_codec.h"
#include "engine/table.h"
#include "simulator/scenario_loader.h"
#include "workloads/distributions.h"
#include "workloads/random.h"
#include "workloads/rate_pattern.h"
#include "workloads/request_generator.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace capsim::studio {

namespace {

const QString kFormat = QStringLiteral("capsim-scenario/1");

LoadResult loadJson(const QJsonObject& scenario, const QString& baseDirectory)
{
    const QByteArray text = QJsonDocument(scenario).toJson(QJsonDocument::Compact);
    return loadScenarioText(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())), baseDirectory.toStdString());
}

// The loader's first message, with the preview scenario's path prefix turned into the part's name.
QString firstError(const LoadResult& result, const QString& prefix, const QString& shownAs)
{
    if (result.errors.empty())
        return {};
    const auto& e = result.errors.front();
    QString path = QString::fromStdString(e.path);
    if (path.startsWith(prefix))
        path = shownAs + path.mid(prefix.size());
    return (path.isEmpty() ? QString() : path + QStringLiteral(": ")) + QString::fromStdString(e.message);
}

__extension__ using Uint128 = unsigned __int128;

// Where segment `segment` of `total` equal ranges of the hash space begins (as the engine does).
std::uint64_t segmentStart(std::uint64_t segment, std::uint64_t total)
{
    const Uint128 space = static_cast<Uint128>(1) << 64;
    return static_cast<std::uint64_t>(space * segment / total);
}

} // namespace

RatePreviewData computeRatePreview(const QJsonObject& scenario, const QJsonValue& pattern, const QString& baseDirectory)
{
    RatePreviewData data;
    QJsonObject preview {
        { QStringLiteral("format"), kFormat },
        { QStringLiteral("name"), QStringLiteral("preview") },
        { QStringLiteral("duration"),
            scenario.contains(QStringLiteral("duration")) ? scenario.value(QStringLiteral("duration"))
                                                          : QJsonValue(QStringLiteral("1h")) },
        { QStringLiteral("tables"),
            QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("preview") },
                { QStringLiteral("partitionKey"),
                    QJsonObject { { QStringLiteral("name"), QStringLiteral("k") },
                        { QStringLiteral("type"), QStringLiteral("S") } } },
                { QStringLiteral("billingMode"), QStringLiteral("PAY_PER_REQUEST") } } } },
        { QStringLiteral("workloads"),
            QJsonArray { QJsonObject { { QStringLiteral("table"), QStringLiteral("preview") },
                { QStringLiteral("rate"), pattern.isUndefined() ? QJsonValue(QJsonValue::Null) : pattern },
                { QStringLiteral("operations"), QJsonObject { { QStringLiteral("GetItem"), 1 } } } } } },
    };
    const LoadResult result = loadJson(preview, baseDirectory);
    if (!result.scenario) {
        data.error = firstError(result, QStringLiteral("workloads[0].rate"), QStringLiteral("rate"));
        return data;
    }
    const RatePatternSpec& rate = result.scenario->workloads.front().rate;
    const double end = static_cast<double>(result.scenario->duration);
    const double seconds = end / static_cast<double>(kSimSecond);
    double unitMicros = static_cast<double>(kSimSecond);
    data.timeUnit = QStringLiteral("s");
    if (seconds > 7 * 86400.0) {
        unitMicros *= 86400;
        data.timeUnit = QStringLiteral("d");
    } else if (seconds > 6 * 3600.0) {
        unitMicros *= 3600;
        data.timeUnit = QStringLiteral("h");
    } else if (seconds > 600) {
        unitMicros *= 60;
        data.timeUnit = QStringLiteral("min");
    }
    data.runLength = end / unitMicros;
    auto point = [&](double t, double r) { data.points.append(QPointF(t / unitMicros, r)); };

    constexpr int kMaxSteps = 4000;
    if (isPiecewiseConstant(rate)) {
        double t = 0;
        int steps = 0;
        while (t < end && steps < kMaxSteps) {
            const double r = rateAtMicros(rate, t);
            double next = std::min(nextRateBreakpoint(rate, t), end);
            if (!(next > t))
                next = end;
            point(t, r);
            point(next, r);
            t = next;
            ++steps;
        }
        if (t >= end)
            return data;
        data.points.clear(); // too many steps to draw exactly: sample instead
    }
    constexpr int kSamples = 800;
    std::set<double> times;
    for (int i = 0; i <= kSamples; ++i)
        times.insert(end * i / kSamples);
    std::set<double> breaks;
    for (double t = 0; breaks.size() < static_cast<std::size_t>(kMaxSteps);) {
        const double next = nextRateBreakpoint(rate, t);
        if (!(next > t) || next >= end)
            break;
        breaks.insert(next);
        t = next;
    }
    for (double b : breaks) {
        times.insert(b);
        times.insert(std::max(0.0, b - 1e-3));
    }
    for (double t : times)
        point(t, rateAtMicros(rate, std::min(t, std::nextafter(end, 0.0))));
    return data;
}

PartitionPreviewData computePartitionPreview(
    const QJsonObject& scenario, int workloadIndex, const QString& baseDirectory, int sampledKeys)
{
    PartitionPreviewData data;
    const QJsonArray workloads = scenario.value(QStringLiteral("workloads")).toArray();
    if (workloadIndex < 0 || workloadIndex >= workloads.size()) {
        data.error = QObject::tr("no such workload");
        return data;
    }
    const QJsonObject workload = workloads.at(workloadIndex).toObject();
    data.tableName = workload.value(QStringLiteral("table")).toString();
    QJsonObject table;
    for (const auto& t : scenario.value(QStringLiteral("tables")).toArray())
        if (t.toObject().value(QStringLiteral("name")).toString() == data.tableName)
            table = t.toObject();
    if (table.isEmpty()) {
        data.error = QObject::tr("no table named \"%1\" in tables").arg(data.tableName);
        return data;
    }
    QJsonObject previewWorkload { { QStringLiteral("table"), data.tableName },
        { QStringLiteral("rate"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("constant") }, { QStringLiteral("rate"), 1 } } },
        { QStringLiteral("operations"), QJsonObject { { QStringLiteral("GetItem"), 1 } } } };
    if (workload.contains(QStringLiteral("keys")))
        previewWorkload.insert(QStringLiteral("keys"), workload.value(QStringLiteral("keys")));
    QJsonObject preview { { QStringLiteral("format"), kFormat }, { QStringLiteral("name"), QStringLiteral("preview") },
        { QStringLiteral("duration"), 60 }, { QStringLiteral("tables"), QJsonArray { table } },
        { QStringLiteral("workloads"), QJsonArray { previewWorkload } } };
    for (const char* key : { "seed", "model" })
        if (scenario.contains(QLatin1String(key)))
            preview.insert(QLatin1String(key), scenario.value(QLatin1String(key)));
    const LoadResult result = loadJson(preview, baseDirectory);
    if (!result.scenario) {
        QString error = firstError(result, QStringLiteral("workloads[0]"), QStringLiteral("workload"));
        error.replace(QStringLiteral("tables[0]"), QStringLiteral("table"));
        data.error = error;
        return data;
    }
    const Scenario& s = *result.scenario;
    const TableSpec& spec = s.tables.front();
    std::uint64_t partitions = spec.billingMode == BillingMode::Provisioned
        ? throughputPartitions(spec.provisionedRead, spec.provisionedWrite)
        : onDemandPartitions(spec.onDemand.previousPeakRead, spec.onDemand.previousPeakWrite, s.model.partitionRead,
            s.model.partitionWrite);
    data.note = spec.billingMode == BillingMode::Provisioned
        ? QObject::tr("%1 partition(s) for %2 RCU / %3 WCU")
              .arg(partitions)
              .arg(spec.provisionedRead)
              .arg(spec.provisionedWrite)
        : QObject::tr("%1 partitions for twice the previous peak (%2 reads / %3 writes per second): max(4, "
                      "read ceiling / %4, write ceiling / %5)")
              .arg(partitions)
              .arg(std::min<std::int64_t>(2 * spec.onDemand.previousPeakRead, kTableQuotaUnits))
              .arg(std::min<std::int64_t>(2 * spec.onDemand.previousPeakWrite, kTableQuotaUnits))
              .arg(s.model.partitionRead)
              .arg(s.model.partitionWrite);
    if (spec.initialData) {
        // The initial data splits partitions that outgrow the partition size; hashing spreads
        // items evenly, so they split together.
        const auto& size = spec.initialData->itemSize;
        const double mean = size.type == SizeDistributionSpec::Type::Fixed ? size.value
            : size.type == SizeDistributionSpec::Type::Uniform             ? (size.min + size.max) / 2
                                                               : size.median * std::exp(size.sigma * size.sigma / 2);
        const double bytes = mean * static_cast<double>(spec.initialData->items);
        const double limit = static_cast<double>(s.model.partitionSizeBytes);
        const std::uint64_t before = partitions;
        while (bytes / static_cast<double>(partitions) > limit && partitions < 4096)
            partitions *= 2;
        if (partitions != before)
            data.note
                += QObject::tr(", split to %1 for %2 GB of initial data").arg(partitions).arg(bytes / 1e9, 0, 'f', 1);
    }
    std::vector<std::uint64_t> starts;
    for (std::uint64_t i = 0; i < partitions; ++i)
        starts.push_back(segmentStart(i, partitions));

    KeySampler sampler(s.workloads.front().keys);
    Rng rng(s.seed, rngStream(workloadIndex, RngPurpose::Keys));
    std::vector<int> counts(partitions, 0);
    for (int i = 0; i < sampledKeys; ++i) {
        const std::int64_t key = sampler.drawPartitionKey(rng);
        const std::uint64_t hash = partitionHash(encodeKeyValue(partitionKeyValue(spec.partitionKey.type, key)));
        const auto it = std::upper_bound(starts.begin(), starts.end(), hash);
        ++counts[static_cast<std::size_t>(it - starts.begin()) - 1];
    }
    for (int c : counts)
        data.sharePercent.append(100.0 * c / std::max(1, sampledKeys));
    data.sampledKeys = sampledKeys;
    return data;
}

} // namespace capsim::studio
