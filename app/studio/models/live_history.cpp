#include "app/studio/models/live_history.h"

#include "simulator/pricing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace capsim::studio {

namespace {

std::optional<double> optionalNumber(const QJsonValue& value)
{
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

// The figures a table and a GSI share (app/cli/live_view.h).
void readCapacity(const QJsonObject& o, LiveEntry& entry)
{
    BillingMode mode = BillingMode::Provisioned;
    if (parseBillingMode(o.value(QStringLiteral("billingMode")).toString().toStdString(), mode))
        entry.billingMode = mode;
    entry.readCapacity = o.value(QStringLiteral("readCapacity")).toDouble();
    entry.writeCapacity = o.value(QStringLiteral("writeCapacity")).toDouble();
    entry.readRateInForce = optionalNumber(o.value(QStringLiteral("readRateInForce")));
    entry.writeRateInForce = optionalNumber(o.value(QStringLiteral("writeRateInForce")));
    entry.partitions = o.value(QStringLiteral("partitions")).toInteger();
    entry.itemCount = o.value(QStringLiteral("itemCount")).toInteger();
    entry.sizeBytes = o.value(QStringLiteral("sizeBytes")).toInteger();
}

const PricingTable& pricesFor(const QString& region)
{
    // Built-in tables are parsed once per region; unknown regions are priced as us-east-1.
    static std::map<QString, PricingTable> cache;
    auto found = cache.find(region);
    if (found == cache.end()) {
        auto prices = builtInPricing(region.toStdString());
        found = cache.emplace(region, prices ? std::move(prices).value() : builtInPricing("us-east-1").value()).first;
    }
    return found->second;
}

} // namespace

QString LiveEntry::label() const
{
    const QString name = index.isEmpty() ? table : table + QStringLiteral(" / ") + index;
    return region + QStringLiteral(" · ") + name;
}

bool LiveHistory::merge(const QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError || !root.value(QStringLiteral("now")).isDouble()
        || !root.value(QStringLiteral("tables")).isArray() || !root.value(QStringLiteral("seconds")).isArray()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? QStringLiteral("the answer is not JSON (%1)").arg(parseError.errorString())
                : QStringLiteral("the answer has no now, tables and seconds: is this capsim serve?");
        return false;
    }
    const std::int64_t since = sinceSecond();
    m_now = root.value(QStringLiteral("now")).toInteger();
    m_entries.clear();
    for (const QJsonValue& t : root.value(QStringLiteral("tables")).toArray()) {
        const QJsonObject table = t.toObject();
        LiveEntry entry;
        entry.region = table.value(QStringLiteral("region")).toString();
        entry.table = table.value(QStringLiteral("name")).toString();
        TableClass tableClass = TableClass::Standard;
        if (parseTableClass(table.value(QStringLiteral("tableClass")).toString().toStdString(), tableClass))
            entry.tableClass = tableClass;
        readCapacity(table, entry);
        m_entries.push_back(entry);
        for (const QJsonValue& i : table.value(QStringLiteral("indexes")).toArray()) {
            LiveEntry gsi = entry;
            gsi.index = i.toObject().value(QStringLiteral("name")).toString();
            readCapacity(i.toObject(), gsi);
            m_entries.push_back(gsi);
        }
    }
    for (auto& [key, seconds] : m_seconds)
        seconds.erase(seconds.lower_bound(since), seconds.end());
    std::int64_t earliest = m_now;
    for (const QJsonValue& s : root.value(QStringLiteral("seconds")).toArray()) {
        const QJsonObject o = s.toObject();
        LiveSecond second;
        second.second = o.value(QStringLiteral("second")).toInteger();
        second.readUnits = o.value(QStringLiteral("readUnits")).toDouble();
        second.writeUnits = o.value(QStringLiteral("writeUnits")).toDouble();
        second.readThrottles = o.value(QStringLiteral("readThrottles")).toInteger();
        second.writeThrottles = o.value(QStringLiteral("writeThrottles")).toInteger();
        const QString key = o.value(QStringLiteral("region")).toString() + QLatin1Char('|')
            + o.value(QStringLiteral("table")).toString();
        m_seconds[key][second.second] = second;
        m_latestSecond = std::max(m_latestSecond, second.second);
        earliest = std::min(earliest, second.second);
    }
    if (m_firstSecond == 0 || earliest < m_firstSecond)
        m_firstSecond = earliest;
    for (const LiveEntry& entry : m_entries)
        m_rates[keyOf(entry)][m_now] = { entry.readRateInForce, entry.writeRateInForce };
    return true;
}

std::int64_t LiveHistory::sinceSecond() const
{
    return m_latestSecond;
}

const LiveEntry* LiveHistory::find(const QString& label) const
{
    const auto found
        = std::find_if(m_entries.begin(), m_entries.end(), [&](const LiveEntry& e) { return e.label() == label; });
    return found == m_entries.end() ? nullptr : &*found;
}

std::vector<LiveSecond> LiveHistory::seconds(const LiveEntry& entry, std::int64_t from, std::int64_t to) const
{
    std::vector<LiveSecond> out;
    const auto found = m_seconds.find(keyOf(entry));
    for (std::int64_t s = from; s < to; ++s) {
        LiveSecond second;
        second.second = s;
        if (found != m_seconds.end()) {
            if (const auto it = found->second.find(s); it != found->second.end())
                second = it->second;
        }
        out.push_back(second);
    }
    return out;
}

std::optional<double> LiveHistory::rateAt(const LiveEntry& entry, bool reads, std::int64_t second) const
{
    const auto found = m_rates.find(keyOf(entry));
    if (found == m_rates.end() || found->second.empty())
        return std::nullopt;
    auto it = found->second.upper_bound(second);
    if (it != found->second.begin())
        --it;
    std::optional<double> rate = reads ? it->second.first : it->second.second;
    // Before any poll saw a rate (no request yet), the first one seen stands in.
    for (auto next = it; !rate && next != found->second.end(); ++next)
        rate = reads ? next->second.first : next->second.second;
    return rate;
}

double LiveHistory::costUsd(const LiveEntry& entry) const
{
    const ClassPrices& prices = pricesFor(entry.region).prices(entry.tableClass);
    if (entry.billingMode == BillingMode::PayPerRequest) {
        double readUnits = 0;
        double writeUnits = 0;
        if (const auto found = m_seconds.find(keyOf(entry)); found != m_seconds.end()) {
            for (const auto& [second, s] : found->second) {
                readUnits += s.readUnits;
                writeUnits += s.writeUnits;
            }
        }
        return (readUnits * prices.onDemandReadPerMillion + writeUnits * prices.onDemandWritePerMillion) / 1e6;
    }
    // Provisioned capacity is paid per unit-hour whether used or not (reference A5).
    const double hours = static_cast<double>(std::max<std::int64_t>(0, m_now - m_firstSecond)) / 3600.0;
    return (entry.readCapacity * prices.provisionedReadUnitHour + entry.writeCapacity * prices.provisionedWriteUnitHour)
        * hours;
}

double LiveHistory::totalCostUsd() const
{
    double total = 0;
    for (const LiveEntry& entry : m_entries)
        total += costUsd(entry);
    return total;
}

} // namespace capsim::studio
