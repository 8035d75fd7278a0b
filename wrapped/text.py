"""Text that is safe to print, store and show: no control, C1 or bidi-override characters.

Listener data and file names are typed by strangers. An ESC or OSC sequence in a file name
clears a reviewer's screen or retitles the terminal when an error names the file; a newline
splits a one-line error in two; U+202E turns text around on screen, so "3 plays" can read as
something else. Ingest removes these characters from names (wrapped/ingest/clean.py); this
module is for the edges that print or check text: the CLI's error line, tables and JSON output,
and the gate's format check.
"""

from __future__ import annotations

import re

#: C0 controls (tab, newline and carriage return apart), DEL, C1 controls, and the bidi marks,
#: embeddings, overrides and isolates.
_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{_UNSAFE}]")
UNSAFE_OR_LINES = re.compile(f"[{_UNSAFE}\t\n\r]")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with each unsafe character shown as an escape (ESC -> '\\x1b', U+202E ->
    '\\u202e'), so a name is still recognisable but cannot act on the terminal.

    Tabs and line breaks are escaped too unless `lines` (multi-line output such as a prompt):
    a one-line error stays one line.
    """
    return (UNSAFE if lines else UNSAFE_OR_LINES).sub(_escaped, text)


def strip_controls(text: str) -> str:
    """`text` without unsafe characters (tabs and line breaks become spaces)."""
    return UNSAFE.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))


def first_unsafe(text: str) -> str | None:
    """The first unsafe character of `text` as 'U+XXXX' (tabs and line breaks are fine)."""
    m = UNSAFE.search(text)
    return None if m is None else f"U+{ord(m.group(0)):04X}"


def json_safe(dumped: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with C1 and bidi characters written
    as \\uXXXX escapes: the same JSON value, but nothing a terminal would act on."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)
