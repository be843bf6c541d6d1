# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run screen-example screenshots test lint docs check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

## Run the main job: the web application on SQLite (rrms.db) with the demo data set,
## at http://127.0.0.1:8000 (demo accounts in rrms-demo-accounts.txt).
run: $(STAMP)
	$(BIN)/rrms serve --demo

## Screen the example notification list in the terminal.
screen-example: $(STAMP)
	$(BIN)/rrms screen examples/manifest-example.csv --as-of 2004-11-15

## Run the test suite, measuring branch coverage (one line at the end; `.venv/bin/coverage
## report` lists what the tests miss). Installs Chromium, Pango and fonts first where
## missing (scripts/test-deps, the same script CI runs). `make test COV=` runs without
## coverage, a good third faster.
COV ?= --cov --cov-report=
test: $(STAMP)
	scripts/test-deps
	$(BIN)/pytest $(COV)
	@test -z "$(COV)" || echo "branch coverage: $$($(BIN)/coverage report --format=total)%"

## Lint and type-check; check the import contracts (pyproject.toml) and that
## docs/cli.md is the commands' current help.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cog --check docs/cli.md

## Regenerate docs/cli.md from the commands' --help.
docs: $(STAMP)
	$(BIN)/cog -r docs/cli.md

## Refresh the README's screenshots (docs/screenshots/) from the browser tests.
screenshots: $(STAMP)
	RRMS_SCREENSHOTS=1 RRMS_TEST_BACKENDS=sqlite $(BIN)/pytest tests/e2e

bench: $(STAMP)
	$(BIN)/python benchmarks/screening.py

clean:
	rm -rf $(VENV)
