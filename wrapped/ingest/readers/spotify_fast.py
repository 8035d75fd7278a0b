"""The fast path for Spotify extended histories: many files, one DuckDB query.

A real extended export is dozens of ~12 MB JSON arrays. Parsing them in Python costs more than
everything else ingest does, so DuckDB's JSON reader (C++, multi-threaded) parses all of them in
one scan and types every field of the one table (spotify_fields.FIELDS) in SQL; the staging step
that follows is the same function the exact Python path in spotify_extended.py uses (a parity
test keeps them equal). Type-sensitive fields are read as JSON so a string where a number belongs
is a per-record `wrong_type`, not a failed file. Anything the scan
cannot take whole (broken JSON, a non-object record) raises `FastPathError`, and the caller reads
those files the exact way, where a broken file gets its one-line InputError.
"""

from __future__ import annotations

import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from wrapped.ingest.readers.spotify_fields import BOOLS, FIELDS, NAMES, TEXT, Raw, stage
from wrapped.ingest.scan import RecordLimits, Survey, check, survey
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import INT_HIGH, empty_early, flag, ns_utc, split_rejects, staged

#: JSON bytes per DuckDB query: bounds peak memory on huge histories (~1.2M records).
BATCH_BYTES = 1_000_000_000
#: Rows staged at a time from one query's result: small enough that staging a step overlaps
#: DuckDB parsing the next ones, large enough that the per-step overhead stays small.
ROWS_PER_STEP = 1 << 18
#: Bytes of result DuckDB may run ahead by while Python stages a step (its default, 10 MiB, is
#: ~30k records: its threads would wait for Python to catch up instead of parsing on).
STREAM_BUFFER = 256 << 20

T = TypeVar("T")


class FastPathError(Exception):
    """DuckDB could not read the batch whole."""


def _query() -> str:
    """One scan: every field of the one table (spotify_fields.FIELDS), typed as that table says."""
    spec = ", ".join(f"'{f.name}': '{'VARCHAR' if f.name in TEXT else 'JSON'}'" for f in FIELDS)
    # NAME fields: NULLIF(trim(x), '') == the Python path's strip-then-blank-is-null. CODE fields
    # (ids, codes, timestamps) are never padded, so neither path trims them.
    text = ", ".join(
        f"NULLIF(trim({n}), '') AS {n}" if n in NAMES else f"NULLIF({n}, '') AS {n}" for n in TEXT
    )
    # JSON-typed columns keep their raw text: only a bare true/false is a boolean and only a
    # bare integer is a play length ('"123"', 1.5 or "yes" are wrong types, never coerced); only
    # a bare number is an offline timestamp (a quoted one keeps its quotes and fails the cast).
    bools = ", ".join(
        f"CASE {b}::VARCHAR WHEN 'true' THEN true WHEN 'false' THEN false END AS {b}, "
        f"coalesce({b}::VARCHAR NOT IN ('true', 'false', 'null'), false) AS {b}_bad"
        for b in BOOLS
    )
    return f"""
    WITH raw AS (
        -- the file's position in $files (1-based): an integer per row, not its path
        SELECT list_position($files, filename)::INTEGER AS file, {text}, {bools},
            CASE WHEN TRY_CAST(ms_played::VARCHAR AS BIGINT)::VARCHAR = ms_played::VARCHAR
                 THEN ms_played::VARCHAR::BIGINT
                 -- an integer past int64 is clipped as on the exact path (absurd, not a type)
                 WHEN regexp_full_match(ms_played::VARCHAR, '-?[0-9]{{19,}}')
                 THEN CASE WHEN starts_with(ms_played::VARCHAR, '-') THEN -{INT_HIGH}
                           ELSE {INT_HIGH} END END AS ms,
            coalesce(ms_played::VARCHAR = 'null', true) AS ms_missing,
            TRY_CAST(offline_timestamp::VARCHAR AS DOUBLE) AS offline
        FROM read_json($files, format = 'array', filename = true, columns = {{{spec}}},
                       maximum_object_size = 16777216)
    )
    SELECT *, TRY_STRPTIME(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts_fast,
        (NOT ms_missing AND ms IS NULL) AS ms_bad
    FROM raw
    """


