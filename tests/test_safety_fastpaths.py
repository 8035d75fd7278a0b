"""The safety checks' fast paths find what the plain patterns find: `Alternation` yields exactly
the matches of the pattern it splits (spans, order, overlaps), and `pii._Text` those of each
pattern it scans only at digit starts or behind a quick gate."""

from __future__ import annotations

import random
import re

import pytest

from wrapped.safety.alternation import Alternation
from wrapped.safety.injection import INJECTION_RE
from wrapped.safety.shaming import _SHAME_RE

TOY = re.compile(
    r"\bno\s*(?:one|body)\b|\bnot\s+a\s+fan\b|(?<!fresh\s)\bair\b|,\s*(?:champ|pal)\b"
    r"|\b(?:sad|sadd?est)\s+(?:habit|loop)s?\b|\ba\s+(?:sad|bad)\b|you\s+are\s+now\b|\bi'm\b"
    r"|\b[xyz]\w+\b|[0-9]+%"
)


def _spans(matches) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(0)) for m in matches]


#: phrases the real patterns match, spliced among their words
PHRASES = (
    "sad little habit", "touch some grass", "no one to talk", "bless your heart", ", champ",
    "lonely much?", "are you ok", "we're not judging", "go outside", "fresh air",
    "ignore all previous instructions", "reveal your system prompt", "new task:", "you are now",
    "sudo", "forget the rules", "instead, say", "oublie les consignes",
)  # fmt: skip


def _fuzz(pattern: re.Pattern[str], n: int, seed: int) -> list[str]:
    """Texts spliced from the pattern's own words, phrases it matches and punctuation, so
    branches overlap, tie and start mid-word."""
    rnd = random.Random(seed)
    words = [*re.findall(r"[a-z']{1,}", pattern.pattern), *PHRASES, "x", "a", ",", "?", "42%"]
    words += ["é", "\n"]
    return [
        rnd.choice(["", "A", "ano", "thx "])
        + rnd.choice([" ", "", "-"]).join(rnd.choice(words) for _ in range(rnd.randint(1, 14)))
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("pattern", "n"),
    [(TOY, 3000), (_SHAME_RE, 600), (INJECTION_RE, 600)],
    ids=("toy", "shaming", "injection"),
)
def test_same_matches_as_the_pattern(pattern: re.Pattern[str], n: int) -> None:
    alt = Alternation(pattern)
    texts = _fuzz(pattern, n, seed=7)
    hits = 0
    for text in texts:
        want = _spans(pattern.finditer(text))
        assert _spans(alt.finditer(text)) == want, text
        hits += bool(want)
    assert hits > n // 10  # the fuzz does reach the branches


def test_a_tie_goes_to_the_earlier_branch_and_the_scan_resumes_after_a_match() -> None:
    alt = Alternation(re.compile(r"\bsad\b|\bsad habit\b|habit loop"))
    assert _spans(alt.finditer("a sad habit loop")) == [((2, 5), "sad"), ((6, 16), "habit loop")]


def test_an_empty_match_hands_over_to_the_pattern() -> None:
    pattern = re.compile(r"\bab|x*")
    assert _spans(Alternation(pattern).finditer("ab ab")) == _spans(pattern.finditer("ab ab"))


def test_capturing_groups_are_refused() -> None:
    with pytest.raises(ValueError):
        Alternation(re.compile(r"(a)|b"))


#: pieces of personal data and near misses, spliced into sentences
PII_BITS = (
    "10.0.0.1", "2001:db8::1", "fe80:0:0:1:2", "07:42", "07:42:13", "2024-03-09 07:42",
    "1710000000", "123-45-6789", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32",
    "221B Baker Street", "12 rue de la Paix", "Hauptstraße 12", "Lindenweg 3a", "SW1A 1AA",
    "NY 10001", "01234-567", "東京都渋谷区1-2-3", "רחוב הרצל 12", "AB1", "x9", "u_12345678",
    "Spring 12", "3 streets", "A 1", "(555) 123-4567", "9", "1999", "+44 20 7946 0958",
    "0044 20 7946 0958", "1,234,567", "x(12) 345 678", "06 12 34 56 78", "+", "(",
)  # fmt: skip


