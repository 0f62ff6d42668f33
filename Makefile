# Task file: `make check` is what a developer runs before committing; CI runs `.ci/run`.
.PHONY: install test lint typecheck check demo bench

install:
	python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[dev]'

test:
	python -m pytest -q -n auto

lint:
	ruff check src tests scripts bench
	ruff format --check src tests scripts bench

typecheck:
	mypy

check: lint typecheck test

demo:  # generated outside git (letter numbers come from the register's history), then copied in
	rm -rf /tmp/xmtj-demo && mkdir /tmp/xmtj-demo && python scripts/make_demo.py --root /tmp/xmtj-demo
	rm -rf data && cp -r /tmp/xmtj-demo/data /tmp/xmtj-demo/xmtj.yaml .
