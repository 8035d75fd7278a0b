"""Defaults users tripped on (issue 19 b, c, f, h), on small hand-made exports.

The same behaviours on real exports (../shared/realdata) are in test_ingest_realdata.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _ingest_helpers import (
    IP,
    PLATFORM,
    PRIVATE_STRINGS,
    SALT,
    USERNAME,
    audiobook,
    endsong,
    episode,
    ext,
    no_audiobook,
    run,
    userdata,
    write_and_read,
    write_json,
    write_zip,
)

from wrapped.errors import InputError

# --- (c) offline plays synced together ---------------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_offline_plays_synced_together_are_two_plays(tmp_path: Path, engine: str) -> None:
    records = [
        ext(offline_timestamp=1_700_000_100),
        ext(offline_timestamp=1_700_000_400),  # same ts, track and length: played again offline
        ext(offline_timestamp=1_700_000_100),  # the first one exported twice: a duplicate
    ]
    r = run([write_json(tmp_path / "h.json", records)], engine=engine)
    assert r.report.accepted == 2 and r.report.rejected_by_reason == {"duplicate": 1}
    assert [(x.record, x.reason) for x in r.rejects] == [(2, "duplicate")]
    text = write_and_read(r, tmp_path / "out")
    assert "1700000100" not in text and "1700000400" not in text  # the key never leaves ingest


def test_without_offline_timestamps_exact_copies_are_still_duplicates(tmp_path: Path) -> None:
    unknown = {k: v for k, v in endsong().items() if k != "offline_timestamp"}
    records = [endsong(offline_timestamp=0), endsong(offline_timestamp=0), unknown, unknown]
    r = run([write_json(tmp_path / "endsong_0.json", records)])
    # 0 and 0 are one key; a missing timestamp is another; two missing ones are one
    assert r.report.accepted == 2 and r.report.rejected_by_reason == {"duplicate": 2}


# --- (f) Spotify's fields saved as CSV; files skipped are named --------------------------------

_CSV_RECORDS = [
    ext(),
    ext(ts="2024-03-01T12:05:00Z", shuffle=True, skipped=None, conn_country="ZZ"),
    episode(ts="2024-03-02T08:00:00Z", ms_played=0),
    audiobook(ts="2024-03-03T21:00:00Z"),
    ext(ts="2024-03-04T10:00:00Z", master_metadata_track_name="  Padded  ", reason_start=""),
    ext(ts="2024-03-05T10:00:00Z", incognito_mode=True),
    ext(ts="2024-03-06T10:00:00Z", offline_timestamp=None),
    ext(ts="2024-03-07T10:00:00Z", ms_played=-1),
]


@pytest.mark.parametrize("index", [True, False])
def test_extended_fields_saved_as_csv_read_like_the_json(tmp_path: Path, index: bool) -> None:
    """pandas' to_csv (with its unnamed index column, floats where a column held a null)."""
    js = run([write_json(tmp_path / "json" / "me" / "h.json", _CSV_RECORDS)])
    csv = tmp_path / "csv" / "me" / "h.csv"
    csv.parent.mkdir(parents=True)
    pd.DataFrame(_CSV_RECORDS).to_csv(csv, index=index)
    assert csv.read_text().startswith(",ts," if index else "ts,")
    got = run([tmp_path / "csv"])
    assert got.report.files[0].format == "spotify_extended_csv"
    pd.testing.assert_frame_equal(
        got.events.drop(columns="source"), js.events.drop(columns="source")
    )
    assert [(x.record, x.reason) for x in got.rejects] == [(x.record, x.reason) for x in js.rejects]
    assert got.report.model_dump(exclude={"files"}) == js.report.model_dump(exclude={"files"})
    text = write_and_read(got, tmp_path / "out")
    for secret in (IP, PLATFORM, "1700000123"):
        assert secret not in text


def test_csv_values_of_the_wrong_type_are_rejected_per_record(tmp_path: Path) -> None:
    csv = tmp_path / "h.csv"
    pd.DataFrame([ext(), ext(ms_played="12 min"), ext(shuffle="maybe")]).to_csv(csv)
    r = run([csv])
    assert [(x.record, x.field, x.reason) for x in r.rejects] == [
        (1, "ms_played", "wrong_type"),
        (2, "shuffle", "wrong_type"),
    ]


def test_a_folder_with_nothing_readable_names_each_file_and_why(tmp_path: Path) -> None:
    (tmp_path / "me").mkdir()
    (tmp_path / "me" / "ReadMeFirst.pdf").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "me" / "plays.csv").write_text("when,what\n2024-01-01,song\n")
    write_json(tmp_path / "me" / "Playlist1.json", {"playlists": []})
    with pytest.raises(InputError) as info:
        run([tmp_path])
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"{tmp_path}: no listening history found")
    assert "skipped 3 file(s)" in msg
    assert "me/ReadMeFirst.pdf: a PDF document" in msg
    assert "me/plays.csv: a CSV with no known column in its first row" in msg
    assert "me/Playlist1.json: JSON, but not a listening history" in msg
    assert "expected a Spotify extended" in msg  # and what would have been read


