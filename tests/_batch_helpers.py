"""Helpers for the batch tests: run the real CLI in a subprocess and read a run folder."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from wrapped.settings import deepeval_offline_env

REPO = Path(__file__).resolve().parents[1]


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "WRAPPED_", "RAY_ADDRESS"))
    }
    env.update(
        WRAPPED_CACHE_PATH=str(tmp_path / "cache.sqlite"),
        WRAPPED_SALT="test-salt",
        RAY_USAGE_STATS_ENABLED="0",
        PYTHONUNBUFFERED="1",
        COLUMNS="200",
    )
    env.update(deepeval_offline_env())
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 300, **kw: Any
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wrapped", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO,
        **kw,
    )


def run_main(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`run_cli` in this process: the same entry point (`wrapped.cli.main.main`, where errors
    become one line and an exit code), the same environment (exactly `env`: every variable it
    lacks is unset for the call) and working directory, its stdout and stderr captured apart.

    For a command that fails or finishes before any real work, the ~2 s a fresh interpreter
    spends importing the package is most of a subprocess call; the README test and each
    command's own tests keep at least one real subprocess per command. Not for runs that
    start Ray or must be signalled or killed: those stay `run_cli`/`start_cli`."""
    from click.testing import CliRunner

    from wrapped.cli.main import main

    overrides: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    overrides.update(env)
    code: int | str | None = 0
    saved = dict(os.environ)  # a variable the command sets for itself must not outlive it
    try:
        with contextlib.chdir(REPO), CliRunner().isolation(env=overrides) as (out, err, _):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout = out.getvalue().decode("utf-8", errors="replace")
            stderr = err.getvalue().decode("utf-8", errors="replace")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    rc = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(["wrapped", *args], rc, stdout, stderr)


def start_cli(args: list[str], env: dict[str, str], **kw: Any) -> subprocess.Popen:
    """`run_cli` without waiting: the job as a process a test can signal or kill."""
    return subprocess.Popen([sys.executable, "-m", "wrapped", *args], env=env, cwd=REPO, **kw)


def only_run(out: Path) -> Path:
    runs = [p for p in out.iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def read_lines(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in sorted(folder.glob("shard-*.jsonl")):
        rows.extend(json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line)
    return rows


def manifest(run: Path) -> dict[str, Any]:
    return json.loads((run / "manifest.json").read_text(encoding="utf-8"))


def assert_complete_and_exactly_once(run: Path) -> dict[str, Any]:
    """Every selected listener is finished, each story stored once, and the counts add up."""
    m = manifest(run)
    c = m["counts"]
    assert m["counts_add_up"], m["count_problems"]
    assert m["status"] == "complete"
    assert c["listeners_pending"] == 0
    stories = read_lines(run / "stories") + read_lines(run / "needs_review")
    keys = [(s["user_id"], s["day"]) for s in stories]
    assert len(keys) == len(set(keys)), "a story is stored twice"
    verdicts = read_lines(run / "verdicts")
    assert len(verdicts) == c["stories"]["expected"]
    s = c["stories"]
    assert s["passed"] + s["fallback"] == len(read_lines(run / "stories"))
    plan = json.loads((run / "plan.json").read_text())
    selected = {u for shard in plan["shards"] for u in shard}
    listeners = {r["user_id"] for r in read_lines(run / "listeners")}
    assert listeners == selected
    return m
