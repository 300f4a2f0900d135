// Fluid fidelity (contracts/scenario-format.md, Fidelity): traffic admitted, throttled, retried
// and metered as flows per table, partition and step instead of one request at a time. Each
// workload becomes, per step, its expected requests by operation (the integral of its rate)
// spread over the table's partitions by its key distribution, each carrying its expected units
// per request; CapacityModel admits the flows with the bucket rules it applies to requests;
// throttled attempts come back as retry flows per the client model. Metering, auto scaling,
// on-demand growth, splits and pricing then run on the minute figures as in a full run. A seeded
// sample of requests (on a consistent sample of keys) still executes in the engine for storage,
// partition growth and the data features.

#include "simulator/client_retries.h"
#include "simulator/simulator_impl.h"

#include "engine/metering.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace capsim {

namespace {

bool isFlowOperation(OperationType type)
{
    return type == OperationType::GetItem || type == OperationType::PutItem || type == OperationType::UpdateItem
        || type == OperationType::DeleteItem || type == OperationType::Query;
}

constexpr std::size_t kSizeQuantiles = 256;
constexpr std::int64_t kProfileKeys = std::int64_t(1) << 20;
constexpr std::size_t kHotKeysKept = 20;
constexpr double kHotKeyMinShare = 0.001;
constexpr double kPriorRequests = 8;
constexpr double kSampleMemory = 512; // requests: older samples fade with weight (1 - 1/512) each

// The sizes drawSizeBytes() gives, as kSizeQuantiles equally likely values (exact for fixed and
// uniform, the lognormal's quantiles otherwise), so that expected units carry no sampling noise.
std::vector<double> sizeQuantiles(const SizeDistributionSpec& spec, double lowest)
{
    std::vector<double> out(kSizeQuantiles);
    const boost::math::normal normal;
    for (std::size_t i = 0; i < kSizeQuantiles; ++i) {
        const double u = (static_cast<double>(i) + 0.5) / static_cast<double>(kSizeQuantiles);
        double v = spec.value;
        if (spec.type == SizeDistributionSpec::Type::Uniform)
            v = std::floor(spec.min + u * (std::floor(spec.max) - std::ceil(spec.min) + 1.0));
        else if (spec.type == SizeDistributionSpec::Type::LogNormal)
            v = spec.median * std::exp(spec.sigma * boost::math::quantile(normal, u));
        out[i] = std::clamp(std::round(v), lowest, 409600.0);
    }
    return out;
}

// CDF at s of x + y, x uniform in [0, a), y uniform in [0, c]: where a throttled attempt made at a
// uniform moment of a step of length a lands after its backoff (client_retries.h).
double landingCdf(double s, double a, double c)
{
    if (c <= 0)
        return std::clamp(s / a, 0.0, 1.0);
    auto h = [c](double u) { return u <= 0 ? 0.0 : u <= c ? u * u / 2 : c * c / 2 + c * (u - c); };
    return std::clamp((h(s) - h(s - a)) / (a * c), 0.0, 1.0);
}

} // namespace

std::string fluidUnsupported(const Scenario& s)
{
    for (std::size_t i = 0; i < s.workloads.size(); ++i) {
        const WorkloadSpec& w = s.workloads[i];
        const std::string path = "workloads[" + std::to_string(i) + "]";
        for (std::size_t j = 0; j < w.operations.size(); ++j)
            if (w.operations[j].second > 0 && !isFlowOperation(w.operations[j].first))
                return path + ".operations: " + operationName(w.operations[j].first)
                    + " does not run in fluid fidelity yet (GetItem, PutItem, UpdateItem, DeleteItem and Query do)";
        if (w.index)
            return path + ".index: index workloads do not run in fluid fidelity yet";
        if (!w.region.empty() && w.region != s.region)
            return path + ".region: workloads on replicas do not run in fluid fidelity yet";
    }
    for (std::size_t i = 0; i < s.tables.size(); ++i) {
        const TableSpec& t = s.tables[i];
        const std::string path = "tables[" + std::to_string(i) + "]";
        if (!t.globalSecondaryIndexes.empty())
            return path + ".globalSecondaryIndexes: secondary indexes do not run in fluid fidelity yet";
        if (!t.localSecondaryIndexes.empty())
            return path + ".localSecondaryIndexes: secondary indexes do not run in fluid fidelity yet";
        if (t.dax)
            return path + ".dax: DAX does not run in fluid fidelity yet";
        if (!t.replicas.empty())
            return path + ".replicas: global tables do not run in fluid fidelity yet";
        if (t.streams && !t.streams->consumers.empty())
            return path + ".streams.consumers: stream consumers do not run in fluid fidelity yet";
    }
    for (std::size_t i = 0; i < s.events.size(); ++i) {
        const EventSpec& e = s.events[i];
        const std::string path = "events[" + std::to_string(i) + "]";
        switch (e.action) {
        case EventSpec::Action::UpdateTable:
        case EventSpec::Action::SetAutoScaling:
        case EventSpec::Action::SetWorkloadRate:
        case EventSpec::Action::UpdateTimeToLive:
        case EventSpec::Action::CreateBackup: break;
        default: return path + ".action: this event does not run in fluid fidelity yet";
        }
    }
    return {};
}

