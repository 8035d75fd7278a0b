"""Which of a listener's strings the policy flags: one string's verdict, and a walk's memo.

`is_unsafe` is the verdict on one string (the lexicon, instruction-like text, markup). A walk
over a listener's year (`wrapped.safety.screen`) asks about a few hundred distinct strings, most
of them clean; `Walker` remembers each answer and spares `is_unsafe` the strings that cannot
be flagged: those that hold no word of a term the whole-year screen found and nothing that
could hide one (`_SUSPICIOUS`), a test it runs on all of a listener's strings at once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

from wrapped.safety.lexicon import fold, lexicon


class Flag(NamedTuple):
    """One flagged value: where it was, what it was and why."""

    path: str
    name: str
    category: str


@lru_cache(maxsize=65536)
def is_unsafe(text: str | None) -> str | None:
    """The lexicon category `text` touches (drugs, alcohol, sex, violence, self_harm, hate,
    profanity), or "injection" for instruction-like text, else None. Handles obfuscation."""
    if not text:
        return None
    lex = lexicon()
    if lex.is_allowed(text):
        return None
    found = lex.unsafe.first(text) or lex.injection.first(text)
    if found is None and MARKUP_RE.search(text):
        return "markup"  # HTML/script in a title: never rendered into a story
    return found


#: HTML tags, entities and script URLs: a title carrying them is kept out of prompts and stories.
#: Other angle-bracket text (e.g. a fake "</listener_data>") stays data: the renderer escapes it.
_TAGS = (
    "a|abbr|b|blink|body|br|button|code|del|div|em|embed|font|form|h[1-6]|head|html|i|iframe|img|"
    "input|li|link|marquee|meta|object|ol|p|pre|s|script|small|span|strong|style|sub|sup|svg|"
    "table|td|tr|u|ul"
)
#: Each match opens with "<", "&" or a "j" (the only characters IGNORECASE lets stand for "j"):
#: that class comes first, outside the case-insensitive groups, so the regex engine skips to
#: the next such character in C. Written as three case-insensitive alternatives, it tried a
#: match at every position of a listener's joined titles (its costliest pass after the lexicon).
MARKUP_RE = re.compile(
    rf"[<&jJ](?:(?<=<)\s*/?\s*(?i:{_TAGS})\b[^>]*>|(?<=&)(?i:#\d+|#x[0-9a-f]+|[a-z]{{2,8}});"
    r"|(?<=[jJ])(?i:avascript):)"
)


#: `Walker.seen` markers: a string not looked at yet; one that needs `is_unsafe`; one that
#: needs `_category` (its cheap test, then `is_unsafe`)
_UNSEEN: Any = object()
_PENDING: Any = object()
_UNTESTED: Any = object()


class Walker:
    """Collects flags while building the sanitized dict."""

    def __init__(self, terms: set[str]) -> None:
        self.flags: list[Flag] = []
        self.names: dict[str, None] = {}
        self.terms = terms  # words of the terms the whole-year screen found
        #: value -> category, or a marker above: logs repeat their names
        self.seen: dict[str, str | None] = {}
        #: the values of `seen` whose category is not None (or not known yet)
        self.maybe: set[str] = set()

    def bad(self, value: Any, path: str) -> bool:
        category = self.category(value)
        if category is not None:
            self.flag(value, path, category)
        return category is not None

    def category(self, value: Any) -> str | None:
        """The category `value` touches (None: clean), without recording it."""
        if not isinstance(value, str) or not value:
            return None
        known = self.seen.get(value, _UNSEEN)
        if known is not _UNSEEN and known is not _UNTESTED and known is not _PENDING:
            return known  # type: ignore[no-any-return]
        found = self.seen[value] = is_unsafe(value) if known is _PENDING else self._category(value)
        if found is None:
            self.maybe.discard(value)
        else:
            self.maybe.add(value)
        return found

    def _category(self, value: str) -> str | None:
        # only strings that hold a word of a found term, or could hide one (digits or symbols
        # inside words, separators, spaced or stretched letters) need the full check
        if not _SUSPICIOUS.search(value):
            folded = fold(value)
            if not any(t in folded for t in self.terms):
                return None
        return is_unsafe(value)

    def settle(self, values: Iterable[Any]) -> None:
        """`_category`'s cheap test for each string of `values` not seen yet, run on all of
        them at once over the strings joined a line each (`_suspect_lines`, then a `str.find`
        per term) instead of two regex searches and three Python calls a string; the strings
        it passes are `_PENDING`, for `category` to screen if the walk asks about them. A
        string that is not ASCII (its `fold` is not its `lower`) or holds a newline is
        `_UNTESTED`: `category` tests it alone. Either is in `maybe`."""
        seen = self.seen
        lines: list[str] = []
        for v in values:
            if isinstance(v, str) and v and v not in seen:
                if v.isascii() and "\n" not in v:
                    lines.append(v)
                else:
                    seen[v] = _UNTESTED
                    self.maybe.add(v)
        if not lines:
            return
        joined = "\n".join(lines)
        starts = list(accumulate([len(v) + 1 for v in lines[:-1]], initial=0))
        closer = _suspect_lines(joined, starts)
        last = len(lines) - 1
        low = joined.lower()  # each line's `fold` (ASCII); no term holds a newline
        for term in self.terms:
            at = low.find(term)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                closer.add(i)
                if i == last:
                    break
                at = low.find(term, starts[i + 1])
        for i, v in enumerate(lines):
            seen[v] = _PENDING if i in closer else None
        self.maybe.update(lines[i] for i in closer)

    def flag_distinct(self, values: Iterable[str | None]) -> None:
        """Flag each flagged one of `values` where it first occurs (`flag`, once per distinct
        value: `names` is the same as flagging every occurrence, `flags` has no repeats); for
        the read-only walk, which lists names only."""
        distinct = dict.fromkeys(values)
        distinct.pop(None, None)
        distinct.pop("", None)
        if not self.seen.keys() >= distinct.keys():
            self.settle(distinct)
        maybe = self.maybe
        if maybe.isdisjoint(distinct):  # most lists: every name seen, none flagged
            return
        for value in [v for v in distinct if v in maybe]:
            found = self.category(value)
            if found is not None:
                self.flag(value, "", found)

    def flag(self, value: str, path: str, category: str) -> None:
        self.flags.append(Flag(path, value, category))
        self.names[value] = None


#: a character that makes a string suspicious alone (a digit, a symbol, a letter not ASCII)
_ODD_CHAR = r"[^\sA-Za-z,:;()&'’-]"
_SUSPICIOUS = re.compile(rf"{_ODD_CHAR}|(?:^|\s)\w(?:\s|$)|(\w)\1\1")
#: each ASCII character but the newline as `_SUSPICIOUS` reads it: "!" an `_ODD_CHAR`, " "
#: white space, "a" a letter (the only `\w` left), "," the rest
_SUSPICIOUS_CLASS = bytes(
    ord(
        "\n" if chr(c) == "\n"
        else "!" if re.match(_ODD_CHAR, chr(c))
        else " " if re.match(r"\s", chr(c))
        else "a" if re.match(r"\w", chr(c))
        else ","
    )
    for c in range(128)
) + b"!" * 128  # fmt: skip
#: a one-letter word (the second branch), its letter after the first character: at a line's
#: ends, `^` and `$` are the newline that joins (or the one put at either end)
_ONE_LETTER = (b"\na\n", b"\na ", b" a\n", b" a ")
#: the third branch: a word character thrice
_RUN3 = re.compile(r"(\w)\1\1")


def _suspect_lines(joined: str, starts: list[int]) -> set[int]:
    """The lines of `joined` (ASCII strings joined by newlines; `starts`: where each begins)
    that `_SUSPICIOUS` finds something in, each tested alone. Its three branches apart, the
    first two by substring searches over the characters' classes (`_SUSPICIOUS_CLASS`: the
    one regex tried at every position of every string was a listener's costliest test)."""
    found: set[int] = set()
    last = len(starts) - 1
    classes = b"\n" + joined.encode("ascii").translate(_SUSPICIOUS_CLASS) + b"\n"

    def lines_of(needle: bytes, shift: int) -> None:
        at = classes.find(needle)
        while at >= 0:
            i = bisect_right(starts, at + shift) - 1
            found.add(i)
            if i == last:
                return
            at = classes.find(needle, starts[i + 1])  # the newline before line i + 1

    lines_of(b"!", -1)  # `classes` opens with a newline: a position in it is one past
    for needle in _ONE_LETTER:
        lines_of(needle, 0)
    at = 0
    while (m := _RUN3.search(joined, at)) is not None:
        i = bisect_right(starts, m.start()) - 1
        found.add(i)
        if i == last:
            break
        at = starts[i + 1]
    return found
