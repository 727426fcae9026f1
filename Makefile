# make lab    create .venv, install everything, open the course in JupyterLab
# make test   the same environment, then every check: ruff, mypy, unit tests, doctests, notebooks
# make bench  speed and memory against naive baselines (prints a table; not a test)
# make images regenerate every figure in images/
# make notebooks   rebuild notebooks/*.ipynb from notebooks/src/*.py and execute them
# make badges      rewrite Colab badges and install cells from [tool.gdviz] in pyproject.toml
# make check  a class machine's quick check: run every notebook top to bottom (nbval), nothing else
# make site   the course website in build/site (Sphinx + MyST-NB, committed outputs, no network)
# make test-site   build the website and check every page in headless Chromium, offline

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test test-oldest lint typecheck bench images notebooks badges clean check site test-site

# jupyter_core: use the platformdirs paths now and skip its deprecation warning
export JUPYTER_PLATFORM_DIRS := 1

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check gdviz tests benchmarks scripts notebooks site

# static types of the package (settings in pyproject.toml, [tool.mypy])
typecheck: $(STAMP)
	$(BIN)/mypy

# The suite runs on two workers (the machine's two cores); each test file stays on one worker, so a
# notebook's cells and the browser tests of one client run in order.
test: lint typecheck
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The oldest versions gdviz supports (pyproject.toml), in a separate environment: the unit,
# oracle and widget tests. mpmath and pyparsing are capped because their newer releases
# make sympy 1.12 and matplotlib 3.8 warn on import.
OLDEST := numpy==1.26.4 sympy==1.12 "mpmath<1.4" matplotlib==3.8.4 "pyparsing<3.2" ipywidgets==7.6.5

test-oldest:
	$(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet $(OLDEST) ipykernel pillow pytest
	.venv-oldest/bin/python -m pip install --quiet --no-deps -e .
	.venv-oldest/bin/python -m pytest -p no:cacheprovider -o addopts="--doctest-modules" \
		-W "ignore::DeprecationWarning" gdviz tests --ignore=tests/test_notebooks.py \
		$(foreach t,$(wildcard tests/test_browser.py tests/test_colab*.py tests/test_readme.py tests/test_site.py tests/test_clients.py tests/test_setup_cell.py),--ignore=$(t))

check: $(STAMP)
	$(BIN)/python -m pytest notebooks

SITE_STAMP := $(VENV)/.site-installed

$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install --quiet -r requirements-site.txt
	touch $(SITE_STAMP)

site: $(SITE_STAMP)
	$(BIN)/python site/build.py

test-site: site
	GDVIZ_SITE=build/site $(BIN)/python -m pytest tests/test_site.py -k "not nbconvert"

bench: $(STAMP)
	$(BIN)/python -m benchmarks

images: $(STAMP)
	$(BIN)/python -m gdviz.images

notebooks: $(STAMP)
	$(BIN)/python scripts/notebooks.py build
	$(BIN)/python scripts/readme.py

badges: $(STAMP)
	$(BIN)/python scripts/notebooks.py badges
	$(BIN)/python scripts/readme.py

clean:
	rm -rf $(VENV) .venv-oldest build *.egg-info test-output