def test_skipped_files_and_why_are_in_the_report_and_the_summary(tmp_path: Path) -> None:
    write_json(tmp_path / "me" / "h.json", [ext()])
    (tmp_path / "me" / "ReadMeFirst.pdf").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "me" / "mine.csv").write_text("ts,ms_played,note\n1,2,3\n")
    r = run([tmp_path])
    assert [(s.file, s.reason) for s in r.report.skipped_files] == [
        ("ReadMeFirst.pdf", "a PDF document"),
        ("mine.csv", "a CSV with only ms_played, ts of the known columns in its first row"),
    ]
    summary = "\n".join(r.report.summary_lines())
    assert "skipped 2 non-history file(s)" in summary
    assert "a PDF document: 1 (ReadMeFirst.pdf)" in summary


def test_a_headerless_csv_row_is_not_echoed(tmp_path: Path) -> None:
    """A first row may be data (a name, an e-mail): only known column names are named back."""
    (tmp_path / "me").mkdir()
    (tmp_path / "me" / "x.csv").write_text("secret.person@example.org,Jane Doe\n")
    with pytest.raises(InputError) as info:
        run([tmp_path])
    assert "example.org" not in str(info.value) and "Jane" not in str(info.value)


# --- (h) account data and extended history of one listener -------------------------------------


def _account(
    ts: str, ms: int, track: str = "Song A", artist: str = "Artist A"
) -> dict[str, object]:
    return {"endTime": ts, "artistName": artist, "trackName": track, "msPlayed": ms}


def test_both_spotify_exports_count_each_play_once(tmp_path: Path) -> None:
    me = tmp_path / "me"
    write_zip(
        me / "my_spotify_data.zip",
        {
            "Spotify Extended Streaming History/Streaming_History_Audio_2024.json": json.dumps(
                [
                    ext(ts="2024-03-01T12:00:59Z"),  # ends 12:00:59 -> account says 12:00
                    ext(ts="2024-03-01T12:04:10Z"),  # the same track again, minutes later
                    episode(ts="2024-03-02T08:00:30Z", ms_played=5000),
                    ext(ts="2024-03-03T09:00:40Z", ms_played=777),
                ]
            )
        },
    )
    write_zip(
        me / "my_spotify_data (1).zip",
        {
            "Spotify Account Data/StreamingHistory_music_0.json": json.dumps(
                [
                    _account("2024-03-01 12:00", 180000),
                    _account("2024-03-01 12:04", 180000),
                    _account("2024-03-01 12:30", 180000),  # only here: a play to keep
                    _account("2024-03-03 09:01", 777),  # rounded up by the export: still one
                    _account("2024-03-03 09:00", 778),  # another length: another play
                ]
            ),
            "Spotify Account Data/StreamingHistory_podcast_0.json": json.dumps(
                [
                    {
                        "endTime": "2024-03-02 08:00",
                        "podcastName": "The Show",
                        "episodeName": "Episode 1",
                        "msPlayed": 5000,
                    }
                ]
            ),
        },
    )
    r = run([tmp_path])
    rep = r.report
    assert rep.read == 10 and rep.merged == 4 and rep.accepted == 6 and rep.adds_up()
    assert rep.read == rep.accepted + rep.rejected + rep.dropped + rep.merged
    assert sorted((f.format, f.merged) for f in rep.files) == [
        ("spotify_account", 1),
        ("spotify_account", 3),
        ("spotify_extended", 0),
    ]
    assert r.events["user_id"].nunique() == 1
    kept = r.events.sort_values("ts")
    assert kept["uri"].notna().sum() == 4  # the extended records are the ones kept
    assert kept["ms_played"].sum() == 180000 * 3 + 5000 + 777 + 778
    assert "merged" in rep.summary_lines()[0]


def test_account_data_alone_is_not_merged_with_another_listener(tmp_path: Path) -> None:
    write_json(
        tmp_path / "ana" / "Streaming_History_Audio_2024.json", [ext(ts="2024-03-01T12:00:30Z")]
    )
    write_json(
        tmp_path / "ben" / "StreamingHistory_music_0.json", [_account("2024-03-01 12:00", 180000)]
    )
    r = run([tmp_path])
    assert r.report.merged == 0 and r.report.accepted == 2


# --- (b) one listener folder, one listener ----------------------------------------------------


def _extended_zip(path: Path, records: list[dict[str, object]]) -> None:
    name = "Spotify Extended Streaming History/Streaming_History_Audio_2024_0.json"
    write_zip(path, {name: json.dumps(records)})


