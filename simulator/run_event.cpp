#include "simulator/run_event.h"

#include "simulator/results_view.h"

#include <boost/json.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 13> kKindNames { {
    { EventKind::ScaleOut, "scaleOut" },
    { EventKind::ScaleIn, "scaleIn" },
    { EventKind::CapacityChanged, "capacityChanged" },
    { EventKind::PartitionSplit, "partitionSplit" },
    { EventKind::EventApplied, "eventApplied" },
    { EventKind::EventRefused, "eventRefused" },
    { EventKind::ThrottleStart, "throttleStart" },
    { EventKind::ThrottleEnd, "throttleEnd" },
    { EventKind::ModeSwitch, "modeSwitch" },
    { EventKind::IndexCreating, "indexCreating" },
    { EventKind::IndexActive, "indexActive" },
    { EventKind::IndexDeleted, "indexDeleted" },
    { EventKind::RequestFailed, "requestFailed" },
} };

constexpr std::array<std::pair<ChangeRefused::Request, std::string_view>, 10> kRequestNames { {
    { ChangeRefused::Request::AutoScaling, "autoScaling" },
    { ChangeRefused::Request::UpdateTable, "updateTable" },
    { ChangeRefused::Request::CreateIndex, "createIndex" },
    { ChangeRefused::Request::DeleteIndex, "deleteIndex" },
    { ChangeRefused::Request::Backfill, "backfill" },
    { ChangeRefused::Request::UpdateTimeToLive, "updateTimeToLive" },
    { ChangeRefused::Request::CreateBackup, "createBackup" },
    { ChangeRefused::Request::RestoreTable, "restoreTable" },
    { ChangeRefused::Request::ExportTable, "exportTable" },
    { ChangeRefused::Request::ImportTable, "importTable" },
} };

std::string text(std::int64_t value)
{
    return std::to_string(value);
}

// Simulated time as "hh:mm:ss" (hours unbounded), as refused events quote it: whole seconds of
// the microsecond clock.
std::string clockOf(double seconds)
{
    ClockFormat format;
    format.rounding = ClockFormat::Rounding::Down;
    format.seconds = ClockFormat::Seconds::Always;
    format.days = ClockFormat::Days::Never;
    return formatClock(static_cast<double>(std::llround(seconds * 1e6) / 1000000), format);
}

std::string scalingText(const ScalingDecision& s)
{
    return std::string(dimensionName(s.dimension)) + " " + text(s.fromUnits) + " -> " + text(s.toUnits)
        + " (mean of the last " + text(s.datapoints) + " minutes " + text(std::llround(s.meanUnitsPerSecond))
        + " units/s, target " + text(std::llround(s.targetPercent)) + "%)";
}

std::string updateText(const TableUpdated& u)
{
    std::string detail = "updateTable";
    if (u.tableClass)
        detail += std::string(" tableClass ") + tableClassName(*u.tableClass);
    if (u.billingMode)
        detail += std::string(" billingMode ") + billingModeName(*u.billingMode);
    else if (u.readUnits || u.writeUnits)
        detail += " provisioned " + text(u.readUnits.value_or(0)) + " RCU / " + text(u.writeUnits.value_or(0)) + " WCU";
    return detail;
}

std::string refusedText(const ChangeRefused& r, double timeSeconds)
{
    const std::string error = r.errorType + ": " + r.message;
    switch (r.request) {
    case ChangeRefused::Request::AutoScaling:
        return "auto scaling " + (r.scaling ? scalingText(*r.scaling) : std::string()) + ": " + error;
    case ChangeRefused::Request::UpdateTable: return "updateTable at " + clockOf(timeSeconds) + ": " + error;
    case ChangeRefused::Request::CreateIndex:
        return "createIndex " + r.index + " at " + clockOf(timeSeconds) + ": " + error;
    case ChangeRefused::Request::DeleteIndex:
        return "deleteIndex " + r.index + " at " + clockOf(timeSeconds) + ": " + error;
    case ChangeRefused::Request::Backfill: return "backfill of " + r.index + ": " + error;
    case ChangeRefused::Request::UpdateTimeToLive:
    case ChangeRefused::Request::CreateBackup:
    case ChangeRefused::Request::RestoreTable:
    case ChangeRefused::Request::ExportTable:
    case ChangeRefused::Request::ImportTable:
        for (const auto& [request, name] : kRequestNames)
            if (request == r.request)
                return std::string(name) + (r.subject.empty() ? "" : " " + r.subject) + " at " + clockOf(timeSeconds)
                    + ": " + error;
    }
    return error;
}

