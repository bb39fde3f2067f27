# Counting the Reports — build and test.
#   make book   set up (.venv), validate the data, execute every notebook, build the HTML
#   make test   set up, lint, build, then run every check (data, prose, unit, nbval, browser, accessibility,
#               links, print, and every chapter executed in a fresh Binder-style environment)
#   make check  the quick tier only: data, unit and prose tests, no build (<= 30 s)
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JB     := $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
HTML   := _build/html

# make test runs nbval in the environment Binder would build from this repository (scripts/binder_env.py,
# cached outside the repository; the first run after a change of pins installs it). BINDER=0 make test
# runs nbval in .venv instead and leaves out the Binder test (marker slow).
BINDER ?= 1
BINDER_KERNELS := _build/binder-kernel
ifeq ($(BINDER),0)
NBVAL := --nbval-current-env -m "not slow"
BINDER_ENV :=
else
NBVAL := --nbval-kernel-name counting-the-reports-binder
BINDER_ENV := binder-env
endif

.PHONY: FORCE setup data book test check lint lab edition binder-env notebooks serve clean distclean bench lock check-chromium pdf linkcheck

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP)

## Validate the data package (schema, keys, sums); stops with one message naming file, line, column, rule.
## `make data` always validates; the other targets validate again only when a data file or the
## package's code has changed since the last success (the stamp below is written only on success).
## The list of data files is a prerequisite too (rewritten only when it changes), so a deleted file
## also brings the check back.
DATA_OK := _build/.data-valid
DATA_LIST := _build/.data-files
DATA_INPUTS := $(sort $(wildcard data/*) $(wildcard tally/*.py))
data: setup
	$(BIN)/python -m tally

$(DATA_LIST): FORCE
	@mkdir -p $(@D); echo '$(DATA_INPUTS)' | cmp -s - $@ || echo '$(DATA_INPUTS)' > $@

$(DATA_OK): $(STAMP) $(DATA_LIST) $(DATA_INPUTS)
	$(BIN)/python -m tally
	@mkdir -p $(@D) && touch $@

FORCE:

## A changed table of contents changes every page's sidebar, which Sphinx's incremental build
## would leave stale on unchanged pages: rebuild everything then.
book: $(DATA_OK)
	@if [ -f $(HTML)/index.html ] && [ _toc.yml -nt $(HTML)/index.html ]; then \
	  echo "_toc.yml changed: full rebuild"; $(JB) --all; else $(JB); fi
	@echo "Book built: open $(abspath $(HTML))/index.html (or run 'make serve')"

check-chromium:
	@command -v chromium >/dev/null || { echo "make test needs Debian's chromium (/usr/bin/chromium): apt-get install chromium" >&2; exit 1; }

## axe-core for the accessibility test (pinned in package.json / package-lock.json).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund

# The suite runs on TEST_JOBS pytest-xdist workers, a test file per unit (--dist loadfile): a
# notebook's cells must run in order in one kernel. (--dist loadgroup would spread the browser tests
# better, but pytest-xdist 3.8 cannot group items under pytest 9.2: it renames item._nodeid, which
# pytest 9.2 no longer reads.) TEST_JOBS=1 runs it in one process.
TEST_JOBS ?= 3
test: check-chromium lint book node_modules/.package-lock.json $(BINDER_ENV)
	$(BIN)/python scripts/build_datapackage.py --check || { echo "data/datapackage.json is stale: run scripts/build_datapackage.py" >&2; exit 1; }
	JUPYTER_PATH=$(abspath $(BINDER_KERNELS)) $(BIN)/python -m pytest --nbval $(NBVAL) $(if $(filter-out 1,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadfile,) tests chapters

## The environment Binder builds from binder/ (a venv, cached outside the repository), as a Jupyter kernel.
binder-env: setup
	$(BIN)/python scripts/binder_env.py --kernel-dir $(BINDER_KERNELS)

## The quick tier (pytest -m quick): data, unit and prose tests; no build, no browser, no kernel.
check: setup
	$(BIN)/python -m pytest -m quick -n 2 tests

## Formatting and lint (ruff, pinned in requirements.txt; configured in pyproject.toml).
lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

## JupyterLab on the chapters, in the project's venv (run a chapter from its own folder, as the build does).
lab: $(DATA_OK)
	$(BIN)/jupyter lab --ServerApp.root_dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root,)

## The archived copy of this release (base URL /vX.Y.Z/, launch buttons on the tag): _build/edition/_build/html.
## The publish workflow runs it on a release tag; it reuses the main build's notebook cache.
edition: $(DATA_OK)
	TALLY_EDITION=1 $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --all --path-output _build/edition

## One print-ready PDF of the whole book: _build/pdf/counting-the-reports.pdf
pdf: check-chromium $(DATA_OK)
	$(BIN)/python scripts/make_pdf.py

## Check external links (needs a network; not part of make test).
linkcheck: $(DATA_OK)
	$(JB) --builder linkcheck

## Re-execute every chapter notebook and save its outputs in place (commit the result).
notebooks: $(DATA_OK)
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

## Add one year of NCMEC's per-ESP and per-country tables: extract, validate, report what changed
## (data/README.md, "Adding a year"). Added by the data helper; target and recipe are theirs to maintain.
data-year: setup
	@test -n "$(YEAR)" && test -n "$(ESP_ROWS)" || { echo "usage: make data-year YEAR=2026 ESP_ROWS=<rows printed in the per-ESP table>" >&2; exit 1; }
	$(BIN)/python -m scripts.add_year --year $(YEAR) --esp-rows $(ESP_ROWS)
