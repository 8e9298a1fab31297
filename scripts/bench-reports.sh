#!/usr/bin/env bash
# The money reports and the payroll over a year of a large school (1,000
# students, 20 teachers: 52,000 attendance marks, 12,000 paid invoices),
# asked for by the office from a client on loopback against the release
# server, as data and as rendered pages. On SQLite unless told otherwise.
# Usage: make bench-reports [STUDENTS=1000 TEACHERS=20 ROUNDS=30 BENCH_DATABASES="sqlite postgres"]
source "$(dirname "$0")/bench-common.sh"
STUDENTS="${STUDENTS:-1000}"
TEACHERS="${TEACHERS:-20}"
ROUNDS="${ROUNDS:-30}"
DATABASES="${BENCH_DATABASES:-sqlite}"
PG_URL="${KULISY_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"

build_server --example school_load
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DATA"' EXIT
port=3521
for backend in $DATABASES; do
  rm -rf "${DATA:?}"/*
  if [ "$backend" = postgres ]; then
    psql -q "$PG_URL/postgres" -c 'DROP DATABASE IF EXISTS kulisy_bench_reports' -c 'CREATE DATABASE kulisy_bench_reports'
    url="$PG_URL/kulisy_bench_reports"
  else
    url="sqlite://$DATA/kulisy.db?mode=rwc"
  fi
  export DATABASE_URL="$url"
  serve_demo "$port" "$DATA"
  server=$!
  echo "== $backend: $(KULISY_DATA="$DATA" RUST_LOG=warn target/release/examples/school_load money-year "$STUDENTS" "$TEACHERS")"
  KULISY_DATA="$DATA" RUST_LOG=warn target/release/examples/school_load reports "127.0.0.1:$port" "$ROUNDS"
  kill "$server"; wait "$server" 2>/dev/null || true
  port=$((port + 1))
done
