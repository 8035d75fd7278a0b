"""Review tool benchmark: sampling a large stored run, and the review page's latency.

    .venv/bin/python benchmarks/bench_review.py              # 1,000,000 stories; 10,000-story set
    .venv/bin/python benchmarks/bench_review.py --quick      # 20,000 stories; 2,000-story set

1. Sampling: a synthetic run (tests/_review_synth.py: listeners, stories and verdicts built
   through the store's models and written as sealed shards) of --stories stories, then
   `wrapped.review.draw` of 200 with the default strata. Reference, same run: iterating the same
   run's stories through `RunStore.stories()` alone (the floor: reading them once, typed).
   Target: < 30 s.
2. Page latency: a review set of --set stories drawn from a run, served by a real
   `wrapped review serve` subprocess; GET /story/<id> for random ids (p50, p95). Reference, same
   run: GET of the app's static stylesheet (the HTTP stack's own floor). Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import httpx  # noqa: E402
from _review_synth import make_run  # noqa: E402

from wrapped.review import draw  # noqa: E402
from wrapped.store import RunStore  # noqa: E402


def bench_sampling(tmp: Path, stories: int) -> None:
    t = time.perf_counter()
    run = make_run(tmp / "big", listeners=stories // 5, days=5, seed=1, shard_size=5000)
    print(f"made a synthetic run of {stories:,} stories in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    n = sum(1 for _ in RunStore.open(run).stories())
    ref = time.perf_counter() - t
    t = time.perf_counter()
    rs = draw([run], n=200, out=tmp / "big-review", seed=1)
    took = time.perf_counter() - t
    print(
        f"sampling: {rs.count()} of {n:,} stories in {took:.1f} s (target < 30 s; "
        f"{n / took:,.0f} stories/s) | reference: reading the stories once through "
        f"RunStore.stories() {ref:.1f} s ({took / ref:.1f}x)"
    )


def bench_page(tmp: Path, size: int, requests: int) -> None:
    run = make_run(tmp / "mid", listeners=size // 5, days=5, seed=2)
    folder = tmp / "mid-review"
    draw([run], n=size, out=folder, seed=2)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wrapped", "review", "serve", str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        url = re.search(r"http://\S+", proc.stdout.readline()).group(0)  # type: ignore[union-attr]
        base = url.split("/?token=")[0]
        with httpx.Client(base_url=base, timeout=30) as c:
            c.get(url)
            page = c.get("/", follow_redirects=True).text
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            c.post("/reviewer", data={"csrf": csrf, "name": "bench"})
            ids = list(range(1, size + 1))
            rng = random.Random(0)
            for i in rng.sample(ids, 20):  # warm up, and label a few so reveal pages are timed
                c.post(f"/story/{i}/label", data={"csrf": csrf, "verdict": "approve"})
            pages, floor = [], []
            for i in rng.choices(ids, k=requests):
                t = time.perf_counter()
                r = c.get(f"/story/{i}")
                pages.append(time.perf_counter() - t)
                assert r.status_code == 200, r.status_code
                t = time.perf_counter()
                c.get("/static/review.css")
                floor.append(time.perf_counter() - t)
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    def q(xs: list[float], p: float) -> float:
        return statistics.quantiles(xs, n=100)[p - 1] * 1000

    print(
        f"page latency over a {size:,}-story set, {requests} pages: p50 {q(pages, 50):.1f} ms, "
        f"p95 {q(pages, 95):.1f} ms (target p95 < 100 ms) | reference: the static stylesheet "
        f"from the same server p50 {q(floor, 50):.1f} ms, p95 {q(floor, 95):.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--stories", type=int, default=None, help="stories in the sampled run")
    ap.add_argument("--set", type=int, default=None, help="stories in the served review set")
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    stories = args.stories or (20_000 if args.quick else 1_000_000)
    size = args.set or (2_000 if args.quick else 10_000)
    with tempfile.TemporaryDirectory(prefix="bench_review-") as tmp:
        bench_sampling(Path(tmp), stories)
        bench_page(Path(tmp), size, args.requests)


if __name__ == "__main__":
    main()
