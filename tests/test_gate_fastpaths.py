"""The grounding check's fast paths give the answers of the plain code they replace.

`amounts._match` looks a number's candidate facts up by unit and value (`pools.NumberPool`)
instead of trying every fact; `scan.Run` keeps its blanked text as a string; a few regexes gained
a lookahead, others open with their first character; a sentence's end is read from the end. The plain versions are kept here as references, and the fast ones must agree with
them exactly (the same fact reported, the same spans), over the gate corpus and generated input.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from _gate_helpers import DAY, make_user_year
from hypothesis import given, settings
from hypothesis import strategies as st

from wrapped.gate import amounts, grounding, numbers, pii, ranks, scope, subjects, when
from wrapped.gate.amounts import _MUSIC_ONLY, _NOUN_PATHS, _path_ok
from wrapped.gate.facts import FactIndex, build_index
from wrapped.gate.numbers import matches
from wrapped.gate.scan import BLANK, Run
from wrapped.stats.model import UserYear

CORPUS = Path(__file__).resolve().parents[1] / "evals" / "gate_corpus"


def reference_match(
    ix: FactIndex,
    x: float,
    qual: str | None,
    unit: str | None,
    subjects: set[str] | None = None,
    paths: tuple[str, ...] = (),
) -> str | None:
    """`amounts._match` as it was: every fact tried in order, the first that fits reported."""
    strict = subjects is not None and "" in subjects
    reach = max(0.3 * abs(x), 3.0, 1000.0 if x >= 1000 else 0.0)
    for f in ix.numbers:
        if unit != "weeks" and abs(f.value - x) > reach:
            continue
        if f.subject is not None and subjects is not None:
            if f.subject.startswith("?"):  # a play's minutes: its names, or nothing named
                if subjects - {""} and subjects.isdisjoint(f.subject[1:].split("\x1f")):
                    continue
            elif (subjects - {""} or strict) and f.subject not in subjects:
                continue
        if paths and f.unit != "any" and not _path_ok(f.path, paths):
            continue
        if unit == "weeks":
            if f.unit != "days":
                continue
            if matches(x, qual or "about", f.value / 7, True):
                return f"{f.path}/7={f.value / 7:.1f}"
            continue
        if unit and unit != f.unit and f.unit != "any":
            continue
        if not unit and f.approx:
            continue
        if matches(x, qual, f.value, f.approx or f.unit == "percent", unit == "hours"):
            return f"{f.path}={f.value:g}"
    return None


UNITS = (None, "", "minutes", "hours", "days", "weeks", "count", "percent", "age", "year", "x")
QUALS = (None, "over", "under", "about")
PATHS = ((), _MUSIC_ONLY, ("podcast", "show", "episode"), *(want for _, want in _NOUN_PATHS))


def _probes(ix: FactIndex, rng: random.Random, n: int):
    """Numbers a story might write about `ix`: its facts' values, near misses, roundings."""
    values = [f.value for f in ix.numbers]
    subjects = sorted({f.subject for f in ix.numbers if f.subject})
    for _ in range(n):
        v = rng.choice(values)
        x = rng.choice(
            [
                v,
                round(v),
                round(v, 1),
                v + 1,
                v - 1,
                round(v * 1.1),
                round(v * 0.85),
                round(v / 60),
                round(v / 7),
                round(v, -2),
                round(v, -3),
                rng.uniform(0, 2 * v + 10),
            ]
        )
        subj = rng.choice([None, set(), {""}])
        if subj is not None and subjects and rng.random() < 0.6:
            subj = subj | set(rng.sample(subjects, min(len(subjects), rng.randint(1, 3))))
        yield abs(x), rng.choice(QUALS), rng.choice(UNITS), subj, rng.choice(PATHS)


def _corpus_listeners() -> list[UserYear]:
    lines = (CORPUS / "listeners.jsonl").read_text(encoding="utf-8").splitlines()
    return [UserYear.model_validate_json(line) for line in lines]


