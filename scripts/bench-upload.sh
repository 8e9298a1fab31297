#!/usr/bin/env bash
# Server memory while a 500 MB video is uploaded to a portfolio: resident
# memory at rest, sampled during the upload, and the process's peak (VmHWM),
# against the release server on loopback. Usage: make bench-upload
#
# MEDIA=s3: the video streams into an S3 server (s3s-fs, from bootstrap) as a
# multipart upload; then 200 seeks (64 KB ranges) through the app, which
# checks access and streams the store's answer on, beside the same reads
# straight from the store with a signed request — what a presigned address
# would cost.
source "$(dirname "$0")/bench-common.sh"
PORT="${PORT:-3301}"
SIZE_MB="${SIZE_MB:-500}"

build_server
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$DATA"' EXIT
STORE=()
if [ "${MEDIA:-local}" = s3 ]; then
  S3_PORT=$((PORT + 1)) S3_SECRET="$(openssl rand -hex 20)"
  mkdir -p "$DATA/s3/kulisy-media"
  s3s-fs --host 127.0.0.1 --port "$S3_PORT" --access-key kulisy --secret-key "$S3_SECRET" "$DATA/s3" >/dev/null 2>&1 &
  STORE=(KULISY_MEDIA=s3 KULISY_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" KULISY_S3_BUCKET=kulisy-media
         KULISY_S3_ACCESS_KEY=kulisy KULISY_S3_SECRET_KEY="$S3_SECRET")
fi
serve_demo "$PORT" "$DATA" "${STORE[@]}"
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
STORED=$(find "$DATA" -path '*/portfolio/*' -type f -printf '%s\n' -quit)
echo "== ${SIZE_MB} MB video upload, release build, loopback, store: ${MEDIA:-local}"
echo "answer:                $ANSWER"
echo "stored file:           $((STORED / 1024 / 1024)) MB"
echo "time:                  $(awk "BEGIN { printf \"%.1f\", $END - $START }") s"
echo "RSS at rest:           $((REST_KB / 1024)) MB (peak before the upload: $((REST_HWM_KB / 1024)) MB)"
echo "RSS during, sampled:   max $((PEAK_SAMPLED / 1024)) MB over $(wc -l < "$SAMPLES") samples"
echo "peak RSS (VmHWM):      $(( $(hwm) / 1024 )) MB"
echo "files on the app's disk: $(find "$DATA" -path "$DATA/s3" -prune -o -path '*/uploads/*' -type f -print | wc -l)"

if [ "${MEDIA:-local}" = s3 ]; then
  KEY="$(ls "$DATA/s3/kulisy-media/portfolio")"
  # p50 and p90 in ms of 200 reads of 64 KB at spread offsets: the first
  # byte, and the whole answer.
  seeks() {
    for i in $(seq 1 200); do
      curl -s -o /dev/null -w '%{time_starttransfer} %{time_total}\n' -H "Range: bytes=$((i * 2000000))-$((i * 2000000 + 65535))" "$@"
    done | awk '{ f[NR] = $1 * 1000; t[NR] = $2 * 1000 } END {
      n = asort(f); asort(t)
      printf "first byte p50 %.1f ms, p90 %.1f ms; whole p50 %.1f ms, p90 %.1f ms", f[int(n / 2)], f[int(n * 0.9)], t[int(n / 2)], t[int(n * 0.9)] }'
  }
  echo "seek through the app:  $(seeks -b "$JAR" "http://127.0.0.1:$PORT/media/portfolio/$KEY")"
  echo "seek from the store:   $(seeks --aws-sigv4 'aws:amz:us-east-1:s3' --user "kulisy:$S3_SECRET" "http://127.0.0.1:$S3_PORT/kulisy-media/portfolio/$KEY")"
fi