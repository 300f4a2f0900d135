#include "simulator/simulator.h"

#include "simulator/auto_scaling.h"
#include "simulator/global_tables.h"
#include "simulator/pricing.h"
#include "simulator/simulator_impl.h"

#include <algorithm>

namespace capsim {

Simulator::Simulator(Scenario scenario, SimulatorOptions options)
    : m_impl(std::make_unique<Impl>(std::move(scenario), std::move(options)))
{
}

Simulator::~Simulator() = default;

double Simulator::expectedRequests(const Scenario& scenario)
{
    // Integrate each workload's rate over the run, minute by minute (events may change rates;
    // they are counted at their original rate, which is what the auto rule needs).
    double total = 0;
    for (const auto& w : scenario.workloads) {
        for (SimTime t = 0; t < scenario.duration; t += kSimMinute) {
            const SimTime step = std::min(kSimMinute, scenario.duration - t);
            total += rateAt(w.rate, t + step / 2) * secondsOf(step);
        }
    }
    return total;
}

double Simulator::fluidEngineShare(const Scenario& scenario)
{
    // A consistent share of the keys, whose requests run in the engine: about kFluidEngineRequests
    // of them (all of a smaller run), and at most 1 GB stored, as auto keeps full runs.
    auto meanSize = [](const SizeDistributionSpec& size) {
        return size.type == SizeDistributionSpec::Type::Fixed ? size.value
            : size.type == SizeDistributionSpec::Type::Uniform ? (size.min + size.max) / 2
                                                               : size.median * std::exp(size.sigma * size.sigma / 2);
    };
    const double requests = expectedRequests(scenario);
    double bytes = 0;
    for (const auto& t : scenario.tables)
        if (t.initialData) {
            bytes += static_cast<double>(t.initialData->items) * meanSize(t.initialData->itemSize);
        }
    for (const auto& w : scenario.workloads) {
        double writeShare = 0;
        for (const auto& [type, share] : w.operations)
            if (type == OperationType::PutItem || type == OperationType::UpdateItem)
                writeShare += share;
        double written = 0;
        for (SimTime t = 0; t < scenario.duration; t += kSimHour)
            written += rateIntegral(w.rate, static_cast<double>(t), static_cast<double>(std::min(scenario.duration, t + kSimHour)));
        const double keys = static_cast<double>(w.keys.cardinality) * static_cast<double>(std::max<std::int64_t>(1, w.keys.sortKeysPerKey));
        bytes += std::min(keys, written * writeShare) * meanSize(w.itemSize);
    }
    double rate = requests > 0 ? kFluidEngineRequests / requests : 1.0;
    if (bytes > kMaxFullInitialBytes)
        rate = std::min(rate, kMaxFullInitialBytes / bytes);
    return std::min(1.0, rate);
}

FidelitySpec Simulator::resolveFidelity(const Scenario& scenario)
{
    if (scenario.fidelity.mode != FidelitySpec::Mode::Auto)
        return scenario.fidelity;
    const double requests = expectedRequests(scenario);
    double initialBytes = 0;
    for (const auto& t : scenario.tables) {
        if (!t.initialData)
            continue;
        const auto& size = t.initialData->itemSize;
        const double mean = size.type == SizeDistributionSpec::Type::Fixed ? size.value
            : size.type == SizeDistributionSpec::Type::Uniform
            ? (size.min + size.max) / 2
            : size.median * std::exp(size.sigma * size.sigma / 2);
        initialBytes += mean * static_cast<double>(t.initialData->items);
    }
    // Beyond kMinFluidRequests, flows (when the scenario's features all run as flows).
    if (requests > kMinFluidRequests && fluidUnsupported(scenario).empty())
        return { FidelitySpec::Mode::Fluid, 1.0, kSimSecond };
    double rate = 1.0;
    if (requests > kMaxFullRequests)
        rate = std::min(rate, kMaxFullRequests / requests);
    if (initialBytes > kMaxFullInitialBytes)
        rate = std::min(rate, kMaxFullInitialBytes / initialBytes);
    if (rate >= 1.0)
        return { FidelitySpec::Mode::Full, 1.0, kSimSecond };
    return { FidelitySpec::Mode::Sampled, rate, kSimSecond };
}

Result<std::shared_ptr<const RunResult>> Simulator::run()
{
    Impl& s = *m_impl;
    CAPSIM_RETURN_IF_ERROR(s.setUp());
    const std::int64_t minutes = (s.scenario.duration + kSimMinute - 1) / kSimMinute;
    for (std::int64_t m = 0; m < minutes; ++m)
        s.queue.schedule(std::min((m + 1) * kSimMinute, s.scenario.duration), EventClass::MinuteEnd,
            QueuedKind::MinuteEnd, static_cast<std::size_t>(m));
    std::uint64_t processed = 0;
    while (!s.queue.empty()) {
        const QueuedEvent e = s.queue.top();
        if (e.time > s.scenario.duration)
            break;
        s.queue.pop();
        s.now = e.time;
        if (s.options.stop && (++processed & 1023) == 0 && s.options.stop->load()) {
            s.result.cancelled = true;
            break;
        }
        switch (e.kind) {
        case QueuedKind::MinuteEnd:
            if (s.fluid)
                s.fluidMinuteFlush();
            s.minuteEnd(static_cast<std::int64_t>(e.index));
            if (s.options.progress)
                s.options.progress(secondsOf(s.now) / secondsOf(s.scenario.duration));
            break;
        case QueuedKind::Arrival: s.handleArrival(e.index); break;
        case QueuedKind::Retry: s.attempt(e.index); break;
        case QueuedKind::CapacityEffective: s.capacityEffective(e); break;
        case QueuedKind::ModeEffective: s.modeEffective(e.index); break;
        case QueuedKind::TimedEvent:
            if (s.scenario.events[e.index].action == EventSpec::Action::RegionOutage)
                s.regionOutageEvent(e.index, true);
            else
                s.timedEvent(e.index);
            break;
        case QueuedKind::RegionOutageEnd: s.regionOutageEvent(e.index, false); break;
        case QueuedKind::FluidStep: s.fluidStep(static_cast<std::int64_t>(e.index)); break;
        case QueuedKind::Backfill: s.backfill(e.index); break;
        case QueuedKind::StreamPoll: s.streamPoll(e.index); break;
        case QueuedKind::StreamWrite: s.streamWrite(e.index); break;
        case QueuedKind::StreamBatchEnd: s.streamBatchEnd(e.index); break;
        }
        if (!s.fatal)
            return Status(s.fatal.type(), "at " + std::to_string(std::llround(secondsOf(s.now))) + " s simulated: " + s.fatal.message());
    }
    s.now = s.scenario.duration;
    s.finish();
    if (!s.ttlFailure.ok())
        return s.ttlFailure;
    if (!s.fatal)
        return s.fatal; // a stream sink failing at the end

    return std::shared_ptr<const RunResult>(std::make_shared<RunResult>(std::move(s.result)));
}

Status Simulator::Impl::setUp()
{
    fidelity = Simulator::resolveFidelity(scenario);
    if (fidelity.mode == FidelitySpec::Mode::Fluid) {
        if (const std::string why = fluidUnsupported(scenario); !why.empty())
            return Status::validation("fidelity fluid: " + why);
        fidelity.rate = fidelity.engineShare > 0 ? fidelity.engineShare : fluidEngineShare(scenario);
    }
    weight = 1.0 / fidelity.rate;
    result.scenario = scenario.name;
    result.description = scenario.description;
    result.seed = scenario.seed;
    result.simulatedSeconds = secondsOf(scenario.duration);
    result.fidelityMode = fidelity.mode;
    result.fidelityRate = fidelity.rate;
    result.fidelityStep = fidelity.step;
    result.pricingLabel = options.pricing.label();
    result.partitionLimits[Dimension::Read] = scenario.model.partitionRead;
    result.partitionLimits[Dimension::Write] = scenario.model.partitionWrite;
    result.currency = options.pricing.currency;

    auto opened = Engine::open(options.enginePath);
    if (!opened)
        return opened.status();
    engine = std::move(opened).value();
    // Tables are keyed by (region, name): the scenario's tables are in its region (reference A11).
    engine->setRegion(scenario.region);
    engine->setPartitionSplitBytes(scenario.model.partitionSizeBytes);
    engine->setStorageWeight(weight);
    // TTL deletion delays are drawn from the scenario's seed and model.ttlDelay (reference A6).
    engine->setTtlSeed(scenario.seed);
    engine->setTtlDelayModel(ttlDelayModel(scenario.model));
    addLaterTables(); // restoreTable / importTable targets: tables of the run from their event on
    tables.resize(scenario.tables.size());
    for (std::size_t i = 0; i < scenario.tables.size(); ++i) {
        tables[i].self = i;
        tables[i].region = scenario.region;
        regionTables[{ scenario.region, scenario.tables[i].name }] = i;
        if (i >= scenarioTableCount) {
            prepareLaterTable(i);
            continue;
        }
        const TableSpec& spec = scenario.tables[i];
        TableRuntime& t = tables[i];
        t.spec = &spec;
        tableIndex[spec.name] = i;
        CreateTableRequest create = createRequestOf(spec);
        create.streamSpecification = streamSpecificationAtCreate(spec);
        auto created = engine->createTable(create, 0);
        if (!created)
            return Status(created.status().type(), "tables[" + std::to_string(i) + "]: " + created.status().message());
        if (spec.billingMode == BillingMode::PayPerRequest)
            CAPSIM_RETURN_IF_ERROR(
                engine->setOnDemandPeak(spec.name, spec.onDemand.previousPeakRead, spec.onDemand.previousPeakWrite));
        t.mode = spec.billingMode;
        t.tableClass = spec.tableClass;
        t.provisioned[Dimension::Read] = static_cast<double>(spec.provisionedRead);
        t.provisioned[Dimension::Write] = static_cast<double>(spec.provisionedWrite);
        t.onDemandGrowth[Dimension::Read].peak = static_cast<double>(spec.onDemand.previousPeakRead);
        t.onDemandGrowth[Dimension::Write].peak = static_cast<double>(spec.onDemand.previousPeakWrite);
        t.autoScaling = spec.autoScaling;
        t.capacity = std::make_unique<CapacityModel>(scenario.model, 0);
        t.result.name = spec.name;
        t.name = spec.name;
        t.onDemand = &spec.onDemand;
        t.result.uses = dataFeatureUse(scenario, spec);
        CAPSIM_RETURN_IF_ERROR(setUpTimeToLive(t));
        CAPSIM_RETURN_IF_ERROR(loadInitialData(t));
        CAPSIM_RETURN_IF_ERROR(setUpDataLifecycle(t));
        CAPSIM_RETURN_IF_ERROR(setUpStream(t));
        syncPartitions(t, false);
        applyRates(t);
        t.result.partitionsInitial = static_cast<std::int64_t>(t.capacity->partitionCount());
    }
    // Indexes after every table, so that the tables keep their places (and event indexes).
    for (std::size_t i = 0; i < scenarioTableCount; ++i) {
        for (const auto& index : scenario.tables[i].globalSecondaryIndexes)
            addIndexRuntime(i, index, false);
        for (const auto& index : scenario.tables[i].localSecondaryIndexes)
            addIndexRuntime(i, index, false);
    }
    CAPSIM_RETURN_IF_ERROR(setUpDax());
    // Global tables: the replicas of tables[].replicas, after every table and its indexes.
    CAPSIM_RETURN_IF_ERROR(setUpReplicas());
    workloads.resize(scenario.workloads.size());
    for (std::size_t i = 0; i < scenario.workloads.size(); ++i) {
        const WorkloadSpec& spec = scenario.workloads[i];
        WorkloadRuntime& w = workloads[i];
        w.spec = &spec;
        // A workload's requests go to its region's replica (workloads[].region; reference A11).
        w.table = regionOf(spec) == scenario.region ? tableIndex.at(spec.table) : regionTables.at({ regionOf(spec), spec.table });
        const TableSpec& table = *tables[w.table].spec; // a replica runtime has its table's spec
        KeyElement partitionKey = table.partitionKey;
        std::optional<KeyElement> sortKey = table.sortKey;
        if (spec.index) {
            // What an index workload addresses: the index's keys (an LSI has the table's partition key).
            for (const auto* list : { &table.globalSecondaryIndexes, &table.localSecondaryIndexes })
                for (const auto& index : *list)
                    if (index.name == *spec.index) {
                        w.global = index.kind == IndexKind::Global;
                        partitionKey = w.global ? index.partitionKey : table.partitionKey;
                        sortKey = index.sortKey;
                    }
            for (const auto& e : scenario.events)
                if (e.action == EventSpec::Action::CreateIndex && e.table == table.name && e.index && e.index->name == *spec.index) {
                    w.global = true;
                    partitionKey = e.index->partitionKey;
                    sortKey = e.index->sortKey;
                }
        }
        w.generator = std::make_unique<RequestGenerator>(spec, partitionKey, sortKey, scenario.seed, static_cast<std::int64_t>(i));
        w.arrivals = std::make_unique<ArrivalProcess>(spec.rate, Rng(scenario.seed, kStreamArrivals + i), 0, scenario.duration);
        if (spec.keys.type == KeyDistributionSpec::Type::Sequential)
            tables[w.table].sequentialKeys += 1;
        w.fluidRate = spec.rate;
        if (fidelity.mode == FidelitySpec::Mode::Fluid)
            continue; // fluid_flows.cpp turns the rate into flows
        const SimTime first = w.arrivals->next();
        if (first < scenario.duration)
            queue.schedule(first, EventClass::Request, QueuedKind::Arrival, i);
    }
    if (fidelity.mode == FidelitySpec::Mode::Fluid)
        CAPSIM_RETURN_IF_ERROR(setUpFluid());
    for (std::size_t i = 0; i < scenario.events.size(); ++i)
        queue.schedule(scenario.events[i].at, EventClass::Control, QueuedKind::TimedEvent, i);
    CAPSIM_RETURN_IF_ERROR(startStreamConsumers());
    return Status::ok();
}

Status Simulator::Impl::loadInitialData(TableRuntime& t)
{
    if (!t.spec->initialData || t.spec->initialData->items <= 0)
        return Status::ok();
    const InitialDataSpec& data = *t.spec->initialData;
    const std::int64_t perKey = std::max<std::int64_t>(1, data.sortKeysPerKey);
    const std::int64_t keys = (data.items + perKey - 1) / perKey;
    Rng sizes(scenario.seed, kStreamInitialData + tableIndex.at(t.spec->name));
    const bool sampled = fidelity.mode == FidelitySpec::Mode::Sampled || fidelity.mode == FidelitySpec::Mode::Fluid;
    if (fidelity.mode == FidelitySpec::Mode::Sampled || fidelity.mode == FidelitySpec::Mode::Fluid)
        t.initialSizes.assign(static_cast<std::size_t>(data.items), 0);
    std::vector<Item> batch;
    batch.reserve(1000);
    std::int64_t produced = 0;
    // initialData is loaded before t = 0 and consumes no capacity (reference A3); in sampled
    // fidelity a seeded sample is stored and weighted.
    for (std::int64_t k = 0; k < keys && produced < data.items; ++k) {
        for (std::int64_t j = 0; j < perKey && produced < data.items; ++j, ++produced) {
            const std::int64_t size = drawSizeBytes(data.itemSize, sizes);
            if (sampled) {
                if (!t.initialSizes.empty())
                    t.initialSizes[static_cast<std::size_t>(produced)] = static_cast<std::int32_t>(size);
                if (!keySampled(k))
                    continue;
            }
            batch.push_back(initialItem(t.spec->partitionKey, t.spec->sortKey, k, j, size));
            if (batch.size() == 1000) {
                CAPSIM_RETURN_IF_ERROR(engine->bulkPut(t.spec->name, batch));
                batch.clear();
            }
        }
    }
    if (!batch.empty())
        CAPSIM_RETURN_IF_ERROR(engine->bulkPut(t.spec->name, batch));
    return Status::ok();
}

std::size_t Simulator::Impl::addIndexRuntime(std::size_t table, const IndexSpec& spec, bool creating)
{
    const TableRuntime& base = tables[table];
    const std::size_t index = tables.size();
    TableRuntime& t = tables.emplace_back();
    t.spec = base.spec;
    t.indexSpec = &spec;
    t.owner = table;
    t.self = index;
    t.region = base.region;
    t.replicaOf = base.replicaOf;
    t.name = base.name + "/" + spec.name;
    t.onDemand = &spec.onDemand;
    t.creating = creating;
    t.mode = base.mode;
    t.tableClass = base.tableClass;
    t.accruedTo = now;
    t.result.name = spec.name;
    t.result.indexKind = spec.kind;
    if (spec.kind == IndexKind::Global) {
        RegionScope scope(*engine, t.region);
        const IndexState* state = engine->tableIncludingRestoring(base.spec->name)->findIndex(spec.name);
        t.provisioned[Dimension::Read] = static_cast<double>(state->readCapacity);
        t.provisioned[Dimension::Write] = static_cast<double>(state->writeCapacity);
        t.onDemandGrowth[Dimension::Read].peak = static_cast<double>(spec.onDemand.previousPeakRead);
        t.onDemandGrowth[Dimension::Write].peak = static_cast<double>(spec.onDemand.previousPeakWrite);
        // A GSI added to an existing table gets no auto scaling until its backfill completes
        // (reference A4); the policy is kept and applies from then on.
        t.autoScaling = spec.autoScaling;
        t.capacity = std::make_unique<CapacityModel>(scenario.model, now);
        syncPartitions(t, false);
        applyRates(t);
        t.result.partitionsInitial = static_cast<std::int64_t>(t.capacity->partitionCount());
    }
    return index;
}

std::optional<std::size_t> Simulator::Impl::findIndexRuntime(std::size_t table, const std::string& indexName) const
{
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
        if (tables[i].isIndex() && tables[i].owner == table && !tables[i].deleted && tables[i].indexSpec->name == indexName)
            return i;
    return std::nullopt;
}

const std::vector<Partition>& Simulator::Impl::partitionsOf(const TableRuntime& t) const
{
    RegionScope scope(*engine, t.region);
    const TableState* state = engine->tableIncludingRestoring(t.spec->name);
    if (t.isIndex())
        return state->findIndex(t.indexSpec->name)->partitions;
    return state->partitions;
}

std::int64_t Simulator::Impl::billableBytesOf(const TableRuntime& t) const
{
    RegionScope scope(*engine, t.region);
    const TableState* state = engine->tableIncludingRestoring(t.spec->name);
    if (!state)
        return 0;
    if (t.isIndex()) {
        const IndexState* index = state->findIndex(t.indexSpec->name);
        return index ? index->billableBytes() : 0;
    }
    // A global table's items bill 148 bytes each in every replica (reference A1, A11).
    if (t.global)
        return globalTableBillableBytes(state->itemBytes(), state->itemCount());
    return state->billableBytes();
}

void Simulator::Impl::syncPartitions(TableRuntime& t, bool recordSplits)
{
    if (!t.capacity)
        return;
    std::vector<CapacityModel::PartitionRange> ranges;
    for (const auto& p : partitionsOf(t))
        ranges.push_back({ p.id, p.hashLow, p.hashHigh });
    const std::size_t before = t.capacity->partitionCount();
    if (before == ranges.size() && before > 0)
        return;
    t.capacity->setPartitions(ranges, now);
    if (recordSplits && before > 0) {
        t.result.splits += static_cast<std::int64_t>(ranges.size() - before);
        event(t.name, EventKind::PartitionSplit,
            PartitionCountChange { static_cast<std::int64_t>(before), static_cast<std::int64_t>(ranges.size()), false });
    }
}

void Simulator::Impl::applyRates(TableRuntime& t)
{
    if (t.mode == BillingMode::Provisioned) {
        t.capacity->setTableRates(std::min<double>(t.provisioned[Dimension::Read], kTableQuotaUnits),
            std::min<double>(t.provisioned[Dimension::Write], kTableQuotaUnits), now);
        return;
    }
    const auto& od = *t.onDemand;
    for (Dimension d : kDimensions)
        t.onDemandGrowth[d].updateCeiling(now, scenario.model.onDemandWindow, d == Dimension::Read ? od.maxRead : od.maxWrite);
    t.capacity->setTableRates(t.onDemandGrowth[Dimension::Read].ceiling, t.onDemandGrowth[Dimension::Write].ceiling, now);
}

void Simulator::Impl::accrueCost(TableRuntime& t, SimTime until)
{
    if (until <= t.accruedTo || t.deleted || t.absent)
        return;
    const double seconds = secondsOf(until - t.accruedTo);
    const ClassPrices& prices = options.pricing.prices(t.tableClass);
    if (t.mode == BillingMode::Provisioned) {
        // Provisioned capacity accrues per second at the capacity in force (reference A5).
        t.result.cost.read += t.provisioned[Dimension::Read] * prices.provisionedReadUnitHour * seconds / 3600.0;
        t.result.cost.write += t.provisioned[Dimension::Write] * prices.provisionedWriteUnitHour * seconds / 3600.0;
        t.result.provisionedUnitHoursRead += t.provisioned[Dimension::Read] * seconds / 3600.0;
        t.result.provisionedUnitHoursWrite += t.provisioned[Dimension::Write] * seconds / 3600.0;
        if (scenario.freeTier && t.tableClass == TableClass::Standard && !t.isIndex() && !t.isReplica()) {
            const double freeRead = std::min(t.provisioned[Dimension::Read], options.pricing.freeReadUnits);
            const double freeWrite = std::min(t.provisioned[Dimension::Write], options.pricing.freeWriteUnits);
            t.result.cost.freeTier -= (freeRead * prices.provisionedReadUnitHour + freeWrite * prices.provisionedWriteUnitHour)
                * seconds / 3600.0;
        }
    }
    // Storage: billable bytes per GB-month, accruing per second (GB = 2^30 bytes).
    // Index storage is billed like the table's, at its table class price (reference A5).
    const double bytes = static_cast<double>(billableBytesOf(t)) * weightOf(t);
    const double monthSeconds = options.pricing.hoursPerMonth * 3600.0;
    const double gb = bytes / options.pricing.bytesPerGB;
    t.result.cost.storage += gb * prices.storageGBMonth * seconds / monthSeconds;
    // The free tier is the account's: counted once, on the scenario's table (not its replicas).
    if (scenario.freeTier && t.tableClass == TableClass::Standard && !t.isIndex() && !t.isReplica())
        t.result.cost.freeTier -= std::min(gb, options.pricing.freeStorageGB) * prices.storageGBMonth * seconds / monthSeconds;
    if (!t.isReplica()) // PITR and backups are the scenario table's
        accrueDataCost(t, seconds);
    t.accruedTo = until;
}

void Simulator::Impl::minuteEnd(std::int64_t minute)
{
    // Background work due by the minute's end (TTL deletions) happens even without traffic.
    if (Status s = engine->advanceTime(now); !s)
        ttlFailure = s;
    for (std::size_t ti = 0; ti < tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        RegionScope scope(*engine, t.region); // a replica's engine calls address its region
        if (t.absent) {
            // A restore or import target before its event: an empty row, so minutes line up.
            MinuteRow row;
            row.minute = minute;
            t.result.minutes.push_back(row);
            continue;
        }
        if (t.later)
            tableServing(t); // reports the target turning ACTIVE
        if (t.deleted || t.isLocalIndex()) {
            // An LSI's figures are in the table's rows; a deleted GSI has no more rows.
            for (Dimension d : kDimensions) {
                t.minuteConsumed[d] = t.minuteDemand[d] = 0;
                t.minuteRequests[d] = t.minuteThrottled[d] = t.minuteFailed[d] = 0;
            }
            accrueCost(t, now);
            continue;
        }
        accrueCost(t, now);
        const double span = std::max(1.0, secondsOf(now - minute * kSimMinute));
        MinuteRow row;
        row.minute = minute;
        for (Dimension d : kDimensions) {
            const double datapoint = t.minuteConsumed[d] / 60.0;
            t.datapoints[d].push_back(datapoint);
            if (t.datapoints[d].size() > scalingDatapointsKept(scenario.model.autoScaling))
                t.datapoints[d].pop_front();
        }
        row.consumedRead = t.minuteConsumed[Dimension::Read] / 60.0;
        row.consumedWrite = t.minuteConsumed[Dimension::Write] / 60.0;
        row.requestsRead = t.minuteRequests[Dimension::Read];
        row.requestsWrite = t.minuteRequests[Dimension::Write];
        row.throttledRead = t.minuteThrottled[Dimension::Read];
        row.throttledWrite = t.minuteThrottled[Dimension::Write];
        row.failedRead = t.minuteFailed[Dimension::Read];
        row.failedWrite = t.minuteFailed[Dimension::Write];
        (void)span;
        for (Dimension d : kDimensions) {
            const bool throttledNow = t.minuteThrottled[d] > 0;
            if (throttledNow != t.throttling[d]) {
                t.throttling[d] = throttledNow;
                // Provisioned tables answer ProvisionedThroughputExceededException, on-demand
                // tables ThrottlingException (reference A3).
                const char* error = t.mode == BillingMode::Provisioned ? "ProvisionedThroughputExceededException" : "ThrottlingException";
                event(t.name, throttledNow ? EventKind::ThrottleStart : EventKind::ThrottleEnd,
                    ThrottleChange { d, minute, throttledNow ? t.minuteThrottled[d] : 0,
                        throttledNow ? error : "" });
            }
        }
        if (t.mode == BillingMode::Provisioned) {
            if (!t.creating)
                for (Dimension d : kDimensions)
                    autoScale(t, ti, d);
        } else {
            onDemandGrowth(t);
        }
        if (!t.isIndex())
            splitForHeat(t);
        row.provisionedRead = t.mode == BillingMode::Provisioned ? t.provisioned[Dimension::Read] : t.onDemandGrowth[Dimension::Read].ceiling;
        row.provisionedWrite = t.mode == BillingMode::Provisioned ? t.provisioned[Dimension::Write] : t.onDemandGrowth[Dimension::Write].ceiling;
        row.partitions = static_cast<std::int64_t>(t.capacity->partitionCount());
        if (!t.isIndex() && !t.isReplica())
            ttlMinute(t, row);
        if (!t.isIndex() && !t.isReplica())
            streamMinute(t, row);
        if (!t.isIndex())
            daxMinute(t, row);
        replicationMinute(t, row);
        row.costToDate = t.result.cost.total();
        row.dataCostToDate = t.result.cost.dataFeatures();
        row.storageBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(billableBytesOf(t)) * weightOf(t)));
        if (t.minuteLatencyCount > 0) {
            row.latencyP50Ms = acc::extended_p_square(t.minuteLatency)[0];
            row.latencyP99Ms = acc::extended_p_square(t.minuteLatency)[2];
        }
        t.minuteLatency = makeLatencyAccumulator();
        t.minuteLatencyCount = 0;
        t.result.minutes.push_back(row);
        for (const auto& p : partitionsOf(t)) {
            PartitionMinuteRow pr;
            pr.minute = minute;
            pr.partition = p.id;
            auto it = t.partitionMinute.find(p.id);
            if (it != t.partitionMinute.end()) {
                pr.consumedRead = it->second.consumed[Dimension::Read] / 60.0;
                pr.consumedWrite = it->second.consumed[Dimension::Write] / 60.0;
                pr.throttledRead = it->second.throttled[Dimension::Read];
                pr.throttledWrite = it->second.throttled[Dimension::Write];
            }
            const std::int64_t partitionBytes = t.global && !t.isIndex() ? globalTableBillableBytes(p.itemBytes, p.itemCount) : p.billableBytes();
            pr.sizeBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(partitionBytes) * weightOf(t)));
            // Utilisation of the partition's own limit: its even share of the table's rate, or the
            // hard limit if lower. Above 1 the partition lives on burst or adaptive capacity.
            const double count = static_cast<double>(std::max<std::size_t>(1, t.capacity->partitionCount()));
            const double readLimit = std::min(scenario.model.partitionRead, t.capacity->tableRate(Dimension::Read) / count);
            const double writeLimit = std::min(scenario.model.partitionWrite, t.capacity->tableRate(Dimension::Write) / count);
            pr.limitUtilisation = std::max(readLimit > 0 ? pr.consumedRead / readLimit : 0.0, writeLimit > 0 ? pr.consumedWrite / writeLimit : 0.0);
            t.result.partitionMinutes.push_back(pr);
        }
        for (Dimension d : kDimensions) {
            t.minuteConsumed[d] = t.minuteDemand[d] = 0;
            t.minuteRequests[d] = t.minuteThrottled[d] = t.minuteFailed[d] = 0;
        }
        t.partitionMinute.clear();
    }
    // Progressive snapshots copy the run so far: at most a few per second of wall time, or a
    // long run would spend its time copying (the results are unaffected either way).
    const auto wallNow = std::chrono::steady_clock::now();
    if (options.snapshot && wallNow - lastSnapshot >= std::chrono::milliseconds(400)) {
        lastSnapshot = wallNow;
        auto copy = std::make_shared<RunResult>(result);
        copy->tables.clear();
        for (std::size_t i = 0; i < scenario.tables.size(); ++i)
            copy->tables.push_back(tables[i].result);
        for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
            if (tables[i].isIndex() && tables[i].owner < scenario.tables.size())
                copy->tables[tables[i].owner].indexes.push_back(tables[i].result);
        options.snapshot(copy);
    }
}

