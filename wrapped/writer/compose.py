"""The embedded writer: a grounded, safe, locale-aware story with no model and no network.

`compose(request)` picks phrases from the bank with a random generator seeded by the listener,
the day, the request's seed and its attempt, so the same request always gives the same story and
a regeneration gives a different one. It sees the same safety-filtered `UserYear` the prompts
do, fills phrases only from `slots`, prefers phrases whose wording does not already appear in the
listener's previous stories, and keeps the story between 60 and 140 words.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from functools import cache

from wrapped.errors import InputError
from wrapped.prompts.locale import SpellingFamily, spelling_family
from wrapped.prompts.sanitize import safe_year
from wrapped.stats.model import UserYear
from wrapped.story import Draft, StoryRequest
from wrapped.writer import phrases
from wrapped.writer.slots import Slots, day_slots, year_slots
from wrapped.writer.spelling import localize

MIN_WORDS = 60
MAX_WORDS = 140
MAX_TITLE = 80
_SLOT = re.compile(r"\{(\w+)\}(\.)?")


def _rng(request: StoryRequest) -> random.Random:
    key = f"{request.user_year.user_id}|{request.day.isoformat()}|{request.seed}|{request.attempt}"
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


@cache
def needs(template: str) -> frozenset[str]:
    """The slots a phrase uses (the bank is fixed, and every pick asks about every phrase in
    its pool, so each phrase is parsed once)."""
    return frozenset(m.group(1) for m in _SLOT.finditer(template))


def fill(template: str, slots: Slots, family: SpellingFamily) -> str:
    """Localize the phrase's own words, then insert slot values (never localized or re-parsed)."""

    def put(m: re.Match[str]) -> str:
        text = slots[m.group(1)].text
        # "by Fontaines D.C." + "." -> one full stop
        return text if m.group(2) and text[-1:] in ".!?" else text + (m.group(2) or "")

    return _SLOT.sub(put, _localized(template, family))


@cache
def _localized(template: str, family: SpellingFamily) -> str:
    """A bank phrase in the family's spelling (the bank is fixed: each is localized once)."""
    return localize(template, family)


@cache
def _skeleton(template: str, family: SpellingFamily) -> tuple[str, ...]:
    """The phrase's fixed wording in runs of 4+ words: what would read as repetition."""
    out = []
    for chunk in _SLOT.split(_localized(template, family))[::3]:
        words = re.findall(r"[a-z']+", chunk.lower())
        out += [" ".join(words[i : i + 4]) for i in range(len(words) - 3)]
    return tuple(out)


class _Picker:
    """Chooses phrases: available slots only, not yet used, unlike the previous stories."""

    def __init__(self, rng: random.Random, slots: Slots, previous: str, family: SpellingFamily):
        self.rng, self.slots, self.previous, self.family = rng, slots, previous, family
        self.used_slots: set[str] = set()
        self.used_values: set[str] = set()
        self.chosen: set[str] = set()

    def fresh(self, template: str) -> bool:
        return not any(s in self.previous for s in _skeleton(template, self.family))

    def pick(self, pool: Iterable[str], *, avoid_overlap: bool = True) -> str | None:
        ok = [t for t in pool if t not in self.chosen and needs(t) <= self.slots.keys()]
        if avoid_overlap:
            # a second sentence about the same fact reads as padding
            quiet = {"the_date", "weekday", "month"}
            ok = [t for t in ok if not self._overlaps(needs(t) - quiet)] or ok
        if not ok:
            return None
        fresh = [t for t in ok if self.fresh(t)]
        choice = self.rng.choice(fresh or ok)
        self._use(choice)
        return choice

    def _overlaps(self, names: frozenset[str]) -> bool:
        return bool(names & self.used_slots) or any(
            self.slots[n].text in self.used_values for n in names
        )

    def _use(self, template: str) -> None:
        self.chosen.add(template)
        self.used_slots |= needs(template)
        self.used_values |= {self.slots[n].text for n in needs(template) if n in self.slots}


def _words(parts: list[str]) -> int:
    return sum(len(p.split()) for p in parts)


