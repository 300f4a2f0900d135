#include "app/report/chart_axes.h"

#include "simulator/results_view.h"

#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>

namespace capsim::report {

std::vector<double> AxisScale::ticks() const
{
    std::vector<double> out;
    const auto count = static_cast<int>(std::llround((max - min) / step));
    for (int i = 0; i <= count; ++i)
        out.push_back(min + i * step);
    return out;
}

AxisScale niceScale(double lo, double hi, int maxIntervals, bool integerSteps)
{
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi <= lo)
        hi = lo + (lo == 0 ? 1 : std::abs(lo) * 0.5);
    maxIntervals = std::max(1, maxIntervals);
    double magnitude = std::pow(10.0, std::floor(std::log10((hi - lo) / maxIntervals)));
    if (integerSteps)
        magnitude = std::max(magnitude, 1.0);
    for (;;) {
        for (const double m : { 1.0, 2.0, 5.0 }) {
            const double step = m * magnitude;
            // The small tolerance keeps a bound that is already a multiple of step (3000 / 500)
            // from growing an extra interval through rounding.
            const double first = std::floor(lo / step + 1e-9) * step;
            const double last = std::ceil(hi / step - 1e-9) * step;
            if (std::llround((last - first) / step) <= maxIntervals)
                return { first, last, step };
        }
        magnitude *= 10;
    }
}

std::int64_t timeStepMinutes(std::int64_t spanMinutes, int maxTicks)
{
    static constexpr std::array<std::int64_t, 17> kSteps
        = { 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440, 28 * 1440, 56 * 1440 };
    maxTicks = std::max(2, maxTicks);
    for (const std::int64_t step : kSteps) {
        if (spanMinutes / step + 1 <= maxTicks)
            return step;
    }
    return kSteps.back() * ((spanMinutes / kSteps.back()) / maxTicks + 1);
}

QString timeLabel(std::int64_t minute, std::int64_t spanMinutes, std::int64_t stepMinutes)
{
    ClockFormat format = clockFormatForSpan(static_cast<double>(spanMinutes) * 60, ClockFormat::Seconds::Never);
    format.wholeDaysAlone = stepMinutes % 1440 == 0;
    return QString::fromStdString(formatClock(static_cast<double>(minute) * 60, format));
}

QString timeAxisTitle(std::int64_t spanMinutes)
{
    return spanMinutes <= 1440 ? QStringLiteral("simulated time (hh:mm)")
                               : QStringLiteral("simulated time (days, hh:mm)");
}

QString tickLabel(double value, double step, int minDecimals)
{
    const int decimals = std::max(minDecimals, step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    if (std::abs(value) < step * 1e-6)
        value = 0;
    if (step >= 1e6 && std::abs(value) >= 1e6)
        return QLocale(QLocale::English).toString(value / 1e6, 'g', 4) + QLatin1Char('M');
    return QLocale(QLocale::English).toString(value, 'f', std::min(decimals, 10));
}

} // namespace capsim::report
