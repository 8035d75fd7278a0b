"""A run's records as columns: what a whole-run reader needs, without decoding JSON.

`RunStore` validates every record into its pydantic model, which is right for a tool that reads
a few hundred stories; a tool that reads them all (the monitor, on two runs of a million
stories) cannot even afford to decode their JSON (~55 s for two such runs, with orjson). So
when a shard is sealed the store also writes its columns as Parquet (zstd), one file per table
in `columns/<table>/shard-NNNNN.parquet` (`COLUMN_TABLES`: the listeners' year figures, their
interesting days with each day's log, the stories, the verdicts' judge scores), and these
readers memory-map them and take only the columns asked for.

A shard sealed before this release has no such files: `ensure_columns` builds them once from
its JSONL (with the same builders sealing uses) and writes them, so the next reader is fast. A
shard without them (not sealed yet, or a folder this user may not write) is read from its JSONL
in memory. `wrapped erase` rewrites these files as it rewrites the JSONL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from wrapped.store.files import atomic_write
from wrapped.store.layout import COLUMN_TABLES, RunLayout
from wrapped.store.run import RunStore
from wrapped.store.tables import (
    FACT_FIELDS,
    Row,
    Rows,
    dict_rows,
    stories_table,
    verdicts_table,
    years_tables,
)

Tables = dict[str, pa.Table]


def write_columns(
    layout: RunLayout,
    shard: int,
    stories: list[Row],
    review: list[Row],
    verdicts: list[Row],
) -> None:
    """Seal's step: the shard's columns from its records in hand (and its user_years file,
    written when the run was staged), each file written atomically."""
    _write(layout, shard, _build(layout, shard, (stories, review, verdicts)))


def ensure_columns(store: RunStore) -> list[int]:
    """Write the columns of every sealed shard that has none (sealed by an older release),
    built once from its JSONL; the shards written. A folder this user may not write is left
    as it is (its shards are then read from their JSONL each time)."""
    built: list[int] = []
    for shard in _shards(store.layout):
        if store.layout.shard_done(shard) and not _has_columns(store.layout, shard):
            try:
                _write(store.layout, shard, _build(store.layout, shard))
            except PermissionError:
                return built
            built.append(shard)
    return built


@dataclass
class YearColumns:
    """Listeners' year figures (one row each) and their interesting days (one row each, with
    the day's log as list columns), and every key the days' facts hold."""

    listeners: pa.Table
    days: pa.Table
    fact_fields: set[str] = field(default_factory=set)


def year_columns(store: RunStore) -> YearColumns:
    """The run's UserYear records as columns (see `tables.years_tables`), in shard order."""
    listeners = _concat(_read(store, "listeners"), "listeners")
    days = _read(store, "days")
    fields: set[str] = set()
    for t in days:
        fields.update(orjson.loads((t.schema.metadata or {}).get(FACT_FIELDS, b"[]")))
    return YearColumns(listeners, _concat(days, "days"), fields)


def years_from_rows(rows: Rows) -> YearColumns:
    """UserYear records (as JSON dicts) as columns, in memory (a stats-only run)."""
    listeners, days = years_tables(rows)
    return YearColumns(listeners, days, set(orjson.loads(days.schema.metadata[FACT_FIELDS])))


def story_columns(store: RunStore) -> pa.Table:
    """Stories as columns (see `tables.stories_table`): shard by shard, its stored stories
    then those it held for a human (`held`)."""
    return _concat(_read(store, "stories"), "stories")


def verdict_columns(store: RunStore) -> pa.Table:
    """Verdicts as columns (see `tables.verdicts_table`); judge columns unioned over shards."""
    return _concat(_read(store, "verdicts"), "verdicts")


def _read(store: RunStore, table: str) -> list[pa.Table]:
    """`table` of every shard: its Parquet file memory-mapped, else built from its JSONL."""
    store.manifest()  # a newer schema, or a damaged manifest, is one line before any record
    out = []
    for shard in _shards(store.layout):
        path = store.layout.columns_file(table, shard)
        if _has_columns(store.layout, shard):
            out.append(pq.read_table(path, memory_map=True))
        else:
            out.append(_build(store.layout, shard)[table])
    return out


def _concat(tables: list[pa.Table], name: str) -> pa.Table:
    if len(tables) == 1:
        return tables[0]
    if not tables:  # a run with no shard yet: the table's columns, no rows
        listeners, days = years_tables(iter(()))
        none = {"listeners": listeners, "days": days, "verdicts": verdicts_table(iter(())),
                "stories": stories_table(iter(()), held=False)}  # fmt: skip
        return none[name]
    return pa.concat_tables(tables, promote_options="permissive")  # chunks: no copy


def _shards(layout: RunLayout) -> list[int]:
    """Every shard with a record file, in order."""
    found = set()
    for kind in ("user_years", "stories", "needs_review", "verdicts"):
        found |= {int(p.stem.split("-")[1]) for p in (layout.root / kind).glob("shard-*.jsonl")}
    return sorted(found)


def _has_columns(layout: RunLayout, shard: int) -> bool:
    return all(layout.columns_file(t, shard).exists() for t in COLUMN_TABLES)


def _build(
    layout: RunLayout,
    shard: int,
    records: tuple[list[Row], list[Row], list[Row]] | None = None,
) -> Tables:
    """The shard's tables from its records (those given, else its JSONL files)."""

    def rows(kind: str, given: list[Row] | None) -> Rows:
        path = layout.shard_file(kind, shard)
        return _jsonl_rows(path) if given is None else dict_rows(path, given)

    stories, review, verdicts = records or (None, None, None)
    listeners, days = years_tables(_jsonl_rows(layout.shard_file("user_years", shard)))
    held = stories_table(rows("needs_review", review), held=True)
    return {
        "listeners": listeners,
        "days": days,
        "stories": pa.concat_tables([stories_table(rows("stories", stories), held=False), held]),
        "verdicts": verdicts_table(rows("verdicts", verdicts)),
    }


def _jsonl_rows(path: Path) -> Iterator[tuple[Path, int, Row]]:
    """(file, record number, record) of a JSONL file; a torn last line is skipped (as
    `read_jsonl`), and a missing file has none."""
    if not path.exists():
        return
    lines = path.read_bytes().split(b"\n")
    lines.pop()  # after the last "\n": empty, or a torn tail from a crash (not complete)
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield path, i, orjson.loads(line)
        except orjson.JSONDecodeError:
            continue  # as read_jsonl: a torn line is skipped


def _write(layout: RunLayout, shard: int, tables: Tables) -> None:
    for name, table in tables.items():
        write_table(layout.columns_file(name, shard), table)


def write_table(path: Path, table: pa.Table) -> None:
    """A Parquet file written atomically (`files.atomic_write`), zstd-compressed."""
    atomic_write(path, lambda fh: pq.write_table(table, fh, compression="zstd"))
