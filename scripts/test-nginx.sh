# Sourced by the deployment tests (test-deploy.sh, test-hosts.sh): nginx from
# deploy/nginx-kulisy.conf in front of two app addresses, and the failover
# check both run. Expects WORK (a scratch directory) and the helpers below.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf '\033[1;33m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31m%s failed: %s\033[0m\n' "$(basename "$0")" "$*" >&2; exit 1; }
C=(curl -sk --http2 --max-time 20)

# start_nginx HTTPS_PORT HTTP_PORT UPSTREAM_A UPSTREAM_B: TLS with a
# self-signed certificate, the site's configuration with only its addresses
# changed; its pid file is $WORK/nginx.pid.
start_nginx() {
  local https="$1" http="$2" a="$3" b="$4"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
  mkdir -p "$WORK/tmp"
  sed -e "s#server 127.0.0.1:3000;#server $a;#" \
      -e "s#server 127.0.0.1:3001;#server $b;#" \
      -e "s#listen 443 ssl http2;#listen $https ssl http2;#" -e "/listen \[::\]/d" \
      -e "s#listen 80;#listen $http;#" \
      -e "s#server_name school.example.ru;#server_name 127.0.0.1;#" \
      -e "s#/etc/letsencrypt/live/school.example.ru/fullchain.pem#$WORK/cert.pem#" \
      -e "s#/etc/letsencrypt/live/school.example.ru/privkey.pem#$WORK/key.pem#" \
      -e "s#/opt/kulisy/site/pkg/#$PWD/target/site/pkg/#" \
      deploy/nginx-kulisy.conf > "$WORK/site.conf"
  if ! compgen -G '/usr/lib/nginx/modules/*brotli*' >/dev/null; then
    sed -i '/brotli_static/d' "$WORK/site.conf"   # the module is a separate package
  fi
  # Workers run as the user running the test: the checkout (a mktemp
  # directory in CI) need not be readable by www-data.
  cat > "$WORK/nginx.conf" <<CONF
user $(id -un);
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
include /etc/nginx/modules-enabled/*.conf;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  include $WORK/site.conf;
}
CONF
  # Precompressed assets, as a release ships them.
  scripts/precompress.sh
  nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" || fail "nginx refused the configuration"
  nginx -c "$WORK/nginx.conf" -p "$WORK"
}

# login JAR EMAIL: a demo account signed in through nginx at $SITE.
login() {
  [ "$("${C[@]}" -c "$1" -H 'Accept: application/json' --data "email=${2/@/%40}&password=kulisy-demo" \
    "$SITE/api/account/login" -o /dev/null -w '%{http_code}')" = 200 ] || fail "login of $2"
}

# register_novice: novice@example.ru registers through nginx at $SITE (one
# letter goes out: the address confirmation).
register_novice() {
  [ "$("${C[@]}" -H 'Accept: application/json' \
    --data 'full_name=%D0%9D%D0%BE%D0%B2%D0%B8%D1%87%D0%BE%D0%BA&email=novice%40example.ru&password=very-long-pass-42&password_confirm=very-long-pass-42&consent=on' \
    "$SITE/api/account/register" -o /dev/null -w '%{http_code}')" = 200 ] || fail "registration"
}

# failover DB_URL PID_TO_KILL SURVIVOR_METRICS_URL: 400 page loads and a
# round of bookings by dmitry, maria and nikita through nginx at $SITE; the
# process PID_TO_KILL is killed while they run. Every page must be answered,
# every acknowledged booking must be in the database, and the survivor's
# metrics must show the requests.
failover() {
  local url="$1" victim="$2" survivor="$3"
  for student in dmitry maria nikita; do login "$WORK/jar-$student" "$student@kulisy.test"; done
  psql "$url" -Atq -F ' ' -c "SELECT c.id, MIN(ct.teacher_id), c.term_start, c.term_end FROM courses c JOIN course_teachers ct ON ct.course_id = c.id WHERE c.offers_personal GROUP BY c.id" > "$WORK/courses.txt"
  : > "$WORK/bookings.txt"
  seq 1 400 | xargs -P 4 -I{} "${C[@]}" -o /dev/null -w '%{http_code}\n' "$SITE/courses?q={}" > "$WORK/gets.txt" &
  local load=$! bookings=()
  while read -r course teacher start end; do
    for student in dmitry maria nikita; do
      form="course_id=$course&teacher_id=$teacher&format=personal&partner_email=&period_start=$start&period_end=$end&waitlist=on"
      ( code="$("${C[@]}" -b "$WORK/jar-$student" -H 'Accept: application/json' --data "$form" -o /dev/null -w '%{http_code}' "$SITE/api/enrollments/enroll")"
        echo "$student $course $code" >> "$WORK/bookings.txt" ) &
      bookings+=($!)
    done
    sleep 0.1
  done < "$WORK/courses.txt"
  sleep 0.3
  kill -9 "$victim"   # while requests run
  wait "$load" "${bookings[@]}"
  [ "$(sort -u "$WORK/gets.txt")" = 200 ] || fail "pages failed while a process died: $(sort "$WORK/gets.txt" | uniq -c | tr '\n' ' ')"
  local acked=0
  while read -r student course code; do
    [ "$code" = 200 ] || continue
    acked=$((acked + 1))
    n="$(psql "$url" -Atqc "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.student_id WHERE u.email = '$student@kulisy.test' AND e.course_id = $course AND e.status IN ('pending', 'waitlisted', 'confirmed')")"
    [ "$n" = 1 ] || fail "$student's acknowledged booking of course $course is not there ($n)"
  done < "$WORK/bookings.txt"
  [ "$acked" -gt 0 ] || fail "no booking was acknowledged"
  [ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$SITE/healthz")" = 200 ] || fail "nginx does not move on to the survivor"
  curl -fs "$survivor" > "$WORK/survivor.metrics" || fail "the survivor does not answer /metrics"
  grep -q '^kulisy_http_requests_total{method="GET",route="/courses",status="200"} [1-9]' "$WORK/survivor.metrics" ||
    fail "the survivor's metrics do not show the requests"
  say "$acked bookings acknowledged, each in the database; $(wc -l < "$WORK/gets.txt") pages answered"
}
