#include "simulator/simulator.h"

#include "engine/engine.h"
#include "engine/item_size.h"
#include "engine/key_codec.h"
#include "simulator/capacity_model.h"
#include "workloads/arrivals.h"
#include "workloads/distributions.h"
#include "workloads/random.h"
#include "workloads/rate_pattern.h"
#include "workloads/request_generator.h"

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/extended_p_square.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/stats.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <deque>
#include <queue>
#include <set>
#include <sstream>
#include <unordered_map>
#include <variant>

namespace capsim {

namespace acc = boost::accumulators;

namespace {

constexpr double kMaxFullRequests = 2000000.0;
constexpr double kMaxFullInitialBytes = 1024.0 * 1024 * 1024;
constexpr int kRead = 0;
constexpr int kWrite = 1;
// Random streams, so that adding draws for one purpose never shifts another's.
constexpr std::uint64_t kStreamClient = 0x1000;
constexpr std::uint64_t kStreamLatency = 0x2000;
constexpr std::uint64_t kStreamSampling = 0x3000;
constexpr std::uint64_t kStreamInitialData = 0x4000;
constexpr std::uint64_t kStreamArrivals = 0x5000;

using LatencyAccumulator = acc::accumulator_set<double, acc::stats<acc::tag::extended_p_square, acc::tag::max>>;
const std::array<double, 4> kProbabilities { 0.5, 0.9, 0.99, 0.999 };

LatencyAccumulator makeLatencyAccumulator()
{
    return LatencyAccumulator(acc::extended_p_square_probabilities = kProbabilities);
}

double secondsOf(SimTime t)
{
    return static_cast<double>(t) / static_cast<double>(kSimSecond);
}

// Keys are drawn as indexes; "k<i>" names partition key i whatever its type. Built by
// appending: GCC 12 warns falsely (-Wrestrict) on "k" + std::to_string(i).
std::string keyLabelOf(std::int64_t index)
{
    std::string label = "k";
    label += std::to_string(index);
    return label;
}

int dimensionOf(OperationType type)
{
    return isReadOperation(type) ? kRead : kWrite;
}

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

} // namespace

struct Simulator::Impl {
    Scenario scenario;
    SimulatorOptions options;
    std::unique_ptr<Engine> engine;
    FidelitySpec fidelity;
    double weight = 1.0; // 1 / sampling rate

    // ---- event queue ----
    enum class EventClass { MinuteEnd = 0, Control = 1, Request = 2 };
    enum class QueuedKind { MinuteEnd, Arrival, Retry, CapacityEffective, TimedEvent, ModeEffective, Backfill };
    struct Event {
        SimTime time;
        EventClass cls;
        std::uint64_t sequence;
        QueuedKind kind;
        std::size_t index; // workload, pending request slot, table, or scenario event
        int dimension;
        double value;
    };
    struct Later {
        bool operator()(const Event& a, const Event& b) const
        {
            if (a.time != b.time)
                return a.time > b.time;
            if (a.cls != b.cls)
                return a.cls > b.cls;
            return a.sequence > b.sequence;
        }
    };
    std::priority_queue<Event, std::vector<Event>, Later> queue;
    std::uint64_t nextSequence = 0;

    void schedule(SimTime time, EventClass cls, QueuedKind kind, std::size_t index, int dimension = 0, double value = 0)
    {
        queue.push({ time, cls, nextSequence++, kind, index, dimension, value });
    }

    // ---- tables ----
    struct PartitionMinute {
        double consumed[2] = { 0, 0 };
        std::int64_t throttled[2] = { 0, 0 };
    };
    struct HeatState {
        SimTime hotSince = -1;
        SimTime splitAt = -1;
        std::unordered_map<std::string, std::int64_t> keyCounts; // this minute
        bool singleKeyOrSequential = false;
    };
    // A table, or one of its secondary indexes (`indexSpec` set): a GSI has a capacity model of
    // its own; an LSI only collects its figures (its units count against the table).
    struct TableRuntime {
        const TableSpec* spec = nullptr; // the table (its own, or the index's base table)
        const IndexSpec* indexSpec = nullptr;
        std::string name; // "<table>" or "<table>/<index>", as the results name it
        std::size_t owner = 0; // an index's table
        const OnDemandSpec* onDemand = nullptr;
        bool creating = false; // a GSI being backfilled
        bool deleted = false;
        double backfillUnitsPerItem = 1.0;
        bool isIndex() const { return indexSpec != nullptr; }
        bool isGlobalIndex() const { return indexSpec && indexSpec->kind == IndexKind::Global; }
        bool isLocalIndex() const { return indexSpec && indexSpec->kind == IndexKind::Local; }
        std::unique_ptr<CapacityModel> capacity;
        BillingMode mode = BillingMode::Provisioned;
        TableClass tableClass = TableClass::Standard;
        double provisioned[2] = { 0, 0 }; // in force
        bool pending[2] = { false, false }; // auto-scaling action in flight
        std::optional<AutoScalingSpec> autoScaling;
        std::deque<double> datapoints[2];
        // on-demand
        double peak[2] = { 0, 0 };
        double ceiling[2] = { 0, 0 };
        double growthFrom[2] = { 0, 0 };
        double growthTarget[2] = { 0, 0 };
        SimTime growthStart[2] = { -1, -1 };
        // the current minute
        double minuteConsumed[2] = { 0, 0 };
        double minuteDemand[2] = { 0, 0 };
        std::int64_t minuteRequests[2] = { 0, 0 };
        std::int64_t minuteThrottled[2] = { 0, 0 };
        std::int64_t minuteFailed[2] = { 0, 0 };
        std::map<std::int64_t, PartitionMinute> partitionMinute;
        std::map<std::int64_t, HeatState> heat;
        bool throttling[2] = { false, false };
        // cost accrual
        SimTime accruedTo = 0;
        std::int64_t sequentialKeys = 0;
        LatencyAccumulator minuteLatency = makeLatencyAccumulator();
        std::int64_t minuteLatencyCount = 0;
        std::unordered_map<std::string, HotKey> keys;
        std::vector<std::int32_t> initialSizes; // sampled fidelity: initialData sizes by ordinal
        TableResult result;
    };
    // Tables first (in scenario order), then their indexes as they are created; a deque, so
    // that adding an index keeps references to the others valid.
    std::deque<TableRuntime> tables;
    std::map<std::string, std::size_t> tableIndex;

    // ---- workloads and requests ----
    struct WorkloadRuntime {
        const WorkloadSpec* spec = nullptr;
        std::size_t table = 0;
        std::unique_ptr<RequestGenerator> generator;
        bool global = false; // targets a GSI
        std::unique_ptr<ArrivalProcess> arrivals;
    };
    std::vector<WorkloadRuntime> workloads;
    struct PendingRequest {
        std::size_t workload = 0;
        GeneratedRequest request;
        SimTime firstArrival = 0;
        int attempts = 0;
        bool active = false;
    };
    std::vector<PendingRequest> pending;
    std::vector<std::size_t> freeSlots;
    std::unordered_map<std::string, std::int64_t> lastWrittenSize; // sampled fidelity: key -> size

    Rng clientRng;
    Rng latencyRng;
    Rng samplingRng;
    std::map<std::string, LatencyAccumulator> latency;
    std::map<std::string, std::int64_t> latencyCount;
    RunResult result;
    SimTime now = 0;
    std::chrono::steady_clock::time_point lastSnapshot {};

    Impl(Scenario s, SimulatorOptions o)
        : scenario(std::move(s))
        , options(std::move(o))
        , clientRng(scenario.seed, kStreamClient)
        , latencyRng(scenario.seed, kStreamLatency)
        , samplingRng(scenario.seed, kStreamSampling)
    {
    }

    void event(const std::string& table, EventKind kind, EventPayload payload)
    {
        result.events.push_back({ secondsOf(now), table, kind, std::move(payload) });
    }

