#pragma once
// Text for the studio's figures: simulated clock times, money and rates, formatted the same way
// on every page. Pure functions; any thread.

#include <QString>

#include <utility>

namespace capsim::studio {

// A simulated time as "hh:mm:ss" (or "hh:mm" without seconds); runs longer than a day
// (spanSeconds > 86400) prefix the day: "2d 07:15:00" (capsim::formatClock, clockFormatForSpan).
QString formatClock(double seconds, double spanSeconds, bool withSeconds = true);

// A length of simulated time in words: "20 min", "1 h 30 min", "24 h", "30 days".
QString formatDuration(double seconds);

// An amount of money: "$12.34" for USD, "12.34 EUR" otherwise; amounts below 1 keep four
// decimals so small runs still show their cost.
QString formatMoney(double amount, const QString& currency);

// A number with grouped thousands and at most `decimals` decimals (trailing zeros dropped).
QString formatNumber(double value, int decimals = 2);

// The unit a byte axis uses for values up to `maxBytes` (decimal: KB = 1,000): its divisor and name.
std::pair<double, QString> byteAxisUnit(double maxBytes);

// A money axis's label format (QValueAxis::setLabelFormat) for a range of `span`: "$%.2f", more
// decimals for small spans, "%.2f EUR" for other currencies.
QString moneyAxisFormat(const QString& currency, double span = 1.0);

} // namespace capsim::studio
