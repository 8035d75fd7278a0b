"""The gate: no story leaves unless it is grounded, safe and good (see POLICY.md beside this file).

Layers, cheapest first: input-side sanitizing (`sanitize_for_prompt`), grounding
(`verify_grounding`), output safety (`check_safety`), the deepeval judge (`Judge`), and the
decision policy (`Gate.produce`).
"""

from __future__ import annotations

from wrapped.gate.grounding import verify_draft, verify_grounding
from wrapped.gate.judge import Judge
from wrapped.gate.output import check_safety
from wrapped.gate.policy import Gate, GateOutcome, deterministic_checks, passed
from wrapped.gate.safety import SanitizedYear, is_unsafe, sanitize_for_prompt

__all__ = [
    "Gate",
    "GateOutcome",
    "Judge",
    "SanitizedYear",
    "check_safety",
    "deterministic_checks",
    "is_unsafe",
    "passed",
    "sanitize_for_prompt",
    "verify_draft",
    "verify_grounding",
]
