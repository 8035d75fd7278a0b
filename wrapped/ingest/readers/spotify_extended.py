"""Spotify *Extended streaming history* (`Streaming_History_Audio_*.json`, old `endsong_*.json`).

Three real layouts (with `audiobook_*`, without, and old `endsong` with `username`/`ip_addr_
decrypted`/`user_agent_decrypted`); nulls everywhere; '' for unknown. Only the fields of
spotify_fields.FIELDS are ever read. This is the exact path: any file the fast DuckDB path
(spotify_fast.py) cannot take whole comes here, where a bad record is rejected with its reason
and a broken file is named in an InputError. Both paths (and the CSV form of the same fields)
type the fields from the one table and share one staging step, so they stage records identically
(a parity test keeps them so).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged, load_records
from wrapped.ingest.readers.spotify_fields import BOOLS, NAMES, TEXT, Raw, stage
from wrapped.ingest.scan import RecordLimits, row_sizes
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import as_bool, as_int, as_number, as_str, flag

EXPECTED = "expected a Spotify extended streaming history (a JSON array of plays)"


def _raw(source: Source, limits: RecordLimits) -> tuple[Raw, np.ndarray]:
    data, too_big = load_records(source.text(), EXPECTED, source.where, limits)
    if not isinstance(data, list):
        raise InputError(f"not a JSON array; {EXPECTED}", file=source.where)
    not_obj = np.fromiter((not isinstance(r, dict) for r in data), bool, len(data))
    recs = [r if isinstance(r, dict) else {} for r in data]
    text = {}
    bad_str = np.zeros(len(recs), dtype=bool)
    for name in TEXT:
        text[name], bad = as_str([r.get(name) for r in recs], strip=name in NAMES)
        bad_str |= bad
    ms, ms_bad, ms_missing = as_int([r.get("ms_played") for r in recs])
    return Raw(
        n=len(recs),
        text=text,
        ms=ms,
        ms_bad=ms_bad,
        ms_missing=ms_missing,
        bools={b: as_bool([r.get(b) for r in recs]) for b in BOOLS},
        offline=as_number([r.get("offline_timestamp") for r in recs]),
        not_obj=not_obj,
        bad_str=bad_str,
    ), too_big


def read(source: Source, limits: RecordLimits = RecordLimits()) -> Staged:
    """Read one extended-history file the exact way (record by record, in Python)."""
    raw, too_big = _raw(source, limits)
    out = stage(raw)
    flag(out.frame, too_big, "record_too_large", None, limits.detail())
    return out


CSV_EXPECTED = "expected Spotify extended streaming history fields saved as CSV"


def _csv_int(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """CSV text -> integers; '12.0' counts (pandas writes a column holding a blank as floats)."""
    missing = text.isna().to_numpy()
    num = pd.to_numeric(text, errors="coerce")
    bad = ~missing & (num.isna() | (num % 1 != 0)).to_numpy()
    num = num.where(~bad).clip(-(2**62), 2**62)  # 1e30 is absurd, not an int64 overflow
    return num.astype("Float64").round().astype("Int64"), bad, missing


def _csv_bool(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """'True'/'False' (pandas) or 'true'/'false' (JSON) -> booleans; anything else is wrong."""
    val = text.str.lower().map({"true": True, "false": False}).astype("boolean")
    return val, (text.notna() & val.isna()).to_numpy()


def read_csv(source: Source, limits: RecordLimits = RecordLimits()) -> Staged:
    """Read Spotify extended-history fields saved as CSV (often with pandas' unnamed index)."""
    try:
        df = pd.read_csv(io.StringIO(source.text()), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a readable CSV ({exc}); {CSV_EXPECTED}", file=source.where) from None
    df.columns = [str(c).strip() for c in df.columns]
    n = len(df)
    df = df.reset_index(drop=True)
    blank = pd.Series(pd.NA, index=range(n), dtype="string")

    def col(name: str) -> pd.Series:
        s = df[name].astype("string") if name in df.columns else blank
        s = s.str.strip() if name in NAMES else s
        return s.mask(s == "")

    ms, ms_bad, ms_missing = _csv_int(col("ms_played"))
    out = stage(
        Raw(
            n=n,
            text={name: col(name) for name in TEXT},
            ms=ms,
            ms_bad=ms_bad,
            ms_missing=ms_missing,
            bools={b: _csv_bool(col(b)) for b in BOOLS},
            offline=pd.to_numeric(col("offline_timestamp"), errors="coerce").astype("Float64"),
        )
    )
    if source.size > limits.max_bytes:
        flag(out.frame, row_sizes(df) > limits.max_bytes, "record_too_large", None, limits.detail())
    return out
