"""One listener's stories: the interesting days in order, each through `write_story`.

Days are written in sequence so each prompt carries the listener's earlier stories. The
listener's derived data (sanitized year, fact indexes, prompt base) lives in one
`ListenerContext` made here and dropped when the listener is done. A failure is data (a
`ListenerResult` with status "failed" and the error), never a crash of the run — except a
configuration error (wrong key, unknown model) that would fail every listener the same way:
"fatal", which stops the run with one clear line; and an outage of the endpoint
(`LLMOutageError`): "halted", which stops the run too, the listener left for the rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from wrapped.errors import (
    FATAL_HTTP_STATUSES,
    ConfigError,
    LLMAuthError,
    LLMHTTPError,
    LLMOutageError,
    WrappedError,
)
from wrapped.gate import Gate, ListenerContext
from wrapped.generate.story import StoryOutcome, write_story
from wrapped.llm.backend import Backend
from wrapped.settings import Settings
from wrapped.stats.model import UserYear
from wrapped.story import PreviousStory, Story, StoryRequest, Usage, Verdict


class ListenerResult(BaseModel):
    """What a worker returns for one listener (one journal line)."""

    model_config = ConfigDict(extra="forbid")

    user_id: str
    status: Literal["done", "failed", "fatal", "halted"]
    error: str | None = None
    stories: list[Story] = Field(default_factory=list)  # in day order
    verdicts: list[Verdict] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    days: int = 0

    def finished(self) -> Finished:
        """The journal line plus the few numbers the driver counts, so the driver neither
        unpickles nor re-serializes a listener's stories and verdicts (it only appends them)."""
        return Finished(
            user_id=self.user_id,
            status=self.status,
            error=self.error,
            line=self.model_dump_json(),
            stories=len(self.verdicts),
            passed=sum(v.decision == "pass" for v in self.verdicts),
            usage=self.usage,
        )


class Finished(NamedTuple):
    """What crosses from a worker to the driver for one listener."""

    user_id: str
    status: str
    error: str | None
    line: str  # the ListenerResult as one JSON line: the journal's record
    stories: int
    passed: int
    usage: Usage


async def write_listener(
    user_year: UserYear,
    *,
    gate: Gate,
    backend: Backend,
    settings: Settings,
    on_story: Callable[[StoryOutcome], None] | None = None,
) -> ListenerResult:
    """Run every interesting day of one listener through `write_story`.

    `on_story` is told each day's outcome as it completes (progress counters)."""
    ctx = ListenerContext(user_year)
    previous: list[PreviousStory] = []
    stories: list[Story] = []
    verdicts: list[Verdict] = []
    usage = Usage()
    try:
        for day in user_year.days:
            request = StoryRequest(
                user_year=user_year, day=day.date, previous=list(previous), seed=settings.seed
            )
            outcome = await write_story(
                request, ctx=ctx, backend=backend, gate=gate, settings=settings
            )
            if on_story is not None:
                on_story(outcome)
            usage = usage + outcome.usage
            verdicts.append(outcome.verdict)
            story = outcome.story
            if story is not None:
                stories.append(story)
                previous.append(
                    PreviousStory(
                        day=day.date, category=day.category, title=story.title, story=story.story
                    )
                )
    except (LLMAuthError, ConfigError) as exc:
        return ListenerResult(
            user_id=user_year.user_id, status="fatal", error=str(exc), usage=usage
        )
    except LLMOutageError as exc:
        # not this listener's failure: left unfinished (not journaled), so a rerun writes it
        return ListenerResult(
            user_id=user_year.user_id, status="halted", error=str(exc), usage=usage
        )
    except LLMHTTPError as exc:
        status: Literal["fatal", "failed"] = (
            "fatal" if exc.status in FATAL_HTTP_STATUSES else "failed"
        )
        return ListenerResult(user_id=user_year.user_id, status=status, error=str(exc), usage=usage)
    except WrappedError as exc:
        return _failed(user_year, exc, usage)
    except Exception as exc:  # noqa: BLE001 - a listener's bug must not sink the run; it is recorded
        return _failed(user_year, exc, usage)
    return ListenerResult(
        user_id=user_year.user_id,
        status="done",
        stories=stories,
        verdicts=verdicts,
        usage=usage,
        days=len(user_year.days),
    )


def _failed(user_year: UserYear, exc: BaseException, usage: Usage) -> ListenerResult:
    return ListenerResult(
        user_id=user_year.user_id,
        status="failed",
        error=f"{type(exc).__name__}: {exc}"[:500],
        usage=usage,
        days=len(user_year.days),
    )
