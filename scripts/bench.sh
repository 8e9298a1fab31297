#!/usr/bin/env bash
# The performance benchmark of the README (make bench): a large school
# (200 courses, 10,000 students, 50,000 enrollments) on SQLite and on
# PostgreSQL, the release server on loopback, wrk as the load generator.
# Prints a Markdown table and keeps it in target/bench/report.md.
#
#   make bench                     everything, about 10 minutes after the build
#   DURATION=5s make bench         shorter wrk runs
#   BENCH_DATABASES=sqlite make bench
# Then scripts/bench-render.sh: the schedule beside the Flask reference of the
# school's original requirements, and Lighthouse's mobile run on public pages.
source "$(dirname "$0")/bench-common.sh"
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
DURATION="${DURATION:-10s}"
DATABASES="${BENCH_DATABASES:-sqlite postgres}"
PG_URL="${KULISY_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT=target/bench
mkdir -p "$OUT"

scripts/bootstrap.sh test
need_wrk
cargo leptos build --release --split
scripts/precompress.sh --brotli
cargo build --release --no-default-features --features ssr --example school_load
ulimit -n 8192 2>/dev/null || true

SERVER=""
WORK=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -n "$WORK" ] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT

# wrk's "Requests/sec", 50th and 99th percentile (in ms) as "rps p50 p99".
measure() {
  local out
  out="$(wrk -t1 -c16 -d"$DURATION" --latency "$@")"
  echo "$out" >>"$OUT/wrk.log"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / [0-9]+ requests in/ { }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "wrk: non-2xx answers" > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

memory() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

row() { printf '%s\n' "$*" | tee -a "$OUT/report.md"; }

run_school() {
  local backend="$1" port="$2" url
  WORK="$(mktemp -d)"
  if [ "$backend" = postgres ]; then
    psql -q "$PG_URL/postgres" -c 'DROP DATABASE IF EXISTS kulisy_bench' -c 'CREATE DATABASE kulisy_bench'
    url="$PG_URL/kulisy_bench"
  else
    url="sqlite://$WORK/kulisy.db?mode=rwc"
  fi
  export KULISY_DEMO=true KULISY_DATA="$WORK" DATABASE_URL="$url" RUST_LOG=warn SMTP_URL=""
  local seeded; seeded="$(target/release/examples/school_load seed 194 10000 50000)"
  cp -r target/site "$WORK/site"
  mkdir -p "$WORK/site/bench"
  LEPTOS_SITE_ROOT="$WORK/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" target/release/kulisy >"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_ready "$port"
  local base="http://127.0.0.1:$port"
  local cookie; cookie="$(target/release/examples/school_load session student00042@example.ru)"
  local at_rest; at_rest="$(memory "$SERVER" VmRSS)"

  row ""
  row "### $backend — $seeded"
  row ""
  row "| page | bytes | SSR req/s | p50 ms | p99 ms | same bytes as a file, req/s | SSR ÷ file |"
  row "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  local name path
  # A course's page is at its readable address; its number answers 301.
  local course_page; course_page="$(curl -s -o /dev/null -w '%{redirect_url}' "$base/courses/100")"
  course_page="/${course_page#*://*/}"
  for page in "schedule:/courses" "schedule, brotli:/courses" "course page:$course_page" "afisha:/afisha" "history (signed in):/my/enrollments" \
    "schedule (signed in):/courses"; do
    name="${page%%:*}"; path="${page#*:}"
    local header=() sent
    case "$name" in *"signed in"*) header=(-H "Cookie: $cookie") ;; esac
    local file="$WORK/site/bench/${name//[^a-z]/_}.html"
    curl -fs "${header[@]}" "$base$path" -o "$file"
    sent="$file"
    case "$name" in *brotli*)
      # The static twin is sent precompressed, as the page is.
      header+=(-H "Accept-Encoding: br")
      curl -fs "${header[@]}" "$base$path" -o "$file.br"
      sent="$file.br" ;;
    esac
    read -r rps p50 p99 < <(measure "${header[@]}" "$base$path")
    read -r srps _ _ < <(measure "${header[@]}" "$base/bench/$(basename "$file")")
    row "| $name \`$path\` | $(wc -c <"$sent") | $rps | $p50 | $p99 | $srps | $(awk -v a="$rps" -v b="$srps" 'BEGIN { printf "%.0f%%", 100 * a / b }') |"
  done

  local after_pages; after_pages="$(memory "$SERVER" VmHWM)"
  row ""
  target/release/examples/school_load logins "127.0.0.1:$port" 20 $(( ${DURATION%s} + 2 )) >"$WORK/logins.txt" &
  local logins=$!
  sleep 1
  read -r rps p50 p99 < <(measure "$base/courses")
  wait "$logins"
  row "- schedule while 20 logins/s run: $rps req/s, p50 $p50 ms, p99 $p99 ms; $(cat "$WORK/logins.txt")"
  local after_logins; after_logins="$(memory "$SERVER" VmHWM)"
  row "- $(target/release/examples/school_load storm "127.0.0.1:$port" 1000 20 | paste -sd ';' | sed 's/;/; /g')"
  row "- server memory (VmRSS at rest, then VmHWM, the peak so far): $at_rest MB at rest; $after_pages MB after the pages; $after_logins MB after the logins; $(memory "$SERVER" VmHWM) MB after the storm"

  if [ "$backend" = sqlite ]; then
    local visit; visit="$(node end2end/bench/first-visit.mjs "$base/courses" 5)"
    echo "$visit" >"$OUT/first-visit.json"
    row "- first visit to \`/courses\` in headless Chromium (median of 5, empty cache): $(echo "$visit" | node -e '
      const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const kb = (b) => (b / 1024).toFixed(1) + " KB";
      const parts = Object.entries(v.transferredBytes).map(([k, b]) => `${k} ${kb(b)}`).join(", ");
      console.log(`${kb(v.readingBytes)} transferred while the visitor reads; ${kb(v.totalBytes)} once they act (${parts}); interactive ${v.interactiveAfterActingMs.toFixed(0)} ms after they act, of which hydrate() ${v.hydrateMs.toFixed(0)} ms`);')"
  fi
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  rm -rf "$WORK"; WORK=""
}

: >"$OUT/report.md"; : >"$OUT/wrk.log"
row "## make bench — $(date -u +%F), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), wrk -t1 -c16 -d$DURATION on loopback"
port=3600
for backend in $DATABASES; do
  run_school "$backend" "$port"
  port=$((port + 1))
done
echo
echo "The table is in $OUT/report.md; wrk's own output in $OUT/wrk.log."
# Rendering beside the Flask reference, and Lighthouse on every role's first pages.
scripts/bench-render.sh
# A whole lesson of 30 students with passes marked in one request.
scripts/bench-attendance.sh
# The money reports and the payroll over a year of 1,000 students and 20 teachers.
scripts/bench-reports.sh
# The wasm each role's first page needs, from the release build made above.
echo
echo "== The browser bundle per role's first page (brotli)"
SITE=target/site scripts/test-budget.sh
