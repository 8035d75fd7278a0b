"""One writer per run folder at a time.

Two `wrapped generate` processes on the same run (a cron job overlapping the last one, a
second terminal) would both write every pending listener: each pays for it, and both append to
the same journal. `wrapped erase` rewriting a run's files while a job appends to them would
lose lines. So whoever writes a run holds an exclusive `flock` on `<run>/.lock` for as long as
it writes. The kernel drops the lock when the holder exits, however it exits (kill -9 too), so
a crashed run never leaves a stale lock behind and a rerun resumes at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from wrapped.errors import BatchError

LOCK_NAME = ".lock"


@contextlib.contextmanager
def run_lock(run_dir: Path, *, doing: str) -> Iterator[None]:
    """Hold `run_dir`'s lock for the block; BatchError (one line) if someone else holds it."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise BatchError(
                f"{run_dir} is in use by {holder}; {doing} once it has finished (or stop it)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
