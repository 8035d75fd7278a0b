"""Spotify *account data* (`StreamingHistory*.json`, `_music_`/`_podcast_`/`_audiobook_` files)
and its `Userdata.json`.

A year of plays with minute precision: `endTime` "YYYY-MM-DD HH:MM" (UTC), `msPlayed`, and the
names; no URIs, skips or shuffle. From Userdata.json only the country and birth date are taken
(for time zone, age band and the birthday story); the username only names the listener and is
hashed; e-mail, gender, postal code, phone and the rest are never read.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged, load_json, load_records
from wrapped.ingest.scan import RecordLimits
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import as_int, as_str, birth_dates, flag, kind_from, staged

EXPECTED = "expected a Spotify account-data streaming history (a JSON array of plays)"


def _load(source: Source, expected: str) -> object:
    return load_json(source.text(), expected, source.where)


def read(source: Source, limits: RecordLimits = RecordLimits()) -> Staged:
    """Read one account-data streaming history file."""
    data, too_big = load_records(source.text(), EXPECTED, source.where, limits)
    if not isinstance(data, list):
        raise InputError(f"not a JSON array; {EXPECTED}", file=source.where)
    not_obj = np.fromiter((not isinstance(r, dict) for r in data), bool, len(data))
    recs = [r if isinstance(r, dict) else {} for r in data]
    col: dict[str, pd.Series] = {}
    bad_str = np.zeros(len(recs), dtype=bool)
    for key in (
        "endTime",
        "artistName",
        "trackName",
        "podcastName",
        "episodeName",
        "audiobookName",
        "chapterName",
    ):
        col[key], bad = as_str([r.get(key) for r in recs])
        bad_str |= bad
    ms, ms_bad, ms_missing = as_int([r.get("msPlayed") for r in recs])
    kind = kind_from(
        col["trackName"].fillna(col["artistName"]),
        col["episodeName"].fillna(col["podcastName"]),
        col["audiobookName"].fillna(col["chapterName"]),
    )
    is_t, is_e, is_b = kind == "track", kind == "episode", kind == "audiobook"
    ts = pd.to_datetime(col["endTime"], format="%Y-%m-%d %H:%M", utc=True, errors="coerce")
    frame = staged(
        {
            "ts": ts,
            "ms_played": ms,
            "kind": kind,
            "track": col["trackName"].where(is_t),
            "artist": col["artistName"].where(is_t),
            "show": col["podcastName"].where(is_e, col["audiobookName"].where(is_b)),
            "episode": col["episodeName"].where(is_e, col["chapterName"].where(is_b)),
        },
        len(recs),
    )
    flag(frame, too_big, "record_too_large", None, limits.detail())
    flag(frame, not_obj, "wrong_type", None, "record is not a JSON object")
    flag(frame, bad_str, "wrong_type", None, "a text field holds an object or list")
    flag(frame, col["endTime"].isna().to_numpy(), "missing_field", "endTime", "endTime is missing")
    flag(frame, ms_bad, "wrong_type", "msPlayed", "msPlayed is not an integer")
    flag(frame, ms_missing, "missing_field", "msPlayed", "msPlayed is missing")
    return Staged(frame)


class UserData(NamedTuple):
    """The only things kept from Userdata.json (the username is hashed, never stored)."""

    account: str | None
    country: str | None
    birth_date: str | None


def read_userdata(source: Source) -> UserData:
    """Country and birth date from Userdata.json; everything else stays behind."""
    data = _load(source, "expected Spotify Userdata.json (a JSON object)")
    if not isinstance(data, dict):
        raise InputError("not a JSON object; expected Spotify Userdata.json", file=source.where)

    def text(key: str) -> str | None:
        v = data.get(key)
        return v.strip() if isinstance(v, str) and v.strip() else None

    country = text("country")
    country = country.upper() if country and len(country) == 2 and country.isalpha() else None
    born = birth_dates(pd.Series([text("birthdate")], dtype="string")).iloc[0]
    birth = None if pd.isna(born) else str(born)
    return UserData(text("username"), country, birth)
