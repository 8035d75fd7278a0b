"""A memo keyed by an object's identity, for values derived from one listener's `UserYear`.

The gate and the prompt renderer each derive something per listener (sanitized copy, fact
indexes, the prompt's encoded year) that every story and attempt of that listener reuses. A
`UserYear` is never edited in place, so its identity is a sound key — provided the memo holds
the object itself, so its id() cannot be reused by another object while the entry lives. Each
memo is bounded (cleared when full) and the batch drops a listener's entries once it is done
(`gate.policy.release`), so it holds roughly the listeners in flight.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class ObjectMemo(Generic[V]):
    """`value` per (object, extra key parts); the key is `id(obj)`, or `(id(obj), *extra)`."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[Hashable, tuple[Any, V]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(obj: Any, extra: tuple[Hashable, ...]) -> Hashable:
        return (id(obj), *extra) if extra else id(obj)

    def get(self, obj: Any, *extra: Hashable) -> V | None:
        hit = self._entries.get(self._key(obj, extra))
        return hit[1] if hit is not None and hit[0] is obj else None

    def put(self, obj: Any, value: V, *extra: Hashable) -> V:
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()
            self._entries[self._key(obj, extra)] = (obj, value)
        return value

    def forget(self, obj: Any, *extra: Hashable) -> None:
        key = self._key(obj, extra)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is obj:
                del self._entries[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
