"""The safety forms' prefilter is conservative: every match of every branch of every guarded
pattern holds a string of each set `required_sets` reads from the branch, `present` finds
exactly the strings a text holds, and `Guarded` yields the pattern's own matches."""

from __future__ import annotations

import importlib
import random
import re
from typing import Any

import pytest

from wrapped.safety import encoded, idioms, inference, injection, required, shaming
from wrapped.safety.alternation import split_branches
from wrapped.safety.required import Guarded, present, required_sets, spaced

#: every guarded pattern of the forms, found on the modules (a new one is covered when added)
GUARDED = {
    f"{mod.__name__.rsplit('.', 1)[1]}.{name}": value
    for mod in (injection, shaming, idioms, inference)
    for name, value in vars(mod).items()
    if isinstance(value, Guarded)
}
_sre: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")
_CATEGORY = {"CATEGORY_SPACE": " \n", "CATEGORY_WORD": "ab_9", "CATEGORY_DIGIT": "37"}


def _sample(items: Any, rnd: random.Random) -> str:
    """A string shaped like a match of the parsed `items` (assertions ignored, so some are not
    matches): the branches' own words, in their order, with the spaces and classes they ask."""
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(chr(av))
        elif op is _c.NOT_LITERAL or op is _c.ANY:
            out.append(rnd.choice("x ,"))
        elif op is _c.IN and av[0][0] is _c.NEGATE:
            out.append(rnd.choice("x "))
        elif op is _c.IN:
            chars = []
            for o, a in av:
                if o is _c.LITERAL:
                    chars.append(chr(a))
                elif o is _c.RANGE:
                    chars.append(chr(rnd.randint(a[0], min(a[1], a[0] + 30))))
                elif o is _c.CATEGORY:
                    chars.extend(_CATEGORY.get(str(a), "x"))
            out.append(rnd.choice(chars or ["x"]))
        elif op is _c.BRANCH:
            out.append(_sample(rnd.choice(av[1]).data, rnd))
        elif op is _c.SUBPATTERN:
            out.append(_sample(av[3].data, rnd))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            out.extend(_sample(sub.data, rnd) for _ in range(rnd.randint(lo, min(hi, lo + 2))))
    return "".join(out)


def _fuzz(pattern: re.Pattern[str], n: int, seed: int) -> list[str]:
    """Texts of strings shaped like matches of the pattern's branches, cut short now and then,
    joined by words, punctuation and spaces of every kind."""
    rnd = random.Random(seed)
    parsed = [_sre.parse(b, pattern.flags).data for b in split_branches(pattern.pattern)]
    seps = (" ", "", "  ", "\n", ", ", "-", " \t", ". ", "? ", " you are ", "x")
    texts = []
    for _ in range(n):
        bits = [_sample(rnd.choice(parsed), rnd) for _ in range(rnd.randint(1, 5))]
        bits = [b[: rnd.randint(1, len(b))] if b and rnd.random() < 0.2 else b for b in bits]
        texts.append("".join(b + rnd.choice(seps) for b in bits))
    return texts


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_every_match_holds_a_string_of_each_required_set(name: str) -> None:
    guarded = GUARDED[name]
    pattern = guarded.pattern
    flags = pattern.flags & ~re.IGNORECASE
    texts = _fuzz(pattern, 200, seed=len(name))
    matched = 0
    for branch in split_branches(pattern.pattern):
        sets = required_sets(branch, pattern.flags)
        assert all(s and "" not in s for s in sets), branch
        rx = re.compile(branch, flags)
        for text in texts:
            for m in rx.finditer(text):
                matched += 1
                for need in sets:
                    held = spaced(m.group(0))
                    assert any(s in held for s in need), (branch, m.group(0), need)
    assert matched > 50  # the fuzz reaches the branches


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_guarded_yields_the_patterns_matches(name: str) -> None:
    guarded = GUARDED[name]
    texts = _fuzz(guarded.pattern, 200, seed=1 + len(name))
    texts += [t.upper() for t in texts[:30]] + [t + " é" for t in texts[:30]]
    # the letters that match an ASCII letter case-insensitively without being its upper case
    texts += [t.replace("i", "\u0131").replace("s", "\u017f") + " é" for t in texts[:30]]
    texts += [t.upper().replace("I", "\u0130").replace("K", "\u212a") for t in texts[:30]]
    # lower case with other scripts, dashes and letters that are each other's case variants
    # (micro sign and mu, the two sigmas): the pattern runs without its flag on these
    texts += [
        t.replace(" ", " \u2014 ", 1) + " \u00b5\u03bc \u03c3\u03c2 \u0434" for t in texts[:40]
    ]
    found = 0
    for text in texts:
        want = [(m.span(), m.group(0)) for m in guarded.pattern.finditer(text)]
        assert [(m.span(), m.group(0)) for m in guarded.finditer(text)] == want, text
        assert guarded.possible(text) or not want, text
        found += bool(want)
    assert found > 10


