"""Fixtures for the ingest tests, written from the services' documented field lists.

Every private field carries a distinctive value, so a test can search every output file for it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq

from wrapped.ingest import IngestResult, ingest, write_ingest
from wrapped.settings import Settings

SALT = "test-salt-0123"
SETTINGS = Settings(salt=SALT)

IP = "203.0.113.77"
IP_OLD = "198.51.100.23"
USER_AGENT = "Mozilla/5.0 (PrivateAgent 9.9; tracker)"
USERNAME = "secret_listener_42"
EMAIL = "secret.person@example.org"
PLATFORM = "iOS 17.4 (iPhone15,2) PRIVDEVICE"
OFFLINE_TS = 1700000123
POSTAL = "ZZ9 9ZZ"
PHONE = "+44 7700 900999"
LB_USER = "lb_private_user_77"
PRIVATE_STRINGS = (
    IP,
    IP_OLD,
    USER_AGENT,
    USERNAME,
    EMAIL,
    PLATFORM,
    str(OFFLINE_TS),
    POSTAL,
    PHONE,
    LB_USER,
    "PRIVDEVICE",
)


def ext(**over: object) -> dict[str, object]:
    """A Spotify extended record, current layout (23 fields, audiobook_* included)."""
    rec: dict[str, object] = {
        "ts": "2024-03-01T12:00:00Z",
        "platform": PLATFORM,
        "ms_played": 180000,
        "conn_country": "GB",
        "ip_addr": IP,
        "master_metadata_track_name": "Song A",
        "master_metadata_album_artist_name": "Artist A",
        "master_metadata_album_album_name": "Album A",
        "spotify_track_uri": "spotify:track:aaaaaaaaaaaaaaaaaaaaaa",
        "episode_name": None,
        "episode_show_name": None,
        "spotify_episode_uri": None,
        "audiobook_title": None,
        "audiobook_uri": None,
        "audiobook_chapter_uri": None,
        "audiobook_chapter_title": None,
        "reason_start": "clickrow",
        "reason_end": "trackdone",
        "shuffle": False,
        "skipped": False,
        "offline": False,
        "offline_timestamp": OFFLINE_TS,
        "incognito_mode": False,
    }
    rec.update(over)
    return rec


def episode(**over: object) -> dict[str, object]:
    """A podcast row: track fields null, as in real exports."""
    base = ext(
        master_metadata_track_name=None,
        master_metadata_album_artist_name=None,
        master_metadata_album_album_name=None,
        spotify_track_uri=None,
        episode_name="Episode 1",
        episode_show_name="The Show",
        spotify_episode_uri="spotify:episode:eeeeeeeeeeeeeeeeeeeeee",
    )
    base.update(over)
    return base


def audiobook(**over: object) -> dict[str, object]:
    base = ext(
        master_metadata_track_name=None,
        master_metadata_album_artist_name=None,
        master_metadata_album_album_name=None,
        spotify_track_uri=None,
        audiobook_title="The Book",
        audiobook_uri="spotify:show:bbbbbbbbbbbbbbbbbbbbbb",
        audiobook_chapter_uri="spotify:episode:cccccccccccccccccccccc",
        audiobook_chapter_title="Chapter 1",
    )
    base.update(over)
    return base


def no_audiobook(**over: object) -> dict[str, object]:
    """The 2023 layout: same as current, without audiobook_* fields."""
    rec = ext(**over)
    for k in (
        "audiobook_title",
        "audiobook_uri",
        "audiobook_chapter_uri",
        "audiobook_chapter_title",
    ):
        rec.pop(k)
    return rec


def endsong(**over: object) -> dict[str, object]:
    """The old `endsong_*.json` layout: username, ip_addr_decrypted, user_agent_decrypted."""
    rec: dict[str, object] = {
        "ts": "2021-09-21T19:38:59Z",
        "username": USERNAME,
        "platform": PLATFORM,
        "ms_played": 14450,
        "conn_country": "US",
        "ip_addr_decrypted": IP_OLD,
        "user_agent_decrypted": USER_AGENT,
        "master_metadata_track_name": "Old Song",
        "master_metadata_album_artist_name": "Old Artist",
        "master_metadata_album_album_name": "Old Album",
        "spotify_track_uri": "spotify:track:oooooooooooooooooooooo",
        "episode_name": None,
        "episode_show_name": None,
        "spotify_episode_uri": None,
        "reason_start": "clickrow",
        "reason_end": "fwdbtn",
        "shuffle": False,
        "skipped": None,
        "offline": False,
        "offline_timestamp": OFFLINE_TS * 1000,
        "incognito_mode": False,
    }
    rec.update(over)
    return rec


def userdata(**over: object) -> dict[str, object]:
    rec: dict[str, object] = {
        "username": USERNAME,
        "email": EMAIL,
        "country": "SE",
        "createdFromFacebook": False,
        "facebookUid": None,
        "birthdate": "1990-05-17",
        "gender": "female",
        "postalCode": POSTAL,
        "mobileNumber": PHONE,
        "mobileOperator": "PrivTel",
        "mobileBrand": "PrivPhone",
        "creationTime": "2015-01-01",
    }
    rec.update(over)
    return rec


def lb_listen(**over: object) -> dict[str, object]:
    """A ListenBrainz export listen (listened_at = start, epoch seconds)."""
    rec: dict[str, object] = {
        "inserted_at": 1709294500.52,
        "listened_at": 1709294400,
        "user_name": LB_USER,
        "track_metadata": {
            "track_name": "LB Song",
            "artist_name": "LB Artist",
            "release_name": "LB Album",
            "recording_msid": "03dcc65c-0e01-4f25-aa1f-0f469d10e2ad",
            "additional_info": {
                "duration_ms": 200000,
                "spotify_id": "https://open.spotify.com/track/2AX5E86cn9n2dgioZEjirI",
            },
            "mbid_mapping": None,
        },
    }
    rec.update(over)
    return rec


def write_json(path: Path, obj: object, *, spacing: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sep = (",", " : ") if spacing else (",", ": ")
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, separators=sep), encoding="utf-8")
    return path


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def run(paths: list[Path], **kw: object) -> IngestResult:
    return ingest(paths, settings=SETTINGS, **kw)  # type: ignore[arg-type]


def output_text(out_dir: Path) -> str:
    """Every value of every output file, as text (Parquet is compressed, so read it)."""
    parts = []
    for f in sorted(out_dir.iterdir()):
        if f.suffix == ".parquet":
            table = pq.read_table(f)
            parts.append(" ".join(table.column_names))
            for col in table.columns:
                parts.extend(str(v) for v in col.to_pylist())
        else:
            parts.append(f.read_text(encoding="utf-8"))
    return "\n".join(parts)


def write_and_read(result: IngestResult, out: Path) -> str:
    write_ingest(result, out)
    return output_text(out)
