"""The default-salt note: every command that makes or carries listener ids says when they are
pseudonymized with the built-in salt (only `generate` did; `ingest`, which makes them, did not)."""

from __future__ import annotations

from pathlib import Path

from _batch_helpers import REPO, cli_env, run_cli, run_main

SAMPLE = str(REPO / "data" / "sample" / "ana.k.92")
NOTE = "user ids are pseudonymized with the built-in salt; set WRAPPED_SALT"


def test_ingest_and_stats_print_the_default_salt_note_and_only_then(tmp_path: Path) -> None:
    default = cli_env(tmp_path)
    default.pop("WRAPPED_SALT")
    ingest = run_cli(["ingest", SAMPLE, "--out", str(tmp_path / "ing"), "--no-progress"], default)
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    assert NOTE in ingest.stderr and NOTE not in ingest.stdout
    stats = run_cli(["stats", str(tmp_path / "ing"), "--out", str(tmp_path / "st")], default)
    assert stats.returncode == 0, stats.stderr[-2000:]
    assert NOTE in stats.stderr

    own = cli_env(tmp_path)  # WRAPPED_SALT set: nothing to say (in process: same entry point)
    ingest = run_main(["ingest", SAMPLE, "--out", str(tmp_path / "ing2"), "--no-progress"], own)
    stats = run_main(["stats", str(tmp_path / "ing2"), "--out", str(tmp_path / "st2")], own)
    assert ingest.returncode == stats.returncode == 0, ingest.stderr[-2000:] + stats.stderr
    assert NOTE not in ingest.stderr + stats.stderr
