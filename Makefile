# Counting the Reports — build and test.
#   make book   set up (.venv), validate the data, execute every notebook, build the HTML
#   make test   set up, build, then run every check (data, unit, nbval, browser)
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JB     := $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
HTML   := _build/html

.PHONY: setup data book test notebooks serve clean distclean bench lock check-chromium

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP)

## Validate the data package (schema, keys, sums); stops with one message naming file, line, column, rule.
data: setup
	$(BIN)/python -m tally

book: data
	$(JB)
	@echo "Book built: open $(abspath $(HTML))/index.html (or run 'make serve')"

check-chromium:
	@command -v chromium >/dev/null || { echo "make test needs Debian's chromium (/usr/bin/chromium): apt-get install chromium" >&2; exit 1; }

test: check-chromium book
	$(BIN)/python scripts/build_datapackage.py --check || { echo "data/datapackage.json is stale: run scripts/build_datapackage.py" >&2; exit 1; }
	$(BIN)/python -m pytest --nbval --nbval-current-env tests chapters

## Re-execute every chapter notebook and save its outputs in place (commit the result).
notebooks: data
	$(BIN)/python -m tally.notebooks chapters/*.ipynb

serve:
	@test -f $(HTML)/index.html || { echo "no build yet: run 'make book'" >&2; exit 1; }
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

bench: setup
	$(BIN)/python scripts/bench.py

## Regenerate constraints.txt (the lock of transitive dependencies) from the current venv.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^tally' > constraints.txt

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV)
