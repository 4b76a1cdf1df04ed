# The two set-up commands of the README: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install run test lint

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

# Install, migrate the embedded SQLite database, load the demo organization and users,
# publish the procedures and start web and worker on http://127.0.0.1:8000.
run: install
	$(BIN)/mapro migrate --noinput
	$(BIN)/mapro seed --demo
	$(BIN)/mapro procedures publish
	$(BIN)/mapro start --bind 127.0.0.1:8000

lint: $(BIN)/mapro
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mapro
	$(BIN)/mapro check
	$(BIN)/mapro makemigrations --check --dry-run
	$(BIN)/mapro procedures check

# The whole test suite (DATABASE_URL picks PostgreSQL; unset, SQLite).
test: install lint
	$(BIN)/pytest -p no:cacheprovider
