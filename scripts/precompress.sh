#!/usr/bin/env bash
# Gzipped copies of the built CSS, JS and wasm beside them (name.gz): the
# server (and nginx with gzip_static) sends those as they are, instead of
# compressing megabytes of wasm again for every first visit.
# Usage: scripts/precompress.sh [target/site/pkg]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/site/pkg}"
find "$dir" -type f \( -name '*.css' -o -name '*.js' -o -name '*.wasm' \) -exec gzip -kf9 {} \;
