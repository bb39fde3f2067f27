# Counting the Reports — build and test.
#   make book   set up (.venv), validate the data, execute every notebook, build the HTML
#   make test   set up, build, then run every check (data, prose, unit, nbval, browser, accessibility, links, print)
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JB     := $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
HTML   := _build/html

.PHONY: setup data book test notebooks serve clean distclean bench lock check-chromium pdf linkcheck

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP)

## Validate the data package (schema, keys, sums); stops with one message naming file, line, column, rule.
data: setup
	$(BIN)/python -m tally

## A changed table of contents changes every page's sidebar, which Sphinx's incremental build
## would leave stale on unchanged pages: rebuild everything then.
book: data
	@if [ -f $(HTML)/index.html ] && [ _toc.yml -nt $(HTML)/index.html ]; then \
	  echo "_toc.yml changed: full rebuild"; $(JB) --all; else $(JB); fi
	@echo "Book built: open $(abspath $(HTML))/index.html (or run 'make serve')"

check-chromium:
	@command -v chromium >/dev/null || { echo "make test needs Debian's chromium (/usr/bin/chromium): apt-get install chromium" >&2; exit 1; }

## axe-core for the accessibility test (pinned in package.json / package-lock.json).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund

test: check-chromium book node_modules/.package-lock.json
	$(BIN)/python scripts/build_datapackage.py --check || { echo "data/datapackage.json is stale: run scripts/build_datapackage.py" >&2; exit 1; }
	$(BIN)/python -m pytest --nbval --nbval-current-env tests chapters

## One print-ready PDF of the whole book: _build/pdf/counting-the-reports.pdf
pdf: check-chromium data
	$(BIN)/python scripts/make_pdf.py

## Check external links (needs a network; not part of make test).
linkcheck: data
	$(JB) --builder linkcheck

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
	rm -rf $(VENV) node_modules
