#pragma once
// ServeClock: the engine's clock while serving (contracts/cli.md "capsim serve" --speed): it
// starts at a given time and runs `speed` times as fast as the machine's monotonic clock, so
// it never goes backwards even if the wall clock is set back. Thread-safe (immutable).

#include "engine/engine.h"

#include <chrono>

namespace capsim::server {

class ServeClock {
public:
    // `start` is the engine time at construction (Unix epoch µs); `speed` > 0.
    ServeClock(EngineTime start, double speed);

    // start + elapsed real time × speed.
    EngineTime now() const;
    double speed() const { return m_speed; }

private:
    EngineTime m_start;
    double m_speed;
    std::chrono::steady_clock::time_point m_origin;
};

} // namespace capsim::server
