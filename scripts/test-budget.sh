#!/usr/bin/env bash
# The browser bundle each role's first page needs, as a phone downloads it:
# the release build's main wasm plus the pieces of the page's audience (the
# split manifest lists them), brotli-compressed as they are served. Fails
# when a role's total is over its budget, so the bundle cannot grow unseen.
# Part of make test; make bench prints the same table.
#
#   scripts/test-budget.sh              build (release wasm only, ~3 minutes) and check
#   SITE=dir scripts/test-budget.sh     check an existing build's site folder
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# role, its first page, the piece of the bundle that page is in (`app::pages`),
# and the most KB (brotli) the page's wasm may weigh: what it weighed after
# #31 (456, 395 and 480 KB; 472, 410 and 497 before) and a little room. Most of it is the main module
# every page shares, and most of that is the framework (leptos' renderer,
# reactive graph and router, serde_json, Rust's core and alloc; the school's
# own code is about a twentieth): the README's "The browser bundle" says
# what each part weighs. A feature that needs more raises its role's line
# here, in the open.
BUDGETS=(
  "student /my/enrollments student 470"
  "teacher /teach teaching 410"
  "office /admin office 495"
)

SITE="${SITE:-}"
if [ -z "$SITE" ]; then
  SITE=target/budget-site
  # A site folder of its own (the debug build the other tests serve stays as
  # it is), emptied first: each build adds files under new hashed names.
  rm -rf "$SITE"
  LEPTOS_SITE_ROOT="$SITE" cargo leptos build --release --split --frontend-only >target/budget-build.log 2>&1 ||
    { tail -40 target/budget-build.log >&2; exit 1; }
fi
pkg="$SITE/pkg"
br() { brotli -c -q 11 "$1" | wc -c; }
mapfile -t main < <(find "$pkg" -maxdepth 1 -name 'kulisy*.wasm')
mapfile -t manifest < <(find "$pkg" -maxdepth 1 -name '__wasm_split_manifest*.json')
if [ "${#main[@]}" != 1 ] || [ "${#manifest[@]}" != 1 ]; then
  echo "$pkg holds no split build, or more than one: build into an empty folder" >&2
  exit 1
fi
main_br="$(br "${main[0]}")"

echo "| role | first page | main wasm KB | its pieces KB | in all KB | budget KB |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
over=0
for line in "${BUDGETS[@]}"; do
  read -r role page piece budget <<<"$line"
  pieces="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // "office_123…", not "office_passes_123…": the piece is its name and a number.
    const key = Object.keys(m).find((k) => k.replace(/_\d+$/, "") === process.argv[2]);
    if (!key) { console.error("no piece named " + process.argv[2]); process.exit(1); }
    console.log(m[key].join("\n"));
  ' "${manifest[0]}" "$piece")"
  pieces_br=0
  while read -r name; do
    pieces_br=$((pieces_br + $(br "$pkg/$name.wasm")))
  done <<<"$pieces"
  total=$((main_br + pieces_br))
  kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
  echo "| $role | \`$page\` | $(kb "$main_br") | $(kb "$pieces_br") | $(kb "$total") | $budget |"
  if [ "$total" -gt $((budget * 1024)) ]; then
    echo "over budget: $role's $page needs $(kb "$total") KB of wasm, the budget is $budget KB" >&2
    over=1
  fi
done
exit "$over"
