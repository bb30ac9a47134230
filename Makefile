# gridgov: `make run` serves the demo county, `make test` runs the whole suite.
# Everything is installed into the project folder (.venv, node_modules, var/): no root needed.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
VENDOR := gridgov/static/vendor

.PHONY: run dev bench-http bench-overview test lint typecheck bench setup assets messages migrate demo static clean help

help:
	@echo "make run    - set up everything and serve the demo county on http://127.0.0.1:$(PORT)"
	@echo "make dev    - the same on Django's development server (autoreload, debug pages)"
	@echo "make test   - set up what the tests need and run the whole suite"
	@echo "make bench  - run the benchmarks in bench/"

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gridgov needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/.copied: node_modules/.installed Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/htmx $(VENDOR)/echarts
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/leaflet.markercluster/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	@touch $@

assets: $(VENDOR)/.copied

messages: $(VENV)/.installed
	$(MANAGE) compile_translations

setup: $(VENV)/.installed assets messages

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo --if-empty

static: setup
	$(MANAGE) collectstatic --noinput --verbosity 0

# Served as in production: gunicorn (config/gunicorn.conf.py: workers from the core count),
# static files through WhiteNoise, DEBUG off; the Huey worker beside it. Ctrl-C stops both.
run: demo static
	@$(MANAGE) demo_accounts
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops the server, the worker, the broker and its listener)"
	@trap 'kill $$worker $$listener $$broker 2>/dev/null; wait $$worker $$listener $$broker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) broadcast_broker & broker=$$!; \
	$(MANAGE) broadcast_listener & listener=$$!; \
	$(MANAGE) run_huey --workers 2 & worker=$$!; \
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/gunicorn config.wsgi \
		--config config/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# For developers: the development server with autoreload and debug pages.
dev: demo
	@$(MANAGE) demo_accounts
	@trap 'kill $$worker $$listener $$broker 2>/dev/null; wait $$worker $$listener $$broker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) broadcast_broker & broker=$$!; \
	$(MANAGE) broadcast_listener & listener=$$!; \
	GRIDGOV_DEBUG=1 $(MANAGE) run_huey --workers 2 & worker=$$!; \
	GRIDGOV_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed
	$(BIN)/mypy .

test: setup lint typecheck
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench

# Requests per second through gunicorn, gridgov against a bare WSGI baseline, on the demo database.
bench-http: demo static
	$(PY) -m bench.http_bench

# The command centre's overview of the demo county as `make run` serves it (target < 300 ms).
bench-overview: demo static
	$(PY) -m bench.overview_http_bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .mypy_cache .ruff_cache .pytest_cache
