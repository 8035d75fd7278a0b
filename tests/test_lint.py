"""`make lint` in CI: ruff, mypy and the import rules, each run as `make lint` runs it.

CI runs only the README's test command (`bash .ci/run` = pytest), so the guards that keep the
architecture as it is drawn (DESIGN.md: arrows go one way; strict types in generate, gate and
store) are tests here. Each tool runs in a subprocess from the repository root with its
configuration in pyproject.toml; a failure shows the tool's own report. mypy keeps its cache in
.mypy_cache, so only the first run in a fresh clone pays for a full check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: `lint-imports` through this interpreter (import-linter has no `python -m` entry point)
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _passes(*args: str, timeout: float = 240) -> None:
    """Run one tool; on failure, fail with its report (and no traceback to read past)."""
    proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        command = "lint-imports" if LINT_IMPORTS in args else " ".join(["python", *args[1:]])
        report = (proc.stdout + proc.stderr).strip()
        pytest.fail(f"`{command}` exited {proc.returncode}:\n{report}", pytrace=False)


def test_ruff_finds_nothing_to_fix_or_reformat() -> None:
    _passes(sys.executable, "-m", "ruff", "check", "wrapped", "tests", "benchmarks")
    _passes(sys.executable, "-m", "ruff", "format", "--check", "wrapped", "tests", "benchmarks")


@pytest.mark.timeout(900)
def test_mypy_finds_no_type_errors_in_the_package() -> None:
    # a clean clone has no cache: the full check took 240+ s on a loaded 2-core machine,
    # past the default limits (a timeout there says nothing about the types)
    _passes(sys.executable, "-m", "mypy", timeout=840)


def test_the_stages_import_only_what_their_contracts_allow() -> None:
    _passes(sys.executable, "-c", LINT_IMPORTS)
