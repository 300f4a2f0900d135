#include "workloads/rate_pattern.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace capsim {

namespace {

constexpr double kMicrosPerSecond = 1e6;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

double nonNegative(double rate)
{
    return rate > 0.0 ? rate : 0.0;
}

double clampedAmplitude(const RatePatternSpec& p)
{
    return std::clamp(p.amplitude, 0.0, 1.0);
}

// Length of [a, b] ∩ [lo, hi].
double overlap(double a, double b, double lo, double hi)
{
    return std::max(0.0, std::min(b, hi) - std::max(a, lo));
}

// Fraction of the diurnal period elapsed since the peak, in [0, 1).
double diurnalPhase(const RatePatternSpec& p, double t)
{
    const auto period = static_cast<double>(p.period);
    double x = std::fmod(t - static_cast<double>(p.peakAt), period);
    if (x < 0.0)
        x += period;
    return x / period;
}

double traceRate(const RatePatternSpec& p, std::size_t index)
{
    return index < p.traceRates.size() ? nonNegative(p.traceRates[index]) : 0.0;
}

double traceEnd(const RatePatternSpec& p)
{
    return static_cast<double>(p.interval) * static_cast<double>(p.traceRates.size());
}

} // namespace

double rateAtMicros(const RatePatternSpec& p, double t)
{
    using Type = RatePatternSpec::Type;
    switch (p.type) {
    case Type::Constant: return nonNegative(p.rate);
    case Type::Step: return nonNegative(t < static_cast<double>(p.at) ? p.from : p.to);
    case Type::Ramp: {
        const auto start = static_cast<double>(p.start);
        const auto end = start + static_cast<double>(p.over);
        if (t < start)
            return nonNegative(p.from);
        if (t >= end)
            return nonNegative(p.to);
        return nonNegative(p.from + (p.to - p.from) * (t - start) / static_cast<double>(p.over));
    }
    case Type::Spike: {
        const auto at = static_cast<double>(p.at);
        const bool inSpike = t >= at && t < at + static_cast<double>(p.duration);
        return nonNegative(inSpike ? p.peak : p.base);
    }
    case Type::Diurnal: {
        const double mean = nonNegative(p.mean);
        if (p.period <= 0)
            return mean;
        return nonNegative(mean * (1.0 + clampedAmplitude(p) * std::cos(2.0 * std::numbers::pi * diurnalPhase(p, t))));
    }
    case Type::Trace: {
        if (p.interval <= 0 || t < 0.0)
            return 0.0;
        const double index = std::floor(t / static_cast<double>(p.interval));
        if (index >= static_cast<double>(p.traceRates.size()))
            return 0.0;
        return traceRate(p, static_cast<std::size_t>(index));
    }
    case Type::Sum: {
        double sum = 0.0;
        for (const auto& part : p.of)
            sum += rateAtMicros(part, t);
        return sum;
    }
    }
    return 0.0;
}

double rateAt(const RatePatternSpec& pattern, SimTime t)
{
    return rateAtMicros(pattern, static_cast<double>(t));
}

double maxRateBetween(const RatePatternSpec& p, double a, double b)
{
    using Type = RatePatternSpec::Type;
    switch (p.type) {
    case Type::Constant: return nonNegative(p.rate);
    case Type::Step: {
        const auto at = static_cast<double>(p.at);
        double best = 0.0;
        if (a < at)
            best = std::max(best, nonNegative(p.from));
        if (b > at)
            best = std::max(best, nonNegative(p.to));
        return best;
    }
    case Type::Ramp: {
        // Monotone, so the supremum is at an end of [a, b); an instantaneous ramp (over <= 0) is a
        // step at `start`, whose `to` is reached only when b lies beyond it.
        if (p.over <= 0)
            return b > static_cast<double>(p.start) ? std::max(rateAtMicros(p, a), nonNegative(p.to))
                                                    : rateAtMicros(p, a);
        return std::max(rateAtMicros(p, a), rateAtMicros(p, b));
    }
    case Type::Spike: {
        const auto at = static_cast<double>(p.at);
        const double end = at + static_cast<double>(p.duration);
        double best = 0.0;
        if (a < at || b > end)
            best = nonNegative(p.base);
        if (p.duration > 0 && a < end && b > at)
            best = std::max(best, nonNegative(p.peak));
        return best;
    }
    case Type::Diurnal: return nonNegative(p.mean) * (1.0 + (p.period > 0 ? clampedAmplitude(p) : 0.0));
    case Type::Trace: {
        if (p.interval <= 0 || p.traceRates.empty())
            return 0.0;
        const auto interval = static_cast<double>(p.interval);
        const double count = static_cast<double>(p.traceRates.size());
        const double first = std::clamp(std::floor(std::max(a, 0.0) / interval), 0.0, count);
        const double last = std::clamp(std::ceil(b / interval), 0.0, count); // exclusive
        double best = 0.0;
        for (auto i = static_cast<std::size_t>(first); i < static_cast<std::size_t>(last); ++i)
            best = std::max(best, traceRate(p, i));
        return best;
    }
    case Type::Sum: {
        double sum = 0.0;
        for (const auto& part : p.of)
            sum += maxRateBetween(part, a, b);
        return sum;
    }
    }
    return 0.0;
}