@contextmanager
def _on_disk(sources: list[Source]) -> Iterator[list[str]]:
    """Paths DuckDB can open; zip members are copied to a temporary folder first."""
    tmp: Path | None = None
    paths = []
    try:
        for i, src in enumerate(sources):
            if src.path is not None:
                paths.append(str(src.path))
                continue
            if tmp is None:
                tmp = Path(tempfile.mkdtemp(prefix="wrapped-ingest-"))
            target = tmp / f"member-{i:06d}.json"
            src.copy_to(target)
            paths.append(str(target))
        yield paths
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _series(table: pa.Table, name: str, dtype: str) -> pd.Series:
    col = table.column(name)
    if dtype == "string":  # large_string is what pandas' Arrow strings hold: no copy
        return pd.Series(pd.arrays.ArrowStringArray(col.cast(pa.large_string())), dtype="string")
    return col.to_pandas().astype(dtype)


def _ends_like_array(path: str) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - 256))
        return fh.read().rstrip().endswith(b"]")


class Batch(NamedTuple):
    """Staged records of several files: `frame["part"]` says which file (index into sources)."""

    frame: pd.DataFrame
    accounts: list[str | None]
    early: pd.DataFrame | None = None  # records already rejected (validate.split_rejects)


def _flags(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(bool)


def read_batch(sources: list[Source], limits: RecordLimits = RecordLimits()) -> Batch:
    """Stage every file in `sources` with one DuckDB scan; FastPathError if any file is unreadable.

    Depth and record size are then checked on each file's bytes by scan.check, the function the
    exact path calls (DuckDB itself takes any depth and bounds no record's size).

    Nothing waits on anything else that could run: a thread counts each file's bytes for
    scan.check while DuckDB parses, and DuckDB's threads parse on while Python stages a step
    (STREAM_BUFFER), so a 2-core machine keeps both cores busy.
    """
    import duckdb

    with _on_disk(sources) as paths, _counting(paths) as counted:
        # large_string: the text columns go to pandas' Arrow strings as they are, not cast
        con = duckdb.connect(
            config={"threads": os.cpu_count() or 1, "arrow_large_buffer_size": True}
        )
        con.execute("SET enable_progress_bar = false")
        try:  # a DuckDB older than the setting (1.1) waits on Python between steps instead
            con.execute(f"SET streaming_buffer_size = '{STREAM_BUFFER}B'")
        except duckdb.Error:
            pass
        parts = _Parts(paths)
        try:
            reader = con.sql(_query(), params={"files": paths}).to_arrow_reader(ROWS_PER_STEP)
            pending: list[pa.RecordBatch] = []  # DuckDB hands out small batches: gather a step
            for got in reader:
                pending.append(got)
                if sum(b.num_rows for b in pending) >= ROWS_PER_STEP:
                    parts.add(pa.Table.from_batches(pending))
                    pending = []
            if pending:
                parts.add(pa.Table.from_batches(pending))
        except (duckdb.Error, pa.ArrowException, OSError) as exc:  # errors while streaming
            raise FastPathError(str(exc)) from None
        finally:
            con.close()
        for i, (src, path) in enumerate(zip(sources, paths, strict=True)):
            verdict = partial(check, where=src.where, records=int(parts.seen[i]), limits=limits,
                              counted=counted[i].result())  # fmt: skip
            parts.too_big[i] = np.flatnonzero(_mapped(path, verdict))
    return parts.batch(limits)


@contextmanager
def _counting(paths: list[str]) -> Iterator[list[Future[Survey]]]:
    """scan.survey of each file, taken on another thread (FastPathError first if a file does
    not end like a JSON array: DuckDB reads the complete records of a truncated array and
    stops quietly, so only whole arrays go this way; the others get the exact parser's verdict).
    Counts not yet begun are dropped when the scan fails."""
    for path in paths:
        if not _ends_like_array(path):
            raise FastPathError(f"{path}: does not end with ']'")
    pool = ThreadPoolExecutor(1)
    try:
        yield [pool.submit(_mapped, path, survey) for path in paths]
    finally:
        pool.shutdown(cancel_futures=True)


def _mapped(path: str, use: Callable[[bytes | mmap.mmap], T]) -> T:
    """`use` on a file's bytes, mapped rather than read (a history can be 100s of MB)."""
    with open(path, "rb") as fh:
        try:  # closed when collected: an error's traceback may still view the map
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return use(fh.read())
    return use(mapped)


class _Parts:
    """Stages DuckDB's result a step of rows at a time: rows a check already rejects leave at
    once (validate.split_rejects), so ten million `{}` never stand as 25 columns together."""

    def __init__(self, paths: list[str]) -> None:
        self.seen = np.zeros(len(paths), dtype=np.int64)  # records of each file so far
        self.kept: list[pd.DataFrame] = []
        self.early: list[pd.DataFrame] = []
        self.names: dict[tuple[int, str], int] = {}  # (file, account name) -> records
        self.too_big: dict[int, np.ndarray] = {}  # file -> indices of records over the limit

    def add(self, table: pa.Table) -> None:
        n = table.num_rows
        if not n:
            return
        file = table.column("file")
        if file.null_count:  # DuckDB named a file as it was not given (never seen)
            raise FastPathError("DuckDB read a file it was not given")
        part = file.to_numpy() - np.int32(1)
        if np.any(np.diff(part) < 0):  # keep each file's records in file order
            order = np.argsort(part, kind="stable")
            table, part = table.take(pa.array(order)), part[order]
        # record index in its file: records before this step + rank within this step
        starts = np.searchsorted(part, np.arange(len(self.seen)))
        idx = np.arange(n, dtype=np.int64) - starts[part] + self.seen[part]
        self.seen += np.bincount(part, minlength=len(self.seen))
        # DuckDB parses years 1 to 9999 (microseconds): ns_utc clips what ns cannot hold
        ts = ns_utc(
            pd.Series(table.column("ts_fast").to_numpy(zero_copy_only=False)).dt.tz_localize("UTC")
        )
        raw = Raw(
            n=n,
            text={name: _series(table, name, "string") for name in TEXT},
            ms=_series(table, "ms", "Int64"),
            ms_bad=_flags(table, "ms_bad"),
            ms_missing=_flags(table, "ms_missing"),
            bools={b: (_series(table, b, "boolean"), _flags(table, f"{b}_bad")) for b in BOOLS},
            offline=_series(table, "offline", "Float64"),
            ts=ts,
        )
        frame = stage(raw, name_account=False).frame
        frame["idx"] = idx
        frame["part"] = part
        if table.column("username").null_count < n:
            acc = pd.DataFrame({"part": part, "account": raw.text["username"]}).dropna()
            acc = acc[acc["account"].str.strip() != ""]
            for (p, name), count in acc.groupby(["part", "account"], sort=False).size().items():
                key = (int(p), str(name).strip())
                self.names[key] = self.names.get(key, 0) + int(count)
        kept, early = split_rejects(frame)
        self.kept.append(kept)
        if len(early):
            self.early.append(early)

    def _flag_too_big(self, frame: pd.DataFrame, limits: RecordLimits) -> pd.DataFrame:
        """Records over the size limit that no earlier check rejected leave as rejects."""
        big = {(p, int(i)) for p, idx in self.too_big.items() for i in idx}
        if not big:
            return frame
        keys = zip(frame["part"].to_numpy().tolist(), frame["idx"].to_numpy().tolist(), strict=True)
        flag(frame, np.fromiter((k in big for k in keys), bool, len(frame)), "record_too_large",
             None, limits.detail())  # fmt: skip
        kept, early = split_rejects(frame)
        if len(early):
            self.early.append(early)
        return kept

    def batch(self, limits: RecordLimits = RecordLimits()) -> Batch:
        accounts: list[str | None] = [None] * len(self.seen)
        best: dict[int, int] = {}
        for (p, name), count in self.names.items():  # the most common name (first on a tie)
            if count > best.get(p, 0):
                best[p], accounts[p] = count, name
        if not self.kept:
            return Batch(staged({}, 0).assign(part=np.zeros(0, np.int32)), accounts)
        frame = self.kept[0] if len(self.kept) == 1 else pd.concat(self.kept, ignore_index=True)
        if len(self.kept) > 1 and np.any(np.diff(frame["part"].to_numpy()) < 0):
            frame = frame.sort_values(["part", "idx"], kind="stable", ignore_index=True)
        frame = self._flag_too_big(frame, limits)
        early = pd.concat(self.early, ignore_index=True) if self.early else empty_early()
        return Batch(frame, accounts, early)


def batches(sources: list[Source]) -> list[list[Source]]:
    """Split sources into DuckDB batches of at most BATCH_BYTES of JSON each."""
    out: list[list[Source]] = []
    size = 0
    for src in sources:
        if not out or size + src.size > BATCH_BYTES:
            out.append([])
            size = 0
        out[-1].append(src)
        size += src.size
    return out