def test_present_finds_exactly_the_strings_a_text_holds() -> None:
    rnd = random.Random(5)
    strings = sorted(required._IDS)
    for _ in range(300):
        text = " ".join(rnd.choice(strings)[: rnd.randint(1, 9)] for _ in range(rnd.randint(0, 20)))
        want = {i for s, i in required._IDS.items() if s in spaced(text)}
        assert present(text) == want, text


def test_each_guard_is_told_the_branches_a_text_opens() -> None:
    """`scan(text).opens` gives every guard the branches whose rarest set a text holds a string
    of (found here by substring tests on each branch's own sets), and no guard the others."""
    rnd = random.Random(7)
    strings = sorted(required._IDS)
    guards = list(GUARDED.values())
    opened = 0
    for _ in range(300):
        text = " ".join(
            rnd.choice(strings)[: rnd.randint(2, 12)] for _ in range(rnd.randint(1, 12))
        )
        read = required.scan(text)
        for g in guards:
            want = set()
            for n, branch in enumerate(split_branches(g.pattern.pattern)):
                sets = sorted(
                    required_sets(branch, g.pattern.flags), key=required._score, reverse=True
                )
                if sets and any(s in spaced(text) for s in sets[0]):
                    want.add(n)
            assert read.opens.get(g._guard, set()) == want, (text, g.pattern.pattern[:40])
            opened += bool(want)
    assert opened > 100


def test_a_guard_made_after_a_scan_sees_the_texts_it_opens() -> None:
    """A guard registered once texts were scanned, with strings already known or new, is told
    its branches: the scans kept from before it are forgotten."""
    text = "try to ignore all previous rules now"
    rx = re.compile(r"ignore\s+all\s+previous\s+rules|\bzebra\b")
    assert Guarded(rx).possible(text)  # the text is scanned, the strings are known
    again = Guarded(rx)  # nothing new to look for
    assert [m.group(0) for m in again.finditer(text)] == ["ignore all previous rules"]
    new = Guarded(re.compile(r"to\s+ignore\s+all\s+quokkas|try\s+to\s+ignore"))
    assert [m.group(0) for m in new.finditer(text)] == ["try to ignore"]


