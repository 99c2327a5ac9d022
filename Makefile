# The hub's two commands: `make run` (serve the bundled content, and the real documents in
# ../shared/seeds when they are there) and `make test` (the whole suite); `make seeds` loads
# those documents into a hub that is already running (its worker picks them up within a few seconds).
# Each installs what it needs: a virtualenv in .venv, the package, and Debian packages for tests.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HUB := $(VENV)/bin/hub
export HUB_HOME ?= $(CURDIR)/instance

SEEDS ?= ../shared/seeds

.PHONY: run seeds test lint bench install system-deps clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian packages the tests drive for real (a headless browser; PostgreSQL, whose programs the
# tests run as a throwaway cluster of their own). Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-dejavu-core"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -z "$$missing" ] || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

PORT ?= 8000

run: install
	$(HUB) ingest --quiet content/
	@$(MAKE) --no-print-directory -o $(VENV)/.installed seeds
	$(HUB) stats
	$(HUB) serve --host 127.0.0.1 --port $(PORT)

# The real documents, when this checkout sits beside shared/ (they are not in the repository).
seeds: install
	@if [ -d "$(SEEDS)" ]; then $(HUB) ingest --quiet "$(SEEDS)"; \
	else echo "no documents at $(SEEDS) (set SEEDS=DIR): serving the bundled samples only"; fi

# The whole suite on SQLite, then every test that uses a store (not the browser's) again on
# PostgreSQL (a cluster the run starts in a temporary folder and stops).
test: install system-deps lint
	$(PY) -m pytest
	HUB_TEST_DATABASE=postgresql $(PY) -m pytest -m "store and not browser"

lint: install
	$(VENV)/bin/ruff check hub tests scripts
	$(VENV)/bin/lint-imports --no-cache

bench: install
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_pdf.py
	$(PY) scripts/bench_search.py --sizes 10000
	$(PY) scripts/bench_related.py --sizes 10000
	$(PY) scripts/bench_web.py

clean:
	rm -rf $(VENV) instance .pytest_cache
