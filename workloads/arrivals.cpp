#include "workloads/arrivals.h"

#include "workloads/rate_pattern.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace capsim {

namespace {

constexpr double kMicrosPerSecond = 1e6;

// Smallest t in [from, to] with rateIntegral(pattern, origin, t) >= target, for a rate that is
// not constant on [origin, to] (ramp, diurnal): Newton steps kept inside a shrinking bracket,
// bisecting when a step leaves it. The integral is continuous and non-decreasing.
double solveIntegral(const RatePatternSpec& pattern, double origin, double from, double to, double target)
{
    double lo = from;
    double hi = to;
    double x = lo;
    for (int iteration = 0; iteration < 200 && hi - lo > 1e-4; ++iteration) {
        const double gap = target - rateIntegral(pattern, origin, x);
        if (gap > 0.0)
            lo = x;
        else
            hi = x;
        const double rate = rateAtMicros(pattern, x);
        double step = rate > 0.0 ? x + gap * kMicrosPerSecond / rate : (lo + hi) / 2.0;
        if (!(step > lo && step < hi))
            step = (lo + hi) / 2.0;
        if (std::abs(step - x) < 1e-5) {
            x = step;
            break;
        }
        x = step;
    }
    return std::clamp(x, from, to);
}

} // namespace

ArrivalProcess::ArrivalProcess(RatePatternSpec pattern, Rng rng, SimTime start, SimTime horizon)
    : m_pattern(std::move(pattern))
    , m_rng(rng)
    , m_horizon(static_cast<double>(horizon))
    , m_piecewiseConstant(isPiecewiseConstant(m_pattern))
    , m_cursor(static_cast<double>(start))
    , m_segmentStart(static_cast<double>(start))
{
}

SimTime ArrivalProcess::next()
{
    return m_pattern.uniformArrivals ? nextUniform() : nextPoisson();
}

SimTime ArrivalProcess::deliver(double timeMicros, bool toNearest)
{
    const double whole = toNearest ? std::round(timeMicros) : std::floor(timeMicros);
    if (whole >= m_horizon)
        return kNever;
    const auto rounded = static_cast<SimTime>(whole);
    m_lastReturned = std::max(rounded, m_lastReturned);
    ++m_deliveredCount;
    return m_lastReturned;
}

SimTime ArrivalProcess::nextPoisson()
{
    // Thinning, one stretch between rate breakpoints at a time, with that stretch's own bound:
    // a zero-rate stretch is crossed in one step, and overshooting a stretch's end restarts the
    // exponential clock there, which the memoryless property allows.
    while (m_cursor < m_horizon) {
        const double end = std::min(nextRateBreakpoint(m_pattern, m_cursor), m_horizon);
        const double bound = maxRateBetween(m_pattern, m_cursor, end);
        if (bound <= 0.0) {
            m_cursor = end;
            continue;
        }
        const double candidate = m_cursor + m_rng.exponential(bound) * kMicrosPerSecond;
        if (candidate >= end) {
            m_cursor = end;
            continue;
        }
        m_cursor = candidate;
        if (m_piecewiseConstant || m_rng.uniform01() * bound < rateAtMicros(m_pattern, candidate))
            return deliver(candidate, false); // floor keeps it inside its stretch, whose ends are whole microseconds
    }
    return kNever;
}

SimTime ArrivalProcess::nextUniform()
{
    const auto index = static_cast<double>(m_nextIndex);
    while (m_segmentStart < m_horizon) {
        const double start = m_segmentStart;
        const double end = std::min(nextRateBreakpoint(m_pattern, start), m_horizon);
        const double segmentCount = rateIntegral(m_pattern, start, end);
        const double needed = index - m_countAtSegmentStart;
        // Arrival 0 falls where the rate first becomes positive; arrival k >= 1 where the
        // integral reaches k.
        const bool here = m_nextIndex == 0 ? segmentCount > 0.0 : segmentCount > 0.0 && needed <= segmentCount;
        if (!here) {
            m_countAtSegmentStart += segmentCount;
            m_segmentStart = end;
            continue;
        }
        double time = start;
        if (needed > 0.0) {
            if (m_piecewiseConstant)
                time = std::min(end, start + needed * kMicrosPerSecond / rateAtMicros(m_pattern, start));
            else
                time = solveIntegral(
                    m_pattern, start, std::max(start, static_cast<double>(m_lastReturned)), end, needed);
        }
        const SimTime arrival = deliver(time, true);
        if (arrival != kNever)
            ++m_nextIndex;
        return arrival;
    }
    return kNever;
}

void ArrivalProcess::setPattern(RatePatternSpec pattern, SimTime now)
{
    const auto nowMicros = static_cast<double>(now);
    const bool voidPending = m_deliveredCount > 0 && m_lastReturned > now;
    if (pattern.uniformArrivals) {
        if (m_pattern.uniformArrivals) {
            if (voidPending)
                --m_nextIndex;
            // Continue counting from the expected count reached at `now` under the old pattern.
            if (nowMicros >= m_segmentStart)
                m_countAtSegmentStart += rateIntegral(m_pattern, m_segmentStart, nowMicros);
            else
                m_countAtSegmentStart -= rateIntegral(m_pattern, nowMicros, m_segmentStart);
        } else {
            // From Poisson arrivals there is no phase: the next arrival is one gap away, or
            // immediate when nothing has arrived yet.
            m_countAtSegmentStart = 0.0;
            m_nextIndex = m_deliveredCount - (voidPending ? 1 : 0) > 0 ? 1 : 0;
        }
        m_segmentStart = nowMicros;
    } else {
        m_cursor = nowMicros;
    }
    if (voidPending) {
        m_lastReturned = now;
        --m_deliveredCount;
    }
    m_pattern = std::move(pattern);
    m_piecewiseConstant = isPiecewiseConstant(m_pattern);
}

} // namespace capsim
