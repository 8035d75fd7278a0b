"""Bad input: bad records are rejected with reasons and counted; unreadable files are one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from _ingest_helpers import SETTINGS, endsong, episode, ext, lb_listen, run, write_json, write_zip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wrapped.errors import InputError
from wrapped.ingest import ingest, write_ingest

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def test_each_bad_record_is_rejected_with_file_record_field_and_reason(tmp_path: Path) -> None:
    records = [
        ext(),  # 0 fine
        ext(ms_played="abc"),  # 1 wrong type
        {k: v for k, v in ext().items() if k != "ms_played"},  # 2 missing required field
        ext(ms_played=-5),  # 3 negative
        ext(ms_played=25 * 3600 * 1000),  # 4 absurd (> 24 h)
        ext(
            ms_played=int(3.5 * 3600 * 1000), ts="2024-03-01T13:00:00Z"
        ),  # 5 a real 3.5 h play: fine
        ext(ts="yesterday-ish"),  # 6 unparsable timestamp
        ext(ts="2099-01-01T00:00:00Z"),  # 7 future
        ext(),  # 8 exact duplicate of 0
        ext(
            master_metadata_track_name=None,
            master_metadata_album_artist_name=None,
            master_metadata_album_album_name=None,
            spotify_track_uri=None,
        ),  # 9 nothing played
        ext(incognito_mode=True, ts="2024-03-02T10:00:00Z"),  # 10 private session: dropped
        "not an object",  # 11 wrong type
        ext(ts=None),  # 12 missing timestamp
        ext(ts="1970-01-01T00:00:00Z"),  # 13 implausible (broken clock)
        episode(ms_played=0, ts="2024-03-03T00:00:00Z"),  # 14 a 0 ms play is still a play
    ]
    f = write_json(tmp_path / "h.json", records)
    r = ingest([f], settings=SETTINGS, now=NOW)
    got = [(x.file, x.record, x.field, x.reason) for x in r.rejects]
    assert got == [
        ("h.json", 1, "ms_played", "wrong_type"),
        ("h.json", 2, "ms_played", "missing_field"),
        ("h.json", 3, "ms_played", "negative_ms_played"),
        ("h.json", 4, "ms_played", "absurd_ms_played"),
        ("h.json", 6, "ts", "unparsable_timestamp"),
        ("h.json", 7, "ts", "future_timestamp"),
        ("h.json", 8, None, "duplicate"),
        ("h.json", 9, None, "no_content"),
        ("h.json", 11, None, "wrong_type"),
        ("h.json", 12, "ts", "missing_field"),
        ("h.json", 13, "ts", "implausible_timestamp"),
    ]
    rep = r.report
    assert (rep.read, rep.accepted, rep.rejected, rep.dropped) == (15, 3, 11, 1)
    assert rep.dropped_by_reason == {"incognito_mode": 1}
    assert rep.rejected_by_reason["wrong_type"] == 2 and rep.adds_up()
    assert sorted(r.events["source"]) == ["h.json#0", "h.json#14", "h.json#5"]
    # The rejects file holds the same, one JSON object per line, and no record contents.
    write_ingest(r, tmp_path / "out")
    lines = (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()
    assert [json.loads(x)["record"] for x in lines] == [1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13]
    assert "Song A" not in "\n".join(lines)


def test_duplicates_across_files_count_in_the_later_file(tmp_path: Path) -> None:
    write_json(tmp_path / "l" / "a.json", [ext(), ext(ts="2024-04-01T00:00:00Z")])
    write_json(
        tmp_path / "l" / "b.json",
        [ext(ts="2024-04-01T00:00:00Z"), ext(ts="2024-04-01T00:00:00Z", ms_played=1)],
    )
    r = run([tmp_path / "l"])
    files = {f.file: (f.read, f.accepted, f.rejected) for f in r.report.files}
    # Same ts+URI differing only in ms_played is a real quirk, not a duplicate.
    assert files == {"a.json": (2, 2, 0), "b.json": (2, 1, 1)}
    assert r.report.adds_up()


def test_broken_jsonl_line_is_one_rejected_record(tmp_path: Path) -> None:
    f = tmp_path / "listens.jsonl"
    f.write_text(
        json.dumps(lb_listen())
        + '\n{"listened_at": 17\n'
        + json.dumps(lb_listen(listened_at=1709294500))
        + "\n"
    )
    r = run([f])
    assert [(x.record, x.reason) for x in r.rejects] == [(1, "invalid_json")]
    assert r.report.accepted == 2


def _error(paths: list[Path]) -> str:
    with pytest.raises(InputError) as info:
        run(paths)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_truncated_json_names_the_file_and_what_was_expected(tmp_path: Path) -> None:
    f = tmp_path / "Streaming_History_Audio_2024.json"
    f.write_text(json.dumps([ext(), ext()])[:-40])
    msg = _error([f])
    assert msg.startswith(f"{f}: ") and "JSON" in msg and "expected" in msg


def test_truncated_json_inside_a_zip_is_an_error_too(tmp_path: Path) -> None:
    big = json.dumps([endsong(ts=f"2021-01-01T00:{i // 60:02d}:{i % 60:02d}Z") for i in range(300)])
    z = write_zip(tmp_path / "u" / "export.zip", {"MyData/endsong_0.json": big[: len(big) // 2]})
    msg = _error([z.parent])
    assert msg.startswith(f"{z}/MyData/endsong_0.json: ") and "expected" in msg


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b'{"playlists": []}', "not a listening history"),
        (b"just some notes\nnothing else\n", "not a known format"),
    ],
)
def test_unreadable_files_are_one_line_input_errors(
    tmp_path: Path, content: bytes, what: str
) -> None:
    f = tmp_path / "input.json"
    f.write_bytes(content)
    msg = _error([f])
    assert msg.startswith(f"{f}: ") and what in msg and "expected" in msg


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    assert "no such file or folder" in _error([tmp_path / "nope"])


def test_folder_without_any_history_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# my exports will go here\n")
    assert "no listening history found" in _error([tmp_path])


def test_corrupt_zip_names_the_archive(tmp_path: Path) -> None:
    z = tmp_path / "my_spotify_data.zip"
    z.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert _error([z]).startswith(f"{z}: not a readable zip archive")


_VARIANTS = [
    lambda i: ext(ts=f"2024-01-01T00:00:{i % 60:02d}Z"),
    lambda i: ext(),
    lambda i: ext(ms_played=-i - 1),
    lambda i: ext(ms_played="x"),
    lambda i: ext(ts="2099-12-31T00:00:00Z"),
    lambda i: ext(ts=None),
    lambda i: ext(incognito_mode=True),
    lambda i: episode(ms_played=i),
    lambda i: ext(master_metadata_track_name=None, spotify_track_uri=None),
    lambda i: ext(skipped="no"),
    lambda i: endsong(),
    lambda i: 42,
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.integers(0, len(_VARIANTS) - 1), min_size=1, max_size=30))
def test_counts_always_add_up_and_both_parsers_agree(tmp_path: Path, picks: list[int]) -> None:
    # The first record makes the file recognisable; the rest is any mix of good and bad.
    records = [ext(ts="2023-12-31T23:59:59Z")] + [_VARIANTS[k](i) for i, k in enumerate(picks)]
    f = write_json(tmp_path / "h.json", records)
    fast = ingest([f], settings=SETTINGS, now=NOW)
    exact = ingest([f], settings=SETTINGS, now=NOW, engine="python")
    rep = fast.report
    assert rep.adds_up() and rep.read == len(records)
    assert rep.accepted == len(fast.events) and rep.rejected == len(fast.rejects)
    assert fast.rejects == exact.rejects and fast.report == exact.report
