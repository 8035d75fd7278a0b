"""The run store: atomic files, a journal that survives a torn write, exactly-once reads."""

from __future__ import annotations

import json

from wrapped.store import Journal, atomic_write_text, read_jsonl, write_jsonl_atomic


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "stories.jsonl"
    assert write_jsonl_atomic(target, [{"a": 1}, {"a": 2}]) == 2
    assert [r["a"] for r in read_jsonl(target)] == [1, 2]
    atomic_write_text(target, "replaced\n")
    assert target.read_text() == "replaced\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["stories.jsonl"]


def test_journal_ignores_a_torn_last_line_and_repairs_it(tmp_path):
    path = tmp_path / "journal.jsonl"
    j = Journal(path)
    j.append({"user_id": "u1", "status": "done"})
    j.close()
    with path.open("a") as fh:  # a crash mid-append leaves half a line
        fh.write('{"user_id": "u2", "sta')
    assert list(Journal(path).done()) == ["u1"]
    j2 = Journal(path)
    j2.append({"user_id": "u2", "status": "done"})
    j2.close()
    lines = path.read_text().splitlines()
    assert [json.loads(x)["user_id"] for x in lines] == ["u1", "u2"]


def test_journal_keeps_the_first_record_per_listener(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.append({"user_id": "u1", "n": 1})
    j.append({"user_id": "u1", "n": 2})
    j.close()
    assert Journal(tmp_path / "j.jsonl").done()["u1"]["n"] == 1


def test_read_jsonl_gives_what_json_gives_for_every_complete_line(tmp_path):
    """Journals and staged years are read with orjson where it agrees with `json`; values it
    would read differently (an integer past 64 bits, NaN, a lone surrogate) come out as `json`
    reads them, and a torn last line is still left out."""
    lines = [
        json.dumps({"user_id": "u1", "plays": 12345678901234567890123, "title": "Track 7"}),
        '{"user_id": "u2", "score": NaN, "title": "\\ud800 intro"}',
        json.dumps({"user_id": "u3", "title": "Sigur Rós – ( )", "n": [1, 2.5, -3e-7]}),
        json.dumps({"user_id": "u4", "ms": 1731628800123, "ok": True, "none": None}),
    ]
    path = tmp_path / "j.jsonl"
    path.write_text("\n".join(lines) + '\n{"user_id": "torn"', encoding="utf-8")
    got = list(read_jsonl(path))
    want = [json.loads(line) for line in lines]
    assert repr(got) == repr(want)  # repr: NaN != NaN, and 1 and 1.0 would compare equal
    assert isinstance(got[0]["plays"], int) and got[0]["plays"] == 12345678901234567890123
