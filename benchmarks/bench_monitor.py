"""Monitor benchmark: `wrapped monitor` on two runs of 1,000,000 stories each (< 60 s, < 4 GB).

    .venv/bin/python benchmarks/bench_monitor.py                  # 1,000,000 stories per run
    .venv/bin/python benchmarks/bench_monitor.py --stories 50000  # a quick check

The two runs are synthesised through the store's own write path: each shard's `UserYear` lines
as staging writes them, each listener's journal line (its `Story` and `Verdict` records) through
`Journal`, then the real `seal`, which writes the shard's JSONL files, its index and its columns
(Parquet, `wrapped.store.columns`); then a `RunManifest`. 5 stories per listener, each
listener's year taken from a small real `wrapped stats` computation on demo data (trimmed lists,
new ids), decisions and judge scores drawn per story, the second run from another seed.
Synthesis is not timed. Then the real CLI runs on them in a subprocess, timed, with its peak
memory (the sum over its process tree, sampled every 0.1 s).

Reference, measured in the same run: decoding every record of both runs (stories, verdicts,
years) with orjson and keeping nothing: the floor any reader of the JSONL pays, which is why the
monitor reads the columns instead (`--typed-reference` also times reading them through
`RunStore`, a pydantic model per record). The figure is the monitor's wall time next to it, and
against the 60 s / 4 GB target.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
PER_LISTENER = 5
SHARD = 20_000  # stories per shard file
TARGET_S, TARGET_GB = 60.0, 4.0


def _years(seed: int) -> list[str]:
    """Trimmed UserYear JSON templates (one per demo listener with 5 days), from real stats."""
    from wrapped.demo import generate_canonical
    from wrapped.settings import Settings
    from wrapped.stats import compute_user_years

    data = generate_canonical(40_000, 200, seed=seed)
    years = compute_user_years(
        data.events, profiles=data.profiles, catalog=data.catalog, settings=Settings()
    )
    out = []
    for y in years:
        if not y.eligible or len(y.days) < PER_LISTENER:
            continue
        days = [d.model_copy(update={"log": d.log[:3], "log_cap": 3}) for d in y.days]
        slim = y.model_copy(
            update={
                "days": days,
                "top_tracks": y.top_tracks[:1],
                "top_albums": y.top_albums[:1],
                "top_episodes": y.top_episodes[:1],
                "months": y.months[:1],
                "peak_months": y.peak_months[:1],
            }
        )
        out.append(slim.model_dump_json())
    return out


def _write_shard(args: tuple[Path, int, int, int, list[str]]) -> None:
    import orjson

    from wrapped.batch.seal import seal
    from wrapped.store import Journal, RunLayout

    root, shard, first, n_listeners, templates = args
    layout = RunLayout(root)
    parsed = [orjson.loads(t) for t in templates]  # each template once, not once a listener
    rng = np.random.default_rng(shard)
    shard %= 1000
    users, years, journal = [], [], []
    for i in range(first, first + n_listeners):
        uid = f"u_{i:016x}"
        t, y = templates[i % len(templates)], parsed[i % len(templates)]
        users.append(uid)
        years.append(t.replace(y["user_id"], uid))
        stories, verdicts = [], []
        for d in y["days"][:PER_LISTENER]:
            r = rng.random()
            decision = "pass" if r < 0.93 else ("fallback" if r < 0.99 else "needs_review")
            words = " ".join(["la"] * int(rng.integers(60, 140)))
            tok = int(rng.integers(900, 1500))
            stories.append(
                f'{{"attempts": {1 + int(r > 0.9)}, "backend": "openai", "category": "{d["category"]}", '
                f'"day": "{d["date"]}", "decision": "{"pass" if decision == "fallback" else decision}", '
                f'"fallback": {"true" if decision == "fallback" else "false"}, "model": "m1", '
                f'"prompt_hash": "0123456789abcdef", "prompt_version": "v1", '
                f'"story": "Your {d["weekday"]} had {words} {i % 97}.", "title": "A day", '
                f'"usage": {{"cached_calls": 0, "calls": 1, "completion_tokens": {tok // 5}, '
                f'"cost_usd": {tok * 2e-7:.8f}, "latency_s": {rng.gamma(4, 0.4):.3f}, '
                f'"prompt_tokens": {tok}}}, "user_id": "{uid}"}}'
            )
            checks = ", ".join(
                f'{{"claims": [], "layer": "{layer}", "name": "{name}", "reasons": [], '
                f'"score": {score}, "status": "pass", "threshold": {thr}}}'
                for layer, name, score, thr in (
                    ("format", "format", 1.0, "null"),
                    ("grounding", "grounding", 1.0, "null"),
                    ("safety", "safety.lexicon", 1.0, "null"),
                    ("judge", "judge.tone", round(float(rng.beta(8, 2)), 3), 0.5),
                    ("judge", "judge.locale", round(float(rng.beta(9, 2)), 3), 0.5),
                )
            )
            verdicts.append(
                f'{{"attempts": [{{"attempt": 1, "backend": "openai", "checks": [{checks}], '
                f'"passed": true, "reasons": []}}], "category": "{d["category"]}", '
                f'"day": "{d["date"]}", "decision": "{decision}", "reasons": [], "user_id": "{uid}"}}'
            )
        journal.append(
            f'{{"user_id": "{uid}", "status": "done", "error": null, "days": {len(stories)}, '
            f'"stories": [{", ".join(stories)}], "verdicts": [{", ".join(verdicts)}], '
            f'"usage": {{}}}}'
        )
    path = layout.shard_file("user_years", shard)  # as staging writes a shard's years
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(years) + "\n")
    j = Journal(layout.journal(shard))
    j.append_lines(journal)
    j.close()
    seal(layout, shard, users)


def make_run(
    root: Path, stories: int, seed: int, templates: list[str], pool: ProcessPoolExecutor
) -> None:
    from wrapped.store import RunManifest
    from wrapped.store.model import Counts, PromptRef

    listeners = stories // PER_LISTENER
    per = SHARD // PER_LISTENER
    jobs = [
        (root, s + 1000 * seed, s * per, min(per, listeners - s * per), templates)
        for s in range((listeners + per - 1) // per)
    ]
    list(pool.map(_write_shard, jobs))
    manifest = RunManifest(
        schema_version=2,
        run_id=root.name,
        status="complete",
        invocations=1,
        code_version="bench",
        prompt=PromptRef(version="v1", hash="0123456789abcdef"),
        backend="openai",
        model="m1",
        input_fingerprint=f"bench-{seed}",
        selection="all",
        shards=len(jobs),
        settings={"created": datetime.now(UTC).isoformat()},
        counts=Counts(listeners_in=listeners, eligible=listeners, selected=listeners),
        counts_add_up=True,
    )
    (root / "manifest.json").write_text(manifest.to_json())


def read_only(run: Path) -> int:
    """The typed floor: every record through `RunStore` (a pydantic model each)."""
    from wrapped.store import RunStore

    s = RunStore.open(run)
    return (
        sum(1 for _ in s.stories()) + sum(1 for _ in s.verdicts()) + sum(1 for _ in s.user_years())
    )


def parse_only(run: Path) -> tuple[int, float]:
    """The parsing floor: every shard line decoded with orjson, nothing kept; the records
    and the CPU seconds it took."""
    import orjson

    c0 = time.process_time()
    n = 0
    kinds = ("stories", "needs_review", "verdicts", "user_years")
    for f in sorted(f for k in kinds for f in (run / k).glob("shard-*.jsonl")):
        for line in f.read_bytes().splitlines():
            orjson.loads(line)
            n += 1
    return n, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=1_000_000)
    ap.add_argument(
        "--typed-reference",
        action="store_true",
        help="also time reading every record through RunStore (slow: ~20 min at 1M)",
    )
    ap.add_argument("--keep", type=Path, default=None, help="write the runs here and keep them")
    a = ap.parse_args()
    tmp = a.keep or Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    base, now = tmp / "run-base", tmp / "run-now"
    t0 = time.perf_counter()
    templates = _years(1)  # the same listeners in both runs (a monthly re-run); draws differ
    with ProcessPoolExecutor(2) as pool:
        for run, seed in ((base, 1), (now, 2)):
            if not (run / "manifest.json").exists():
                make_run(run, a.stories, seed, templates, pool)
        t1 = time.perf_counter()
        ref = list(pool.map(parse_only, [base, now]))
        t2 = time.perf_counter()
        ref_cpu = sum(c for _, c in ref)
        typed = list(pool.map(read_only, [base, now])) if a.typed_reference else []
        t2b = time.perf_counter()
    env = dict(os.environ, WRAPPED_SALT="bench")
    cmd = [sys.executable, "-m", "wrapped", "monitor", str(now), "--baseline", str(base),
           "--json", str(tmp / "monitor.json")]  # fmt: skip
    load = os.getloadavg()[0]
    t3 = time.perf_counter()
    cpu0 = _children_cpu()
    res, peak = _timed(cmd, env)
    t4 = time.perf_counter()
    cpu = _children_cpu() - cpu0
    peak_gb = peak / 2**30
    print(f"synthesised 2 runs x {a.stories:,} stories in {t1 - t0:.1f} s ({tmp})")
    print(f"reference: decoding every record with orjson, 2 runs side by side: {t2 - t1:.1f} s "
          f"({sum(n for n, _ in ref):,} records)")  # fmt: skip
    if typed:
        print(f"reference: reading them through RunStore (typed), side by side: {t2b - t2:.1f} s")
    print(f"wrapped monitor: {t4 - t3:.1f} s wall, peak {peak_gb:.2f} GB RSS, exit {res.returncode} "
          f"(target < {TARGET_S:.0f} s, < {TARGET_GB:.0f} GB); "
          f"{(t4 - t3) / max(t2 - t1, 1e-9):.2f}x the orjson reference; {cpu:.1f} s of CPU "
          f"(the reference: {ref_cpu:.1f} s)")  # fmt: skip
    print(f"load average (1 min) at the start of the monitor: {load:.1f} on {os.cpu_count()} cores")
    print(res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-2000:])


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, int]:
    """Run `cmd` to its end; with the peak of its process tree's summed RSS (its loaders run
    side by side, so the largest single process would understate it)."""
    import psutil

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env, cwd=REPO)
        top, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            rss = 0
            with contextlib.suppress(psutil.Error):
                for p in [top, *top.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
            peak = max(peak, rss)
            time.sleep(0.1)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read()), peak


if __name__ == "__main__":
    main()
