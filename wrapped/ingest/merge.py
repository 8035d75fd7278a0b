"""One listener's two Spotify exports, counted once.

Many people request both Spotify's account data (`StreamingHistory*.json`: the last year, end
time to the minute, no URIs) and their extended streaming history (every play, end time to the
second). Read side by side, every play of the overlapping year would count twice, and a story
would quote double the minutes. So an account-data play that the same listener's extended history
also holds (same end minute, kind, names and milliseconds played) is *merged*: the extended
record, which knows more, is kept and the account-data one is counted as merged in the report.

Matching is one to one (a play repeated within a minute matches as many times as it occurs on
both sides), first on the minute the extended `ts` falls in (Spotify truncates), then on the next
minute for what is left (in case an export rounds instead).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_EPOCH = pd.Timestamp(0, tz="UTC")
_KEY = ["user_id", "minute", "kind", "a", "b", "ms"]


def _keys(df: pd.DataFrame, rows: np.ndarray, shift: int = 0) -> pd.DataFrame:
    """Match keys of `rows`: the names are (track, artist) for tracks, else (show, episode)."""
    sub = df.iloc[rows]
    is_track = (sub["kind"] == "track").to_numpy()
    minute = ((sub["ts"] - _EPOCH) // pd.Timedelta(minutes=1)).to_numpy(dtype=np.int64)
    keys = pd.DataFrame(
        {
            "user_id": sub["user_id"].astype("string").fillna("").to_numpy(object),
            "minute": minute + shift,
            "kind": sub["kind"].astype("string").fillna("").to_numpy(object),
            "a": np.where(is_track, sub["track"], sub["show"]),
            "b": np.where(is_track, sub["artist"], sub["episode"]),
            "ms": sub["ms_played"].to_numpy(dtype=np.int64),
            "row": rows,
        }
    )
    keys["a"] = keys["a"].astype("string").fillna("")
    keys["b"] = keys["b"].astype("string").fillna("")
    keys["rank"] = keys.groupby(_KEY, sort=False).cumcount()
    return keys


def _match(account: pd.DataFrame, extended: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows of each side matched one to one: (account rows, extended rows)."""
    on = [*_KEY, "rank"]
    pairs = account.merge(extended, on=on, suffixes=("_acc", "_ext"))
    return pairs["row_acc"].to_numpy(), pairs["row_ext"].to_numpy()


def account_plays_in_extended(
    df: pd.DataFrame, is_account: np.ndarray, is_extended: np.ndarray
) -> np.ndarray:
    """A mask over `df`: the account-data plays the same listener's extended history also holds.

    `df` holds checked staged rows (`user_id`, `ts`, `ms_played`, `kind`, names); `is_account`
    marks acceptable account-data rows, `is_extended` the extended rows that may absorb them.
    """
    merged = np.zeros(len(df), dtype=bool)
    acc_rows, ext_rows = np.flatnonzero(is_account), np.flatnonzero(is_extended)
    if not len(acc_rows) or not len(ext_rows):
        return merged
    for shift in (0, 1):
        a, e = _match(_keys(df, acc_rows), _keys(df, ext_rows, shift))
        merged[a] = True
        acc_rows = np.setdiff1d(acc_rows, a, assume_unique=True)
        ext_rows = np.setdiff1d(ext_rows, e, assume_unique=True)
        if not len(acc_rows) or not len(ext_rows):
            break
    return merged