def test_match_reports_the_same_fact_as_trying_every_fact_on_the_corpus() -> None:
    rng = random.Random(6)
    tried = found = 0
    for uy in _corpus_listeners():
        for d in uy.days[:3]:
            ix = build_index(uy, d.date)
            for x, qual, unit, subj, paths in _probes(ix, rng, 400):
                want = reference_match(ix, x, qual, unit, subj, paths)
                assert amounts._match(ix, x, qual, unit, subj, paths) == want, (
                    x,
                    qual,
                    unit,
                    subj,
                    paths,
                )
                tried += 1
                found += want is not None
    assert tried > 10_000 and found > tried // 10  # the probes do hit facts, often


@settings(max_examples=400, deadline=None)
@given(
    x=st.one_of(
        st.integers(min_value=0, max_value=200_000).map(float),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    ),
    qual=st.sampled_from(QUALS),
    unit=st.sampled_from(UNITS),
    subj=st.one_of(st.none(), st.sets(st.sampled_from(["", "bjork", "beatles", "nobody"]))),
    paths=st.sampled_from(PATHS),
)
def test_match_agrees_with_the_reference_on_any_number(x, qual, unit, subj, paths) -> None:
    ix = build_index(make_user_year(), DAY)
    assert amounts._match(ix, x, qual, unit, subj, paths) == reference_match(
        ix, x, qual, unit, subj, paths
    )


def test_match_scans_a_pool_holding_a_non_finite_value() -> None:
    ix = build_index(make_user_year(), DAY)
    ix.numbers.append(ix.numbers[0]._replace(value=float("nan")))
    ix._pools = None
    assert any(p.linear for p in ix.pools())
    for x in (1.0, 38.0, 417.0, 96.0):
        assert amounts._match(ix, x, None, "count") == reference_match(ix, x, None, "count")


class _ListRun:
    """`scan.Run`'s text as it was: a list of characters joined on every read."""

    def __init__(self, text: str) -> None:
        self.text = list(text)

    @property
    def cur(self) -> str:
        return "".join(self.text)

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.text[i] not in " \n":
                self.text[i] = BLANK


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab \n.9\x00é", max_size=60),
    cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6),
)
def test_run_blank_keeps_spaces_and_newlines_like_before(text, cuts) -> None:
    run, ref = Run(text, None), _ListRun(text)  # type: ignore[arg-type]
    for a, b in cuts:
        a, b = sorted((min(a, len(text)), min(b, len(text))))
        run.blank(a, b)
        ref.blank(a, b)
        assert run.cur == ref.cur


