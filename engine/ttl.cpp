#include "engine/ttl.h"

#include "engine/exchange/digests.h"
#include "engine/json_codec.h"

#include <boost/json/serialize.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace capsim {

namespace {

// |v| beyond this (about 31,700 years from 1970) cannot be reached by the engine's clock.
constexpr std::int64_t kTtlReachableSeconds = 1'000'000'000'000;

} // namespace

TimeToLiveDescription describeTimeToLiveState(const TimeToLiveState& ttl, EngineTime now)
{
    TimeToLiveDescription d;
    if (ttl.enabled) {
        d.status = now < ttl.statusAt ? "ENABLING" : "ENABLED";
        d.attributeName = ttl.attributeName;
    } else if (!ttl.attributeName.empty() && now < ttl.statusAt) {
        d.status = "DISABLING";
        d.attributeName = ttl.attributeName;
    } else {
        d.status = "DISABLED";
    }
    return d;
}

std::string ttlKeyText(const Item& key)
{
    // Item is a std::map ordered by std::string, whose comparison is bytewise (unsigned), so
    // the names come out in UTF-8 byte order.
    return boost::json::serialize(itemToJson(key));
}

double ttlHashFraction(
    std::uint64_t seed, std::string_view tableName, std::string_view keyText, std::string_view ttlValueText)
{
    std::string input = std::to_string(seed);
    input += tableName;
    input.push_back('\0');
    input += keyText;
    input.push_back('\0');
    input += ttlValueText;
    const std::string digest = exchange::sha256Digest(input);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | static_cast<unsigned char>(digest[static_cast<std::size_t>(i)]);
    // Exact: converting to double rounds once, and dividing by 2^64 is exact.
    return static_cast<double>(bits) / 18446744073709551616.0;
}

std::int64_t ttlDelaySeconds(double u, const TtlDelayModel& model)
{
    // Phi^-1(0) is -infinity and Phi^-1(1) +infinity: the floor and the cap (reference A6).
    if (u <= 0.0)
        return model.minSeconds;
    if (u >= 1.0)
        return model.capSeconds;
    const double z = boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), u);
    const double seconds = std::floor(model.medianSeconds * std::exp(model.sigma * z));
    if (!(seconds < static_cast<double>(model.capSeconds)))
        return model.capSeconds;
    return std::max(model.minSeconds, static_cast<std::int64_t>(seconds));
}

std::optional<EngineTime> ttlValueMicros(const Number& v)
{
    // Number has no multiplication: read the canonical text, plain for |v| < 10^12 unless the
    // value is so small that it is scientific (then it rounds down to 0, or to -1 us).
    if (v >= Number::fromInt(kTtlReachableSeconds) || v <= Number::fromInt(-kTtlReachableSeconds))
        return std::nullopt;
    const std::string text = v.toString();
    const bool negative = v.isNegative();
    if (text.find('E') != std::string::npos)
        return negative ? -1 : 0;
    const std::size_t start = negative ? 1 : 0;
    const std::size_t dot = text.find('.');
    const std::string whole = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    EngineTime micros = std::stoll(whole) * kMicrosPerSecond;
    const std::string firstSix = (fraction + "000000").substr(0, 6);
    micros += std::stoll(firstSix);
    const bool inexact = fraction.size() > 6 && fraction.find_first_not_of('0', 6) != std::string::npos;
    return negative ? -micros - (inexact ? 1 : 0) : micros;
}

std::optional<TtlDeadline> ttlDeadline(
    EngineTime valueMicros, EngineTime enabledAt, EngineTime writtenAt, std::int64_t delaySeconds)
{
    const EngineTime maxAge = kTtlMaxAgeSeconds * kMicrosPerSecond;
    const EngineTime reached = std::max(valueMicros, enabledAt);
    TtlDeadline deadline;
    deadline.expiresAt = std::max(reached, writtenAt);
    // Eligible at t only while v >= t - 5 years (reference A6); v rounded down compares exactly
    // with a whole-microsecond bound.
    if (valueMicros < deadline.expiresAt - maxAge)
        return std::nullopt;
    deadline.due = std::max(reached + delaySeconds * kMicrosPerSecond, writtenAt);
    deadline.deletes = valueMicros >= deadline.due - maxAge;
    deadline.delay = deadline.due - reached;
    return deadline;
}

} // namespace capsim
