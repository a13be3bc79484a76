#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests, then the end-to-end tests
# in Debian's Chromium against the release build (a server and a temporary
# database per Playwright worker). Prints each step's time at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

# Each step's wall-clock time, printed at the end (also when a step fails):
# `step NAME` ends the step before and starts NAME.
steps=()
step_name=""
step_start=$SECONDS
step() {
  if [ -n "$step_name" ]; then steps+=("$(printf '%6d s  %s' $((SECONDS - step_start)) "$step_name")"); fi
  step_name=$1
  step_start=$SECONDS
  [ -z "$step_name" ] || log "$step_name"
}
print_times() {
  step ""
  printf '\033[1m[test]\033[0m times per step (load average now: %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  printf '%s\n' "${steps[@]}"
  printf '%6d s  total\n' "$SECONDS"
}

trap print_times EXIT

step "setup"
scripts/setup.sh

# The fast gate first: formatting.
step "cargo fmt --check"
cargo fmt --all --check

# Then everything compiles at once, in three cargo runs side by side: the
# lints (clippy: the server build, app with `ssr`, every test; the browser
# side of `app` is checked by `scripts/dev.sh check`), the release build of
# the tests, and the release build of the site (scripts/build.sh: the server
# and the two browser bundles). Each has long stretches where one rustc works
# alone (the app crate's type checking, the bundles' link-time
# optimisation); side by side they keep both cores of a small machine busy.
# They use different profiles and folders (target/debug, target/release,
# target/wasm32-unknown-unknown/wasm-release), so none waits for another's
# lock, except the server binary: whichever of the test build and
# build.sh gets to it first builds it once for both.
#
# Release profile for the tests: they share compiled dependencies with the
# server build. --no-default-features: selecting `app` with -p turns on its
# (empty) `default` feature, which the server build (app as a dependency
# without default features) does not; a different feature list is a
# different unit, so cargo compiled the app and server libraries a second
# time here. Without it every unit the server build compiled is reused
# (checked with `cargo +nightly … --unit-graph -Z unstable-options`).
step "compile: clippy, the tests and the site, side by side"
logs=$(mktemp -d)
cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings >"$logs/clippy.log" 2>&1 &
clippy=$!
scripts/build.sh >"$logs/build.log" 2>&1 &
build=$!
tests_built=0
cargo test --release -p app -p server --features app/ssr --no-default-features --no-run || tests_built=$?
clippy_status=0 build_status=0
wait "$clippy" || clippy_status=$?
wait "$build" || build_status=$?
log "clippy -D warnings: $([ "$clippy_status" -eq 0 ] && echo passed || echo FAILED)"
[ "$clippy_status" -eq 0 ] || cat "$logs/clippy.log"
log "scripts/build.sh: $([ "$build_status" -eq 0 ] && echo done || echo FAILED)"
if [ "$build_status" -eq 0 ]; then grep '\[build\]' "$logs/build.log" || true; else cat "$logs/build.log"; fi
rm -rf "$logs"
if [ "$tests_built" -ne 0 ] || [ "$clippy_status" -ne 0 ] || [ "$build_status" -ne 0 ]; then exit 1; fi

# The tests run in parallel (one binary per crate: app/tests/it,
# server/tests/it); everything is compiled already.
step "cargo test"
cargo test --release -p app -p server --features app/ssr --no-default-features

step "asset budget"
scripts/asset-budget.sh

step "deployment: systemd units and nginx in front of the release server"
scripts/test-deploy.sh

# The end-to-end tests run in E2E_WORKERS Playwright workers, each against a
# release server of its own on a database of its own (the tests change the
# site: see end2end/servers.ts), on ports E2E_PORT, E2E_PORT+1, … Two by
# default: on 2 cores the browsers and servers share the CPU, but the
# workers' waits (navigation, network, animations) overlap.
step "end-to-end: servers"
port=${E2E_PORT:-3310}
workers=${E2E_WORKERS:-2}
tmp=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
  print_times
}
trap cleanup EXIT

# An editor account for the end-to-end tests (password from stdin, as in production).
export E2E_EDITOR_PASSWORD="et langt testpassord 123"
# Administrators must have a second factor (review 3, N11): the operator's
# option gives the e2e administrator a known secret, and the tests compute
# its codes (end2end/tests/helpers.ts).
export E2E_ADMIN_TOTP_SECRET="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
urls=()
for i in $(seq 0 $((workers - 1))); do
  db="$tmp/e2e-$i.db"
  echo "$E2E_EDITOR_PASSWORD" | BLI_DATABASE="$db" BLI_LOG=warn \
    target/release/bli-involvert set-password --username e2e-redaktor --name "E2E Redaktør" --role editor >/dev/null
  echo "$E2E_EDITOR_PASSWORD" | BLI_DATABASE="$db" BLI_LOG=warn \
    target/release/bli-involvert set-password --username e2e-admin --name "E2E Administrator" --role admin \
    --totp-secret "$E2E_ADMIN_TOTP_SECRET" >/dev/null

  log "starting the release server on 127.0.0.1:$((port + i)) (database $db)"
  # Every test is the same client (127.0.0.1): the per-client limit on
  # feedback and page answers (tested in server/tests) is raised for them. The
  # link checker stays off: nothing in the tests reaches outside the machine.
  BLI_DATABASE="$db" BLI_ADDR="127.0.0.1:$((port + i))" BLI_LOG=warn BLI_FEEDBACK_LIMIT=1000 BLI_LINK_CHECK_INTERVAL=off \
    target/release/bli-involvert serve >"$tmp/server-$i.log" 2>&1 &
  servers+=($!)
  urls+=("http://127.0.0.1:$((port + i))")
done

for i in "${!servers[@]}"; do
  for _ in $(seq 1 100); do
    if curl -fsS "${urls[$i]}/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "${servers[$i]}" 2>/dev/null; then cat "$tmp/server-$i.log"; echo "server exited" >&2; exit 1; fi
    sleep 0.2
  done
  curl -fsS "${urls[$i]}/health" >/dev/null
done

step "playwright ($workers workers)"
base_urls=$(IFS=,; echo "${urls[*]}")
(cd end2end && BASE_URLS="$base_urls" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test "$@") || {
  for i in "${!servers[@]}"; do echo "--- server $i log ---"; tail -50 "$tmp/server-$i.log"; done
  exit 1
}
