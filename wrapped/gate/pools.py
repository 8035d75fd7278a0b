"""A fact index's numbers, grouped for `amounts._match` to look a claim's candidates up.

Split from `wrapped.gate.facts` (the index and its name lookups): a claimed number is compared
only with the facts of its unit near its value, in the index's original order.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import repeat
from operator import attrgetter, itemgetter

from wrapped.gate.dayfacts import WEAK
from wrapped.gate.derive import Fact

#: how the paths of a day's facts begin (`path.startswith(DAY_PATHS)`: a fact about the day)
DAY_PATHS = ("day.", "sum(day", "len(day", "count(day")


class NumberPool:
    """Facts grouped for `amounts._match`: per unit, sorted by value, each with its position in
    `facts` (the order of `FactIndex.numbers`), so a claim looks up only the facts near its value and still takes the
    first match in the original order (that order decides which fact is reported).

    Groups (each sorted on first use): a unit name -> facts of that unit plus those of unit
    "any"; None -> every exact (not `approx`) fact, for a number written without a unit.

    `day`: whether every fact is about the day (True), none is (False), or some are (None): a
    year's pool holds no day facts and a day's only day facts, so a claim scoped to the day or
    the year skips a whole pool, or checks no fact's path, instead of testing each fact.

    `by_value`: group and sort the facts as above — worth it for the year's pool, which every
    claim of every story of the listener reads; a day's pool serves one story, whose claims
    (one or two per unit) each scan it for less than a sorted group costs to build."""

    __slots__ = ("facts", "by_value", "linear", "groups", "day")

    def __init__(self, facts: list[Fact], by_value: bool = True) -> None:
        self.facts = facts
        self.by_value = by_value
        #: a NaN or infinite value has no place in a sorted order: such a pool is scanned whole
        self.linear = not math.isfinite(sum(map(_VALUE, facts)))
        on_day = sum(map(str.startswith, map(_PATH, facts), repeat(DAY_PATHS)))
        self.day: bool | None = None if 0 < on_day < len(facts) or not facts else on_day > 0
        self.groups: dict[str | None, _Group] = {}

    def of_unit(self, unit: str) -> list[Fact]:
        """Facts of exactly `unit`, in order."""
        return [f for f in self.facts if f.unit == unit]

    def near(self, unit: str | None, x: float, reach: float) -> list[Fact]:
        """Facts of `unit` (see class doc) with a value within about `reach` of `x`, in the
        original order. A superset of those with `abs(value - x) <= reach`: the caller still
        applies every rule."""
        if not self.by_value:
            return self._scan(unit, x, reach)
        group = self.groups.get(unit)
        if group is None:
            group = self.groups[unit] = self._group(unit)
        values, order = group
        slack = 1e-6 * (1.0 + abs(x) + reach)
        lo = bisect_left(values, x - reach - slack)
        hi = bisect_right(values, x + reach + slack, lo)
        facts = self.facts
        if hi - lo <= 1:
            return [facts[order[lo]]] if hi > lo else []
        return [facts[i] for i in sorted(order[lo:hi])]

    def near_about(
        self, unit: str | None, x: float, reach: float, subjects: set[str]
    ) -> list[Fact]:
        """`near`, less the facts about a subject that is not one of `subjects` (a claim bound
        to named subjects refuses them, `amounts._match`): still a superset of the facts that
        claim can take, in the original order.

        The window of `near` filtered by subject: a dozen facts a claim, where splitting every
        unit's group by subject up front (~50 subjects, most with one fact) cost more than
        all the lookups it served."""
        if not self.by_value:  # the facts the window below would give, in the same order
            return [
                f
                for f in self._scan(unit, x, reach)
                if (s := f.subject) is None or s[0] == WEAK or s in subjects
            ]
        group = self.groups.get(unit)
        if group is None:
            group = self.groups[unit] = self._group(unit)
        values, order = group
        slack = 1e-6 * (1.0 + abs(x) + reach)
        lo = bisect_left(values, x - reach - slack)
        hi = bisect_right(values, x + reach + slack, lo)
        facts = self.facts
        hits = [
            i
            for i in order[lo:hi]
            if (s := facts[i].subject) is None or s[0] == WEAK or s in subjects
        ]
        hits.sort()
        return [facts[i] for i in hits]

    def _scan(self, unit: str | None, x: float, reach: float) -> list[Fact]:
        """`near` without the sorted group: the facts of `unit` in the same value window (the
        one `near` bisects for), read in order."""
        slack = 1e-6 * (1.0 + abs(x) + reach)
        low, high = x - reach - slack, x + reach + slack
        facts = self.facts
        if unit is None:
            return [f for f in facts if low <= f.value <= high and not f.approx]
        if unit == "any":
            return [f for f in facts if low <= f.value <= high and f.unit == "any"]
        return [f for f in facts if low <= f.value <= high and f.unit in (unit, "any")]

    def _group(self, unit: str | None) -> _Group:
        """The facts of `unit` (see the class doc) as (values, their indexes in `facts`), by
        value, then position. Tuples of plain numbers: the cycle collector stops tracking them,
        where rows holding the facts themselves stayed in every full collection for as long as
        the listener's index lives."""
        facts = self.facts
        if unit is None:
            order = [i for i, f in enumerate(facts) if not f.approx]
        elif unit == "any":
            order = [i for i, f in enumerate(facts) if f.unit == "any"]
        else:
            order = [i for i, f in enumerate(facts) if f.unit == unit or f.unit == "any"]
        # a stable sort by value keeps positions ascending among equal values
        order.sort(key=lambda i: facts[i].value)
        return tuple([facts[i].value for i in order]), tuple(order)


_VALUE = itemgetter(0)
_PATH = attrgetter("path")
#: a group of facts sorted by value: their values, and their indexes in `NumberPool.facts`
_Group = tuple[tuple[float, ...], tuple[int, ...]]
