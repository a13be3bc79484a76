#!/usr/bin/env bash
# Upload benchmark (issue 29): a generated 12-megapixel photo (4000x3000
# JPEG) through the upload path as the handler runs it (type from the bytes,
# decode with limits, upright, resize to 480/960/1600, re-encode without
# metadata, one transaction), the bytes each width weighs, the width a phone
# 360 px wide at 2x loads, and the backup's size and time before and after.
#
#   scripts/bench-upload.sh            # release build (scripts/build.sh)
#   ROUNDS=10 scripts/bench-upload.sh
#   PROFILE=dev scripts/bench-upload.sh  # a debug build; the image codecs
#                                        # are optimised there too (Cargo.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
if [ "${PROFILE:-release}" = dev ]; then
  cargo build -q -p server --bin bli-involvert
  bin=target/debug/bli-involvert
else
  scripts/setup.sh >/dev/null
  scripts/build.sh >/dev/null
  bin=target/release/bli-involvert
fi
BLI_LOG=warn $bin --content content bench-upload --rounds "$rounds"
