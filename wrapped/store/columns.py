"""A run's records as columns: the few fields a whole-run reader needs, without a model each.

`RunStore` validates every record into its pydantic model, which is right for a tool that reads
a few hundred stories and the dominant cost for one that reads them all (the monitor on 100,000
stories a run spent 124 s of 282 s in validation). These readers parse the same sealed shard
files with orjson, keep only the keys asked for and hand them back as pandas columns. They open
the run as `RunStore.open` does (the manifest's schema version is checked first), skip a torn
last line as `read_jsonl` does, and a record without a key they need is the same one line
(file, record, field) a typed read gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd

from wrapped.errors import InputError
from wrapped.store.run import RunStore

Row = dict[str, Any]


def shard_rows(store: RunStore, kind: str) -> Iterator[tuple[Path, int, Row]]:
    """(file, record number, raw record) of every sealed shard of `kind`, in shard order."""
    store.manifest()  # a newer schema, or a damaged manifest, is one line before any record
    for path in sorted((store.root / kind).glob("shard-*.jsonl")):
        data = path.read_bytes()
        lines = data.split(b"\n")
        lines.pop()  # after the last "\n": empty, or a torn tail from a crash (not complete)
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield path, i, orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # as read_jsonl: a torn line is skipped


def _read(rows: Iterable[tuple[Path, int, Row]], take: Callable[[Row], None], what: str) -> None:
    where: tuple[Path, int] = (Path(), 0)
    try:
        for path, i, row in rows:
            where = (path, i)
            take(row)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        name = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
        raise InputError(
            f"not a {what} this release can read (a field is missing or of the wrong type)",
            file=str(where[0]),
            record=where[1],
            field=str(name) if name is not None else None,
        ) from None


@dataclass
class YearColumns:
    """Listeners' year figures (one row each), their interesting days (one row each), and the
    days' log entries (one row each, `day` indexing the days table)."""

    listeners: pd.DataFrame
    days: pd.DataFrame
    log: pd.DataFrame
    fact_fields: set[str] = field(default_factory=set)


def year_columns(store: RunStore) -> YearColumns:
    """The run's UserYear records as columns (see `years_from_rows`)."""
    return years_from_rows(shard_rows(store, "user_years"))


def years_from_rows(rows: Iterable[tuple[Path, int, Row]]) -> YearColumns:
    """UserYear records (as JSON dicts) as columns. Listeners: user_id, tz_source, locale,
    eligible, ineligible_reason, minutes, plays, distinct_artists, streak_days and one
    `cohort.<key>` column per cohort field. Days: user_id, date, category, weekday, facts (the
    facts as sorted-key JSON), facts_minutes (NaN where the facts hold no minutes)."""
    lc: dict[str, list[Any]] = {k: [] for k in _LISTENER_KEYS}
    cohort: dict[str, list[Any]] = {}
    dc: dict[str, list[Any]] = {k: [] for k in _DAY_KEYS}
    log_day: list[int] = []
    log_time: list[str] = []
    log_minutes: list[float] = []
    fields: set[str] = set()
    n = 0

    def take(y: Row) -> None:
        nonlocal n
        uid, tot = y["user_id"], y["totals"]
        lc["user_id"].append(uid)
        lc["tz_source"].append(y.get("tz_source"))
        lc["locale"].append(y.get("locale"))
        lc["eligible"].append(bool(y.get("eligible")))
        lc["ineligible_reason"].append(y.get("ineligible_reason"))
        lc["minutes"].append(tot["all"]["minutes"])
        lc["plays"].append(tot["all"]["plays"])
        lc["distinct_artists"].append(tot["distinct_artists"])
        lc["streak_days"].append(y["streak"]["days"])
        seen = len(lc["user_id"]) - 1
        for k, v in (y.get("cohort") or {}).items():
            cohort.setdefault(k, [None] * seen).append(v)
        for col in cohort.values():
            if len(col) == seen:
                col.append(None)
        for d in y.get("days") or ():
            facts = d.get("facts") or {}
            fields.update(facts)
            dc["user_id"].append(uid)
            dc["date"].append(d["date"])
            dc["category"].append(d["category"])
            dc["weekday"].append(d["weekday"])
            dc["facts"].append(orjson.dumps(facts, option=orjson.OPT_SORT_KEYS).decode())
            m = facts.get("minutes", np.nan)
            dc["facts_minutes"].append(0.0 if m is None else float(m))
            for e in d.get("log") or ():
                log_day.append(n)
                log_time.append(e["time"])
                log_minutes.append(e["minutes"])
            n += 1

    _read(rows, take, "UserYear")
    listeners = pd.DataFrame(lc)
    for k, col in cohort.items():
        listeners[f"cohort.{k}"] = pd.Series(col, dtype=object)
    log = pd.DataFrame(
        {
            "day": np.asarray(log_day, dtype=np.int64),
            "time": pd.Series(log_time, dtype=object),
            "minutes": np.asarray(log_minutes, dtype=float),
        }
    )
    return YearColumns(listeners, pd.DataFrame(dc), log, fields)


