#!/usr/bin/env bash
# Login throughput and latency with argon2id (m=19 MiB, t=2, p=1), measured
# with wrk against the release server on loopback. Usage: make bench-login
source "$(dirname "$0")/bench-common.sh"
PORT="${PORT:-3300}"
DURATION="${DURATION:-15s}"

need_wrk
build_server
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$DATA"' EXIT
serve_demo "$PORT" "$DATA"

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
