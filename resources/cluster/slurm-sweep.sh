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
# with its status. Prints the two job ids.
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
    --wait) wait=(--wait); shift ;;
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
    --output="$out/merge.out" "${wait[@]}" "${sbatch_options[@]}" \
    "$here/slurm-merge.sbatch" "$capsim" "$shards" "$out" "${merge_args[@]}")
echo "slurm-sweep: merge: job ${merge_job%%;*} (after every shard succeeds)"
