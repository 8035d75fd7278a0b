"""Rejected records, kept as columns: a hostile file of ten million `{}` is ten million rejects.

As pydantic objects they cost ~2.3 KB each (17 GB for that file); as columns (file number,
record index, and reason/field/detail/user id strings Arrow stores once per distinct value after
dictionary encoding) a few bytes each. `RejectTable` is a `Sequence[Reject]`, so callers that
loop over rejects still get `Reject` models, built only when asked for; `write_jsonl` streams
the table to rejects.jsonl in vectorized chunks, never a Python object per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from wrapped.ingest.model import Reject

#: The text columns of a reject (beside `file` and `record`), in Reject's field order.
_TEXT = ("field", "reason", "detail", "user_id")
_CHUNK = 1 << 20
_SCHEMA = pa.schema(
    [("file", pa.string()), ("record", pa.int64())] + [(c, pa.string()) for c in _TEXT]
)


class RejectTable(Sequence[Reject]):
    """Rejected records as a table: `files[file_no[i]]`, `record[i]` and the text columns."""

    #: The staged columns `from_frames` reads.
    COLUMNS = ["file_no", "idx", "reject_field", "reject", "reject_detail", "user_id"]

    def __init__(self, table: pa.Table | None = None) -> None:
        self.table = table if table is not None else _SCHEMA.empty_table()

    @classmethod
    def from_frames(cls, frames: list[pd.DataFrame | None], files: list[str]) -> RejectTable:
        """From rejected staged rows (file_no, idx, reject_field, reject, reject_detail,
        user_id), in file and record order. Text is dictionary-encoded: a few bytes a row."""
        parts = [f for f in frames if f is not None and len(f)]
        if not parts:
            return cls()
        cols = cls.COLUMNS
        rej = pd.concat([f[cols].astype({c: "category" for c in cols[2:]}) for f in parts],
                        ignore_index=True)  # fmt: skip
        key = rej["file_no"].to_numpy(np.int64) << 40 | rej["idx"].to_numpy(np.int64)
        if np.any(np.diff(key) < 0):  # early and late rejects interleave: file, record order
            rej = rej.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)
        labels, codes = np.unique(np.array(files, dtype=object), return_inverse=True)
        fno = codes.astype(np.int32)[rej["file_no"].to_numpy()]
        table = {
            "file": pa.DictionaryArray.from_arrays(pa.array(fno), pa.array(labels, pa.string())),
            "record": pa.array(rej["idx"].to_numpy(dtype=np.int64)),
        }
        for name, col in zip(_TEXT, cols[2:], strict=True):
            table[name] = _dictionary(rej[col])
        return cls(pa.table(table))

    @classmethod
    def from_list(cls, rejects: Sequence[Reject]) -> RejectTable:
        if isinstance(rejects, RejectTable):
            return rejects
        rows = [r.model_dump() for r in rejects]
        return cls(pa.Table.from_pylist(rows, schema=_SCHEMA))

    @classmethod
    def read_jsonl(cls, path: Path) -> RejectTable:
        """What `write_jsonl` wrote (an empty file is an empty table)."""
        if path.stat().st_size == 0:
            return cls()
        opts = pa_json.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="ignore")
        return cls(pa_json.read_json(path, parse_options=opts).select(_SCHEMA.names))

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @overload
    def __getitem__(self, i: int) -> Reject: ...
    @overload
    def __getitem__(self, i: slice) -> RejectTable: ...
    def __getitem__(self, i: int | slice) -> Reject | RejectTable:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            return RejectTable(self.table.take(pa.array(range(start, stop, step), pa.int64())))
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        row = self.table.slice(i % n, 1).to_pylist()[0]
        return Reject(**row)

    def __iter__(self) -> Iterator[Reject]:
        for batch in self.table.to_batches(_CHUNK):
            for row in batch.to_pylist():
                yield Reject(**row)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        other = other if isinstance(other, RejectTable) else RejectTable.from_list(other)
        return self.plain().equals(other.plain())

    def plain(self) -> pa.Table:
        """The table with plain (not dictionary-encoded) strings."""
        return self.table.cast(_SCHEMA)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RejectTable({len(self)} rejects)"

    def count_by(self, column: str) -> dict[str, int]:
        """{value: rows}, sorted by value (model.count_by's shape, without a Python list)."""
        counts = pc.value_counts(self.table.column(column)).to_pylist()
        return {c["values"]: int(c["counts"]) for c in sorted(counts, key=lambda c: c["values"])}

    def first_of_each_reason(self, most: int) -> RejectTable:
        """The first `most` rejects of each reason, in file and record order: what rejects.jsonl
        keeps, so ten million rejects write a few MB, not 1.5 GB (the report counts them all)."""
        if len(self) <= most:
            return self
        reason = self.table.column("reason")
        if not pa.types.is_dictionary(reason.type):
            reason = pc.dictionary_encode(reason)
        codes = reason.to_pandas().cat.codes.to_numpy()  # one category set over all chunks
        rank = pd.Series(codes).groupby(codes).cumcount().to_numpy()
        if (rank < most).all():
            return self
        return RejectTable(self.table.filter(pa.array(rank < most)))

    def write_jsonl(self, fh: IO[bytes]) -> None:
        """One JSON object per line, as `Reject.model_dump_json()` would write it."""
        for batch in self.table.to_batches(_CHUNK):
            fh.write(_lines(batch))


def _dictionary(col: pd.Series) -> pa.DictionaryArray:
    cat = col.astype("category").cat
    codes = pa.array(cat.codes.to_numpy(), mask=cat.codes.to_numpy() < 0).cast(pa.int32())
    values = pa.array([str(v) for v in cat.categories], pa.string())
    return pa.DictionaryArray.from_arrays(codes, values)


def _json_values(arr: pa.Array) -> pa.Array:
    """Each value as JSON text ('null' for null), escaping each distinct string once."""
    enc = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)
    texts = pa.array([json.dumps(v, ensure_ascii=False) for v in enc.dictionary.to_pylist()],
                     pa.string())  # fmt: skip
    return pc.fill_null(texts.take(enc.indices), "null")


def _lines(batch: pa.RecordBatch) -> bytes:
    parts: list[Any] = []
    for name in _SCHEMA.names:
        col = batch.column(name)
        value = pc.cast(col, pa.string()) if name == "record" else _json_values(col)
        parts += [f',"{name}":' if parts else f'{{"{name}":', value]
    parts.append("}\n")
    joined = pc.binary_join_element_wise(*parts, "")
    joined = pa.concat_arrays([joined])  # offset 0: the data buffer is the lines, in order
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=len(joined) + 1)
    return joined.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]] if len(joined) else b""
