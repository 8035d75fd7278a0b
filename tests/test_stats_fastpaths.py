"""The fast paths of the stats stage pick exactly what the plain (sort-everything) versions pick.

Each fast path replaced a full sort or a hash by something cheaper (segmented min, radix passes,
per-listener bitmaps, top-1 without ranking, bulk model building). Ties are where such rewrites
go wrong, so the data below is small-valued on purpose: many equal ms, plays and days.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from wrapped.stats.fastmodel import many
from wrapped.stats.keys import stable_order, unique_pairs
from wrapped.stats.model import LogEntry
from wrapped.stats.ranking import best_per_group, first_per_group, rank_items, top_items

small_ints = st.lists(st.integers(0, 6), min_size=0, max_size=60)


@hsettings(max_examples=60, deadline=None)
@given(st.data())
def test_best_per_group_is_the_first_row_of_a_stable_sort(data) -> None:
    groups = np.sort(np.array(data.draw(small_ints), dtype=np.int64))
    key = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(groups), max_size=len(groups))),
        dtype=np.int64,
    )
    got = best_per_group(groups, key, 7)
    o = np.lexsort((key, groups))  # stable: equal keys keep row order
    f = first_per_group(groups[o], 7)
    want = [int(o[j]) if j >= 0 else -1 for j in f.tolist()]
    assert got.tolist() == want


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**20), max_size=80), st.sampled_from([2**4, 2**18, 2**31]))
def test_stable_order_equals_numpy_stable_argsort(values, scale) -> None:
    codes = np.array(values, dtype=np.int64) % scale
    assert stable_order(codes).tolist() == np.argsort(codes, kind="stable").tolist()


@hsettings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from([1, 3, 5_000, 3_000_000]))
def test_unique_pairs_equals_numpy_unique(data, n_items) -> None:
    n = data.draw(st.integers(0, 60))
    uid = np.array(data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), np.int64)
    item = np.array(
        data.draw(st.lists(st.integers(0, n_items - 1), min_size=n, max_size=n)), np.int64
    )
    want = np.unique(uid * n_items + item)
    assert unique_pairs(uid, item, n_items).tolist() == want.tolist()


@hsettings(max_examples=60, deadline=None)
@given(st.data())
def test_top_items_first_equals_full_ranking_first(data) -> None:
    n = data.draw(st.integers(0, 60))

    def col(hi: int) -> np.ndarray:
        return np.array(data.draw(st.lists(st.integers(0, hi), min_size=n, max_size=n)), np.int64)

    group, item, ms = col(4), col(5), col(2) * 1_000
    item[col(9) == 0] = -1  # some rows without an item
    mask = col(3) > 0
    name_rank = np.array([3, 0, 5, 1, 4, 2], dtype=np.int64)
    full = rank_items(group, item, ms, name_rank, mask)
    fast = top_items(group, item, ms, name_rank, 5, mask)
    f_full, f_fast = full.first(5), fast.first(5)
    assert (f_full >= 0).tolist() == (f_fast >= 0).tolist()
    ok = f_full >= 0
    assert full.item[f_full[ok]].tolist() == fast.item[f_fast[ok]].tolist()


def test_bulk_models_equal_validated_models() -> None:
    rows = [
        {"time": f"0{i}:00", "kind": "track", "title": f"t{i}", "by": "a", "album": None,
         "minutes": 1.5, "skipped": i % 2 == 0, "ms": 90_000, "new_artist": None,
         "release_year": 1999 if i else None, "genre": None}
        for i in range(2_500)  # more than one internal block
    ]  # fmt: skip
    made = many(LogEntry)([dict(r) for r in rows])
    assert [type(m) for m in made] == [LogEntry] * len(rows)
    assert made == [LogEntry.model_validate(r, strict=True) for r in rows]


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "É", "a ", "", "ζ"])), max_size=40),
    st.integers(1, 3),
    st.sampled_from(["string", "str", "large", "object"]),
)
def test_factorize_equals_pandas_factorize(values, n_chunks, kind) -> None:
    import pandas as pd
    import pyarrow as pa

    from wrapped.stats.keys import factorize

    if kind == "large":  # several arrow chunks, large_string
        size = -(-len(values) // n_chunks) or 1
        parts = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
        data = pa.chunked_array([pa.array(p, type=pa.large_string()) for p in parts])
        s = pd.Series(pd.arrays.ArrowExtensionArray(data))
    else:
        s = pd.Series(values, dtype=kind)
    codes, uniques = factorize(s)
    want_codes, want_uniques = pd.factorize(s)
    assert codes.dtype == np.int32
    assert codes.tolist() == want_codes.tolist()
    assert uniques.tolist() == list(want_uniques)
    assert all(type(u) is str for u in uniques)
