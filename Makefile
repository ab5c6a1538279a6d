# Platform JEP – the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev translations messages lint format bench bench-digest bench-search worker beat clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogues are build output (.mo files are not committed).
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -d translations -f

run: install
	$(FLASK) db upgrade
	$(FLASK) seed demo
	$(BIN)/python -m tasks.embedded --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract UI strings and update both catalogues (Dutch msgids, English translations).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -o translations/messages.pot --ignore-dirs=".venv tests migrations bench" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

worker: install
	$(BIN)/celery -A wsgi:celery worker --loglevel=INFO

beat: install
	$(BIN)/celery -A wsgi:celery beat --loglevel=INFO

# Benchmarks (PostgreSQL on 127.0.0.1:5432; each creates and drops its own database).
# `make bench` runs the page benchmark and then the search benchmark (1,000,000 posts);
# `make bench-digest` the digest run for 10,000 members. Each builds its own data.
bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.search $(BENCH_SEARCH_ARGS)

bench-search: install-dev
	$(BIN)/python -m bench.search $(BENCH_SEARCH_ARGS)

BENCH_DIGEST_ARGS ?= --members 10000 --postgres
bench-digest: install-dev
	$(BIN)/python -m bench.digest $(BENCH_DIGEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
