"""One run, read through the store into the flat tables the monitor compares.

Three tables: one row per listener (their year's figures and cohort keys), one per interesting
day (its category, local timing and quoted facts), one per story (decision, judge scores, usage).
A run folder is read only through the store, as columns (`wrapped.store.columns`: a million
stories are too many to validate one model at a time). A `wrapped stats` output folder (UserYear
JSON files, no stories) is accepted as a stats-only run, so input drift can be watched before
any story is written (and cheaply, in tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wrapped.analysis.cohorts import COHORT_KEYS, UNKNOWN
from wrapped.errors import InputError
from wrapped.stats.model import UserYear
from wrapped.store import RunStore
from wrapped.store.columns import (
    YearColumns,
    story_columns,
    verdict_columns,
    year_columns,
    years_from_rows,
)

NIGHT_HOURS = slice(0, 5)
"""Local hours (0-4) counted as night for the interesting-day night-share invariant."""


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
    fact_fields: set[str] = field(default_factory=set)
    """Every key the days' facts hold (skew compares them field by field)."""


def load_run(path: Path) -> RunData:
    """A run folder (through the store) or a stats-only folder; one clear line otherwise."""
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
        fact_fields=set().union(*(r.fact_fields for r in runs)),
    )


def _from_store(store: RunStore) -> RunData:
    listeners, days, fields = _tables(year_columns(store))
    ineligible = {i.user_id: i.reason for i in store.ineligible()}
    extra = pd.DataFrame(
        {"user_id": list(ineligible), "eligibility": list(ineligible.values())}, dtype=object
    )
    if len(extra):
        extra = extra[~extra["user_id"].isin(listeners["user_id"])]
        listeners = _categorical(pd.concat([listeners, extra], ignore_index=True))
    failed = [(f.user_id, str(f.day)) for f in store.failed() if f.kind == "story" and f.day]
    report = store.ingest_report() or store.manifest().ingest_report or {}
    return RunData(
        name=store.root.name,
        listeners=listeners,
        days=days,
        stories=_stories(story_columns(store), failed, verdict_columns(store), listeners),
        rejects={str(k): int(v) for k, v in (report.get("rejected_by_reason") or {}).items()},
        read=int(report.get("read") or 0),
        has_stories=True,
        fact_fields=fields,
    )


def _from_stats(path: Path) -> RunData:
    years = (
        UserYear.model_validate_json(f.read_bytes())
        for f in sorted(path.glob("*.json"))
        if f.name != "summary.json"
    )
    return from_user_years(path.name, years)


def from_user_years(name: str, years: Iterable[UserYear]) -> RunData:
    """A stats-only run from listeners' years in memory (input figures only)."""
    rows = ((Path(name), i, y.model_dump(mode="json")) for i, y in enumerate(years, 1))
    listeners, days, fields = _tables(years_from_rows(rows))
    return RunData(name, listeners, days, _stories(None, [], None, listeners), fact_fields=fields)


