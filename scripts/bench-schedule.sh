#!/usr/bin/env bash
# Server time of the schedule page with 200 courses, side by side with the
# 6-course demo school in the same run: two release servers on loopback,
# measured one after the other with wrk. Usage: make bench-schedule
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10s}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --no-default-features --features ssr --bin kulisy --example school_load

SMALL="$(mktemp -d)"; LARGE="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$SMALL" "$LARGE"' EXIT
# The demo school has 6 courses; 194 more make 200.
KULISY_DEMO=true KULISY_DATA="$LARGE" RUST_LOG=warn target/release/examples/school_load seed 194
KULISY_DEMO=true KULISY_DATA="$SMALL" LEPTOS_SITE_ADDR=127.0.0.1:3401 RUST_LOG=warn target/release/kulisy >/dev/null &
KULISY_DEMO=true KULISY_DATA="$LARGE" LEPTOS_SITE_ADDR=127.0.0.1:3402 RUST_LOG=warn target/release/kulisy >/dev/null &
for port in 3401 3402; do
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done

for page in "/courses" "/courses?view=week" "/courses?format=pair&free=1"; do
  for port in 3401 3402; do
    label=$([ "$port" = 3401 ] && echo "6 courses" || echo "200 courses")
    bytes=$(curl -fs "http://127.0.0.1:$port$page" | wc -c)
    echo "== $page, $label ($bytes bytes), one connection, $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency "http://127.0.0.1:$port$page" | grep -E "Requests/sec|50%|99%"
  done
done
