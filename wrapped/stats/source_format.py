"""Which export format a listener's events came from: a cohort key (`Cohort.source_format`).

A reader bug or a changed export layout hits the listeners of one format only, so the monitor
slices by it. Ingest records each event's file in `source` ("<file label>#<record index>"); the
services name their files distinctively, so the label says the format. Rows made by no file
(demo or canonical tables) have no source and read as "canonical".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: (substring of the lower-cased file label, format), first match wins
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("streaming_history_audio", "spotify_extended"),
    ("streaming_history_video", "spotify_extended"),
    ("endsong", "spotify_extended"),
    ("streaminghistory", "spotify_account"),
    ("listenbrainz", "listenbrainz"),
    (".jsonl", "listenbrainz"),
    ("scrobble", "lastfm"),
    ("lastfm", "lastfm"),
    ("last.fm", "lastfm"),
    (".parquet", "canonical"),
    ("events.csv", "canonical"),
)


def format_of(label: object) -> str:
    """The export format named by one `source` label."""
    if label is None or label is pd.NA or (isinstance(label, float) and np.isnan(label)):
        return "canonical"
    text = str(label).lower()
    for needle, fmt in _PATTERNS:
        if needle in text:
            return fmt
    return "other"


def source_formats(uid_all: np.ndarray, source: pd.Series | None, n_users: int) -> list[str]:
    """Per listener code, the format of their first event's file (one lookup per listener, so
    10 million events cost nothing here)."""
    if source is None:
        return ["canonical"] * n_users
    codes, first = np.unique(uid_all, return_index=True)
    out = ["canonical"] * n_users
    values = source.to_numpy(dtype=object, na_value=None)
    for code, row in zip(codes.tolist(), first.tolist(), strict=True):
        out[code] = format_of(values[row])
    return out
