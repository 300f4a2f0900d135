#include "simulator/simulator_impl.h"

namespace capsim {

// An index of the scenario as CreateTable / UpdateTable take it. An LSI has the table's
// partition key; GSI capacity only on a provisioned table.
IndexDefinition indexDefinition(const TableSpec& table, const IndexSpec& index, BillingMode mode)
{
    IndexDefinition definition;
    definition.name = index.name;
    definition.key.partition = index.kind == IndexKind::Global ? index.partitionKey : table.partitionKey;
    definition.key.sort = index.sortKey;
    definition.projection = index.projection;
    if (index.projection == ProjectionType::Include)
        definition.nonKeyAttributes = index.nonKeyAttributes;
    if (index.kind == IndexKind::Global && mode == BillingMode::Provisioned) {
        definition.readCapacity = index.provisionedRead;
        definition.writeCapacity = index.provisionedWrite;
    }
    return definition;
}

// Capacity asked for by UpdateTable (an event or auto scaling) comes into force (reference A4).
void Simulator::Impl::capacityEffective(const QueuedEvent& e)
{
    auto& t = tables[e.index];
    accrueCost(t, now);
    const double before = t.provisioned[e.dimension];
    t.provisioned[e.dimension] = e.value;
    t.pending[e.dimension] = false;
    applyRates(t);
    if (t.deleted)
        return;
    event(t.name, EventKind::CapacityChanged, CapacityInForce { e.dimension, std::llround(before), std::llround(e.value) });
}

// A billing-mode switch comes into force, for the table and its GSIs.
void Simulator::Impl::modeEffective(std::size_t table)
{
    auto& t = tables[table];
    accrueCost(t, now);
    const TableState* state = engine->table(t.spec->name);
    t.mode = state->billingMode;
    t.provisioned[Dimension::Read] = static_cast<double>(state->readCapacity);
    t.provisioned[Dimension::Write] = static_cast<double>(state->writeCapacity);
    if (t.mode == BillingMode::PayPerRequest) {
        t.onDemandGrowth[Dimension::Read].peak = static_cast<double>(state->peakRead);
        t.onDemandGrowth[Dimension::Write].peak = static_cast<double>(state->peakWrite);
    }
    applyRates(t);
    syncPartitions(t, true);
    event(t.spec->name, EventKind::ModeSwitch, BillingModeInForce { t.mode });
    // The table's GSIs switch with it.
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i) {
        auto& index = tables[i];
        if (index.owner != table || index.deleted)
            continue;
        accrueCost(index, now);
        index.mode = t.mode;
        if (!index.isGlobalIndex())
            continue;
        const IndexState* indexState = state->findIndex(index.indexSpec->name);
        index.provisioned[Dimension::Read] = static_cast<double>(indexState->readCapacity);
        index.provisioned[Dimension::Write] = static_cast<double>(indexState->writeCapacity);
        applyRates(index);
        syncPartitions(index, true);
    }
}

Status Simulator::Impl::requestCapacity(TableRuntime& t, std::optional<std::int64_t> read, std::optional<std::int64_t> write)
{
    const TableState* state = engine->table(t.spec->name);
    UpdateTableRequest update;
    update.tableName = t.spec->name;
    if (t.isGlobalIndex()) {
        // A GSI's capacity changes through GlobalSecondaryIndexUpdates, with its own budget (reference A4).
        const IndexState* index = state->findIndex(t.indexSpec->name);
        GlobalSecondaryIndexUpdate change;
        change.action = GlobalSecondaryIndexUpdate::Action::Update;
        change.index.name = t.indexSpec->name;
        change.index.readCapacity = read.value_or(index->readCapacity);
        change.index.writeCapacity = write.value_or(index->writeCapacity);
        update.globalSecondaryIndexUpdates.push_back(std::move(change));
    } else {
        update.readCapacity = read.value_or(state->readCapacity);
        update.writeCapacity = write.value_or(state->writeCapacity);
    }
    auto updated = engine->updateTable(update, now);
    if (!updated)
        return updated.status();
    syncPartitions(t, true);
    return Status::ok();
}

