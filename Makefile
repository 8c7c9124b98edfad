# mediawork — `make help` lists the targets. Everything runs in .venv, created with python3 -m venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install report test lab bench clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name mediawork --display-name "mediawork (.venv)" >/dev/null
	touch $(STAMP)

## install: create .venv and install mediawork with its dev extras (re-runs only when pyproject.toml changes)
install: $(STAMP)

## report: ingest data/raw into data/processed, run every notebook, write reports/index.html
report: install
	$(BIN)/mediawork run

## test: run the whole test suite
test: install
	$(BIN)/python -m pytest

## lab: open JupyterLab on notebooks/ with the project's kernel
lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

## bench: run the benchmarks (not part of the test suite)
bench: install
	$(BIN)/python benchmarks/run.py

## clean: remove generated tables and reports (keeps .venv and data/raw)
clean:
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -delete
	rm -rf reports
