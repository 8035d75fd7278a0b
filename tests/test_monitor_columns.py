"""The columnar read path (`wrapped.store.columns`) gives what the typed `RunStore` records give.

The monitor reads runs as columns (each sealed shard's Parquet files, no model per record);
each column here is checked against the same figure taken from the typed records of a small run
written through the store's models and its `write_columns` (tests/_review_synth.py), and the
day timing (peak hour, night share, a log across midnight) against a plain loop over the typed
logs. A run sealed before the columns existed gets them built once from its JSONL (the same
tables), and `wrapped erase` reaches them.
"""

from __future__ import annotations

import json
import re
from itertools import chain

import numpy as np
import orjson
import pyarrow.parquet as pq
import pytest
from _review_synth import make_run

from wrapped.analysis.cohorts import cohort_of
from wrapped.errors import InputError
from wrapped.monitor.load import load_run
from wrapped.store import RunStore
from wrapped.store.columns import story_columns, verdict_columns, year_columns
from wrapped.store.layout import COLUMN_TABLES


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    return make_run(tmp_path_factory.mktemp("cols") / "run", listeners=30, seed=4, held=0.2)


def _nan_eq(a, b) -> bool:
    return (a is None or (isinstance(a, float) and np.isnan(a))) if b is None else a == b


def test_story_and_verdict_columns_equal_the_typed_records(run):
    store = RunStore.open(run)
    typed = list(chain(store.stories(), store.needs_review()))
    assert (run / "columns" / "stories" / "shard-00000.parquet").exists()
    cols = story_columns(store).to_pandas()
    assert len(cols) == len(typed) == 150
    for row, s in zip(cols.itertuples(index=False), typed, strict=True):
        assert (row.user_id, row.day, row.decision, row.fallback) == (
            s.user_id, str(s.day), s.decision, s.fallback)  # fmt: skip
        assert (row.prompt_version, row.model, row.story, row.attempts) == (
            s.prompt_version, s.model, s.story, s.attempts)  # fmt: skip
        u = s.usage
        for k in ("prompt_tokens", "completion_tokens", "cost_usd", "latency_s"):
            assert _nan_eq(getattr(row, k), getattr(u, k) if u else None), k
    verdicts = list(store.verdicts())
    v = verdict_columns(store).to_pandas()
    assert list(v["user_id"]) == [x.user_id for x in verdicts]
    assert list(v["attempts"]) == [len(x.attempts) for x in verdicts]
    tone = [
        next(c.score for c in x.attempts[-1].checks if c.name == "judge.tone") for x in verdicts
    ]
    assert np.allclose(v["judge:judge.tone"], tone)


def test_year_columns_and_the_monitors_tables_equal_the_typed_records(run):
    store = RunStore.open(run)
    years = list(store.user_years())
    y = year_columns(store)
    listeners = y.listeners.to_pandas()
    assert list(listeners["user_id"]) == [x.user_id for x in years]
    assert list(listeners["minutes"]) == [x.totals.all.minutes for x in years]
    assert list(listeners["streak_days"]) == [x.streak.days for x in years]
    days = [d for x in years for d in x.days]
    assert y.fact_fields == {k for d in days for k in d.model_dump(mode="json")["facts"]}
    assert [orjson.loads(f) for f in y.days["facts"].to_pylist()] == [
        json.loads(json.dumps(d.model_dump(mode="json")["facts"])) for d in days
    ]
    data = load_run(run)
    for i, x in enumerate(years):
        row = data.listeners.iloc[i]
        assert {k: row[k] for k in cohort_of(x)} == cohort_of(x)
    pairs = [(yr, d) for yr in years for d in yr.days]
    for i, (yr, d) in enumerate(pairs):
        mins, crossed, prev = np.zeros(24), False, -1
        for e in d.log:
            h, m = int(e.time[:2]), int(e.time[3:5])
            mins[h] += e.minutes
            crossed, prev = crossed or h * 60 + m < prev, h * 60 + m
        row = data.days.iloc[i]
        assert (row.user_id, row.date, row.category) == (yr.user_id, str(d.date), d.category)
        assert row.peak_hour == (int(mins.argmax()) if mins.sum() else -1)
        assert row.night_share == pytest.approx(mins[:5].sum() / mins.sum() if mins.sum() else 0)
        assert bool(row.crosses_midnight) == crossed
    stories = list(chain(store.stories(), store.needs_review()))
    skel = [re.sub(r"[0-9]+|[A-Z][\w'’-]*", "#", s.story).lower()[:120] for s in stories]
    assert list(data.stories["skeleton"]) == skel
    assert list(data.stories["words"]) == [len(s.story.split()) for s in stories]


