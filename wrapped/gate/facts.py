"""Everything a story may claim about one listener and one day, indexed for the grounding check.

Built once per (UserYear, day) and cached: the gate checks several drafts per listener, and the
index (names regex, number pool) is the expensive part. Each number carries a *unit* so a claim
is compared only with facts of the same kind ("417 minutes" with minute facts, "14 plays" with
counts): that keeps a planted wrong number from matching some unrelated fact by chance.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from pydantic import BaseModel

from wrapped.gate.lexicon import fold
from wrapped.gate.safety import normalize_name
from wrapped.memo import ObjectMemo
from wrapped.stats.model import MONTHS, WEEKDAYS, InterestingDay, UserYear
from wrapped.stats.roles import MONTH, Kind, Role, role_of, roles_of

CALENDAR_WORDS = frozenset(w.lower() for w in WEEKDAYS + MONTHS)

#: which top list a noun in a ranking refers to
LIST_NOUNS = {
    "artist": "top_artists",
    "artists": "top_artists",
    "act": "top_artists",
    "band": "top_artists",
    "track": "top_tracks",
    "tracks": "top_tracks",
    "song": "top_tracks",
    "songs": "top_tracks",
    "tune": "top_tracks",
    "album": "top_albums",
    "albums": "top_albums",
    "record": "top_albums",
    "genre": "top_genres",
    "genres": "top_genres",
    "podcast": "top_podcasts",
    "show": "top_podcasts",
    "podcasts": "top_podcasts",
    "episode": "top_episodes",
    "episodes": "top_episodes",
}
TOP_LISTS = (
    "top_artists",
    "top_tracks",
    "top_albums",
    "top_genres",
    "top_podcasts",
    "top_episodes",
)


class Fact(NamedTuple):
    """One number from the data. `approx`: derived (hours, days of listening), so rounding is fine."""

    value: float
    path: str
    unit: str
    approx: bool = False
    subject: str | None = None  # normalized name the number is about (top-list rows, log counts)
    #: an estimate (minutes of plays whose length is unknown): only a hedged claim matches it
    estimate: bool = False


@dataclass
class FactIndex:
    user_year: UserYear
    day: date
    the_day: InterestingDay | None
    numbers: list[Fact] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # normalized -> original
    first_tokens: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)  # words of known names (partial mentions)
    ranks: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # list -> normalized name -> rank
    day_tops: set[str] = field(default_factory=set)  # names a day fact calls "top"
    weekdays: set[str] = field(default_factory=set)
    plural_weekdays: set[str] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    times: set[str] = field(default_factory=set)  # HH:MM
    minutes_of_day: list[int] = field(default_factory=list)
    peak_hour: int | None = None
    top_month: str | None = None
    years: set[int] = field(default_factory=set)
    decades: set[int] = field(default_factory=set)
    #: `find_names` results by text; shared by the year index and its day indexes (same names)
    name_hits: dict[str, list[NameHit]] = field(default_factory=dict, repr=False)
    #: the year index this day index extends (its `numbers` are a prefix of ours)
    year: FactIndex | None = field(default=None, repr=False)
    _pools: tuple[NumberPool, ...] | None = field(default=None, repr=False)

    def pools(self) -> tuple[NumberPool, ...]:
        """`numbers` grouped for lookup by unit and value, in order: the year's (shared by every
        day of the listener, built once), then this day's. Built on first use; `numbers` must
        not change afterwards."""
        pools = self._pools
        if pools is None:
            year = self.year
            if year is None:
                pools = (NumberPool(self.numbers),)
            else:
                head = year.pools()[0]
                pools = (head, NumberPool(self.numbers[len(year.numbers) :], len(year.numbers)))
            self._pools = pools
        return pools


class NumberPool:
    """Facts grouped for `amounts._match`: per unit, sorted by value, each with its position in
    `FactIndex.numbers`, so a claim looks up only the facts near its value and still takes the
    first match in the original order (that order decides which fact is reported).

    Groups (each sorted on first use): a unit name -> facts of that unit plus those of unit
    "any"; None -> every exact (not `approx`) fact, for a number written without a unit."""

    __slots__ = ("facts", "start", "linear", "groups")

    def __init__(self, facts: list[Fact], start: int = 0) -> None:
        self.facts = facts
        self.start = start
        #: a NaN or infinite value has no place in a sorted order: such a pool is scanned whole
        self.linear = not math.isfinite(sum(map(_VALUE, facts)))
        self.groups: dict[str | None, tuple[list[float], list[tuple[float, int, Fact]]]] = {}

    def of_unit(self, unit: str) -> list[Fact]:
        """Facts of exactly `unit`, in order."""
        return [f for f in self.facts if f.unit == unit]

    def near(self, unit: str | None, x: float, reach: float) -> list[Fact]:
        """Facts of `unit` (see class doc) with a value within about `reach` of `x`, in the
        original order. A superset of those with `abs(value - x) <= reach`: the caller still
        applies every rule."""
        group = self.groups.get(unit)
        if group is None:
            group = self.groups[unit] = self._group(unit)
        values, rows = group
        slack = 1e-6 * (1.0 + abs(x) + reach)
        lo = bisect_left(values, x - reach - slack)
        hi = bisect_right(values, x + reach + slack, lo)
        if hi - lo <= 1:
            return [rows[lo][2]] if hi > lo else []
        hits = rows[lo:hi]
        hits.sort(key=_position)
        return [r[2] for r in hits]

    def _group(self, unit: str | None) -> tuple[list[float], list[tuple[float, int, Fact]]]:
        facts = enumerate(self.facts, self.start)
        if unit is None:
            rows = [(f.value, i, f) for i, f in facts if not f.approx]
        elif unit == "any":
            rows = [(f.value, i, f) for i, f in facts if f.unit == "any"]
        else:
            rows = [(f.value, i, f) for i, f in facts if f.unit == unit or f.unit == "any"]
        rows.sort()  # by value, then position (positions are unique: facts are never compared)
        return [r[0] for r in rows], rows


_VALUE = itemgetter(0)


def _position(row: tuple[float, int, Fact]) -> int:
    return row[1]


#: `Fact(*fields)` without the Python-level `__new__` (all six fields given): the index makes
#: a few hundred facts per listener
_fact = partial(tuple.__new__, Fact)


def _unit_for_key(key: str) -> str:
    k = key.lower()
    if "minute" in k or k.endswith("_min"):
        return "minutes"
    if "share" in k or "rate" in k or "pct" in k or "percent" in k:
        return "percent"
    if k.endswith("plays") or k.endswith("count"):
        return "count"
    if k.endswith("days") or "streak" in k:
        return "days"
    if k.endswith("year") or k == "born":
        return "year"
    if "hour" in k:
        return "hour"
    return "count"


def _add_minutes(
    out: list[Fact],
    minutes: float,
    path: str,
    subject: str | None = None,
    derived: bool = True,
    estimate: bool = False,
) -> None:
    """A minutes fact, plus (for headline amounts) its hours and days of listening."""
    out.append(_fact((float(minutes), path, "minutes", False, subject, estimate)))
    if derived:
        out.append(_fact((minutes / 60, path + "/60", "hours", True, subject, estimate)))
        out.append(_fact((minutes / 1440, path + "/1440", "days", True, subject, estimate)))


def build_index(uy: UserYear, day: date) -> FactIndex:
    """Index `uy` and the interesting day `day` (which may be absent: then only year facts).

    The year part (and every name of every day) is built once per listener; the day part adds
    that day's numbers, times and weekday."""
    year = _year_index(uy)
    try:
        the_day = uy.day(day)
    except KeyError:
        the_day = None
    ix = FactIndex(
        uy,
        day,
        the_day,
        numbers=list(year.numbers),
        names=year.names,
        first_tokens=year.first_tokens,
        tokens=year.tokens,
        ranks=year.ranks,
        day_tops=set(),
        weekdays=set(year.weekdays),
        plural_weekdays=set(year.plural_weekdays),
        dates=set(year.dates),
        peak_hour=year.peak_hour,
        top_month=year.top_month,
        years=set(year.years),
        decades=year.decades,
        name_hits=year.name_hits,
        year=year,
    )
    if the_day is not None:
        _index_day(ix, the_day)
    ix.dates.add(day)
    ix.weekdays.add(WEEKDAYS[day.weekday()])
    ix.plural_weekdays.add(WEEKDAYS[day.weekday()])
    return ix


