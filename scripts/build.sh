#!/usr/bin/env bash
# Release build of the whole site into target/: the server binary, the two
# browser bundles (wasm + JS glue: the editors' islands, and the visitors'
# islands), the visitors' page navigator (plain JS, which loads the
# visitors' bundle), the CSS and the static files, in target/site.
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
log "server (release) and the two browser bundles (wasm-release), side by side"
cargo build --release -p server --bin bli-involvert &
server_build=$!
# The bundles one after the other, each in a cargo invocation of its own:
# together, cargo would unify `app`'s features and each bundle would carry
# the other's islands.
if ! { cargo build --profile wasm-release -p frontend --target wasm32-unknown-unknown \
  && cargo build --profile wasm-release -p frontend-visitors --target wasm32-unknown-unknown; }; then
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
# bindgen CRATE NAME: the crate's wasm through wasm-bindgen and wasm-opt
# into $stage/NAME.js and $stage/NAME_bg.wasm, when the wasm changed.
bindgen() {
  local wasm=target/wasm32-unknown-unknown/wasm-release/$1.wasm out=$2
  local stamp=$stage/.built-from-$1
  if [ ! -f "$stamp" ] || [ "$wasm" -nt "$stamp" ] || [ ! -f "$stage/${out}_bg.wasm" ]; then
    log "wasm-bindgen + wasm-opt: $1"
    wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name "$out" "$wasm"
    # binaryen 132 from npm: Debian's binaryen 108 produces a bundle that
    # silently fails to hydrate (README: "Why no cargo-leptos").
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-reference-types --enable-multivalue --enable-mutable-globals \
      -o "$stage/${out}_bg.wasm" "$stage/${out}_bg.wasm"
    touch "$stamp"
  fi
}
bindgen frontend "$name"
bindgen frontend_visitors visitors

log "hashed bundles, styles and static files"
hash16() { sha256sum "$1" | cut -c1-16; }
rm -f "$pkg/$name".* "$pkg/${name}_bg".* "$pkg"/visitors.* "$pkg"/navigator.* "$pkg/assets.txt"
# The scripts minified (esbuild): the glue of each bundle, and the navigator.
esbuild --minify --log-level=warning "$stage/$name.js" --outfile="$stage/$name.min.js"
esbuild --minify --log-level=warning "$stage/visitors.js" --outfile="$stage/visitors.min.js"
js=$name.$(hash16 "$stage/$name.min.js").js
wasm_out=$name.$(hash16 "$stage/${name}_bg.wasm").wasm
vjs=visitors.$(hash16 "$stage/visitors.min.js").js
vwasm=visitors.$(hash16 "$stage/visitors_bg.wasm").wasm
# The stylesheet: style/*.css in file-name order (the number prefix is the
# cascade order), one file for browsers, without the comments (they are for
# whoever edits the sources: 15 % of the brotli size). No string in the CSS
# holds "/*", so a plain pattern does.
cat style/[0-9]*.css | perl -0pe 's{/\*.*?\*/}{}gs; s/\n\s*\n+/\n/g' >"$stage/main.css"
css=$name.$(hash16 "$stage/main.css").css
# The navigator and the search field's suggestions ship as one file (one
# request), with the visitors' bundle's names written in (so its hash
# changes with theirs), minified.
cat frontend/js/navigator.js frontend/js/suggest.js \
  | sed -e "s/__VISITORS_JS__/$vjs/; s/__VISITORS_WASM__/$vwasm/" >"$stage/navigator.js"
esbuild --minify --log-level=warning "$stage/navigator.js" --outfile="$stage/navigator.min.js"
navigator=navigator.$(hash16 "$stage/navigator.min.js").js
cp "$stage/$name.min.js" "$pkg/$js"
cp "$stage/${name}_bg.wasm" "$pkg/$wasm_out"
cp "$stage/visitors.min.js" "$pkg/$vjs"
cp "$stage/visitors_bg.wasm" "$pkg/$vwasm"
cp "$stage/main.css" "$pkg/$css"
cp "$stage/navigator.min.js" "$pkg/$navigator"
printf 'js %s\nwasm %s\ncss %s\nnavigator %s\nvisitors-js %s\nvisitors-wasm %s\n' \
  "$js" "$wasm_out" "$css" "$navigator" "$vjs" "$vwasm" >"$pkg/assets.txt"
cp -r public/. "$site/"

# Precompressed copies, served when the browser accepts them.
for f in "$pkg/$js" "$pkg/$wasm_out" "$pkg/$vjs" "$pkg/$vwasm" "$pkg/$css" "$pkg/$navigator"; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -f -k "$f"; fi
done
log "done: $(du -h "$pkg/$wasm_out" | cut -f1) editors' wasm, $(du -h "$pkg/$vwasm" | cut -f1) visitors' wasm"