    Status setUp();
    Status loadInitialData(TableRuntime& t);
    void syncPartitions(TableRuntime& t, bool recordSplits);
    void applyRates(TableRuntime& t);
    void accrueCost(TableRuntime& t, SimTime until);
    void handleArrival(std::size_t workload);
    void attempt(std::size_t slot);
    bool execute(PendingRequest& request, TableRuntime& t);
    void meterWithoutEngine(PendingRequest& request, TableRuntime& t);
    void meterBatch(PendingRequest& request, TableRuntime& t);
    void meterTransaction(PendingRequest& request, TableRuntime& t);
    std::int64_t knownSize(TableRuntime& t, std::int64_t keyIndex, std::int64_t sortIndex, const std::string& key) const;
    void chargeConsumed(TableRuntime& t, const ConsumedCapacity& consumed, int dimension);
    void chargePartition(TableRuntime& t, std::int64_t partitionId, int dimension, double units);
    // Index runtimes
    std::size_t addIndexRuntime(std::size_t table, const IndexSpec& spec, bool creating);
    std::optional<std::size_t> findIndexRuntime(std::size_t table, const std::string& indexName) const;
    const std::vector<Partition>& partitionsOf(const TableRuntime& t) const;
    std::int64_t billableBytesOf(const TableRuntime& t) const;
    const KeyElement& partitionKeyOf(const TableRuntime& t) const
    {
        return t.isGlobalIndex() ? t.indexSpec->partitionKey : t.spec->partitionKey;
    }
    bool admitGlobalIndexes(std::size_t table, const GeneratedRequest& request, std::vector<std::size_t>& refused);
    void backfill(std::size_t index);
    TableResult finishRuntime(TableRuntime& t);
    void recordLatency(TableRuntime& t, const PendingRequest& request, SimTime completion);
    void minuteEnd(std::int64_t minute);
    void autoScale(TableRuntime& t, std::size_t tableIndex, int d);
    void onDemandGrowth(TableRuntime& t);
    void splitForHeat(TableRuntime& t, std::int64_t minute);
    void timedEvent(std::size_t index);
    Status requestCapacity(TableRuntime& t, std::optional<std::int64_t> read, std::optional<std::int64_t> write);
    std::string keyLabel(const GeneratedRequest& r) const;
    // Sampled fidelity stores and executes a fixed subset of partition keys (whole item
    // collections), so the engine's contents are a consistent sample: key k is in it when
    // floor((k + 1) r) > floor(k r), exactly round(N r) of any N consecutive keys.
    bool keySampled(std::int64_t keyIndex) const
    {
        if (fidelity.mode != FidelitySpec::Mode::Sampled)
            return true;
        const auto k = static_cast<double>(keyIndex);
        return std::floor((k + 1) * fidelity.rate) > std::floor(k * fidelity.rate);
    }
    void finish();
};

namespace {

// The partition key value of a single-key request or Query, for routing.
std::optional<AttributeValue> routingKey(const GeneratedRequest& g, AttrType type)
{
    if (g.type == OperationType::Scan || g.type == OperationType::BatchGetItem || g.type == OperationType::BatchWriteItem
        || g.type == OperationType::TransactGetItems || g.type == OperationType::TransactWriteItems)
        return std::nullopt;
    if (g.partitionKeyOverride)
        return g.partitionKeyOverride; // an index query on a value drawn from `attributes`
    return partitionKeyValue(type, g.partitionKeyIndex);
}

bool isMultiKey(OperationType type)
{
    return type == OperationType::Scan || type == OperationType::BatchGetItem || type == OperationType::BatchWriteItem
        || type == OperationType::TransactGetItems || type == OperationType::TransactWriteItems;
}

// Key index i back from its rendering ("k<i>", i, or 8 big-endian bytes); -1 when it is none.
std::int64_t keyIndexOf(const AttributeValue& v)
{
    std::int64_t index = -1;
    if (v.is(AttrType::S) && v.bytes().size() > 1)
        index = std::atoll(v.bytes().c_str() + 1);
    else if (v.is(AttrType::N))
        v.asNumber().toInt64(index);
    else if (v.is(AttrType::B) && v.bytes().size() == 8) {
        index = 0;
        for (char c : v.bytes())
            index = index * 256 + static_cast<unsigned char>(c);
    }
    return index;
}

std::vector<Item> batchKeys(const GeneratedRequest& g)
{
    std::vector<Item> keys;
    if (const auto* get = std::get_if<BatchGetItemRequest>(&g.request)) {
        for (const auto& [table, entry] : get->requestItems)
            keys.insert(keys.end(), entry.keys.begin(), entry.keys.end());
    } else if (const auto* write = std::get_if<BatchWriteItemRequest>(&g.request)) {
        for (const auto& [table, writes] : write->requestItems)
            for (const auto& w : writes)
                keys.push_back(w.item);
    } else if (const auto* tget = std::get_if<TransactGetItemsRequest>(&g.request)) {
        for (const auto& action : tget->gets)
            keys.push_back(action.key);
    } else if (const auto* twrite = std::get_if<TransactWriteItemsRequest>(&g.request)) {
        for (const auto& action : twrite->actions)
            keys.push_back(action.item);
    }
    return keys;
}

} // namespace

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
    double rate = 1.0;
    if (requests > kMaxFullRequests)
        rate = std::min(rate, kMaxFullRequests / requests);
    if (initialBytes > kMaxFullInitialBytes)
        rate = std::min(rate, kMaxFullInitialBytes / initialBytes);
    if (rate >= 1.0)
        return { FidelitySpec::Mode::Full, 1.0 };
    return { FidelitySpec::Mode::Sampled, rate };
}

Result<std::shared_ptr<const RunResult>> Simulator::run()
{
    Impl& s = *m_impl;
    CAPSIM_RETURN_IF_ERROR(s.setUp());
    const std::int64_t minutes = (s.scenario.duration + kSimMinute - 1) / kSimMinute;
    for (std::int64_t m = 0; m < minutes; ++m)
        s.schedule(std::min((m + 1) * kSimMinute, s.scenario.duration), Impl::EventClass::MinuteEnd,
            Impl::QueuedKind::MinuteEnd, static_cast<std::size_t>(m));
    std::uint64_t processed = 0;
    while (!s.queue.empty()) {
        const Impl::Event e = s.queue.top();
        if (e.time > s.scenario.duration)
            break;
        s.queue.pop();
        s.now = e.time;
        if (s.options.stop && (++processed & 1023) == 0 && s.options.stop->load()) {
            s.result.cancelled = true;
            break;
        }
        switch (e.kind) {
        case Impl::QueuedKind::MinuteEnd:
            s.minuteEnd(static_cast<std::int64_t>(e.index));
            if (s.options.progress)
                s.options.progress(secondsOf(s.now) / secondsOf(s.scenario.duration));
            break;
        case Impl::QueuedKind::Arrival: s.handleArrival(e.index); break;
        case Impl::QueuedKind::Retry: s.attempt(e.index); break;
        case Impl::QueuedKind::CapacityEffective: {
            auto& t = s.tables[e.index];
            s.accrueCost(t, s.now);
            const double before = t.provisioned[e.dimension];
            t.provisioned[e.dimension] = e.value;
            t.pending[e.dimension] = false;
            s.applyRates(t);
            if (t.deleted)
                break;
            s.event(t.name, EventKind::CapacityChanged,
                CapacityInForce { static_cast<Dimension>(e.dimension), std::llround(before), std::llround(e.value) });
            break;
        }
        case Impl::QueuedKind::ModeEffective: {
            auto& t = s.tables[e.index];
            s.accrueCost(t, s.now);
            const TableState* state = s.engine->table(t.spec->name);
            t.mode = state->billingMode;
            t.provisioned[kRead] = static_cast<double>(state->readCapacity);
            t.provisioned[kWrite] = static_cast<double>(state->writeCapacity);
            if (t.mode == BillingMode::PayPerRequest) {
                t.peak[kRead] = static_cast<double>(state->peakRead);
                t.peak[kWrite] = static_cast<double>(state->peakWrite);
            }
            s.applyRates(t);
            s.syncPartitions(t, true);
            s.event(t.spec->name, EventKind::ModeSwitch, BillingModeInForce { t.mode });
            // The table's GSIs switch with it.
            for (std::size_t i = s.scenario.tables.size(); i < s.tables.size(); ++i) {
                auto& index = s.tables[i];
                if (index.owner != e.index || index.deleted)
                    continue;
                s.accrueCost(index, s.now);
                index.mode = t.mode;
                if (!index.isGlobalIndex())
                    continue;
                const IndexState* indexState = state->findIndex(index.indexSpec->name);
                index.provisioned[kRead] = static_cast<double>(indexState->readCapacity);
                index.provisioned[kWrite] = static_cast<double>(indexState->writeCapacity);
                s.applyRates(index);
                s.syncPartitions(index, true);
            }
            break;
        }
        case Impl::QueuedKind::TimedEvent: s.timedEvent(e.index); break;
        case Impl::QueuedKind::Backfill: s.backfill(e.index); break;
        }
    }
    s.now = s.scenario.duration;
    s.finish();
    return std::shared_ptr<const RunResult>(std::make_shared<RunResult>(std::move(s.result)));
}

