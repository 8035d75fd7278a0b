"""Writers for the real export formats, fed from canonical events.

They write what the services hand out, private fields included (documentation-range IPs,
made-up user agents and e-mails), so the readers and the privacy rules are exercised on the
real shapes: Spotify extended (current, pre-audiobook and old `endsong` layouts), Spotify
account data (with Userdata.json), the ListenBrainz export zip, and Last.fm CSVs.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Field order of the current Spotify extended layout (2024+).
EXTENDED_FIELDS = (
    "ts platform ms_played conn_country ip_addr master_metadata_track_name "
    "master_metadata_album_artist_name master_metadata_album_album_name spotify_track_uri "
    "episode_name episode_show_name spotify_episode_uri audiobook_title audiobook_uri "
    "audiobook_chapter_uri audiobook_chapter_title reason_start reason_end shuffle skipped "
    "offline offline_timestamp incognito_mode"
).split()
_BOOK_FIELDS = {
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
}
NO_AUDIOBOOK_FIELDS = tuple(f for f in EXTENDED_FIELDS if f not in _BOOK_FIELDS)
ENDSONG_FIELDS = (
    "ts username platform ms_played conn_country ip_addr_decrypted user_agent_decrypted "
    "master_metadata_track_name master_metadata_album_artist_name "
    "master_metadata_album_album_name spotify_track_uri episode_name episode_show_name "
    "spotify_episode_uri reason_start reason_end shuffle skipped offline offline_timestamp "
    "incognito_mode"
).split()

PLATFORMS = ("android", "ios", "windows", "osx", "web_player", "iOS 17.4.1 (iPhone15,2)")


def _none(v: Any) -> Any:
    return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v


def extended_records(
    events: pd.DataFrame,
    *,
    layout: str = "current",
    username: str = "",
    ip: str = "192.0.2.10",
    user_agent: str = "Mozilla/5.0 (demo user agent)",
    incognito: Iterable[int] = (),
    seed: int = 0,
) -> list[dict[str, object]]:
    """Spotify extended records for `events` (canonical, one listener) in the given layout."""
    rng = np.random.default_rng(seed)
    incog = set(incognito)
    recs = []
    ts = events["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ").tolist()
    cols = {c: [_none(v) for v in events[c].tolist()] for c in events.columns}
    platform = rng.choice(PLATFORMS[:4], len(events))
    for i in range(len(events)):
        rec: dict[str, object] = {
            "ts": ts[i],
            "username": username,
            "platform": str(platform[i]),
            "ms_played": int(cols["ms_played"][i]),
            "conn_country": cols["country"][i] or "ZZ",
            "ip_addr": ip,
            "ip_addr_decrypted": ip,
            "user_agent_decrypted": user_agent,
            **_item_fields(cols, i),
            "reason_start": cols["reason_start"][i] or "",
            "reason_end": cols["reason_end"][i] or "",
            "shuffle": bool(cols["shuffle"][i]) if cols["shuffle"][i] is not None else False,
            "skipped": cols["skipped"][i],
            "offline": False,
            "offline_timestamp": 0,
            "incognito_mode": i in incog,
        }
        fields = _apply_layout(rec, layout, ts[i], rng)
        recs.append({f: rec[f] for f in fields})
    return recs


#: the fields that name what was played: None but for the record's own kind
_ITEM_FIELDS = (
    "master_metadata_track_name", "master_metadata_album_artist_name",
    "master_metadata_album_album_name", "spotify_track_uri", "episode_name", "episode_show_name",
    "spotify_episode_uri", "audiobook_title", "audiobook_uri", "audiobook_chapter_uri",
    "audiobook_chapter_title",
)  # fmt: skip


def _item_fields(cols: dict[str, list[Any]], i: int) -> dict[str, object]:
    """The track, episode or audiobook fields of event `i` (the other kinds' fields None)."""
    out: dict[str, object] = dict.fromkeys(_ITEM_FIELDS)
    kind, uri = cols["kind"][i], cols["uri"][i]
    if kind == "track":
        out["master_metadata_track_name"] = cols["track"][i]
        out["master_metadata_album_artist_name"] = cols["artist"][i]
        out["master_metadata_album_album_name"] = cols["album"][i]
        out["spotify_track_uri"] = uri
    elif kind == "episode":
        out["episode_name"] = cols["episode"][i]
        out["episode_show_name"] = cols["show"][i]
        out["spotify_episode_uri"] = uri
    elif kind == "audiobook":
        out["audiobook_title"] = cols["show"][i]
        out["audiobook_uri"] = uri
        out["audiobook_chapter_uri"] = (uri + ":c") if uri else None
        out["audiobook_chapter_title"] = cols["episode"][i]
    return out


def _apply_layout(
    rec: dict[str, object], layout: str, ts: str, rng: np.random.Generator
) -> Iterable[str]:
    """Set the layout's offline timestamp (and old exports' skipped flags); its field names."""
    if layout == "endsong":
        # Old exports: skipped mostly null, offline timestamps in ms.
        rec["skipped"] = None if rng.random() < 0.9 else rec["skipped"]
        rec["offline_timestamp"] = int(pd.Timestamp(ts).timestamp() * 1000) - 5_000
        return ENDSONG_FIELDS
    rec["offline_timestamp"] = int(pd.Timestamp(ts).timestamp()) - 5
    return EXTENDED_FIELDS if layout == "current" else NO_AUDIOBOOK_FIELDS


def dump_json_array(records: list[dict[str, object]], *, spotify_spacing: bool = False) -> bytes:
    """A pretty-printed JSON array as Spotify writes it (account data uses '"key" : value')."""
    sep = (",", " : ") if spotify_spacing else (",", ": ")
    return json.dumps(records, indent=2, ensure_ascii=False, separators=sep).encode("utf-8")


def account_records(events: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """Spotify account-data records split into music / podcast / audiobook lists."""
    end = events["ts"].dt.strftime("%Y-%m-%d %H:%M").tolist()
    out: dict[str, list[dict[str, object]]] = {"music": [], "podcast": [], "audiobook": []}
    for i, row in enumerate(events.itertuples(index=False)):
        ms = int(row.ms_played)
        if row.kind == "track":
            out["music"].append(
                {
                    "endTime": end[i],
                    "artistName": row.artist,
                    "trackName": row.track,
                    "msPlayed": ms,
                }
            )
        elif row.kind == "episode":
            out["podcast"].append(
                {
                    "endTime": end[i],
                    "podcastName": row.show,
                    "episodeName": row.episode,
                    "msPlayed": ms,
                }
            )
        else:
            out["audiobook"].append(
                {
                    "endTime": end[i],
                    "audiobookName": row.show,
                    "chapterName": row.episode,
                    "authorName": "A. Author",
                    "msPlayed": ms,
                }
            )
    return out


def userdata(username: str, country: str, birthdate: str | None) -> dict[str, object]:
    """A Userdata.json with every private field a real one has (only two are ever read)."""
    return {
        "username": username,
        "email": f"{username}@example.com",
        "country": country,
        "createdFromFacebook": False,
        "facebookUid": None,
        "birthdate": birthdate,
        "gender": "nonbinary",
        "postalCode": "SW1A 1AA",
        "mobileNumber": "+44 7700 900123",
        "mobileOperator": "DemoTel",
        "mobileBrand": "DemoPhone",
        "creationTime": "2016-04-02",
    }


def listenbrainz_zip(path: Path, events: pd.DataFrame, *, username: str, user_id: int) -> None:
    """The ListenBrainz export zip: user.json, listens/YYYY/M.jsonl, feedback.jsonl."""
    tracks = events[events["kind"] == "track"]
    start = tracks["ts"] - pd.to_timedelta(tracks["ms_played"], unit="ms")
    by_month: dict[tuple[int, int], list[str]] = {}
    for s, row in zip(start, tracks.itertuples(index=False), strict=True):
        spotify_id = str(row.uri).rsplit(":", 1)[-1] if isinstance(row.uri, str) else None
        listen = {
            "listened_at": int(s.timestamp()),
            "inserted_at": round(s.timestamp() + 41.5, 6),
            "track_metadata": {
                "track_name": row.track,
                "artist_name": row.artist,
                "release_name": row.album,
                "recording_msid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{row.artist}/{row.track}")),
                "additional_info": {
                    "duration_ms": int(max(row.ms_played, 30_000)),
                    "music_service": "spotify.com",
                    "submission_client": "listenbrainz",
                    "spotify_id": f"https://open.spotify.com/track/{spotify_id}"
                    if spotify_id
                    else None,
                },
                "mbid_mapping": None,
            },
        }
        by_month.setdefault((s.year, s.month), []).append(json.dumps(listen, ensure_ascii=False))

    def member(name: str) -> zipfile.ZipInfo:
        # A fixed date keeps the archive byte-identical for a given seed.
        info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            member("user.json"), json.dumps({"user_id": user_id, "username": username}) + "\n"
        )
        for (year, month), lines in sorted(by_month.items()):
            zf.writestr(member(f"listens/{year}/{month}.jsonl"), "\n".join(lines) + "\n")
        zf.writestr(
            member("feedback.jsonl"),
            json.dumps(
                {"recording_msid": "x", "recording_mbid": None, "score": 1, "created": 1700000000}
            )
            + "\n",
        )


def lastfm_csv(events: pd.DataFrame, *, style: str = "uts") -> bytes:
    """Last.fm scrobbles, newest first: 'uts' (lastfm-to-csv with header) or 'classic' (no header)."""
    tracks = events[events["kind"] == "track"].copy()
    tracks["start"] = tracks["ts"] - pd.to_timedelta(tracks["ms_played"], unit="ms")
    tracks = tracks.sort_values("start", ascending=False)
    buf = io.StringIO()
    w = csv.writer(
        buf, quoting=csv.QUOTE_ALL if style == "uts" else csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    if style == "uts":
        w.writerow(
            [
                "uts",
                "utc_time",
                "artist",
                "artist_mbid",
                "album",
                "album_mbid",
                "track",
                "track_mbid",
            ]
        )
        for r in tracks.itertuples(index=False):
            w.writerow(
                [
                    int(r.start.timestamp()),
                    r.start.strftime("%d %b %Y, %H:%M"),
                    r.artist,
                    "",
                    r.album or "",
                    "",
                    r.track,
                    "",
                ]
            )
    else:
        for r in tracks.itertuples(index=False):
            w.writerow([r.artist, r.album or "", r.track, r.start.strftime("%d %b %Y %H:%M")])
    return buf.getvalue().encode("utf-8")


def fake_pdf(text: str) -> bytes:
    """A tiny PDF-looking file, like the ReadMeFirst PDFs in Spotify's zips (never ingested)."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n% " + text.encode() + b"\n%%EOF\n"


def write_extended_history(
    out_dir: Path,
    records: list[dict[str, object]],
    *,
    per_file: int = 16_000,
    prefix: str = "Streaming_History_Audio",
) -> list[Path]:
    """Split records into Spotify-sized files (`<prefix>_<years>_<n>.json`); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, start in enumerate(range(0, max(len(records), 1), per_file)):
        chunk = records[start : start + per_file]
        years = sorted({str(r["ts"])[:4] for r in chunk}) or ["2024"]
        span = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
        path = out_dir / f"{prefix}_{span}_{n}.json"
        path.write_bytes(dump_json_array(chunk))
        paths.append(path)
    return paths
