"""Client throughput and CPU cost against the scripted server (100 ms latency, own process).

The question: does the client keep many calls in flight cheaply? With L = 100 ms latency and
C calls in flight, the ideal is C / L requests per second (160/s at 16, 640/s at 64); anything
short of that is client (or machine) overhead. Client CPU per call is this process's CPU time
divided by the calls (the server runs in a separate process and is measured separately).

Reference (same run): a bare aiohttp client posting the same bodies to the same server, i.e.
the floor for any Python client on this machine; the SDK-based client is shown as a ratio.

    /work/venv/bin/python benchmarks/bench_llm_client.py           # full
    /work/venv/bin/python benchmarks/bench_llm_client.py --quick   # smoke size
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import aiohttp

from wrapped.llm import ChatClient
from wrapped.settings import Settings
from wrapped.story import Draft
from wrapped.testing import Script, ScriptedServer

LATENCY_MS = 100.0


class Result(NamedTuple):
    label: str
    concurrency: int
    calls: int
    elapsed_s: float
    client_cpu_s: float
    server_cpu_s: float
    p50_ms: float
    p95_ms: float
    client_wait_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.calls / self.elapsed_s

    @property
    def ideal(self) -> float:
        return self.concurrency / (LATENCY_MS / 1000.0)

    @property
    def cpu_ms_per_call(self) -> float:
        return 1000.0 * self.client_cpu_s / self.calls


def messages(i: int) -> list[dict]:
    """A realistic-size prompt (~7 KB, like a rendered v1 prompt), unique per call."""
    log = [
        {"time": f"{8 + k // 6:02d}:{(k * 7) % 60:02d}", "kind": "track", "title": f"Song {k}",
         "by": f"Artist {k % 9}", "minutes": 3.5}
        for k in range(40)
    ]  # fmt: skip
    block = {
        "request": {"day": "2024-03-01", "category": "biggest_music_day", "locale": "en-GB",
                    "attempt": 1},
        "listener": {"user_id": f"u_{i:016x}", "days": [{"log": log}]},
        "previous_stories": [],
        "feedback": [],
    }  # fmt: skip
    system = "You write warm, witty, grounded year-in-review stories. " * 20
    user = f"<listener_data>\n{json.dumps(block, sort_keys=True)}\n</listener_data>"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def run_queue_wait() -> float:
    """Seconds this process's main thread spent runnable but waiting for a core (schedstat)."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_client(
    srv: ScriptedServer, concurrency: int, calls: int, *, transport: str, sdk_path: str,
    cache_dir: Path,
) -> Result:  # fmt: skip
    settings = Settings(
        base_url=srv.base_url, model="scripted", cache=False, concurrency=concurrency,
        cache_path=cache_dir / "unused.sqlite3", timeout_s=30.0,
    )  # fmt: skip
    client = ChatClient(settings, transport=transport, sdk_path=sdk_path)  # type: ignore[arg-type]
    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    # prompts are rendered before the clock starts: rendering is not the client's work
    prompts = {i: messages(i) for i in range(-concurrency, calls)}

    async def one(i: int) -> None:
        async with sem:
            t = time.perf_counter()
            done = await client.complete(prompts[i], schema=Draft, cache=False)
            latencies.append(time.perf_counter() - t)
            assert isinstance(done.parsed, Draft)

    await asyncio.gather(*[one(-1 - i) for i in range(concurrency)])  # warm the pool
    latencies.clear()
    pid = srv._proc.pid  # type: ignore[union-attr]
    s0, c0, t0, w0 = server_cpu(pid), time.process_time(), time.perf_counter(), run_queue_wait()
    await asyncio.gather(*[one(i) for i in range(calls)])
    elapsed, cpu, scpu = time.perf_counter() - t0, time.process_time() - c0, server_cpu(pid) - s0
    wait = run_queue_wait() - w0
    await client.aclose()
    q = statistics.quantiles(latencies, n=20)
    label = f"wrapped ChatClient ({transport}, {sdk_path})"
    return Result(label, concurrency, calls, elapsed, cpu, scpu, 1000 * q[9], 1000 * q[18], wait)


async def run_reference(srv: ScriptedServer, concurrency: int, calls: int) -> Result:
    """Bare aiohttp posting the same bodies: the floor for a Python client here."""
    url = f"{srv.base_url}/chat/completions"
    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=2 * concurrency)
    prompts = {i: messages(i) for i in range(-concurrency, calls)}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i: int) -> None:
            async with sem:
                t = time.perf_counter()
                body = {"model": "scripted", "messages": prompts[i], "max_tokens": 600}
                async with session.post(url, json=body) as resp:
                    data = json.loads(await resp.read())
                Draft.model_validate_json(data["choices"][0]["message"]["content"])
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*[one(-1 - i) for i in range(concurrency)])
        latencies.clear()
        pid = srv._proc.pid  # type: ignore[union-attr]
        s0, c0, t0, w0 = server_cpu(pid), time.process_time(), time.perf_counter(), run_queue_wait()
        await asyncio.gather(*[one(i) for i in range(calls)])
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        scpu, wait = server_cpu(pid) - s0, run_queue_wait() - w0
    q = statistics.quantiles(latencies, n=20)
    return Result("reference: bare aiohttp", concurrency, calls, elapsed, cpu, scpu,
                  1000 * q[9], 1000 * q[18], wait)  # fmt: skip


