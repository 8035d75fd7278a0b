"""Gate prompt changes the way a team would in CI: `pytest evals`.

Runs the smoke suite's listeners with the production writer (the scripted server's clean
`scripted` model here; point `WRAPPED_EVAL_BASE_URL` and `WRAPPED_EVAL_MODEL` at a real
endpoint to gate against it) and the current prompt version, then `wrapped eval compare
--fail-on-regression` against the committed baseline in `evals/baseline/`. A prompt edit that
costs grounding, safety or sameness in any cohort past the suite's thresholds fails here, one
line per metric and cohort.

Not part of the unit suite (`pytest` collects `tests/` only). Refresh the baseline after an
intended change with `WRAPPED_UPDATE_BASELINE=1 pytest evals`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wrapped.testing import ScriptedServer

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "evals" / "baseline"
SUITE = REPO / "evals" / "suites" / "smoke.toml"
PROMPT = os.environ.get("WRAPPED_EVAL_PROMPT", "v1")


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WRAPPED_", "RAY_ADDRESS"))}
    env.update(
        WRAPPED_CACHE_PATH=str(tmp / "cache.sqlite"),
        WRAPPED_SALT="eval-baseline",
        RAY_USAGE_STATS_ENABLED="0",
        COLUMNS="200",
    )
    return env


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wrapped", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=900,
    )


@pytest.fixture(scope="module")
def endpoint():
    url = os.environ.get("WRAPPED_EVAL_BASE_URL")
    if url:
        yield url
        return
    with ScriptedServer() as srv:
        yield srv.base_url


def test_the_prompt_does_not_regress_against_the_baseline(endpoint, tmp_path):
    env = _env(tmp_path)
    out = tmp_path / "results"
    model = os.environ.get("WRAPPED_EVAL_MODEL", "scripted")
    run = _cli(
        ["eval", "run", str(SUITE), "--out", str(out), "--prompt", PROMPT,
         "--model", f"good={model}", "--base-url", endpoint, "-q"], env)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    if os.environ.get("WRAPPED_UPDATE_BASELINE"):
        BASELINE.mkdir(exist_ok=True)
        for name in ("manifest.json", "rows.parquet", "rows.jsonl"):
            shutil.copy(out / name, BASELINE / name)
        pytest.skip("baseline updated")
    cmp = _cli(
        ["eval", "compare", str(BASELINE), str(out), "--suite", str(SUITE),
         "--fail-on-regression"], env)  # fmt: skip
    assert cmp.returncode == 0, "prompt regression against evals/baseline:\n" + cmp.stderr
