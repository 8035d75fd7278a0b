"""The gate: no story leaves unless it is grounded, safe and good (see POLICY.md beside this file).

Scorers, cheapest first (`wrapped.gate.scorers`): `format`, `grounding`, `safety` (the output
side; the input side, `wrapped.safety`, is the sanitized year in the listener's `ListenerContext`), then the LLM
judge (`judge.panel` or `judge.geval`, `wrapped.gate.judge`). The `Gate` runs them in order and
applies the decision rule (`passed`); `score_story` runs any of them alone on a stored story.
"""

from __future__ import annotations

from wrapped.gate.context import ListenerContext
from wrapped.gate.grounding import verify_draft, verify_grounding
from wrapped.gate.judge import Judge, describe_judge, judge_target
from wrapped.gate.output import check_safety
from wrapped.gate.policy import Gate, Scored, deterministic_checks, passed, reasons_of
from wrapped.gate.scorers import SCORERS, ScoreContext, Scorer, score_story, story_context

__all__ = [
    "SCORERS",
    "Gate",
    "Judge",
    "ListenerContext",
    "ScoreContext",
    "Scored",
    "Scorer",
    "check_safety",
    "describe_judge",
    "deterministic_checks",
    "judge_target",
    "passed",
    "reasons_of",
    "score_story",
    "story_context",
    "verify_draft",
    "verify_grounding",
]
