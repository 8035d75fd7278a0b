"""Numbers said rather than written (`wrapped.gate.spoken`): clock times in words, hours and
compound durations, margins between two figures, multiples and proportions.

The listener is `_gate_helpers`' (the day's log: 07:42, 08:15, 12:30, 18:05, 23:50; the day
417 minutes; the year: The Beatles 1,516 minutes, Björk 1,321; 74% of plays finished, 18%
skipped).
"""

from __future__ import annotations

import pytest
from _gate_helpers import DAY, make_user_year

from wrapped.gate import ListenerContext, verify_grounding

UY = make_user_year()
CTX = ListenerContext(UY)
BASE = "On Saturday, March 9 you listened for 417 minutes."


def _unbacked(sentence: str) -> list[str]:
    check = verify_grounding(f"{BASE} {sentence}", UY, DAY, ctx=CTX)
    return [f"{c.kind}:{c.text}" for c in check.claims if not c.grounded]


@pytest.mark.parametrize(
    "sentence",
    [
        "The day started at eighteen minutes to eight.",
        "It closed at ten to midnight.",
        "Björk came on at a quarter past eight in the morning.",
        "That day came to six hours and fifty-seven minutes.",
        "The Beatles finished the year 195 minutes ahead of Björk.",
        "The Beatles won the year by 195 minutes.",
        "The Beatles got three times as many plays as Khruangbin that day.",
        "About three in four plays ran to the end this year.",
        "Nearly one in five plays was skipped this year.",
        "Björk's Jóga came five to four in the final, we like to think.",  # a score, not 15:55
    ],
)
def test_said_numbers_that_hold(sentence: str) -> None:
    assert _unbacked(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The day started at twenty to seven.",
        "That day came to six hours and twenty minutes.",
        "The Beatles finished the year 150 minutes ahead of Björk.",
        "The Beatles won the year by 40 minutes.",
        "One in ten plays was skipped this year.",
    ],
)
def test_said_numbers_that_do_not(sentence: str) -> None:
    assert _unbacked(sentence) != []


def test_the_one_day_record_and_a_title_that_repeats_the_storys_figure() -> None:
    from _gate_helpers import user_year_dict

    from wrapped.gate import verify_draft
    from wrapped.stats.model import UserYear
    from wrapped.story import Draft

    data = user_year_dict()
    data["habits"].update(repeat_track="Jóga", repeat_artist="Björk", repeat_plays=9)
    uy = UserYear.model_validate(data)
    ctx = ListenerContext(uy)

    def unbacked(sentence: str) -> list[str]:
        check = verify_grounding(f"{BASE} {sentence}", uy, DAY, ctx=ctx)
        return [c.text for c in check.claims if not c.grounded]

    # the year's one-day record is Jóga's (9 plays), though the year's top song is another
    assert unbacked("Jóga came round more often than any song did in a single day.") == []
    assert unbacked("Here Comes the Sun came round more than any song got in one day.") != []
    story = "The Beatles had the morning, 38 plays."
    for title, ok in (("Thirty-Eight Plays", True), ("Forty Plays", False)):
        check = verify_draft(Draft(title=title, story=story), UY, DAY, ctx=CTX)
        assert (check.status == "pass") is ok, title


def test_a_figure_an_item_had_is_that_items_not_the_days() -> None:
    assert _unbacked("The Beatles had the morning, 38 plays.") == []  # their plays that day
    assert _unbacked("Björk had a fine run, 96 plays.") != []  # the day's 96, not hers
    assert _unbacked("Björk came in, and the day reached 96 plays.") == []


def test_a_share_of_an_amount_keeps_its_unit_and_a_question_takes_its_answers_names() -> None:
    # the year: 32,109 minutes (535 h) in all, 28,333 of music (472 h), 3,776 of podcasts (63 h)
    assert _unbacked("This year: about 535 hours, 472 of them music and about 63 podcasts.") == []
    assert _unbacked("This year: about 535 hours, 472 of them music and about 40 podcasts.") != []
    # Here Comes the Sun got 88 plays in the year
    assert (
        _unbacked("Which Beatles song did you play 88 times this year? Here Comes the Sun.") == []
    )
    assert (
        _unbacked("Which Beatles song did you play 87 times this year? Here Comes the Sun.") != []
    )
