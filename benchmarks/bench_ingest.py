"""Benchmark: ingest a generated Spotify extended streaming history.

Generates N records (default 1,000,000) as real Spotify extended files (16,000 records per
`Streaming_History_Audio_*.json`, pretty-printed like Spotify's, private fields included), one
folder per listener, then runs `wrapped.ingest.ingest` + `write_ingest` in a fresh subprocess and
prints records/second and that process's peak memory (ru_maxrss). The reference, in the same
run and also in its own subprocess, is plain `json.load` of the same files (parse only, nothing
validated or written) - so the ratio says what ingest costs over just reading the JSON.

    .venv/bin/python benchmarks/bench_ingest.py            # 1,000,000 records
    .venv/bin/python benchmarks/bench_ingest.py --quick    # 50,000 records (smoke)
    .venv/bin/python benchmarks/bench_ingest.py --against 3f6920d --repeat 3
    .venv/bin/python benchmarks/bench_ingest.py --data /tmp/history-1m   # generate once, reuse

`--against REV` also ingests the same files with the code of git revision REV (extracted to a
temporary folder and put first on PYTHONPATH), alternating with this code `--repeat` times, so a
change's cost on valid input is measured in the same minutes on the same noisy machine.
`--data DIR` keeps the generated files in DIR and reads them again on the next run with the same
size (generating 1,000,000 records takes longer than ingesting them several times).

Targets (issue 2): >= 200,000 records/s on a 2-core machine, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHILD_INGEST = """
import json, resource, sys, time
def peak_mb():
    # VmHWM belongs to this process image (ru_maxrss would carry the parent's peak over exec).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import wrapped
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
                  "maxrss_mb": peak_mb(), "code": wrapped.__file__}))
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


def generated(root: Path, n_records: int) -> tuple[int, float]:
    """Files of `n_records` under `root`, generated unless a run of the same size left them there;
    returns (bytes, seconds spent generating)."""
    stamp = root / "records.txt"
    if stamp.exists() and stamp.read_text().strip() == str(n_records):
        return sum(p.stat().st_size for p in root.rglob("*.json")), 0.0
    if root.exists() and any(root.iterdir()):
        sys.exit(f"{root}: not empty and not a --data folder of {n_records:,} records")
    t0 = time.perf_counter()
    size = generate(root, n_records)
    stamp.write_text(f"{n_records}\n")
    return size, time.perf_counter() - t0


def run_child(code: str, *args: str, code_dir: Path | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if code_dir is not None:  # this revision's `wrapped` first on the path
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code_dir), env.get("PYTHONPATH")]))
    out = subprocess.run(  # run from / : the current folder comes first on sys.path
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env,
        cwd="/",
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def extract(rev: str, target: Path) -> Path:
    """The `wrapped` package of git revision `rev`, extracted under `target`."""
    repo = Path(__file__).resolve().parent.parent
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", rev, "wrapped"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _line(label: str, ing: dict[str, Any]) -> str:
    rate = ing["read"] / ing["total_s"]
    return (
        f"{label}: {ing['total_s']:.2f} s  {rate:,.0f} records/s  "
        f"(ingest only {ing['read'] / ing['ingest_s']:,.0f}/s)  cpu {ing['cpu_s']:.1f} s  "
        f"peak RSS {ing['maxrss_mb']:,.0f} MB"
    )


def compare(root: Path, out: Path, rev: str, repeat: int) -> None:
    """This code and revision `rev`, alternating on the same files; the median of each."""
    old = extract(rev, out / "reference-code")
    mine: list[float] = []
    theirs: list[float] = []
    cpu: tuple[list[float], list[float]] = ([], [])
    for i in range(repeat):
        a = run_child(CHILD_INGEST, str(root), str(out / f"out-a{i}"))
        b = run_child(CHILD_INGEST, str(root), str(out / f"out-b{i}"), code_dir=old)
        assert str(old) in b["code"] and str(old) not in a["code"], (a["code"], b["code"])
        mine.append(a["read"] / a["total_s"])
        theirs.append(b["read"] / b["total_s"])
        cpu[0].append(a["cpu_s"])
        cpu[1].append(b["cpu_s"])
        print(_line(f"run {i + 1} this code   ", a))
        print(_line(f"run {i + 1} {rev[:12]:<12}", b), flush=True)
    m, t = statistics.median(mine), statistics.median(theirs)
    print(
        f"median         : this code {m:,.0f} records/s, {rev} {t:,.0f} records/s "
        f"({m / t:.2f}x the reference, {repeat} alternating runs); CPU seconds "
        f"{statistics.median(cpu[0]):.1f} vs {statistics.median(cpu[1]):.1f} (steadier than the "
        "wall clock on a shared machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 records: a smoke run")
    parser.add_argument(
        "--records", type=int, default=None, help="number of records (default 1,000,000)"
    )
    parser.add_argument(
        "--against", metavar="REV", default=None, help="also time git revision REV's ingest"
    )
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs with --against")
    parser.add_argument(
        "--data", type=Path, default=None, help="keep the generated files here and reuse them"
    )
    args = parser.parse_args()
    n = args.records or (50_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = args.data or Path(tmp) / "history"
        size, gen_s = generated(root, n)
        files = len(list(root.rglob("*.json")))
        print(
            f"{'generated' if gen_s else 'reused'} {n:,} Spotify extended records in {files} "
            f"files ({size / 1e6:,.0f} MB){f' in {gen_s:.1f} s' if gen_s else ''}"
        )
        if args.against:
            compare(root, Path(tmp), args.against, args.repeat)
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
