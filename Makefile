# Two commands do everything (see README.md):
#   make book   set up .venv from the pinned requirements, execute every notebook, build the HTML
#   make test   the same set-up and build, then the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JB := $(VENV)/bin/jupyter-book
INSTALLED := $(VENV)/.installed
MATHJAX_VERSION := 3.2.2
AXE_VERSION := 4.14.1
MODEL_FILES := $(shell find swp_models data -type f \( -name '*.py' -o -name '*.csv' -o -name '*.json' \) 2>/dev/null | sort)

.PHONY: all setup book test unit notebooks bench clean explorer lab browser-deps office-deps pdf mutate FORCE
# pytest's worker processes (pytest-xdist): one per core by default. Tests of one file stay in one
# worker, in order (--dist loadgroup, with the groups set in tests/conftest.py), so a module's fixtures
# (the Voila server, a simulated sample) start once; the few files of independent, heavy tests
# (conftest.SPREAD) are spread over the workers one test at a time.
TEST_WORKERS ?= auto
# Where the slowest results (the sensitivity section's Sobol run, the appraisal's settings, the engine's priced
# tables, ...) are kept between processes, so that the notebooks, the tests and their subprocesses compute each
# once (swp_models.assumptions.CACHE_DIR_VARIABLE; keyed on the data's bytes, the package's source and the
# libraries' versions).
export SWP_CACHE_DIR ?= $(CURDIR)/_build/cache

all: book

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(INSTALLED)

# The Vega, Vega-Lite and Vega-Embed scripts, bundled offline by vl-convert-python.
_static/vega-bundle.js: $(INSTALLED) swp_models/charts.py
	$(PY) -c "from swp_models.charts import write_vega_bundle; write_vega_bundle('$@')"

# MathJax from the npm registry, served from the book itself (kept out of _static/, whose
# scripts Jupyter Book would load on every page).
_vendor/mathjax/tex-chtml.js:
	rm -rf _build/mathjax && mkdir -p _build/mathjax
	cd _build/mathjax && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null && tar xzf mathjax-$(MATHJAX_VERSION).tgz
	rm -rf _vendor/mathjax && mkdir -p _vendor && cp -r _build/mathjax/package/es5 _vendor/mathjax

# The execution cache cannot see changes to the package or the data: clear it when they change,
# and Sphinx's record of what it has read, so every page is read (and each notebook run) again.
# "Change" is by content: the stamp holds a digest of every file's name and bytes, so a checkout
# that only touches timestamps (or a build that writes nothing there) leaves the caches alone.
_build/.models-stamp: FORCE
	@mkdir -p _build; digest=$$(sha256sum $(MODEL_FILES) | sha256sum | cut -c1-64); \
	if [ "$$(cat $@ 2>/dev/null)" != "$$digest" ]; then \
	  rm -rf _build/.jupyter_cache _build/.doctrees; echo "$$digest" > $@; fi

FORCE:

# The notebooks the execution cache lacks are run first, one kernel per core (scripts/execute_notebooks.py);
# Jupyter Book then finds each in the cache, or runs it again itself and reports its error.
book: $(INSTALLED) _static/vega-bundle.js _vendor/mathjax/tex-chtml.js _build/.models-stamp
	$(PY) scripts/execute_notebooks.py
	$(JB) build . -n -W --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# Unit, property and data tests only (fast: no book build, no notebooks, no browser, nothing marked slow).
unit: $(INSTALLED)
	$(PY) -m pytest tests -m "not browser and not slow and not built" -q -n $(TEST_WORKERS) --dist loadgroup

# What the browser tests need beyond the venv: Debian's chromium (and poppler's pdftoppm, which the
# PDF tests use to look at the printed pages), installed with apt-get when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  echo "Installing chromium and poppler-utils with apt-get (needed by the browser tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

# What the workbook's recalculation test needs: Debian's headless LibreOffice Calc, installed with
# apt-get when missing (the test fails, rather than skips, without it).
office-deps:
	@if ! command -v soffice >/dev/null 2>&1; then \
	  echo "Installing libreoffice-calc-nogui with apt-get (needed by the workbook's recalculation test)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	fi

# axe-core (the accessibility checker the browser tests run in each page), pinned, from the npm registry.
_build/axe/axe.min.js:
	rm -rf _build/axe-pack && mkdir -p _build/axe-pack _build/axe
	cd _build/axe-pack && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz
	cp _build/axe-pack/package/axe.min.js $@ && rm -rf _build/axe-pack

# A PDF of each chapter and of the whole book, printed offline by Chromium from the built pages.
pdf: book browser-deps
	$(PY) scripts/make_pdfs.py

test: browser-deps office-deps pdf _build/axe/axe.min.js
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

# Re-execute the chapter notebooks in place, refreshing the committed reference outputs on purpose.
notebooks: $(INSTALLED)
	$(PY) scripts/refresh_notebooks.py book/*.ipynb

# The live explorers of every modelling chapter as a web app on this machine (Voila), with
# EXPLORER_POOL kernels kept running the app ahead of visitors (see README: "Hosting the explorers"),
# and the built book beside it (voila/files/_build/html/), which each tab links to.
EXPLORER_POOL ?= 2
explorer: $(INSTALLED)
	JUPYTER_PATH=$(CURDIR)/apps/jupyter $(VENV)/bin/voila apps/explorer.ipynb --template=swp --port=8866 \
	  --no-browser --Voila.ip=127.0.0.1 --preheat_kernel=True --pool_size=$(EXPLORER_POOL) \
	  --Voila.root_dir=$(CURDIR) --VoilaConfiguration.file_allowlist="['_build/html/.*']"

# The chapters as live notebooks in JupyterLab, where each modelling chapter's explorer runs.
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab --no-browser --allow-root --ServerApp.ip=127.0.0.1 book/

# Mutation spot-check of one module with mutmut, against the tests named (see tests/README.md):
#   make mutate MODULE=swp_models/data.py TESTS=tests/test_data.py
MODULE ?= swp_models/stats.py
TESTS ?= tests/test_stats_charts.py tests/test_model_checks.py
mutate: $(INSTALLED)
	$(PY) scripts/mutate.py $(MODULE) $(TESTS)

bench: book browser-deps office-deps
	$(PY) benchmarks/run.py

clean:
	rm -rf _build _static/vega-bundle.js _vendor
