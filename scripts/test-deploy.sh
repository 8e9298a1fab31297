#!/usr/bin/env bash
# The deployment kit, tried for real: Debian's nginx with a self-signed
# certificate (TLS, HTTP/2) in front of two app processes on one PostgreSQL
# database, configured from deploy/nginx-kulisy.conf. Through nginx: sign in,
# enroll, register (one letter, though both processes deliver mail); the
# session made through one process is valid on the other; /pkg assets carry
# their long cache lifetime. Uses the debug build of `cargo leptos build --split`.
# Usage: make test-deploy
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-nginx.sh

if ! command -v nginx >/dev/null || ! command -v openssl >/dev/null; then
  say "installing Debian's nginx and openssl"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null
fi
BIN=target/debug/kulisy
[ -x "$BIN" ] && [ -f "$(dirname "$BIN")/hash.txt" ] || fail "build first: cargo leptos build --split"

PG="${KULISY_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
DB="kulisy_deploy_$$"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
URL="$PG/$DB"
HTTPS=8443
SITE="https://127.0.0.1:$HTTPS"
KEY="$(openssl rand -hex 32)"

start() { # port
  KULISY_DEMO=true KULISY_TRUSTED_PROXIES=127.0.0.1 KULISY_LOG_FORMAT=json \
  DATABASE_URL="$URL" KULISY_DATA="$WORK/data" KULISY_SECRET_KEY="$KEY" SITE_URL="$SITE" \
    LEPTOS_SITE_ADDR="127.0.0.1:$1" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD RUST_LOG=warn,kulisy::server::observe=info \
    "$BIN" > "$WORK/app-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.2; done
  cat "$WORK/app-$1.log"; fail "the app on port $1 did not start"
}
say "two app processes on one PostgreSQL database"
start 3410   # migrates and seeds the demo school
start 3411

say "nginx from deploy/nginx-kulisy.conf, self-signed certificate"
start_nginx "$HTTPS" 8080 127.0.0.1:3410 127.0.0.1:3411

say "TLS and HTTP/2 through nginx"
[ "$("${C[@]}" -o /dev/null -w '%{http_code} %{http_version}' "$SITE/healthz")" = "200 2" ] || fail "healthz over h2"
[ "$("${C[@]}" -o /dev/null -w '%{http_code}' "http://127.0.0.1:8080/")" = "301" ] || fail "plain http is not redirected"
[[ "$("${C[@]}" "$SITE/")" =~ /pkg/kulisy\.[A-Za-z0-9_-]*\.css ]] || fail "the page does not link a hashed stylesheet"
CSS="${BASH_REMATCH[0]}"
"${C[@]}" -D - -o /dev/null -H 'Accept-Encoding: gzip' "$SITE$CSS" > "$WORK/css.headers"
grep -qi 'cache-control: public, max-age=31536000, immutable' "$WORK/css.headers" || fail "/pkg is not cached for a year"
grep -qi 'content-encoding: gzip' "$WORK/css.headers" || fail "/pkg is not served precompressed"
curl -s -D "$WORK/app-css.headers" -o /dev/null "http://127.0.0.1:3410$CSS" || fail "the app does not serve $CSS"
grep -qi 'cache-control: public, max-age=31536000, immutable' "$WORK/app-css.headers" ||
  fail "the app itself does not cache hashed assets for a year"

# Each process renders and keeps its own copy; the tag is the page without
# its nonce, so the copy one process sent is known to the other.
say "a public page's ETag is answered with a 304 by either process"
ETAG="$(curl -s -D - -o /dev/null "http://127.0.0.1:3410/courses" | sed -n 's/^etag: *//Ip' | tr -d '\r')"
[ -n "$ETAG" ] || fail "/courses has no ETag"
for port in 3410 3411; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "http://127.0.0.1:$port/courses")" = 304 ] ||
    fail "a browser holding /courses is sent it again by the process on $port"
done

