#pragma once
// Rng: the deterministic random source of the workloads. xoshiro256** seeded through
// splitmix64 from (seed, stream), so each workload and each purpose draws from its own
// independent stream and a scenario's seed gives the same numbers on every machine.
// Value type; one instance per user, not shared between threads.

#include <cstdint>

namespace capsim {

// What a stream is used for; with the workload index it names one independent stream.
enum class RngPurpose : std::uint64_t { Arrivals, Operations, Consistency, Keys, Sizes, Values, Sampling, TtlDurations };

// Stream id of (workload, purpose): distinct for every pair.
std::uint64_t rngStream(std::int64_t workloadIndex, RngPurpose purpose);

class Rng {
public:
    Rng(std::uint64_t seed, std::uint64_t stream);

    // Next 64 raw bits.
    std::uint64_t nextU64();
    // Uniform in [0, 1), from the top 53 bits.
    double uniform01();
    // Uniform integer in [0, n), unbiased (rejection). Returns 0 when n <= 1.
    std::uint64_t uniformInt(std::uint64_t n);
    // Exponential with the given rate (mean 1 / rate); rate must be > 0.
    double exponential(double rate);
    // Standard normal (Marsaglia polar method; the second value of a pair is kept for the next call).
    double normal();
    // median * exp(sigma * normal()).
    double lognormal(double median, double sigma);

private:
    std::uint64_t m_state[4];
    double m_spareNormal = 0.0;
    bool m_hasSpareNormal = false;
};

} // namespace capsim
