"""The gate's checks as scorers: one small protocol, each registered by name, each runnable alone.

A scorer is `async score(draft, ctx) -> list[Check]`; `ctx` is a `ScoreContext` (the
listener's `ListenerContext`, the request the draft answers, and the data block its prompt
carried, if any). The deterministic scorers (`format`, `grounding`, `safety`) need nothing but
the listener's data; the judge scorers (`judge.panel`, `judge.geval`) wrap a `Judge`, which has
its own client. Check names are those stored verdicts already hold ("format", "grounding",
"safety.lexicon" ... "safety.injection", "judge.<criterion>"), so old and rescored verdicts
compare.

`score_story(story_or_draft, ctx, names=[...])` runs any of them on a stored story, so stories
can be rescored without being regenerated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from wrapped.errors import ConfigError
from wrapped.gate.context import ListenerContext
from wrapped.gate.form import check_format
from wrapped.gate.grounding import verify_draft
from wrapped.gate.judge import Judge
from wrapped.gate.output import check_safety
from wrapped.prompts.datablock import DataBlock
from wrapped.stats.model import UserYear
from wrapped.story import Check, Draft, PreviousStory, Story, StoryRequest


class ScoreContext(NamedTuple):
    """What a scorer may read besides the draft."""

    listener: ListenerContext
    request: StoryRequest
    #: the data block the writer's prompt carried (the judge's prompt reuses it); None: built
    block: DataBlock | None = None


class Scorer(Protocol):
    """One named check (or family of checks) on one draft."""

    @property
    def name(self) -> str: ...

    async def score(self, draft: Draft, ctx: ScoreContext) -> list[Check]: ...


@dataclass(frozen=True)
class CheckScorer:
    """A deterministic scorer: a plain function of (draft, ctx), no I/O, microseconds to
    milliseconds. `run` is also called directly on the hot path (no coroutine per check)."""

    name: str
    run: Callable[[Draft, ScoreContext], list[Check]]

    async def score(self, draft: Draft, ctx: ScoreContext) -> list[Check]:
        return self.run(draft, ctx)


@dataclass(frozen=True)
class JudgeScorer:
    """The LLM judge as a scorer (`judge.panel` or `judge.geval`, after its suite)."""

    judge: Judge

    @property
    def name(self) -> str:
        return self.judge.suite

    async def score(self, draft: Draft, ctx: ScoreContext) -> list[Check]:
        judged = await self.judge.judge_with_usage(
            draft, ctx.request, safe_year=ctx.listener.safe.user_year, block=ctx.block
        )
        return judged.checks


def _format(draft: Draft, ctx: ScoreContext) -> list[Check]:
    return [check_format(draft)]


def _grounding(draft: Draft, ctx: ScoreContext) -> list[Check]:
    req = ctx.request
    check = verify_draft(draft, req.user_year, req.day, ctx.listener)
    if check.status == "pass" and not any(c.grounded for c in check.claims):
        # a story that quotes nothing from the data is not about this listener's year
        check = check.model_copy(
            update={
                "status": "fail",
                "reasons": ["grounding: the story quotes no fact from the listener's data"],
            }
        )
    return [check]


def _safety(draft: Draft, ctx: ScoreContext) -> list[Check]:
    return check_safety(draft, ctx.request, ctx.listener)


#: the deterministic scorers, in the order the gate runs them (cheapest first)
DETERMINISTIC: tuple[CheckScorer, ...] = (
    CheckScorer("format", _format),
    CheckScorer("grounding", _grounding),
    CheckScorer("safety", _safety),
)
SCORERS: dict[str, CheckScorer] = {s.name: s for s in DETERMINISTIC}
SCORERS["safety.output"] = SCORERS["safety"]  # the output side (input side: the context)
JUDGE_NAMES = ("judge", "judge.panel", "judge.geval")


def deterministic(draft: Draft, ctx: ScoreContext) -> list[Check]:
    """Every deterministic scorer's checks for one draft, in order."""
    out: list[Check] = []
    for scorer in DETERMINISTIC:
        out += scorer.run(draft, ctx)
    return out


def story_context(
    user_year: UserYear,
    story: Story | Draft,
    *,
    day: date | None = None,
    previous: Sequence[PreviousStory] = (),
    listener: ListenerContext | None = None,
) -> ScoreContext:
    """The context to rescore `story` (a stored `Story` names its day; a `Draft` needs `day`)."""
    when = story.day if isinstance(story, Story) else day
    if when is None:
        raise ConfigError("a draft names no day: say which day it is about")
    request = StoryRequest(user_year=user_year, day=when, previous=list(previous))
    return ScoreContext(listener or ListenerContext(user_year), request)


async def score_story(
    story: Story | Draft,
    ctx: ScoreContext,
    names: Sequence[str] | None = None,
    *,
    judge: Judge | None = None,
) -> list[Check]:
    """Run the named scorers on one story, each alone (no decision, no regeneration).

    `names` default: every deterministic scorer, then the judge when one is given. A judge name
    ("judge", "judge.panel", "judge.geval") needs `judge`."""
    draft = story if isinstance(story, Draft) else Draft(title=story.title, story=story.story)
    wanted = list(names) if names is not None else [s.name for s in DETERMINISTIC]
    if names is None and judge is not None:
        wanted.append(judge.suite)
    checks: list[Check] = []
    for name in wanted:
        if name in JUDGE_NAMES:
            if judge is None:
                raise ConfigError(f"scorer {name!r} needs a judge model and endpoint")
            checks += await JudgeScorer(judge).score(draft, ctx)
            continue
        scorer = SCORERS.get(name)
        if scorer is None:
            known = ", ".join([*SCORERS, *JUDGE_NAMES])
            raise ConfigError(f"unknown scorer {name!r} (known: {known})")
        checks += await scorer.score(draft, ctx)
    return checks
