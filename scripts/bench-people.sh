#!/usr/bin/env bash
# The office's people list with 10,000 students beside the demo school
# (8 people), in the same run: two release servers on loopback, each page
# measured with wrk on one connection as the signed-in administrator.
# Usage: make bench-people
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10s}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --no-default-features --features ssr --bin kulisy --example school_load

SMALL="$(mktemp -d)"; LARGE="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$SMALL" "$LARGE"' EXIT
KULISY_DEMO=true KULISY_DATA="$LARGE" RUST_LOG=warn target/release/examples/school_load seed 0 10000
KULISY_DEMO=true KULISY_DATA="$SMALL" LEPTOS_SITE_ADDR=127.0.0.1:3501 RUST_LOG=warn target/release/kulisy >/dev/null &
KULISY_DEMO=true KULISY_DATA="$LARGE" LEPTOS_SITE_ADDR=127.0.0.1:3502 RUST_LOG=warn target/release/kulisy >/dev/null &

session() {
  curl -fs -o /dev/null -D - -H 'Accept: application/json' \
    --data 'email=admin%40kulisy.test&password=kulisy-demo' "http://127.0.0.1:$1/api/account/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(kulisy_session=[^;]*\).*/\1/p'
}
for port in 3501 3502; do
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
COOKIE_SMALL="$(session 3501)"; COOKIE_LARGE="$(session 3502)"

for page in "/admin/people" "/admin/people?search=%D0%B6%D0%B0%D0%BD%D0%BD%D0%B0+%D0%BF%D0%BE%D0%BF%D0%BE%D0%B2" "/admin/people?sort=newest&page=200" "/admin/people?role=student&sort=email&page=399"; do
  for port in 3501 3502; do
    if [ "$port" = 3501 ]; then label="demo school"; cookie="$COOKIE_SMALL"; else label="10,000 students"; cookie="$COOKIE_LARGE"; fi
    echo "== $page, $label, one connection, $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$page" | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
done
