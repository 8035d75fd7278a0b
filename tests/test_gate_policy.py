"""The gate: its scorers, run together (deterministic first) or alone, and `wrapped gate check`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from _gate_helpers import DAY, make_user_year


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


# --- scorers, each runnable alone ---------------------------------------------------------------


def _stored(story: str, title: str = "A Saturday"):
    from wrapped.story import Story

    return Story(
        user_id=make_user_year().user_id, day=DAY, category="biggest_music_day", title=title,
        story=story, backend="scripted", model="m", prompt_version="v1", prompt_hash="h",
        decision="pass",
    )  # fmt: skip


WRONG = (
    "Saturday 9 March: 517 minutes, mostly Radiohead. You kept coming back to them all day "
    "long, one song after another, and the day never seemed to run short of room for them."
)


def test_each_scorer_runs_alone_on_a_stored_story() -> None:
    import asyncio

    from wrapped.gate import SCORERS, score_story, story_context

    uy = make_user_year()
    story = _stored(WRONG)
    ctx = story_context(uy, story)
    assert ctx.request.day == DAY
    grounding = asyncio.run(score_story(story, ctx, ["grounding"]))
    assert [c.name for c in grounding] == ["grounding"] and grounding[0].status == "fail"
    assert any("Radiohead" in r for r in grounding[0].reasons)
    fmt = asyncio.run(score_story(story, ctx, ["format"]))
    assert [(c.name, c.status) for c in fmt] == [("format", "fail")]  # 30 words: too short
    safety = asyncio.run(score_story(story, ctx, ["safety"]))
    assert {c.name for c in safety} == {
        "safety.lexicon", "safety.flagged_title", "safety.pii", "safety.sensitive",
        "safety.shaming", "safety.injection",
    }  # fmt: skip
    everything = asyncio.run(score_story(story, ctx))  # every deterministic scorer, in order
    assert [c.name for c in everything] == [c.name for c in fmt + grounding + safety]
    assert {"format", "grounding", "safety", "safety.output"} <= SCORERS.keys()


def test_unknown_or_unconfigured_scorers_are_one_clear_error() -> None:
    import asyncio

    from wrapped.errors import ConfigError
    from wrapped.gate import score_story, story_context

    ctx = story_context(make_user_year(), _stored(WRONG))
    with pytest.raises(ConfigError, match="unknown scorer 'vibes'"):
        asyncio.run(score_story(_stored(WRONG), ctx, ["vibes"]))
    with pytest.raises(ConfigError, match="needs a judge"):
        asyncio.run(score_story(_stored(WRONG), ctx, ["judge.panel"]))


def test_the_judge_scorer_runs_alone_through_its_own_client(tmp_path) -> None:
    import asyncio

    from wrapped.gate import Gate, score_story, story_context
    from wrapped.settings import Settings
    from wrapped.testing import Script, ScriptedServer

    story = _stored(
        "Saturday 9 March: 417 minutes, mostly The Beatles. You kept coming back to them all "
        "day long, one song after another, and the day never seemed to run short of room for "
        "them. Some days you press play and simply let the music carry you along, and this was "
        "one of them, start to finish."
    )
    with ScriptedServer(Script()) as srv:
        settings = Settings(judge_model="scripted-judge", judge_base_url=srv.base_url, cache=False)

        async def go():
            gate = Gate(settings, run_dir=tmp_path)
            try:
                ctx = story_context(make_user_year(), story)
                return await score_story(story, ctx, ["judge.panel"], judge=gate.judge)
            finally:
                await gate.aclose()

        checks = asyncio.run(go())
        log = srv.requests()
    assert checks and all(c.name.startswith("judge.") and c.status == "pass" for c in checks)
    assert [r.kind for r in log] == ["judge"]  # no writer was called: a rescore, not a rewrite


def test_cli_gate_check_runs_one_scorer(story_files) -> None:
    stats, _good, bad = story_files
    out = _cli(str(bad), "--stats", str(stats), "--scorer", "grounding", "--json")
    assert out.returncode == 1, out.stderr
    checks = json.loads(out.stdout)["checks"]
    assert [c["name"] for c in checks] == ["grounding"] and checks[0]["status"] == "fail"
    unknown = _cli(str(bad), "--stats", str(stats), "--scorer", "vibes")
    assert unknown.returncode == 2 and "unknown scorer" in unknown.stderr
    assert "Traceback" not in unknown.stderr
