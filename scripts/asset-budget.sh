#!/usr/bin/env bash
# The visitors' performance budget: what a page downloads from /pkg (brotli,
# as served), per kind of page, must stay under its budget.
#
#  * A visitor's page loads the stylesheet and the page navigator, nothing
#    else: no WebAssembly. Budget: VISITOR_BUDGET bytes (issue 15's goal was
#    200,000 B, its stretch goal 120,000 B).
#  * An editor's page (/redaktor…) loads those and the editors' bundle (the
#    islands' wasm and its JS glue). Budget: EDITOR_BUDGET bytes.
#
# `end2end/tests/assets.js.spec.ts` checks the same in a real browser, from
# what it actually transfers. Budgets only ever go down: when a change makes
# a page lighter, lower its budget here to just above the new size.
# (History: one bundle for every page, 735,861 B at issue 8, 763,796 B after
# issue 16; issue 15 split it.)
set -euo pipefail
cd "$(dirname "$0")/.."
VISITOR_BUDGET=${VISITOR_BUDGET:-12000}
EDITOR_BUDGET=${EDITOR_BUDGET:-400000}
pkg=target/site/pkg
if [ ! -f "$pkg/assets.txt" ]; then
  echo "no $pkg/assets.txt: run scripts/build.sh first" >&2
  exit 1
fi
declare -A size
while read -r kind file; do
  [ -n "$file" ] || continue
  br=$pkg/$file.br
  if [ ! -f "$br" ]; then echo "missing $br (is brotli installed?)" >&2; exit 1; fi
  raw=$(stat -c %s "$pkg/$file")
  size[$kind]=$(stat -c %s "$br")
  printf '%-9s %-44s %9d B raw %9d B brotli\n' "$kind" "$file" "$raw" "${size[$kind]}"
done <"$pkg/assets.txt"
visitor=$((size[css] + size[navigator]))
editor=$((size[css] + size[js] + size[wasm]))
status=0
check() {
  local what=$1 total=$2 budget=$3
  printf '%-15s %7d B brotli; budget %7d B (%d%% used)\n' "$what" "$total" "$budget" $((total * 100 / budget))
  if [ "$total" -gt "$budget" ]; then
    echo "$what is over its budget by $((total - budget)) B" >&2
    status=1
  fi
}
check "visitor's page" "$visitor" "$VISITOR_BUDGET"
check "editor's page" "$editor" "$EDITOR_BUDGET"
exit $status
