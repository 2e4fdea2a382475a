# `make run` and `make test` work on a fresh machine with only Python 3.11+:
# each builds the virtual environment in .venv first if it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve test lint format bench clean browser screenshots

# Debian's chromium for tests/test_browser.py (playwright drives it; no browser download).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/stp-tracker init
	$(BIN)/stp-tracker run

serve: install
	$(BIN)/stp-tracker serve

$(CHROMIUM):
	@if command -v apt-get >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "no apt-get: the browser tests will be skipped"; fi

browser: $(CHROMIUM)

screenshots: install browser
	STP_TRACKER_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py -q

test: install browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Compiled bytecode first, as an installed package has it (this machine sets
# PYTHONDONTWRITEBYTECODE, which would otherwise compile every module in every process timed).
bench: install
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
