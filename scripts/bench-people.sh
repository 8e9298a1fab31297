#!/usr/bin/env bash
# The office's people list with 10,000 students beside the demo school
# (8 people), in the same run: two release servers on loopback, each page
# measured with wrk on one connection as the signed-in administrator.
# Usage: make bench-people
source "$(dirname "$0")/bench-common.sh"
DURATION="${DURATION:-10s}"

need_wrk
build_server --example school_load

SMALL="$(mktemp -d)"; LARGE="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$SMALL" "$LARGE"' EXIT
KULISY_DEMO=true KULISY_DATA="$LARGE" RUST_LOG=warn target/release/examples/school_load seed 0 10000
serve_demo 3501 "$SMALL"
serve_demo 3502 "$LARGE"
COOKIE_SMALL="$(session 3501 admin@kulisy.test)"; COOKIE_LARGE="$(session 3502 admin@kulisy.test)"

for page in "/admin/people" "/admin/people?search=%D0%B6%D0%B0%D0%BD%D0%BD%D0%B0+%D0%BF%D0%BE%D0%BF%D0%BE%D0%B2" "/admin/people?sort=newest&page=200" "/admin/people?role=student&sort=email&page=399"; do
  for port in 3501 3502; do
    if [ "$port" = 3501 ]; then label="demo school"; cookie="$COOKIE_SMALL"; else label="10,000 students"; cookie="$COOKIE_LARGE"; fi
    echo "== $page, $label, one connection, $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$page" | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
done
