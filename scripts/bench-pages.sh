#!/usr/bin/env bash
# Page-serving benchmark (issue 18): what the release server serves per
# second, page by page, as a browser asks (Accept: text/html,
# Accept-Encoding: gzip, deflate, br, zstd), beside the machine's own
# ceilings measured in the same run: a static file (/robots.txt) and a
# handler that asks the database (/health). Each page's rate is printed as a
# share of /health's, so figures from this noisy 2-core machine read as
# ratios.
#
# For each catalogue size (the seed plus N synthetic resources):
#   * cached:   the page cache on (the default), the same URL again and again
#               (a repeat view: served from memory);
#   * uncached: the page cache off (BLI_PAGE_CACHE_MB=0): every request
#               renders and compresses the page as a first view does (the
#               cache's layer and level, brotli 2 with a fitted window; only
#               keeping it is skipped);
#   * first view alone: one connection, cache off: the latency one visitor
#               sees when nobody asked for that page before;
#   * memory: the server's RSS before and after filling the cache with
#               thousands of distinct resource pages (the cache is bounded).
#
# Issue 30's goals: an uncached /ressurser, search and resource page at
# >= 25 % of /health, and a first view's p99 <= 20 ms under 16 connections
# at 10,000 resources. The last section prints the server's RSS at each
# of RSS_SIZES (a server started, every page type asked for once).
#
#   scripts/bench-pages.sh                     # the seed alone and 10,000
#   SIZES=10000 DURATION=5s scripts/bench-pages.sh
#   NO_BUILD=1 scripts/bench-pages.sh          # use the existing release build
#   BIN=path/to/old/bli-involvert NO_BUILD=1 scripts/bench-pages.sh   # another build
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${NO_BUILD:-} ]]; then
  scripts/setup.sh >/dev/null
  scripts/build.sh >/dev/null
fi
bin=${BIN:-target/release/bli-involvert}
sizes=${SIZES:-"0 10000"}
rss_sizes=${RSS_SIZES:-"10000 100000"}
duration=${DURATION:-8s}
connections=${CONNECTIONS:-16}
port=${BENCH_PORT:-3391}
work=$(mktemp -d)
server=
stop_server() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=
}
trap 'stop_server; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"

start_server() { # DB [VAR=value ...]
  local db=$1
  shift
  env BLI_LOG=warn BLI_STATS=on BLI_LINK_CHECK_INTERVAL=off "$@" $bin --database "$db" --addr "127.0.0.1:$port" serve >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "$base/health" >/dev/null 2>&1 && return; sleep 0.2; done
  cat "$work/server.log"; echo "the server did not start" >&2; exit 1
}

# wrk on one path (or a file of paths); prints "req/s p99_ms".
measure() { # CONNECTIONS DURATION PATH...
  local c=$1 d=$2
  shift 2
  printf '%s\n' "$@" >"$work/paths"
  local threads=2
  ((c >= 2)) || threads=1
  PATHS="$work/paths" wrk -t"$threads" -c"$c" -d"$d" --latency -s bench/paths.lua "$base" >"$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then
    echo "non-2xx answers for $*:" >&2; cat "$work/wrk.out" >&2; exit 1
  fi
  local rate p99
  rate=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.1f", v}' "$work/wrk.out")
  echo "$rate $p99"
}

pages=(
  "/"
  "/ressurser"
  "/ressurser?nivaa=tjeneste&malgruppe=kommunale-tjenester"
  "/ressurser?q=brukermedvirkning"
  "/ressurser/brukerinvolvering-i-tjenesteutvikling"
  "/organisasjoner/a-larm"
)

generate() { # N: the seed plus N synthetic resources, once per run
  local db="$work/bench-$1.db"
  [[ -f $db ]] || $bin --database "$db" bench-generate --resources "$1" >/dev/null
  echo "$db"
}

for n in $sizes; do
  db=$(generate "$n")
  echo
  echo "== $n synthetic resources plus the seed: wrk -t2 -c$connections -d$duration, a browser's Accept-Encoding =="
  for mode in cached uncached; do
    if [[ $mode == cached ]]; then start_server "$db"; else start_server "$db" BLI_PAGE_CACHE_MB=0; fi
    for p in /robots.txt /health "${pages[@]}"; do measure 8 1s "$p" >/dev/null; done # warm-up
    read -r health_rate health_p99 < <(measure "$connections" "$duration" /health)
    printf '%-58s %9s %8s %9s\n' "path ($mode)" "req/s" "p99 ms" "of /health"
    read -r rate p99 < <(measure "$connections" "$duration" /robots.txt)
    printf '%-58s %9d %8s %8d%%\n' "/robots.txt (a static file)" "$rate" "$p99" $((rate * 100 / health_rate))
    printf '%-58s %9d %8s %8d%%\n' "/health (asks the database)" "$health_rate" "$health_p99" 100
    for p in "${pages[@]}"; do
      read -r rate p99 < <(measure "$connections" "$duration" "$p")
      printf '%-58s %9d %8s %8d%%\n' "$p" "$rate" "$p99" $((rate * 100 / health_rate))
    done
    if [[ $mode == uncached ]]; then
      echo "-- a first view alone (one connection, nothing cached): p99 per page"
      for p in "${pages[@]}"; do
        read -r rate p99 < <(measure 1 3s "$p")
        printf '%-58s %9d %8s\n' "$p" "$rate" "$p99"
      done
    elif ((n >= 6000)); then
      echo "-- memory: the server's RSS, then after filling the cache with 6,000 distinct resource pages"
      rss() { awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status"; }
      before=$(rss)
      seq 0 5999 | sed 's|^|/ressurser/syntetisk-|' >"$work/many"
      mapfile -t many <"$work/many"
      measure 8 20s "${many[@]}" >/dev/null
      echo "RSS $before before, $(rss) after (the cache holds at most BLI_PAGE_CACHE_MB, default 64 MiB)"
    fi
    stop_server
  done
done

echo
echo "== memory: the server's RSS with every page type asked for once (cache on) =="
for n in $rss_sizes; do
  db=$(generate "$n")
  start_server "$db"
  for p in "${pages[@]}"; do curl -fs -o /dev/null -H 'Accept-Encoding: br' "$base$p"; done
  awk -v n="$n" '/VmRSS/ {printf "%7d resources: RSS %.0f MB\n", n, $2 / 1024}' "/proc/$server/status"
  stop_server
done
