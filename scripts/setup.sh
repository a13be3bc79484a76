#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is present.
# Safe to run again and again; fast when nothing is missing.
#
#   scripts/setup.sh          everything (the test command)
#   scripts/setup.sh build    only what scripts/build.sh needs (the run command):
#                             no browser, no benchmark tools, no nginx
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Debian packages: the browser for end-to-end tests, and tools for benchmarks.
# brotli: the build's precompressed copies.
missing=()
command -v brotli >/dev/null || missing+=(brotli)
if [ "$mode" != build ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  # The reverse proxy of deploy/, for the deployment test (scripts/test-deploy.sh).
  command -v nginx >/dev/null || missing+=(nginx)
  command -v openssl >/dev/null || missing+=(openssl)
fi
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # Install services without starting them (nginx would take port 80): the
  # tests start their own on loopback.
  policy=/usr/sbin/policy-rc.d
  added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && added_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -z "$added_policy" ] || $SUDO rm -f "$policy"
fi

# The WebAssembly target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  log "cargo install wasm-bindgen-cli $wbg_version (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# Playwright, binaryen's wasm-opt and esbuild (the build minifies the
# scripts with it) from the npm registry; the browser is Debian's.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -x end2end/node_modules/.bin/playwright ] \
   || [ ! -x end2end/node_modules/.bin/esbuild ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "npm ci in end2end/"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi
