"""ListenBrainz exports: a JSON array of listens, JSONL, or the export zip's monthly
`listens/YYYY/M.jsonl` (plus `user.json`, which only names the listener).

`listened_at` is when the listen started (epoch seconds, sometimes fractional). ListenBrainz
keeps no play length: the track's `additional_info.duration_ms` (or `duration`, seconds) stands
in, else a typical track length (SCROBBLE_MS). A JSONL line that is not JSON is one rejected
record, not a broken file: the other lines are fine.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.readers import Staged, majority
from wrapped.ingest.sources import Source
from wrapped.ingest.validate import as_str, flag, staged

#: What a scrobble without a length counts as (Last.fm and ListenBrainz keep no play length).
SCROBBLE_MS = 210_000
EXPECTED = "expected a ListenBrainz export (JSON array or JSONL of listens)"


def _records(source: Source) -> tuple[list[object], np.ndarray]:
    text = source.read_bytes().decode("utf-8-sig", errors="strict")
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc}); {EXPECTED}", file=source.where) from None
        if not isinstance(data, list):
            raise InputError(f"not a JSON array; {EXPECTED}", file=source.where)
        return data, np.zeros(len(data), dtype=bool)
    recs: list[object] = []
    broken: list[bool] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            recs.append(json.loads(line))
            broken.append(False)
        except json.JSONDecodeError:
            recs.append({})
            broken.append(True)
    return recs, np.array(broken, dtype=bool)


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


def read(source: Source) -> Staged:
    """Read one ListenBrainz listens file (array or JSONL)."""
    try:
        recs, broken = _records(source)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc}); {EXPECTED}", file=source.where) from None
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
    try:
        data = json.loads(source.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"not valid JSON ({exc}); expected ListenBrainz user.json", file=source.where
        ) from None
    name = data.get("username") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None
