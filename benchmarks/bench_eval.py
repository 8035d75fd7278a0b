"""Eval benchmark: rescoring stored stories, and `compare` on a big result set.

    .venv/bin/python benchmarks/bench_eval.py            # 10,000 stories; 100,000 rows x 1,000
    .venv/bin/python benchmarks/bench_eval.py --quick    # 1,000 stories; 10,000 rows x 200

1. Rescore: the deterministic scorers (format, grounding, safety) over N stored stories of a
   run folder written like the batch job's (about N/5 distinct listeners of the canonical
   generator, as `bench_generate.py` makes them, each with its embedded-writer stories),
   through `wrapped.eval.rescore.score_runs`: reading the store, building each listener's
   context, scoring. One process pinned to one core, so stories per CPU second is per core;
   target >= 500/s. Reference: the gate's `deterministic()` on the same stories already in
   memory (the scoring floor: no store to read; see `measure`). Then, for information (no
   target of its own): an eval's results of two cells of N/2 stories each over the same
   listeners, one context per listener for both cells, as `eval rescore RESULTS` does.
   Each figure is measured `--repeat` times (3), each time in a fresh process (no cache
   warmed by an earlier measurement), the three kinds alternating so a slow minute of a
   shared machine falls on all of them; every run is printed, and the medians.
2. Compare: `compare_frames` on two synthetic 100,000-row result sets (12 metrics, 2 cohort keys
   of 8 values), 1,000 paired bootstrap resamples per metric and cohort (from 5,000 pairs on, the
   Poisson bootstrap: one weight matrix for every metric and cohort); target < 10 s. Wall and
   CPU seconds are both printed: on a shared machine the CPU figure is the one to compare.
   Reference, same run: a plain numpy index bootstrap (rng.integers) of ONE metric overall, the
   textbook way, 1,000 x 100,000.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("WRAPPED_SALT", "bench-eval")


def _years(n_stories: int, seed: int = 1) -> list:
    """Distinct listeners with about `n_stories` interesting days in all: the canonical
    generator's (the catalogue and listener model `bench_generate.py` runs on, 150 plays a
    listener), through stats. Distinct, because the gate keeps a few process-wide caches keyed
    by what a listener holds (a name's screening, a listener's joined titles): copies of a few
    listeners would hit them on every copy, as no real run does."""
    from wrapped.demo import generate_canonical
    from wrapped.ingest.store import read_ingested
    from wrapped.settings import load_settings
    from wrapped.stats import iter_user_years

    n_users = n_stories // 4 + 50  # about five days a listener
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = generate_canonical(n_users * 150, n_users, year=2024, seed=seed)
        data.events.to_parquet(folder / "events.parquet")
        data.profiles.to_parquet(folder / "profiles.parquet")
        data.catalog.to_parquet(folder / "catalog.parquet")
        res = read_ingested(folder)
    settings = load_settings(None, stats_workers=1)
    return [
        uy
        for chunk in iter_user_years(
            res.events, profiles=res.profiles, catalog=res.catalog, settings=settings
        )
        for uy in chunk
        if uy.eligible
    ]


def _write_run(root: Path, all_years: list, n_stories: int, seed: int = 0):
    """A run folder with user_years and stories shards, as the batch job seals them: each
    listener's interesting days, written by the embedded writer (`seed`: its variant), up to
    `n_stories`."""
    from wrapped.store import RunLayout, write_jsonl_atomic
    from wrapped.story import Story, StoryRequest
    from wrapped.writer import compose

    layout = RunLayout(root)
    years, stories = [], []
    for uy in all_years:
        if len(stories) >= n_stories:
            break
        years.append(uy)
        for day in uy.days:
            if len(stories) >= n_stories:
                break
            req = StoryRequest(user_year=uy, day=day.date, seed=seed)
            d = compose(req)
            stories.append(
                Story(
                    user_id=uy.user_id,
                    day=day.date,
                    category=day.category,
                    title=d.title,
                    story=d.story,
                    backend="embedded",
                    model="embedded",
                    prompt_version="x",
                    prompt_hash="x",
                    decision="pass",
                )  # fmt: skip
            )
    if len(stories) < n_stories:
        raise SystemExit(f"only {len(stories)} interesting days for {n_stories} stories")
    write_jsonl_atomic(
        layout.shard_file("user_years", 0), (y.model_dump(mode="json") for y in years)
    )
    write_jsonl_atomic(
        layout.shard_file("stories", 0), (s.model_dump(mode="json") for s in stories)
    )
    write_jsonl_atomic(layout.shard_file("needs_review", 0), [])


def bench_rescore(n: int, repeat: int) -> None:
    """Write the run folders once; time each measurement in a fresh process (no cache warmed
    by an earlier one), rescore and its reference alternating, so a slow minute of a shared
    machine falls on both; print every run and the medians."""
    import statistics

    years = _years(n)
    with tempfile.TemporaryDirectory() as tmp:
        run, cells = Path(tmp) / "run", [Path(tmp) / "cell-a", Path(tmp) / "cell-b"]
        _write_run(run, years, n)
        for seed, root in enumerate(cells):
            _write_run(root, years, n // 2, seed=seed)
        runs: dict[str, list[tuple[float, float, int]]] = {
            "rescore": [],
            "reference": [],
            "cells": [],
        }
        for _ in range(repeat):
            for what, roots in (("rescore", [run]), ("reference", [run]), ("cells", cells)):
                runs[what].append(_measure_in_child(what, roots))

    def rate(what: str) -> float:
        return statistics.median(k / cpu for _, cpu, k in runs[what])

    def each(what: str) -> str:
        return ", ".join(f"{k / cpu:,.0f}" for _, cpu, k in runs[what])

    r, ref, cells_rate = rate("rescore"), rate("reference"), rate("cells")
    verdict = "ok" if r >= 500 else "BELOW TARGET"
    print(f"rescore   {n:,} stored stories, 1 core, {repeat} fresh process{'es' if repeat > 1 else ''}: "
          f"{each('rescore')} stories per CPU second, median {r:,.0f} (target >= 500/s: {verdict})")  # fmt: skip
    print(f"  reference: deterministic() on the same stories in memory (no store), alternating: "
          f"{each('reference')}/s, median {ref:,.0f} (rescore = {r / ref:.2f} of it)")  # fmt: skip
    print(f"  an eval's 2 cells x {n // 2:,} stories over the same listeners (one context per "
          f"listener for both): {each('cells')}/s, median {cells_rate:,.0f}")  # fmt: skip


def _measure_in_child(what: str, roots: list[Path]) -> tuple[float, float, int]:
    """(wall s, CPU s, stories) of one measurement, in a fresh interpreter pinned to one core."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", what, *map(str, roots)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    wall, cpu, k = json.loads(out.splitlines()[-1])
    return wall, cpu, k


