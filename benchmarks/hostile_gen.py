"""Hostile inputs for `wrapped ingest`: the crafted files issue 24 found, made on demand.

Small cases are used by tests/test_hostile_inputs.py; the big ones (a nested zip bomb, ten
million rejected records, 1,100 listener zips) by benchmarks/bench_hostile.py. Each function
writes into a folder it is given and returns the path to pass to `wrapped ingest`.

    python benchmarks/hostile_gen.py bomb /tmp/bomb        # write one case by name
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path


def record(**over: object) -> dict[str, object]:
    """A valid Spotify extended-history record (the fields ingest reads)."""
    rec: dict[str, object] = {
        "ts": "2024-03-01T12:00:00Z",
        "ms_played": 180000,
        "conn_country": "GB",
        "master_metadata_track_name": "Song A",
        "master_metadata_album_artist_name": "Artist A",
        "master_metadata_album_album_name": "Album A",
        "spotify_track_uri": "spotify:track:aaaaaaaaaaaaaaaaaaaaaa",
        "reason_start": "clickrow",
        "reason_end": "trackdone",
        "shuffle": False,
        "skipped": False,
        "incognito_mode": False,
    }
    rec.update(over)
    return rec


def history(n: int = 3, **over: object) -> list[dict[str, object]]:
    """`n` distinct valid plays, one minute apart."""
    return [record(ts=f"2024-03-01T12:{i % 60:02d}:00Z", **over) for i in range(n)]


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def zip_bomb(folder: Path, expanded: int = 5 * 2**30) -> Path:
    """A zip holding a zip whose one member expands to `expanded` bytes (zeros): ~9 KB on disk.

    The inner member is deflated from a stream of zeros without ever holding it whole, and the
    inner zip is deflated again, so the outer file stays tiny.
    """
    folder.mkdir(parents=True, exist_ok=True)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"0" * (1 << 20)
    parts = []
    crc = 0
    for _ in range(expanded // len(chunk)):
        parts.append(comp.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(comp.flush())
    deflated = b"".join(parts)
    inner = _raw_zip("Streaming_History_Audio_2024.json", deflated, crc, expanded)
    out = folder / "bomb.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("inner.zip", inner)
    return out


def _raw_zip(name: str, deflated: bytes, crc: int, size: int) -> bytes:
    """A one-member zip from already-deflated bytes (zipfile cannot take them pre-compressed)."""
    fname = name.encode()
    zip64 = size >= 0xFFFFFFFF
    extra = struct.pack("<HHQQ", 1, 16, size, len(deflated)) if zip64 else b""
    usize, csize = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (size, len(deflated))
    version = 45 if zip64 else 20
    local = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        version,
        0,
        8,
        0,
        0x21,
        crc,
        csize,
        usize,
        len(fname),
        len(extra),
    )
    body = local + fname + extra + deflated
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        version,
        version,
        0,
        8,
        0,
        0x21,
        crc,
        csize,
        usize,
        len(fname),
        len(extra),
        0,
        0,
        0,
        0,
        0,
    )
    cd = central + fname + extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(cd), len(body), 0)
    return body + cd + end


def many_rejects(folder: Path, n: int = 10_000_000) -> Path:
    """A Spotify extended file of one valid play and `n - 1` empty records (`{}`, ~30 MB for
    ten million): every empty one is a rejected record."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "listener" / "Streaming_History_Audio_2024.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write("[" + json.dumps(record()))
        left = n - 1
        while left > 0:
            step = min(left, 100_000)
            fh.write(",{}" * step)
            left -= step
        fh.write("]")
    return folder


def many_zips(folder: Path, n: int = 1100) -> Path:
    """`n` listener folders, each holding one small zipped Spotify extended history."""
    for i in range(n):
        sub = folder / f"listener{i:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(sub / "my_spotify_data.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            data = [record(ts=f"2024-03-01T{h:02d}:00:00Z") for h in range(3)]
            zf.writestr(
                "Spotify Extended Streaming History/Streaming_History_Audio_2024.json",
                json.dumps(data),
            )
    return folder


def deep_json(folder: Path, depth: int = 100_000) -> Path:
    """A Spotify extended history: two plays, then (record 2) one nesting `depth` levels (the
    record itself and `depth - 1` arrays inside it)."""
    head = json.dumps(history(2))[:-1]
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    deep = f'{{"ts": "2024-03-01T12:00:00Z", "ms_played": 1, "x": {inner}}}'
    return write_json_text(folder / "deep.json", f"{head}, {deep}]")


def write_json_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def encrypted_zip(folder: Path) -> Path:
    """A zip whose one member claims to be encrypted (flag bit 0), as a password-protected one."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("Streaming_History_Audio_2024.json", json.dumps(history()))
    raw = bytearray(buf.getvalue())
    _set_in_headers(raw, flag_or=0x1)
    out = folder / "encrypted.zip"
    folder.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(raw))
    return out


def unknown_method_zip(folder: Path) -> Path:
    """A zip whose member uses compression method 99 (AE-x, unknown to Python's zipfile)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("Streaming_History_Audio_2024.json", json.dumps(history()))
    raw = bytearray(buf.getvalue())
    _set_in_headers(raw, method=99)
    out = folder / "method99.zip"
    folder.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(raw))
    return out


def bad_crc_zip(folder: Path) -> Path:
    """A zip whose member's bytes do not match its CRC-32."""
    buf = io.BytesIO()
    payload = json.dumps(history())
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("Streaming_History_Audio_2024.json", payload)
    raw = bytearray(buf.getvalue())
    at = raw.find(b"Song A")
    raw[at] = ord("X")
    out = folder / "badcrc.zip"
    folder.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(raw))
    return out


def _set_in_headers(raw: bytearray, *, flag_or: int = 0, method: int | None = None) -> None:
    """Patch the flag bits / method of every local and central header in place."""
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(sig)
        while at != -1:
            flags = struct.unpack_from("<H", raw, at + off)[0] | flag_or
            struct.pack_into("<H", raw, at + off, flags)
            if method is not None:
                struct.pack_into("<H", raw, at + off + 2, method)
            at = raw.find(sig, at + 4)


CASES = {"bomb": zip_bomb, "rejects": many_rejects, "zips": many_zips, "deep": deep_json}

if __name__ == "__main__":
    CASES[sys.argv[1]](Path(sys.argv[2]))
    print(sys.argv[2])
