"""`ScriptedServer`: run the scripted server on 127.0.0.1 for a test, a benchmark or a drill.

`mode="thread"` runs it on its own event loop in a daemon thread (starts in milliseconds: the
default for tests); `mode="process"` runs it in a separate process, so its CPU does not compete
with the client's under the GIL (what the benchmark uses). Both speak real HTTP; the log and
the script are reached over HTTP (`GET /_log`, `POST /_script`) in both modes.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import threading
import time
import urllib.request
from typing import Any, Literal

from aiohttp import web

from wrapped.heap import settle_long_running
from wrapped.testing.engine import LogRecord
from wrapped.testing.script import Script
from wrapped.testing.server import build_app


async def _start(script: Script, host: str, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(
        build_app(script), access_log=None, handle_signals=False, shutdown_timeout=0.25
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=1024, reuse_address=True)
    await site.start()
    server: Any = site._server  # the only way to learn port 0's pick
    sockets = server.sockets if server is not None else []
    return runner, int(sockets[0].getsockname()[1])


def _serve_process(script_json: str, host: str, port: int, conn) -> None:
    """Child-process entry: serve until terminated, report the bound port through `conn`."""
    try:
        import uvloop  # noqa: F401  (faster when present; not a dependency)

        uvloop.install()
    except ImportError:
        pass
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    _, bound = loop.run_until_complete(_start(Script.model_validate_json(script_json), host, port))
    # This process is the server alone: as in a batch worker (`wrapped.batch.worker`), what is
    # alive now lives as long as the process and is kept out of the collector's walks, and a
    # young pass waits for 20,000 allocations. Nearly everything a request makes is freed by
    # reference counting; at the default threshold the passes took 6.5% of the server's CPU
    # (209 passes over 1,260 calls), 1.7% after (7 passes).
    settle_long_running()
    conn.send(bound)
    conn.close()
    loop.run_forever()


class ScriptedServer:
    """Context manager: `with ScriptedServer(Script(...)) as srv: srv.base_url ...`."""

    def __init__(
        self,
        script: Script | None = None,
        *,
        mode: Literal["thread", "process"] = "thread",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.script = script or Script()
        self.mode = mode
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._proc: mp.process.BaseProcess | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as base_url."""
        return f"{self.url}/v1"

    def start(self) -> ScriptedServer:
        if self.mode == "process":
            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(
                target=_serve_process,
                args=(self.script.model_dump_json(), self.host, self.port, child),
                daemon=True,
            )
            self._proc.start()
            deadline = time.monotonic() + 60
            while not parent.poll(0.05):
                if not self._proc.is_alive() or time.monotonic() > deadline:
                    self._proc.terminate()
                    raise RuntimeError("the scripted server process did not start")
            self.port = parent.recv()
            return self
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._runner, self.port = loop.run_until_complete(
                    _start(self.script, self.host, self.port)
                )
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()  # until stop(): cleanup runs on this loop, then it stops
            loop.close()

        self._thread = threading.Thread(target=run, name="scripted-llm-server", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join(10)
            self._proc = None
        if self._thread is not None and self._loop is not None:
            loop = self._loop

            async def shutdown() -> None:
                try:
                    if self._runner is not None:
                        await self._runner.cleanup()
                finally:
                    loop.stop()

            asyncio.run_coroutine_threadsafe(shutdown(), loop)
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control over HTTP --------------------------------------------------------------------

    def _call(self, method: str, path: str, body: bytes | None = None) -> Any:
        req = urllib.request.Request(f"{self.url}{path}", data=body, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:  # loopback only
            return json.loads(resp.read())

    def requests(self) -> list[LogRecord]:
        """The request log, oldest first."""
        return [LogRecord.model_validate(r) for r in self._call("GET", "/_log")]

    def paid_calls(self) -> int:
        """How many chat requests were answered 200 (what a real endpoint would bill)."""
        return sum(1 for r in self.requests() if r.paid)

    def clear(self) -> None:
        """Forget the log and the delivery counts (a fresh start without a restart)."""
        self._call("DELETE", "/_log")

    def set_script(self, script: Script) -> None:
        """Replace the script at runtime (POST /_script)."""
        self._call("POST", "/_script", script.model_dump_json().encode())
        self.script = script


def serve_forever(script: Script, host: str = "127.0.0.1", port: int = 8089) -> None:
    """Run in the foreground until Ctrl-C (the `wrapped fake-llm` command)."""

    async def main() -> None:
        runner, bound = await _start(script, host, port)
        print(f"scripted OpenAI-compatible server on http://{host}:{bound}/v1", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    asyncio.run(main())