Status Simulator::Impl::setUp()
{
    fidelity = Simulator::resolveFidelity(scenario);
    weight = 1.0 / fidelity.rate;
    result.scenario = scenario.name;
    result.description = scenario.description;
    result.seed = scenario.seed;
    result.simulatedSeconds = secondsOf(scenario.duration);
    result.fidelityMode = fidelity.mode;
    result.fidelityRate = fidelity.rate;
    result.pricingLabel = options.pricing.label();
    result.currency = options.pricing.currency;

    auto opened = Engine::open(options.enginePath);
    if (!opened)
        return opened.status();
    engine = std::move(opened).value();
    engine->setPartitionSplitBytes(scenario.model.partitionSizeBytes);
    engine->setStorageWeight(weight);
    tables.resize(scenario.tables.size());
    for (std::size_t i = 0; i < scenario.tables.size(); ++i) {
        const TableSpec& spec = scenario.tables[i];
        TableRuntime& t = tables[i];
        t.spec = &spec;
        tableIndex[spec.name] = i;
        CreateTableRequest create;
        create.tableName = spec.name;
        create.keySchema.partition = spec.partitionKey;
        create.keySchema.sort = spec.sortKey;
        create.billingMode = spec.billingMode;
        create.tableClass = spec.tableClass;
        if (spec.billingMode == BillingMode::Provisioned) {
            create.readCapacity = spec.provisionedRead;
            create.writeCapacity = spec.provisionedWrite;
        }
        for (const auto& index : spec.globalSecondaryIndexes)
            create.globalSecondaryIndexes.push_back(indexDefinition(spec, index, spec.billingMode));
        for (const auto& index : spec.localSecondaryIndexes)
            create.localSecondaryIndexes.push_back(indexDefinition(spec, index, spec.billingMode));
        auto created = engine->createTable(create, 0);
        if (!created)
            return Status(created.status().type(), "tables[" + std::to_string(i) + "]: " + created.status().message());
        if (spec.billingMode == BillingMode::PayPerRequest)
            CAPSIM_RETURN_IF_ERROR(
                engine->setOnDemandPeak(spec.name, spec.onDemand.previousPeakRead, spec.onDemand.previousPeakWrite));
        t.mode = spec.billingMode;
        t.tableClass = spec.tableClass;
        t.provisioned[kRead] = static_cast<double>(spec.provisionedRead);
        t.provisioned[kWrite] = static_cast<double>(spec.provisionedWrite);
        t.peak[kRead] = static_cast<double>(spec.onDemand.previousPeakRead);
        t.peak[kWrite] = static_cast<double>(spec.onDemand.previousPeakWrite);
        t.autoScaling = spec.autoScaling;
        t.capacity = std::make_unique<CapacityModel>(scenario.model, 0);
        t.result.name = spec.name;
        t.name = spec.name;
        t.onDemand = &spec.onDemand;
        CAPSIM_RETURN_IF_ERROR(loadInitialData(t));
        syncPartitions(t, false);
        applyRates(t);
        t.result.partitionsInitial = static_cast<std::int64_t>(t.capacity->partitionCount());
    }
    // Indexes after every table, so that the tables keep their places (and event indexes).
    for (std::size_t i = 0; i < scenario.tables.size(); ++i) {
        for (const auto& index : scenario.tables[i].globalSecondaryIndexes)
            addIndexRuntime(i, index, false);
        for (const auto& index : scenario.tables[i].localSecondaryIndexes)
            addIndexRuntime(i, index, false);
    }
    workloads.resize(scenario.workloads.size());
    for (std::size_t i = 0; i < scenario.workloads.size(); ++i) {
        const WorkloadSpec& spec = scenario.workloads[i];
        WorkloadRuntime& w = workloads[i];
        w.spec = &spec;
        w.table = tableIndex.at(spec.table);
        const TableSpec& table = scenario.tables[w.table];
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
        const SimTime first = w.arrivals->next();
        if (first < scenario.duration)
            schedule(first, EventClass::Request, QueuedKind::Arrival, i);
    }
    for (std::size_t i = 0; i < scenario.events.size(); ++i)
        schedule(scenario.events[i].at, EventClass::Control, QueuedKind::TimedEvent, i);
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
    const bool sampled = fidelity.mode == FidelitySpec::Mode::Sampled;
    if (sampled)
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
    t.name = base.spec->name + "/" + spec.name;
    t.onDemand = &spec.onDemand;
    t.creating = creating;
    t.mode = base.mode;
    t.tableClass = base.tableClass;
    t.accruedTo = now;
    t.result.name = spec.name;
    t.result.indexKind = spec.kind;
    if (spec.kind == IndexKind::Global) {
        const IndexState* state = engine->table(base.spec->name)->findIndex(spec.name);
        t.provisioned[kRead] = static_cast<double>(state->readCapacity);
        t.provisioned[kWrite] = static_cast<double>(state->writeCapacity);
        t.peak[kRead] = static_cast<double>(spec.onDemand.previousPeakRead);
        t.peak[kWrite] = static_cast<double>(spec.onDemand.previousPeakWrite);
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
        if (tables[i].owner == table && !tables[i].deleted && tables[i].indexSpec->name == indexName)
            return i;
    return std::nullopt;
}

const std::vector<Partition>& Simulator::Impl::partitionsOf(const TableRuntime& t) const
{
    const TableState* state = engine->table(t.spec->name);
    if (t.isIndex())
        return state->findIndex(t.indexSpec->name)->partitions;
    return state->partitions;
}

std::int64_t Simulator::Impl::billableBytesOf(const TableRuntime& t) const
{
    const TableState* state = engine->table(t.spec->name);
    if (t.isIndex()) {
        const IndexState* index = state->findIndex(t.indexSpec->name);
        return index ? index->billableBytes() : 0;
    }
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
        t.capacity->setTableRates(std::min<double>(t.provisioned[kRead], kTableQuotaUnits),
            std::min<double>(t.provisioned[kWrite], kTableQuotaUnits), now);
        return;
    }
    const auto& od = *t.onDemand;
    for (int d = 0; d < 2; ++d) {
        double ceiling = 2.0 * t.peak[d];
        if (t.growthStart[d] >= 0) {
            const double progress = std::min(1.0, secondsOf(now - t.growthStart[d]) / secondsOf(scenario.model.onDemandWindow));
            ceiling = std::max(ceiling, t.growthFrom[d] + (t.growthTarget[d] - t.growthFrom[d]) * progress);
            if (progress >= 1.0)
                t.growthStart[d] = -1;
        }
        const auto& cap = d == kRead ? od.maxRead : od.maxWrite;
        if (cap)
            ceiling = std::min(ceiling, static_cast<double>(*cap));
        t.ceiling[d] = std::min<double>(ceiling, kTableQuotaUnits);
    }
    t.capacity->setTableRates(t.ceiling[kRead], t.ceiling[kWrite], now);
}

