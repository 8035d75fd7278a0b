"""One interesting day's facts for the grounding index, derived from the day's field roles.

A day's numbers back claims about that day only, so they are indexed per (listener, day), on
top of the year's (`wrapped.gate.derive`): the day's facts (units read from their keys), its
headline's numbers, its log (each play's minutes and time, plays per name, distinct names,
skips, the sum), its date and weekday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel

from wrapped.gate.derive import (
    _HHMM,
    _add_minutes,
    _fact,
    _owners,
    _text_numbers,
    _unit_for_key,
    estimated,
)
from wrapped.safety.screen import normalize_name
from wrapped.stats.model import InterestingDay
from wrapped.stats.roles import Kind, roles_of

#: a weak subject's mark and the separator of its names (`amounts._match` reads them)
WEAK = "?"
NAME_SEP = "\x1f"

if TYPE_CHECKING:
    from wrapped.gate.facts import FactIndex


def index_day(ix: FactIndex, d: InterestingDay) -> None:
    """The numbers, times, date and weekday of one interesting day, by its fields' roles."""
    nums = ix.numbers
    est = estimated(ix.user_year)
    habits = ix.user_year.habits
    if habits.repeat_date == d.date and habits.repeat_track:
        # the year's repeat record was set on this day: its plays are this day's too
        subject = normalize_name(habits.repeat_track)
        nums.append(
            _fact((habits.repeat_plays, "day.repeat_plays", "count", False, subject, False))
        )
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
            complete = len(value) >= getattr(d, "log_total", len(value))
            _index_log(ix, value, f.model, f"day.{f.name}", est, complete)
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
    marks: tuple[tuple[str, Callable[[Any], Any]], ...]  # every yes/no field ("new artist")


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
    return _LogPlan(
        times[0], of(Kind.MINUTES), times, of(Kind.NAME, True), of(Kind.FLAG, True), of(Kind.FLAG)
    )


def _index_log(
    ix: FactIndex, log: list[Any], cls: type[BaseModel], path: str, est: bool, complete: bool
) -> None:
    """A day's plays: each play's minutes and time, plays per name, distinct names, flags, sum,
    and (when the log holds every play of the day) minutes per name.

    Column at a time (C-level `map`s): this runs for every story's day, not once per listener."""
    nums = ix.numbers
    plan = _log_plan(cls)
    nums.append(_fact((len(log), f"len({path})", "count", False, None, False)))
    keys = list(map(plan.key, log))
    #: each tallied field's column (the log's names, read once for every use below)
    columns = [(name, list(map(get, log))) for name, get in plan.tallied]
    # each name normalized once: it is a play's owner, a count's and a sum's subject
    norm = {n: normalize_name(n) for n in set(chain.from_iterable(c for _, c in columns)) if n}
    total = 0.0
    # a play's minutes are about its names, weakly: a sentence naming other items only cannot
    # borrow them ("?" + the names, see `amounts._match`), one naming nothing still can
    rows = zip(*(col for _, col in columns), strict=True) if columns else [()] * len(log)
    owners = [WEAK + NAME_SEP.join([norm[n] for n in row if n]) for row in rows]
    minutes = [(name, list(map(get, log))) for name, get in plan.minutes]
    for name, values in minutes:
        paths = map(f"{path}[{{}}].{name}".format, keys)
        # one column each, as long as the log (the repeats are cut at the shortest)
        nums += map(_fact, zip(values, paths, repeat("minutes"), repeat(False), owners,
                               repeat(est), strict=False))  # fmt: skip
        total += sum(values)
    for get in plan.times:
        times = list(map(get, log))
        ix.times.update(times)
        ix.minutes_of_day += [int(t[:-3]) * 60 + int(t[-2:]) for t in times]
    tallies = [(name, Counter(filter(None, col))) for name, col in columns]
    merged: Counter[str] = tallies[0][1].copy() if tallies else Counter()
    for _, counter in tallies[1:]:
        merged.update(counter)
    if complete:
        # the day's unique most-played name of each kind ("more than anyone else that day"): a
        # capped log cannot tell
        for _, counter in tallies:
            top = counter.most_common(2)
            if top and (len(top) == 1 or top[0][1] > top[1][1]):
                ix.day_tops.add(norm[top[0][0]])
    nums += [
        _fact((k, f"{path}.count({name})", "count", False, norm[name], False))
        for name, k in merged.items()
    ]
    for name, counter in tallies:
        nums.append(_fact((len(counter), f"{path}.distinct_{name}", "count", False, None, False)))
    if complete and minutes and columns:
        # minutes per name ("Nia Radio: 20 minutes across 11 plays"), about that name only; a
        # capped log would undercount them
        per_name: dict[str, float] = {}
        for _, col in columns:
            for who, m in zip(col, minutes[0][1], strict=True):
                if who:
                    per_name[who] = per_name.get(who, 0.0) + m
        for who, m in per_name.items():
            subject, m1, p = norm[who], round(m, 1), f"{path}.minutes({who})"
            # `_add_minutes(nums, m1, p, subject, True, est)`, inlined: ~40 names a day
            nums += (_fact((m1, p, "minutes", False, subject, est)),
                     _fact((m1 / 60, p + "/60", "hours", True, subject, est)),
                     _fact((m1 / 1440, p + "/1440", "days", True, subject, est)))  # fmt: skip
            if round(m) != m1:  # a sum of tenths: "93 minutes" for 93.4 is the writer's
                nums.append(_fact((round(m), p + ".rounded", "minutes", False, subject, est)))
    for name, get in plan.flags:
        n = len(list(filter(None, map(get, log))))
        nums.append(_fact((n, f"{path}.{name}", "count", False, None, False)))
    for name, get in plan.marks if complete else ():
        # "five artists were new to you": the distinct names among the marked plays (a capped
        # log would undercount them)
        marked = [e for e in log if get(e)]
        for tallied, get_name in plan.tallied if marked else ():
            n = len({get_name(e) for e in marked} - {None})
            nums.append(
                _fact((n, f"{path}.{name}.distinct_{tallied}", "count", False, None, False))
            )
    _add_minutes(nums, round(total, 1), f"sum({path}.minutes)", None, True, est)
