"""Hostile input (issue 24) through the real CLI: exit 0 or 2, never a traceback; a one-line
message naming the file (and member, record, field); counts that add up; nothing dropped
without a count. The big cases (zip bomb, ten million rejects, 1,100 zips) are also timed and
measured in benchmarks/bench_hostile.py; here they run small enough for the suite.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from wrapped.cli.main import main
from wrapped.ingest import read_ingested

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import hostile_gen as gen  # noqa: E402


class Run(NamedTuple):
    code: int
    out: str
    err: str


def cli(*args: str) -> Run:
    """`wrapped ARGS` in this process, through the console entry point (errors handled there)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def ingest(path: Path, out: Path, *extra: str) -> Run:
    r = cli("ingest", str(path), "--out", str(out), "--no-progress", *extra)
    assert "Traceback" not in r.err and "Traceback" not in r.out, r.err
    return r


def one_line_error(r: Run, *names: str) -> str:
    """The run failed with exit 2 and one line that names each of `names`."""
    assert r.code == 2, (r.code, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def rejects(out: Path) -> list[dict[str, object]]:
    text = (out / "rejects.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


# --- 1. tracebacks become counted rejects or one line -------------------------------------------


@pytest.mark.parametrize("year", ["9999", "2300", "0001", "1600"])
def test_timestamps_outside_pandas_range_are_counted_rejects_in_every_reader(
    tmp_path: Path, year: str
) -> None:
    future = year in ("9999", "2300")
    reason = "future_timestamp" if future else "implausible_timestamp"
    epoch = 253402300799 if year == "9999" else (10_413_792_000 if future else -62135596800)
    folder = tmp_path / "in"
    gen.write_json(
        folder / "ext" / "a.json", [*gen.history(2), gen.record(ts=f"{year}-01-01T00:00:00Z")]
    )
    gen.write_json(
        folder / "acc" / "StreamingHistory_music_0.json",
        [
            {"endTime": f"{year}-01-01 10:00", "artistName": "A", "trackName": "T", "msPlayed": 1},
            {"endTime": "2024-01-01 10:00", "artistName": "A", "trackName": "T", "msPlayed": 1},
        ],
    )
    listen = {"track_metadata": {"artist_name": "A", "track_name": "T"}}
    (folder / "lb").mkdir()
    (folder / "lb" / "listens.jsonl").write_text(
        json.dumps({"listened_at": epoch, **listen})
        + "\n"
        + json.dumps({"listened_at": 1700000000, **listen})
        + "\n"
    )
    (folder / "fm").mkdir()
    (folder / "fm" / "scrobbles.csv").write_text(
        f"uts,utc_time,artist,track\n{epoch},x,A,T\n1700000000,x,A,T\n,01 Jan {year} 10:00,A,T\n"
    )
    (folder / "can").mkdir()
    (folder / "can" / "events.csv").write_text(
        f"user_id,ts,ms_played,track,artist\nu1,{year}-01-01T00:00:00Z,1000,T,A\n"
    )
    out = tmp_path / "out"
    r = ingest(folder, out)
    assert r.code == 0, r.err
    report = read_ingested(out).report
    assert report.adds_up()
    assert report.rejected_by_reason == {reason: 6}, report.rejected_by_reason
    assert {x["file"].split("/")[-1] for x in rejects(out)} == {
        "a.json",
        "StreamingHistory_music_0.json",
        "listens.jsonl",
        "scrobbles.csv",
        "events.csv",
    }


def test_earliest_play_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen.write_json(
        tmp_path / "in" / "a.json", gen.history(2) + [gen.record(ts="2012-05-05T00:00:00Z")]
    )
    monkeypatch.setenv("WRAPPED_EARLIEST_PLAY", "2015-01-01")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    got = rejects(tmp_path / "out")
    assert [(x["record"], x["reason"], x["detail"]) for x in got] == [
        (2, "implausible_timestamp", "timestamp before 2015-01-01")
    ]


def test_integers_past_int64_are_out_of_range_on_both_paths(tmp_path: Path) -> None:
    huge = "9" * 400
    text = json.dumps(gen.history(2))[:-1] + (
        f', {{"ts": "2024-03-01T13:00:00Z", "ms_played": {huge}, '
        f'"master_metadata_track_name": "S", "offline_timestamp": {huge}}}]'
    )
    gen.write_json_text(tmp_path / "in" / "a.json", text)
    from wrapped.ingest import ingest as api
    from wrapped.settings import Settings

    for engine in ("duckdb", "python"):
        rep = api([tmp_path / "in"], settings=Settings(), engine=engine).report
        assert rep.rejected_by_reason == {"absurd_ms_played": 1}, (engine, rep)
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0 and "absurd_ms_played: 1" in r.out


def test_canonical_ms_played_of_1e30_is_out_of_range_not_negative(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "user_id,ts,ms_played,track,artist\nu1,2024-01-01T00:00:00Z,1e30,T,A\n"
        "u1,2024-01-01T01:00:00Z,-1e30,T,A\nu1,2024-01-01T02:00:00Z,1000,T,A\n"
    )
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    assert [(x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [
        (0, "absurd_ms_played"),
        (1, "negative_ms_played"),
    ]


def test_deep_nesting_is_one_line_on_the_exact_path_and_a_reject_on_the_fast_one(
    tmp_path: Path,
) -> None:
    path = gen.deep_json(tmp_path / "in")
    from wrapped.errors import InputError
    from wrapped.ingest import ingest as api
    from wrapped.settings import Settings

    with pytest.raises(InputError, match="nested too deeply"):
        api([path], settings=Settings(), engine="python")
    r = ingest(path, tmp_path / "out")
    assert r.code == 0, r.err  # DuckDB reads the record: it plays nothing
    assert read_ingested(tmp_path / "out").report.rejected_by_reason == {"no_content": 1}


def test_deep_nesting_in_jsonl_is_a_rejected_line(tmp_path: Path) -> None:
    listen = {"listened_at": 1700000000, "track_metadata": {"artist_name": "A", "track_name": "T"}}
    (tmp_path / "in").mkdir()
    deep = '{"listened_at": 1700000000, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "in" / "listens.jsonl").write_text(json.dumps(listen) + "\n" + deep + "\n")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    assert [(x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [(1, "invalid_json")]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (gen.encrypted_zip, "an encrypted zip member"),
        (gen.unknown_method_zip, "an unsupported zip compression method (99)"),
    ],
)
def test_unreadable_zip_members_are_named_skips(tmp_path: Path, make: object, reason: str) -> None:
    folder = tmp_path / "in" / "alice"
    zipped = make(folder)  # type: ignore[operator]
    gen.write_json(folder / "ok.json", gen.history(2))
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    skipped = read_ingested(tmp_path / "out").report.skipped_files
    assert [(s.file, s.reason.split(" (not read)")[0]) for s in skipped] == [
        (f"{zipped.name}/Streaming_History_Audio_2024.json", reason)
    ]
    # alone, the folder holds no history: the error names the member and why
    alone = tmp_path / "alone"
    make(alone)  # type: ignore[operator]
    one_line_error(ingest(alone, tmp_path / "out2"), "Streaming_History_Audio_2024.json", reason)


def test_a_bad_crc_is_one_line_naming_archive_and_member(tmp_path: Path) -> None:
    zipped = gen.bad_crc_zip(tmp_path / "in")
    line = one_line_error(
        ingest(tmp_path / "in", tmp_path / "out"),
        f"{zipped}/Streaming_History_Audio_2024.json",
        "Bad CRC-32",
    )
    assert "corrupt zip member" in line
