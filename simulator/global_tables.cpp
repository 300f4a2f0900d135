// Global tables in a run (reference A11, A13, C 12; scenario-format.md tables[].replicas,
// workloads[].region, regionOutage): each scenario table with `replicas` gets them in the engine
// at t = 0 (after initialData, ACTIVE, holding its items), and each replica is a table of the run
// in its region, with its own partitions, buckets, auto scaling, minutes and cost. The engine
// applies replicated changes in its background work (Engine::advanceTime) and delivers them to
// the subscription here, which charges them to the destination's buckets without refusal, counts
// them, their lag and transfer, and prices them. Part of Simulator::Impl.
#include "simulator/global_tables.h"

#include "engine/item_size.h"
#include "simulator/pricing.h"
#include "simulator/simulator_impl.h"

#include <algorithm>

namespace capsim {

void addCostLines(CostBreakdown& to, const CostBreakdown& from)
{
    to.read += from.read;
    to.write += from.write;
    to.storage += from.storage;
    to.freeTier += from.freeTier;
    to.indexes += from.indexes;
    to.streams += from.streams;
    to.pitr += from.pitr;
    to.backups += from.backups;
    to.restore += from.restore;
    to.dataExport += from.dataExport;
    to.dataImport += from.dataImport;
    to.dax += from.dax;
    to.replication += from.replication;
}

Status Simulator::Impl::setUpReplicas()
{
    engine->setReplicationLatency(scenario.model.replicationLatencyMedian, scenario.model.replicationLatencySigma);
    engine->setReplicationSeed(scenario.seed);
    engine->setReplicationCatchUpRate(scenario.model.replicationCatchUpRate);
    engine->setReplicaTiming(scenario.model.replicaCreateMinSeconds, scenario.model.replicaDeleteSeconds);
    bool any = false;
    for (std::size_t ti = 0; ti < scenarioTableCount; ++ti) {
        const TableSpec& spec = scenario.tables[ti];
        if (spec.replicas.empty())
            continue;
        any = true;
        const std::string path = "tables[" + std::to_string(ti) + "].replicas: ";
        // Provisioned writes may be replicated only under auto scaling (reference A11); the loader
        // requires autoScaling.write, which the engine is told of.
        if (spec.billingMode == BillingMode::Provisioned)
            if (Status s = engine->setWriteAutoScaled(spec.name, true); !s)
                return Status(s.type(), path + s.message());
        if (Status s = engine->createReplicasNow(spec.name, spec.replicas); !s)
            return Status(s.type(), path + s.message());
        TableRuntime& primary = tables[ti];
        primary.global = true;
        primary.result.uses.replication = true;
        primary.result.region = scenario.region;
        for (const auto& region : spec.replicas) {
            const std::size_t ri = tables.size();
            TableRuntime& r = tables.emplace_back();
            r.spec = &spec;
            r.self = ri;
            r.owner = ri; // never a scenario table's: loops over a table's indexes pass it by
            r.replicaOf = ti;
            r.region = region;
            r.global = true;
            r.name = spec.name + "@" + region;
            r.result.name = spec.name;
            r.result.region = region;
            r.result.uses.replication = true;
            r.onDemand = &spec.onDemand;
            r.autoScaling = spec.autoScaling;
            r.accruedTo = now;
            regionTables[{ region, spec.name }] = ri;
            RegionScope scope(*engine, region);
            const TableState* state = engine->table(spec.name);
            if (!state)
                return Status::internal(path + "the engine made no replica of " + spec.name + " in " + region);
            if (spec.billingMode == BillingMode::PayPerRequest)
                if (Status s = engine->setOnDemandPeak(spec.name, spec.onDemand.previousPeakRead, spec.onDemand.previousPeakWrite); !s)
                    return Status(s.type(), path + s.message());
            r.mode = state->billingMode;
            r.tableClass = state->tableClass;
            r.provisioned[Dimension::Read] = static_cast<double>(state->readCapacity);
            r.provisioned[Dimension::Write] = static_cast<double>(state->writeCapacity);
            r.onDemandGrowth[Dimension::Read].peak = static_cast<double>(spec.onDemand.previousPeakRead);
            r.onDemandGrowth[Dimension::Write].peak = static_cast<double>(spec.onDemand.previousPeakWrite);
            r.capacity = std::make_unique<CapacityModel>(scenario.model, now);
            syncPartitions(r, false);
            applyRates(r);
            r.result.partitionsInitial = static_cast<std::int64_t>(r.capacity->partitionCount());
        }
    }
    // Each replica's indexes (the scenario table's, created with it), after every replica, so
    // that a replica's runtime keeps its place.
    const std::size_t replicasEnd = tables.size();
    for (std::size_t ri = 0; ri < replicasEnd; ++ri) {
        if (!tables[ri].isReplica() || tables[ri].isIndex())
            continue;
        const TableSpec& spec = *tables[ri].spec;
        for (const auto& index : spec.globalSecondaryIndexes)
            addIndexRuntime(ri, index, false);
        for (const auto& index : spec.localSecondaryIndexes)
            addIndexRuntime(ri, index, false);
    }
    if (any)
        replicationSubscription = engine->subscribe([this](const WriteChange& change) { replicatedChange(change); });
    return Status::ok();
}

void Simulator::Impl::replicatedChange(const WriteChange& change)
{
    if (change.cause != WriteCause::Replication)
        return;
    const auto found = regionTables.find({ change.region, change.tableName });
    if (found == regionTables.end())
        return;
    TableRuntime& t = tables[found->second];
    if (!t.capacity)
        return;
    // The destination's base-table units, charged to its buckets without refusal (they may go
    // negative and delay its own requests); in sampled fidelity a change of the executed sample
    // stands for 1/r of them (reference A11, A13).
    const double w = weightOf(t);
    const Item& image = change.newImage ? *change.newImage : change.oldImage ? *change.oldImage : change.key;
    auto partitionOf = [&](TableRuntime& target, const KeyElement& key) -> std::optional<std::size_t> {
        const auto pk = image.find(key.name);
        const Item* from = &image;
        if (pk == image.end()) {
            // An index entry removed: its key is in the old image.
            if (!change.oldImage || !change.oldImage->count(key.name))
                return std::nullopt;
            from = &*change.oldImage;
        }
        return target.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(from->at(key.name))));
    };
    if (const auto p = partitionOf(t, t.spec->partitionKey)) {
        const double units = change.writeUnits * w;
        const std::int64_t partitionId = t.capacity->partition(*p).partitionId;
        t.capacity->charge(*p, Dimension::Write, units, now);
        t.partitionMinute[partitionId].consumed[Dimension::Write] += units;
        t.minuteConsumed[Dimension::Write] += units;
        t.minuteDemand[Dimension::Write] += units;
        t.result.consumedWrite += units;
        // Replicated write units of an on-demand replica are priced as WRU (reference A11, C 12)
        // in its replication line; a provisioned replica's capacity is billed per hour as any.
        if (t.mode == BillingMode::PayPerRequest)
            t.result.cost.replication += replicatedWriteCost(options.pricing, t.tableClass, units);
    }
    // Its GSIs' units, each to the GSI's own capacity, priced as ordinary writes (C 6.3: GSI
    // writes are local); an LSI's are the table's (they are in its units already).
    for (const auto& [indexName, indexUnits] : change.indexWriteUnits) {
        const auto i = findIndexRuntime(t.self, indexName);
        if (!i || !tables[*i].isGlobalIndex() || !tables[*i].capacity || indexUnits <= 0)
            continue;
        TableRuntime& gsi = tables[*i];
        if (const auto p = partitionOf(gsi, gsi.indexSpec->partitionKey))
            chargePartition(gsi, gsi.capacity->partition(*p).partitionId, Dimension::Write, indexUnits * w);
    }
    // Transfer: the replicated item's bytes (a delete's key), per GB (reference A11).
    const std::int64_t bytes = change.newImage ? change.newSizeBytes : itemSizeBytes(change.key);
    t.result.cost.replication += crossRegionTransferCost(options.pricing, static_cast<double>(bytes) * w);
    ++t.replicatedWrites;
    ++t.minuteReplicatedWrites;
    const double lag = secondsOf(change.time - change.originTime);
    t.minuteReplicationLag = std::max(t.minuteReplicationLag, lag);
    t.maxReplicationLag = std::max(t.maxReplicationLag, lag);
}