// The flows of one workload: where its keys fall and what its requests cost.
struct FluidWorkload {
    struct Operation {
        OperationType type = OperationType::GetItem;
        Dimension dimension = Dimension::Read;
        double share = 0; // of the workload's requests
        double units = 0; // expected units per request (from the sizes, before any sample)
        double sampledUnits = 0, sampledCount = 0; // the engine sample's, recent ones weighing most
        double estimate() const
        {
            // The sizes' estimate counts as kPriorRequests sampled requests.
            return (units * kPriorRequests + sampledUnits) / (kPriorRequests + sampledCount);
        }
    };
    std::vector<Operation> operations;
    std::vector<std::uint64_t> keyHashes; // the profiled keys' partition hashes
    std::vector<double> keyShares; // and their shares of the requests (summing to 1)
    std::vector<double> partitionShares; // by capacity partition index
    std::size_t profiledPartitions = 0;
    struct HotKey {
        std::int64_t key = 0;
        std::uint64_t hash = 0;
        double share = 0;
        std::size_t partition = 0;
        struct FluidTableKey* figures = nullptr; // its entry in FluidTable::keys, once made
    };
    std::vector<HotKey> hotKeys;
    double initialShare = 0; // of the requests on keys initialData holds
    double engineCarry = 0; // engine-sample requests owed (fractional)
    // Every request runs in the engine (a small run): the flows are the requests themselves, with
    // the arrivals and draws of a full run.
    bool exact = false;
    SimTime nextArrival = 0;
};

// A request of an exact workload in the step: where it goes, what it should consume, and the
// request itself (in FluidState::pool), executed when admitted.
struct FluidArrival {
    std::size_t workload = 0;
    Dimension dimension = Dimension::Read;
    std::uint64_t hash = 0;
    double units = 0; // expected, until it runs
    std::int64_t key = 0;
    double offset = 0; // seconds into the step
    std::int64_t slot = -1;
};

struct FluidTableKey {
    double requests = 0, throttled = 0, minuteRequests = 0;
    std::int64_t partitionId = 0;
};

// A throttled attempt's retry, due at a later step.
struct FluidRetry {
    std::uint64_t hashLow = 0; // its partition (found again after a split)
    Dimension dimension = Dimension::Read;
    int attempt = 2; // the attempt it will be
    double requests = 0;
    double units = 0; // per request
    double offset = -1; // seconds into its step when known (a packet's), else anywhere in it
    std::int64_t slot = -1; // the request, for an exact workload's
};

struct FluidTable {
    std::map<std::int64_t, std::vector<FluidRetry>> retries; // by step index
    PerDimension<double> requests {}, throttled {}, failed {}; // run totals
    PerDimension<std::int64_t> reportedRequests {}, reportedThrottled {}, reportedFailed {};
    std::map<std::int64_t, PerDimension<double>> partitionThrottled; // this minute, by partition id
    std::map<std::int64_t, double> partitionRequests; // this minute, by partition id (heat)
    // This minute's figures by partition index (ids in `partitionIds`), moved into the maps above
    // and the table's partition minutes at the minute's end or when the partitions change.
    std::vector<std::int64_t> partitionIds;
    std::vector<PerDimension<double>> partitionConsumed;
    std::vector<double> partitionAttempts;
    using Key = FluidTableKey;
    std::map<std::int64_t, Key> keys; // hot keys
};


// Admission of a throttled partition's attempts within one step, packet by packet (fluidStep).
struct PacketOutcome {
    double served = 0, attempts = 0, throttled = 0, throttledUnits = 0, failed = 0;
    std::vector<std::pair<std::int64_t, FluidRetry>> retries; // (steps later, retry)
};

constexpr int kPackets = 256;

struct Simulator::Impl::FluidState {
    SimTime step = kSimSecond;
    double requestRate = 1.0; // engine sample: share of requests executed
    std::vector<FluidWorkload> workloads;
    std::vector<FluidTable> tables; // by runtime index
    // Retry landing: for an attempt throttled after g attempts, the share landing in the same
    // step ([g][0]) and in each following step.
    std::vector<std::vector<double>> landing;
    std::vector<double> backoffCap; // seconds: the longest backoff after g attempts
    // Working cells, per dimension and partition: attempts and units by attempt number.
    struct Cell {
        std::vector<double> requests, units; // by attempt number, all of them
        double fresh = 0;
        struct Timed {
            double offset;
            int attempt;
            double requests, units;
            std::int64_t slot = -1;
        };
        std::vector<Timed> timed; // the attempts among them whose moment is known
    };
    std::vector<Cell> cells[2];
    std::vector<FluidArrival> arrivals;
    // Scratch space of a step, kept to spare allocations.
    std::vector<double> stepRequests, demand, capacity, unmet, refill, amplification[2], throttledShare[2];
    std::vector<PacketOutcome> outcomes;
    std::vector<std::size_t> throttledPartitions;
    Rng rng { 1, 0 }; // packet times and backoffs
    // Requests of exact workloads waiting to be admitted (their first attempt or a retry).
    std::vector<PendingRequest> pool;
    std::vector<std::size_t> freePool;
    std::int64_t keep(PendingRequest request)
    {
        std::size_t slot;
        if (!freePool.empty()) {
            slot = freePool.back();
            freePool.pop_back();
            pool[slot] = std::move(request);
        } else {
            slot = pool.size();
            pool.push_back(std::move(request));
        }
        return static_cast<std::int64_t>(slot);
    }
    void release(std::int64_t slot)
    {
        if (slot >= 0)
            freePool.push_back(static_cast<std::size_t>(slot));
    }
};

