#!/usr/bin/env bash
# Compressed copies of the built CSS, JS and wasm beside them (name.gz, and
# name.br with --brotli when the brotli tool is installed): the server (and
# nginx with gzip_static/brotli_static) sends those as they are, instead of
# compressing megabytes of wasm again for every first visit. Brotli at its
# best level takes a while, so it is for release builds (make run, make bench).
# Usage: scripts/precompress.sh [--brotli] [target/site/pkg]
set -euo pipefail
cd "$(dirname "$0")/.."
brotli=no
if [ "${1:-}" = --brotli ]; then brotli=yes; shift; fi
dir="${1:-target/site/pkg}"
find "$dir" -type f \( -name '*.css' -o -name '*.js' -o -name '*.wasm' \) -exec gzip -kf9 {} \;
if [ "$brotli" = yes ]; then
  if command -v brotli >/dev/null; then
    find "$dir" -type f \( -name '*.css' -o -name '*.js' -o -name '*.wasm' \) -exec brotli -kfq 11 {} \;
  else
    echo "precompress: no brotli tool; browsers get the gzip copies" >&2
  fi
fi