void Simulator::Impl::accrueCost(TableRuntime& t, SimTime until)
{
    if (until <= t.accruedTo || t.deleted)
        return;
    const double seconds = secondsOf(until - t.accruedTo);
    const ClassPrices& prices = options.pricing.prices(t.tableClass);
    if (t.mode == BillingMode::Provisioned) {
        // Provisioned capacity accrues per second at the capacity in force (reference A5).
        t.result.cost.read += t.provisioned[kRead] * prices.provisionedReadUnitHour * seconds / 3600.0;
        t.result.cost.write += t.provisioned[kWrite] * prices.provisionedWriteUnitHour * seconds / 3600.0;
        t.result.provisionedUnitHoursRead += t.provisioned[kRead] * seconds / 3600.0;
        t.result.provisionedUnitHoursWrite += t.provisioned[kWrite] * seconds / 3600.0;
        if (scenario.freeTier && t.tableClass == TableClass::Standard && !t.isIndex()) {
            const double freeRead = std::min(t.provisioned[kRead], options.pricing.freeReadUnits);
            const double freeWrite = std::min(t.provisioned[kWrite], options.pricing.freeWriteUnits);
            t.result.cost.freeTier -= (freeRead * prices.provisionedReadUnitHour + freeWrite * prices.provisionedWriteUnitHour)
                * seconds / 3600.0;
        }
    }
    // Storage: billable bytes per GB-month, accruing per second (GB = 2^30 bytes).
    // Index storage is billed like the table's, at its table class price (reference A5).
    const double bytes = static_cast<double>(billableBytesOf(t)) * weight;
    const double monthSeconds = options.pricing.hoursPerMonth * 3600.0;
    const double gb = bytes / options.pricing.bytesPerGB;
    t.result.cost.storage += gb * prices.storageGBMonth * seconds / monthSeconds;
    if (scenario.freeTier && t.tableClass == TableClass::Standard && !t.isIndex())
        t.result.cost.freeTier -= std::min(gb, options.pricing.freeStorageGB) * prices.storageGBMonth * seconds / monthSeconds;
    t.accruedTo = until;
}

void Simulator::Impl::handleArrival(std::size_t w)
{
    WorkloadRuntime& workload = workloads[w];
    std::size_t slot;
    if (!freeSlots.empty()) {
        slot = freeSlots.back();
        freeSlots.pop_back();
    } else {
        slot = pending.size();
        pending.emplace_back();
    }
    PendingRequest& r = pending[slot];
    r.workload = w;
    r.request = workload.generator->next(now);
    r.firstArrival = now;
    r.attempts = 0;
    r.active = true;
    attempt(slot);
    const SimTime next = workload.arrivals->next();
    if (next < scenario.duration)
        schedule(next, EventClass::Request, QueuedKind::Arrival, w);
}

std::string Simulator::Impl::keyLabel(const GeneratedRequest& r) const
{
    if (r.partitionKeyOverride && r.partitionKeyOverride->is(AttrType::S))
        return r.partitionKeyOverride->bytes(); // an index query's drawn value
    return keyLabelOf(r.partitionKeyIndex);
}

void Simulator::Impl::attempt(std::size_t slot)
{
    PendingRequest& r = pending[slot];
    WorkloadRuntime& w = workloads[r.workload];
    TableRuntime& base = tables[w.table];
    // An index workload is admitted by (and counted on) its GSI; an LSI read by the table, and
    // counted on the LSI as well.
    TableRuntime* target = &base;
    TableRuntime* localIndex = nullptr;
    if (w.spec->index) {
        const auto found = findIndexRuntime(w.table, *w.spec->index);
        if (!found || tables[*found].creating) {
            // Not created yet, being backfilled or deleted: DynamoDB answers ValidationException
            // (or ResourceNotFoundException), which the simulator does not retry or count.
            r.active = false;
            freeSlots.push_back(slot);
            return;
        }
        if (tables[*found].isGlobalIndex())
            target = &tables[*found];
        else
            localIndex = &tables[*found];
    }
    TableRuntime& t = *target;
    const int d = dimensionOf(r.request.type);
    ++r.attempts;
    if (localIndex) {
        ++localIndex->minuteRequests[d];
        ++localIndex->result.requestsRead;
    }
    ++t.minuteRequests[d];
    if (d == kRead)
        ++t.result.requestsRead;
    else
        ++t.result.requestsWrite;

    // Admission on the partition(s) the request touches (reference A3).
    const std::string& pkName = partitionKeyOf(t).name;
    bool admitted = true;
    std::vector<std::size_t> touched;
    // A batch or transaction touches each of its items' partitions. A transaction is admitted
    // only when every one of them admits, else it is throttled whole, as one request.
    if (r.request.type == OperationType::BatchGetItem || r.request.type == OperationType::BatchWriteItem
        || r.request.type == OperationType::TransactGetItems || r.request.type == OperationType::TransactWriteItems) {
        for (const auto& key : batchKeys(r.request)) {
            const std::uint64_t hash = partitionHash(encodeKeyValue(key.at(pkName)));
            touched.push_back(t.capacity->partitionIndexForHash(hash));
        }
    } else if (r.request.type == OperationType::Scan) {
        const auto& scan = std::get<ScanRequest>(r.request.request);
        std::uint64_t hash = 0;
        if (scan.exclusiveStartKey)
            hash = partitionHash(encodeKeyValue(scan.exclusiveStartKey->at(pkName)));
        touched.push_back(t.capacity->partitionIndexForHash(hash));
    } else if (auto pk = routingKey(r.request, partitionKeyOf(t).type)) {
        touched.push_back(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(*pk))));
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (std::size_t p : touched)
        admitted = admitted && t.capacity->admit(p, static_cast<Dimension>(d), now);
    // GSI back-pressure: a base-table write the table admits is still throttled when a GSI
    // whose entry it changes cannot take the write (reference A2).
    std::vector<std::size_t> refusedIndexes;
    if (admitted && d == kWrite && !w.spec->index)
        admitted = admitGlobalIndexes(w.table, r.request, refusedIndexes);

    const std::string key = keyLabel(r.request);
    auto& hot = t.keys[key];
    hot.key = key;
    ++hot.requests;
    for (std::size_t p : touched)
        ++t.heat[t.capacity->partition(p).partitionId].keyCounts[key];

    if (!admitted) {
        // A refused request is throttled at once and consumes nothing (reference A3).
        ++t.minuteThrottled[d];
        ++hot.throttled;
        if (d == kRead)
            ++t.result.throttledRead;
        else
            ++t.result.throttledWrite;
        for (std::size_t p : touched)
            ++t.partitionMinute[t.capacity->partition(p).partitionId].throttled[d];
        // Demand for on-demand growth: the units the request would have needed.
        const double units = d == kRead ? readUnits(std::max<std::int64_t>(1, r.request.itemSizeBytes), Consistency::Strong)
                                        : static_cast<double>(writeUnits(r.request.itemSizeBytes));
        t.minuteDemand[d] += units;
        if (localIndex) {
            ++localIndex->minuteThrottled[d];
            ++localIndex->result.throttledRead;
        }
        if (r.attempts >= scenario.client.maxAttempts) {
            ++t.minuteFailed[d];
            if (d == kRead)
                ++t.result.failedRead;
            else
                ++t.result.failedWrite;
            r.active = false;
            freeSlots.push_back(slot);
            return;
        }
        // Exponential backoff with full jitter, in virtual time.
        const double cap = std::min(static_cast<double>(scenario.client.maxDelay),
            static_cast<double>(scenario.client.baseDelay) * std::pow(2.0, r.attempts - 1));
        const auto delay = static_cast<SimTime>(std::llround(clientRng.uniform01() * cap));
        schedule(now + std::max<SimTime>(1, delay), EventClass::Request, QueuedKind::Retry, slot);
        return;
    }
    const bool multiKey = isMultiKey(r.request.type);
    // Index reads always run: their keys are index values, not the sampled table keys.
    const bool runInEngine = multiKey || w.spec->index || keySampled(r.request.partitionKeyIndex);
    if (runInEngine)
        execute(r, base);
    else
        meterWithoutEngine(r, base);
    // Service latency (model.latency), after which the request completes.
    const bool read = d == kRead;
    const double median = static_cast<double>(read ? scenario.model.latency.readMedian : scenario.model.latency.writeMedian);
    const double sigma = read ? scenario.model.latency.readSigma : scenario.model.latency.writeSigma;
    const auto service = static_cast<SimTime>(std::llround(latencyRng.lognormal(median, sigma)));
    recordLatency(t, r, now + service);
    r.active = false;
    freeSlots.push_back(slot);
}