void Simulator::Impl::admitAttempts(TableRuntime& t, Dimension d, const std::vector<std::size_t>& throttled,
    std::vector<PacketOutcome>& outcomes, SimTime t0, SimTime step)
{
    FluidState& f = *fluid;
    struct Attempt {
        SimTime at; // into the step
        std::uint64_t order; // ties: in the order queued
        std::size_t partition;
        int generation;
        double requests;
        double units; // per request
        std::int64_t slot; // the request (exact workloads)
        bool operator>(const Attempt& o) const { return at != o.at ? at > o.at : order > o.order; }
    };
    std::priority_queue<Attempt, std::vector<Attempt>, std::greater<Attempt>> pending;
    std::uint64_t order = 0;
    auto& cells = f.cells[static_cast<int>(d)];
    for (std::size_t p : throttled) {
        const FluidState::Cell& cell = cells[p];
        const std::size_t generations = cell.requests.size();
        double requests = 0;
        for (std::size_t g = 1; g < generations; ++g)
            requests += cell.requests[g];
        // Attempts whose moment is known (a request's arrival, a packet's retry) keep it; the
        // others (retries of flows) come evenly (fresh) or at random moments (retries).
        const double weight = std::max(1.0, requests / kPackets);
        std::vector<double> untimed(cell.requests), untimedUnits(cell.units);
        // Retries of packets keep their moments while they are few; beyond, they come as packets
        // at random moments like the retries of flows (the work of a step stays bounded).
        const bool timed = cell.timed.size() <= static_cast<std::size_t>(4 * kPackets);
        for (const auto& r : cell.timed) {
            if (!timed && r.slot < 0)
                continue;
            pending.push({ static_cast<SimTime>(std::llround(r.offset * static_cast<double>(kSimSecond))), order++, p, r.attempt, r.requests, r.units, r.slot });
            untimed[static_cast<std::size_t>(r.attempt)] -= r.requests;
            untimedUnits[static_cast<std::size_t>(r.attempt)] -= r.requests * r.units;
        }
        for (std::size_t g = 1; g < generations; ++g) {
            if (untimed[g] <= 1e-9)
                continue;
            const double units = untimedUnits[g] / untimed[g];
            const auto packets = static_cast<std::int64_t>(std::max(1.0, std::round(untimed[g] / weight)));
            const double each = untimed[g] / static_cast<double>(packets);
            for (std::int64_t i = 0; i < packets; ++i) {
                const double share = g == 1 ? (static_cast<double>(i) + 0.5) / static_cast<double>(packets) : f.rng.uniform01();
                pending.push({ static_cast<SimTime>(share * static_cast<double>(step)), order++, p, static_cast<int>(g), each, units, -1 });
            }
        }
    }
    while (!pending.empty()) {
        const Attempt a = pending.top();
        pending.pop();
        PacketOutcome& o = outcomes[a.partition];
        o.attempts += a.requests;
        const SimTime at = t0 + a.at;
        if (t.capacity->admit(a.partition, d, at)) {
            // A request runs when admitted, and is charged what it consumed (reference A3).
            double units = a.requests * a.units;
            if (a.slot >= 0) {
                const auto ran = runFluidRequest(a.slot, at);
                if (!ran)
                    return;
                units = *ran;
            }
            t.capacity->charge(a.partition, d, units, at);
            o.served += units;
            continue;
        }
        o.throttled += a.requests;
        o.throttledUnits += a.requests * a.units;
        if (clientGivesUp(scenario.client, a.generation)) {
            o.failed += a.requests;
            f.release(a.slot);
            continue;
        }
        const SimTime retryAt = a.at + retryDelay(scenario.client, a.generation, clientRng); // the draws of a full run
        if (retryAt < step) {
            pending.push({ retryAt, order++, a.partition, a.generation + 1, a.requests, a.units, a.slot });
            continue;
        }
        const std::int64_t later = retryAt / step;
        o.retries.push_back({ later, FluidRetry { 0, d, a.generation + 1, a.requests, a.units, secondsOf(retryAt - later * step), a.slot } });
    }
    // The throttled partitions' buckets stay where their last attempt left them: they refill
    // from there when next used, in the same pieces as a full run's (a bucket at exactly zero is
    // a tie its rounding decides).
}

std::optional<double> Simulator::Impl::runFluidRequest(std::int64_t slot, SimTime at)
{
    FluidState& f = *fluid;
    PendingRequest& r = f.pool[static_cast<std::size_t>(slot)];
    TableRuntime& base = tables[workloads[r.workload].table];
    if (Status s = engine->advanceTime(std::max(at, engineTime)); !s) {
        engineFailed(s);
        return std::nullopt;
    }
    engineTime = std::max(at, engineTime);
    // Sampled keys run in the engine; the others are metered from their sizes (as sampled
    // fidelity does).
    fluidSample = true;
    fluidSampleUnits = 0;
    const Status outcome = keySampled(r.request.partitionKeyIndex) ? execute(r, base) : meterWithoutEngine(r, base);
    fluidSample = false;
    const double units = fluidSampleUnits;
    const OperationType type = r.request.type;
    FluidWorkload& fw = f.workloads[r.workload];
    f.release(slot);
    if (!outcome && outcome.is(error::kInternalServerError)) {
        engineFailed(outcome);
        return std::nullopt;
    }
    for (auto& op : fw.operations)
        if (op.type == type) {
            op.sampledUnits = op.sampledUnits * (1 - 1 / kSampleMemory) + units;
            op.sampledCount = op.sampledCount * (1 - 1 / kSampleMemory) + 1;
        }
    return units;
}

