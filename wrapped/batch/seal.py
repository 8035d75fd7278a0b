"""Sealing a shard: its journal becomes the shard's atomic files, the stories file last.

The shard's index (`index/`, a light row per story for samplers: `wrapped.store.rows`) and its
columns (`columns/`, Parquet for whole-run readers: `wrapped.store.columns`) are written before
it. The stories file is the done-marker (`RunLayout.shard_done`): a crash before it leaves the
journal, and the next run seals again from it; after it, the journal is deleted.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from wrapped.safety.screen import is_unsafe
from wrapped.store import Journal, RunLayout, write_jsonl_atomic
from wrapped.store.columns import write_columns
from wrapped.store.counts import summarize
from wrapped.store.rows import write_index


def seal(layout: RunLayout, shard: int, users: list[str]) -> None:
    """Write a finished shard's files atomically, in plan order; the stories file last."""
    records = Journal(layout.journal(shard)).done()
    ordered = [records[u] for u in users if u in records]
    stories: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    verdicts: list[dict[str, Any]] = []
    for rec in ordered:
        verdicts.extend(rec.get("verdicts", []))
        if rec["status"] != "done":
            failed.append(
                {"kind": "listener", "user_id": rec["user_id"], "error": rec.get("error")}
            )
            continue
        for s in rec.get("stories", []):
            (review if s["decision"] == "needs_review" else stories).append(s)
        for v in rec.get("verdicts", []):
            if v["decision"] == "failed":
                failed.append(
                    {
                        "kind": "story",
                        "user_id": rec["user_id"],
                        "day": v["day"],
                        "reasons": v.get("reasons", []),
                    }
                )
    write_jsonl_atomic(layout.shard_file("verdicts", shard), verdicts)
    write_jsonl_atomic(layout.shard_file("needs_review", shard), review)
    write_jsonl_atomic(layout.shard_file("failed", shard), failed)
    write_jsonl_atomic(layout.shard_file("listeners", shard), (summarize(r) for r in ordered))
    write_index(layout.root, shard, stories, review, verdicts, flagged)
    write_columns(layout, shard, stories, review, verdicts)
    write_jsonl_atomic(layout.shard_file("stories", shard), stories)
    layout.journal(shard).unlink(missing_ok=True)


@lru_cache(maxsize=65536)
def flagged(name: str) -> bool:
    """Does the safety screen flag this name? (what the index's `flagged_names` records)"""
    return is_unsafe(name) is not None
