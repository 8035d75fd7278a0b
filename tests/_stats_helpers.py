"""Builders for small hand-written stats fixtures and an independent fact recomputation."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from wrapped.events import conform
from wrapped.settings import Settings
from wrapped.stats.model import InterestingDay, UserYear, ms_to_minutes

NOSTALGIA_YEARS = 10  # restated here on purpose: a change in the code must break a test


def play(
    user: str,
    ts: str,
    ms: int,
    *,
    track: str | None = "Song",
    artist: str | None = "Artist",
    album: str | None = None,
    kind: str = "track",
    show: str | None = None,
    episode: str | None = None,
    **extra: Any,
) -> dict:
    """One canonical event row; `ts` is UTC ISO ("2024-01-01T09:00")."""
    if kind != "track":
        track = track if kind == "audiobook" else None
        artist = None if kind == "episode" else artist
    return {
        "user_id": user,
        "ts": pd.Timestamp(ts, tz="UTC"),
        "ms_played": ms,
        "kind": kind,
        "track": track,
        "artist": artist,
        "album": album,
        "show": show,
        "episode": episode,
        **extra,
    }


def episode(user: str, ts: str, ms: int, show: str = "Pod", ep: str = "Ep 1") -> dict:
    return play(user, ts, ms, kind="episode", show=show, episode=ep)


def events(rows: list[dict]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows))


def profiles(*rows: dict) -> pd.DataFrame:
    cols = ["user_id", "country", "tier", "birth_date", "timezone"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols).astype("string")


def catalog(
    tracks: dict[tuple[str, str], int] | None = None, genres: dict[str, str] | None = None
) -> pd.DataFrame:
    rows = [
        {"artist": a, "track": None, "album": None, "release_year": None, "genres": g}
        for a, g in (genres or {}).items()
    ]
    rows += [
        {"artist": a, "track": t, "album": None, "release_year": y, "genres": None}
        for (a, t), y in (tracks or {}).items()
    ]
    df = pd.DataFrame(rows, columns=["artist", "track", "album", "release_year", "genres"])
    return df.astype(
        {
            "artist": "string",
            "track": "string",
            "album": "string",
            "release_year": "Int64",
            "genres": "string",
        }
    )


def settings(**kw: Any) -> Settings:
    base = {"min_plays": 1, "min_minutes": 0}
    base.update(kw)
    return Settings(**base)


def by_user(years: list[UserYear]) -> dict[str, UserYear]:
    return {u.user_id: u for u in years}


def _best(totals: dict[Any, list[int]]) -> Any:
    """Documented tie-break: ms desc, plays desc, then name (tuple) asc."""
    return sorted(totals, key=lambda k: (-totals[k][0], -totals[k][1], k))[0]


def recompute_facts(day: InterestingDay, uy: UserYear) -> dict:
    """Every fact of `day`, recomputed independently from its (uncapped) log and the UserYear."""
    log = day.log
    assert day.log_total == len(log), "log is capped: facts cannot be recomputed from it"
    f: dict = {"minutes": ms_to_minutes(sum(e.ms for e in log)), "plays": len(log)}
    music = [e for e in log if e.kind == "track"]
    pods = [e for e in log if e.kind == "episode"]
    if music:
        f["music_minutes"] = ms_to_minutes(sum(e.ms for e in music))
        f["music_plays"] = len(music)
        f["distinct_artists"] = len({e.by for e in music if e.by is not None})
    if pods:
        f["podcast_minutes"] = ms_to_minutes(sum(e.ms for e in pods))
        f["podcast_plays"] = len(pods)
    arts: dict = defaultdict(lambda: [0, 0])
    tracks: dict = defaultdict(lambda: [0, 0])
    for e in music:
        if e.by is not None:
            arts[e.by][0] += e.ms
            arts[e.by][1] += 1
            if e.title != "(unknown)":
                tracks[(e.title, e.by)][0] += e.ms
                tracks[(e.title, e.by)][1] += 1
    if arts:
        a = _best(arts)
        f.update(
            top_artist=a, top_artist_minutes=ms_to_minutes(arts[a][0]), top_artist_plays=arts[a][1]
        )
    if tracks:
        t = _best(tracks)
        f.update(top_track=t[0], top_track_artist=t[1], top_track_plays=tracks[t][1])
    f["first_play"], f["last_play"] = log[0].time, log[-1].time
    cat = day.category
    if cat == "biggest_podcast_day":
        shows: dict = defaultdict(lambda: [0, 0])
        for e in pods:
            shows[e.by][0] += e.ms
            shows[e.by][1] += 1
        if shows:
            s = _best(shows)
            f.update(top_show=s, top_show_minutes=ms_to_minutes(shows[s][0]))
    elif cat == "biggest_discovery_day":
        new: dict = defaultdict(lambda: [0, 0])
        for e in music:
            if e.new_artist:
                new[e.by][0] += e.ms
                new[e.by][1] += 1
        f["new_artists"] = len(new)
        if new:
            f["top_new_artist"] = _best(new)
    elif cat == "biggest_top_artist_day":
        name = uy.top_artists[0].name
        mine = [e for e in music if e.by == name]
        f.update(year_top_artist=name, year_top_artist_minutes=ms_to_minutes(sum(e.ms for e in mine)),
                 year_top_artist_plays=len(mine))  # fmt: skip
    elif cat == "biggest_top_genre_day":
        name = uy.top_genres[0].name
        mine = [e for e in music if e.genre == name]
        f.update(year_top_genre=name, year_top_genre_minutes=ms_to_minutes(sum(e.ms for e in mine)),
                 year_top_genre_plays=len(mine))  # fmt: skip
    elif cat == "most_nostalgic_day":
        cutoff = uy.window.year - NOSTALGIA_YEARS
        old = [e for e in music if e.release_year is not None and e.release_year <= cutoff]
        f.update(throwback_minutes=ms_to_minutes(sum(e.ms for e in old)), throwback_plays=len(old),
                 throwback_cutoff_year=cutoff)  # fmt: skip
        dated = [e for e in music if e.release_year is not None and e.title != "(unknown)"]
        if dated:
            o = sorted(dated, key=lambda e: (e.release_year, e.title, e.by))[0]
            f.update(
                oldest_track=o.title, oldest_track_artist=o.by, oldest_release_year=o.release_year
            )
    elif cat == "birthday" and uy.birth_date is not None:
        f["age"] = uy.window.year - uy.birth_date.year
    return f
