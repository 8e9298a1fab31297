#!/usr/bin/env bash
# The school as it runs on several hosts, on this one machine: network
# namespaces joined by a bridge stand for the hosts. Two app hosts (each
# with a data folder of its own: nothing shared on disk), one S3 server
# (s3s-fs) on a host of its own, the one PostgreSQL reached over the
# network, nginx in front. Through nginx: sign in, upload a video on one
# host and play it with byte ranges from the other, book a course's last
# seats from both hosts at once, send each letter once, and kill one app
# host mid-load. Needs root (ip netns) and the debug build of
# `cargo leptos build --split`. Usage: make test-hosts
#
# BENCH=1 also measures booking throughput with one app host and with two on
# the one PostgreSQL, in the same run (school_load storm straight at the
# hosts), before the failover; BIN=target/release/kulisy runs a release
# build (with its school_load example built beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d)"
source scripts/test-nginx.sh
BIN="${BIN:-target/debug/kulisy}"
[ -x "$BIN" ] && [ -f "$(dirname "$BIN")/hash.txt" ] || fail "build first: cargo leptos build --split"
command -v s3s-fs >/dev/null || fail "s3s-fs is missing: scripts/bootstrap.sh test installs it"
command -v socat >/dev/null || fail "socat is missing: scripts/bootstrap.sh test installs it"
# Network namespaces need root; the apps run without sudo in between, so the
# pid of each is its own (the failover kills one).
[ "$(id -u)" = 0 ] || fail "run as root: network namespaces are made with ip netns"

NET=10.77.0                 # the hosts' network; this machine is $NET.1
BRIDGE="kbr$$"
declare -A HOST_IP=([a]=$NET.11 [b]=$NET.12 [s3]=$NET.20)
PG="${KULISY_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
DB="kulisy_hosts_$$"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for h in "${!HOST_IP[@]}"; do ip netns del "kulisy-$h-$$" 2>/dev/null || true; done
  ip link del "$BRIDGE" 2>/dev/null || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "hosts: network namespaces on a bridge ($NET.0/24)"
ip link add "$BRIDGE" type bridge
ip addr add "$NET.1/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for h in "${!HOST_IP[@]}"; do
  ns="kulisy-$h-$$"
  ip netns add "$ns"
  ip link add "kv$h$$" type veth peer name eth0 netns "$ns"
  ip link set "kv$h$$" master "$BRIDGE" up
  ip -n "$ns" addr add "${HOST_IP[$h]}/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
done
on() { local h="$1"; shift; ip netns exec "kulisy-$h-$$" "$@"; }

# The machine's PostgreSQL listens on loopback only: it is offered to the
# hosts' network as a database server on another host would be.
socat "TCP-LISTEN:15432,bind=$NET.1,fork,reuseaddr" TCP:127.0.0.1:5432 &
PIDS+=($!)
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
URL="$PG/$DB"
HOST_DB="postgres://postgres@$NET.1:15432/$DB"

say "the object store on its own host"
S3_SECRET="$(openssl rand -hex 20)"
mkdir -p "$WORK/s3/kulisy-media"
ip netns exec "kulisy-s3-$$" s3s-fs --host "${HOST_IP[s3]}" --port 9000 --access-key kulisy --secret-key "$S3_SECRET" "$WORK/s3" > "$WORK/s3.log" 2>&1 &
PIDS+=($!)

HTTPS=9443
SITE="https://127.0.0.1:$HTTPS"
KEY="$(openssl rand -hex 32)"
declare -A APP_PID
start_app() { # host
  local ip="${HOST_IP[$1]}"
  ip netns exec "kulisy-$1-$$" env KULISY_DEMO=true KULISY_TRUSTED_PROXIES="$NET.1" KULISY_METRICS_FROM="$NET.1" KULISY_LOG_FORMAT=json \
    DATABASE_URL="$HOST_DB" KULISY_DATA="$WORK/data-$1" KULISY_SECRET_KEY="$KEY" SITE_URL="$SITE" \
    KULISY_MEDIA=s3 KULISY_S3_ENDPOINT="http://${HOST_IP[s3]}:9000" KULISY_S3_BUCKET=kulisy-media \
    KULISY_S3_ACCESS_KEY=kulisy KULISY_S3_SECRET_KEY="$S3_SECRET" \
    LEPTOS_SITE_ADDR="$ip:3000" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD RUST_LOG=warn,kulisy::server::observe=info \
    "$BIN" > "$WORK/app-$1.log" 2>&1 &
  APP_PID[$1]=$!
  PIDS+=($!)
}
wait_app() {
  for _ in $(seq 1 150); do curl -fs "http://${HOST_IP[$1]}:3000/healthz" >/dev/null && return; sleep 0.2; done
  cat "$WORK/app-$1.log"; fail "the app on host $1 did not start"
}
say "two app hosts, starting at the same moment (migrations run once)"
start_app a
start_app b
wait_app a
wait_app b
start_nginx "$HTTPS" 9080 "${HOST_IP[a]}:3000" "${HOST_IP[b]}:3000"

