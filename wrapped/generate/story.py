"""One story: the ONE loop from prompt to decision.

For each attempt (up to `settings.gate_max_attempts`):
  render the prompt (only for a backend that reads one) → `backend.write(WriteJob)` → `Draft`
  + usage → the gate's scorers → pass? Then the `Story` and its `Verdict` are built, once.
A failing draft is regenerated with the gate's reasons as feedback (`request.feedback`,
`attempt` + 1). A writer error counts as a failed attempt, except a configuration error (bad
key or model: 400/401/403/404, `ConfigError`) or an outage of the endpoint, which propagate
(every story would fail alike; the run must stop, not store fallbacks for everyone).
Still failing: `on_gate_fail="fallback"` → the embedded writer's grounded story (`compose` on the
input-side sanitized year), decision "fallback", `fallback=True` — but only if it passes the
deterministic scorers itself, else "needs_review" (no story); `on_gate_fail="needs_review"` →
the last draft is held for a human (stored under needs_review/, never delivered), so a reviewer
or an eval sees what the writer wrote.
Every attempt's checks, scores and reasons are in the `Verdict`.
"""

from __future__ import annotations

from typing import NamedTuple

from wrapped.errors import GateError, LLMOutageError, WrappedError, is_fatal
from wrapped.gate import Gate, ListenerContext, ScoreContext
from wrapped.gate.policy import passed, reasons_of, skipped_judge
from wrapped.gate.scorers import deterministic
from wrapped.llm.backend import Backend
from wrapped.prompts.datablock import DataBlock, build_data_block
from wrapped.prompts.render import render
from wrapped.settings import Settings
from wrapped.stats.model import DayCategory
from wrapped.story import (
    Attempt,
    Decision,
    Draft,
    PromptPair,
    Story,
    StoryRequest,
    Usage,
    Verdict,
    WriteJob,
)
from wrapped.turns import cpu_turn
from wrapped.writer import EMBEDDED_MODEL, EMBEDDED_PROMPT, compose, phrasebank_hash

#: at most this many gate reasons go back to the writer as feedback
MAX_FEEDBACK = 8


class StoryOutcome(NamedTuple):
    """One day's result: the stored story (None for needs_review), why, and what it cost."""

    story: Story | None
    verdict: Verdict
    usage: Usage


class _Written(NamedTuple):
    """Who wrote a passing draft, and from what (what the stored story records)."""

    draft: Draft
    backend: str
    model: str
    prompt_version: str
    prompt_hash: str


def _prompt(
    request: StoryRequest, ctx: ListenerContext, backend: Backend, gate: Gate
) -> tuple[DataBlock | None, PromptPair | None]:
    """The data block (when the writer or the judge reads one) and the writer's prompt (when
    the writer reads one). Built from the listener's shared base: only this day's log and the
    small per-story parts are encoded per attempt."""
    if not (backend.reads_prompt or gate.judge_enabled):
        return None, None
    s = backend.settings
    block = build_data_block(request, budget_tokens=s.log_token_budget, base=ctx.prompt_base)
    prompt = render(request, settings=s, block=block) if backend.reads_prompt else None
    return block, prompt


async def write_story(
    request: StoryRequest,
    *,
    ctx: ListenerContext,
    backend: Backend,
    gate: Gate,
    settings: Settings,
) -> StoryOutcome:
    """Write, score, regenerate with feedback, then fall back or hand to review."""
    uy = request.user_year
    try:
        category = uy.day(request.day).category
    except KeyError:
        raise GateError(
            f"{request.day} is not one of listener {uy.user_id}'s interesting days"
        ) from None
    attempts: list[Attempt] = []
    usage = Usage()
    feedback = list(request.feedback)
    first_reasons: list[str] = []
    last: _Written | None = None
    for n in range(1, max(1, settings.gate_max_attempts) + 1):
        req = request.model_copy(update={"attempt": n, "feedback": feedback})
        await cpu_turn()  # the writer's prompt (or the embedded story): CPU only
        block, prompt = _prompt(req, ctx, backend, gate)
        try:
            result = await backend.write(WriteJob(req, prompt, ctx.safe.user_year))
        except WrappedError as exc:
            if is_fatal(exc) or isinstance(exc, LLMOutageError):
                raise
            reasons = [f"writer failed: {exc.message}"]
            attempts.append(
                Attempt(attempt=n, backend=backend.name, checks=[], passed=False, reasons=reasons)
            )
            first_reasons = first_reasons or reasons
            continue
        scored = await gate.score(result.draft, ScoreContext(ctx, req, block))
        usage = usage + result.usage + scored.usage
        ok = passed(scored.checks)
        reasons = reasons_of(scored.checks)
        attempts.append(
            Attempt(
                attempt=n, backend=result.backend, checks=scored.checks, passed=ok, reasons=reasons
            )
        )
        last = _Written(
            result.draft, result.backend, result.model, result.prompt_version, result.prompt_hash
        )
        if ok:
            return _outcome(request, category, "pass", last, attempts, first_reasons, usage)
        first_reasons = first_reasons or reasons
        feedback = reasons[:MAX_FEEDBACK]
    if settings.on_gate_fail == "fallback":
        return _fallback(request, ctx, category, attempts, first_reasons, usage)
    return _outcome(request, category, "needs_review", last, attempts, first_reasons, usage)


def _fallback(
    request: StoryRequest,
    ctx: ListenerContext,
    category: DayCategory,
    attempts: list[Attempt],
    first_reasons: list[str],
    usage: Usage,
) -> StoryOutcome:
    """The embedded writer's grounded story, if it passes the deterministic scorers itself."""
    n = len(attempts) + 1
    safe_req = request.model_copy(update={"feedback": [], "attempt": n})
    draft = compose(safe_req, sanitized=ctx.safe.user_year)
    checks = deterministic(draft, ScoreContext(ctx, request))
    checks.append(skipped_judge("fallback story: deterministic checks only"))
    ok = passed(checks)
    attempts = [
        *attempts,
        Attempt(
            attempt=n, backend="embedded", checks=checks, passed=ok, reasons=reasons_of(checks)
        ),
    ]
    if not ok:
        return _outcome(request, category, "needs_review", None, attempts, first_reasons, usage)
    written = _Written(draft, "embedded", EMBEDDED_MODEL, EMBEDDED_PROMPT, phrasebank_hash())
    return _outcome(request, category, "fallback", written, attempts, first_reasons, usage)


def _outcome(
    request: StoryRequest,
    category: DayCategory,
    decision: Decision,
    written: _Written | None,
    attempts: list[Attempt],
    first_reasons: list[str],
    usage: Usage,
) -> StoryOutcome:
    """The stored story (when there is one) and its verdict, built in one place."""
    uid = request.user_year.user_id
    verdict = Verdict(
        user_id=uid,
        day=request.day,
        category=category,
        decision=decision,
        attempts=attempts,
        reasons=first_reasons,
    )
    if written is None:
        return StoryOutcome(None, verdict, usage)
    story = Story(
        user_id=uid,
        day=request.day,
        category=category,
        title=written.draft.title,
        story=written.draft.story,
        backend=written.backend,
        model=written.model,
        prompt_version=written.prompt_version,
        prompt_hash=written.prompt_hash,
        decision=decision,
        fallback=decision == "fallback",
        attempts=len(attempts),
        usage=usage,
    )
    return StoryOutcome(story, verdict, usage)
