"""Benchmark: ingest a generated Spotify extended streaming history.

Generates N records (default 1,000,000) as real Spotify extended files (16,000 records per
`Streaming_History_Audio_*.json`, pretty-printed like Spotify's, private fields included), one
folder per listener, then runs `wrapped.ingest.ingest` + `write_ingest` in a fresh subprocess and
prints records/second and that process's peak memory (ru_maxrss). The reference, in the same
run and also in its own subprocess, is plain `json.load` of the same files (parse only, nothing
validated or written) - so the ratio says what ingest costs over just reading the JSON.

    /work/venv/bin/python benchmarks/bench_ingest.py            # 1,000,000 records
    /work/venv/bin/python benchmarks/bench_ingest.py --quick    # 50,000 records (smoke)

Targets (issue 2): >= 200,000 records/s on a 2-core machine, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD_INGEST = """
import json, resource, sys, time
def peak_mb():
    # VmHWM belongs to this process image (ru_maxrss would carry the parent's peak over exec).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from wrapped.ingest import ingest, write_ingest
from wrapped.settings import Settings
t0 = time.perf_counter()
result = ingest([sys.argv[1]], settings=Settings())
t1 = time.perf_counter()
write_ingest(result, sys.argv[2])
t2 = time.perf_counter()
r = result.report
print(json.dumps({"read": r.read, "accepted": r.accepted, "rejected": r.rejected, "dropped": r.dropped,
                  "adds_up": r.adds_up(), "ingest_s": t1 - t0, "total_s": t2 - t0,
                  "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
                  "maxrss_mb": peak_mb()}))
"""

CHILD_JSON = """
import json, pathlib, resource, sys, time
def peak_mb():
    # VmHWM belongs to this process image (ru_maxrss would carry the parent's peak over exec).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.json")):
    with p.open("rb") as fh:
        n += len(json.load(fh))
t1 = time.perf_counter()
print(json.dumps({"read": n, "total_s": t1 - t0, "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
                  "maxrss_mb": peak_mb()}))
"""


def generate(root: Path, n_records: int, seed: int = 0) -> int:
    """Write `n_records` Spotify extended records (one folder per ~50k records); returns bytes."""
    from wrapped.demo import generate_canonical
    from wrapped.demo.exports import extended_records, write_extended_history

    n_users = max(1, n_records // 50_000)
    data = generate_canonical(n_records, n_users, seed=seed)
    total = 0
    for no, (_user, ev) in enumerate(data.events.groupby("user_id", sort=True)):
        recs = extended_records(
            ev.reset_index(drop=True), layout="current", ip=f"192.0.2.{no % 250}", seed=no
        )
        for path in write_extended_history(root / f"listener{no:04d}", recs):
            total += path.stat().st_size
    return total


def run_child(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 records: a smoke run")
    parser.add_argument(
        "--records", type=int, default=None, help="number of records (default 1,000,000)"
    )
    args = parser.parse_args()
    n = args.records or (50_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp) / "history"
        t0 = time.perf_counter()
        size = generate(root, n)
        gen_s = time.perf_counter() - t0
        files = len(list(root.rglob("*.json")))
        print(
            f"generated {n:,} Spotify extended records in {files} files ({size / 1e6:,.0f} MB) in {gen_s:.1f} s"
        )
        ing = run_child(CHILD_INGEST, str(root), str(Path(tmp) / "out"))
        ref = run_child(CHILD_JSON, str(root))
    assert ing["read"] == n and ing["adds_up"], ing
    rate = ing["read"] / ing["total_s"]
    rate_ingest_only = ing["read"] / ing["ingest_s"]
    ref_rate = ref["read"] / ref["total_s"]
    print(
        f"ingest + write : {ing['total_s']:.2f} s  {rate:,.0f} records/s  peak RSS {ing['maxrss_mb']:,.0f} MB  "
        f"(accepted {ing['accepted']:,}, rejected {ing['rejected']:,}, dropped {ing['dropped']:,})"
    )
    print(f"ingest only    : {ing['ingest_s']:.2f} s  {rate_ingest_only:,.0f} records/s")
    print(
        f"reference      : json.load only {ref['total_s']:.2f} s  {ref_rate:,.0f} records/s  peak RSS {ref['maxrss_mb']:,.0f} MB"
    )
    print(f"ratio          : ingest+write is {rate / ref_rate:.2f}x the speed of a bare json.load")
    print(
        f"cpu time       : ingest+write {ing['cpu_s']:.1f} s (2 DuckDB threads), json.load {ref['cpu_s']:.1f} s; "
        f"load average during the run {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(other work on the machine slows both sides alike)"
    )
    print(
        f"targets        : >= 200,000 records/s {'MET' if rate >= 200_000 else 'MISSED'}; "
        f"peak < 2 GB {'MET' if ing['maxrss_mb'] < 2048 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