def _tables(cols: YearColumns) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """The listeners' and days' tables: cohort keys as text, and each day's local timing
    (peak hour, night share, a log crossing midnight) from its log, all as array operations."""
    y = cols.listeners
    if y.num_rows == 0:
        listeners = pd.DataFrame(columns=["user_id", "all"])
        return listeners, _with_cohorts(pd.DataFrame(columns=["user_id"]), listeners), set()
    listeners = pd.DataFrame({"user_id": _pd(y["user_id"])})
    extra = [c.removeprefix("cohort.") for c in y.column_names if c.startswith("cohort.")]
    for k in [*COHORT_KEYS, *(k for k in extra if k not in COHORT_KEYS)]:
        name = f"cohort.{k}"
        listeners[k] = UNKNOWN if name not in y.column_names else _text(y[name])
    reason = _pd(y["ineligible_reason"])
    reason = reason.where(reason.notna() & (reason != ""))
    eligible = y["eligible"].to_numpy()
    eligibility = np.where(eligible, "eligible", "ineligible")
    top_genre = y["cohort.top_genre"] if "cohort.top_genre" in y.column_names else None
    listeners = listeners.assign(
        locale=_pd(y["locale"]),
        minutes=y["minutes"].to_numpy(),
        plays=y["plays"].to_numpy(),
        distinct_artists=y["distinct_artists"].to_numpy(),
        streak_days=y["streak_days"].to_numpy(),
        tz_source=_pd(y["tz_source"]),
        eligibility=reason.fillna(pd.Series(eligibility, index=listeners.index)),
        top_genre_known=False if top_genre is None else pc.is_valid(top_genre).to_numpy(),
    )
    listeners["all"] = "all"
    listeners = _categorical(listeners)
    d = cols.days
    n = d.num_rows
    times = d["log_time"].combine_chunks()
    day = pc.list_parent_indices(times).to_numpy()
    flat = pc.list_flatten(times)
    hour = np.clip(_int(pc.utf8_slice_codeunits(flat, 0, 2)), 0, 23)
    tod = hour * 60 + _int(pc.utf8_slice_codeunits(flat, 3, 5))
    minutes = pc.list_flatten(d["log_minutes"].combine_chunks()).to_numpy()
    mins = np.bincount(day * 24 + hour, weights=minutes, minlength=n * 24).reshape(n, 24)
    total = mins.sum(axis=1)
    crossed = np.zeros(n, bool)
    back = (tod[1:] < tod[:-1]) & (day[1:] == day[:-1])
    crossed[day[1:][back]] = True
    with np.errstate(invalid="ignore", divide="ignore"):
        night = np.where(total > 0, mins[:, NIGHT_HOURS].sum(axis=1) / total, 0.0)
    facts_minutes = d["facts_minutes"].to_numpy()
    days = pd.DataFrame(
        {
            "user_id": _pd(d["user_id"]),
            "date": _pd(d["date"]),
            "category": _pd(d["category"]),
            "weekday": _pd(d["weekday"]),
            "peak_hour": np.where(total > 0, mins.argmax(axis=1), -1),
            "night_share": night,
            "day_minutes": np.where(np.isnan(facts_minutes), total, facts_minutes),
            "crosses_midnight": crossed,
            "facts": _pd(d["facts"]),
        }
    )
    return listeners, _with_cohorts(days, listeners), cols.fact_fields


def _categorical(listeners: pd.DataFrame) -> pd.DataFrame:
    """The cohort keys as categories: a million listeners hold a few dozen values."""
    keys = [c for c in listeners.columns if c in COHORT_KEYS or c in ("all", "locale")]
    return listeners.astype({k: "category" for k in keys})


def _pd(col: pa.ChunkedArray | pa.Array) -> pd.Series:
    """An Arrow column as a pandas one (strings as Python strings, which pandas needs)."""
    return col.to_pandas()


def _int(col: pa.Array) -> np.ndarray:
    return pc.cast(col, pa.int64()).to_numpy() if len(col) else np.zeros(0, np.int64)


def _text(col: pa.ChunkedArray) -> pd.Series:
    """Cohort values as text, "unknown" where the year does not say (as `cohort_of`)."""
    s = col.to_pandas().astype(object)
    return s.where(s.notna() & (s != ""), UNKNOWN).astype(str)


def _with_cohorts(t: pd.DataFrame, listeners: pd.DataFrame) -> pd.DataFrame:
    """`t` (rows keyed by user_id) with its listeners' cohort columns, as categories (a
    million stories repeat a few dozen values): each row's listener is found once, by hash,
    and each key's codes are taken from there (no join of a million strings per key)."""
    keys = [c for c in listeners.columns if c in COHORT_KEYS or c in ("all", "locale")]
    if t.empty:
        return t.assign(**{k: pd.Series(dtype=object) for k in keys})
    cohorts = _categorical(listeners[["user_id", *keys]].drop_duplicates("user_id"))
    at = pd.Index(cohorts["user_id"]).get_indexer(t["user_id"])
    out = t.reset_index(drop=True)
    for k in keys:
        col = cohorts[k].cat
        codes = np.where(at >= 0, col.codes.to_numpy()[at], -1)
        out[k] = pd.Categorical.from_codes(codes, dtype=cohorts[k].dtype)
    return out


SKELETON = r"[0-9]+|[A-Z][\w'’-]*"
r"""Numbers and capitalised words (names): blanked, a story's skeleton is the template beneath.
Two listeners' stories with the same skeleton read the same. (Arrow's regex engine reads `\w`
as ASCII, 4x faster than Unicode classes: a name's accented tail stays, alike in both runs.)"""


