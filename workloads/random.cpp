#include "workloads/random.h"

#include <cmath>

namespace capsim {

namespace {

std::uint64_t splitMix64(std::uint64_t& state)
{
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

std::uint64_t rngStream(std::int64_t workloadIndex, RngPurpose purpose)
{
    return static_cast<std::uint64_t>(workloadIndex) * 64U + static_cast<std::uint64_t>(purpose);
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream)
{
    // Mix the stream id through its own splitmix64 step before combining, so neighbouring
    // (seed, stream) pairs do not start from neighbouring splitmix64 states.
    std::uint64_t streamState = stream ^ 0x6A09E667F3BCC909ULL;
    std::uint64_t state = seed ^ splitMix64(streamState);
    for (auto& word : m_state)
        word = splitMix64(state);
}

std::uint64_t Rng::nextU64()
{
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

double Rng::uniform01()
{
    return static_cast<double>(nextU64() >> 11) * 0x1.0p-53;
}

std::uint64_t Rng::uniformInt(std::uint64_t n)
{
    if (n <= 1)
        return 0;
    // Values below 2^64 mod n would make the low residues more likely; reject them.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = nextU64();
        if (x >= threshold)
            return x % n;
    }
}

double Rng::exponential(double rate)
{
    // 1 - u lies in (0, 1], so the logarithm is finite.
    return -std::log(1.0 - uniform01()) / rate;
}

double Rng::normal()
{
    if (m_hasSpareNormal) {
        m_hasSpareNormal = false;
        return m_spareNormal;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
        u = 2.0 * uniform01() - 1.0;
        v = 2.0 * uniform01() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    m_spareNormal = v * factor;
    m_hasSpareNormal = true;
    return u * factor;
}

double Rng::lognormal(double median, double sigma)
{
    return median * std::exp(sigma * normal());
}

} // namespace capsim