std::string dataMovedText(const DataMoved& d)
{
    std::string out = d.request + " " + d.name + ": " + d.status;
    if (d.sizeBytes > 0 || d.itemCount > 0)
        out += ", " + text(d.itemCount) + " items, " + text(d.sizeBytes) + " bytes";
    if (d.errorCount > 0)
        out += ", " + text(d.errorCount) + " item errors";
    if (!d.detail.empty())
        out += " (" + d.detail + ")";
    if (d.cost > 0) {
        char cost[64];
        std::snprintf(cost, sizeof cost, ", billed $%.6g", d.cost);
        out += cost;
    }
    return out;
}

// ---- JSON ----

json::string_view dimensionKey(Dimension d)
{
    return d == Dimension::Read ? "read" : "write";
}

bool readDimension(const json::object& o, Dimension& out)
{
    const auto* v = o.if_contains("dimension");
    if (!v || !v->is_string())
        return false;
    if (v->get_string() == "read")
        out = Dimension::Read;
    else if (v->get_string() == "write")
        out = Dimension::Write;
    else
        return false;
    return true;
}

bool readInt(const json::object& o, std::string_view key, std::int64_t& out)
{
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64())
        return false;
    out = v->get_int64();
    return true;
}

bool readDouble(const json::object& o, std::string_view key, double& out)
{
    const auto* v = o.if_contains(key);
    if (!v || !v->is_number())
        return false;
    out = v->to_number<double>();
    return true;
}

bool readString(const json::object& o, std::string_view key, std::string& out)
{
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string())
        return false;
    out = std::string(v->get_string());
    return true;
}

std::optional<std::int64_t> optionalInt(const json::object& o, std::string_view key)
{
    std::int64_t value = 0;
    if (readInt(o, key, value))
        return value;
    return std::nullopt;
}

json::object scalingJson(const ScalingDecision& s)
{
    return { { "dimension", dimensionKey(s.dimension) }, { "from", s.fromUnits }, { "to", s.toUnits },
        { "datapoints", s.datapoints }, { "mean", s.meanUnitsPerSecond }, { "target", s.targetPercent } };
}

bool readScaling(const json::object& o, ScalingDecision& s)
{
    return readDimension(o, s.dimension) && readInt(o, "from", s.fromUnits) && readInt(o, "to", s.toUnits)
        && readInt(o, "datapoints", s.datapoints) && readDouble(o, "mean", s.meanUnitsPerSecond)
        && readDouble(o, "target", s.targetPercent);
}

json::object updateJson(const TableUpdated& u)
{
    json::object o;
    if (u.tableClass)
        o["tableClass"] = tableClassName(*u.tableClass);
    if (u.billingMode)
        o["billingMode"] = billingModeName(*u.billingMode);
    if (u.readUnits)
        o["read"] = *u.readUnits;
    if (u.writeUnits)
        o["write"] = *u.writeUnits;
    return o;
}

bool readUpdate(const json::object& o, TableUpdated& u)
{
    std::string name;
    if (readString(o, "tableClass", name)) {
        TableClass c {};
        if (!parseTableClass(name, c))
            return false;
        u.tableClass = c;
    }
    if (readString(o, "billingMode", name)) {
        BillingMode m {};
        if (!parseBillingMode(name, m))
            return false;
        u.billingMode = m;
    }
    u.readUnits = optionalInt(o, "read");
    u.writeUnits = optionalInt(o, "write");
    return true;
}

