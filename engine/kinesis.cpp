// Kinesis Data Streams for DynamoDB destinations (engine/kinesis.h): enable, disable, update and
// describe, with the status following the engine's clock. Each destination is one row of the
// exchange store (kind "kinesis", ARN "<table ARN>|<stream ARN>"), so it persists across processes.

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/sqlite/exchange_store.h"

#include <boost/json.hpp>

namespace capsim {

namespace json = boost::json;

using namespace engine_internal;

namespace {

constexpr const char* kKinesisKind = "kinesis";

std::string rowArn(const std::string& tableArn, const std::string& streamArn)
{
    return tableArn + "|" + streamArn;
}

std::string destinationToJson(const KinesisDestination& d)
{
    json::object o;
    o["tableName"] = d.tableName;
    o["streamArn"] = d.streamArn;
    o["precision"] = d.precision;
    o["enabledAt"] = d.enabledAt;
    if (d.disabledAt)
        o["disabledAt"] = *d.disabledAt;
    o["toggleDelay"] = d.toggleDelay;
    return json::serialize(o);
}

Result<KinesisDestination> destinationFromJson(const std::string& text)
{
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object())
        return Status::internal("a stored Kinesis destination is not JSON");
    try {
        const auto& o = v.as_object();
        KinesisDestination d;
        d.tableName = std::string(o.at("tableName").as_string());
        d.streamArn = std::string(o.at("streamArn").as_string());
        d.precision = std::string(o.at("precision").as_string());
        d.enabledAt = o.at("enabledAt").to_number<std::int64_t>();
        if (const auto* at = o.if_contains("disabledAt"))
            d.disabledAt = at->to_number<std::int64_t>();
        d.toggleDelay = o.at("toggleDelay").to_number<std::int64_t>();
        return d;
    } catch (const std::exception& e) {
        return Status::internal(std::string("a stored Kinesis destination is malformed: ") + e.what());
    }
}

Status checkPrecision(const std::string& precision, const char* field)
{
    if (precision == "MILLISECOND" || precision == "MICROSECOND")
        return Status::ok();
    return Status::validation("1 validation error detected: Value '" + precision + "' at '" + field
        + "' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]");
}

} // namespace

const char* kinesisDestinationStatusName(KinesisDestinationStatus status)
{
    switch (status) {
    case KinesisDestinationStatus::Enabling: return "ENABLING";
    case KinesisDestinationStatus::Active: return "ACTIVE";
    case KinesisDestinationStatus::Disabling: return "DISABLING";
    case KinesisDestinationStatus::Disabled: return "DISABLED";
    }
    return "";
}

bool validKinesisStreamArn(const std::string& arn)
{
    // arn:aws:kinesis:<region>:<12-digit account>:stream/<name>
    constexpr std::string_view kStart = "arn:aws:kinesis:";
    if (arn.size() < 37 || arn.size() > 1024 || !arn.starts_with(kStart))
        return false;
    const auto regionEnd = arn.find(':', kStart.size());
    if (regionEnd == std::string::npos || regionEnd == kStart.size())
        return false;
    const auto accountEnd = arn.find(':', regionEnd + 1);
    if (accountEnd == std::string::npos || accountEnd - regionEnd - 1 != 12)
        return false;
    for (std::size_t i = regionEnd + 1; i < accountEnd; ++i)
        if (arn[i] < '0' || arn[i] > '9')
            return false;
    const std::string_view rest = std::string_view(arn).substr(accountEnd + 1);
    return rest.starts_with("stream/") && rest.size() > 7 && rest.find('/', 7) == std::string_view::npos;
}

