"""Real exports real listeners published (../shared/realdata; skipped when absent).

Every file ingests with exit 0, the counts add up, and no private value is left anywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _ingest_helpers import SETTINGS, output_text

from wrapped.events import EVENT_COLUMNS
from wrapped.ingest import ingest, read_ingested

#: Private values the README says the real files carry (documentation IPs, the account name).
REAL_PRIVATE = ("192.0.2.", "example_listener", "iPhone10,3", "iOS 14.7.1")


@pytest.fixture(scope="module")
def realdata(realdata_dir: Path) -> Path:
    return realdata_dir


@pytest.fixture(scope="module")
def cli_out(
    realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("realdata") / "out"
    env = dict(os.environ, WRAPPED_SALT="realdata-test-salt")
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "wrapped",
            "ingest",
            str(realdata),
            "--out",
            str(out),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return p, out


def test_whole_folder_ingests_with_exit_0_and_counts_that_add_up(
    cli_out: tuple[subprocess.CompletedProcess[str], Path], realdata: Path
) -> None:
    p, out = cli_out
    assert p.returncode == 0, p.stderr
    result = read_ingested(out)
    rep = result.report
    assert rep.adds_up()
    assert rep.read == rep.accepted + rep.rejected + rep.dropped
    # every history file was read; only the README was skipped
    history = [
        f for f in realdata.rglob("*") if f.is_file() and f.suffix in (".json", ".jsonl", ".csv")
    ]
    assert len(rep.files) == len(history)
    assert {s.file for s in rep.skipped_files} == {"README.md"}
    assert len(result.events) == rep.accepted
    assert len(result.rejects) == rep.rejected


def test_no_private_value_left(cli_out: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = cli_out
    text = output_text(out)
    for secret in REAL_PRIVATE:
        assert secret not in text, secret
    assert read_ingested(out).events.columns.tolist() == EVENT_COLUMNS


@pytest.mark.parametrize(
    "folder",
    [
        "metabrainz-listenbrainz-server-testdata",
        "efrrowini-spotify-music-analysis",
        "erickmay-spotify-shuffle-analysis",
        "hobbies-w-erin-spotify-account-data",
        "sachawheeler-last-fm-stats",
    ],
)
def test_every_file_alone(realdata: Path, folder: str) -> None:
    for f in sorted((realdata / folder).iterdir()):
        r = ingest([f], settings=SETTINGS)
        assert r.report.adds_up(), f
        assert r.report.read > 0, f


def test_known_quirks(realdata: Path) -> None:
    r = ingest([realdata / "erickmay-spotify-shuffle-analysis"], settings=SETTINGS)
    # a row with no track and no episode is rejected with a reason, the rest kept (2014-2021, unsorted)
    assert r.report.rejected_by_reason.get("no_content") == 1
    assert r.events["ts"].min().year == 2014 and r.events["ts"].max().year == 2021
    assert not (r.events["country"] == "ZZ").any()  # Spotify's "unknown country" becomes null
    e = ingest([realdata / "efrrowini-spotify-music-analysis"], settings=SETTINGS).events
    assert not (e["track"].dropna().str.strip() != e["track"].dropna()).any()  # padding stripped
    assert (e["kind"] == "episode").sum() > 0  # podcast rows with null track fields
    m = ingest(
        [realdata / "metabrainz-listenbrainz-server-testdata" / "spotify_streaming_2023.json"],
        settings=SETTINGS,
    ).events
    assert (
        m["ts"].dt.year == 2024
    ).any()  # a "2023" file holding a 2024 record keeps its real date
    a = ingest([realdata / "hobbies-w-erin-spotify-account-data"], settings=SETTINGS).events
    assert (
        a["ms_played"].max() >= 3 * 3600 * 1000 and (a["ms_played"] == 0).any()
    )  # 3.5 h and 0 ms plays
    assert pd.api.types.is_datetime64_any_dtype(a["ts"]) and str(a["ts"].dt.tz) == "UTC"
    assert json.loads(r.report.model_dump_json())["read"] == r.report.read
