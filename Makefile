# Swanilai: `make run` to try it, `make test` to check it. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres bench load audit translations extract-messages chromium clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "Swanilai: http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# The browser tests drive Debian's Chromium (no browser download: the network may be closed).
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) translations chromium
	$(BIN)/python -m pytest

# Same suite on PostgreSQL: TEST_DATABASE_URL=postgresql://user@127.0.0.1:5432/db make test-postgres
test-postgres: $(STAMP) translations chromium
	test -n "$(TEST_DATABASE_URL)" || (echo "Set TEST_DATABASE_URL" && exit 2)
	$(BIN)/python -m pytest

# Benchmarks print figures as ratios against a baseline measured in the same run (127.0.0.1 only).
bench: $(STAMP) translations
	$(BIN)/python bench/personal_pdf.py
	$(BIN)/python bench/submit_throughput.py
	$(BIN)/python bench/unit_reports.py

# Load test: 50 respondents + 5 HR officers for 60-90 s against gunicorn -w 2, then every acknowledged
# answer is checked in the database. Temporary SQLite, or DATABASE_URL=postgresql://…/empty_db make load.
load: $(STAMP) translations
	$(BIN)/python bench/load.py

# Static analysis and the dependency audit that CI runs too.
audit: $(STAMP)
	$(BIN)/bandit -q -r app config.py -lll
	$(BIN)/pip-audit -r requirements.txt --strict

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