Result<KinesisDestination> Engine::enableKinesisStreamingDestination(
    const std::string& tableName, const std::string& streamArn, const std::optional<std::string>& precision, EngineTime now)
{
    m_now = std::max(m_now, now);
    if (precision)
        CAPSIM_RETURN_IF_ERROR(checkPrecision(*precision, "enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision"));
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFound(tableName);
    if (!validKinesisStreamArn(streamArn))
        return Status::validation("1 validation error detected: Value '" + streamArn
            + "' at 'streamArn' failed to satisfy constraint: Member must be a Kinesis data stream ARN "
              "(arn:aws:kinesis:<region>:<account>:stream/<name>)");
    const std::string arn = rowArn(tableArn(tableName), streamArn);
    auto existing = m_exchangeStore->find(kKinesisKind, arn);
    if (!existing)
        return existing.status();
    ExchangeJobRow row;
    if (*existing) {
        auto d = destinationFromJson((*existing)->record);
        if (!d)
            return d.status();
        const auto status = d->statusAt(now);
        if (status != KinesisDestinationStatus::Disabled)
            return Status(error::kResourceInUse, "Table: " + tableName + " is already streaming to " + streamArn
                    + " (DestinationStatus " + kinesisDestinationStatusName(status) + ")");
        row = **existing;
    }
    KinesisDestination d;
    d.tableName = tableName;
    d.streamArn = streamArn;
    d.precision = precision.value_or("MILLISECOND");
    d.enabledAt = now;
    d.toggleDelay = m_streamToggleDelay;
    row.kind = kKinesisKind;
    row.arn = arn;
    row.tableArn = tableArn(tableName);
    row.record = destinationToJson(d);
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->put(row));
    return d;
}

Result<KinesisDestination> Engine::disableKinesisStreamingDestination(
    const std::string& tableName, const std::string& streamArn, EngineTime now)
{
    m_now = std::max(m_now, now);
    if (!table(tableName))
        return tableNotFound(tableName);
    if (!validKinesisStreamArn(streamArn))
        return Status::validation("1 validation error detected: Value '" + streamArn
            + "' at 'streamArn' failed to satisfy constraint: Member must be a Kinesis data stream ARN "
              "(arn:aws:kinesis:<region>:<account>:stream/<name>)");
    auto existing = m_exchangeStore->find(kKinesisKind, rowArn(tableArn(tableName), streamArn));
    if (!existing)
        return existing.status();
    std::optional<KinesisDestination> d;
    if (*existing) {
        auto decoded = destinationFromJson((*existing)->record);
        if (!decoded)
            return decoded.status();
        d = std::move(decoded).value();
    }
    if (!d || d->disabledAt)
        return Status::validation("Table: " + tableName + " is not streaming to " + streamArn);
    d->disabledAt = now;
    ExchangeJobRow row = **existing;
    row.record = destinationToJson(*d);
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->put(row));
    return *d;
}

Result<KinesisDestination> Engine::updateKinesisStreamingDestination(
    const std::string& tableName, const std::string& streamArn, const std::string& precision, EngineTime now)
{
    m_now = std::max(m_now, now);
    CAPSIM_RETURN_IF_ERROR(checkPrecision(precision, "updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision"));
    if (!table(tableName))
        return tableNotFound(tableName);
    auto existing = m_exchangeStore->find(kKinesisKind, rowArn(tableArn(tableName), streamArn));
    if (!existing)
        return existing.status();
    if (!*existing)
        return Status::validation("Table: " + tableName + " is not streaming to " + streamArn);
    auto d = destinationFromJson((**existing).record);
    if (!d)
        return d.status();
    if (d->statusAt(now) != KinesisDestinationStatus::Active)
        return Status(error::kResourceInUse, "The Kinesis streaming destination " + streamArn + " of table " + tableName
                + " is " + kinesisDestinationStatusName(d->statusAt(now)) + ", not ACTIVE");
    if (d->precision == precision)
        return Status::validation("ApproximateCreationDateTimePrecision is already " + precision);
    d->precision = precision;
    ExchangeJobRow row = **existing;
    row.record = destinationToJson(*d);
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->put(row));
    return *d;
}

Result<std::vector<KinesisDestination>> Engine::describeKinesisStreamingDestination(const std::string& tableName)
{
    if (!table(tableName))
        return tableNotFound(tableName);
    std::vector<KinesisDestination> out;
    Status decoded;
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->list(kKinesisKind, tableArn(tableName), 0, [&](const ExchangeJobRow& row) {
        auto d = destinationFromJson(row.record);
        if (!d) {
            decoded = d.status();
            return false;
        }
        out.push_back(std::move(d).value());
        return true;
    }));
    CAPSIM_RETURN_IF_ERROR(decoded);
    return out;
}

} // namespace capsim
