#!/usr/bin/env bash
# The edit-build-look loop: a debug build of the server and the editors'
# bundle, then the site on http://127.0.0.1:3000 (stop it with Ctrl-C, edit,
# run again). After the first build (a few minutes) a rebuild after one edit
# takes seconds, not the minutes of the release build in scripts/run.sh.
#
#   scripts/dev.sh              build and run the site (debug)
#   scripts/dev.sh test [ARGS]  Rust tests in the same debug build, e.g.
#                               scripts/dev.sh test search   (tests whose name has "search")
#   scripts/dev.sh check        cargo check of the server, the tests and the bundle
#
# Everything goes to target/dev (its own folder, so switching between this
# loop and the release build never recompiles either), compiled with
# `--cfg erase_components`: Leptos then type-erases views, which makes the
# app crate compile several times faster. No wasm-opt, no hashed names, no
# compressed copies: the server falls back to the plain file names.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=target/dev
export RUSTFLAGS="--cfg erase_components"
log() { printf '\033[1m[dev]\033[0m %s\n' "$*"; }

case "${1:-run}" in
  test)
    shift
    exec cargo test -p app -p server --features app/ssr -- "$@"
    ;;
  check)
    cargo check -p app -p server --features app/ssr --tests
    cargo check -p frontend --target wasm32-unknown-unknown
    exec cargo check -p frontend-visitors --target wasm32-unknown-unknown
    ;;
  run) ;;
  *) echo "usage: scripts/dev.sh [run | test [ARGS] | check]" >&2; exit 2 ;;
esac

scripts/setup.sh build

log "server (debug)"
cargo build -p server --bin bli-involvert
log "editors' bundle (debug)"
cargo build -p frontend --target wasm32-unknown-unknown
log "visitors' bundle (debug)"
cargo build -p frontend-visitors --target wasm32-unknown-unknown

site=$CARGO_TARGET_DIR/site
pkg=$site/pkg
mkdir -p "$pkg"
rm -f "$pkg/assets.txt"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name bli-involvert \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend.wasm"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name visitors \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend_visitors.wasm"
cat style/[0-9]*.css >"$pkg/bli-involvert.css"
cat frontend/js/navigator.js frontend/js/suggest.js \
  | sed -e "s/__VISITORS_JS__/visitors.js/; s/__VISITORS_WASM__/visitors_bg.wasm/" >"$pkg/navigator.js"
cp -r public/. "$site/"

log "http://${BLI_ADDR:-127.0.0.1:3000} (debug build, site root $site)"
BLI_SITE_ROOT="$site" exec "$CARGO_TARGET_DIR/debug/bli-involvert" serve
