"""ListenBrainz exports: a JSON array of listens, JSONL, or the export zip's monthly
`listens/YYYY/M.jsonl` (plus `user.json`, which only names the listener).

`listened_at` is when the listen started (epoch seconds, sometimes fractional). ListenBrainz
keeps no play length: the track's `additional_info.duration_ms` (or `duration`, seconds) stands
in, else a typical track length (SCROBBLE_MS). A JSONL line that is not JSON is one rejected
record, not a broken file: the other lines are fine.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged, load_json, load_records, majority
from wrapped.ingest.scan import RecordLimits, check
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import as_str, flag, staged

#: What a scrobble without a length counts as (Last.fm and ListenBrainz keep no play length).
SCROBBLE_MS = 210_000
EXPECTED = "expected a ListenBrainz export (JSON array or JSONL of listens)"


class _Records(NamedTuple):
    recs: list[object]
    broken: np.ndarray  # a JSONL line that is not JSON (or nests past Python's parser)
    big: np.ndarray  # a JSONL line over the record size limit (never parsed)


def _records(source: Source, limits: RecordLimits) -> _Records:
    text = source.text()
    if text.lstrip().startswith("["):
        data, over = load_records(text, EXPECTED, source.where, limits)
        if not isinstance(data, list):
            raise InputError(f"not a JSON array; {EXPECTED}", file=source.where)
        return _Records(data, np.zeros(len(data), dtype=bool), over)
    # JSONL is split on '\n' only and blank means JSON whitespace, as scan.check counts its
    # lines (a stray '\x1c' or U+2028 inside a name is not a line break)
    lines = [line for line in text.split("\n") if line.strip(" \t\r")]
    check(text.encode("utf-8"), source.where, len(lines), limits, jsonl=True)
    recs: list[object] = []
    broken: list[bool] = []
    big: list[bool] = []
    for line in lines:
        too_big = len(line) * 4 > limits.max_bytes and len(line.encode()) > limits.max_bytes
        big.append(too_big)
        try:
            recs.append({} if too_big else json.loads(line))
            broken.append(False)
        except (json.JSONDecodeError, RecursionError):
            recs.append({})
            broken.append(True)
    return _Records(recs, np.array(broken, dtype=bool), np.array(big, dtype=bool))


def _get(rec: object, *path: str) -> object:
    for key in path:
        if not isinstance(rec, dict):
            return None
        rec = rec.get(key)
    return rec


def _ms(info: object) -> int:
    d = _get(info, "duration_ms")
    if isinstance(d, int | float) and not isinstance(d, bool) and 0 < d < 86_400_000:
        return int(d)
    d = _get(info, "duration")
    if isinstance(d, int | float) and not isinstance(d, bool) and 0 < d < 86_400:
        return int(d * 1000)
    return SCROBBLE_MS


def _uri(rec: object) -> str | None:
    sid = _get(rec, "track_metadata", "additional_info", "spotify_id")
    if isinstance(sid, str) and "/track/" in sid:
        return "spotify:track:" + sid.rsplit("/track/", 1)[1].split("?")[0]
    mbid = _get(rec, "track_metadata", "mbid_mapping", "recording_mbid") or _get(
        rec, "track_metadata", "additional_info", "recording_mbid"
    )
    return f"musicbrainz:recording:{mbid}" if isinstance(mbid, str) and mbid else None


def read(source: Source, limits: RecordLimits = RecordLimits()) -> Staged:
    """Read one ListenBrainz listens file (array or JSONL; a record over `limits.max_bytes` is
    a rejected record, and a JSONL line that big is never parsed)."""
    recs, broken, big = _records(source, limits)
    not_obj = np.fromiter((not isinstance(r, dict) for r in recs), bool, len(recs)) & ~broken
    at = [_get(r, "listened_at") for r in recs]
    epoch = pd.to_numeric(
        pd.Series(
            [v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in at],
            dtype="float64",
        ),
        errors="coerce",
    )
    ts = pd.to_datetime((epoch * 1000).round(), unit="ms", utc=True, errors="coerce")
    text_at, _ = as_str([v if isinstance(v, str) else None for v in at])
    ts = ts.fillna(pd.to_datetime(text_at, utc=True, errors="coerce", format="ISO8601"))
    artist, bad_a = as_str([_get(r, "track_metadata", "artist_name") for r in recs])
    track, bad_t = as_str([_get(r, "track_metadata", "track_name") for r in recs])
    album, bad_r = as_str([_get(r, "track_metadata", "release_name") for r in recs])
    user, _ = as_str([_get(r, "user_name") for r in recs])
    frame = staged(
        {
            "ts": ts,
            "ms_played": pd.Series(
                [_ms(_get(r, "track_metadata", "additional_info")) for r in recs], dtype="Int64"
            ),
            "kind": pd.Series("track", index=range(len(recs)), dtype="string"),
            # a listen says when, not for how long: its length is the track's, or a typical one
            "ms_estimated": pd.Series(True, index=range(len(recs)), dtype="boolean"),
            "track": track,
            "artist": artist,
            "album": album,
            "uri": pd.Series([_uri(r) for r in recs], dtype="string"),
        },
        len(recs),
    )
    flag(frame, big, "record_too_large", None, limits.detail())
    flag(frame, broken, "invalid_json", None, "line is not valid JSON")
    flag(frame, not_obj, "wrong_type", None, "record is not a JSON object")
    flag(
        frame,
        pd.Series(at).isna().to_numpy(),
        "missing_field",
        "listened_at",
        "listened_at is missing",
    )
    flag(
        frame,
        bad_a | bad_t | bad_r,
        "wrong_type",
        "track_metadata",
        "a name holds an object or list",
    )
    flag(frame, artist.isna().to_numpy(), "missing_field", "artist_name", "artist_name is missing")
    flag(frame, track.isna().to_numpy(), "missing_field", "track_name", "track_name is missing")
    return Staged(frame, majority(user))


def read_user(source: Source) -> str | None:
    """The account name in an export zip's user.json (hashed by the caller, never stored)."""
    data = load_json(source.text(), "expected ListenBrainz user.json", source.where)
    name = data.get("username") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None
