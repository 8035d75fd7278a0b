"""The real CLI: exit codes, one-line errors, printed counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _ingest_helpers import SALT, USERNAME, ext, write_json

from wrapped.ingest import pseudonymize, read_ingested


def _wrapped(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WRAPPED_SALT=SALT)
    return subprocess.run(
        [sys.executable, "-m", "wrapped", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_ingest_writes_outputs_and_prints_counts_that_add_up(tmp_path: Path) -> None:
    write_json(
        tmp_path / "in" / "carol" / "h.json",
        [ext(), ext(), ext(ms_played=-3, ts="2024-04-04T00:00:00Z")],
    )
    prof = tmp_path / "profiles.csv"
    prof.write_text(
        "user,country,tier,birth_date,timezone\ncarol,GB,free,1999-09-09,Europe/London\n"
    )
    p = _wrapped(
        "ingest",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--profiles",
        str(prof),
        "--no-progress",
    )
    assert p.returncode == 0, p.stderr
    assert "read 3 records from 1 file(s): 1 accepted, 2 rejected, 0 dropped" in p.stdout
    assert "rejected: duplicate: 1" in p.stdout and "rejected: negative_ms_played: 1" in p.stdout
    back = read_ingested(tmp_path / "out")
    assert back.report.adds_up() and len(back.events) == 1
    assert back.profiles["user_id"].tolist() == [pseudonymize("carol", SALT)]
    assert {f.name for f in (tmp_path / "out").iterdir()} == {
        "events.parquet",
        "profiles.parquet",
        "rejects.jsonl",
        "ingest_report.json",
    }


def test_user_option(tmp_path: Path) -> None:
    f = write_json(tmp_path / "endsong_0.json", [ext(username=USERNAME)])
    p = _wrapped(
        "ingest", str(f), "--out", str(tmp_path / "out"), "--user", "listener-7", "--no-progress"
    )
    assert p.returncode == 0, p.stderr
    assert read_ingested(tmp_path / "out").events["user_id"].tolist() == [
        pseudonymize("listener-7", SALT)
    ]


def test_unreadable_file_is_one_line_and_nonzero_exit(tmp_path: Path) -> None:
    f = tmp_path / "Streaming_History_Audio_2024.json"
    f.write_text(json.dumps([ext()])[:50])
    p = _wrapped("ingest", str(f), "--out", str(tmp_path / "out"), "--no-progress")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {f}: ")
    assert "Traceback" not in p.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("folder", ["exports [red]", "[/x]"])
def test_an_error_names_a_path_with_brackets_verbatim(tmp_path: Path, folder: str) -> None:
    """The error line is printed with rich: "[red]" in a folder name used to vanish from the
    message (so it named a file that does not exist) and "[/x]" crashed it with a traceback."""
    f = tmp_path / folder / "Streaming_History_Audio_2024.json"
    f.parent.mkdir(parents=True)
    f.write_text(json.dumps([ext()])[:50])
    p = _wrapped("ingest", str(f), "--out", str(tmp_path / "out"), "--no-progress")
    assert p.returncode == 2, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {f}: "), p.stderr
    assert "Traceback" not in p.stderr


def test_missing_input_is_one_line_error(tmp_path: Path) -> None:
    p = _wrapped("ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert (
        p.returncode == 2
        and p.stderr.strip().count("\n") == 0
        and "no such file or folder" in p.stderr
    )


def test_demo_data_canonical_size_option_writes_an_ingest_folder(tmp_path: Path) -> None:
    p = _wrapped(
        "demo-data",
        "--out",
        str(tmp_path / "d"),
        "--listeners",
        "5",
        "--events",
        "2000",
        "--seed",
        "3",
    )
    assert p.returncode == 0, p.stderr
    back = read_ingested(tmp_path / "d")
    assert (
        len(back.events) == 2000
        and back.events["user_id"].nunique() == 5
        and back.catalog is not None
    )
