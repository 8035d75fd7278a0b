"""Several workers (helper thread in prepare, forked helper processes for the chunks' numbers)
give exactly the one-worker result.

Helpers compute chunks out of step with the caller; the output must still come in chunk order,
split at the same listeners, as real `UserYear` instances that survive a strict round trip.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import fields

import numpy as np
import pytest
from _stats_helpers import settings

import wrapped.stats.parallel as parallel
from wrapped.demo import generate_canonical
from wrapped.stats.build import iter_user_years
from wrapped.stats.model import UserYear
from wrapped.stats.parallel import HelperError
from wrapped.stats.prepare import prepare

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs the fork start method")


@pytest.fixture(scope="module")
def demo():
    return generate_canonical(40_000, 400, seed=11)


def _iter(demo, workers: int, chunk_events: int = 1_500):
    return iter_user_years(
        demo.events,
        profiles=demo.profiles,
        catalog=demo.catalog,
        settings=settings(),
        workers=workers,
        chunk_events=chunk_events,
    )


def _helper_names() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name.startswith("wrapped-")]


@pytest.mark.parametrize("workers", [2, 3])
def test_helper_processes_give_the_serial_chunks(demo, workers: int) -> None:
    serial = list(_iter(demo, workers=1))
    assert len(serial) > 10  # many chunks, so a chunk out of order would show
    par, seen = [], set()
    for chunk in _iter(demo, workers=workers):
        seen.update(_helper_names())
        par.append(chunk)
    assert seen == {f"wrapped-stats-{h}" for h in range(workers - 1)}  # really in helpers
    assert [[u.user_id for u in c] for c in par] == [[u.user_id for u in c] for c in serial]
    flat_s = [u for c in serial for u in c]
    flat_p = [u for c in par for u in c]
    assert [u.model_dump_json() for u in flat_p] == [u.model_dump_json() for u in flat_s]
    assert all(type(u) is UserYear for u in flat_p)
    for u in flat_p[:: max(1, len(flat_p) // 40)]:
        assert UserYear.model_validate(u.model_dump(), strict=True) == u
    assert _helper_names() == []  # joined at the end


def test_prepare_with_a_helper_thread_equals_prepare_in_one_thread(demo) -> None:
    kw = {"profiles": demo.profiles, "catalog": demo.catalog}
    one = prepare(demo.events, settings=settings(stats_workers=1), **kw)
    two = prepare(demo.events, settings=settings(stats_workers=2), **kw)
    for f in fields(one):
        a, b = getattr(one, f.name), getattr(two, f.name)
        if f.name == "spaces":
            assert a.keys() == b.keys()
            for k in a:
                np.testing.assert_array_equal(a[k].names, b[k].names)
                np.testing.assert_array_equal(a[k].rank, b[k].rank)
                assert (a[k].by is None) == (b[k].by is None)
                if a[k].by is not None:
                    np.testing.assert_array_equal(a[k].by, b[k].by)
        elif f.name == "raw":
            for k in a:
                np.testing.assert_array_equal(a[k][0], b[k][0])
                np.testing.assert_array_equal(a[k][1], b[k][1])
        elif isinstance(a, np.ndarray):
            assert a.dtype == b.dtype, f.name
            np.testing.assert_array_equal(a, b, err_msg=f.name)
        else:
            assert a == b, f.name


def test_the_setting_is_the_default(demo) -> None:
    kw = {"profiles": demo.profiles, "catalog": demo.catalog, "chunk_events": 5_000}
    s1, s2 = settings(stats_workers=1), settings(stats_workers=2)
    a = [u.model_dump_json() for c in iter_user_years(demo.events, settings=s1, **kw) for u in c]
    names: set[str] = set()
    b = []
    for c in iter_user_years(demo.events, settings=s2, **kw):
        names.update(_helper_names())
        b += [u.model_dump_json() for u in c]
    assert a == b
    assert names == {"wrapped-stats-0"}


def test_stopping_early_ends_the_helpers_and_restores_the_gc(demo) -> None:
    assert gc.isenabled()
    it = _iter(demo, workers=2)
    assert next(it)
    assert _helper_names() == ["wrapped-stats-0"]
    it.close()
    assert _helper_names() == []
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_failing_chunk_raises_in_the_caller_with_the_helpers_traceback(demo, monkeypatch) -> None:
    real = parallel.chunk_arrays
    calls = {"n": 0}
    caller = os.getpid()

    def flaky(p, s):  # in the helper (inherited through fork); the caller computes chunk 0
        if os.getpid() != caller:
            calls["n"] += 1
            if calls["n"] == 3:
                raise ValueError("its third chunk broke")
        return real(p, s)

    monkeypatch.setattr(parallel, "chunk_arrays", flaky)
    with pytest.raises(HelperError, match="(?s)failed on chunk 3.*ValueError: its third chunk"):
        list(_iter(demo, workers=2))
    assert _helper_names() == []
    assert gc.isenabled()


def test_a_helper_that_dies_is_an_error_not_a_hang(demo, monkeypatch) -> None:
    real = parallel.chunk_arrays
    caller = os.getpid()

    def die(p, s):
        if os.getpid() != caller:
            os._exit(3)
        return real(p, s)

    monkeypatch.setattr(parallel, "chunk_arrays", die)
    with pytest.raises(HelperError, match=r"exited \(code 3\) before sending chunk 1"):
        list(_iter(demo, workers=2))
    assert _helper_names() == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_chunk_is_freed_when_the_caller_drops_it(demo, workers: int) -> None:
    import weakref

    it = _iter(demo, workers=workers)
    chunk = next(it)
    ref = weakref.ref(chunk[0])
    del chunk
    assert ref() is None  # before the next chunk is asked for
    it.close()
