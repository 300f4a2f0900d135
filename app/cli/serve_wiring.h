#pragma once
// What `capsim serve` runs around every request, shared with `capsim bench server` so that the
// benchmark measures the server as users run it.

#include "app/server/auth/access_control.h"
#include "app/server/dynamodb_endpoint.h"
#include "simulator/live_capacity.h"

#include <memory>
#include <optional>

namespace capsim::cli {

// Installs on `endpoint`: SigV4 verification and IAM policies against `access` (none: --no-auth),
// and live admission and charging on the wall clock by a LiveCapacity whose delays pass
// `speed` times faster (--speed). Returns that LiveCapacity (its per-second metrics).
std::shared_ptr<LiveCapacity> wireServeEndpoint(
    server::DynamoDbEndpoint& endpoint, const std::optional<server::AccessControl>& access, double speed);

} // namespace capsim::cli