bool Simulator::Impl::admitGlobalIndexes(std::size_t table, const GeneratedRequest& g, std::vector<std::size_t>& refused)
{
    std::vector<std::size_t> indexes;
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
        if (tables[i].owner == table && !tables[i].deleted && tables[i].isGlobalIndex())
            indexes.push_back(i);
    if (indexes.empty())
        return true;
    const TableRuntime& base = tables[table];
    // The rule (a pre-check, since the entries a write changes are known only after it runs):
    // for every item the request writes, the item before (read from the engine, free of charge)
    // and after (the generated item, or the old item with the update's SET values) are mapped
    // through each GSI's key; every GSI partition an image with the whole index key falls in
    // must admit a write. An UpdateItem that changes neither the GSI's key nor an attribute it
    // projects leaves its entry alone and is not checked against it; a PutItem always is.
    struct Image {
        std::optional<Item> before;
        std::optional<Item> after;
        std::set<std::string> changed; // UpdateItem: the attributes it sets
        bool update = false;
    };
    std::vector<Image> images;
    auto current = [&](const Item& key) -> std::optional<Item> {
        GetItemRequest get;
        get.tableName = base.spec->name;
        get.key = key;
        get.consistentRead = true;
        return engine->getItem(get).item;
    };
    auto keyOf = [&](const Item& item) {
        Item key;
        key[base.spec->partitionKey.name] = item.at(base.spec->partitionKey.name);
        if (base.spec->sortKey)
            key[base.spec->sortKey->name] = item.at(base.spec->sortKey->name);
        return key;
    };
    if (const auto* put = std::get_if<PutItemRequest>(&g.request)) {
        images.push_back({ current(keyOf(put->item)), put->item, {}, false });
    } else if (const auto* update = std::get_if<UpdateItemRequest>(&g.request)) {
        Image image;
        image.update = true;
        image.before = current(update->key);
        Item after = image.before.value_or(update->key);
        // The generator writes "SET p = :p, #u0 = :u0, ...".
        const auto& values = update->expressionAttributes.values;
        if (values && values->count(":p")) {
            after[kPayloadAttribute] = values->at(":p");
            image.changed.insert(kPayloadAttribute);
        }
        if (update->expressionAttributes.names && values)
            for (const auto& [alias, name] : *update->expressionAttributes.names) {
                const auto value = values->find(":" + alias.substr(1));
                if (value != values->end()) {
                    after[name] = value->second;
                    image.changed.insert(name);
                }
            }
        image.after = std::move(after);
        images.push_back(std::move(image));
    } else if (const auto* erase = std::get_if<DeleteItemRequest>(&g.request)) {
        images.push_back({ current(erase->key), std::nullopt, {}, false });
    } else if (const auto* batch = std::get_if<BatchWriteItemRequest>(&g.request)) {
        for (const auto& [name, writes] : batch->requestItems)
            for (const auto& w : writes)
                images.push_back({ current(w.isPut ? keyOf(w.item) : w.item),
                    w.isPut ? std::optional<Item>(w.item) : std::nullopt, {}, false });
    } else if (const auto* transaction = std::get_if<TransactWriteItemsRequest>(&g.request)) {
        // The generator writes Puts only.
        for (const auto& action : transaction->actions)
            if (action.type == TransactWriteAction::Type::Put)
                images.push_back({ current(keyOf(action.item)), action.item, {}, false });
    }
    bool admitted = true;
    for (std::size_t i : indexes) {
        TableRuntime& gsi = tables[i];
        const IndexSpec& spec = *gsi.indexSpec;
        std::vector<std::size_t> partitions;
        auto mapped = [&](const std::optional<Item>& item) -> std::optional<std::size_t> {
            if (!item)
                return std::nullopt;
            const auto pk = item->find(spec.partitionKey.name);
            if (pk == item->end() || !pk->second.is(spec.partitionKey.type))
                return std::nullopt; // sparse: no entry
            if (spec.sortKey) {
                const auto sk = item->find(spec.sortKey->name);
                if (sk == item->end() || !sk->second.is(spec.sortKey->type))
                    return std::nullopt;
            }
            return gsi.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(pk->second)));
        };
        for (const auto& image : images) {
            if (image.update) {
                bool touches = spec.projection == ProjectionType::All || image.changed.count(spec.partitionKey.name) != 0
                    || (spec.sortKey && image.changed.count(spec.sortKey->name) != 0);
                for (const auto& name : spec.nonKeyAttributes)
                    touches = touches || image.changed.count(name) != 0;
                if (!touches)
                    continue;
            }
            for (const auto& p : { mapped(image.before), mapped(image.after) })
                if (p)
                    partitions.push_back(*p);
        }
        if (partitions.empty())
            continue;
        std::sort(partitions.begin(), partitions.end());
        partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
        ++gsi.minuteRequests[kWrite];
        ++gsi.result.requestsWrite;
        bool ok = true;
        for (std::size_t p : partitions)
            ok = gsi.capacity->admit(p, Dimension::Write, now) && ok;
        if (ok)
            continue;
        admitted = false;
        refused.push_back(i);
        // A throttle event on the index (reference A3: counted on the table and each index).
        ++gsi.minuteThrottled[kWrite];
        ++gsi.result.throttledWrite;
        for (std::size_t p : partitions)
            ++gsi.partitionMinute[gsi.capacity->partition(p).partitionId].throttled[kWrite];
        gsi.minuteDemand[kWrite] += static_cast<double>(writeUnits(g.itemSizeBytes));
    }
    return admitted;
}

bool Simulator::Impl::execute(PendingRequest& r, TableRuntime& t)
{
    const int d = dimensionOf(r.request.type);
    const std::size_t partitionsBefore = engine->table(t.spec->name)->partitions.size();
    std::visit(
        [&](auto& request) {
            using T = std::decay_t<decltype(request)>;
            if constexpr (std::is_same_v<T, GetItemRequest>)
                chargeConsumed(t, engine->getItem(request).consumed, d);
            else if constexpr (std::is_same_v<T, PutItemRequest>)
                chargeConsumed(t, engine->putItem(request).consumed, d);
            else if constexpr (std::is_same_v<T, UpdateItemRequest>)
                chargeConsumed(t, engine->updateItem(request).consumed, d);
            else if constexpr (std::is_same_v<T, DeleteItemRequest>)
                chargeConsumed(t, engine->deleteItem(request).consumed, d);
            else if constexpr (std::is_same_v<T, QueryRequest>)
                chargeConsumed(t, engine->query(request).consumed, d);
            else if constexpr (std::is_same_v<T, ScanRequest>) {
                auto response = engine->scan(request);
                // A page over a sample reads 1/r times fewer bytes than over the whole table.
                if (weight != 1.0)
                    for (auto& p : response.consumed.partitions)
                        p.read *= weight;
                chargeConsumed(t, response.consumed, d);
                workloads[r.workload].generator->noteScanResult(response.lastEvaluatedKey);
            } else if constexpr (std::is_same_v<T, BatchGetItemRequest>) {
                if (weight != 1.0)
                    return meterBatch(r, t);
                for (const auto& c : engine->batchGetItem(request).consumed)
                    chargeConsumed(t, c, d);
            } else if constexpr (std::is_same_v<T, BatchWriteItemRequest>) {
                if (weight != 1.0)
                    return meterBatch(r, t);
                for (const auto& c : engine->batchWriteItem(request).consumed)
                    chargeConsumed(t, c, d);
            } else if constexpr (std::is_same_v<T, TransactGetItemsRequest>) {
                if (weight != 1.0)
                    return meterTransaction(r, t);
                for (const auto& c : engine->transactGetItems(request).consumed)
                    chargeConsumed(t, c, d);
            } else if constexpr (std::is_same_v<T, TransactWriteItemsRequest>) {
                if (weight != 1.0)
                    return meterTransaction(r, t);
                // Consumed (doubled, index upkeep single) is charged even for a cancelled one.
                for (const auto& c : engine->transactWriteItems(request, now).consumed)
                    chargeConsumed(t, c, d);
            }
        },
        r.request.request);
    if (engine->table(t.spec->name)->partitions.size() != partitionsBefore)
        syncPartitions(t, true);
    return true;
}

