# The venv is rebuilt whenever pyproject.toml changes, so a fresh clone and a
# stale checkout both need nothing but Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# test-min: the Discord tests against the lowest versions pyproject allows.
MIN_VENV := .venv-min
MIN_STAMP := $(MIN_VENV)/.installed
DISCORD_TESTS := tests/exts tests/fakediscord tests/test_app.py tests/e2e

.PHONY: run test test-min lint typecheck unit bench console clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(MIN_STAMP): pyproject.toml .ci/floors.py
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11"; exit 2; }
	@test -x $(MIN_VENV)/bin/python || $(PYTHON) -m venv $(MIN_VENV)
	$(PYTHON) .ci/floors.py --dev > $(MIN_VENV)/requirements.txt
	$(MIN_VENV)/bin/python -m pip install --quiet -r $(MIN_VENV)/requirements.txt
	$(MIN_VENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $(MIN_STAMP)

run: $(STAMP)
	$(BIN)/python -m bot $(ARGS)

console: $(STAMP)
	$(BIN)/python -m bot console

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

test-min: $(MIN_STAMP)
	$(MIN_VENV)/bin/python -m pytest -p no:cacheprovider $(DISCORD_TESTS)

bench: $(STAMP)
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) $(MIN_VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
