"""Two limits on each record, the same whichever parser reads it: nesting depth and size.

Python's `json` gives up at ~1,000 levels (a RecursionError for the whole file) while DuckDB's
reader takes 100,000 levels in its stride, and neither bounds one record's size inside an
array. So both Spotify paths (and every other reader) hand the same bytes and record count to
`check`, and act on its one verdict:

- a record nested deeper than `max_json_depth` stops ingest with one line naming the file and
  the record (no export nests more than a few levels; a deep one is made to break parsers);
- a record over `max_record_bytes` (its JSON text, or its CSV/Parquet row) is a counted
  `record_too_large` reject.

Most files are settled by counting bytes (numpy, no Python per record): when every `{` and `}`
belongs to a flat record object, the `}` positions are the record ends; when there are fewer
extra brackets than `max_json_depth`, no record can be that deep. Only a file that fails both
(ListenBrainz listens nest a few levels; a title may hold a brace) gets the full scan: quotes,
escapes and brackets found in vectorized passes, each record's depth and extent from them.

Depth counts the record itself as 1: `{"a": [1]}` is 2 deep; an array around the records is
not counted.
"""

from __future__ import annotations

import mmap
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wrapped.errors import InputError

_STRUCTURAL = np.zeros(256, dtype=bool)
_STRUCTURAL[[ord(c) for c in '"\\[]{},\n']] = True
_QUOTE, _BACKSLASH, _COMMA, _NEWLINE = ord('"'), ord("\\"), ord(","), ord("\n")
_LBRACE, _RBRACE, _LBRACKET = ord("{"), ord("}"), ord("[")
_DELTA = np.zeros(256, dtype=np.int64)
_DELTA[[ord("["), ord("{")]] = 1
_DELTA[[ord("]"), ord("}")]] = -1
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[0x20, 0x09, 0x0D, 0x0A]] = True


class RecordLimits(NamedTuple):
    """The `max_json_depth` and `max_record_bytes` settings, as the readers need them."""

    max_depth: int = 64
    max_bytes: int = 2**20

    def detail(self) -> str:
        return f"record is over {self.max_bytes:,} bytes (setting max_record_bytes)"


class Survey(NamedTuple):
    """The counts over a file's bytes that settle most files (see `check`). Taken apart from
    the verdict so the fast path can count a file's bytes while DuckDB still parses them."""

    first: int  # position of the first byte that is not blank (-1: none)
    brackets: int  # '[' bytes
    closes: int  # '}' bytes (-1: not counted yet)


def survey(buf: bytes | mmap.mmap) -> Survey:
    """Count what `check` needs first; numpy releases the GIL for these passes."""
    b = np.frombuffer(buf, dtype=np.uint8)
    return Survey(_first_ink(b), _count(b, _LBRACKET), _count(b, _RBRACE))


def _count(b: np.ndarray, byte: int) -> int:
    return int(np.count_nonzero(b == byte))


def check(
    buf: bytes | mmap.mmap,
    where: str,
    records: int,
    limits: RecordLimits,
    *,
    jsonl: bool = False,
    objects: bool = True,
    counted: Survey | None = None,
) -> np.ndarray:
    """Which of the `records` top-level records of `buf` are over `limits.max_bytes` (a bool
    per record); InputError naming the file and the record if one nests past `max_depth`.

    `buf` is a JSON array (its elements are the records), another JSON value (one record), or,
    with `jsonl`, one record per non-blank line; `objects`: every record is a JSON object (only
    then can braces alone mark where records end). Text that is not JSON gets no error here:
    the parser names it as it always did. `counted` is `survey(buf)` when already taken.
    """
    b = np.frombuffer(buf, dtype=np.uint8)
    too_big = np.zeros(records, dtype=bool)
    first, brackets, closes = counted or Survey(_first_ink(b), _count(b, _LBRACKET), -1)
    array = not jsonl and first >= 0 and b[first] == _LBRACKET
    if array and objects:  # a Spotify history: two counts over the bytes settle it
        # one '}' per record: no object nests in one and no string holds a brace, so each '}'
        # ends a record, and only arrays nest, at most as deep as there are '['
        if (
            brackets <= limits.max_depth
            and (closes if closes >= 0 else _count(b, _RBRACE)) == records
        ):
            if len(b) <= limits.max_bytes or _close_together(buf, first, limits.max_bytes):
                return too_big
            ends = np.flatnonzero(b == _RBRACE)
            return np.diff(np.concatenate(([first], ends))) > limits.max_bytes
    opens = np.count_nonzero(b == _LBRACE)
    # each record opens one level; what is left over bounds how deep any record can go
    if opens + brackets - records - int(array) < limits.max_depth and (
        jsonl or len(b) <= limits.max_bytes
    ):
        return too_big
    sizes = _full(b, where, limits.max_depth, jsonl=jsonl, array=array)
    if jsonl:
        return too_big  # the JSONL reader measures its own lines
    k = min(records, len(sizes))
    too_big[:k] = sizes[:k] > limits.max_bytes
    return too_big


