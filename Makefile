# Swanilai: `make run` to try it, `make test` to check it. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres bench translations extract-messages lint clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -q -d translations

run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "Swanilai: http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP) translations
	$(BIN)/python -m pytest

# Same suite on PostgreSQL: TEST_DATABASE_URL=postgresql://user@127.0.0.1:5432/db make test-postgres
test-postgres: $(STAMP) translations
	test -n "$(TEST_DATABASE_URL)" || (echo "Set TEST_DATABASE_URL" && exit 2)
	$(BIN)/python -m pytest

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -q -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
