#!/usr/bin/env bash
# What hostile clients cost the release server (issue #14), on loopback:
#   1. a sign-in with a 1 MiB password, beside an ordinary wrong one;
#   2. sign-in latency while 40 registrations (40 client addresses behind
#      the trusted proxy) arrive at once;
#   3. peak memory while three 9000×9000 PNGs (≈80 KB each) are uploaded at once.
# Usage: make bench-abuse
source "$(dirname "$0")/bench-common.sh"
PORT="${PORT:-3310}"

build_server
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$DATA"' EXIT
serve_demo "$PORT" "$DATA" KULISY_TRUSTED_PROXIES=127.0.0.1
SERVER=$!
URL="http://127.0.0.1:$PORT"

json=(-H 'Accept: application/json')
seconds() { curl -s -o /dev/null -w '%{time_total}' "${json[@]}" "$@"; }

echo "== 1. a sign-in with a 1 MiB password"
{ printf 'email=dmitry%%40kulisy.test&password='; head -c 1048576 /dev/zero | tr '\0' 'a'; } > "$DATA/big-login"
echo "ordinary wrong password: $(seconds --data 'email=dmitry%40kulisy.test&password=wrong-password' "$URL/api/account/login") s"
echo "1 MiB password:          $(seconds --data-binary @"$DATA/big-login" "$URL/api/account/login") s"

echo "== 2. sign-ins while 40 registrations arrive at once"
seconds --data 'email=anna%40kulisy.test&password=kulisy-demo' "$URL/api/account/login" >/dev/null # warm
BURST=()
for i in $(seq 1 40); do
  curl -s -o /dev/null -w '%{http_code}\n' "${json[@]}" -H "X-Forwarded-For: 198.51.100.$i" \
    --data "full_name=%D0%90%D0%BD%D0%BD%D0%B0&email=reg$i%40example.ru&password=scena-i-kulisy&password_confirm=scena-i-kulisy&consent=on" \
    "$URL/api/account/register" >> "$DATA/registrations" &
  BURST+=($!)
done
for _ in $(seq 1 30); do
  seconds --data 'email=anna%40kulisy.test&password=kulisy-demo' "$URL/api/account/login"
  echo
done | sort -n > "$DATA/logins"
wait "${BURST[@]}"
echo "registrations answered: $(sort "$DATA/registrations" | uniq -c | tr -s ' ' | tr '\n' ',')"
echo "30 sign-ins during the registrations: p50 $(sed -n 15p "$DATA/logins") s, p99 (the slowest) $(tail -1 "$DATA/logins") s"


echo "== 3. three 9000×9000 PNGs uploaded at once"
python3 - "$DATA/bomb.png" <<'PY'
import struct, sys, zlib
w = h = 9000
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
raw = zlib.compress(b"\0" * ((w + 1) * h), 9)  # grey, every row filter 0 and black
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
echo "file: $(stat -c %s "$DATA/bomb.png") bytes"
curl -s -o /dev/null -c "$DATA/jar" "${json[@]}" --data 'email=anna%40kulisy.test&password=kulisy-demo' "$URL/api/account/login"
echo "server memory before: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}') peak, $(grep VmRSS /proc/$SERVER/status | awk '{print $2/1024 " MB"}') now"
UPLOADS=()
for i in 1 2 3; do
  curl -s -o "$DATA/upload-$i" -w ' (%{http_code}, %{time_total} s)' -b "$DATA/jar" -H 'x-kulisy-upload: script' \
    -F kind=photo -F "title=Снимок $i" -F "file=@$DATA/bomb.png;type=image/png" "$URL/my/portfolio/items" > "$DATA/status-$i" &
  UPLOADS+=($!)
done
wait "${UPLOADS[@]}"
for i in 1 2 3; do echo "answer $i: $(cat "$DATA/upload-$i")$(cat "$DATA/status-$i")"; done
echo "server memory after:  $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}') peak"
