"""Finding input files: a file, a folder (recursively), or a .zip (nested folders, nested zips).

Every file becomes a `Source` with a label (its path inside the listener's export, never an
absolute path) and a group (the listener's folder), which is where the user id comes from when
the export itself does not name its account.

Uploads are untrusted, so nothing here trusts them: a zip is refused (one line, naming the
archive and member) before it can expand past `Limits`; a member that cannot be read (encrypted,
an unknown compression method) or must not be (a `..` or hidden name) is a named skip; no zip
stays open between reads (1,100 listener zips must not need 1,100 file descriptors); and text
reaches the readers as UTF-8 (UTF-16 is decoded, a bad byte becomes U+FFFD and the file is
marked `lossy`, so its records are counted and rejected, not the whole file lost).
"""

from __future__ import annotations

import io
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from wrapped.errors import InputError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
HEAD_BYTES = 64 * 1024
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: zip members smaller than this are never refused for their compression ratio
RATIO_FLOOR = 1 << 20
#: what zipfile raises on a member it cannot read (bad CRC, truncated or corrupt data)
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError)
_SUPPORTED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


class Limits(NamedTuple):
    """Bounds on what one ingest may open (the `max_*` settings; see wrapped/settings.py)."""

    max_files: int = 100_000
    max_expanded_bytes: int = 8 * 2**30
    max_zip_ratio: float = 200.0
    max_zip_depth: int = 3


@dataclass(frozen=True)
class Source:
    """One input file, wherever it lives (disk or inside a zip)."""

    label: str  # path relative to the listener's folder, '/'-separated
    group: str  # raw listener folder name (an identity: pseudonymized before use)
    explicit: bool  # named on the command line (unknown content is then an error, not a skip)
    size: int
    _read: Callable[[], bytes]
    path: Path | None = None  # set when the file is on disk as-is (and is UTF-8 or binary)
    _open: Callable[[], IO[bytes]] | None = None  # streaming access (zip members)
    where: str = ""  # the full path, for error messages only (it may name the listener)
    export: str = ""  # the export it came in: its outermost zip, else its folder (both labels)
    folder: str = ""  # the listener's folder, for error messages only
    skip: str = ""  # not to be read, and why (a named skip in the report)
    utf16: bool = False  # text saved as UTF-16 (decoded to UTF-8 for the readers)
    notes: dict[str, bool] = field(default_factory=dict, compare=False)  # 'lossy': bad bytes

    def read_bytes(self) -> bytes:
        """The file's raw bytes (a zip member that cannot be read is an InputError)."""
        try:
            return self._read()
        except ZIP_ERRORS as exc:
            raise _member_error(self.where, exc) from None
        except OSError as exc:
            raise _unreadable(self.where, exc) from None

    def text(self) -> str:
        """The file as text for the text readers: UTF-16 decoded, bad bytes made U+FFFD.

        A file with bad bytes is marked `lossy`; ingest then rejects the records they touched.
        """
        data = self.read_bytes()
        if self.utf16:
            return data.decode("utf-16", errors="replace")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.notes["lossy"] = True
            return data.decode("utf-8-sig", errors="replace")

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first `n` bytes, without reading a big disk file whole (UTF-16 as UTF-8)."""
        try:
            if self.path is not None:
                with self.path.open("rb") as fh:
                    raw = fh.read(n)
            elif self._open is not None:  # decompress only the start of a zip member
                with self._open() as fh:
                    raw = fh.read(n)
            else:
                raw = self._read()[:n]
        except ZIP_ERRORS as exc:
            raise _member_error(self.where, exc) from None
        except OSError as exc:
            raise _unreadable(self.where, exc) from None
        if self.utf16:
            return raw[: len(raw) // 2 * 2].decode("utf-16", errors="replace").encode("utf-8")
        return raw

    def copy_to(self, target: Path) -> None:
        """Write this file's UTF-8 bytes to `target`, streaming a zip member (never held whole)."""
        if self._open is None or self.utf16:
            target.write_bytes(self.text().encode("utf-8") if self.utf16 else self.read_bytes())
            return
        try:
            with self._open() as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except ZIP_ERRORS as exc:
            raise _member_error(self.where, exc) from None


def _member_error(where: str, exc: BaseException) -> InputError:
    return InputError(f"a corrupt zip member ({exc}); the archive cannot be read", file=where)


def _unreadable(where: str, exc: OSError) -> InputError:
    """A file the system will not give us (permissions, too many open files): exit 2, named."""
    return InputError(f"cannot be read ({exc.strerror or exc})", file=where)


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _is_zip(head: bytes) -> bool:
    return head[:4] in ZIP_MAGIC


class _Budget:
    """What one top-level archive may still expand to, nested zips included."""

    def __init__(self, archive: str, limits: Limits) -> None:
        self.archive, self.limits, self.left = archive, limits, limits.max_expanded_bytes

    def take(self, info: zipfile.ZipInfo, where: str) -> None:
        """Refuse a member before a byte of it is read; zipfile never reads past file_size."""
        lim = self.limits
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > lim.max_zip_ratio:
            raise InputError(
                f"a zip member expands {ratio:,.0f} times (limit {lim.max_zip_ratio:,.0f}, "
                "setting max_zip_ratio): refused as a zip bomb",
                file=where,
            )
        self.left -= info.file_size
        if self.left < 0:
            raise InputError(
                f"the archive expands past {lim.max_expanded_bytes:,} bytes "
                "(setting max_expanded_bytes): refused",
                file=where,
            )


