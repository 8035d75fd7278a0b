"""The decision policy: what happens to a draft after the checks.

1. Write a draft; run the deterministic checks (grounding, output safety). Only a draft that
   passes them goes to the LLM judge (a judge call costs money; a wrong number is already a
   fail). When the judge is off (`settings.judge` False) or no judge model/endpoint is
   configured, one "judge" Check says "skipped" — it is never recorded as a pass.
2. A draft passes when no check is "fail" or "unscored" ("skipped" is allowed).
3. Otherwise regenerate with the failing reasons as `request.feedback` (`attempt` + 1), up to
   `settings.gate_max_attempts` drafts. A writer error counts as a failed attempt, except a
   configuration error (bad key or model: 400/401/403/404, ConfigError), which propagates.
4. Still failing: `on_gate_fail="fallback"` → the embedded writer's grounded story
   (`wrapped.writer.compose` on the input-side sanitized data), decision "fallback",
   `fallback=True` — but only if it passes the deterministic checks itself, else
   "needs_review"; `on_gate_fail="needs_review"` → no story, decision "needs_review".
Every attempt's checks, scores and reasons are in the `Verdict`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from wrapped.errors import (
    ConfigError,
    GateError,
    LLMAuthError,
    LLMHTTPError,
    LLMOutageError,
    WrappedError,
)
from wrapped.gate import facts, safety
from wrapped.gate.form import check_format
from wrapped.gate.grounding import verify_draft
from wrapped.gate.judge import Judge, judge_configured
from wrapped.gate.output import check_safety
from wrapped.gate.safety import sanitized
from wrapped.llm.backend import Backend
from wrapped.prompts import datablock
from wrapped.settings import Settings
from wrapped.stats.model import UserYear
from wrapped.story import Attempt, Check, Draft, Story, StoryRequest, Usage, Verdict
from wrapped.turns import cpu_turn

MAX_FEEDBACK = 8


class GateOutcome(NamedTuple):
    """What `Gate.produce` returns: the stored story (None for needs_review), why, and the cost."""

    story: Story | None
    verdict: Verdict
    usage: Usage


def deterministic_checks(draft: Draft, request: StoryRequest) -> list[Check]:
    """Grounding plus output-side safety: no LLM, microseconds to milliseconds."""
    grounding = verify_draft(draft, request.user_year, request.day)
    if grounding.status == "pass" and not any(c.grounded for c in grounding.claims):
        # a story that quotes nothing from the data is not about this listener's year
        grounding = grounding.model_copy(
            update={
                "status": "fail",
                "reasons": ["grounding: the story quotes no fact from the listener's data"],
            }
        )
    return [check_format(draft), grounding, *check_safety(draft, request)]


def release(user_year: UserYear) -> None:
    """Free the per-listener memos (fact index, sanitized copy, prompt data) once a listener is done.

    They are built lazily on the listener's first draft and reused for its other days and
    attempts; without this they stay until the bounded memo evicts them, which keeps a few
    hundred finished listeners' data alive (memory, and work for every full GC pass)."""
    facts.forget(user_year)
    safety.forget(user_year)
    datablock.forget(user_year)


def passed(checks: list[Check]) -> bool:
    """Pass = nothing failed and nothing unscored ("skipped" is fine, and says so)."""
    return all(c.status in ("pass", "skipped") for c in checks)


def reasons_of(checks: list[Check]) -> list[str]:
    out: list[str] = []
    for c in checks:
        if c.status == "fail":
            out += c.reasons or [f"{c.name} failed"]
        elif c.status == "unscored":
            out.append(f"{c.name}: the judge's verdict could not be read (unscored)")
    return list(dict.fromkeys(out))


