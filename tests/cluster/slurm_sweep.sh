#!/usr/bin/env bash
# The Slurm array job of resources/cluster/ for real (issue 13): installs slurm-wlm and munge when
# missing, starts a one-node cluster on this machine (tests/cluster/slurm_cluster.sh), submits a
# small sweep as an array job of 3 shards plus the merge step, waits, and compares the merged
# sweep.csv with the same sweep run locally: they must be identical. Prints both wall times.
#
#   tests/cluster/slurm_sweep.sh CAPSIM SOURCE_DIR
set -euo pipefail
capsim=$1
src=$2
source "$src/tests/cluster/slurm_cluster.sh"

fail()
{
    echo "slurm_sweep: FAIL: $*" >&2
    exit 1
}

slurm_cluster_install || fail "slurm-wlm and munge are missing and could not be installed (apt-get, as root or through sudo)"
work=$(mktemp -d "${TMPDIR:-/tmp}/capsim-cluster.XXXXXX")
cleanup()
{
    slurm_cluster_stop
    rm -rf "$work"
}
trap cleanup EXIT

# A provisioned table written at 8/s for 3 minutes, with write bursts: small capacities throttle.
cat > "$work/scenario.json" <<'JSON'
{"format": "capsim-scenario/1", "name": "cluster-sweep", "duration": "3m", "seed": 7,
 "tables": [{"name": "Events", "partitionKey": {"name": "id", "type": "S"}, "billingMode": "PROVISIONED",
             "provisioned": {"read": 5, "write": 5}}],
 "workloads": [{"name": "w", "table": "Events",
                "rate": {"type": "sum", "of": [{"type": "constant", "rate": 6},
                                                {"type": "spike", "base": 0, "peak": 30, "at": "60s", "duration": "60s"}]},
                "operations": {"PutItem": 0.7, "GetItem": 0.3},
                "keys": {"type": "uniform", "cardinality": 1000}, "itemSize": {"type": "fixed", "size": "1500B"}}]}
JSON
vary=(--vary 'tables[0].provisioned.write=2,5,10,20' --vary 'tables[0].provisioned.read=1,5')
points=8
shards=3

start=$EPOCHREALTIME
"$capsim" sweep "$work/scenario.json" "${vary[@]}" --out "$work/local" --quiet --minimize cost --subject-to 'failed=0' \
    > "$work/local-advice.txt" || fail "the local sweep failed"
local_seconds=$(awk "BEGIN { print $EPOCHREALTIME - $start }")

slurm_cluster_start "$work/cluster" || fail "the one-node Slurm cluster did not start"
start=$EPOCHREALTIME
(cd "$work" && timeout 120 bash "$src/resources/cluster/slurm-sweep.sh" --shards "$shards" --out "$work/slurm" \
    --capsim "$capsim" --wait -- "$work/scenario.json" "${vary[@]}" --minimize cost --subject-to 'failed=0') \
    || { tail -n 30 "$work"/slurm/*.log "$work"/slurm/merge.out "$work"/cluster/slurmctld.log >&2 2>/dev/null; fail "the Slurm sweep failed"; }
slurm_seconds=$(awk "BEGIN { print $EPOCHREALTIME - $start }")

[[ -f $work/slurm/sweep.csv ]] || fail "the merge wrote no sweep.csv"
for ((i = 1; i <= shards; i++)); do
    grep -q "\"index\": $i" "$work/slurm/shard-$i/sweep.json" || fail "shard-$i/sweep.json is not shard $i"
done
rows=$(($(wc -l < "$work/slurm/sweep.csv") - 1))
((rows == points)) || fail "the merged sweep.csv has $rows rows, expected $points"
if ! cmp -s "$work/local/sweep.csv" "$work/slurm/sweep.csv"; then
    diff "$work/local/sweep.csv" "$work/slurm/sweep.csv" >&2 || true
    fail "the Slurm sweep.csv differs from the local one"
fi
grep -q '^advisor: lowest cost meeting failed=0' "$work/slurm/merge.out" || fail "the merge step printed no advice"
diff <(grep -v 'run folder' "$work/local-advice.txt") <(grep '^ \|^advisor' "$work/slurm/merge.out" | grep -v 'run folder') >&2 \
    || fail "the Slurm merge's advice differs from the local sweep's"

printf 'slurm_sweep: %d points, identical sweep.csv; wall time: local sweep %.1f s (%d workers), Slurm %d shards %.1f s (submit to merged, %d CPUs)\n' \
    "$points" "$local_seconds" "$(nproc)" "$shards" "$slurm_seconds" "$(nproc)"
