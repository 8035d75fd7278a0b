"""After every file is read: the shared checks, cross-export merges and duplicates, run once
over all staged records (vectorized), and the per-file counts that must add up.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wrapped.events import EVENT_COLUMNS, conform
from wrapped.ingest import detect, merge
from wrapped.ingest.model import FileReport
from wrapped.ingest.rejects import RejectTable
from wrapped.ingest.validate import EARLIEST, check_common, flag

#: Columns that make two events "the same": all but `source` (which always differs), plus
#: Spotify's private offline timestamp — two offline plays synced together share `ts`, track and
#: length but not it, and are two plays. The key is taken here, before that field is dropped.
DEDUP_COLUMNS = [c for c in EVENT_COLUMNS if c != "source"] + ["offline"]


class Finished(NamedTuple):
    """Accepted events, rejects, and which staged rows were merged across exports."""

    events: pd.DataFrame
    rejects: RejectTable
    merged: np.ndarray  # per staged row: an account-data play the extended history also holds


def _merged(df: pd.DataFrame, files: list[FileReport], ok: np.ndarray) -> np.ndarray:
    """Account-data plays of a listener whose extended history holds them too (see merge.py)."""
    fmt = np.array([f.format for f in files])
    account = fmt == detect.SPOTIFY_ACCOUNT
    extended = np.isin(fmt, [detect.SPOTIFY_EXTENDED, detect.SPOTIFY_EXTENDED_CSV])
    if not (account.any() and extended.any()):  # the usual case: nothing to look for
        return np.zeros(len(df), dtype=bool)
    fno = df["file_no"].to_numpy()
    return merge.account_plays_in_extended(
        df, account[fno] & ok, extended[fno] & df["reject"].isna().to_numpy()
    )


def finish(
    df: pd.DataFrame,
    files: list[FileReport],
    now: datetime | None,
    earliest: pd.Timestamp = EARLIEST,
    early: pd.DataFrame | None = None,
) -> Finished:
    """Shared checks, cross-export merges, duplicates, per-file counts.

    `early` holds records a reader already rejected (validate.split_rejects), with `file_no`
    and `user_id`: they count as read and rejected, and join the rejects in file order.
    """
    # The sources (a string per row, built in Arrow, which lets go of the GIL) are made on a
    # second core while this one runs the checks; no check reads them.
    with ThreadPoolExecutor(1) as pool:
        labels = [f.file for f in files]
        building = pool.submit(_sources, df["file_no"].to_numpy(), df["idx"].to_numpy(), labels)
        check_common(df, now=now, earliest=earliest)
        ok = (df["reject"].isna() & df["drop"].isna()).to_numpy()
        merged = _merged(df, files, ok)
        ok = ok & ~merged
        maybe = _maybe_duplicates(df, ok)
        if len(maybe):
            dup = _rows(df, DEDUP_COLUMNS, maybe).duplicated(keep="first")
            flag(
                df, df.index.isin(dup[dup].index), "duplicate", None,
                "exact duplicate of an earlier record",
            )  # fmt: skip
        source = pd.Series(
            pd.arrays.ArrowStringArray(building.result()), index=df.index, dtype="string"
        )
    if "given_source" in df.columns:
        source = df["given_source"].astype("string").fillna(source)
    df["source"] = source
    rejected = df["reject"].notna().to_numpy()
    _count_files(df, files, rejected, merged, early)
    keep = ~rejected & df["drop"].isna().to_numpy() & ~merged
    events = conform(df if keep.all() else _keep_rows(df[EVENT_COLUMNS], keep))
    rejects = RejectTable.from_frames(
        [_rows(df, RejectTable.COLUMNS, np.flatnonzero(rejected)), early], [f.file for f in files]
    )
    return Finished(events, rejects, merged)


def _sources(fno: np.ndarray, idx: np.ndarray, labels: list[str]) -> pa.ChunkedArray:
    """ "<file label>#<record index>" per row, built in Arrow (no Python string per row).

    A file's records lie together, so each run of them is one join with its label as a scalar
    (a label copied to every row first would cost as much again).
    """
    text = pc.cast(pa.array(idx), pa.large_string())
    cuts = np.flatnonzero(np.diff(fno)) + 1
    if len(cuts) > _MOST_RUNS:  # interleaved files: one label per row
        rows = pa.array(labels, pa.large_string()).take(pa.array(fno))
        sep = pa.scalar("#", pa.large_string())
        return pa.chunked_array([pc.binary_join_element_wise(rows, text, sep)])
    if not len(fno):
        return pa.chunked_array([], pa.large_string())
    starts, stops = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(fno)]))
    return pa.chunked_array(
        [
            pc.binary_join_element_wise(
                pa.scalar(labels[fno[a]] + "#", pa.large_string()),
                text.slice(a, b - a),
                pa.scalar("", pa.large_string()),
            )
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
        ],
        pa.large_string(),
    )


def _maybe_duplicates(df: pd.DataFrame, ok: np.ndarray) -> np.ndarray:
    """Positions of the `ok` rows whose listener, time and play length may equal another's.

    Exact duplicates agree on every column, so on these three integers too: rows whose mix of
    them is unique cannot be duplicates. Sorting out the few candidates this way is exact and
    spares hashing every name of every record (a listener rarely ends two plays in the same
    second; offline plays synced together do, and are compared in full).
    """
    rows = np.flatnonzero(ok)
    if len(rows) < 2:
        return rows[:0]
    user = pd.factorize(df["user_id"])[0][rows].astype(np.uint64)
    ts = df["ts"].array.asi8[rows].view(np.uint64)
    ms = df["ms_played"].to_numpy(dtype=np.int64, na_value=0)[rows].view(np.uint64)
    mix = (ts * np.uint64(0x9E3779B97F4A7C15)) ^ (ms * np.uint64(0xBF58476D1CE4E5B9)) ^ user
    return rows[pd.Series(mix).duplicated(keep=False).to_numpy()]


def _count_files(
    df: pd.DataFrame,
    files: list[FileReport],
    rejected: np.ndarray,
    merged: np.ndarray,
    early: pd.DataFrame | None,
) -> None:
    """Per-file counts (read = accepted + rejected + dropped + merged) and listener ids."""
    fno = df["file_no"].to_numpy()
    n = len(files)
    some = early is not None and len(early) > 0
    early_fno = early["file_no"].to_numpy() if some else np.zeros(0, np.int32)  # type: ignore[index]
    before = np.bincount(early_fno, minlength=n)
    read = np.bincount(fno, minlength=n) + before
    rej = np.bincount(fno[rejected], minlength=n) + before
    dropped = np.bincount(fno[df["drop"].notna().to_numpy()], minlength=n)
    mer = np.bincount(fno[merged], minlength=n)
    first_user = df.groupby("file_no")["user_id"].first()
    if early is not None and len(early):  # a file whose every record a reader rejected
        more = early.groupby("file_no", observed=True)["user_id"].first().astype("string")
        first_user = first_user.combine_first(more[~more.index.isin(first_user.index)])
    for i, f in enumerate(files):
        f.read, f.rejected, f.dropped, f.merged = (
            int(read[i]),
            int(rej[i]),
            int(dropped[i]),
            int(mer[i]),
        )
        f.accepted = f.read - f.rejected - f.dropped - f.merged
        f.user_id = (
            None if i not in first_user.index or pd.isna(first_user[i]) else str(first_user[i])
        )


def _rows(df: pd.DataFrame, columns: list[str], rows: np.ndarray) -> pd.DataFrame:
    """df.iloc[rows][columns] for ascending `rows`, taking Arrow columns chunk by chunk.

    Arrow's take on a chunked column first joins its chunks: a copy of every name of a million
    records to pick out the few duplicates or rejects.
    """
    index = df.index[rows]
    out = {}
    for col in columns:
        s = df[col]
        if not isinstance(s.array, pd.arrays.ArrowStringArray):
            out[col] = s.iloc[rows]
            continue
        arr = pa.chunked_array(s.array.__arrow_array__())
        starts = np.cumsum([0] + [len(c) for c in arr.chunks])
        which = np.searchsorted(starts, rows, side="right") - 1
        picked = [
            arr.chunk(k).take(pa.array(rows[which == k] - starts[k])) for k in np.unique(which)
        ]
        out[col] = pd.Series(
            pd.arrays.ArrowStringArray(pa.chunked_array(picked, arr.type)), index=index,
            dtype=s.dtype,
        )  # fmt: skip
    return pd.DataFrame(out, index=index)


#: Above this many runs of kept rows, Arrow columns are filtered rather than sliced.
_MOST_RUNS = 256


def _keep_rows(df: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """df[keep], filtering Arrow-backed columns in Arrow (pandas would `take` row by row).

    Usually only a few duplicates leave a million records: the kept runs of an Arrow column are
    then zero-copy slices of it (a filter would copy every name once more).
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([False], keep, [False])).astype(np.int8)))
    runs = edges.reshape(-1, 2)  # [start, stop) of each run of kept rows
    mask = pa.array(keep)
    out = {}
    for col in df.columns:
        s = df[col]
        if isinstance(s.array, pd.arrays.ArrowStringArray):
            arr = s.array.__arrow_array__()
            if len(runs) <= _MOST_RUNS:
                arr = pa.chunked_array(
                    [c for a, b in runs for c in arr.slice(a, b - a).chunks], arr.type
                )
            else:
                arr = pc.filter(arr, mask)
            out[col] = pd.Series(pd.arrays.ArrowStringArray(arr), dtype=s.dtype)
        else:
            out[col] = s[keep].reset_index(drop=True)
    return pd.DataFrame(out)
