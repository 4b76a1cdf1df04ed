# The two set-up commands of the README: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

# pytest workers (pytest-xdist): one per core by default.
PYTEST_WORKERS ?= auto

.PHONY: install run test lint pytest

$(BIN)/mapro: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/mapro

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(BIN)/mapro node_modules/.package-lock.json
	$(BIN)/python scripts/vendor_assets.py
	$(BIN)/mapro collectstatic --noinput -v 0

# Install, migrate the embedded SQLite database, publish the procedures, load the demo
# organization, users and cronogramas and start web and worker on http://127.0.0.1:8000.
run: install
	$(BIN)/mapro migrate --noinput
	$(BIN)/mapro procedures publish
	$(BIN)/mapro seed --demo
	$(BIN)/mapro start --bind 127.0.0.1:8000

lint: $(BIN)/mapro
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy mapro
	$(BIN)/mapro check
	$(BIN)/mapro makemigrations --check --dry-run
	$(BIN)/mapro procedures check

# The whole test suite: install, lint and type checks, then the tests (DATABASE_URL picks
# PostgreSQL; unset, SQLite). `make pytest` runs only the tests (CI's second database).
test: install lint pytest

# Tests on every core, in random order (pytest-randomly prints the seed; `make pytest
# PYTEST_ARGS=--randomly-seed=N` replays an order), with the 25 slowest printed.
pytest: $(BIN)/mapro
	$(BIN)/pytest -n $(PYTEST_WORKERS) --durations=25 $(PYTEST_ARGS)
