# The two commands of the README. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)

.PHONY: run test test-server test-e2e test-budget test-deploy test-hosts check bench bench-render profile-schedule bench-login bench-abuse bench-schedule bench-people bench-upload bench-attendance bench-reports

## make run — build (release), migrate, seed the demo school, serve on :3000
## (the demo's logins are published: KULISY_DEMO=true belongs here, never in production)
run:
	scripts/run.sh

## make test — every test: unit and server tests on SQLite and PostgreSQL, then Chromium
test:
	scripts/bootstrap.sh test
	$(MAKE) test-server
	$(MAKE) test-e2e
	$(MAKE) test-budget
	$(MAKE) test-deploy
	$(MAKE) test-hosts

test-server:
	cargo test --features ssr --no-fail-fast

test-e2e:
	cargo leptos build --split
	scripts/precompress.sh
	cd end2end && npx playwright test

## the wasm each role's first page needs (release build, brotli) within its budget
test-budget:
	scripts/test-budget.sh

## nginx (TLS, HTTP/2) in front of two app processes on one PostgreSQL (after test-e2e's build)
test-deploy:
	scripts/test-deploy.sh

## two app hosts (network namespaces), one PostgreSQL, one S3 server, nginx (after test-e2e's build)
test-hosts:
	scripts/test-hosts.sh

check:
	cargo check --features ssr
	cargo check --lib --target wasm32-unknown-unknown --features hydrate

## make bench — the performance table of the README: a large school on SQLite and
## PostgreSQL, pages beside static files, a booking storm, logins, memory, first visit
bench:
	scripts/bench.sh

## make bench-render — rendering beside the Flask reference (../shared/bench/flask-seed)
## and Lighthouse's mobile run on the public pages (part of make bench)
bench-render:
	scripts/bench-render.sh

## make profile-schedule — a flame graph of the signed-in schedule (perf + inferno)
profile-schedule:
	scripts/profile-schedule.sh

## make bench-login — login throughput and latency with argon2 (release build, wrk)
bench-login:
	scripts/bench-login.sh

## make bench-abuse — what hostile clients cost: a 1 MiB password, sign-ins during a
## burst of registrations, three pixel-bomb PNGs at once (release build)
bench-abuse:
	scripts/bench-abuse.sh

## make bench-schedule — schedule page server time, 200 courses beside the 6-course demo
bench-schedule:
	scripts/bench-schedule.sh

## make bench-people — the office's people list with 10,000 students beside the demo school
bench-people:
	scripts/bench-people.sh

## make bench-attendance — a whole lesson of 30 students with passes marked in one request
bench-attendance:
	scripts/bench-attendance.sh

## make bench-reports — the money reports and the payroll over a year of 1,000 students and 20 teachers
bench-reports:
	scripts/bench-reports.sh

## make bench-upload — server memory while a 500 MB video is uploaded
bench-upload:
	scripts/bench-upload.sh