def _close_together(buf: bytes | mmap.mmap, start: int, most: int) -> bool:
    """True when no '}' lies more than `most` bytes after the one before it (or after `start`).

    Decided without finding every '}': when each block of `most // 2` bytes up to the last one
    holds a '}', two neighbours are less than two blocks apart. A few `find` calls (memchr) per
    file; False (then measured exactly) when a block holds none.
    """
    step, last = most // 2, buf.rfind(b"}")
    if step < 1:
        return False
    for pos in range(start + 1, last + 1, step):
        if buf.find(b"}", pos, pos + step) < 0:
            return False
    return True


def _first_ink(b: np.ndarray) -> int:
    """Position of the first byte that is not whitespace or a UTF-8 BOM's (-1: none)."""
    head = b[:4096]
    ink = np.flatnonzero(~_SPACE[head] & (head < 0x80))
    if not len(ink) and len(b) > 4096:
        ink = np.flatnonzero(~_SPACE[b] & (b < 0x80))
    return int(ink[0]) if len(ink) else -1


def _outside_strings(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions, bytes) of the structural bytes that are not inside a JSON string."""
    pos = np.flatnonzero(_STRUCTURAL[b])
    c = b[pos]
    # A quote is escaped when an odd run of backslashes sits right before it.
    bs = c == _BACKSLASH
    adjacent = np.zeros(len(pos), dtype=bool)
    np.equal(np.diff(pos), 1, out=adjacent[1:])
    run_start = bs & ~np.concatenate(([False], bs[:-1] & adjacent[1:]))
    start_at = np.maximum.accumulate(np.where(run_start, np.arange(len(pos)), 0))
    run_len = np.where(bs, np.arange(len(pos)) - start_at + 1, 0)
    prev_run = np.concatenate(([0], run_len[:-1]))
    quote = (c == _QUOTE) & ~(adjacent & (prev_run % 2 == 1))
    inside = (np.cumsum(quote) - quote) % 2 == 1
    keep = ~inside & ~quote & ~bs
    return pos[keep], c[keep]


def _full(b: np.ndarray, where: str, max_depth: int, *, jsonl: bool, array: bool) -> np.ndarray:
    """Each record's size (an array's records run from one separator to the next); InputError
    at the first record nested deeper than `max_depth`."""
    pos, c = _outside_strings(b)
    delta = _DELTA[c]
    level = np.cumsum(delta)
    if jsonl:
        line = np.cumsum(c == _NEWLINE)  # a newline belongs to the line after it (delta 0)
        first = np.searchsorted(line, line, side="left")
        depth = level - (level[first] - delta[first])  # levels restart on each line
        bounds = np.concatenate(([-1], np.flatnonzero(b == _NEWLINE), [len(b)]))
        ink = np.concatenate(([0], np.cumsum(~_SPACE[b])))
        nonblank = (ink[bounds[1:]] - ink[bounds[:-1] + 1]) > 0
        record = np.cumsum(nonblank)[line] - 1  # index among the non-blank lines
        sizes = (np.diff(bounds) - 1)[nonblank]
    elif array:
        depth = level - 1  # the array around the records is not a level of theirs
        sep = (c == _COMMA) & (depth == 0)
        record = np.cumsum(sep) - sep
        cuts = np.concatenate((pos[:1], pos[sep], [len(b)]))
        sizes = np.diff(cuts)
    else:
        depth, record, sizes = level, np.zeros(len(c), dtype=np.int64), np.array([len(b)])
    deep = np.flatnonzero(depth > max_depth)
    if len(deep):
        raise InputError(
            f"record {int(record[deep[0]])} nests more than {max_depth} levels deep "
            "(setting max_json_depth): refused",
            file=where,
        )
    return sizes


def row_sizes(table: pd.DataFrame | pa.Table) -> np.ndarray:
    """Bytes of text in each row of a CSV or Parquet table (its string columns, UTF-8)."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table.astype("string"), preserve_index=False)
    total = np.zeros(table.num_rows, dtype=np.int64)
    for col in table.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            lengths = pc.fill_null(pc.binary_length(col), 0)
            total += lengths.to_numpy().astype(np.int64)
    return total
