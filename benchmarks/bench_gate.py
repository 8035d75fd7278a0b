"""Gate benchmark: per-kind recall counted only when the kind's OWN rule caught the defect,
false rejects on good stories, every miss listed, and deterministic throughput on one core.

    /work/venv/bin/python benchmarks/bench_gate.py                  # dev split, no judge
    /work/venv/bin/python benchmarks/bench_gate.py --split test     # the held-out split
    /work/venv/bin/python benchmarks/bench_gate.py --split all --misses   # list every miss
    /work/venv/bin/python benchmarks/bench_gate.py --judge          # also the full gate
    /work/venv/bin/python benchmarks/bench_gate.py --quick          # a small smoke sample

Splits (see evals/gate_corpus/README.md): `dev` = `stories.jsonl` + `dev/stories.jsonl` (what the
rules were tuned on), `test` = `test/stories.jsonl` with `test/listeners.jsonl` (written apart,
only measured). A defect counts as caught only when a check of its own kind failed (`OWN_RULES`):
a wrong number caught only because a name check misfired is a miss. Good stories: any failing
deterministic check is a false reject; reported over all good stories and over those that keep
the format rules. Throughput is measured without the judge, pinned to one core: "cold" = each
listener's first story (includes the per-listener input-side screening and fact index), "warm" =
re-checking (the regeneration case), under the collector settings every scoring process uses
(`wrapped.heap`), and once more under CPython's defaults. Reference: the 1,000 stories/s target,
printed as a ratio.
The full gate's judge (`--judge`) is served by the scripted server on 127.0.0.1, through the real
openai SDK and deepeval.
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
TARGET_PER_S = 1000.0
#: kind -> what counts as its own rule: a safety check name, or "grounding:<claim kinds>"
OWN_RULES: dict[str, tuple[str, ...]] = {
    "hallucinated_artist": ("grounding:name",),
    "wrong_count": ("grounding:number",),
    "wrong_rank": ("grounding:rank", "grounding:comparison"),
    "wrong_date": ("grounding:date", "grounding:month"),
    "wrong_weekday": ("grounding:weekday",),
    "pii": ("safety.pii",),
    "obfuscated_unsafe": ("safety.lexicon",),
    "unsafe_mention": ("safety.lexicon",),
    "unsafe_title": ("safety.flagged_title",),
    "injection_echo": ("safety.injection",),
    "shaming": ("safety.shaming",),
    "sensitive_inference": ("safety.sensitive",),
}
FACTUAL = ("hallucinated_artist", "wrong_count", "wrong_rank", "wrong_date", "pii",
           "obfuscated_unsafe")  # fmt: skip
SEMANTIC = ("unsafe_mention", "injection_echo", "shaming", "sensitive_inference")
#: kinds only the LLM judge can see (tone of a repeat, spelling of a locale)
JUDGE_ONLY = ("repetition", "wrong_locale")


def _read_jsonl(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def load(corpus: Path, split: str = "dev"):
    """(raw listener lines, {user_id: UserYear}, story records) of `split` (dev | test | all).

    Listeners come from `listeners.jsonl` and, when present, `dev/` and `test/listeners.jsonl`
    (a test listener may be absent from the dev file). UserYear lines from an older stats
    version load too: fields added later have defaults (see the corpus README)."""
    from wrapped.stats.model import UserYear

    raw_listeners: list[str] = []
    for sub in ("", "dev", "test"):
        path = corpus / sub / "listeners.jsonl"
        if path.exists() and (sub != "test" or split in ("test", "all")):
            raw_listeners += _read_jsonl(path)
    files = {"dev": [corpus / "stories.jsonl", corpus / "dev" / "stories.jsonl"],
             "test": [corpus / "test" / "stories.jsonl"]}  # fmt: skip
    wanted = ("dev", "test") if split == "all" else (split,)
    records = []
    for part in wanted:
        for path in files[part]:
            if path.exists():
                for line in _read_jsonl(path):
                    r = json.loads(line)
                    r.setdefault("split", part)
                    records.append(r)
    if not records:
        raise SystemExit(f"no stories for split {split!r} under {corpus}")
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


def own_rule(label: str, checks) -> bool:
    """Did a check of `label`'s own kind fail?"""
    for rule in OWN_RULES.get(label, ()):
        if rule.startswith("grounding:"):
            kinds = rule.split(":", 1)[1]
            for c in checks:
                if c.name == "grounding" and c.status == "fail":
                    if any(not cl.grounded and cl.kind == kinds for cl in c.claims):
                        return True
        elif any(c.name == rule and c.status == "fail" for c in checks):
            return True
    return False


def deterministic(items):
    """Per label: (total, caught by own rule, caught by any rule, misses), and format failures."""
    from wrapped.gate.policy import deterministic_checks

    total: Counter = Counter()
    own: Counter = Counter()
    anyr: Counter = Counter()
    fmt_ok: Counter = Counter()
    fmt_ok_rejected: Counter = Counter()
    misses: list = []
    ctx = contexts()
    for r, draft, req in items:
        checks = deterministic_checks(draft, req, ctx(req))
        label = r["label"]
        failed = [c for c in checks if c.status == "fail"]
        total[label] += 1
        anyr[label] += bool(failed)
        if label == "good":
            keeps_format = all(c.status != "fail" for c in checks if c.name == "format")
            fmt_ok[label] += keeps_format
            if keeps_format and failed:
                fmt_ok_rejected[label] += 1
            if failed:
                misses.append((r, [x for c in failed for x in c.reasons or [c.name]]))
            continue
        hit = own_rule(label, checks)
        own[label] += hit
        if not hit and label in OWN_RULES:
            misses.append((r, [x for c in failed for x in c.reasons or [c.name]]))
    return total, own, anyr, fmt_ok, fmt_ok_rejected, misses