void Simulator::Impl::timedEvent(std::size_t index)
{
    const EventSpec& e = scenario.events[index];
    if (e.action == EventSpec::Action::SetWorkloadRate) {
        for (std::size_t w = 0; w < workloads.size(); ++w) {
            if (workloads[w].spec->name != e.workload)
                continue;
            if (fluid) {
                workloads[w].fluidRate = *e.rate;
                fluidRateChanged(w);
            } else
                workloads[w].arrivals->setPattern(*e.rate, now);
            event("", EventKind::EventApplied, WorkloadRateChanged { e.workload });
        }
        return;
    }
    if (isDataLifecycleEvent(e.action)) {
        dataLifecycleEvent(e);
        return;
    }
    const std::size_t ti = tableIndex.at(e.table);
    TableRuntime& t = tables[ti];
    if (e.action == EventSpec::Action::CreateIndex || e.action == EventSpec::Action::DeleteIndex) {
        const bool create = e.action == EventSpec::Action::CreateIndex;
        const std::string name = create ? e.index->name : e.indexName;
        UpdateTableRequest update;
        update.tableName = t.spec->name;
        GlobalSecondaryIndexUpdate change;
        change.action = create ? GlobalSecondaryIndexUpdate::Action::Create : GlobalSecondaryIndexUpdate::Action::Delete;
        change.index = create ? indexDefinition(*t.spec, *e.index, t.mode) : IndexDefinition { name, {}, {}, {}, {}, {} };
        update.globalSecondaryIndexUpdates.push_back(std::move(change));
        auto updated = engine->updateTable(update, now);
        if (!updated) {
            ChangeRefused refused;
            refused.request = create ? ChangeRefused::Request::CreateIndex : ChangeRefused::Request::DeleteIndex;
            refused.index = name;
            refused.errorType = updated.status().type();
            refused.message = updated.status().message();
            event(t.spec->name, EventKind::EventRefused, std::move(refused));
            return;
        }
        if (!create) {
            if (const auto i = findIndexRuntime(ti, name)) {
                accrueCost(tables[*i], now);
                tables[*i].deleted = true;
            }
            event(t.name + "/" + name, EventKind::IndexDeleted, IndexChange { name, 0 });
            return;
        }
        // Backfilled through the index's own write capacity, second by second (reference A2).
        const std::size_t i = addIndexRuntime(ti, *e.index, true);
        event(tables[i].name, EventKind::IndexCreating,
            IndexChange { name, static_cast<std::int64_t>(engine->table(t.spec->name)->itemCount()) });
        queue.schedule(now, EventClass::Control, QueuedKind::Backfill, i);
        return;
    }
    if (e.action == EventSpec::Action::SetAutoScaling) {
        t.autoScaling = e.autoScaling;
        event(t.spec->name, EventKind::EventApplied, AutoScalingPolicyChanged { !e.autoScaling });
        return;
    }
    UpdateTableRequest update;
    update.tableName = t.spec->name;
    update.billingMode = e.billingMode;
    update.tableClass = e.tableClass;
    update.readCapacity = e.provisionedRead;
    update.writeCapacity = e.provisionedWrite;
    const TableState before = *engine->table(t.spec->name);
    // An UpdateTable while the table is still UPDATING is refused (ResourceInUseException): a
    // billing-mode switch while another update is in flight, and any update during a switch.
    const bool switchesMode = e.billingMode && *e.billingMode != before.billingMode;
    Result<TableState> updated = (switchesMode && now < t.updatingUntil) || now < t.modeSwitchUntil
        ? Result<TableState>(Status(error::kResourceInUse,
              "Attempt to change a resource which is still in use: Table is being updated: " + t.spec->name))
        : engine->updateTable(update, now);
    if (!updated) {
        // DynamoDB's own rules apply; a refused event is reported, not applied.
        ChangeRefused refused;
        refused.request = ChangeRefused::Request::UpdateTable;
        refused.update = TableUpdated { e.tableClass, e.billingMode, e.provisionedRead, e.provisionedWrite };
        refused.errorType = updated.status().type();
        refused.message = updated.status().message();
        event(t.spec->name, EventKind::EventRefused, std::move(refused));
        return;
    }
    accrueCost(t, now);
    TableUpdated applied;
    if (e.tableClass && *e.tableClass != before.tableClass) {
        t.tableClass = *e.tableClass;
        // Index storage and GSI capacity are priced at the table's class.
        for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
            if (tables[i].owner == ti) {
                accrueCost(tables[i], now);
                tables[i].tableClass = *e.tableClass;
            }
        applied.tableClass = *e.tableClass;
    }
    if (updated->billingMode != before.billingMode) {
        applied.billingMode = updated->billingMode;
        t.updatingUntil = t.modeSwitchUntil = now + scenario.model.updateTableDelay;
        queue.schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::ModeEffective, ti);
    } else if (e.provisionedRead || e.provisionedWrite) {
        applied.readUnits = updated->readCapacity;
        applied.writeUnits = updated->writeCapacity;
        for (Dimension d : kDimensions) {
            const auto value = static_cast<double>(d == Dimension::Read ? updated->readCapacity : updated->writeCapacity);
            if (value != t.provisioned[d]) {
                t.updatingUntil = now + scenario.model.updateTableDelay;
                queue.schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::CapacityEffective, ti, d, value);
            }
        }
    }
    syncPartitions(t, true);
    event(t.spec->name, EventKind::EventApplied, std::move(applied));
}

