#!/usr/bin/env bash
# Server memory while a 500 MB video is uploaded to a portfolio: resident
# memory at rest, sampled during the upload, and the process's peak (VmHWM),
# against the release server on loopback. Usage: make bench-upload
source "$(dirname "$0")/bench-common.sh"
PORT="${PORT:-3301}"
SIZE_MB="${SIZE_MB:-500}"

build_server
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$DATA"' EXIT
serve_demo "$PORT" "$DATA"
SERVER=$!

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER/status"; }
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$SERVER/status"; }

# An MP4 header and then zeros: the server checks the first bytes only.
VIDEO="$DATA/big.mp4"
{ printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2'; head -c $((SIZE_MB * 1024 * 1024 - 24)) /dev/zero; } > "$VIDEO"

JAR="$DATA/cookies"
curl -fs -c "$JAR" -H 'Accept: application/json' \
  --data 'email=anna%40kulisy.test&password=kulisy-demo' "http://127.0.0.1:$PORT/api/account/login" >/dev/null
# A few pages first, so "at rest" means a warmed-up server.
for _ in 1 2 3; do curl -fs -b "$JAR" "http://127.0.0.1:$PORT/my/portfolio" >/dev/null; done
REST_KB=$(rss)
REST_HWM_KB=$(hwm)

SAMPLES="$DATA/samples"
( while kill -0 $SERVER 2>/dev/null; do rss >> "$SAMPLES"; sleep 0.1; done ) &
SAMPLER=$!
START=$(date +%s.%N)
ANSWER=$(curl -s -b "$JAR" -H 'x-kulisy-upload: 1' -w ' HTTP %{http_code}' \
  -F kind=video -F 'title=Большое видео' -F "file=@$VIDEO;type=video/mp4" "http://127.0.0.1:$PORT/my/portfolio/items")
END=$(date +%s.%N)
kill $SAMPLER 2>/dev/null || true

PEAK_SAMPLED=$(sort -n "$SAMPLES" | tail -1)
STORED=$(find "$DATA/uploads/portfolio" -type f -printf '%s\n' | head -1)
echo "== ${SIZE_MB} MB video upload, release build, loopback"
echo "answer:                $ANSWER"
echo "stored file:           $((STORED / 1024 / 1024)) MB"
echo "time:                  $(awk "BEGIN { printf \"%.1f\", $END - $START }") s"
echo "RSS at rest:           $((REST_KB / 1024)) MB (peak before the upload: $((REST_HWM_KB / 1024)) MB)"
echo "RSS during, sampled:   max $((PEAK_SAMPLED / 1024)) MB over $(wc -l < "$SAMPLES") samples"
echo "peak RSS (VmHWM):      $(( $(hwm) / 1024 )) MB"