def _member_skip(info: zipfile.ZipInfo) -> str:
    """Why a zip member is not read ('' when it is)."""
    parts = tuple(info.filename.replace("\\", "/").split("/"))
    if ".." in parts:
        return "a '..' path inside the zip (not read)"
    if _hidden(parts):
        return "a hidden or metadata name inside the zip (not read)"
    if info.flag_bits & 0x1:
        return "an encrypted zip member (not read)"
    if info.compress_type not in _SUPPORTED:
        return f"an unsupported zip compression method ({info.compress_type}) (not read)"
    return ""


@dataclass(frozen=True)
class _Ctx:
    group: str
    export: str
    folder: str
    budget: _Budget
    depth: int


def _zip_members(
    opener: Callable[[], zipfile.ZipFile], prefix: str, outer: str, ctx: _Ctx
) -> Iterator[Source]:
    with opener() as zf:
        infos = sorted(zf.infolist(), key=lambda i: i.filename)
    for info in infos:
        if info.is_dir():
            continue
        label, where = f"{prefix}/{info.filename}", f"{outer}/{info.filename}"
        skip = _member_skip(info)
        if skip:
            yield Source(label, ctx.group, False, 0, bytes, where=where, export=ctx.export,
                         folder=ctx.folder, skip=skip)  # fmt: skip
            continue
        ctx.budget.take(info, where)

        def read(
            opener: Callable[[], zipfile.ZipFile] = opener, name: str = info.filename
        ) -> bytes:
            with opener() as zf:
                return zf.read(name)

        def stream(opener: Callable[[], zipfile.ZipFile] = opener,
                   info: zipfile.ZipInfo = info) -> IO[bytes]:  # fmt: skip
            with opener() as zf:  # the member keeps the file open until it is closed itself
                return zf.open(info)

        try:
            with stream() as fh:
                head = fh.read(4) if info.file_size else b""
        except ZIP_ERRORS as exc:
            raise _member_error(where, exc) from None
        if _is_zip(head):
            if ctx.depth >= ctx.budget.limits.max_zip_depth:
                raise InputError(
                    f"zips nested more than {ctx.budget.limits.max_zip_depth} deep "
                    "(setting max_zip_depth): refused",
                    file=where,
                )
            try:
                data = read()
                zipfile.ZipFile(io.BytesIO(data)).close()
            except zipfile.BadZipFile as exc:
                raise InputError(f"not a readable zip archive ({exc})", file=where) from None
            except ZIP_ERRORS as exc:
                raise _member_error(where, exc) from None

            def inner(data: bytes = data) -> zipfile.ZipFile:
                return zipfile.ZipFile(io.BytesIO(data))

            deeper = _Ctx(ctx.group, ctx.export, ctx.folder, ctx.budget, ctx.depth + 1)
            yield from _zip_members(inner, label, where, deeper)
            continue
        utf16 = head[:2] in UTF16_BOMS
        yield Source(label, ctx.group, False, info.file_size, read, None, stream, where,
                     ctx.export, ctx.folder, utf16=utf16)  # fmt: skip


def _from_file(
    path: Path, label: str, group: str, explicit: bool, folder: str, limits: Limits
) -> Iterator[Source]:
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise _unreadable(str(path), exc) from None
    if _is_zip(head):

        def opener() -> zipfile.ZipFile:
            return zipfile.ZipFile(path)

        try:
            opener().close()
        except zipfile.BadZipFile as exc:
            raise InputError(f"not a readable zip archive ({exc})", file=str(path)) from None
        ctx = _Ctx(group, label, folder, _Budget(str(path), limits), 1)
        yield from _zip_members(opener, label, str(path), ctx)
        return
    export = label.rsplit("/", 1)[0] if "/" in label else ""
    size = path.stat().st_size
    utf16 = head[:2] in UTF16_BOMS
    yield Source(label, group, explicit, size, path.read_bytes, None if utf16 else path, None,
                 str(path), export, folder, utf16=utf16)  # fmt: skip


def discover(paths: list[Path | str], limits: Limits | None = None) -> Iterator[Source]:
    """All input files under `paths`, in a stable order; missing paths are an InputError.

    More than `limits.max_files` files (zip members included) is an InputError too.
    """
    limits = limits or Limits()
    count = 0
    for src in _discover(paths, limits):
        count += 1
        if count > limits.max_files:
            raise InputError(
                f"more than {limits.max_files:,} input files (setting max_files): refused",
                file=src.where,
            )
        yield src


def _discover(paths: list[Path | str], limits: Limits) -> Iterator[Source]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", file=str(path))
        if path.is_file():
            group = path.resolve().parent.name
            yield from _from_file(path, path.name, group, True, str(path.parent), limits)
            continue
        root = path.resolve()
        for file in sorted(p for p in root.rglob("*") if not p.is_dir()):
            rel = file.relative_to(root)
            if _hidden(rel.parts):
                continue
            if len(rel.parts) > 1:
                group, label, folder = rel.parts[0], "/".join(rel.parts[1:]), path / rel.parts[0]
            else:
                group, label, folder = root.name, rel.as_posix(), path
            if not file.is_file():  # a broken link, a pipe, a socket: named, never opened
                yield Source(label, group, False, 0, bytes, where=str(file), folder=str(folder),
                             skip="not a regular file (a broken link, a pipe or a device)")  # fmt: skip
                continue
            yield from _from_file(file, label, group, False, str(folder), limits)
