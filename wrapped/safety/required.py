"""Required literals: the strings every match of a regex must contain, read from the regex.

The safety forms are long alternations run over every story, and almost every story holds none
of them. `Guarded` splits a pattern into its top-level branches and reads, from each branch's
parse tree, sets of strings such that every match of the branch contains a string of each set
("much" for `(?:\\w+\\s+){1,3}much\\s*\\?`; one of {"friend", "social life", ...} and "?" for a
rhetorical question). One Aho-Corasick pass over a text (`present`, the `pyahocorasick` package)
finds which of all the guarded patterns' strings it holds; a branch one of whose sets is absent
cannot match anywhere in the text, so only the other branches are run, joined in their order
into one pattern: `Guarded.finditer` yields exactly the matches of `pattern.finditer` (the
branches dropped never match, at any position; at each position the combined pattern tries the
rest in the same order). Nothing is declared by hand, so no rule can escape the filter: a
construct whose strings cannot be read (a class, `\\w*`, a back-reference) only makes its
branch's sets fewer, down to none (then the branch always runs).

A case-insensitive pattern is read as written (lower case) and run without the flag on a text
where the two match alike: one without a character that matches an ASCII letter of the pattern
case-insensitively but is not that letter (`lower_only`: no upper case, no dotless i or long s;
an em dash or a letter of another script is none). Any other text gets the pattern itself.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

import ahocorasick

from wrapped.safety.alternation import Alternation, split_branches

# the regex parser (`re._parser` since 3.11): not typed, only read here, at import time
_sre: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

#: past this many strings, what an item matches is no longer spelled out
_MAX_EXACT = 64
#: classes of at most this many characters are spelled out
_MAX_CLASS = 8


class _Need(NamedTuple):
    """What a piece of a pattern tells about its matches."""

    #: every string it can match, when few and fixed (None: not known)
    exact: frozenset[str] | None
    #: sets of strings, every match holding one string of each
    sets: tuple[frozenset[str], ...]


_NOTHING = _Need(None, ())


def _minimal(strings: set[str] | frozenset[str]) -> frozenset[str]:
    """`strings` less those holding another of them (that one is then present too)."""
    return frozenset(s for s in strings if not any(o != s and o in s for o in strings))


def _usable(strings: frozenset[str]) -> bool:
    """A set worth looking for: no empty string (always present), no single letter, digit or
    space (present nearly everywhere, and a flood of Aho-Corasick hits)."""
    return bool(strings) and all(
        len(s) > 1 or (len(s) == 1 and not (s.isalnum() or s.isspace())) for s in strings
    )


#: words in nearly every story: a set of them filters nothing
_COMMON = frozenset(
    """a an the and or but of to in on at for with from by is are was were be been you your
    it its this that these those i me my we our he she his her they them their as so not no
    do does did have has had can could will would should what who when how why all any some
    just then than too very now out up down over about one if into""".split()
)


def _rarity(s: str) -> int:
    """Longer words are rarer, common ones not at all; "?", ":", "!" rarer than most words,
    "," and "." not at all."""
    if s.strip() in _COMMON:
        return 1
    if any(c.isalnum() for c in s):
        return len(s.strip())
    return 1 if s in (",", ".", "'", "-", '"') else 5


def _score(strings: frozenset[str]) -> tuple[int, int]:
    """The rarest set first: its commonest string rare, and few strings (few hits)."""
    return (min(map(_rarity, strings)), -len(strings))


def _best(need: _Need) -> frozenset[str] | None:
    """The set to stand for `need` in an alternation (the union of one set per alternative)."""
    found = [s for s in need.sets if _usable(s)]
    if need.exact is not None and _usable(need.exact):
        found.append(_minimal(need.exact))
    return max(found, key=_score) if found else None


def _seq(items: Any) -> _Need:
    """A sequence: runs of fixed strings are spelled out (across zero-width assertions, which
    consume nothing); every run and every set of an item is a set of the sequence."""
    sets: list[frozenset[str]] = []
    run: set[str] = {""}
    whole = True  # the sequence so far is one run

    def close() -> None:
        if "" not in run and _usable(frozenset(run)):
            sets.append(_minimal(run))

    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        need = _item(op, av)
        sets.extend(need.sets)
        if need.exact is not None and len(run) * len(need.exact) <= _MAX_EXACT:
            run = {(a + b).replace("  ", " ") for a in run for b in need.exact}
            continue
        close()
        whole = False
        run = set(need.exact) if need.exact is not None else {""}
    close()
    return _Need(frozenset(run) if whole else None, tuple(dict.fromkeys(sets)))


def _char(code: int) -> str:
    """A character as the scanned text has it: white space as a space (`spaced`)."""
    return " " if chr(code).isspace() else chr(code)


def _item(op: Any, av: Any) -> _Need:
    if op is _c.LITERAL:
        return _Need(frozenset([_char(av)]), ())
    if op is _c.IN:
        if av == [(_c.CATEGORY, _c.CATEGORY_SPACE)]:  # \s
            return _Need(frozenset(" "), ())
        if len(av) <= _MAX_CLASS and all(o is _c.LITERAL for o, _ in av):
            return _Need(frozenset(_char(a) for _, a in av), ())
        return _NOTHING
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _seq(sub.data) if not add_flags and not del_flags else _NOTHING
    if op is _c.ATOMIC_GROUP:  # matches a part of what the group alone would
        return _seq(av.data)
    if op is _c.BRANCH:
        alts = [_seq(sub.data) for sub in av[1]]
        exact: frozenset[str] | None = None
        if all(a.exact is not None for a in alts):
            union = frozenset().union(*(a.exact or () for a in alts))
            exact = union if len(union) <= _MAX_EXACT else None
        bests = [_best(a) for a in alts]
        if any(b is None for b in bests):
            return _Need(exact, ())
        return _Need(exact, (_minimal(frozenset().union(*(b or () for b in bests))),))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        need = _seq(sub.data)
        if lo == hi == 1:
            return need
        if need.exact == frozenset(" "):  # \s+, \s*: one space in the text as scanned (`spaced`)
            return _Need(frozenset([" "] if lo else ["", " "]), ())
        if lo >= 1:  # the body at least once
            best = _best(need)
            return _Need(None, (*need.sets, *((best,) if best else ())))
        if hi == 1 and need.exact is not None:  # optional: the body or nothing
            return _Need(need.exact | {""}, ())
    return _NOTHING


def required_sets(source: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """Sets of strings such that every match of `source` holds a string of each (read from
    its parse tree; a case-insensitive pattern's as written). Empty: nothing is required."""
    need = _seq(_sre.parse(source, flags & ~re.IGNORECASE).data)
    sets = [s for s in need.sets if _usable(s)]
    if need.exact is not None and "" not in need.exact and _usable(need.exact):
        sets.append(_minimal(need.exact))
    return tuple(dict.fromkeys(sets))


def char_gate(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A class of characters every match of `pattern` holds one of (a character of each string
    of one required set per branch), as a pattern whose search runs in C; None when a branch
    requires nothing. A text it finds nothing in holds no match of `pattern`."""
    chars: set[str] = set()
    for branch in split_branches(pattern.pattern):
        # a string's other characters are the pattern's own literals; a space stands for any
        # white space (`spaced`), so it is no such character
        sets = [s for s in required_sets(branch, pattern.flags) if all(x.strip() for x in s)]
        if not sets:
            return None
        chars.update(x.strip()[0] for x in min(sets, key=len))
    body = "".join(map(re.escape, sorted(chars)))
    return re.compile(f"[{body}]", pattern.flags & re.IGNORECASE)


#: every guarded pattern's strings, numbered; the automaton is built on the first scan
_IDS: dict[str, int] = {}
_AUTOMATON: list[Any] = []
#: a string's number -> the (guard, branch) pairs whose rarest set holds it: read once per text
#: (`scan`), so each guard finds its candidate branches by one lookup instead of set work of its
#: own (a story asks 15 guards, 13 of which have none)
_OPENS: dict[int, list[tuple[int, int]]] = {}
#: how many guards are registered (a guard's number is its place)
_GUARDS: list[int] = [0]


def literal_ids(strings: frozenset[str]) -> frozenset[int]:
    """Numbers for `strings`, which `present` looks for from now on."""
    if not _IDS.keys() >= strings:  # added after a scan: the automaton anew
        _AUTOMATON.clear()
        _forget_scans()
    return frozenset(_IDS.setdefault(s, len(_IDS)) for s in strings)


def _register(opens: dict[int, list[int]]) -> int:
    """A new guard's number, its branches entered in `_OPENS` (`opens`: a string's number ->
    the branches it opens). The texts scanned so far knew nothing of it: they are forgotten."""
    guard = _GUARDS[0]
    _GUARDS[0] += 1
    for i, branches in opens.items():
        _OPENS.setdefault(i, []).extend((guard, b) for b in branches)
    _forget_scans()
    return guard


def _forget_scans() -> None:
    """Drop the kept scans: their strings or their guards' branches are out of date."""
    scan.cache_clear()
    _caseless_scan.cache_clear()


def build_automaton(entries: Iterable[tuple[str, Any]]) -> Any:
    """An Aho-Corasick automaton (the `pyahocorasick` package) over `entries`' strings, each
    found with its value: one pass over a text finds every string it holds."""
    auto = ahocorasick.Automaton()
    for s, value in entries:
        auto.add_word(s, value)
    auto.make_automaton()
    return auto


def _automaton() -> Any:
    if not _AUTOMATON:
        _AUTOMATON.append(build_automaton(_IDS.items()))
    return _AUTOMATON[0]


def spaced(text: str) -> str:
    """`text` as the required strings are looked for in it: each run of white space (what
    `\\s` matches, `str.split`'s) one space, and a space at either end, so "your\\s+ex" can
    require "your ex" (a match's own white space collapses the same way)."""
    return f" {' '.join(text.split())} "


class Scan(NamedTuple):
    """One text as the guards read it."""

    #: `spaced(text)`, where the other required sets are looked for
    spaced: str
    #: the guarded patterns' strings it holds, as numbered in `_IDS`
    found: frozenset[int]
    #: a guard's number -> the branches one of its strings opens (a guard not here has none)
    opens: dict[int, set[int]]


@lru_cache(maxsize=8)
def scan(text: str) -> Scan:
    """`text` as the guards read it (`Scan`), by one Aho-Corasick pass; kept for the last few
    texts (the forms read a story one after another)."""
    s = spaced(text)
    found = frozenset(i for _, i in _automaton().iter(s))
    opens: dict[int, set[int]] = {}
    for i in found:
        for guard, branch in _OPENS.get(i, ()):
            opens.setdefault(guard, set()).add(branch)
    return Scan(s, found, opens)


def present(text: str) -> frozenset[int]:
    """The guarded patterns' strings that `spaced(text)` holds."""
    return scan(text).found


#: besides their upper case, the letters a case-insensitive ASCII letter matches: the dotted
#: capital I (whose `str.lower` is two characters), the dotless i and the long s (the regex
#: engine's own additions); the Kelvin sign's lower case is "k"
_CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def caseless(text: str) -> str:
    """`text` with every letter a case-insensitive ASCII letter of a pattern matches made that
    letter: where such a pattern matches `text`, its strings as written are in this text."""
    if text.isascii() or not any(c in text for c in _CASELESS_CHARS):
        return text.lower()  # nothing to translate (a translation reads every character in
        # Python: 30x a `str.lower` on a story with an em dash)
    return text.translate(_CASELESS).lower()


_CASELESS_CHARS = tuple(map(chr, _CASELESS))


@lru_cache(maxsize=8)  # asked by every guarded pattern about the same story
def lower_only(text: str) -> bool:
    """Does a case-insensitive pattern whose letters are ASCII and lower case (`_unfolded`)
    match in `text` as it does without the flag? Yes when `text` holds no other character
    that such a letter matches: no upper case (A-Z, the dotted capital I and the Kelvin sign
    all change under `str.lower`) and no dotless i or long s (which do not). Other letters
    match no ASCII letter, and the patterns hold no back-reference (`Alternation` refuses
    groups), so two letters of the text that are each other's case variants never meet."""
    if text.isascii():
        return text.islower()
    return text == text.lower() and not any(c in text for c in _CASELESS_CHARS)


@lru_cache(maxsize=8)
def _caseless_scan(text: str) -> Scan:
    """`scan(caseless(text))`, kept for the last few texts: every guarded pattern of a form
    family asks about the same story, which is `caseless` once, not once per pattern."""
    return scan(caseless(text))


def _unfolded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` without IGNORECASE, for texts without upper case; refused when the pattern
    spells a letter in upper case (it would then match differently) or a letter that is not
    ASCII (`caseless` knows only what an ASCII letter matches)."""

    def walk(items: Any) -> None:
        for op, av in items:
            if op in (_c.LITERAL, _c.NOT_LITERAL) and (
                chr(av) != chr(av).lower() or (chr(av).isalpha() and not chr(av).isascii())
            ):
                raise ValueError(f"a letter {chr(av)!r} in a case-insensitive pattern")
            if op is _c.RANGE and any(chr(c) != chr(c).lower() for c in range(av[0], av[1] + 1)):
                raise ValueError("an upper-case range in a case-insensitive pattern")
            if op is _c.IN:
                walk(av)
            elif op in (_c.SUBPATTERN, _c.ATOMIC_GROUP, _c.ASSERT, _c.ASSERT_NOT):
                walk((av[-1] if isinstance(av, tuple) else av).data)
            elif op is _c.BRANCH:
                for sub in av[1]:
                    walk(sub.data)
            elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
                walk(av[2].data)

    walk(_sre.parse(pattern.pattern, pattern.flags).data)
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


class Guarded:
    """`pattern`, run only with the branches whose required strings a text holds (module doc).

    Per branch, its rarest set is looked for by the Aho-Corasick pass (`present`); its other
    sets, by a substring test, only where the rarest is there. The branches left run by
    `Alternation` (each where one of its heads starts)."""

    __slots__ = (
        "pattern", "_folded", "_alt", "_alt_folded", "_always", "_rest", "_n", "_last", "_guard",
    )  # fmt: skip

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._folded = bool(pattern.flags & re.IGNORECASE)
        #: the branches run without IGNORECASE (on a text where that is the same), and with it
        self._alt = Alternation(_unfolded(pattern) if self._folded else pattern)
        self._alt_folded = Alternation(pattern) if self._folded else self._alt
        branches = split_branches(pattern.pattern)
        self._n = len(branches)
        by_id: dict[int, list[int]] = {}
        always: list[int] = []
        rest: list[tuple[frozenset[str], ...]] = []
        for n, branch in enumerate(branches):
            sets = sorted(required_sets(branch, pattern.flags), key=_score, reverse=True)
            for i in literal_ids(sets[0]) if sets else ():
                by_id.setdefault(i, []).append(n)
            if not sets:
                always.append(n)
            rest.append(tuple(sets[1:]))
        #: its number among the guards (`scan` says which of its branches a text opens, by
        #: the strings of their rarest sets); the branches that need none
        self._guard = _register(by_id)
        self._always = frozenset(always)
        self._rest = tuple(rest)
        #: the last text asked about and its live branches (`possible`, then `finditer`)
        self._last: tuple[str | None, tuple[int, ...]] = (None, ())

    def _filtered(self, text: str) -> bool:
        return not self._folded or lower_only(text)

    def live(self, text: str) -> tuple[int, ...]:
        """The branches that can match in `text`."""
        last, live = self._last
        if last is not text:
            read = scan(text) if self._filtered(text) else _caseless_scan(text)
            cands: Collection[int] | None = read.opens.get(self._guard)
            if self._always:
                cands = self._always.union(cands or ())
            if cands:
                text_spaced = read.spaced
                live = tuple(
                    n
                    for n in sorted(cands)
                    if all(any(s in text_spaced for s in need) for need in self._rest[n])
                )
            else:
                live = ()
            self._last = (text, live)
        return live

    def possible(self, text: str) -> bool:
        """Can `pattern` match somewhere in `text`? (False: it cannot; True: it may.)"""
        return bool(self.live(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of `pattern.finditer(text)`, from the branches that can match."""
        live = self.live(text)
        if not live:
            return iter(())
        alt = self._alt if self._filtered(text) else self._alt_folded
        return alt.finditer(text, None if len(live) == self._n else frozenset(live))

    def search(self, text: str) -> re.Match[str] | None:
        """`pattern.search(text)`, from the branches that can match."""
        return next(self.finditer(text), None)
