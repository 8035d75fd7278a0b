"""`wrapped stats` through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from _batch_helpers import run_main
from _stats_helpers import catalog, events, play, profiles
from typer.testing import CliRunner

from wrapped.cli.main import app
from wrapped.stats.model import UserYear

ROWS = [
    play("u_a", f"2024-02-{d:02d}T10:00", 200_000, artist="Ana", track="t") for d in range(1, 26)
]
ROWS += [play("u_b", "2024-02-01T10:00", 60_000, artist="Bo", track="t")]


def _write(tmp_path: Path) -> Path:
    d = tmp_path / "ingested"
    d.mkdir()
    events(ROWS).to_parquet(d / "events.parquet")
    profiles({"user_id": "u_a", "country": "GB", "timezone": "Europe/London"}).to_parquet(
        d / "profiles.parquet"
    )
    catalog(genres={"Ana": "folk"}).to_parquet(d / "catalog.parquet")
    return d


def test_stats_on_an_ingest_directory(tmp_path: Path) -> None:
    src, out = _write(tmp_path), tmp_path / "stats"
    res = CliRunner().invoke(app, ["stats", str(src), "--out", str(out), "--year", "2024"])
    assert res.exit_code == 0, res.output
    assert "2 listeners (1 eligible)" in res.output
    a = UserYear.model_validate_json((out / "u_a.json").read_text())
    assert (
        a.eligible
        and a.locale == "en-GB"
        and a.top_genres[0].name == "folk"
        and a.totals.all.plays == 25
    )
    b = UserYear.model_validate_json((out / "u_b.json").read_text())
    assert not b.eligible and b.ineligible_reason.startswith("only 1 play between")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["listeners"] == 2 and summary["eligible"] == 1
    assert summary["ineligible_reasons"] == {"too few plays": 1}
    assert summary["days"]["biggest_music_day"] == 2
    assert summary["tz_sources"] == {"profile": 1, "utc": 1}
    assert summary["window"] == {"start": "2024-01-01", "end": "2024-11-15", "year": 2024}


def test_stats_on_a_csv_file_with_options(tmp_path: Path) -> None:
    csv = tmp_path / "events.csv"
    events(ROWS).to_csv(csv, index=False)
    out = tmp_path / "o"
    res = CliRunner().invoke(
        app, ["stats", str(csv), "--out", str(out), "--full-year", "--tz", "Asia/Tokyo"]
    )
    assert res.exit_code == 0, res.output
    a = UserYear.model_validate_json((out / "u_a.json").read_text())
    assert (a.timezone, a.tz_source, a.window.end.isoformat()) == (
        "Asia/Tokyo",
        "override",
        "2024-12-31",
    )


def test_user_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "wrapped", "stats", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    def run_here(*args: str) -> subprocess.CompletedProcess:  # the same entry point, no spawn
        return run_main(["stats", *args], dict(os.environ))

    missing = run(str(tmp_path / "nope.parquet"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and "error:" in missing.stderr and "not found" in missing.stderr
    assert "Traceback" not in missing.stderr
    src = _write(tmp_path)
    bad_tz = run_here(str(src), "--out", str(tmp_path / "o"), "--tz", "Mars/Base")
    assert bad_tz.returncode == 2 and "not a known IANA time zone" in bad_tz.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    no_events = run_here(str(empty), "--out", str(tmp_path / "o"))
    assert no_events.returncode == 2 and "no events.parquet" in no_events.stderr


def test_help_documents_every_option() -> None:
    res = CliRunner().invoke(app, ["stats", "--help"])
    assert res.exit_code == 0
    for opt in ("--out", "--year", "--full-year", "--tz", "--profiles", "--catalog", "--top-k"):
        assert opt in res.output
