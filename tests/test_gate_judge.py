"""The deepeval judge through the scripted server: verdicts, "unscored", and staying offline."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _gate_helpers import DAY, NetworkBlocked, make_user_year, offline_guard

from wrapped.gate import Gate
from wrapped.gate.judge import Judge
from wrapped.gate.judge_metrics import PANEL_CRITERIA, parse_json_reply
from wrapped.settings import Settings
from wrapped.story import Draft, PreviousStory, StoryRequest
from wrapped.testing import Script, ScriptedServer
from wrapped.testing.scripted_judge import set_mode

REPO = Path(__file__).resolve().parents[1]
GOOD = Draft(
    title="Saturday, Well Played",
    story=(
        "Saturday 9 March was a big one: 417 minutes of listening, or nearly 7 hours if you prefer. "
        "It started at 07:42 with “Here Comes the Sun” by The Beatles. The Beatles did most of the "
        "talking, with 38 plays. Zoom out and The Beatles is still your favourite artist of the year, "
        "with Björk your #2. All told you spent over 32,000 minutes listening this year. Here's to more."
    ),
)
PREVIOUS = PreviousStory(
    day="2024-01-01",
    category="new_years_day",
    title="Opening Lines",
    story="Every year needs an opening track. Yours was Hyperballad by Björk, and you kept going "
    "for 21 plays on New Year's Day, 88 minutes in all, a fine way to begin a year of music.",
)


@pytest.fixture(scope="module")
def server():
    with ScriptedServer(Script()) as srv:
        yield srv


PANEL = {f"judge.{n}" for n in PANEL_CRITERIA}
FULL = {
    "judge.tone",
    "judge.faithfulness",
    "judge.repetition",
    "judge.locale",
    "judge.format",
    "judge.safety",
    "judge.toxicity",
    "judge.bias",
    "judge.pii",
}


@pytest.fixture(params=["panel", "full"])
def judge(server, tmp_path, request):
    settings = Settings(
        judge_model="scripted-judge",
        judge_base_url=server.base_url,
        cache=False,
        judge_suite=request.param,
    )
    with offline_guard() as attempts:
        yield Judge(settings, run_dir=tmp_path)
        assert attempts == [], attempts  # nothing left the machine while the judge ran


def _run(judge: Judge, draft: Draft) -> dict[str, object]:
    req = StoryRequest(user_year=make_user_year(), day=DAY, previous=[PREVIOUS])
    return {c.name: c for c in asyncio.run(judge.judge(draft, req))}


def test_good_story_passes_every_rubric_and_safety_metric(judge: Judge) -> None:
    checks = _run(judge, GOOD)
    panel = judge.settings.judge_suite == "panel"
    assert set(checks) == (PANEL if panel else FULL)
    assert {n: c.status for n, c in checks.items() if c.status != "pass"} == {}
    assert all(0.0 <= c.score <= 1.0 for c in checks.values())
    # the panel asks one question for every criterion; the full suite at least one per metric
    assert judge.usage.calls == 1 if panel else judge.usage.calls >= len(checks)


@pytest.mark.parametrize(
    ("story", "metric"),
    [
        (GOOD.story.replace("favourite", "favorite") + " What a colorful day.", "judge.locale"),
        (PREVIOUS.story, "judge.repetition|judge.freshness"),
        (GOOD.story + " A guilty pleasure, honestly.", "judge.tone"),
        ("Too short.", "judge.format"),
        (
            GOOD.story + " You also loved “Invented Song” by Nobody.",
            "judge.faithfulness|judge.grounding",
        ),
    ],
)
def test_rubric_failures(judge: Judge, story: str, metric: str) -> None:
    full, panel = (metric.split("|") * 2)[:2]
    name = panel if judge.settings.judge_suite == "panel" else full
    checks = _run(judge, Draft(title=GOOD.title, story=story))
    assert checks[name].status == "fail"
    assert checks[name].reasons and checks[name].score < judge.settings.judge_threshold
    # the other criteria are still scored on their own
    assert sum(c.status == "pass" for c in checks.values()) >= 3


def test_garbage_judge_replies_are_unscored_never_pass(judge: Judge) -> None:
    set_mode("garbage")
    try:
        checks = _run(judge, GOOD)
    finally:
        set_mode("normal")
    assert {c.status for c in checks.values()} == {"unscored"}
    assert all("unusable" in c.reasons[0] for c in checks.values())


def test_panel_reply_missing_a_criterion_leaves_it_unscored(server, tmp_path) -> None:
    """A judge that forgets to score 'safety' must not let the draft through on the others."""
    from wrapped.gate.judge_metrics import PanelReply

    settings = Settings(judge_model="scripted-judge", judge_base_url=server.base_url, cache=False)
    judge = Judge(settings, run_dir=tmp_path)

    async def forgetful(messages, schema):
        assert schema is PanelReply and messages[0]["role"] == "system"
        scores = dict.fromkeys(PANEL_CRITERIA, 0.9)
        del scores["safety"]
        scores["locale"] = 7  # a 0..10 answer to a 0..1 question is not read as a pass either
        return PanelReply(scores=scores, reasons={})

    judge.llm.a_chat = forgetful
    checks = _run(judge, GOOD)
    assert checks["judge.safety"].status == "unscored"
    assert checks["judge.locale"].status == "unscored"
    assert checks["judge.tone"].status == "pass"


def test_gate_does_not_pass_an_unscored_draft(server, tmp_path) -> None:
    settings = Settings(judge_model="scripted-judge", judge_base_url=server.base_url, cache=False)
    gate = Gate(settings, run_dir=tmp_path)
    req = StoryRequest(user_year=make_user_year(), day=DAY)
    draft = Draft(
        title=GOOD.title, story=GOOD.story + " JUDGE-GARBAGE"
    )  # per-request garbage switch
    with offline_guard():
        checks = asyncio.run(gate.check(draft, req))
    judged = [c for c in checks if c.layer == "judge"]
    assert judged and all(c.status == "unscored" for c in judged)


def test_judge_off_or_unconfigured_is_skipped_not_passed() -> None:
    req = StoryRequest(user_year=make_user_year(), day=DAY)
    off = ((Settings(judge=False), "--no-judge"), (Settings(), "embedded writer: no LLM endpoint"))
    for settings, why in off:
        checks = asyncio.run(Gate(settings).check(GOOD, req))
        judge = [c for c in checks if c.layer == "judge"]
        assert [c.status for c in judge] == ["skipped"] and why in judge[0].reasons[0]


def test_parse_json_reply_is_strict() -> None:
    from deepeval.metrics.g_eval.schema import ReasonScore

    assert parse_json_reply('```json\n{"reason": "ok", "score": 7}\n```', ReasonScore).score == 7
    for bad in ("7/10", '{"reason": "ok"}', '{"score": "high", "reason": 1}'):
        with pytest.raises(ValueError):
            parse_json_reply(bad, ReasonScore)


def test_offline_guard_trips_on_a_non_loopback_connection() -> None:
    with offline_guard() as attempts:
        with pytest.raises(NetworkBlocked):
            socket.create_connection(("192.0.2.1", 443), timeout=0.5)  # TEST-NET-1, never routed
        with pytest.raises(NetworkBlocked):
            socket.getaddrinfo("telemetry.example.com", 443)
        # loopback stays allowed
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        socket.create_connection(s.getsockname(), timeout=1).close()
        s.close()
    assert [a[1] for a in attempts] == ["192.0.2.1", "telemetry.example.com"]


def test_a_fresh_process_judges_offline_and_keeps_deepeval_files_in_the_run_dir(tmp_path) -> None:
    """deepeval imported fresh (telemetry and folder settings are read at import and at exit)."""
    code = textwrap.dedent(
        f"""
        import atexit, json, sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        from _gate_helpers import offline_guard, make_user_year, DAY
        guard = offline_guard(); attempts = guard.__enter__()
        atexit.register(lambda: print("ATTEMPTS=" + json.dumps(attempts)))  # runs last
        import asyncio
        from wrapped.gate.judge import Judge
        from wrapped.settings import Settings
        from wrapped.story import Draft, StoryRequest
        from wrapped.testing import Script, ScriptedServer
        with ScriptedServer(Script()) as srv:
            s = Settings(judge_model="scripted-judge", judge_base_url=srv.base_url, cache=False)
            j = Judge(s, run_dir={str(tmp_path / "run")!r})
            draft = Draft(title="t", story={GOOD.story!r})
            checks = asyncio.run(j.judge(draft, StoryRequest(user_year=make_user_year(), day=DAY)))
            print("STATUSES=" + json.dumps(sorted({{c.status for c in checks}})))
        """
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("DEEPEVAL_")}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    assert json.loads(lines["STATUSES"]) == ["pass"]
    assert json.loads(lines["ATTEMPTS"]) == []
    assert (tmp_path / "run" / ".deepeval").is_dir()
    assert not (tmp_path / ".deepeval").exists()