def measure(what: str, roots: list[Path]) -> None:
    """One measurement (`--measure`), printed as JSON [wall s, CPU s, stories].

    rescore / cells: `score_runs` over the stored run folder(s), as `eval rescore` calls it:
    reading the store, building each listener's context, scoring. reference: the run's stories
    read into memory first (not timed), each listener's context made, then `deterministic()`
    on each, the scoring floor; the loaded stories frozen out of the cycle collector as
    `score_runs` freezes what it loads, and scored under the same collector settings
    (`scoring_heap`), so only the scoring tells the two apart."""
    from wrapped.eval.rescore import score_runs
    from wrapped.gate.context import ListenerContext
    from wrapped.gate.scorers import deterministic, story_context
    from wrapped.heap import scoring_heap
    from wrapped.store import RunStore
    from wrapped.story import Draft

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    stores = [RunStore(r) for r in roots]
    if what != "reference":
        t, c = time.perf_counter(), time.process_time()
        scored = asyncio.run(
            score_runs(stores, ["format", "grounding", "safety"], None, 1, lambda _: None)
        )
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(json.dumps([wall, cpu, sum(map(len, scored))]))
        return
    years = {y.user_id: y for y in stores[0].user_years()}
    contexts: dict[str, ListenerContext] = {}
    prepared = []
    for s in stores[0].stories():
        uy = years[s.user_id]
        lc = contexts.get(uy.user_id) or contexts.setdefault(uy.user_id, ListenerContext(uy))
        prepared.append((Draft(title=s.title, story=s.story), story_context(uy, s, listener=lc)))
    gc.collect()
    gc.freeze()
    with scoring_heap():
        t, c = time.perf_counter(), time.process_time()
        for d, ctx in prepared:
            deterministic(d, ctx)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps([wall, cpu, len(prepared)]))


