PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
SPARK_STAMP := $(VENV)/.spark-installed

.PHONY: run test setup setup-dev spark system-deps bench loadtest lint format clean

run: setup
	$(BIN)/streamlit run app.py

test: setup-dev spark system-deps
	$(BIN)/python -m pytest

setup: $(RUNTIME_STAMP)
setup-dev: $(RUNTIME_STAMP) $(DEV_STAMP)
# Apache Spark (pyspark) for `--engine spark`; Java comes from system-deps.
spark: $(RUNTIME_STAMP) $(SPARK_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when the requirement file changed.
$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

$(SPARK_STAMP): requirements-spark.txt $(RUNTIME_STAMP)
	$(BIN)/python -m pip install -q -r requirements-spark.txt
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

bench: setup-dev
	$(BIN)/python -m bench

# 30 simulated students on one server (about 6 minutes; meaningful on an idle machine).
loadtest: setup-dev
	$(BIN)/python -m bench.loadtest

lint: setup-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
