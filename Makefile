# make lab    create .venv, install everything, open the course in JupyterLab
# make test   the same environment, then every check: ruff, unit tests, doctests, notebooks
# make bench  speed and memory against naive baselines (prints a table; not a test)
# make images regenerate every figure in images/

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test lint bench images clean

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
	$(BIN)/ruff check gdviz tests benchmarks notebooks

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

images: $(STAMP)
	$(BIN)/python -m gdviz.images

clean:
	rm -rf $(VENV) build *.egg-info test-output
