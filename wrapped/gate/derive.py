"""The grounding index of a listener's year, derived from the roles on `UserYear`'s fields.

`wrapped.stats.roles` says what each field is (a count, minutes, a name, a date, a rank, ...);
this module turns that into facts: each number with its unit (and the name it is about), every
known name, rank, date, weekday and year. `wrapped.gate.facts` owns the index and its lookups;
`wrapped.gate.dayfacts` adds one interesting day's numbers. Nothing here names a field of
`UserYear`: a new statistic is indexed by declaring its role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache, partial
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel

from wrapped.safety.screen import normalize_name
from wrapped.stats.model import UserYear
from wrapped.stats.roles import MONTH, Kind, Role, role_of, roles_of

if TYPE_CHECKING:
    from wrapped.gate.facts import FactIndex


class Fact(NamedTuple):
    """One number from the data. `approx`: derived (hours, days of listening), so rounding is fine."""

    value: float
    path: str
    unit: str
    approx: bool = False
    subject: str | None = None  # normalized name the number is about (top-list rows, log counts)
    #: an estimate (minutes of plays whose length is unknown): only a hedged claim matches it
    estimate: bool = False


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


def estimated(uy: UserYear) -> bool:
    """Are this listener's minutes estimates? (see `UserYear.minutes_are_estimates`)"""
    return uy.minutes_are_estimates


_Handler = Callable[["_Walk", Any, Role, str, "str | None"], None]

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
        first: BaseModel = rows[0]
        walk, key = _walker(type(first), day), role.key
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
        elif kind in (Kind.PERCENT, Kind.SCORE) and _scalar(role):
            pct = "round(v * 100, 1)" if kind is Kind.SCORE else "v * 100"
            fact = f"F(({pct}, p + {name!r}, 'percent', False, None, False))"
            body += [get, f"if v is not None: A({fact})"]
        elif kind is Kind.DATE:
            year = "" if role.private else "; w.ix.years.add(v.year)"  # an age is never quoted
            body += [get, f"if v is not None: w.ix.dates.add(v){year}"]
        elif kind in _YEAR_ROLE:
            env[f"H{i}"] = _YEAR_ROLE[kind]
            body += [get, f"if v is not None: H{i}(w, v, R{i}, p + {name!r}, S)"]
    src = f"def walk_{cls.__name__}(w, o, path):\n    " + "\n    ".join(body)
    exec(compile(src, f"<year walk of {cls.__name__}>", "exec"), env)  # noqa: S102 - our source
    fn: Callable[[_Walk, Any, str], None] = env[f"walk_{cls.__name__}"]
    return fn


def _scalar(role: Role) -> bool:
    """Does a number field with this role hold one number (not a labelled list or a dict)?"""
    return role.labels is None and role.keys is None


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


def _series(
    walk: _Walk, value: list[Any] | dict[str, Any], role: Role, path: str
) -> Iterator[tuple[Any, str, str | None]]:
    """(number, path, subject) of each value of a labelled list or a dict of numbers."""
    if isinstance(value, list):
        labels = role.labels or tuple(map(str, range(len(value))))
        for i, v in enumerate(value):
            yield v, f"{path}[{labels[i]}]", None
        return
    for k, v in value.items():
        subject = None
        if role.keys is Kind.DECADE:  # "1990s": the number is about that decade
            subject = k.lower()
            _decade(walk, k, role, path, None)
        yield v, f"{path}.{k}", subject


def _count(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    """A series of counts (or days); one count is inlined by `_walker`."""
    unit = role.kind.value
    for v, p, s in _series(walk, value, role, path):
        walk.nums.append(_fact((v, p, unit, False, s, False)))


def _minutes(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    """A series of minutes; one minutes figure is inlined by `_walker`."""
    est = walk.estimate and role.estimate
    for v, p, s in _series(walk, value, role, path):
        _add_minutes(walk.nums, v, p, s, role.hours, est)


def _age(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    if value:
        walk.nums.append(_fact((value, path, "age", False, None, False)))


def _year(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    year = value.year if isinstance(value, date) else value
    if year:
        walk.ix.years.add(int(year))
    if role.quote:
        walk.nums.append(_fact((year, path, "year", False, None, False)))


def _hour(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    walk.ix.peak_hour = value


def _weekday(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    walk.ix.weekdays.add(value)
    if role.habitual:  # may be said in the plural: "on Tuesdays"
        walk.ix.plural_weekdays.add(value)


def _decade(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    digits = re.sub(r"\D", "", value)
    if digits:
        walk.ix.decades.add(int(digits))


def _text(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    _text_numbers(walk.nums, value, path, walk.estimate)


def _facts(walk: _Walk, value: Any, role: Role, path: str, subject: str | None) -> None:
    for v in value.values():
        if isinstance(v, str) and not _HHMM.fullmatch(v):
            walk.raw.append(v)


#: what the other roles add to the year index (the hot ones are inlined by `_walker`; kinds in
#: neither add nothing: ids, terms, charts, flags, exact ms)
_YEAR_ROLE: dict[Kind, _Handler] = {
    Kind.COUNT: _count,
    Kind.DAYS: _count,
    Kind.MINUTES: _minutes,
    Kind.AGE: _age,
    Kind.YEAR: _year,
    Kind.HOUR: _hour,
    Kind.WEEKDAY: _weekday,
    Kind.DECADE: _decade,
    Kind.TEXT: _text,
    Kind.FACTS: _facts,
}


def walk_year(ix: FactIndex) -> list[str | None]:
    """Add the year's facts of `ix.user_year` to `ix` by role; returns the names found, in
    first-seen order with repeats (the caller indexes each once)."""
    uy = ix.user_year
    walk = _Walk(ix, estimated(uy))
    _walker(type(uy), False)(walk, uy, "")
    return walk.raw
