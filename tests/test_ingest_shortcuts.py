"""The copy-sparing shortcuts of the ingest fast path give what the plain operation gives.

Each shortcut (zero-copy slices, masks by validity bitmap, per-run joins, a record-size verdict
from a few `find` calls) has a general fallback; both branches are checked here against the
plain pandas/numpy result on the same data.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from wrapped.ingest.finish import _keep_rows, _rows, _sources
from wrapped.ingest.readers.spotify_fields import _null_unless, _one_of
from wrapped.ingest.scan import RecordLimits, check


def _chunked(values: list[str | None], size: int) -> pd.Series:
    chunks = [
        pa.array(values[i : i + size], pa.large_string()) for i in range(0, len(values), size)
    ]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)), dtype="string")


@pytest.mark.parametrize("runs", ["few", "many"])
def test_keep_rows_is_boolean_indexing(runs: str) -> None:
    n = 2_000
    rng = np.random.default_rng(0)
    keep = np.ones(n, bool)
    keep[[3, 700, 1999] if runs == "few" else rng.choice(n, 600, replace=False)] = False
    names = [None if i % 7 == 0 else f"name {i}" for i in range(n)]
    df = pd.DataFrame({"track": _chunked(names, 300), "ms": np.arange(n)})
    got = _keep_rows(df, keep)
    pd.testing.assert_frame_equal(got, df[keep].reset_index(drop=True))


def test_rows_is_iloc_across_chunks() -> None:
    df = pd.DataFrame({"a": _chunked([f"v{i}" for i in range(50)], 7), "n": np.arange(50)})
    rows = np.array([0, 6, 7, 8, 30, 49])
    pd.testing.assert_frame_equal(_rows(df, ["a", "n"], rows), df.iloc[rows])


@pytest.mark.parametrize("order", ["grouped", "interleaved"])
def test_sources_are_label_hash_index(order: str) -> None:
    fno = np.arange(1_000) % 3
    fno = np.sort(fno) if order == "grouped" else fno
    idx = np.arange(1_000) * 7
    labels = ["a.json", "b/c.json", "d.zip/e.json"]
    want = [f"{labels[f]}#{i}" for f, i in zip(fno, idx, strict=True)]
    assert _sources(fno, idx, labels).to_pylist() == want


def test_null_unless_and_one_of_are_if_else() -> None:
    n = 1_000
    kinds = np.random.default_rng(1).integers(0, 3, n)
    track = pa.chunked_array(
        [pa.array([f"t{i}" if i % 5 else None for i in range(n)], pa.large_string())]
    )
    sliced = pa.chunked_array([track.chunk(0).slice(0, 500), track.chunk(0).slice(500)])  # offset
    episode = pa.chunked_array([pa.array([f"e{i}" for i in range(n)], pa.large_string())])
    is_track, is_ep = pa.array(kinds == 0), pa.array(kinds == 1)
    for col in (track, sliced):
        masked = _null_unless(is_track, col)
        assert masked.to_pylist() == [
            v if k == 0 else None for v, k in zip(col.to_pylist(), kinds, strict=True)
        ]
    both = _one_of(_null_unless(is_track, track), _null_unless(is_ep, episode))
    assert both.to_pylist() == [
        t if k == 0 else e if k == 1 else None
        for t, e, k in zip(track.to_pylist(), episode.to_pylist(), kinds, strict=True)
    ]
    book = pa.chunked_array([pa.array([f"b{i}" for i in range(n)], pa.large_string())])
    three = _one_of(
        _null_unless(is_track, track),
        _null_unless(is_ep, episode),
        _null_unless(pa.array(kinds == 2), book),
    )
    assert three.to_pylist() == [
        t if k == 0 else e if k == 1 else b
        for t, e, b, k in zip(
            track.to_pylist(), episode.to_pylist(), book.to_pylist(), kinds, strict=True
        )
    ]
    alone = _null_unless(is_track, track)
    assert _one_of(alone, _null_unless(pa.array(np.zeros(n, bool)), episode)) is alone


def test_record_sizes_match_the_exact_measure() -> None:
    rnd = random.Random(2)
    for _ in range(500):
        recs = [
            {"a": "x" * rnd.choice([0, 1, 5, 50, 200, 1000])} for _ in range(rnd.randint(1, 30))
        ]
        text = json.dumps(recs, indent=rnd.choice([None, 2])).encode()
        most = rnd.choice([2, 3, 10, 64, 100, 300, 1500, 10**6])
        closes = np.flatnonzero(np.frombuffer(text, np.uint8) == ord("}"))
        exact = np.diff(np.concatenate(([0], closes))) > most
        want = exact if len(text) > most else np.zeros(len(recs), bool)
        got = check(text, "f.json", len(recs), RecordLimits(64, most))
        assert np.array_equal(got, want), (most, text[:80])