_NOUN = ranks._NOUN_ALT
_SMALL = "|".join(ranks._SMALL)
_CAP = r"(?:[A-Z](?:[\w'’&!-]|\.(?=\w))*|\d+[A-Za-z]+)"
_CONNECT = r"(?:of|the|and|&|de|la|le|los|las|el|in|on|a|to|for|n'|'n'|y|von|van|da|del|du|der)"
_I = re.IGNORECASE
#: name -> (the pattern in use, the pattern as it was before its first-character lookahead)
_OLD_PATTERNS = {
    "NUMBER_WORDS_RE": (
        numbers.NUMBER_WORDS_RE,
        rf"\b(?:a\s+)?(?:{numbers._WORD_ALT})(?:(?:\s+and\s+|[\s-]+)(?:{numbers._WORD_ALT}))*\b",
        _I,
    ),
    "IPV4_RE": (
        pii.IPV4_RE,
        r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b",
        0,
    ),
    "IPV6_RE": (
        pii.IPV6_RE,
        r"\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:)+:[0-9a-fA-F:]*\b",
        0,
    ),
    "TIMESTAMP_RE": (
        pii.TIMESTAMP_RE,
        r"\b\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}|\b\d{1,2}:\d{2}:\d{2}\b|\b\d{10,13}\b",
        0,
    ),
    "RANK_NUM_RE": (
        ranks.RANK_NUM_RE,
        rf"(?:#\s?|\bno\.\s?|\bnumber[\s-]+)(\d+|{_SMALL})\b"
        rf"(?:\s+(?:most[- ]played\s+|favou?rite\s+)?({_NOUN})\b)?",
        _I,
    ),
    "RANK_ORD_RE": (
        ranks.RANK_ORD_RE,
        rf"\b(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[2-9](?:nd|rd|th)|10th)"
        rf"(?:[- ](?:most[- ](?:played|streamed|listened[- ]to)|favou?rite|biggest|top|placed))?"
        rf"[- ]+({_NOUN})\b",
        _I,
    ),
    "RANK_TOP_RE": (
        ranks.RANK_TOP_RE,
        rf"\b(one of (?:your|the)\s+)?(?:(?:very\s+)?top|favou?rite|most[- ]played|most[- ]streamed"
        rf"|number[- ]one|biggest)\s+({_NOUN})\b",
        _I,
    ),
    "COMPARE_RE": (
        ranks.COMPARE_RE,
        r"\b(?:(?:more|less|fewer)(?:\s+[\w-]+){0,2}?\s+than|ahead of|outplayed|outstreamed"
        r"|edged out|beat|beating)\b",
        _I,
    ),
    "_RANK_WORDS": (
        subjects._RANK_WORDS,
        r"\b(top|favou?rite|most[- ]played|number one|#\d|no\. ?\d|second|third)\b",
        _I,
    ),
    "BARE_HOUR_RE": (
        when.BARE_HOUR_RE,
        r"\b(at|after|before|around|until|till|past|since)\s+(\d{1,2})\b(?![:.,]?\d)"
        r"(?!\s*(?:%|[a-z]))",
        _I,
    ),
    "NAMED_TIME_RE": (when.NAMED_TIME_RE, r"\b(midnight|noon|midday)\b", _I),
    "DECADE_RE": (
        when.DECADE_RE,
        r"(?<![\w])(?:(19|20)(\d)0s|[’']?(\d)0s|(twenties|thirties|forties|fifties|sixties"
        r"|seventies|eighties|nineties|noughties))\b",
        _I,
    ),
    "TOP_MONTH_RE": (
        when.TOP_MONTH_RE,
        r"\b(biggest|busiest|top|loudest|heaviest)\s+month\b",
        _I,
    ),
    "CAP_SPAN_RE": (grounding.CAP_SPAN_RE, rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*", 0),
    "QUOTE_RE": (
        grounding.QUOTE_RE,
        r"[“\"]([^”\"\n]{1,80})[”\"]|(?<![\w])[‘']([^’'\n]{1,80})[’'](?![\w])",
        0,
    ),
}
_PAIRS = {k: (new, re.compile(old, flags)) for k, (new, old, flags) in _OLD_PATTERNS.items()}


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    """Every match's span and its groups' spans."""
    return [tuple(m.span(i) for i in range(rx.groups + 1)) for m in rx.finditer(text)]


@pytest.mark.parametrize("name", sorted(_PAIRS))
def test_patterns_with_a_lookahead_find_the_same_spans_in_the_corpus(name: str) -> None:
    new, old = _PAIRS[name]
    for line in (CORPUS / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        text = f"{r['title']}\n{r['story']}"
        assert _spans(new, text) == _spans(old, text), text


_PIECES = [
    *"0123456789abcdefABCDEF:.-+#() T\n\"'’‘“”",
    "ſ",  # long s, and the Kelvin sign: letters that match "s" and "k" when case is ignored
    "\u212a",
    *"one a and dozen Twenty top most-played favourite number No. second 3rd tenth 10th artist "
    "song albums one of your more than less fewer ahead of beat beating at after before "
    "around until 9 11 pm midnight Noon 90s ’80s twenties biggest busiest month The Beatles "
    "Sigur Rós of la van".split(" "),
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map(" ".join))
def test_patterns_with_a_lookahead_find_the_same_spans_anywhere(text: str) -> None:
    for new, old in _PAIRS.values():
        assert _spans(new, text) == _spans(old, text), (new.pattern, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_patterns_with_a_lookahead_find_the_same_spans_in_glued_text(text: str) -> None:
    for new, old in _PAIRS.values():
        assert _spans(new, text) == _spans(old, text), (new.pattern, text)


#: patterns rewritten to open with their first character (then the boundary behind it), so the
#: engine's fast search finds where they can start: name -> (in use, as it was, flags)
_MONTHS_ALT = "|".join(when.MONTHS)
_OPENERS = {
    "YEAR_RE": (when.YEAR_RE, r"(?<![\w.,])(19\d\d|20\d\d)(?!\w|,\d)", 0),
    "ISO_RE": (
        when.ISO_RE,
        r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\b",
        0,
    ),
    "DMY_RE": (
        when.DMY_RE,
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({when._MONTH_ALT})\.?(?:,?\s+(\d{{4}}))?\b",
        0,
    ),
    "TIME_RE": (
        when.TIME_RE,
        r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\w|:\d)",
        _I,
    ),
    "HOUR_RE": (when.HOUR_RE, r"\b(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.|o'clock|o’clock)(?!\w)", _I),
    "WEEKDAY_RE": (when.WEEKDAY_RE, rf"\b({when.WEEKDAY_ALT})(s)?\b", 0),
    "MONTH_RE": (when.MONTH_RE, rf"\b({_MONTHS_ALT})\b", 0),
    "DIGITS_RE": (
        numbers.DIGITS_RE,
        r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(k|K)\b|\s+(million)\b)?",
        0,
    ),
}
_OPENER_PAIRS = {k: (new, re.compile(old, flags)) for k, (new, old, flags) in _OPENERS.items()}
_DATE_PIECES = [
    *"0123456789:.,-_+ T\n'’é",
    "ſ",
    *"19 20 1999 2024 2024-03-05 12 5th 3rd of May may March MARCH Mar. January Monday Mondays "
    "Sunday am pm a.m. o'clock 1,200 3.5 k million x9 The".split(" "),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=24).map(" ".join))