# host_of REQUEST_ID: the app host whose log has the request.
host_of() {
  for h in a b; do grep -q "\"id\":\"$1\"" "$WORK/app-$h.log" && { echo "$h"; return; }; done
  echo none
}
request_id() { sed -n 's/^x-request-id: *//Ip' "$1" | tr -d '\r'; }

say "sign in through nginx; upload a 24 MB video"
login "$WORK/jar" anna@kulisy.test
python3 -c "
import sys
size = 24 * 1024 * 1024
data = bytearray(n % 251 for n in range(size))
data[:24] = b'\0\0\0\x18ftypisom\0\0\x02\0isomiso2'
open(sys.argv[1], 'wb').write(data)" "$WORK/video.mp4"
"${C[@]}" -b "$WORK/jar" -D "$WORK/upload.headers" -o "$WORK/upload.body" -H 'x-kulisy-upload: 1' \
  -F kind=video -F 'title=Этюд' -F visibility=public -F "file=@$WORK/video.mp4;type=video/mp4" "$SITE/my/portfolio/items"
grep -q '^HTTP/2 200' "$WORK/upload.headers" || fail "the upload: $(cat "$WORK/upload.body")"
UPLOADER="$(host_of "$(request_id "$WORK/upload.headers")")"
[ "$UPLOADER" != none ] || fail "the upload is in neither host's log"
OBJECT="$(ls "$WORK/s3/kulisy-media/portfolio")"
[ "$(stat -c %s "$WORK/s3/kulisy-media/portfolio/$OBJECT")" = "$(stat -c %s "$WORK/video.mp4")" ] || fail "the object is not the video"
cmp -s "$WORK/s3/kulisy-media/portfolio/$OBJECT" "$WORK/video.mp4" || fail "the object differs from the video"
[ -z "$(find "$WORK"/data-a/uploads "$WORK"/data-b/uploads -type f 2>/dev/null)" ] || fail "a file landed on an app host's disk"
say "stored by host $UPLOADER as $OBJECT, in the bucket only"

say "played with byte ranges through nginx, from the other host"
PLAYED_ELSEWHERE=""
for n in 1 2 3 4 5 6; do
  start=$((n * 3000000 + 17)); end=$((start + 65535))
  "${C[@]}" -D "$WORK/range.headers" -o "$WORK/range.body" -H "Range: bytes=$start-$end" "$SITE/media/portfolio/$OBJECT"
  grep -q '^HTTP/2 206' "$WORK/range.headers" || fail "range $start-$end: $(head -1 "$WORK/range.headers")"
  grep -qi "^content-range: bytes $start-$end/25165824" "$WORK/range.headers" || fail "content-range of $start-$end"
  [ "$(stat -c %s "$WORK/range.body")" = 65536 ] && cmp -s -n 65536 -i "0:$start" "$WORK/range.body" "$WORK/video.mp4" ||
    fail "the bytes of $start-$end"
  [ "$(host_of "$(request_id "$WORK/range.headers")")" != "$UPLOADER" ] && PLAYED_ELSEWHERE=yes
done
[ -n "$PLAYED_ELSEWHERE" ] || fail "no range was served by the host that did not take the upload"

