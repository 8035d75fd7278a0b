"""Build pydantic models from trusted dicts without re-validating every leaf.

Why: a 100,000-listener batch builds ~10 million small models (log entries, top-list rows);
full validation costs ~2-4 us per model on the target machine, i.e. most of the time budget.
The stats builder produces exactly-typed plain Python values (ints, floats, str, date; never
numpy scalars), so the values need no coercion, only placing. `construct` does what
``model_construct`` does, recursively and ~5x faster.

Correctness is guarded three ways: the tests validate every built object in STRICT mode
(``UserYear.model_validate(u.model_dump(), strict=True) == u``), `compute_user_years` validates
the first listener of every call strictly as a canary, and ``validate=True`` validates all.
"""

from __future__ import annotations

import types
import typing
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from pydantic import BaseModel

#: what a maker returns: an instance of its class, typed `Any` so that a table of makers keyed
#: by class (stats/sections.py's `MK`, `MANY`) is used without a cast per call
Made = Any

_new = object.__new__
_set = object.__setattr__


@dataclass
class _Plan:
    names: tuple[str, ...]
    nested: list[tuple[str, type[BaseModel], bool]]  # (field, model, is_list)
    defaults: dict[str, Any]


_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")


def _slot_setters(cls: type) -> list[Any]:
    """``__set__`` of the descriptors `object.__setattr__` would find for BaseModel's slots."""
    out = []
    for name in _SLOTS:
        owner = next(k for k in cls.__mro__ if name in vars(k))  # what attribute lookup finds
        out.append(vars(owner)[name].__set__)
    return out


_PLANS: dict[type, _Plan] = {}
_BLOCK = 1024  # objects per `many` pass (a few hundred KB: stays in cache between passes)


def _model_in(ann: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model class, is_list) when the annotation holds a model (X, X | None, list[X])."""
    origin = typing.get_origin(ann)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann, False
    if origin is list:
        (arg,) = typing.get_args(ann)
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg, True
        return None, False
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(ann):
            m, is_list = _model_in(arg)
            if m is not None:
                return m, is_list
    return None, False


def _plan(cls: type[BaseModel]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        nested, defaults = [], {}
        for name, f in cls.model_fields.items():
            m, is_list = _model_in(f.annotation)
            if m is not None:
                nested.append((name, m, is_list))
            if not f.is_required():
                defaults[name] = f.get_default(call_default_factory=True)
        plan = _PLANS[cls] = _Plan(tuple(cls.model_fields), nested, defaults)
    return plan


def leaf(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Made]:
    """A fast maker for a model without nested models: ``make(complete_dict) -> instance``.

    The dict must hold every field (the builders always do); the fields-set is shared, which is
    safe because every field is set (pydantic only ever adds names already in it).
    """
    fields = set(cls.model_fields)

    def make(data: dict[str, Any]) -> Made:
        obj = _new(cls)
        _set(obj, "__dict__", data)
        _set(obj, "__pydantic_fields_set__", fields)
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", None)
        return obj

    return make


def many(cls: type[BaseModel]) -> Callable[[list[dict[str, Any]]], list[Made]]:
    """A bulk `leaf` maker: ``make_all(list_of_complete_dicts) -> list of instances``.

    Why: the per-object Python call of `leaf` costs about as much as the object itself; here the
    four slot writes run as C-level ``map`` passes over the whole list, each calling the slot's
    own descriptor (``__set__``) rather than ``object.__setattr__``, which would look the name
    up again for every object (~300 ns per object instead of ~580 on the target machine).
    Same contract as `leaf`: every dict holds every field with exact Python values.
    """
    fields = set(cls.model_fields)
    set_dict, set_fields, set_extra, set_private = _slot_setters(cls)

    def make_all(dicts: list[dict[str, Any]]) -> list[Made]:
        out: list[Made] = []
        for i in range(0, len(dicts), _BLOCK):  # blocks: the passes hit objects still in cache
            part = dicts[i : i + _BLOCK]
            n = len(part)
            objs = list(map(_new, repeat(cls, n)))
            deque(map(set_dict, objs, part), 0)
            deque(map(set_fields, objs, repeat(fields, n)), 0)
            deque(map(set_extra, objs, repeat(None, n)), 0)
            deque(map(set_private, objs, repeat(None, n)), 0)
            out += objs
        return out

    return make_all


def construct(cls: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """An instance of `cls` from `data` (consumed: nested dicts are replaced by models).

    Nested values that are already model instances (made with `leaf`) are kept as they are.
    """
    plan = _PLANS.get(cls) or _plan(cls)
    for name, sub, is_list in plan.nested:
        v = data.get(name)
        if v is None:
            continue
        if is_list:
            if v and type(v[0]) is dict:
                data[name] = [construct(sub, x) for x in v]
        elif type(v) is dict:
            data[name] = construct(sub, v)
    fields_set = set(data)
    if len(data) != len(plan.names):
        extra = fields_set.difference(plan.names)
        if extra:
            raise ValueError(f"{cls.__name__}: unexpected field(s) {sorted(extra)}")
        for k, v in plan.defaults.items():
            if k not in data:
                data[k] = v
        missing = set(plan.names).difference(data)
        if missing:
            raise ValueError(f"{cls.__name__}: missing field(s) {sorted(missing)}")
        data = {k: data[k] for k in plan.names}
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