Status Simulator::Impl::setUpFluid()
{
    fluid = std::make_shared<FluidState>();
    FluidState& f = *fluid;
    f.step = fidelity.step;
    f.rng = Rng(scenario.seed, kStreamFluid);
    const double requests = Simulator::expectedRequests(scenario);
    f.requestRate = std::min(fidelity.rate, requests > 0 ? kFluidEngineRequests / requests : 1.0);
    f.tables.resize(tables.size());
    const int maxAttempts = std::max(1, scenario.client.maxAttempts);
    f.landing.assign(static_cast<std::size_t>(maxAttempts) + 1, {});
    f.backoffCap.assign(static_cast<std::size_t>(maxAttempts) + 1, 0.0);
    const double a = secondsOf(f.step);
    for (int g = 1; g <= maxAttempts; ++g) {
        // retryDelay(): uniform in [0, min(maxDelay, baseDelay x 2^(g - 1))].
        const double c = std::min(secondsOf(scenario.client.maxDelay), secondsOf(scenario.client.baseDelay) * std::ldexp(1.0, std::min(g - 1, 60)));
        f.backoffCap[static_cast<std::size_t>(g)] = c;
        auto& l = f.landing[static_cast<std::size_t>(g)];
        double before = 0;
        for (int j = 1;; ++j) {
            const double at = landingCdf(j * a, a, c);
            l.push_back(at - before);
            before = at;
            if (at >= 1.0 - 1e-12 || j > 100000)
                break;
        }
    }
    f.workloads.resize(workloads.size());
    for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
        const WorkloadSpec& spec = *workloads[wi].spec;
        FluidWorkload& fw = f.workloads[wi];
        const TableRuntime& t = tables[workloads[wi].table];
        const TableSpec& table = *t.spec;
        // The keys the workload's requests address and their shares.
        const KeyDistributionSpec& keys = spec.keys;
        const std::int64_t n = std::max<std::int64_t>(1, keys.cardinality);
        const std::int64_t profiled = std::min(n, kProfileKeys);
        const std::int64_t initialKeys = table.initialData
            ? (table.initialData->items + std::max<std::int64_t>(1, table.initialData->sortKeysPerKey) - 1) / std::max<std::int64_t>(1, table.initialData->sortKeysPerKey)
            : 0;
        // The mass of key ranks [lo, hi) (0-based): exact sums where the keys are profiled one by
        // one, the integral where a profiled key stands for a block.
        auto zipfMass = [&](std::int64_t lo, std::int64_t hi) {
            if (hi - lo == 1)
                return std::pow(static_cast<double>(lo + 1), -keys.exponent);
            const double s = keys.exponent;
            const double x0 = static_cast<double>(lo) + 0.5, x1 = static_cast<double>(hi) + 0.5;
            return std::fabs(s - 1.0) < 1e-9 ? std::log(x1 / x0) : (std::pow(x1, 1 - s) - std::pow(x0, 1 - s)) / (1 - s);
        };
        const std::int64_t hot = std::clamp<std::int64_t>(keys.hotKeys, 0, n);
        fw.keyHashes.reserve(static_cast<std::size_t>(profiled));
        fw.keyShares.reserve(static_cast<std::size_t>(profiled));
        double total = 0;
        for (std::int64_t j = 0; j < profiled; ++j) {
            // Key j stands for the block [lo, hi) of the key space.
            const std::int64_t lo = profiled == n ? j : static_cast<std::int64_t>(static_cast<double>(j) * static_cast<double>(n) / static_cast<double>(profiled));
            const std::int64_t hi = profiled == n ? j + 1 : static_cast<std::int64_t>(static_cast<double>(j + 1) * static_cast<double>(n) / static_cast<double>(profiled));
            if (hi <= lo)
                continue;
            const std::int64_t k = lo;
            double mass = static_cast<double>(hi - lo);
            if (keys.type == KeyDistributionSpec::Type::Zipf)
                mass = zipfMass(lo, hi);
            else if (keys.type == KeyDistributionSpec::Type::HotKey && hot > 0 && hot < n) {
                const double hotIn = static_cast<double>(std::max<std::int64_t>(0, std::min(hi, hot) - lo));
                const double coldIn = static_cast<double>(hi - lo) - hotIn;
                mass = hotIn * keys.hotShare / static_cast<double>(hot) + coldIn * (1 - keys.hotShare) / static_cast<double>(n - hot);
            }
            fw.keyHashes.push_back(partitionHash(encodeKeyValue(partitionKeyValue(table.partitionKey.type, k))));
            fw.keyShares.push_back(mass);
            total += mass;
            if (k < initialKeys)
                fw.initialShare += mass * static_cast<double>(std::min(hi, initialKeys) - lo) / static_cast<double>(hi - lo);
        }
        for (double& share : fw.keyShares)
            share /= total;
        fw.initialShare /= total;
        // Hot keys: the most requested keys (they keep their names in hottest-keys lists and
        // heat), when a key carries a noticeable share. Sequential keys move: none.
        if (keys.type != KeyDistributionSpec::Type::Sequential && profiled == n) {
            std::vector<std::size_t> order(fw.keyShares.size());
            std::iota(order.begin(), order.end(), 0);
            const std::size_t kept = std::min(kHotKeysKept, order.size());
            std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
                [&](std::size_t x, std::size_t y) { return fw.keyShares[x] != fw.keyShares[y] ? fw.keyShares[x] > fw.keyShares[y] : x < y; });
            for (std::size_t i = 0; i < kept; ++i)
                if (fw.keyShares[order[i]] >= kHotKeyMinShare)
                    fw.hotKeys.push_back({ static_cast<std::int64_t>(order[i]), fw.keyHashes[order[i]], fw.keyShares[order[i]], 0 });
        } else if (keys.type != KeyDistributionSpec::Type::Sequential) {
            for (std::size_t i = 0; i < std::min(kHotKeysKept, fw.keyShares.size()); ++i) {
                const std::int64_t k = static_cast<std::int64_t>(i);
                const double share = keys.type == KeyDistributionSpec::Type::Zipf ? zipfMass(k, k + 1) / total
                    : keys.type == KeyDistributionSpec::Type::HotKey && k < hot && hot < n ? keys.hotShare / static_cast<double>(hot)
                                                                                         : 1.0 / static_cast<double>(n);
                if (share >= kHotKeyMinShare)
                    fw.hotKeys.push_back({ k, partitionHash(encodeKeyValue(partitionKeyValue(table.partitionKey.type, k))), share, 0 });
            }
        }
        // Expected units per request by operation (reference A2), over the sizes the items have.
        // An item the workload reads or overwrites is, with the share of requests on initialData
        // keys, of initialData's size; else of the size the table's writers write (or absent).
        const SizeDistributionSpec* written = nullptr;
        for (const auto& other : scenario.workloads)
            if (other.table == spec.table)
                for (const auto& [type, share] : other.operations)
                    if (share > 0 && (type == OperationType::PutItem || type == OperationType::UpdateItem) && !written)
                        written = &other.itemSize;
        std::vector<double> initialSizes = table.initialData ? sizeQuantiles(table.initialData->itemSize, 1) : std::vector<double>();
        std::vector<double> writtenSizes = written ? sizeQuantiles(*written, 1) : std::vector<double>(kSizeQuantiles, 0.0);
        const std::vector<double> newSizes = sizeQuantiles(spec.itemSize, 1);
        const double pInitial = table.initialData ? fw.initialShare : 0.0;
        auto residentMean = [&](auto&& units) {
            double sum = 0;
            for (std::size_t i = 0; i < kSizeQuantiles; ++i) {
                if (pInitial > 0)
                    sum += pInitial * units(static_cast<std::int64_t>(initialSizes[i]));
                if (pInitial < 1)
                    sum += (1 - pInitial) * units(static_cast<std::int64_t>(writtenSizes[i]));
            }
            return sum / static_cast<double>(kSizeQuantiles);
        };
        const double strong = spec.strongFraction;
        for (const auto& [type, share] : spec.operations) {
            if (share <= 0)
                continue;
            FluidWorkload::Operation op;
            op.type = type;
            op.dimension = dimensionOf(type);
            op.share = share;
            switch (type) {
            case OperationType::GetItem:
                op.units = residentMean([&](std::int64_t size) {
                    return strong * readUnits(size, Consistency::Strong) + (1 - strong) * readUnits(size, Consistency::Eventual);
                });
                break;
            case OperationType::PutItem:
            case OperationType::UpdateItem: {
                double sum = 0;
                for (double size : newSizes)
                    sum += residentMean([&](std::int64_t old) { return static_cast<double>(itemWriteUnits(old, static_cast<std::int64_t>(size))); });
                op.units = sum / static_cast<double>(kSizeQuantiles);
                break;
            }
            case OperationType::DeleteItem:
                op.units = residentMean([&](std::int64_t old) { return static_cast<double>(writeUnits(old)); });
                break;
            case OperationType::Query: {
                // The collection's first min(queryItems, sortKeysPerKey) items, summed, rounded once.
                const std::int64_t perKey = table.initialData ? std::max<std::int64_t>(1, table.initialData->sortKeysPerKey) : 1;
                const std::vector<double> counts = sizeQuantiles(spec.queryItems, 1);
                double sum = 0;
                Rng pick(scenario.seed, 0xF1F1 + wi);
                for (std::size_t c = 0; c < kSizeQuantiles; ++c) {
                    const std::int64_t items = std::min<std::int64_t>(static_cast<std::int64_t>(counts[c]), perKey);
                    for (std::size_t r = 0; r < 16; ++r) {
                        std::int64_t bytes = 0;
                        const bool initial = pick.uniform01() < pInitial;
                        for (std::int64_t j = 0; j < items; ++j) {
                            const auto q = static_cast<std::size_t>(pick.uniformInt(kSizeQuantiles));
                            bytes += static_cast<std::int64_t>(initial ? initialSizes[q] : writtenSizes[q]);
                        }
                        sum += strong * pageReadUnits(bytes, Consistency::Strong) + (1 - strong) * pageReadUnits(bytes, Consistency::Eventual);
                    }
                }
                op.units = sum / static_cast<double>(kSizeQuantiles * 16);
                break;
            }
            default: break;
            }
            fw.operations.push_back(op);
        }
        double shares = 0;
        for (const auto& op : fw.operations)
            shares += op.share;
        for (auto& op : fw.operations)
            op.share /= shares > 0 ? shares : 1.0;
        // The engine sample: requests on the sampled keys only, so the engine holds whole items
        // of a consistent key sample; a drawn key stands for its block's sampled key.
        const double keyRate = fidelity.rate;
        const double requestRate = f.requestRate;
        const bool sequential = keys.type == KeyDistributionSpec::Type::Sequential;
        if (requests <= kFluidExactRequests)
            continue; // exact: a full run's draws; its sampled keys run in the engine
        workloads[wi].generator->setKeyMap([this, keyRate, requestRate, sequential, n](std::int64_t k) {
            if (sequential)
                k = static_cast<std::int64_t>(std::fmod(std::floor(static_cast<double>(k) / requestRate), static_cast<double>(n)));
            if (keyRate >= 1.0)
                return k;
            const double block = std::floor(static_cast<double>(k) * keyRate);
            std::int64_t sampledKey = static_cast<std::int64_t>(std::ceil((block + 1) / keyRate)) - 1;
            for (int tries = 0; tries < 4 && !keySampled(sampledKey); ++tries)
                sampledKey += keySampled(sampledKey + 1) ? 1 : -1;
            return std::max<std::int64_t>(0, sampledKey);
        });
    }
    for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
        f.workloads[wi].exact = requests <= kFluidExactRequests;
        if (f.workloads[wi].exact)
            f.workloads[wi].nextArrival = workloads[wi].arrivals->next();
    }
    queue.schedule(0, EventClass::Request, QueuedKind::FluidStep, 0);
    return Status::ok();
}