void Simulator::Impl::backfill(std::size_t i)
{
    TableRuntime& t = tables[i];
    if (t.deleted || !t.creating)
        return;
    const std::string& tableName = t.spec->name;
    const std::string& indexName = t.indexSpec->name;
    // Each second the backfill writes as many entries as one second of the GSI's write rate
    // pays for; its units are charged like any other write to the GSI, so foreground writes
    // that need the GSI compete with it (reference A2, A3).
    double budget = t.capacity->tableRate(Dimension::Write);
    for (int round = 0; budget > 0 && round < 64; ++round) {
        const IndexState* state = engine->table(tableName)->findIndex(indexName);
        const std::int64_t visitedBefore = state->backfilledItems;
        const auto maxItems = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(budget / t.backfillUnitsPerItem)));
        ConsumedCapacity consumed;
        if (Status s = engine->backfillIndex(tableName, indexName, maxItems, consumed); !s) {
            ChangeRefused refused;
            refused.request = ChangeRefused::Request::Backfill;
            refused.index = indexName;
            refused.errorType = s.type();
            refused.message = s.message();
            event(t.name, EventKind::EventRefused, std::move(refused));
            return;
        }
        double units = 0;
        for (const auto& p : consumed.indexPartitions)
            if (p.indexName == indexName && p.write > 0) {
                chargePartition(t, p.partitionId, Dimension::Write, p.write);
                units += p.write;
            }
        state = engine->table(tableName)->findIndex(indexName);
        const std::int64_t visited = state->backfilledItems - visitedBefore;
        if (visited > 0)
            t.backfillUnitsPerItem = std::max(0.01, units / static_cast<double>(visited));
        budget -= units;
        if (state->status == IndexStatus::Active) {
            t.creating = false;
            event(t.name, EventKind::IndexActive, IndexChange { indexName, static_cast<std::int64_t>(state->itemCount()) });
            return;
        }
        if (visited == 0)
            break;
    }
    queue.schedule(now + kSimSecond, EventClass::Control, QueuedKind::Backfill, i);
}

} // namespace capsim
