# SOCEC: `make run` serves the site with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1

.PHONY: run test lint install install-dev clean bench bench-quick bench-report bench-report-quick bench-portal \
	bench-portal-quick

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "SOCEC needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: $(VENV)/.runtime
	$(BIN)/socec migrate --noinput
	$(BIN)/socec demo --if-empty
	$(BIN)/socec runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/socec makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Import benchmarks (benchmarks/README.md): 1,000,000 participants as CSV and 50,000 as .xlsx,
# on SQLite and PostgreSQL, medians of 3 runs; bench-quick is a smoke test of the script.
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/import_bench.py

bench-quick: $(VENV)/.dev
	$(BIN)/python benchmarks/import_bench.py --quick

# Indicator report benchmark (benchmarks/README.md): report(Scope(), D) over 1,000,000 participants in 500
# projects, on SQLite and PostgreSQL, 5 runs a case, checked against DuckDB; bench-report-quick: 1/50 of it.
bench-report: $(VENV)/.dev
	$(BIN)/python benchmarks/report_bench.py

bench-report-quick: $(VENV)/.dev
	$(BIN)/python benchmarks/report_bench.py --quick

# Public portal load test (benchmarks/portal_load.py): 20,000 public organisations, the README's gunicorn
# setup on 127.0.0.1, directory searches and profiles at a fixed rate over 50 connections, p95 printed.
bench-portal: $(VENV)/.dev
	$(BIN)/python benchmarks/portal_load.py

bench-portal-quick: $(VENV)/.dev
	$(BIN)/python benchmarks/portal_load.py --quick

# The REST API fuzzed from its OpenAPI description (tests/test_fuzz_api.py; `make test` runs a bounded version):
# 200 random examples per operation on top of the deterministic boundary cases. FUZZ_EXAMPLES=N to change it.
.PHONY: fuzz-api bench-api
FUZZ_EXAMPLES ?= 200
fuzz-api: $(VENV)/.dev
	SOCEC_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider tests/test_fuzz_api.py $(PYTEST_ARGS)

# REST API load test with writes (benchmarks/api_load.py): 100 staff users with tokens for 5 minutes on
# PostgreSQL behind the README's gunicorn setup; every write counted and checked against the database.
bench-api: $(VENV)/.dev
	$(BIN)/python benchmarks/api_load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/test.sqlite3
