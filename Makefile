# Task file: `make check` is what a developer runs before committing; CI runs `.ci/run`.
.PHONY: install test lint typecheck check demo bench

install:
	python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[dev]'

test:
	python -m pytest -q

lint:
	ruff check src tests scripts bench
	ruff format --check src tests scripts bench

typecheck:
	mypy

check: lint typecheck test

demo:
	python scripts/make_demo.py
