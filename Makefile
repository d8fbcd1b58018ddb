# Two set-up commands for a fresh machine with Python 3.11+:
#   make demo   -- create .venv, install rekg, load the sample corpus, write the HTML page
#   make test   -- create .venv, install rekg with test tools, the local Neo4j and Chromium, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install install-test lint bench clean notebooks eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	bash tools/setup-test-deps.sh

demo: install
	$(BIN)/rekg demo -o rekg-demo

notebooks: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[notebooks]"
	$(BIN)/jupyter lab notebooks/

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# extraction quality: dev, the blind test split, and dev with its actors removed from the gazetteer
eval: install
	$(BIN)/python tools/evaluate.py --sets dev,test,cold

lint: $(BIN)/python
	$(BIN)/ruff check .

clean:
	rm -rf rekg-demo .pytest_cache
