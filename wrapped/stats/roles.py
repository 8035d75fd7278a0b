"""What each field of a `UserYear` IS, declared once on the field, for every view derived from it.

A fact about a listener's year used to be written down four times: in the model, in the
grounding index (`wrapped.gate.facts`), in the input-side safety screen (`wrapped.safety.screen`)
and in what the prompt's data block keeps out (`wrapped.prompts.datablock`). Now each field of
the model carries a `Role` in its annotation (``plays: Annotated[int, COUNT]``) and those views
walk the model's fields by role, so a new statistic is one edit here in `stats.model`:

* grounding indexes numbers by unit (count, minutes, percent, days, age, year), names, ranks,
  dates, weekdays and years from their roles;
* the safety screen reads every `NAME`, `TEXT` and the string values of `FACTS` (the strings that
  come from a listener's data), and removes flagged ones as the role says (`drop`/`clears`);
* the data block shows every field, with the `private` ones (and private fact keys) cleared.

`roles_of(cls)` is computed once per model class; the walkers keep the fast paths (a listener's
year index is built once, per listener, not per story).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple

from pydantic import BaseModel

from wrapped.stats.fastmodel import _model_in  # the one reader of nested model annotations


class Kind(StrEnum):
    """What a value is. Numbers are compared only with numbers of the same kind."""

    COUNT = "count"  # how many of something: plays, distinct artists, list lengths
    MINUTES = "minutes"  # whole (or one-decimal) minutes of listening
    MS = "ms"  # exact milliseconds behind a minutes figure: kept for sums, never quoted
    PERCENT = "percent"  # a 0..1 share, quoted as a percentage
    SCORE = "score"  # a 0..1 personality score, quoted as a percentage (one decimal)
    DAYS = "days"  # a number of days (listening days, a streak)
    AGE = "age"  # an age in years ("listening age")
    YEAR = "year"  # a calendar year, or a date of which only the year is quotable (window bounds)
    HOUR = "hour"  # a local hour of day, 0..23
    WEEKDAY = "weekday"  # an English weekday name
    MONTH = "month"  # a month (number or English name)
    DATE = "date"  # a local calendar date a story may name
    TIME = "time"  # a local HH:MM
    DECADE = "decade"  # "1990s"
    RANK = "rank"  # a 1-based position in a top list
    NAME = "name"  # from the listener's data: artist, track, album, show, genre, episode
    TEXT = "text"  # stats-written prose that quotes numbers and names (headlines, explanations)
    LABEL = "label"  # our own words a story may use as a name (personality labels)
    TERM = "term"  # our own vocabulary (part of day, tier, band): shown, not checked
    FACTS = "facts"  # a dict of named facts; each value's unit is read from its key
    LOG = "log"  # a day's play log (list of plays), tallied per name for the day's counts
    CHART = "chart"  # a series the prompt shows as a shape; its values are not quotable one by one
    FLAG = "flag"  # a yes/no property (skipped, new artist); counted where the model says so
    META = "meta"  # ids, zones, categories, settings, detector scores: not story material
    NESTED = "nested"  # a model (or list/dict of models): its own fields carry the roles


@dataclass(frozen=True)
class Role:
    """A field's role and how each derived view treats it.

    `hours`: minutes that may also be quoted as hours and days (headline amounts).
    `subject`: a name whose row's numbers are about it ("Radiohead ... 412 plays").
    `key`: for a list of models, the item field that names a row in fact paths ("[rank]").
    `labels`: for a list of numbers, the name of each position ("Monday", ...).
    `keys`: for a dict of numbers, what its keys are (`Kind.DECADE`: a subject per key).
    `peak`: for a list of models, the number field whose largest row is the listener's top one.
    `quote`: a year that is itself a quotable number (the window's year).
    `habitual`: a weekday a story may use in the plural ("on Tuesdays").
    `private`: personal data the prompt's data block never shows (age, birth date).
    `private_keys`: keys of a `FACTS` dict that are personal data (a birthday's age).
    `drop`: a flagged `NAME` in a list row removes the row (else only the field is cleared).
    `shared`: a catalogue name repeated across days (a play's genre): screened once per year.
    `clears`: sibling fields cleared with this one when it is flagged.
    `day`: a list of days: its numbers belong to each day's own index, not the year's.
    `length`: a list whose length is a quotable count ("your 5 top artists").
    `tally`: a log field counted over the day (plays per name, distinct names, skips).
    `estimate`: minutes that are estimates when the listener's play lengths are (scrobbles).
    """

    kind: Kind
    hours: bool = False
    subject: bool = False
    key: str | None = None
    labels: tuple[str, ...] | None = None
    keys: Kind | None = None
    peak: str | None = None
    quote: bool = False
    habitual: bool = False
    private: bool = False
    private_keys: frozenset[str] = frozenset()
    drop: bool = True
    shared: bool = False
    clears: tuple[str, ...] = ()
    day: bool = False
    length: bool = False
    tally: bool = False
    estimate: bool = True

    def __call__(self, **options: Any) -> Role:
        """This role with `options` changed: ``MINUTES(hours=True)``."""
        return Role(**{**self.__dict__, **options})


COUNT = Role(Kind.COUNT)
MINUTES = Role(Kind.MINUTES)
MS = Role(Kind.MS)
PERCENT = Role(Kind.PERCENT)
SCORE = Role(Kind.SCORE)
DAYS = Role(Kind.DAYS)
AGE = Role(Kind.AGE)
YEAR = Role(Kind.YEAR)
HOUR = Role(Kind.HOUR)
WEEKDAY = Role(Kind.WEEKDAY)
MONTH = Role(Kind.MONTH)
DATE = Role(Kind.DATE)
TIME = Role(Kind.TIME)
DECADE = Role(Kind.DECADE)
RANK = Role(Kind.RANK)
NAME = Role(Kind.NAME)
TEXT = Role(Kind.TEXT)
LABEL = Role(Kind.LABEL)
TERM = Role(Kind.TERM)
FACTS = Role(Kind.FACTS)
LOG = Role(Kind.LOG)
CHART = Role(Kind.CHART)
FLAG = Role(Kind.FLAG)
META = Role(Kind.META)
NESTED = Role(Kind.NESTED)

#: kinds whose strings come from the listener's data (or quote it): screened by the safety policy
SCREENED = frozenset({Kind.NAME, Kind.TEXT, Kind.FACTS})


#: kinds of numbers (each indexed under its unit)
NUMBERS = frozenset({Kind.COUNT, Kind.MINUTES, Kind.PERCENT, Kind.SCORE, Kind.DAYS, Kind.AGE})


def _is_series(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (list, dict)


class FieldRole(NamedTuple):
    """One field of a model class with its role; `model` is the nested model class, if any."""

    name: str
    role: Role
    model: type[BaseModel] | None
    many: bool  # a list of `model`


def role_of(cls: type[BaseModel], field: str) -> Role | None:
    """The `Role` declared on `cls.field` (None when the field has none)."""
    return next((m for m in cls.model_fields[field].metadata if isinstance(m, Role)), None)


@cache
def roles_of(cls: type[BaseModel]) -> tuple[FieldRole, ...]:
    """Every field of `cls` with its role, in declaration order (computed once per class).

    A field without a role is a programming error: every view would silently skip it."""
    out = []
    for name, info in cls.model_fields.items():
        role = role_of(cls, name)
        if role is None:
            raise TypeError(f"{cls.__name__}.{name} declares no Role (see wrapped.stats.roles)")
        model, many = _model_in(info.annotation)
        if role.kind in NUMBERS and _is_series(info.annotation) and not (role.labels or role.keys):
            raise TypeError(
                f"{cls.__name__}.{name}: a list or dict of numbers needs labels or keys"
            )
        out.append(FieldRole(name, role, model, many))
    return tuple(out)


@cache
def has_private(cls: type[BaseModel]) -> bool:
    """Does `cls` (or a model nested in it) hold personal data the data block never shows?"""
    return any(
        f.role.private or f.role.private_keys or (f.model is not None and has_private(f.model))
        for f in roles_of(cls)
    )


def without_private(obj: BaseModel) -> BaseModel:
    """A copy of `obj` with every `private` field set to None and every private fact key
    dropped (in nested models too); `obj` itself when it holds none."""
    update: dict[str, Any] = {}
    for f in roles_of(type(obj)):
        value = getattr(obj, f.name)
        if value is None:
            continue
        if f.role.private:
            update[f.name] = None
        elif f.role.private_keys:
            update[f.name] = {k: v for k, v in value.items() if k not in f.role.private_keys}
        elif f.model is not None and has_private(f.model):
            update[f.name] = (
                [without_private(v) for v in value] if f.many else without_private(value)
            )
    return obj.model_copy(update=update) if update else obj
