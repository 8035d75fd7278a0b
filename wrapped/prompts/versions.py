"""Prompt versions: a folder of Jinja templates plus `meta.toml`, identified by a hash of its files.

The hash (not the folder name) is the identity that travels with every story: edit one byte of
one template and every story written afterwards says so, even if nobody bumped the version.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wrapped.errors import ConfigError, TemplateError
from wrapped.settings import Settings

#: Templates every version must ship.
REQUIRED_FILES = ("system.j2", "user.j2", "judge.j2", "meta.toml")
#: Output schemas a version may name in its metadata.
KNOWN_SCHEMAS = ("Draft",)


class PromptMeta(BaseModel):
    """`meta.toml`: what the version is for and the model params it was written for."""

    model_config = ConfigDict(extra="forbid")

    description: str
    output_schema: str = Field(description="name of the pydantic model the reply must match")
    params: dict[str, Any] = Field(default_factory=dict, description="e.g. temperature, max_tokens")


class PromptVersion(BaseModel):
    """One loaded prompt version."""

    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path
    files: list[str] = Field(description="relative file names, sorted (the hash covers these)")
    meta: PromptMeta
    hash: str = Field(description="sha256 over sorted names + bytes, first 16 hex")


def _version_files(path: Path) -> list[Path]:
    """Every regular file in the version folder that is part of its identity (no hidden files)."""
    out = []
    for p in path.rglob("*"):
        rel = p.relative_to(path)
        if p.is_file() and not any(
            part.startswith(".") or part == "__pycache__" for part in rel.parts
        ):
            out.append(p)
    return sorted(out, key=lambda p: p.relative_to(path).as_posix())


def version_hash(path: Path) -> str:
    """sha256 over (name, NUL, bytes, NUL) of each file, names sorted; the first 16 hex digits.

    Names are included so renaming a file changes the identity; the NUL separators keep
    ("ab", "c") and ("a", "bc") apart.
    """
    h = hashlib.sha256()
    for p in _version_files(path):
        h.update(p.relative_to(path).as_posix().encode("utf-8") + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _load_meta(path: Path) -> PromptMeta:
    meta_path = path / "meta.toml"
    try:
        raw = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{meta_path}: not valid TOML ({exc})") from None
    try:
        meta = PromptMeta.model_validate(raw)
    except ValueError as exc:
        first = str(exc).splitlines()
        raise TemplateError(f"{meta_path}: {' '.join(first[:3])}") from None
    if meta.output_schema not in KNOWN_SCHEMAS:
        raise TemplateError(
            f"{meta_path}: output_schema '{meta.output_schema}' is not one of {', '.join(KNOWN_SCHEMAS)}"
        )
    return meta


def _stamp(path: Path) -> tuple[tuple[str, int, int], ...] | None:
    """(relative name, mtime_ns, size) of every identity file, from one `os.scandir` walk.

    The cheap "has anything changed?" test behind `load_version`'s memo (pathlib's rglob and two
    stats per file cost more than the render they guard). It covers at least the files
    `version_hash` reads (symlinked folders are followed), so an edit always shows. None when
    `path` is not a readable folder: the caller then takes the slow path and its clear errors.
    """
    out: list[tuple[str, int, int]] = []
    stack = [("", os.fspath(path))]
    try:
        while stack:
            prefix, folder = stack.pop()
            with os.scandir(folder) as entries:
                for e in entries:
                    if e.name.startswith(".") or e.name == "__pycache__":
                        continue
                    if e.is_dir():
                        stack.append((f"{prefix}{e.name}/", e.path))
                    elif e.is_file():
                        st = e.stat()
                        out.append((prefix + e.name, st.st_mtime_ns, st.st_size))
    except OSError:
        return None
    out.sort()
    return tuple(out)


_LOADED: dict[tuple[str, tuple[tuple[str, int, int], ...]], PromptVersion] = {}
#: the default prompts folder per working directory (`Settings.resolved_prompts_dir` resolves
#: the package path and probes folders on every call)
_ROOTS: dict[str, Path] = {}


def _root(settings: Settings, cwd: str) -> Path:
    if settings.prompts_dir is not None:
        return Path(settings.prompts_dir)
    root = _ROOTS.get(cwd)
    if root is None:
        root = _ROOTS[cwd] = settings.resolved_prompts_dir()
    return root


#: versions a batch worker fixed for its lifetime (`pin_version`), by (folder, version name)
_PINNED: dict[tuple[str, str], PromptVersion] = {}


def pin_version(
    version: str, settings: Settings, *, expect_hash: str | None = None
) -> PromptVersion:
    """Load `version` now and serve exactly it to every later `load_version` in this process.

    For batch workers: every story of a run must use the prompt its manifest names, so a file
    edited mid-run must not leak into half the stories; and it spares the per-render folder scan
    (~0.2 ms per story). `expect_hash` (the run's planned hash) makes a prompt edited between
    planning and the worker's start one clear error instead of a silently mixed run.
    """
    loaded = load_version(version, settings)
    if expect_hash is not None and loaded.hash != expect_hash:
        raise ConfigError(
            f"prompt version '{version}' in {loaded.path} changed since this run was planned "
            f"(hash {expect_hash[:12]}, now {loaded.hash[:12]}): re-run to start a new run"
        )
    _PINNED[(os.path.abspath(_root(settings, os.getcwd())), version)] = loaded
    return loaded


def load_version(version: str, settings: Settings) -> PromptVersion:
    """Load `prompts/<version>/` from the configured prompts folder; one clear error if broken.

    Memoized on the files' names, sizes and mtimes (one directory scan per call), so rendering
    in a loop does not re-read and re-hash the folder, while an edited file is picked up at once
    (unless this process pinned the version, see `pin_version`).
    """
    cwd = os.getcwd()
    hit = _known(version, settings, cwd) if _is_name(version) else None
    if hit is not None:
        return hit
    root = settings.resolved_prompts_dir()
    if settings.prompts_dir is None:
        _ROOTS[cwd] = root
    path = root / version
    _check_folder(version, root, path, settings)
    # stamp before reading: a file edited while it is read gets a newer stamp, so a later call
    # reloads rather than keeping a half-old version
    stamp = _stamp(path)
    files = _version_files(path)
    loaded = PromptVersion(
        name=version,
        path=path,
        files=[p.relative_to(path).as_posix() for p in files],
        meta=_load_meta(path),
        hash=version_hash(path),
    )
    if stamp is not None:
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED[(os.path.join(cwd, path), stamp)] = loaded
    return loaded


def _is_name(version: str) -> bool:
    """Whether `version` is a plain folder name (no path, not hidden)."""
    return (
        bool(version) and "/" not in version and "\\" not in version and not version.startswith(".")
    )


def _known(version: str, settings: Settings, cwd: str) -> PromptVersion | None:
    """The version this process pinned, or the one loaded from the same unchanged files."""
    root = _root(settings, cwd)
    if _PINNED:
        pinned = _PINNED.get((os.path.abspath(root), version))
        if pinned is not None:
            return pinned
    path = root / version
    stamp = _stamp(path)
    if stamp is not None:
        return _LOADED.get((os.path.join(cwd, path), stamp))
    return None


def _check_folder(version: str, root: Path, path: Path, settings: Settings) -> None:
    """One clear error when `version` does not name a complete version folder under `root`."""
    if not _is_name(version):
        raise ConfigError(f"prompt version '{version}' is not a folder name")
    if not path.is_dir():
        known = ", ".join(v.name for v in list_versions(settings)) or "none"
        raise ConfigError(f"prompt version '{version}' not found in {root} (known: {known})")
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise TemplateError(f"{path}: missing {', '.join(missing)}")


def list_versions(settings: Settings) -> list[PromptVersion]:
    """Every loadable version in the prompts folder, sorted by name (broken ones raise)."""
    root = settings.resolved_prompts_dir()
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "meta.toml").is_file())
    return [load_version(n, settings) for n in names]
