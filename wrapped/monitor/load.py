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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wrapped.analysis.cohorts import cohort_of
from wrapped.errors import InputError
from wrapped.stats.model import UserYear
from wrapped.store import RunStore
from wrapped.story import Story, Verdict

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
    years = list(store.user_years())
    ineligible = {i.user_id: i.reason for i in store.ineligible()}
    verdicts = {(v.user_id, v.day): v for v in store.verdicts()}
    stories = list(store.stories()) + list(store.needs_review())
    report = store.ingest_report() or store.manifest().ingest_report or {}
    listeners, days = _tables(years)
    extra = pd.DataFrame(
        {"user_id": list(ineligible), "eligibility": list(ineligible.values())}, dtype=object
    )
    if len(extra):
        extra = extra[~extra["user_id"].isin(listeners["user_id"])]
        listeners = pd.concat([listeners, extra], ignore_index=True)
    cohorts = {y.user_id: cohort_of(y) for y in years}
    failed = [f for f in store.failed() if f.kind == "story" and f.day is not None]
    table = _story_table(stories, failed, verdicts, cohorts)
    return RunData(
        name=store.root.name,
        listeners=listeners,
        days=days,
        stories=table,
        rejects={str(k): int(v) for k, v in (report.get("rejected_by_reason") or {}).items()},
        read=int(report.get("read") or 0),
        has_stories=True,
    )


def _from_stats(path: Path) -> RunData:
    years = [
        UserYear.model_validate_json(f.read_bytes())
        for f in sorted(path.glob("*.json"))
        if f.name != "summary.json"
    ]
    return from_user_years(path.name, years)


def from_user_years(name: str, years: Iterable[UserYear]) -> RunData:
    """A stats-only run from listeners' years in memory (input figures only)."""
    listeners, days = _tables(years)
    return RunData(name, listeners, days, _story_table([], [], {}, {}))


def _tables(years: Iterable[UserYear]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows: list[dict[str, Any]] = []
    drows: list[dict[str, Any]] = []
    for y in years:
        c = cohort_of(y)
        rows.append(
            {
                "user_id": y.user_id,
                **c,
                "all": "all",
                "minutes": y.totals.all.minutes,
                "plays": y.totals.all.plays,
                "distinct_artists": y.totals.distinct_artists,
                "streak_days": y.streak.days,
                "tz_source": y.tz_source,
                "eligibility": y.ineligible_reason or ("eligible" if y.eligible else "ineligible"),
                "top_genre_known": y.cohort.top_genre is not None,
            }
        )
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
            drows.append(
                {
                    "user_id": y.user_id,
                    **c,
                    "all": "all",
                    "date": d.date.isoformat(),
                    "category": d.category,
                    "weekday": d.weekday,
                    "peak_hour": int(mins.argmax()) if total else -1,
                    "night_share": float(mins[list(NIGHT_HOURS)].sum() / total) if total else 0.0,
                    "day_minutes": float(d.facts.get("minutes", total) or 0),
                    "crosses_midnight": crossed,
                    "facts": json.dumps(d.facts, sort_keys=True, default=str),
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(drows)


_SKELETON = re.compile(r"[0-9]+|[A-Z][\w'’-]*")


def skeleton(text: str) -> str:
    """A story with its numbers and capitalised words (names) blanked: the template beneath.
    Two listeners' stories with the same skeleton read the same."""
    return _SKELETON.sub("#", text).lower()[:120]


def _story_table(
    stories: list[Story],
    failed: list[Any],
    verdicts: dict[Any, Verdict],
    cohorts: dict[str, dict[str, str]],
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for s in stories:
        v = verdicts.get((s.user_id, s.day))
        rows.append(_story_row(s.user_id, s.day, s.decision, s, v, cohorts))
    for f in failed:
        v = verdicts.get((f.user_id, f.day))
        rows.append(_story_row(f.user_id, f.day, "failed", None, v, cohorts))
    return pd.DataFrame(rows)


def _story_row(
    user_id: str,
    day: Any,
    decision: str,
    s: Story | None,
    v: Verdict | None,
    cohorts: dict[str, dict[str, str]],
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "user_id": user_id,
        "day": str(day),
        **cohorts.get(user_id, {}),
        "all": "all",
        "prompt": f"{s.prompt_version}/{s.model}" if s else "unknown",
        "pass": decision == "pass" and not (s and s.fallback),
        "fallback": bool(s and s.fallback) or decision == "fallback",
        "needs_review": decision == "needs_review",
        "failed": decision == "failed",
        "words": len(s.story.split()) if s else np.nan,
        "skeleton": skeleton(s.story) if s else "",
        "attempts": float(s.attempts if s else (len(v.attempts) if v else np.nan)),
        "tokens": float(s.usage.prompt_tokens + s.usage.completion_tokens) if s else np.nan,
        "cost_usd": float(s.usage.cost_usd) if s else np.nan,
        "latency_s": float(s.usage.latency_s) if s else np.nan,
    }
    if v and v.attempts:
        for c in v.attempts[-1].checks:
            if c.layer == "judge" and c.score is not None:
                row[f"judge:{c.name}"] = float(c.score)
    return row
