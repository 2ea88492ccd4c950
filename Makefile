# hucheng: `make run` runs the main job on the shipped config; `make test` runs everything CI runs.
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= configs/hucheng.yaml

.PHONY: bootstrap run test lint typecheck pytest bench quick clean

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	$(BIN)/hucheng --config $(CONFIG) run

test: bootstrap lint typecheck pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/python -m pytest

# the fast loop: no real servers
quick:
	$(BIN)/python -m pytest -m "not integration" -q

bench: bootstrap
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
