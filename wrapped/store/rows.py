"""Light story rows: the few fields a sampler needs per stored story, without typed records.

Reading a large run back as `Story`, `Verdict` and `UserYear` models costs ~2.5 ms a story (the
listener's year is ~11 KB of JSON), so sampling 1,000,000 stories that way took ~40 minutes.
A `StoryRow` holds what a sample is stratified and weighted by: who and which day, the
decision, attempts and fallback, the judge's mean score and smallest margin, the listener's
cohort, and the facts about the listener's names (a flagged title, a non-Latin name) and
minutes (estimated). Sealing a shard writes them to `index/shard-NNNNN.jsonl` (one JSON line a
listener, carrying its `user_id`, so `wrapped erase` removes a listener from it as from every
other run file); a shard sealed without one (an older release) is read from its record
files with orjson, through the same `rows_of` — the two agree by construction, and a test
checks both against the typed records.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from wrapped.store.files import read_jsonl, write_jsonl_atomic

INDEX = "index"
INDEX_VERSION = 1
"""Bumped when a row's fields change; an index of another version is not read (the shard's
record files are)."""


class StoryRow(NamedTuple):
    """One stored story, as a sampler sees it."""

    shard: int
    user_id: str
    day: date
    held: bool  # in needs_review/ (held for a human), not stories/
    decision: str
    attempts: int
    fallback: bool
    judge_mean: float | None  # mean judge score of the final attempt
    judge_margin: float | None  # smallest |score - threshold| of its judge checks
    cohort: dict[str, Any]  # the listener's UserYear.cohort, as stored
    minutes_estimated: bool
    flagged_names: bool  # a name the day's story could quote trips the safety screen
    non_latin_names: bool


def index_file(root: Path, shard: int) -> Path:
    return root / INDEX / f"shard-{shard:05d}.jsonl"


def write_index(
    root: Path,
    shard: int,
    stories: Iterable[dict[str, Any]],
    held: Iterable[dict[str, Any]],
    verdicts: Iterable[dict[str, Any]],
    flagged: Callable[[str], bool],
) -> None:
    """Write a shard's index from its records as sealed (call before its stories file, the
    shard's done-marker). The listeners' years are read from the shard's user_years file.
    `flagged` is the safety screen's verdict on a name (the store does not screen: the caller,
    which may import `wrapped.safety`, passes it)."""
    years = read_jsonl(root / "user_years" / f"shard-{shard:05d}.jsonl")
    rows = rows_of(shard, stories, held, verdicts, years, flagged)
    write_jsonl_atomic(index_file(root, shard), _lines(rows))


def read_rows(root: Path, shard: int, held: bool) -> Iterator[StoryRow] | None:
    """A shard's rows from its index (held ones only when `held`); None when it has no index
    of this version (the caller reads the record files instead)."""
    path = index_file(root, shard)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        first = fh.readline()
    if first and orjson.loads(first).get("v") != INDEX_VERSION:
        return None
    return _read(path, shard, held)


def scan_rows(root: Path, shard: int, held: bool, flagged: Callable[[str], bool]) -> list[StoryRow]:
    """A shard's rows built from its record files (a shard sealed without an index)."""

    def raw(kind: str) -> Iterator[dict[str, Any]]:
        return _raw_lines(root / kind / f"shard-{shard:05d}.jsonl")

    kept = raw("needs_review") if held else iter(())
    return rows_of(shard, raw("stories"), kept, raw("verdicts"), raw("user_years"), flagged)


def rows_of(
    shard: int,
    stories: Iterable[dict[str, Any]],
    held: Iterable[dict[str, Any]],
    verdicts: Iterable[dict[str, Any]],
    years: Iterable[dict[str, Any]],
    flagged: Callable[[str], bool],
) -> list[StoryRow]:
    """Rows for a shard's stories (then its held ones) from their records as plain dicts."""
    judged = {(v["user_id"], v["day"]): _judge(v) for v in verdicts}
    by_user = {y["user_id"]: y for y in years}
    out = []
    for is_held, rows in ((False, stories), (True, held)):
        for s in rows:
            uid, day = s["user_id"], s["day"]
            mean, margin = judged.get((uid, day), (None, None))
            year = by_user.get(uid)
            names = year_names(year, day) if year else []
            out.append(
                StoryRow(
                    shard,
                    uid,
                    date.fromisoformat(day),
                    is_held,
                    s["decision"],
                    s.get("attempts", 1),
                    bool(s.get("fallback", False)),
                    mean,
                    margin,
                    dict(year.get("cohort") or {}) if year else {},
                    bool(year and _estimated(year)),
                    any(flagged(n) for n in names),
                    any(non_latin(n) for n in names),
                )
            )
    return out


def year_names(year: dict[str, Any], day: str) -> list[str]:
    """The names a day's story can quote: top artists and tracks, and that day's log."""
    names = [r["name"] for r in year.get("top_artists", [])[:10]]
    names += [r["name"] for r in year.get("top_tracks", [])[:10]]
    for d in year.get("days", []):
        if d["date"] == day:
            names += [e["title"] for e in d.get("log", [])]
            names += [e["by"] for e in d.get("log", []) if e.get("by")]
    return names


@lru_cache(maxsize=65536)
def non_latin(name: str) -> bool:
    return any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in name)


def _estimated(year: dict[str, Any]) -> bool:
    """`UserYear.minutes_are_estimates` (totals.minutes_estimated > 0), from the stored dict."""
    return bool((year.get("totals") or {}).get("minutes_estimated", 0) > 0)


def _judge(v: dict[str, Any]) -> tuple[float | None, float | None]:
    attempts = v.get("attempts") or []
    checks = attempts[-1].get("checks", []) if attempts else []
    judged = [c for c in checks if c.get("layer") == "judge" and c.get("score") is not None]
    if not judged:
        return None, None
    mean = sum(c["score"] for c in judged) / len(judged)
    margins = [abs(c["score"] - c["threshold"]) for c in judged if c.get("threshold") is not None]
    return mean, (min(margins) if margins else None)


def _lines(rows: list[StoryRow]) -> Iterator[dict[str, Any]]:
    """One index line per listener: its cohort and flags once, then a short list per story
    (a line per story, keyed, was 4x the bytes to decode)."""
    by_user: dict[str, list[StoryRow]] = {}
    for r in rows:
        by_user.setdefault(r.user_id, []).append(r)
    for uid, mine in by_user.items():
        first = mine[0]
        yield {
            "v": INDEX_VERSION,
            "user_id": uid,
            "cohort": first.cohort,
            "minutes_estimated": first.minutes_estimated,
            "stories": [
                [r.day.isoformat(), *r[3:9], r.flagged_names, r.non_latin_names] for r in mine
            ],
        }


def _read(path: Path, shard: int, held: bool) -> Iterator[StoryRow]:
    with path.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                return  # a torn tail is not complete (the index is written atomically)
            d = orjson.loads(line)
            uid, cohort, est = d["user_id"], d["cohort"], d["minutes_estimated"]
            for day, is_held, decision, attempts, fallback, mean, margin, flag, latin in d[
                "stories"
            ]:
                if is_held and not held:
                    continue
                yield StoryRow(
                    shard,
                    uid,
                    date.fromisoformat(day),
                    is_held,
                    decision,
                    attempts,
                    fallback,
                    mean,
                    margin,
                    cohort,
                    est,
                    flag,
                    latin,
                )


def _raw_lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open("rb") as fh:
        for line in fh:
            if line.endswith(b"\n") and line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError:
                    yield json.loads(line)
