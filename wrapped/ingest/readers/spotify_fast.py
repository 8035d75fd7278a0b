"""The fast path for Spotify extended histories: many files, one DuckDB query.

A real extended export is dozens of ~12 MB JSON arrays. Parsing them in Python costs more than
everything else ingest does, so DuckDB's JSON reader (C++, multi-threaded) parses all of them in
one scan and does the per-record staging in SQL — the same rules as the exact Python path in
spotify_extended.py (a parity test keeps them equal). Type-sensitive fields are read as JSON so a
string where a number belongs is a per-record `wrong_type`, not a failed file. Anything the scan
cannot take whole (broken JSON, a non-object record) raises `FastPathError`, and the caller reads
those files the exact way, where a broken file gets its one-line InputError.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wrapped.ingest.readers import majority
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import flag, parse_iso, staged

#: JSON bytes per DuckDB query: bounds peak memory on huge histories (~1.2M records).
BATCH_BYTES = 1_000_000_000


class FastPathError(Exception):
    """DuckDB could not read the batch whole."""


_TEXT = {
    "ts": "ts",
    "track": "master_metadata_track_name",
    "artist": "master_metadata_album_artist_name",
    "album": "master_metadata_album_album_name",
    "track_uri": "spotify_track_uri",
    "ep": "episode_name",
    "ep_show": "episode_show_name",
    "ep_uri": "spotify_episode_uri",
    "book": "audiobook_title",
    "book_uri": "audiobook_uri",
    "chapter_uri": "audiobook_chapter_uri",
    "chapter": "audiobook_chapter_title",
    "reason_start": "reason_start",
    "reason_end": "reason_end",
    "country": "conn_country",
    "account": "username",
}
_JSON = ("ms_played", "shuffle", "skipped", "incognito_mode")


_NAMES = {"track", "artist", "album", "ep", "ep_show", "book", "chapter"}


def _query() -> str:
    spec = ", ".join(
        [f"'{v}': 'VARCHAR'" for v in _TEXT.values()] + [f"'{j}': 'JSON'" for j in _JSON]
    )
    # Names: NULLIF(trim(x), '') == the Python path's strip-then-blank-is-null. Machine fields
    # (ids, codes, timestamps) are never padded, so they skip the trim.
    text = ", ".join(
        f"NULLIF(trim({src}), '') AS {dst}" if dst in _NAMES else f"NULLIF({src}, '') AS {dst}"
        for dst, src in _TEXT.items()
    )
    # JSON-typed columns keep their raw text: only a bare true/false is a boolean and only a
    # bare integer is a play length ('"123"', 1.5 or "yes" are wrong types, never coerced).
    bools = ", ".join(
        f"CASE {b}::VARCHAR WHEN 'true' THEN true WHEN 'false' THEN false END AS {b}, "
        f"coalesce({b}::VARCHAR NOT IN ('true', 'false', 'null'), false) AS {b}_bad"
        for b in ("shuffle", "skipped", "incognito_mode")
    )
    return f"""
    WITH raw AS (
        SELECT filename, {text}, {bools},
            CASE WHEN TRY_CAST(ms_played::VARCHAR AS BIGINT)::VARCHAR = ms_played::VARCHAR
                 THEN ms_played::VARCHAR::BIGINT END AS ms,
            coalesce(ms_played::VARCHAR = 'null', true) AS ms_missing
        FROM read_json($files, format = 'array', filename = true, columns = {{{spec}}},
                       maximum_object_size = 16777216)
    ), k AS (
        SELECT *, CASE
            WHEN coalesce(track, track_uri) IS NOT NULL THEN 'track'
            WHEN coalesce(ep, ep_uri) IS NOT NULL THEN 'episode'
            WHEN coalesce(book, book_uri, chapter_uri) IS NOT NULL THEN 'audiobook'
        END AS kind FROM raw
    )
    SELECT filename,
        ts, TRY_STRPTIME(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts_fast, ms AS ms_played, kind,
        CASE WHEN kind = 'track' THEN track END AS track,
        CASE WHEN kind = 'track' THEN artist END AS artist,
        CASE WHEN kind = 'track' THEN album END AS album,
        CASE kind WHEN 'episode' THEN ep_show WHEN 'audiobook' THEN book END AS show,
        CASE kind WHEN 'episode' THEN ep WHEN 'audiobook' THEN chapter END AS episode,
        CASE kind WHEN 'track' THEN track_uri WHEN 'episode' THEN ep_uri
                  ELSE coalesce(chapter_uri, book_uri) END AS uri,
        reason_start, reason_end, skipped, shuffle,
        CASE WHEN upper(country) = 'ZZ' THEN NULL ELSE upper(country) END AS country,
        account, ts IS NULL AS ts_missing, ms_missing,
        (NOT ms_missing AND ms IS NULL) AS ms_bad,
        shuffle_bad, skipped_bad, incognito_mode_bad, coalesce(incognito_mode, false) AS incognito
    FROM k
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
    if dtype == "string":
        return pd.Series(pd.arrays.ArrowStringArray(col.cast(pa.string())), dtype="string")
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


def _flags(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(bool)


def read_batch(sources: list[Source]) -> Batch:
    """Stage every file in `sources` with one DuckDB scan; FastPathError if any file is unreadable."""
    import duckdb

    with _on_disk(sources) as paths:
        # DuckDB reads the complete records of a truncated array and stops quietly: only files
        # that end like a JSON array go this way; the others get the exact parser's verdict.
        for path in paths:
            if not _ends_like_array(path):
                raise FastPathError(f"{path}: does not end with ']'")
        con = duckdb.connect(config={"threads": os.cpu_count() or 1})
        con.execute("SET enable_progress_bar = false")
        try:
            table = con.sql(_query(), params={"files": paths}).to_arrow_table()
        except duckdb.Error as exc:
            raise FastPathError(str(exc)) from None
        finally:
            con.close()
    enc = pc.dictionary_encode(table.column("filename")).combine_chunks()
    position = {p: i for i, p in enumerate(paths)}
    to_part = np.array([position[f] for f in enc.dictionary.to_pylist()], dtype=np.int32)
    part = (
        to_part[enc.indices.to_numpy(zero_copy_only=False)]
        if table.num_rows
        else np.zeros(0, np.int32)
    )
    if len(part) and np.any(np.diff(part) < 0):  # keep each file's records in file order
        order = np.argsort(part, kind="stable")
        table, part = table.take(pa.array(order)), part[order]
    starts = np.searchsorted(part, np.arange(len(paths)))
    n = table.num_rows
    # TRY_STRPTIME covers Spotify's own format; anything else gets pandas' ISO-8601 parser,
    # exactly as on the Python path.
    ts = pd.Series(
        table.column("ts_fast").to_numpy(zero_copy_only=False), dtype="datetime64[ns]"
    ).dt.tz_localize("UTC")
    odd = ts.isna().to_numpy() & ~_flags(table, "ts_missing")
    if odd.any():
        ts[odd] = parse_iso(_series(table, "ts", "string")[odd])
    cols: dict[str, object] = {
        "ts": ts,
        "ms_played": _series(table, "ms_played", "Int64"),
        "skipped": _series(table, "skipped", "boolean"),
        "shuffle": _series(table, "shuffle", "boolean"),
        "idx": np.arange(n, dtype=np.int64) - starts[part],
    }
    for name in (
        "kind",
        "track",
        "artist",
        "album",
        "show",
        "episode",
        "uri",
        "reason_start",
        "reason_end",
        "country",
    ):
        cols[name] = _series(table, name, "string")
    frame = staged(cols, n)
    frame["part"] = part
    incognito = _flags(table, "incognito")
    if incognito.any():
        frame.loc[incognito, "drop"] = "incognito_mode"
    flag(frame, _flags(table, "ts_missing"), "missing_field", "ts", "ts is missing")
    flag(frame, _flags(table, "ms_bad"), "wrong_type", "ms_played", "ms_played is not an integer")
    flag(frame, _flags(table, "ms_missing"), "missing_field", "ms_played", "ms_played is missing")
    for name in ("shuffle", "skipped", "incognito_mode"):
        flag(frame, _flags(table, f"{name}_bad"), "wrong_type", name, f"{name} is not true/false")
    accounts: list[str | None] = [None] * len(paths)
    if table.column("account").null_count < n:
        acc = pd.DataFrame({"part": part, "account": _series(table, "account", "string")})
        for p, group in acc.dropna().groupby("part"):
            accounts[int(p)] = majority(group["account"])
    return Batch(frame, accounts)


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
