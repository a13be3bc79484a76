#!/usr/bin/env bash
# Silent clients (review 3, N3): opens 300 TCP connections to the server,
# a quarter each sending nothing, part of the HTTP/2 preface, the whole h2c
# preface, or the preface and an empty SETTINGS frame, and then nothing.
# Prints how many the server still holds after 1 s and after 15 s (goal
# after 15 s: 0; the header time-out is 10 s). A figure, not a test.
#
#   scripts/bench-silent-clients.sh            # defaults: per-client cap 64
#   PER_CLIENT=1000 scripts/bench-silent-clients.sh   # time-out alone
#
# Uses target/release/bli-involvert if it exists, else the debug build
# (target/dev/debug/bli-involvert, made by scripts/dev.sh); BIN= overrides.
# Builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-}
if [[ -z $bin ]]; then
  for candidate in target/release/bli-involvert target/dev/debug/bli-involvert; do
    if [[ -x $candidate ]]; then bin=$candidate; break; fi
  done
fi
[[ -n $bin ]] || { echo "no server binary: run scripts/dev.sh build or scripts/build.sh" >&2; exit 1; }
port=${BENCH_PORT:-3393}
count=${COUNT:-300}
tmp=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
env BLI_DATABASE="$tmp/site.db" BLI_ADDR="127.0.0.1:$port" BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off \
  BLI_STATS=off ${PER_CLIENT:+BLI_MAX_CONNECTIONS_PER_CLIENT=$PER_CLIENT} \
  "$bin" serve >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log" >&2; echo "server exited" >&2; exit 1; fi
  sleep 0.2
done
echo "server: $bin (pid $server), $count silent connections, per-client cap ${PER_CLIENT:-64 (default)}"
python3 - "$port" "$count" "$server" <<'PY'
import os, socket, subprocess, sys, time
port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
firsts = [b"", b"PRI * HTTP/2.0\r\n", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
          b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0"]
def held():
    out = subprocess.run(["ss", "-tnH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True).stdout
    return len([l for l in out.splitlines() if l.strip()])
def fds():
    return len(os.listdir(f"/proc/{pid}/fd"))
fds_before = fds()
socks = []
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    if firsts[i % 4]:
        s.sendall(firsts[i % 4])
    socks.append(s)
start = time.monotonic()
def report(label):
    print(f"{label:>6}: server holds {held():4d} connections (open files {fds():4d}, {fds_before} before)")
time.sleep(1); report("1 s")
while time.monotonic() - start < 15:
    time.sleep(0.5)
report("15 s")
for s in socks:
    s.close()
time.sleep(0.5); report("closed")
PY
