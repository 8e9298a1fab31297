#!/usr/bin/env bash
# Where a signed-in schedule's time goes: perf samples the release server
# (built with line tables) while wrk reads `/courses` with 200 courses as a
# student, and inferno draws the flame graph. Writes
# target/bench/schedule-flame.svg (open it in a browser) and the folded
# stacks beside it, and prints the largest shares.
#
#   scripts/profile-schedule.sh        (make profile-schedule)
#   PROFILE_TARGET_DIR=dir scripts/profile-schedule.sh   (reuse a build)
source "$(dirname "$0")/bench-common.sh"
export PATH="$HOME/.cargo/bin:$PATH"
need_wrk
# perf from Debian's packages; inferno (flame graphs) from crates.io.
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
INFERNO_VERSION=0.12.3
grep -qx "inferno v$INFERNO_VERSION:" <<< "$(cargo install --list)" ||
  cargo install inferno --version "$INFERNO_VERSION" --locked
OUT=target/bench
mkdir -p "$OUT"

# The release build as cargo-leptos makes it (erased components), with line
# tables so that frames have names.
export CARGO_TARGET_DIR="${PROFILE_TARGET_DIR:-target/profile}"
RUSTFLAGS="--cfg erase_components" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --no-default-features --features ssr --bin kulisy --example school_load
BIN="$CARGO_TARGET_DIR/release"

WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
export KULISY_DEMO=true KULISY_DATA="$WORK/data" DATABASE_URL="sqlite://$WORK/data/kulisy.db?mode=rwc" RUST_LOG=warn SMTP_URL=""
mkdir -p "$KULISY_DATA" "$WORK/site"
"$BIN/examples/school_load" seed 194 1000 1500 >/dev/null
LEPTOS_SITE_ROOT="$WORK/site" LEPTOS_SITE_ADDR=127.0.0.1:3812 LEPTOS_HASH_FILES=false "$BIN/kulisy" >"$WORK/server.log" 2>&1 &
SERVER=$!
wait_ready 3812
cookie="$("$BIN/examples/school_load" session student00042@example.ru)"
wrk -t1 -c4 -d10s -H "Cookie: $cookie" http://127.0.0.1:3812/courses >"$WORK/wrk.txt" &
LOAD=$!
sleep 2
perf record -q -F 499 --call-graph dwarf,16384 -p "$SERVER" -o "$WORK/perf.data" -- sleep 6
wait "$LOAD"
echo "== folding the samples (a few minutes)"
perf script -i "$WORK/perf.data" 2>/dev/null | inferno-collapse-perf >"$OUT/schedule-folded.txt"
inferno-flamegraph --minwidth 3 \
  --title "Signed-in /courses, 200 courses: perf cpu-clock at 499 Hz under wrk -c4" \
  <"$OUT/schedule-folded.txt" >"$OUT/schedule-flame.svg"
grep Requests/sec "$WORK/wrk.txt"
python3 - "$OUT/schedule-folded.txt" <<'PY'
import collections, sys
total = 0
shares = collections.Counter()
named = {
    "thread: request workers": lambda f: f[0].startswith("tokio-rt"),
    "thread: SQLite connections": lambda f: f[0].startswith("sqlx-sqlite"),
    "leptos rendering (tachys to_html)": lambda f: any("to_html" in x for x in f),
    "malloc/free/realloc": lambda f: any(x.split("_")[-1] in ("malloc", "free", "realloc") for x in f),
    "memcpy/memmove": lambda f: any("memcpy" in x or "memmove" in x for x in f),
    "sea-orm": lambda f: any("sea_orm::" in x for x in f),
    "the catalogue's version": lambda f: any("catalogue::Version" in x for x in f),
    "the session (auth::current_user)": lambda f: any("current_user" in x for x in f),
}
for line in open(sys.argv[1]):
    stack, n = line.rsplit(" ", 1)
    frames = stack.split(";")
    total += int(n)
    for name, has in named.items():
        if has(frames):
            shares[name] += int(n)
for name, n in shares.most_common():
    print(f"{100 * n / total:5.1f} %  {name}")
PY
echo "The flame graph is $OUT/schedule-flame.svg."