say "the last seats of a course, booked from both hosts at once"
read -r COURSE TEACHER START END < <(psql "$URL" -Atq -F ' ' -c "SELECT c.id, MIN(ct.teacher_id), c.term_start, c.term_end FROM courses c JOIN course_teachers ct ON ct.course_id = c.id WHERE c.offers_personal GROUP BY c.id ORDER BY c.id LIMIT 1")
psql "$URL" -qc "UPDATE enrollments SET status = 'rejected' WHERE course_id = $COURSE AND status IN ('pending', 'confirmed', 'waitlisted'); UPDATE courses SET capacity = 4 WHERE id = $COURSE" >/dev/null
# Ten more students with the demo password (their rows copied from anna's).
psql "$URL" -qc "INSERT INTO users SELECT (jsonb_populate_record(NULL::users, to_jsonb(u) || jsonb_build_object('id', nextval(pg_get_serial_sequence('users', 'id')), 'email', 'seat' || g || '@kulisy.test'))).* FROM users u, generate_series(1, 10) g WHERE u.email = 'anna@kulisy.test'" >/dev/null
for g in $(seq 1 10); do login "$WORK/jar-seat$g" "seat$g@kulisy.test"; done
FORM="course_id=$COURSE&teacher_id=$TEACHER&format=personal&partner_email=&period_start=$START&period_end=$END&waitlist=on"
SEATS=()
for g in $(seq 1 10); do
  "${C[@]}" -b "$WORK/jar-seat$g" -D "$WORK/seat$g.headers" -o /dev/null -H 'Accept: application/json' --data "$FORM" "$SITE/api/enrollments/enroll" &
  SEATS+=($!)
done
wait "${SEATS[@]}"
declare -A BY_HOST=([a]=0 [b]=0)
for g in $(seq 1 10); do
  grep -q '^HTTP/2 200' "$WORK/seat$g.headers" || fail "seat$g's booking was not answered 200"
  h="$(host_of "$(request_id "$WORK/seat$g.headers")")"; BY_HOST[$h]=$((${BY_HOST[$h]:-0} + 1))
done
[ "${BY_HOST[a]}" -gt 0 ] && [ "${BY_HOST[b]}" -gt 0 ] || fail "bookings did not reach both hosts (a: ${BY_HOST[a]}, b: ${BY_HOST[b]})"
HELD="$(psql "$URL" -Atqc "SELECT count(*) FROM enrollments WHERE course_id = $COURSE AND status IN ('pending', 'confirmed')")"
WAITING="$(psql "$URL" -Atqc "SELECT count(*) FROM enrollments WHERE course_id = $COURSE AND status = 'waitlisted'")"
[ "$HELD/$WAITING" = "4/6" ] || fail "4 seats: expected 4 held and 6 waiting, found $HELD held and $WAITING waiting"
say "hosts a and b took ${BY_HOST[a]} and ${BY_HOST[b]} bookings: 4 seats held, 6 on the waiting list"

say "each letter is sent once, whichever host delivers"
register_novice
for _ in $(seq 1 100); do
  [ "$(psql "$URL" -Atqc "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 0 ] && break
  sleep 0.2
done
sleep 3  # both hosts' workers have run at least once more
SENT="$(psql "$URL" -Atqc "SELECT count(*) FROM outbox WHERE status = 'sent'")"
FILES="$(cat "$WORK"/data-a/outbox/*.eml "$WORK"/data-b/outbox/*.eml 2>/dev/null | grep -c '^Message-ID:' || true)"
[ "$SENT" -gt 0 ] && [ "$FILES" = "$SENT" ] || fail "$SENT letters sent, $FILES written"
[ "$(grep -l 'novice@example.ru' "$WORK"/data-?/outbox/*.eml | wc -l)" = 1 ] || fail "the new student's letter is not there once"
say "$SENT letters, each written once across both hosts"

say "/metrics: private to the operator's address, refused through nginx"
[ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$SITE/metrics")" = 404 ] || fail "/metrics answers the public through nginx"
curl -fs "http://${HOST_IP[a]}:3000/metrics" | promtool check metrics || fail "promtool refuses host a's metrics"

if [ -n "${BENCH:-}" ]; then
  LOAD="$(dirname "$BIN")/examples/school_load"
  [ -x "$LOAD" ] || fail "build the load generator: cargo build --features ssr --example school_load (--release with a release BIN)"
  REQUESTS="${REQUESTS:-400}"
  say "booking throughput: $REQUESTS students at once, one app host, then two"
  DATABASE_URL="$URL" KULISY_DATA="$WORK/load" "$LOAD" seed $((REQUESTS * 2)) $((REQUESTS * 2)) 0 >/dev/null
  for hosts in "${HOST_IP[a]}:3000" "${HOST_IP[a]}:3000,${HOST_IP[b]}:3000"; do
    echo "-- app hosts: $hosts"
    DATABASE_URL="$URL" KULISY_DATA="$WORK/load" "$LOAD" storm "$hosts" "$REQUESTS" $((REQUESTS / 10))
  done
fi

say "one app host dies mid-load: nginx moves on, no acknowledged booking is lost"
failover "$URL" "${APP_PID[b]}" "http://${HOST_IP[a]}:3000/metrics"

say "several-hosts test passed: nginx → two app hosts → one PostgreSQL, one S3 store"
