#!/usr/bin/env bash
# Runs a capsim sweep on a Slurm cluster: an array job with one task per shard
# (`capsim sweep --shard I/N`), then a merge job (`capsim merge`) that starts when every shard
# succeeded. OUT must be on a filesystem every node sees; capsim must run on every node.
#
#   resources/cluster/slurm-sweep.sh --shards N --out OUT [--capsim PATH] [--cpus-per-shard C]
#       [--wait] [--sbatch OPTION]... -- SCENARIO.json --vary PATH=V1,V2,... [--vary ...]
#       [--minimize METRIC] [--subject-to CONSTRAINTS]
#
# Shard I writes OUT/shard-I/ (its points' run folders, its sweep.json); the merge writes
# OUT/sweep.csv, OUT/sweep.png and OUT/sweep.json, and the advisor's answer (--minimize,
# --subject-to, given to the merge) to OUT/merge.out. --wait blocks until the merge ends and exits
# 0 when it succeeded, 1 otherwise. Prints the two job ids.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards=""
out=""
capsim=${CAPSIM:-capsim}
cpus=1
wait=()
sbatch_options=()

usage()
{
    sed -n '6,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while (($# > 0)); do
    case "$1" in
    --shards) shards=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --capsim) capsim=$2; shift 2 ;;
    --cpus-per-shard) cpus=$2; shift 2 ;;
    --wait) wait=(yes); shift ;;
    --sbatch) sbatch_options+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) usage ;;
    esac
done
[[ $shards =~ ^[1-9][0-9]*$ && -n $out && $# -ge 1 ]] || usage

# The advisor runs once, on the whole grid: its options go to the merge, the rest to every shard.
sweep_args=()
merge_args=()
while (($# > 0)); do
    case "$1" in
    --minimize | --subject-to) merge_args+=("$1" "$2"); shift 2 ;;
    *) sweep_args+=("$1"); shift ;;
    esac
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
capsim_path=$(command -v "$capsim" || true)
[[ -n $capsim_path ]] || { echo "slurm-sweep: capsim not found: $capsim (give --capsim PATH)" >&2; exit 2; }
capsim=$(cd "$(dirname "$capsim_path")" && pwd)/$(basename "$capsim_path")
# A bad --vary or scenario is refused here, before anything is queued.
"$capsim" sweep "${sweep_args[@]}" --list > /dev/null

array_job=$(sbatch --parsable --job-name=capsim-sweep --array="1-$shards" --cpus-per-task="$cpus" \
    --output="$out/shard-%a.log" "${sbatch_options[@]}" \
    "$here/slurm-shard.sbatch" "$capsim" "$shards" "$out" "${sweep_args[@]}")
array_job=${array_job%%;*}
echo "slurm-sweep: shards: job $array_job (array 1-$shards)"
merge_job=$(sbatch --parsable --job-name=capsim-merge --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --output="$out/merge.out" "${sbatch_options[@]}" \
    "$here/slurm-merge.sbatch" "$capsim" "$shards" "$out" "${merge_args[@]}")
merge_job=${merge_job%%;*}
echo "slurm-sweep: merge: job $merge_job (after every shard succeeds)"
((${#wait[@]} > 0)) || exit 0

# Polled every second: `sbatch --wait` backs off to 32 s between polls. A merge whose shards
# failed is cancelled (--kill-on-invalid-dep).
while true; do
    state=$(scontrol -o show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
    case "$state" in
    COMPLETED) exit 0 ;;
    PENDING | CONFIGURING | RUNNING | COMPLETING | REQUEUED | RESIZING | SUSPENDED) sleep 1 ;;
    "")
        # The record is gone (MinJobAge): the merge's own manifest says whether it finished.
        grep -q '"mergedFrom"' "$out/sweep.json" 2>/dev/null && exit 0
        echo "slurm-sweep: the merge job $merge_job ended without a merged sweep" >&2
        exit 1
        ;;
    *)
        echo "slurm-sweep: the merge job $merge_job ended $state (see $out/shard-*.log, $out/merge.out)" >&2
        exit 1
        ;;
    esac
done
