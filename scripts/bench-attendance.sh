#!/usr/bin/env bash
# Marking a whole lesson of 30 students with passes: one request, each
# round writing off (or returning) a lesson of every pass, measured from a
# client on loopback against the release server over the demo school.
# Usage: make bench-attendance [STUDENTS=30 ROUNDS=40]
source "$(dirname "$0")/bench-common.sh"
STUDENTS="${STUDENTS:-30}"
ROUNDS="${ROUNDS:-40}"

build_server --example school_load
DATA="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$DATA"' EXIT
serve_demo 3511 "$DATA"
KULISY_DATA="$DATA" RUST_LOG=warn target/release/examples/school_load lesson 127.0.0.1:3511 "$STUDENTS" "$ROUNDS"
