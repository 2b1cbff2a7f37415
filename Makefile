# Two commands do all set-up: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip-tools and pip-audit live apart, so that the project's environment holds exactly the locked set.
TOOLS := .venv-tools/bin
PORT ?= 8000
export DOSEWISE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-postgres test-browser bench bench-gnuhealth bench-pages bench-load lint install install-test lock audit clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take the exact versions (and hashes) of the lock files; pyproject.toml keeps the ranges
# for anyone installing Dosewise as a library. `make lock` refreshes the locks (docs/decisions/0035).
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	PORT=$(PORT) $(BIN)/dosewise serve --setup

test: install-test
	$(BIN)/python -m pytest -m "not browser"

test-postgres: install-test
	$(BIN)/python -m pytest -m "not browser" --create-db

test-browser: install-test
	$(BIN)/python -m pytest -m browser tests/browser

bench: install-test
	$(BIN)/python bench/run.py

# Opt-in: the first run installs GNU Health into bench/.gnuhealth-venv (network, a minute or two).
bench-gnuhealth: install-test
	$(BIN)/python bench/bench_gnuhealth.py

# Opt-in: pages over HTTP against gunicorn as shares of /healthz (loads a population first, minutes).
# On PostgreSQL: make bench-pages DATABASE_URL=postgres://postgres@127.0.0.1:5432/dosewise_bench_pages
bench-pages: install-test
	$(BIN)/python bench/bench_pages_http.py

# Opt-in: clinicians and portal users at once with locust against gunicorn on loopback, bounded by
# BENCH_LOAD_SECONDS (default 120; sizes and full-size values in bench/bench_load.py, decision 0059).
# On PostgreSQL: make bench-load DATABASE_URL=postgres://postgres@127.0.0.1:5432/dosewise_bench_load
bench-load: install-test
	$(BIN)/python bench/bench_load.py

lint: install-test
	$(BIN)/ruff check src tests bench

# The Spanish catalogues: collect new strings into each .po, then compile the .mo that is
# committed beside it (so a checkout without gettext installed still speaks Spanish; decision 0054).
# -P: the app folder holds a selectors.py that must not shadow the standard library's.
# The apps whose pages patients read: the portal, its messages and appointments pages, and the
# form partials of the shell they use.
PATIENT_APPS := portal messaging scheduling web
messages: install
	for app in $(PATIENT_APPS); do \
		(cd src/dosewise/$$app && mkdir -p locale && ../../../$(BIN)/python -P -m django makemessages -l es \
			--no-obsolete --no-location --no-wrap --settings=dosewise.config.settings && \
		 ../../../$(BIN)/python -P -m django compilemessages -l es --settings=dosewise.config.settings) || exit 1; \
	done

# Re-resolve the locks from the ranges in pyproject.toml (network), the test lock inside the runtime one.
PIP_COMPILE_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
$(TOOLS)/python:
	$(PYTHON) -m venv .venv-tools
	$(TOOLS)/python -m pip install --quiet --upgrade pip pip-tools pip-audit

lock: $(TOOLS)/python
	$(TOOLS)/pip-compile $(PIP_COMPILE_FLAGS) --upgrade --output-file=requirements.lock pyproject.toml
	$(TOOLS)/pip-compile $(PIP_COMPILE_FLAGS) --upgrade --extra test --constraint requirements.lock \
		--output-file=requirements-test.lock pyproject.toml

# Known vulnerabilities in the locked versions (PyPI's advisory data: needs the network; without
# it the report says how many packages went unchecked, and does not fail).
audit: $(TOOLS)/python
	$(TOOLS)/python .ci/audit-locked

clean:
	rm -rf $(VENV) .venv-tools build *.egg-info
