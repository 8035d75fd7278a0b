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
    assert outcome.verdict.decision == "needs_review"
    # the last draft is held for a human, marked, never delivered as passed
    assert outcome.story is not None and outcome.story.decision == "needs_review"
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


# --- the judge that really runs (default a) ---------------------------------------------------


def test_an_llm_run_is_judged_by_the_writers_model_at_its_endpoint_unless_no_judge(tmp_path):
    """`generate --base-url URL --model M` with no --judge-model: the judge is M at URL (the
    server's log shows its calls; every verdict holds judge checks). --no-judge turns it off,
    and the verdicts say so."""
    from _batch_helpers import REPO, cli_env, only_run, read_lines, run_cli

    env = cli_env(tmp_path)
    with ScriptedServer(Script()) as srv:
        base = [
            "generate",
            str(REPO / "data" / "sample"),
            "--base-url",
            srv.base_url,
            "--model",
            "M",
            "--no-cache",  # the second run asks the endpoint again
        ]
        judged = run_cli([*base, "--out", str(tmp_path / "on"), "--users", "1", "-q"], env)
        on_log = srv.requests()
        srv.clear()
        off = run_cli(
            [*base, "--out", str(tmp_path / "off"), "--users", "1", "-q", "--no-judge"], env
        )
        off_log = srv.requests()
    assert judged.returncode == 0, judged.stderr[-2000:]
    assert off.returncode == 0, off.stderr[-2000:]
    writer = [r for r in on_log if r.kind == "writer"]
    judge = [r for r in on_log if r.kind == "judge"]
    assert writer and len(judge) == len(writer)  # one panel question per passing draft
    assert {r.model for r in judge} == {"M"}
    for verdict in read_lines(only_run(tmp_path / "on") / "verdicts"):
        checks = verdict["attempts"][-1]["checks"]
        scored = {c["name"] for c in checks if c["layer"] == "judge" and c["status"] == "pass"}
        assert {"judge.grounding", "judge.tone", "judge.safety"} <= scored, checks
    assert not [r for r in off_log if r.kind == "judge"] and off_log
    for verdict in read_lines(only_run(tmp_path / "off") / "verdicts"):
        (skipped,) = [c for c in verdict["attempts"][-1]["checks"] if c["layer"] == "judge"]
        assert skipped["status"] == "skipped" and skipped["reasons"] == ["--no-judge"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "judge: off (embedded writer: no LLM endpoint)"),
        ({"judge_model": "j"}, "judge: off (embedded writer: no LLM endpoint)"),
        (
            {"judge_model": "j", "judge_base_url": "http://127.0.0.1:9/v1"},
            "judge: j at 127.0.0.1:9 (panel)",
        ),
        (
            {"backend": "openai", "base_url": "http://h:1/v1", "model": "m"},
            "judge: m at h:1 (panel)",
        ),
        (
            {"backend": "scripted", "base_url": "http://h:1/v1", "model": "m", "judge": False},
            "judge: off (--no-judge)",
        ),
        (
            {"backend": "openai", "base_url": "http://h:1/v1", "judge_model": "j"},
            "judge: j at h:1 (panel)",
        ),
        (
            {"backend": "openai", "base_url": "http://h:1/v1", "judge_base_url": "http://k:2/v1",
             "judge_suite": "full"},
            "judge: gpt-4o-mini at k:2 (full)",
        ),
        ({"backend": "local"}, "judge: smollm2-135m-instruct at 127.0.0.1 (the local model server) (panel)"),
        (
            {"backend": "local", "judge_base_url": "http://k:2/v1"},
            "judge: smollm2-135m-instruct at k:2 (panel)",
        ),
    ],
)  # fmt: skip
def test_describe_judge_tells_which_judge_runs(options, expected) -> None:
    from wrapped.gate import describe_judge

    assert describe_judge(Settings(**options)).describe() == expected


def test_the_local_judge_shares_the_writers_model_server_without_starting_it() -> None:
    """With --backend local the judge asks the writer's own server (only the writer can start
    it); building the gate starts nothing, and closing the gate leaves the writer's client."""
    from wrapped.generate import build_gate
    from wrapped.llm.local import LocalBackend, SharedClient

    backend = LocalBackend(Settings(backend="local"))
    gate = build_gate(backend.settings, backend)
    assert gate.judge is not None and isinstance(gate.judge.client, SharedClient)
    assert gate.judge.model_name == "smollm2-135m-instruct"
    assert gate.judge_base_url is None and backend.server is None  # nothing started
    asyncio.run(gate.aclose())


# --- the listener loop ------------------------------------------------------------------------


def test_the_embedded_writer_is_handed_no_prompt_and_its_stories_name_the_phrase_bank() -> None:
    from wrapped.generate import write_listener
    from wrapped.writer import EmbeddedBackend, phrasebank_hash

    jobs = []

    class Spy(EmbeddedBackend):
        async def write(self, job):
            jobs.append(job)
            return await super().write(job)

    settings = Settings()
    uy = make_user_year()
    result = asyncio.run(
        write_listener(uy, gate=Gate(settings), backend=Spy(settings), settings=settings)
    )
    assert result.status == "done" and len(result.stories) == len(uy.days)
    assert jobs and all(job.prompt is None for job in jobs)  # no prompt rendered for it
    assert {(s.prompt_version, s.prompt_hash) for s in result.stories} == {
        ("embedded", phrasebank_hash())
    }
    # each day's prompt data carries the earlier days' stories ("previous reports")
    assert [len(job.request.previous) for job in jobs] == list(range(len(uy.days)))


def test_write_listener_tells_on_story_each_outcome_as_it_completes() -> None:
    from wrapped.generate import write_listener
    from wrapped.writer import EmbeddedBackend

    settings = Settings()
    uy = make_user_year()
    seen: list[StoryOutcome] = []
    result = asyncio.run(
        write_listener(
            uy, gate=Gate(settings), backend=EmbeddedBackend(settings), settings=settings,
            on_story=seen.append,
        )
    )  # fmt: skip
    assert [o.verdict for o in seen] == result.verdicts and len(seen) == len(uy.days)


def test_a_configuration_error_is_fatal_for_the_listener_not_a_fallback(tmp_path) -> None:
    """A 401 from the endpoint fails every story alike: "fatal" (the run stops), no fallback."""
    from wrapped.generate import write_listener

    script = Script(rules=[Rule(model="scripted", fault="unauthorized")])
    with ScriptedServer(script) as srv:
        settings = Settings(
            backend="scripted", model="scripted", base_url=srv.base_url, judge=False,
            cache=False, max_attempts=1,
        )  # fmt: skip
        backend = OpenAIBackend(settings, base_url=srv.base_url, model="scripted")

        async def go():
            try:
                return await write_listener(
                    make_user_year(), gate=Gate(settings), backend=backend, settings=settings
                )
            finally:
                await backend.aclose()

        result = asyncio.run(go())
    assert result.status == "fatal" and not result.stories and result.error
