#!/usr/bin/env bash
# Rendering side by side with the Flask reference (the schedule page written
# the way the school's original requirements describe it: Flask, SQLAlchemy,
# Jinja2 under gunicorn with 2 sync workers), in one run on this machine:
# the same 200 courses, 1,000 students and 1,500 past enrollments on SQLite.
# Prints ratios (comparable across machines) and absolute numbers (this
# machine, this day), then Lighthouse's mobile run on the public pages.
#
#   scripts/bench-render.sh            (part of make bench)
#   FLASK_SEED=path DURATION=5s scripts/bench-render.sh
#   BEFORE=dir scripts/bench-render.sh   (adds an earlier build's pages: see below)
source "$(dirname "$0")/bench-common.sh"
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
DURATION="${DURATION:-10s}"
FLASK_SEED="${FLASK_SEED:-../shared/bench/flask-seed}"
OUT=target/bench
mkdir -p "$OUT"
REPORT="$OUT/render.md"
: >"$REPORT"

need_wrk
[ -d "$FLASK_SEED" ] || { echo "the Flask reference is not at $FLASK_SEED (set FLASK_SEED)" >&2; exit 1; }
scripts/bootstrap.sh test
cargo leptos build --release --split
scripts/precompress.sh --brotli
cargo build --release --no-default-features --features ssr --example school_load
ulimit -n 8192 2>/dev/null || true

WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
row() { printf '%s\n' "$*" | tee -a "$REPORT"; }
memory() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# wrk's requests per second, p50 and p99 in ms: "rps p50 p99".
measure() {
  local connections="$1"; shift
  wrk -t"$([ "$connections" = 1 ] && echo 1 || echo 2)" -c"$connections" -d"$DURATION" --latency "$@" | tee -a "$OUT/wrk.log" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = 1 }
    END { if (bad) { print "wrk: non-2xx answers" > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

echo "== the Flask reference: a virtualenv from PyPI, 200 courses"
cp -r "$FLASK_SEED" "$WORK/flask"
(cd "$WORK/flask" && unset DATABASE_URL && ./setup.sh >/dev/null && .venv/bin/python seed.py 200 >/dev/null)
(cd "$WORK/flask" && unset DATABASE_URL && exec ./run.sh 3710) >"$WORK/flask.log" 2>&1 &
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:3710/healthz >/dev/null && break; sleep 0.2; done

echo "== Kulisy: the release server, 200 courses, 1,000 students, 1,500 past enrollments"
export KULISY_DEMO=true RUST_LOG=warn SMTP_URL=""
cp -r target/site "$WORK/site"
# Starts a server built into $1 (its kulisy and examples/school_load) on
# port $2 over a school of its own; sets SERVER and the three sessions.
start() {
  local bin="$1" port="$2" data="$WORK/kulisy-$2"
  mkdir -p "$data"
  export KULISY_DATA="$data" DATABASE_URL="sqlite://$data/kulisy.db?mode=rwc"
  "$bin/examples/school_load" seed 194 1000 1500 >/dev/null
  env LEPTOS_SITE_ROOT="$WORK/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" ${3:+LEPTOS_HASH_FILES=$3} "$bin/kulisy" >"$WORK/kulisy-$port.log" 2>&1 &
  SERVER=$!
  wait_ready "$port"
  student="$("$bin/examples/school_load" session student00042@example.ru)"
  teacher="$("$bin/examples/school_load" session sokolova@kulisy.test)"
  admin="$("$bin/examples/school_load" session admin@kulisy.test)"
}
flask=http://127.0.0.1:3710

row "## Rendering beside Flask — $(date -u +%F), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), wrk $DURATION per cell"
row ""
row "| page | bytes | 1 conn. p50 ms | 64 conn. req/s | 64 conn. p99 ms | req/s ÷ Flask's | Flask's p50 ÷ this |"
row "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
read -r _ fp50 _ < <(measure 1 "$flask/schedule")
read -r frps _ fp99 < <(measure 64 "$flask/schedule")
row "| Flask reference \`/schedule\` | $(curl -fs "$flask/schedule" | wc -c) | $fp50 | $frps | $fp99 | 1 | 1 |"
# One row per page of the server on $1; $2 is added to each name.
pages() {
  local base="$1" suffix="$2"; shift 2
  for page in "$@"; do
    IFS=: read -r name cookie path <<<"$page"
    header=()
    [ "$cookie" != - ] && header=(-H "Cookie: $cookie")
    read -r _ p50 _ < <(measure 1 "${header[@]}" "$base$path")
    read -r rps _ p99 < <(measure 64 "${header[@]}" "$base$path")
    bytes="$(curl -fs "${header[@]}" "$base$path" | wc -c)"
    row "| $name$suffix \`$path\` | $bytes | $p50 | $rps | $p99 | $(awk -v a="$rps" -v b="$frps" 'BEGIN { printf "%.1f×", a / b }') | $(awk -v a="$fp50" -v b="$p50" 'BEGIN { printf "%.1f×", a / b }') |"
  done
}
signed_in_pages() {
  printf '%s\n' "schedule, signed in (rendered):$student:/courses" "a student's history:$student:/my/enrollments" \
    "teacher's desk:$teacher:/teach" "office's people list:$admin:/admin/people"
}

# BEFORE=dir: the same signed-in pages from a build of an earlier commit
# (its target/release) in the same run, so that "gains" compare like with like:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release \
#     --no-default-features --features ssr --bin kulisy --example school_load)
#   BEFORE=/tmp/before/target/release scripts/bench-render.sh
if [ -n "${BEFORE:-}" ]; then
  start "$BEFORE" 3712 false # its pages name assets this build does not have
  mapfile -t list < <(signed_in_pages)
  pages http://127.0.0.1:3712 " — before" "${list[@]}"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
fi

start target/release 3711
kulisy=http://127.0.0.1:3711
mapfile -t list < <(signed_in_pages)
pages "$kulisy" "" "${list[0]}" "schedule, kept page:-:/courses" "${list[@]:1}"
row ""
row "- Kulisy's peak memory (VmHWM) after these runs: $(memory "$SERVER" VmHWM) MB"

# What the schedule page carries: its HTML beside Flask's page of the same
# cards, and how much of it is hydration data (the resources' scripts).
curl -fs -H "Cookie: $student" "$kulisy/courses" -o "$WORK/courses.html"
curl -fs "$flask/schedule" -o "$WORK/schedule.html"
row "- $(python3 - "$WORK/courses.html" "$WORK/schedule.html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read().encode()
flask = open(sys.argv[2], "rb").read()
data = sum(len(m.group(0).encode()) for m in re.finditer(r"<script[^>]*>[^<]*__RESOLVED_RESOURCES[^<]*</script>", page.decode()))
print(f"the schedule page: {len(page):,} bytes, of which {data:,} hydration data; "
      f"{len(page) / len(flask):.2f}× the Flask page of the same cards ({len(flask):,} bytes)")
PY
)"

echo "== Lighthouse, mobile (simulated slow 4G): a visitor's pages, then each role's first pages, signed in"
# On a fresh demo school, as a school starts and as the issue tracker measured it.
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
mkdir -p "$WORK/demo"
serve_demo 3713 "$WORK/demo" DATABASE_URL="sqlite://$WORK/demo/kulisy.db?mode=rwc" LEPTOS_SITE_ROOT="$WORK/site"
SERVER=$!
row ""
scripts/bench-phone.sh http://127.0.0.1:3713 | tee -a "$REPORT"
echo
echo "The table is in $REPORT."