TableResult Simulator::Impl::finishRuntime(TableRuntime& t)
{
    accrueCost(t, scenario.duration);
    t.result.billingMode = t.mode;
    t.result.tableClass = t.tableClass;
    if (!t.deleted) {
        t.result.partitionsFinal = t.capacity ? static_cast<std::int64_t>(partitionsOf(t).size()) : 0;
        t.result.storageBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(billableBytesOf(t)) * weightOf(t)));
    }
    return std::move(t.result);
}

void Simulator::Impl::finish()
{
    finishFluid();
    std::vector<std::vector<TableResult>> indexResults(tables.size());
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
        if (tables[i].isIndex())
            indexResults[tables[i].owner].push_back(finishRuntime(tables[i]));
    for (std::size_t ti = 0; ti < scenario.tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        accrueCost(t, scenario.duration);
        finishDataLifecycle(t);
        if (t.absent) {
            // A restore or import target DynamoDB never made: listed only when requests went to it.
            if (t.result.requestsRead + t.result.requestsWrite > 0)
                result.tables.push_back(std::move(t.result));
            continue;
        }
        finishTimeToLive(t);
        finishStreams(t);
        finishDax(t);
        for (auto& index : indexResults[ti])
            t.result.cost.indexes += index.cost.total();
        t.result.indexes = std::move(indexResults[ti]);
        const TableState* state = engine->tableIncludingRestoring(t.spec->name);
        t.result.billingMode = t.mode;
        t.result.tableClass = t.tableClass;
        t.result.partitionsFinal = static_cast<std::int64_t>(state->partitions.size());
        t.result.storageBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(billableBytesOf(t)) * weightOf(t)));
        // The other capacity mode for the same traffic, for comparison views.
        const ClassPrices& prices = options.pricing.prices(t.tableClass);
        if (t.mode == BillingMode::Provisioned)
            t.result.alternativeModeCost = t.result.consumedRead * prices.onDemandReadPerMillion / 1e6
                + t.result.consumedWrite * prices.onDemandWritePerMillion / 1e6 + t.result.cost.storage;
        else {
            double read = 0, write = 0;
            for (const auto& m : t.result.minutes) {
                read += std::ceil(m.consumedRead / 0.7) * prices.provisionedReadUnitHour / 60.0;
                write += std::ceil(m.consumedWrite / 0.7) * prices.provisionedWriteUnitHour / 60.0;
            }
            t.result.alternativeModeCost = read + write + t.result.cost.storage;
        }
        std::vector<HotKey> keys;
        for (auto& [key, hot] : t.keys)
            keys.push_back(hot);
        std::sort(keys.begin(), keys.end(), [](const HotKey& a, const HotKey& b) {
            return a.requests != b.requests ? a.requests > b.requests : a.key < b.key;
        });
        if (keys.size() > 20)
            keys.resize(20);
        t.result.hottestKeys = std::move(keys);
        // A global table: its replicas' results, and their cost in its lines (results.h).
        finishReplicas(t, indexResults);
        result.tables.push_back(std::move(t.result));
    }
    removeExportFolder();
    for (auto& [name, accumulator] : latency) {
        LatencySummary summary;
        summary.count = latencyCount[name];
        const auto quantiles = acc::extended_p_square(accumulator);
        summary.p50Ms = quantiles[0];
        summary.p90Ms = quantiles[1];
        summary.p99Ms = quantiles[2];
        summary.p999Ms = quantiles[3];
        summary.maxMs = acc::max(accumulator);
        result.latency[name] = summary;
    }
    std::stable_sort(result.events.begin(), result.events.end(),
        [](const RunEvent& a, const RunEvent& b) { return a.timeSeconds < b.timeSeconds; });
}

} // namespace capsim
