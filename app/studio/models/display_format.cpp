#include "app/studio/models/display_format.h"

#include "simulator/results_view.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace capsim::studio {

QString formatClock(double seconds, double spanSeconds, bool withSeconds)
{
    return QString::fromStdString(capsim::formatClock(seconds,
        clockFormatForSpan(spanSeconds, withSeconds ? ClockFormat::Seconds::Always : ClockFormat::Seconds::Never)));
}

QString formatDuration(double seconds)
{
    const auto minutes = static_cast<std::int64_t>(std::llround(std::max(0.0, seconds) / 60));
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    if (minutes > 2 * 1440 && minutes % 1440 == 0)
        return QStringLiteral("%1 days").arg(minutes / 1440);
    if (minutes % 60 == 0)
        return QStringLiteral("%1 h").arg(minutes / 60);
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QString formatMoney(double amount, const QString& currency)
{
    const QLocale c(QLocale::English, QLocale::UnitedStates);
    const int decimals = std::abs(amount) < 1 && amount != 0 ? 4 : 2;
    const QString number = c.toString(std::abs(amount), 'f', decimals);
    const QString sign = amount < 0 ? QStringLiteral("−") : QString();
    if (currency == QLatin1String("USD"))
        return sign + QLatin1Char('$') + number;
    return sign + number + QLatin1Char(' ') + currency;
}

QString formatNumber(double value, int decimals)
{
    const QLocale c(QLocale::English, QLocale::UnitedStates);
    QString text = c.toString(value, 'f', decimals);
    if (decimals > 0 && text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

std::pair<double, QString> byteAxisUnit(double maxBytes)
{
    if (maxBytes >= 1e9)
        return { 1e9, QStringLiteral("GB") };
    if (maxBytes >= 1e6)
        return { 1e6, QStringLiteral("MB") };
    if (maxBytes >= 1e3)
        return { 1e3, QStringLiteral("KB") };
    return { 1, QStringLiteral("bytes") };
}

QString moneyAxisFormat(const QString& currency, double span)
{
    int decimals = 2;
    if (span > 0 && span < 0.1)
        decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(span / 5.0))), 2, 7);
    const QString number = QStringLiteral("%.") + QString::number(decimals) + QLatin1Char('f');
    return currency == QLatin1String("USD") ? QLatin1Char('$') + number : number + QLatin1Char(' ') + currency;
}

} // namespace capsim::studio