def _frame(n: int, rng: np.random.Generator, shift: float) -> pd.DataFrame:
    data: dict[str, object] = {
        "user_id": [f"u{i // 5:06d}" for i in range(n)],
        "day": [f"2024-01-{i % 5 + 1:02d}" for i in range(n)],
        "c.country": rng.choice([f"C{i}" for i in range(8)], n),
        "c.tier": rng.choice([f"T{i}" for i in range(8)], n),
    }
    for j in range(6):
        data[f"m.bin{j}"] = (rng.random(n) < 0.9 - shift).astype(float)
    for j in range(6):
        data[f"m.cont{j}"] = rng.normal(60 - 10 * shift, 10, n)
    return pd.DataFrame(data)


def bench_compare(n: int, resamples: int) -> None:
    from wrapped.eval.compare import compare_frames

    rng = np.random.default_rng(0)
    base, new = _frame(n, rng, 0.0), _frame(n, rng, 0.05)
    t, c = time.perf_counter(), time.process_time()
    diffs = compare_frames(base, new, keys=["country", "tier"], thresholds={}, n_boot=resamples)
    cmp_s, cmp_cpu = time.perf_counter() - t, time.process_time() - c
    x = (new["m.cont0"] - base["m.cont0"]).to_numpy()
    t, c = time.perf_counter(), time.process_time()
    g = np.random.default_rng(1)
    chunk = max(1, 10_000_000 // n)
    means = []
    for start in range(0, resamples, chunk):
        b = min(chunk, resamples - start)
        means.append(x[g.integers(0, n, size=(b, n))].mean(axis=1))
    np.percentile(np.concatenate(means), [2.5, 97.5])
    ref_s, ref_cpu = time.perf_counter() - t, time.process_time() - c
    verdict = "ok" if cmp_s < 10 else "OVER TARGET"
    print(f"compare   {n:,} paired rows x {resamples:,} resamples, 12 metrics x (overall + 16 "
          f"cohorts) = {len(diffs)} intervals: {cmp_s:.2f} s wall, {cmp_cpu:.2f} s CPU "
          f"(target < 10 s: {verdict})")  # fmt: skip
    print(f"  reference: numpy index bootstrap of ONE metric overall: {ref_s:.2f} s wall, "
          f"{ref_cpu:.2f} s CPU "
          f"(compare did {len(diffs)} intervals in {cmp_s / ref_s:.2f}x that time)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--rows", type=int, help="compare: paired rows (default 100,000)")
    ap.add_argument("--resamples", type=int, help="compare: bootstrap resamples (default 1,000)")
    ap.add_argument("--stories", type=int, help="rescore: stored stories (default 10,000)")
    ap.add_argument("--repeat", type=int, help="rescore: fresh processes per figure (default 3)")
    ap.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)  # one child measurement
    a = ap.parse_args()
    if a.measure:
        measure(a.measure[0], [Path(p) for p in a.measure[1:]])
        return
    rows = a.rows or (10_000 if a.quick else 100_000)
    bench_compare(rows, a.resamples or (200 if a.quick else 1_000))
    bench_rescore(a.stories or (1_000 if a.quick else 10_000), a.repeat or (1 if a.quick else 3))


if __name__ == "__main__":
    main()
