"""Our own tables: canonical events (Parquet/CSV), service-side profiles CSV, catalog CSV.

Canonical inputs keep their pseudonymous ids (re-ingesting our own output must not change who is
who); any other id is hashed like an account name. Profiles are keyed by the service's raw user
id and hashed here, so the raw id never leaves ingest.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from wrapped.errors import InputError
from wrapped.events import CATALOG_DTYPES, EVENT_COLUMNS, KINDS, PROFILE_DTYPES
from wrapped.ingest.readers import Staged
from wrapped.ingest.scan import RecordLimits, row_sizes
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import birth_dates, flag, kind_from, null_blank, parse_iso, staged


def _csv(source: Source, expected: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(io.StringIO(source.text()), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a readable CSV ({exc}); {expected}", file=source.where) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def read_canonical(
    source: Source, parquet: bool, limits: RecordLimits = RecordLimits()
) -> tuple[Staged, pd.Series, pd.Series]:
    """Canonical events -> (staged frame, their user ids, their sources); a row with more than
    `limits.max_bytes` of text is a rejected record (Parquet compresses: its file size says
    nothing about a row's)."""
    expected = "expected canonical events (wrapped.events columns)"
    if parquet:
        try:
            table = pq.read_table(pa.BufferReader(source.read_bytes()))
        except (pa.ArrowException, OSError) as exc:
            raise InputError(
                f"not a readable Parquet file ({exc}); {expected}", file=source.where
            ) from None
        big = row_sizes(table) > limits.max_bytes
        df = table.to_pandas()
    else:
        df = _csv(source, expected)
        big = (
            row_sizes(df) > limits.max_bytes
            if source.size > limits.max_bytes
            else np.zeros(len(df), dtype=bool)
        )
    missing = [c for c in ("user_id", "ts", "ms_played") if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; {expected}", file=source.where)
    n = len(df)
    df = df.reset_index(drop=True)
    cols = {
        c: null_blank(df[c])
        for c in EVENT_COLUMNS
        if c in df.columns and c not in ("ts", "ms_played", "skipped", "shuffle", "ms_estimated")
    }
    ts = (
        df["ts"]
        if pd.api.types.is_datetime64_any_dtype(df["ts"])
        else parse_iso(null_blank(df["ts"]))
    )
    if getattr(ts.dt, "tz", None) is None:
        ts = ts.dt.tz_localize("UTC")
    ms_num = pd.to_numeric(df["ms_played"], errors="coerce")
    ms_bad = (ms_num.notna() & (ms_num % 1 != 0)) | (
        ms_num.isna() & null_blank(df["ms_played"].astype("string")).notna()
    )
    # clipped: 1e30 is a play over 24 hours, not an int64 overflow read as negative
    ms = ms_num.where(~ms_bad).clip(-(2**62), 2**62).astype("Float64").round().astype("Int64")
    kind = cols.get("kind")
    derived = kind_from(
        cols.get("track", pd.Series(pd.NA, index=range(n), dtype="string")),
        cols.get("episode", pd.Series(pd.NA, index=range(n), dtype="string")),
        pd.Series(pd.NA, index=range(n), dtype="string"),
    )
    kind = derived if kind is None else kind.where(kind.isin(KINDS)).fillna(derived)
    bools = {}
    for b in ("skipped", "shuffle", "ms_estimated"):
        if b in df.columns:
            raw = df[b].astype("string").str.strip().str.lower()
            bools[b] = raw.map({"true": True, "false": False, "1": True, "0": False}).astype(
                "boolean"
            )
    frame = staged(
        {
            **{k: v for k, v in cols.items() if k not in ("user_id", "source")},
            "ts": ts,
            "ms_played": ms,
            "kind": kind,
            **bools,
        },
        n,
    )
    flag(frame, big, "record_too_large", None, limits.detail())
    flag(frame, ms_bad.to_numpy(), "wrong_type", "ms_played", "ms_played is not an integer")
    users = cols["user_id"]
    flag(frame, users.isna().to_numpy(), "missing_field", "user_id", "user_id is missing")
    return (
        Staged(frame),
        users,
        cols.get("source", pd.Series(pd.NA, index=range(n), dtype="string")),
    )


def _tz(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def read_profiles(source: Source) -> pd.DataFrame:
    """Profiles CSV -> raw-keyed profiles (column `raw_user`; hashed by the caller)."""
    df = _csv(source, "expected a profiles CSV (user, country, tier, birth_date, timezone)")
    user = null_blank(df["user"] if "user" in df.columns else df["user_id"])
    out = pd.DataFrame({"raw_user": user})
    country = null_blank(df.get("country", pd.Series(pd.NA, index=df.index))).str.upper()
    out["country"] = country.where(country.str.fullmatch(r"[A-Z]{2}").fillna(False))
    tier = null_blank(df.get("tier", pd.Series(pd.NA, index=df.index))).str.lower()
    out["tier"] = tier.where(tier.isin(["free", "premium"]))
    out["birth_date"] = birth_dates(
        null_blank(df.get("birth_date", pd.Series(pd.NA, index=df.index)))
    )
    out["timezone"] = pd.Series(
        [_tz(v) for v in df.get("timezone", pd.Series(None, index=df.index))], dtype="string"
    )
    return out[out["raw_user"].notna()].reset_index(drop=True)


def read_catalog(source: Source) -> pd.DataFrame:
    """Catalog CSV (artist, track, album, release_year, genres ';'-separated) -> CATALOG_DTYPES."""
    df = _csv(source, "expected a catalog CSV (artist, track, album, release_year, genres)")
    out = pd.DataFrame(index=df.index)
    for col in ("artist", "track", "album", "genres"):
        out[col] = (
            null_blank(df[col])
            if col in df.columns
            else pd.Series(pd.NA, index=df.index, dtype="string")
        )
    year = pd.to_numeric(df.get("release_year", pd.Series(pd.NA, index=df.index)), errors="coerce")
    out["release_year"] = year.where((year >= 1800) & (year <= 2100)).round().astype("Int64")
    out = out[out["artist"].notna()]
    return out[list(CATALOG_DTYPES)].astype(CATALOG_DTYPES).reset_index(drop=True)


__all__ = ["PROFILE_DTYPES", "read_canonical", "read_catalog", "read_profiles"]
