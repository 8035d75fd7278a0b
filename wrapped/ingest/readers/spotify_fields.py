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

import functools
from enum import Enum
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wrapped.ingest.readers import Staged, majority
from wrapped.ingest.validate import flag, ns_utc, parse_iso, staged


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
    ts = ns_utc(raw.ts)
    odd = (ts.isna() & raw.text["ts"].notna()).to_numpy()
    if odd.any():  # anything but Spotify's own format gets pandas' ISO-8601 parser
        ts = ts.copy()
        ts[odd] = ns_utc(parse_iso(raw.text["ts"][odd]))
    return ts


def _arrow(s: pd.Series) -> pa.Array:
    return pa.array(s.array, type=pa.large_string())  # pandas' own Arrow type: no copy


def _series(a: pa.Array | pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(a), dtype="string")


def _one_of(*masked: pa.ChunkedArray) -> pa.ChunkedArray:
    """The values of columns that are never valid on the same row (each masked by its kind):
    the one column with any value as it is, else their coalesce (a copy; Arrow's if_else
    builds strings several times faster than its coalesce)."""
    given = [m for m in masked if m.null_count < len(m)] or [masked[0]]
    out = given[-1]
    for m in reversed(given[:-1]):
        out = pc.if_else(pc.is_valid(m), m, out)
    return out


def _null_unless(cond: pa.Array | pa.ChunkedArray, a: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`a` where `cond` (never null), else null. Each chunk keeps its offsets and bytes and only
    gets a new validity bitmap: pc.if_else would copy every name of a million records."""
    cond = cond.combine_chunks() if isinstance(cond, pa.ChunkedArray) else cond
    chunks, pos = [], 0
    for chunk in a.chunks if isinstance(a, pa.ChunkedArray) else [a]:
        n = len(chunk)
        part = cond.slice(pos, n)
        pos += n
        keep = pc.and_(pc.is_valid(chunk), part)
        if chunk.offset or keep.offset:  # bitmaps that do not line up: let Arrow copy
            chunks.append(pc.if_else(part, chunk, pa.scalar(None, chunk.type)))
            continue
        buffers = chunk.buffers()
        chunks.append(pa.Array.from_buffers(chunk.type, n, [keep.buffers()[1], *buffers[1:]]))
    return pa.chunked_array(chunks, a.type)


def _names(s: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """kind, names and uri from Spotify's fields, in Arrow compute: this runs on every record
    of a history (a million for a heavy listener), where pandas' `where` on strings is slow."""
    a = {k: _arrow(v) for k, v in s.items()}

    def any_of(*names: str) -> pa.Array:  # some of these fields is given (no name copied)
        return functools.reduce(pc.or_, (pc.is_valid(a[n]) for n in names))

    is_track = any_of("master_metadata_track_name", "spotify_track_uri")
    is_ep = pc.and_not(any_of("episode_name", "spotify_episode_uri"), is_track)
    is_book = pc.and_not(
        pc.and_not(any_of("audiobook_title", "audiobook_chapter_uri", "audiobook_uri"), is_track),
        is_ep,
    )
    book_uri = pc.coalesce(a["audiobook_chapter_uri"], a["audiobook_uri"])
    null = pa.scalar(None, pa.large_string())
    kind = pc.if_else(
        is_track,
        "track",
        pc.if_else(
            is_ep, "episode", pc.if_else(is_book, "audiobook", pa.scalar(None, pa.string()))
        ),
    )
    country = pc.utf8_upper(a["conn_country"])
    track = {k: _null_unless(is_track, a[k]) for k in ("master_metadata_track_name",
             "master_metadata_album_artist_name", "master_metadata_album_album_name",
             "spotify_track_uri")}  # fmt: skip
    episode = {k: _null_unless(is_ep, a[k]) for k in ("episode_show_name", "episode_name",
               "spotify_episode_uri")}  # fmt: skip
    book = {k: _null_unless(is_book, a[k]) for k in ("audiobook_title",
            "audiobook_chapter_title")}  # fmt: skip
    book_uri = _null_unless(is_book, book_uri)
    return {
        "kind": _series(kind),
        "track": _series(track["master_metadata_track_name"]),
        "artist": _series(track["master_metadata_album_artist_name"]),
        "album": _series(track["master_metadata_album_album_name"]),
        "show": _series(_one_of(episode["episode_show_name"], book["audiobook_title"])),
        "episode": _series(_one_of(episode["episode_name"], book["audiobook_chapter_title"])),
        "uri": _series(
            _one_of(track["spotify_track_uri"], episode["spotify_episode_uri"], book_uri)
        ),
        "reason_start": s["reason_start"],
        "reason_end": s["reason_end"],
        "country": _series(pc.if_else(pc.equal(country, "ZZ"), null, country)),
    }


def stage(raw: Raw, *, name_account: bool = True) -> Staged:
    """The staged frame of one or more files' records (see validate.py), from any path.

    `name_account=False` skips naming the file's account (a multi-file batch names each file's).
    """
    frame = staged(
        {
            **_names(raw.text),
            "ts": _timestamps(raw),
            "ms_played": raw.ms,
            "skipped": raw.bools["skipped"][0],
            "shuffle": raw.bools["shuffle"][0],
            "offline": raw.offline,
        },
        raw.n,
    )
    s = raw.text
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
    return Staged(frame, majority(s["username"]) if name_account else None)
