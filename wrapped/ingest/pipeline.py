"""`ingest`: files, folders and zips in; canonical events, profiles, catalog, counts and rejects out.

Each file is read once into a staged frame; a listener folder that holds several people's
exports stops ingest (layout.py); the listener's id is settled per file (the --user option, else
the account name the export gives, else the listener's folder) and hashed; then the shared checks
run once over everything, vectorized (finish.py): plays found in both of a listener's Spotify
exports are counted once (merge.py) and exact duplicates (also across files) are turned away.
Nothing private survives: readers never read private fields, raw ids are hashed, and file labels
have identities replaced by pseudonyms.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import SecretStr
from rich.console import Console
from rich.progress import Progress

from wrapped.errors import InputError
from wrapped.events import CATALOG_DTYPES, PROFILE_DTYPES, conform
from wrapped.ingest import detect, layout
from wrapped.ingest.clean import clean_names
from wrapped.ingest.finish import finish
from wrapped.ingest.model import (
    FileReport,
    IngestReport,
    IngestResult,
    SkippedFile,
    count_by,
)
from wrapped.ingest.privacy import Scrubber, ensure_pseudonymous, pseudonymize
from wrapped.ingest.readers import (
    Staged,
    lastfm,
    listenbrainz,
    spotify_account,
    spotify_extended,
    spotify_fast,
    tables,
)
from wrapped.ingest.rejects import RejectTable
from wrapped.ingest.scan import RecordLimits
from wrapped.ingest.sources import Limits, Source, discover
from wrapped.ingest.validate import empty_early, flag_undecodable, split_rejects
from wrapped.settings import Settings


@dataclass
class _EventFile:
    source: Source
    format: str
    account: str | None = None  # raw account name the file gives (hashed, never stored)
    users: pd.Series | None = None  # canonical inputs carry their own ids
    sources: pd.Series | None = None


@dataclass
class _Chunk:
    """Staged records of one or more files; `frame["part"]` indexes `files`."""

    frame: pd.DataFrame
    files: list[_EventFile]
    early: pd.DataFrame | None = None  # rows already rejected (validate.split_rejects)


@dataclass
class _Collected:
    chunks: list[_Chunk] = field(default_factory=list)
    userdata: list[tuple[Source, spotify_account.UserData]] = field(default_factory=list)
    group_accounts: dict[str, set[str]] = field(default_factory=dict)
    profiles: list[pd.DataFrame] = field(default_factory=list)
    catalogs: list[pd.DataFrame] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    skipped_paths: list[str] = field(default_factory=list)  # full paths, for the error only


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[object]:
    if not enabled:
        yield None
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingesting", total=total)
        yield lambda: bar.advance(task)


def _extended_fast(sources: list[Source], got: _Collected, limits: RecordLimits) -> set[int]:
    """Stage Spotify extended files with DuckDB, batch by batch; returns the ids of files done.

    A batch the scan cannot take whole is retried file by file; a file that still fails is left
    for the exact Python path (which names it in an InputError if it is truly broken).
    """
    done: set[int] = set()
    for batch in spotify_fast.batches(sources):
        groups = [batch]
        try:
            results = [spotify_fast.read_batch(batch, limits)]
        except (spotify_fast.FastPathError, ImportError):
            groups, results = [], []
            for src in batch:
                try:
                    results.append(spotify_fast.read_batch([src], limits))
                    groups.append([src])
                except (spotify_fast.FastPathError, ImportError):
                    continue
        for group, res in zip(groups, results, strict=True):
            files = [
                _EventFile(src, detect.SPOTIFY_EXTENDED, acc)
                for src, acc in zip(group, res.accounts, strict=True)
            ]
            got.chunks.append(_Chunk(res.frame, files, res.early))
            for src, acc in zip(group, res.accounts, strict=True):
                done.add(id(src))
                if acc:
                    got.group_accounts.setdefault(src.group, set()).add(acc)
    return done


def _read_all(
    sources: list[Source], got: _Collected, *, engine: str, advance: object, settings: Settings
) -> None:
    """Detect every file, read it once, and collect what it holds."""
    detected = []
    for src in sources:
        if src.skip:  # a zip member not to be read: named in the report with why
            detected.append(detect.Detected(None, src.skip))
            continue
        head = src.head()
        detected.append(detect.sniff(head, complete=len(head) >= src.size))
    extended = [
        s for s, d in zip(sources, detected, strict=True) if d.format == detect.SPOTIFY_EXTENDED
    ]
    limits = _record_limits(settings)
    done = _extended_fast(extended, got, limits) if engine in ("auto", "duckdb") else set()
    for src, det in zip(sources, detected, strict=True):
        if id(src) not in done:
            _read(src, det, got, settings)
        if advance:
            advance()  # type: ignore[operator]


def _chunk(frame: pd.DataFrame, files: list[_EventFile]) -> _Chunk:
    """A chunk whose already-rejected rows are kept compact (canonical inputs, whose ids and
    sources are aligned to their rows, are not split)."""
    kept, early = split_rejects(frame)
    return _Chunk(kept, files, early)


def _single(got: _Collected, src: Source, fmt: str, staged: Staged, **extra: object) -> None:
    frame = staged.frame
    if src.notes.get("lossy"):  # bytes that were not UTF-8: the records they touched go
        flag_undecodable(frame)
    frame["part"] = np.zeros(len(frame), dtype=np.int32)
    files = [_EventFile(src, fmt, staged.account, **extra)]
    got.chunks.append(_Chunk(frame, files) if extra else _chunk(frame, files))
    if staged.account:
        got.group_accounts.setdefault(src.group, set()).add(staged.account)


def _record_limits(settings: Settings) -> RecordLimits:
    return RecordLimits(settings.max_json_depth, settings.max_record_bytes)


def _read(src: Source, det: detect.Detected, got: _Collected, settings: Settings) -> None:
    fmt = det.format
    if fmt is None:
        if src.explicit:
            raise InputError(f"{det.reason}; {detect.EXPECTED}", file=src.where)
        got.skipped.append(SkippedFile(file=src.label, reason=det.reason))
        got.skipped_paths.append(src.where)
        return
    accounts = got.group_accounts.setdefault(src.group, set())
    lim = _record_limits(settings)
    if fmt == detect.SPOTIFY_EXTENDED:
        _single(got, src, fmt, spotify_extended.read(src, lim))
    elif fmt == detect.SPOTIFY_EXTENDED_CSV:
        _single(got, src, fmt, spotify_extended.read_csv(src, lim))
    elif fmt == detect.SPOTIFY_ACCOUNT:
        _single(got, src, fmt, spotify_account.read(src, lim))
    elif fmt == detect.LISTENBRAINZ:
        _single(got, src, fmt, listenbrainz.read(src, lim))
    elif fmt == detect.LASTFM:
        _single(got, src, fmt, lastfm.read(src, lim))
    elif fmt in (detect.CANONICAL_PARQUET, detect.CANONICAL_CSV):
        parquet = fmt == detect.CANONICAL_PARQUET
        staged, users, sources = tables.read_canonical(src, parquet, lim)
        _single(got, src, fmt, staged, users=users, sources=sources)
    elif fmt == detect.SPOTIFY_USERDATA:
        ud = spotify_account.read_userdata(src)
        got.userdata.append((src, ud))
        if ud.account:
            accounts.add(ud.account)
    elif fmt == detect.LISTENBRAINZ_USER:
        name = listenbrainz.read_user(src)
        if name:
            accounts.add(name)
    elif fmt == detect.PROFILES_CSV:
        got.profiles.append(tables.read_profiles(src))
    elif fmt == detect.CATALOG_CSV:
        got.catalogs.append(tables.read_catalog(src))


def _check_layout(got: _Collected, *, user_given: bool) -> None:
    """Stop when one listener folder holds several people's exports (see layout.py)."""
    userdata: dict[str, set[str]] = {}
    for src, ud in got.userdata:
        if ud.account:
            userdata.setdefault(src.group, set()).add(ud.account)
    layout.check_one_listener_per_folder(
        (
            layout.EventFile(ef.source, ef.format, chunk.frame, i, ef.account)
            for chunk in got.chunks
            for i, ef in enumerate(chunk.files)
        ),
        userdata,
        user_given=user_given,
    )


