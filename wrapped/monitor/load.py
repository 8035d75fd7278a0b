"""One run, read through the store into the flat tables the monitor compares.

Three tables: one row per listener (their year's figures and cohort keys), one per interesting
day (its category, local timing and quoted facts), one per story (decision, judge scores, usage).
A run folder is read only through `RunStore`. A `wrapped stats` output folder (UserYear JSON
files, no stories) is accepted as a stats-only run, so input drift can be watched before any
story is written (and cheaply, in tests).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wrapped.analysis.cohorts import COHORT_KEYS, cohort_of
from wrapped.errors import InputError
from wrapped.stats.model import UserYear
from wrapped.store import RunStore
from wrapped.story import Story

NIGHT_HOURS = range(0, 5)
"""Local hours counted as night for the interesting-day night-share invariant."""


@dataclass
class RunData:
    """The monitor's view of one run (or the pooled view of several baseline runs)."""

    name: str
    listeners: pd.DataFrame
    days: pd.DataFrame
    stories: pd.DataFrame
    rejects: dict[str, int] = field(default_factory=dict)
    read: int = 0
    has_stories: bool = False


def load_run(path: Path) -> RunData:
    """A run folder (through `RunStore`) or a stats-only folder; one clear line otherwise."""
    path = Path(path)
    if (path / "manifest.json").exists():
        return _from_store(RunStore.open(path))
    if path.is_dir() and (path / "summary.json").exists():
        return _from_stats(path)
    raise InputError(
        "not a run folder (no manifest.json) nor a `wrapped stats` output (no summary.json)",
        file=str(path),
    )


def pool(runs: list[RunData]) -> RunData:
    """Several baseline runs as one (their listeners, days and stories side by side)."""
    if len(runs) == 1:
        return runs[0]
    rejects: dict[str, int] = {}
    for r in runs:
        for k, v in r.rejects.items():
            rejects[k] = rejects.get(k, 0) + v
    return RunData(
        name=" + ".join(r.name for r in runs),
        listeners=pd.concat([r.listeners for r in runs], ignore_index=True),
        days=pd.concat([r.days for r in runs], ignore_index=True),
        stories=pd.concat([r.stories for r in runs], ignore_index=True),
        rejects=rejects,
        read=sum(r.read for r in runs),
        has_stories=all(r.has_stories for r in runs),
    )


def _from_store(store: RunStore) -> RunData:
    """Streamed: records are turned into columns as they are read, so a run of a million
    stories never holds a million models at once."""
    listeners, days = _tables(store.user_years())
    ineligible = {i.user_id: i.reason for i in store.ineligible()}
    extra = pd.DataFrame(
        {"user_id": list(ineligible), "eligibility": list(ineligible.values())}, dtype=object
    )
    if len(extra):
        extra = extra[~extra["user_id"].isin(listeners["user_id"])]
        listeners = pd.concat([listeners, extra], ignore_index=True)
    judged: dict[tuple[str, str], tuple[int, tuple[tuple[str, float], ...]]] = {}
    for v in store.verdicts():
        checks = v.attempts[-1].checks if v.attempts else []
        scores = tuple(
            (c.name, float(c.score)) for c in checks if c.layer == "judge" and c.score is not None
        )
        judged[(v.user_id, str(v.day))] = (len(v.attempts), scores)
    cols = _StoryColumns()
    for s in _chain(store.stories(), store.needs_review()):
        cols.add(s.user_id, str(s.day), s.decision, s, judged.get((s.user_id, str(s.day))))
    for f in store.failed():
        if f.kind == "story" and f.day is not None:
            cols.add(f.user_id, str(f.day), "failed", None, judged.get((f.user_id, str(f.day))))
    report = store.ingest_report() or store.manifest().ingest_report or {}
    return RunData(
        name=store.root.name,
        listeners=listeners,
        days=days,
        stories=cols.frame(listeners),
        rejects={str(k): int(v) for k, v in (report.get("rejected_by_reason") or {}).items()},
        read=int(report.get("read") or 0),
        has_stories=True,
    )


def _chain(*its: Iterable[Story]) -> Iterator[Story]:
    for it in its:
        yield from it


def _from_stats(path: Path) -> RunData:
    years = (
        UserYear.model_validate_json(f.read_bytes())
        for f in sorted(path.glob("*.json"))
        if f.name != "summary.json"
    )
    return from_user_years(path.name, years)


def from_user_years(name: str, years: Iterable[UserYear]) -> RunData:
    """A stats-only run from listeners' years in memory (input figures only)."""
    listeners, days = _tables(years)
    return RunData(name, listeners, days, _StoryColumns().frame(listeners))