void Simulator::Impl::replicationMinute(TableRuntime& t, MinuteRow& row)
{
    if (!t.global || t.isIndex())
        return;
    // Replicated changes may have split the replica's partitions.
    syncPartitions(t, true);
    const double w = weightOf(t);
    row.replicatedWrites = std::llround(static_cast<double>(t.minuteReplicatedWrites) * w);
    row.replicationLagSeconds = t.minuteReplicationLag;
    t.minuteReplicatedWrites = 0;
    t.minuteReplicationLag = 0;
    auto counters = engine->replicationCounters(t.region, t.spec->name);
    if (!counters) {
        engineFailed(Status::internal("replication counters of " + t.name + ": " + counters.status().message()));
        return;
    }
    row.conflicts = std::llround(static_cast<double>(counters->conflicts - t.conflictsBefore) * w);
    t.conflictsBefore = counters->conflicts;
    row.replicationBacklog = std::llround(static_cast<double>(counters->queued) * w);
}

void Simulator::Impl::regionOutageEvent(std::size_t eventIndex, bool down)
{
    const EventSpec& e = scenario.events[eventIndex];
    // The engine's queues up to now first, so that the outage starts (or ends) at its time.
    if (Status s = engine->advanceTime(now); !s) {
        engineFailed(s);
        return;
    }
    if (Status s = engine->setRegionDown(e.region, down, now); !s) {
        engineFailed(Status(s.type(), "regionOutage " + e.region + ": " + s.message()));
        return;
    }
    RegionOutageChange change;
    change.region = e.region;
    change.down = down;
    change.durationSeconds = secondsOf(e.duration);
    if (down) {
        downRegions.insert(e.region);
        // The end is due `duration` later; an outage past the run's end lasts to its end.
        if (now + e.duration < scenario.duration)
            queue.schedule(now + e.duration, EventClass::Control, QueuedKind::RegionOutageEnd, eventIndex);
    } else {
        downRegions.erase(e.region);
        // The changes now queued to and from the region's replicas (weighted like the minutes).
        for (const auto& t : tables) {
            if (!t.global || t.isIndex())
                continue;
            if (auto counters = engine->replicationCounters(t.region, t.spec->name))
                change.queuedChanges += std::llround(static_cast<double>(counters->queued) * weightOf(t));
        }
    }
    event("", EventKind::EventApplied, std::move(change));
}

