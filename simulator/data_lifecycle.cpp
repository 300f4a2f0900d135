// The data lifecycle in a run: TTL, point-in-time recovery, backups, restores, exports and
// imports (reference A6, A8, A9; scenario-format.md, events). Part of Simulator::Impl.
#include "simulator/simulator_impl.h"

#include <algorithm>
#include <set>

namespace capsim {

namespace {

ChangeRefused::Request requestOf(EventSpec::Action action)
{
    switch (action) {
    case EventSpec::Action::UpdateTimeToLive: return ChangeRefused::Request::UpdateTimeToLive;
    case EventSpec::Action::CreateBackup: return ChangeRefused::Request::CreateBackup;
    case EventSpec::Action::RestoreTable: return ChangeRefused::Request::RestoreTable;
    case EventSpec::Action::ExportTable: return ChangeRefused::Request::ExportTable;
    default: return ChangeRefused::Request::ImportTable;
    }
}

} // namespace

bool isDataLifecycleEvent(EventSpec::Action action)
{
    return action == EventSpec::Action::UpdateTimeToLive || action == EventSpec::Action::CreateBackup
        || action == EventSpec::Action::RestoreTable || action == EventSpec::Action::ExportTable
        || action == EventSpec::Action::ImportTable;
}

TtlDelayModel ttlDelayModel(const ModelSpec& model)
{
    TtlDelayModel delay;
    delay.medianSeconds = static_cast<double>(model.ttlDelayMedian) / static_cast<double>(kSimSecond);
    delay.sigma = model.ttlDelaySigma;
    return delay;
}

bool usesTimeToLive(const Scenario& scenario, const TableSpec& table)
{
    if (table.ttl)
        return true;
    return std::any_of(scenario.events.begin(), scenario.events.end(), [&](const EventSpec& e) {
        return e.action == EventSpec::Action::UpdateTimeToLive && e.table == table.name;
    });
}

Status Simulator::Impl::setUpTimeToLive(TableRuntime& t)
{
    if (usesTimeToLive(scenario, *t.spec))
        t.result.ttl = TtlSummary {};
    // tables[].ttl: ENABLED at t = 0, no cooldown pending (reference A6).
    if (t.spec->ttl)
        return engine->enableTimeToLive(t.spec->name, t.spec->ttl->attribute);
    return Status::ok();
}

void Simulator::Impl::ttlMinute(TableRuntime& t, MinuteRow& row)
{
    if (!t.result.ttl)
        return;
    auto counters = engine->ttlCounters(t.spec->name);
    if (!counters)
        return;
    // Deletions of the sampled items stand for 1/r as many (reference A13).
    row.ttlDeletions = std::llround(static_cast<double>(counters->deleted - t.ttlDeletedBefore) * weight);
    t.ttlDeletedBefore = counters->deleted;
}

void Simulator::Impl::finishTimeToLive(TableRuntime& t)
{
    if (!t.result.ttl)
        return;
    auto counters = engine->ttlCounters(t.spec->name);
    if (!counters)
        return;
    t.result.ttl->expired = std::llround(static_cast<double>(counters->expired) * weight);
    t.result.ttl->deleted = std::llround(static_cast<double>(counters->deleted) * weight);
    t.result.ttl->meanDelaySeconds = counters->meanDelaySeconds;
}

DataFeatureUse dataFeatureUse(const Scenario& scenario, const TableSpec& table)
{
    DataFeatureUse uses;
    uses.streams = table.streams.has_value();
    uses.pitr = table.pitr.has_value();
    std::set<std::string> backups; // of this table
    for (const auto& e : scenario.events)
        if (e.action == EventSpec::Action::CreateBackup && e.table == table.name) {
            uses.backups = true;
            backups.insert(e.backupName);
        }
    for (const auto& e : scenario.events) {
        if (e.action == EventSpec::Action::RestoreTable && (e.table == table.name || (e.table.empty() && backups.contains(e.backupName))))
            uses.restore = true;
        if (e.action == EventSpec::Action::ExportTable && e.table == table.name)
            uses.dataExport = true;
    }
    return uses;
}

std::int64_t Simulator::Impl::pitrBillableBytesOf(const TableRuntime& t) const
{
    // PITR and backups bill the table and its LSIs (reference A8).
    const TableState* state = engine->table(t.spec->name);
    std::int64_t bytes = state->billableBytes();
    for (const auto& lsi : t.spec->localSecondaryIndexes)
        if (const IndexState* index = state->findIndex(lsi.name))
            bytes += index->billableBytes();
    return bytes;
}

void Simulator::Impl::accrueDataCost(TableRuntime& t, double seconds)
{
    if (t.isIndex())
        return;
    // PITR accrues per second while ENABLED (from t = 0 with tables[].pitr), on the bytes stored,
    // weighted like storage in sampled fidelity (reference A5, A8, A13).
    if (t.spec->pitr)
        t.result.cost.pitr += pitrCost(options.pricing, static_cast<double>(pitrBillableBytesOf(t)) * weight, seconds);
}

void Simulator::Impl::dataLifecycleEvent(const EventSpec& e)
{
    if (e.action == EventSpec::Action::UpdateTimeToLive) {
        // Through the engine, with DynamoDB's rules (one change an hour, no second enable...).
        if (Status advanced = engine->advanceTime(now); !advanced)
            ttlFailure = advanced;
        TimeToLiveSpecification spec;
        spec.enabled = e.ttlEnabled;
        spec.attributeName = e.ttlAttribute;
        auto updated = engine->updateTimeToLive(e.table, spec, now);
        if (!updated) {
            ChangeRefused refused;
            refused.request = ChangeRefused::Request::UpdateTimeToLive;
            refused.subject = e.ttlAttribute;
            refused.errorType = updated.status().type();
            refused.message = updated.status().message();
            event(e.table, EventKind::EventRefused, std::move(refused));
            return;
        }
        event(e.table, EventKind::EventApplied, TimeToLiveUpdated { e.ttlEnabled, e.ttlAttribute });
        return;
    }
    ChangeRefused refused;
    refused.request = requestOf(e.action);
    std::string table = e.table;
    std::string feature;
    switch (e.action) {
    case EventSpec::Action::UpdateTimeToLive:
        refused.subject = e.ttlAttribute;
        feature = "Time to Live";
        break;
    case EventSpec::Action::CreateBackup:
        refused.subject = e.backupName;
        feature = "on-demand backups";
        break;
    case EventSpec::Action::RestoreTable:
        refused.subject = e.target;
        // From a backup: reported on the backed-up table (the latest createBackup of that name before).
        if (table.empty()) {
            SimTime latest = -1;
            for (const auto& b : scenario.events)
                if (b.action == EventSpec::Action::CreateBackup && b.backupName == e.backupName && b.at <= e.at && b.at >= latest) {
                    latest = b.at;
                    table = b.table;
                }
        }
        feature = e.pointInTime ? "point-in-time restores" : "restores from backups";
        break;
    case EventSpec::Action::ExportTable:
        feature = "exports to S3";
        break;
    default:
        table = e.importTarget ? e.importTarget->name : std::string();
        refused.subject = table;
        feature = "imports from S3";
        break;
    }
    // The engine part of the feature is not built yet: the event is reported, not applied, and
    // costs nothing (rather than a figure the engine did not produce).
    refused.errorType = "NotYetBuilt";
    refused.message = "capsim's engine does not build " + feature + " yet; the event was not applied";
    event(table, EventKind::EventRefused, std::move(refused));
}

} // namespace capsim
