#include "simulator/capacity_model.h"

#include <algorithm>
#include <cassert>

namespace capsim {

namespace {
int idx(Dimension d)
{
    return static_cast<int>(d);
}
} // namespace

CapacityModel::CapacityModel(const ModelSpec& model, SimTime now)
    : m_model(model)
{
    for (auto& t : m_table)
        t.updatedAt = now;
}

double CapacityModel::hardLimit(Dimension d) const
{
    return d == Dimension::Read ? m_model.partitionRead : m_model.partitionWrite;
}

void CapacityModel::configure(PartitionBuckets& p) const
{
    const double count = static_cast<double>(std::max<std::size_t>(1, m_partitions.size()));
    for (int d = 0; d < 2; ++d) {
        // Each partition's allocation is the table rate divided evenly (reference A3).
        const double a = m_tableRate[d] / count;
        p.allocated[d].capacity = a;
        p.allocated[d].ratePerSecond = a;
        p.burst[d].capacity = a * m_model.burstSeconds;
        p.burst[d].ratePerSecond = 0.0; // filled only by the allocated bucket's overflow
        if (m_model.partitionLimitRule == PartitionLimitRule::Linear) {
            p.hard[d].capacity = 1.0;
            p.hard[d].ratePerSecond = 1.0;
        } else {
            const double h = hardLimit(static_cast<Dimension>(d));
            p.hard[d].capacity = h;
            p.hard[d].ratePerSecond = h;
        }
        p.allocated[d].tokens = std::min(p.allocated[d].tokens, p.allocated[d].capacity);
        p.burst[d].tokens = std::min(p.burst[d].tokens, p.burst[d].capacity);
        p.hard[d].tokens = std::min(p.hard[d].tokens, p.hard[d].capacity);
    }
}

void CapacityModel::setTableRates(double readPerSecond, double writePerSecond, SimTime now)
{
    refillTable(now);
    for (auto& p : m_partitions)
        refillPartition(p, now);
    m_tableRate[0] = readPerSecond;
    m_tableRate[1] = writePerSecond;
    for (int d = 0; d < 2; ++d) {
        m_table[d].capacity = m_tableRate[d];
        m_table[d].ratePerSecond = m_tableRate[d];
        m_table[d].tokens = std::min(m_table[d].tokens, m_table[d].capacity);
    }
    for (auto& p : m_partitions)
        configure(p);
    m_ratesSet = true;
    fillAtStart(now);
}

void CapacityModel::fillAtStart(SimTime now)
{
    if (m_started || !m_ratesSet || m_partitions.empty())
        return;
    m_started = true;
    // Allocated, hard and table buckets start full; burst per model.burstAtStart (reference A3).
    for (auto& p : m_partitions) {
        for (int d = 0; d < 2; ++d) {
            p.allocated[d].tokens = p.allocated[d].capacity;
            p.burst[d].tokens = m_model.burstAtStartFull ? p.burst[d].capacity : 0.0;
            p.hard[d].tokens = p.hard[d].capacity;
            p.allocated[d].updatedAt = p.burst[d].updatedAt = p.hard[d].updatedAt = now;
        }
    }
    for (auto& t : m_table) {
        t.tokens = t.capacity;
        t.updatedAt = now;
    }
}

void CapacityModel::setPartitions(const std::vector<PartitionRange>& ranges, SimTime now)
{
    refillTable(now);
    const bool first = m_partitions.empty();
    for (auto& p : m_partitions)
        refillPartition(p, now);
    std::vector<PartitionBuckets> next;
    next.reserve(ranges.size());
    for (const auto& r : ranges) {
        PartitionBuckets child;
        child.partitionId = r.id;
        child.hashLow = r.hashLow;
        child.hashHigh = r.hashHigh;
        if (first) {
            next.push_back(child);
            continue;
        }
        const std::size_t parentIndex = partitionIndexForHash(r.hashLow);
        const PartitionBuckets& parent = m_partitions[parentIndex];
        if (parent.partitionId == r.id) {
            next.push_back(parent);
            continue;
        }
        const double share = (static_cast<double>(r.hashHigh - r.hashLow) + 1.0)
            / (static_cast<double>(parent.hashHigh - parent.hashLow) + 1.0);
        for (int d = 0; d < 2; ++d) {
            child.allocated[d] = parent.allocated[d];
            child.allocated[d].tokens *= share;
            child.burst[d] = parent.burst[d];
            child.burst[d].tokens *= share;
            child.hard[d] = parent.hard[d];
        }
        next.push_back(child);
    }
    m_partitions = std::move(next);
    for (auto& p : m_partitions)
        configure(p);
    fillAtStart(now);
}

std::size_t CapacityModel::partitionIndexForHash(std::uint64_t hash) const
{
    auto it = std::upper_bound(m_partitions.begin(), m_partitions.end(), hash,
        [](std::uint64_t h, const PartitionBuckets& p) { return h < p.hashLow; });
    assert(it != m_partitions.begin());
    return static_cast<std::size_t>(it - m_partitions.begin()) - 1;
}

std::size_t CapacityModel::partitionIndexForId(std::int64_t id) const
{
    for (std::size_t i = 0; i < m_partitions.size(); ++i)
        if (m_partitions[i].partitionId == id)
            return i;
    return 0;
}

void CapacityModel::refillPartition(PartitionBuckets& p, SimTime now)
{
    for (int d = 0; d < 2; ++d) {
        // Burst is filled only by allocated tokens that would overflow (reference A3).
        const double overflow = p.allocated[d].refill(now);
        p.burst[d].updatedAt = now;
        p.burst[d].tokens = std::min(p.burst[d].capacity, p.burst[d].tokens + overflow);
        if (m_model.partitionLimitRule == PartitionLimitRule::Independent || d == 0)
            p.hard[d].refill(now);
    }
}

void CapacityModel::refillTable(SimTime now)
{
    for (auto& t : m_table)
        t.refill(now);
}

bool CapacityModel::admit(std::size_t partitionIndex, Dimension dimension, SimTime now)
{
    PartitionBuckets& p = m_partitions[partitionIndex];
    refillPartition(p, now);
    refillTable(now);
    const int d = idx(dimension);
    const int h = m_model.partitionLimitRule == PartitionLimitRule::Linear ? 0 : d;
    if (!p.hard[h].positive())
        return false;
    if (p.allocated[d].positive() || p.burst[d].positive())
        return true;
    // Adaptive capacity lends the table's unused capacity of the current second, never beyond
    // the hard limit (checked above).
    return m_model.adaptiveCapacity && m_table[d].positive();
}

void CapacityModel::charge(std::size_t partitionIndex, Dimension dimension, double units, SimTime now)
{
    PartitionBuckets& p = m_partitions[partitionIndex];
    refillPartition(p, now);
    refillTable(now);
    const int d = idx(dimension);
    if (m_model.partitionLimitRule == PartitionLimitRule::Linear)
        p.hard[0].tokens -= units / hardLimit(dimension);
    else
        p.hard[d].tokens -= units;
    m_table[d].tokens -= units; // once per request, whatever the source
    if (p.allocated[d].positive())
        p.allocated[d].tokens -= units;
    else if (p.burst[d].positive())
        p.burst[d].tokens -= units;
}

CapacityModel::FlowCapacity CapacityModel::flowCapacity(std::size_t partitionIndex, Dimension dimension, SimTime now, SimTime step) const
{
    // Computed without refilling the buckets: a bucket that attempts use one by one
    // (fluid_flows.cpp) then refills in the same pieces as in a full run.
    const PartitionBuckets& p = m_partitions[partitionIndex];
    const int d = idx(dimension);
    const SimTime end = now + step;
    auto seconds = [](SimTime from, SimTime to) { return static_cast<double>(std::max<SimTime>(0, to - from)) / static_cast<double>(kSimSecond); };
    const TokenBucket& allocated = p.allocated[d];
    const double level = allocated.tokens + allocated.ratePerSecond * seconds(allocated.updatedAt, now);
    const double allocatedNow = std::min(allocated.capacity, level);
    const double overflow = std::max(0.0, std::min(level - allocated.capacity, allocated.ratePerSecond * seconds(allocated.updatedAt, now)));
    const double burstNow = std::min(p.burst[d].capacity, p.burst[d].tokens + overflow);
    FlowCapacity c;
    c.own = std::max(0.0, allocatedNow + allocated.ratePerSecond * seconds(now, end)) + std::max(0.0, burstNow);
    c.refill = allocated.ratePerSecond * seconds(now, end);
    const TokenBucket& hard = p.hard[m_model.partitionLimitRule == PartitionLimitRule::Linear ? 0 : d];
    const double hardNow = std::min(hard.capacity, hard.tokens + hard.ratePerSecond * seconds(hard.updatedAt, now));
    const double hardAvailable = std::max(0.0, hardNow + hard.ratePerSecond * seconds(std::max(now, hard.updatedAt), end));
    c.hard = m_model.partitionLimitRule == PartitionLimitRule::Linear ? hardAvailable * hardLimit(dimension) : hardAvailable;
    return c;
}

double CapacityModel::tableFlowCapacity(Dimension dimension, SimTime now, SimTime step)
{
    if (!m_model.adaptiveCapacity)
        return 0.0;
    refillTable(now);
    const TokenBucket& t = m_table[idx(dimension)];
    return t.tokens + t.ratePerSecond * static_cast<double>(step) / static_cast<double>(kSimSecond);
}

void CapacityModel::chargeFlow(std::size_t partitionIndex, Dimension dimension, double units, SimTime now, SimTime step)
{
    PartitionBuckets& p = m_partitions[partitionIndex];
    refillPartition(p, now);
    const int d = idx(dimension);
    const SimTime end = now + step;
    auto advance = [end](TokenBucket& b, double used) {
        // Refill to the step's end net of what the flow used, at most the capacity; the part that
        // did not fit is the overflow (the allocated bucket's goes to burst, reference A3).
        const double dt = static_cast<double>(std::max<SimTime>(0, end - b.updatedAt)) / static_cast<double>(kSimSecond);
        b.updatedAt = std::max(b.updatedAt, end);
        const double level = b.tokens + b.ratePerSecond * dt - used;
        b.tokens = std::min(b.capacity, level);
        return std::max(0.0, level - b.capacity);
    };
    TokenBucket& allocated = p.allocated[d];
    const double fromAllocated = std::clamp(units, 0.0,
        std::max(0.0, allocated.tokens + allocated.ratePerSecond * static_cast<double>(end - allocated.updatedAt) / static_cast<double>(kSimSecond)));
    const double fromBurst = std::clamp(units - fromAllocated, 0.0, std::max(0.0, p.burst[d].tokens));
    const double overflow = advance(allocated, fromAllocated);
    p.burst[d].updatedAt = end;
    p.burst[d].tokens = std::min(p.burst[d].capacity, p.burst[d].tokens - fromBurst + overflow);
    if (m_model.partitionLimitRule == PartitionLimitRule::Linear)
        advance(p.hard[0], units / hardLimit(dimension));
    else
        advance(p.hard[d], units);
}

void CapacityModel::chargeTableFlow(Dimension dimension, double units, SimTime now, SimTime step)
{
    refillTable(now);
    TokenBucket& t = m_table[idx(dimension)];
    const SimTime end = now + step;
    const double level = t.tokens + t.ratePerSecond * static_cast<double>(end - t.updatedAt) / static_cast<double>(kSimSecond) - units;
    t.tokens = std::min(t.capacity, level);
    t.updatedAt = end;
}

} // namespace capsim
