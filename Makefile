# Every target sets itself up on a fresh machine: virtualenv, pinned install, migrations.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres test-browser bench lint setup clean

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) setup-local

run: setup
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.archive

lint: $(STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/bandit -q -c pyproject.toml -r app

clean:
	rm -rf $(VENV) .pytest_cache