def report(total, own, anyr, fmt_ok, fmt_ok_rejected) -> None:
    print(f"\n  {'kind':22s} {'own rule':>11s} {'recall':>7s} {'any rule':>9s}  target")
    for label in sorted(total, key=lambda k: (k == "good", k not in FACTUAL, k)):
        if label == "good":
            continue
        n = total[label]
        if label in JUDGE_ONLY:
            print(f"  {label:22s} {'-':>11s} {'-':>7s} {anyr[label]:>4d}/{n:<4d}  judge only")
            continue
        target = "97%" if label in FACTUAL else "90%" if label in SEMANTIC else "-"
        print(f"  {label:22s} {own[label]:>5d}/{n:<5d} {own[label] / n:7.1%} "
              f"{anyr[label]:>4d}/{n:<4d}  {target}")  # fmt: skip
    g = total["good"]
    if g:
        print(f"  {'good: false rejects':22s} {anyr['good']:>5d}/{g:<5d} {anyr['good'] / g:7.1%}")
        k = fmt_ok["good"]
        print(f"  {'  (keeping format)':22s} {fmt_ok_rejected['good']:>5d}/{k:<5d} "
              f"{fmt_ok_rejected['good'] / max(1, k):7.1%}            2% max")  # fmt: skip


def print_misses(misses) -> None:
    print("\nmisses (defects not caught by their own rule; good stories rejected):")
    for r, reasons in misses:
        print(f"- [{r['split']}] {r['id']} {r['label']} ({r.get('detail', '')})")
        print(f"    story: {r['title']} | {r['story']}")
        print(f"    fired: {'; '.join(reasons) if reasons else '(nothing)'}")


def throughput(raw_listeners, records, repeat: int, heap: bool = True) -> tuple[float, float]:
    """(cold, warm) stories per CPU-second on one core, deterministic layer only; with `heap`,
    under the collector settings of every process that scores stories (`wrapped.heap`: the
    batch worker, rescoring), else under CPython's defaults."""
    import contextlib

    from wrapped.gate.policy import deterministic_checks
    from wrapped.heap import scoring_heap
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
        with scoring_heap() if heap else contextlib.nullcontext():
            # CPU time of this thread: the machine is shared, wall time would measure others
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
    ap = argparse.ArgumentParser(description="gate recall per kind, false rejects and throughput")
    ap.add_argument("--quick", action="store_true", help="a small smoke sample")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--misses", action="store_true", help="list every miss with its text")
    ap.add_argument("--judge", action="store_true", help="also run the full gate (scripted judge)")
    ap.add_argument("--concurrency", type=int, default=16, help="judge calls in flight")
    args = ap.parse_args(argv)
    from wrapped.settings import deepeval_offline_env

    os.environ.update(deepeval_offline_env())
    sys.path.insert(0, str(REPO))

    raw, listeners, records = load(args.corpus, args.split)
    if args.quick:
        records = random.Random(0).sample(records, min(80, len(records)))
    items = requests_for(records, listeners)
    print(f"corpus: {len(records)} stories ({args.split} split) over {len(listeners)} listeners")
    total, own, anyr, fmt_ok, fmt_rej, misses = deterministic(items)
    print("deterministic layers (format + grounding + output safety), no LLM; recall = caught by")
    print("the kind's own rule (OWN_RULES), 'any rule' = caught by any check")
    report(total, own, anyr, fmt_ok, fmt_rej)
    if args.misses:
        print_misses(misses)

    repeat = 1 if args.quick else 3
    cold, warm = throughput(raw, records, repeat)
    cold0, warm0 = throughput(raw, records, repeat, heap=False)
    print(
        "\nthroughput without the judge, one core (stories per CPU-second of the checking thread),"
        "\nunder the collector settings of the processes that score (wrapped.heap):"
    )
    print(f"  cold (first story of each listener-day) {cold:8.0f} stories/s  "
          f"ratio to {TARGET_PER_S:.0f}/s target {cold / TARGET_PER_S:.2f}")  # fmt: skip
    print(f"  warm (re-check, e.g. regeneration)      {warm:8.0f} stories/s  "
          f"ratio to {TARGET_PER_S:.0f}/s target {warm / TARGET_PER_S:.2f}")  # fmt: skip
    print(f"  under CPython's default collector settings: cold {cold0:.0f}, warm {warm0:.0f}")
    if not args.judge:
        return
    caught2, total2, unscored, elapsed, calls = asyncio.run(full_gate(items, args.concurrency))
    print("\nfull gate (deterministic + deepeval judge on the scripted server), any rule:")
    for label in sorted(total2, key=lambda k: (k != "good", k)):
        print(f"  {label:22s} {caught2[label]:>4d}/{total2[label]:<4d} "
              f"{caught2[label] / total2[label]:7.1%}")  # fmt: skip
    print(
        f"  unscored stories: {sum(unscored.values())}; judge calls {calls} in {elapsed:.1f} s "
        f"({calls / max(elapsed, 1e-9):.0f} calls/s, {len(items) / max(elapsed, 1e-9):.1f} stories/s)"
    )


if __name__ == "__main__":
    main()
