#!/usr/bin/env bash
# `make run`: installs what is missing, builds the app, migrates, seeds the
# demo school and serves it. Says up front how long this will take on this
# machine and times each step; cargo draws its own progress bars.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# The demo's server is the release build at opt-level 1: fast enough to show
# the school (a page renders in milliseconds), in half the compile time of
# the full release that production and `make bench` use. Its own target
# directory keeps the two builds from overwriting each other.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
export LEPTOS_BIN_TARGET_DIR=target/demo
server=target/demo/release/kulisy

# Minutes each part took on 2 cores (README, «The first run»).
minutes=0
plan=()
tools_missing=false
if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ] || ! command -v wasm-bindgen >/dev/null; then
  tools_missing=true; minutes=$((minutes + 6)); plan+=("the tools ~6 min, beside the app's build")
fi
if [ ! -x "$server" ]; then
  minutes=$((minutes + 12)); plan+=("the app, first build ~12 min")
else
  plan+=("the app: only what changed, a minute or less when nothing did")
fi
if [ "$minutes" -gt 0 ]; then
  printf '\033[1;36m==> First run on this machine: about %s minutes (%s); a busy or slower machine takes up to 3× as long. Later runs reuse all of it.\033[0m\n' \
    "$minutes" "$(IFS=';'; echo "${plan[*]}" | sed 's/;/, /g')"
fi

step() {
  local name="$1"; shift
  local start=$SECONDS
  printf '\033[1;36m==> %s\033[0m\n' "$name"
  "$@"
  printf '\033[1;36m    %s: done in %dm%02ds\033[0m\n' "$name" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60))
}

# What cargo-leptos runs for `build --release --split` (its `-vv` output
# shows the same lines), so that its own build afterwards finds everything
# fresh. Were they ever to drift apart, it would only build again.
leptos_env=(LEPTOS_OUTPUT_NAME=kulisy LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=.
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt)
build_bundle() {
  env "${leptos_env[@]}" RUSTFLAGS="-Clink-args=--emit-relocs --cfg erase_components" \
    cargo build --package=kulisy --lib --target-dir="$PWD/target/front" --target=wasm32-unknown-unknown \
    --no-default-features --features=hydrate --profile=wasm-release
}
build_server() {
  env "${leptos_env[@]}" RUSTFLAGS="--cfg erase_components" \
    cargo build --package=kulisy --bin=kulisy --target-dir=target/demo --no-default-features --features=ssr --release
}

# On a new machine the tools (cargo-leptos, wasm-bindgen) compile beside the
# app: one build alone leaves a core idle for long stretches (C libraries,
# link steps, the app's own crate), and the app does not need them until
# its last step. The server's build, the longest, keeps the upper hand.
first_build() {
  scripts/bootstrap.sh target
  mkdir -p target
  local tools_log=target/make-run-tools.log bundle_log=target/make-run-bundle.log
  printf '    the tools and the browser bundle build in the background (%s, %s)\n' "$tools_log" "$bundle_log"
  (renice -n 10 -p $BASHPID >/dev/null; scripts/bootstrap.sh tools) >"$tools_log" 2>&1 &
  local tools=$!
  (renice -n 5 -p $BASHPID >/dev/null; build_bundle) >"$bundle_log" 2>&1 &
  local bundle=$!
  build_server
  wait "$bundle" || { tail -n 30 "$bundle_log"; exit 1; }
  wait "$tools" || { tail -n 30 "$tools_log"; exit 1; }
  scripts/bootstrap.sh build
}

if [ "$tools_missing" = true ] && [ ! -x "$server" ]; then
  step "[1/3] the app's first build, with the tools beside it" first_build
else
  step "[1/3] tools" scripts/bootstrap.sh build
fi
# cargo-leptos runs wasm-bindgen and wasm-opt again even when nothing
# changed (a minute and a half here): a stamp of the last build skips that.
stamp=target/demo/.built-by-make-run
changed="$(find src style public migration Cargo.toml Cargo.lock Leptos.toml -newer "$stamp" -print -quit 2>/dev/null || echo none)"
if [ -f "$stamp" ] && [ -x "$server" ] && [ -z "$changed" ]; then
  printf '\033[1;36m==> [2/3] [3/3] the app: nothing changed since the last build\033[0m\n'
else
  step "[2/3] building the app" cargo leptos build --release --split
  step "[3/3] compressing assets" scripts/precompress.sh --brotli
  touch "$stamp"
fi
printf '\033[1;36m==> ready in %dm%02ds; starting the school\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60))
KULISY_DEMO=true exec "$server"
