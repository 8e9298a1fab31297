#!/usr/bin/env bash
# `make run`: installs what is missing, builds the release, migrates, seeds
# the demo school and serves it. Says up front how long this will take on
# this machine and times each step; cargo draws its own progress bars.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# Minutes each part took on 2 cores (README, «The first run»). Everything
# here is compiling, which keeps both cores busy: building the tools beside
# the app gains nothing (measured), so the steps simply follow each other.
minutes=0
plan=()
if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ]; then
  minutes=$((minutes + 5)); plan+=("cargo-leptos ~5 min")
fi
if ! command -v wasm-bindgen >/dev/null; then
  minutes=$((minutes + 1)); plan+=("wasm-bindgen-cli ~1 min")
fi
if [ ! -x target/release/kulisy ]; then
  minutes=$((minutes + 14)); plan+=("the app, first release build ~14 min")
else
  plan+=("the app: only what changed, a minute or less when nothing did")
fi
if [ "$minutes" -gt 0 ]; then
  printf '\033[1;36m==> First run on this machine: about %s minutes (%s); a busy or slower machine may take up to 3× as long. Later runs reuse all of it.\033[0m\n' \
    "$minutes" "$(IFS=';'; echo "${plan[*]}" | sed 's/;/, /g')"
fi

step() {
  local name="$1"; shift
  local start=$SECONDS
  printf '\033[1;36m==> %s\033[0m\n' "$name"
  "$@"
  printf '\033[1;36m    %s: done in %dm%02ds\033[0m\n' "$name" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60))
}

step "[1/3] tools" scripts/bootstrap.sh build
# cargo-leptos runs wasm-bindgen and wasm-opt again even when nothing
# changed (a minute and a half here): a stamp of the last build skips that.
stamp=target/release/.built-by-make-run
changed="$(find src style public migration Cargo.toml Cargo.lock Leptos.toml -newer "$stamp" -print -quit 2>/dev/null || echo none)"
if [ -f "$stamp" ] && [ -x target/release/kulisy ] && [ -z "$changed" ]; then
  printf '\033[1;36m==> [2/3] [3/3] the app: nothing changed since the last build\033[0m\n'
else
  step "[2/3] building the app (release)" cargo leptos build --release --split
  step "[3/3] compressing assets" scripts/precompress.sh --brotli
  touch "$stamp"
fi
printf '\033[1;36m==> ready in %dm%02ds; starting the school\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60))
KULISY_DEMO=true exec target/release/kulisy
