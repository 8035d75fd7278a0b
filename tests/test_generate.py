"""The generate stage end to end: real HTTP to the scripted server, real openai SDK.

One story through `write_story` (attempts, feedback, fallback, needs_review), the judge that
runs by default with an LLM writer, and a listener through `write_listener`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from _gate_helpers import DAY, make_user_year, offline_guard

from wrapped.gate import Gate, ListenerContext
from wrapped.generate import StoryOutcome, write_story
from wrapped.llm.backend import Backend
from wrapped.llm.openai_backend import OpenAIBackend
from wrapped.settings import Settings
from wrapped.story import PreviousStory, StoryRequest
from wrapped.testing import DEFECTS, Rule, Script, ScriptedServer


def produce(
    settings: Settings, request: StoryRequest, backend: Backend, run_dir: Path | None = None
) -> StoryOutcome:
    """One story through the generate loop, with a gate built for `settings`."""

    async def go() -> StoryOutcome:
        gate = Gate(settings, run_dir=run_dir)
        try:
            ctx = ListenerContext(request.user_year)
            return await write_story(
                request, ctx=ctx, backend=backend, gate=gate, settings=settings
            )
        finally:
            await gate.aclose()

    return asyncio.run(go())


def _produce(script: Script, tmp_path: Path, **overrides):
    with ScriptedServer(script) as srv, offline_guard() as attempts:
        settings = Settings(
            backend="scripted",
            model="scripted",
            base_url=srv.base_url,
            judge_model="scripted-judge",
            judge_base_url=srv.base_url,
            cache=False,
            max_attempts=1,
            **overrides,
        )
        backend = OpenAIBackend(settings, base_url=srv.base_url, model="scripted")
        request = StoryRequest(user_year=make_user_year(), day=DAY)
        outcome = produce(settings, request, backend, tmp_path)
        log = srv.requests()
    assert attempts == []
    return outcome, log


def test_clean_first_draft_passes_with_the_judge(tmp_path) -> None:
    outcome, log = _produce(Script(), tmp_path)
    assert outcome.verdict.decision == "pass" and outcome.story is not None
    assert not outcome.story.fallback and outcome.story.attempts == 1
    checks = outcome.verdict.attempts[0].checks
    assert {c.layer for c in checks} == {"format", "grounding", "safety", "judge"}
    assert all(c.status == "pass" for c in checks)
    assert sum(r.kind == "judge" for r in log) == 1  # one panel question scored every criterion
    assert outcome.usage.calls == len(log)  # writer + judge calls are all accounted for


def test_defective_first_draft_is_regenerated_with_the_reasons_as_feedback(tmp_path) -> None:
    script = Script(rules=[Rule(model="scripted", attempt=[1], defect="hallucinated_artist")])
    outcome, log = _produce(script, tmp_path)
    first, second = outcome.verdict.attempts
    assert not first.passed and any("not a name in your listening data" in r for r in first.reasons)
    assert second.passed and outcome.verdict.decision == "pass" and outcome.story.attempts == 2
    assert outcome.verdict.reasons == first.reasons  # why it did not pass first time
    writer = [r for r in log if r.kind == "writer"]
    assert [r.attempt for r in writer] == [1, 2]


def test_feedback_reaches_the_writer_prompt(tmp_path) -> None:
    script = Script(rules=[Rule(model="scripted", attempt=[1], defect="wrong_number")])
    with ScriptedServer(script) as srv:
        settings = Settings(
            backend="scripted",
            model="scripted",
            base_url=srv.base_url,
            judge=False,
            cache=False,
            max_attempts=1,
        )
        seen: list[tuple[list[str], str]] = []

        class Spy(OpenAIBackend):
            async def write(self, job):
                result = await super().write(job)
                seen.append((list(job.request.feedback), job.prompt.messages[-1].content))
                return result

        backend = Spy(settings, base_url=srv.base_url, model="scripted")
        outcome = produce(settings, StoryRequest(user_year=make_user_year(), day=DAY), backend)
    first_reasons = outcome.verdict.attempts[0].reasons
    assert seen[0][0] == [] and first_reasons and seen[1][0] == first_reasons
    # the reasons travel inside the prompt's data block, where the writer reads them
    assert all(json.dumps(r)[1:-1] in seen[1][1] or r in seen[1][1] for r in first_reasons)
    assert outcome.verdict.decision == "pass"


def test_always_defective_writer_falls_back_to_a_grounded_embedded_story(tmp_path) -> None:
    script = Script(rules=[Rule(model="scripted", defect="unsafe")])
    outcome, _ = _produce(script, tmp_path, gate_max_attempts=3)
    v = outcome.verdict
    assert (
        v.decision == "fallback" and outcome.story.fallback and outcome.story.backend == "embedded"
    )
    assert [a.passed for a in v.attempts] == [False, False, False, True]
    assert v.attempts[-1].backend == "embedded"
    # the fallback itself passed the deterministic checks; the judge was not asked about it
    last = {c.name: c.status for c in v.attempts[-1].checks}
    assert last["grounding"] == "pass" and last["judge"] == "skipped"
    assert outcome.story.attempts == 4


def test_needs_review_when_configured(tmp_path) -> None:
    script = Script(rules=[Rule(model="scripted", defect="echo_injection")])
    outcome, _ = _produce(script, tmp_path, gate_max_attempts=2, on_gate_fail="needs_review")
    assert outcome.story is None and outcome.verdict.decision == "needs_review"
    assert len(outcome.verdict.attempts) == 2


def test_unscored_judge_never_lets_a_draft_pass(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WRAPPED_SCRIPTED_JUDGE", "garbage")
    outcome, _ = _produce(Script(), tmp_path, gate_max_attempts=2)
    assert outcome.verdict.decision == "fallback"
    assert all(not a.passed for a in outcome.verdict.attempts[:2])
    judged = [c for c in outcome.verdict.attempts[0].checks if c.layer == "judge"]
    assert judged and {c.status for c in judged} == {"unscored"}


@pytest.mark.parametrize("defect", DEFECTS)
def test_every_scripted_defect_is_rejected_then_regenerated(defect: str, tmp_path) -> None:
    """The scripted server's planted defects (C's list) never pass; the clean retry does."""
    script = Script(rules=[Rule(model="scripted", attempt=[1], defect=defect)])
    with ScriptedServer(script) as srv, offline_guard() as attempts:
        settings = Settings(
            backend="scripted",
            model="scripted",
            base_url=srv.base_url,
            cache=False,
            max_attempts=1,
            judge_model="scripted-judge",
            judge_base_url=srv.base_url,
        )
        backend = OpenAIBackend(settings, base_url=srv.base_url, model="scripted")
        previous = [
            PreviousStory(
                day="2024-01-01",
                category="new_years_day",
                title="Opening Lines",
                story="Every year needs an opening track, and yours was Hyperballad "
                "by Björk: 21 plays and 88 minutes on New Year's Day.",
            )
        ]
        req = StoryRequest(user_year=make_user_year(), day=DAY, previous=previous)
        outcome = produce(settings, req, backend, tmp_path)
    assert attempts == []
    first = outcome.verdict.attempts[0]
    assert not first.passed and first.reasons, defect
    assert outcome.verdict.decision == "pass" and outcome.story.attempts == 2