std::int64_t Simulator::Impl::knownSize(TableRuntime& t, std::int64_t keyIndex, std::int64_t sortIndex,
    const std::string& key) const
{
    auto known = lastWrittenSize.find(key);
    if (known != lastWrittenSize.end())
        return known->second;
    if (!t.spec->initialData)
        return 0;
    // Never written during the run: the size initialData gave the item.
    const std::int64_t ordinal = keyIndex * std::max<std::int64_t>(1, t.spec->initialData->sortKeysPerKey) + sortIndex;
    if (ordinal >= 0 && ordinal < static_cast<std::int64_t>(t.initialSizes.size()))
        return t.initialSizes[static_cast<std::size_t>(ordinal)];
    return 0;
}

void Simulator::Impl::meterWithoutEngine(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity, a key outside the sample: metered from the generated size (writes) or
    // the size last written for the key (reads), without executing (scenario-format.md, Fidelity).
    const int d = dimensionOf(r.request.type);
    const std::string key = keyLabel(r.request);
    const std::int64_t oldSize = knownSize(t, r.request.partitionKeyIndex, 0, key);
    ConsumedCapacity consumed;
    std::int64_t partitionId = t.capacity->partition(0).partitionId;
    if (auto pk = routingKey(r.request, t.spec->partitionKey.type))
        partitionId = t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(*pk)))).partitionId;
    const Consistency consistency = r.request.strong ? Consistency::Strong : Consistency::Eventual;
    switch (r.request.type) {
    case OperationType::GetItem: consumed.charge(partitionId, readUnits(oldSize, consistency), 0); break;
    case OperationType::Query: {
        // The collection's first `Limit` items, summed then rounded once (reference A2).
        const auto& query = std::get<QueryRequest>(r.request.request);
        const std::int64_t perKey = t.spec->initialData ? std::max<std::int64_t>(1, t.spec->initialData->sortKeysPerKey) : 1;
        const std::int64_t items = std::min<std::int64_t>(query.limit.value_or(perKey), perKey);
        std::int64_t bytes = 0;
        for (std::int64_t j = 0; j < items; ++j)
            bytes += knownSize(t, r.request.partitionKeyIndex, j, j == 0 ? key : std::string());
        consumed.charge(partitionId, readUnits(bytes, consistency), 0);
        break;
    }
    case OperationType::PutItem:
    case OperationType::UpdateItem:
        consumed.charge(partitionId, 0, static_cast<double>(writeUnits(std::max(oldSize, r.request.itemSizeBytes))));
        lastWrittenSize[key] = r.request.itemSizeBytes;
        break;
    case OperationType::DeleteItem:
        consumed.charge(partitionId, 0, static_cast<double>(writeUnits(oldSize)));
        lastWrittenSize[key] = 0;
        break;
    default: execute(r, t); return;
    }
    chargeConsumed(t, consumed, d);
}

void Simulator::Impl::meterBatch(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity: batch items on sampled keys run in the engine, the others are metered
    // one by one, each rounded separately (reference A2).
    const int d = dimensionOf(r.request.type);
    const std::string& pkName = t.spec->partitionKey.name;
    ConsumedCapacity metered;
    auto indexOf = [&](const Item& key) -> std::int64_t { return keyIndexOf(key.at(pkName)); };
    auto partitionOf = [&](const Item& key) {
        return t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(key.at(pkName))))).partitionId;
    };
    if (auto* get = std::get_if<BatchGetItemRequest>(&r.request.request)) {
        BatchGetItemRequest sampledPart;
        for (const auto& [table, entry] : get->requestItems) {
            KeysAndAttributes kept = entry;
            kept.keys.clear();
            for (const auto& key : entry.keys) {
                const std::int64_t index = indexOf(key);
                if (keySampled(index)) {
                    kept.keys.push_back(key);
                    continue;
                }
                const std::int64_t size = knownSize(t, index, 0, keyLabelOf(index));
                metered.charge(partitionOf(key), readUnits(size, entry.consistentRead ? Consistency::Strong : Consistency::Eventual), 0);
            }
            if (!kept.keys.empty())
                sampledPart.requestItems.emplace_back(table, std::move(kept));
        }
        if (!sampledPart.requestItems.empty())
            for (const auto& c : engine->batchGetItem(sampledPart).consumed)
                chargeConsumed(t, c, d);
    } else if (auto* write = std::get_if<BatchWriteItemRequest>(&r.request.request)) {
        BatchWriteItemRequest sampledPart;
        for (const auto& [table, writes] : write->requestItems) {
            std::vector<WriteRequest> kept;
            for (const auto& w : writes) {
                const std::int64_t index = indexOf(w.item);
                if (keySampled(index)) {
                    kept.push_back(w);
                    continue;
                }
                const std::string label = keyLabelOf(index);
                const std::int64_t oldSize = knownSize(t, index, 0, label);
                const std::int64_t newSize = w.isPut ? itemSizeBytes(w.item) : 0;
                metered.charge(partitionOf(w.item), 0, static_cast<double>(writeUnits(w.isPut ? std::max(oldSize, newSize) : oldSize)));
                lastWrittenSize[label] = newSize;
            }
            if (!kept.empty())
                sampledPart.requestItems.emplace_back(table, std::move(kept));
        }
        if (!sampledPart.requestItems.empty())
            for (const auto& c : engine->batchWriteItem(sampledPart).consumed)
                chargeConsumed(t, c, d);
    }
    if (!metered.partitions.empty())
        chargeConsumed(t, metered, d);
}

void Simulator::Impl::meterTransaction(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity: a transaction's items on sampled keys run in the engine as one
    // (smaller) transaction; the others are metered without it at twice the single-item units
    // (reference A2, transactional x2): 2 x ceil(size / 4 KB) per Get (a strong read's units,
    // size last written, a missing item as 1 byte) and 2 x ceil(max(old, new) / 1 KB) per Put.
    // Index upkeep of the metered items is not modelled, as for other unsampled writes.
    const int d = dimensionOf(r.request.type);
    const std::string& pkName = t.spec->partitionKey.name;
    ConsumedCapacity metered;
    auto partitionOf = [&](const Item& key) {
        return t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(key.at(pkName))))).partitionId;
    };
    if (auto* get = std::get_if<TransactGetItemsRequest>(&r.request.request)) {
        TransactGetItemsRequest sampledPart;
        for (const auto& action : get->gets) {
            const std::int64_t index = keyIndexOf(action.key.at(pkName));
            if (keySampled(index)) {
                sampledPart.gets.push_back(action);
                continue;
            }
            const std::int64_t size = knownSize(t, index, 0, keyLabelOf(index));
            metered.charge(partitionOf(action.key), 2.0 * readUnits(size, Consistency::Strong), 0);
        }
        if (!sampledPart.gets.empty())
            for (const auto& c : engine->transactGetItems(sampledPart).consumed)
                chargeConsumed(t, c, d);
    } else if (auto* write = std::get_if<TransactWriteItemsRequest>(&r.request.request)) {
        TransactWriteItemsRequest sampledPart;
        for (const auto& action : write->actions) {
            const std::int64_t index = keyIndexOf(action.item.at(pkName));
            if (keySampled(index)) {
                sampledPart.actions.push_back(action);
                continue;
            }
            const std::string label = keyLabelOf(index);
            const std::int64_t oldSize = knownSize(t, index, 0, label);
            const std::int64_t newSize = itemSizeBytes(action.item);
            metered.charge(partitionOf(action.item), 0, 2.0 * static_cast<double>(writeUnits(std::max(oldSize, newSize))));
            lastWrittenSize[label] = newSize;
        }
        if (!sampledPart.actions.empty())
            for (const auto& c : engine->transactWriteItems(sampledPart, now).consumed)
                chargeConsumed(t, c, d);
    }
    if (!metered.partitions.empty())
        chargeConsumed(t, metered, d);
}

