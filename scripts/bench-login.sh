#!/usr/bin/env bash
# Login throughput and latency with argon2id (m=19 MiB, t=2, p=1), measured
# with wrk against the release server on loopback. Usage: make bench-login
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-3300}"
DURATION="${DURATION:-15s}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --no-default-features --features ssr --bin kulisy

DATA="$(mktemp -d)"
KULISY_DEMO=true KULISY_DATA="$DATA" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn target/release/kulisy >/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

LUA="$DATA/login.lua"
cat > "$LUA" <<'LUA'
wrk.method = "POST"
wrk.body = "email=anna%40kulisy.test&password=kulisy-demo"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
LUA
echo "== successful logins, $(nproc) cores, 8 connections, $DURATION"
wrk -t2 -c8 -d"$DURATION" --latency -s "$LUA" "http://127.0.0.1:$PORT/api/account/login"
echo "== the home page alongside (no login load), for comparison"
wrk -t2 -c8 -d5s --latency "http://127.0.0.1:$PORT/"
