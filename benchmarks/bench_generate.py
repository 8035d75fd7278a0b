"""Benchmark the batch job (`wrapped generate`) end to end.

Part 1: N listeners (1,000 then 10,000; up to 5 interesting days, i.e. stories, each, the
product's default) through the scripted OpenAI-compatible server (100 ms latency, in its own
process; writer AND judge calls) at concurrency 32. Prints stories/s, LLM calls/s against the
ideal (concurrency / latency; also over the window from first to last call), LLM calls per
story, peak memory of the driver + Ray processes (flat from 1,000 to 10,000 is the target; PSS,
which counts a page shared by several processes once, and the RSS sum, which counts it in
each), and CPU ms per story spent outside the LLM server
(driver + Ray workers, the openai SDK client included), split by process, with the scripted
server's own CPU per call beside it (it shares this machine's cores). The smallest size runs
once more without the judge, to show what judging costs.

Part 2: 100,000 listeners through stats + prompts + embedded writer + gate (no network), time
and peak memory.

    python benchmarks/bench_generate.py            # full sizes
    python benchmarks/bench_generate.py --quick    # a smoke run (200 listeners)
    python benchmarks/bench_generate.py --embedded-only   # part 2 alone (~20 min, ~7 GB)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
sys.path.insert(0, str(Path(__file__).parent))

import psutil  # noqa: E402
from _proc import TreeSampler  # noqa: E402

from wrapped.batch.run import Progress, run_generate  # noqa: E402
from wrapped.demo import generate_canonical  # noqa: E402
from wrapped.settings import Settings, deepeval_offline_env  # noqa: E402
from wrapped.testing import Script, ScriptedServer  # noqa: E402

os.environ.update(deepeval_offline_env())  # before the judge or a worker imports deepeval

#: seconds between memory/CPU samples of the process tree during a scripted run
SAMPLE_S = 1.0


class PhaseMarks(Progress):
    """Splits the peak-memory reading: planning (ingest + stats) vs the fan-out (the part whose
    memory must stay flat however many listeners there are)."""

    def __init__(self, sampler: TreeSampler) -> None:
        self.sampler = sampler
        self.plan_peak = 0
        self.plan_peak_pss = 0

    def start(self, total: int, done: int) -> None:
        self.sampler.sample()
        self.plan_peak = self.sampler.peak_rss
        self.plan_peak_pss = self.sampler.peak_pss
        self.sampler.peak_rss = self.sampler.peak_pss = 0


def machine_reference() -> float:
    """ms for a fixed single-threaded pure-Python workload (JSON round trips, a loop, string
    work; best of 3). Per-story CPU divided by this is comparable across machines: these
    machines differ by 2x and more in single-thread speed from one session to the next."""
    import json

    doc = {"days": [{"date": f"2024-01-{d:02d}", "log": [{"t": "x" * 20, "n": i} for i in range(40)]}
                    for d in range(1, 11)]}  # fmt: skip
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for _ in range(60):
            json.loads(json.dumps(doc, sort_keys=True))
        total = 0
        for i in range(300_000):
            total += i % 7
        "-".join(str(i) for i in range(50_000)).split("-")
        best = min(best, time.process_time() - t0)
    return 1000 * best


def make_inputs(tmp: Path, listeners: int, events_per_listener: int) -> Path:
    folder = tmp / f"in-{listeners}"
    if folder.exists():
        return folder
    data = generate_canonical(listeners * events_per_listener, listeners, year=2024, seed=1)
    folder.mkdir()
    data.events.to_parquet(folder / "events.parquet")
    data.profiles.to_parquet(folder / "profiles.parquet")
    data.catalog.to_parquet(folder / "catalog.parquet")
    return folder


def scripted_run(
    tmp: Path,
    listeners: int,
    *,
    concurrency: int,
    latency_ms: float,
    epl: int,
    max_days: int,
    judge: bool = True,
) -> dict:
    inputs = make_inputs(tmp, listeners, epl)
    with ScriptedServer(Script(latency_ms=latency_ms, seed=1), mode="process") as srv:
        settings = Settings(
            backend="scripted",
            base_url=srv.base_url,
            model="scripted",
            judge_model="scripted-judge",
            concurrency=concurrency,
            cache_path=tmp / f"cache-{listeners}-{judge}.sqlite",
            max_days=max_days,
            judge=judge,
            shard_size=200,
            batch_size=4,
        )
        server = psutil.Process(srv._proc.pid)
        server_cpu0 = sum(server.cpu_times()[:2])
        # one sample a second: reading every process's smaps_rollup (for PSS) costs kernel CPU
        # that the run's workers then do not get; at the default 0.2 s the sampler took more
        # CPU than the driver itself (py-spy on the driver, 1,000 listeners, load 15)
        with TreeSampler(exclude={srv._proc.pid}, every_s=SAMPLE_S) as sampler:
            marks = PhaseMarks(sampler)
            t0 = time.monotonic()
            result = run_generate(
                [inputs], out=tmp / f"runs-{judge}", settings=settings, progress=marks
            )
            wall = time.monotonic() - t0
        server_cpu = sum(server.cpu_times()[:2]) - server_cpu0
        log = srv.requests()
    m = result.manifest.model_dump()
    disk = sum(f.stat().st_size for f in (tmp / f"runs-{judge}").rglob("*") if f.is_file())
    gen_s = m["timings"]["generate_s"]
    stories = m["counts"]["stories"]["expected"]
    calls = len(log)
    # first to last request as the server saw them: the generate phase less Ray's and the
    # workers' start-up and the drain of the last listeners, when fewer calls can be in flight
    stamps = sorted(datetime.fromisoformat(r.ts) for r in log)
    busy_s = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else gen_s
    return {
        "listeners": listeners,
        "stories": stories,
        "passed": m["counts"]["stories"]["passed"],
        "fallback": m["counts"]["stories"]["fallback"],
        "calls": calls,
        "writer_calls": sum(r.kind == "writer" for r in log),
        "judge_calls": sum(r.kind == "judge" for r in log),
        "generate_s": gen_s,
        "wall_s": wall,
        "stories_per_s": stories / gen_s,
        "calls_per_s": calls / gen_s,
        "busy_s": busy_s,
        "calls_per_s_busy": calls / max(busy_s, 1e-9),
        "ideal_calls_per_s": concurrency / (latency_ms / 1000),
        "calls_per_story": calls / max(1, stories),
        "peak_rss_mb": max(sampler.peak_rss, marks.plan_peak) / 2**20,
        "plan_peak_mb": marks.plan_peak / 2**20,
        "fanout_peak_mb": sampler.peak_rss / 2**20,
        "peak_pss_mb": max(sampler.peak_pss, marks.plan_peak_pss) / 2**20,
        "plan_peak_pss_mb": marks.plan_peak_pss / 2**20,
        "fanout_peak_pss_mb": sampler.peak_pss / 2**20,
        "fanout_peak_pss_by_kind_mb": {k: v / 2**20 for k, v in sampler.peak_pss_by_kind.items()},
        "cpu_ms_per_story": 1000 * sampler.cpu_s / max(1, stories),
        "cpu_s": sampler.cpu_s,
        "cpu_by_kind": sampler.cpu_by_kind(),
        "sampler_cpu_s": sampler.self_cpu_s,
        "server_cpu_ms_per_call": 1000 * server_cpu / max(1, calls),
        "counts_add_up": m["counts_add_up"],
        "disk_kb_per_story": disk / 1024 / max(1, stories),
        "prompt_tokens_per_call": m["usage"]["prompt_tokens"] / max(1, m["usage"]["calls"]),
        "completion_tokens_per_call": m["usage"]["completion_tokens"] / max(1, m["usage"]["calls"]),
    }


def embedded_run(tmp: Path, listeners: int, epl: int) -> dict:
    inputs = make_inputs(tmp, listeners, epl)
    settings = Settings(backend="embedded", judge=False, shard_size=1000, batch_size=64)
    with TreeSampler() as sampler:
        t0 = time.monotonic()
        result = run_generate([inputs], out=tmp / "runs-embedded", settings=settings)
        wall = time.monotonic() - t0
    m = result.manifest.model_dump()
    return {
        "listeners": listeners,
        "eligible": m["counts"]["eligible"],
        "stories": m["counts"]["stories"]["expected"],
        "timings": m["timings"],
        "wall_s": wall,
        "peak_rss_mb": sampler.peak_rss / 2**20,
        "peak_pss_mb": sampler.peak_pss / 2**20,
        "cpu_s": sampler.cpu_s,
        "counts_add_up": m["counts_add_up"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--latency-ms", type=float, default=100.0)
    ap.add_argument("--events-per-listener", type=int, default=150)
    ap.add_argument(
        "--max-days",
        type=int,
        default=Settings().max_days,
        help="interesting days (stories) per listener in part 1; default: the product's default "
        "(%(default)s). Each story after a listener's first carries the earlier ones in its prompt.",
    )
    ap.add_argument("--skip-embedded", action="store_true", help="part 1 only")
    ap.add_argument("--embedded-only", action="store_true", help="part 2 only")
    ap.add_argument(
        "--writer-only",
        action="store_true",
        help="part 1 without the judge (part 2 still runs: add --skip-embedded to leave it out)",
    )
    ap.add_argument(
        "--no-writer-baseline",
        action="store_true",
        help="skip the extra writer-only run at the smallest size",
    )
    ap.add_argument("--sizes", default=None, help="comma-separated listener counts for part 1")
    args = ap.parse_args()
    sizes = (
        [int(x) for x in args.sizes.split(",")]
        if args.sizes
        else ([200] if args.quick else [1000, 10000])
    )
    big = 2000 if args.quick else 100_000
    ref_ms = machine_reference()
    print(
        f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]} | single-thread "
        f"reference workload {ref_ms:.0f} ms (lower = faster machine)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        # the writer alone at the smallest size too: how much of the CPU the judge costs
        results = {}
        if args.embedded_only:
            plan = []
        elif args.writer_only:
            plan = [(n, False) for n in sizes]
        else:
            plan = [(n, True) for n in sizes]
            if not args.no_writer_baseline:
                plan.append((sizes[0], False))
        for n, judge in plan:
            # this machine's speed drifts within minutes: the reference is taken on both sides
            # of each run, and the run's CPU is compared with their mean
            ref_before = machine_reference()
            r = scripted_run(
                tmp,
                n,
                concurrency=args.concurrency,
                latency_ms=args.latency_ms,
                epl=args.events_per_listener,
                max_days=args.max_days,
                judge=judge,
            )
            ref_after = machine_reference()
            run_ref_ms = (ref_before + ref_after) / 2
            results[(n, judge)] = r
            what = "writer+judge" if judge else "writer only"
            print(
                f"[scripted, {what}, {n} listeners x {args.max_days} day(s)] {r['stories']} stories "
                f"({r['passed']} passed, {r['fallback']} fallback) in {r['generate_s']:.1f}s = "
                f"{r['stories_per_s']:.1f} stories/s | LLM calls {r['calls']} ({r['writer_calls']} writer, "
                f"{r['judge_calls']} judge) = {r['calls_per_s']:.1f}/s vs ideal "
                f"{r['ideal_calls_per_s']:.0f}/s ({r['calls_per_s'] / r['ideal_calls_per_s']:.0%}); "
                f"{r['calls_per_s_busy']:.1f}/s ({r['calls_per_s_busy'] / r['ideal_calls_per_s']:.0%}) "
                f"in the {r['busy_s']:.1f}s from first to last call | "
                f"{r['calls_per_story']:.2f} calls/story | peak memory {r['peak_pss_mb']:.0f} MB "
                f"PSS (planning {r['plan_peak_pss_mb']:.0f} MB, fan-out "
                f"{r['fanout_peak_pss_mb']:.0f} MB; RSS summed over processes, shared pages "
                f"counted in each: {r['peak_rss_mb']:.0f} MB, planning {r['plan_peak_mb']:.0f} MB, "
                f"fan-out {r['fanout_peak_mb']:.0f} MB) | "
                f"{r['cpu_ms_per_story']:.2f} CPU ms/story outside the LLM (incl. start-up) | "
                f"counts add up: {r['counts_add_up']} | load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            split = ", ".join(
                f"{k} {1000 * v / max(1, r['stories']):.2f}"
                for k, v in sorted(r["cpu_by_kind"].items())
            )
            print(
                f"    CPU ms/story by process: {split} | the scripted LLM server (not counted "
                f"above): {r['server_cpu_ms_per_call']:.2f} CPU ms/call | the run on disk: "
                f"{r['disk_kb_per_story']:.1f} KB/story | tokens/call (the scripted server counts "
                f"4 characters a token): {r['prompt_tokens_per_call']:.0f} prompt + "
                f"{r['completion_tokens_per_call']:.0f} completion | the benchmark's own memory "
                f"sampler (not counted): {r['sampler_cpu_s']:.1f} CPU s",
                flush=True,
            )
            held = ", ".join(
                f"{k} {v:.0f}" for k, v in sorted(r["fanout_peak_pss_by_kind_mb"].items())
            )
            print(f"    fan-out peak PSS by process, MB: {held}", flush=True)
            # Every call costs this machine client CPU (our share per story / calls per story)
            # plus server CPU; with both on the same cores, that caps calls/s below the ideal.
            per_call_s = (r["cpu_s"] / max(1, r["calls"])) + r["server_cpu_ms_per_call"] / 1000
            ceiling = (os.cpu_count() or 1) / per_call_s
            print(
                f"    CPU ceiling here: {os.cpu_count()} cores / {1000 * per_call_s:.2f} ms CPU per "
                f"call (client + server) = {ceiling:.0f} calls/s "
                f"({ceiling / r['ideal_calls_per_s']:.0%} of ideal) | reference workload "
                f"{ref_before:.0f} ms before, {ref_after:.0f} ms after this run; CPU ms/story / "
                f"their mean = {r['cpu_ms_per_story'] / run_ref_ms:.3f}",
                flush=True,
            )
        if len(sizes) > 1 and results:
            judged = not args.writer_only
            lo, hi = results[(sizes[0], judged)], results[(sizes[-1], judged)]
            marginal = (hi["cpu_s"] - lo["cpu_s"]) / max(1, hi["stories"] - lo["stories"]) * 1000
            print(
                f"marginal CPU per story (start-up excluded: {sizes[0]} -> {sizes[-1]} listeners): "
                f"{marginal:.2f} ms | fan-out peak PSS {lo['fanout_peak_pss_mb']:.0f} MB -> "
                f"{hi['fanout_peak_pss_mb']:.0f} MB (RSS sum {lo['fanout_peak_mb']:.0f} -> "
                f"{hi['fanout_peak_mb']:.0f} MB) | whole-run peak PSS {lo['peak_pss_mb']:.0f} MB "
                f"-> {hi['peak_pss_mb']:.0f} MB (RSS sum {lo['peak_rss_mb']:.0f} -> "
                f"{hi['peak_rss_mb']:.0f} MB)",
                flush=True,
            )
        if not args.skip_embedded:
            r = embedded_run(tmp, big, args.events_per_listener)
            print(
                f"[embedded {big:>6} listeners] eligible {r['eligible']}, {r['stories']} stories | wall "
                f"{r['wall_s']:.1f}s (timings {r['timings']}) | peak memory {r['peak_pss_mb']:.0f} "
                f"MB PSS (RSS sum {r['peak_rss_mb']:.0f} MB) | "
                f"CPU {r['cpu_s']:.0f}s | counts add up: {r['counts_add_up']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
