#pragma once
// Draws from the workload distributions (contracts/scenario-format.md, "Key distributions",
// "Size / count distributions", value distributions of `attributes`). Every draw takes the Rng to
// use, so callers decide which stream feeds which purpose. Value types, one caller each.

#include "engine/attribute_value.h"
#include "workloads/random.h"
#include "workloads/spec.h"

#include <cstdint>

namespace capsim {

// Zipf over ranks [0, cardinality) with P(rank i) proportional to (i + 1)^-exponent, by
// Hörmann & Derflinger's rejection-inversion: exact, O(1) expected per draw, any cardinality.
class ZipfSampler {
public:
    ZipfSampler(std::int64_t cardinality, double exponent);
    std::int64_t draw(Rng& rng) const;

private:
    double hIntegral(double x) const;
    double h(double x) const;
    double hIntegralInverse(double x) const;

    std::int64_t m_cardinality;
    double m_exponent;
    double m_hIntegralX1;
    double m_hIntegralN;
    double m_s;
};

// Partition and sort key indexes of one workload. Sequential keys keep a counter, so a
// KeySampler is stateful.
class KeySampler {
public:
    explicit KeySampler(const KeyDistributionSpec& spec);

    // Partition key index in [0, cardinality).
    std::int64_t drawPartitionKey(Rng& rng);
    // Sort key index, uniform in [0, sortKeysPerKey); 0 without drawing when there is one.
    std::int64_t drawSortKey(Rng& rng) const;

    std::int64_t cardinality() const { return m_spec.cardinality; }
    std::int64_t sortKeysPerKey() const { return m_spec.sortKeysPerKey; }

private:
    KeyDistributionSpec m_spec;
    ZipfSampler m_zipf;
    std::int64_t m_sequentialNext = 0;
};

// An item size in bytes: fixed and lognormal rounded to the nearest byte, uniform an integer in
// [min, max]; clamped to [1, 409600].
std::int64_t drawSizeBytes(const SizeDistributionSpec& spec, Rng& rng);
// A count (items a Query reads): the same draws, at least 1.
std::int64_t drawCount(const SizeDistributionSpec& spec, Rng& rng);
// A duration in microseconds (ttlSeconds, processingTime): the same draws, at least 0.
std::int64_t drawDuration(const DurationDistributionSpec& spec, Rng& rng);
// An attribute value: a weighted choice, or S "v<i>" with i uniform in [0, cardinality).
AttributeValue drawValue(const ValueDistributionSpec& spec, Rng& rng);

} // namespace capsim