ReplicaSummary Simulator::Impl::replicaSummaryOf(TableRuntime& t)
{
    ReplicaSummary s;
    s.region = t.region;
    const double w = weightOf(t);
    s.replicatedWrites = std::llround(static_cast<double>(t.replicatedWrites) * w);
    s.maxLagSeconds = t.maxReplicationLag;
    if (auto counters = engine->replicationCounters(t.region, t.spec->name))
        s.conflicts = std::llround(static_cast<double>(counters->conflicts) * w);
    s.storageBytes = std::llround(static_cast<double>(billableBytesOf(t)) * w);
    return s;
}

void Simulator::Impl::finishReplicas(TableRuntime& t, std::vector<std::vector<TableResult>>& indexResults)
{
    if (!t.global || t.isReplica())
        return;
    t.result.replicaSummaries.push_back(replicaSummaryOf(t));
    for (std::size_t ri = 0; ri < tables.size(); ++ri) {
        TableRuntime& r = tables[ri];
        if (r.replicaOf != t.self || r.isIndex())
            continue;
        t.result.replicaSummaries.push_back(replicaSummaryOf(r));
        TableResult replica = finishRuntime(r);
        for (auto& index : indexResults[ri])
            replica.cost.indexes += index.cost.total();
        replica.indexes = std::move(indexResults[ri]);
        // The whole global table's cost on the top-level table (results.h).
        addCostLines(t.result.cost, replica.cost);
        t.result.replicas.push_back(std::move(replica));
    }
}

} // namespace capsim
