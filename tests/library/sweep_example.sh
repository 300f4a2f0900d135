#!/usr/bin/env bash
# The library sweep (resources/sweeps/orders-day-write-capacity.sh) stays runnable: its --vary
# paths and values are valid for the default scenario and give the 20 points the README's chart
# (docs/sweeps/orders-day-write-capacity.png, committed) shows.
#   tests/library/sweep_example.sh CAPSIM SOURCE_DIR
set -euo pipefail
capsim=$1
src=$2
points=$(CAPSIM=$capsim bash "$src/resources/sweeps/orders-day-write-capacity.sh" /nonexistent --list | tail -n +2 | wc -l)
[[ $points == 20 ]] || { echo "sweep_example: $points points, expected 20" >&2; exit 1; }
chart=$src/docs/sweeps/orders-day-write-capacity.png
[[ $(head -c 8 "$chart" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || { echo "sweep_example: $chart is not a PNG" >&2; exit 1; }
grep -q 'docs/sweeps/orders-day-write-capacity.png' "$src/README.md" || { echo "sweep_example: the README does not show the chart" >&2; exit 1; }
echo "sweep_example: 20 points, chart committed and shown"
