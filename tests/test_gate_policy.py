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
