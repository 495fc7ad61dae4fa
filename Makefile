# zhijiao — 两条命令即可上手：make demo / make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck migrate-check bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	ZHIJIAO_DEMO=1 $(BIN)/zhijiao db upgrade
	ZHIJIAO_DEMO=1 $(BIN)/zhijiao demo --if-empty
	ZHIJIAO_DEMO=1 $(BIN)/zhijiao serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/import_outcomes.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/transcript_latency.py
	$(BIN)/python benchmarks/quality_verdicts.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache zhijiao.db
