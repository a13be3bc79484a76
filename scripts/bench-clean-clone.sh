#!/usr/bin/env bash
# How long the README's two commands take on a clean clone of HEAD: the run
# command until the site answers /health, then the test command. Prints both
# times, when each step of the run command began, and the test command's
# time per step (scripts/test.sh prints them), with the load average (the
# figures mean little on a busy machine).
#
#   scripts/bench-clean-clone.sh [DIR]   (default: a temporary folder, removed after)
#
# What is already installed on this machine (apt packages, wasm-bindgen-cli,
# cargo's download cache) is used as it is: on a fresh machine add the
# set-up's first run (`scripts/setup.sh`: about 2.5 minutes measured on
# 2026-12-02, most of it compiling wasm-bindgen-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
dir=${1:-$(mktemp -d)}
keep=${1:+1}
port=${BENCH_PORT:-3390}
log() { printf '\033[1m[clean-clone]\033[0m %s\n' "$*"; }

git clone -q "$src" "$dir/repo"
cd "$dir/repo"
git log --oneline -1
server=
cleanup() {
  if [[ -n $server ]]; then kill -- -"$server" 2>/dev/null || kill "$server" 2>/dev/null || true; fi
  cd /
  [[ -n $keep ]] || rm -rf "$dir"
}
trap cleanup EXIT

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%T)" "$line"; done; }

log "run command: scripts/run.sh (until /health answers on :$port); load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
set -m
(BLI_ADDR="127.0.0.1:$port" BLI_LINK_CHECK_INTERVAL=off scripts/run.sh 2>&1 | stamp >"$dir/run.log") &
server=$!
set +m
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  if ! kill -0 "$server" 2>/dev/null; then tail -30 "$dir/run.log"; echo "run.sh exited" >&2; exit 1; fi
  sleep 2
done
run_secs=$(($(date +%s) - start))
log "site answered after $((run_secs / 60)) min $((run_secs % 60)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "run command's steps (when each began; started $(date -d "@$start" +%T)):"
grep -E '\[(setup|build)\]' "$dir/run.log" || true
kill -- -"$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
server=

log "test command: scripts/test.sh"
start=$(date +%s)
set +e
scripts/test.sh 2>&1 | stamp >"$dir/test.log"
status=${PIPESTATUS[0]}
set -e
test_secs=$(($(date +%s) - start))
# The steps, with the time each began, and the results; then the time per
# step that test.sh prints at its end.
grep -E '\[(test|setup|build)\]|[0-9]+ (passed|failed|flaky)|^\S+ test result: FAILED' "$dir/test.log" | grep -v 'times per step' || true
echo
sed -n '/times per step/,$p' "$dir/test.log"

printf '\nrun command until the site answers: %d min %02d s\n' $((run_secs / 60)) $((run_secs % 60))
printf 'test command:                       %d min %02d s (exit %d)\n' $((test_secs / 60)) $((test_secs % 60)) "$status"
printf 'both:                               %d min %02d s\n' $(((run_secs + test_secs) / 60)) $(((run_secs + test_secs) % 60))
exit "$status"
