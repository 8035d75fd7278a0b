"""Counts recounted from a run's files, never from in-memory tallies.

So the manifest describes exactly what a reader of the run folder will find, also after a
crash and resume, and after `wrapped erase` has taken a listener out. Journal and listener lines
stay plain dicts here: sealing and recounting touch every listener of a run, and they need only
a few keys of each.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from wrapped.store.files import read_jsonl
from wrapped.store.layout import RunLayout
from wrapped.store.model import Counts
from wrapped.story import Usage

_DECISION_FIELD = {"pass": "passed", "fallback": "fallback", "needs_review": "needs_review"}


def summarize(record: dict[str, Any]) -> dict[str, Any]:
    """The compact per-listener line kept in listeners/shard-N.jsonl (a `ListenerLine`)."""
    verdicts = record.get("verdicts", [])
    return {
        "user_id": record["user_id"],
        "status": record["status"],
        "error": record.get("error"),
        "days": record.get("days", 0),
        "decisions": [v["decision"] for v in verdicts],
        "failure_reasons": [
            (v.get("reasons") or ["unknown"])[0][:120]
            for v in verdicts
            if v["decision"] == "failed"
        ],
        "backends": [s.get("backend", "?") for s in record.get("stories", [])],
        "usage": record.get("usage") or {},
    }


def recount(layout: RunLayout, shards: list[list[str]]) -> tuple[Counts, Usage]:
    """Listener and story counts and the usage total, from sealed shards and journals."""
    counts = Counts()
    usage = Usage()
    s = counts.stories
    listener_fail: Counter[str] = Counter()
    story_fail: Counter[str] = Counter()
    backends: Counter[str] = Counter()
    for i, shard in enumerate(shards):
        if layout.shard_done(i):
            lines: Any = read_jsonl(layout.shard_file("listeners", i))
        else:
            lines = (summarize(r) for r in read_jsonl(layout.journal(i)))
        seen: set[str] = set()
        for line in lines:
            if line["user_id"] in seen:
                continue
            seen.add(line["user_id"])
            usage = usage + Usage.model_validate(line.get("usage") or {})
            if line["status"] != "done":
                counts.listeners_failed += 1
                listener_fail[(line.get("error") or "unknown").split(":")[0][:80]] += 1
                continue
            counts.listeners_done += 1
            s.expected += line["days"]
            for d in line["decisions"]:
                field = _DECISION_FIELD.get(d, "failed")
                setattr(s, field, getattr(s, field) + 1)
            story_fail.update(line.get("failure_reasons", []))
            backends.update(line.get("backends", []))
        counts.listeners_pending += len(shard) - len(seen)
    counts.listener_failures_by_reason = dict(listener_fail)
    s.failed_by_reason = dict(story_fail)
    s.backends = dict(backends)
    return counts, usage
