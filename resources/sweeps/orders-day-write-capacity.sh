#!/usr/bin/env bash
# Library sweep: the default scenario (resources/default-scenario.json, one day of an Orders table
# with auto scaling, diurnal traffic and a flash sale at 19:00) over its initial provisioned write
# capacity and its write auto-scaling target: 5 x 4 = 20 runs. The advisor answers the planner's
# question: the cheapest setting with no failed request and at most 0.1 % of requests throttled.
#
#   resources/sweeps/orders-day-write-capacity.sh [OUT] [capsim sweep options...]
#   (CAPSIM=path/to/capsim, default build/capsim of this checkout; OUT default
#   capsim-out/orders-day-write-capacity in the current folder)
#
# The chart is docs/sweeps/orders-day-write-capacity.png (README, "The scenario library").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
capsim=${CAPSIM:-$root/build/capsim}
out=${1:-capsim-out/orders-day-write-capacity}
shift $(($# > 0 ? 1 : 0))
exec "$capsim" sweep "$root/resources/default-scenario.json" \
    --vary 'tables[0].provisioned.write=10,20,40,80,160' \
    --vary 'tables[0].autoScaling.write.target=30,50,70,90' \
    --minimize cost --subject-to 'failed=0,throttled<=0.1%' \
    --out "$out" "$@"
