"""Writing and reading an ingest's outputs (the folder `wrapped stats` and the batch job read).

out_dir/events.parquet, profiles.parquet, catalog.parquet (when any), rejects.jsonl,
ingest_report.json. Files are written to a temporary name and renamed, so a crash never
leaves a half-written table that a later stage would trust.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from wrapped.errors import InputError
from wrapped.events import CATALOG_DTYPES, PROFILE_DTYPES, conform
from wrapped.ingest.model import IngestReport, IngestResult
from wrapped.ingest.rejects import RejectTable


def _atomic(path: Path, write: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)  # type: ignore[operator]
    os.replace(tmp, path)


def _parquet(df: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    _atomic(path, lambda p: pq.write_table(table, p, compression="zstd"))


def write_ingest(result: IngestResult, out_dir: Path | str) -> None:
    """Write events, profiles, catalog (if any), rejects and the report into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _parquet(conform(result.events), out / "events.parquet")
    _parquet(result.profiles.astype(PROFILE_DTYPES), out / "profiles.parquet")
    if result.catalog is not None:
        _parquet(result.catalog.astype(CATALOG_DTYPES), out / "catalog.parquet")
    elif (out / "catalog.parquet").exists():
        (out / "catalog.parquet").unlink()

    def rejects(p: Path) -> None:
        with p.open("wb") as fh:
            RejectTable.from_list(result.rejects).write_jsonl(fh)

    _atomic(out / "rejects.jsonl", rejects)
    _atomic(
        out / "ingest_report.json",
        lambda p: p.write_text(result.report.model_dump_json(indent=2), encoding="utf-8"),
    )


def read_ingested(out_dir: Path | str) -> IngestResult:
    """Read back what `write_ingest` wrote (InputError if the folder is not an ingest output)."""
    out = Path(out_dir)
    events_path = out / "events.parquet"
    if not events_path.exists():
        raise InputError(
            "no events.parquet here; run `wrapped ingest PATH --out DIR` first", file=str(out)
        )
    events = conform(pq.read_table(events_path).to_pandas())
    prof_path = out / "profiles.parquet"
    profiles = (
        pq.read_table(prof_path).to_pandas().astype(PROFILE_DTYPES)
        if prof_path.exists()
        else pd.DataFrame({c: pd.Series(dtype=t) for c, t in PROFILE_DTYPES.items()})
    )
    cat_path = out / "catalog.parquet"
    catalog = (
        pq.read_table(cat_path).to_pandas().astype(CATALOG_DTYPES) if cat_path.exists() else None
    )
    rep_path = out / "ingest_report.json"
    report = (
        IngestReport.model_validate_json(rep_path.read_text(encoding="utf-8"))
        if rep_path.exists()
        else IngestReport()
    )
    rej_path = out / "rejects.jsonl"
    rejects = RejectTable.read_jsonl(rej_path) if rej_path.exists() else RejectTable()
    return IngestResult(
        events=events, profiles=profiles, catalog=catalog, report=report, rejects=rejects
    )
