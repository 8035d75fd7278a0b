"""`gate check --claims` prints each claim's fact, and facts quote the listener's own names:
a name holding an escape sequence, a C1 control or a bidi override must be printed escaped
(issue 24), never acted on by the reviewer's terminal."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from wrapped.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _gate_helpers import DAY, _r, make_user_year  # noqa: E402

EVIL = "Evil\x1b]0;owned\x07Band\u202e\x9b"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _own_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WRAPPED_SALT", "escaping-test-salt")


def test_gate_check_claims_prints_facts_with_control_characters_escaped(tmp_path: Path) -> None:
    uy = make_user_year(
        top_artists=[
            _r(1, EVIL, None, 402, 1516),
            _r(2, "Björk", None, 377, 1321),
        ]
    )
    stats = tmp_path / "user.json"
    stats.write_text(uy.model_dump_json(), encoding="utf-8")
    story = tmp_path / "story.json"
    story.write_text(
        json.dumps(
            {
                "day": DAY.isoformat(),
                "title": "A Saturday",
                "story": f"Your top artist this year was {EVIL}, with 402 plays, and Björk "
                "came second with 377. You kept coming back to them all year long, one song after "
                "another, and the days never seemed to run short of room for them at all.",
            }
        )
    )
    code, out, err = _cli(
        "gate", "check", str(story), "--stats", str(stats), "--no-judge", "--claims"
    )
    assert code in (0, 1), (code, err)
    facts = [line for line in out.splitlines() if line.startswith(("ok ", "NO "))]
    # the fact behind the name claim quotes the name: shown escaped, never raw
    assert any("\\x1b]0;owned\\x07Band\\u202e\\x9b" in line for line in facts), facts
    for raw in RAW:
        assert raw not in out and raw not in err, repr(raw)