def test_a_newer_schema_or_a_record_missing_a_field_is_one_line(run, tmp_path):
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    shutil.rmtree(copy / "columns")  # sealed by an older release: read from its JSONL
    shard = next((copy / "stories").glob("shard-*.jsonl"))
    lines = shard.read_text().splitlines()
    bad = json.loads(lines[1])
    del bad["story"]
    shard.write_text("\n".join([lines[0], json.dumps(bad), *lines[2:]]) + "\n")
    with pytest.raises(InputError) as err:
        story_columns(RunStore.open(copy))
    assert (err.value.record, err.value.field) == (2, "story")
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 99}))
    with pytest.raises(InputError, match="newer wrapped"):
        year_columns(RunStore(copy))


def test_a_run_sealed_before_the_columns_gets_them_once_with_one_line(run, tmp_path):
    """The fallback: built from the JSONL by the same builders as sealing (equal tables),
    written, said in one line by `wrapped monitor`, and not built again."""
    from test_monitor import _cli

    old = make_run(tmp_path / "old", listeners=30, seed=4, held=0.2, index=False)
    assert not (old / "columns").exists()
    before = story_columns(RunStore.open(old))  # in memory: nothing is written by a read
    assert not (old / "columns").exists()
    code, out = _cli("monitor", str(old), "--baseline", str(run))
    assert code == 0, out
    said = [line for line in out.splitlines() if "wrote the columns" in line]
    assert len(said) == 1 and str(old) in said[0] and "1 shard" in said[0]
    for table in COLUMN_TABLES:
        got = pq.read_table(old / "columns" / table / "shard-00000.parquet")
        sealed = pq.read_table(run / "columns" / table / "shard-00000.parquet")
        assert got.equals(sealed), table
    assert story_columns(RunStore.open(old)).equals(before)
    code, out = _cli("monitor", str(old), "--baseline", str(run))
    assert code == 0 and "wrote the columns" not in out


def test_erase_reaches_the_columns(run, tmp_path):
    """`wrapped erase` rewrites each shard's Parquet files without the listener, and its final
    scan reads them (compressed, their bytes need not show the id)."""
    import shutil

    from wrapped.erase import erase_user
    from wrapped.settings import Settings

    copy = tmp_path / "runs" / "run"
    shutil.copytree(run, copy)
    victim = year_columns(RunStore.open(copy)).listeners["user_id"][3].as_py()
    report = erase_user(victim, roots=[tmp_path / "runs"], settings=Settings(),
                        cache_path=tmp_path / "none.sqlite")  # fmt: skip
    assert report.still_found == []
    for table in COLUMN_TABLES:
        path = copy / "columns" / table / "shard-00000.parquet"
        assert str(path) in report.removed, table
        assert victim not in pq.read_table(path)["user_id"].to_pylist()
    data = load_run(copy)
    for t in (data.listeners, data.days, data.stories):
        assert victim not in set(t["user_id"]) and len(t)
    days = pq.read_table(copy / "columns" / "days" / "shard-00000.parquet")
    assert (
        days.schema.metadata
        == pq.read_table(run / "columns" / "days" / "shard-00000.parquet").schema.metadata
    )
