# Hearth: `make run` to try it, `make test` to check it. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-12)
DEVSTAMP := $(STAMP)-dev

.PHONY: run test lint typecheck bench install dev clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first, pinned, so detoxify never drags in a CUDA build.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(DEVSTAMP): $(STAMP)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP)
dev: $(DEVSTAMP)

run: $(STAMP)
	$(BIN)/hearth db upgrade
	$(BIN)/hearth demo
	$(BIN)/hearth serve

lint: $(DEVSTAMP)
	$(BIN)/ruff check community moderation tests bench
	$(BIN)/ruff format --check community moderation tests bench

typecheck: $(DEVSTAMP)
	$(BIN)/mypy community moderation

test: lint typecheck
	$(BIN)/pytest -q

bench: $(DEVSTAMP)
	$(BIN)/python bench/bench_rules.py
	$(BIN)/python bench/bench_model.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
