"""The gate: an ordered list of scorers plus a decision rule.

1. The deterministic scorers run first (`format`, `grounding`, `safety`; see
   `wrapped.gate.scorers`). Only a draft that passes them goes to the LLM judge (a judge call
   costs money; a wrong number is already a fail). When no judge runs (`--no-judge`, or the
   embedded writer with no judge endpoint), one "judge" Check says "skipped" and why — it is
   never recorded as a pass.
2. A draft passes when no check is "fail" or "unscored" ("skipped" is allowed).

What happens to a failing draft (feedback, regeneration, fallback, review) is the generate
stage's business (`wrapped.generate`): the gate never calls a writer and never writes a story.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from wrapped.gate.context import ListenerContext, context_for
from wrapped.gate.judge import Judge, JudgeTarget, judge_target
from wrapped.gate.scorers import JudgeScorer, ScoreContext, deterministic
from wrapped.settings import Settings
from wrapped.story import Check, Draft, StoryRequest, Usage
from wrapped.turns import cpu_turn


class Scored(NamedTuple):
    """One draft's checks and what scoring it cost (the judge's calls)."""

    checks: list[Check]
    usage: Usage


def deterministic_checks(
    draft: Draft, request: StoryRequest, ctx: ListenerContext | None = None
) -> list[Check]:
    """Format, grounding and output-side safety: no LLM, microseconds to milliseconds."""
    listener = context_for(request.user_year, ctx)
    return deterministic(draft, ScoreContext(listener, request))


def passed(checks: list[Check]) -> bool:
    """Pass = nothing failed and nothing unscored ("skipped" is fine, and says so)."""
    return all(c.status in ("pass", "skipped") for c in checks)


def reasons_of(checks: list[Check]) -> list[str]:
    """The reasons a draft did not pass, each once (the feedback for its regeneration)."""
    out: list[str] = []
    for c in checks:
        if c.status == "fail":
            out += c.reasons or [f"{c.name} failed"]
        elif c.status == "unscored":
            out.append(f"{c.name}: the judge's verdict could not be read (unscored)")
    return list(dict.fromkeys(out))


def skipped_judge(reason: str) -> Check:
    """The check that says no judge scored this draft, and why."""
    return Check(name="judge", layer="judge", status="skipped", reasons=[reason])


class Gate:
    """The deterministic scorers, then the judge scorer when one runs, then `passed`."""

    def __init__(
        self,
        settings: Settings,
        judge_client: Any = None,
        *,
        run_dir: Path | str | None = None,
    ) -> None:
        """The judge follows `judge_target(settings)`; `judge_client` is a ready client for
        it (the local model's, which only the writer can start), else the judge builds one."""
        self.settings = settings
        self._judge: JudgeScorer | None = None
        target: JudgeTarget | str = judge_target(settings)
        self._skip_reason = target if isinstance(target, str) else ""
        if isinstance(target, JudgeTarget):
            judge = Judge(settings, judge_client, run_dir=run_dir, target=target)
            self._judge = JudgeScorer(judge)

    @property
    def judge(self) -> Judge | None:
        """The judge this gate runs (None: the "judge" check is skipped)."""
        return self._judge.judge if self._judge is not None else None

    @property
    def judge_enabled(self) -> bool:
        return self._judge is not None

    @property
    def judge_base_url(self) -> str | None:
        """Where the judge's calls go (None when no judge runs or its client has no URL yet)."""
        judge = self.judge
        url = getattr(judge.client, "base_url", None) if judge is not None else None
        return url if isinstance(url, str) else None

    async def check(
        self, draft: Draft, request: StoryRequest, ctx: ListenerContext | None = None
    ) -> list[Check]:
        """Every check for one draft (the judge only after the deterministic layer passed)."""
        score_ctx = ScoreContext(context_for(request.user_year, ctx), request)
        return (await self.score(draft, score_ctx)).checks

    async def score(self, draft: Draft, ctx: ScoreContext) -> Scored:
        """`check`, with the judge's cost, for a caller that keeps a `ScoreContext`."""
        await cpu_turn()  # the checks and the judge's prompt: CPU only, until the judge's call
        checks = deterministic(draft, ctx)
        if self._judge is None:
            checks.append(skipped_judge(self._skip_reason))
        elif not passed(checks):
            checks.append(skipped_judge("deterministic checks failed first"))
        else:
            judged = await self._judge.judge.judge_with_usage(
                draft, ctx.request, safe_year=ctx.listener.safe.user_year, block=ctx.block
            )
            checks += judged.checks
            return Scored(checks, judged.usage)
        return Scored(checks, Usage())

    async def aclose(self) -> None:
        """Close the judge's own client (a shared one is closed by its owner)."""
        judge = self.judge
        close = getattr(judge.client, "aclose", None) if judge is not None else None
        if close is not None:
            await close()
