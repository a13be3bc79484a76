#!/usr/bin/env bash
# Main-thread benchmark: where the browser's main thread spends its time
# while the home page, the resource list and a resource page load and
# hydrate, in Debian's headless Chromium with 4x CPU slowdown (Lighthouse's
# mobile setting). One Chrome trace and CPU profile per load; prints the
# median of RUNS loads: when the page was hydrated, the long tasks and their
# blocking time, and the time spent compiling wasm, in hydrate(), in style
# and layout, paint and HTML parsing. The figures say what to cut to lower
# Total Blocking Time (see the README's "Benchmarks").
#
# Needs the release build (scripts/build.sh) and the end-to-end tests'
# node_modules (scripts/test.sh installs them); does not build.
#
#   scripts/main-thread.sh
#   RUNS=5 CPU_SLOWDOWN=1 scripts/main-thread.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[main-thread]\033[0m %s\n' "$*" >&2; }

port=${MT_PORT:-3322}
resource=${MT_RESOURCE:-brukerinvolvering-i-tjenesteutvikling}
bin=target/release/bli-involvert
if [[ ! -x $bin || ! -d target/site/pkg ]]; then
  echo "no release build ($bin, target/site/pkg): run scripts/build.sh first" >&2
  exit 1
fi
if [[ ! -d end2end/node_modules/playwright ]]; then
  echo "no Playwright in end2end/node_modules: run scripts/test.sh (or npm ci in end2end) first" >&2
  exit 1
fi

tmp=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

log "starting the release server on 127.0.0.1:$port (database in $tmp)"
BLI_DATABASE="$tmp/mt.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_STATS=off \
  $bin serve >"$tmp/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log" >&2; echo "server exited" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "$base/health" >/dev/null

pages=(/ /ressurser "/ressurser/$resource")
for path in "${pages[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
  if [[ $code != 200 ]]; then echo "$base$path answered $code, expected 200" >&2; exit 1; fi
done
log "tracing ${RUNS:-3} loads per page"
node scripts/main-thread.mjs "$base" "${pages[@]}"