json::object payloadJson(const EventPayload& payload)
{
    return std::visit(
        [](const auto& p) -> json::object {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return {};
            else if constexpr (std::is_same_v<T, ScalingDecision>)
                return scalingJson(p);
            else if constexpr (std::is_same_v<T, CapacityInForce>)
                return { { "dimension", dimensionKey(p.dimension) }, { "from", p.fromUnits }, { "to", p.toUnits } };
            else if constexpr (std::is_same_v<T, PartitionCountChange>)
                return { { "from", p.fromPartitions }, { "to", p.toPartitions }, { "forHeat", p.forHeat } };
            else if constexpr (std::is_same_v<T, BillingModeInForce>)
                return { { "billingMode", billingModeName(p.mode) } };
            else if constexpr (std::is_same_v<T, ThrottleChange>)
                return { { "dimension", dimensionKey(p.dimension) }, { "minute", p.minute },
                    { "throttled", p.throttledRequests }, { "error", p.errorType } };
            else if constexpr (std::is_same_v<T, WorkloadRateChanged>)
                return { { "workload", p.workload } };
            else if constexpr (std::is_same_v<T, TimeToLiveUpdated>)
                return { { "timeToLive", json::object { { "enabled", p.enabled }, { "attribute", p.attribute } } } };
            else if constexpr (std::is_same_v<T, DataMoved>)
                return { { "dataMovement",
                    json::object { { "request", p.request }, { "name", p.name }, { "status", p.status },
                        { "sizeBytes", p.sizeBytes }, { "itemCount", p.itemCount }, { "errorCount", p.errorCount },
                        { "detail", p.detail }, { "cost", p.cost } } } };
            else if constexpr (std::is_same_v<T, AutoScalingPolicyChanged>)
                return { { "autoScalingRemoved", p.removed } };
            else if constexpr (std::is_same_v<T, RegionOutageChange>)
                return { { "regionOutage",
                    json::object { { "region", p.region }, { "down", p.down }, { "durationSeconds", p.durationSeconds },
                        { "queuedChanges", p.queuedChanges } } } };
            else if constexpr (std::is_same_v<T, TableUpdated>) {
                json::object o { { "updateTable", updateJson(p) } };
                return o;
            } else if constexpr (std::is_same_v<T, IndexChange>)
                return { { "index", p.index }, { "items", p.items } };
            else if constexpr (std::is_same_v<T, ChangeRefused>) {
                json::object o;
                for (const auto& [request, name] : kRequestNames)
                    if (request == p.request)
                        o["request"] = json::string_view(name.data(), name.size());
                if (p.scaling)
                    o["scaling"] = scalingJson(*p.scaling);
                if (p.update)
                    o["update"] = updateJson(*p.update);
                if (!p.index.empty())
                    o["index"] = p.index;
                if (!p.subject.empty())
                    o["subject"] = p.subject;
                o["error"] = p.errorType;
                o["message"] = p.message;
                return o;
            } else if constexpr (std::is_same_v<T, RequestFailure>)
                return { { "operation", p.operation }, { "error", p.errorType }, { "message", p.message } };
            else
                return { { "text", p.text } };
        },
        payload);
}