double maxRate(const RatePatternSpec& pattern, SimTime horizon)
{
    // [0, horizon] is the half-open [0, next double after horizon).
    return maxRateBetween(pattern, 0.0, std::nextafter(static_cast<double>(horizon), kInfinity));
}

double rateIntegral(const RatePatternSpec& p, double a, double b)
{
    using Type = RatePatternSpec::Type;
    if (b <= a)
        return 0.0;
    double microsTimesRate = 0.0;
    switch (p.type) {
    case Type::Constant: microsTimesRate = nonNegative(p.rate) * (b - a); break;
    case Type::Step: {
        const auto at = static_cast<double>(p.at);
        microsTimesRate
            = nonNegative(p.from) * overlap(a, b, -kInfinity, at) + nonNegative(p.to) * overlap(a, b, at, kInfinity);
        break;
    }
    case Type::Ramp: {
        const auto start = static_cast<double>(p.start);
        const double end = start + static_cast<double>(std::max<SimTime>(p.over, 0));
        microsTimesRate = nonNegative(p.from) * overlap(a, b, -kInfinity, start)
            + nonNegative(p.to) * overlap(a, b, end, kInfinity);
        const double x0 = std::max(a, start);
        const double x1 = std::min(b, end);
        if (x1 > x0)
            microsTimesRate += (x1 - x0) * rateAtMicros(p, (x0 + x1) / 2.0); // linear: exact at the midpoint
        break;
    }
    case Type::Spike: {
        const auto at = static_cast<double>(p.at);
        const double inSpike = overlap(a, b, at, at + static_cast<double>(std::max<SimTime>(p.duration, 0)));
        microsTimesRate = nonNegative(p.base) * (b - a - inSpike) + nonNegative(p.peak) * inSpike;
        break;
    }
    case Type::Diurnal: {
        const double mean = nonNegative(p.mean);
        microsTimesRate = mean * (b - a);
        if (p.period > 0) {
            const auto period = static_cast<double>(p.period);
            const double twoPi = 2.0 * std::numbers::pi;
            microsTimesRate += mean * clampedAmplitude(p) * period / twoPi
                * (std::sin(twoPi * diurnalPhase(p, b)) - std::sin(twoPi * diurnalPhase(p, a)));
        }
        break;
    }
    case Type::Trace: {
        if (p.interval <= 0)
            return 0.0;
        const auto interval = static_cast<double>(p.interval);
        const double from = std::max(a, 0.0);
        const double to = std::min(b, traceEnd(p));
        if (to <= from)
            return 0.0;
        for (auto i = static_cast<std::size_t>(std::floor(from / interval)); i < p.traceRates.size(); ++i) {
            const double lo = static_cast<double>(i) * interval;
            if (lo >= to)
                break;
            microsTimesRate += traceRate(p, i) * overlap(from, to, lo, lo + interval);
        }
        break;
    }
    case Type::Sum: {
        double sum = 0.0;
        for (const auto& part : p.of)
            sum += rateIntegral(part, a, b);
        return sum;
    }
    }
    return microsTimesRate / kMicrosPerSecond;
}

double nextRateBreakpoint(const RatePatternSpec& p, double t)
{
    using Type = RatePatternSpec::Type;
    const auto after = [t](std::initializer_list<double> points) {
        double best = kInfinity;
        for (double point : points)
            if (point > t)
                best = std::min(best, point);
        return best;
    };
    switch (p.type) {
    case Type::Constant:
    case Type::Diurnal: return kInfinity;
    case Type::Step: return after({ static_cast<double>(p.at) });
    case Type::Ramp:
        return after({ static_cast<double>(p.start), static_cast<double>(p.start) + static_cast<double>(p.over) });
    case Type::Spike:
        return after({ static_cast<double>(p.at), static_cast<double>(p.at) + static_cast<double>(p.duration) });
    case Type::Trace: {
        if (p.interval <= 0)
            return kInfinity;
        const auto interval = static_cast<double>(p.interval);
        if (t < 0.0)
            return 0.0;
        const double next = (std::floor(t / interval) + 1.0) * interval;
        return next <= traceEnd(p) ? next : kInfinity;
    }
    case Type::Sum: {
        double best = kInfinity;
        for (const auto& part : p.of)
            best = std::min(best, nextRateBreakpoint(part, t));
        return best;
    }
    }
    return kInfinity;
}

bool isPiecewiseConstant(const RatePatternSpec& p)
{
    using Type = RatePatternSpec::Type;
    switch (p.type) {
    case Type::Constant:
    case Type::Step:
    case Type::Spike:
    case Type::Trace: return true;
    case Type::Ramp: return p.over <= 0 || p.from == p.to;
    case Type::Diurnal: return p.period <= 0 || p.mean <= 0.0 || p.amplitude <= 0.0;
    case Type::Sum:
        return std::all_of(
            p.of.begin(), p.of.end(), [](const RatePatternSpec& part) { return isPiecewiseConstant(part); });
    }
    return false;
}

} // namespace capsim
