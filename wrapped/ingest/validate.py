"""Vectorized record checks shared by every reader.

Readers turn their format into a *staged* frame: canonical columns plus `idx` (record index in
the file), `account` (raw account name, dropped before anything is written), and the first
problem found per record (`reject`, `reject_field`, `reject_detail`) or a `drop` reason.
`finish` then applies the rules every format shares, so a negative play is rejected the same
way whichever service it came from.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from wrapped.events import EVENT_DTYPES

#: A single play longer than a day is not a play (real data has 3.5 h plays: those are fine).
MAX_MS_PLAYED = 24 * 60 * 60 * 1000
#: Nothing in these exports predates the services; 1970 dates are broken scrobbles.
EARLIEST = pd.Timestamp("2000-01-01", tz="UTC")
#: Timestamps a little ahead of now are clock skew, not the future.
FUTURE_SLACK = timedelta(days=1)
#: What a nanosecond timestamp can hold, a little inside pandas' own bounds: a date outside is
#: clipped to these, so year 9999 is a future play and year 1 an implausible one - counted
#: rejects, never an overflow (the checks in check_common then name the real reason).
_NS_LOW = pd.Timestamp("1700-01-01", tz="UTC")
_NS_HIGH = pd.Timestamp("2260-01-01", tz="UTC")
#: JSON integers beyond int64 are clipped to these (a play of 1e30 ms is absurd, not negative).
INT_HIGH = 2**62

STAGE_EXTRA = {
    "idx": "int64",
    "account": "string",
    "reject": "string",
    "reject_field": "string",
    "reject_detail": "string",
    "drop": "string",
    # Spotify's offline_timestamp: part of the duplicate key only (private: never written)
    "offline": "Float64",
}
STAGE_DTYPES = {
    **{k: v for k, v in EVENT_DTYPES.items() if k not in ("user_id", "source")},
    "ms_played": "Int64",  # nullable until the checks have run
    **STAGE_EXTRA,
}


def staged(columns: dict[str, object], n: int) -> pd.DataFrame:
    """A staged frame of `n` rows from the given columns (others null), canonical dtypes."""
    out = {}
    for col, dtype in STAGE_DTYPES.items():
        if col == "ts" and columns.get("ts") is not None:
            out[col] = ns_utc(pd.Series(columns["ts"]))
        elif col in columns and columns[col] is not None:
            out[col] = pd.Series(columns[col]).astype(dtype)
        elif col == "idx":
            out[col] = pd.Series(np.arange(n, dtype=np.int64))
        elif dtype == "string":  # an all-null Arrow column (pandas would fill one NA at a time)
            out[col] = pd.Series(pd.arrays.ArrowStringArray(pa.nulls(n, pa.large_string())),
                                 dtype=dtype)  # fmt: skip
        else:
            out[col] = pd.Series(pd.NA, index=range(n), dtype=dtype)
    return pd.DataFrame(out)


def ns_utc(ts: pd.Series) -> pd.Series:
    """UTC timestamps of any unit as nanoseconds; dates outside that range are clipped to it.

    pandas parses ISO text at microsecond resolution (years 1 to 9999), where a cast to
    nanoseconds would overflow; the clipped value is then rejected as future or implausible.
    """
    if ts.dtype == "datetime64[ns, UTC]":
        return ts
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        ts = pd.to_datetime(ts, utc=True, errors="coerce")
    if ts.dtype != "datetime64[ns, UTC]":
        low, high = _NS_LOW.as_unit(ts.dt.unit), _NS_HIGH.as_unit(ts.dt.unit)
        if len(ts) and (ts.min() < low or ts.max() > high):  # min/max skip NaT
            ts = ts.clip(low, high)
    return ts.astype("datetime64[ns, UTC]")


def flag(
    frame: pd.DataFrame, mask: pd.Series | np.ndarray, reason: str, field: str | None, detail: str
) -> None:
    """Mark rows in `mask` as rejected, unless an earlier check already did."""
    m = np.asarray(mask, dtype=bool)
    if not m.any():  # the usual case: a clean history passes a dozen checks per batch
        return
    m = m & frame["reject"].isna().to_numpy() & frame["drop"].isna().to_numpy()
    if m.any():
        frame.loc[m, "reject"] = reason
        frame.loc[m, "reject_field"] = field
        frame.loc[m, "reject_detail"] = detail


#: Text columns a reader fills from the file's own text (a bad byte shows as U+FFFD in them).
TEXT_COLUMNS = ("track", "artist", "album", "show", "episode", "uri", "reason_start",
                "reason_end", "country")  # fmt: skip


def flag_undecodable(frame: pd.DataFrame) -> None:
    """Reject the records of a file with bad (non-UTF-8) bytes whose text those bytes touched.

    Only files that had bad bytes come here, so a real U+FFFD elsewhere is never a reject.
    """
    bad = np.zeros(len(frame), dtype=bool)
    for col in TEXT_COLUMNS:
        bad |= frame[col].str.contains("\ufffd", regex=False).fillna(False).to_numpy(dtype=bool)
    flag(frame, bad, "undecodable_text", None, "holds bytes that are not UTF-8 text")


#: What an early reject keeps: where it is and why (categories: a few bytes per record).
EARLY_COLUMNS = ("part", "idx", "reject_field", "reject", "reject_detail")


def split_rejects(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows still in play, compact rows a reader already rejected).

    A rejected record never comes back (later checks only add reasons), so its ~25 staged
    columns are dropped as soon as a file or batch is read: a file of ten million `{}` keeps
    ~20 bytes per record, not ~700. `frame` must have a `part` column.
    """
    rejected = frame["reject"].notna().to_numpy()
    if not rejected.any():
        return frame, empty_early()
    early = pd.DataFrame(
        {
            "part": frame["part"].to_numpy()[rejected].astype(np.int32),
            "idx": frame["idx"].to_numpy()[rejected],
            **{c: frame[c][rejected].astype("category") for c in EARLY_COLUMNS[2:]},
        }
    ).reset_index(drop=True)
    return frame[~rejected].reset_index(drop=True), early


