"""Real exports real listeners published (../shared/realdata; skipped when absent).

Every file ingests with exit 0, the counts add up, and no private value is left anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _ingest_helpers import SETTINGS, output_text, write_zip
from conftest import REALDATA

from wrapped.errors import InputError
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


# --- issue 19: the defaults users tripped on, on real exports ----------------------------------

EFRROWINI = "efrrowini-spotify-music-analysis"


def test_the_parent_of_the_real_listener_folders_is_refused(realdata: Path, tmp_path: Path) -> None:
    """`wrapped ingest <parent>` on the real layouts: five people's exports, one folder."""
    copy = tmp_path / "exports" / "realdata"
    shutil.copytree(realdata, copy)
    with pytest.raises(InputError) as info:
        ingest([tmp_path / "exports"], settings=SETTINGS)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"{copy}: holds more than one listener's exports")
    assert "Spotify extended streaming histories" in msg and EFRROWINI in msg
    assert f"wrapped ingest {copy}" in msg


#: The real listener folders (none when ../shared/realdata is absent: the test is then skipped
#: with pytest's "empty parameter set", instead of failing the whole file at collection).
REAL_FOLDERS = sorted(p.name for p in REALDATA.iterdir() if p.is_dir()) if REALDATA.is_dir() else []


@pytest.mark.parametrize("folder", REAL_FOLDERS)
def test_every_real_listener_folder_is_one_listener(realdata: Path, folder: str) -> None:
    r = ingest([realdata / folder], settings=SETTINGS)
    assert r.report.adds_up() and r.report.users == 1 and r.report.merged == 0


def _account_data(extended: list[dict[str, object]], since: str) -> dict[str, list[dict]]:
    """What Spotify's account data says about the same plays: the last year, end minute, names."""
    music, podcast = [], []
    for rec in extended:
        if rec["ts"] < since or rec.get("incognito_mode"):
            continue
        end = str(rec["ts"])[:16].replace("T", " ")  # truncated to the minute
        if rec["master_metadata_track_name"] and rec["master_metadata_album_artist_name"]:
            music.append(
                {
                    "endTime": end,
                    "artistName": rec["master_metadata_album_artist_name"],
                    "trackName": rec["master_metadata_track_name"],
                    "msPlayed": rec["ms_played"],
                }
            )
        elif rec["episode_name"] and rec["episode_show_name"]:
            podcast.append(
                {
                    "endTime": end,
                    "podcastName": rec["episode_show_name"],
                    "episodeName": rec["episode_name"],
                    "msPlayed": rec["ms_played"],
                }
            )
    return {"music": music, "podcast": podcast}


def test_a_real_pair_of_exports_counts_every_play_once(realdata: Path, tmp_path: Path) -> None:
    """A real extended history, and the account data Spotify would give for its last year."""
    files = sorted((realdata / EFRROWINI).glob("Streaming_History_Audio_*.json"))
    extended = [r for f in files for r in json.loads(f.read_text(encoding="utf-8"))]
    derived = _account_data(extended, since="2023-03-01")
    n_account = len(derived["music"]) + len(derived["podcast"])
    assert len(derived["music"]) > 500 and derived["podcast"]
    ext_members = {f"Spotify Extended Streaming History/{f.name}": f.read_bytes() for f in files}
    acc_members = {
        f"Spotify Account Data/StreamingHistory_{kind}_0.json": json.dumps(recs, indent=2)
        for kind, recs in derived.items()
    }
    alone, both = tmp_path / "alone" / "listener", tmp_path / "both" / "listener"
    write_zip(alone / "my_spotify_data.zip", ext_members)
    write_zip(both / "my_spotify_data.zip", ext_members)
    write_zip(both / "my_spotify_data (1).zip", acc_members)
    one = ingest([alone.parent], settings=SETTINGS)
    two = ingest([both.parent], settings=SETTINGS)
    rep = two.report
    assert rep.adds_up() and rep.merged == n_account
    assert rep.read == one.report.read + n_account
    assert rep.accepted == one.report.accepted and rep.rejected == one.report.rejected
    pd.testing.assert_frame_equal(two.events, one.events)
    assert sum(f.merged for f in rep.files if f.format == "spotify_account") == n_account


def test_a_real_history_saved_with_pandas_reads_like_the_json(
    realdata: Path, tmp_path: Path
) -> None:
    for f in [
        realdata / EFRROWINI / "Streaming_History_Audio_2023.json",
        realdata / "metabrainz-listenbrainz-server-testdata" / "spotify_streaming_endsong_0.json",
    ]:
        records = json.loads(f.read_text(encoding="utf-8"))
        csv = tmp_path / f"{f.stem}.csv"
        pd.DataFrame(records).to_csv(csv)  # with pandas' unnamed index column
        js, got = (
            ingest([f], settings=SETTINGS, user="x"),
            ingest([csv], settings=SETTINGS, user="x"),
        )
        assert got.report.files[0].format == "spotify_extended_csv"
        pd.testing.assert_frame_equal(
            got.events.drop(columns="source"), js.events.drop(columns="source")
        )
        assert [(r.record, r.reason) for r in got.rejects] == [
            (r.record, r.reason) for r in js.rejects
        ]
        text = got.events.to_csv(index=False)
        for secret in REAL_PRIVATE:
            assert secret not in text
