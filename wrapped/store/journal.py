"""A per-shard append-only journal: one complete line per finished listener.

It is what makes a kill -9 cheap: on resume, every listener with a complete line is done and is
neither generated nor paid for again; a torn last line is ignored and that listener redone
(its LLM calls then come from the response cache).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wrapped.store.files import read_jsonl


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def done(self) -> dict[str, dict[str, Any]]:
        """user_id -> record for every complete line (first one wins: exactly once)."""
        out: dict[str, dict[str, Any]] = {}
        for rec in read_jsonl(self.path):
            out.setdefault(rec["user_id"], rec)
        return out

    def append_lines(self, lines: list[str]) -> None:
        """Append records, serialized as workers send them (one JSON object per string, no
        newline in it), as complete lines made durable with one fsync (a batch is one I/O)."""
        if not lines:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._repair_tail()
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write("".join(line + "\n" for line in lines))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _repair_tail(self) -> None:
        """Cut a torn last line so the next append starts on a fresh line."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            with self.path.open("r+b") as fh:
                fh.truncate(cut)
