"""The array half of each chunk in forked helper processes, the models in the caller's process.

Why processes and not threads: a chunk's array half (`summary.chunk_arrays`) is thousands of
short numpy calls, and a thread must win the GIL back after each one (up to 5 ms while the
other thread makes models), so two threads ran barely faster than one. A forked helper shares
the prepared arrays copy-on-write (nothing is copied or pickled on the way in) and sends back
only arrays per listener, chosen day and log entry (~13 MB per 250,000-event chunk, pickled
and unpickled in well under 1% of the chunk's time), so the two halves of consecutive chunks
really overlap.

The caller computes chunk 0 itself (rather than wait while a helper does); helper ``h`` of
``n`` computes chunks ``1 + h, 1 + h + n, ...`` and a sender thread writes them to the pipe,
blocking until the caller reads, so at most two finished chunks per helper wait in memory.
The caller reads them strictly in chunk order: results are the same, in the same order, as
the serial path.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import pickle
import queue
import threading
import traceback
from collections.abc import Generator
from multiprocessing.connection import Connection

from wrapped.settings import Settings
from wrapped.stats.chunks import split_by_users
from wrapped.stats.prepare import Prepared
from wrapped.stats.summary import ChunkArrays, chunk_arrays


class HelperError(RuntimeError):
    """A helper process failed (its traceback is in the message) or died."""


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def _helper(
    conn: Connection, whole: Prepared, chunk_events: int, settings: Settings, h: int, n: int
) -> None:
    """Runs in the forked child: compute every n-th chunk's arrays (from chunk 1 + h) and
    send them in order.

    A sender thread writes to the pipe, so the next chunk is computed while the caller has not
    yet read the last one: a chunk that takes the helper longer than usual does not leave the
    caller waiting (at most two finished chunks wait here, ~13 MB each).
    """
    gc.disable()  # the child makes no cycles; a collection would also un-share the heap's pages
    ready: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
    gone = threading.Event()  # the caller closed its end

    def send_all() -> None:
        try:
            while (data := ready.get()) is not None:
                conn.send_bytes(data)
        except OSError:
            gone.set()

    def put(data: bytes | None) -> bool:
        while not gone.is_set():
            try:
                ready.put(data, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    sender = threading.Thread(target=send_all, name="wrapped-stats-sender", daemon=True)
    sender.start()
    try:
        for i, p in enumerate(split_by_users(whole, chunk_events)):
            if i and (i - 1) % n == h:
                if not put(pickle.dumps(("ok", chunk_arrays(p, settings)), protocol=5)):
                    return
    except BaseException:  # everything, interrupts included, goes back to the caller as text
        put(pickle.dumps(("error", traceback.format_exc()), protocol=5))
    finally:
        if put(None):
            sender.join()
        conn.close()


def iter_chunks(
    whole: Prepared, chunk_events: int, settings: Settings, helpers: int
) -> Generator[tuple[Prepared, ChunkArrays | None], None, None]:
    """Each chunk of `whole` (as `split_by_users` cuts it) with its arrays, made by `helpers`
    forked processes. Stopping early ends the helpers."""
    ctx = mp.get_context("fork")
    procs, conns = [], []
    try:
        for h in range(helpers):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_helper,
                args=(send, whole, chunk_events, settings, h, helpers),
                name=f"wrapped-stats-{h}",
                daemon=True,
            )
            proc.start()
            send.close()  # the child holds the writing end; EOF here means it is gone
            procs.append(proc)
            conns.append(recv)
        for i, p in enumerate(split_by_users(whole, chunk_events)):
            if i == 0:  # while the helpers start on the next ones
                yield p, chunk_arrays(p, settings)
                continue
            conn = conns[(i - 1) % helpers]
            try:
                status, value = pickle.loads(conn.recv_bytes())
            except EOFError:
                proc = procs[(i - 1) % helpers]
                proc.join(timeout=5)
                raise HelperError(
                    f"stats helper process {proc.name} exited (code {proc.exitcode}) "
                    f"before sending chunk {i}"
                ) from None
            if status != "ok":
                raise HelperError(f"stats helper process failed on chunk {i}:\n{value}")
            yield p, value
    finally:
        for conn in conns:
            conn.close()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            proc.close()


def helpers_for(workers: int) -> int:
    """Helper processes for `workers` processes in all (none where fork is unavailable)."""
    return workers - 1 if workers > 1 and can_fork() else 0
