#include "app/server/serve_clock.h"

#include <cmath>

namespace capsim::server {

ServeClock::ServeClock(EngineTime start, double speed)
    : m_start(start)
    , m_speed(speed)
    , m_origin(std::chrono::steady_clock::now())
{
}

EngineTime ServeClock::now() const
{
    const auto elapsed
        = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - m_origin).count();
    return m_start + static_cast<EngineTime>(std::floor(static_cast<double>(elapsed) * m_speed));
}

} // namespace capsim::server
