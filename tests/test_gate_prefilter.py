"""The grounding extractors' prefilter is conservative: wherever a pattern read by
`wrapped.gate.needs` matches, in a story or in the story with some spans blanked (as the
extractors see it), `Run.can` says it may; and skipping a scan changed no decision (the gate
corpus's decisions are compared byte for byte by `benchmarks/gate_decisions.py`)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wrapped.gate import (  # noqa: F401  (the extractors' modules read their patterns)
    grounding,
    needs,
    numbers,
    rankforms,
    ranks,
    scope,
    spoken,
    when,
)
from wrapped.gate.scan import Run
from wrapped.safety.required import spaced

CORPUS = Path(__file__).resolve().parents[1] / "evals" / "gate_corpus"
READ = dict(needs.READ)


def _dev_texts() -> list[str]:
    """Titles and stories of the corpora's dev splits (never the test split)."""
    out = []
    for path in (
        CORPUS / "stories.jsonl",
        *(CORPUS / d / "stories.jsonl" for d in ("dev2", "dev3", "dev4")),
    ):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out += [r["title"], r["story"]]
    return out


def _blanked(text: str, rnd: random.Random) -> str:
    """`text` with a few spans blanked the way `Run.blank` does (spaces and newlines kept)."""
    run = Run(text, None)  # type: ignore[arg-type]
    for _ in range(rnd.randint(0, 4)):
        a = rnd.randrange(len(text) + 1)
        run.blank(a, min(len(text), a + rnd.randint(1, 12)))
    return run.cur


def _assert_sound(text: str, cur: str) -> None:
    run = Run(text, None)  # type: ignore[arg-type]
    for rx, need in READ.items():
        if rx.search(cur):
            assert run.can(need), (rx.pattern, cur)


def test_the_patterns_are_read_and_most_need_something() -> None:
    assert len(READ) >= 10
    assert sum(bool(n) for n in READ.values()) >= 10


def test_a_pattern_that_matches_a_corpus_story_is_never_skipped() -> None:
    rnd = random.Random(20)
    for text in _dev_texts():
        _assert_sound(text, text)
        _assert_sound(text, _blanked(text, rnd))


_PIECES = [
    *"0123456789 \n\t:.,-#%'’\"ſ\u212a\u0130\u0131",
    *"at after before 9pm 10 o'clock a.m. In The Morning at night no one nobody more than any "
    "other came back to most on repeat all year took the top spot runner-up second place "
    "Silver top three were second-favourite 2nd 3rd 9th 10th th artist song track #1 No. 2 number one favourite "
    "most-played biggest ahead of beat fewer less 24/7 100% nine to five 360 degrees".split(" "),
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.integers(0, 2**16))
def test_a_pattern_that_matches_generated_text_is_never_skipped(pieces, seed) -> None:
    rnd = random.Random(seed)
    for text in (" ".join(pieces), "".join(pieces)):
        _assert_sound(text, text)
        _assert_sound(text, _blanked(text, rnd))


def test_can_says_no_when_a_set_is_absent() -> None:
    run = Run("Your year had 41 plays on a quiet Sunday.", None)  # type: ignore[arg-type]
    assert not run.can(READ[ranks.RANK_ORD_RE])
    assert run.can(())  # a pattern that needs nothing may always match


_I = re.IGNORECASE
#: the scope patterns as they were before their first-character lookahead (same matches)
_OLD_SCOPE = {
    "_MONTH_DAY_RE": rf"\b(?:{scope._MONTH_GROUPS})\s+(?P<d>\d+)(?!\d)\b",
    "_DAY_MONTH_RE": rf"\b(?P<d>\d+)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{scope._MONTH_GROUPS})\b",
    "_WEEKDAY_ONE_RE": rf"\b(?:{scope._WEEKDAY_GROUPS})(?!s)\b",
}
_SCOPE_PIECES = [
    *"0123456789 \n:.,-_'’éſ\u212a\u0130",
    *"May may MARCH march Mar 3rd 21st of 12 2024 Monday mondays SUNDAY Sundays x9 The".split(" "),
]


def _groups(rx: re.Pattern[str], text: str) -> list[dict[str, str | None]]:
    return [m.groupdict() | {"": m.group(0)} for m in rx.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SCOPE_PIECES), max_size=20))
def test_scope_patterns_with_a_lookahead_match_as_before(pieces) -> None:
    for text in (" ".join(pieces), "".join(pieces)):
        for name, old in _OLD_SCOPE.items():
            new = getattr(scope, name)
            assert _groups(new, text) == _groups(re.compile(old, _I), text), (name, text)


def test_scope_patterns_with_a_lookahead_match_as_before_in_the_corpus() -> None:
    olds = {name: re.compile(old, _I) for name, old in _OLD_SCOPE.items()}
    for text in _dev_texts():
        for name, old in olds.items():
            assert _groups(getattr(scope, name), text) == _groups(old, text), (name, text)


_WINDOW_PIECES = [
    *" \n\t.,5x\x00ſ\u212aaA~",
    *"won by By beat led ahead just only a mere exactly gap of lead Of margin more than over "
    "nearly about circa some give or take the best part of less fewer".split(" "),
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_WINDOW_PIECES), max_size=10), st.booleans())
def test_window_checks_never_refuse_what_their_pattern_matches(pieces, glued) -> None:
    window = ("" if glued else " ").join(pieces)[-64:]
    if spoken._MARGIN_BEFORE_RE.search(window):
        assert spoken._may_open_margin(window), window
    if numbers._QUAL_RE.search(window[-24:]):
        assert numbers._may_qualify(window[-24:]), window


def test_present_finds_exactly_the_strings_a_text_holds() -> None:
    strings = {s for need in READ.values() for group in need for s in group}
    for text in _dev_texts()[:400]:
        spaced_low = spaced(text.lower())
        assert needs.present(spaced_low) == {s for s in strings if s in spaced_low}


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*" \n.9xſ\u212a", *"before After PAST by until till from since around about".split()]
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_a_time_qualifier_is_never_refused_where_its_pattern_matches(pieces, glued) -> None:
    window = ("" if glued else " ").join(pieces)[-16:]
    if when._TIME_QUAL_RE.search(window):
        assert when._may_time_qual(window), window


def test_the_time_qualifier_endings_are_its_words_endings() -> None:
    words = re.search(r"\((.*)\)", when._TIME_QUAL_RE.pattern).group(1).split("|")  # type: ignore[union-attr]
    assert set(when._TIME_QUAL_ENDS) == {w[-2:] for w in words}
