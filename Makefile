# partnerbot: `make demo` and `make test` work on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# Use the local PostgreSQL for the storage tests when it answers.
PG_ENV = $(shell $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=2).close(); print('PARTNERBOT_TEST_POSTGRES_URL=$(PG_URL)')" 2>/dev/null)

.PHONY: install demo test lint soak bench clean

$(STAMP): pyproject.toml tools/system-deps
	./tools/system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/partnerbot demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(PG_ENV) $(BIN)/pytest -q

soak: $(STAMP)
	$(PG_ENV) $(BIN)/pytest -q -n 0 -m soak

bench: $(STAMP)
	$(PG_ENV) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) partnerbot-demo.db* *.egg-info