say "sign in through nginx; the session holds on both processes"
login "$WORK/jar" anna@kulisy.test
TOKEN="$(awk '$6 == "kulisy_session" { print $7 }' "$WORK/jar")"
[ -n "$TOKEN" ] || fail "no session cookie"
for port in 3410 3411; do
  [[ "$(curl -s -H "Cookie: kulisy_session=$TOKEN" -H 'Accept: application/json' --data '' \
    "http://127.0.0.1:$port/api/account/viewer")" == *Анна* ]] || fail "the session is unknown to the process on $port"
done

say "enroll through nginx"
read -r COURSE TEACHER START END < <(psql "$URL" -Atq -F ' ' -c "SELECT c.id, ct.teacher_id, c.term_start, c.term_end FROM courses c JOIN course_teachers ct ON ct.course_id = c.id WHERE c.title = 'Вокал для драматических актёров' LIMIT 1")
FORM="course_id=$COURSE&teacher_id=$TEACHER&format=personal&partner_email=&period_start=$START&period_end=$END&waitlist=on"
for _ in 1 2; do  # a double click: one request
  "${C[@]}" -b "$WORK/jar" -H 'Accept: application/json' --data "$FORM" "$SITE/api/enrollments/enroll" -o /dev/null
done
N="$(psql "$URL" -Atqc "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.student_id WHERE u.email = 'anna@kulisy.test' AND e.course_id = $COURSE AND e.status = 'pending'")"
[ "$N" = 1 ] || fail "expected one pending request, found $N"

say "register through nginx: one letter, though both processes deliver mail"
register_novice
for _ in $(seq 1 50); do
  [ "$(psql "$URL" -Atqc "SELECT count(*) FROM outbox WHERE to_addr = 'novice@example.ru' AND status = 'sent'")" = 1 ] && break
  sleep 0.2
done
sleep 3  # both workers have run at least once more
FILES="$(grep -l 'novice@example.ru' "$WORK"/data/outbox/*.eml 2>/dev/null | wc -l)"
[ "$FILES" = 1 ] || fail "expected one letter to the new student, found $FILES"

say "operators: request ids through nginx, /metrics per process only, the Prometheus kit"
RID="$("${C[@]}" -D - -o /dev/null "$SITE/courses" | sed -n 's/^x-request-id: *//Ip' | tr -d '\r')"
[ "${#RID}" = 32 ] || fail "no request id in the answer through nginx: '$RID'"
python3 - "$RID" "$WORK"/app-3410.log "$WORK"/app-3411.log <<'PY' || fail "the request's log line (JSON, with its id from nginx) is missing"
import json, sys
rid, found = sys.argv[1], []
for name in sys.argv[2:]:
    for line in open(name, encoding="utf-8"):
        if not line.startswith("{"):
            continue  # the demo logins, printed for the person starting it
        entry = json.loads(line)
        if entry.get("span", {}).get("id") == rid and entry["fields"].get("message") == "request":
            found.append(entry["fields"])
assert len(found) == 1 and found[0]["route"] == "/courses" and found[0]["status"] == 200, found
PY
[ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$SITE/metrics")" = 404 ] || fail "/metrics answers the public through nginx"
for port in 3410 3411; do
  curl -fs "http://127.0.0.1:$port/metrics" > "$WORK/metrics-$port.txt" || fail "/metrics of the process on $port"
  promtool check metrics < "$WORK/metrics-$port.txt" || fail "promtool refuses the metrics of $port"
  grep -q '^kulisy_outbox_queued ' "$WORK/metrics-$port.txt" || fail "no outbox gauge on $port"
done
grep -q '^kulisy_bookings_total 1$' "$WORK"/metrics-341?.txt || fail "the booking is not counted by the process that took it"
promtool check config deploy/prometheus/prometheus.yml >/dev/null || fail "deploy/prometheus/prometheus.yml"
promtool test rules deploy/prometheus/kulisy-alerts.test.yml >/dev/null || fail "the alert rules' tests"
systemd-analyze verify deploy/kulisy-backup.timer deploy/kulisy-backup.service || fail "the backup timer's units"

say "one process dies mid-load: nginx moves on, no acknowledged booking is lost"
failover "$URL" "${PIDS[1]}" "http://127.0.0.1:3410/metrics"

say "deploy test passed: nginx (TLS, h2) → two processes → one PostgreSQL"
