"""Content-based format detection: what a file IS, never what it is called.

Spotify names files by year and ListenBrainz by month; people rename and re-zip them. So the
first 64 KB decide: magic bytes (zip, Parquet, PDF), then JSON keys, then a CSV header.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import NamedTuple

from wrapped.ingest.readers.spotify_fields import CSV_MARKERS

SPOTIFY_EXTENDED = "spotify_extended"
SPOTIFY_EXTENDED_CSV = "spotify_extended_csv"
SPOTIFY_ACCOUNT = "spotify_account"
SPOTIFY_USERDATA = "spotify_userdata"
LISTENBRAINZ = "listenbrainz"
LISTENBRAINZ_USER = "listenbrainz_user"
LASTFM = "lastfm_csv"
CANONICAL_PARQUET = "canonical_parquet"
CANONICAL_CSV = "canonical_csv"
PROFILES_CSV = "profiles_csv"
CATALOG_CSV = "catalog_csv"

EXPECTED = (
    "expected a Spotify extended (JSON or CSV) or account-data (JSON) streaming history, a "
    "ListenBrainz export (JSON/JSONL), a Last.fm scrobble CSV, or canonical Parquet/CSV"
)

#: Column names any of our CSV formats uses (named back when a CSV is not one of them).
_KNOWN_COLUMNS = frozenset(
    {"user_id", "user", "ts", "ms_played", "artist", "track", "album", "date", "uts"}
    | {"utc_time", "timestamp", "time", "country", "tier", "birth_date", "timezone", "genres"}
    | {"release_year", "endtime", "msplayed", "artistname", "trackname"}
    | CSV_MARKERS
)
HEAD_CHARS = 64 * 1024  # sources.HEAD_BYTES: what sniff is given
_LASTFM_DATE = re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4},? \d{1,2}:\d{2}$")


class Detected(NamedTuple):
    """A format name, or None with the short reason it is not one we read (EXPECTED not included:
    the caller adds it once, so a list of skipped files stays one readable line)."""

    format: str | None
    reason: str = ""
    binary: bool = False


def _text(head: bytes) -> str | None:
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the 64 KB head is still text.
        if exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8-sig", errors="strict")
        return None


def _has(text: str, *keys: str) -> bool:
    return all(re.search(r'"' + re.escape(k) + r'"\s*:', text) for k in keys)


def _json_format(text: str, complete: bool) -> Detected:
    if _has(text, "ts", "ms_played"):
        return Detected(SPOTIFY_EXTENDED)
    if _has(text, "endTime", "msPlayed"):
        return Detected(SPOTIFY_ACCOUNT)
    if _has(text, "listened_at"):
        return Detected(LISTENBRAINZ)
    stripped = text.lstrip()
    if (
        stripped.startswith("{")
        and _has(text, "username")
        and (_has(text, "birthdate") or _has(text, "country"))
    ):
        return Detected(SPOTIFY_USERDATA)
    if stripped.startswith("{") and _has(text, "user_id", "username"):
        return Detected(LISTENBRAINZ_USER)
    if re.fullmatch(r"\[\s*\]\s*", stripped):
        return Detected(None, "an empty JSON array (no records)")
    if complete:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return Detected(None, f"truncated or invalid JSON ({exc})")
        except RecursionError:
            return Detected(None, "JSON nested too deeply")
    return Detected(None, "JSON, but not a listening history")


def _csv_format(text: str) -> Detected:
    lines = text.splitlines()
    first = lines[0] if lines else ""
    if len(lines) == 1 and len(text.encode("utf-8")) >= HEAD_CHARS:
        return Detected(None, "text whose first line is over 64 KB (not a CSV header)")
    try:
        row = next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return Detected(None, "text, not a known format")
    cols = {c.strip().lower() for c in row}
    if {"user_id", "ts", "ms_played"} <= cols:
        return Detected(CANONICAL_CSV)
    if {"ts", "ms_played"} <= cols and (
        cols & CSV_MARKERS or any(c.startswith("master_metadata_") for c in cols)
    ):
        return Detected(SPOTIFY_EXTENDED_CSV)
    if cols & {"user", "user_id"} and cols & {"country", "tier", "birth_date", "timezone"}:
        return Detected(PROFILES_CSV)
    if "artist" in cols and cols & {"genres", "release_year"}:
        return Detected(CATALOG_CSV)
    if {"artist", "track"} <= cols and cols & {"date", "uts", "utc_time", "timestamp", "time"}:
        return Detected(LASTFM)
    if len(row) == 4 and _LASTFM_DATE.match(row[3].strip()):
        return Detected(LASTFM)
    for sep in (";", "\t", "|"):
        other = {c.strip().lower() for c in first.split(sep)}
        if len(other) > 1 and len(other & _KNOWN_COLUMNS) >= 2:
            return Detected(None, f"a CSV separated by {sep!r} (expected ',')")
    if len(row) > 1:
        # Only columns we know are named back: a header row may be data (names, e-mails).
        known = sorted(cols & _KNOWN_COLUMNS)
        has = f"only {', '.join(known)} of the known columns" if known else "no known column"
        return Detected(None, f"a CSV with {has} in its first row")
    return Detected(None, "text, not a known format")


def sniff(head: bytes, complete: bool = False) -> Detected:
    """Classify a file from its first bytes (`complete`: the head is the whole file)."""
    if not head.strip():
        return Detected(None, "empty file")
    if head[:4] == b"PAR1":
        return Detected(CANONICAL_PARQUET)
    if head[:4] == b"%PDF":
        return Detected(None, "a PDF document", binary=True)
    if b"\x00" in head[:8192]:
        return Detected(None, "binary file", binary=True)
    text = _text(head)
    if text is None:
        # Text with a bad byte is still read (those records are rejected): only when the rest
        # is a format we know; else it is named as what it is
        found = _sniff_text(head.decode("utf-8-sig", errors="replace"), complete)
        return found if found.format else Detected(None, "not UTF-8 text", binary=True)
    return _sniff_text(text, complete)


def _sniff_text(text: str, complete: bool) -> Detected:
    """Classify decoded text: JSON by its keys, else CSV by its header."""
    stripped = text.lstrip()
    if stripped[:1] in "[{":
        return _json_format(text, complete)
    return _csv_format(stripped)
