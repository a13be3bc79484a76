#!/usr/bin/env bash
# The filter island's tick (issue 25: "a filter tick updates every count
# within 50 ms at 4x CPU slowdown, with no network request for the counts"):
# on /ressurser of the release build, in Debian's headless Chromium with 4x
# CPU slowdown, ticks and unticks each of a set of filter options and prints
# how long the island took from the click to every count written (median
# and worst), and to the next painted frame, and how many requests other
# than the result list's went out meanwhile. The result list's requests
# are held, so only the island's work is on the clock.
#
# Needs the release build (scripts/build.sh) and the end-to-end tests'
# node_modules; does not build.
#
#   scripts/bench-filter-tick.sh
#   CPU_SLOWDOWN=1 TICKS=40 scripts/bench-filter-tick.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=${TICK_PORT:-3324}
if [[ ! -x target/release/bli-involvert || ! -d end2end/node_modules/playwright ]]; then
  echo "needs scripts/build.sh and end2end/node_modules (scripts/test.sh installs them)" >&2
  exit 1
fi
source scripts/release-server.sh
start_release_server "$port" BLI_STATS=off
check_pages /ressurser
node scripts/bench-filter-tick.mjs "$base"
