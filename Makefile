# Two commands do all the set-up on a fresh machine (README.md):
#   make run    install, build the GOV.UK assets, and serve on http://127.0.0.1:5000 (SQLite)
#   make test   install with the test dependencies, build the assets, and run the tests
#   make test-browser   the journeys in Debian's Chromium, with axe-core; pictures in test-artifacts/
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test test-browser setup setup-test assets demo lint

run: setup
	$(BIN)/ripa-guard serve

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Playwright drives Debian's Chromium (apt-get install chromium); it never downloads a browser.
test-browser: setup-test
	@test -x /usr/bin/chromium || { echo "make test-browser needs /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }
	RIPA_GUARD_BROWSER_TESTS=1 $(BIN)/python -m pytest tests/browser \
		--output test-artifacts/playwright --screenshot only-on-failure $(PYTEST_ARGS)

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
