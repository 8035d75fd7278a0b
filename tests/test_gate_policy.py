"""The decision policy end to end: real HTTP to the scripted server, real openai SDK."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from _gate_helpers import DAY, make_user_year, offline_guard

from wrapped.gate import Gate
from wrapped.llm.openai_backend import OpenAIBackend
from wrapped.settings import Settings
from wrapped.story import PreviousStory, StoryRequest
from wrapped.testing import DEFECTS, Rule, Script, ScriptedServer


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
        outcome = asyncio.run(
            Gate(settings, run_dir=tmp_path).produce(
                StoryRequest(user_year=make_user_year(), day=DAY), backend
            )
        )
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
            async def write(self, request):
                result = await super().write(request)
                seen.append((list(request.feedback), result.prompt.messages[-1].content))
                return result

        backend = Spy(settings, base_url=srv.base_url, model="scripted")
        outcome = asyncio.run(
            Gate(settings).produce(StoryRequest(user_year=make_user_year(), day=DAY), backend)
        )
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


@pytest.fixture
def story_files(tmp_path):
    uy = make_user_year()
    stats = tmp_path / "user.json"
    stats.write_text(uy.model_dump_json(), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "day": DAY.isoformat(),
                "title": "A Saturday",
                "story": "Saturday 9 March: 417 minutes, mostly The Beatles. You kept coming back "
                "to them all day long, one song after another, and the day never seemed to run "
                "short of room for them. Some days you press play and simply let the music carry "
                "you along, and this was one of them, start to finish.",
            }
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "day": DAY.isoformat(),
                "title": "A Saturday",
                "story": "Saturday 9 March: 517 minutes, mostly Radiohead. You kept coming back "
                "to them all day long, one song after another, and the day never seemed to run "
                "short of room for them. Some days you press play and simply let the music carry "
                "you along, and this was one of them, start to finish.",
            }
        )
    )
    return stats, good, bad


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wrapped", "gate", "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_gate_check(story_files) -> None:
    stats, good, bad = story_files
    ok = _cli(str(good), "--stats", str(stats), "--no-judge")
    assert ok.returncode == 0 and "PASS" in ok.stdout
    fail = _cli(str(bad), "--stats", str(stats), "--no-judge", "--json")
    assert fail.returncode == 1
    out = json.loads(fail.stdout)
    reasons = [r for c in out["checks"] for r in c["reasons"]]
    assert (
        not out["passed"]
        and any("Radiohead" in r for r in reasons)
        and any("517" in r for r in reasons)
    )
    wrong_day = _cli(str(good), "--stats", str(stats), "--day", "2024-02-02")
    assert (
        wrong_day.returncode == 2
        and "not one of this listener's interesting days" in wrong_day.stderr
    )
    assert "Traceback" not in wrong_day.stderr


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
        outcome = asyncio.run(Gate(settings, run_dir=tmp_path).produce(req, backend))
    assert attempts == []
    first = outcome.verdict.attempts[0]
    assert not first.passed and first.reasons, defect
    assert outcome.verdict.decision == "pass" and outcome.story.attempts == 2


def test_a_story_that_quotes_nothing_from_the_data_fails_even_without_a_judge() -> None:
    """A weak model's off-topic prose claims nothing, so no grounding rule fires; it must still
    not pass (seen with SmolLM2: "I was a musician. I played all the time...")."""
    from wrapped.gate.policy import deterministic_checks, passed
    from wrapped.story import Draft, StoryRequest

    uy = make_user_year()
    prose = (
        "I was a musician. I played all the time, and it was like everything changed for me. "
        "But when I went to eat in the morning, I saw a new sunrise, so my music has always "
        "been a kind of home for me, a place to rest and think about the long road ahead and "
        "the people I met along the way, every single one of them."
    )
    checks = deterministic_checks(
        Draft(title="Music", story=prose), StoryRequest(user_year=uy, day=DAY)
    )
    assert not passed(checks)
    reasons = [r for c in checks for r in c.reasons]
    assert any("quotes no fact" in r for r in reasons)
    assert any("not written to the listener" in r for r in reasons)