def wave_model(r: Result) -> float:
    """The rate a closed loop of C identical-latency calls can reach when each reply costs
    `cpu` of serial work on one thread: replies land in waves of C, and the k-th of a wave
    waits for the k-1 before it, so a cycle lasts L + C * cpu / 2 on average."""
    return r.concurrency / (LATENCY_MS / 1000.0 + r.concurrency * r.client_cpu_s / r.calls / 2)


def verdict(r: Result) -> str:
    """What limits this run, from the CPU each side used and the client's run-queue wait."""
    busy = r.client_cpu_s / r.elapsed_s
    waited = r.client_wait_s / r.elapsed_s
    server_busy = r.server_cpu_s / r.elapsed_s
    model = wave_model(r)
    parts = [
        f"client thread busy {busy:.0%} and waiting for a core {waited:.0%} of the run, "
        f"server busy {server_busy:.0%}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores",
        f"the one-thread wave model predicts {model:.0f}/s ({model / r.ideal:.0%} of ideal) "
        f"from {r.cpu_ms_per_call:.2f} ms/call",
    ]
    if r.rate / r.ideal >= 0.95:
        head = "nothing: at the latency bound (C / 100 ms)"
    elif waited >= 0.10:
        head = "CPU contention: the client was runnable but other processes held the cores"
    elif busy >= 0.8:
        head = "client CPU: its one event-loop thread is saturated"
    else:
        head = "per-call client CPU, serialised in waves (see the model)"
    return f"{head}\n      ({'; '.join(parts)})"


def show(r: Result, ref: Result | None = None) -> None:
    ratio = f"  {r.rate / ref.rate:.0%} of reference" if ref else ""
    print(
        f"  {r.label:<44} c={r.concurrency:<3} {r.rate:6.0f}/s of ideal {r.ideal:.0f}/s "
        f"({r.rate / r.ideal:.0%})  client CPU {r.cpu_ms_per_call:.2f} ms/call  "
        f"server CPU {1000 * r.server_cpu_s / r.calls:.2f} ms/call  "
        f"p50 {r.p50_ms:.0f} ms p95 {r.p95_ms:.0f} ms{ratio}"
    )


async def main(quick: bool) -> None:
    per_slot = 5 if quick else 25
    script = Script(reply="fixed", latency_ms=LATENCY_MS)
    with tempfile.TemporaryDirectory() as tmp, ScriptedServer(script, mode="process") as srv:
        cache_dir = Path(tmp)
        print(f"scripted server: {srv.base_url}, latency {LATENCY_MS:.0f} ms, separate process; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        results: list[Result] = []
        for c in (16, 64):
            ref = await run_reference(srv, c, c * per_slot)
            r = await run_client(srv, c, c * per_slot, transport="aiohttp", sdk_path="post",
                                 cache_dir=cache_dir)  # fmt: skip
            print(f"concurrency {c}: ideal {c * 10}/s")
            show(ref)
            show(r, ref)
            print(f"    limited by: {verdict(r)}")
            results.append(r)
        if not quick:
            print("alternatives at concurrency 64 (same server):")
            for transport, path in (("aiohttp", "create"), ("httpx", "post"), ("httpx", "create")):
                alt = await run_client(srv, 64, 64 * per_slot, transport=transport,
                                       sdk_path=path, cache_dir=cache_dir)  # fmt: skip
                show(alt)
            # The server itself must not be the limit: drive it past 640/s with the bare client.
            cap = await run_reference(srv, 128, 128 * per_slot)
            print("server capacity (bare client, c=128, ideal 1280/s):")
            show(cap)
        r16, r64 = results
        print("summary:")
        print(f"  c=16: {r16.rate:.0f}/s = {r16.rate / r16.ideal:.0%} of the ideal 160/s "
              f"(target >= 90%: {'met' if r16.rate >= 0.9 * r16.ideal else 'NOT met'})")  # fmt: skip
        print(f"  c=64: ideal 640/s, achieved {r64.rate:.0f}/s, client CPU "
              f"{r64.cpu_ms_per_call:.2f} ms/call (target <= 2 ms: "
              f"{'met' if r64.cpu_ms_per_call <= 2 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke size")
    asyncio.run(main(parser.parse_args().quick))
