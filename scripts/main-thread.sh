#!/usr/bin/env bash
# Main-thread benchmark: where the browser's main thread spends its time
# while the home page, the resource list and a resource page load and
# hydrate, in Debian's headless Chromium with 4x CPU slowdown (Lighthouse's
# mobile setting). One Chrome trace and CPU profile per load; prints the
# median of RUNS loads: when the page was hydrated (the navigator), when its
# islands were (the visitors' bundle, where the page has any), the long tasks and their
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

source scripts/release-server.sh
log "starting the release server on 127.0.0.1:$port (database in $tmp)"
start_release_server "$port" BLI_STATS=off
pages=(/ /ressurser "/ressurser/$resource" /tilbakemelding)
check_pages "${pages[@]}"
log "tracing ${RUNS:-3} loads per page"
node scripts/main-thread.mjs "$base" "${pages[@]}"
