"""The run store: atomic files, a journal that survives a torn write, exactly-once reads, and\nthe typed `RunStore` over a run folder (also one written by release 0.1.0)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wrapped.errors import InputError
from wrapped.settings import Settings
from wrapped.store import (
    SCHEMA_VERSION,
    Journal,
    RunStore,
    atomic_write_text,
    read_jsonl,
    write_jsonl_atomic,
)


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
    j.append_lines([json.dumps({"user_id": "u1", "status": "done"})])
    j.close()
    with path.open("a") as fh:  # a crash mid-append leaves half a line
        fh.write('{"user_id": "u2", "sta')
    assert list(Journal(path).done()) == ["u1"]
    j2 = Journal(path)
    j2.append_lines([json.dumps({"user_id": "u2", "status": "done"})])
    j2.close()
    lines = path.read_text().splitlines()
    assert [json.loads(x)["user_id"] for x in lines] == ["u1", "u2"]


def test_journal_keeps_the_first_record_per_listener(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.append_lines([json.dumps({"user_id": "u1", "n": 1})])
    j.append_lines([json.dumps({"user_id": "u1", "n": 2})])
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


# --- the typed run store ----------------------------------------------------------------------

LEGACY = Path(__file__).parent / "fixtures" / "run-0.1.0" / "v1-embedded-5cb9fa3716"


@pytest.fixture
def legacy_run(tmp_path: Path) -> Path:
    """A run folder exactly as release 0.1.0 wrote it (`wrapped generate data/sample
    --users 2`), copied so a test may change it."""
    return Path(shutil.copytree(LEGACY, tmp_path / "runs" / LEGACY.name))


def test_a_run_written_by_release_0_1_0_opens_and_reads_typed(legacy_run: Path) -> None:
    store = RunStore.open(legacy_run)
    m = store.manifest()
    assert m.schema_version == 1 and m.judge is None  # no version, no judge: read as schema 1
    assert m.status == "complete" and m.counts_add_up and not m.counts.problems()
    plan = store.plan()
    assert m.run_id == plan.run_id == legacy_run.name and m.shards == len(plan.shards)
    stories = list(store.stories())
    verdicts = list(store.verdicts())
    assert len(stories) == m.counts.stories.passed + m.counts.stories.fallback > 0
    assert len(verdicts) == m.counts.stories.expected
    assert {(s.user_id, s.day) for s in stories} == {(v.user_id, v.day) for v in verdicts}
    selected = {u for shard in plan.shards for u in shard}
    assert {uy.user_id for uy in store.user_years()} == selected
    assert {row.user_id for row in store.listeners()} == selected
    assert all(row.status == "done" for row in store.listeners())
    assert list(store.failed()) == [] and list(store.needs_review()) == []
    assert len(list(store.ineligible())) == m.counts.ineligible == 1
    assert store.plan_counts().selected == m.counts.selected == 2
    assert RunStore.find(legacy_run.parent) == [legacy_run]


def test_erase_keeps_a_0_1_0_run_readable_and_its_counts_adding_up(legacy_run: Path) -> None:
    from wrapped.erase import erase_user

    victim = next(RunStore(legacy_run).stories()).user_id
    report = erase_user(
        victim,
        roots=[legacy_run.parent],
        settings=Settings(salt="test-salt"),
        cache_path=legacy_run.parent / "no-cache.sqlite",
    )
    assert report.total > 0 and not report.still_found
    store = RunStore.open(legacy_run)
    m = store.manifest()
    assert m.schema_version == 1 and m.erased_listeners == 1
    assert m.counts_add_up, m.count_problems
    assert m.counts.selected == m.counts.listeners_done == 1
    assert victim not in {s.user_id for s in store.stories()}
    assert victim not in {u for shard in store.plan().shards for u in shard}


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ({"schema_version": 99}, "written by a newer wrapped (manifest schema 99; this release reads up to"),
        ({"status": "exploded"}, "not a RunManifest this release can read"),
        ({"surprise": 1}, "not a RunManifest this release can read"),
        ('{"x', "not JSON"),
    ],
)  # fmt: skip
def test_a_manifest_this_release_cannot_read_is_one_clear_line(
    legacy_run: Path, damage: dict[str, object] | str, says: str
) -> None:
    path = legacy_run / "manifest.json"
    if isinstance(damage, str):
        path.write_text(damage)
    else:
        path.write_text(json.dumps({**json.loads(path.read_text()), **damage}))
    with pytest.raises(InputError) as err:
        RunStore.open(legacy_run)
    assert str(path) in err.value.message and says in err.value.message
    assert "\n" not in err.value.message


def test_a_folder_that_is_not_a_run_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such run folder"):
        RunStore.open(tmp_path / "nope")
    with pytest.raises(InputError, match=r"not a run folder \(no manifest.json\)"):
        RunStore.open(tmp_path)


def test_a_story_line_this_release_cannot_read_names_its_file_and_record(
    legacy_run: Path,
) -> None:
    shard = legacy_run / "stories" / "shard-00000.jsonl"
    lines = shard.read_text().splitlines()
    lines[1] = json.dumps({**json.loads(lines[1]), "decision": "maybe"})
    shard.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        list(RunStore.open(legacy_run).stories())
    assert err.value.message.startswith(f"{shard}, record 2, field 'decision': not a Story")


def test_the_manifest_written_today_round_trips(legacy_run: Path) -> None:
    """What `to_json` writes is what `manifest()` reads, and "stopped" and "erased_listeners"
    appear only once they happened (readers test for them)."""
    store = RunStore.open(legacy_run)
    m = store.manifest().model_copy(update={"schema_version": SCHEMA_VERSION})
    store.write_manifest(m)
    raw = json.loads((legacy_run / "manifest.json").read_text())
    assert "stopped" not in raw and "erased_listeners" not in raw
    assert store.manifest() == m
    stopped = m.model_copy(update={"stopped": "interrupted (Ctrl-C)"})
    store.write_manifest(stopped)
    assert store.manifest() == stopped
