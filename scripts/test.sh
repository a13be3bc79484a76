#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests, then the end-to-end tests
# in Debian's Chromium against the release build on a temporary database.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

scripts/setup.sh

# Fast gates first (before the long steps): formatting, then lints. Clippy
# checks the server build (app with `ssr`, server, every test); the browser
# side of `app` is checked by `scripts/dev.sh check`.
log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy -D warnings"
cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings

# Release profile: the tests share compiled dependencies with the server
# build. Tests run in parallel (one binary per crate: app/tests/it,
# server/tests/it).
log "cargo test"
cargo test --release -p app -p server --features app/ssr

scripts/build.sh

log "asset budget"
scripts/asset-budget.sh

log "deployment: systemd units and nginx in front of the release server"
scripts/test-deploy.sh

port=${E2E_PORT:-3310}
tmp=$(mktemp -d)
# An editor account for the end-to-end tests (password from stdin, as in production).
export E2E_EDITOR_PASSWORD="et langt testpassord 123"
echo "$E2E_EDITOR_PASSWORD" | BLI_DATABASE="$tmp/e2e.db" BLI_LOG=warn \
  target/release/bli-involvert set-password --username e2e-redaktor --name "E2E Redaktør" --role editor >/dev/null
# Administrators must have a second factor (review 3, N11): the operator's
# option gives the e2e administrator a known secret, and the tests compute
# its codes (end2end/tests/helpers.ts).
export E2E_ADMIN_TOTP_SECRET="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
echo "$E2E_EDITOR_PASSWORD" | BLI_DATABASE="$tmp/e2e.db" BLI_LOG=warn \
  target/release/bli-involvert set-password --username e2e-admin --name "E2E Administrator" --role admin \
  --totp-secret "$E2E_ADMIN_TOTP_SECRET" >/dev/null

log "starting the release server on 127.0.0.1:$port (database in $tmp)"
# Every test is the same client (127.0.0.1): the per-client limit on
# feedback and page answers (tested in server/tests) is raised for them. The
# link checker stays off: nothing in the tests reaches outside the machine.
BLI_DATABASE="$tmp/e2e.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_FEEDBACK_LIMIT=1000 BLI_LINK_CHECK_INTERVAL=off \
  target/release/bli-involvert serve >"$tmp/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log"; echo "server exited" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null

log "playwright"
(cd end2end && BASE_URL="http://127.0.0.1:$port" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test "$@") || {
  echo "--- server log ---"; tail -50 "$tmp/server.log"; exit 1;
}
