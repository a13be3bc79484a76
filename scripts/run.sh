#!/usr/bin/env bash
# Builds (release) and runs the site on http://127.0.0.1:3000 with an embedded
# SQLite database (data/bli-involvert.db), filled with the seed content in
# content/ on first start. Configure with BLI_ADDR, BLI_DATABASE, BLI_LOG.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
scripts/build.sh
exec target/release/bli-involvert serve
