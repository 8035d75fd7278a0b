"""Sarcasm and condescension as shaming (`wrapped.safety.sarcasm`), written apart from the
tuning corpora: each form in wordings of its own, and sincere sentences that come near them."""

from __future__ import annotations

import pytest
from _gate_helpers import DAY, make_user_year

from wrapped.gate import ListenerContext, check_safety
from wrapped.safety.sarcasm import sarcasm
from wrapped.story import Draft, StoryRequest

UY = make_user_year()
CTX = ListenerContext(UY)
BASE = "On Saturday, March 9 you listened for 417 minutes. The Beatles kept you company."


def _fails(sentence: str) -> set[str]:
    draft = Draft(title="Your Saturday", story=f"{BASE} {sentence}")
    checks = check_safety(draft, StoryRequest(user_year=UY, day=DAY), CTX)
    return {c.name for c in checks if c.status == "fail"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Careful not to strain yourself with all that pressing of play.",
        "Easy there, tiger: one more song and you might need a lie-down.",
        "Regular listeners clock that before their first coffee.",
        "For most folks, that's just the walk to the bus stop.",
        "Truly a hero of restraint, keeping it to one album.",
        "Three plays. Gripping.",
        "Very on-brand of you.",
        "A sweet attempt, all things considered.",
        "Not bad for a rookie.",
        "Eleven replays of one chorus. Yes, we get it.",
        "Your flatmates send their condolences.",
        "Your headphones want a word about the shuffle button.",
        "Was there anybody in your life who got more of your evening than that podcast?",
        "Maybe phone a real person next Saturday.",
        "Another sad commute soundtrack, then.",
    ],
)
def test_sarcasm_and_condescension_are_shaming(sentence: str) -> None:
    assert "safety.shaming" in _fails(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "It was a lovely Saturday, and you kept going well past midnight.",
        "Most people would call that a full day of music, and they would be right.",
        "The world felt a little bigger with Björk in it.",
        "The Beatles were the life of the party all evening.",
        "You paced yourself beautifully, one album at a time.",
        "Here Comes the Sun came round again, a classic for a reason.",
        "It was a brave, bright record, and you gave it your afternoon.",
        "Sad songs and happy ones shared the morning.",
        "Call it a day well spent.",
    ],
)
def test_sincere_sentences_near_the_forms_pass(sentence: str) -> None:
    assert sarcasm(sentence) == [], sentence
    assert "safety.shaming" not in _fails(sentence), sentence
