#!/usr/bin/env bash
# The fuzzing stage of the test suite (issue 13), run by `quickstart.sh test` after the main suite:
# the fuzz targets of tests/fuzz built with clang under AddressSanitizer + UndefinedBehaviorSanitizer
# and libFuzzer in build-fuzz/, their corpora replayed (ctest label fuzz), then each target fuzzed
# for FUZZ_SECONDS (default 30) from its seed corpus (tests/fuzz/corpus/<target>, read only: new
# inputs go to a scratch folder). Any crash, leak, sanitizer report or timeout fails the stage and
# keeps the input in build-fuzz/fuzz-findings/; the executions and coverage reached are printed.
#   bash scripts/fuzz_suite.sh                 (FUZZ_SECONDS=3600 for the hour-long run)
# Needs clang and libclang-rt-14-dev (quickstart.sh installs them for the test suite).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_TARGETS="json_codec expressions scenario dispatcher import_codecs http_sigv4"
build=build-fuzz

mkdir -p "$build"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAPSIM_FUZZ=ON \
    -DCAPSIM_SANITIZE=address,undefined,fuzzer-no-link > "$build/configure.log" 2>&1 \
    || { cat "$build/configure.log"; exit 1; }
fuzzers=()
for target in $FUZZ_TARGETS; do
    fuzzers+=("fuzz_$target")
done
cmake --build "$build" -j"$(nproc)" --target "${fuzzers[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
ctest --test-dir "$build" --output-on-failure -L fuzz || status=$?

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in $FUZZ_TARGETS; do
    mkdir -p "$scratch/$target"
    log="$scratch/$target.log"
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$FUZZ_SECONDS" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$scratch/$target-" "$scratch/$target" "tests/fuzz/corpus/$target" \
        > "$log" 2>&1; then
        status=1
        tail -n 60 "$log"
        mkdir -p "$build/fuzz-findings"
        cp "$scratch/$target"-* "$build/fuzz-findings/" 2> /dev/null || true
        echo "fuzz_suite: fuzz_$target found a failure; its input is kept in $build/fuzz-findings/"
        continue
    fi
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
    features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
    echo "fuzz_suite: fuzz_$target: ${runs:-?} executions in ${FUZZ_SECONDS} s, coverage ${coverage:-?} edges," \
        "${features:-?} features, $(ls "$scratch/$target" | wc -l) new corpus inputs, no findings"
done
exit "$status"
