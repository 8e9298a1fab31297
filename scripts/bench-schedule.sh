#!/usr/bin/env bash
# Server time of the schedule page with 200 courses, side by side with the
# 6-course demo school in the same run: two release servers on loopback,
# measured one after the other with wrk. Usage: make bench-schedule
source "$(dirname "$0")/bench-common.sh"
DURATION="${DURATION:-10s}"

need_wrk
build_server --example school_load

SMALL="$(mktemp -d)"; LARGE="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$SMALL" "$LARGE"' EXIT
# The demo school has 6 courses; 194 more make 200.
KULISY_DEMO=true KULISY_DATA="$LARGE" RUST_LOG=warn target/release/examples/school_load seed 194
serve_demo 3401 "$SMALL"
serve_demo 3402 "$LARGE"

for page in "/courses" "/courses?view=week" "/courses?format=pair&free=1"; do
  for port in 3401 3402; do
    label=$([ "$port" = 3401 ] && echo "6 courses" || echo "200 courses")
    bytes=$(curl -fs "http://127.0.0.1:$port$page" | wc -c)
    echo "== $page, $label ($bytes bytes), one connection, $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency "http://127.0.0.1:$port$page" | grep -E "Requests/sec|50%|99%"
  done
done
