"""Each reader on small fixtures written from the documented field lists (nulls, layouts, zips)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _ingest_helpers import (
    SALT,
    SETTINGS,
    USERNAME,
    audiobook,
    endsong,
    episode,
    ext,
    lb_listen,
    no_audiobook,
    run,
    userdata,
    write_json,
    write_zip,
)

from wrapped.events import EVENT_COLUMNS, EVENT_DTYPES
from wrapped.ingest import ingest, pseudonymize, read_ingested, write_ingest
from wrapped.ingest.readers.listenbrainz import SCROBBLE_MS


def _ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC")


def test_spotify_extended_current_layout_maps_tracks_episodes_and_audiobooks(
    tmp_path: Path,
) -> None:
    f = write_json(
        tmp_path / "alice" / "Streaming_History_Audio_2024_0.json",
        [
            ext(conn_country="ZZ", reason_start="", shuffle=True),
            episode(ts="2024-03-02T08:00:00Z", ms_played=1_200_000),
            audiobook(ts="2024-03-03T21:00:00Z", ms_played=600_000),
        ],
    )
    r = run([f.parent])
    ev = r.events
    assert list(ev.columns) == EVENT_COLUMNS
    assert {c: str(t) for c, t in ev.dtypes.items()} == {
        c: str(pd.Series(dtype=t).dtype) for c, t in EVENT_DTYPES.items()
    }
    assert ev["kind"].tolist() == ["track", "episode", "audiobook"]
    t, e, b = (ev.iloc[i] for i in range(3))
    assert (t["track"], t["artist"], t["album"]) == ("Song A", "Artist A", "Album A")
    assert t["ts"] == _ts("2024-03-01T12:00:00")
    assert pd.isna(t["country"])  # 'ZZ' is Spotify's "unknown"
    assert pd.isna(t["reason_start"])  # '' means unknown
    assert bool(t["shuffle"]) is True and bool(t["skipped"]) is False
    assert (e["show"], e["episode"], e["uri"]) == (
        "The Show",
        "Episode 1",
        "spotify:episode:eeeeeeeeeeeeeeeeeeeeee",
    )
    assert pd.isna(e["track"]) and pd.isna(e["artist"])
    assert (b["show"], b["episode"], b["uri"]) == (
        "The Book",
        "Chapter 1",
        "spotify:episode:cccccccccccccccccccccc",
    )
    assert ev["source"].tolist() == [f"Streaming_History_Audio_2024_0.json#{i}" for i in range(3)]
    # No account name in this layout: the listener's folder names them.
    assert set(ev["user_id"]) == {pseudonymize("alice", SALT)}


def test_old_endsong_layout_takes_the_account_name_and_keeps_null_skips(tmp_path: Path) -> None:
    f = write_json(
        tmp_path / "endsong_0.json",
        [endsong(), endsong(ts="2015-01-01T00:00:00Z", skipped=True, incognito_mode=None)],
    )
    r = run([f])
    assert r.report.accepted == 2
    assert set(r.events["user_id"]) == {pseudonymize(USERNAME, SALT)}
    assert r.events["skipped"].isna().iloc[0] and bool(r.events["skipped"].iloc[1])


def test_pre_audiobook_layout_and_nested_zip_folders(tmp_path: Path) -> None:
    inner = write_zip(
        tmp_path / "inner.zip",
        {
            "deeper/Streaming_History_Audio_2023.json": json.dumps(
                [no_audiobook(ts="2023-06-01T10:00:00Z")]
            )
        },
    )
    z = write_zip(
        tmp_path / "bob" / "my_spotify_data.zip",
        {
            "Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json": json.dumps(
                [no_audiobook(), episode()]
            ),
            "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf": b"%PDF-1.4 not a history",
            "nested/other.zip": inner.read_bytes(),
        },
    )
    r = run([z])
    assert r.report.read == 3 and r.report.accepted == 3
    assert [s.file for s in r.report.skipped_files] == [
        "my_spotify_data.zip/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf"
    ]
    assert "my_spotify_data.zip/nested/other.zip/deeper/Streaming_History_Audio_2023.json#0" in set(
        r.events["source"]
    )
    assert set(r.events["user_id"]) == {pseudonymize("bob", SALT)}


def test_account_data_music_podcast_audiobook_and_userdata(tmp_path: Path) -> None:
    base = "Spotify Account Data"
    z = write_zip(
        tmp_path / "x" / "my_spotify_data.zip",
        {
            f"{base}/StreamingHistory_music_0.json": json.dumps(
                [
                    {
                        "endTime": "2024-01-05 23:59",
                        "artistName": "Unknown Artist",
                        "trackName": "Unknown Track",
                        "msPlayed": 0,
                    },
                    {
                        "endTime": "2024-01-06 00:03",
                        "artistName": "Ana",
                        "trackName": "Río",
                        "msPlayed": 12_600_000,
                    },
                ],
                indent=2,
                separators=(",", " : "),
            ),
            f"{base}/StreamingHistory_podcast_0.json": json.dumps(
                [
                    {
                        "endTime": "2024-01-07 07:30",
                        "podcastName": "Pod",
                        "episodeName": "Ep",
                        "msPlayed": 1000,
                    }
                ]
            ),
            f"{base}/StreamingHistory_audiobook_0.json": json.dumps(
                [
                    {
                        "endTime": "2024-01-08 22:00",
                        "audiobookName": "Book",
                        "chapterName": "Ch 1",
                        "authorName": "Writer",
                        "msPlayed": 5000,
                    }
                ]
            ),
            f"{base}/Userdata.json": json.dumps(userdata()),
            f"{base}/Playlist1.json": json.dumps({"playlists": []}),
        },
    )
    r = run([z])
    ev = r.events.sort_values("ts", ignore_index=True)
    assert ev["kind"].tolist() == ["track", "track", "episode", "audiobook"]
    assert ev["ts"].iloc[0] == _ts("2024-01-05T23:59:00")
    assert ev["ms_played"].tolist() == [0, 12_600_000, 1000, 5000]  # 0 ms and 3.5 h are real plays
    assert (ev["show"].iloc[3], ev["episode"].iloc[3]) == ("Book", "Ch 1")
    uid = pseudonymize(USERNAME, SALT)  # Userdata names the listener for every file of the export
    assert set(ev["user_id"]) == {uid}
    prof = r.profiles.set_index("user_id").loc[uid]
    assert (prof["country"], prof["birth_date"]) == ("SE", "1990-05-17")
    assert pd.isna(prof["tier"]) and pd.isna(prof["timezone"])
    assert len(r.report.skipped_files) == 1  # the playlist file


def test_listenbrainz_jsonl_array_and_export_zip(tmp_path: Path) -> None:
    listen = lb_listen()
    listen.pop("user_name")  # the export zip's listens carry no user name; user.json does
    no_len = dict(listen, listened_at=1709380800)
    no_len["track_metadata"] = {
        "track_name": "Short",
        "artist_name": "Nobody",
        "additional_info": {},
    }
    z = write_zip(
        tmp_path / "listenbrainz_someone_else_1735689600.zip",
        {
            "user.json": json.dumps({"user_id": 7, "username": "someone_else"}),
            "listens/2024/3.jsonl": json.dumps(listen) + "\n" + json.dumps(no_len) + "\n",
            "feedback.jsonl": json.dumps({"recording_msid": "x", "score": 1, "created": 1}) + "\n",
        },
    )
    arr = write_json(tmp_path / "lb_array.json", [lb_listen(listened_at=1709467200.25)])
    r = run([z])
    ev = r.events.sort_values("ts", ignore_index=True)
    assert ev["ts"].tolist() == [_ts("2024-03-01T12:00:00"), _ts("2024-03-02T12:00:00")]
    assert ev["ms_played"].tolist() == [200_000, SCROBBLE_MS]
    assert ev["uri"].iloc[0] == "spotify:track:2AX5E86cn9n2dgioZEjirI"
    assert (ev["artist"].iloc[0], ev["track"].iloc[0], ev["album"].iloc[0]) == (
        "LB Artist",
        "LB Song",
        "LB Album",
    )
    assert (
        r.events["source"]
        .iloc[0]
        .startswith(
            f"listenbrainz_{pseudonymize('someone_else', SALT)}_1735689600.zip/listens/2024/3.jsonl#"
        )
    )
    assert set(r.events["user_id"]) == {pseudonymize("someone_else", SALT)}
    r2 = run([arr])
    assert r2.events["ts"].tolist() == [_ts("2024-03-03T12:00:00.25")]


def test_lastfm_csv_with_and_without_header(tmp_path: Path) -> None:
    header = tmp_path / "u" / "scrobbles.csv"
    header.parent.mkdir()
    header.write_text(
        "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"
        '"1720688852","11 Jul 2024, 09:07","The Cure","","Faith","","Primary",""\n'
        '"1720688656","11 Jul 2024, 09:04","Go‐Go’s","","","","This Town",""\n',
        encoding="utf-8",
    )
    plain = tmp_path / "u" / "export.txt"
    plain.write_text(
        "Björk,Post,Army of Me,31 Jan 2024 14:25\nNo Track Artist,Album,,31 Jan 2024 14:30\n",
        encoding="utf-8",
    )
    r = run([header, plain])
    ev = r.events.sort_values("ts", ignore_index=True)
    assert ev["artist"].tolist() == ["Björk", "Go‐Go’s", "The Cure"]
    assert ev["ts"].tolist() == [
        _ts("2024-01-31T14:25"),
        _ts("2024-07-11T09:04:16"),
        _ts("2024-07-11T09:07:32"),
    ]
    assert pd.isna(ev["album"].iloc[1])  # empty album -> null
    assert (ev["ms_played"] == SCROBBLE_MS).all()
    assert [(x.reason, x.field, x.record) for x in r.rejects] == [("missing_field", "track", 1)]


def test_canonical_parquet_round_trip_keeps_ids_and_sources(tmp_path: Path) -> None:
    f = write_json(tmp_path / "carol" / "h.json", [ext(), episode(ts="2024-05-01T00:00:00Z")])
    first = run([f.parent])
    write_ingest(first, tmp_path / "out")
    again = ingest([tmp_path / "out" / "events.parquet"], settings=SETTINGS)
    pd.testing.assert_frame_equal(again.events, first.events)
    back = read_ingested(tmp_path / "out")
    pd.testing.assert_frame_equal(back.events, first.events)
    assert back.report == first.report


def test_profiles_and_catalog_csv_are_detected_from_content(tmp_path: Path) -> None:
    f = write_json(tmp_path / "dave" / "h.json", [ext()])
    prof = tmp_path / "service_side.txt"
    prof.write_text(
        "user,country,tier,birth_date,timezone\ndave,de,Premium,1980-02-29,Europe/Berlin\nnobody,XX1,gold,bad,Not/AZone\n"
    )
    cat = tmp_path / "meta.dat"
    cat.write_text(
        "artist,track,album,release_year,genres\nArtist A,Song A,Album A,1999,rock;indie\nArtist A,,,,rock\n"
    )
    r = run([f.parent, cat], profiles_path=prof)
    p = r.profiles.set_index("user_id")
    dave = p.loc[pseudonymize("dave", SALT)]
    assert (dave["country"], dave["tier"], dave["birth_date"], dave["timezone"]) == (
        "DE",
        "premium",
        "1980-02-29",
        "Europe/Berlin",
    )
    other = p.loc[pseudonymize("nobody", SALT)]
    assert other.isna().all()  # invalid values become unknown, not errors
    assert r.catalog["genres"].tolist() == ["rock;indie", "rock"]
    assert r.catalog["release_year"].tolist()[0] == 1999


def test_detection_ignores_file_names(tmp_path: Path) -> None:
    f = write_json(tmp_path / "notes.txt", [ext()])
    g = tmp_path / "data.json"
    g.write_text("Artist,Album,Track,01 Feb 2024 10:00\n")
    r = run([f, g])
    assert [x.format for x in r.report.files] == ["spotify_extended", "lastfm_csv"]


@pytest.mark.parametrize(
    "records",
    [
        [
            ext(master_metadata_track_name="  Padded  ", conn_country="in"),
            episode(),
            audiobook(),
            endsong(),
            no_audiobook(ms_played=0),
        ],
        [
            ext(ms_played="12"),
            ext(ms_played=1.5),
            ext(shuffle="yes"),
            ext(ts=None),
            ext(ms_played=None),
            ext(incognito_mode=True),
            ext(ts="not a time"),
        ],
    ],
)
def test_fast_duckdb_path_equals_exact_python_path(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    f = write_json(tmp_path / "h.json", records)
    fast = ingest([f], settings=SETTINGS, engine="auto")
    exact = ingest([f], settings=SETTINGS, engine="python")
    pd.testing.assert_frame_equal(fast.events, exact.events)
    assert fast.rejects == exact.rejects
    assert fast.report == exact.report


def test_canonical_csv_round_trip(tmp_path: Path) -> None:
    from wrapped.demo import generate_canonical

    demo = generate_canonical(2_000, 8, seed=5)
    demo.events.to_csv(tmp_path / "events.csv", index=False)
    back = run([tmp_path / "events.csv"])
    assert back.report.accepted == 2_000
    pd.testing.assert_frame_equal(
        back.events.drop(columns="source"), demo.events.drop(columns="source")
    )
    assert back.events["source"].iloc[0] == "events.csv#0"  # demo rows came from no file
