#!/usr/bin/env bash
# The visitors' byte budget (issue 25): what a page costs a browser, brotli
# as transferred, the HTML plus every /pkg file it loads, per kind of page,
# from the release build on a temporary database with the seed content.
#
#  * A page with islands (/ressurser, /tilbakemelding) loads the stylesheet,
#    the navigator, and the visitors' bundle (glue + wasm), which the
#    navigator fetches after the page is usable. Budget: ISLAND_BUDGET.
#  * A page without islands loads the stylesheet and the navigator, and no
#    WebAssembly. Budget: PLAIN_BUDGET.
#  * An editor's page (/redaktor…) loads the editors' bundle; its /pkg part
#    (stylesheet, glue, wasm) is held to EDITOR_BUDGET. The editors' bundle
#    never appears on a public page, and the visitors' bundle never carries
#    an editors' island (checked by name below).
#
# `end2end/tests/assets.js.spec.ts` checks the same in a real browser, from
# what it actually transfers. Budgets only ever go down: when a change makes
# a page lighter, lower its budget here to just above the new size.
# (History: one bundle for every page, 735,861 B at issue 8, 763,796 B after
# issue 16; issue 15 split it and visitors loaded no wasm (about 12 KB a
# page); issue 25 gave visitors the islands bundle. The one raise: the
# editors' budget, 160,000 -> 168,000 B, when issue 29 gave the editors' forms
# the upload island (drop zone, progress) and the insert button, +11.7 KB on
# a bundle only signed-in editors load and cache for a year; the visitors'
# budgets did not move.)
set -euo pipefail
cd "$(dirname "$0")/.."
ISLAND_BUDGET=${ISLAND_BUDGET:-130000}
PLAIN_BUDGET=${PLAIN_BUDGET:-16500}
EDITOR_BUDGET=${EDITOR_BUDGET:-168000}
pkg=target/site/pkg
bin=${BIN:-target/release/bli-involvert}
if [ ! -f "$pkg/assets.txt" ] || [ ! -x "$bin" ]; then
  echo "no $pkg/assets.txt or $bin: run scripts/build.sh first" >&2
  exit 1
fi
declare -A file size
while read -r kind name; do
  [ -n "$name" ] || continue
  br=$pkg/$name.br
  if [ ! -f "$br" ]; then echo "missing $br (is brotli installed?)" >&2; exit 1; fi
  file[$kind]=$name
  size[$kind]=$(stat -c %s "$br")
  printf '%-14s %-46s %9d B raw %9d B brotli\n' "$kind" "$name" "$(stat -c %s "$pkg/$name")" "${size[$kind]}"
done <"$pkg/assets.txt"

status=0
fail() { echo "$*" >&2; status=1; }

# The visitors' bundle exports the visitors' islands and none of the editors'.
vjs=$pkg/${file[visitors-js]}
for island in CatalogueFilter FeedbackSteps; do
  grep -q "$island" "$vjs" || fail "the visitors' bundle lacks the $island island"
done
if grep -q "ResourceForm" "$vjs"; then fail "the visitors' bundle carries the editors' ResourceForm island"; fi

port=${PORT:-3393}
tmp=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
BLI_DATABASE="$tmp/site.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_CONTENT=content \
  BLI_LINK_CHECK_INTERVAL=off BLI_SITE_ROOT=target/site "$bin" serve >"$tmp/log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 150); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.2; done

check() {
  local what=$1 total=$2 budget=$3
  printf '%-44s %7d B brotli; budget %7d B (%d%% used)\n' "$what" "$total" "$budget" $((total * 100 / budget))
  [ "$total" -le "$budget" ] || fail "$what is over its budget by $((total - budget)) B"
}

echo
for path in / /ressurser /tilbakemelding /ressurser/feedbackinformerte-tjenester-fit \
  /organisasjoner/a-larm /kart /veiviser /om-nettstedet; do
  curl -fsS -H 'Accept: text/html' "$base$path" -o "$tmp/page"
  html=$(curl -fsS -H 'Accept: text/html' -H 'Accept-Encoding: gzip, deflate, br, zstd' "$base$path" -o /dev/null -w '%{size_download}')
  total=$((html + size[css] + size[navigator]))
  grep -q "${file[js]}" "$tmp/page" && fail "$path links the editors' bundle"
  if grep -q '<leptos-island' "$tmp/page"; then
    grep -q 'ResourceForm' "$tmp/page" && fail "$path has an editors' island"
    total=$((total + size[visitors-js] + size[visitors-wasm]))
    check "$path (islands: HTML $html B)" "$total" "$ISLAND_BUDGET"
  else
    case $path in /ressurser | /tilbakemelding) fail "$path has lost its islands" ;; esac
    check "$path (no islands: HTML $html B)" "$total" "$PLAIN_BUDGET"
  fi
done
check "an editor's page: /pkg" $((size[css] + size[js] + size[wasm])) "$EDITOR_BUDGET"
exit $status
