#!/usr/bin/env bash
# Installs what building and testing Kulisy needs, reusing whatever is
# already installed at the right version. Safe to run again and again.
#
#   scripts/bootstrap.sh build   toolchain for building and running the app
#   scripts/bootstrap.sh test    the above, plus Chromium, Playwright, PostgreSQL,
#                                nginx, an S3 server and the deployment tests' tools
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-build}"
# The tools are built, not downloaded; their own speed hardly matters, so they
# are compiled without optimisation or LTO: minutes instead of half an hour.
# cargo-leptos would also compile OpenSSL from source (vendored) where the
# system's own (Debian's libssl-dev) does the same job.
tool_install() {
  if pkg-config --exists openssl 2>/dev/null; then export OPENSSL_NO_VENDOR=1; fi
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_STRIP=true cargo install "$@"
}
CARGO_LEPTOS_VERSION="0.3.10"
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

say() { printf '\033[1;33m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: install it with rustup first (https://rustup.rs)." >&2
  exit 1
fi

if ! grep -qx wasm32-unknown-unknown <<< "$(rustup target list --installed)"; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (unoptimised: about 5 minutes, once)"
  # no_downloads: use wasm-bindgen and wasm-opt from PATH instead of fetching them.
  tool_install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about a minute, once)"
  tool_install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# npm packages: wasm-opt (binaryen) for release builds, Playwright for tests.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages of end2end/ (binaryen, Playwright)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# brotli: release builds' assets are precompressed with it (scripts/precompress.sh).
if ! command -v brotli >/dev/null; then
  say "installing Debian's brotli for precompressed assets"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null; } ||
    say "could not install brotli: assets will be precompressed with gzip only"
fi

# Every crate Cargo.lock names, for the server and for the browser's wasm:
# the test of the bundle's dependency tree reads it offline before any wasm
# build has fetched the browser-only crates.
cargo fetch --locked --quiet

if [ "$MODE" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's Chromium for the browser tests"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  # pg_dump/pg_restore (backup tests), nginx and openssl (deployment test).
  missing=""
  command -v pg_dump >/dev/null || missing="$missing postgresql-client"
  command -v nginx >/dev/null || missing="$missing nginx"
  command -v openssl >/dev/null || missing="$missing openssl"
  # promtool checks the deploy kit's Prometheus config and alert rules.
  command -v promtool >/dev/null || missing="$missing prometheus"
  command -v systemd-analyze >/dev/null || missing="$missing systemd"
  # The several-hosts test: namespaces (iproute2) and PostgreSQL offered to them (socat).
  command -v ip >/dev/null || missing="$missing iproute2"
  command -v socat >/dev/null || missing="$missing socat"
  if [ -n "$missing" ]; then
    say "installing Debian's$missing for the tests"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  # A real S3-protocol server (SigV4 signatures, multipart uploads, ranges)
  # for the object-storage tests: s3s-fs, from the s3s project on crates.io.
  S3S_FS_VERSION="0.14.1"
  if [ "$(s3s-fs --version 2>/dev/null || true)" != "s3s-fs $S3S_FS_VERSION" ]; then
    say "installing s3s-fs $S3S_FS_VERSION, an S3 server for the tests (about 3 minutes, once)"
    tool_install s3s-fs --version "$S3S_FS_VERSION" --locked --features binary
  fi
  PG_HOST="${KULISY_TEST_PG_HOST:-127.0.0.1}"
  if ! pg_isready -q -h "$PG_HOST" -p 5432 2>/dev/null; then
    say "starting the local PostgreSQL"
    clusters=(/etc/postgresql/*)   # a folder per installed major version
    if [ -d "${clusters[0]}" ]; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "${clusters[0]}")" main start || true
    fi
    for _ in $(seq 1 20); do pg_isready -q -h "$PG_HOST" -p 5432 && break; sleep 1; done
    if ! pg_isready -q -h "$PG_HOST" -p 5432; then
      echo "PostgreSQL is not reachable on $PG_HOST:5432; the tests need it (see README)." >&2
      exit 1
    fi
  fi
fi
