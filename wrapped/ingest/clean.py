"""Names made safe at the door: no control, C1 or bidi-override characters, no 50 MB titles.

Titles are typed by strangers. An ESC or OSC sequence in an artist name later reaches a
terminal, a prompt and a story; a U+202E turns "3 plays" around on screen; a 10,000-character
name gave a 261 KB prompt. So every name the events carry is cleaned once here, in Arrow
compute over whole columns, and each change is counted in the report (`IngestReport.cleaned`).
Most histories hold none of these characters: a byte scan of each column's buffer decides
whether the (slower) regular expressions run at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: The free-text columns of the events (codes and ids are never shown as prose).
NAME_COLUMNS = ("track", "artist", "album", "show", "episode")
#: What a cut name ends with, so a reader sees it was cut.
CUT_MARKER = "…"
#: C0 and C1 controls, DEL, and the bidi embeddings, overrides, isolates and marks (RE2 syntax).
UNSAFE = r"[\x{00}-\x{1f}\x{7f}-\x{9f}\x{061c}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]"
_SPACING = r"[\t\n\r\x{0b}\x{0c}\x{85}]+"  # line breaks and tabs become one space


def _maybe_unsafe(arr: pa.ChunkedArray) -> bool:
    """False when no byte of the column could start an unsafe character (the usual case).

    Unsafe characters are C0 bytes, DEL, or UTF-8 sequences led by 0xC2 (C1), 0xD8 (U+061C)
    or 0xE2 (U+200E..U+2069); a column without those bytes needs no regular expression. Each
    chunk's own bytes are read where they lie (a chunk may be a slice of a larger buffer).
    """
    for chunk in arr.chunks:
        data = chunk.buffers()[2]
        if data is None or not len(chunk):
            continue
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        ends = np.frombuffer(chunk.buffers()[1], dtype=width)[
            [chunk.offset, chunk.offset + len(chunk)]
        ]
        b = np.frombuffer(data, dtype=np.uint8)[ends[0] : ends[1]]
        if ((b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b == 0xD8) | (b == 0xE2)).any():
            return True
    return False


def _column(s: pd.Series) -> pa.ChunkedArray:
    arr = pa.array(s.array)  # Arrow-backed strings: their own chunks, not a copy
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pa.array(s.array, type=pa.string())
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def clean_names(events: pd.DataFrame, max_chars: int) -> dict[str, int]:
    """Clean the name columns of `events` in place; returns {what was done: names changed}."""
    unsafe = cut = 0
    for col in NAME_COLUMNS:
        if col not in events.columns or not len(events):
            continue
        arr = _column(events[col])
        changed = False
        if _maybe_unsafe(arr):
            hit = pc.fill_null(pc.match_substring_regex(arr, UNSAFE), False)
            n = pc.sum(hit).as_py() or 0
            if n:
                arr = pc.replace_substring_regex(arr, _SPACING, " ")
                arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, UNSAFE, ""))
                arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
                unsafe += n
                changed = True
        long = pc.fill_null(pc.greater(pc.utf8_length(arr), max_chars), False)
        n = pc.sum(long).as_py() or 0
        if n:
            short = pc.binary_join_element_wise(
                pc.utf8_slice_codeunits(arr, 0, max_chars - 1),
                pa.scalar(CUT_MARKER, arr.type),
                pa.scalar("", arr.type),
            )
            arr = pc.if_else(long, short, arr)
            cut += n
            changed = True
        if changed:
            events[col] = pd.Series(
                pd.arrays.ArrowStringArray(arr), index=events.index, dtype=events[col].dtype
            )
    return {k: v for k, v in (("control_characters_removed", unsafe), ("long_names_cut", cut)) if v}