def compose(request: StoryRequest, sanitized: UserYear | None = None) -> Draft:
    """A grounded story for `request`'s day (deterministic; see the module docstring).

    `sanitized`: the listener's year after the input-side safety filter, when the caller keeps
    it (the generate stage does, per listener); else it is filtered here."""
    original = request.user_year
    try:
        original.day(request.day)
    except KeyError:
        raise InputError(f"{request.day} is not an interesting day of {original.user_id}") from None
    uy = sanitized if sanitized is not None else safe_year(original).user_year
    index = next((i for i, d in enumerate(uy.days) if d.date == request.day), None)
    if index is None:  # the filter removed the whole day: write from the date and the year only
        day = original.day(request.day).model_copy(update={"log": [], "facts": {}, "headline": ""})
        uy = uy.model_copy(update={"days": [*uy.days, day]})
        index = len(uy.days) - 1
    day = uy.days[index]
    family = spelling_family(uy.locale)
    slots = {**year_slots(uy), **day_slots(uy, index, family)}
    # "It started with X" must be the day's real first play, not the first one the filter left.
    # Callers may hand in an already-filtered year (the fallback does), so the stats'
    # own `first_play` time is checked as well.
    first_original = original.day(request.day).log[:1]
    first_time = day.facts.get("first_play")
    if (
        not first_original
        or not day.log
        or first_original[0] != day.log[0]
        or (isinstance(first_time, str) and day.log[0].time != first_time)
    ):
        slots.pop("first_title", None)
        slots.pop("first_by", None)

    previous = " ".join(f"{p.title} {p.story}" for p in request.previous).lower()
    previous = re.sub(r"[^a-z']+", " ", previous)
    picker = _Picker(_rng(request), slots, previous, family)
    bank = phrases.CATEGORY[day.category]

    opener = (
        picker.pick(bank["openers"])
        or picker.pick(phrases.FALLBACK_OPENERS)
        or phrases.FALLBACK_OPENERS[0]  # needs only the date, which every day has
    )
    details = [d for d in (picker.pick(bank["details"]), picker.pick(phrases.DETAILS)) if d]
    bridges_pool = list(phrases.BRIDGES)
    bridges: list[str] = []
    for _ in range(2):
        b = picker.pick(bridges_pool)
        if b:
            bridges.append(b)
            bridges_pool.remove(b)
    closer = picker.pick(phrases.CLOSERS, avoid_overlap=False) or phrases.CLOSERS[0]

    def render(opener: str, details: list[str], bridges: list[str]) -> list[str]:
        return [fill(t, slots, family) for t in (opener, *details, *bridges, closer)]

    sentences = render(opener, details, bridges)
    # Too short: more year context. Too long (long names): drop context, then details.
    while _words(sentences) < MIN_WORDS:
        extra = (
            picker.pick(bridges_pool)
            or picker.pick(phrases.DETAILS)
            or picker.pick(phrases.FILLERS, avoid_overlap=False)
        )
        if extra is None:
            break
        if extra in bridges_pool:
            bridges_pool.remove(extra)
        bridges.append(extra)
        sentences = render(opener, details, bridges)
    while _words(sentences) > MAX_WORDS and (bridges or details):
        (bridges or details).pop()
        sentences = render(opener, details, bridges)

    n_first = 1 + len(details)
    story = " ".join(sentences[:n_first]) + "\n\n" + " ".join(sentences[n_first:])
    title = _title(picker, bank["titles"], slots, family)
    used = sorted(picker.used_slots & slots.keys())
    facts_used = list(dict.fromkeys(f"{slots[k].path} = {slots[k].value}" for k in used))
    return Draft(title=title, story=story.strip(), facts_used=facts_used)


def _title(picker: _Picker, pool: list[str], slots: Slots, family: SpellingFamily) -> str:
    candidates = [
        t for t in pool if needs(t) <= slots.keys() and len(fill(t, slots, family)) <= MAX_TITLE
    ]
    fresh = [t for t in candidates if fill(t, slots, family).lower() not in picker.previous]
    pool2 = fresh or candidates
    if not pool2:
        pool2 = [t for t in phrases.FALLBACK_TITLES if needs(t) <= slots.keys()]
    choice = picker.rng.choice(pool2)
    picker._use(choice)
    return fill(choice, slots, family)