def _skipped_line(got: _Collected, paths: Sequence[Path | str], most: int = 8) -> str:
    """Each skipped file (relative to the folder given) and why, then what ingest reads."""
    if not got.skipped:
        return f"no files; {detect.EXPECTED}"
    base = str(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
    named = list(zip(got.skipped, got.skipped_paths, strict=True))[:most]
    shown = "; ".join(
        f"{os.path.relpath(where, base) if base else where}: {s.reason}" for s, where in named
    )
    more = f"; and {len(got.skipped) - most} more" if len(got.skipped) > most else ""
    return f"skipped {len(got.skipped)} file(s): {shown}{more} — {detect.EXPECTED}"


def _raw_user(ef: _EventFile, got: _Collected, user: str | None) -> str:
    """--user, else the file's account name, else the group's one account name, else the folder."""
    if user:
        return user
    if ef.account:
        return ef.account
    names = got.group_accounts.get(ef.source.group, set())
    return next(iter(names)) if len(names) == 1 else ef.source.group


def ingest(
    paths: Sequence[Path | str],
    *,
    settings: Settings,
    user: str | None = None,
    profiles_path: Path | str | None = None,
    progress: bool = False,
    engine: str = "auto",
    now: datetime | None = None,
) -> IngestResult:
    """Read every listening history under `paths` into canonical, validated, private-free tables.

    Raises InputError (naming the file and what was expected) for a file that cannot be read.
    `engine` picks the Spotify extended parser ('auto' = DuckDB with an exact Python fallback).
    """
    salt = settings.salt
    limits = Limits(
        settings.max_files,
        settings.max_expanded_bytes,
        settings.max_zip_ratio,
        settings.max_zip_depth,
    )
    sources = list(discover(list(paths), limits))
    if profiles_path is not None:
        sources += list(discover([profiles_path], limits))
    got = _Collected()
    with _progress(progress, len(sources)) as advance:
        _read_all(sources, got, engine=engine, advance=advance, settings=settings)

    if not got.chunks and not got.profiles and not got.catalogs and not got.userdata:
        where = ", ".join(str(p) for p in paths)
        raise InputError(f"no listening history found ({_skipped_line(got, paths)})", file=where)
    _check_layout(got, user_given=user is not None)

    identities: dict[str, str] = {}
    frames: list[pd.DataFrame] = []
    early: list[pd.DataFrame] = []
    event_files: list[_EventFile] = []
    for chunk in got.chunks:
        offset = len(event_files)
        pseudos = []
        for ef in chunk.files:
            raw = _raw_user(ef, got, user)
            pseudo = pseudonymize(raw, salt)
            for name in {ef.source.group, raw, *got.group_accounts.get(ef.source.group, set())}:
                identities.setdefault(name, pseudo)
            pseudos.append(pseudo)
            event_files.append(ef)
        df = chunk.frame
        part = df.pop("part").to_numpy()
        first = chunk.files[0]
        if first.users is not None and not user:
            uniq = {u: ensure_pseudonymous(u, salt) for u in first.users.dropna().unique()}
            df["user_id"] = first.users.map(uniq).astype("string")
        else:
            ids = pa.array(pseudos, pa.large_string()).take(pa.array(part))
            df["user_id"] = pd.Series(
                pd.arrays.ArrowStringArray(ids), index=df.index, dtype="string"
            )
        df["file_no"] = (part + offset).astype(np.int32)
        if first.sources is not None:
            df["given_source"] = first.sources
        frames.append(df)
        if chunk.early is not None and len(chunk.early):
            early.append(_early(chunk.early, offset, pseudos))
    scrub = Scrubber(identities, salt)
    files = [FileReport(file=scrub(ef.source.label), format=ef.format) for ef in event_files]

    events_all = pd.concat(frames, ignore_index=True) if frames else None
    rejects = RejectTable()
    report = IngestReport(
        files=files,
        skipped_files=[SkippedFile(file=scrub(s.file), reason=s.reason) for s in got.skipped],
    )
    if events_all is None:
        events = conform(pd.DataFrame())
    else:
        earliest = pd.Timestamp(settings.earliest_play, tz="UTC")
        early_all = pd.concat(early, ignore_index=True) if early else empty_early()
        events, rejects, merged = finish(events_all, files, now, earliest, early_all)
        report.read = len(events_all) + len(early_all)
        report.accepted = len(events)
        report.rejected = len(rejects)
        report.dropped = int(events_all["drop"].notna().sum())
        report.merged = int(merged.sum())
        report.rejected_by_reason = rejects.count_by("reason")
        rejects = rejects.first_of_each_reason(settings.max_rejects_written)
        report.rejects_written = len(rejects)
        report.dropped_by_reason = count_by(events_all["drop"].dropna().tolist())
    report.cleaned = clean_names(events, settings.max_name_chars)
    profiles = _profiles(got, identities, user, salt)
    catalog = _catalog(got)
    report.users = int(events["user_id"].nunique())
    report.profiles = len(profiles)
    report.catalog_rows = 0 if catalog is None else len(catalog)
    return IngestResult(
        events=events, profiles=profiles, catalog=catalog, report=report, rejects=rejects
    )


def _early(early: pd.DataFrame, offset: int, pseudos: list[str]) -> pd.DataFrame:
    """A chunk's early rejects with their file numbers and listener ids (as categories)."""
    part = early.pop("part").to_numpy()
    uniq, inverse = np.unique(np.array(pseudos, dtype=object), return_inverse=True)
    early["user_id"] = pd.Categorical.from_codes(inverse[part], categories=uniq)
    early["file_no"] = (part + offset).astype(np.int32)
    return early


def _profiles(
    got: _Collected, identities: dict[str, str], user: str | None, salt: str | SecretStr
) -> pd.DataFrame:
    """Service profiles (hashed ids) first; Userdata.json fills country and birth date gaps."""
    parts = []
    for p in got.profiles:
        q = p.copy()
        q["user_id"] = (
            q.pop("raw_user").map(lambda u: ensure_pseudonymous(str(u), salt)).astype("string")
        )
        parts.append(q)
    for src, ud in got.userdata:
        raw = user or ud.account or src.group
        pid = identities.get(raw) or identities.get(src.group) or pseudonymize(raw, salt)
        parts.append(
            pd.DataFrame([{"user_id": pid, "country": ud.country, "birth_date": ud.birth_date}])
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in PROFILE_DTYPES.items()})
    df = pd.concat(parts, ignore_index=True)
    for col in PROFILE_DTYPES:
        if col not in df.columns:
            df[col] = pd.NA
    df = df[list(PROFILE_DTYPES)].astype(PROFILE_DTYPES)
    return (
        df.groupby("user_id", sort=True)
        .first()
        .reset_index()[list(PROFILE_DTYPES)]
        .astype(PROFILE_DTYPES)
    )


def _catalog(got: _Collected) -> pd.DataFrame | None:
    if not got.catalogs:
        return None
    df = pd.concat(got.catalogs, ignore_index=True).drop_duplicates(ignore_index=True)
    return df.astype(CATALOG_DTYPES)
