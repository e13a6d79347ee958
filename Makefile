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
MODEL_FILES := $(shell find swp_models data -type f \( -name '*.py' -o -name '*.csv' -o -name '*.json' \) 2>/dev/null | sort)

.PHONY: all setup book test unit notebooks bench clean explorer lab mutate

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
_build/.models-stamp: $(MODEL_FILES)
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

book: $(INSTALLED) _static/vega-bundle.js _vendor/mathjax/tex-chtml.js _build/.models-stamp
	$(JB) build . -n -W --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# Unit, property and data tests only (fast; no book build).
unit: $(INSTALLED)
	$(PY) -m pytest tests -m "not browser" -q

test: book
	$(PY) -m pytest

# Re-execute the chapter notebooks in place, refreshing the committed reference outputs on purpose.
notebooks: $(INSTALLED)
	$(PY) scripts/refresh_notebooks.py book/*.ipynb

# The live explorers of every modelling chapter as a web app on this machine (Voila).
explorer: $(INSTALLED)
	JUPYTER_PATH=$(CURDIR)/apps/jupyter $(VENV)/bin/voila apps/explorer.ipynb --template=swp --port=8866 \
	  --no-browser --Voila.ip=127.0.0.1

# The chapters as live notebooks in JupyterLab, where each modelling chapter's explorer runs.
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab --no-browser --allow-root --ServerApp.ip=127.0.0.1 book/

# Mutation spot-check of one module with mutmut, against the tests named (see tests/README.md):
#   make mutate MODULE=swp_models/data.py TESTS=tests/test_data.py
MODULE ?= swp_models/stats.py
TESTS ?= tests/test_stats_charts.py tests/test_model_checks.py
mutate: $(INSTALLED)
	$(PY) scripts/mutate.py $(MODULE) $(TESTS)

bench: $(INSTALLED)
	$(PY) benchmarks/run.py

clean:
	rm -rf _build _static/vega-bundle.js _vendor
