# What the bench scripts share; sourced by them, never run alone. Each
# script measures the release server on loopback, over a demo school in a
# directory of its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# wrk, the load generator, from Debian's packages.
need_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
}

# The release server, and whatever else is named (`--example school_load`).
build_server() {
  cargo build --release --no-default-features --features ssr --bin kulisy "$@"
}

# Waits until the server on PORT answers its health check.
wait_ready() {
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the server on :$1 did not start" >&2
  return 1
}

# serve_demo PORT DATA [NAME=VALUE ...]: the release server with the demo
# school over DATA, in the background (its pid is then in $!), once it answers.
serve_demo() {
  local port="$1" data="$2"
  shift 2
  env KULISY_DEMO=true KULISY_DATA="$data" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn "$@" \
    target/release/kulisy >/dev/null &
  wait_ready "$port"
}

# session PORT EMAIL: the session cookie of a demo account signed in there.
session() {
  curl -fs -o /dev/null -D - -H 'Accept: application/json' \
    --data "email=${2/@/%40}&password=kulisy-demo" "http://127.0.0.1:$1/api/account/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(kulisy_session=[^;]*\).*/\1/p'
}
