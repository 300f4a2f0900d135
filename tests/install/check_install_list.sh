#!/usr/bin/env bash
# Checks that the packages scripts/quickstart.sh installs are enough on a fresh Debian 12 machine:
# every Debian package that owns a file CMake used (CMakeCache.txt's *_DIR config folders,
# *_LIBRARY files and *_INCLUDE_DIR folders) must be in the Depends/Pre-Depends closure of the
# quickstart's package list, because the script installs with --no-install-recommends.
#   check_install_list.sh PROJECT_CHECKOUT BUILD_DIR   prints the missing packages; exit 1 if any
#   check_install_list.sh --self-test PROJECT_CHECKOUT BUILD_DIR
#       drops libqt6opengl6-dev (the package a fresh machine once lacked: Qt6Charts needs Qt6OpenGL)
#       from a copy of the list and expects the check to name it, so the check is known to fail.
set -u

check() # quickstart.sh CMakeCache.txt
{
    local quickstart=$1 cache=$2
    local pk closure used missing="" f owner
    pk=$(sed -n '/^PACKAGES="/,/"$/p' "$quickstart" | tr -d '"\\' | sed 's/^PACKAGES=//' | tr ' ' '\n' | grep -v '^$' | sort -u)
    [ -n "$pk" ] || { echo "deps: no PACKAGES list in $quickstart"; return 1; }
    # shellcheck disable=SC2086 # one argument per package
    closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances $pk 2>/dev/null | grep -v '^ ' | grep -v '^<' | sed 's/:amd64$//' | sort -u)
    # OPENGL_glu is optional in FindOpenGL: found when present, never required. Optional finds that
    # a fresh machine lacks are NOTFOUND and skipped.
    used=$(grep -E '_DIR:PATH=/|_LIBRARY[A-Z_]*:FILEPATH=/|_INCLUDE_DIR[A-Z_]*:PATH=/' "$cache" | grep -v NOTFOUND \
        | grep -v '^OPENGL_glu' | sed 's/^[^=]*=//' | sort -u)
    for f in $used; do
        [ "$f" = /usr/include ] && continue
        # A folder is shared by several packages: ask for the config file inside it instead.
        if [ -d "$f" ]; then
            f=$(ls "$f"/*[Cc]onfig.cmake 2>/dev/null | head -n1)
            [ -n "$f" ] || continue
        fi
        owner=$(dpkg -S "$f" 2>/dev/null | head -n1 | cut -d: -f1 | cut -d, -f1)
        [ -n "$owner" ] || continue
        echo "$closure" | grep -qx "$owner" || missing="$missing $owner($f)"
    done
    if [ -n "$missing" ]; then
        echo "deps: not installed by quickstart:$missing"
        return 1
    fi
    echo "deps: every package CMake used is in quickstart's install closure ($(echo "$pk" | wc -l) listed, $(echo "$closure" | wc -l) in closure)"
}

if [ "${1:-}" = --self-test ]; then
    src=$2 build=$3
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sed 's/ libqt6opengl6-dev / /' "$src/scripts/quickstart.sh" > "$tmp/quickstart.sh"
    if grep -q libqt6opengl6-dev "$tmp/quickstart.sh"; then echo "self-test: could not drop libqt6opengl6-dev"; exit 1; fi
    out=$(check "$tmp/quickstart.sh" "$build/CMakeCache.txt") && { echo "self-test: check passed without libqt6opengl6-dev: $out"; exit 1; }
    echo "$out" | grep -q 'libqt6opengl6-dev(' || { echo "self-test: check did not name libqt6opengl6-dev: $out"; exit 1; }
    echo "self-test: the check names the dropped package: $out"
    exit 0
fi
check "$1/scripts/quickstart.sh" "$2/CMakeCache.txt"
