"""Finding input files: a file, a folder (recursively), or a .zip (nested folders, nested zips).

Every file becomes a `Source` with a label (its path inside the listener's export, never an
absolute path) and a group (the listener's folder), which is where the user id comes from when
the export itself does not name its account.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wrapped.errors import InputError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    """One input file, wherever it lives (disk or inside a zip)."""

    label: str  # path relative to the listener's folder, '/'-separated
    group: str  # raw listener folder name (an identity: pseudonymized before use)
    explicit: bool  # named on the command line (unknown content is then an error, not a skip)
    size: int
    _read: Callable[[], bytes]
    path: Path | None = None  # set when the file is on disk as-is
    _open: Callable[[], IO[bytes]] | None = None  # streaming access (zip members)
    where: str = ""  # the full path, for error messages only (it may name the listener)
    export: str = ""  # the export it came in: its outermost zip, else its folder (both labels)
    folder: str = ""  # the listener's folder, for error messages only

    def read_bytes(self) -> bytes:
        return self._read()

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first `n` bytes, without reading a big disk file whole."""
        if self.path is not None:
            with self.path.open("rb") as fh:
                return fh.read(n)
        if self._open is not None:  # decompress only the start of a zip member
            with self._open() as fh:
                return fh.read(n)
        return self._read()[:n]

    def copy_to(self, target: Path) -> None:
        """Write this file's bytes to `target`, streaming (a zip member is never held whole)."""
        if self._open is None:
            target.write_bytes(self._read())
            return
        with self._open() as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _is_zip(head: bytes) -> bool:
    return head[:4] in ZIP_MAGIC


def _zip_members(
    zf: zipfile.ZipFile, prefix: str, group: str, outer: str, export: str, folder: str
) -> Iterator[Source]:
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir() or _hidden(tuple(info.filename.split("/"))):
            continue
        label = f"{prefix}/{info.filename}"

        def read(zf: zipfile.ZipFile = zf, name: str = info.filename) -> bytes:
            return zf.read(name)

        data_head = zf.open(info).read(4) if info.file_size else b""
        if _is_zip(data_head):
            try:
                inner = zipfile.ZipFile(io.BytesIO(read()))
            except zipfile.BadZipFile as exc:
                raise InputError(
                    f"not a readable zip archive ({exc})", file=f"{outer}/{info.filename}"
                ) from None
            yield from _zip_members(inner, label, group, f"{outer}/{info.filename}", export, folder)
        else:

            def stream(zf: zipfile.ZipFile = zf, info: zipfile.ZipInfo = info) -> IO[bytes]:
                return zf.open(info)

            where = f"{outer}/{info.filename}"
            yield Source(
                label, group, False, info.file_size, read, None, stream, where, export, folder
            )


def _from_file(path: Path, label: str, group: str, explicit: bool, folder: str) -> Iterator[Source]:
    with path.open("rb") as fh:
        head = fh.read(4)
    if _is_zip(head):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise InputError(f"not a readable zip archive ({exc})", file=str(path)) from None
        yield from _zip_members(zf, label, group, str(path), label, folder)
        return
    export = label.rsplit("/", 1)[0] if "/" in label else ""
    size = path.stat().st_size
    yield Source(
        label, group, explicit, size, path.read_bytes, path, None, str(path), export, folder
    )


def discover(paths: list[Path | str]) -> Iterator[Source]:
    """All input files under `paths`, in a stable order; missing paths are an InputError."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", file=str(path))
        if path.is_file():
            group = path.resolve().parent.name
            yield from _from_file(path, path.name, group, True, str(path.parent))
            continue
        root = path.resolve()
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = file.relative_to(root)
            if _hidden(rel.parts):
                continue
            if len(rel.parts) > 1:
                group, label, folder = rel.parts[0], "/".join(rel.parts[1:]), path / rel.parts[0]
            else:
                group, label, folder = root.name, rel.as_posix(), path
            yield from _from_file(file, label, group, False, str(folder))