void Simulator::Impl::fluidRateChanged(std::size_t wi)
{
    FluidWorkload& fw = fluid->workloads[wi];
    if (!fw.exact)
        return;
    // The arrival held (at or after now) is void under the new pattern (ArrivalProcess::setPattern).
    workloads[wi].arrivals->setPattern(workloads[wi].fluidRate, now);
    fw.nextArrival = workloads[wi].arrivals->next();
}

void Simulator::Impl::fluidStep(std::int64_t stepIndex)
{
    FluidState& f = *fluid;
    const SimTime t0 = stepIndex * f.step;
    const SimTime step = std::min(f.step, scenario.duration - t0);
    if (step <= 0)
        return;
    if (t0 + f.step < scenario.duration)
        queue.schedule(t0 + f.step, EventClass::Request, QueuedKind::FluidStep, static_cast<std::size_t>(stepIndex + 1));
    const int maxAttempts = std::max(1, scenario.client.maxAttempts);
    const std::size_t generations = static_cast<std::size_t>(maxAttempts) + 1;
    // Requests of each workload in the step: expected ones, or (exact) the arrivals themselves.
    std::vector<double>& stepRequests = f.stepRequests;
    stepRequests.assign(workloads.size(), 0.0);
    f.arrivals.clear();
    for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
        FluidWorkload& fw = f.workloads[wi];
        TableRuntime& base = tables[workloads[wi].table];
        if (!tableServing(base))
            continue;
        auto executeOne = [&](SimTime at, GeneratedRequest request) -> std::optional<double> {
            engineTime = std::max(engineTime, at);
            if (Status s = engine->advanceTime(engineTime); !s) {
                engineFailed(s);
                return std::nullopt;
            }
            PendingRequest r;
            r.workload = wi;
            r.request = std::move(request);
            r.firstArrival = at;
            r.attempts = 1;
            fluidSample = true;
            fluidSampleUnits = 0;
            const Status outcome = execute(r, base);
            fluidSample = false;
            if (!outcome && outcome.is(error::kInternalServerError)) {
                engineFailed(outcome);
                return std::nullopt;
            }
            return fluidSampleUnits;
        };
        if (fw.exact) {
            while (fw.nextArrival < t0 + step) {
                const SimTime at = fw.nextArrival;
                fw.nextArrival = workloads[wi].arrivals->next();
                GeneratedRequest request = workloads[wi].generator->next(at);
                const auto pk = routingKey(request, base.spec->partitionKey.type);
                FluidArrival a;
                a.workload = wi;
                a.dimension = dimensionOf(request.type);
                a.hash = pk ? partitionHash(encodeKeyValue(*pk)) : 0;
                a.key = request.partitionKeyIndex;
                a.offset = secondsOf(at - t0);
                a.units = 0;
                for (const auto& op : fw.operations)
                    if (op.type == request.type)
                        a.units = op.estimate();
                PendingRequest pending;
                pending.workload = wi;
                pending.request = std::move(request);
                pending.firstArrival = at;
                pending.attempts = 1;
                a.slot = f.keep(std::move(pending));
                f.arrivals.push_back(a);
                stepRequests[wi] += 1;
            }
            continue;
        }
        stepRequests[wi] = rateIntegral(workloads[wi].fluidRate, static_cast<double>(t0), static_cast<double>(t0 + step));
        // The engine sample: a seeded share of the step's requests on the sampled keys runs in
        // the engine; what each consumed refines its operation's units per request.
        fw.engineCarry += stepRequests[wi] * f.requestRate;
        while (fw.engineCarry >= 1.0) {
            fw.engineCarry -= 1.0;
            GeneratedRequest request = workloads[wi].generator->next(t0);
            const OperationType type = request.type;
            const auto units = executeOne(t0, std::move(request));
            if (!units)
                return;
            for (auto& op : fw.operations)
                if (op.type == type) {
                    op.sampledUnits = op.sampledUnits * (1 - 1 / kSampleMemory) + *units;
                    op.sampledCount = op.sampledCount * (1 - 1 / kSampleMemory) + 1;
                }
        }
    }

    for (std::size_t ti = 0; ti < scenarioTableCount; ++ti) {
        TableRuntime& t = tables[ti];
        if (t.deleted || t.absent || !t.capacity)
            continue;
        FluidTable& ft = f.tables[ti];
        const std::size_t partitions = t.capacity->partitionCount();
        bool samePartitions = ft.partitionIds.size() == partitions;
        for (std::size_t p = 0; samePartitions && p < partitions; ++p)
            samePartitions = ft.partitionIds[p] == t.capacity->partition(p).partitionId;
        if (!samePartitions) {
            fluidFlushPartitions(t);
            for (std::size_t p = 0; p < partitions; ++p)
                ft.partitionIds.push_back(t.capacity->partition(p).partitionId);
            ft.partitionConsumed.assign(partitions, PerDimension<double> {});
            ft.partitionAttempts.assign(partitions, 0.0);
        }
        for (auto& cells : f.cells) {
            cells.resize(partitions);
            for (auto& c : cells) {
                c.requests.assign(generations, 0.0);
                c.units.assign(generations, 0.0);
                c.fresh = 0;
                c.timed.clear();
            }
        }
        bool any = false;
        for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
            if (workloads[wi].table != ti || stepRequests[wi] <= 0)
                continue;
            FluidWorkload& fw = f.workloads[wi];
            any = true;
            if (fw.exact)
                continue; // its arrivals, below
            if (fw.profiledPartitions != partitions) {
                fw.partitionShares.assign(partitions, 0.0);
                for (std::size_t k = 0; k < fw.keyHashes.size(); ++k)
                    fw.partitionShares[t.capacity->partitionIndexForHash(fw.keyHashes[k])] += fw.keyShares[k];
                for (auto& hot : fw.hotKeys)
                    hot.partition = t.capacity->partitionIndexForHash(hot.hash);
                fw.profiledPartitions = partitions;
            }
            for (const auto& op : fw.operations) {
                const double n = stepRequests[wi] * op.share;
                const double units = op.estimate();
                auto& cells = f.cells[static_cast<int>(op.dimension)];
                for (std::size_t p = 0; p < partitions; ++p) {
                    const double np = n * fw.partitionShares[p];
                    cells[p].requests[1] += np;
                    cells[p].units[1] += np * units;
                    cells[p].fresh += np;
                }
            }
        }
        for (const FluidArrival& a : f.arrivals) {
            if (workloads[a.workload].table != ti)
                continue;
            auto& c = f.cells[static_cast<int>(a.dimension)][t.capacity->partitionIndexForHash(a.hash)];
            c.requests[1] += 1;
            c.units[1] += a.units;
            c.fresh += 1;
            c.timed.push_back({ a.offset, 1, 1.0, a.units, a.slot });
        }
        if (auto due = ft.retries.find(stepIndex); due != ft.retries.end()) {
            for (const FluidRetry& r : due->second) {
                auto& c = f.cells[static_cast<int>(r.dimension)][t.capacity->partitionIndexForHash(r.hashLow)];
                const auto g = static_cast<std::size_t>(std::min(r.attempt, maxAttempts));
                c.requests[g] += r.requests;
                c.units[g] += r.requests * r.units;
                if (r.offset >= 0)
                    c.timed.push_back({ r.offset, static_cast<int>(g), r.requests, r.units, r.slot });
            }
            ft.retries.erase(due);
            any = true;
        }
        if (!any)
            continue;
        // What each (dimension, partition) attempted and had throttled, for the hot keys.
        auto& amplification = f.amplification;
        auto& throttledShare = f.throttledShare;
        for (Dimension d : kDimensions) {
            const int di = static_cast<int>(d);
            auto& cells = f.cells[di];
            amplification[di].assign(partitions, 1.0);
            throttledShare[di].assign(partitions, 0.0);
            // Admission (reference A3 on quantities): a partition serves from its own buckets up
            // to its hard limit; adaptive capacity lends what the table bucket holds beyond.
            auto& demand = f.demand;
            auto& capacity = f.capacity;
            auto& unmet = f.unmet;
            auto& refill = f.refill;
            demand.assign(partitions, 0.0);
            capacity.assign(partitions, 0.0);
            unmet.assign(partitions, 0.0);
            refill.assign(partitions, 0.0);
            double ownTotal = 0, unmetTotal = 0;
            for (std::size_t p = 0; p < partitions; ++p) {
                for (std::size_t g = 1; g < generations; ++g)
                    demand[p] += cells[p].units[g];
                if (demand[p] <= 0)
                    continue;
                const auto c = t.capacity->flowCapacity(p, d, t0, step);
                const double own = std::min({ demand[p], c.own, c.hard });
                capacity[p] = own;
                refill[p] = std::min(c.refill, c.hard);
                unmet[p] = std::max(0.0, std::min(demand[p], c.hard) - own);
                ownTotal += own;
                unmetTotal += unmet[p];
            }
            if (unmetTotal > 0) {
                const double lend = std::max(0.0, t.capacity->tableFlowCapacity(d, t0, step) - ownTotal);
                const double share = std::min(1.0, lend / unmetTotal);
                for (std::size_t p = 0; p < partitions; ++p) {
                    capacity[p] += unmet[p] * share;
                    refill[p] += unmet[p] * share; // lent as the table bucket refills
                }
            }
            // Partitions that serve their demand: flows, charged over the step.
            auto& outcomes = f.outcomes;
            outcomes.resize(partitions);
            for (auto& o : outcomes) {
                o.served = o.attempts = o.throttled = o.throttledUnits = o.failed = 0;
                o.retries.clear();
            }
            auto& throttledPartitions = f.throttledPartitions;
            throttledPartitions.clear();
            double servedTotal = 0;
            for (std::size_t p = 0; p < partitions; ++p) {
                if (demand[p] <= 0)
                    continue;
                if (demand[p] > capacity[p] * (1 + 1e-12)) {
                    throttledPartitions.push_back(p);
                    continue;
                }
                PacketOutcome& o = outcomes[p];
                o.served = demand[p];
                for (std::size_t g = 1; g < generations; ++g)
                    o.attempts += cells[p].requests[g];
                // Its requests (exact workloads) run now, and count what they consumed.
                std::sort(cells[p].timed.begin(), cells[p].timed.end(), [](const auto& x, const auto& y) { return x.offset < y.offset; });
                for (const auto& timed : cells[p].timed) {
                    if (timed.slot < 0)
                        continue;
                    const auto ran = runFluidRequest(timed.slot, t0 + static_cast<SimTime>(std::llround(timed.offset * static_cast<double>(kSimSecond))));
                    if (!ran)
                        return;
                    o.served += *ran - timed.requests * timed.units;
                }
                o.served = std::max(0.0, o.served);
                t.capacity->chargeFlow(p, d, o.served, t0, step);
                servedTotal += o.served;
            }
            // The table bucket lends (adaptive capacity) what those flows leave.
            t.capacity->chargeTableFlow(d, servedTotal, t0, 0);
            // Throttled partitions: their attempts are admitted one by one with the rule and the
            // buckets of a full run (CapacityModel::admit, charge), in time order across them
            // (they share the table bucket), in packets of equal requests (at most kPackets per
            // partition and step), so that who wins a bucket when it turns positive (a fresh
            // attempt or a retry in its backoff) and the retries' timing are a full run's.
            if (!throttledPartitions.empty())
                admitAttempts(t, d, throttledPartitions, outcomes, t0, step);
            for (std::size_t p = 0; p < partitions; ++p) {
                if (demand[p] <= 0)
                    continue;
                auto& c = cells[p];
                PacketOutcome& o = outcomes[p];
                const std::int64_t partitionId = t.capacity->partition(p).partitionId;
                for (const auto& [later, retry] : o.retries)
                    ft.retries[stepIndex + later].push_back(
                        { t.capacity->partition(p).hashLow, d, retry.attempt, retry.requests, retry.units, retry.offset, retry.slot });
                if (o.served > 0 && p < ft.partitionConsumed.size()) {
                    // recordConsumed's figures, the partition's kept by index until the minute ends.
                    ft.partitionConsumed[p][d] += o.served;
                    t.minuteConsumed[d] += o.served;
                    t.minuteDemand[d] += o.served;
                    (d == Dimension::Read ? t.result.consumedRead : t.result.consumedWrite) += o.served;
                    if (t.mode == BillingMode::PayPerRequest) {
                        const ClassPrices& prices = options.pricing.prices(t.tableClass);
                        (d == Dimension::Read ? t.result.cost.read : t.result.cost.write)
                            += o.served * (d == Dimension::Read ? prices.onDemandReadPerMillion : prices.onDemandWritePerMillion) / 1e6;
                    }
                }
                t.minuteDemand[d] += d == Dimension::Read ? o.throttled : o.throttledUnits;
                ft.requests[d] += o.attempts;
                ft.throttled[d] += o.throttled;
                ft.failed[d] += o.failed;
                if (o.throttled > 0)
                    ft.partitionThrottled[partitionId][d] += o.throttled;
                if (p < ft.partitionAttempts.size())
                    ft.partitionAttempts[p] += o.attempts;
                if (c.fresh > 0)
                    amplification[di][p] = o.attempts / c.fresh;
                if (o.attempts > 0)
                    throttledShare[di][p] = o.throttled / o.attempts;
            }
            t.capacity->chargeTableFlow(d, 0, t0, step);
        }
        // Hot keys keep their own figures: their share of their partition's attempts and throttles
        // (every key, for exact workloads).
        for (const FluidArrival& a : f.arrivals) {
            if (workloads[a.workload].table != ti)
                continue;
            const std::size_t p = t.capacity->partitionIndexForHash(a.hash);
            const int di = static_cast<int>(a.dimension);
            FluidTable::Key& key = ft.keys[a.key];
            key.partitionId = t.capacity->partition(p).partitionId;
            key.requests += amplification[di][p];
            key.minuteRequests += amplification[di][p];
            key.throttled += amplification[di][p] * throttledShare[di][p];
        }
        for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
            if (workloads[wi].table != ti || stepRequests[wi] <= 0 || f.workloads[wi].exact)
                continue;
            FluidWorkload& fw = f.workloads[wi];
            for (auto& hot : fw.hotKeys) {
                if (!hot.figures)
                    hot.figures = &ft.keys[hot.key];
                FluidTable::Key& key = *hot.figures;
                key.partitionId = t.capacity->partition(hot.partition).partitionId;
                for (const auto& op : fw.operations) {
                    const int di = static_cast<int>(op.dimension);
                    const double attempts = stepRequests[wi] * op.share * hot.share * amplification[di][hot.partition];
                    key.requests += attempts;
                    key.minuteRequests += attempts;
                    key.throttled += attempts * throttledShare[di][hot.partition];
                }
            }
        }
    }
}