class Gate:
    """Checks drafts and decides; the batch job calls `produce` once per (listener, day)."""

    def __init__(
        self, settings: Settings, judge_client: Any = None, *, run_dir: Path | str | None = None
    ) -> None:
        self.settings = settings
        self._judge: Judge | None = None
        self._skip_reason = ""
        if not settings.judge:
            self._skip_reason = "judge disabled by settings"
        elif judge_client is None and not judge_configured(settings):
            self._skip_reason = "no judge model/endpoint configured"
        else:
            self._judge = Judge(settings, judge_client, run_dir=run_dir)

    @property
    def judge_enabled(self) -> bool:
        return self._judge is not None

    @property
    def judge_base_url(self) -> str | None:
        """Where the judge's calls go (None when no judge runs or its client has no URL)."""
        return getattr(getattr(self._judge, "client", None), "base_url", None)

    async def check(self, draft: Draft, request: StoryRequest) -> list[Check]:
        """Every check for one draft (the judge only after the deterministic layer passed)."""
        return (await self._check(draft, request))[0]

    async def _check(self, draft: Draft, request: StoryRequest) -> tuple[list[Check], Usage]:
        await cpu_turn()  # the checks and the judge's prompt: CPU only, until the judge's call
        checks = deterministic_checks(draft, request)
        if self._judge is None:
            checks.append(
                Check(name="judge", layer="judge", status="skipped", reasons=[self._skip_reason])
            )
        elif not passed(checks):
            checks.append(
                Check(
                    name="judge",
                    layer="judge",
                    status="skipped",
                    reasons=["deterministic checks failed first"],
                )
            )
        else:
            judged = await self._judge.judge_with_usage(draft, request)
            checks += judged.checks
            return checks, judged.usage
        return checks, Usage()

    async def produce(self, request: StoryRequest, backend: Backend) -> GateOutcome:
        """Write, check, regenerate with feedback, then fall back or hand to review."""
        s = self.settings
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
        for n in range(1, max(1, s.gate_max_attempts) + 1):
            req = request.model_copy(update={"attempt": n, "feedback": feedback})
            try:
                await cpu_turn()  # the writer's prompt: CPU only, until its call
                result = await backend.write(req)
            except WrappedError as exc:
                if _is_config_error(exc) or isinstance(exc, LLMOutageError):
                    # a wrong key or model fails every story alike, and so does an endpoint
                    # that is down: the run must stop, not store fallbacks for everyone
                    raise
                reasons = [f"writer failed: {exc.message}"]
                attempts.append(
                    Attempt(
                        attempt=n, backend=backend.name, checks=[], passed=False, reasons=reasons
                    )
                )
                first_reasons = first_reasons or reasons
                continue
            usage = usage + result.usage
            checks, judge_usage = await self._check(result.draft, req)
            usage = usage + judge_usage
            ok = passed(checks)
            reasons = reasons_of(checks)
            attempts.append(
                Attempt(
                    attempt=n, backend=result.backend, checks=checks, passed=ok, reasons=reasons
                )
            )
            if ok:
                prompt = result.prompt
                story = Story(
                    user_id=uy.user_id,
                    day=request.day,
                    category=category,
                    title=result.draft.title,
                    story=result.draft.story,
                    backend=result.backend,
                    model=result.model,
                    prompt_version=prompt.version if prompt else s.prompt_version,
                    prompt_hash=prompt.version_hash if prompt else "",
                    decision="pass",
                    attempts=n,
                    usage=usage,
                )
                verdict = Verdict(
                    user_id=uy.user_id,
                    day=request.day,
                    category=category,
                    decision="pass",
                    attempts=attempts,
                    reasons=first_reasons,
                )
                return GateOutcome(story, verdict, usage)
            first_reasons = first_reasons or reasons
            feedback = reasons[:MAX_FEEDBACK]
        return self._give_up(request, category, attempts, first_reasons, usage)

    def _give_up(
        self,
        request: StoryRequest,
        category: Any,
        attempts: list[Attempt],
        first_reasons: list[str],
        usage: Usage,
    ) -> GateOutcome:
        uy = request.user_year
        if self.settings.on_gate_fail == "fallback":
            from wrapped.writer import compose

            safe_req = request.model_copy(
                update={
                    "user_year": sanitized(uy).user_year,
                    "feedback": [],
                    "attempt": len(attempts) + 1,
                }
            )
            draft = compose(safe_req)
            checks = deterministic_checks(draft, request)
            checks.append(
                Check(
                    name="judge",
                    layer="judge",
                    status="skipped",
                    reasons=["fallback story: deterministic checks only"],
                )
            )
            ok = passed(checks)
            attempts = [
                *attempts,
                Attempt(
                    attempt=len(attempts) + 1,
                    backend="embedded",
                    checks=checks,
                    passed=ok,
                    reasons=reasons_of(checks),
                ),
            ]
            if ok:
                story = Story(
                    user_id=uy.user_id,
                    day=request.day,
                    category=category,
                    title=draft.title,
                    story=draft.story,
                    backend="embedded",
                    model="embedded-v1",
                    prompt_version="embedded",
                    prompt_hash="",
                    decision="fallback",
                    fallback=True,
                    attempts=len(attempts),
                    usage=usage,
                )
                verdict = Verdict(
                    user_id=uy.user_id,
                    day=request.day,
                    category=category,
                    decision="fallback",
                    attempts=attempts,
                    reasons=first_reasons,
                )
                return GateOutcome(story, verdict, usage)
        verdict = Verdict(
            user_id=uy.user_id,
            day=request.day,
            category=category,
            decision="needs_review",
            attempts=attempts,
            reasons=first_reasons,
        )
        return GateOutcome(None, verdict, usage)


def _is_config_error(exc: BaseException) -> bool:
    """Errors no retry or fallback can fix: the caller must hear about them, not a reviewer."""
    if isinstance(exc, LLMAuthError | ConfigError):
        return True
    return isinstance(exc, LLMHTTPError) and exc.status in (400, 401, 403, 404)
