# Two commands do all set-up: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DOSEWISE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-postgres test-browser bench bench-gnuhealth lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

lint: install-test
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) build *.egg-info
