#pragma once
// Global tables' model defaults (reference A11, Part C 12): replication latency lognormal with a
// 1 s median and sigma 0.4, catch-up after an outage at 5,000 changes/s per destination, a new
// replica CREATING at least 30 s, a deleted one DELETING 120 s.

#include "engine/table.h"

#include <cstdint>

namespace capsim {

inline constexpr EngineTime kReplicationLatencyMedian = 1 * kMicrosPerSecond; // model.replicationLatency
inline constexpr double kReplicationLatencySigma = 0.4;
inline constexpr std::uint64_t kReplicationSeed = 0x5eed'61'0b'a1ULL;
inline constexpr double kReplicationCatchUpRate = 5000.0; // model.replicationCatchUpRate
inline constexpr EngineTime kReplicaCreateMinimum = 30 * kMicrosPerSecond; // model.replicaCreateMinSeconds
inline constexpr EngineTime kReplicaDeleteDuration = 120 * kMicrosPerSecond; // model.replicaDeleteSeconds
inline constexpr const char* kGlobalTableVersion = "2019.11.21";
inline constexpr std::int64_t kGlobalTableStorageOverheadBytes = 148; // per item in a replica (A1)

} // namespace capsim
