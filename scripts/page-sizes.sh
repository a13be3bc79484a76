#!/usr/bin/env bash
# The HTML each public page type sends (raw and as transferred with brotli)
# and the /pkg assets it loads, from the release build on a temporary
# database with the seed content.
#
#   scripts/page-sizes.sh               # needs scripts/build.sh first
#   BIN=/path/to/bli-involvert SITE_ROOT=/path/to/site scripts/page-sizes.sh   # another build
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/bli-involvert}
port=${PORT:-3392}
tmp=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
BLI_DATABASE="$tmp/site.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_CONTENT=content \
  BLI_SITE_ROOT=${SITE_ROOT:-target/site} "$bin" serve >"$tmp/log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.2; done

printf '%-58s %9s %9s %9s\n' "page" "HTML raw" "HTML br" "/pkg br"
for path in / /ressurser "/ressurser?nivaa=tjeneste&malgruppe=kommunale-tjenester" \
  /ressurser/brukerinvolvering-i-tjenesteutvikling /organisasjoner/a-larm \
  /kart /veiviser /tilbakemelding /innspill /om-nettstedet /logg-inn; do
  raw=$(curl -fsS -H 'Accept: text/html' "$base$path" -o "$tmp/page" -w '%{size_download}')
  br=$(curl -fsS -H 'Accept: text/html' -H 'Accept-Encoding: br' "$base$path" -o /dev/null -w '%{size_download}')
  # Every /pkg file the page links (scripts, styles, a module's wasm).
  pkg=0
  for asset in $(grep -oE '/pkg/[A-Za-z0-9_.-]+' "$tmp/page" | sort -u); do
    size=$(curl -fsS -H 'Accept-Encoding: br' "$base$asset" -o /dev/null -w '%{size_download}')
    pkg=$((pkg + size))
    if [[ $asset == *.js ]]; then
      # A wasm-bindgen glue file loads its wasm too.
      wasm=$(curl -fsS "$base$asset" | grep -oE '[A-Za-z0-9_.-]+\.wasm' | head -1 || true)
      if [[ -n $wasm ]]; then
        pkg=$((pkg + $(curl -fsS -H 'Accept-Encoding: br' "$base/pkg/$wasm" -o /dev/null -w '%{size_download}')))
      fi
    fi
  done
  printf '%-58s %9d %9d %9d\n' "$path" "$raw" "$br" "$pkg"
done
