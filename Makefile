# The Makefile is the interface; every target calls ./dev, which CI (.ci/run) calls too.
PG_URL ?= postgres://postgres@127.0.0.1:5432/xieshang
SCALE ?= 5

.PHONY: help demo test test-pg browser lint messages bench ci

help:
	@echo "make demo | test | test-pg | browser | lint | messages | bench [SCALE=5] | ci"

demo:  ## install, migrate SQLite under var/, load the demo committee, serve on :8000
	./dev demo

test:  ## the whole suite on SQLite (browser tests skip when /usr/bin/chromium is missing)
	./dev test

test-pg:  ## the whole suite on the local PostgreSQL
	XS_DATABASE_URL=$(PG_URL) ./dev test

browser:  ## only the Playwright tests, and fail if chromium is missing
	XS_REQUIRE_BROWSER=1 ./dev browser

lint:
	./dev lint

messages:  ## refresh the English catalogue from the msgids and compile it
	./dev messages

bench:  ## seed SCALE extra district committees into var/bench.sqlite3 and run bench/run.py if present
	./dev bench $(SCALE)

ci:
	.ci/run
