"""Privacy at the door: no private field or value survives into any output file."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from _ingest_helpers import (
    LB_USER,
    PRIVATE_STRINGS,
    SALT,
    USERNAME,
    endsong,
    episode,
    ext,
    lb_listen,
    run,
    userdata,
    write_and_read,
    write_json,
    write_zip,
)

from wrapped.events import EVENT_COLUMNS, PROFILE_DTYPES
from wrapped.ingest import is_pseudonymous, pseudonymize
from wrapped.ingest.privacy import PRIVATE_FIELDS


def _every_format(root: Path) -> None:
    write_zip(
        root / USERNAME / "my_spotify_data.zip",
        {
            "Spotify Extended Streaming History/Streaming_History_Audio_2024.json": json.dumps(
                [ext(), episode(), ext(incognito_mode=True)]
            ),
            "Spotify Extended Streaming History/endsong_0.json": json.dumps(
                [endsong(), endsong(ms_played=-1)]
            ),
            "Spotify Account Data/StreamingHistory_music_0.json": json.dumps(
                [
                    {
                        "endTime": "2024-02-02 10:00",
                        "artistName": "X",
                        "trackName": "Y",
                        "msPlayed": 1000,
                    }
                ]
            ),
            "Spotify Account Data/Userdata.json": json.dumps(userdata()),
        },
    )
    write_json(
        root / LB_USER / f"listenbrainz_{LB_USER}_1735689600.json",
        [lb_listen(), lb_listen(listened_at="garbage")],
    )


def test_no_private_column_or_value_reaches_any_output(tmp_path: Path) -> None:
    _every_format(tmp_path / "in")
    result = run([tmp_path / "in"])
    assert result.report.rejected == 2 and result.report.dropped == 1  # rejects are written too
    text = write_and_read(result, tmp_path / "out")
    for secret in PRIVATE_STRINGS:
        assert secret not in text, secret
    assert str(tmp_path) not in text  # labels are relative: no home folders, no listener folders
    assert pq.read_table(tmp_path / "out" / "events.parquet").column_names == EVENT_COLUMNS
    assert pq.read_table(tmp_path / "out" / "profiles.parquet").column_names == list(PROFILE_DTYPES)
    assert not PRIVATE_FIELDS & set(pq.read_table(tmp_path / "out" / "events.parquet").column_names)
    assert all(is_pseudonymous(u) for u in result.events["user_id"].unique())
    assert set(result.events["user_id"]) == {
        pseudonymize(USERNAME, SALT),
        pseudonymize(LB_USER, SALT),
    }


def test_pseudonyms_are_keyed_hashes() -> None:
    a = pseudonymize("alice", "salt-1")
    assert a == pseudonymize("alice", "salt-1") and is_pseudonymous(a)
    assert a != pseudonymize("alice", "salt-2")  # without the secret salt, no one can recompute it
    assert a != pseudonymize("alicia", "salt-1")
    # HMAC-SHA256, first 16 hex chars (an independent computation)
    import hashlib
    import hmac

    assert a == "u_" + hmac.new(b"salt-1", b"alice", hashlib.sha256).hexdigest()[:16]


def test_user_option_overrides_every_identity(tmp_path: Path) -> None:
    _every_format(tmp_path / "in")
    result = run([tmp_path / "in"], user="the-one")
    assert set(result.events["user_id"]) == {pseudonymize("the-one", SALT)}
    assert "the-one" not in write_and_read(result, tmp_path / "out")
