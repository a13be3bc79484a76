#!/usr/bin/env bash
# Release build of the whole site into target/: the server binary, the
# editors' browser bundle (wasm + JS glue: the islands of the editors'
# pages), the visitors' page navigator (plain JS), the CSS and the static
# files, in target/site.
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

# The server and the editors' bundle compile side by side: each has long
# stretches where a single rustc works alone (the app crate for the server,
# the link-time optimisation of the bundle), so together they keep both
# cores of a small machine busy. Different profiles, so cargo does not make
# one wait for the other.
log "server (release) and editors' bundle (wasm-release), side by side"
cargo build --release -p server --bin bli-involvert &
server_build=$!
if ! cargo build --profile wasm-release -p frontend --target wasm32-unknown-unknown; then
  kill "$server_build" 2>/dev/null || true
  wait "$server_build" 2>/dev/null || true
  exit 1
fi
wait "$server_build"

# wasm-bindgen and wasm-opt write to a staging folder; the published files
# get a content hash in their names (cached for a year by browsers), listed
# in pkg/assets.txt for the server.
stage=target/wasm-bindgen
mkdir -p "$stage" "$pkg"
wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
stamp=$stage/.built-from
if [ ! -f "$stamp" ] || [ "$wasm" -nt "$stamp" ] || [ ! -f "$stage/${name}_bg.wasm" ]; then
  log "wasm-bindgen + wasm-opt"
  wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name "$name" "$wasm"
  # binaryen 132 from npm: Debian's binaryen 108 produces a bundle that
  # silently fails to hydrate (README: "Why no cargo-leptos").
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    -o "$stage/${name}_bg.wasm" "$stage/${name}_bg.wasm"
  touch "$stamp"
fi

log "hashed bundle, styles and static files"
hash16() { sha256sum "$1" | cut -c1-16; }
rm -f "$pkg/$name".* "$pkg/${name}_bg".* "$pkg"/navigator.* "$pkg/assets.txt"
js=$name.$(hash16 "$stage/$name.js").js
wasm_out=$name.$(hash16 "$stage/${name}_bg.wasm").wasm
# The stylesheet: style/*.css in file-name order (the number prefix is the
# cascade order), one file for browsers, without the comments (they are for
# whoever edits the sources: 15 % of the brotli size). No string in the CSS
# holds "/*", so a plain pattern does.
cat style/[0-9]*.css | perl -0pe 's{/\*.*?\*/}{}gs; s/\n\s*\n+/\n/g' >"$stage/main.css"
css=$name.$(hash16 "$stage/main.css").css
# The navigator and the search field's suggestions ship as one file (one
# request); the hash is over the concatenation.
cat frontend/js/navigator.js frontend/js/suggest.js >"$stage/navigator.js"
navigator=navigator.$(hash16 "$stage/navigator.js").js
cp "$stage/$name.js" "$pkg/$js"
cp "$stage/${name}_bg.wasm" "$pkg/$wasm_out"
cp "$stage/main.css" "$pkg/$css"
cp "$stage/navigator.js" "$pkg/$navigator"
printf 'js %s\nwasm %s\ncss %s\nnavigator %s\n' "$js" "$wasm_out" "$css" "$navigator" >"$pkg/assets.txt"
cp -r public/. "$site/"

# Precompressed copies, served when the browser accepts them.
for f in "$pkg/$js" "$pkg/$wasm_out" "$pkg/$css" "$pkg/$navigator"; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -f -k "$f"; fi
done
log "done: $(du -h "$pkg/$wasm_out" | cut -f1) wasm ($wasm_out)"
