#include "simulator/client_retries.h"

#include <algorithm>
#include <cmath>

namespace capsim {

bool clientGivesUp(const ClientSpec& client, int attempts)
{
    return attempts >= client.maxAttempts;
}

SimTime retryDelay(const ClientSpec& client, int attempts, Rng& rng)
{
    const double cap = std::min(static_cast<double>(client.maxDelay),
        static_cast<double>(client.baseDelay) * std::pow(2.0, attempts - 1));
    const auto delay = static_cast<SimTime>(std::llround(rng.uniform01() * cap));
    return std::max<SimTime>(1, delay);
}

} // namespace capsim
