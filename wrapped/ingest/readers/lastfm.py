"""Last.fm scrobble CSV exports, with or without a header.

Two shapes are common: the classic four columns `artist,album,track,date` (date like
"31 Jan 2024 14:25", often without a header) and lastfm-to-csv's `uts,utc_time,artist,
artist_mbid,album,album_mbid,track,track_mbid`. Times are UTC, when the scrobble started.
Last.fm keeps no play length, so each scrobble counts as SCROBBLE_MS.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged
from wrapped.ingest.readers.listenbrainz import SCROBBLE_MS
from wrapped.ingest.scan import RecordLimits, row_sizes
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import flag, ns_utc, null_blank, staged

HEADERLESS = ["artist", "album", "track", "date"]
_DATE_FORMATS = ("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "ISO8601")


def _parse_dates(text: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    for fmt in _DATE_FORMATS:
        missing = out.isna()
        if not missing.any():
            break
        out[missing] = ns_utc(pd.to_datetime(text[missing], format=fmt, utc=True, errors="coerce"))
    return out


def read(source: Source, limits: RecordLimits = RecordLimits()) -> Staged:
    """Read one Last.fm scrobble CSV (a row over `limits.max_bytes` is a rejected record)."""
    text = source.text()
    first = next(csv.reader(io.StringIO(text.splitlines()[0] if text.strip() else "")), [])
    has_header = {"artist", "track"} <= {c.strip().lower() for c in first}
    try:
        df = pd.read_csv(
            io.StringIO(text),
            header=0 if has_header else None,
            names=None if has_header else HEADERLESS,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(
            f"not a readable CSV ({exc}); expected a Last.fm scrobble CSV", file=source.where
        ) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    n = len(df)

    def col(*names: str) -> pd.Series:
        for name in names:
            if name in df.columns:
                return null_blank(df[name].reset_index(drop=True))
        return pd.Series(pd.NA, index=range(n), dtype="string")

    uts = pd.to_numeric(col("uts"), errors="coerce")
    ts = ns_utc(pd.to_datetime(uts, unit="s", utc=True, errors="coerce"))
    ts = ts.fillna(_parse_dates(col("utc_time", "date", "timestamp", "time")))
    mbid = col("track_mbid")
    artist, track = col("artist"), col("track")
    frame = staged(
        {
            "ts": ts,
            "ms_played": pd.Series(np.full(n, SCROBBLE_MS), dtype="Int64"),
            "kind": pd.Series("track", index=range(n), dtype="string"),
            "ms_estimated": pd.Series(True, index=range(n), dtype="boolean"),
            "track": track,
            "artist": artist,
            "album": col("album"),
            "uri": ("musicbrainz:recording:" + mbid).astype("string"),
        },
        n,
    )
    if source.size > limits.max_bytes:
        flag(frame, row_sizes(df) > limits.max_bytes, "record_too_large", None, limits.detail())
    flag(frame, artist.isna().to_numpy(), "missing_field", "artist", "artist is missing")
    flag(frame, track.isna().to_numpy(), "missing_field", "track", "track is missing")
    return Staged(frame)
