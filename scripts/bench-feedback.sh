#!/usr/bin/env bash
# Feedback load benchmark (issue 5), against the release build:
#  1. concurrent submissions (wrk -c64, each a finished flow) for $DURATION:
#     throughput and latency percentiles;
#  2. the same load, with the server killed by SIGKILL half-way, then
#     restarted: every submission that got a receipt must be in the database.
# The per-client rate limit is raised for the run (all load comes from one
# address); everything else is as in production.
#
#   scripts/bench-feedback.sh
#   DURATION=30s scripts/bench-feedback.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
bin=target/release/bli-involvert
duration=${DURATION:-15s}
port=${BENCH_PORT:-3391}
work=$(mktemp -d)
server=
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/feedback.db"
export BLI_LOG=warn BLI_FEEDBACK_LIMIT=1000000000

start() {
  $bin --database "$db" --addr "127.0.0.1:$port" serve >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; exit 1
}
stored() { sqlite3 "$db" "SELECT count(*) FROM feedback"; }

start
echo "== 1. throughput: wrk -t2 -c64 -d$duration, POST /tilbakemelding (send)"
RECEIPTS="$work/warm.txt" wrk -t2 -c64 -d3s -s bench/feedback-submit.lua "http://127.0.0.1:$port/tilbakemelding" >/dev/null
RECEIPTS="$work/run.txt" wrk -t2 -c64 -d"$duration" --latency -s bench/feedback-submit.lua "http://127.0.0.1:$port/tilbakemelding" \
  | grep -E "Requests/sec|Latency  |^ +(50|75|90|99)%|Non-2xx|Socket errors|acknowledged"
echo "stored in the database: $(stored)"

echo "== 2. SIGKILL half-way through a 10 s run, restart, check every receipt"
before=$(stored)
RECEIPTS="$work/killed.txt" wrk -t2 -c64 -d10s -s bench/feedback-submit.lua "http://127.0.0.1:$port/tilbakemelding" >"$work/wrk-killed.txt" 2>&1 &
load=$!
sleep 5
kill -9 "$server"; wait "$server" 2>/dev/null || true
echo "server killed (SIGKILL) at 5 s"
wait "$load" || true
grep -E "acknowledged" "$work/wrk-killed.txt"
start
acked=$(sort -u "$work/killed.txt" | grep -c . || true)
# Load the receipts into a temporary table and count those not stored.
printf '%s\n' "CREATE TEMP TABLE r(ref TEXT);" ".import $work/killed.txt r" \
  "SELECT 'receipts: ' || (SELECT count(*) FROM r) || ', missing from the database: ' || (SELECT count(*) FROM r WHERE ref NOT IN (SELECT reference FROM feedback));" \
  | sqlite3 "$db"
echo "rows stored during the killed run: $(( $(stored) - before )) (acknowledged: $acked)"
