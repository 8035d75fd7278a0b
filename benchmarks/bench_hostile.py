"""Benchmark: the big hostile inputs of issue 24, each through the real CLI in its own process.

- a ~9 KB nested zip bomb (a zip in a zip, one member expanding to 5 GiB): refused, exit 2,
  in under 5 s and below 500 MB;
- ten million rejected records (a 30 MB file of `{}`): ingested, peak memory under 2 GB, every
  reject counted, rejects.jsonl holding the first `max_rejects_written` of each reason (MB, not
  the 1.5 GB one line per reject would take);
- 1,100 listener zips with the open-file limit at 256: ingested.

Each case runs `python -m wrapped ingest` as a child; its peak memory is that child's own
ru_maxrss (os.wait4), its time the wall clock around it, and `cpu_s` the CPU it used (on a
loaded machine the wall clock mostly measures the wait for a core). The inputs come from hostile_gen.py.

    .venv/bin/python benchmarks/bench_hostile.py            # all three
    .venv/bin/python benchmarks/bench_hostile.py bomb zips  # some
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hostile_gen as gen

TARGETS = {"bomb": (5.0, 500.0), "rejects": (None, 2048.0), "zips": (None, None)}


def _run(args: list[str], nofile: int | None = None) -> dict[str, object]:
    """Run `wrapped ARGS` in a child; exit code, seconds, peak MB, last stderr line."""

    def limit() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    # a salt of our own, as a deployment sets one: the default-salt note would be the first line
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", WRAPPED_SALT="bench-hostile-salt")
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wrapped", *args], stdout=out, stderr=err, preexec_fn=limit,
            env=env,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        err.seek(0)
        out.seek(0)
        lines = (err.read() + out.read()).decode("utf-8", "replace").strip().splitlines()
    return {
        "exit": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        # CPU the child used: on a shared machine the wall clock also counts waiting for a core
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "said": lines[0][:200] if proc.returncode else (lines[0] if lines else ""),
    }


def bench(case: str, work: Path) -> dict[str, object]:
    folder = work / case
    if case == "bomb":
        path = gen.zip_bomb(folder)
        res = _run(["ingest", str(path), "--out", str(work / "out-bomb"), "--no-progress"])
        res["input_bytes"] = path.stat().st_size
        res["ok"] = res["exit"] == 2 and "zip bomb" in str(res["said"])
    elif case == "rejects":
        gen.many_rejects(folder, 10_000_000)
        res = _run(["ingest", str(folder), "--out", str(work / "out-rejects"), "--no-progress"])
        report = json.loads((work / "out-rejects" / "ingest_report.json").read_text())
        res["rejected"] = report["rejected"]
        res["rejects_written"] = report["rejects_written"]
        disk = (work / "out-rejects" / "rejects.jsonl").stat().st_size
        res["rejects_disk_mb"] = round(disk / 2**20, 2)
        res["ok"] = res["exit"] == 0 and report["rejected"] == 9_999_999
    else:
        gen.many_zips(folder, 1100)
        res = _run(
            ["ingest", str(folder), "--out", str(work / "out-zips"), "--no-progress"], nofile=256
        )
        report = json.loads((work / "out-zips" / "ingest_report.json").read_text())
        res["listeners"] = report["users"]
        res["ok"] = res["exit"] == 0 and report["users"] == 1100
    max_s, max_mb = TARGETS[case]
    if max_s is not None:
        res["ok"] = bool(res["ok"]) and float(res["seconds"]) < max_s  # type: ignore[arg-type]
    if max_mb is not None:
        res["ok"] = bool(res["ok"]) and float(res["peak_mb"]) < max_mb  # type: ignore[arg-type]
    return res


def main() -> int:
    cases = sys.argv[1:] or list(TARGETS)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for case in cases:
            results[case] = bench(case, Path(tmp))
            print(json.dumps({case: results[case]}), flush=True)
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
