#!/usr/bin/env bash
# Lighthouse's mobile run (simulated slow 4G, a mid-range phone's CPU) on the
# pages each role opens first, of a running demo school: a visitor's public
# pages, then the student's, the teacher's and the office's, each signed in
# (a fresh browser profile per page, as a first visit). Prints a Markdown
# table; part of make bench (scripts/bench-render.sh).
#
#   scripts/bench-phone.sh http://127.0.0.1:3000     (a server with KULISY_DEMO=true)
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:?usage: scripts/bench-phone.sh BASE_URL}"
base="${base%/}"

# first_link URL PREFIX [COOKIE]: the first link of the page at URL that starts with PREFIX.
first_link() {
  local page
  page="$(curl -fs ${3:+-H "Cookie: $3"} "$1")"
  [[ "$page" =~ href=\"($2[^\"]*)\" ]] || { echo "no link to $2 on $1" >&2; return 1; }
  echo "${BASH_REMATCH[1]}"
}
# The session cookie of a demo account.
session() {
  local headers
  headers="$(curl -fs -o /dev/null -D - -H 'Accept: application/json' -H "Origin: $base" \
    --data "email=${1/@/%40}&password=kulisy-demo" "$base/api/account/login")"
  sed -n 's/^[Ss]et-[Cc]ookie: \(kulisy_session=[^;]*\).*/\1/p' <<<"$headers"
}
course="$(first_link "$base/courses" /courses/)"
show="$(first_link "$base/afisha" /afisha/)"
teacher_page="$(first_link "$base$course" /teachers/)"
roster="$(first_link "$base/teach" /teach/courses/ "$(session sokolova@kulisy.test)")"

echo "| page | who | performance | first paint ms | largest paint ms | blocking ms | layout shift | first visit KB | of it wasm KB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
node end2end/bench/lighthouse.mjs "$base" / /courses "$course" /afisha "$show" "$teacher_page" \
  --as anna@kulisy.test /courses /my/enrollments "$course/enroll" /my/portfolio \
  --as sokolova@kulisy.test /teach "$roster" \
  --as admin@kulisy.test /admin /admin/people
