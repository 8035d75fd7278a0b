"""`wrapped prompts list` and `wrapped prompts render`, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _batch_helpers import run_main
from _prompt_helpers import PROMPTS_DIR, gb_listener, make_settings, request_for, us_listener
from typer.testing import CliRunner

from wrapped.cli.main import app
from wrapped.prompts import format_messages, render, version_hash

runner = CliRunner()


def write_stats(tmp_path):
    out = tmp_path / "stats"
    out.mkdir()
    for uy in (gb_listener(), us_listener()):
        (out / f"{uy.user_id}.json").write_text(uy.model_dump_json(), encoding="utf-8")
    (out / "summary.json").write_text("{}", encoding="utf-8")
    return out


def test_list_shows_versions_and_hashes():
    result = runner.invoke(app, ["prompts", "list", "--prompts-dir", str(PROMPTS_DIR)])
    assert result.exit_code == 0, result.output
    assert f"* v1  {version_hash(PROMPTS_DIR / 'v1')}  schema=Draft" in result.output
    assert "files: judge.j2, meta.toml, system.j2, user.j2" in result.output


def test_render_prints_the_exact_messages(tmp_path):
    stats = write_stats(tmp_path)
    uy = us_listener()
    args = ["prompts", "render", "--user", uy.user_id, "--day", "2024-06-22", "--prompt", "v1"]
    args += ["--stats", str(stats), "--prompts-dir", str(PROMPTS_DIR)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = format_messages(render(request_for(uy, 1), settings=make_settings()))
    assert result.output == expected
    as_json = runner.invoke(app, [*args, "--json"])
    pair = json.loads(as_json.output)
    assert [m["role"] for m in pair["messages"]] == ["system", "user"]
    assert pair["version_hash"] == version_hash(PROMPTS_DIR / "v1")


def test_render_without_a_day_lists_the_days(tmp_path):
    stats = write_stats(tmp_path)
    uy = gb_listener()
    result = runner.invoke(app, ["prompts", "render", "--user", uy.user_id, "--stats", str(stats)])
    assert result.exit_code == 0
    assert "2024-05-12 (birthday)" in result.output


def test_user_mistakes_are_one_line_errors(tmp_path):
    stats = write_stats(tmp_path)
    uy = gb_listener()
    cases = [
        (["--user", uy.user_id, "--day", "2024-05-13"], "2024-05-13 is not an interesting day"),
        (["--user", "u_nobody", "--day", "2024-05-12"], "no stats for listener u_nobody"),
        (["--user", uy.user_id, "--day", "12/05/2024"], "is not a date (YYYY-MM-DD)"),
        (
            ["--user", uy.user_id, "--day", "2024-05-12", "--prompt", "v7"],
            "prompt version 'v7' not found",
        ),
    ]
    for i, (extra, message) in enumerate(cases):
        argv = ["prompts", "render", "--stats", str(stats), *extra]
        if i == 0:  # one real subprocess; the rest through the same entry point in process
            proc = subprocess.run(
                [sys.executable, "-m", "wrapped", *argv], capture_output=True, text=True, timeout=60
            )
        else:
            proc = run_main(argv, dict(os.environ))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("error: ") and message in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) <= 2