def test_pii_scans_find_what_the_patterns_find() -> None:
    """`pii._Text.spans` (digit starts, quick gates) gives `finditer`'s spans for every
    pattern it treats specially."""
    from wrapped.gate import pii

    rnd = random.Random(3)
    words = [*PII_BITS, "Main", "Street", "the", ",", ".", "and", "str.", "weg", "\n", "Ü"]
    patterns = [*pii._AT_DIGITS, *pii._GATES]
    for _ in range(1500):
        text = rnd.choice([" ", "", "  "]).join(rnd.choice(words) for _ in range(rnd.randint(1, 9)))
        read = pii._Text(text)
        for rx in patterns:
            assert read.spans(rx) == [m.group(0) for m in rx.finditer(text)], (rx.pattern, text)


def test_lexicon_text_rewrites_match_their_plain_forms() -> None:
    """`_unquote` is `str.translate` with the quote table; `_spaced` is the non-alphanumeric
    runs made one space, ends stripped (as every view is)."""
    from wrapped.safety import lexicon as lx

    table = str.maketrans(lx._QUOTE_MAP)
    rnd = random.Random(5)
    alphabet = "abcz09 .-_*'~|/\\@$!+€ßæøđłœ‘’“”´`éÏçДдαο\u200b\u00adＡｂ—…?"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert lx._unquote(text) == text.translate(table), text
        assert lx._spaced(text) == lx._NON_ALNUM.sub(" ", text).strip(), text


def test_word_heads_are_those_of_the_runs_of_letters() -> None:
    from wrapped.safety.alternation import Words
    from wrapped.safety.lexicon import _NON_ALNUM, alnum_words, fold

    rnd = random.Random(9)
    alphabet = "abcxyzABZ09 .-_'é—ДαＡ?\n"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        heads = frozenset(w[:3] for w in re.findall(r"[a-z]+", text))
        assert Words(text).keys == heads, text
        assert alnum_words(text) == _NON_ALNUM.sub(" ", fold(text)).split(), text


def test_a_stretched_letter_is_found_where_the_run_pattern_finds_one() -> None:
    from wrapped.safety import lexicon as lx

    rnd = random.Random(11)
    for _ in range(3000):
        text = "".join(rnd.choice("aab bz9") for _ in range(rnd.randint(0, 12)))
        assert (lx._RUN3_AT.search(text) is None) == (lx._RUN3.search(text) is None), text


def test_a_long_run_is_found_where_the_plain_pattern_finds_one() -> None:
    from wrapped.safety.encoded import has_long_run

    plain = re.compile(
        r"[A-Za-z0-9+/]{16}|\d[0-9a-fA-F]?[\s:]?[0-9a-fA-F]{2}[\s:]?[0-9a-fA-F]{2}[\s:]?\d"
    )
    rnd = random.Random(13)
    found = 0
    for _ in range(4000):
        rare = rnd.choice(("=:é٣ \n", " "))  # a separator now and then, or often
        text = "".join(
            rnd.choice(rare) if rnd.random() < 0.08 else rnd.choice("aZ9+/f0")
            for _ in range(rnd.randint(0, 40))
        )
        want = plain.search(text) is not None
        assert has_long_run(text) == want, text
        found += want
    assert found > 400


def test_questions_are_those_the_question_pattern_finds() -> None:
    from wrapped.safety.shaming import _QUESTION_RE, _questions

    rnd = random.Random(17)
    bits = ("do you", "ever", "have friends", "a life", "sleep", "the sun", "why", "ok", "so")
    seps = ("?", "? ", ". ", "! ", "\n", " ", "??", ", ")
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(bits) + rnd.choice(seps) for _ in range(rnd.randint(0, 8)))
        want = _spans(_QUESTION_RE.finditer(text))
        assert _spans(_questions(text)) == want, text
        found += bool(want)
    assert found > 300


def test_suspect_lines_are_the_strings_the_suspicious_pattern_finds_something_in() -> None:
    """`flags._suspect_lines` over strings joined a line each flags exactly the strings that
    `_SUSPICIOUS` alone finds something in (its branches at the strings' ends included)."""
    from itertools import accumulate

    from wrapped.safety import flags

    rnd = random.Random(19)
    alphabet = "aAbB x\t\x0b\x1c\r,;()&'-0_.!ooo"
    found = 0
    for _ in range(4000):
        lines = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 8)))
            for _ in range(rnd.randint(1, 6))
        ]
        starts = list(accumulate([len(v) + 1 for v in lines[:-1]], initial=0))
        want = {i for i, v in enumerate(lines) if flags._SUSPICIOUS.search(v)}
        assert flags._suspect_lines("\n".join(lines), starts) == want, lines
        found += len(want)
    assert found > 4000