_YEARS: ObjectMemo[FactIndex] = ObjectMemo(257)


def _year_index(uy: UserYear) -> FactIndex:
    hit = _YEARS.get(uy)
    return hit if hit is not None else _YEARS.put(uy, _build_year(uy))


def _build_year(uy: UserYear) -> FactIndex:
    """The listener's year facts, derived from the `Role` declared on each field of `UserYear`
    (see `wrapped.stats.roles`): a new statistic is indexed by declaring its role, nothing here.

    The interesting days' numbers are left to `_index_day` (a day's numbers back claims about
    that day only); their names, dates, weekdays and years are the listener's, indexed here.
    Names are gathered first and indexed once each (log entries repeat titles and artists), in
    first-seen order, so `names` maps each normal form to the first original seen."""
    ix = FactIndex(uy, uy.window.start, None)
    walk = _Walk(ix, estimated(uy))
    _walker(type(uy), False)(walk, uy, "")
    names, tokens = ix.names, ix.tokens
    for each in dict.fromkeys(walk.raw):  # `_name`, inlined: ~200 names per listener
        if each:
            for norm, words in _name_forms(each):
                names.setdefault(norm, each)
                tokens.update(words)
    _compile(ix)
    return ix


def estimated(uy: UserYear) -> bool:
    """Are this listener's minutes estimates? (see `UserYear.minutes_are_estimates`)"""
    return uy.minutes_are_estimates


