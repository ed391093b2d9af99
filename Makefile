# Every target sets itself up on a fresh machine: virtualenv, pinned install, migrations.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres test-browser bench lint setup clean translations compile-translations

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Compiled catalogues (.mo) are build products, made from the committed .po files, and
# remade only when their .po changed: .ci/run starts two `make test` at once, and neither
# may rewrite a catalogue the other's tests are reading.
LANGUAGES := da hu
CATALOGUES := $(foreach lang,$(LANGUAGES),app/translations/$(lang)/LC_MESSAGES/messages.mo)

compile-translations: $(CATALOGUES)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d app/translations -l $*

# Extract every message, merge it into the Danish and Hungarian catalogues, compile.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --no-wrap --ignore-dirs='.* __pycache__' \
		--project=Candor --copyright-holder=Candor -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-wrap
	$(BIN)/pybabel compile --statistics -d app/translations

setup: compile-translations
	$(FLASK) db upgrade
	$(FLASK) setup-local

run: setup
	$(FLASK) run --host 127.0.0.1 --port 5000

test: compile-translations
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-browser: compile-translations
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

# PostgreSQL parts run when BENCH_DATABASE_URL (and BENCH_ARCHIVE_DATABASE_URL for the
# archive at 100,000 and 1,000,000) name databases of their own: their tables are dropped.
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.submit_load
	$(BIN)/python -m bench.archive $(BENCH_ARCHIVE_ARGS)
	$(BIN)/python -m bench.archive_pg $(BENCH_ARCHIVE_PG_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/bandit -q -c pyproject.toml -r app

clean:
	rm -rf $(VENV) .pytest_cache
