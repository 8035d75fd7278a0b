"""The one table of Spotify extended-history fields, and the one staging step every reader shares.

Spotify's extended streaming history reaches us three ways: JSON parsed record by record in
Python (spotify_extended.py, the exact path), JSON scanned by DuckDB (spotify_fast.py, the fast
path) and the same fields saved as CSV (what pandas' `to_csv` gives). Each way only turns its
input into raw typed columns named as in FIELDS; `stage` then makes the canonical staged frame
from them, so a field's meaning, type and cleaning are written down once.

Only these fields are ever read. IP addresses, user agents, platform (device strings) and
`offline` never enter memory as columns. `offline_timestamp` is read as a number for one purpose:
two plays synced from offline with the same `ts`, track and length are still two plays when their
offline timestamps differ (the duplicate key), and it is dropped with the other staging columns.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.ingest.readers import Staged, majority
from wrapped.ingest.validate import flag, kind_from, parse_iso, staged


class Kind(Enum):
    """How a field's raw value is typed and cleaned (the same on every path)."""

    NAME = "name"  # free text: stripped, '' is null
    CODE = "code"  # machine text (ids, codes, timestamps): '' is null, never padded, not stripped
    INT = "int"  # an integer only ('12', 1.5 or true are wrong types, never coerced)
    BOOL = "bool"  # true/false or null; anything else is a wrong type
    NUMBER = "number"  # any number, else null (never a reason to reject)


class SpotifyField(NamedTuple):
    """One field of Spotify's extended streaming history."""

    name: str
    kind: Kind


FIELDS: tuple[SpotifyField, ...] = (
    SpotifyField("ts", Kind.CODE),
    SpotifyField("ms_played", Kind.INT),
    SpotifyField("master_metadata_track_name", Kind.NAME),
    SpotifyField("master_metadata_album_artist_name", Kind.NAME),
    SpotifyField("master_metadata_album_album_name", Kind.NAME),
    SpotifyField("spotify_track_uri", Kind.CODE),
    SpotifyField("episode_name", Kind.NAME),
    SpotifyField("episode_show_name", Kind.NAME),
    SpotifyField("spotify_episode_uri", Kind.CODE),
    SpotifyField("audiobook_title", Kind.NAME),
    SpotifyField("audiobook_uri", Kind.CODE),
    SpotifyField("audiobook_chapter_uri", Kind.CODE),
    SpotifyField("audiobook_chapter_title", Kind.NAME),
    SpotifyField("reason_start", Kind.CODE),
    SpotifyField("reason_end", Kind.CODE),
    SpotifyField("conn_country", Kind.CODE),
    SpotifyField("shuffle", Kind.BOOL),
    SpotifyField("skipped", Kind.BOOL),
    SpotifyField("incognito_mode", Kind.BOOL),
    SpotifyField("offline_timestamp", Kind.NUMBER),  # duplicate key only, then dropped
    SpotifyField("username", Kind.NAME),  # names the listener, then hashed (never stored)
)

TEXT = tuple(f.name for f in FIELDS if f.kind in (Kind.NAME, Kind.CODE))
NAMES = frozenset(f.name for f in FIELDS if f.kind is Kind.NAME)
BOOLS = tuple(f.name for f in FIELDS if f.kind is Kind.BOOL)
#: Columns that say a CSV holds Spotify extended history (beside `ts` and `ms_played`).
CSV_MARKERS = frozenset(
    {"spotify_track_uri", "spotify_episode_uri", "episode_name", "reason_start", "conn_country"}
)


class Raw(NamedTuple):
    """One path's typed columns of the records it read, before staging.

    `text` maps every TEXT field to a string Series (null for missing or blank); the flag arrays
    are True where a value had the wrong type. `ts` may be given already parsed (the DuckDB path
    parses Spotify's own format in C++); null there means "parse `text['ts']`".
    """

    n: int
    text: dict[str, pd.Series]
    ms: pd.Series  # Int64
    ms_bad: np.ndarray
    ms_missing: np.ndarray
    bools: dict[str, tuple[pd.Series, np.ndarray]]  # boolean values, wrong-type flags
    offline: pd.Series  # Float64
    not_obj: np.ndarray | None = None  # record is not an object (JSON paths)
    bad_str: np.ndarray | None = None  # a text field held an object or list (JSON paths)
    ts: pd.Series | None = None


def _timestamps(raw: Raw) -> pd.Series:
    if raw.ts is None:
        return parse_iso(raw.text["ts"])
    ts = raw.ts
    odd = (ts.isna() & raw.text["ts"].notna()).to_numpy()
    if odd.any():  # anything but Spotify's own format gets pandas' ISO-8601 parser
        ts = ts.copy()
        ts[odd] = parse_iso(raw.text["ts"][odd])
    return ts


def stage(raw: Raw) -> Staged:
    """The staged frame of one or more files' records (see validate.py), from any path."""
    s = raw.text
    track, artist, album = (
        s["master_metadata_track_name"],
        s["master_metadata_album_artist_name"],
        s["master_metadata_album_album_name"],
    )
    ep_name, show = s["episode_name"], s["episode_show_name"]
    book, chapter = s["audiobook_title"], s["audiobook_chapter_title"]
    kind = kind_from(
        track.fillna(s["spotify_track_uri"]),
        ep_name.fillna(s["spotify_episode_uri"]),
        book.fillna(s["audiobook_uri"]).fillna(s["audiobook_chapter_uri"]),
    )
    is_ep, is_book, is_track = kind == "episode", kind == "audiobook", kind == "track"
    book_uri = s["audiobook_chapter_uri"].fillna(s["audiobook_uri"])
    uri = s["spotify_track_uri"].where(is_track, s["spotify_episode_uri"].where(is_ep, book_uri))
    country = s["conn_country"].str.upper()
    frame = staged(
        {
            "ts": _timestamps(raw),
            "ms_played": raw.ms,
            "kind": kind,
            "track": track.where(is_track),
            "artist": artist.where(is_track),
            "album": album.where(is_track),
            "show": show.where(is_ep, book.where(is_book)),
            "episode": ep_name.where(is_ep, chapter.where(is_book)),
            "uri": uri,
            "reason_start": s["reason_start"],
            "reason_end": s["reason_end"],
            "skipped": raw.bools["skipped"][0],
            "shuffle": raw.bools["shuffle"][0],
            "country": country.mask(country == "ZZ"),
            "offline": raw.offline,
        },
        raw.n,
    )
    incognito = raw.bools["incognito_mode"][0].fillna(False).to_numpy(dtype=bool)
    if incognito.any():
        frame.loc[incognito, "drop"] = "incognito_mode"
    if raw.not_obj is not None:
        flag(frame, raw.not_obj, "wrong_type", None, "record is not a JSON object")
    if raw.bad_str is not None:
        flag(frame, raw.bad_str, "wrong_type", None, "a text field holds an object or list")
    flag(frame, s["ts"].isna().to_numpy(), "missing_field", "ts", "ts is missing")
    flag(frame, raw.ms_bad, "wrong_type", "ms_played", "ms_played is not an integer")
    flag(frame, raw.ms_missing, "missing_field", "ms_played", "ms_played is missing")
    for name in BOOLS:
        flag(frame, raw.bools[name][1], "wrong_type", name, f"{name} is not true/false")
    return Staged(frame, majority(s["username"]))
