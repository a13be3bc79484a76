#!/usr/bin/env bash
# Catalogue benchmark (issue 3): synthetic catalogues of 10,000 and 100,000
# resources; in-process query latency for a mix of filter and search queries;
# then the release server's catalogue page under wrk -c64.
#
#   scripts/bench-catalogue.sh            # both sizes
#   SIZES="10000" scripts/bench-catalogue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
bin=target/release/bli-involvert
sizes=${SIZES:-"10000 100000"}
duration=${DURATION:-15s}
port=${BENCH_PORT:-3390}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=

for n in $sizes; do
  db="$work/bench-$n.db"
  echo "== $n synthetic resources (plus the seed content) =="
  $bin --database "$db" bench-generate --resources "$n"
  echo "-- in-process query latency (50 rounds of 12 queries)"
  $bin --database "$db" bench-queries --rounds 50
  echo "-- release server, wrk -t2 -c64 -d$duration, mix of 10 catalogue views"
  BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off $bin --database "$db" --addr "127.0.0.1:$port" serve &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c64 -d5s -s bench/catalogue-mix.lua "http://127.0.0.1:$port" >/dev/null # warm-up
  wrk -t2 -c64 -d"$duration" --latency -s bench/catalogue-mix.lua "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|Latency  |^ +(50|90|99)%|Non-2xx|Socket errors"
  rss=$(awk '/VmRSS/ {print $2 / 1024 " MB"}' "/proc/$server/status")
  echo "server RSS after the run: $rss"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
done
