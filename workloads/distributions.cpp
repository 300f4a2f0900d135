#include "workloads/distributions.h"

#include "engine/item_size.h"

#include <algorithm>
#include <cmath>

namespace capsim {

namespace {

// log1p(x) / x, continuous at 0.
double helper1(double x)
{
    if (std::abs(x) > 1e-8)
        return std::log1p(x) / x;
    return 1.0 - x * (1.0 / 2.0 - x * (1.0 / 3.0 - x * (1.0 / 4.0)));
}

// expm1(x) / x, continuous at 0.
double helper2(double x)
{
    if (std::abs(x) > 1e-8)
        return std::expm1(x) / x;
    return 1.0 + x * (1.0 / 2.0) * (1.0 + x * (1.0 / 3.0) * (1.0 + x * (1.0 / 4.0)));
}

std::int64_t uniformIndex(Rng& rng, std::int64_t n)
{
    return n <= 1 ? 0 : static_cast<std::int64_t>(rng.uniformInt(static_cast<std::uint64_t>(n)));
}

std::int64_t drawRaw(const SizeDistributionSpec& spec, Rng& rng)
{
    switch (spec.type) {
    case SizeDistributionSpec::Type::Fixed: return std::llround(spec.value);
    case SizeDistributionSpec::Type::Uniform: {
        const auto lo = static_cast<std::int64_t>(std::ceil(std::min(spec.min, spec.max)));
        const auto hi = static_cast<std::int64_t>(std::floor(std::max(spec.min, spec.max)));
        return hi <= lo ? lo : lo + uniformIndex(rng, hi - lo + 1);
    }
    case SizeDistributionSpec::Type::LogNormal: {
        // Clamp before converting: a far tail of exp() would overflow int64.
        const double value = std::min(rng.lognormal(spec.median, spec.sigma), 9.0e18);
        return std::llround(value);
    }
    }
    return 1;
}

} // namespace

ZipfSampler::ZipfSampler(std::int64_t cardinality, double exponent)
    : m_cardinality(std::max<std::int64_t>(cardinality, 1))
    , m_exponent(std::max(exponent, 0.0))
    , m_hIntegralX1(hIntegral(1.5) - 1.0)
    , m_hIntegralN(hIntegral(static_cast<double>(m_cardinality) + 0.5))
    , m_s(2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0)))
{
}

double ZipfSampler::h(double x) const
{
    return std::exp(-m_exponent * std::log(x));
}

double ZipfSampler::hIntegral(double x) const
{
    const double logX = std::log(x);
    return helper2((1.0 - m_exponent) * logX) * logX;
}

double ZipfSampler::hIntegralInverse(double x) const
{
    // Rounding can push t just below -1, outside the domain of log1p.
    const double t = std::max(x * (1.0 - m_exponent), -1.0);
    return std::exp(helper1(t) * x);
}

std::int64_t ZipfSampler::draw(Rng& rng) const
{
    // Hörmann & Derflinger (1996), "Rejection-inversion to generate variates from monotone
    // discrete distributions", as in Apache Commons' ZipfRejectionInversionSampler; ranks 1..N.
    for (;;) {
        const double u = m_hIntegralN + rng.uniform01() * (m_hIntegralX1 - m_hIntegralN);
        const double x = hIntegralInverse(u);
        const double rounded = std::clamp(std::floor(x + 0.5), 1.0, static_cast<double>(m_cardinality));
        const auto k = static_cast<std::int64_t>(rounded);
        if (rounded - x <= m_s || u >= hIntegral(rounded + 0.5) - h(rounded))
            return k - 1;
    }
}

KeySampler::KeySampler(const KeyDistributionSpec& spec)
    : m_spec(spec)
    , m_zipf(spec.type == KeyDistributionSpec::Type::Zipf ? spec.cardinality : 1, spec.exponent)
{
    m_spec.cardinality = std::max<std::int64_t>(m_spec.cardinality, 1);
    m_spec.sortKeysPerKey = std::max<std::int64_t>(m_spec.sortKeysPerKey, 1);
}

std::int64_t KeySampler::drawPartitionKey(Rng& rng)
{
    const std::int64_t n = m_spec.cardinality;
    switch (m_spec.type) {
    case KeyDistributionSpec::Type::Uniform: return uniformIndex(rng, n);
    case KeyDistributionSpec::Type::Zipf: return m_zipf.draw(rng);
    case KeyDistributionSpec::Type::HotKey: {
        const std::int64_t hot = std::clamp<std::int64_t>(m_spec.hotKeys, 0, n);
        const bool toHot = rng.uniform01() < m_spec.hotShare;
        if (hot == 0 || hot == n)
            return uniformIndex(rng, n);
        return toHot ? uniformIndex(rng, hot) : hot + uniformIndex(rng, n - hot);
    }
    case KeyDistributionSpec::Type::Sequential: {
        const std::int64_t key = m_sequentialNext;
        m_sequentialNext = (m_sequentialNext + 1) % n;
        return key;
    }
    }
    return 0;
}

std::int64_t KeySampler::drawSortKey(Rng& rng) const
{
    return uniformIndex(rng, m_spec.sortKeysPerKey);
}

std::int64_t drawSizeBytes(const SizeDistributionSpec& spec, Rng& rng)
{
    return std::clamp<std::int64_t>(drawRaw(spec, rng), 1, kMaxItemBytes);
}

std::int64_t drawCount(const SizeDistributionSpec& spec, Rng& rng)
{
    return std::max<std::int64_t>(drawRaw(spec, rng), 1);
}

std::int64_t drawDuration(const DurationDistributionSpec& spec, Rng& rng)
{
    return std::max<std::int64_t>(drawRaw(spec, rng), 0);
}

AttributeValue drawValue(const ValueDistributionSpec& spec, Rng& rng)
{
    if (spec.type == ValueDistributionSpec::Type::Uniform) {
        std::string value = "v";
        value += std::to_string(uniformIndex(rng, spec.cardinality));
        return AttributeValue::string(std::move(value));
    }
    if (spec.values.empty())
        return AttributeValue::null();
    if (spec.weights.size() != spec.values.size())
        return spec.values[static_cast<std::size_t>(uniformIndex(rng, static_cast<std::int64_t>(spec.values.size())))];
    double total = 0.0;
    for (double weight : spec.weights)
        total += std::max(weight, 0.0);
    const double target = rng.uniform01() * total;
    double cumulative = 0.0;
    for (std::size_t i = 0; i < spec.values.size(); ++i) {
        cumulative += std::max(spec.weights[i], 0.0);
        if (target < cumulative)
            return spec.values[i];
    }
    return spec.values.back();
}

} // namespace capsim
