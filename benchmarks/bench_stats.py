"""Benchmark: the whole stats stage on generated data, against a DuckDB reference.

    /work/venv/bin/python benchmarks/bench_stats.py            # 10,000,000 events, 100,000 listeners
    /work/venv/bin/python benchmarks/bench_stats.py --quick    # 200,000 events, 2,000 listeners

Prints, for the same generated data set (wrapped.demo.generate_canonical, with profiles and
catalog):
- whole stats (everything incl. interesting days and building every UserYear model), by default
  through the batch path `iter_user_years` (chunks of whole listeners, each dropped after it is
  counted, as a batch shard writer would); `--keep-all` keeps all 100,000 (compute_user_years):
  wall and CPU seconds, events/s. With `stats_workers` 2 (the default; `--workers` to change)
  a forked helper process computes the numbers of the next chunks while this one makes the
  models, so CPU is split into this process and the helpers;
- peak memory: this process's peak RSS (which includes the generated input frame), the helpers'
  peak RSS (mostly pages shared with this process), and the peak of the SUM of proportional set
  sizes (PSS: shared pages counted once) of this process and its helpers, sampled every 0.2 s
  - the physical memory the whole stage holds;
- the core aggregates (prepare + minutes/plays per kind, top-k artists/tracks, per-local-day
  totals) in pandas/numpy vs. the same aggregates in DuckDB SQL, and the ratio.
CPU seconds are printed beside wall seconds because the machine is shared: wall time moves with
other people's load, CPU time much less.
Targets: >= 500,000 events/s, < 6 GB, core aggregates within 3x of DuckDB.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import threading
import time


def _rss_gb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e9


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def _pss_gb(pid: int | str) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024 / 1e9
    except OSError:  # the process ended between listing and reading
        pass
    return 0.0


def _busy_cpu_s() -> float:
    """CPU seconds all processes on the machine have used (from /proc/stat), or nan."""
    try:
        with open("/proc/stat") as f:
            t = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    busy = sum(t[:8]) - t[3] - t[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


class PssSampler:
    """Peak of PSS(this process) + PSS(its live child processes), sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak, self._stop = every, 0.0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            kids = [c.pid for c in multiprocessing.active_children()]
            self.peak = max(self.peak, _pss_gb("self") + sum(_pss_gb(k) for k in kids))
            self._stop.wait(self.every)

    def __enter__(self) -> PssSampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


class Timer:
    def __enter__(self) -> Timer:
        self.w, self.c = time.perf_counter(), time.process_time()
        self.r = resource.getrusage(resource.RUSAGE_SELF)
        self.k = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.machine = _busy_cpu_s()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.w
        self.cpu = time.process_time() - self.c
        r = resource.getrusage(resource.RUSAGE_SELF)
        self.user, self.sys = r.ru_utime - self.r.ru_utime, r.ru_stime - self.r.ru_stime
        self.faults = r.ru_minflt - self.r.ru_minflt
        k = resource.getrusage(resource.RUSAGE_CHILDREN)  # helpers, once they have been joined
        self.kids = (k.ru_utime - self.k.ru_utime) + (k.ru_stime - self.k.ru_stime)
        self.machine = _busy_cpu_s() - self.machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="small smoke size (200k events, 2k listeners)"
    )
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--workers", type=int, default=None, help="stats_workers (default: the setting, 2)"
    )
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
    settings = Settings() if args.workers is None else Settings(stats_workers=args.workers)
    gc.collect()
    rss0 = _rss_gb()
    print(f"data: {len(ev):,} events, {ev['user_id'].nunique():,} listeners "
          f"(generated in {t_gen.wall:.1f}s); RSS before stats {rss0:.2f} GB; cores {os.cpu_count()}, "
          f"load avg {os.getloadavg()[0]:.1f} (1 min) {os.getloadavg()[1]:.1f} (5 min); "
          f"stats_workers {settings.stats_workers}")  # fmt: skip

    n_years = n_eligible = n_days = n_log = 0
    with Timer() as t_all, PssSampler() as pss:
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
    kids_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    mode = "compute_user_years, all kept" if args.keep_all else "iter_user_years, chunks handed on"
    print(f"whole stats ({mode}): {n_years:,} UserYears ({n_eligible:,} eligible), "
          f"{n_days:,} interesting days, {n_log:,} log entries")  # fmt: skip
    print(f"  wall {t_all.wall:.2f}s -> {len(ev) / t_all.wall:,.0f} events/s  (target >= 500,000)")
    cpu_all = t_all.cpu + t_all.kids
    print(f"  cpu  {cpu_all:.2f}s -> {len(ev) / cpu_all:,.0f} events/s of CPU: this process "
          f"{t_all.cpu:.2f}s (user {t_all.user:.2f}s + system {t_all.sys:.2f}s, "
          f"{t_all.faults:,} page faults) + helper processes {t_all.kids:.2f}s")  # fmt: skip
    others = t_all.machine - cpu_all
    print(f"  other processes on the machine used {max(others, 0):.1f} CPU-s meanwhile "
          f"({max(others, 0) / t_all.wall:.2f} of {os.cpu_count()} cores)")  # fmt: skip
    print(f"  peak RSS {peak:.2f} GB (this process, incl. the {rss0:.2f} GB input; target < 6 GB); "
          f"helpers' peak RSS {kids_peak:.2f} GB (mostly shared with this process); "
          f"peak PSS this process + helpers {pss.peak:.2f} GB")  # fmt: skip
    del chunks
    gc.collect()

    with Timer() as t_core, gc_paused():
        p = prepare(ev, profiles=prof, catalog=cat, settings=settings)
        c = core(p)
    print(f"core aggregates, pandas/numpy: wall {t_core.wall:.2f}s, cpu {t_core.cpu:.2f}s "
          f"(prepare: {min(settings.stats_workers, 2)} threads)")  # fmt: skip
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
