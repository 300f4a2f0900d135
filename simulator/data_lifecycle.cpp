// The data lifecycle in a run: TTL, point-in-time recovery, backups, restores, exports and
// imports (reference A6, A8, A9; scenario-format.md, events). Part of Simulator::Impl.
#include "simulator/simulator_impl.h"

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