def _listener(n: int) -> list[dict[str, object]]:
    return [
        ext(ts=f"2024-0{1 + (i % 9)}-1{n}T1{i % 10}:00:00Z", master_metadata_track_name=f"S{n}{i}")
        for i in range(30)
    ]


def test_the_parent_of_listener_folders_is_one_line_error(tmp_path: Path) -> None:
    for n, who in enumerate(["ana", "ben", "cy"]):
        _extended_zip(tmp_path / "data" / "sample" / who / "my_spotify_data.zip", _listener(n))
    (tmp_path / "data" / "README.md").write_text("# exports\n")
    with pytest.raises(InputError) as info:
        run([tmp_path / "data"])
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"{tmp_path / 'data' / 'sample'}: ")
    assert "more than one listener" in msg and "ana/my_spotify_data.zip" in msg
    assert "each sub-folder of the folder it is given as one listener" in msg
    assert f"wrapped ingest {tmp_path / 'data' / 'sample'}" in msg
    r = run([tmp_path / "data" / "sample"])  # the folder it names is fine: three listeners
    assert r.report.users == 3 and r.report.accepted == 90


def test_several_exports_side_by_side_in_one_listener_folder(tmp_path: Path) -> None:
    """Two people's archives side by side: the advice is a folder per listener."""
    for n in range(2):
        _extended_zip(tmp_path / "me" / f"my_spotify_data ({n}).zip", _listener(n))
    with pytest.raises(InputError) as info:
        run([tmp_path])
    msg = str(info.value)
    assert msg.startswith(f"{tmp_path / 'me'}: ") and "my_spotify_data (1).zip" in msg
    assert "put each listener's exports in a folder of their own" in msg


def test_one_listener_requesting_the_same_export_twice_is_fine(tmp_path: Path) -> None:
    plays = _listener(1)
    _extended_zip(tmp_path / "me" / "my_spotify_data.zip", plays[:20])
    _extended_zip(tmp_path / "me" / "my_spotify_data (1).zip", plays)  # a later, fuller request
    r = run([tmp_path])
    assert r.report.users == 1 and r.report.accepted == 30
    assert r.report.rejected_by_reason == {"duplicate": 20}


def test_exports_that_do_not_overlap_in_time_are_not_refused(tmp_path: Path) -> None:
    """Account data requested a year apart: two exports of one kind, no shared time."""
    write_json(
        tmp_path / "me" / "2023" / "StreamingHistory_music_0.json",
        [_account("2023-03-01 12:00", 5)],
    )
    write_json(
        tmp_path / "me" / "2024" / "StreamingHistory_music_0.json",
        [_account("2024-03-01 12:00", 5)],
    )
    assert run([tmp_path]).report.accepted == 2


def test_files_naming_no_account_beside_two_accounts(tmp_path: Path) -> None:
    write_json(tmp_path / "me" / "endsong_0.json", [endsong()])  # names USERNAME
    write_json(tmp_path / "me" / "Userdata.json", userdata(username="someone_else"))
    write_json(tmp_path / "me" / "Streaming_History_Audio_2024.json", [no_audiobook()])
    with pytest.raises(InputError) as info:
        run([tmp_path])
    msg = str(info.value)
    assert "2 different accounts" in msg and "Streaming_History_Audio_2024.json" in msg
    assert USERNAME not in msg and "someone_else" not in msg
    assert run([tmp_path], user="me").report.users == 1  # --user says whose they are


def test_cli_exit_2_and_one_line_for_the_bundled_samples_parent(
    repo_root: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, WRAPPED_SALT=SALT)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "wrapped",
            "ingest",
            "data",
            "--out",
            str(tmp_path / "o"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo_root,
        timeout=300,
    )
    assert p.returncode == 2, p.stdout + p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: data/sample: "), p.stderr
    assert "wrapped ingest data/sample" in lines[0] and not (tmp_path / "o").exists()
    for secret in PRIVATE_STRINGS:
        assert secret not in p.stderr


def test_offline_timestamps_of_any_type_stage_alike_on_both_paths(tmp_path: Path) -> None:
    """Only a bare number is an offline timestamp: a quoted one or a boolean is no key."""
    values = [1_700_000_123, "1700000123", True, None, 1_700_000_123.0, 1.5e12]
    f = write_json(tmp_path / "h.json", [ext(offline_timestamp=v) for v in values])
    fast, exact = run([f], engine="auto"), run([f], engine="python")
    assert fast.report == exact.report and fast.rejects == exact.rejects
    assert [(x.record, x.reason) for x in fast.rejects] == [
        (2, "duplicate"),
        (3, "duplicate"),
        (4, "duplicate"),
    ]
