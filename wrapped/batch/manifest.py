"""The run manifest: what ran, with what, and counts that add up — recounted from the store.

Counts are recomputed from the files on disk (not from in-memory tallies), so the manifest
describes exactly what a reader of the run folder will find, also after a crash and resume.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wrapped.store.files import read_jsonl
from wrapped.store.layout import RunLayout
from wrapped.story import Usage


class StoryCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected: int = Field(0, description="interesting days of finished listeners")
    passed: int = 0
    fallback: int = 0
    needs_review: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = Field(default_factory=dict)
    backends: dict[str, int] = Field(default_factory=dict, description="which writer wrote them")


class Counts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    listeners_in: int = 0
    eligible: int = 0
    ineligible: int = 0
    ineligible_by_reason: dict[str, int] = Field(default_factory=dict)
    selected: int = 0
    not_selected: int = 0
    listeners_done: int = 0
    listeners_failed: int = 0
    listeners_pending: int = 0
    listener_failures_by_reason: dict[str, int] = Field(default_factory=dict)
    stories: StoryCounts = Field(default_factory=StoryCounts)

    def problems(self) -> list[str]:
        """Every way the counts fail to add up (empty when they do)."""
        out = []
        if self.listeners_in != self.eligible + self.ineligible:
            out.append("listeners_in != eligible + ineligible")
        if self.eligible != self.selected + self.not_selected:
            out.append("eligible != selected + not_selected")
        if self.selected != self.listeners_done + self.listeners_failed + self.listeners_pending:
            out.append("selected != done + failed + pending")
        s = self.stories
        if s.expected != s.passed + s.fallback + s.needs_review + s.failed:
            out.append("stories expected != passed + fallback + needs_review + failed")
        return out


def summarize(record: dict[str, Any]) -> dict[str, Any]:
    """The compact per-listener line kept in listeners/shard-N.jsonl."""
    return {
        "user_id": record["user_id"],
        "status": record["status"],
        "error": record.get("error"),
        "days": record.get("days", 0),
        "decisions": [v["decision"] for v in record.get("verdicts", [])],
        "failure_reasons": [
            (v.get("reasons") or ["unknown"])[0][:120]
            for v in record.get("verdicts", [])
            if v["decision"] == "failed"
        ],
        "backends": [s.get("backend", "?") for s in record.get("stories", [])],
        "usage": record.get("usage") or {},
    }


def recount(layout: RunLayout, shards: list[list[str]]) -> tuple[Counts, Usage]:
    """Listener and story counts and the usage total, from the store's files."""
    counts = Counts()
    usage = Usage()
    s = counts.stories
    listener_fail: Counter[str] = Counter()
    story_fail: Counter[str] = Counter()
    backends: Counter[str] = Counter()
    decision_field = {"pass": "passed", "fallback": "fallback", "needs_review": "needs_review"}
    for i, shard in enumerate(shards):
        if layout.shard_done(i):
            lines = read_jsonl(layout.shard_file("listeners", i))
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
                field = decision_field.get(d, "failed")
                setattr(s, field, getattr(s, field) + 1)
            story_fail.update(line.get("failure_reasons", []))
            backends.update(line.get("backends", []))
        counts.listeners_pending += len(shard) - len(seen)
    counts.listener_failures_by_reason = dict(listener_fail)
    s.failed_by_reason = dict(story_fail)
    s.backends = dict(backends)
    return counts, usage
