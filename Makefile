# Swanilai: `make run` to try it, `make test` to check it. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast lint test-postgres bench load audit translations extract-messages chromium services clean

$(STAMP): requirements.txt requirements-dev.txt
	@echo "Creating the virtualenv .venv and installing the pinned Python packages (a few minutes the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -r requirements-dev.txt
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

run: $(STAMP) translations
	@echo "Migrating the database (SQLite in instance/ unless DATABASE_URL is set)"
	$(FLASK) db upgrade
	@echo "Seeding the demo province on an empty database (240 people in three rounds)"
	$(FLASK) seed-demo --if-empty --respondents 240
	@echo "Swanilai: http://$(HOST):$(PORT)  (HOST=… PORT=… make run to change)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# The browser tests drive Debian's Chromium (no browser download: the network may be closed).
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The deployment tests (tests/deploy) start Debian's nginx and redis-server on 127.0.0.1 themselves.
# Debian's packages would start both as system services (nginx on port 80): they are stopped and
# disabled again when this target installed them; the tests never use them.
services:
	@missing=""; command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing=" nginx"; \
	  command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	  if [ -n "$$missing" ]; then echo "Installing Debian's$$missing for the deployment tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	    for unit in $$missing; do \
	      { systemctl disable --now "$$unit" || service "$$unit" stop; } >/dev/null 2>&1 || true; \
	    done; \
	  fi

test: $(STAMP) translations chromium services
	$(BIN)/python -m pytest

# The fast lane, about a minute: engine, services, reports, security and web through the test
# client; no Chromium, no gunicorn/nginx/redis processes, no slow sweeps (markers in pytest.ini).
test-fast: $(STAMP) translations
	$(BIN)/python -m pytest -m "not browser and not servers and not slow"

lint: $(STAMP)
	$(BIN)/ruff check .

# Same suite on PostgreSQL: TEST_DATABASE_URL=postgresql://user@127.0.0.1:5432/db make test-postgres
# (tests/deploy runs its servers on a SQLite file of its own whatever the database: run once, in `test`).
test-postgres: $(STAMP) translations chromium
	test -n "$(TEST_DATABASE_URL)" || (echo "Set TEST_DATABASE_URL" && exit 2)
	$(BIN)/python -m pytest --ignore=tests/deploy

# Benchmarks print figures as ratios against a baseline measured in the same run (127.0.0.1 only).
bench: $(STAMP) translations
	$(BIN)/python bench/personal_pdf.py
	$(BIN)/python bench/submit_throughput.py
	$(BIN)/python bench/unit_reports.py
	$(BIN)/python bench/employee_import.py
	$(BIN)/python bench/unit_appendix.py
	$(BIN)/python bench/page_weight.py

# Load test: 50 respondents + 5 HR officers for 60-90 s against gunicorn -w 2, then every acknowledged
# answer is checked in the database. Temporary SQLite, or DATABASE_URL=postgresql://…/empty_db make load.
load: $(STAMP) translations
	$(BIN)/python bench/load.py

# Static analysis and the dependency audit that CI runs too. The audit names every package it could
# not audit (no vulnerability database reachable) and then gives no clean verdict; it fails only on a
# known vulnerability. AUDIT_FLAGS=--require-complete also fails an incomplete audit.
audit: $(STAMP)
	$(BIN)/bandit -q -r app config.py -lll
	$(BIN)/python tools/dependency_audit.py -r requirements.txt $(AUDIT_FLAGS)

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -w 100 -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching -w 100

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