void Simulator::Impl::chargeConsumed(TableRuntime& t, const ConsumedCapacity& consumed, int d)
{
    for (const auto& p : consumed.partitions)
        chargePartition(t, p.partitionId, d, d == kRead ? p.read : p.write);
    if (consumed.globalSecondaryIndexes.empty() && consumed.localSecondaryIndexes.empty())
        return;
    const std::size_t table = tableIndex.at(t.spec->name);
    // LSI units are already in the table's partitions (reference A2); the LSI keeps its figures.
    for (const auto& [name, units] : consumed.localSecondaryIndexes)
        if (const auto i = findIndexRuntime(table, name)) {
            tables[*i].result.consumedRead += units.read;
            tables[*i].result.consumedWrite += units.write;
            tables[*i].minuteConsumed[kRead] += units.read;
            tables[*i].minuteConsumed[kWrite] += units.write;
        }
    // GSI units go to the GSI's own partitions and capacity.
    for (const auto& p : consumed.indexPartitions)
        if (const auto i = findIndexRuntime(table, p.indexName)) {
            if (p.read > 0)
                chargePartition(tables[*i], p.partitionId, kRead, p.read);
            if (p.write > 0)
                chargePartition(tables[*i], p.partitionId, kWrite, p.write);
        }
}

void Simulator::Impl::chargePartition(TableRuntime& t, std::int64_t partitionId, int d, double units)
{
    const std::size_t index = t.capacity->partitionIndexForId(partitionId);
    t.capacity->charge(index, static_cast<Dimension>(d), units, now);
    t.partitionMinute[partitionId].consumed[d] += units;
    t.minuteConsumed[d] += units;
    t.minuteDemand[d] += units;
    if (d == kRead)
        t.result.consumedRead += units;
    else
        t.result.consumedWrite += units;
    if (t.mode == BillingMode::PayPerRequest) {
        const ClassPrices& prices = options.pricing.prices(t.tableClass);
        if (d == kRead)
            t.result.cost.read += units * prices.onDemandReadPerMillion / 1e6;
        else
            t.result.cost.write += units * prices.onDemandWritePerMillion / 1e6;
    }
}

void Simulator::Impl::recordLatency(TableRuntime& t, const PendingRequest& r, SimTime completion)
{
    const double ms = static_cast<double>(completion - r.firstArrival) / 1000.0;
    const char* cls = dimensionOf(r.request.type) == kRead ? "read" : "write";
    for (const std::string& name : { std::string(cls), std::string(operationName(r.request.type)) }) {
        auto it = latency.find(name);
        if (it == latency.end())
            it = latency.emplace(name, makeLatencyAccumulator()).first;
        it->second(ms);
        ++latencyCount[name];
    }
    t.minuteLatency(ms);
    ++t.minuteLatencyCount;
}

void Simulator::Impl::minuteEnd(std::int64_t minute)
{
    for (std::size_t ti = 0; ti < tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        if (t.deleted || t.isLocalIndex()) {
            // An LSI's figures are in the table's rows; a deleted GSI has no more rows.
            for (int d = 0; d < 2; ++d) {
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
        for (int d = 0; d < 2; ++d) {
            const double datapoint = t.minuteConsumed[d] / 60.0;
            t.datapoints[d].push_back(datapoint);
            if (t.datapoints[d].size() > 15)
                t.datapoints[d].pop_front();
        }
        row.consumedRead = t.minuteConsumed[kRead] / 60.0;
        row.consumedWrite = t.minuteConsumed[kWrite] / 60.0;
        row.requestsRead = t.minuteRequests[kRead];
        row.requestsWrite = t.minuteRequests[kWrite];
        row.throttledRead = t.minuteThrottled[kRead];
        row.throttledWrite = t.minuteThrottled[kWrite];
        row.failedRead = t.minuteFailed[kRead];
        row.failedWrite = t.minuteFailed[kWrite];
        (void)span;
        for (int d = 0; d < 2; ++d) {
            const bool throttledNow = t.minuteThrottled[d] > 0;
            if (throttledNow != t.throttling[d]) {
                t.throttling[d] = throttledNow;
                // Provisioned tables answer ProvisionedThroughputExceededException, on-demand
                // tables ThrottlingException (reference A3).
                const char* error = t.mode == BillingMode::Provisioned ? "ProvisionedThroughputExceededException" : "ThrottlingException";
                event(t.name, throttledNow ? EventKind::ThrottleStart : EventKind::ThrottleEnd,
                    ThrottleChange { static_cast<Dimension>(d), minute, throttledNow ? t.minuteThrottled[d] : 0,
                        throttledNow ? error : "" });
            }
        }
        if (t.mode == BillingMode::Provisioned) {
            for (int d = 0; d < 2 && !t.creating; ++d)
                autoScale(t, ti, d);
        } else {
            onDemandGrowth(t);
        }
        if (!t.isIndex())
            splitForHeat(t, minute);
        row.provisionedRead = t.mode == BillingMode::Provisioned ? t.provisioned[kRead] : t.ceiling[kRead];
        row.provisionedWrite = t.mode == BillingMode::Provisioned ? t.provisioned[kWrite] : t.ceiling[kWrite];
        row.partitions = static_cast<std::int64_t>(t.capacity->partitionCount());
        row.costToDate = t.result.cost.total();
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
                pr.consumedRead = it->second.consumed[kRead] / 60.0;
                pr.consumedWrite = it->second.consumed[kWrite] / 60.0;
                pr.throttledRead = it->second.throttled[kRead];
                pr.throttledWrite = it->second.throttled[kWrite];
            }
            pr.sizeBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(p.billableBytes()) * weight));
            // Utilisation of the partition's own limit: its even share of the table's rate, or the
            // hard limit if lower. Above 1 the partition lives on burst or adaptive capacity.
            const double count = static_cast<double>(std::max<std::size_t>(1, t.capacity->partitionCount()));
            const double readLimit = std::min(scenario.model.partitionRead, t.capacity->tableRate(Dimension::Read) / count);
            const double writeLimit = std::min(scenario.model.partitionWrite, t.capacity->tableRate(Dimension::Write) / count);
            pr.limitUtilisation = std::max(readLimit > 0 ? pr.consumedRead / readLimit : 0.0, writeLimit > 0 ? pr.consumedWrite / writeLimit : 0.0);
            t.result.partitionMinutes.push_back(pr);
        }
        for (int d = 0; d < 2; ++d) {
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
            copy->tables[tables[i].owner].indexes.push_back(tables[i].result);
        options.snapshot(copy);
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

void Simulator::Impl::autoScale(TableRuntime& t, std::size_t ti, int d)
{
    if (!t.autoScaling)
        return;
    const auto& policy = d == kRead ? t.autoScaling->read : t.autoScaling->write;
    if (!policy || t.pending[d])
        return;
    const auto& points = t.datapoints[d];
    const double target = policy->targetPercent / 100.0;
    const double provisioned = t.provisioned[d];
    auto decide = [&](std::size_t count, bool out) {
        double sum = 0;
        for (std::size_t i = points.size() - count; i < points.size(); ++i)
            sum += points[i];
        const double mean = sum / static_cast<double>(count);
        auto desired = static_cast<std::int64_t>(std::ceil(mean / target - 1e-9));
        desired = std::clamp(desired, policy->min, policy->max);
        if (out ? static_cast<double>(desired) <= provisioned : static_cast<double>(desired) >= provisioned)
            return;
        const std::optional<std::int64_t> read = d == kRead ? std::optional<std::int64_t>(desired) : std::nullopt;
        const std::optional<std::int64_t> write = d == kWrite ? std::optional<std::int64_t>(desired) : std::nullopt;
        Status s = requestCapacity(t, read, write);
        const ScalingDecision decision { static_cast<Dimension>(d), std::llround(provisioned), desired,
            static_cast<std::int64_t>(count), mean, policy->targetPercent };
        if (!s) {
            ChangeRefused refused;
            refused.request = ChangeRefused::Request::AutoScaling;
            refused.scaling = decision;
            refused.errorType = s.type();
            refused.message = s.message();
            event(t.name, EventKind::EventRefused, std::move(refused));
            return;
        }
        event(t.name, out ? EventKind::ScaleOut : EventKind::ScaleIn, decision);
        if (out)
            ++t.result.scaleOuts;
        else
            ++t.result.scaleIns;
        t.pending[d] = true;
        // The new capacity takes effect after UpdateTable completes (reference A4).
        schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::CapacityEffective, ti, d,
            static_cast<double>(desired));
    };
    // Scale out after 2 datapoints above target, in after 15 below target - 20 points (reference A4).
    if (points.size() >= 2 && points[points.size() - 1] > target * provisioned && points[points.size() - 2] > target * provisioned) {
        decide(2, true);
        return;
    }
    const double low = std::max(0.0, policy->targetPercent - 20.0) / 100.0 * provisioned;
    if (points.size() >= 15 && std::all_of(points.end() - 15, points.end(), [&](double p) { return p < low; }))
        decide(15, false);
}

