# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test test-calendar lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## make run: install, migrate the SQLite database, load the demo once and serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/portal db upgrade
	$(BIN)/portal demo
	@echo ""
	@echo "Make It Right is running on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/portal run --host 127.0.0.1 --port $(PORT)

# The calendar's edges, each test starting at that instant (see tests/conftest.py::suite_clock): just after
# midnight on the 1st of a month, late on 31 December, and the two days the clocks change in Europe/London.
CALENDAR_EDGES ?= 2026-11-01T00:30:00+00:00 2025-12-31T23:30:00+00:00 2026-03-29T01:30:00+00:00 2026-10-25T01:30:00+00:00

## make test: install the test extras (and Debian's Chromium when missing), lint, run the whole suite, then the
## suite's SQLite half again on each of the calendar's edges
test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-calendar

## make test-calendar: the suite (without the browser and PostgreSQL halves) with the clock on each calendar edge
test-calendar: $(VENV)/.installed-test
	@for when in $(CALENDAR_EDGES); do \
	  echo "== the suite with the clock at $$when"; \
	  TEST_CLOCK=$$when TEST_POSTGRES_URL= $(BIN)/pytest -n 2 --dist loadgroup -q -m "not browser" || exit 1; \
	done

## make bench: build a 20,000-case data set, serve it under gunicorn with a hello-world baseline, measure with wrk
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium (browser tests) and poppler-utils (reading PDFs in tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
