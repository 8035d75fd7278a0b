"""Spotify *Extended streaming history* (`Streaming_History_Audio_*.json`, old `endsong_*.json`).

Three real layouts (with `audiobook_*`, without, and old `endsong` with `username`/`ip_addr_
decrypted`/`user_agent_decrypted`); nulls everywhere; '' for unknown. Only the fields below are
ever read: IP, user agent, platform (device) and offline timestamps never enter memory as
columns. This is the exact path: any file the fast DuckDB path (spotify_fast.py) cannot take
whole comes here, where a bad record is rejected with its reason and a broken file is named in
an InputError. Both paths stage records identically (a parity test keeps them so).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged, majority
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import (
    as_bool,
    as_int,
    as_str,
    flag,
    kind_from,
    parse_iso,
    staged,
)

STR_FIELDS = (
    "ts",
    "master_metadata_track_name",
    "master_metadata_album_artist_name",
    "master_metadata_album_album_name",
    "spotify_track_uri",
    "episode_name",
    "episode_show_name",
    "spotify_episode_uri",
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
    "reason_start",
    "reason_end",
    "conn_country",
    "username",  # account name: used to name the listener, then discarded
)
BOOL_FIELDS = ("shuffle", "skipped", "incognito_mode")
INT_FIELDS = ("ms_played",)

EXPECTED = "expected a Spotify extended streaming history (a JSON array of plays)"


def _python_columns(source: Source) -> dict[str, object]:
    try:
        data = json.loads(source.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc}); {EXPECTED}", file=source.where) from None
    if not isinstance(data, list):
        raise InputError(f"not a JSON array; {EXPECTED}", file=source.where)
    not_obj = np.fromiter((not isinstance(r, dict) for r in data), bool, len(data))
    recs = [r if isinstance(r, dict) else {} for r in data]
    out: dict[str, object] = {"_n": len(recs), "_not_obj": not_obj}
    bad_str = np.zeros(len(recs), dtype=bool)
    for f in STR_FIELDS:
        s, bad = as_str([r.get(f) for r in recs])
        out[f] = s
        bad_str |= bad
    out["_bad_str"] = bad_str
    val, bad, missing = as_int([r.get("ms_played") for r in recs])
    out["ms_played"] = (val, bad, missing)
    for b in BOOL_FIELDS:
        out[b] = as_bool([r.get(b) for r in recs])
    return out


def _stage(c: dict[str, object]) -> Staged:
    n = int(c["_n"])  # type: ignore[arg-type]
    s = {k: v for k, v in c.items() if isinstance(v, pd.Series)}
    track, artist, album = (
        s["master_metadata_track_name"],
        s["master_metadata_album_artist_name"],
        s["master_metadata_album_album_name"],
    )
    ep_name, show = s["episode_name"], s["episode_show_name"]
    book, chapter = s["audiobook_title"], s["audiobook_chapter_title"]
    track_id = track.fillna(s["spotify_track_uri"])
    ep_id = ep_name.fillna(s["spotify_episode_uri"])
    book_id = book.fillna(s["audiobook_uri"]).fillna(s["audiobook_chapter_uri"])
    kind = kind_from(track_id, ep_id, book_id)
    is_ep, is_book, is_track = kind == "episode", kind == "audiobook", kind == "track"
    book_uri = s["audiobook_chapter_uri"].fillna(s["audiobook_uri"])
    uri = s["spotify_track_uri"].where(is_track, s["spotify_episode_uri"].where(is_ep, book_uri))
    country = s["conn_country"].str.upper()
    ms, ms_bad, ms_missing = c["ms_played"]  # type: ignore[misc]
    shuffle, shuffle_bad = c["shuffle"]  # type: ignore[misc]
    skipped, skipped_bad = c["skipped"]  # type: ignore[misc]
    incognito, incognito_bad = c["incognito_mode"]  # type: ignore[misc]
    frame = staged(
        {
            "ts": parse_iso(s["ts"]),
            "ms_played": ms,
            "kind": kind,
            "track": track.where(is_track),
            "artist": artist.where(is_track),
            "album": album.where(is_track),
            "show": show.where(is_ep, book.where(is_book)),
            "episode": ep_name.where(is_ep, chapter.where(is_book)),
            "uri": uri,
            "reason_start": s["reason_start"],
            "reason_end": s["reason_end"],
            "skipped": skipped,
            "shuffle": shuffle,
            "country": country.mask(country == "ZZ"),
        },
        n,
    )
    frame.loc[incognito.fillna(False).to_numpy(dtype=bool), "drop"] = "incognito_mode"
    if "_not_obj" in c:
        flag(frame, c["_not_obj"], "wrong_type", None, "record is not a JSON object")  # type: ignore[arg-type]
        flag(frame, c["_bad_str"], "wrong_type", None, "a text field holds an object or list")  # type: ignore[arg-type]
    flag(frame, s["ts"].isna().to_numpy(), "missing_field", "ts", "ts is missing")
    flag(frame, ms_bad, "wrong_type", "ms_played", "ms_played is not an integer")
    flag(frame, ms_missing, "missing_field", "ms_played", "ms_played is missing")
    for name, bad in (
        ("shuffle", shuffle_bad),
        ("skipped", skipped_bad),
        ("incognito_mode", incognito_bad),
    ):
        flag(frame, bad, "wrong_type", name, f"{name} is not true/false")
    return Staged(frame, majority(s["username"]))


def read(source: Source) -> Staged:
    """Read one extended-history file the exact way (record by record, in Python)."""
    return _stage(_python_columns(source))