def skeletons(stories: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each story's skeleton (its first 120 characters, lower case), computed in Arrow.

    Blanking only shortens a text, and the blanked start of a text is the start of its
    blanked whole: so the first 360 characters are blanked, and only a story whose blanked
    start comes out shorter than 120 characters is blanked in full."""
    head = pc.utf8_slice_codeunits(stories, 0, 360)
    skel = pc.utf8_slice_codeunits(pc.utf8_lower(pc.replace_substring_regex(head, SKELETON, "#")),
                                   0, 120)  # fmt: skip
    short = pc.and_(pc.less(pc.utf8_length(skel), 120), pc.greater(pc.utf8_length(stories), 360))
    if not pc.any(short).as_py():
        return skel
    full = pc.replace_substring_regex(stories.filter(short), SKELETON, "#")
    fixed = pc.utf8_slice_codeunits(pc.utf8_lower(full), 0, 120).combine_chunks()
    return pa.chunked_array(
        [pc.replace_with_mask(skel.combine_chunks(), short.combine_chunks(), fixed)]
    )


def _stories(
    s: pa.Table | None,
    failed: list[tuple[str, str]],
    verdicts: pa.Table | None,
    listeners: pd.DataFrame,
) -> pd.DataFrame:
    """One row per story (stored, held for review, or failed for good), with its verdict's
    attempts and judge scores."""
    if s is None or (s.num_rows == 0 and not failed):
        return _with_cohorts(pd.DataFrame(columns=_STORY_COLUMNS), listeners)
    decision = s["decision"].to_numpy()
    fell = s["fallback"].to_numpy().astype(bool)
    skeleton = pc.dictionary_encode(skeletons(s["story"])).unify_dictionaries()
    t = pd.DataFrame(
        {
            "user_id": _pd(s["user_id"]),
            "day": _pd(s["day"]),
            "prompt": pd.Categorical(
                pc.binary_join_element_wise(s["prompt_version"], s["model"], "/").to_numpy(
                    zero_copy_only=False
                )
            ),
            "pass": (decision == "pass") & ~fell,
            "fallback": fell | (decision == "fallback"),
            "needs_review": decision == "needs_review",
            "failed": False,
            "words": s["words"].to_numpy(),
            "skeleton": pd.Categorical.from_codes(
                np.concatenate([c.indices.to_numpy() for c in skeleton.chunks] or [[]]),
                (
                    skeleton.chunks[0].dictionary
                    if skeleton.num_chunks
                    else pa.array([], pa.string())
                ).to_pandas(),
            ),
            "attempts": s["attempts"].to_numpy(),
            "tokens": pc.add(s["prompt_tokens"], s["completion_tokens"]).to_numpy(),
            "cost_usd": s["cost_usd"].to_numpy(),
            "latency_s": s["latency_s"].to_numpy(),
        }
    )
    if failed:
        users, days = zip(*failed, strict=True)
        f = pd.DataFrame({"user_id": users, "day": days, "prompt": "unknown", "pass": False,
                          "fallback": False, "needs_review": False, "failed": True,
                          "words": np.nan, "skeleton": "", "attempts": np.nan})  # fmt: skip
        t = pd.concat([t, f], ignore_index=True)
    if verdicts is not None and verdicts.num_rows:
        at = _last_match(verdicts, t)
        for name in verdicts.column_names[2:]:  # attempts, judge:<check>...
            col = verdicts[name].to_numpy()
            got = np.where(at >= 0, col[np.maximum(at, 0)], np.nan)
            if name == "attempts":
                t["attempts"] = t["attempts"].fillna(pd.Series(got, index=t.index))
            else:
                t[name] = got
    return _with_cohorts(t, listeners)


def _last_match(verdicts: pa.Table, t: pd.DataFrame) -> np.ndarray:
    """For each story of `t`, the row of the last verdict of its (listener, day); -1 if none.
    Keys are integers (listener and day factorised over both tables), not pairs of strings."""
    n = verdicts.num_rows
    user = pd.factorize(pd.concat([_pd(verdicts["user_id"]), t["user_id"]], ignore_index=True))[0]
    day = pd.factorize(pd.concat([_pd(verdicts["day"]), t["day"]], ignore_index=True))[0]
    key = user.astype(np.int64) * (int(day.max()) + 1) + day
    vkey, skey = key[:n], key[n:]
    keys, first_of_reversed = np.unique(vkey[::-1], return_index=True)
    last = n - 1 - first_of_reversed
    pos = np.minimum(np.searchsorted(keys, skey), keys.size - 1)
    return np.where(keys[pos] == skey, last[pos], -1)


_STORY_COLUMNS = ["user_id", "day", "prompt", "pass", "fallback", "needs_review", "failed",
                  "words", "skeleton", "attempts", "tokens", "cost_usd", "latency_s"]  # fmt: skip
