#!/usr/bin/env bash
# Statistics overhead benchmark (issue 7): the catalogue page's throughput
# on the release server with visitor counting on and off, same database,
# wrk with a browser's user agent (wrk's own would be ignored as a bot).
# Runs alternate off/on ROUNDS times and prints each run and the medians.
#
#   scripts/bench-stats.sh
#   ROUNDS=5 DURATION=20s scripts/bench-stats.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
bin=target/release/bli-involvert
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
port=${BENCH_PORT:-3391}
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.db"
$bin --database "$db" bench-generate --resources 10000 >/dev/null
ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
url="http://127.0.0.1:$port/ressurser?nivaa=tjeneste&sort=tittel"

run() { # $1 = on|off; prints requests/sec
  BLI_STATS=$1 BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off $bin --database "$db" --addr "127.0.0.1:$port" serve &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c32 -d3s -H "User-Agent: $ua" "$url" >/dev/null # warm-up
  wrk -t2 -c32 -d"$duration" -H "User-Agent: $ua" "$url" | awk '/Requests\/sec/ {print $2}'
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

off=(); on=()
for i in $(seq 1 "$rounds"); do
  o=$(run off); n=$(run on)
  off+=("$o"); on+=("$n")
  echo "round $i: counting off $o req/s, on $n req/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${off[@]}"); mn=$(median "${on[@]}")
echo "median: off $mo req/s, on $mn req/s, difference $(awk -v a="$mo" -v b="$mn" 'BEGIN {printf "%+.1f %%", (b - a) / a * 100}')"
views=$(sqlite3 "$db" "SELECT coalesce(sum(views), 0) FROM stat_page WHERE path = '*'")
echo "page views recorded by the counting runs: $views"