void Simulator::Impl::fluidFlushPartitions(TableRuntime& t)
{
    FluidTable& ft = fluid->tables[t.self];
    for (std::size_t i = 0; i < ft.partitionIds.size(); ++i) {
        const std::int64_t id = ft.partitionIds[i];
        for (Dimension d : kDimensions)
            if (ft.partitionConsumed[i][d] != 0)
                t.partitionMinute[id].consumed[d] += ft.partitionConsumed[i][d];
        if (ft.partitionAttempts[i] != 0)
            ft.partitionRequests[id] += ft.partitionAttempts[i];
    }
    ft.partitionIds.clear();
    ft.partitionConsumed.clear();
    ft.partitionAttempts.clear();
}

void Simulator::Impl::fluidMinuteFlush()
{
    FluidState& f = *fluid;
    for (std::size_t ti = 0; ti < scenarioTableCount && ti < f.tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        FluidTable& ft = f.tables[ti];
        fluidFlushPartitions(t);
        // Counts are whole: each minute gets the change of the rounded run totals.
        for (Dimension d : kDimensions) {
            const std::int64_t requests = std::llround(ft.requests[d]);
            const std::int64_t throttled = std::llround(ft.throttled[d]);
            const std::int64_t failed = std::llround(ft.failed[d]);
            t.minuteRequests[d] += requests - ft.reportedRequests[d];
            t.minuteThrottled[d] += throttled - ft.reportedThrottled[d];
            t.minuteFailed[d] += failed - ft.reportedFailed[d];
            (d == Dimension::Read ? t.result.requestsRead : t.result.requestsWrite) += requests - ft.reportedRequests[d];
            (d == Dimension::Read ? t.result.throttledRead : t.result.throttledWrite) += throttled - ft.reportedThrottled[d];
            (d == Dimension::Read ? t.result.failedRead : t.result.failedWrite) += failed - ft.reportedFailed[d];
            ft.reportedRequests[d] = requests;
            ft.reportedThrottled[d] = throttled;
            ft.reportedFailed[d] = failed;
        }
        for (const auto& [id, throttled] : ft.partitionThrottled)
            for (Dimension d : kDimensions)
                t.partitionMinute[id].throttled[d] += std::llround(throttled[d]);
        ft.partitionThrottled.clear();
        // Heat: the hot keys by name, the rest of a partition's requests as many small keys (no
        // single key carries them).
        std::map<std::int64_t, double> hotInPartition;
        for (auto& [key, k] : ft.keys) {
            if (k.minuteRequests <= 0)
                continue;
            const auto count = std::llround(k.minuteRequests);
            if (count > 0)
                t.heat[k.partitionId].keyCounts[keyLabelOf(key)] += count;
            hotInPartition[k.partitionId] += k.minuteRequests;
            k.minuteRequests = 0;
        }
        for (const auto& [id, requests] : ft.partitionRequests) {
            const double rest = requests - hotInPartition[id];
            if (rest < 1)
                continue;
            constexpr int kChunks = 8;
            const auto chunk = std::max<std::int64_t>(1, std::llround(rest / kChunks));
            for (int i = 0; i < kChunks; ++i)
                t.heat[id].keyCounts["~" + std::to_string(i)] += chunk;
        }
        ft.partitionRequests.clear();
    }
}

void Simulator::Impl::finishFluid()
{
    if (!fluid)
        return;
    for (std::size_t ti = 0; ti < scenarioTableCount && ti < fluid->tables.size(); ++ti)
        for (const auto& [key, k] : fluid->tables[ti].keys) {
            HotKey& hot = tables[ti].keys[keyLabelOf(key)];
            hot.key = keyLabelOf(key);
            hot.requests = std::llround(k.requests);
            hot.throttled = std::llround(k.throttled);
        }
}

} // namespace capsim
