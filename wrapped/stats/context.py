"""What is known beyond the events: listener profiles, event countries, the music catalog.

`listeners` puts a listener's context together: code, profile, country and time zone.

Profiles give country, tier, birth date and time zone per listener (None when unknown); where a
profile names no country, the listener's most frequent event country stands in. The catalog gives
each artist a primary genre and each track a release year.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.stats import tz as tzmod
from wrapped.stats.keys import KeySpace


def profiles_for(users: np.ndarray, profiles: pd.DataFrame | None) -> dict[str, list[Any]]:
    """Profile columns aligned with `users` as plain lists (None when unknown)."""
    cols = ["country", "tier", "birth_date", "timezone"]
    if profiles is None or len(profiles) == 0:
        return {c: [None] * len(users) for c in cols}
    if "user_id" not in profiles.columns:
        raise InputError("profiles table has no 'user_id' column")
    p = profiles.drop_duplicates("user_id", keep="last").set_index("user_id")
    p = p.reindex(pd.Index(users, dtype=object))
    out = {}
    for c in cols:
        col = p[c] if c in p.columns else pd.Series(None, index=p.index)
        out[c] = [None if pd.isna(v) or v == "" else str(v) for v in col.astype(object)]
    return out


def parse_birth(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def event_countries(uid: np.ndarray, country: pd.Series, n_users: int) -> list[str | None]:
    """Most frequent event country per listener (ties: alphabetical), None when none."""
    codes, uniq = pd.factorize(country, sort=True)
    uniq = np.asarray(uniq, dtype=object)
    ok = codes >= 0
    out: list[str | None] = [None] * n_users
    if not ok.any():
        return out
    k = len(uniq)
    counts = np.bincount(uid[ok] * k + codes[ok], minlength=n_users * k).reshape(n_users, k)
    best = counts.argmax(axis=1)  # first max = alphabetical among ties (uniques sorted)
    has = counts.max(axis=1) > 0
    names = uniq[best].tolist()
    return [str(nm) if h else None for nm, h in zip(names, has.tolist(), strict=True)]


def catalog_lookup(
    catalog: pd.DataFrame | None, artists: KeySpace, tracks: KeySpace
) -> tuple[np.ndarray, KeySpace, np.ndarray]:
    """Per artist code: primary genre code (-1 unknown); genre space; per track code: year."""
    art_genre = np.full(len(artists), -1, dtype=np.int64)
    track_year = np.full(len(tracks), -1, dtype=np.int64)
    empty = KeySpace(names=np.array([], dtype=object), by=None, rank=np.zeros(0, np.int64))
    if catalog is None or len(catalog) == 0:
        return art_genre, empty, track_year
    cat = catalog.copy()
    for c in ("artist", "track", "genres"):
        if c not in cat.columns:
            cat[c] = pd.NA
    # genres: artist-level rows first (track null), then any row of the artist
    g = cat[cat["genres"].notna() & (cat["genres"].astype(str).str.strip() != "")]
    g = g.assign(_lvl=g["track"].notna().astype(int)).sort_values("_lvl", kind="stable")
    g = g.drop_duplicates("artist", keep="first")
    primary = g["genres"].astype(str).str.split(";").str[0].str.strip()
    genre_of = dict(zip(g["artist"].astype(str).tolist(), primary.tolist(), strict=True))
    genre_names = np.array(sorted({v for v in genre_of.values() if v}), dtype=object)
    gidx = {n: i for i, n in enumerate(genre_names)}
    for i, a in enumerate(artists.names):
        gname = genre_of.get(a)
        if gname:
            art_genre[i] = gidx[gname]
    genres = KeySpace(names=genre_names, by=None, rank=np.arange(len(genre_names)))
    if "release_year" in cat.columns and len(tracks):
        y = cat[cat["track"].notna() & cat["release_year"].notna()]
        y = y.drop_duplicates(["artist", "track"], keep="first")
        years = {
            (str(a), str(t)): int(v)
            for a, t, v in zip(
                y["artist"].tolist(), y["track"].tolist(), y["release_year"].tolist(), strict=True
            )
        }
        if years:
            assert tracks.by is not None  # a track's key space always holds its artist
            track_year = np.fromiter(
                (years.get((b, n), -1) for n, b in zip(tracks.names, tracks.by, strict=True)),
                dtype=np.int64,
                count=len(tracks),
            )
    return art_genre, genres, track_year


class Listeners(NamedTuple):
    """Who the events belong to, and each listener's context and time zone."""

    uid_all: np.ndarray  # per event: listener code (index into `users`)
    users: np.ndarray  # object array of user ids, sorted
    prof: dict[str, list[Any]]  # profile columns aligned with `users`
    countries: list[str | None]
    zones: list[str]
    sources: list[str]
    zone_names: list[str]  # distinct zones ...
    zone_of_user: np.ndarray  # ... and each listener's index into them


def listeners(
    events: pd.DataFrame, profiles: pd.DataFrame | None, override: str | None
) -> Listeners:
    """Listener codes, profiles, countries (profile first, else the events') and time zones."""
    uid_all, users = pd.factorize(events["user_id"], sort=True)
    users = np.asarray(users, dtype=object)
    n_users = len(users)
    prof = profiles_for(users, profiles)
    if all(prof["country"]):  # every profile names a country: the event column is not needed
        ev_country: list[str | None] = [None] * n_users
    else:
        ev_country = event_countries(uid_all, events["country"], n_users)
    countries = [
        (p.upper() if p else None) or c for p, c in zip(prof["country"], ev_country, strict=True)
    ]
    zones, sources = tzmod.resolve_zones(override, list(prof["timezone"]), countries)
    zone_names, zone_of_user = np.unique(np.array(zones, dtype=object), return_inverse=True)
    return Listeners(
        uid_all, users, prof, countries, zones, sources, [str(z) for z in zone_names], zone_of_user
    )