_LISTENER_KEYS = ("user_id", "tz_source", "locale", "eligible", "ineligible_reason", "minutes",
                  "plays", "distinct_artists", "streak_days")  # fmt: skip
_DAY_KEYS = ("user_id", "date", "category", "weekday", "facts", "facts_minutes")


def story_columns(
    store: RunStore, kinds: tuple[str, ...] = ("stories", "needs_review")
) -> pd.DataFrame:
    """Stories (of `kinds`, in that order) as columns: user_id, day, decision, fallback,
    prompt_version, model, story, attempts, prompt_tokens, completion_tokens, cost_usd,
    latency_s (NaN where a story has no usage)."""
    c: dict[str, list[Any]] = {k: [] for k in _STORY_KEYS}

    def take(s: Row) -> None:
        c["user_id"].append(s["user_id"])
        c["day"].append(s["day"])
        c["decision"].append(s["decision"])
        c["fallback"].append(bool(s.get("fallback")))
        c["prompt_version"].append(s["prompt_version"])
        c["model"].append(s["model"])
        c["story"].append(s["story"])
        c["attempts"].append(s["attempts"])
        u = s.get("usage") or {}
        for k in _USAGE_KEYS:
            v = u.get(k)
            c[k].append(np.nan if v is None else v)

    for kind in kinds:
        _read(shard_rows(store, kind), take, "Story")
    t = pd.DataFrame({k: v for k, v in c.items()})
    for k in ("attempts", *_USAGE_KEYS):
        t[k] = t[k].astype(float)
    return t


_USAGE_KEYS = ("prompt_tokens", "completion_tokens", "cost_usd", "latency_s")
_STORY_KEYS = ("user_id", "day", "decision", "fallback", "prompt_version", "model", "story",
               "attempts", *_USAGE_KEYS)  # fmt: skip


def verdict_columns(store: RunStore) -> pd.DataFrame:
    """Verdicts as columns: user_id, day, attempts (how many were made), and one
    `judge:<check>` column per judge check of the last attempt that has a score (NaN where a
    verdict has none)."""
    users: list[str] = []
    days: list[str] = []
    attempts: list[int] = []
    judge: dict[str, dict[int, float]] = {}

    def take(v: Row) -> None:
        tries = v["attempts"]
        checks = tries[-1]["checks"] if tries else ()
        row = len(users)
        users.append(v["user_id"])
        days.append(v["day"])
        attempts.append(len(tries))
        for ch in checks:
            if ch["layer"] == "judge" and ch.get("score") is not None:
                judge.setdefault(f"judge:{ch['name']}", {})[row] = float(ch["score"])

    _read(shard_rows(store, "verdicts"), take, "Verdict")
    t = pd.DataFrame({"user_id": users, "day": days, "attempts": attempts})
    for name, scores in sorted(judge.items()):
        col = np.full(len(users), np.nan)
        col[np.fromiter(scores, np.int64, len(scores))] = np.fromiter(
            scores.values(), float, len(scores)
        )
        t[name] = col
    return t