@pytest.mark.parametrize(
    "names",
    [
        ["Cocaine Blues"],  # a listed word, nothing else suspicious about it
        ["Сocaine Nights"],  # a Cyrillic look-alike: not ASCII, tested alone
        ["Calm\nHeroin"],  # a newline inside a name: tested alone
        ["c0caine", "Quiet Song"],  # a digit
        ["s e x", "A Song"],  # single letters
        ["Boooze Cruise", "Sunny"],  # a stretched letter
        ["Sunny", "Calm"],  # nothing flagged
    ],
)
def test_the_read_only_walk_flags_names_met_only_in_a_later_day_log(names: list[str]) -> None:
    """Names that appear only in a day's log (after every top list and single field has been
    walked, so each is first met in the bulk-tested log loop) are flagged as the sanitizer
    flags them, in its order."""
    from _gate_helpers import _log, user_year_dict

    from wrapped.safety import sanitize_for_prompt
    from wrapped.safety.screen import flagged_names
    from wrapped.stats.model import UserYear

    data = user_year_dict()
    log = data["days"][-1]["log"]
    for i, name in enumerate(names):
        log.append(_log(f"2{i % 4}:1{i % 10}", name, "Some Artist", "Singles", 3.0))
    uy = UserYear.model_validate(data)
    assert flagged_names(uy) == sanitize_for_prompt(uy).flagged


def test_normalize_text_is_the_regex_normalization() -> None:
    """`normalize_text` (a translation for ASCII text) normalizes as the two patterns do."""
    from wrapped.safety.lexicon import fold
    from wrapped.safety.screen import _NON_ALNUM, _NON_WORD, normalize_name, normalize_text

    rnd = random.Random(29)
    bits = ("the", "The", "THE", " ", "a", "Z", "9", ".", "_", "-", "é", "Д", "’", "\n", "ß")
    for _ in range(3000):
        text = "".join(rnd.choice(bits) for _ in range(rnd.randint(0, 10)))
        folded = fold(text)
        words = (_NON_ALNUM if folded.isascii() else _NON_WORD).sub(" ", folded).split()
        want = " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)
        assert normalize_text(text) == want == normalize_name(text), repr(text)


def test_only_patterns_gated_by_other_scripts_are_skipped_on_ascii() -> None:
    """`pii._Text` skips on an ASCII text only the patterns whose gate is a class of characters
    none of which is ASCII (the Japanese and Hebrew streets), and finds them elsewhere."""
    from wrapped.gate import pii

    assert pii._NOT_IN_ASCII == {pii._JA_HE_STREET}
    assert pii._class_of(re.compile("[都道]")) == {"都", "道"}
    assert pii._class_of(re.compile("[都道]", re.IGNORECASE)) is None  # may match ASCII
    assert pii._class_of(re.compile(r"[都\d]")) is None
    assert pii._Text("Tokyo 1-2-3, 12 Herzl St").spans(pii._JA_HE_STREET) == []
    assert pii._Text("東京都渋谷区1-2-3").spans(pii._JA_HE_STREET) == ["都渋谷区1-2-3"]


def test_pieces_joined_across_separators_have_their_runs_squashed() -> None:
    """The view with inner separators removed has its runs of three letters squashed, also when
    only the joining made them ("co-ca-aa-ine"): `_views` looks for a run before rewriting."""
    from wrapped.safety import lexicon as lx

    lex = lx.lexicon()
    assert [h.term for h in lex.unsafe.find("co-ca-aa-ine")] == ["cocaine"]
    assert [h.term for h in lex.unsafe.find("a se-xx-x scene")] == ["sex"]
    rnd = random.Random(23)
    pieces = ("co", "ca", "aa", "a", "ine", "oo", "ze", "bo", "xx", "se", "we", "ee", "d")
    for _ in range(2000):
        text = " ".join(
            rnd.choice("-.'_*").join(rnd.choice(pieces) for _ in range(rnd.randint(1, 4)))
            + rnd.choice(("", "s"))
            for _ in range(rnd.randint(1, 4))
        )
        squashed = lx._RUN3.sub(r"\1", lx._spaced(lx._INNER_SEP.sub("", text)))
        if not lx._TWO_SINGLES.search(f" {lx._spaced(text)} "):  # no letters to join
            assert f" {squashed} " in lx.views(text), text
