# The README's commands. Everything a fresh Debian machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests need: a PostgreSQL server, a browser, Java for the HTML validator;
# wrk drives `make loadtest`.
SYSTEM_PACKAGES := postgresql chromium default-jre-headless wrk
# `make bench` / `make loadtest`: archive size, seed, timed requests per page, load duration.
BENCH_QUOTES ?= 1000000
BENCH_SEED ?= 1
BENCH_REPEAT ?= 30
LOAD_SECONDS ?= 60
LOAD_CONNECTIONS ?= 50
# The benchmark's PostgreSQL is given memory as a production server would be: its default
# 128 MB of shared buffers held a twentieth of the million-quotation archive.
BENCH_PG_OPTIONS ?= -c shared_buffers=1GB

.PHONY: run test test-sqlite test-postgresql lint format deps-system venv fixtures bench serve loadtest backup restore clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Installs what is missing (as root, with apt-get); does nothing when all is present.
deps-system:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Served as readers see it (the site's own error pages, pages cached as in production);
# `make run DEBUG=1` gives Django's debugging pages instead.
DEBUG ?= 0
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_if_empty
	DEBUG=$(DEBUG) $(PY) manage.py runserver $(HOST):$(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

fixtures: venv
	$(PY) manage.py build_fixtures

test-sqlite: venv
	@echo "=== Test suite on SQLite (with browser tests) ==="
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

test-postgresql: venv
	@echo "=== Test suite on PostgreSQL ==="
	scripts/pg-throwaway $(BIN)/pytest -p no:cacheprovider -m "not browser"

# Both databases at once (see scripts/run-suites); the two targets above run one each.
test: deps-system venv lint
	scripts/run-suites

# Builds (or reuses, from var/bench/) the synthetic archive on SQLite and on a throwaway
# PostgreSQL, times every page type, prints the table and writes var/bench.json.
bench: deps-system venv
	env -u DATABASE_URL $(PY) -m archive.bench --database sqlite \
	  --quotes $(BENCH_QUOTES) --seed $(BENCH_SEED) --repetitions $(BENCH_REPEAT)
	PG_SERVER_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/pg-throwaway $(PY) -m archive.bench --database postgresql \
	  --quotes $(BENCH_QUOTES) --seed $(BENCH_SEED) --repetitions $(BENCH_REPEAT)

# Production mode: gunicorn, DEBUG off, collected static files served by whitenoise.
serve: venv
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) scripts/serve

# `make serve` on a free loopback port under wrk; results under "load" in var/bench.json.
loadtest: deps-system venv
	env -u DATABASE_URL $(PY) -m archive.bench.load --database sqlite \
	  --quotes $(BENCH_QUOTES) --seed $(BENCH_SEED) \
	  --seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS)
	PG_SERVER_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/pg-throwaway $(PY) -m archive.bench.load --database postgresql \
	  --quotes $(BENCH_QUOTES) --seed $(BENCH_SEED) \
	  --seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS)

# A complete, versioned backup of the database DATABASE_URL names (SQLite under var/ by
# default): var/backups/archive-<UTC time>-<migration>.json.gz and its .manifest.json.
backup: venv
	$(PY) manage.py backup_archive

# Replaces everything in the database with a backup (asks first): make restore BACKUP=path.
# With make serve's cache ($VAR_DIR/cache), so the pages it has stored are out of date at once.
restore: venv
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/archive-….json.gz"; exit 2; }
	$(PY) manage.py migrate --noinput
	CACHE_DIR=$${CACHE_DIR:-$$(realpath -m "$${VAR_DIR:-var}")/cache} $(PY) manage.py restore_archive "$(BACKUP)"

clean:
	rm -rf $(VENV) var staticfiles *.egg-info
