"""The canonical event table: the contract between ingest and stats.

Every reader produces exactly these columns, so stats never needs to know which service an
export came from. Private fields (IP, user agent, account name, e-mail, device, offline
timestamps) have no column here on purpose: they cannot leak what they cannot hold.
"""

from __future__ import annotations

import pandas as pd

#: column -> pandas dtype. `ts` is timezone-aware UTC.
EVENT_DTYPES: dict[str, str] = {
    "user_id": "string",  # pseudonymous (keyed hash), never the account name
    "ts": "datetime64[ns, UTC]",  # when the play ended (Spotify `ts`/`endTime`) or started (LB/Last.fm)
    "ms_played": "int64",
    "kind": "string",  # track | episode | audiobook
    "track": "string",
    "artist": "string",
    "album": "string",
    "show": "string",
    "episode": "string",
    "uri": "string",
    "reason_start": "string",
    "reason_end": "string",
    "skipped": "boolean",
    "shuffle": "boolean",
    "country": "string",
    "source": "string",  # "<file>#<record index>"
    # the export keeps no play length (Last.fm, ListenBrainz): ms_played is a typical length
    "ms_estimated": "boolean",
}

EVENT_COLUMNS: list[str] = list(EVENT_DTYPES)

KINDS = ("track", "episode", "audiobook")

#: Optional per-listener profile table (ingest writes it as profiles.parquet).
PROFILE_DTYPES: dict[str, str] = {
    "user_id": "string",  # pseudonymous
    "country": "string",  # ISO 3166-1 alpha-2
    "tier": "string",  # free | premium | None
    "birth_date": "string",  # ISO date YYYY-MM-DD or None
    "timezone": "string",  # IANA zone or None
}

#: Optional catalog metadata (genres and release years), keyed by artist (+ track when known).
CATALOG_DTYPES: dict[str, str] = {
    "artist": "string",
    "track": "string",  # may be null: artist-level row (genres only)
    "album": "string",
    "release_year": "Int64",
    "genres": "string",  # ';'-separated, primary genre first
}


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly the canonical columns, in order, with canonical dtypes."""
    out = {}
    for col, dtype in EVENT_DTYPES.items():
        if col in df.columns:
            out[col] = df[col].astype(dtype)
        else:
            out[col] = pd.Series(pd.NA, index=df.index, dtype=dtype)
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)
