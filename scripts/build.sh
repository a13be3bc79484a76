#!/usr/bin/env bash
# Release build of the whole site into target/: the server binary and the
# browser bundle (wasm + JS glue + CSS + static files) in target/site.
#
# This does by hand what cargo-leptos does, with tools that install from the
# registries reachable here (see README: "Why no cargo-leptos").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
site=target/site
pkg=$site/pkg
name=bli-involvert

log "server (release)"
cargo build --release -p server --bin bli-involvert

log "browser bundle (wasm-release)"
cargo build --profile wasm-release -p frontend --target wasm32-unknown-unknown

mkdir -p "$pkg"
wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
stamp=$pkg/.built-from
if [ ! -f "$stamp" ] || [ "$wasm" -nt "$stamp" ] || [ ! -f "$pkg/${name}_bg.wasm" ]; then
  log "wasm-bindgen + wasm-opt"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name "$name" "$wasm"
  # binaryen 132 from npm: Debian's 108 breaks hydration (see TOOLCHAIN notes).
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    -o "$pkg/${name}_bg.wasm" "$pkg/${name}_bg.wasm"
  touch "$stamp"
fi

log "styles and static files"
cp style/main.css "$pkg/$name.css"
cp -r public/. "$site/"

# Precompressed copies, served when the browser accepts them.
for f in "$pkg/$name.js" "$pkg/${name}_bg.wasm" "$pkg/$name.css"; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -f -k "$f"; fi
done
log "done: $(du -h "$pkg/${name}_bg.wasm" | cut -f1) wasm"
