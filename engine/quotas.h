#pragma once
// DynamoDB's account and table quotas the control plane enforces (reference A4, C 2.5), each
// written once here. The control plane (engine/control_plane.cpp) checks them; the scenario
// loader refuses scenarios that break them.

#include <cstddef>
#include <cstdint>

namespace capsim {

// Provisioned throughput: per table (and per GSI) and per account, in units of each kind.
inline constexpr std::int64_t kTableQuotaUnits = 40000;
inline constexpr std::int64_t kAccountQuotaUnits = 80000;

// Throughput decreases: a bucket of 4 refilled by one per hour (reference A4).
inline constexpr int kDecreaseBudget = 4;
// Switches to on-demand in a rolling 24 hours, and table-class changes in a trailing 30 days.
inline constexpr int kPayPerRequestSwitchesPerDay = 4;
inline constexpr int kTableClassChangesPer30Days = 2;

// Secondary indexes (reference C 2.5).
inline constexpr std::size_t kMaxGlobalSecondaryIndexes = 20;
inline constexpr std::size_t kMaxLocalSecondaryIndexes = 5;
inline constexpr std::size_t kMaxProjectedAttributes = 100;
inline constexpr std::int64_t kItemCollectionMaxBytes = 10LL * 1024 * 1024 * 1024;

// Tags of one resource (TagResource): count, key and value lengths in characters; keys starting
// "aws:" are AWS's own.
inline constexpr std::size_t kMaxTagsPerResource = 50;
inline constexpr std::size_t kMaxTagKeyLength = 128;
inline constexpr std::size_t kMaxTagValueLength = 256;

} // namespace capsim
