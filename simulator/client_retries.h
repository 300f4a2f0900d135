#pragma once
// The application's SDK retrying throttled requests (scenario `client`): exponential backoff with
// full jitter, capped, until maxAttempts. Pure functions; the caller owns the random stream.

#include "simulator/scenario.h"
#include "workloads/random.h"

namespace capsim {

// Whether a request throttled on its `attempts`-th attempt is given up (a failed request).
bool clientGivesUp(const ClientSpec& client, int attempts);

// The delay before the next attempt after `attempts` attempts: uniform in [0, min(maxDelay,
// baseDelay x 2^(attempts - 1))], at least 1 microsecond. Draws one number from `rng`.
SimTime retryDelay(const ClientSpec& client, int attempts, Rng& rng);

} // namespace capsim
