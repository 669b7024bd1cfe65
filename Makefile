# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test test-calendar lint bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

CHECK_LOCK = $(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
	echo "The lock files lack what pyproject.toml asks for: run make lock"; exit 1; }

# Exact versions, with hashes, come from the lock files (`make lock` writes them from pyproject.toml); the
# package itself is installed on top without touching them.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(CHECK_LOCK)
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(CHECK_LOCK)
	touch $@ $(VENV)/.installed

## make run: install, migrate the SQLite database, load the demo once and serve on http://127.0.0.1:$(PORT)
# PORT goes to every command: without BASE_URL, the links they e-mail and print follow it.
run: $(VENV)/.installed
	$(BIN)/portal db upgrade
	PORT=$(PORT) $(BIN)/portal demo
	@echo ""
	@echo "Make It Right is running on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	PORT=$(PORT) $(BIN)/portal run --host 127.0.0.1 --port $(PORT)

# The calendar's edges, each test starting at that instant (see tests/conftest.py::suite_clock): just after
# midnight on the 1st of a month, late on 31 December, and the 25-hour day the clocks go back in Europe/London.
CALENDAR_EDGES ?= 2026-11-01T00:30:00+00:00 2025-12-31T23:30:00+00:00 2026-10-25T01:30:00+00:00

## make test: install the test extras (and Debian's Chromium and Java when missing), lint, run the whole suite, then the
## suite's SQLite half again on each of the calendar's edges
test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-calendar

# Left out of those reruns: the walks over every route (hostile input, permissions), which read no date and take
# minutes, and the tests of separate processes (workers, gunicorn), which the test clock cannot reach.
CALENDAR_SKIP := --ignore=tests/foundation/test_hostile_input.py --ignore=tests/auth/test_permission_matrix.py \
	--ignore=tests/mail/test_worker_processes.py --ignore=tests/foundation/test_production_server.py

## make test-calendar: the suite (without the browser and PostgreSQL halves) with the clock on each calendar edge
test-calendar: $(VENV)/.installed-test
	@for when in $(CALENDAR_EDGES); do \
	  echo "== the suite with the clock at $$when"; \
	  TEST_CLOCK=$$when TEST_POSTGRES_URL= $(BIN)/pytest -n 2 --dist loadgroup -q -m "not browser" $(CALENDAR_SKIP) \
	    || exit 1; \
	done

## make bench: build a 20,000-case data set, serve it under gunicorn with a hello-world baseline, measure with wrk
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## make lock: rewrite requirements-test.lock and requirements.lock from pyproject.toml after a dependency changes.
## Versions already locked are kept; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed.
LOCK_VENV := .venv-lock
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --extra test --output-file requirements-test.lock pyproject.toml
	$(PIP_COMPILE) --constraint requirements-test.lock --output-file requirements.lock pyproject.toml

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet "pip-tools>=7.5,<8"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium (browser tests), poppler-utils (reading PDFs in tests) and Java (the Nu Html Checker)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils default-jre-headless; }

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache test-output
