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

SPOTIFY_EXTENDED = "spotify_extended"
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
    "expected a Spotify extended or account-data streaming history (JSON), a ListenBrainz "
    "export (JSON/JSONL), a Last.fm scrobble CSV, or canonical Parquet/CSV"
)

_LASTFM_DATE = re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4},? \d{1,2}:\d{2}$")


class Detected(NamedTuple):
    """A format name, or None with the reason it is not one we read."""

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
            return Detected(None, f"truncated or invalid JSON ({exc}); {EXPECTED}")
    return Detected(None, f"JSON, but not a listening history ({EXPECTED})")


def _csv_format(text: str) -> Detected:
    first = text.splitlines()[0] if text.splitlines() else ""
    try:
        row = next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return Detected(None, f"not a known format ({EXPECTED})")
    cols = {c.strip().lower() for c in row}
    if {"user_id", "ts", "ms_played"} <= cols:
        return Detected(CANONICAL_CSV)
    if cols & {"user", "user_id"} and cols & {"country", "tier", "birth_date", "timezone"}:
        return Detected(PROFILES_CSV)
    if "artist" in cols and cols & {"genres", "release_year"}:
        return Detected(CATALOG_CSV)
    if {"artist", "track"} <= cols and cols & {"date", "uts", "utc_time", "timestamp", "time"}:
        return Detected(LASTFM)
    if len(row) == 4 and _LASTFM_DATE.match(row[3].strip()):
        return Detected(LASTFM)
    return Detected(None, f"not a known format ({EXPECTED})")


def sniff(head: bytes, complete: bool = False) -> Detected:
    """Classify a file from its first bytes (`complete`: the head is the whole file)."""
    if not head.strip():
        return Detected(None, f"empty file ({EXPECTED})")
    if head[:4] == b"PAR1":
        return Detected(CANONICAL_PARQUET)
    if head[:4] == b"%PDF" or b"\x00" in head[:8192]:
        return Detected(None, f"binary file ({EXPECTED})", binary=True)
    text = _text(head)
    if text is None:
        return Detected(None, f"not UTF-8 text ({EXPECTED})", binary=True)
    stripped = text.lstrip()
    if stripped[:1] in "[{":
        return _json_format(text, complete)
    return _csv_format(stripped)