_Handler = Callable[["_Walk", list[Any], Role, list[str], list["str | None"]], None]

#: roles an interesting day contributes to the YEAR index (its numbers go to its own index)
_DAY_KINDS = frozenset(
    {Kind.NAME, Kind.LABEL, Kind.DATE, Kind.WEEKDAY, Kind.YEAR, Kind.FACTS, Kind.NESTED, Kind.LOG}
)


class _Walk:
    """One pass over a model by its fields' roles, adding what each role says to the year index.

    Each model class is walked by a function compiled once from its fields' roles (`_walker`):
    as fast as the hand-written walk it replaced, and nothing to edit when a field is added."""

    __slots__ = ("ix", "nums", "raw", "estimate", "ranks")

    def __init__(self, ix: FactIndex, estimate: bool) -> None:
        self.ix, self.nums, self.estimate = ix, ix.numbers, estimate
        self.raw: list[str | None] = []
        self.ranks: dict[str, int] = {}

    def rows(self, rows: list[Any], role: Role, cls: type[BaseModel], path: str, day: bool) -> None:
        """A list of models: its length, ranks and top row as the role says, then its rows."""
        if day and role.kind is Kind.LOG:  # the hot loop: a few hundred plays per listener
            names, years = _log_getters(cls)
            self.raw.extend(chain.from_iterable(map(names, rows)))
            for year in years:
                self.ix.years.update(map(int, filter(None, map(year, rows))))
            return
        if role.length:
            self.nums.append(_fact((len(rows), f"len({path})", "count", False, None, False)))
        if _has_rank(cls):
            self.ranks = self.ix.ranks[path] = {}
        if not rows:
            return
        if role.peak:
            best = max(rows, key=attrgetter(role.peak))
            if role.key and role_of(cls, role.key) == MONTH:
                self.ix.top_month = getattr(best, role.key)
        walk, key = _walker(type(rows[0]), day), role.key
        for r in rows:
            walk(self, r, f"{path}[{getattr(r, key)}]" if key else path)