def test_patterns_opened_by_their_first_character_find_the_same_spans(text: str) -> None:
    glued = text.replace(" ", "")
    for new, old in _OPENER_PAIRS.values():
        assert _spans(new, text) == _spans(old, text), (old.pattern, text)
        assert _spans(new, glued) == _spans(old, glued), (old.pattern, glued)


_SENT_END_RE = re.compile(r"[.!?…:;—–(\n]\s*[\"“‘']?\s*$")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a. \n\t\"“'!:(\u00a0", max_size=12))
def test_sentence_end_read_from_the_end_is_the_anchored_pattern(text: str) -> None:
    assert grounding._sentence_ends(text) == bool(_SENT_END_RE.search(text)), repr(text)


@settings(max_examples=150, deadline=None)
@given(
    text=st.lists(st.sampled_from(_DATE_PIECES), max_size=16).map(" ".join),
    day=st.dates(min_value=DAY.replace(month=1, day=1), max_value=DAY.replace(month=12, day=31)),
)
def test_the_day_named_in_a_sentence_is_the_per_day_pattern(text: str, day) -> None:
    month, weekday = when.MONTHS[day.month - 1], when.WEEKDAYS[day.weekday()]
    per_day = re.compile(
        rf"\b(?:{month}\s+{day.day}(?!\d)|{day.day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}|"
        rf"{weekday}(?!s))\b",
        re.IGNORECASE,
    )
    assert scope._names_day(text, day) == bool(per_day.search(text)), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map(" ".join))
def test_a_text_without_a_whole_number_word_has_no_number_words(text: str) -> None:
    for t in (text, text.replace(" ", "")):
        low = Run(t, None).low  # type: ignore[arg-type]  # None: "ſ" and the like, no shortcut
        if low is not None and numbers.NUMBER_WORDS_RE.search(t):
            assert numbers.ANY_NUMBER_WORD_RE.search(low), t


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _DATE_PIECES), max_size=16).map(" ".join))
def test_what_a_pattern_needs_is_found_wherever_the_pattern_matches(text: str) -> None:
    for t in (text, text.replace(" ", "")):
        run = Run(t, None)  # type: ignore[arg-type]
        for rx, needs in ((ranks.RANK_TOP_RE, ranks._TOP_NEEDS),
                          (when.BARE_HOUR_RE, when._BARE_HOUR_NEEDS),
                          (when.MDY_RE, when._MDY_NEEDS), (when.DMY_RE, when._DMY_NEEDS)):  # fmt: skip
            if rx.search(t):
                assert run.has(needs), (rx.pattern, t)
