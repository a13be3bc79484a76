#!/usr/bin/env bash
# Search benchmark (issue 19): synthetic catalogues of 10,000 and 100,000
# resources (plus the seed content); in-process search latency, uncached and
# cached, for a mix of searches as visitors type them (typos, missing æøå,
# nynorsk, law references, long queries). Goal: uncached p99 ≤ 25 ms at
# 100,000.
#
#   scripts/bench-search.sh                 # both sizes
#   SIZES="10000" ROUNDS=10 scripts/bench-search.sh
#   NO_BUILD=1 BIN=path/to/bli-involvert scripts/bench-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release -p server --bin bli-involvert >/dev/null
fi
bin=${BIN:-target/release/bli-involvert}
sizes=${SIZES:-"10000 100000"}
rounds=${ROUNDS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in $sizes; do
  db="$work/bench-$n.db"
  echo "== $n synthetic resources (plus the seed content) =="
  $bin --database "$db" bench-generate --resources "$n" >/dev/null
  $bin --database "$db" bench-search --rounds "$rounds"
done