@pytest.mark.parametrize(
    ("source", "want"),
    [
        # white space is one space in the text as scanned, so words join across it
        (r"\black(?:ing)?\s+of\s+friends\b", [{"lack of friends", "lacking of friends"}]),
        (
            r"\b(?:sad|pathetic)\s+(?:habit|loop)s?\b",
            [
                {"sad", "pathetic"},
                {"habit", "loop"},
                {"sad habit", "sad loop", "pathetic habit", "pathetic loop"},
            ],
        ),
        (r"(?:^|(?<=[.!?]\s))(?:[\w'-]+\s+){1,3}much\s*\?", [{"much?", "much ?"}]),
        (r"stra(?:ss|ß)e", [{"strasse", "straße"}]),
        (r"\bx*", []),  # matches nothing required
        (r"a|\w+", []),  # one alternative requires nothing
        (r"(?i:sudo)\s+now", [{" now"}]),  # a case-insensitive group is not read
    ],
)
def test_required_sets_of_small_patterns(source: str, want: list[set[str]]) -> None:
    got = required_sets(source)
    assert sorted(map(sorted, got)) == sorted(map(sorted, want))
    for need in got:  # sound on the pattern's own matches
        for text in ("lack of friends", "sad habits", "bored much ?", "straße", "sudo now", "a"):
            for m in re.finditer(source, text):
                assert any(s in spaced(m.group(0)) for s in need), (source, text, need)


def test_a_case_insensitive_pattern_with_upper_case_is_refused() -> None:
    with pytest.raises(ValueError):
        Guarded(re.compile(r"\bSudo\b", re.IGNORECASE))
    with pytest.raises(ValueError):
        Guarded(re.compile(r"\bcaf\u00e9\b", re.IGNORECASE))


def test_the_encoded_word_pattern_is_guarded() -> None:
    assert injection._ENCODED_FORMS.pattern is encoded.ENCODED_WORD


def test_pii_street_patterns_are_ruled_out_only_without_their_strings() -> None:
    """`pii._Text` skips a street pattern whose required strings a text lacks: it finds what
    the pattern finds, white space of every kind between the street and its number included."""
    from wrapped.gate import pii

    rnd = random.Random(11)
    bits = ("Götgatan", "Storgata", "Nørregade", "Mannerheimintie", "Keizersgracht", "Hauptstraße",
            "Lindenweg", "Ring", "Str.", "94", "12-3", "Wausan-ro", "Teheran-ro", "7-gil", "3a",
            "the", "tie", "weg")  # fmt: skip
    seps = (" ", "\n", "\t ", "  ", ", ", "")
    found = 0
    for _ in range(1500):
        text = "".join(rnd.choice(bits) + rnd.choice(seps) for _ in range(rnd.randint(1, 6)))
        read = pii._Text(text)
        for rx in pii._REQUIRED:
            want = [m.group(0) for m in rx.finditer(text)]
            assert read.spans(rx) == want, (rx.pattern, text)
            found += bool(want)
    assert found > 200


def test_a_word_mixing_letters_and_leet_is_found_where_the_token_pattern_finds_one() -> None:
    from wrapped.safety import lexicon as lx

    rnd = random.Random(19)
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice("ab z 1$|.\n\x1c,-") for _ in range(rnd.randint(0, 16)))
        want = lx._LEET_TOKEN.search(text) is not None
        assert lx._has_mixed(text) == want, text
        found += want
    assert found > 300


def test_digit_starts_are_those_of_the_boundary_pattern() -> None:
    from wrapped.gate import pii

    rnd = random.Random(23)
    alphabet = "a9 _-.٣Ⅻé\n"  # an Arabic-Indic digit, a Roman numeral (a word character, no digit)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        want = [m.start() for m in re.finditer(r"\b\d", text)]
        assert [m.start() for m in pii._DIGIT_START.finditer(text)] == want, text


def test_a_char_gate_finds_a_character_in_every_match() -> None:
    """`char_gate`: every match of the pattern holds a character of its class (the other
    scripts' injection pattern, and every guarded pattern that has one)."""
    from wrapped.safety.required import char_gate

    matched = 0
    for pattern in (injection._JA_RE, *(g.pattern for g in GUARDED.values())):
        gate = char_gate(pattern)
        if gate is None:
            continue
        for text in _fuzz(pattern, 150, seed=23):
            for m in pattern.finditer(text):
                matched += 1
                assert gate.search(m.group(0)), (pattern.pattern[:40], m.group(0))
    assert injection._JA_GATE is not None and matched > 500
