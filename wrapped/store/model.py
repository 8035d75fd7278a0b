"""The typed run model: what a run folder's JSON files hold, as the store writes and reads them.

`RunManifest` is versioned (`schema_version`) like inspect's `EvalLog`: every reader (the CLI
summary, `erase`, eval, review, monitor) gets fields, not string keys, and a manifest written
by release 0.1.0, which carried no version, still reads as schema 1.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wrapped.story import JudgeInfo, Usage

#: the manifest format this code writes; 1 is release 0.1.0's (no version field, no judge)
SCHEMA_VERSION = 2

RunStatus = Literal["running", "complete", "incomplete"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Plan(_Model):
    """What a run will do; written to plan.json so a resume uses exactly the same shards."""

    run_id: str
    prompt_version: str
    prompt_hash: str
    backend: str
    model: str
    input_fingerprint: str
    selection: str
    shard_size: int
    shards: list[list[str]] = Field(description="user ids per shard, in order")

    @property
    def eligible(self) -> int:
        return sum(len(s) for s in self.shards)


class PlanCounts(_Model):
    """The listener counts fixed at planning (plan_counts.json); the rest is recounted."""

    listeners_in: int = 0
    eligible: int = 0
    ineligible: int = 0
    ineligible_by_reason: dict[str, int] = Field(default_factory=dict)
    selected: int = 0
    not_selected: int = 0

    def without(self, erased: int) -> PlanCounts:
        """The counts once `erased` selected listeners have left the run (`wrapped erase`)."""
        return self.model_copy(
            update={
                "listeners_in": self.listeners_in - erased,
                "eligible": self.eligible - erased,
                "selected": self.selected - erased,
            }
        )


class StoryCounts(_Model):
    expected: int = Field(default=0, description="interesting days of finished listeners")
    passed: int = 0
    fallback: int = 0
    needs_review: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = Field(default_factory=dict)
    backends: dict[str, int] = Field(default_factory=dict, description="which writer wrote them")


class Counts(PlanCounts):
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

    @property
    def failure_rate(self) -> float:
        """Failed listeners among the finished ones (0 when none finished)."""
        finished = self.listeners_done + self.listeners_failed
        return self.listeners_failed / finished if finished else 0.0


class PromptRef(_Model):
    version: str
    hash: str


class RayInfo(_Model):
    """Where an invocation's listeners were written."""

    address: str | None = None
    joined: bool = False
    nodes: int = 0
    cpus: int = 0


class RunManifest(_Model):
    """manifest.json: what ran, with what, how far it got, and counts that add up."""

    schema_version: int = Field(default=1, description="absent (release 0.1.0) reads as 1")
    run_id: str
    status: RunStatus
    invocations: int = Field(description="how many times the command ran on this folder")
    code_version: str
    prompt: PromptRef
    backend: str
    model: str = Field(description="the writer's model")
    judge: JudgeInfo | None = Field(
        default=None, description="the judge that ran; None before schema 2"
    )
    input_fingerprint: str
    selection: str
    shards: int
    settings: dict[str, Any] = Field(description="Settings.public_dump(): no secrets")
    counts: Counts
    counts_add_up: bool
    count_problems: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict)
    ingest_report: dict[str, Any] | None = None
    ray: RayInfo | None = None
    stopped: str | None = Field(default=None, description="why the last invocation stopped early")
    erased_listeners: int = Field(default=0, description="listeners removed by `wrapped erase`")

    def with_counts(self, counts: Counts, usage: Usage) -> RunManifest:
        """This manifest with recounted counts (and whether they add up)."""
        problems = counts.problems()
        return self.model_copy(
            update={
                "counts": counts,
                "usage": usage,
                "counts_add_up": not problems,
                "count_problems": problems,
            }
        )

    def to_json(self) -> str:
        """The file's text; `stopped` and `erased_listeners` appear only once they happened."""
        data = self.model_dump(mode="json")
        if self.stopped is None:
            del data["stopped"]
        if not self.erased_listeners:
            del data["erased_listeners"]
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


class ListenerLine(_Model):
    """One listener's compact line in listeners/shard-N.jsonl."""

    user_id: str
    status: str
    error: str | None = None
    days: int = 0
    decisions: list[str] = Field(default_factory=list)
    failure_reasons: list[str] = Field(default_factory=list)
    backends: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)


class Failure(_Model):
    """One line of failed/shard-N.jsonl: a listener that failed, or one story that did."""

    kind: Literal["listener", "story"]
    user_id: str
    error: str | None = Field(default=None, description="a listener's error")
    day: date | None = Field(default=None, description="a story's day")
    reasons: list[str] = Field(default_factory=list, description="why a story failed")


class Ineligible(_Model):
    """One line of ineligible.jsonl: a listener without a story, and why."""

    user_id: str
    reason: str
