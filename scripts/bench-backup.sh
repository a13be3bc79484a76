#!/usr/bin/env bash
# Backup benchmark (issue 8): `bli-involvert backup` on a database with
# SIZE synthetic resources (default 10,000) while the release server runs
# and wrk reads and writes in the background, then `restore` of that backup
# into a new database, and a check that the copy holds everything.
#
#   scripts/bench-backup.sh
#   SIZE=100000 scripts/bench-backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
bin=target/release/bli-involvert
size=${SIZE:-10000}
port=${BENCH_PORT:-3392}
work=$(mktemp -d)
server=; load=
trap 'kill $server $load 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/site.db"
$bin --database "$db" bench-generate --resources "$size"

BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off BLI_FEEDBACK_LIMIT=1000000 $bin --database "$db" --addr "127.0.0.1:$port" serve &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done

# Visitors read the catalogue and answer "Var denne siden nyttig?" meanwhile.
wrk -t1 -c8 -d60s "http://127.0.0.1:$port/ressurser?nivaa=tjeneste" >"$work/wrk-read.txt" &
load=$!
(for _ in $(seq 1 200); do
  curl -fs -o /dev/null -d "path=%2Fressurser&svar=ja" "http://127.0.0.1:$port/nyttig" || true
done) &
answers=$!
sleep 2
echo "backup while serving:"
$bin --database "$db" backup --to "$work/backup.db"
wait "$answers" 2>/dev/null || true
kill "$load" 2>/dev/null || true; load=
kill "$server"; wait "$server" 2>/dev/null || true; server=

echo "restore into a new database:"
$bin --database "$work/restored.db" restore --from "$work/backup.db"
for table in resource resource_facet resource_version organisation facet_value; do
  a=$(sqlite3 "$db" "SELECT count(*) FROM $table"); b=$(sqlite3 "$work/restored.db" "SELECT count(*) FROM $table")
  printf '%-18s live %8s  restored %8s\n' "$table" "$a" "$b"
  [ "$a" = "$b" ] || { echo "restored copy differs in $table" >&2; exit 1; }
done
