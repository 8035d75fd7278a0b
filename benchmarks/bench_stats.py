"""Benchmark: the whole stats stage on generated data, against a DuckDB reference.

    /work/venv/bin/python benchmarks/bench_stats.py            # 10,000,000 events, 100,000 listeners
    /work/venv/bin/python benchmarks/bench_stats.py --quick    # 200,000 events, 2,000 listeners

Prints, for the same generated data set (wrapped.demo.generate_canonical, with profiles and
catalog):
- whole stats (everything incl. interesting days and building every UserYear model), by default
  through the batch path `iter_user_years` (chunks of whole listeners, each dropped after it is
  counted, as a batch shard writer would); `--keep-all` keeps all 100,000 (compute_user_years):
  wall and CPU seconds, events/s;
- peak memory (process peak RSS, which includes the generated input frame);
- the core aggregates (prepare + minutes/plays per kind, top-k artists/tracks, per-local-day
  totals) in pandas/numpy vs. the same aggregates in DuckDB SQL, and the ratio.
CPU seconds are printed beside wall seconds because the machine is shared: wall time moves with
other people's load, CPU time much less.
Targets: >= 500,000 events/s, < 6 GB, core aggregates within 3x of DuckDB.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import time


def _rss_gb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e9


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


class Timer:
    def __enter__(self) -> Timer:
        self.w, self.c = time.perf_counter(), time.process_time()
        self.r = resource.getrusage(resource.RUSAGE_SELF)
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.w
        self.cpu = time.process_time() - self.c
        r = resource.getrusage(resource.RUSAGE_SELF)
        self.user, self.sys = r.ru_utime - self.r.ru_utime, r.ru_stime - self.r.ru_stime
        self.faults = r.ru_minflt - self.r.ru_minflt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="small smoke size (200k events, 2k listeners)"
    )
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB reference")
    ap.add_argument(
        "--keep-all", action="store_true", help="keep every UserYear (compute_user_years)"
    )
    args = ap.parse_args()
    n_events, n_users = (200_000, 2_000) if args.quick else (args.events, args.users)

    from wrapped.demo import generate_canonical
    from wrapped.settings import Settings
    from wrapped.stats import compute_user_years
    from wrapped.stats.aggregates import core
    from wrapped.stats.build import gc_paused, iter_user_years
    from wrapped.stats.prepare import prepare

    with Timer() as t_gen:
        demo = generate_canonical(n_events, n_users, seed=args.seed)
    ev, prof, cat = demo.events, demo.profiles, demo.catalog
    settings = Settings()
    gc.collect()
    rss0 = _rss_gb()
    print(f"data: {len(ev):,} events, {ev['user_id'].nunique():,} listeners "
          f"(generated in {t_gen.wall:.1f}s); RSS before stats {rss0:.2f} GB; cores {os.cpu_count()}, "
          f"load avg {os.getloadavg()[0]:.1f}")  # fmt: skip

    n_years = n_eligible = n_days = n_log = 0
    with Timer() as t_all:
        if args.keep_all:  # every UserYear alive at once (what a small CLI run does)
            chunks = [compute_user_years(ev, profiles=prof, catalog=cat, settings=settings)]
        else:  # the batch path: chunks of whole listeners, each handed on and dropped
            chunks = iter_user_years(ev, profiles=prof, catalog=cat, settings=settings)
        for chunk in chunks:
            n_years += len(chunk)
            n_eligible += sum(u.eligible for u in chunk)
            n_days += sum(len(u.days) for u in chunk)
            n_log += sum(len(d.log) for u in chunk for d in u.days)
    peak = _peak_gb()
    mode = "compute_user_years, all kept" if args.keep_all else "iter_user_years, chunks handed on"
    print(f"whole stats ({mode}): {n_years:,} UserYears ({n_eligible:,} eligible), "
          f"{n_days:,} interesting days, {n_log:,} log entries")  # fmt: skip
    print(f"  wall {t_all.wall:.2f}s -> {len(ev) / t_all.wall:,.0f} events/s  (target >= 500,000)")
    print(f"  cpu  {t_all.cpu:.2f}s -> {len(ev) / t_all.cpu:,.0f} events/s of CPU "
          f"(user {t_all.user:.2f}s + system {t_all.sys:.2f}s, {t_all.faults:,} page faults; "
          f"one process, one thread)")  # fmt: skip
    print(f"  peak RSS {peak:.2f} GB (process, incl. the {rss0:.2f} GB input; target < 6 GB)")
    del chunks
    gc.collect()

    with Timer() as t_core, gc_paused():
        p = prepare(ev, profiles=prof, catalog=cat, settings=settings)
        c = core(p)
    print(f"core aggregates, pandas/numpy: wall {t_core.wall:.2f}s, cpu {t_core.cpu:.2f}s")
    if args.no_duckdb:
        return
    from wrapped.stats.sqlcheck import duckdb_core, zones_frame

    zones = zones_frame(p)
    start, end, k = p.start, p.end, settings.top_k
    del p, c
    gc.collect()
    with Timer() as t_duck:
        duckdb_core(ev, zones, start, end, k)
    print(f"core aggregates, DuckDB SQL:   wall {t_duck.wall:.2f}s, cpu {t_duck.cpu:.2f}s "
          f"(threads: DuckDB default)")  # fmt: skip
    print(f"  ratio pandas/DuckDB: wall {t_core.wall / t_duck.wall:.2f}x, cpu {t_core.cpu / t_duck.cpu:.2f}x"
          f"  (target within 3x)")  # fmt: skip


if __name__ == "__main__":
    main()
