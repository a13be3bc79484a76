#!/usr/bin/env bash
# The deployment in deploy/, tried for real on loopback:
#  1. the systemd units pass `systemd-analyze verify` (where systemd-analyze
#     exists), and their sandbox's exposure score is printed;
#  2. Debian's nginx with deploy/nginx/bli-involvert.conf (TLS with a
#     throwaway certificate) in front of the release server, with
#     BLI_TRUSTED_PROXIES=127.0.0.1 as in deploy/bli-involvert.service. Clients
#     on different loopback addresses (127.0.0.2, 127.0.0.3) show that the
#     rate limit and the sign-in throttle see the client, not the proxy, and
#     that an X-Forwarded-For a client writes itself changes nothing.
# Run after scripts/build.sh; scripts/test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[deploy]\033[0m %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
bin=$PWD/target/release/bli-involvert
[ -x "$bin" ] || fail "no $bin: run scripts/build.sh first"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# ── 1. systemd units ──────────────────────────────────────────────────────
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$tmp/root/bin" "$tmp/units"
  cp "$bin" deploy/backup.sh "$tmp/root/bin/"
  for unit in deploy/*.service deploy/*.timer; do
    sed "s#/opt/bli-involvert#$tmp/root#g" "$unit" >"$tmp/units/$(basename "$unit")"
  done
  systemd-analyze verify "$tmp"/units/* || fail "systemd-analyze verify"
  score=$(systemd-analyze security --offline=yes "$tmp/units/bli-involvert.service" 2>/dev/null | grep -o 'exposure level for bli-involvert.service: [0-9.]* [A-Z]*' || true)
  log "systemd units verified; $score"
else
  log "no systemd-analyze here: units not verified"
fi

# ── 2. nginx in front of the release server ───────────────────────────────
command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup.sh installs it)"
app_port=${DEPLOY_APP_PORT:-3411}
tls_port=${DEPLOY_TLS_PORT:-3443}
http_port=${DEPLOY_HTTP_PORT:-3480}
site="https://localhost:$tls_port"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$tmp/site.key" -out "$tmp/site.crt" 2>/dev/null

export BLI_DATABASE="$tmp/site.db" BLI_LOG=warn BLI_LINK_CHECK_INTERVAL=off
echo "et langt testpassord 123" | "$bin" set-password --username proxyredaktor --role editor >/dev/null
BLI_ADDR="127.0.0.1:$app_port" BLI_PUBLIC_URL="$site" BLI_TRUSTED_PROXIES=127.0.0.1 BLI_FEEDBACK_LIMIT=3 \
  "$bin" serve >"$tmp/server.log" 2>&1 &
pids+=($!)

# The shipped site file, pointed at this run's ports, certificate and server.
sed -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$tls_port ssl http2;#" \
    -e '/listen \[::\]/d' \
    -e "s#server_name bli-involvert.example.no;#server_name localhost;#" \
    -e "s#server 127.0.0.1:3000;#server 127.0.0.1:$app_port;#" \
    -e "s#/etc/ssl/certs/bli-involvert.crt#$tmp/site.crt#" \
    -e "s#/etc/ssl/private/bli-involvert.key#$tmp/site.key#" \
    deploy/nginx/bli-involvert.conf >"$tmp/site.conf"
grep -q "127.0.0.1:$app_port" "$tmp/site.conf" || fail "the nginx file no longer has the expected upstream line"
cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 256; }
http {
    access_log $tmp/nginx-access.log;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    include $tmp/site.conf;
}
CONF
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" || fail "nginx -t"
nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' 2>>"$tmp/nginx-error.log" &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fsk "$site/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsk "$site/health" >/dev/null || { cat "$tmp/server.log" "$tmp/nginx-error.log"; fail "the site does not answer through nginx"; }

# An answer's status, through nginx from client address $1 (extra curl args after).
status() {
  local from=$1; shift
  curl -sk -o /dev/null -w '%{http_code}' --interface "$from" "$@"
}
answer() { status "$1" -X POST --data 'path=%2Fveiviser&svar=ja' "${@:2}" "$site/nyttig"; }
expect() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; log "ok: $1 ($2)"; }

hsts=$(curl -sk -D - -o /dev/null "$site/" | grep -i '^strict-transport-security' || true)
[ -n "$hsts" ] || fail "no HSTS through the TLS proxy: X-Forwarded-Proto from the trusted proxy is not believed"
log "ok: HTTPS at the proxy is seen (HSTS sent)"

for i in 1 2 3; do expect "client 127.0.0.2, page answer $i of 3" "$(answer 127.0.0.2)" 303; done
expect "client 127.0.0.2 over its limit" "$(answer 127.0.0.2)" 429
expect "client 127.0.0.2 writing its own X-Forwarded-For" "$(answer 127.0.0.2 -H 'X-Forwarded-For: 10.1.2.3')" 429
expect "client 127.0.0.3 behind the same proxy has its own budget" "$(answer 127.0.0.3)" 303

# Straight to the site from an untrusted peer: its X-Forwarded-For is ignored.
direct() { status 127.0.0.4 -X POST --data 'path=%2Fveiviser&svar=ja' -H "X-Forwarded-For: $1" "http://127.0.0.1:$app_port/nyttig"; }
for i in 1 2 3; do expect "untrusted peer, spoofed address 198.51.100.$i" "$(direct "198.51.100.$i")" 303; done
expect "untrusted peer, a fourth spoofed address, still the same client" "$(direct 198.51.100.99)" 429

# The sign-in throttle: the guesser is locked, the editor behind the same proxy is not.
sign_in() {
  curl -sk -o /dev/null -D - --interface "$1" -X POST \
    --data-urlencode brukernavn=proxyredaktor --data-urlencode "passord=$2" "$site/auth/logg-inn"
}
# A refused sign-in shows the form again in its own answer (422; 429 once
# locked), never a redirect with the name in the URL (review 3, N12).
for i in 1 2 3 4 5; do
  sign_in 127.0.0.2 "feil passord $i" | grep -qiE '^HTTP/[0-9.]+ 422' || fail "wrong password $i"
done
sign_in 127.0.0.2 "et langt testpassord 123" | grep -qiE '^HTTP/[0-9.]+ 429' || fail "the guesser is not locked"
log "ok: five wrong passwords from 127.0.0.2 lock that client out"
headers=$(sign_in 127.0.0.3 "et langt testpassord 123")
echo "$headers" | grep -qi '^location: /redaktor' || fail "the editor at 127.0.0.3 could not sign in: $headers"
echo "$headers" | grep -i '^set-cookie: __Host-bli_okt=' | grep -qi 'secure' || fail "no __Host- Secure cookie over https: $headers"
log "ok: the editor at 127.0.0.3 signs in, with a __Host- Secure session cookie"
# The scheduled backup's script: a checked copy each run, the newest kept.
for _ in 1 2 3; do
  BLI_BIN="$bin" BLI_BACKUP_DIR="$tmp/backups" BLI_BACKUP_KEEP=2 deploy/backup.sh >/dev/null || fail "deploy/backup.sh"
done
kept=$(find "$tmp/backups" -name 'bli-involvert-*.db' | wc -l)
[ "$kept" -eq 2 ] || fail "deploy/backup.sh kept $kept copies, not 2"
modes=$(stat -c %a "$tmp"/backups/*.db | sort -u)
[ "$modes" = 600 ] || fail "backups are mode $modes, not 600"
log "ok: deploy/backup.sh keeps the newest 2 of 3 backups, mode 600"
log "deployment test passed"