@lru_cache(maxsize=256)
def _walker(cls: type[BaseModel], day: bool) -> Callable[[_Walk, Any, str], None]:
    """The year walk of one `cls` object, as a function generated from its fields' roles.

    Why generated: a generic loop over fields cost twice the hand-written walk per listener
    (a per-field dispatch); the generated body is that hand-written walk. The hot kinds (one
    count, one minutes figure, a name, a rank, a nested model) are inlined; the rest call their
    handler in `_YEAR_ROLE`. Inside an interesting day only the day-safe kinds are read."""
    env: dict[str, Any] = {"F": _fact, "M": _add_minutes, "N": normalize_name, "W": _walker}
    body = ["p = path + '.' if path else ''", "A = w.nums.append", "B = w.raw.append"]
    fields = [f for f in roles_of(cls) if not day or f.role.kind in _DAY_KINDS]
    subject = next((f.name for f in fields if f.role.subject), None)
    body.append(f"S = N(o.{subject}) if o.{subject} else None" if subject else "S = None")
    for i, f in enumerate(fields):
        role, kind, name = f.role, f.role.kind, f.name
        env[f"R{i}"], env[f"C{i}"] = role, f.model
        get = f"v = o.{name}"
        if f.model is not None:
            call = f"w.rows(v, R{i}, C{i}, p + {name!r}, {day or role.day})" if f.many else (
                f"W(type(v), {day})(w, v, p + {name!r})"
            )  # fmt: skip
            body += [get, f"if v is not None: {call}"]
        elif kind in (Kind.COUNT, Kind.DAYS) and _scalar(role):
            fact = f"F((v, p + {name!r}, {kind.value!r}, False, S, False))"
            body += [get, f"if v is not None: A({fact})"]
        elif kind is Kind.MINUTES and _scalar(role):
            est = "w.estimate" if role.estimate else "False"
            body += [get, f"if v is not None: M(w.nums, v, p + {name!r}, S, {role.hours}, {est})"]
        elif kind in (Kind.NAME, Kind.LABEL):
            body.append(f"B(o.{name})")
        elif kind is Kind.RANK:
            body += [get, "if v is not None and S is not None: w.ranks.setdefault(S, v)"]
        elif kind in (Kind.PERCENT, Kind.SCORE):
            pct = "round(v * 100, 1)" if kind is Kind.SCORE else "v * 100"
            fact = f"F(({pct}, p + {name!r}, 'percent', False, None, False))"
            body += [get, f"if v is not None: A({fact})"]
        elif kind is Kind.DATE:
            year = "" if role.private else "; w.ix.years.add(v.year)"  # an age is never quoted
            body += [get, f"if v is not None: w.ix.dates.add(v){year}"]
        elif kind in _YEAR_ROLE:
            env[f"H{i}"] = _YEAR_ROLE[kind]
            body += [get, f"if v is not None: H{i}(w, [v], R{i}, [p + {name!r}], [S])"]
    src = f"def walk_{cls.__name__}(w, o, path):\n    " + "\n    ".join(body)
    exec(compile(src, f"<year walk of {cls.__name__}>", "exec"), env)  # noqa: S102 - our source
    fn: Callable[[_Walk, Any, str], None] = env[f"walk_{cls.__name__}"]
    return fn


def _scalar(role: Role) -> bool:
    """Does a number field with this role hold one number (not a labelled list or a dict)?"""
    return role.labels is None and role.keys is None


def _column(objs: list[Any], name: str) -> list[Any]:
    return list(map(attrgetter(name), objs))


@lru_cache(maxsize=64)
def _has_rank(cls: type[BaseModel]) -> bool:
    return any(f.role.kind is Kind.RANK for f in roles_of(cls))


@lru_cache(maxsize=64)
def _log_getters(cls: type[BaseModel]) -> tuple[Callable[[Any], Any], list[Callable[[Any], Any]]]:
    """A log entry's names (a tuple, fetched in one C-level call) and its year getters."""
    fields = [f for f in roles_of(cls) if f.model is None]
    names = [f.name for f in fields if f.role.kind is Kind.NAME]
    get = attrgetter(*names) if names else (lambda e: ())
    return (get if len(names) != 1 else lambda e: (get(e),)), [
        attrgetter(f.name) for f in fields if f.role.kind is Kind.YEAR
    ]


