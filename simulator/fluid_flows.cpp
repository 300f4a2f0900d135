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
        double units = 0; // expected units per request
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
    };
    std::vector<HotKey> hotKeys;
    double initialShare = 0; // of the requests on keys initialData holds
    double engineCarry = 0; // engine-sample requests owed (fractional)
};

// A throttled attempt's retry, due at a later step.
struct FluidRetry {
    std::uint64_t hashLow = 0; // its partition (found again after a split)
    Dimension dimension = Dimension::Read;
    int attempt = 2; // the attempt it will be
    double requests = 0;
    double units = 0; // per request
};

struct FluidTable {
    std::map<std::int64_t, std::vector<FluidRetry>> retries; // by step index
    PerDimension<double> requests {}, throttled {}, failed {}; // run totals
    PerDimension<std::int64_t> reportedRequests {}, reportedThrottled {}, reportedFailed {};
    std::map<std::int64_t, PerDimension<double>> partitionThrottled; // this minute, by partition id
    std::map<std::int64_t, double> partitionRequests; // this minute, by partition id (heat)
    struct Key {
        double requests = 0, throttled = 0, minuteRequests = 0;
        std::int64_t partitionId = 0;
    };
    std::map<std::int64_t, Key> keys; // hot keys
};

struct Simulator::Impl::FluidState {
    SimTime step = kSimSecond;
    double requestRate = 1.0; // engine sample: share of requests executed
    std::vector<FluidWorkload> workloads;
    std::vector<FluidTable> tables; // by runtime index
    // Retry landing: for an attempt throttled after g attempts, the share landing in the same
    // step ([g][0]) and in each following step.
    std::vector<std::vector<double>> landing;
    // Working cells, per dimension and partition: attempts and units by attempt number.
    struct Cell {
        std::vector<double> requests, units;
        double fresh = 0;
    };
    std::vector<Cell> cells[2];
};

