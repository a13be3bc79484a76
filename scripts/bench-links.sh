#!/usr/bin/env bash
# Link checker benchmark (issue 20): the checker over a synthetic catalogue
# of RESOURCES published resources (three links each) spread over HOSTS fake
# hosts, each a server on its own loopback port, so no request leaves the
# machine. Prints links checked, time taken, requests per host and the most
# requests one host saw at once (must be 1).
#
#   scripts/bench-links.sh
#   RESOURCES=10000 HOSTS=8 CONCURRENCY=6 LATENCY_MS=2 scripts/bench-links.sh
#   NO_BUILD=1 scripts/bench-links.sh   # use the existing release binary
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release -p server --bin bli-involvert >/dev/null
fi
bin=${BIN:-${CARGO_TARGET_DIR:-target}/release/bli-involvert}
BLI_LOG=${BLI_LOG:-warn} "$bin" bench-links \
  --resources "${RESOURCES:-10000}" \
  --hosts "${HOSTS:-8}" \
  --concurrency "${CONCURRENCY:-6}" \
  --latency-ms "${LATENCY_MS:-2}"
