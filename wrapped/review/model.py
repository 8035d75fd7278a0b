"""What a review set holds: the evidence stored with each sampled story, and a reviewer's label.

A review set is self-contained: everything the page shows (the story, its verdict's checks and
claims, the day's facts and log, the parts of the year it quotes, the previous stories) is copied
in at sampling time, so a reviewer never needs the run folder, and erasing a listener from the
set is one DELETE.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wrapped.stats.model import InterestingDay
from wrapped.story import Check, Claim, PreviousStory


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: reject reasons, in the order of their digit keys (1..8)
REASONS: tuple[str, ...] = (
    "factual error",
    "unsafe",
    "shaming",
    "personal data",
    "tone",
    "repetition",
    "locale",
    "other",
)

#: the rubric a reject reason says the story failed (the judge's rubric names, canonical form)
RUBRIC_OF_REASON: dict[str, str] = {
    "factual error": "grounding",
    "unsafe": "safety",
    "shaming": "safety",
    "personal data": "privacy",
    "tone": "tone",
    "repetition": "repetition",
    "locale": "locale",
    "other": "other",
}

#: every rubric a label speaks to, besides "overall" (approve/reject)
RUBRICS: tuple[str, ...] = tuple(dict.fromkeys(RUBRIC_OF_REASON.values()))

#: judge check names (both suites) → the canonical rubric they score
JUDGE_RUBRIC: dict[str, str] = {
    "grounding": "grounding",
    "faithfulness": "grounding",
    "safety": "safety",
    "tone": "tone",
    "freshness": "repetition",
    "repetition": "repetition",
    "locale": "locale",
}


class Quoted(_Model):
    """One fact of the listener's year (or day) a claim in the story matched."""

    path: str = Field(description="e.g. 'totals.all.minutes'")
    value: str


class ReviewItem(_Model):
    """One sampled story with all the evidence the review page shows beside it."""

    story_id: str = Field(description="'<user_id>/<day>'")
    run_id: str
    user_id: str
    day: date
    category: str
    title: str
    story: str
    backend: str
    model: str
    decision: str
    fallback: bool = False
    attempts: int = 1
    checks: list[Check] = Field(default_factory=list, description="the final attempt's checks")
    verdict_reasons: list[str] = Field(default_factory=list)
    evidence_day: InterestingDay | None = Field(default=None, description="the day's facts + log")
    quoted: list[Quoted] = Field(default_factory=list, description="year facts the claims quote")
    year_summary: dict[str, Any] = Field(
        default_factory=dict, description="a few headline figures of the year, for context"
    )
    previous: list[PreviousStory] = Field(default_factory=list)
    cohort: dict[str, str] = Field(default_factory=dict)
    risks: list[str] = Field(default_factory=list, description="why adversarial sampling liked it")

    @property
    def claims(self) -> list[Claim]:
        return [c for check in self.checks for c in check.claims]

    @property
    def judge_checks(self) -> list[Check]:
        return [c for c in self.checks if c.layer == "judge"]


Verdict = Literal["approve", "reject"]


class Label(_Model):
    """One reviewer's label on one story."""

    story_key: int = Field(description="the item's row id in the review set")
    reviewer: str
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    note: str = ""
    scores: dict[str, int] = Field(default_factory=dict, description="rubric → 1..5, optional")

    def rubric_labels(self) -> dict[str, int]:
        """1 = good on that rubric: "overall" is approve/reject; each reason marks its rubric 0."""
        bad = {RUBRIC_OF_REASON[r] for r in self.reasons if r in RUBRIC_OF_REASON}
        out = {"overall": int(self.verdict == "approve")}
        out.update({r: int(r not in bad) for r in RUBRICS})
        return out
