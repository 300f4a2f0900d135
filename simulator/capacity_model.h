#pragma once
// CapacityModel: DynamoDB's admission control for one table (reference A3), step by step:
// per partition and per dimension an allocated bucket, a burst bucket filled by the allocated
// bucket's overflow, and a hard-limit bucket; one table bucket per dimension lending unused
// capacity (adaptive capacity). Admission is checked before a request runs and charged with
// its actual units after. Owned by the Simulator; single-threaded.

#include "simulator/dimension.h"
#include "simulator/scenario.h"
#include "simulator/token_bucket.h"

#include <cstdint>
#include <vector>

namespace capsim {

class CapacityModel {
public:
    struct PartitionBuckets {
        std::int64_t partitionId = 0;
        std::uint64_t hashLow = 0;
        std::uint64_t hashHigh = 0;
        TokenBucket allocated[2];
        TokenBucket burst[2];
        TokenBucket hard[2]; // with the linear rule only hard[0] is used, in fractions of the limit
    };

    CapacityModel(const ModelSpec& model, SimTime now);

    // Sets the table's rates in force (provisioned units/s, or the on-demand ceiling) and
    // rebalances every partition's allocation. Buckets keep their tokens, clamped to capacity.
    void setTableRates(double readPerSecond, double writePerSecond, SimTime now);
    double tableRate(Dimension d) const { return m_tableRate[static_cast<int>(d)]; }

    // Replaces the partition list after a split: a child inherits its share (by hash range) of
    // the parent's allocated and burst tokens and the parent's hard-bucket level.
    struct PartitionRange {
        std::int64_t id;
        std::uint64_t hashLow;
        std::uint64_t hashHigh;
    };
    void setPartitions(const std::vector<PartitionRange>& partitions, SimTime now);
    std::size_t partitionCount() const { return m_partitions.size(); }
    std::size_t partitionIndexForHash(std::uint64_t hash) const;
    std::size_t partitionIndexForId(std::int64_t id) const;
    const PartitionBuckets& partition(std::size_t index) const { return m_partitions[index]; }

    // True if a request may start on the partition now (reference A3 admission rule).
    bool admit(std::size_t partitionIndex, Dimension d, SimTime now);
    // Charges a request's actual units after it ran: hard bucket, table bucket, and the first
    // source with tokens in the order allocated, burst, table.
    void charge(std::size_t partitionIndex, Dimension d, double units, SimTime now);

    // Fluid fidelity: the same rules applied to a quantity of units spread evenly over one step
    // [now, now + step). `own`: what the partition's allocated bucket (tokens and refill) and
    // burst bucket can serve; `hard`: the ceiling its hard-limit bucket sets.
    struct FlowCapacity {
        double own = 0.0;
        double hard = 0.0;
        double refill = 0.0; // of `own`, what the allocated bucket gains over the step
    };
    FlowCapacity flowCapacity(std::size_t partitionIndex, Dimension d, SimTime now, SimTime step) const;
    // The table bucket's tokens and refill over the step: what adaptive capacity can lend (0
    // without adaptive capacity).
    double tableFlowCapacity(Dimension d, SimTime now, SimTime step);
    // Serves `units` on the partition over the step, charged as charge() does (hard bucket,
    // then allocated before burst; what neither holds was lent by the table), and advances the
    // partition's buckets of that dimension to now + step.
    void chargeFlow(std::size_t partitionIndex, Dimension d, double units, SimTime now, SimTime step);
    // Charges the table bucket with everything served in the step and advances it to now + step.
    void chargeTableFlow(Dimension d, double units, SimTime now, SimTime step);

private:
    void refillPartition(PartitionBuckets& p, SimTime now);
    void fillAtStart(SimTime now);
    void refillTable(SimTime now);
    void configure(PartitionBuckets& p) const;
    double hardLimit(Dimension d) const;

    ModelSpec m_model;
    double m_tableRate[2] = { 0.0, 0.0 };
    TokenBucket m_table[2];
    std::vector<PartitionBuckets> m_partitions;
    bool m_ratesSet = false;
    bool m_started = false; // buckets filled once partitions and rates are both known
};

} // namespace capsim
