# Two commands do all the set-up on a fresh machine (README.md):
#   make run    install, build the GOV.UK assets, and serve on http://127.0.0.1:5000 (SQLite)
#   make test   install with the test dependencies, build the assets, and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test setup setup-test assets demo lint

run: setup
	$(BIN)/ripa-guard serve

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: setup
	$(BIN)/ripa-guard demo

lint: setup-test
	$(BIN)/ruff check ripa_guard tests
	$(BIN)/ruff format --check ripa_guard tests

setup: $(BIN)/python assets
	$(BIN)/pip install --quiet --disable-pip-version-check -e .

setup-test: $(BIN)/python assets
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ripa_guard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

assets: node_modules/.package-lock.json
	npm run --silent build

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
