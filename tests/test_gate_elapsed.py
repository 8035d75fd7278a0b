"""Days counted on the calendar and hours on the day's clock (`wrapped.gate.elapsed`): a true
count passes, a wrong one is still caught, and an amount of listening stays an amount."""

from __future__ import annotations

import pytest
from _gate_helpers import DAY, user_year_dict

from wrapped.gate import ListenerContext, verify_grounding
from wrapped.stats.model import UserYear

_DATA = user_year_dict()
_DATA["days"][0]["facts"].update(first_play="07:42", last_play="23:50")  # 16 h 8 min apart
UY = UserYear.model_validate(_DATA)
CTX = ListenerContext(UY)


def _unbacked(text: str) -> list[str]:
    story = f"Saturday, March 9 belonged to The Beatles. {text}"
    check = verify_grounding(story, UY, DAY, ctx=CTX)
    return [c.text for c in check.claims if not c.grounded]


@pytest.mark.parametrize(
    "text",
    [
        "Sixty-nine days into 2024, the year found its loudest Saturday.",
        "It came sixty-eight days after January 1, when Björk opened your year.",
        "From the first song to the last, the day ran in just over sixteen hours.",
        "It all fit inside seventeen hours, give or take.",
    ],
)
def test_counts_the_calendar_or_the_clock_bears_out_pass(text: str) -> None:
    assert _unbacked(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Sixty days into 2024, the year found its loudest Saturday.",
        "It came sixty-seven days after January 1, when Björk opened your year.",
        "From the first song to the last, the day ran in under twelve hours.",
        "You listened for sixteen hours that day.",  # an amount: the day had 417 minutes
    ],
)
def test_counts_the_calendar_or_the_clock_does_not_bear_out_fail(text: str) -> None:
    assert _unbacked(text) != [], text


def test_a_day_of_a_streak_is_counted_from_its_start() -> None:
    # the year's streak ran from 1 February to 17 March: 9 March was its 38th day
    assert _unbacked("It was day 38 of your 46-day streak.") == []
    assert _unbacked("It was day 37 of your 46-day streak.") != []  # one off


def test_a_couple_dozen_is_two_dozen() -> None:
    check = verify_grounding("That Saturday had a couple dozen artists in it.", UY, DAY, ctx=CTX)
    (claim,) = [c for c in check.claims if c.kind == "number"]
    assert not claim.grounded and "24" in (claim.why or ""), claim


def test_hours_between_two_clock_times_read_their_am_and_pm() -> None:
    # Jóga at 08:15 and Something at 18:05: nine hours and fifty minutes apart on the clock
    text = "Jóga came at 8:15 am and Something at 6:05 pm, a stretch of nearly ten hours apart."
    assert _unbacked(text) == []
    # read without its "pm", 6:05 would be seventeen and three quarter hours before 23:50
    assert _unbacked(text.replace("ten", "eighteen")) != []