void Simulator::Impl::onDemandGrowth(TableRuntime& t)
{
    bool changed = false;
    for (int d = 0; d < 2; ++d) {
        const double consumed = t.datapoints[d].back();
        // A consumed level held for a minute becomes the new previous peak (reference A3).
        if (consumed > t.peak[d]) {
            t.peak[d] = consumed;
            changed = true;
        }
        const double demand = t.minuteDemand[d] / 60.0;
        if (demand > t.ceiling[d] && demand > t.growthTarget[d]) {
            // Beyond 2x the previous peak the ceiling grows to cover demand over onDemandWindow.
            t.growthFrom[d] = t.ceiling[d];
            t.growthTarget[d] = demand;
            t.growthStart[d] = now;
            changed = true;
        }
        if (t.growthStart[d] >= 0)
            changed = true;
    }
    if (!changed)
        return;
    const double before[2] = { t.ceiling[kRead], t.ceiling[kWrite] };
    applyRates(t);
    if (!t.isIndex() && (before[kRead] != t.ceiling[kRead] || before[kWrite] != t.ceiling[kWrite])) {
        // Partitions follow the ceiling (reference A3).
        const auto peakRead = static_cast<std::int64_t>(std::ceil(t.ceiling[kRead] / 2));
        const auto peakWrite = static_cast<std::int64_t>(std::ceil(t.ceiling[kWrite] / 2));
        if (engine->setOnDemandPeak(t.spec->name, peakRead, peakWrite))
            syncPartitions(t, true);
    }
}

void Simulator::Impl::splitForHeat(TableRuntime& t, std::int64_t minute)
{
    (void)minute;
    const SplitForHeatSpec& heat = scenario.model.splitForHeat;
    if (!heat.enabled)
        return;
    for (std::size_t i = 0; i < t.capacity->partitionCount(); ++i) {
        const std::int64_t id = t.capacity->partition(i).partitionId;
        HeatState& h = t.heat[id];
        const PartitionMinute& m = t.partitionMinute[id];
        const double utilisation = std::max(m.consumed[kRead] / 60.0 / scenario.model.partitionRead,
            m.consumed[kWrite] / 60.0 / scenario.model.partitionWrite);
        std::int64_t total = 0;
        std::int64_t top = 0;
        for (const auto& [key, count] : h.keyCounts) {
            total += count;
            top = std::max(top, count);
        }
        h.keyCounts.clear();
        // No split when one key carries the heat or the keys are sequential (reference A3).
        const bool oneKey = total > 0 && static_cast<double>(top) >= 0.5 * static_cast<double>(total);
        const bool eligible = utilisation > heat.threshold && !oneKey && t.sequentialKeys == 0;
        if (!eligible) {
            h.hotSince = -1;
            continue;
        }
        if (h.hotSince < 0)
            h.hotSince = now - kSimMinute;
        if (h.splitAt < 0 && now - h.hotSince >= heat.sustain)
            h.splitAt = now + heat.delay;
        if (h.splitAt >= 0 && now >= h.splitAt) {
            if (engine->splitPartition(t.spec->name, id)) {
                t.heat.erase(id);
                syncPartitions(t, true);
                std::get<PartitionCountChange>(result.events.back().payload).forHeat = true;
                return; // indexes shifted; the rest are examined next minute
            }
        }
    }
}

void Simulator::Impl::timedEvent(std::size_t index)
{
    const EventSpec& e = scenario.events[index];
    if (e.action == EventSpec::Action::SetWorkloadRate) {
        for (std::size_t w = 0; w < workloads.size(); ++w) {
            if (workloads[w].spec->name != e.workload)
                continue;
            workloads[w].arrivals->setPattern(*e.rate, now);
            event("", EventKind::EventApplied, WorkloadRateChanged { e.workload });
        }
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
        schedule(now, EventClass::Control, QueuedKind::Backfill, i);
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
    auto updated = engine->updateTable(update, now);
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
        schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::ModeEffective, ti);
    } else if (e.provisionedRead || e.provisionedWrite) {
        applied.readUnits = updated->readCapacity;
        applied.writeUnits = updated->writeCapacity;
        for (int d = 0; d < 2; ++d) {
            const auto value = static_cast<double>(d == kRead ? updated->readCapacity : updated->writeCapacity);
            if (value != t.provisioned[d])
                schedule(now + scenario.model.updateTableDelay, EventClass::Control, QueuedKind::CapacityEffective, ti, d, value);
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
                chargePartition(t, p.partitionId, kWrite, p.write);
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
    schedule(now + kSimSecond, EventClass::Control, QueuedKind::Backfill, i);
}

TableResult Simulator::Impl::finishRuntime(TableRuntime& t)
{
    accrueCost(t, scenario.duration);
    t.result.billingMode = t.mode;
    t.result.tableClass = t.tableClass;
    if (!t.deleted) {
        t.result.partitionsFinal = t.capacity ? static_cast<std::int64_t>(partitionsOf(t).size()) : 0;
        t.result.storageBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(billableBytesOf(t)) * weight));
    }
    return std::move(t.result);
}

void Simulator::Impl::finish()
{
    std::vector<std::vector<TableResult>> indexResults(scenario.tables.size());
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
        indexResults[tables[i].owner].push_back(finishRuntime(tables[i]));
    for (std::size_t ti = 0; ti < scenario.tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        accrueCost(t, scenario.duration);
        for (auto& index : indexResults[ti])
            t.result.cost.indexes += index.cost.total();
        t.result.indexes = std::move(indexResults[ti]);
        const TableState* state = engine->table(t.spec->name);
        t.result.billingMode = t.mode;
        t.result.tableClass = t.tableClass;
        t.result.partitionsFinal = static_cast<std::int64_t>(state->partitions.size());
        t.result.storageBytes = static_cast<std::int64_t>(std::llround(static_cast<double>(state->billableBytes()) * weight));
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
        result.tables.push_back(std::move(t.result));
    }
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