std::optional<EventPayload> readPayload(EventKind kind, const json::object& o)
{
    switch (kind) {
    case EventKind::ScaleOut:
    case EventKind::ScaleIn: {
        ScalingDecision s;
        if (readScaling(o, s))
            return s;
        return std::nullopt;
    }
    case EventKind::CapacityChanged: {
        CapacityInForce c;
        if (readDimension(o, c.dimension) && readInt(o, "from", c.fromUnits) && readInt(o, "to", c.toUnits))
            return c;
        return std::nullopt;
    }
    case EventKind::PartitionSplit: {
        PartitionCountChange c;
        const auto* heat = o.if_contains("forHeat");
        if (!readInt(o, "from", c.fromPartitions) || !readInt(o, "to", c.toPartitions) || !heat || !heat->is_bool())
            return std::nullopt;
        c.forHeat = heat->get_bool();
        return c;
    }
    case EventKind::ModeSwitch: {
        std::string name;
        BillingModeInForce m;
        if (readString(o, "billingMode", name) && parseBillingMode(name, m.mode))
            return m;
        return std::nullopt;
    }
    case EventKind::ThrottleStart:
    case EventKind::ThrottleEnd: {
        ThrottleChange t;
        if (readDimension(o, t.dimension) && readInt(o, "minute", t.minute)
            && readInt(o, "throttled", t.throttledRequests) && readString(o, "error", t.errorType))
            return t;
        return std::nullopt;
    }
    case EventKind::EventApplied: {
        if (WorkloadRateChanged w; readString(o, "workload", w.workload))
            return w;
        if (const auto* ttl = o.if_contains("timeToLive"); ttl && ttl->is_object()) {
            TimeToLiveUpdated t;
            const auto* enabled = ttl->get_object().if_contains("enabled");
            if (!enabled || !enabled->is_bool() || !readString(ttl->get_object(), "attribute", t.attribute))
                return std::nullopt;
            t.enabled = enabled->get_bool();
            return t;
        }
        if (const auto* moved = o.if_contains("dataMovement"); moved && moved->is_object()) {
            const json::object& m = moved->get_object();
            DataMoved d;
            if (!readString(m, "request", d.request) || !readString(m, "name", d.name)
                || !readString(m, "status", d.status) || !readInt(m, "sizeBytes", d.sizeBytes)
                || !readInt(m, "itemCount", d.itemCount) || !readInt(m, "errorCount", d.errorCount)
                || !readString(m, "detail", d.detail) || !readDouble(m, "cost", d.cost))
                return std::nullopt;
            return d;
        }
        if (const auto* outage = o.if_contains("regionOutage"); outage && outage->is_object()) {
            const json::object& m = outage->get_object();
            RegionOutageChange r;
            const auto* down = m.if_contains("down");
            if (!readString(m, "region", r.region) || !down || !down->is_bool()
                || !readDouble(m, "durationSeconds", r.durationSeconds) || !readInt(m, "queuedChanges", r.queuedChanges))
                return std::nullopt;
            r.down = down->get_bool();
            return r;
        }
        if (const auto* removed = o.if_contains("autoScalingRemoved"); removed && removed->is_bool())
            return AutoScalingPolicyChanged { removed->get_bool() };
        if (const auto* update = o.if_contains("updateTable"); update && update->is_object()) {
            TableUpdated u;
            if (readUpdate(update->get_object(), u))
                return u;
        }
        return std::nullopt;
    }
    case EventKind::IndexCreating:
    case EventKind::IndexActive:
    case EventKind::IndexDeleted: {
        IndexChange c;
        if (readString(o, "index", c.index) && readInt(o, "items", c.items))
            return c;
        return std::nullopt;
    }
    case EventKind::EventRefused: {
        ChangeRefused r;
        std::string request;
        if (!readString(o, "request", request) || !readString(o, "error", r.errorType)
            || !readString(o, "message", r.message))
            return std::nullopt;
        bool known = false;
        for (const auto& [value, name] : kRequestNames)
            if (name == request) {
                r.request = value;
                known = true;
            }
        if (!known)
            return std::nullopt;
        if (const auto* scaling = o.if_contains("scaling")) {
            ScalingDecision s;
            if (!scaling->is_object() || !readScaling(scaling->get_object(), s))
                return std::nullopt;
            r.scaling = s;
        }
        if (const auto* update = o.if_contains("update")) {
            TableUpdated u;
            if (!update->is_object() || !readUpdate(update->get_object(), u))
                return std::nullopt;
            r.update = u;
        }
        readString(o, "index", r.index);
        readString(o, "subject", r.subject);
        return r;
    }
    case EventKind::RequestFailed: {
        RequestFailure f;
        if (readString(o, "operation", f.operation) && readString(o, "error", f.errorType)
            && readString(o, "message", f.message))
            return f;
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace

std::string_view eventKindName(EventKind kind)
{
    for (const auto& [k, name] : kKindNames)
        if (k == kind)
            return name;
    return "unknown";
}

std::optional<EventKind> parseEventKind(std::string_view name)
{
    for (const auto& [kind, n] : kKindNames)
        if (n == name)
            return kind;
    return std::nullopt;
}

std::string eventText(const RunEvent& e)
{
    return std::visit(
        [&](const auto& p) -> std::string {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return std::string();
            else if constexpr (std::is_same_v<T, ScalingDecision>)
                return scalingText(p);
            else if constexpr (std::is_same_v<T, CapacityInForce>)
                return std::string(dimensionName(p.dimension)) + " capacity " + text(p.fromUnits) + " -> "
                    + text(p.toUnits) + " units/s in force";
            else if constexpr (std::is_same_v<T, PartitionCountChange>)
                return text(p.fromPartitions) + " -> " + text(p.toPartitions) + " partitions"
                    + (p.forHeat ? " (split for heat)" : "");
            else if constexpr (std::is_same_v<T, BillingModeInForce>)
                return std::string("billing mode ") + billingModeName(p.mode) + " in force";
            else if constexpr (std::is_same_v<T, ThrottleChange>) {
                if (e.kind == EventKind::ThrottleEnd)
                    return std::string(dimensionName(p.dimension)) + " throttling ended in minute " + text(p.minute);
                return std::string(dimensionName(p.dimension)) + " throttling began in minute " + text(p.minute) + " ("
                    + text(p.throttledRequests) + " requests answered " + p.errorType + ")";
            } else if constexpr (std::is_same_v<T, WorkloadRateChanged>)
                return "workload " + p.workload + " rate changed";
            else if constexpr (std::is_same_v<T, AutoScalingPolicyChanged>)
                return p.removed ? "auto scaling removed" : "auto scaling policy set";
            else if constexpr (std::is_same_v<T, TableUpdated>)
                return updateText(p);
            else if constexpr (std::is_same_v<T, IndexChange>) {
                if (e.kind == EventKind::IndexCreating)
                    return "global secondary index " + p.index + " CREATING: backfilling " + text(p.items)
                        + " items through its write capacity";
                if (e.kind == EventKind::IndexActive)
                    return "global secondary index " + p.index + " ACTIVE after backfilling " + text(p.items)
                        + " entries";
                return "global secondary index " + p.index + " deleted";
            } else if constexpr (std::is_same_v<T, ChangeRefused>)
                return refusedText(p, e.timeSeconds);
            else if constexpr (std::is_same_v<T, RequestFailure>)
                return p.operation + " failed (the client gives up): " + p.errorType + ": " + p.message;
            else if constexpr (std::is_same_v<T, TimeToLiveUpdated>)
                return std::string("updateTimeToLive: TTL ") + (p.enabled ? "enabled" : "disabled") + " on " + p.attribute;
            else if constexpr (std::is_same_v<T, DataMoved>)
                return dataMovedText(p);
            else if constexpr (std::is_same_v<T, RegionOutageChange>) {
                if (p.down)
                    return "regionOutage " + p.region + ": unreachable for " + text(std::llround(p.durationSeconds))
                        + " s (its requests fail; replication to and from it queues)";
                return "regionOutage " + p.region + " ended: reachable again, " + text(p.queuedChanges)
                    + " replicated changes queued for it drain at model.replicationCatchUpRate";
            } else
                return p.text;
        },
        e.payload);
}

std::optional<Dimension> eventDimension(const RunEvent& e)
{
    if (const auto* s = std::get_if<ScalingDecision>(&e.payload))
        return s->dimension;
    if (const auto* c = std::get_if<CapacityInForce>(&e.payload))
        return c->dimension;
    if (const auto* t = std::get_if<ThrottleChange>(&e.payload))
        return t->dimension;
    if (const auto* r = std::get_if<ChangeRefused>(&e.payload); r && r->scaling)
        return r->scaling->dimension;
    return std::nullopt;
}

std::optional<std::int64_t> eventTarget(const RunEvent& e)
{
    if (e.kind == EventKind::EventRefused)
        return std::nullopt;
    if (const auto* s = std::get_if<ScalingDecision>(&e.payload))
        return s->toUnits;
    if (const auto* c = std::get_if<CapacityInForce>(&e.payload))
        return c->toUnits;
    if (const auto* p = std::get_if<PartitionCountChange>(&e.payload))
        return p->toPartitions;
    return std::nullopt;
}

std::string eventPayloadJson(const EventPayload& payload)
{
    return json::serialize(payloadJson(payload));
}

Result<EventPayload> parseEventPayload(EventKind kind, std::string_view text)
{
    boost::system::error_code error;
    const json::value value = json::parse(json::string_view(text.data(), text.size()), error);
    if (error || !value.is_object())
        return Status::internal("event payload is not a JSON object: " + std::string(text));
    const json::object& o = value.as_object();
    if (o.empty())
        return EventPayload {};
    if (const auto* legacy = o.if_contains("text"); legacy && legacy->is_string() && o.size() == 1)
        return EventPayload { UnparsedDetail { std::string(legacy->get_string()) } };
    auto payload = readPayload(kind, o);
    if (!payload)
        return Status::internal(
            "event payload does not fit kind " + std::string(eventKindName(kind)) + ": " + std::string(text));
    return *payload;
}

} // namespace capsim
