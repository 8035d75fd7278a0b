"""Records (as the JSON dicts the store writes) into the Arrow tables of a shard's columns.

One builder per table, shared by sealing (which has the shard's stories and verdicts in hand)
and by the fallback that builds the tables of a shard sealed by an older release from its JSONL
files: both give the same table for the same records. A record without a key a table needs is
one line (file, record, field), as a typed read gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from wrapped.errors import InputError

Row = dict[str, Any]
Rows = Iterable[tuple[Path, int, Row]]
"""(file, record number, record): where each record came from, for the error line."""

FACT_FIELDS = b"wrapped.fact_fields"
"""Schema metadata of a days table: every key its days' facts hold (a JSON list)."""

F64 = pa.float64()
_YEAR_TYPES = {"user_id": pa.string(), "tz_source": pa.string(), "locale": pa.string(),
               "eligible": pa.bool_(), "ineligible_reason": pa.string(), "minutes": F64,
               "plays": F64, "distinct_artists": F64, "streak_days": F64}  # fmt: skip
_DAY_TYPES = {"user_id": pa.string(), "date": pa.string(), "category": pa.string(),
              "weekday": pa.string(), "facts": pa.string(), "facts_minutes": F64,
              "log_time": pa.list_(pa.string()), "log_minutes": pa.list_(F64)}  # fmt: skip
USAGE_KEYS = ("prompt_tokens", "completion_tokens", "cost_usd", "latency_s")
_STORY_TYPES = {"user_id": pa.string(), "day": pa.string(), "decision": pa.string(),
                "fallback": pa.bool_(), "prompt_version": pa.string(), "model": pa.string(),
                "story": pa.string(), "words": F64, "attempts": F64, **dict.fromkeys(USAGE_KEYS, F64),
                "held": pa.bool_()}  # fmt: skip


def read(rows: Rows, take: Callable[[Row], None], what: str) -> None:
    """`take` each record; a missing or mistyped field is one line naming the record."""
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


def years_tables(rows: Rows) -> tuple[pa.Table, pa.Table]:
    """UserYear records as (listeners, days). Listeners: user_id, tz_source, locale, eligible,
    ineligible_reason, minutes, plays, distinct_artists, streak_days and one `cohort.<key>`
    column per cohort field. Days: user_id, date, category, weekday, facts (sorted-key JSON),
    facts_minutes (null where the facts hold none), and the day's log as two list columns
    (log_time "HH:MM", log_minutes); the facts' keys are in the schema metadata."""
    lc: dict[str, list[Any]] = {k: [] for k in _YEAR_TYPES}
    cohort: dict[str, list[Any]] = {}
    dc: dict[str, list[Any]] = {k: [] for k in _DAY_TYPES}
    fields: set[str] = set()

    def take(y: Row) -> None:
        uid, tot = y["user_id"], y["totals"]
        seen = len(lc["user_id"])
        lc["user_id"].append(uid)
        lc["tz_source"].append(y.get("tz_source"))
        lc["locale"].append(y.get("locale"))
        lc["eligible"].append(bool(y.get("eligible")))
        lc["ineligible_reason"].append(y.get("ineligible_reason"))
        lc["minutes"].append(float(tot["all"]["minutes"]))
        lc["plays"].append(float(tot["all"]["plays"]))
        lc["distinct_artists"].append(float(tot["distinct_artists"]))
        lc["streak_days"].append(float(y["streak"]["days"]))
        for k, v in (y.get("cohort") or {}).items():
            cohort.setdefault(k, [None] * seen).append(None if v is None else str(v))
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
            m = facts.get("minutes")
            dc["facts_minutes"].append(None if "minutes" not in facts else float(m or 0.0))
            log = d.get("log") or ()
            dc["log_time"].append([e["time"] for e in log])
            dc["log_minutes"].append([float(e["minutes"]) for e in log])

    read(rows, take, "UserYear")
    listeners = _table(lc, _YEAR_TYPES)
    for k, col in sorted(cohort.items()):
        listeners = listeners.append_column(f"cohort.{k}", pa.array(col, pa.string()))
    days = _table(dc, _DAY_TYPES)
    days = days.replace_schema_metadata({FACT_FIELDS: orjson.dumps(sorted(fields))})
    return listeners, days


def stories_table(rows: Rows, held: bool) -> pa.Table:
    """Story records as columns: user_id, day, decision, fallback, prompt_version, model,
    story, words (its length: `len(story.split())`, counted here once, not by every reader of
    a million stories), attempts, the usage figures (null where a story has none), held (for a human)."""
    c: dict[str, list[Any]] = {k: [] for k in _STORY_TYPES}

    def take(s: Row) -> None:
        c["user_id"].append(s["user_id"])
        c["day"].append(s["day"])
        c["decision"].append(s["decision"])
        c["fallback"].append(bool(s.get("fallback")))
        c["prompt_version"].append(s["prompt_version"])
        c["model"].append(s["model"])
        c["story"].append(s["story"])
        c["words"].append(float(len(s["story"].split())))
        c["attempts"].append(float(s["attempts"]))
        u = s.get("usage") or {}
        for k in USAGE_KEYS:
            v = u.get(k)
            c[k].append(None if v is None else float(v))
        c["held"].append(held)

    read(rows, take, "Story")
    return _table(c, _STORY_TYPES)


def verdicts_table(rows: Rows) -> pa.Table:
    """Verdicts as columns: user_id, day, attempts (how many were made), and one
    `judge:<check>` column per judge check of the last attempt that has a score (null where a
    verdict has none)."""
    users: list[str] = []
    days: list[str] = []
    attempts: list[float] = []
    judge: dict[str, list[float | None]] = {}

    def take(v: Row) -> None:
        tries = v["attempts"]
        checks = tries[-1]["checks"] if tries else ()
        row = len(users)
        users.append(v["user_id"])
        days.append(v["day"])
        attempts.append(float(len(tries)))
        for ch in checks:
            if ch["layer"] == "judge" and ch.get("score") is not None:
                col = judge.setdefault(f"judge:{ch['name']}", [])
                col.extend([None] * (row + 1 - len(col)))
                col[row] = float(ch["score"])

    read(rows, take, "Verdict")
    t = pa.table({"user_id": pa.array(users, pa.string()), "day": pa.array(days, pa.string()),
                  "attempts": pa.array(attempts, F64)})  # fmt: skip
    for name, col in sorted(judge.items()):
        col.extend([None] * (len(users) - len(col)))
        t = t.append_column(name, pa.array(col, F64))
    return t


def _table(cols: dict[str, list[Any]], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({k: pa.array(v, types[k]) for k, v in cols.items()})


def dict_rows(path: Path, records: Iterable[Row]) -> Rows:
    """Records in hand (sealing), numbered as they will be in `path`."""
    return ((path, i, r) for i, r in enumerate(records, 1))