Status Simulator::Impl::setUpFluid()
{
    fluid = std::make_shared<FluidState>();
    FluidState& f = *fluid;
    f.step = fidelity.step;
    const double requests = Simulator::expectedRequests(scenario);
    f.requestRate = std::min(fidelity.rate, requests > 0 ? kFluidEngineRequests / requests : 1.0);
    f.tables.resize(tables.size());
    const int maxAttempts = std::max(1, scenario.client.maxAttempts);
    f.landing.assign(static_cast<std::size_t>(maxAttempts) + 1, {});
    const double a = secondsOf(f.step);
    for (int g = 1; g <= maxAttempts; ++g) {
        // retryDelay(): uniform in [0, min(maxDelay, baseDelay x 2^(g - 1))].
        const double c = std::min(secondsOf(scenario.client.maxDelay), secondsOf(scenario.client.baseDelay) * std::ldexp(1.0, std::min(g - 1, 60)));
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
    queue.schedule(0, EventClass::Request, QueuedKind::FluidStep, 0);
    return Status::ok();
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
    // Requests of each workload in the step.
    std::vector<double> stepRequests(workloads.size(), 0.0);
    for (std::size_t wi = 0; wi < workloads.size(); ++wi)
        stepRequests[wi] = rateIntegral(workloads[wi].fluidRate, static_cast<double>(t0), static_cast<double>(t0 + step));

    for (std::size_t ti = 0; ti < scenarioTableCount; ++ti) {
        TableRuntime& t = tables[ti];
        if (t.deleted || t.absent || !t.capacity)
            continue;
        FluidTable& ft = f.tables[ti];
        const std::size_t partitions = t.capacity->partitionCount();
        for (auto& cells : f.cells) {
            cells.resize(partitions);
            for (auto& c : cells) {
                c.requests.assign(generations, 0.0);
                c.units.assign(generations, 0.0);
                c.fresh = 0;
            }
        }
        bool any = false;
        for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
            if (workloads[wi].table != ti || stepRequests[wi] <= 0)
                continue;
            FluidWorkload& fw = f.workloads[wi];
            if (fw.profiledPartitions != partitions) {
                fw.partitionShares.assign(partitions, 0.0);
                for (std::size_t k = 0; k < fw.keyHashes.size(); ++k)
                    fw.partitionShares[t.capacity->partitionIndexForHash(fw.keyHashes[k])] += fw.keyShares[k];
                for (auto& hot : fw.hotKeys)
                    hot.partition = t.capacity->partitionIndexForHash(hot.hash);
                fw.profiledPartitions = partitions;
            }
            any = true;
            for (const auto& op : fw.operations) {
                const double n = stepRequests[wi] * op.share;
                auto& cells = f.cells[static_cast<int>(op.dimension)];
                for (std::size_t p = 0; p < partitions; ++p) {
                    const double np = n * fw.partitionShares[p];
                    cells[p].requests[1] += np;
                    cells[p].units[1] += np * op.units;
                    cells[p].fresh += np;
                }
            }
        }
        if (auto due = ft.retries.find(stepIndex); due != ft.retries.end()) {
            for (const FluidRetry& r : due->second) {
                auto& c = f.cells[static_cast<int>(r.dimension)][t.capacity->partitionIndexForHash(r.hashLow)];
                const auto g = static_cast<std::size_t>(std::min(r.attempt, maxAttempts));
                c.requests[g] += r.requests;
                c.units[g] += r.requests * r.units;
            }
            ft.retries.erase(due);
            any = true;
        }
        if (!any)
            continue;
        // What each (dimension, partition) attempted and had throttled, for the hot keys.
        std::vector<double> amplification[2], throttledShare[2];
        for (Dimension d : kDimensions) {
            const int di = static_cast<int>(d);
            auto& cells = f.cells[di];
            amplification[di].assign(partitions, 1.0);
            throttledShare[di].assign(partitions, 0.0);
            // Admission (reference A3 on quantities): a partition serves from its own buckets up
            // to its hard limit; adaptive capacity lends what the table bucket holds beyond.
            std::vector<double> demand(partitions), capacity(partitions), unmet(partitions);
            double ownTotal = 0, unmetTotal = 0;
            for (std::size_t p = 0; p < partitions; ++p) {
                for (std::size_t g = 1; g < generations; ++g)
                    demand[p] += cells[p].units[g];
                if (demand[p] <= 0)
                    continue;
                const auto c = t.capacity->flowCapacity(p, d, t0, step);
                const double own = std::min({ demand[p], c.own, c.hard });
                capacity[p] = own;
                unmet[p] = std::max(0.0, std::min(demand[p], c.hard) - own);
                ownTotal += own;
                unmetTotal += unmet[p];
            }
            if (unmetTotal > 0) {
                const double lend = std::max(0.0, t.capacity->tableFlowCapacity(d, t0, step) - ownTotal);
                const double share = std::min(1.0, lend / unmetTotal);
                for (std::size_t p = 0; p < partitions; ++p)
                    capacity[p] += unmet[p] * share;
            }
            double servedTotal = 0;
            for (std::size_t p = 0; p < partitions; ++p) {
                if (demand[p] <= 0)
                    continue;
                auto& c = cells[p];
                const std::int64_t partitionId = t.capacity->partition(p).partitionId;
                double attempts = 0, throttled = 0, failed = 0, served = demand[p], throttledUnits = 0;
                if (demand[p] <= capacity[p] * (1 + 1e-12)) {
                    for (std::size_t g = 1; g < generations; ++g)
                        attempts += c.requests[g];
                } else {
                    // Throttled: every attempt is admitted with the same chance `a`; those
                    // throttled retry after their backoff, some within this step, which adds to
                    // its attempts. `a` solves a x units(a) = capacity (bisection).
                    std::vector<double> all(generations);
                    auto expand = [&](double admitted) {
                        double units = 0;
                        for (std::size_t g = 1; g < generations; ++g) {
                            all[g] = c.requests[g];
                            if (g > 1) {
                                const double carried = all[g - 1] * (1 - admitted) * f.landing[g - 1][0];
                                all[g] += carried;
                            }
                        }
                        // Units per attempt by generation: a retry costs what its first attempt would.
                        std::vector<double> perAttempt(generations, 0.0);
                        for (std::size_t g = 1; g < generations; ++g) {
                            perAttempt[g] = c.requests[g] > 0 ? c.units[g] / c.requests[g] : (g > 1 ? perAttempt[g - 1] : 0.0);
                            units += all[g] * perAttempt[g];
                        }
                        return std::pair { units, perAttempt };
                    };
                    double lo = 0, hi = 1;
                    for (int i = 0; i < 50; ++i) {
                        const double mid = (lo + hi) / 2;
                        if (mid * expand(mid).first < capacity[p])
                            lo = mid;
                        else
                            hi = mid;
                    }
                    const double admitted = lo;
                    const auto [units, perAttempt] = expand(admitted);
                    served = admitted * units;
                    for (std::size_t g = 1; g < generations; ++g) {
                        attempts += all[g];
                        const double refused = all[g] * (1 - admitted);
                        throttled += refused;
                        throttledUnits += refused * (d == Dimension::Read ? 1.0 : perAttempt[g]);
                        if (clientGivesUp(scenario.client, static_cast<int>(g))) {
                            failed += refused;
                            continue;
                        }
                        const auto& landing = f.landing[g];
                        for (std::size_t j = 1; j < landing.size(); ++j) {
                            if (landing[j] <= 0)
                                continue;
                            ft.retries[stepIndex + static_cast<std::int64_t>(j)].push_back(
                                { t.capacity->partition(p).hashLow, d, static_cast<int>(g) + 1, refused * landing[j], perAttempt[g] });
                        }
                    }
                }
                t.capacity->chargeFlow(p, d, served, t0, step);
                if (served > 0)
                    recordConsumed(t, partitionId, d, served);
                servedTotal += served;
                t.minuteDemand[d] += throttledUnits;
                ft.requests[d] += attempts;
                ft.throttled[d] += throttled;
                ft.failed[d] += failed;
                if (throttled > 0)
                    ft.partitionThrottled[partitionId][d] += throttled;
                ft.partitionRequests[partitionId] += attempts;
                if (c.fresh > 0)
                    amplification[di][p] = attempts / c.fresh;
                if (attempts > 0)
                    throttledShare[di][p] = throttled / attempts;
            }
            t.capacity->chargeTableFlow(d, servedTotal, t0, step);
        }
        // Hot keys keep their own figures: their share of their partition's attempts and throttles.
        for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
            if (workloads[wi].table != ti || stepRequests[wi] <= 0)
                continue;
            const FluidWorkload& fw = f.workloads[wi];
            for (const auto& hot : fw.hotKeys) {
                FluidTable::Key& key = ft.keys[hot.key];
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
    // The engine sample: a seeded share of the step's requests runs in the engine (its units are
    // carried by the flows).
    for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
        FluidWorkload& fw = f.workloads[wi];
        fw.engineCarry += stepRequests[wi] * f.requestRate;
        if (fw.engineCarry < 1.0)
            continue;
        TableRuntime& base = tables[workloads[wi].table];
        if (!tableServing(base))
            continue;
        if (Status s = engine->advanceTime(t0); !s) {
            engineFailed(s);
            return;
        }
        while (fw.engineCarry >= 1.0) {
            fw.engineCarry -= 1.0;
            PendingRequest r;
            r.workload = wi;
            r.request = workloads[wi].generator->next(t0);
            r.firstArrival = t0;
            r.attempts = 1;
            fluidSample = true;
            const Status outcome = execute(r, base);
            fluidSample = false;
            if (!outcome && outcome.is(error::kInternalServerError)) {
                engineFailed(outcome);
                return;
            }
        }
    }
}

void Simulator::Impl::fluidMinuteFlush()
{
    FluidState& f = *fluid;
    for (std::size_t ti = 0; ti < scenarioTableCount && ti < f.tables.size(); ++ti) {
        TableRuntime& t = tables[ti];
        FluidTable& ft = f.tables[ti];
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
            constexpr int kChunks = 64;
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
