#!/usr/bin/env bash
# Builds capsim on Debian 12 and runs it or its tests.
#   bash scripts/quickstart.sh run [capsim run arguments...]
#   bash scripts/quickstart.sh test
# Installs missing build dependencies with apt-get (through sudo when not root), configures a
# Release build with Ninja in build/, and builds everything.
set -euo pipefail

# Debian 12 package names. Qt 6 Svg's development package is qt6-svg-dev (there is no libqt6svg6-dev).
PACKAGES="cmake ninja-build g++ pkg-config libsqlite3-dev zlib1g-dev libzstd-dev libssl-dev libboost1.81-dev libboost-json1.81-dev \
qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev libgl1-mesa-dev xvfb xauth \
awscli python3-boto3 python3-yaml"
# Only for the test suite: the one-node Slurm cluster of the cluster tests (tests/cluster), and
# clang with its sanitizer and libFuzzer runtimes for scripts/fuzz_suite.sh.
TEST_PACKAGES="slurm-wlm munge clang libclang-rt-14-dev"

# Upper bound for the whole test run, in seconds (each test also has a 600 s ctest timeout).
TEST_TIMEOUT_SECONDS=1800

usage()
{
    echo "usage: bash scripts/quickstart.sh run [args...] | test" >&2
    exit 2
}

install_missing_packages()
{
    local missing=()
    local package
    for package in $PACKAGES; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true) != installed ]]; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return 0

    echo "quickstart: installing ${missing[*]}"
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# The JavaScript SDK test client (tests/server/js): Node.js and npm (Debian's nodejs and npm when
# the machine has no npm at all), then the SDK packages pinned in package-lock.json.
install_js_clients()
{
    if ! command -v npm > /dev/null; then
        PACKAGES="nodejs npm" install_missing_packages
    fi
    (cd tests/server/js && npm ci --no-audit --no-fund --loglevel=error)
}

build()
{
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build build -j"$(nproc)"
}

(($# >= 1)) || usage
command=$1
shift

# Work from the repository root (this script's parent directory), whatever the caller's cwd.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "$command" in
run)
    install_missing_packages
    build
    # The main job: the built-in default scenario, headless, writing its report and charts.
    exec ./build/capsim run "$@"
    ;;
test)
    (($# == 0)) || usage
    install_missing_packages
    PACKAGES=$TEST_PACKAGES install_missing_packages
    install_js_clients
    build
    status=0
    # The real clients' tests (AWS CLI, boto3, the JavaScript SDK) fail rather than skip when
    # their client is missing.
    export CAPSIM_REQUIRE_CLIENTS=1
    timeout "$TEST_TIMEOUT_SECONDS" ctest --test-dir build --output-on-failure -LE bench -j2 --timeout 600 || status=$?
    # Hostile input: every fuzz target under ASan + UBSan for a bounded time (a separate clang
    # build in build-fuzz/).
    bash scripts/fuzz_suite.sh || status=$?
    exit "$status"
    ;;
*) usage ;;
esac
