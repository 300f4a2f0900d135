#!/usr/bin/env bash
# The AWS SDK for JavaScript v3 against `capsim serve` (session.mjs), with the packages pinned in
# package.json / package-lock.json, installed by `npm ci` in this folder (scripts/quickstart.sh
# test does it). Usage: run.sh CAPSIM. Exit 77 (skipped) when Node.js or the packages are
# missing, unless CAPSIM_REQUIRE_CLIENTS=1: then that fails.
set -euo pipefail
capsim=${1:?usage: run.sh CAPSIM}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
missing=""
command -v node > /dev/null || missing="Node.js (node)"
[[ -n $missing || -d $here/node_modules/@aws-sdk/client-dynamodb ]] || missing="the SDK packages (npm ci in $here)"
if [[ -n $missing ]]; then
    echo "js/run.sh: $missing not installed; skipped"
    [[ ${CAPSIM_REQUIRE_CLIENTS:-0} == 1 ]] && exit 1
    exit 77
fi
exec node "$here/session.mjs" "$capsim"