def _numbers(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> Iterator[tuple[Any, str, str | None]]:
    """(number, path, subject) of each value: a number, a labelled list or a dict of numbers."""
    for value, path, subject in zip(values, paths, subjects, strict=True):
        if value is None:
            continue
        if isinstance(value, list):
            labels = role.labels or tuple(map(str, range(len(value))))
            for i, v in enumerate(value):
                yield v, f"{path}[{labels[i]}]", None
        elif isinstance(value, dict):
            for k, v in value.items():
                sub = None
                if role.keys is Kind.DECADE:  # "1990s": the number is about that decade
                    sub = k.lower()
                    _decade(walk, [k], role, [path], [None])
                yield v, f"{path}.{k}", sub
        else:
            yield value, path, subject


def _count(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    unit = role.kind.value
    if _scalar(role):
        walk.nums.extend(
            [
                _fact((v, p, unit, False, s, False))
                for v, p, s in zip(values, paths, subjects, strict=True)
                if v is not None
            ]
        )
        return
    walk.nums.extend(
        _fact((v, p, unit, False, s, False))
        for v, p, s in _numbers(walk, values, role, paths, subjects)
    )


def _minutes(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    est = walk.estimate and role.estimate
    if _scalar(role):
        for v, p, s in zip(values, paths, subjects, strict=True):
            if v is not None:
                _add_minutes(walk.nums, v, p, s, role.hours, est)
        return
    for v, p, s in _numbers(walk, values, role, paths, subjects):
        _add_minutes(walk.nums, v, p, s, role.hours, est)


def _percent(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    score = role.kind is Kind.SCORE  # scores are shown to one decimal
    for v, p in zip(values, paths, strict=True):
        if v is not None:
            pct = round(v * 100, 1) if score else v * 100
            walk.nums.append(_fact((pct, p, "percent", False, None, False)))


def _age(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    walk.nums.extend(
        _fact((v, p, "age", False, None, False)) for v, p in zip(values, paths, strict=True) if v
    )


def _year(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    for v, p in zip(values, paths, strict=True):
        year = v.year if isinstance(v, date) else v
        if year:
            walk.ix.years.add(int(year))
        if role.quote and year is not None:
            walk.nums.append(_fact((year, p, "year", False, None, False)))


def _hour(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    for v in values:
        if v is not None:
            walk.ix.peak_hour = v


def _weekday(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    days = [v for v in values if v]
    walk.ix.weekdays.update(days)
    if role.habitual:  # may be said in the plural: "on Tuesdays"
        walk.ix.plural_weekdays.update(days)


def _date(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    days = [v for v in values if v is not None]
    walk.ix.dates.update(days)
    if not role.private:  # a birth date may be named, its year (an age) may not
        walk.ix.years.update(d.year for d in days)


def _decade(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    for v in values:
        digits = re.sub(r"\D", "", v) if v else ""
        if digits:
            walk.ix.decades.add(int(digits))


def _a_name(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    walk.raw.extend(values)


def _text(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    for v, p in zip(values, paths, strict=True):
        if v:
            _text_numbers(walk.nums, v, p, walk.estimate)


def _facts(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    for facts in values:
        for v in facts.values():
            if isinstance(v, str) and not _HHMM.fullmatch(v):
                walk.raw.append(v)


def _rank(
    walk: _Walk, values: list[Any], role: Role, paths: list[str], subjects: list[str | None]
) -> None:
    ranks = walk.ranks
    for v, s in zip(values, subjects, strict=True):
        if s is not None and v is not None:
            ranks.setdefault(s, v)


#: what each role adds to the year index (kinds not listed add nothing: `_plan` skips them)
_YEAR_ROLE: dict[Kind, _Handler] = {
    Kind.COUNT: _count,
    Kind.DAYS: _count,
    Kind.MINUTES: _minutes,
    Kind.PERCENT: _percent,
    Kind.SCORE: _percent,
    Kind.AGE: _age,
    Kind.YEAR: _year,
    Kind.HOUR: _hour,
    Kind.WEEKDAY: _weekday,
    Kind.DATE: _date,
    Kind.DECADE: _decade,
    Kind.NAME: _a_name,
    Kind.LABEL: _a_name,
    Kind.TEXT: _text,
    Kind.FACTS: _facts,
    Kind.RANK: _rank,
}


_HHMM = re.compile(r"\d{1,2}:\d{2}")
_NUM_IN_TEXT = re.compile(r"\d[\d,]*(?:\.\d+)?")
_TEXT_UNITS = (
    ("minute", "minutes"),
    ("hour", "hours"),
    ("day", "days"),
    ("%", "percent"),
    ("per cent", "percent"),
    ("percent", "percent"),
)


def _text_numbers(nums: list[Fact], text: str, path: str, estimate: bool = False) -> None:
    """Numbers in stats-written prose (headlines, explanations), with the unit written after them;
    `estimate`: the listener's minutes (and hours) are estimates."""
    for m in _NUM_IN_TEXT.finditer(text):
        after = text[m.end() : m.end() + 12].lower().lstrip()
        unit = next((u for w, u in _TEXT_UNITS if after.startswith(w)), "count")
        est = estimate and unit in ("minutes", "hours")
        nums.append(Fact(float(m.group(0).replace(",", "")), path, unit, False, None, est))


def _owners(key: str) -> list[str]:
    """Candidate fact keys naming what `key` counts: top_artist_plays -> top_artist."""
    parts = key.split("_")
    return ["_".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def _index_day(ix: FactIndex, d: InterestingDay) -> None:
    """The numbers, times, date and weekday of one interesting day, by its fields' roles."""
    nums = ix.numbers
    est = estimated(ix.user_year)
    for f in roles_of(type(d)):
        value = getattr(d, f.name)
        kind = f.role.kind
        if kind is Kind.FACTS:
            _index_facts(ix, value, est)
        elif kind is Kind.TEXT:
            _text_numbers(nums, value, f"day.{f.name}", est)
        elif kind is Kind.COUNT:
            nums.append(_fact((value, f"day.{f.name}", "count", False, None, False)))
        elif kind is Kind.LOG and f.model is not None:
            _index_log(ix, value, f.model, f"day.{f.name}", est)
        elif kind is Kind.DATE:
            ix.dates.add(value)
            ix.years.add(value.year)
        elif kind is Kind.WEEKDAY:
            ix.weekdays.add(value)


def _index_facts(ix: FactIndex, facts: dict[str, int | float | str], est: bool) -> None:
    """A day's named facts: each number's unit (and subject) is read from its key."""
    nums = ix.numbers
    for key, value in facts.items():
        if isinstance(value, str) and _HHMM.fullmatch(value):
            ix.times.add(value)
            hh, mm = value.split(":")
            ix.minutes_of_day.append(int(hh) * 60 + int(mm))
            continue
        if isinstance(value, str):
            if "top" in key or "most" in key:
                ix.day_tops.add(normalize_name(value))
            continue
        unit = _unit_for_key(key)
        # "top_artist_plays" is about facts["top_artist"]: it may only back a claim about it
        owner = next((facts[k] for k in _owners(key) if isinstance(facts.get(k), str)), None)
        subject = normalize_name(str(owner)) if owner else None
        if unit == "minutes":
            _add_minutes(nums, float(value), f"day.facts.{key}", subject, True, est)
        elif unit == "percent" and float(value) <= 1:
            nums.append(
                _fact((float(value) * 100, f"day.facts.{key}", "percent", False, None, False))
            )
        else:
            nums.append(_fact((float(value), f"day.facts.{key}", unit, False, subject, False)))
            if unit == "year":
                ix.years.add(int(value))


class _LogPlan(NamedTuple):
    key: Callable[[Any], Any]  # names an entry in fact paths (its time)
    minutes: tuple[tuple[str, Callable[[Any], Any]], ...]
    times: tuple[Callable[[Any], Any], ...]
    tallied: tuple[tuple[str, Callable[[Any], Any]], ...]  # names counted ("played X 4 times")
    flags: tuple[tuple[str, Callable[[Any], Any]], ...]  # yes/no fields counted ("skipped 3")


@lru_cache(maxsize=16)
def _log_plan(cls: type[BaseModel]) -> _LogPlan:
    """Which fields of a log entry are its minutes, time, tallied names and counted flags."""
    fields = [f for f in roles_of(cls) if f.model is None]

    def of(kind: Kind, tally: bool = False) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return tuple(
            (f.name, attrgetter(f.name))
            for f in fields
            if f.role.kind is kind and (f.role.tally or not tally)
        )

    times = tuple(get for _, get in of(Kind.TIME))
    return _LogPlan(times[0], of(Kind.MINUTES), times, of(Kind.NAME, True), of(Kind.FLAG, True))


def _index_log(ix: FactIndex, log: list[Any], cls: type[BaseModel], path: str, est: bool) -> None:
    """A day's plays: each play's minutes and time, plays per name, distinct names, flags, sum.

    Column at a time (C-level `map`s): this runs for every story's day, not once per listener."""
    nums = ix.numbers
    plan = _log_plan(cls)
    nums.append(_fact((len(log), f"len({path})", "count", False, None, False)))
    keys = list(map(plan.key, log))
    total = 0.0
    for name, get in plan.minutes:
        values = list(map(get, log))
        nums.extend(
            [
                _fact((m, f"{path}[{k}].{name}", "minutes", False, None, est))
                for m, k in zip(values, keys, strict=True)
            ]
        )
        total += sum(values)
    for get in plan.times:
        times = list(map(get, log))
        ix.times.update(times)
        ix.minutes_of_day.extend(int(t[:-3]) * 60 + int(t[-2:]) for t in times)
    tallies = [(name, Counter(filter(None, map(get, log)))) for name, get in plan.tallied]
    merged: Counter[str] = sum((c for _, c in tallies), Counter())
    for name, k in merged.items():
        nums.append(
            _fact((k, f"{path}.count({name})", "count", False, normalize_name(name), False))
        )
    for name, counter in tallies:
        nums.append(_fact((len(counter), f"{path}.distinct_{name}", "count", False, None, False)))
    for name, get in plan.flags:
        n = len(list(filter(None, map(get, log))))
        nums.append(_fact((n, f"{path}.{name}", "count", False, None, False)))
    _add_minutes(nums, round(total, 1), f"sum({path}.minutes)", None, True, est)


@lru_cache(maxsize=65536)
def _name_forms(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The normalized forms a name is known by, each with its words of 3+ letters.

    Per string, not per listener: catalogue names recur across listeners, and a listener's
    year index reads ~150 of them."""
    variants = {name}
    if "(" in name or "[" in name or " - " in name or "f" in name:
        stripped = _PAREN.sub("", name)  # "(Remastered 2009)"
        stripped = _SUFFIX.sub("", stripped)
        variants.add(stripped)
        variants.add(_FEAT.sub("", stripped))
    out = []
    for v in variants:
        norm = normalize_name(v)
        if norm:
            out.append((norm, tuple(w for w in norm.split() if len(w) > 2)))
    return tuple(out)


_PAREN = re.compile(r"\s*[(\[].*?[)\]]\s*$")
_SUFFIX = re.compile(r"\s+-\s+.*(remaster|version|edit|live|mix|mono|stereo).*$", re.I)
_FEAT = re.compile(r"\s+(feat\.?|ft\.?|featuring)\s.*$", re.I)


def _compile(ix: FactIndex) -> None:
    """First-token map of every known name (token tuples, longest first) for `find_names`."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for norm in ix.names:
        words = _tokens(norm)
        if not words or (len(words) == 1 and words[0] in CALENDAR_WORDS):
            continue  # "Saturday" the track must not hide a weekday claim
        table.setdefault(words[0], []).append(words)
    for cands in table.values():
        cands.sort(key=len, reverse=True)
    ix.first_tokens = table


_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _tokens(norm: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(norm))


class NameHit(NamedTuple):
    start: int
    end: int
    norm: str


def find_names(text: str, ix: FactIndex) -> list[NameHit]:
    """Spans of `text` (original offsets) that are known names, longest match first."""
    if not ix.first_tokens:
        return []
    hits = ix.name_hits
    hit = hits.get(text)
    if hit is None:
        if len(hits) > 64:
            hits.clear()
        hit = hits[text] = _find_names(text, ix)
    return hit


def _find_names(text: str, ix: FactIndex) -> list[NameHit]:
    folded, idx = folded_with_map(text)
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    words = [t[2] for t in toks]
    out: list[NameHit] = []
    i = 0
    n = len(toks)
    while i < n:
        cands = ix.first_tokens.get(words[i])
        hit = None
        if cands:
            for cand in cands:
                k = len(cand)
                if tuple(words[i : i + k]) == cand:
                    hit = cand
                    break
        if hit is None:
            i += 1
            continue
        j = i + len(hit) - 1
        s0 = i - 1 if i > 0 and words[i - 1] == "the" and toks[i][0] - toks[i - 1][1] <= 3 else i
        out.append(NameHit(idx[toks[s0][0]], idx[toks[j][1] - 1] + 1, " ".join(hit)))
        i = j + 1
    return out


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FOLD1: dict[str, str] = {}


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` plus, for every folded character, the index of the original it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    table: dict[int, str] = {}
    for ch in set(_NON_ASCII.findall(text)):
        f = _FOLD1.get(ch)
        if f is None:
            f = _FOLD1[ch] = fold(ch)
        table[ord(ch)] = f
    if all(len(f) == 1 for f in table.values()):  # same length: offsets are unchanged
        return text.translate(table).lower(), list(range(len(text)))
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch) if ord(ch) > 127 else ch.lower()
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


_CACHE: ObjectMemo[FactIndex] = ObjectMemo(513)


def index_for(uy: UserYear, day: date) -> FactIndex:
    """`build_index` memoized per (object, day)."""
    hit = _CACHE.get(uy, day)
    return hit if hit is not None else _CACHE.put(uy, build_index(uy, day), day)


def forget(uy: UserYear) -> None:
    """Drop `uy`'s indexes now (the batch calls this when a listener is done), so the memo
    holds only listeners in flight rather than the last few hundred."""
    _YEARS.forget(uy)
    for d in uy.days:
        _CACHE.forget(uy, d.date)


def weekday_of(when: date) -> str:
    return WEEKDAYS[when.weekday()]


def near_dates(when: date) -> set[date]:
    return {when - timedelta(days=1), when, when + timedelta(days=1)}
