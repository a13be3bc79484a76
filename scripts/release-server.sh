# Sourced by the browser benchmarks (lighthouse.sh, main-thread.sh): starts
# the release server on a temporary database and stops it on exit.
#
#   start_release_server PORT [VAR=value ...]
# sets $base (http://127.0.0.1:PORT), $server (its pid) and $tmp (the
# temporary folder, removed on exit); extra arguments are environment
# settings for the server.
#
#   check_pages PATH...
# stops the script unless every path answers 200.

tmp=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

start_release_server() {
  local port=$1
  shift
  env BLI_DATABASE="$tmp/site.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off "$@" \
    target/release/bli-involvert serve >"$tmp/server.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log" >&2; echo "server exited" >&2; exit 1; fi
    sleep 0.2
  done
  curl -fsS "$base/health" >/dev/null
}

check_pages() {
  local path code
  for path in "$@"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    if [[ $code != 200 ]]; then echo "$base$path answered $code, expected 200" >&2; exit 1; fi
  done
}
