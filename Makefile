# Wijkwijs: two commands do everything on a machine with only Python 3.11+.
#   make run    set up .venv, migrate SQLite, load the Oss demo, serve on http://127.0.0.1:$(PORT)
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export WIJKWIJS_VAR_DIR ?= $(CURDIR)/var

.PHONY: install run serve worker test check lint bench messages schema screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	WIJKWIJS_DEMO=true $(BIN)/wijkwijs migrate --noinput
	WIJKWIJS_DEMO=true $(BIN)/wijkwijs demo_load
	@echo "Wijkwijs Oss demo: http://127.0.0.1:$(PORT)  (demo accounts: see README; worker and scheduler run alongside)"
	WIJKWIJS_DEMO=true $(BIN)/wijkwijs db_worker --queue-name '*' & \
	  WIJKWIJS_DEMO=true $(BIN)/wijkwijs periodic & \
	  WIJKWIJS_DEMO=true $(BIN)/wijkwijs runserver --noreload 127.0.0.1:$(PORT); \
	  kill %1 %2 2>/dev/null || true

test: install
	$(BIN)/pytest -n 2 src
	$(BIN)/pytest tests/browser

check: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/wijkwijs makemigrations --check --dry-run

lint: check

bench: install
	$(BIN)/python benchmarks/bench_pb_rules.py --quick

messages: install
	cd src/wijkwijs && ../../$(BIN)/wijkwijs makemessages -l nl --no-obsolete --add-location file \
	  -i 'budgeting/*' -i 'intake/*' -i 'static/*' -i '*/tests/*' -i conftest.py
	for app in budgeting intake; do \
	  if [ -d src/wijkwijs/$$app/locale ]; then (cd src/wijkwijs/$$app && ../../../$(BIN)/wijkwijs makemessages -l nl --no-obsolete --add-location file -i 'tests/*'); fi; \
	done
	$(BIN)/python scripts/compile_messages.py

schema: install
	$(BIN)/wijkwijs spectacular --file docs/api/openapi.yaml --validate

screenshots: install
	$(BIN)/python scripts/screenshots.py http://127.0.0.1:$(PORT) docs/screenshots

clean:
	rm -rf $(VENV) var
