PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
SPARK_STAMP := $(VENV)/.spark-installed
FRONTEND_STAMP := frontend/node_modules/.installed

.PHONY: run test setup setup-dev spark system-deps bench bench-full bench-map-full loadtest lint format clean

run: setup
	$(BIN)/streamlit run app.py

# pytest-xdist: one worker per core, each test file on one worker (its fixtures once);
# about 8 minutes on 2 cores instead of 9.7 in one process (`make test TEST_WORKERS=0`).
TEST_WORKERS ?= auto
# System packages first (npm among them), then the set-up that uses them.
test: system-deps
	$(MAKE) setup-dev spark
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

setup: $(RUNTIME_STAMP) $(FRONTEND_STAMP)
setup-dev: setup $(DEV_STAMP)
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

# The browser libraries the app serves (frontend/package-lock.json): plotly.js's WebGL
# partial bundle for the map component. Without npm the maps load the full plotly.js of
# the plotly package instead (the same drawing, about 0.6 s slower to start a map).
$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	@if ! command -v npm >/dev/null; then \
		echo "npm not found: maps will load the full plotly.js (README, Layout: frontend/)"; \
	elif ! npm ci --prefix frontend --prefer-offline --no-audit --no-fund --loglevel=error; then \
		echo "npm ci failed: maps will load the full plotly.js (README, Layout: frontend/)"; \
	else \
		touch $@; \
	fi

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

# The full-size vectors figures (3,000,000 x 300: ANN vs exact and the bandwidth floor,
# import vs gensim, command-line query, memory per process). Run on an idle machine:
# about an hour on 2 cores, 12 GiB of temporary disk (BENCH_TMP=/path moves it).
BENCH_FULL_WORDS ?= 3000000
bench-full: setup-dev
	BENCH_ANN_WORDS=$(BENCH_FULL_WORDS) BENCH_STORE_WORDS=$(BENCH_FULL_WORDS) \
		$(BIN)/python -m bench --only bench_ann bench_exact bench_store --timeout 10800 \
		--out bench/RESULTS-full.md

# A UMAP map of a 1,000,000-word synthetic vocabulary, made as the map job makes it
# (about half an hour on 2 cores), and a 1,000,000-point map in the browser (about two
# minutes); their rows join bench/RESULTS-full.md.
BENCH_FULL_MAP_WORDS ?= 1000000
bench-map-full: setup-dev
	BENCH_MAP_WORDS=$(BENCH_FULL_MAP_WORDS) BENCH_MAP_POINTS=$(BENCH_FULL_MAP_WORDS) \
		$(BIN)/python -m bench --only bench_maps bench_map_browser \
		--timeout 10800 --out bench/RESULTS-full.md

lint: setup-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache frontend/node_modules
