#!/usr/bin/env bash
# Checks capsim's layering rules (STYLE.md "Layout and targets"):
#   - nothing under engine/, workloads/, simulator/ includes a Qt header or anything from app/;
#   - only engine/sqlite/ (and tests/bench/) includes sqlite3.h;
#   - the item store's item-writing functions (ItemStore::put, ItemStore::erase) are called only
#     from engine/write_path.cpp, the engine's one write path (DESIGN.md "Engine principles").
# Usage: check_layering.sh REPO_ROOT     exit 0 when clean, 1 listing offending lines
#        check_layering.sh --self-test   proves the check catches each kind of violation
set -euo pipefail

# Qt headers: <QString>, "QObject", <QtCore/QDateTime>, <QtConcurrent>.
readonly kQtInclude='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](Q[A-Za-z0-9_]*|Qt[A-Za-z0-9_]*/[^>"]*)[>"]'
readonly kAppInclude='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](\./)?app/'
# A call of ItemStore::put or ::erase through the engine's store (m_store->put(...), store.erase(...)).
readonly kItemWrite='(m_store|store|itemStore)[[:space:]]*(->|\.)[[:space:]]*(put|erase)[[:space:]]*\('
readonly kSqliteInclude='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]sqlite3\.h[>"]'

# Prints "path:line: text" for every match of pattern in C++ files under the given directories.
grep_includes()
{
    local pattern=$1
    shift
    local dirs=()
    local dir
    for dir in "$@"; do
        [[ -d $dir ]] && dirs+=("$dir")
    done
    ((${#dirs[@]} > 0)) || return 0
    grep -rnE --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' --include='*.cxx' \
        "$pattern" "${dirs[@]}" || true
}

check()
{
    local root=$1
    if [[ ! -d $root ]]; then
        echo "check_layering: $root is not a directory" >&2
        return 2
    fi
    cd "$root"
    local core=(engine workloads simulator)
    local qt app sqlite writes
    qt=$(grep_includes "$kQtInclude" "${core[@]}")
    app=$(grep_includes "$kAppInclude" "${core[@]}")
    # Every top-level directory except build trees; engine/sqlite/ and tests/bench/ are allowed.
    local tops=()
    local dir
    for dir in */; do
        dir=${dir%/}
        [[ $dir == build* || $dir == .* ]] && continue
        tops+=("$dir")
    done
    sqlite=$(grep_includes "$kSqliteInclude" "${tops[@]}" | grep -vE '^(engine/sqlite|tests/bench)/' || true)
    writes=$(grep_includes "$kItemWrite" engine workloads simulator app | grep -vE '^(engine/sqlite/|engine/write_path\.cpp:)' || true)

    local failed=0
    if [[ -n $qt ]]; then
        echo "Qt headers included below app/ (engine, workloads and simulator must stay Qt-free):"
        echo "$qt"
        failed=1
    fi
    if [[ -n $app ]]; then
        echo "app/ headers included from engine, workloads or simulator:"
        echo "$app"
        failed=1
    fi
    if [[ -n $sqlite ]]; then
        echo "sqlite3.h included outside engine/sqlite/:"
        echo "$sqlite"
        failed=1
    fi
    if [[ -n $writes ]]; then
        echo "items written outside engine/write_path.cpp (every item change goes through Engine::applyWrite):"
        echo "$writes"
        failed=1
    fi
    if ((failed == 0)); then
        echo "layering ok: $root"
    fi
    return $failed
}

# Builds fake trees, one clean and one per violation, and checks the verdict on each.
self_test()
{
    # Global, not local: the EXIT trap runs after this function has returned.
    tmp=$(mktemp -d)
    trap 'rm -rf "${tmp:-}"' EXIT
    local failures=0

    make_clean_tree()
    {
        local root=$1
        mkdir -p "$root/engine/sqlite" "$root/workloads" "$root/simulator" "$root/app/studio" "$root/tests/bench"
        printf '#include "engine/status.h"\n#include <string>\n' >"$root/engine/item.cpp"
        printf '#include <sqlite3.h>\n' >"$root/engine/sqlite/handle.cpp"
        printf '#include <QString>\n#include "sqlite3.h"\n' >"$root/tests/bench/bench_sqlite.cpp"
        printf '#include <QWidget>\n#include <QtCharts/QChart>\n' >"$root/app/studio/window.cpp"
        printf '// #include <QString> is only mentioned in a comment\n' >"$root/simulator/clock.h"
        printf '#include "workloads/rate.h"\n' >"$root/workloads/rate.cpp"
        printf 'Status s = m_store->put(id, key, size, blob);\ns = m_store->erase(id, key);\n' >"$root/engine/write_path.cpp"
        printf 'm_tables.erase(name);\nbatch.put(1);\n' >"$root/engine/control_plane.cpp"
    }

    expect()
    {
        local name=$1 want=$2 file=$3 text=$4
        local root="$tmp/$name"
        make_clean_tree "$root"
        if [[ -n $file ]]; then
            mkdir -p "$(dirname "$root/$file")"
            printf '%s\n' "$text" >>"$root/$file"
        fi
        local got=0
        (check "$root") >"$tmp/$name.log" 2>&1 || got=$?
        if [[ $got -ne $want ]]; then
            echo "self-test FAILED: $name: expected exit $want, got $got"
            sed 's/^/    /' "$tmp/$name.log"
            failures=$((failures + 1))
        else
            echo "self-test ok: $name (exit $got)"
        fi
    }

    expect clean 0 "" ""
    expect qt-angle 1 engine/item.cpp '#include <QString>'
    expect qt-quoted 1 workloads/rate.h '#include "QObject"'
    expect qt-module-path 1 simulator/clock.cpp '#include <QtCore/QDateTime>'
    expect qt-spaced 1 engine/number.h '  #  include <QtConcurrent>'
    expect app-include 1 simulator/run.cpp '#include "app/cli/main.h"'
    expect sqlite-in-engine 1 engine/storage.cpp '#include <sqlite3.h>'
    expect sqlite-quoted-in-simulator 1 simulator/results.h '#include "sqlite3.h"'
    expect sqlite-in-app 1 app/studio/model.cpp '#include <sqlite3.h>'
    expect sqlite-in-tests 1 tests/engine/tst_storage.cpp '#include <sqlite3.h>'
    expect item-put-outside-write-path 1 engine/reads.cpp 'CAPSIM_RETURN_IF_ERROR(m_store->put(id, key, size, blob));'
    expect item-erase-outside-write-path 1 engine/index_entries.cpp 'Status s = m_store -> erase(index.id, key);'
    expect item-write-in-simulator 1 simulator/loader.cpp 'store.put(id, key, 0, blob);'

    if ((failures > 0)); then
        echo "self-test: $failures case(s) failed"
        return 1
    fi
    echo "self-test: all cases detected"
    return 0
}

case "${1:-}" in
--self-test) self_test ;;
"" | -h | --help)
    echo "usage: $0 REPO_ROOT | --self-test" >&2
    exit 2
    ;;
*) check "$1" ;;
esac
