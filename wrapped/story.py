"""Contracts between prompts, generation, the gate and the store.

`Draft` is what a writer (LLM or embedded) returns; `Verdict` is what the gate decides about it;
`Story` is what is stored. They are separate so nothing a model says about itself is trusted
before the gate has checked the text.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from wrapped.stats.model import DayCategory, UserYear


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Message(_Model):
    role: Literal["system", "user", "assistant"]
    content: str


class PromptPair(_Model):
    """The exact messages sent for one story, and the prompt version they came from."""

    messages: list[Message]
    version: str = Field(description="e.g. 'v1'")
    version_hash: str = Field(description="sha256 over the version's files (first 16 hex)")
    params: dict[str, Any] = Field(default_factory=dict, description="intended model params")


class Draft(_Model):
    """The structured output a writer returns (the JSON schema sent to the LLM)."""

    title: str = Field(description="a short title for the story, at most 80 characters")
    story: str = Field(description="the story itself, 40-160 words, second person")
    facts_used: list[str] = Field(
        default_factory=list,
        description="the facts from the data the story relies on (not trusted: the gate checks)",
    )


class Usage(_Model):
    """One call's (or a sum of calls') accounting."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached_calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 8),
            latency_s=self.latency_s + other.latency_s,
            cached_calls=self.cached_calls + other.cached_calls,
        )


class PreviousStory(_Model):
    day: date
    category: DayCategory
    title: str
    story: str


class StoryRequest(_Model):
    """Everything needed to write one day's story (both backends take this)."""

    user_year: UserYear
    day: date
    previous: list[PreviousStory] = Field(default_factory=list)
    feedback: list[str] = Field(
        default_factory=list, description="gate reasons from a failed attempt, for regeneration"
    )
    attempt: int = 1
    seed: int = 0


class WriteJob(NamedTuple):
    """What a backend is handed for one draft (built by the generate stage).

    An LLM backend sends `prompt` (rendered by the generate stage; backends never render); the
    embedded writer reads no prompt (`prompt` is None for it) and writes from `request` and the
    listener's input-side sanitized year `safe_year`."""

    request: StoryRequest
    prompt: PromptPair | None
    safe_year: UserYear


class DraftResult(_Model):
    """A backend's answer: the draft, who wrote it, what it cost, and what it was written from."""

    draft: Draft
    backend: str = Field(description="embedded | openai | local | ...")
    model: str
    usage: Usage = Field(default_factory=Usage)
    prompt_version: str = Field(description="the prompt version, or 'embedded'")
    prompt_hash: str = Field(description="the prompt version's hash, or the phrase bank's")


ClaimKind = Literal[
    "number", "name", "rank", "date", "weekday", "time", "month", "comparison", "other"
]


class Claim(_Model):
    """One checkable statement found in a story's text."""

    kind: ClaimKind
    text: str = Field(description="the span in the story")
    grounded: bool
    fact: str | None = Field(
        default=None, description="the fact it matched, e.g. 'totals.all.minutes=1234'"
    )
    why: str | None = Field(default=None, description="why it is a violation")


class Check(_Model):
    """One gate check's outcome."""

    name: str = Field(description="e.g. 'grounding', 'safety.lexicon', 'judge.tone'")
    layer: Literal["format", "grounding", "safety", "judge"]
    status: Literal["pass", "fail", "unscored", "skipped"]
    score: float | None = None
    threshold: float | None = None
    reasons: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


class Attempt(_Model):
    attempt: int
    backend: str
    checks: list[Check]
    passed: bool
    reasons: list[str] = Field(default_factory=list)


Decision = Literal["pass", "fallback", "needs_review", "failed"]


class Verdict(_Model):
    """Everything the gate decided about one story, so a reviewer can see why."""

    user_id: str
    day: date
    category: DayCategory
    decision: Decision
    attempts: list[Attempt]
    reasons: list[str] = Field(default_factory=list, description="why it did not pass first time")


class JudgeInfo(_Model):
    """Which judge ran in a run (or that none did, and why): shown in the summary, kept in the
    manifest, so a run is never silently unjudged."""

    status: Literal["on", "off"]
    model: str | None = None
    endpoint_host: str | None = Field(default=None, description="host[:port] only, never a key")
    suite: str | None = Field(default=None, description="panel | full")
    reason: str | None = Field(default=None, description="why the judge is off")

    def describe(self) -> str:
        if self.status == "off":
            return f"judge: off ({self.reason})" if self.reason else "judge: off"
        return f"judge: {self.model} at {self.endpoint_host} ({self.suite})"


class Story(_Model):
    """A stored story."""

    user_id: str
    day: date
    category: DayCategory
    title: str
    story: str
    backend: str
    model: str
    prompt_version: str
    prompt_hash: str
    decision: Decision
    fallback: bool = False
    attempts: int = 1
    usage: Usage = Field(default_factory=Usage)
