"""The safety lexicon and the text normalization that makes it hard to dodge.

Why a lexicon at all when there is an LLM safety judge: it is deterministic, costs microseconds,
cannot be talked out of its job by the text it reads, and is the only layer that also runs on the
*input* side (titles are screened before the writer ever sees them). The terms live in
`wrapped/safety/data/lexicon.json` so they can be maintained without touching code.

Matching is whole-word/phrase (so "Heroes" is not "heroin" and "Rolling Stones" is not
"stoned") on several normalized *views* of the text, so cheap obfuscations still match:

* case and accents ("COCAÏNE" -> "cocaine"), curly quotes, full-width letters (NFKD);
* leetspeak inside words that also contain letters ("c0caine", "$uicide", "4lcohol"; "1" is
  tried both as "i" and "l"), never in plain numbers, so "420 minutes" stays a number;
* separators inside words and spaced-out letters ("c.o.c.a.i.n.e", "co-caine", "s e x");
* stretched letters ("sexxx", "boooze");
* invisible characters (zero-width spaces and joiners, soft hyphens, bidi marks: Unicode's
  format category) and combining marks removed, styled and full-width letters mapped by NFKD;
* look-alike letters from other scripts (Cyrillic "о", Greek "ο", ...) mapped to the Latin letter
  they imitate, from Unicode's confusables data (the `confusable-homoglyphs` package ships it).
A plural "s"/"es" is allowed after every entry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "+": "t",
        "€": "e",
    }
)
_LEET_L = str.maketrans({"1": "l", "!": "l"})
#: curly quotes and the letters NFKD leaves whole, to what a reader would type
_QUOTE_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00b4": "'",
    "`": "'",
    "ß": "ss",
    "æ": "ae",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "œ": "oe",
}
#: `_QUOTE_MAP` as replacements: a text holds few of them, and `str.translate` with a table
#: that writes two letters for one ("ß" -> "ss") reads every character in Python (6x slower).
#: No replacement writes a character that another one replaces, so their order is free.
_QUOTE_PAIRS = tuple(_QUOTE_MAP.items())
_LEET_TOKEN = re.compile(r"(?<!\S)(?=\S*[a-z])(?=\S*[0-9@$!|+€])\S+")
_HAS_LEET = re.compile(r"[0-9@$!|+€]")
# A run of separators between two letters. It starts with the separator, not a lookbehind, so
# the regex engine skips to the next separator in C instead of trying every position (4x).
_INNER_SEP = re.compile(r"[.\-_*'~|\"/\\](?<=[a-z].)[.\-_*'~|\"/\\]*(?=[a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SINGLE_RUN = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
#: two single letters in a row: what `_SINGLE_RUN` needs at least (found 10x faster)
_TWO_SINGLES = re.compile(r" [a-z] [a-z] ")
#: ASCII letters to "a", leet characters to "1", whitespace kept, the rest deleted (a table and
#: the bytes to delete, for `bytes.translate`: on ASCII text 2x `str.translate`'s dict): a token
#: with both a letter and a leet character (what `_LEET_TOKEN` finds) then reads "a1" or "1a"
_LEET_CLASSES = bytes(
    ord("a") if "a" <= chr(c) <= "z" else ord("1") if chr(c) in "0123456789@$!|+" else c
    for c in range(256)
)
_LEET_OTHERS = bytes(
    c
    for c in range(128)
    if not ("a" <= chr(c) <= "z" or chr(c) in "0123456789@$!|+" or chr(c).isspace())
)
#: ASCII outside [a-z0-9] to " " (a `bytes.translate` table)
_SPACE_OUT = bytes(
    c if "a" <= chr(c) <= "z" or "0" <= chr(c) <= "9" or c > 127 else ord(" ") for c in range(256)
)
_RUN3 = re.compile(r"([a-z])\1{2,}")
#: where `_RUN3` would start (a letter, then two more of it): found 1.7x faster
_RUN3_AT = re.compile(r"([a-z])(?=\1\1)")
#: a word with one or two letters masked by *, # or _ (and at least two real letters)
_MASKED = re.compile(
    r"(?<![\w*#])[a-z]+[*#_][a-z*#_]*[a-z]+|(?<![\w*#])[a-z]{2,}[*#_]{1,2}(?![\w*#])"
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case-fold and strip accents/curly quotes: the base of every comparison in the gate."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", _unquote(text))
    text = _COMBINING.sub("", text)
    return _unquote(text.casefold())


def _unquote(text: str) -> str:
    """`text` with `_QUOTE_MAP` applied."""
    for old, new in _QUOTE_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


#: invisible characters: zero-width space/joiners, soft hyphen, word joiner, bidi marks, BOM
_INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
                        r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")  # fmt: skip


_LETTER_WITH = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ")


_LOOK_ALIKE_EXTRA = {"м": "m", "к": "k", "т": "t", "н": "h", "в": "b", "ш": "w", "п": "n",
                     "ǫ": "q", "ɋ": "q"}  # fmt: skip


@cache
def _confusables() -> dict[int, str]:
    """Non-Latin look-alikes of the Latin letters and digits -> that letter (lower case).

    From Unicode's confusables data as shipped by `confusable-homoglyphs`: for every ASCII
    letter, the characters it lists as confusable with it (Cyrillic, Greek, Armenian, Cherokee,
    mathematical and other styled forms), kept when they are not ASCII themselves."""
    from confusable_homoglyphs import confusables as cf

    table: dict[int, str] = {}
    data = cf._get_confusables_chars() if hasattr(cf, "_get_confusables_chars") else None
    if data is None:
        from confusable_homoglyphs.utils import load

        data = load("confusables.json")
    for ascii_ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
        for entry in data.get(ascii_ch, []):
            glyph = entry.get("c", "")
            if len(glyph) == 1 and not glyph.isascii():
                table.setdefault(ord(glyph), ascii_ch.lower())
    # small capitals ("ᴅʀᴜɴᴋ"): neither NFKC nor the confusables map them all; their Unicode
    # names say which letter each is
    for code in (*range(0x0250, 0x02B0), *range(0x1D00, 0x1D2C), 0xA7AF):
        name = unicodedata.name(chr(code), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == 28:
            table.setdefault(code, name[-1].lower())
    # letters that read as Latin small capitals or as a Latin letter at text size, though
    # Unicode's data does not list them ("мarijuana", "ᴛᴇǫᴜɪʟᴀ")
    for glyph, letter in _LOOK_ALIKE_EXTRA.items():
        table.setdefault(ord(glyph), letter)
    # a letter with a hook, tail, stroke or curl ("ʝoint", "ɗrunk"): its name says which letter
    for code in (*range(0x0180, 0x0250), *range(0x0250, 0x02B0), *range(0x1D6C, 0x1DC0),
                 *range(0x2C60, 0x2C80), *range(0xA720, 0xA800)):  # fmt: skip
        m = _LETTER_WITH.match(unicodedata.name(chr(code), ""))
        if m is not None:
            table.setdefault(code, m.group(1).lower())
    return table


@cache
def _confusable_chars() -> frozenset[str]:
    return frozenset(map(chr, _confusables()))


def _disguised(text: str) -> bool:
    """Does `text` hold an invisible character or a look-alike of a Latin letter?"""
    return _INVISIBLE.search(text) is not None or not _confusable_chars().isdisjoint(text)


def plain(text: str) -> str:
    """`fold(text)` with invisible characters removed and look-alike letters mapped to Latin:
    the view that the safety forms (`wrapped.safety.forms`) read."""
    if text.isascii():
        return text.lower()
    if not _disguised(text):
        return fold(text)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    # only words that mix Latin with look-alikes, or are made of look-alikes only, are mapped:
    # a Greek or Cyrillic name stays itself
    return fold(_MIXED_WORD.sub(_unconfuse, text))


_MIXED_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")


def _unconfuse(m: re.Match[str]) -> str:
    word = m.group(0)
    table = _confusables()
    mapped = word.translate(table)
    if mapped.isascii():
        return mapped
    # partly mapped: keep the mapping only if the word mixed scripts with Latin letters
    return mapped if any("a" <= c.lower() <= "z" for c in word) else word


def _deleet(text: str, table: dict[int, str]) -> str:
    return _LEET_TOKEN.sub(lambda m: m.group(0).translate(table), text)


#: longer than this is a story or a listener's joined titles, not a name: seen again only by
#: the next matcher over the same text, moments later
LONG_TEXT = 256


def views(text: str) -> tuple[str, ...]:
    """The normalized views of `text` the lexicon is matched against (see module doc).

    Memoized in two sizes. Names recur across listeners, so thousands are kept. A story or a
    year's joined titles is unique to one check, which asks about it once per matcher, so only
    the last few are kept: a large memo of them grew with every listener a worker saw (about
    15 KB each, into the hundreds of MB per worker over a long run) for no later hit."""
    return _long_views(text) if len(text) > LONG_TEXT else _short_views(text)


@lru_cache(maxsize=65536)
def _short_views(text: str) -> tuple[str, ...]:
    return _views(text)


@lru_cache(maxsize=64)
def _long_views(text: str) -> tuple[str, ...]:
    return _views(text)


def _views(text: str) -> tuple[str, ...]:
    base = fold(text)
    variants = [base]
    if not text.isascii() and _disguised(text):
        unhidden = plain(text)
        if unhidden != base:
            variants.append(unhidden)
            base = unhidden
    if _HAS_LEET.search(base) and _has_mixed(base):
        mixed = _LEET_TOKEN.findall(base)
        variants.append(_deleet(base, _LEET))
        if any("1" in t or "!" in t for t in mixed):
            variants.append(_deleet(base, {**_LEET, **_LEET_L}))
    out: list[str] = []
    for v in variants:
        # the same five rewrites on every view, skipping those that cannot change anything
        # (these regexes over a listener's ~1,300 characters of titles are the gate's hot spot)
        spaced = _spaced(v)
        stretched = _RUN3_AT.search(spaced) is not None
        out.append(_RUN3.sub(r"\1\1", spaced) if stretched else spaced)
        singles = _TWO_SINGLES.search(f" {spaced} ") is not None
        if singles:  # "h.e.r.o.i.n-chic": letters joined, word kept
            joined = _SINGLE_RUN.sub(_join_letters, spaced)
            if joined != spaced:
                out.append(joined)
            # "a d r u g s trip": the article is a word of its own, not the word's first letter
            apart = _ARTICLE_RUN.sub(_join_after_article, spaced)
            if apart != spaced and apart != joined:
                out.append(apart)
        inner, n_inner = _INNER_SEP.subn("", v)
        squashed = _spaced(inner) if n_inner else spaced
        n_runs = 0
        if squashed is not spaced:  # else its single letters are those just looked for
            singles = _TWO_SINGLES.search(f" {squashed} ") is not None
        if singles:
            squashed, n_runs = _SINGLE_RUN.subn(_join_letters, squashed)
        # joining may make a run of three ("co-ca-aa-ine"): looked for first, at half the cost
        if stretched or n_runs or (n_inner and _RUN3_AT.search(squashed) is not None):
            squashed = _RUN3.sub(r"\1", squashed)
        out.append(squashed)
    return tuple(dict.fromkeys(f" {o.strip()} " for o in out))


def _has_mixed(base: str) -> bool:
    """Whether `_LEET_TOKEN` finds anything: for ASCII text, two C passes instead of a regex
    that tries every position (10x; stories nearly always hold a digit, almost never a word
    spelled with one)."""
    if base.isascii():
        classes = base.encode("ascii").translate(_LEET_CLASSES, _LEET_OTHERS)
        return b"a1" in classes or b"1a" in classes
    return _LEET_TOKEN.search(base) is not None


def _spaced(v: str) -> str:
    """`_NON_ALNUM.sub(" ", v)`, less any space at either end (every view is stripped), by a
    translation of its bytes and a split (3x; every character that is not ASCII is a space too,
    and so is the "?" that stands for it; after the translation " " is the only white space)."""
    data = v.encode("ascii", "replace")
    return b" ".join(data.translate(_SPACE_OUT).split()).decode("ascii")


def alnum_words(text: str) -> list[str]:
    """The runs of a-z and 0-9 of `fold(text)` (`_NON_ALNUM` splits them), by a translation."""
    return _spaced(fold(text)).split()


def _join_letters(m: re.Match[str]) -> str:
    return m.group(0).replace(" ", "")


#: spaced-out letters after a one-letter word ("a b e e r", "i s e x"), that word not itself one
#: of spaced-out letters ("c o c a i n e"): the text before it ends a longer word or a digit
_ARTICLE_RUN = re.compile(r"(?:^|(?<=[a-z0-9]{2} )|(?<=\d ))([ai]) ((?:[a-z] ){2,}[a-z])\b")


def _join_after_article(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(2).replace(' ', '')}"


class Hit(NamedTuple):
    """One lexicon match: the category it belongs to and the (normalized) term."""

    category: str
    term: str


class Matcher:
    """A {category: [terms]} table matched token by token on every view (no regex backtracking:
    one dict lookup per word, so screening a listener's whole year of titles costs ~1 ms)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self._single: dict[str, tuple[str, str]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for category, terms in sorted(table.items()):
            for term in terms:
                words = tuple(_NON_ALNUM.sub(" ", fold(term)).split())
                if not words:
                    continue
                label = " ".join(words)
                for suffix in ("", "s", "es"):
                    self._single.setdefault("".join(words) + suffix, (category, label))
                if len(words) > 1:
                    self._phrases.setdefault(words[0], []).append((words, category, label))
        for cands in self._phrases.values():
            cands.sort(key=lambda c: len(c[0]), reverse=True)

    def scan_words(self, toks: list[str], first_only: bool = False) -> list[Hit]:
        """`find` on one view split into words: split once, it serves several tables."""
        single = self._single
        # most views hold no listed word: a set intersection in C says so
        if single.keys().isdisjoint(toks):
            out_hits = []
        else:  # distinct words in order: hits in the text's order
            out_hits = [Hit(*single[t]) for t in dict.fromkeys(toks) if t in single]
        if out_hits and first_only:
            return out_hits
        starts = self._phrases.keys() & toks
        if not starts:
            return out_hits
        n = len(toks)
        for i, tok in enumerate(toks):
            if tok not in starts:
                continue
            for words, category, label in self._phrases[tok]:
                k = len(words)
                # too long for the rest of the text, or a middle word differs: no slices built
                if i + k > n or (k > 2 and toks[i + 1] != words[1]):
                    continue
                seg = toks[i : i + k]
                if seg[:-1] == list(words[:-1]) and (
                    seg[-1] == words[-1] or seg[-1] in (words[-1] + "s", words[-1] + "es")
                ):
                    out_hits.append(Hit(category, label))
                    if first_only:
                        return out_hits
                    break
        return out_hits

    def find(self, text: str) -> list[Hit]:
        """Every distinct hit in `text`, in order of first appearance."""
        if not text:
            return []
        hits: dict[Hit, None] = {}
        for view in views(text):
            for h in self.scan_words(view.split()):
                hits[h] = None
        return list(hits)

    def masked(self, text: str) -> list[Hit]:
        """Hits for words written with a letter masked ("dr*nk", "c#caine", "w_ine"): each
        mask stands for one letter. Only words holding a mask are tried, against the single
        words of the table (a few hundred), so a story without one costs one scan."""
        out: list[Hit] = []
        for tok in _MASKED.findall(fold(text)):
            rx = re.compile(re.escape(tok).replace(r"\*", "[a-z]").replace(r"\#", "[a-z]")
                            .replace("_", "[a-z]") + "(?:s|es)?")  # fmt: skip
            for word, (category, label) in self._single.items():
                if len(word) >= 4 and rx.fullmatch(word):
                    out.append(Hit(category, label))
                    break
        return list(dict.fromkeys(out))

    def first(self, text: str) -> str | None:
        """The category of the first hit, or None."""
        if not text:
            return None
        for view in views(text):
            found = self.scan_words(view.split(), True)
            if found:
                return found[0].category
        return None


class Lexicon:
    """The maintained term lists, compiled once per process."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = str(data.get("version", "0"))
        self.unsafe = Matcher(data["categories"])
        self.sensitive = Matcher(data.get("sensitive", {}))
        self.shaming = Matcher({"shaming": data.get("shaming", [])})
        self.injection = Matcher({"injection": data.get("injection", [])})
        #: figures of speech of unsafe themes: matched on stories, never on titles (a title
        #: may well be "Knife Party"; a story may not say "a knife to the ribs")
        self.idioms = Matcher(data.get("idioms", {}))
        #: sensitive, shaming, injection and idiom terms in one table ("family:category"), for
        #: the output side, which matches all four on the same text: one scan instead of four
        combined: dict[str, list[str]] = {}
        for family, table in (
            ("sensitive", data.get("sensitive", {})),
            ("shaming", {"shaming": data.get("shaming", [])}),
            ("injection", {"injection": data.get("injection", [])}),
            ("idiom", data.get("idioms", {})),
        ):
            for category, terms in table.items():
                combined[f"{family}:{category}"] = terms
        self.story_terms = Matcher(combined)
        self.allow = frozenset(
            " ".join(_NON_ALNUM.sub(" ", fold(x)).split()) for x in data.get("allow", [])
        )
        self.categories = tuple(sorted(data["categories"]))

    def is_allowed(self, name: str) -> bool:
        """True for a name the maintainers exempted from screening (exact, normalized)."""
        return " ".join(_NON_ALNUM.sub(" ", fold(name)).split()) in self.allow


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon (wrapped/safety/data/lexicon.json)."""
    raw = (
        resources.files("wrapped.safety").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    )
    return Lexicon(json.loads(raw))
