"""Golden files: the exact v1 prompts for three fixture listeners, reviewed and checked in.

A change to a template, to the data block or to the safety filter shows up here as a diff a
prompt engineer can read. Regenerate after an intended change with
`WRAPPED_UPDATE_GOLDEN=1 pytest tests/test_prompts_golden.py`, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _prompt_helpers import (
    gb_listener,
    make_settings,
    previous_from,
    request_for,
    tricky_listener,
    us_listener,
)

from wrapped.prompts import format_messages, render
from wrapped.story import StoryRequest

GOLDEN = Path(__file__).parent / "golden"


def _cases() -> dict[str, StoryRequest]:
    gb, us = gb_listener(), us_listener()
    return {
        # first story, a long day whose log is cut to the token budget
        "v1_gb_biggest_music_day": request_for(gb, 0),
        # a regeneration: previous stories and gate feedback present
        "v1_us_biggest_top_genre_day_attempt2": request_for(
            us,
            2,
            previous=previous_from(
                us,
                [
                    (
                        0,
                        "Tuned In on Tuesday",
                        "On Tuesday, February 13 you gave the talkers the floor.",
                    ),
                    (1, "New Names on Saturday", "On Saturday, June 22 you went exploring."),
                ],
            ),
            feedback=["grounding: '75 minutes' is not in the data (the day had 68)"],
            attempt=2,
        ),
        # injected instructions and unsafe titles
        "v1_au_tricky_most_unusual_day": request_for(tricky_listener(), 0),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_rendered_v1_prompt_matches_golden(name):
    text = format_messages(render(_cases()[name], settings=make_settings()))
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("WRAPPED_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing {path}: run with WRAPPED_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; review, then regenerate"