def _tables(years: Iterable[UserYear]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows: dict[str, list[Any]] = defaultdict(list)
    drows: dict[str, list[Any]] = defaultdict(list)
    for y in years:
        for k, v in {
            "user_id": y.user_id,
            **cohort_of(y),
            "locale": y.locale,
            "minutes": y.totals.all.minutes,
            "plays": y.totals.all.plays,
            "distinct_artists": y.totals.distinct_artists,
            "streak_days": y.streak.days,
            "tz_source": y.tz_source,
            "eligibility": y.ineligible_reason or ("eligible" if y.eligible else "ineligible"),
            "top_genre_known": y.cohort.top_genre is not None,
        }.items():
            rows[k].append(v)
        for d in y.days:
            mins = np.zeros(24)
            crossed = False
            prev = -1
            for e in d.log:
                h, m = int(e.time[:2]), int(e.time[3:5])
                mins[h] += e.minutes
                crossed = crossed or h * 60 + m < prev
                prev = h * 60 + m
            total = float(mins.sum())
            for k, v in {
                "user_id": y.user_id,
                "date": d.date.isoformat(),
                "category": d.category,
                "weekday": d.weekday,
                "peak_hour": int(mins.argmax()) if total else -1,
                "night_share": float(mins[list(NIGHT_HOURS)].sum() / total) if total else 0.0,
                "day_minutes": float(d.facts.get("minutes", total) or 0),
                "crosses_midnight": crossed,
                "facts": json.dumps(d.facts, sort_keys=True, default=str),
            }.items():
                drows[k].append(v)
    listeners = pd.DataFrame(rows)
    if listeners.empty:
        listeners = pd.DataFrame(columns=["user_id", "all"])
    listeners["all"] = "all"
    days = pd.DataFrame(drows)
    return listeners, _with_cohorts(days, listeners)


def _with_cohorts(t: pd.DataFrame, listeners: pd.DataFrame) -> pd.DataFrame:
    """`t` (rows keyed by user_id) with its listeners' cohort columns."""
    keys = [c for c in listeners.columns if c in COHORT_KEYS or c in ("all", "locale")]
    if t.empty:
        return t.assign(**{k: pd.Series(dtype=object) for k in keys})
    cohorts = listeners[["user_id", *keys]].drop_duplicates("user_id")
    return t.merge(cohorts, on="user_id", how="left")


_SKELETON = re.compile(r"[0-9]+|[A-Z][\w'’-]*")


def skeleton(text: str) -> str:
    """A story with its numbers and capitalised words (names) blanked: the template beneath.
    Two listeners' stories with the same skeleton read the same."""
    return _SKELETON.sub("#", text).lower()[:120]


class _StoryColumns:
    """One column list per story figure, filled a story at a time."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = defaultdict(list)
        self.judge: dict[str, dict[int, float]] = defaultdict(dict)
        self.n = 0

    def add(
        self,
        user_id: str,
        day: str,
        decision: str,
        s: Story | None,
        judged: tuple[int, tuple[tuple[str, float], ...]] | None,
    ) -> None:
        c = self.cols
        c["user_id"].append(user_id)
        c["day"].append(day)
        c["prompt"].append(f"{s.prompt_version}/{s.model}" if s else "unknown")
        c["pass"].append(decision == "pass" and not (s and s.fallback))
        c["fallback"].append(bool(s and s.fallback) or decision == "fallback")
        c["needs_review"].append(decision == "needs_review")
        c["failed"].append(decision == "failed")
        c["words"].append(len(s.story.split()) if s else np.nan)
        c["skeleton"].append(skeleton(s.story) if s else "")
        c["attempts"].append(float(s.attempts if s else (judged[0] if judged else np.nan)))
        u = s.usage if s else None
        c["tokens"].append(float(u.prompt_tokens + u.completion_tokens) if u else np.nan)
        c["cost_usd"].append(float(u.cost_usd) if u else np.nan)
        c["latency_s"].append(float(u.latency_s) if u else np.nan)
        for name, score in judged[1] if judged else ():
            self.judge[f"judge:{name}"][self.n] = score
        self.n += 1

    def frame(self, listeners: pd.DataFrame) -> pd.DataFrame:
        t = pd.DataFrame(self.cols)
        for name, scores in self.judge.items():
            col = np.full(self.n, np.nan)
            col[list(scores)] = list(scores.values())
            t[name] = col
        return _with_cohorts(t, listeners)
