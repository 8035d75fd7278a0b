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


@pytest.fixture(autouse=True)
def _own_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A salt of our own, as a real deployment sets one: the default-salt note is a second line
    on stderr, tested in tests/test_cli_notes.py, not here."""
    monkeypatch.setenv("WRAPPED_SALT", "hostile-test-salt")


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


@pytest.mark.parametrize("depth", [100_000, 65])
@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_deep_nesting_is_the_same_one_line_error_on_both_paths(
    tmp_path: Path, depth: int, engine: str
) -> None:
    """Past max_json_depth (64) both parsers stop with one line naming the file and record;
    DuckDB alone would read 100,000 levels and Python alone would give up near 1,000."""
    from wrapped.errors import InputError
    from wrapped.ingest import ingest as api
    from wrapped.settings import Settings

    path = gen.deep_json(tmp_path / "in", depth=depth)
    with pytest.raises(InputError, match=r"record 2 nests more than 64 levels deep") as err:
        api([path], settings=Settings(), engine=engine)
    assert err.value.file == str(path)
    line = one_line_error(ingest(path, tmp_path / "out"), str(path), "record 2", "max_json_depth")
    assert not (tmp_path / "out").exists(), line


def test_json_depth_is_a_setting_with_records_at_the_limit_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = gen.deep_json(tmp_path / "in", depth=10)  # the record itself and 9 arrays inside
    for engine in ("duckdb", "python"):
        from wrapped.ingest import ingest as api
        from wrapped.settings import Settings

        rep = api([path], settings=Settings(max_json_depth=10), engine=engine).report
        assert rep.read == 3 and rep.adds_up(), (engine, rep)
    monkeypatch.setenv("WRAPPED_MAX_JSON_DEPTH", "9")
    one_line_error(ingest(path, tmp_path / "out"), "record 2 nests more than 9 levels deep")


def test_deep_nesting_in_jsonl_names_the_line(tmp_path: Path) -> None:
    listen = {"listened_at": 1700000000, "track_metadata": {"artist_name": "A", "track_name": "T"}}
    (tmp_path / "in").mkdir()
    deep = '{"listened_at": 1700000000, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "in" / "listens.jsonl"
    path.write_text(json.dumps(listen) + "\n\n" + deep + "\n")
    one_line_error(ingest(tmp_path / "in", tmp_path / "out"), "listens.jsonl", "record 1 nests")


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


# --- 2. limits, enforced before anything expands -------------------------------------------------


def test_a_nested_zip_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    import resource
    import time

    bomb = gen.zip_bomb(tmp_path / "in", expanded=2**30)  # the benchmark uses 5 GiB
    assert bomb.stat().st_size < 20_000
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    line = one_line_error(ingest(bomb, tmp_path / "out"), f"{bomb}/inner.zip", "max_zip_ratio")
    assert "zip bomb" in line
    assert time.perf_counter() - t0 < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, grown_mb
    assert not (tmp_path / "out").exists()


def test_expanded_size_depth_and_file_count_are_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    folder = tmp_path / "in"
    folder.mkdir()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("Streaming_History_Audio_2024.json", json.dumps(gen.history(50)))
    with zipfile.ZipFile(folder / "export.zip", "w") as zf:
        zf.writestr("nested.zip", inner.getvalue())
    # the nested zip itself fits; its member takes the archive past the limit
    monkeypatch.setenv("WRAPPED_MAX_EXPANDED_BYTES", str(len(inner.getvalue()) + 100))
    one_line_error(
        ingest(folder, tmp_path / "o1"),
        "export.zip/nested.zip/Streaming_History_Audio_2024.json",
        "max_expanded_bytes",
    )
    monkeypatch.delenv("WRAPPED_MAX_EXPANDED_BYTES")
    monkeypatch.setenv("WRAPPED_MAX_ZIP_DEPTH", "1")
    one_line_error(ingest(folder, tmp_path / "o2"), "export.zip/nested.zip", "max_zip_depth")
    monkeypatch.delenv("WRAPPED_MAX_ZIP_DEPTH")
    gen.write_json(folder / "b.json", gen.history(2))
    monkeypatch.setenv("WRAPPED_MAX_FILES", "1")
    one_line_error(ingest(folder, tmp_path / "o3"), str(folder), "more than 1 input files")
    monkeypatch.delenv("WRAPPED_MAX_FILES")
    assert ingest(folder, tmp_path / "o4").code == 0


def test_long_names_are_cut_with_a_marker_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recs = gen.history(3)
    recs[1]["master_metadata_track_name"] = "x" * 1_000_000
    gen.write_json(tmp_path / "in" / "a.json", recs)
    monkeypatch.setenv("WRAPPED_MAX_NAME_CHARS", "100")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    assert "cleaned: long names cut: 1 name(s)" in r.out
    back = read_ingested(tmp_path / "out")
    assert back.report.cleaned == {"long_names_cut": 1} and back.report.adds_up()
    assert back.events["track"].str.len().max() == 100
    assert back.events["track"].iloc[1] == "x" * 99 + "…"


def test_an_oversized_jsonl_record_is_a_rejected_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listen = {"listened_at": 1700000000, "track_metadata": {"artist_name": "A", "track_name": "T"}}
    big = dict(listen, listened_at=1700000100, pad="p" * 5000)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "l.jsonl").write_text(json.dumps(listen) + "\n" + json.dumps(big) + "\n")
    monkeypatch.setenv("WRAPPED_MAX_RECORD_BYTES", "4096")
    assert ingest(tmp_path / "in", tmp_path / "out").code == 0
    assert [(x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [
        (1, "record_too_large")
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_oversized_record_in_a_json_array_is_a_rejected_record_on_both_paths(
    tmp_path: Path, engine: str
) -> None:
    from wrapped.ingest import ingest as api
    from wrapped.settings import Settings

    recs = gen.history(3)
    recs[1]["pad"] = "p" * 5000  # a field no reader reads: the record is still too big
    gen.write_json(tmp_path / "in" / "a.json", recs)
    got = api([tmp_path / "in"], settings=Settings(max_record_bytes=4096), engine=engine)
    assert [(r.record, r.reason) for r in got.rejects] == [(1, "record_too_large")]
    assert got.report.accepted == 2 and got.report.adds_up()
    # a brace inside a name makes the byte count take the full scan: same verdict
    recs[0]["master_metadata_track_name"] = "Song {Live}"
    gen.write_json(tmp_path / "in" / "a.json", recs)
    got = api([tmp_path / "in"], settings=Settings(max_record_bytes=4096), engine=engine)
    assert [(r.record, r.reason) for r in got.rejects] == [(1, "record_too_large")]


@pytest.mark.parametrize("kind", ["csv", "parquet", "lastfm"])
def test_an_oversized_csv_or_parquet_row_is_a_rejected_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import pandas as pd

    (tmp_path / "in").mkdir()
    big = "x" * 5000
    if kind == "lastfm":
        (tmp_path / "in" / "s.csv").write_text(
            f"uts,utc_time,artist,track\n1700000000,x,A,T\n1700000100,x,A,{big}\n"
        )
    else:
        df = pd.DataFrame(
            {
                "user_id": ["u1", "u1"],
                "ts": ["2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z"],
                "ms_played": [1000, 1000],
                "track": ["T", big],
                "artist": ["A", "A"],
            }
        )
        if kind == "csv":
            df.to_csv(tmp_path / "in" / "events.csv", index=False)
        else:
            df.to_parquet(tmp_path / "in" / "events.parquet", index=False)
    monkeypatch.setenv("WRAPPED_MAX_RECORD_BYTES", "4096")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    assert [(x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [
        (1, "record_too_large")
    ]
    assert read_ingested(tmp_path / "out").report.adds_up()


def test_rejects_jsonl_keeps_the_first_of_each_reason_and_the_report_counts_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recs = gen.history(2) + [{}] * 30 + [gen.record(ms_played=-i - 1) for i in range(5)]
    gen.write_json(tmp_path / "in" / "a.json", recs)
    monkeypatch.setenv("WRAPPED_MAX_REJECTS_WRITTEN", "3")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    rep = read_ingested(tmp_path / "out").report
    assert rep.rejected_by_reason == {"missing_field": 30, "negative_ms_played": 5}
    assert rep.rejects_written == 6 and rep.adds_up()
    assert [(x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [
        (2, "missing_field"),
        (3, "missing_field"),
        (4, "missing_field"),
        (32, "negative_ms_played"),
        (33, "negative_ms_played"),
        (34, "negative_ms_played"),
    ]
    assert "rejects.jsonl holds 6 of the 35 rejects" in r.out


def test_rejected_records_cost_memory_flat_in_their_number(tmp_path: Path) -> None:
    """A million `{}`: one accepted play, the rest counted rejects, in a bounded child process
    (the benchmark runs ten million under 2 GB)."""
    import subprocess

    gen.many_rejects(tmp_path / "in", 1_000_000)
    code = (
        "import json, resource, sys\n"
        "from wrapped.cli.main import main\n"
        "try:\n"
        "    main(['ingest', sys.argv[1], '--out', sys.argv[2], '--no-progress'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    peak_mb = int(p.stdout.strip().splitlines()[-1]) / 1024
    assert peak_mb < 1200, peak_mb
    rep = read_ingested(tmp_path / "out").report
    assert rep.read == 1_000_000 and rep.accepted == 1 and rep.adds_up()
    assert rep.rejected_by_reason == {"missing_field": 999_999}
    assert rep.rejects_written == 10_000  # the default max_rejects_written: ~1.5 MB, not 150
    assert (tmp_path / "out" / "rejects.jsonl").stat().st_size < 3_000_000
    with (tmp_path / "out" / "rejects.jsonl").open() as fh:
        first = json.loads(fh.readline())
    assert first["record"] == 1 and first["field"] == "ts" and first["user_id"].startswith("u_")


# --- 3. nothing dropped without a count ----------------------------------------------------------


def test_utf16_history_is_decoded_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "alice"
    folder.mkdir(parents=True)
    (folder / "a.json").write_bytes(json.dumps(gen.history(3)).encode("utf-16"))
    gen.write_json(folder / "b.json", gen.history(2, ms_played=1000))
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    rep = read_ingested(tmp_path / "out").report
    assert {f.file: f.accepted for f in rep.files} == {"a.json": 3, "b.json": 2}


def test_one_bad_byte_rejects_its_record_not_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "alice"
    folder.mkdir(parents=True)
    recs = gen.history(3)
    recs[1]["master_metadata_track_name"] = "BADBYTE"
    raw = json.dumps(recs).encode("utf-8").replace(b"BADBYTE", b"Bad\xffByte")
    (folder / "a.json").write_bytes(raw)
    gen.write_json(folder / "b.json", gen.history(2, ms_played=1000))
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    rep = read_ingested(tmp_path / "out").report
    assert rep.adds_up() and rep.read == 5 and rep.accepted == 4
    assert [(x["file"], x["record"], x["reason"]) for x in rejects(tmp_path / "out")] == [
        ("a.json", 1, "undecodable_text")
    ]


def test_dotted_and_dotdot_zip_members_are_named_skips(tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "in" / "alice"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "export.zip", "w") as zf:
        zf.writestr("Streaming_History_Audio_2024.json", json.dumps(gen.history(2)))
        zf.writestr("../escape.json", json.dumps(gen.history(2)))
        zf.writestr(".hidden.json", json.dumps(gen.history(2)))
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    skipped = {s.file: s.reason for s in read_ingested(tmp_path / "out").report.skipped_files}
    assert skipped == {
        "export.zip/../escape.json": "a '..' path inside the zip (not read)",
        "export.zip/.hidden.json": "a hidden or metadata name inside the zip (not read)",
    }
    assert "skipped 2 non-history file(s)" in r.out


def test_no_history_found_names_each_file_and_why(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.json").write_text("")
    (folder / "numbers.json").write_text("[1, 2, 3]")
    (folder / "semi.csv").write_text("ts;ms_played;artist;track\n")
    (folder / "long.txt").write_text("x" * 70_000)
    (folder / "latin1.csv").write_bytes("caf\xe9,bar\n".encode("latin-1") * 3)
    line = one_line_error(ingest(folder, tmp_path / "out"), "no listening history found")
    for name, why in [
        ("empty.json", "empty file"),
        ("numbers.json", "JSON, but not a listening history"),
        ("semi.csv", "a CSV separated by ';'"),
        ("long.txt", "text whose first line is over 64 KB"),
        ("latin1.csv", "not UTF-8 text"),
    ]:
        assert f"{name}: {why}" in line, (name, line)


def test_listener_zips_do_not_hold_a_file_descriptor_each(tmp_path: Path) -> None:
    """300 listener zips under a limit of 128 open files (the benchmark: 1,100 under 256)."""
    import subprocess

    gen.many_zips(tmp_path / "in", 300)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))\n"
        "from wrapped.cli.main import main\n"
        "main(['ingest', sys.argv[1], '--out', sys.argv[2], '--no-progress'])\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    rep = read_ingested(tmp_path / "out").report
    assert rep.users == 300 and rep.accepted == 900


# --- 4. text clean at the edges ----------------------------------------------------------------


def test_control_c1_and_bidi_characters_are_removed_from_names_and_counted(
    tmp_path: Path,
) -> None:
    recs = gen.history(3)
    recs[0]["master_metadata_album_artist_name"] = "Evil\x1b]0;title\x07 \u202eArtist\x9b2J"
    recs[2]["master_metadata_track_name"] = "Line\nbreak\ttab"
    gen.write_json(tmp_path / "in" / "a.json", recs)
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    back = read_ingested(tmp_path / "out")
    assert back.report.cleaned == {"control_characters_removed": 2}
    assert back.events["artist"].tolist() == ["Evil]0;title Artist2J", "Artist A", "Artist A"]
    assert back.events["track"].iloc[2] == "Line break tab"


def test_ip_addresses_and_emails_in_file_names_are_masked(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "alice"
    gen.write_json(folder / "upload from 203.0.113.9.json", gen.history(2))
    gen.write_json(folder / "jane.doe@example.org history.json", [gen.record(ms_played=-1)])
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    out = tmp_path / "out"
    text = (out / "ingest_report.json").read_text() + (out / "rejects.jsonl").read_text()
    text += " ".join(read_ingested(out).events["source"].tolist())
    assert "203.0.113.9" not in text and "jane.doe@example.org" not in text
    assert "upload from u_" in text and " history.json" in text


# --- 5. option values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "setting"),
    [
        (["stats", "--year", "0"], "year"),
        (["stats", "--year", "-5"], "year"),
        (["stats", "--year", "99999"], "year"),
        (["stats", "--top-k", "0"], "top_k"),
        (["stats", "--top-k", "-1"], "top_k"),
        (["generate", "--year", "0"], "year"),
    ],
)
def test_option_values_are_validated(tmp_path: Path, args: list[str], setting: str) -> None:
    gen.write_json(tmp_path / "in" / "a.json", gen.history(3))
    assert ingest(tmp_path / "in", tmp_path / "ev").code == 0
    r = cli(args[0], str(tmp_path / "ev"), "--out", str(tmp_path / "o"), *args[1:])
    one_line_error(r, f"setting '{setting}'")


@pytest.mark.parametrize("year", ["0", "99999"])
def test_demo_data_refuses_a_year_stats_would_refuse(tmp_path: Path, year: str) -> None:
    r = cli("demo-data", "--out", str(tmp_path / "demo"), "--year", year)
    assert r.code == 2 and "Traceback" not in r.err, (r.code, r.err)
    assert "'--year'" in r.err and not (tmp_path / "demo").exists()


def test_implausible_birth_dates_are_no_cohort(tmp_path: Path) -> None:
    gen.write_json(tmp_path / "in" / "alice" / "a.json", gen.history(3))
    prof = tmp_path / "profiles.csv"
    prof.write_text(
        "user,country,birth_date\nalice,GB,0001-01-01\nbob,GB,2090-01-01\ncarol,GB,1990-05-05\n"
    )
    r = ingest(tmp_path / "in", tmp_path / "out", "--profiles", str(prof))
    assert r.code == 0, r.err
    born = read_ingested(tmp_path / "out").profiles["birth_date"]
    assert born.notna().sum() == 1 and born.dropna().tolist() == ["1990-05-05"]


# --- 6. escaping what is printed --------------------------------------------------------------


def test_file_names_with_escape_sequences_never_reach_stderr_raw(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / "evil\x1b]0;owned\x07\x1b[2J\nname\u202e.json"
    bad.write_text("[1, 2, 3]")
    r = ingest(bad, tmp_path / "out")
    one_line_error(r, "\\x1b]0;owned\\x07\\x1b[2J\\nname\\u202e.json")
    assert "\x1b" not in r.err and "\u202e" not in r.err and "\x07" not in r.err


def test_the_format_check_rejects_control_and_bidi_characters() -> None:
    from wrapped.gate.form import check_format
    from wrapped.story import Draft

    words = " ".join(["you played music"] * 20)
    clean = check_format(Draft(title="Your day", story=words))
    assert clean.status == "pass", clean.reasons
    for bad in ("\u202e", "\x1b]0;x\x07", "\x9b"):
        check = check_format(Draft(title="Your day", story=f"{words} Artist{bad}"))
        assert check.status == "fail"
        assert any("control or bidi character (U+" in r for r in check.reasons), check.reasons


def test_prompts_render_and_json_output_escape_c1_and_bidi(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _prompt_helpers import PROMPTS_DIR, us_listener

    uy = us_listener()
    text = uy.model_dump_json()
    name = json.loads(text)["top_artists"][0]["name"]
    evil = name + "\u202e\x9b"
    text = text.replace(json.dumps(name)[1:-1], json.dumps(evil)[1:-1])
    stats = tmp_path / "stats"
    stats.mkdir()
    (stats / f"{uy.user_id}.json").write_text(text, encoding="utf-8")
    (stats / "summary.json").write_text("{}", encoding="utf-8")
    args = ["prompts", "render", "--user", uy.user_id, "--day", "2024-06-22", "--prompt", "v1"]
    args += ["--stats", str(stats), "--prompts-dir", str(PROMPTS_DIR)]
    for extra in ([], ["--json"]):
        r = cli(*args, *extra)
        assert r.code == 0, r.err
        assert "\u202e" not in r.out and "\x9b" not in r.out
    assert "\\u202e" in r.out
    assert evil in json.dumps(json.loads(r.out), ensure_ascii=False)  # only printing changed


def test_gate_check_claims_table_and_json_escape_what_they_print(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _gate_helpers import DAY, make_user_year

    stats = tmp_path / "user.json"
    stats.write_text(make_user_year().model_dump_json(), encoding="utf-8")
    story = tmp_path / "story.json"
    story.write_text(
        json.dumps(
            {
                "day": DAY.isoformat(),
                "title": "A Saturday",
                "story": "Saturday 9 March: 517 minutes, mostly Radio\u202ehead\x9b and "
                "\x1b]0;Evil\x07Band. You kept coming back to them all day long, one song "
                "after another, and the day never seemed to run short of room for them. Some "
                "days you press play and simply let the music carry you along, and this was "
                "one of them, start to finish.",
            }
        )
    )
    for extra in (["--claims"], ["--json"]):
        r = cli("gate", "check", str(story), "--stats", str(stats), "--no-judge", *extra)
        assert r.code == 1, (r.code, r.err)  # the story fails (format: a bidi character)
        for raw in ("\u202e", "\x9b", "\x1b", "\x07"):
            assert raw not in r.out and raw not in r.err, (extra, raw)
    checks = json.loads(r.out)["checks"]
    form = next(c for c in checks if c["name"] == "format")
    assert form["status"] == "fail" and any("U+202E" in x for x in form["reasons"])


# --- 7. tables that did not come from ingest ----------------------------------------------------


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_stats_cleans_names_of_a_table_that_skipped_ingest_and_counts_them(
    tmp_path: Path, suffix: str
) -> None:
    from wrapped.demo import generate_canonical

    ev = generate_canonical(3000, 1, seed=3).events
    top = ev["artist"].value_counts().index[0]
    evil = "\x1b]0;owned\x07" + top + "\u202e\x9b"
    ev["artist"] = ev["artist"].astype("string").replace({top: evil})
    ev.loc[ev.index[:5], "track"] = "t" * 5000
    path = tmp_path / f"events.{suffix}"
    if suffix == "csv":
        ev.to_csv(path, index=False)
    else:
        ev.to_parquet(path, index=False)
    r = cli("stats", str(path), "--out", str(tmp_path / "stats"))
    assert r.code == 0, r.err
    assert "control characters removed: " in r.err and "long names cut: 5" in r.err
    summary = json.loads((tmp_path / "stats" / "summary.json").read_text())
    assert summary["names_cleaned"]["long_names_cut"] == 5
    assert summary["names_cleaned"]["control_characters_removed"] == (ev["artist"] == evil).sum()
    (user_json,) = [p for p in (tmp_path / "stats").glob("*.json") if p.name != "summary.json"]
    text = user_json.read_text(encoding="utf-8")
    for raw in ("\x1b", "\x07", "\u202e", "\x9b", "\\u001b", "\\u202e"):
        assert raw not in text, raw
    assert "]0;owned" + top in text  # the name stays recognisable, without its controls


def test_the_summary_escapes_file_names_and_names_what_is_not_a_regular_file(
    tmp_path: Path,
) -> None:
    import os

    folder = tmp_path / "in" / "alice"
    gen.write_json(folder / "a.json", gen.history(2))
    (folder / "evil\x1b]0;owned\x07\u202e.pdf").write_bytes(b"%PDF-1.4 not a history")
    os.symlink(folder / "gone.json", folder / "dangling.json")
    os.mkfifo(folder / "pipe.json")
    r = ingest(tmp_path / "in", tmp_path / "out")
    assert r.code == 0, r.err
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in r.out, repr(raw)
    assert "evil\\x1b]0;owned\\x07\\u202e.pdf" in r.out
    skipped = {s.file: s.reason for s in read_ingested(tmp_path / "out").report.skipped_files}
    why = "not a regular file (a broken link, a pipe or a device)"
    assert skipped["dangling.json"] == why and skipped["pipe.json"] == why


def test_stats_cleans_names_for_any_caller_not_only_the_cli() -> None:
    """The batch job reads an ingest output folder as it is: a hand-edited one is cleaned in
    stats' own preparation, by ingest's rule."""
    from wrapped.demo import generate_canonical
    from wrapped.settings import Settings
    from wrapped.stats.build import iter_user_years

    ev = generate_canonical(3000, 1, seed=3).events
    top = ev["artist"].value_counts().index[0]
    ev["artist"] = ev["artist"].astype("string").replace({top: top + "\u202e\x9b"})
    years = [uy for chunk in iter_user_years(ev, settings=Settings()) for uy in chunk]
    names = [a.name for uy in years for a in uy.top_artists]
    assert top in names and not any("\u202e" in n or "\x9b" in n for n in names), names
