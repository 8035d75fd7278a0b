"""A regex alternation scanned only for the branches a text can hold.

The safety forms are long alternations (`a|b|c|...`, forty branches and more). Python's regex
engine tries every branch at every position of the text, so one such pattern over a story costs
close to a millisecond even when, as nearly always, nothing matches; each branch alone is
scanned far faster. `Alternation` splits a pattern into its top-level branches, reads from each
branch's parse tree the few strings a match of it must begin with ("sad", "pat", "emb", ...),
and tries each branch (`match`) only where one of its heads starts in the text: most branches
nowhere. The matches it yields are those of `pattern.finditer(text)`, in the same order with the
same spans: at each step the leftmost match of any branch wins, the earlier branch on a tie, and
the scan goes on from its end, which is what the combined pattern does (an empty match hands
the rest of the scan back to the pattern).

Where a head starts: when the branch opens with `\\b` and a letter, a match can only start a
run of letters, so the head is looked up among the runs' first three letters; otherwise it is
found as a substring. A branch whose heads cannot be read is searched whole. Callers read
`group(0)` and the span only: patterns with capturing groups are refused.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

# the regex parser (`re._parser` since 3.11): not typed, only read here, at import time
_sre: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

#: heads are read up to this many characters (word heads are three letters long)
_K = 3
#: past this many candidate heads a branch is searched unguarded
_MAX_HEADS = 512
#: ASCII other than a-z to a space (a `bytes.translate` table)
_A_Z_ONLY = bytes(c if "a" <= chr(c) <= "z" or c > 127 else ord(" ") for c in range(256))
_HEAD = itemgetter(slice(0, _K))
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


class Words:
    """A text's runs of a-z: their heads (first three letters), and where the runs of a head
    start, looked up only for the heads some branch opens with."""

    __slots__ = ("text", "keys", "_at")

    def __init__(self, text: str) -> None:
        self.text = text
        # the runs of a-z, by a translation of the bytes and a split (every other character is
        # a space, the "?" standing for one that is not ASCII too)
        runs = text.encode("ascii", "replace").translate(_A_Z_ONLY).decode("ascii").split()
        self.keys = frozenset(map(_HEAD, set(runs)))
        self._at: dict[str, list[int]] = {}

    def starts(self, key: str) -> list[int]:
        """Where a run with head `key` starts (a shorter key is a whole run)."""
        found = self._at.get(key)
        if found is None:
            text = self.text
            n = len(key)
            found = []
            p = text.find(key)
            while p >= 0:
                if (p == 0 or text[p - 1] not in _LETTERS) and (
                    n == _K or text[p + n : p + n + 1] not in _LETTERS
                ):
                    found.append(p)
                p = text.find(key, p + 1)
            self._at[key] = found
        return found


@lru_cache(maxsize=16)
def words_of(text: str) -> Words:
    """`Words(text)`, kept for the last few texts: the forms read the same story one after
    another."""
    return Words(text)


def _walk(items: Any, start: set[str]) -> tuple[set[str], set[str]]:
    """(closed, open): the strings a match of `items` can begin with, given it follows one of
    `start`; an open one may grow with what follows `items`, a closed one may not."""
    closed: set[str] = set()
    open_ = set(start)
    for op, av in items:
        if not open_:
            break
        if op is _c.LITERAL:
            grown = {s + chr(av) for s in open_}
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width
        elif op is _c.IN and all(o in (_c.LITERAL, _c.RANGE) for o, _ in av):
            chars = [chr(a) if o is _c.LITERAL else None for o, a in av]
            span = [chr(x) for o, a in av if o is _c.RANGE for x in range(a[0], a[1] + 1)]
            grown = {s + ch for s in open_ for ch in [*(c for c in chars if c), *span]}
        elif op is _c.BRANCH:
            grown = set()
            for sub in av[1]:
                d, o = _walk(sub.data, open_)
                closed |= d
                grown |= o
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            d, grown = _walk(av[3].data, open_)
            closed |= d
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            d, o = _walk(sub.data, open_)
            if lo == hi == 1:
                closed |= d
                grown = o
            else:  # after one repetition the next is unknown: what it began with is final
                closed |= d | o
                grown = open_ if lo == 0 else set()
        else:  # a class, any character, a group reference...: nothing more is known
            closed |= open_
            grown = set()
        done = {s for s in grown if len(s) >= _K}
        closed |= done
        open_ = grown - done
        if len(open_) + len(closed) > _MAX_HEADS:
            return {""}, set()
    return closed, open_


def split_branches(pattern: str) -> list[str]:
    """The top-level branches of `pattern` (its source split at each `|` outside groups and
    character classes)."""
    parts: list[str] = []
    depth = 0
    cur = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += 1 if pattern[i : i + 1] == "]" else 0
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[cur:i])
            cur = i + 1
        i += 1
    parts.append(pattern[cur:])
    return parts


class _Branch(NamedTuple):
    """One branch: compiled alone, with the heads a match of it begins with."""

    rx: re.Pattern[str]
    #: None: searched unguarded. Else heads tested against the word starts: three letters, or
    #: fewer (any word start beginning with them)
    words: frozenset[str] | None
    #: heads looked for as substrings (where one is found, a match can start)
    subs: tuple[str, ...]


def _branch(source: str, flags: int) -> _Branch:
    rx = re.compile(source, flags)
    items = _sre.parse(source, flags).data
    closed, open_ = _walk(items, {""})
    heads = closed | open_
    if "" in heads or flags & re.IGNORECASE:
        return _Branch(rx, None, ())
    lead = next(((op, av) for op, av in items if op not in (_c.ASSERT, _c.ASSERT_NOT)), None)
    at_word = lead == (_c.AT, _c.AT_BOUNDARY)
    on_word = frozenset(h for h in heads if at_word and _LETTERS.issuperset(h))
    return _Branch(rx, on_word, tuple(sorted(heads - on_word)))


class Alternation:
    """`pattern`'s top-level branches, each compiled alone (see module doc)."""

    __slots__ = ("pattern", "_rx", "_always", "_subs", "_by_head", "_by_key")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if pattern.groups:  # a branch alone would number its groups (and back-references) anew
            raise ValueError("Alternation takes a pattern without capturing groups")
        self.pattern = pattern
        branches = [_branch(p, pattern.flags) for p in split_branches(pattern.pattern)]
        self._rx = tuple(b.rx for b in branches)
        #: branches searched whatever the text holds
        self._always = frozenset(i for i, b in enumerate(branches) if b.words is None)
        #: branches tried where one of their substring heads is found
        self._subs = tuple((i, b.subs) for i, b in enumerate(branches) if b.subs)
        #: word-start head (one to three letters) -> the branches a match of which it can open
        self._by_head: dict[str, list[int]] = {}
        for i, b in enumerate(branches):
            for h in sorted(b.words or ()):
                self._by_head.setdefault(h, []).append(i)
        #: word head (three letters, or a shorter word) -> the branches it can open, learnt
        #: as texts hold them (at most every head of up to three letters)
        self._by_key: dict[str, tuple[int, ...]] = {}

    def _branches_for(self, key: str) -> tuple[int, ...]:
        found = self._by_key.get(key)
        if found is None:
            heads = {key, key[:2], key[:1]}
            found = tuple(sorted({i for h in heads for i in self._by_head.get(h, ())}))
            self._by_key[key] = found
        return found

    def finditer(self, text: str, only: frozenset[int] | None = None) -> Iterator[re.Match[str]]:
        """The matches of `self.pattern.finditer(text)`, from the branches `text` can hold.

        `only`: the branches that can match in `text` at all (the others, the caller knows,
        match nowhere in it: `wrapped.safety.required`); None: any."""
        words = words_of(text)
        #: branch -> where its match can start, or None: anywhere
        where: dict[int, list[int] | None] = {}
        by_key = self._by_key
        for key in words.keys:
            branches = by_key.get(key)
            if branches is None:
                branches = self._branches_for(key)
            for i in branches:
                if only is None or i in only:
                    where[i] = [*(where.get(i) or ()), *words.starts(key)]
        for i, subs in self._subs:
            if only is not None and i not in only:
                continue
            found = list(where.get(i) or ())
            for sub in subs:
                p = text.find(sub)
                while p >= 0:
                    found.append(p)
                    p = text.find(sub, p + 1)
            if found:
                where[i] = found
        for i in self._always:
            if only is None or i in only:
                where[i] = None
        if not where:
            return
        live = [
            (self._rx[i], None if at is None else sorted(set(at)))
            for i, at in sorted(where.items())
        ]
        #: per live branch, its next match at or after `pos` (None: no more)
        nxt = [_next(rx, starts, text, 0) for rx, starts in live]
        pos = 0
        while True:
            best: re.Match[str] | None = None
            for m in nxt:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            if best.end() == best.start():  # an empty match: the pattern's own rules from here
                yield from self.pattern.finditer(text, pos)
                return
            yield best
            pos = best.end()
            for i, m in enumerate(nxt):
                if m is not None and m.start() < pos:
                    nxt[i] = _next(*live[i], text, pos)


def _next(
    rx: re.Pattern[str], starts: list[int] | None, text: str, pos: int
) -> re.Match[str] | None:
    """`rx.search(text, pos)`, tried only at `starts` when they are known."""
    if starts is None:
        return rx.search(text, pos)
    for p in starts[bisect_left(starts, pos) :]:
        m = rx.match(text, p)
        if m is not None:
            return m
    return None
