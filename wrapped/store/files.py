"""Atomic file writes: a reader never sees a half-written file as complete.

Write to a temporary file in the same folder, fsync, then `os.replace` (atomic on POSIX), then
fsync the folder so the rename itself survives a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from wrapped.errors import ConfigError
from wrapped.jsonfast import loads


def check_out_dir(out: Path) -> None:
    """--out must be a folder this process can create or write in, found out before any work
    (a file of that name, or a place it may not write, was a traceback after minutes of ingest
    and stats). Nothing is created here: a run that fails later leaves no empty folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: a file of that name exists; give a folder")
    base = out
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise ConfigError(f"--out {out}: cannot create the folder ({base} is a file)")
    if not os.access(base, os.W_OK | os.X_OK):
        raise ConfigError(f"--out {out}: this user may not write in {base}")


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file so a crash leaves the old one or the new one, never half of either:
    `write` fills a temporary file beside it, which is fsynced, renamed over `path`, and the
    folder fsynced (every file the store writes whole goes through here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def write_jsonl_atomic(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows as JSON lines atomically; returns the number of rows."""
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return len(lines)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Complete JSON lines of a file; a torn last line (crash mid-append) is skipped."""
    if not path.exists():
        return
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                return  # torn tail from a crash: not complete, ignore
            line = line.strip()
            if not line:
                continue
            try:
                yield loads(line)  # json.loads's answers; sealing a shard re-reads its journal
            except json.JSONDecodeError:
                continue  # a torn line can only be the last complete-looking one; skip it


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
