#pragma once
// Time to Live (reference A6, facts in part C 7): the model's defaults, the requests and answers
// of UpdateTimeToLive and DescribeTimeToLive, and the pure rules of expiry: which items are
// eligible, and when each is deleted (the seeded SHA-256 lognormal delay). The engine's TTL
// state and schedule live in engine/ttl_engine.cpp and engine/sqlite/ttl_schedule.*. Pure
// functions and value types; thread-agnostic.

#include "engine/attribute_value.h"
#include "engine/table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace capsim {

// model.ttlCooldown: one accepted UpdateTimeToLive per table per hour (reference A6, C 7).
inline constexpr EngineTime kTtlCooldown = kMicrosPerHour;
// model.ttlStatusDelay: how long ENABLING and DISABLING last (reference A6: 0 s).
inline constexpr EngineTime kTtlStatusDelay = 0;
// Items whose TTL value is more than 5 x 365 days in the past never expire (reference A6, C 7).
inline constexpr std::int64_t kTtlMaxAgeSeconds = 157'680'000;
// The delay model's seed in `capsim call` and `serve` (reference A6; the simulator uses its
// scenario's seed).
inline constexpr std::uint64_t kTtlCallSeed = 1;

// model.ttlDelay (reference A6): delay = min(cap, max(min, floor(median * exp(sigma * z))))
// seconds, z = Phi^-1(u) for the item's hash u; by default lognormal(2 h, 1.0) capped at 48 h.
struct TtlDelayModel {
    double medianSeconds = 7200.0;
    double sigma = 1.0;
    std::int64_t minSeconds = 1;
    std::int64_t capSeconds = 172'800;
};

// UpdateTimeToLive's TimeToLiveSpecification, echoed in its answer.
struct TimeToLiveSpecification {
    bool enabled = false;
    std::string attributeName;
};

// DescribeTimeToLive's TimeToLiveDescription: ENABLING, ENABLED, DISABLING or DISABLED; no
// attribute name once DISABLED (reference A6).
struct TimeToLiveDescription {
    std::string status;
    std::optional<std::string> attributeName;
};

// A table's TTL figures for the simulator's summary (reference A6 "Summary"): items that
// reached max(v, tEnabled), items deleted, and the mean of d - max(v, tEnabled) over the deleted.
struct TtlCounters {
    std::int64_t expired = 0;
    std::int64_t deleted = 0;
    double meanDelaySeconds = 0.0;
};

// The status DescribeTimeToLive reports for `ttl` at `now`.
TimeToLiveDescription describeTimeToLiveState(const TimeToLiveState& ttl, EngineTime now);

// The item's key as the delay hash reads it: compact DynamoDB JSON, attribute names in UTF-8
// byte order ({"pk":{"S":"a"},"sk":{"N":"1"}}).
std::string ttlKeyText(const Item& key);

// u of reference A6: the first 8 bytes of SHA-256(seed || table || 0x00 || key || 0x00 || v),
// big-endian, over 2^64; the seed as its decimal digits, v as its canonical N text.
double ttlHashFraction(std::uint64_t seed, std::string_view tableName, std::string_view keyText,
    std::string_view ttlValueText);
// The item's deletion delay in whole seconds for the hash fraction `u` (reference A6).
std::int64_t ttlDelaySeconds(double u, const TtlDelayModel& model);

// v in microseconds, rounded down (so it compares with whole microseconds as v does: v < t,
// v >= t - 5 years); none for values the clock cannot reach (|v| >= 10^12 s): they never expire.
std::optional<EngineTime> ttlValueMicros(const Number& v);

// When one item expires and is deleted (reference A6), for a TTL value v (microseconds, from
// ttlValueMicros), TTL enabled at `enabledAt`, the item's last write at `writtenAt` and its
// delay. d = max(v, tEnabled) + delay, but no earlier than the write that gave the item its
// value (capsim's reading: a deletion cannot precede the item's own change, so an item written
// already past its d goes at the next background step). The item counts as expired at
// max(v, tEnabled, writtenAt) if eligible then (v no more than 5 years old); it is deleted at d
// only if still eligible then. None when it is never eligible.
struct TtlDeadline {
    EngineTime expiresAt = 0; // when it counts as expired
    EngineTime due = 0; // d
    bool deletes = false; // still eligible at d
    EngineTime delay = 0; // d - max(v, tEnabled), for the summary's mean
};
std::optional<TtlDeadline> ttlDeadline(EngineTime valueMicros, EngineTime enabledAt, EngineTime writtenAt,
    std::int64_t delaySeconds);

} // namespace capsim
