"""After every file is read: the shared checks, cross-export merges and duplicates, run once
over all staged records (vectorized), and the per-file counts that must add up.
"""

from __future__ import annotations

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
    check_common(df, now=now, earliest=earliest)
    # "<file label>#<record index>", built in Arrow (no Python string per row).
    fno = df["file_no"].to_numpy()
    labels = pa.array([f.file for f in files], pa.string()).take(pa.array(fno))
    idx = pc.cast(pa.array(df["idx"].to_numpy()), pa.string())
    source = pd.Series(
        pd.arrays.ArrowStringArray(pc.binary_join_element_wise(labels, idx, "#")),
        index=df.index,
        dtype="string",
    )
    if "given_source" in df.columns:
        source = df["given_source"].astype("string").fillna(source)
    df["source"] = source
    ok = (df["reject"].isna() & df["drop"].isna()).to_numpy()
    merged = _merged(df, files, ok)
    ok = ok & ~merged
    cand = df[DEDUP_COLUMNS] if ok.all() else df.loc[ok, DEDUP_COLUMNS]
    # Hash first (cheap), then compare exactly only where hashes collide.
    h = pd.util.hash_pandas_object(cand, index=False)
    maybe = h.duplicated(keep=False).to_numpy()
    if maybe.any():
        dup = cand[maybe].duplicated(keep="first")
        dup_index = dup[dup].index
        flag(
            df, df.index.isin(dup_index), "duplicate", None, "exact duplicate of an earlier record"
        )
    rejected = df["reject"].notna().to_numpy()
    _count_files(df, files, rejected, merged, early)
    keep = ~rejected & df["drop"].isna().to_numpy() & ~merged
    events = conform(df if keep.all() else _keep_rows(df[EVENT_COLUMNS], keep))
    rejects = RejectTable.from_frames([df[rejected], early], [f.file for f in files])
    return Finished(events, rejects, merged)


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


def _keep_rows(df: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """df[keep], filtering Arrow-backed columns in Arrow (pandas would `take` row by row)."""
    mask = pa.array(keep)
    out = {}
    for col in df.columns:
        s = df[col]
        if isinstance(s.array, pd.arrays.ArrowStringArray):
            arr = pc.filter(s.array.__arrow_array__(), mask)
            out[col] = pd.Series(pd.arrays.ArrowStringArray(arr), dtype=s.dtype)
        else:
            out[col] = s[keep].reset_index(drop=True)
    return pd.DataFrame(out)
