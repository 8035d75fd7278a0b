"""An independent SQL (DuckDB) implementation of the core aggregates, for cross-checking.

Same inputs, a different engine: DuckDB converts each listener's UTC timestamps to their zone
itself (``timezone(zone, ts)``), cuts local days, windows, sums and ranks with the documented
tie-break in SQL. Tests assert it agrees EXACTLY with the pandas path; the benchmark times it as
the reference. DuckDB is a dev dependency, imported only here.

Core aggregates: per listener and kind (plays, ms); top-k artists and tracks (music); per local
day (plays, ms).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from wrapped.stats.aggregates import Core
from wrapped.stats.keys import KeySpace
from wrapped.stats.prepare import Prepared, day_to_date
from wrapped.stats.ranking import Ranking


class CoreFrames(NamedTuple):
    """The core aggregates as plain, sorted frames (comparable across engines)."""

    totals: pd.DataFrame  # user_id, kind, plays, ms
    top_artists: pd.DataFrame  # user_id, rank, name, plays, ms
    top_tracks: pd.DataFrame  # user_id, rank, name, by, plays, ms
    days: pd.DataFrame  # user_id, day, plays, ms


_SQL = """
WITH ev AS (
    SELECT e.user_id, e.kind, GREATEST(COALESCE(e.ms_played, 0), 0) AS ms, e.artist, e.track,
           CAST(timezone(z.tz, e.ts) AS DATE) AS day
    FROM events e JOIN zones z ON e.user_id = z.user_id
    WHERE e.kind IN ('track', 'episode', 'audiobook')
), w AS (
    SELECT * FROM ev WHERE day BETWEEN $start AND $stop
)
"""
_TOTALS = """SELECT user_id, kind, COUNT(*) AS plays, SUM(ms) AS ms FROM w
GROUP BY user_id, kind ORDER BY user_id, kind"""
_ARTISTS = """SELECT user_id, rank, name, plays, ms FROM (
  SELECT user_id, artist AS name, COUNT(*) AS plays, SUM(ms) AS ms,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY SUM(ms) DESC, COUNT(*) DESC, artist) AS rank
  FROM w WHERE kind = 'track' AND artist IS NOT NULL GROUP BY user_id, artist
) WHERE rank <= $k ORDER BY user_id, rank"""
_TRACKS = """SELECT user_id, rank, name, "by", plays, ms FROM (
  SELECT user_id, track AS name, artist AS "by", COUNT(*) AS plays, SUM(ms) AS ms,
         ROW_NUMBER() OVER (PARTITION BY user_id
                            ORDER BY SUM(ms) DESC, COUNT(*) DESC, track, artist) AS rank
  FROM w WHERE kind = 'track' AND artist IS NOT NULL AND track IS NOT NULL
  GROUP BY user_id, artist, track
) WHERE rank <= $k ORDER BY user_id, rank"""
_DAYS = """SELECT user_id, day, COUNT(*) AS plays, SUM(ms) AS ms FROM w
GROUP BY user_id, day ORDER BY user_id, day"""


def duckdb_core(
    events: pd.DataFrame,
    zones: pd.DataFrame,
    start: date,
    end: date,
    k: int,
    *,
    threads: int | None = None,
) -> CoreFrames:
    """Core aggregates in DuckDB. `zones`: user_id -> tz (as resolved by the stats)."""
    import duckdb

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.register("events", events[["user_id", "ts", "ms_played", "kind", "artist", "track"]])
    con.register("zones", zones)
    params = {"start": start, "stop": end}

    def q(sql: str, extra: dict[str, Any] | None = None) -> pd.DataFrame:
        return con.execute(_SQL + sql, {**params, **(extra or {})}).df()

    out = CoreFrames(
        totals=q(_TOTALS),
        top_artists=q(_ARTISTS, {"k": k}),
        top_tracks=q(_TRACKS, {"k": k}),
        days=q(_DAYS),
    )
    con.close()
    return _normalize(out)


def duckdb_query(
    events: pd.DataFrame, zones: pd.DataFrame, start: date, end: date, sql: str, **params: Any
) -> pd.DataFrame:
    """One more query over the same window view `w` as `duckdb_core` (for tests' own SQL)."""
    import duckdb

    con = duckdb.connect()
    con.register("events", events[["user_id", "ts", "ms_played", "kind", "artist", "track"]])
    con.register("zones", zones)
    try:
        return con.execute(_SQL + sql, {"start": start, "stop": end, **params}).df()
    finally:
        con.close()


def pandas_core(p: Prepared, c: Core, k: int) -> CoreFrames:
    """The same frames from the pandas/numpy path."""
    users = p.users
    kinds = np.array(["track", "episode", "audiobook"], dtype=object)
    u, kd = np.nonzero(c.plays_kind)
    totals = pd.DataFrame(
        {
            "user_id": users[u],
            "kind": kinds[kd],
            "plays": c.plays_kind[u, kd],
            "ms": c.ms_kind[u, kd],
        }
    )

    def top(r: Ranking, space: KeySpace) -> pd.DataFrame:
        t = r.top(k)
        df = pd.DataFrame(
            {
                "user_id": users[r.group[t]],
                "rank": r.pos[t] + 1,
                "name": space.names[r.item[t]],
                "plays": r.plays[t],
                "ms": r.ms[t],
            }
        )
        if space.by is not None:
            df.insert(3, "by", space.by[r.item[t]])
        return df

    days = pd.DataFrame(
        {
            "user_id": users[c.ud_user],
            "day": [day_to_date(d) for d in c.ud_day.tolist()],
            "plays": c.ud_plays,
            "ms": c.ud_ms,
        }
    )
    return _normalize(
        CoreFrames(
            totals=totals,
            top_artists=top(c.artists, p.spaces["artist"]),
            top_tracks=top(c.tracks, p.spaces["track"]),
            days=days,
        )
    )


def _normalize(f: CoreFrames) -> CoreFrames:
    """Plain dtypes and a canonical row order, so frames compare with `equals`."""
    out = []
    for df, keys in zip(
        f,
        (["user_id", "kind"], ["user_id", "rank"], ["user_id", "rank"], ["user_id", "day"]),
        strict=True,
    ):
        df = df.copy()
        for col in df.columns:
            if col in ("plays", "ms", "rank"):
                df[col] = df[col].astype("int64")
            elif col == "day":
                df[col] = pd.to_datetime(df[col]).dt.date
            else:
                df[col] = df[col].astype(object)
        out.append(df.sort_values(keys, kind="stable").reset_index(drop=True))
    return CoreFrames(*out)


def zones_frame(p: Prepared) -> pd.DataFrame:
    """user_id -> resolved zone, for `duckdb_core`."""
    return pd.DataFrame(
        {"user_id": pd.array(p.users, dtype="string"), "tz": pd.array(p.zones, dtype="string")}
    )
