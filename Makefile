# Each target bootstraps its own virtual environment from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## demo: run the offline pipeline on the bundled example (no API key, no network)
demo: $(STAMP)
	$(BIN)/python -m hydra_magic.demo

## test: unit, magics, real-kernel, tutorial and browser tests
test: $(STAMP)
	$(BIN)/python -m pytest -q

## lab: open JupyterLab on the tutorials
lab: $(STAMP)
	$(BIN)/jupyter lab tutorials

## bench: quality and speed benchmarks (needs ../shared/data)
bench: $(STAMP)
	$(BIN)/hydra bench speed

clean:
	rm -rf $(VENV) .hydra .pytest_cache build dist
