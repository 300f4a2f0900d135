#!/usr/bin/env bash
# Boost.Beast against Qt HttpServer as capsim serve's transport, measured (issue 11): the same fixed
# 1 KB answer to a 1 KB POST from wrk (one wrk thread, 16 keep-alive connections, SECONDS each),
# for Beast with 1 and 2 I/O threads and for Qt HttpServer 6.4; plus whether each answers a chunked
# request body and an Expect: 100-continue request (SDKs send both). One JSON object per line.
#   bash run.sh TRANSPORT_SERVER_BINARY [SECONDS]
# Needs wrk and curl (Debian packages wrk, curl); exits 77 (skipped) when either is missing.
set -euo pipefail
binary=$1
seconds=${2:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in wrk curl; do
    command -v "$tool" > /dev/null || { echo "http_transports: $tool is not installed (apt-get install $tool)" >&2; exit 77; }
done
work=$(mktemp -d)
trap 'kill "${server:-0}" 2> /dev/null || true; rm -rf "$work"' EXIT
head -c 1000 /dev/zero | tr '\0' 'x' > "$work/body"

measure()
{
    local name=$1
    shift
    "$binary" "$@" > "$work/out" 2> "$work/err" &
    server=$!
    for _ in $(seq 100); do
        grep -q '^listening' "$work/out" 2> /dev/null && break
        sleep 0.05
    done
    local port
    port=$(awk '/^listening/ {print $2}' "$work/out")
    [[ -n $port ]] || { echo "http_transports: $name did not start: $(cat "$work/err")" >&2; exit 1; }
    local url="http://127.0.0.1:$port/"
    local chunked continued
    chunked=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Transfer-Encoding: chunked' --data-binary @"$work/body" "$url" || true)
    continued=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Expect: 100-continue' --data-binary @"$work/body" "$url" || true)
    wrk -t1 -c16 -d"${seconds}s" --latency -s "$here/post.lua" "$url" > "$work/wrk"
    kill "$server"
    wait "$server" 2> /dev/null || true
    server=
    awk -v name="$name" -v chunked="$chunked" -v continued="$continued" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx/ { bad = $NF }
        END { printf "{\"bench\":\"http_transports\",\"transport\":\"%s\",\"requestsPerSec\":%s,\"p50Ms\":%s,\"p99Ms\":%s,\"non2xx\":%d,\"chunkedBodyStatus\":\"%s\",\"expect100Status\":\"%s\"}\n", name, rps, p50, p99, bad, chunked, continued }
    ' "$work/wrk"
}

measure "beast (1 I/O thread)" beast 1
measure "beast (2 I/O threads)" beast 2
measure "qt httpserver 6.4" qt
