"""Gate benchmark: per-defect recall and false rejects, deterministic layer and full gate, plus
deterministic throughput on one core.

    /work/venv/bin/python benchmarks/bench_gate.py            # whole corpus (evals/gate_corpus)
    /work/venv/bin/python benchmarks/bench_gate.py --quick    # a small smoke sample

The full gate's judge is served by the scripted server (wrapped.testing.ScriptedServer) on
127.0.0.1, through the real openai SDK and deepeval. Throughput is measured without the judge,
pinned to one core: "cold" = each listener's first story (includes the per-listener input-side
screening and fact index), "warm" = re-checking (the regeneration case). Reference: the 500
stories/s target, printed as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "evals" / "gate_corpus"
TARGET_PER_S = 500.0
DETERMINISTIC_KINDS = (
    "hallucinated_artist",
    "wrong_count",
    "wrong_rank",
    "wrong_weekday",
    "wrong_date",
)


def load(corpus: Path):
    from wrapped.stats.model import UserYear

    raw_listeners = (corpus / "listeners.jsonl").read_text(encoding="utf-8").splitlines()
    records = [
        json.loads(x) for x in (corpus / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    listeners = {}
    for line in raw_listeners:
        uy = UserYear.model_validate_json(line)
        listeners[uy.user_id] = uy
    return raw_listeners, listeners, records


def requests_for(records, listeners):
    from wrapped.story import Draft, PreviousStory, StoryRequest

    out = []
    for r in records:
        req = StoryRequest(
            user_year=listeners[r["user_id"]],
            day=date.fromisoformat(r["day"]),
            previous=[PreviousStory(**p) for p in r["previous"]],
        )
        out.append((r, Draft(title=r["title"], story=r["story"]), req))
    return out


def table(title: str, caught: Counter, total: Counter) -> None:
    print(f"\n{title}")
    print(f"  {'label':22s} {'flagged':>9s} {'rate':>7s}")
    for label in sorted(total, key=lambda k: (k != "good", k)):
        rate = caught[label] / total[label]
        name = "good (false rejects)" if label == "good" else label
        print(f"  {name:22s} {caught[label]:>4d}/{total[label]:<4d} {rate:7.1%}")


def contexts():
    """One `ListenerContext` per listener, made on its first story (as the generate stage does)."""
    from wrapped.gate import ListenerContext

    made: dict = {}

    def ctx(req):
        uy = req.user_year
        found = made.get(id(uy))
        if found is None:
            found = made[id(uy)] = ListenerContext(uy)
        return found

    return ctx


def deterministic(items) -> tuple[Counter, Counter]:
    from wrapped.gate.policy import deterministic_checks

    caught: Counter = Counter()
    total: Counter = Counter()
    ctx = contexts()
    for r, draft, req in items:
        checks = deterministic_checks(draft, req, ctx(req))
        total[r["label"]] += 1
        caught[r["label"]] += any(c.status == "fail" for c in checks)
    return caught, total


def throughput(raw_listeners, records, repeat: int) -> tuple[float, float]:
    """(cold, warm) stories per CPU-second on one core, deterministic layer only."""
    from wrapped.gate.policy import deterministic_checks
    from wrapped.stats.model import UserYear

    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    cold_s = 0.0
    warm_s = 0.0
    n = 0
    for _ in range(repeat):
        # fresh listener objects and contexts: nothing kept from an earlier pass
        listeners = {}
        for line in raw_listeners:
            uy = UserYear.model_validate_json(line)
            listeners[uy.user_id] = uy
        items = requests_for(records, listeners)
        ctx = contexts()  # fresh: the first pass builds each listener's context (cold)
        # CPU time of this thread: the machine is shared, wall time would measure the neighbours
        t0 = time.thread_time()
        for _, draft, req in items:
            deterministic_checks(draft, req, ctx(req))
        t1 = time.thread_time()
        for _, draft, req in items:
            deterministic_checks(draft, req, ctx(req))
        t2 = time.thread_time()
        cold_s += t1 - t0
        warm_s += t2 - t1
        n += len(items)
    try:
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    except (AttributeError, OSError):
        pass
    return n / cold_s, n / warm_s


async def full_gate(items, concurrency: int) -> tuple[Counter, Counter, Counter, float, int]:
    from wrapped.gate import Gate
    from wrapped.gate.policy import passed
    from wrapped.settings import Settings
    from wrapped.testing import Script, ScriptedServer

    caught: Counter = Counter()
    total: Counter = Counter()
    unscored: Counter = Counter()
    with ScriptedServer(Script(), mode="process") as srv, tempfile.TemporaryDirectory() as run_dir:
        settings = Settings(
            judge_model="scripted-judge",
            judge_base_url=srv.base_url,
            cache=False,
            concurrency=concurrency,
        )
        gate = Gate(settings, run_dir=run_dir)
        sem = asyncio.Semaphore(concurrency)
        ctx = contexts()

        async def one(r, draft, req):
            async with sem:
                checks = await gate.check(draft, req, ctx(req))
            total[r["label"]] += 1
            caught[r["label"]] += not passed(checks)
            unscored[r["label"]] += any(c.status == "unscored" for c in checks)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(*it) for it in items))
        elapsed = time.perf_counter() - t0
        calls = gate.judge.usage.calls if gate.judge is not None else 0
        await gate.aclose()
    return caught, total, unscored, elapsed, calls


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="gate recall, false rejects and throughput")
    ap.add_argument("--quick", action="store_true", help="a small smoke sample")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--concurrency", type=int, default=16, help="judge calls in flight")
    args = ap.parse_args(argv)
    from wrapped.settings import deepeval_offline_env

    os.environ.update(deepeval_offline_env())
    sys.path.insert(0, str(REPO))

    raw, listeners, records = load(args.corpus)
    if args.quick:
        rng = random.Random(0)
        records = rng.sample(records, 80)
    items = requests_for(records, listeners)
    print(f"corpus: {len(records)} stories over {len(listeners)} listeners ({args.corpus})")

    caught, total = deterministic(items)
    table("deterministic layer (grounding + output safety), no LLM", caught, total)
    kinds = [k for k in DETERMINISTIC_KINDS if total[k]]
    if kinds:
        recall = sum(caught[k] for k in kinds) / sum(total[k] for k in kinds)
        frr = caught["good"] / max(1, total["good"])
        print(
            f"  number/name/rank/date recall {recall:.1%} (target >= 95%), false rejects {frr:.1%} (target <= 3%)"
        )

    cold, warm = throughput(raw, records, repeat=1 if args.quick else 3)
    print(
        "\nthroughput without the judge, one core (stories per CPU-second of the checking thread):"
    )
    print(
        f"  cold (first story of each listener-day) {cold:8.0f} stories/s  ratio to 500/s target {cold / TARGET_PER_S:.2f}"
    )
    print(
        f"  warm (re-check, e.g. regeneration)      {warm:8.0f} stories/s  ratio to 500/s target {warm / TARGET_PER_S:.2f}"
    )

    caught2, total2, unscored, elapsed, calls = asyncio.run(full_gate(items, args.concurrency))
    table("full gate (deterministic + deepeval judge on the scripted server)", caught2, total2)
    worst = min((caught2[k] / total2[k], k) for k in total2 if k != "good")
    print(f"  lowest defect recall: {worst[1]} {worst[0]:.1%} (target >= 95% on every kind)")
    print(
        f"  unscored stories: {sum(unscored.values())}; judge calls {calls} in {elapsed:.1f} s "
        f"({calls / max(elapsed, 1e-9):.0f} calls/s, {len(items) / max(elapsed, 1e-9):.1f} stories/s)"
    )


if __name__ == "__main__":
    main()