def empty_early() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "part": pd.Series(dtype=np.int32),
            "idx": pd.Series(dtype=np.int64),
            **{c: pd.Series(dtype="category") for c in EARLY_COLUMNS[2:]},
        }
    )


# --- typed column helpers for the object columns json.loads gives us ---------------------------


def as_str(values: list[object], *, strip: bool = True) -> tuple[pd.Series, np.ndarray]:
    """Strings (numbers become text); dicts/lists are a wrong type. Blank strings become null.

    `strip=False` is for machine fields (ids, codes, timestamps), which are never padded.
    """
    bad = np.fromiter((isinstance(v, dict | list) for v in values), bool, len(values))
    clean = [
        None if b or v is None else (v if isinstance(v, str) else str(v))
        for v, b in zip(values, bad, strict=True)
    ]
    s = pd.Series(clean, dtype="string")
    if strip:
        s = s.str.strip()
    return s.mask(s == ""), bad


def as_int(values: list[object]) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """JSON integers only (no strings, floats or booleans). Returns values, wrong-type, missing."""
    out = np.zeros(len(values), dtype=np.int64)
    bad = np.zeros(len(values), dtype=bool)
    missing = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v is None:
            missing[i] = True
        elif isinstance(v, bool) or not isinstance(v, int):
            bad[i] = True
        else:  # beyond int64: clipped, so the range checks name it (no OverflowError)
            out[i] = v if -INT_HIGH <= v <= INT_HIGH else (INT_HIGH if v > 0 else -INT_HIGH)
    return pd.Series(out).astype("Int64").mask(bad | missing), bad, missing


def as_number(values: list[object]) -> pd.Series:
    """Any JSON number (not a boolean) as Float64; anything else is null, never an error."""
    return pd.Series([_float(v) for v in values], dtype="Float64")


def _float(v: object) -> float | None:
    if not isinstance(v, int | float) or isinstance(v, bool):
        return None
    try:
        return float(v)
    except OverflowError:  # an integer past 1e308
        return None


def as_bool(values: list[object]) -> tuple[pd.Series, np.ndarray]:
    """Booleans or null; anything else is a wrong type."""
    bad = np.fromiter(
        (v is not None and not isinstance(v, bool) for v in values), bool, len(values)
    )
    clean = [None if b else v for v, b in zip(values, bad, strict=True)]
    return pd.Series(clean, dtype="boolean"), bad


def null_blank(s: pd.Series) -> pd.Series:
    """Strip strings and turn '' into null (Spotify writes '' for unknown)."""
    s = s.astype("string").str.strip()
    return s.mask(s == "")


def parse_iso(ts: pd.Series) -> pd.Series:
    """ISO-8601 UTC text ('2024-01-01T12:00:00Z', with or without 'Z'/offset) -> UTC; bad -> NaT."""
    return pd.to_datetime(ts, utc=True, errors="coerce", format="ISO8601")


#: Birth dates outside these years are typos or placeholders (year 1, 2090), not a cohort.
BIRTH_YEARS = (1900, datetime.now(UTC).year)


def birth_dates(text: pd.Series) -> pd.Series:
    """ISO birth dates as 'YYYY-MM-DD' strings; unparsable or implausible ones are null."""
    born = pd.to_datetime(text, errors="coerce", format="ISO8601")
    year = born.dt.year
    born = born.where((year >= BIRTH_YEARS[0]) & (year <= BIRTH_YEARS[1]))
    return born.dt.strftime("%Y-%m-%d").astype("string")


# --- the shared rules ---------------------------------------------------------------------------


def check_common(
    frame: pd.DataFrame, *, now: datetime | None = None, earliest: pd.Timestamp = EARLIEST
) -> None:
    """Apply the rules every format shares (in place), in a fixed order of precedence.

    `earliest` starts the plausible window (the `earliest_play` setting); it ends at now plus a
    day of clock skew (later is a future play: year 9999 included, see ns_utc).
    """
    now_ts = pd.Timestamp(now or datetime.now(UTC))
    ts = frame["ts"]
    flag(frame, ts.isna(), "unparsable_timestamp", "ts", "timestamp missing or not a date-time")
    flag(frame, ts > now_ts + FUTURE_SLACK, "future_timestamp", "ts", "timestamp is in the future")
    flag(
        frame,
        ts < earliest,
        "implausible_timestamp",
        "ts",
        f"timestamp before {earliest.date().isoformat()}",
    )
    ms = frame["ms_played"]
    flag(frame, ms.isna(), "missing_field", "ms_played", "ms_played is missing")
    flag(frame, (ms < 0).fillna(False), "negative_ms_played", "ms_played", "ms_played is negative")
    flag(
        frame,
        (ms > MAX_MS_PLAYED).fillna(False),
        "absurd_ms_played",
        "ms_played",
        "ms_played is over 24 hours",
    )
    flag(
        frame,
        frame["kind"].isna(),
        "no_content",
        None,
        "neither a track, an episode nor an audiobook",
    )


def kind_from(track: pd.Series, episode: pd.Series, book: pd.Series) -> pd.Series:
    """'track' | 'episode' | 'audiobook' | null from which identifying fields are present."""
    kind = pd.Series(pd.NA, index=track.index, dtype="string")
    kind = kind.mask(book.notna(), "audiobook")
    kind = kind.mask(episode.notna(), "episode")
    return kind.mask(track.notna(), "track")
